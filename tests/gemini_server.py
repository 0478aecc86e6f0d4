"""A fake Gemini API on 127.0.0.1 for the real google-genai client.

Replies are scripted in order (optionally for one model only); every request is recorded, so
tests assert on exactly what Google would have received: the model, the system instruction,
the turns, the data sections.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PATH = re.compile(r"^/v1beta/models/(?P<model>[^:/]+):generateContent$")


@dataclass
class Received:
    model: str
    api_key: str
    body: dict[str, Any]

    @property
    def system(self) -> str:
        parts = (self.body.get("systemInstruction") or {}).get("parts") or []
        return "".join(p.get("text", "") for p in parts)

    @property
    def turns(self) -> list[tuple[str, str]]:
        return [
            (c.get("role", ""), "".join(p.get("text", "") for p in c.get("parts", [])))
            for c in self.body.get("contents", [])
        ]

    @property
    def text(self) -> str:
        """The last user turn."""
        return next(t for role, t in reversed(self.turns) if role == "user")

    @property
    def everything(self) -> str:
        return self.system + "\n" + "\n".join(t for _, t in self.turns)

    def sections(self, name: str) -> list[str]:
        """The bodies of every data section called ``name``, in every turn."""
        return [
            m.group(2)
            for m in re.finditer(rf"<<<{name} (\w+)\n(.*?)\n{name} \1>>>", self.everything, re.S)
        ]

    def outside_sections(self) -> str:
        """Everything sent, with the data sections cut out."""
        return re.sub(r"<<<(\w+) (\w+)\n.*?\n\1 \2>>>", "[data]", self.everything, flags=re.S)

    @property
    def generation(self) -> dict[str, Any]:
        return self.body.get("generationConfig") or {}


@dataclass
class Reply:
    status: int
    payload: dict[str, Any]
    model: str | None = None  # only for requests to this model
    hang: bool = False  # wait until the server closes: a request that never answers


def answer(
    text: str, *, prompt_tokens: int = 120, output_tokens: int = 60, finish: str = "STOP"
) -> dict[str, Any]:
    return {
        "candidates": [
            {
                "content": {"role": "model", "parts": [{"text": text}]},
                "finishReason": finish,
                "index": 0,
            }
        ],
        "usageMetadata": {
            "promptTokenCount": prompt_tokens,
            "candidatesTokenCount": output_tokens,
            "totalTokenCount": prompt_tokens + output_tokens,
        },
    }


def quota_error(per: str = "minute", retry: str = "22s") -> dict[str, Any]:
    quota = {
        "minute": "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
        "day": "GenerateRequestsPerDayPerProjectPerModel-FreeTier",
    }[per]
    return {
        "error": {
            "code": 429,
            "status": "RESOURCE_EXHAUSTED",
            "message": "You exceeded your current quota.",
            "details": [
                {
                    "@type": "type.googleapis.com/google.rpc.QuotaFailure",
                    "violations": [
                        {
                            "quotaMetric": "generativelanguage.googleapis.com/"
                            "generate_content_free_tier_requests",
                            "quotaId": quota,
                        }
                    ],
                },
                {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": retry},
            ],
        }
    }


@dataclass
class FakeGemini:
    script: list[Reply] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    fallback: Callable[[Received], Reply] | None = None  # when nothing scripted matches

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._closing = threading.Event()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                found = PATH.match(self.path.split("?")[0])
                model = found["model"] if found else ""
                received = Received(model, self.headers.get("x-goog-api-key", ""), body)
                reply = fake._next(received)
                if reply.hang:
                    fake._closing.wait(60)
                    return
                data = json.dumps(reply.payload).encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (a timeout test)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def _next(self, received: Received) -> Reply:
        with self._lock:
            self.received.append(received)
            for index, reply in enumerate(self.script):
                if reply.model in (None, received.model):
                    return self.script.pop(index)
        if self.fallback is not None:
            return self.fallback(received)
        return Reply(
            500,
            {
                "error": {
                    "code": 500,
                    "status": "INTERNAL",
                    "message": "fake Gemini: nothing scripted",
                }
            },
        )

    # -- scripting -----------------------------------------------------------------------------

    def reply(self, text: str, *, model: str | None = None, **usage: Any) -> None:
        self.script.append(Reply(200, answer(text, **usage), model))

    def reply_json(self, value: Any, *, model: str | None = None, **usage: Any) -> None:
        self.reply(json.dumps(value), model=model, **usage)

    def error(
        self,
        status: int,
        message: str = "",
        *,
        model: str | None = None,
        payload: dict[str, Any] | None = None,
    ) -> None:
        states = {
            400: "INVALID_ARGUMENT",
            403: "PERMISSION_DENIED",
            404: "NOT_FOUND",
            500: "INTERNAL",
            503: "UNAVAILABLE",
        }
        body = payload or {
            "error": {
                "code": status,
                "message": message or "error",
                "status": states.get(status, "UNKNOWN"),
            }
        }
        self.script.append(Reply(status, body, model))

    def quota(self, per: str = "minute", *, retry: str = "22s", model: str | None = None) -> None:
        self.script.append(Reply(429, quota_error(per, retry), model))

    def blocked_prompt(self, *, model: str | None = None) -> None:
        self.script.append(
            Reply(
                200,
                {
                    "promptFeedback": {"blockReason": "SAFETY"},
                    "usageMetadata": {"promptTokenCount": 40},
                },
                model,
            )
        )

    def blocked_answer(self, *, model: str | None = None) -> None:
        self.script.append(
            Reply(
                200,
                {
                    "candidates": [{"finishReason": "SAFETY", "index": 0}],
                    "usageMetadata": {"promptTokenCount": 40, "totalTokenCount": 40},
                },
                model,
            )
        )

    def truncated(self, text: str, *, model: str | None = None) -> None:
        self.script.append(Reply(200, answer(text, finish="MAX_TOKENS"), model))

    def hang(self, *, model: str | None = None) -> None:
        self.script.append(Reply(200, {}, model, hang=True))

    def close(self) -> None:
        self._closing.set()
        self.server.shutdown()
        self.server.server_close()
