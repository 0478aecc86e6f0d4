"""The seccomp profile of sandbox containers: Docker's own default allow-list, tightened.

The base is moby's default profile, kept as data in ``runner/profiles/`` with its source
version: a default-deny list of the system calls ordinary programs need, with conditional
rules (``personality`` only with harmless flags, ``clone`` without namespace flags, calls that
need a capability only with that capability — and the container has none). On top of it:

- ``socket`` only for ``AF_UNIX``: ``--network none`` still leaves a loopback interface;
- no ``ptrace``, ``io_uring``, ``memfd_create`` or clock adjustment, which the base allows but
  a learner's program has no use for (``memfd_create`` would also run code despite the
  ``noexec`` /tmp).

Everything the base does not list, including system calls newer than it, is refused.

Under gVisor (``runsc``) the profile filters calls into gVisor's user-space kernel, not the
host's. There ``clone3`` is allowed: gVisor answers a refused call with EPERM whatever errno the
profile asks for, so glibc would not fall back to ``clone`` and no thread could start.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

BASE = "moby-default-20.10.24.json"
SOURCE = (
    "moby v20.10.24 profiles/seccomp/default.json (Apache-2.0), as shipped by Debian's "
    "golang-github-docker-docker-dev 20.10.24+dfsg1-1+deb12u1"
)
AF_UNIX = 1
DENIED = {
    "clock_adjtime",
    "io_uring_enter",
    "io_uring_register",
    "io_uring_setup",
    "memfd_create",
    "ptrace",
    "socket",  # allowed again below, for AF_UNIX only
}


def base_profile() -> dict[str, Any]:
    text = files("runner").joinpath("profiles", BASE).read_text(encoding="utf-8")
    return json.loads(text)


def tightened(profile: dict[str, Any]) -> dict[str, Any]:
    """``profile`` without the ``DENIED`` calls, plus ``socket`` for AF_UNIX."""
    rules = []
    for rule in profile["syscalls"]:
        if rule.get("action") != "SCMP_ACT_ALLOW":
            rules.append(rule)
            continue
        names = [name for name in rule["names"] if name not in DENIED]
        if names:
            rules.append({**rule, "names": names})
    rules.append(
        {
            "names": ["socket"],
            "action": "SCMP_ACT_ALLOW",
            "args": [{"index": 0, "value": AF_UNIX, "op": "SCMP_CMP_EQ"}],
        }
    )
    return {**profile, "syscalls": rules}


def for_gvisor(profile: dict[str, Any]) -> dict[str, Any]:
    rules = [r for r in profile["syscalls"] if r.get("names") != ["clone3"]]
    rules.append({"names": ["clone3"], "action": "SCMP_ACT_ALLOW"})
    return {**profile, "syscalls": rules}


@cache
def profile_json(runtime: str = "runc") -> str:
    profile = tightened(base_profile())
    if runtime == "runsc":
        profile = for_gvisor(profile)
    return json.dumps(profile, separators=(",", ":"))
