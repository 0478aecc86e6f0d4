"""Text that fits Discord's limits and that user-supplied content cannot break out of."""

from __future__ import annotations

import re

import discord

CONTENT_LIMIT = 2000
EMBED_TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_LIMIT = 1024
FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000
MODAL_TITLE_LIMIT = 45
CHOICE_NAME_LIMIT = 100
CHOICE_VALUE_LIMIT = 100
CUSTOM_ID_LIMIT = 100
THREAD_NAME_LIMIT = 100
TEXT_INPUT_LIMIT = 4000
NO_MENTIONS = discord.AllowedMentions.none()


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis when something was cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# Any two backticks in a row get a zero-width space between them: no run of three is left to
# close a block (replacing "```" alone leaves one behind in "````").
_BACKTICK_PAIR = re.compile("`(?=`)")


def safe_block(text: str, limit: int = 900, lang: str = "") -> str:
    """A code block that user text cannot break out of, within ``limit`` characters."""
    body = _BACKTICK_PAIR.sub("`\u200b", text)
    body = clip(body, max(10, limit - len(lang) - 8))
    return f"```{lang}\n{body}\n```"


def inline_code(text: str | None, limit: int = 200) -> str:
    """User text as one inline code span it cannot break out of ("nothing" when empty)."""
    body = clip((text or "").replace("`", "ˋ").replace("\n", " ⏎ "), limit)
    return f"`{body}`" if body.strip() else "nothing"


# Discord drops a backslash before any punctuation, so escaping every markdown character shows
# the text as it is (``discord.utils.escape_markdown`` escapes only the first of several links).
_MARKDOWN = re.compile(r"([\\*_~|>#\[\]()<:\-])")


def no_markdown(text: str, limit: int) -> str:
    """User text shown outside code: no markdown (links, headings, emphasis) and no mentions,
    even where allowed mentions would not ping (embeds still render a mention)."""
    text = clip(text, limit).replace("`", "ˋ")
    return discord.utils.escape_mentions(_MARKDOWN.sub(r"\\\1", text))


def spoiler(text: str) -> str:
    """Hidden until clicked; a ``||`` inside cannot end the spoiler early."""
    return "||" + text.replace("||", "|\u200b|") + "||"


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else many or word + 's'}"


def duration(seconds: float) -> str:
    """ "45 s", "14 min", "2 h 5 min": how long a solve took, to the precision people read."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"
