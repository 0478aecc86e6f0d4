"""Routing, cool-downs, retries and failures of the Gemini client, through the real google-genai
client against the fake server (no sandbox needed)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from pydantic import BaseModel

from bot.services.tutor.model import GeminiModel, ModelFailed, ModelRequest, Outcome, Turn
from tests.gemini_server import FakeGemini

from .conftest import FALLBACK, PRIMARY, tutor_settings


class Clockwork:
    """A monotonic clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def ticks() -> Clockwork:
    return Clockwork()


@pytest.fixture
async def model(gemini: FakeGemini, ticks: Clockwork) -> AsyncIterator[GeminiModel]:
    client = GeminiModel(
        "test-key",
        tutor_settings(gemini),
        monotonic=ticks,
        clock=lambda: datetime(2026, 12, 1, 20, 0, tzinfo=UTC),
    )
    yield client
    await client.close()


def ask(text: str = "Say hello.", schema: type[BaseModel] | None = None) -> ModelRequest:
    return ModelRequest("hint", "You are a test.", (Turn("user", text),), schema=schema)


class Shape(BaseModel):
    title: str
    items: list[str]


async def test_an_answer_and_what_google_received(model: GeminiModel, gemini: FakeGemini) -> None:
    gemini.reply("Hello there.", prompt_tokens=33, output_tokens=4)
    answer = await model.generate(ask())
    assert answer.text == "Hello there." and answer.model == PRIMARY
    (attempt,) = answer.attempts
    assert (attempt.outcome, attempt.prompt_tokens, attempt.output_tokens) == (Outcome.OK, 33, 4)
    (sent,) = gemini.received
    assert sent.model == PRIMARY and sent.api_key == "test-key"
    assert sent.system == "You are a test." and sent.turns == [("user", "Say hello.")]
    thinking = sent.generation["thinkingConfig"]  # the SDK sends the proto name; both parse
    assert (thinking.get("thinkingLevel") or thinking.get("thinking_level")) == "LOW"


async def test_structured_output_is_parsed(model: GeminiModel, gemini: FakeGemini) -> None:
    gemini.reply_json({"title": "t", "items": ["a", "b"]})
    answer = await model.generate(ask(schema=Shape))
    assert answer.parsed == Shape(title="t", items=["a", "b"])
    generation = gemini.received[0].generation
    assert generation["responseMimeType"] == "application/json"
    assert generation["responseSchema"]["required"] == ["title", "items"]


async def test_per_minute_quota_cools_the_primary_until_its_retry_delay(
    model: GeminiModel, gemini: FakeGemini, ticks: Clockwork
) -> None:
    gemini.quota("minute", retry="22s", model=PRIMARY)
    gemini.reply("from the fallback", model=FALLBACK)
    answer = await model.generate(ask())
    assert answer.model == FALLBACK
    assert [a.outcome for a in answer.attempts] == [Outcome.QUOTA_MINUTE, Outcome.OK]
    assert model.cooling() == {PRIMARY: Outcome.QUOTA_MINUTE}

    gemini.reply("fallback again", model=FALLBACK)
    await model.generate(ask())
    assert [r.model for r in gemini.received] == [PRIMARY, FALLBACK, FALLBACK]

    ticks.now += 23  # the retry delay has passed
    gemini.reply("primary is back", model=PRIMARY)
    assert (await model.generate(ask())).model == PRIMARY
    assert model.cooling() == {}


async def test_per_day_quota_cools_until_the_quota_resets(
    model: GeminiModel, gemini: FakeGemini, ticks: Clockwork
) -> None:
    gemini.quota("day", model=PRIMARY)
    gemini.quota("day", model=FALLBACK)
    with pytest.raises(ModelFailed) as failed:
        await model.generate(ask())
    assert failed.value.outcome is Outcome.QUOTA_DAY
    assert model.cooling() == {PRIMARY: Outcome.QUOTA_DAY, FALLBACK: Outcome.QUOTA_DAY}
    ticks.now += 3600  # an hour later (20:00 UTC is 12:00 in California): still the same day
    with pytest.raises(ModelFailed) as again:
        await model.generate(ask())
    assert again.value.outcome is Outcome.QUOTA_DAY and again.value.attempts == ()
    assert len(gemini.received) == 2  # nothing more was asked of Google
    ticks.now += 13 * 3600  # past midnight in California
    gemini.reply("a new day")
    assert (await model.generate(ask())).text == "a new day"


async def test_a_server_error_then_success(model: GeminiModel, gemini: FakeGemini) -> None:
    gemini.error(500, "internal")
    gemini.reply("second time lucky")
    answer = await model.generate(ask())
    assert answer.text == "second time lucky"
    assert [a.outcome for a in answer.attempts] == [Outcome.SERVER, Outcome.OK]
    assert [r.model for r in gemini.received] == [PRIMARY, FALLBACK]  # the failing one goes last


async def test_at_most_two_retries(model: GeminiModel, gemini: FakeGemini) -> None:
    for _ in range(5):
        gemini.error(503, "overloaded")
    with pytest.raises(ModelFailed) as failed:
        await model.generate(ask())
    assert failed.value.outcome is Outcome.SERVER
    assert len(failed.value.attempts) == 3 and len(gemini.received) == 3


async def test_a_request_that_never_answers_times_out(gemini: FakeGemini) -> None:
    client = GeminiModel(
        "k", tutor_settings(gemini, request_seconds=0.5, total_seconds=0.8, retries=0)
    )
    gemini.hang()
    try:
        with pytest.raises(ModelFailed) as failed:
            await client.generate(ask())
    finally:
        await client.close()
    assert failed.value.outcome is Outcome.TIMEOUT
    assert [a.outcome for a in failed.value.attempts] == [Outcome.TIMEOUT]


async def test_blocked_prompt_and_blocked_answer_are_not_retried(
    model: GeminiModel, gemini: FakeGemini
) -> None:
    gemini.blocked_prompt()
    with pytest.raises(ModelFailed) as prompt:
        await model.generate(ask())
    assert prompt.value.outcome is Outcome.BLOCKED_PROMPT and len(gemini.received) == 1
    gemini.blocked_answer()
    with pytest.raises(ModelFailed) as answer:
        await model.generate(ask())
    assert answer.value.outcome is Outcome.BLOCKED_ANSWER and len(gemini.received) == 2
    assert answer.value.attempts[0].prompt_tokens == 40  # still counted against the budget


async def test_truncated_json_is_a_failure_not_a_crash(
    model: GeminiModel, gemini: FakeGemini
) -> None:
    gemini.truncated('{"title": "half a', model=None)
    with pytest.raises(ModelFailed) as failed:
        await model.generate(ask(schema=Shape))
    assert failed.value.outcome is Outcome.TRUNCATED
    gemini.reply('{"title": 3}')  # complete, but not the schema
    with pytest.raises(ModelFailed) as garbled:
        await model.generate(ask(schema=Shape))
    assert garbled.value.outcome is Outcome.BAD_OUTPUT


async def test_an_unknown_model_is_skipped_and_reported(
    model: GeminiModel, gemini: FakeGemini, caplog: pytest.LogCaptureFixture
) -> None:
    gemini.error(404, f"models/{PRIMARY} is not found for API version v1beta", model=PRIMARY)
    gemini.reply("the fallback knows", model=FALLBACK)
    assert (await model.generate(ask())).model == FALLBACK
    assert "PYDOJO_TUTOR__PRIMARY_MODEL" in caplog.text
    gemini.error(404, f"models/{FALLBACK} is not found", model=FALLBACK)
    with pytest.raises(ModelFailed) as failed:
        await model.generate(ask())
    assert failed.value.outcome is Outcome.UNKNOWN_MODEL


async def test_a_rejected_key_is_not_retried(model: GeminiModel, gemini: FakeGemini) -> None:
    gemini.error(400, "API key not valid. Please pass a valid API key.")
    gemini.reply("never asked")
    with pytest.raises(ModelFailed) as failed:
        await model.generate(ask())
    assert failed.value.outcome is Outcome.REJECTED and len(gemini.received) == 1


async def test_nothing_listening_is_a_transport_failure(gemini: FakeGemini) -> None:
    from tests.servers import free_port

    client = GeminiModel(
        "k", tutor_settings(None, base_url=f"http://127.0.0.1:{free_port()}", backoff_seconds=0)
    )
    try:
        with pytest.raises(ModelFailed) as failed:
            await client.generate(ask())
    finally:
        await client.close()
    assert failed.value.outcome is Outcome.TRANSPORT and len(failed.value.attempts) == 3
