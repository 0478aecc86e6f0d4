"""Answering interactions with the visibility the privacy rules chose.

Discord decides a deferred answer's visibility at the defer: the first follow-up replaces the
"thinking…" placeholder and inherits its visibility, whatever it asks for. So callers defer
with the visibility of the answer they expect, and ``send`` copes when the answer turns out
different (an error after a public defer, a public post after a private one).
"""

from __future__ import annotations

from typing import Any

import discord

from .text import NO_MENTIONS

LOADING = "pydojo.loading"  # interaction.extras: the deferred placeholder is still shown
DEFERRED_PRIVATE = "pydojo.deferred_private"
PROGRESS = "pydojo.progress"  # the placeholder was replaced by a progress note, edited at the end
SETTLED_TEXT = "Only you can see the answer."


async def defer(interaction: discord.Interaction, *, private: bool) -> None:
    if interaction.response.is_done():
        return
    await interaction.response.defer(thinking=True, ephemeral=private)
    interaction.extras[LOADING] = True
    interaction.extras[DEFERRED_PRIVATE] = private


async def progress(interaction: discord.Interaction, text: str) -> None:
    """Show ``text`` in place of the deferred placeholder; the answer later replaces it."""
    if not interaction.extras.get(LOADING):
        return
    await interaction.edit_original_response(content=text)
    interaction.extras[PROGRESS] = True


async def send(interaction: discord.Interaction, *, private: bool, **kwargs: Any) -> None:
    """Answer, or follow up, visible to the learner alone when ``private``."""
    kwargs = {key: value for key, value in kwargs.items() if value is not None}
    kwargs.setdefault("allowed_mentions", NO_MENTIONS)
    if not interaction.response.is_done():
        await interaction.response.send_message(ephemeral=private, **kwargs)
        return
    if not interaction.extras.get(LOADING):
        await interaction.followup.send(ephemeral=private, **kwargs)
        return
    interaction.extras[LOADING] = False
    if (
        interaction.extras.pop(PROGRESS, False)
        and interaction.extras.get(DEFERRED_PRIVATE) == private
    ):
        # A progress note holds the placeholder's place: the answer takes it over.
        file = kwargs.pop("file", None)
        if file is not None:
            kwargs["attachments"] = [file]
        kwargs.setdefault("content", None)
        await interaction.edit_original_response(**kwargs)
    elif interaction.extras.get(DEFERRED_PRIVATE) == private:
        await interaction.followup.send(ephemeral=private, **kwargs)
    elif private:
        # The placeholder is public: settle it, answer privately, then remove it.
        await interaction.edit_original_response(content=SETTLED_TEXT)
        await interaction.followup.send(ephemeral=True, **kwargs)
        await interaction.delete_original_response()
    else:
        # The placeholder is private: the public post goes to the channel itself.
        channel = interaction.channel
        assert isinstance(channel, discord.abc.Messageable)
        posted = await channel.send(**kwargs)
        await interaction.edit_original_response(content=f"Posted: {posted.jump_url}")
