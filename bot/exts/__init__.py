"""Discord extensions, one folder per feature. They translate; the services decide."""
