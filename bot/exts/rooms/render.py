"""A study room as Discord messages: the problem, each draft version with what changed, verdicts
with their author, a refused edit with the diff to merge, and the scoreboard — within limits.

Diffs are trimmed to a few lines; a draft too long to show inline is attached as a file, so a
version is always readable whole.
"""

from __future__ import annotations

import io

import discord

from bot.exts.practice.render import INFO_COLOUR, problem_embed, verdict_embed
from bot.services.practice import Judged, Offered, hidden_note
from bot.services.rooms import DraftEdit, RoomJudged, RoomState, Scoreboard, StaleDraft
from bot.ui.text import (
    CONTENT_LIMIT,
    DESCRIPTION_LIMIT,
    EMBED_TITLE_LIMIT,
    FIELD_LIMIT,
    clip,
    plural,
    safe_block,
)
from curriculum import Curriculum, Variant

DIFF_LINES = 24  # lines of a diff shown inline
DIFF_CHARS = 1400
INLINE_DRAFT = 2200  # characters of a draft shown inline; longer goes as a file
HOW_TO = (
    "**Join**, then:\n"
    "• post a ```py code block here to try your own idea — it is judged for everyone to see;\n"
    "• **reply to the latest draft** with a code block (or press **Edit draft**) to change the "
    "room's shared draft;\n"
    "• **Run draft** judges the shared draft: accepted, it is a team solve for everyone who "
    "wrote a version of it."
)


def mention(user_id: int | None) -> str:
    return f"<@{user_id}>" if user_id is not None else "the starter code"


def duration(seconds: float) -> str:
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s"
    return f"{secs} s"


def trimmed_diff(lines: list[str]) -> str:
    """A diff block of at most ``DIFF_LINES`` lines, saying how many more there were."""
    shown = lines[:DIFF_LINES]
    text = "\n".join(shown)
    if len(text) > DIFF_CHARS:
        text = clip(text, DIFF_CHARS)
    rest = len(lines) - len(shown)
    more = f"\n… {plural(rest, 'more line')} of diff" if rest > 0 else ""
    return safe_block(text or "(no line changed)", DIFF_CHARS + 20, "diff") + more


def draft_file(source: str, version: int) -> discord.File:
    return discord.File(io.BytesIO(source.encode()), filename=f"draft-v{version}.py")


def room_intro(
    room: RoomState, variant: Variant, curriculum: Curriculum
) -> tuple[str, discord.Embed]:
    content = (
        f"📚 **Study room** opened by {mention(room.created_by)} · problem {room.round}\n" + HOW_TO
    )
    embed = problem_embed(Offered(room.problem, variant), curriculum, "")
    return clip(content, CONTENT_LIMIT), embed


def draft_message(
    room: RoomState,
    version: int,
    source: str,
    *,
    author: int | None,
    edit: DraftEdit | None = None,
) -> tuple[discord.Embed, discord.File | None]:
    """A version of the draft: who wrote it, what changed, and the code (inline or a file)."""
    lines = []
    if edit is not None:
        lines.append(f"by {mention(author)}, based on v{edit.base_version}")
        lines.append(trimmed_diff(edit.diff))
    else:
        lines.append(f"The starting point for problem {room.round}: the problem's starter code.")
    file = None
    if len(source) <= INLINE_DRAFT:
        lines.append(safe_block(source.rstrip(), INLINE_DRAFT + 20, "py"))
    else:
        file = draft_file(source, version)
        lines.append(f"The whole draft is attached ({plural(source.count(chr(10)), 'line')}).")
    lines.append("Reply to this message with a code block to change it, or press **Edit draft**.")
    embed = discord.Embed(
        title=clip(f"📝 Shared draft v{version} · {room.title}", EMBED_TITLE_LIMIT),
        description=clip("\n".join(lines), DESCRIPTION_LIMIT),
        colour=INFO_COLOUR,
    )
    return embed, file


def stale_message(stale: StaleDraft) -> tuple[str, discord.File]:
    """An edit that was not applied: why, what merging it would change, and the code back."""
    text = (
        f"⚠️ Your edit was based on **v{stale.based_on}**, but the draft is now "
        f"**v{stale.current}** (by {mention(stale.current_author)}). Nothing was overwritten.\n"
        f"What your edit would change in v{stale.current}:\n{trimmed_diff(stale.diff)}\n"
        f"Merge it into v{stale.current} and reply to the latest draft (or press **Edit draft**). "
        "Your code is attached, so nothing is lost."
    )
    return clip(text, CONTENT_LIMIT), draft_file(stale.yours, stale.based_on)


def room_verdict(judged: RoomJudged, *, test_seconds: float) -> discord.Embed:
    """A verdict for the room: the practice wording, with its author or the draft it ran."""
    room = judged.room
    as_practice = Judged(
        room.problem,
        judged.variant,
        judged.verdict,
        None,
        reveal_allowed=False,
        switched=False,
        hidden_note=hidden_note(judged.variant, judged.verdict),
    )
    embed = verdict_embed(as_practice, test_seconds=test_seconds, spoil=True)
    if judged.draft_version is not None:
        who = f"**Shared draft v{judged.draft_version}**, run by {mention(judged.author_id)}"
    else:
        who = f"Attempt by {mention(judged.author_id)}"
    tail = ""
    if judged.solved_now:
        credited = ", ".join(mention(u) for u in judged.credited)
        tail = (
            f"\n\n🎉 **Team solve** in {duration(judged.seconds or 0)}, credited to {credited}. "
            "Next problem, or close the room?"
        )
    elif judged.draft_version is None and judged.verdict.accepted:
        tail = (
            "\n\nThat works! Reply to the latest draft with it to make it the room's answer, "
            "then **Run draft**."
        )
    embed.description = clip(f"{who}\n{embed.description or ''}{tail}", DESCRIPTION_LIMIT)
    return embed


def scoreboard_embed(board: Scoreboard) -> discord.Embed:
    room = board.room
    state = "open" if room.is_open else "closed"
    lines = [
        f"**{plural(len(board.solved), 'problem')} solved** together in "
        f"{duration(board.seconds)} · room {state}",
    ]
    for solved in board.solved[-10:]:
        lines.append(
            f"• problem {solved.round} `{solved.problem_id}` in {duration(solved.seconds)}"
        )
    if room.is_open and room.round_solved_at is None:
        lines.append(
            f"• problem {room.round} **{clip(room.title, 80)}**: in progress, v{room.version}"
        )
    embed = discord.Embed(
        title="🏆 Room scoreboard",
        description=clip("\n".join(lines), DESCRIPTION_LIMIT),
        colour=INFO_COLOUR,
    )
    rows = [
        f"{mention(m.user_id)} · {plural(m.team_solves, 'team solve')} here "
        f"({m.team_solves_overall} in all rooms) · {plural(m.versions, 'draft version')} · "
        f"{plural(m.attempts, 'own attempt')}"
        for m in board.members[:15]
    ]
    if len(board.members) > 15:
        rows.append(f"… and {len(board.members) - 15} more")
    embed.add_field(name="Members", value=clip("\n".join(rows) or "—", FIELD_LIMIT), inline=False)
    embed.set_footer(text="Team solves are counted apart from solo solves.")
    return embed
