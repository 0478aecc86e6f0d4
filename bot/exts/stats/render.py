"""Progress as embeds: mastery per module, history pages."""

from __future__ import annotations

from collections.abc import Iterable

import discord

from bot.services.rewards import BADGES
from bot.services.stats import HistoryPage, UserStats
from bot.ui.text import DESCRIPTION_LIMIT, FIELD_LIMIT, clip, plural
from curriculum import Curriculum

INFO_COLOUR = 0x5865F2


def module_titles(curriculum: Curriculum, module_ids: Iterable[str]) -> str:
    return ", ".join(curriculum.modules[m].title for m in module_ids if m in curriculum.modules)


def stats_embed(
    stats: UserStats,
    name: str,
    curriculum: Curriculum,
    reviews_due: int | None = None,
    team_solves: int = 0,
) -> discord.Embed:
    """``reviews_due``: how many of the reader's own reviews are due (None: not shown);
    ``team_solves``: problems solved with a study room (counted apart from solo solves)."""
    level = stats.level
    next_text = (
        f"{stats.xp}/{level.next_at} XP to level {level.number + 1}"
        if level.next_at
        else f"{stats.xp} XP (top level)"
    )
    lines = [
        f"**Level {level.number}** · {next_text}",
        f"Solved **{stats.solved}** · attempts {stats.totals.attempts} · "
        f"🔥 streak {stats.streak} (best {stats.best_streak})",
    ]
    if team_solves:
        lines.append(f"🤝 {plural(team_solves, 'team solve')} in study rooms")
    if reviews_due:
        lines.append(f"🔁 {plural(reviews_due, 'review')} due: `/review`")
    embed = discord.Embed(
        title=f"📊 {clip(name, 200)}", description="\n".join(lines), colour=INFO_COLOUR
    )
    rows = []
    for node in stats.modules.values():
        if node.totals.attempts:
            bar = "█" * round(node.totals.mastery * 10) + "░" * (
                10 - round(node.totals.mastery * 10)
            )
            rows.append(
                f"`{bar}` {node.totals.mastery:4.0%} {node.title} "
                f"({node.totals.solved}/{node.totals.attempts})"
            )
    embed.add_field(
        name="Mastery by module",
        value=clip("\n".join(rows) or "Nothing yet — try /practice!", FIELD_LIMIT),
        inline=False,
    )
    if stats.weakest:
        embed.add_field(
            name="Practise next",
            value=clip(module_titles(curriculum, stats.weakest), FIELD_LIMIT),
        )
    if stats.untouched:
        embed.add_field(
            name="Not started",
            value=clip(module_titles(curriculum, stats.untouched), FIELD_LIMIT),
        )
    if stats.badges:
        embed.add_field(
            name="Badges",
            value=clip(
                " · ".join(BADGES[b].title for b in stats.badges if b in BADGES), FIELD_LIMIT
            ),
            inline=False,
        )
    return embed


def history_embed(page: HistoryPage, name: str, asked: int = 1) -> discord.Embed:
    marks = {
        "accepted": "✅",
        "wrong_answer": "❌",
        "runtime_error": "💥",
        "time_limit": "⏱️",
        "memory_limit": "🧠",
        "output_limit": "📢",
        "syntax_error": "✏️",
    }
    lines = []
    for item in page.items:
        # Only an accepted answer's count is shown: the others would count hidden tests.
        tally = f" {item.passed}/{item.total}" if item.verdict == "accepted" else ""
        lines.append(
            f"{marks.get(item.verdict, '•')} **{clip(item.title, 60)}**{tally} · "
            f"<t:{int(item.created_at.timestamp())}:R>"
        )
    if not lines:
        text = "No submissions yet."
    else:
        text = "\n".join(lines)
        if asked > page.page:
            text = (
                f"(Page {asked} is past the end: you have {plural(page.pages, 'page')}; "
                "here is the last.)\n" + text
            )
    embed = discord.Embed(
        title=f"🗂️ {clip(name, 200)} — history",
        description=clip(text, DESCRIPTION_LIMIT),
        colour=INFO_COLOUR,
    )
    embed.set_footer(text=f"page {page.page}/{page.pages} · {page.total} submissions")
    return embed
