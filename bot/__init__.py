"""pydojo: a Discord bot that teaches Python by practice."""
