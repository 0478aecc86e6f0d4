"""Learners' names as a server shows them, for pictures (which cannot render mentions)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

import discord

UNKNOWN = "a former member"
FETCHED: OrderedDict[int, str] = OrderedDict()  # names Discord sent when asked
FETCHED_KEPT = 5000


async def display_names(client: Any, guild_id: int, user_ids: Iterable[int]) -> dict[int, str]:
    """Names as the server shows them: the member cache, the user cache, then Discord itself
    (one request per unknown learner of the page, at most a page's worth)."""
    guild = client.get_guild(guild_id)
    names: dict[int, str] = {}
    for user_id in dict.fromkeys(user_ids):
        member = guild.get_member(user_id) if guild else None
        user = member or client.get_user(user_id)
        if user is not None:
            names[user_id] = FETCHED[user_id] = user.display_name
            continue
        if user_id not in FETCHED:
            # Without the members intent most learners are not cached: asked once, remembered
            # (a self-updating board asks again every few minutes otherwise).
            try:
                FETCHED[user_id] = (await client.fetch_user(user_id)).display_name
            except discord.HTTPException:
                FETCHED[user_id] = UNKNOWN
            while len(FETCHED) > FETCHED_KEPT:
                FETCHED.popitem(last=False)
        names[user_id] = FETCHED[user_id]
    return names
