"""`pydojo doctor` against real things: the engine, SQLite, Redis and runner workers, and the
real discord.py and google-genai clients talking to fake Discord and Google servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
import base64
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import discord
import pytest

from bot.db import Database
from bot.doctor import MESSAGE_CONTENT_FLAGS, Check, Doctor, token_shape
from bot.settings import Settings
from tests.servers import RedisServer, WorkerProcess, free_port

USER_ID = base64.urlsafe_b64encode(b"1234567890123456789").decode().rstrip("=")
TOKEN = f"{USER_ID}.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB"


def by_name(checks: list[Check]) -> dict[str, Check]:
    return {check.name: check for check in checks}


def settings(tmp_path: Path, **values: Any) -> Settings:
    return Settings(data_dir=tmp_path, _env_file=None, **values)


class FakeApi:
    """A tiny HTTP server: path -> (status, JSON body); records what it was asked."""

    def __init__(self, routes: dict[str, tuple[int, Any]]) -> None:
        self.routes = routes
        self.seen: list[tuple[str, dict[str, str]]] = []
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                api.seen.append((path, dict(self.headers)))
                status, body = api.routes.get(path, (404, {"message": "not found"}))
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_discord(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeApi]:
    api = FakeApi(
        {
            "/api/v10/users/@me": (
                200,
                {
                    "id": "1234567890123456789",
                    "username": "pydojo",
                    "discriminator": "0",
                    "avatar": None,
                    "bot": True,
                },
            ),
            "/api/v10/oauth2/applications/@me": (
                200,
                {"id": "42", "name": "pydojo", "flags": 1 << 18},
            ),
        }
    )
    monkeypatch.setattr(discord.http.Route, "BASE", f"{api.url}/api/v10")
    yield api
    api.close()


def test_token_shape() -> None:
    assert token_shape(TOKEN) is None
    assert "three parts" in (token_shape("abc") or "")
    assert "base64" in (token_shape("!!!.b.c") or "")
    assert "user id" in (token_shape(base64.b64encode(b"hello").decode() + ".b.c") or "")


async def test_offline_in_process_setup(tmp_path: Path, sandbox: None) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'pydojo.sqlite3'}")
    await db.migrate()
    await db.close()
    checks = by_name(await Doctor(settings(tmp_path, discord_token=TOKEN), offline=True).checks())
    assert checks["Discord token"].ok is True
    assert checks["Discord login"].ok is None and "offline" in checks["Discord login"].detail
    assert checks["Message Content intent"].ok is None  # cannot be known without Discord
    assert checks["Docker engine"].ok is True
    assert checks["sandbox image"].ok is True and "Python 3" in checks["sandbox image"].detail
    assert checks["container runtime"].ok is True and "runc" in checks["container runtime"].detail
    gvisor = Doctor(settings(tmp_path, sandbox={"runtime": "runsc"}), offline=True)
    runtime = by_name(await gvisor.sandbox()).get("container runtime")
    if runtime is not None and not runtime.ok:  # this engine has no runsc registered
        assert "runsc" in runtime.fix
    assert checks["database"].ok is True and "migrated" in checks["database"].detail
    assert checks["job queue"].ok is True and "not used" in checks["job queue"].detail
    assert checks["Gemini key"].ok is True


async def test_problems_come_with_their_fix(tmp_path: Path, redis_server: RedisServer) -> None:
    (tmp_path / "pydojo.sqlite3").write_bytes(b"")  # a database file nobody migrated
    found = await Doctor(
        settings(
            tmp_path,
            discord_token="not-a-token",
            sandbox_image="pydojo-missing:0",
            queue_url=redis_server.url,
            queue_name="doctor-empty",
        ),
        offline=True,
    ).checks()
    checks = by_name(found)
    assert checks["Discord token"].ok is False and "Reset Token" in checks["Discord token"].fix
    assert checks["database"].ok is False and "migrates" in checks["database"].fix
    assert checks["job queue"].ok is False and "runner serve" in checks["job queue"].fix
    # queue mode: the bot itself needs no engine, whatever this machine has
    assert checks["Docker engine"].ok is True
    for check in found:
        if check.ok is False:
            assert check.render().startswith("✗") and "fix:" in check.render()

    nothing = free_port()
    checks = by_name(
        await Doctor(
            settings(tmp_path, queue_url=f"redis://127.0.0.1:{nothing}"), offline=True
        ).checks()
    )
    assert checks["job queue"].ok is False and "not reachable" in checks["job queue"].detail


async def test_missing_image_and_engine(tmp_path: Path, sandbox: None) -> None:
    doctor = Doctor(settings(tmp_path, sandbox_image="pydojo-missing:0"), offline=True)
    checks = by_name(await doctor.sandbox())
    assert checks["sandbox image"].ok is False and "sandbox build" in checks["sandbox image"].fix
    doctor = Doctor(settings(tmp_path, docker_url=f"tcp://127.0.0.1:{free_port()}"), offline=True)
    checks = by_name(await doctor.sandbox())
    assert checks["Docker engine"].ok is False and "DOCKER_HOST" in checks["Docker engine"].fix


async def test_workers_alive(tmp_path: Path, redis_server: RedisServer, sandbox: None) -> None:
    worker = WorkerProcess(
        redis_server.url, tmp_path / "w", extra_env={"PYDOJO_QUEUE_NAME": "doctor-live"}
    )
    try:
        doctor = Doctor(
            settings(tmp_path, queue_url=redis_server.url, queue_name="doctor-live"), offline=True
        )
        for _ in range(600):
            check = await doctor.queue()
            if check.ok:
                break
            assert worker.process.poll() is None, worker.log()
            await asyncio.sleep(0.2)
        assert check.ok is True, check
        assert "1 worker(s) alive" in check.detail and "Python 3" in check.detail
    finally:
        assert worker.terminate() == 0, worker.log()


async def test_discord_login_and_intent(tmp_path: Path, fake_discord: FakeApi) -> None:
    doctor = Doctor(settings(tmp_path, discord_token=TOKEN))
    login, intent = await doctor.discord()
    assert login.ok is True and "pydojo" in login.detail
    assert intent.ok is True
    assert any(headers.get("Authorization") == f"Bot {TOKEN}" for _, headers in fake_discord.seen)

    fake_discord.routes["/api/v10/oauth2/applications/@me"] = (200, {"id": "42", "flags": 0})
    login, intent = await doctor.discord()
    assert intent.ok is False and "Message Content" in intent.fix
    assert not (0 & MESSAGE_CONTENT_FLAGS)

    fake_discord.routes["/api/v10/users/@me"] = (401, {"message": "401: Unauthorized", "code": 0})
    login, _ = await doctor.discord()
    assert login.ok is False and "rejected" in login.detail


async def test_discord_unreachable_is_not_verified(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(discord.http.Route, "BASE", f"http://127.0.0.1:{free_port()}/api/v10")
    login, _ = await Doctor(settings(tmp_path, discord_token=TOKEN)).discord()
    assert login.ok is None and "could not reach Discord" in login.detail


async def test_gemini_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GEMINI_API_KEY", "GOOGLE_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    google = FakeApi({"/v1beta/models": (200, {"models": [{"name": "models/gemini-x"}]})})
    try:
        doctor = Doctor(settings(tmp_path, gemini_api_key="good"), gemini_base_url=google.url)
        assert (await doctor.gemini()).ok is True
        assert google.seen[-1][1].get("x-goog-api-key") == "good"
        google.routes["/v1beta/models"] = (
            400,
            {
                "error": {
                    "code": 400,
                    "message": "API key not valid. Please pass a valid API key.",
                    "status": "INVALID_ARGUMENT",
                }
            },
        )
        bad = await doctor.gemini()
        assert bad.ok is False and "aistudio" in bad.fix
    finally:
        google.close()
    gone = Doctor(
        settings(tmp_path, gemini_api_key="k"),
        gemini_base_url=f"http://127.0.0.1:{free_port()}",
        timeout=3,
    )
    unsure = await gone.gemini()
    assert unsure.ok is None and "could not verify" in unsure.detail
    offline = await Doctor(settings(tmp_path, gemini_api_key="k"), offline=True).gemini()
    assert offline.ok is None and "offline" in offline.detail


def test_the_command(tmp_path: Path, sandbox: None) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "PYDOJO_DATA_DIR": str(tmp_path),
        "DISCORD_TOKEN": TOKEN,
        "HOME": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", "doctor", "--offline"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("✓ Discord token")
    assert all(line[0] in "✓?" for line in lines if line and not line.startswith((" ", "0", "all")))
    assert "not verified" in done.stdout and "INFO" not in done.stdout + done.stderr
