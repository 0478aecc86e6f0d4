"""The Prometheus endpoint, scraped over HTTP on loopback, after real sandbox work."""

from __future__ import annotations

import asyncio
import urllib.request

import pytest

from bot.healthcheck import healthy
from bot.metrics import AI_CALLS, AI_TOKENS, MeteredSandbox, serve_metrics, watch_event_loop
from runner import Runner, RunnerConfig, Status
from tests.runner.conftest import ADD
from tests.servers import free_port

pytestmark = pytest.mark.docker


def scrape(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
        return response.read().decode()


def sample(text: str, name: str) -> float:
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith(name) and not line.startswith("#")
    )


async def test_metrics_after_real_judging(sandbox: None) -> None:
    port = free_port()
    assert serve_metrics(port)
    assert not serve_metrics(port)  # a taken port is reported, never fatal
    before = scrape(port)
    lag = asyncio.create_task(watch_event_loop(0.05))
    async with MeteredSandbox(Runner(RunnerConfig(pool_size=0, max_concurrency=1))) as sandbox:
        good = await sandbox.judge("def add(a, b):\n    return a + b\n", ADD)
        bad = await sandbox.judge("def add(a, b):\n    return a - b\n", ADD)
        ran = await sandbox.run("print(1)")
        assert (good.status, bad.status, ran.stdout) == (
            Status.ACCEPTED,
            Status.WRONG_ANSWER,
            "1\n",
        )
        assert await sandbox.ahead_of("anyone") is None  # in-process: no queue positions
    await asyncio.sleep(0.2)
    lag.cancel()
    AI_CALLS.labels(kind="hint", outcome="ok").inc()
    AI_TOKENS.labels(direction="input").inc(120)
    after = scrape(port)

    def grew(name: str) -> float:
        return sample(after, name) - sample(before, name)

    assert grew('pydojo_verdicts_total{status="accepted"}') == 1
    assert grew('pydojo_verdicts_total{status="wrong_answer"}') == 1
    assert grew('pydojo_runs_total{status="ok"}') == 1
    assert grew("pydojo_judge_seconds_count") == 2
    assert grew("pydojo_event_loop_lag_seconds_count") >= 1
    assert grew('pydojo_ai_tokens_total{direction="input"}') == 120
    assert healthy(port) is None  # the container health check: the loop woke up recently
    assert "not answering" in (healthy(free_port()) or "")
    for family in (
        "pydojo_queue_depth",
        "pydojo_sandbox_errors",
        "pydojo_queue_wait_seconds",
        "pydojo_jobs_in_flight",
        "pydojo_queue_workers",
        "pydojo_ai_calls",
    ):
        assert f"# TYPE {family}" in after
