# The bot itself, for `docker compose up`. Submissions still run in separate sandbox
# containers, created through the host's Docker socket (see docker-compose.yml).
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY runner ./runner
COPY curriculum ./curriculum
RUN pip install --no-cache-dir .
ENV PYDOJO_DATA_DIR=/data
VOLUME ["/data"]
CMD ["pydojo", "bot"]
