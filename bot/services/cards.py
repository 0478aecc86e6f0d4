"""Progress pictures: PNG cards drawn with Pillow from plain data.

Each card is an opaque, rounded panel with its own light-on-dark palette and a light border,
so it reads the same on Discord's dark and light themes. Rendering is CPU work: ``CardRenderer``
runs it on one worker thread (off the event loop, and never more than one core of a shared
machine) and keeps the latest PNGs keyed on the data that drew them, so the same stats or the
same board page is drawn once.
"""

from __future__ import annotations

import asyncio
import io
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from .stats import ACTIVITY_WEEKS as WEEKS
from .stats import StatsCard

# -- palette: light text on a dark panel, with a border that shows on a dark page too -------
BACKGROUND = (30, 33, 43, 255)
PANEL = (43, 47, 60, 255)
BORDER = (96, 101, 117, 255)
TEXT = (242, 243, 245, 255)
MUTED = (170, 176, 190, 255)
ACCENT = (88, 101, 242, 255)  # XP
STREAK = (250, 140, 40, 255)
GOOD, FAIR, WEAK = (59, 165, 93, 255), (250, 168, 26, 255), (237, 66, 69, 255)
HEAT = ((54, 59, 74, 255), (14, 68, 41, 255), (0, 109, 50, 255), (38, 166, 65, 255))
HEAT_TOP = (57, 211, 83, 255)
MEDALS = ((255, 196, 37, 255), (192, 199, 208, 255), (205, 127, 50, 255))
HIGHLIGHT = (60, 66, 110, 255)

WIDTH = 960
PAD = 32
MAX_MODULES = 16  # rows of mastery bars (the whole course today); more get a "+N more" row
BAR_ROW = 26
CELL, GAP = 22, 4


@lru_cache(maxsize=8)
def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Pillow's bundled scalable font: no system fonts needed wherever the bot runs."""
    return ImageFont.load_default(size=size)


def fit(draw: ImageDraw.ImageDraw, text: str, size: int, width: float) -> str:
    """``text`` cut with an ellipsis to fit ``width`` pixels."""
    face = font(size)
    if draw.textlength(text, font=face) <= width:
        return text
    while text and draw.textlength(text + "…", font=face) > width:
        text = text[:-1]
    return text + "…"


def mastery_colour(mastery: float) -> tuple[int, int, int, int]:
    return GOOD if mastery >= 0.8 else FAIR if mastery >= 0.5 else WEAK


def heat_colour(count: int, top: int) -> tuple[int, int, int, int]:
    if count <= 0:
        return HEAT[0]
    if count >= top:
        return HEAT_TOP
    return HEAT[min(len(HEAT) - 1, 1 + (count * (len(HEAT) - 1)) // max(1, top))]


def canvas(width: int, height: int) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle(
        (0, 0, width - 1, height - 1), radius=18, fill=BACKGROUND, outline=BORDER, width=2
    )
    return image, draw


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    # Fast zlib: the encoder is most of the drawing time, and the files stay small (flat colours).
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()


def progress_bar(
    draw: ImageDraw.ImageDraw,
    box: tuple[float, float, float, float],
    share: float,
    colour: tuple[int, int, int, int],
) -> None:
    x0, y0, x1, y1 = box
    radius = (y1 - y0) / 2
    draw.rounded_rectangle(box, radius=radius, fill=PANEL)
    filled = x0 + (x1 - x0) * max(0.0, min(1.0, share))
    if filled - x0 >= 2 * radius:
        draw.rounded_rectangle((x0, y0, filled, y1), radius=radius, fill=colour)
    elif share > 0:
        draw.ellipse((x0, y0, x0 + 2 * radius, y1), fill=colour)


# -- the stats card ----------------------------------------------------------------------------

HEADER = 128


def heatmap_columns(first: date) -> int:
    """Weeks (Monday-first columns) that ``WEEKS * 7`` days from ``first`` touch."""
    return -(-(first.weekday() + WEEKS * 7) // 7)


def stats_card_size(card: StatsCard) -> tuple[int, int]:
    rows = min(len(card.modules), MAX_MODULES) + (1 if len(card.modules) > MAX_MODULES else 0)
    bars = 40 + max(1, rows) * BAR_ROW
    heat = 40 + 7 * (CELL + GAP) + 34
    return WIDTH, HEADER + max(bars, heat) + PAD


def render_stats_card(card: StatsCard, name: str) -> bytes:
    width, height = stats_card_size(card)
    image, draw = canvas(width, height)
    # Header: who, level and the way to the next, streak, reviews.
    draw.text((PAD, 24), fit(draw, name, 30, 520), font=font(30), fill=TEXT)
    level = card.level
    to_next = f"{card.xp} / {level.next_at} XP" if level.next_at else f"{card.xp} XP · top level"
    draw.text((PAD, 66), f"Level {level.number}", font=font(22), fill=ACCENT)
    draw.text((PAD + 110, 69), to_next, font=font(18), fill=MUTED)
    progress_bar(draw, (PAD, 98, 560, 110), card.level_progress, ACCENT)
    streak = f"{card.streak}-day streak" if card.streak != 1 else "1-day streak"
    draw.text((600, 26), streak, font=font(30), fill=STREAK if card.streak else MUTED)
    draw.text((600, 66), f"best {card.best_streak}", font=font(18), fill=MUTED)
    if card.reviews_due:
        due = f"{card.reviews_due} review{'s' if card.reviews_due != 1 else ''} due"
        draw.text((600, 90), due, font=font(18), fill=FAIR)

    # Left: mastery per module, in course order.
    left, top = PAD, HEADER
    draw.text((left, top), "Mastery by module", font=font(20), fill=TEXT)
    label_w, bar_x0, bar_x1 = 190, left + 196, 470
    y = top + 40
    for module in card.modules[:MAX_MODULES]:
        touched = module.attempts > 0
        draw.text(
            (left, y - 2),
            fit(draw, module.title, 16, label_w),
            font=font(16),
            fill=TEXT if touched else MUTED,
        )
        progress_bar(
            draw, (bar_x0, y + 2, bar_x1, y + 14), module.mastery, mastery_colour(module.mastery)
        )
        share = f"{module.mastery:.0%}" if touched else "new"
        draw.text((bar_x1 + 10, y - 2), share, font=font(16), fill=TEXT if touched else MUTED)
        y += BAR_ROW
    if len(card.modules) > MAX_MODULES:
        draw.text(
            (left, y - 2), f"+{len(card.modules) - MAX_MODULES} more", font=font(16), fill=MUTED
        )

    # Right: submissions per day, a column per week (Monday on top), today in the last one.
    hx = 560
    draw.text((hx, top), f"Activity · last {WEEKS} weeks", font=font(20), fill=TEXT)
    if card.activity:
        first = card.activity[0][0]
        offset = first.weekday()
        top_count = max(4, max(count for _, count in card.activity))
        grid_x, grid_y = hx + 40, top + 40
        for index, (_, count) in enumerate(card.activity):
            cell = offset + index
            x = grid_x + (cell // 7) * (CELL + GAP)
            y = grid_y + (cell % 7) * (CELL + GAP)
            draw.rounded_rectangle(
                (x, y, x + CELL, y + CELL), radius=4, fill=heat_colour(count, top_count)
            )
        for row, label in ((0, "Mon"), (2, "Wed"), (4, "Fri")):
            draw.text((hx, grid_y + row * (CELL + GAP) + 3), label, font=font(14), fill=MUTED)
        total = sum(count for _, count in card.activity)
        active = sum(1 for _, count in card.activity if count)
        legend_y = grid_y + 7 * (CELL + GAP) + 8
        draw.text(
            (hx, legend_y),
            f"{total} submissions on {active} days",
            font=font(15),
            fill=MUTED,
        )
        lx = width - PAD - 5 * (14 + 3)
        for step, colour in enumerate((*HEAT, HEAT_TOP)):
            x = lx + step * 17
            draw.rounded_rectangle((x, legend_y + 2, x + 14, legend_y + 16), radius=3, fill=colour)
    return png(image)


# -- boards: a leaderboard page, a daily challenge's results -------------------------------------


@dataclass(frozen=True)
class CardRow:
    rank: int
    name: str
    values: tuple[str, ...]  # right-hand columns, e.g. ("120 XP", "7 solved")
    tied: bool = False
    highlight: bool = False  # the reader's own line
    separated: bool = False  # not next to the row above (the reader's place off the page)


ROW = 44
TABLE_WIDTH = 760


def board_card_size(rows: int) -> tuple[int, int]:
    return TABLE_WIDTH, 96 + max(1, rows) * ROW + 24


def render_board_card(title: str, subtitle: str, rows: Sequence[CardRow]) -> bytes:
    width, height = board_card_size(len(rows))
    image, draw = canvas(width, height)
    draw.text((PAD, 22), fit(draw, title, 28, width - 2 * PAD), font=font(28), fill=TEXT)
    draw.text((PAD, 60), fit(draw, subtitle, 16, width - 2 * PAD), font=font(16), fill=MUTED)
    y = 96
    if not rows:
        draw.text((PAD, y + 10), "Nobody yet: be the first!", font=font(20), fill=MUTED)
    columns = max((len(row.values) for row in rows), default=0)
    value_w = 150
    name_right = width - PAD - columns * value_w - 12
    for row in rows:
        if row.separated:
            draw.line((PAD, y, width - PAD, y), fill=BORDER, width=1)
        if row.highlight:
            draw.rounded_rectangle((PAD - 10, y + 4, width - PAD + 10, y + ROW - 4), 8, HIGHLIGHT)
        badge = (PAD, y + 8, PAD + 44, y + ROW - 8)
        if row.rank <= len(MEDALS):
            draw.rounded_rectangle(badge, radius=14, fill=MEDALS[row.rank - 1])
            rank_colour = BACKGROUND
        else:
            draw.rounded_rectangle(badge, radius=14, fill=PANEL)
            rank_colour = TEXT
        mark = f"={row.rank}" if row.tied else str(row.rank)
        draw.text(
            ((badge[0] + badge[2]) / 2, (badge[1] + badge[3]) / 2),
            mark,
            font=font(18),
            fill=rank_colour,
            anchor="mm",
        )
        draw.text(
            (PAD + 60, y + ROW / 2),
            fit(draw, row.name, 20, name_right - PAD - 60),
            font=font(20),
            fill=TEXT,
            anchor="lm",
        )
        for index, value in enumerate(row.values):
            x = width - PAD - (columns - 1 - index) * value_w
            draw.text((x, y + ROW / 2), value, font=font(18), fill=MUTED, anchor="rm")
        y += ROW
    return png(image)


def daily_results_rows(
    solvers: Sequence[tuple[int, str, int, str]], limit: int = 10
) -> tuple[CardRow, ...]:
    """(rank, name, attempts, time) in solving order, as card rows."""
    return tuple(
        CardRow(rank, name, (f"{attempts} attempt{'s' if attempts != 1 else ''}", took))
        for rank, name, attempts, took in solvers[:limit]
    )


def activity_days(end: date, counts: dict[date, int]) -> tuple[tuple[date, int], ...]:
    """``WEEKS * 7`` days ending at ``end``, oldest first (for building cards by hand)."""
    first = end - timedelta(days=WEEKS * 7 - 1)
    return tuple(
        (first + timedelta(days=i), counts.get(first + timedelta(days=i), 0))
        for i in range(WEEKS * 7)
    )


# -- rendering off the event loop, cached --------------------------------------------------------


class CardRenderer:
    """Draws cards on one worker thread and remembers the last ``keep`` of them."""

    def __init__(self, keep: int = 256) -> None:
        self.keep = keep
        self._done: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cards")
        self.rendered = 0  # drawings made (not served from the cache)

    async def stats(self, card: StatsCard, name: str) -> bytes:
        return await self._render(("stats", card, name), render_stats_card, card, name)

    async def board(self, title: str, subtitle: str, rows: Sequence[CardRow]) -> bytes:
        rows = tuple(rows)
        return await self._render(
            ("board", title, subtitle, rows), render_board_card, title, subtitle, rows
        )

    async def _render(self, key: tuple[Any, ...], draw: Callable[..., bytes], *args: Any) -> bytes:
        cached = self._done.get(key)
        if cached is not None:
            self._done.move_to_end(key)
            return cached
        picture = await asyncio.get_running_loop().run_in_executor(self._pool, draw, *args)
        self.rendered += 1
        self._done[key] = picture
        while len(self._done) > self.keep:
            self._done.popitem(last=False)
        return picture

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
