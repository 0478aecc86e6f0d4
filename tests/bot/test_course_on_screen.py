"""Course-wide: for every problem and several variants, everything the bot puts on screen is
filled in (no ``{{placeholder}}`` left) and within Discord's limits — titles, modal titles and prefills,
autocomplete entries, custom ids, thread names, problem, hint and solution embeds."""

from __future__ import annotations

import pytest

from bot.exts.practice.cog import problem_choices
from bot.exts.practice.modal import code_modal
from bot.exts.practice.render import hint_embed, problem_embed, solution_message
from bot.exts.practice.views import problem_view
from bot.services.catalog import ProblemRef
from bot.services.practice import Hinted, Offered
from bot.services.sessions import HintResult
from bot.ui import privacy
from bot.ui.place import Place
from bot.ui.text import (
    CHOICE_NAME_LIMIT,
    CHOICE_VALUE_LIMIT,
    CUSTOM_ID_LIMIT,
    DESCRIPTION_LIMIT,
    EMBED_TITLE_LIMIT,
    EMBED_TOTAL_LIMIT,
    FIELD_LIMIT,
    MODAL_TITLE_LIMIT,
    TEXT_INPUT_LIMIT,
    THREAD_NAME_LIMIT,
    clip,
)
from curriculum import Curriculum, default_curriculum, variant_text
from curriculum.schema import PLACEHOLDER
from curriculum.variants import draft

SEEDS = (0, 1, 2, 3, 12345)
LONGEST_OPENING = "z" * 13  # a 64-bit interaction id in base 36


@pytest.fixture(scope="module")
def course() -> Curriculum:
    return default_curriculum()


def unfilled(text: str) -> bool:
    """A template placeholder left in text (a literal ``{{`` is fine: format escapes)."""
    return PLACEHOLDER.search(text) is not None


def embed_size(embed: dict) -> int:  # type: ignore[type-arg]
    return (
        len(embed.get("title", ""))
        + len(embed.get("description", ""))
        + sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", []))
        + len((embed.get("footer") or {}).get("text", ""))
    )


def check_embed(embed: dict, what: str) -> None:  # type: ignore[type-arg]
    assert not unfilled(str(embed)), what
    assert len(embed.get("title", "")) <= EMBED_TITLE_LIMIT, what
    assert len(embed.get("description", "")) <= DESCRIPTION_LIMIT, what
    assert all(len(f["value"]) <= FIELD_LIMIT for f in embed.get("fields", [])), what
    assert embed_size(embed) <= EMBED_TOTAL_LIMIT, what


async def test_every_title_modal_and_id_is_filled_and_fits(course: Curriculum) -> None:
    for problem in course.problems.values():
        for seed in SEEDS if problem.is_template else (0,):
            what = f"{problem.id}@{seed}"
            text = variant_text(problem, seed)
            assert not unfilled(text.title + text.statement + text.starter), what
            shown, _ = draft(problem.model_copy(update={"tests": []}), seed)
            assert (shown.title, shown.starter) == (text.title, text.starter), what
            words = [shown.statement, shown.solution, shown.explanation, *shown.hints]
            assert not [w for w in words if unfilled(w)], what
            modal = code_modal(
                ProblemRef(problem.id, seed), LONGEST_OPENING, text.title, text.starter
            ).to_dict()
            assert not unfilled(str(modal)), what
            assert len(modal["title"]) <= MODAL_TITLE_LIMIT, what
            if len(f"Submit: {text.title}") > MODAL_TITLE_LIMIT:
                assert modal["title"].endswith("…"), what
            assert len(modal["custom_id"]) <= CUSTOM_ID_LIMIT, what
            field = modal["components"][0]["components"][0]
            assert field["value"] == text.starter.strip() and len(field["value"]) <= (
                TEXT_INPUT_LIMIT
            ), what
            view = problem_view(ProblemRef(problem.id, seed), reveal=True, next_mode="practice")
            for item in view.children:
                assert len(item.custom_id) <= CUSTOM_ID_LIMIT, what  # type: ignore[attr-defined]
            daily_thread = clip(f"Daily · {text.title}", THREAD_NAME_LIMIT)
            assert len(daily_thread) <= THREAD_NAME_LIMIT and not unfilled(daily_thread)


def test_every_autocomplete_entry_is_filled_and_fits(course: Curriculum) -> None:
    for problem in course.problems.values():
        choices = problem_choices(course, problem.id, None)
        [mine] = [c for c in choices if c.value == problem.id]
        assert not unfilled(mine.name) and len(mine.name) <= CHOICE_NAME_LIMIT, problem.id
        assert len(mine.value) <= CHOICE_VALUE_LIMIT
        assert variant_text(problem).title[:40] in mine.name
    everything = problem_choices(course, "", None)
    assert len(everything) == 25 and all(not unfilled(c.name) for c in everything)
    for module in course.modules.values():  # typing a module as the menu shows it
        assert problem_choices(course, "", module.title)[0].value in {
            p.id for p in course.select(module.id)
        }


async def test_every_problem_hint_and_solution_message_fits(course: Curriculum) -> None:
    """At seed 0 what is shown needs no sandbox: examples are written out, never generated, so
    a draft of the examples alone is exactly what learners see."""
    for problem in course.problems.values():
        examples_only = problem.model_copy(update={"tests": []})
        variant, missing = draft(examples_only, 0)
        assert missing == [] and len(variant.spec.tests) == len(problem.examples), problem.id
        for place in (Place.DM, Place.OWN_THREAD, Place.CHANNEL):
            embed = problem_embed(
                Offered(problem, variant, "x" * 200), course, privacy.how_to_answer(place)
            ).to_dict()
            check_embed(embed, f"{problem.id} problem")
            assert privacy.how_to_answer(place) in embed["description"]
        hinted = Hinted(problem, variant, HintResult(3, 3, new=False), True, True)
        check_embed(hint_embed(hinted).to_dict(), f"{problem.id} hints")
        embed, file = solution_message(variant)
        check_embed(embed.to_dict(), f"{problem.id} solution")
        shown_code = embed.description or ""
        if file is None:
            assert variant.solution.strip() in shown_code.replace("`\u200b", "`")
        else:  # long references come whole, as a file, never clipped
            file.fp.seek(0)
            assert file.fp.read().decode().strip() == variant.solution.strip()
