"""Storage: SQLAlchemy 2.0 async, SQLite by default, any SQLAlchemy URL (PostgreSQL tested)."""

from .database import Database, database_url
from .models import Base

__all__ = ["Base", "Database", "database_url"]
