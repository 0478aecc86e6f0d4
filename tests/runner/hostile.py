"""Judging in a child process, so a test can bound what one hostile submission costs the host.

``python -m tests.runner.hostile`` reads ``{"source", "spec", "runtime", "kind"}`` as JSON on
stdin, judges (or runs) once and prints the result with the process's own CPU seconds and
peak memory.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from runner import JudgeSpec, Runner, RunnerConfig, RunResult, SandboxLimits, Verdict
from runner.engine import owner_tag

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Judged:
    result: Any  # Verdict or RunResult
    cpu_seconds: float  # user + system CPU of the judging process
    peak_mib: float  # its peak resident memory


def judge_in_child(
    source: str, spec: JudgeSpec | None, runtime: str = "runc", stdin: str = ""
) -> Judged:
    """Judge ``source`` against ``spec`` (or run it, without a spec) in a fresh process."""
    request = {
        "source": source,
        "spec": spec.model_dump(mode="json") if spec else None,
        "runtime": runtime,
        "stdin": stdin,
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.runner.hostile"],
        cwd=ROOT,
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        raise AssertionError(f"the judging process failed:\n{done.stderr[-3000:]}")
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    model = Verdict if spec is not None else RunResult
    return Judged(model.model_validate(answer["result"]), answer["cpu"], answer["peak_mib"])


async def _main() -> None:
    request = json.loads(sys.stdin.read())
    limits = SandboxLimits(runtime=request["runtime"])
    print(json.dumps({"owner": owner_tag()}), flush=True)
    async with Runner(RunnerConfig(pool_size=0, limits=limits)) as runner:
        if request["spec"] is not None:
            spec = JudgeSpec.model_validate(request["spec"])
            result = await runner.judge(request["source"], spec)
        else:
            result = await runner.run(request["source"], request["stdin"])
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps(
            {
                "result": result.model_dump(mode="json"),
                "cpu": usage.ru_utime + usage.ru_stime,
                "peak_mib": usage.ru_maxrss / 1024,
            }
        )
    )


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    asyncio.run(_main())
