"""Docker containers for sandboxed runs: one container, one submission, then it is destroyed.

Everything here is synchronous (docker-py is); ``runner.service`` calls it from worker threads.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import docker
import requests
from docker.errors import DockerException, ImageNotFound, NotFound
from docker.models.containers import Container
from docker.types import LogConfig, Ulimit

from .limits import SandboxLimits
from .protocol import BOOTSTRAP, EventReader
from .seccomp import profile_json

log = logging.getLogger(__name__)

LABEL = "pydojo.sandbox"  # every sandbox container carries it; `docker ps -a --filter label=...`
OWNER_LABEL = "pydojo.owner"  # "<host>:<pid>" of the process that made it, for reaping
INSTANCE_LABEL = "pydojo.instance"  # which Engine object made it
STDOUT, STDERR = 1, 2
TEST_SLACK_SECONDS = 0.5  # the harness times tests itself; the host kills only past this slack

# Engine and transport failures: never the user's fault.
INFRA_ERRORS = (DockerException, requests.exceptions.RequestException, OSError)


class SandboxUnavailable(Exception):
    """The engine, the image or a container failed; the message says how to fix it."""


def owner_tag() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class Prepared:
    """A started container whose bootstrap is waiting for its payload on stdin."""

    container: Container
    sock: socket.socket
    response: Any  # keeps the attach connection alive until closed
    created_at: float = field(default_factory=time.monotonic)

    def close_stream(self) -> None:
        for closer in (self.sock.close, self.response.close):
            with contextlib.suppress(Exception):  # already closed: nothing to release
                closer()


@dataclass
class RawRun:
    """What came out of one container, before any judging."""

    stdout: bytearray = field(default_factory=bytearray)
    stderr: bytearray = field(default_factory=bytearray)
    reader: EventReader | None = None
    hello: bool = False
    finished: bool = False  # judge mode: the harness said "done"
    exited: bool = False  # the container's process ended (EOF on the stream)
    timed_out: bool = False
    timeout_test: int | None = None
    flooded: bool = False
    exit_code: int | None = None
    oom: bool = False
    duration: float = 0.0


class Engine:
    """Creates, feeds and removes sandbox containers through docker-py."""

    def __init__(
        self,
        image: str,
        limits: SandboxLimits,
        docker_url: str | None = None,
        api_timeout: float = 15.0,
        max_connections: int = 16,
    ) -> None:
        self.image = image
        self.limits = limits
        self.owner = owner_tag()
        self.instance = uuid.uuid4().hex[:12]
        self._client_options = {"timeout": api_timeout, "max_pool_size": max_connections}
        self._docker_url = docker_url
        self._client_instance: docker.DockerClient | None = None
        self._client_lock = threading.Lock()

    @property
    def _client(self) -> docker.DockerClient:
        """The docker client, connected on first use (it asks the engine for its API version)."""
        with self._client_lock:
            if self._client_instance is None:
                try:
                    if self._docker_url:
                        self._client_instance = docker.DockerClient(
                            base_url=self._docker_url, **self._client_options
                        )
                    else:
                        self._client_instance = docker.from_env(**self._client_options)
                except INFRA_ERRORS as exc:
                    raise SandboxUnavailable(
                        "the Docker engine is not reachable; start it (e.g. `dockerd &` or "
                        f"`systemctl start docker`) and try again ({exc})"
                    ) from exc
            return self._client_instance

    # -- engine and image --------------------------------------------------------------------

    def check(self) -> str:
        """Ping the engine and find the image; return the image's Python version."""
        try:
            self._client.ping()
        except INFRA_ERRORS as exc:
            raise SandboxUnavailable(
                "the Docker engine is not reachable; start it (e.g. `dockerd &` or "
                f"`systemctl start docker`) and try again ({type(exc).__name__})"
            ) from exc
        try:
            image = self._client.images.get(self.image)
        except ImageNotFound as exc:
            raise SandboxUnavailable(
                f"the sandbox image {self.image} is missing; build it with `pydojo sandbox build`"
            ) from exc
        except INFRA_ERRORS as exc:
            raise SandboxUnavailable(f"could not inspect the sandbox image: {exc}") from exc
        return (image.labels or {}).get("pydojo.python", "unknown")

    def close(self) -> None:
        with self._client_lock:
            if self._client_instance is not None:
                self._client_instance.close()
                self._client_instance = None

    # -- containers ----------------------------------------------------------------------------

    def container_options(self) -> dict[str, Any]:
        lim = self.limits
        return {
            "command": ["python3", "-I", "-B", "-c", BOOTSTRAP],
            "stdin_open": True,
            "tty": False,
            "network_mode": "none",
            "read_only": True,
            "tmpfs": {"/tmp": f"rw,noexec,nosuid,nodev,size={lim.tmpfs_mib}m,mode=1777"},
            "working_dir": "/tmp",
            "user": "65534:65534",
            "cap_drop": ["ALL"],
            "security_opt": ["no-new-privileges:true", f"seccomp={profile_json()}"],
            "mem_limit": f"{lim.memory_mib}m",
            "memswap_limit": f"{lim.memory_mib}m",
            "pids_limit": lim.pids,
            "nano_cpus": int(lim.cpus * 1e9),
            # Under load, the host (the bot's event loop, the engine) gets the CPU first.
            "cpu_shares": 256,
            "ulimits": [
                Ulimit(name="core", soft=0, hard=0),
                Ulimit(name="nofile", soft=256, hard=256),
            ],
            "environment": {"LANG": "C.UTF-8", "HOME": "/tmp"},  # nothing from the host
            "hostname": "sandbox",
            "log_config": LogConfig(type="none"),
            "labels": {LABEL: "1", OWNER_LABEL: self.owner, INSTANCE_LABEL: self.instance},
        }

    def prepare(self) -> Prepared:
        """Create a container, attach to its stdio and start it (its bootstrap then waits)."""
        try:
            container = self._client.containers.create(self.image, **self.container_options())
        except ImageNotFound as exc:
            raise SandboxUnavailable(
                f"the sandbox image {self.image} is missing; build it with `pydojo sandbox build`"
            ) from exc
        except INFRA_ERRORS as exc:
            raise SandboxUnavailable(f"could not create a sandbox container: {exc}") from exc
        try:
            response = self._client.api.post(
                self._client.api._url("/containers/{0}/attach", container.id),
                params={"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1},
                headers={"Connection": "Upgrade", "Upgrade": "tcp"},
                stream=True,
            )
            raw = self._client.api._get_raw_response_socket(response)
            sock = getattr(raw, "_sock", raw)
            container.start()
            return Prepared(container, sock, response)
        except INFRA_ERRORS as exc:
            self.destroy(container)
            raise SandboxUnavailable(f"could not start a sandbox container: {exc}") from exc

    def destroy(self, container: Container) -> None:
        """Kill and remove; a container that is already gone is fine."""
        try:
            container.remove(force=True)
        except NotFound:
            pass
        except INFRA_ERRORS as exc:
            log.warning("could not remove sandbox container %s: %s", container.id[:12], exc)

    def reap(self, all_owners: bool = False) -> int:
        """Remove sandbox containers whose owning process is gone (or all of them)."""
        host = socket.gethostname()
        removed = 0
        # sparse: no per-container inspect, which would race with containers being removed
        for container in self._client.containers.list(all=True, sparse=True,
                                                      filters={"label": LABEL}):
            owner = (container.attrs.get("Labels") or {}).get(OWNER_LABEL, "")
            owner_host, _, pid = owner.rpartition(":")
            if not all_owners and owner_host == host and pid.isdigit() and _alive(int(pid)):
                continue
            if not all_owners and owner_host and owner_host != host:
                continue  # another machine sharing this engine: not ours to judge
            self.destroy(container)
            removed += 1
        return removed

    def list_ids(self) -> list[str]:
        """Containers this engine object made that still exist."""
        found = self._client.containers.list(
            all=True, sparse=True, filters={"label": f"{INSTANCE_LABEL}={self.instance}"})
        return [c.id for c in found]

    # -- one execution -------------------------------------------------------------------------

    def execute(
        self,
        prepared: Prepared,
        payload: bytes,
        reader: EventReader,
        limits: SandboxLimits,
        byte_cap: int,
        judge: bool,
    ) -> RawRun:
        """Send the payload and collect output until done, exit, timeout or flood.

        Judge mode stops reading at the harness's "done" event and leaves the container's exit
        to the caller's disposal; run mode reads to the end and fetches the exit status.
        """
        run = RawRun(reader=reader)
        sock = prepared.sock
        started = time.monotonic()
        deadline = started + limits.wall_seconds
        test_deadline: float | None = None
        buffer = b""
        total = 0
        try:
            sock.sendall(payload)
        except OSError as exc:
            raise SandboxUnavailable(f"could not send the program to its container: {exc}") from exc
        while not run.finished:
            now = time.monotonic()
            limit = deadline if test_deadline is None else min(deadline, test_deadline)
            if now >= limit:
                run.timed_out = True
                break
            sock.settimeout(limit - now)
            try:
                data = sock.recv(65536)
            except TimeoutError:
                continue
            except OSError as exc:
                if not run.hello:
                    raise SandboxUnavailable(f"lost the container's output: {exc}") from exc
                run.exited = True
                break
            if not data:
                run.exited = True
                break
            buffer += data
            while len(buffer) >= 8:
                size = int.from_bytes(buffer[4:8], "big")
                if len(buffer) < 8 + size:
                    break
                stream, chunk, buffer = buffer[0], buffer[8 : 8 + size], buffer[8 + size :]
                total += len(chunk)
                target = run.stdout if stream == STDOUT else run.stderr
                room = byte_cap - len(target)
                if room > 0:
                    target += chunk[:room]
                if stream != STDOUT:
                    continue
                for event in reader.feed(chunk):
                    kind = event["t"]
                    if kind == "hello":
                        run.hello = True
                    elif not judge:
                        continue  # run mode: the rest of stdout belongs to the program
                    elif kind == "start":
                        run.timeout_test = event.get("i")
                        test_deadline = time.monotonic() + limits.test_seconds + TEST_SLACK_SECONDS
                    elif kind == "done":
                        run.finished = True
                    elif "i" in event:
                        test_deadline = None
            if total > byte_cap:
                run.flooded = True
                break
        run.duration = time.monotonic() - started
        if not run.hello and not run.timed_out:
            raise SandboxUnavailable("the sandbox container stopped before running the program")
        if run.exited:
            self._collect_exit(prepared.container, run)
        return run

    def _collect_exit(self, container: Container, run: RawRun) -> None:
        try:
            status = container.wait(timeout=5)
            run.exit_code = status.get("StatusCode")
            container.reload()
            run.oom = bool(container.attrs.get("State", {}).get("OOMKilled"))
        except INFRA_ERRORS as exc:
            log.warning("could not read the exit status of %s: %s", container.short_id, exc)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
