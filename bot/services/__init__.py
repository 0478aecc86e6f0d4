"""Plain-Python services between Discord and storage. Nothing here imports discord."""
