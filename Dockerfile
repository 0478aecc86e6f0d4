# The pydojo image, for `docker compose`: the bot and the runner workers run it with different
# commands (see docker-compose.yml). Submissions never run in it: the runner starts a separate,
# locked-down sandbox container for each one through the Docker engine.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY runner ./runner
COPY curriculum ./curriculum
RUN pip install --no-cache-dir . \
 && useradd --system --uid 10001 --home-dir /data pydojo \
 && mkdir -p /data && chown pydojo /data
ENV PYDOJO_DATA_DIR=/data PYTHONUNBUFFERED=1
VOLUME ["/data"]
# The bot runs unprivileged; the runner service overrides this to reach the engine's socket.
USER pydojo
CMD ["pydojo", "bot"]
