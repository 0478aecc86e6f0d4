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
from docker.errors import APIError, DockerException, ImageNotFound, NotFound
from docker.models.containers import Container
from docker.types import LogConfig, Ulimit

from .limits import SandboxLimits
from .protocol import Done, EventReader, Hello, Stopped, command
from .seccomp import profile_json

log = logging.getLogger(__name__)

LABEL = "pydojo.sandbox"  # every sandbox container carries it; `docker ps -a --filter label=...`
OWNER_LABEL = "pydojo.owner"  # which process start made it (unique, for people and tests)
INSTANCE_LABEL = "pydojo.instance"  # which Engine object made it
LIFETIME_LABEL = "pydojo.lifetime"  # seconds after creation by which it has ended by itself
STDOUT, STDERR = 1, 2
HOST_SLACK_SECONDS = 2.0  # the supervisor enforces every limit; the host waits this much longer
READY_SECONDS = 10.0  # as the supervisor's: the learner's interpreter may start slowly
REAP_GRACE_SECONDS = 30.0  # past its lifetime, a container is an orphan whatever its owner
LEGACY_REAP_SECONDS = 600.0  # containers without a lifetime label (older versions)
HARNESS_MIB = 96  # the supervisor, the payload and the interpreters' files, beyond the learner's

# Engine and transport failures: never the user's fault.
INFRA_ERRORS = (DockerException, requests.exceptions.RequestException, OSError)

_OWNER = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


class SandboxUnavailable(Exception):
    """The engine, the image or a container failed; the message says how to fix it."""


def owner_tag() -> str:
    """This process start's identity: unique even where PIDs and hostnames repeat."""
    return _OWNER


@dataclass
class Prepared:
    """A started container whose bootstrap is waiting for its payload on stdin."""

    container: Container
    sock: socket.socket
    response: Any  # keeps the attach connection alive until closed
    created_at: float = field(default_factory=time.monotonic)

    def fresh(self, idle_seconds: float) -> bool:
        """Still well inside the idle limit after which its supervisor ends it."""
        return time.monotonic() - self.created_at < 0.75 * idle_seconds

    def close_stream(self) -> None:
        for closer in (self.sock.close, self.response.close):
            with contextlib.suppress(Exception):  # already closed: nothing to release
                closer()


@dataclass
class RawRun:
    """What came out of one container, before any judging."""

    reader: EventReader
    hello: bool = False
    finished: bool = False  # the supervisor said "done"
    exited: bool = False  # the stream ended (the container stopped)
    timed_out: bool = False  # the host's own deadline passed
    flooded: bool = False  # more bytes than the supervisor could legitimately send
    duration: float = 0.0
    stderr: bytes = b""  # the supervisor's own stderr (its crash, if it crashed), trimmed

    @property
    def python(self) -> str | None:
        return next((e.python for e in self.reader.events if isinstance(e, Hello)), None)

    @property
    def unready(self) -> bool:
        """The learner's interpreter never came up: the machine, not the learner, failed."""
        return any(isinstance(e, Stopped) and e.t == "unready" for e in self.reader.events)

    @property
    def peak_bytes(self) -> int | None:
        return next((e.peak for e in self.reader.events if isinstance(e, Done)), None)


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
        """Ping the engine, find the image and the runtime; return the image's Python version."""
        try:
            self._client.ping()
        except INFRA_ERRORS as exc:
            raise SandboxUnavailable(
                "the Docker engine is not reachable; start it (e.g. `dockerd &` or "
                f"`systemctl start docker`) and try again ({type(exc).__name__})"
            ) from exc
        runtime = self.limits.runtime
        if runtime != "runc":
            try:
                runtimes = self._client.info().get("Runtimes") or {}
            except INFRA_ERRORS as exc:
                raise SandboxUnavailable(
                    f"could not ask the engine for its runtimes: {exc}"
                ) from exc
            if runtime not in runtimes:
                raise SandboxUnavailable(
                    f"the Docker engine has no runtime {runtime!r}; add it to "
                    "/etc/docker/daemon.json and restart dockerd (`scripts/setup.sh --gvisor` "
                    "does it for runsc)"
                )
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

    @property
    def lifetime(self) -> float:
        """Seconds after which any container of ours has ended by itself."""
        lim = self.limits
        return lim.idle_seconds + READY_SECONDS + lim.wall_seconds + 2 * HOST_SLACK_SECONDS

    def container_options(self) -> dict[str, Any]:
        lim = self.limits
        memory = f"{lim.memory_mib + HARNESS_MIB}m"
        options: dict[str, Any] = {
            "command": command(lim.idle_seconds),
            "stdin_open": True,
            "tty": False,
            "network_mode": "none",
            "read_only": True,
            "tmpfs": {"/tmp": f"rw,noexec,nosuid,nodev,size={lim.tmpfs_mib}m,mode=1777"},
            "working_dir": "/tmp",
            # The supervisor starts as root with only these two, to run the learner's process as
            # another user than itself; it drops them before any submission arrives.
            "user": "0:0",
            "cap_drop": ["ALL"],
            "cap_add": ["SETUID", "SETGID"],
            "security_opt": ["no-new-privileges:true", f"seccomp={profile_json(lim.runtime)}"],
            "mem_limit": memory,
            "memswap_limit": memory,
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
            "auto_remove": True,  # its supervisor ends it; the engine then removes it
            "labels": {
                LABEL: "1",
                OWNER_LABEL: self.owner,
                INSTANCE_LABEL: self.instance,
                LIFETIME_LABEL: f"{self.lifetime:g}",
            },
        }
        if lim.runtime != "runc":
            options["runtime"] = lim.runtime
        return options

    def prepare(self) -> Prepared:
        """Create a container, attach to its stdio and start it (its supervisor then waits)."""
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
        except BaseException:  # whatever stopped it, a created container must not stay behind
            self.destroy(container)
            raise

    def destroy(self, container: Container) -> None:
        """Kill and remove; a container that is already gone (or going) is fine."""
        try:
            container.remove(force=True)
        except NotFound:
            pass
        except APIError as exc:
            if exc.status_code not in (404, 409):  # 409: the engine is already removing it
                log.warning("could not remove sandbox container %s: %s", container.id[:12], exc)
        except INFRA_ERRORS as exc:
            log.warning("could not remove sandbox container %s: %s", container.id[:12], exc)

    def reap(self, all_owners: bool = False, grace: float = REAP_GRACE_SECONDS) -> int:
        """Remove sandbox containers past their lifetime (or all of them).

        Every container ends by itself within its lifetime, and no process uses one past it,
        so age alone tells an orphan — whichever process, PID namespace or machine made it.
        """
        removed = 0
        now = time.time()
        # sparse: no per-container inspect, which would race with containers being removed
        for container in self._client.containers.list(
            all=True, sparse=True, filters={"label": LABEL}
        ):
            labels = container.attrs.get("Labels") or {}
            created = container.attrs.get("Created")
            if not all_owners:
                try:
                    lifetime = float(labels.get(LIFETIME_LABEL, LEGACY_REAP_SECONDS))
                    age = now - float(created)
                except (TypeError, ValueError):
                    continue
                if age <= lifetime + grace:
                    continue
            self.destroy(container)
            removed += 1
        return removed

    def list_ids(self) -> list[str]:
        """Containers this engine object made that still exist."""
        return [c.id for c in self._own_containers()]

    def _own_containers(self) -> list[Container]:
        return self._client.containers.list(
            all=True, sparse=True, filters={"label": f"{INSTANCE_LABEL}={self.instance}"}
        )

    def remove_leftovers(self) -> int:
        """Remove whatever this engine object made that still exists: called once its work is
        over, this catches a container whose creation outlived the request that asked for it."""
        if self._client_instance is None:
            return 0  # it never reached the engine, so it made nothing
        try:
            found = self._own_containers()
        except INFRA_ERRORS as exc:
            log.warning("could not list sandbox containers: %s", exc)
            return 0
        for container in found:
            self.destroy(container)
        return len(found)

    # -- one execution -------------------------------------------------------------------------

    def execute(
        self,
        prepared: Prepared,
        payload: bytes,
        reader: EventReader,
        wall_seconds: float,
        byte_cap: int,
    ) -> RawRun:
        """Send the payload and collect events until "done", the end of the stream, the
        host's own deadline or more bytes than the supervisor would ever send."""
        run = RawRun(reader=reader)
        sock = prepared.sock
        started = time.monotonic()
        try:
            sock.settimeout(READY_SECONDS + wall_seconds + HOST_SLACK_SECONDS)
            sock.sendall(payload)
        except OSError as exc:
            raise SandboxUnavailable(f"could not send the program to its container: {exc}") from exc
        deadline = time.monotonic() + READY_SECONDS + wall_seconds + HOST_SLACK_SECONDS
        buffer = bytearray()
        total = 0
        stderr = bytearray()
        while not run.finished:
            left = deadline - time.monotonic()
            if left <= 0:
                run.timed_out = True
                break
            sock.settimeout(left)
            try:
                data = sock.recv(1 << 20)
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
                stream, chunk = buffer[0], bytes(buffer[8 : 8 + size])
                del buffer[: 8 + size]
                total += size
                if stream != STDOUT:
                    stderr += chunk[: max(0, 4096 - len(stderr))]
                    continue
                for event in reader.feed(chunk):
                    if isinstance(event, Hello):
                        run.hello = True
                    elif isinstance(event, Done):
                        run.finished = True
            if total > byte_cap or reader.garbled:
                run.flooded = total > byte_cap
                break
        run.duration = time.monotonic() - started
        run.stderr = bytes(stderr)
        if not run.hello:  # the payload never reached a working supervisor: not the learner's doing
            raise SandboxUnavailable(
                "the sandbox container stopped before running the program"
                + (f": {run.stderr.decode('utf-8', 'replace')[-300:]}" if run.stderr else "")
            )
        return run
