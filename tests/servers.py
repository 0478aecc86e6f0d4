"""Real servers for tests, on loopback: a Redis server and `pydojo runner serve` workers."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import docker

from runner.engine import LABEL, OWNER_LABEL


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_binary() -> str | None:
    return shutil.which("redis-server") or (
        "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None
    )


class RedisServer:
    """A redis-server process on 127.0.0.1 that can be stopped and started on the same port.

    It keeps an append-only file, as the deployment's Redis does, so a restart keeps the queue.
    """

    def __init__(self, binary: str, directory: Path) -> None:
        self.binary = binary
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        log = open(self.directory / "redis.log", "ab")  # noqa: SIM115 — the process keeps it
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.directory),
                "--appendonly",
                "yes",
                "--save",
                "",
                "--daemonize",
                "no",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        for _ in range(200):
            if self.ping():
                return
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not answer; see {self.directory / 'redis.log'}")

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        """A clean shutdown (SIGTERM: Redis flushes its append-only file first)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(30)
        self.process = None


class WorkerProcess:
    """`pydojo runner serve` in a child process, reading the given queue."""

    def __init__(
        self,
        queue_url: str,
        directory: Path,
        *,
        concurrency: int = 1,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.log_path = directory / f"worker-{time.monotonic_ns()}.log"
        env = {
            **os.environ,
            "PYDOJO_QUEUE_URL": queue_url,
            "PYDOJO_SANDBOX_POOL_SIZE": "1",
            "PYDOJO_LOG_LEVEL": "INFO",
            **(extra_env or {}),
        }
        env.pop("PYDOJO_RUNNER_METRICS_PORT", None)
        with open(self.log_path, "wb") as log:
            # cwd: a directory without a .env, so only the environment above configures it
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot", "runner", "serve", "--concurrency", str(concurrency)],
                cwd=directory,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.id = f"{socket.gethostname()}-{self.process.pid}"  # as runner.queue.worker names it
        self.owner = f"{socket.gethostname()}:{self.process.pid}"  # its containers' owner label

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def terminate(self, timeout: float = 60) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout)

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(30)


def containers_of(owners: list[str]) -> list[str]:
    """Sandbox containers (running or not) whose owner label is one of ``owners``."""
    client = docker.from_env(timeout=10)
    try:
        found = client.containers.list(all=True, sparse=True, filters={"label": LABEL})
        return [
            c.id for c in found if (c.attrs.get("Labels") or {}).get(OWNER_LABEL) in set(owners)
        ]
    finally:
        client.close()
