"""A seccomp profile for sandbox containers: Docker's protections plus no network sockets.

``--network none`` still leaves a loopback interface, so the profile refuses every socket
family but AF_UNIX (which Python's own machinery may use). It also refuses the kernel surfaces
an unprivileged process has no business with (namespaces, mounts, keyrings, BPF, ptrace...),
which Docker's default profile would otherwise have covered.
"""

from __future__ import annotations

import json
from functools import cache

EPERM, ENOSYS = 1, 38
AF_UNIX = 1
# clone(2) flags that create namespaces; each gets its own rule because rules are OR-ed.
CLONE_NAMESPACE_FLAGS = (
    0x00020000,  # CLONE_NEWNS
    0x02000000,  # CLONE_NEWCGROUP
    0x04000000,  # CLONE_NEWUTS
    0x08000000,  # CLONE_NEWIPC
    0x10000000,  # CLONE_NEWUSER
    0x20000000,  # CLONE_NEWPID
    0x40000000,  # CLONE_NEWNET
)
DENIED = [
    "acct", "add_key", "bpf", "clock_adjtime", "clock_settime", "delete_module",
    "fanotify_init", "finit_module", "fsconfig", "fsmount", "fsopen", "fspick",
    "init_module", "io_uring_enter", "io_uring_register", "io_uring_setup", "ioperm", "iopl",
    "kcmp", "kexec_file_load", "kexec_load", "keyctl", "lookup_dcookie", "mount",
    "mount_setattr", "move_mount", "name_to_handle_at", "open_by_handle_at", "open_tree",
    "perf_event_open", "pivot_root", "process_vm_readv", "process_vm_writev", "ptrace",
    "quotactl", "reboot", "request_key", "setns", "settimeofday", "swapoff", "swapon",
    "syslog", "umount2", "unshare", "userfaultfd", "vhangup",
]  # fmt: skip


@cache
def profile_json() -> str:
    rules: list[dict[str, object]] = [
        {"names": DENIED, "action": "SCMP_ACT_ERRNO", "errnoRet": EPERM},
        {
            "names": ["socket"],
            "action": "SCMP_ACT_ERRNO",
            "errnoRet": EPERM,
            "args": [{"index": 0, "value": AF_UNIX, "op": "SCMP_CMP_NE"}],
        },
        # glibc falls back from clone3 to clone, whose flags the rules below can inspect.
        {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": ENOSYS},
    ]
    rules += [
        {
            "names": ["clone"],
            "action": "SCMP_ACT_ERRNO",
            "errnoRet": EPERM,
            "args": [{"index": 0, "value": flag, "valueTwo": flag, "op": "SCMP_CMP_MASKED_EQ"}],
        }
        for flag in CLONE_NAMESPACE_FLAGS
    ]
    return json.dumps({"defaultAction": "SCMP_ACT_ALLOW", "syscalls": rules})
