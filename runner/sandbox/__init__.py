"""The programs that run inside a sandbox container. Shipped as source text on the container's
command line; only their pure parts are imported on the host, by tests."""
