"""Discord helpers every feature shares: text within limits, where an event happened, who may
see an answer, sending it, and the one error path."""
