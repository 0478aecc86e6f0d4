"""Practice in a terminal: the bot's practice loop, services, sandbox and database, without
Discord (``pydojo practice``)."""

from .session import TerminalPractice, learner_id

__all__ = ["TerminalPractice", "learner_id"]
