"""The daily challenge is a template variant. Cy and Di press Submit on the same post and send
their answers at the same moment: both are judged against that variant, privately, and ranked."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db.models import DailyChallenge, DailyCompletion, Submission
from bot.services.clock import local_day
from curriculum import variant_text

from ..discord_harness import DAILY_CHANNEL_ID, GUILD_ID, DiscordHarness
from .story import answer, shown_problem, verdicts

pytestmark = pytest.mark.docker
CY, DI, ED = 1003, 1004, 1005


async def test_journey_two_learners_answer_the_daily_post_at_once(bot: DiscordHarness) -> None:
    services = bot.bot.services
    problem = services.curriculum.problems["w-scale"]
    seed = next(
        s for s in range(1, 50) if variant_text(problem, s).title != variant_text(problem, 0).title
    )
    title = variant_text(problem, seed).title
    # The slot is this minute: due now, within the catch-up window at any hour of the day.
    await services.servers.update(
        GUILD_ID, daily_channel_id=DAILY_CHANNEL_ID, daily_time=services.clock().strftime("%H:%M")
    )
    async with services.db.write() as session:  # today's challenge: this very variant
        session.add(
            DailyChallenge(
                guild_id=GUILD_ID,
                problem_id=problem.id,
                variant_seed=seed,
                day=local_day(services.clock(), "UTC"),
                posted_at=services.clock(),
            )
        )
    start = len(bot.fake.calls)
    await bot.bot.get_cog("DailyCog").post_due()
    calls = bot.fake.calls[start:]
    post = next(c for c in calls if c.path == f"/channels/{DAILY_CHANNEL_ID}/messages")
    assert shown_problem(post) == (problem.id, seed) and title in post.text()
    assert "Press **Submit**" in post.text() and "code block here" not in post.text()
    assert "{{" not in post.text()

    # Both open the modal from the same button: two openings, two distinct modal ids.
    submit = f"pydojo:submit:{problem.id}:{seed}"
    modals = [(await bot.click(submit, who, channel_id=DAILY_CHANNEL_ID))[0] for who in (CY, DI)]
    forms = [m.body["data"] for m in modals]  # type: ignore[index]
    assert forms[0]["custom_id"] != forms[1]["custom_id"]
    assert forms[0]["title"] == forms[1]["title"] and len(forms[0]["title"]) <= 45
    assert forms[0]["title"].endswith("…") and "{{" not in str(forms)
    prefill = forms[0]["components"][0]["components"][0]["value"]
    assert prefill == variant_text(problem, seed).starter.strip()

    # The same instant: both submits are in flight together.
    code = answer(bot, problem.id, seed, as_block=False)
    payloads = [
        bot.modal_submit_payload(m, [code], who, channel_id=DAILY_CHANNEL_ID)
        for m, who in zip(modals, (CY, DI), strict=True)
    ]
    start = len(bot.fake.calls)
    for payload in payloads:
        bot.bot._connection.parse_interaction_create(payload)
    await bot.settle()
    calls = bot.fake.calls[start:]
    ranks = set()
    for who in (CY, DI):
        [verdict] = verdicts(bot.seen_by(who, calls))
        assert verdict.ephemeral and verdict.user == who and "Accepted" in verdict.text()
        assert "**The idea:** The idea" in verdict.text()  # private: no spoiler needed
        ranks.add(int(verdict.text().split("solver #")[1][0]))
    assert ranks == {1, 2}
    assert verdicts(bot.public(calls)) == []  # nothing spoiled in the channel

    # A mention with a code block in the channel is judged against the post's variant, and
    # the public reply hides the explanation.
    mention = await bot.message(
        answer(bot, problem.id, seed), ED, channel_id=DAILY_CHANNEL_ID, mention_bot=True
    )
    [verdict] = verdicts(mention)
    assert "Accepted" in verdict.text() and "**The idea:** ||" in verdict.text()
    quiet = await bot.message("```py\nprint('hi')\n```", ED, channel_id=DAILY_CHANNEL_ID)
    assert quiet == []  # code that is no answer to the challenge: left alone

    async with services.db.read() as session:
        rows = (
            await session.execute(
                select(
                    Submission.user_id,
                    Submission.variant_seed,
                    Submission.daily_challenge_id,
                    Submission.verdict,
                ).order_by(Submission.id)
            )
        ).all()
        done = list(await session.scalars(select(DailyCompletion.user_id)))
    assert {r.user_id for r in rows} == {CY, DI, ED}
    assert {(r.variant_seed, r.verdict) for r in rows} == {(seed, "accepted")}
    assert None not in {r.daily_challenge_id for r in rows}
    assert sorted(done) == [CY, DI, ED]
    board = await bot.slash("leaderboard", CY, sub="daily")
    assert "<@1003>" in board[-1].text() and "<@1004>" in board[-1].text()
