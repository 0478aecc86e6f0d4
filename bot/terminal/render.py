"""The bot's messages for a terminal: the same embeds, drawn with rich.

Everything a learner reads in Discord is built once, as an embed (``bot/exts/*/render.py``);
here it is printed as a panel of Markdown, so the words are the same in both places.
"""

from __future__ import annotations

import re

import discord
from rich.console import Console, Group, RenderableType
from rich.markdown import Markdown
from rich.panel import Panel
from rich.text import Text

FENCE = "```"
LANGUAGE = re.compile(r"[A-Za-z0-9_+.-]*")


def commonmark(text: str) -> str:
    """Discord's Markdown as CommonMark, which rich draws.

    Discord opens and closes code blocks anywhere in a line (``**Got**```py``) and keeps single
    line breaks; CommonMark wants fences on lines of their own and joins single lines. Spoiler
    bars mean nothing on a terminal: nobody else reads along.
    """
    out: list[str] = []
    for index, part in enumerate(text.replace("||", "").split(FENCE)):
        if index % 2 == 0:  # prose between code blocks
            out.extend(line.rstrip() + "  " if line.strip() else "" for line in part.split("\n"))
            continue
        language, newline, body = part.partition("\n")
        if not newline or not LANGUAGE.fullmatch(language):
            language, body = "", part  # ```code``` on one line: all of it is code
        body = body.strip("\n")
        if "\n" not in body and "`" not in body:  # one line: inline, not a padded block
            out.append(f"`{body}`  ")
            continue
        out.extend(["", FENCE + language, body, FENCE, ""])
    return "\n".join(out)


def _markdown(text: str) -> Markdown:
    return Markdown(commonmark(text), code_theme="ansi_dark")


def show_words(console: Console, text: str) -> None:
    """A one-line message from the bot, in yellow; brackets in it are text, not rich markup."""
    console.print(Markdown(commonmark(text), style="yellow"))


def embed_renderable(embed: discord.Embed) -> RenderableType:
    parts: list[RenderableType] = []
    if embed.description:
        parts.append(_markdown(embed.description))
    for field in embed.fields:
        parts.append(Text(str(field.name), style="bold"))
        parts.append(_markdown(str(field.value)))
    if embed.footer and embed.footer.text:
        # Inside the panel rather than on its border, where rich would cut a long one short.
        parts.append(Text(embed.footer.text, style="dim", justify="right"))
    colour = f"#{embed.colour.value:06x}" if embed.colour is not None else "white"
    return Panel(
        Group(*parts),
        title=Text(embed.title or "", style="bold"),
        border_style=colour,
        title_align="left",
    )


def show(console: Console, embed: discord.Embed) -> None:
    console.print(embed_renderable(embed))
