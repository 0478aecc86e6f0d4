"""The language model behind a small interface: Gemini through google-genai.

One ``generate`` call routes between a primary and a cheaper fallback model, cools down a model
that answered 429 (until its per-minute window passes, or until the per-day quota resets),
retries transient failures at most twice with backoff, and is bounded by one deadline. Every
failure ends in ``ModelFailed`` with an ``Outcome`` the tutor turns into curated content and a
friendly note; every request made is reported, for the usage records.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Literal, Protocol
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from bot.services.clock import Clock, utc_now

from .config import TutorSettings

log = logging.getLogger(__name__)

QUOTA_RESETS_IN = ZoneInfo("America/Los_Angeles")  # Gemini's daily quotas reset at its midnight
MINUTE_COOLDOWN = 60.0  # when a per-minute 429 gives no RetryInfo
UNKNOWN_MODEL_COOLDOWN = 3600.0


class Outcome(StrEnum):
    OK = "ok"
    QUOTA_MINUTE = "quota_minute"
    QUOTA_DAY = "quota_day"
    TIMEOUT = "timeout"
    SERVER = "server_error"
    TRANSPORT = "transport"
    BLOCKED_PROMPT = "blocked_prompt"
    BLOCKED_ANSWER = "blocked_answer"
    TRUNCATED = "truncated"
    BAD_OUTPUT = "bad_output"
    UNKNOWN_MODEL = "unknown_model"
    REJECTED = "rejected"  # any other 4xx: a bad key, a request the API refuses

    @property
    def transient(self) -> bool:
        """Worth another attempt within the same answer."""
        return self in (Outcome.TIMEOUT, Outcome.SERVER, Outcome.TRANSPORT)


@dataclass(frozen=True)
class Turn:
    role: Literal["user", "model"]
    text: str


@dataclass(frozen=True)
class ModelRequest:
    feature: str  # hint | explain | review | ask | variant
    system: str
    turns: tuple[Turn, ...]
    schema: type[BaseModel] | None = None  # structured output, parsed into this model
    max_output_tokens: int = 2048  # thinking tokens count against it too
    temperature: float = 0.4
    total_seconds: float | None = None  # instead of the setting (background work may wait)


@dataclass(frozen=True)
class Attempt:
    """One HTTP request to one model."""

    model: str
    outcome: Outcome
    prompt_tokens: int = 0
    output_tokens: int = 0
    latency_ms: int = 0


@dataclass(frozen=True)
class ModelAnswer:
    text: str
    parsed: BaseModel | None
    model: str
    attempts: tuple[Attempt, ...]


class ModelFailed(Exception):
    def __init__(self, outcome: Outcome, detail: str, attempts: tuple[Attempt, ...] = ()) -> None:
        super().__init__(f"{outcome.value}: {detail}")
        self.outcome = outcome
        self.detail = detail
        self.attempts = attempts


class LanguageModel(Protocol):
    async def generate(self, request: ModelRequest) -> ModelAnswer: ...

    async def close(self) -> None: ...


@dataclass
class _Cooling:
    until: float  # monotonic seconds
    outcome: Outcome


def quota_kind(details: Any) -> tuple[Outcome, float | None]:
    """Per-minute or per-day, and the suggested wait, from a 429's ``error.details``."""
    error = details.get("error", details) if isinstance(details, dict) else {}
    items = error.get("details") or [] if isinstance(error, dict) else []
    delay = None
    daily = False
    for item in items:
        if not isinstance(item, dict):
            continue
        kind = str(item.get("@type", ""))
        if kind.endswith("RetryInfo"):
            delay = _seconds(str(item.get("retryDelay", "")))
        if kind.endswith("QuotaFailure"):
            for violation in item.get("violations") or []:
                names = f"{violation.get('quotaId', '')} {violation.get('quotaMetric', '')}"
                daily |= "perday" in names.lower().replace("_", "")
    return (Outcome.QUOTA_DAY if daily else Outcome.QUOTA_MINUTE), delay


def _seconds(text: str) -> float | None:
    found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)s\s*", text)
    return float(found.group(1)) if found else None


def next_quota_reset(now: datetime) -> datetime:
    local = now.astimezone(QUOTA_RESETS_IN)
    midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time())
    return midnight.replace(tzinfo=QUOTA_RESETS_IN)


@dataclass
class GeminiModel:
    """google-genai's async client, one per process (the client must outlive its calls)."""

    api_key: str
    settings: TutorSettings
    monotonic: Callable[[], float] = time.monotonic
    clock: Clock = utc_now
    sleep: Callable[[float], Any] = asyncio.sleep
    _cooling: dict[str, _Cooling] = field(default_factory=dict)
    _client: Any = None

    def __post_init__(self) -> None:
        from google import genai
        from google.genai import types

        options = types.HttpOptions(
            api_version="v1beta",  # the SDK's own default moved to v1, where features differ
            base_url=self.settings.base_url,
            timeout=round(self.settings.request_seconds * 1000),
            retry_options=types.HttpRetryOptions(attempts=1),  # retries are ours, bounded
        )
        self._client = genai.Client(api_key=self.api_key, http_options=options)

    @property
    def models(self) -> list[str]:
        names = [self.settings.primary_model, self.settings.fallback_model]
        return list(dict.fromkeys(n for n in names if n))

    def cooling(self) -> dict[str, Outcome]:
        """Models that will not be asked now, and why."""
        now = self.monotonic()
        return {m: c.outcome for m, c in self._cooling.items() if c.until > now}

    def _cool(self, model: str, outcome: Outcome, seconds: float) -> None:
        self._cooling[model] = _Cooling(self.monotonic() + max(1.0, seconds), outcome)

    def _available(self, failed: list[str]) -> list[str]:
        """Models to try, the ones that failed in this answer last."""
        cooling = self.cooling()
        ready = [m for m in self.models if m not in cooling]
        return sorted(ready, key=failed.count)

    async def generate(self, request: ModelRequest) -> ModelAnswer:
        attempts: list[Attempt] = []
        failed: list[str] = []
        total = request.total_seconds or self.settings.total_seconds
        try:
            async with asyncio.timeout(total):
                return await self._route(request, attempts, failed)
        except TimeoutError:
            if not attempts or attempts[-1].outcome is not Outcome.TIMEOUT:
                attempts.append(Attempt(failed[-1] if failed else self.models[0], Outcome.TIMEOUT))
            raise ModelFailed(
                Outcome.TIMEOUT, f"no answer within {total:g} s", tuple(attempts)
            ) from None

    async def _route(
        self, request: ModelRequest, attempts: list[Attempt], failed: list[str]
    ) -> ModelAnswer:
        last: ModelFailed | None = None
        for number in range(self.settings.retries + 1):
            available = self._available(failed)
            if not available:
                break
            model = available[0]
            try:
                return await self._once(model, request, attempts)
            except ModelFailed as exc:
                last = exc
                failed.append(model)
                if exc.outcome.transient and number < self.settings.retries:
                    await self.sleep(self.settings.backoff_seconds * 2**number)
                elif (
                    exc.outcome
                    not in (Outcome.QUOTA_MINUTE, Outcome.QUOTA_DAY, Outcome.UNKNOWN_MODEL)
                    and not exc.outcome.transient
                ):
                    break  # the same prompt would fail the same way on another try
        if last is None:  # every model was cooling before anything was asked
            cooling = self.cooling()
            daily = all(o is Outcome.QUOTA_DAY for o in cooling.values())
            unknown = all(o is Outcome.UNKNOWN_MODEL for o in cooling.values())
            outcome = (
                Outcome.UNKNOWN_MODEL
                if unknown
                else Outcome.QUOTA_DAY
                if daily
                else Outcome.QUOTA_MINUTE
            )
            last = ModelFailed(outcome, f"every model is cooling down: {cooling}")
        raise ModelFailed(last.outcome, last.detail, tuple(attempts))

    async def _once(
        self, model: str, request: ModelRequest, attempts: list[Attempt]
    ) -> ModelAnswer:
        from google.genai import errors, types

        config = types.GenerateContentConfig(
            system_instruction=request.system,
            temperature=request.temperature,
            max_output_tokens=request.max_output_tokens,
            response_mime_type="application/json" if request.schema else None,
            response_schema=request.schema,
            thinking_config=(
                types.ThinkingConfig(thinking_level=self.settings.thinking_level)
                if self.settings.thinking_level
                else None
            ),
        )
        contents = [
            types.Content(role=t.role, parts=[types.Part(text=t.text)]) for t in request.turns
        ]
        started = self.monotonic()

        def done(outcome: Outcome, usage: Any = None) -> Attempt:
            attempt = Attempt(
                model,
                outcome,
                prompt_tokens=(getattr(usage, "prompt_token_count", None) or 0),
                output_tokens=(getattr(usage, "candidates_token_count", None) or 0)
                + (getattr(usage, "thoughts_token_count", None) or 0),
                latency_ms=round((self.monotonic() - started) * 1000),
            )
            attempts.append(attempt)
            return attempt

        try:
            response = await asyncio.wait_for(
                self._client.aio.models.generate_content(
                    model=model, contents=contents, config=config
                ),
                timeout=self.settings.request_seconds,
            )
        except errors.APIError as exc:
            outcome = self._api_failure(model, exc)
            done(outcome)
            raise ModelFailed(outcome, f"{model}: {exc.code} {exc.message or exc.status}") from None
        except TimeoutError:
            done(Outcome.TIMEOUT)
            raise ModelFailed(Outcome.TIMEOUT, f"{model}: no answer in time") from None
        except asyncio.CancelledError:
            done(Outcome.TIMEOUT)  # the whole answer's deadline passed mid-request
            raise
        except Exception as exc:  # transport errors of httpx, httpx2 or aiohttp
            done(Outcome.TRANSPORT)
            raise ModelFailed(Outcome.TRANSPORT, f"{model}: {type(exc).__name__}: {exc}") from None

        usage = response.usage_metadata
        feedback = response.prompt_feedback
        if feedback is not None and feedback.block_reason:
            done(Outcome.BLOCKED_PROMPT, usage)
            raise ModelFailed(Outcome.BLOCKED_PROMPT, f"prompt blocked: {feedback.block_reason}")
        candidate = response.candidates[0] if response.candidates else None
        finish = str(getattr(candidate, "finish_reason", "") or "")
        text = response.text
        if not text:
            outcome = Outcome.TRUNCATED if finish.endswith("MAX_TOKENS") else Outcome.BLOCKED_ANSWER
            done(outcome, usage)
            raise ModelFailed(outcome, f"{model}: no text (finish {finish or 'none'})")
        parsed = response.parsed if request.schema else None
        if request.schema and not isinstance(parsed, request.schema):
            outcome = Outcome.TRUNCATED if finish.endswith("MAX_TOKENS") else Outcome.BAD_OUTPUT
            done(outcome, usage)
            raise ModelFailed(outcome, f"{model}: the answer does not fit the schema")
        if finish.endswith("MAX_TOKENS") and not request.schema:
            log.info("model %s stopped at max_output_tokens for %s", model, request.feature)
        done(Outcome.OK, usage)
        return ModelAnswer(text.strip(), parsed, model, tuple(attempts))

    def _api_failure(self, model: str, exc: Any) -> Outcome:
        code = exc.code or 0
        message = str(exc.message or "")
        if code == 429:
            outcome, delay = quota_kind(exc.details)
            if outcome is Outcome.QUOTA_DAY:
                seconds = (next_quota_reset(self.clock()) - self.clock()).total_seconds()
            else:
                seconds = delay if delay is not None else MINUTE_COOLDOWN
            self._cool(model, outcome, seconds)
            log.warning("model %s: %s, cooling for %.0f s", model, outcome.value, seconds)
            return outcome
        if code == 404 or (code == 400 and "model" in message.lower()):
            self._cool(model, Outcome.UNKNOWN_MODEL, UNKNOWN_MODEL_COOLDOWN)
            log.error(
                "model %r is unknown to the Gemini API (%s); set PYDOJO_TUTOR__PRIMARY_MODEL"
                " / PYDOJO_TUTOR__FALLBACK_MODEL to a current model name",
                model,
                message,
            )
            return Outcome.UNKNOWN_MODEL
        if code >= 500:
            return Outcome.SERVER
        log.error("the Gemini API refused a request (%s %s)", code, message)
        return Outcome.REJECTED

    async def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            await client.aio.aclose()
