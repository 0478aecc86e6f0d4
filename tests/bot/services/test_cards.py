"""Progress pictures: PNGs that decode at the size their layout promises, drawn off the event
loop, once per distinct data, readable on both Discord themes."""

from __future__ import annotations

import io
import threading
from datetime import date, timedelta

from PIL import Image

from bot.db import Database
from bot.services.automode import AutoModeService
from bot.services.cards import (
    BACKGROUND,
    MAX_MODULES,
    MUTED,
    TEXT,
    CardRenderer,
    CardRow,
    activity_days,
    board_card_size,
    render_board_card,
    render_stats_card,
    stats_card_size,
)
from bot.services.progress import ProgressService
from bot.services.rewards import level_for
from bot.services.stats import ModuleBar, StatsCard, StatsService
from curriculum import Curriculum

from ..conftest import FakeClock
from .test_stats_and_boards import submit

DISCORD_DARK, DISCORD_LIGHT = (49, 51, 56), (255, 255, 255)


def card(modules: int = 15, streak: int = 4, xp: int = 830) -> StatsCard:
    bars = tuple(
        ModuleBar(f"Module {i} with a rather long title", i / modules, i, i + 2)
        for i in range(modules)
    )
    counts = {date(2026, 3, 4) - timedelta(days=d): d % 5 for d in range(0, 84, 3)}
    return StatsCard(7, level_for(xp), xp, streak, 9, bars, activity_days(date(2026, 3, 4), counts))


def decode(picture: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(picture))
    image.load()  # raises on a truncated or corrupt file
    assert image.format == "PNG"
    return image


def luminance(rgb: tuple[int, ...]) -> float:
    def channel(c: int) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_stats_card_decodes_at_its_layout_size() -> None:
    image = decode(render_stats_card(card(), "Ada Lovelace"))
    assert image.size == stats_card_size(card()) == (960, 128 + 40 + 15 * 26 + 32)
    assert image.mode == "RGBA"
    # More modules than fit: a "+N more" row, never a taller and taller picture.
    many = card(modules=30)
    assert decode(render_stats_card(many, "x")).size == (960, 128 + 40 + 17 * 26 + 32)
    assert stats_card_size(many)[1] == stats_card_size(card(modules=MAX_MODULES + 5))[1]
    # A newcomer: no modules touched, no activity, level 1: the heatmap sets the height.
    empty = StatsCard(1, level_for(0), 0, 0, 0, (), activity_days(date(2026, 3, 4), {}))
    assert decode(render_stats_card(empty, "")).size == stats_card_size(empty)
    assert stats_card_size(empty)[1] == 128 + 40 + 7 * 26 + 34 + 32


def test_board_cards_decode_at_their_layout_size() -> None:
    rows = [CardRow(1, "Ada", ("540 XP", "12 solved"))]
    rows += [CardRow(2, f"Tied {i}", ("320 XP", "8 solved"), tied=True) for i in range(9)]
    rows.append(CardRow(31, "Me", ("5 XP", "1 solved"), highlight=True, separated=True))
    image = decode(render_board_card("This week", "Page 1/4", rows))
    assert image.size == board_card_size(11) == (760, 96 + 11 * 44 + 24)
    assert decode(render_board_card("Today", "", [])).size == board_card_size(0)


def test_the_card_is_an_opaque_panel_readable_on_both_themes() -> None:
    image = decode(render_stats_card(card(), "Ada")).convert("RGBA")
    width, height = image.size
    # Inside, every pixel is opaque: the page behind it (dark or light) never shows through.
    assert all(image.getpixel((x, height // 2))[3] == 255 for x in range(4, width - 4, 37))
    assert contrast(TEXT, BACKGROUND) >= 7 and contrast(MUTED, BACKGROUND) >= 4.5
    # The panel stands apart from both pages: clearly darker than white, and its border is
    # lighter than Discord's dark page.
    assert contrast(BACKGROUND, DISCORD_LIGHT) >= 7
    border = image.getpixel((width // 2, 0))
    assert luminance(border) > luminance(DISCORD_DARK)


async def test_the_renderer_draws_off_the_loop_once_per_distinct_data() -> None:
    renderer = CardRenderer(keep=2)
    threads: list[str] = []

    def draw(value: int) -> bytes:
        threads.append(threading.current_thread().name)
        return render_board_card(f"Board {value}", "", [CardRow(1, "Ada", (str(value),))])

    try:
        first = await renderer._render(("t", 1), draw, 1)
        again = await renderer._render(("t", 1), draw, 1)
        assert first is again and renderer.rendered == 1
        assert threads == [threads[0]] and threads[0] != threading.current_thread().name
        # Different data draws anew; the oldest falls out past ``keep``.
        await renderer._render(("t", 2), draw, 2)
        await renderer._render(("t", 3), draw, 3)
        await renderer._render(("t", 1), draw, 1)
        assert renderer.rendered == 4
        # The public entry points key on the data itself.
        picture = await renderer.stats(card(), "Ada")
        assert await renderer.stats(card(), "Ada") is picture
        assert await renderer.stats(card(streak=5), "Ada") is not picture
        assert renderer.rendered == 6
    finally:
        renderer.close()


async def test_a_learners_card_data_comes_from_their_submissions(
    db: Database, course: Curriculum, clock: FakeClock
) -> None:
    progress = ProgressService(db, course, AutoModeService(db, course, clock, seed=3), clock)
    await submit(progress, course, "a-basics-b0", ok=False, user=42)
    clock.advance(days=1)
    await submit(progress, course, "a-basics-b0", user=42)
    stats = StatsService(db, course, clock)
    data = await stats.card(42, reviews_due=2)
    assert len(data.activity) == 84
    assert [n for _, n in data.activity[-2:]] == [1, 1] and sum(n for _, n in data.activity) == 2
    assert data.activity[-1][0] == clock().date()
    assert [m.title for m in data.modules] == [m.title for m in course.modules.values()]
    assert data.reviews_due == 2 and data.xp > 0
    hash(data)  # the renderer's cache key
    assert decode(render_stats_card(data, "Learner")).size == stats_card_size(data)
