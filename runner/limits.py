"""Resource limits for one sandboxed submission. Defaults are documented in the README."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class SandboxLimits(BaseModel):
    """Caps applied to every container, and how it is isolated; each can be overridden from the
    environment (``PYDOJO_SANDBOX__<NAME>``)."""

    memory_mib: int = Field(128, ge=16, description="RAM cap; swap is set equal, so no swap")
    pids: int = Field(64, ge=8, description="processes and threads inside the container")
    cpus: float = Field(1.0, gt=0, description="CPU cores the container may use")
    wall_seconds: float = Field(5.0, gt=0, description="wall time for a whole submission")
    test_seconds: float = Field(2.0, gt=0, description="wall time for one test case")
    output_bytes: int = Field(64 * 1024, ge=1024, description="stdout+stderr of the user's code")
    tmpfs_mib: int = Field(16, ge=1, description="size of the writable, noexec /tmp")
    idle_seconds: float = Field(
        60.0, ge=5, description="a pre-started container waiting longer than this ends itself"
    )
    runtime: Literal["runc", "runsc"] = Field(
        "runc", description="container runtime: runc, or runsc for gVisor's user-space kernel"
    )

    def for_problem(self, test_seconds: float | None) -> SandboxLimits:
        """Limits with a problem's own per-test time, never above the submission's wall time."""
        if test_seconds is None:
            return self
        return self.model_copy(update={"test_seconds": min(test_seconds, self.wall_seconds)})
