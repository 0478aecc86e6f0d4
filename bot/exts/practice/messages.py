"""Code posted as chat messages: which messages the bot acts on, and exactly one answer to each.

The bot acts on a message in a DM, in the author's own practice thread, in a daily challenge's
thread (or an answer to it posted in its channel), with code in someone else's practice thread
(to say whose it is), and on any message that mentions it — in a server that chose its code
channels, only there (elsewhere it points to **Submit**). The answer is a reply (a verdict, a
nudge, an error) — or a ⏭️ reaction when a newer message from the same learner took its place in
the queue. Editing a message within a minute re-does its answer in place, whatever that answer
was. Code where a daily challenge is discussed is taken out of sight, and a server with private
verdicts gets them by DM (``posted_code``).
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import discord

from bot.codeblocks import extract_code
from bot.services.catalog import ProblemRef
from bot.services.errors import LearnerError, SourceTooLarge, Superseded
from bot.services.source import MAX_SOURCE_BYTES
from bot.ui import privacy
from bot.ui.context import services_of
from bot.ui.errors import SORRY, ForeignThread, describe, wrong_attachment
from bot.ui.place import Location, Place, locate_message
from bot.ui.queue_wait import QueueNotice, while_queued
from bot.ui.text import NO_MENTIONS

from .judging import verdict_of
from .posted_code import Hidden, hide, open_verdict_dm
from .views import verdict_view

if TYPE_CHECKING:
    from bot.app import PyDojo

log = logging.getLogger(__name__)
EDIT_WINDOW = 60.0  # seconds during which editing a message re-does its answer
SKIPPED = "⏭️"
DMS_CLOSED = (
    "This server keeps verdicts private, and I can't DM you, so your code was not judged. "
    "Press **Submit** under the problem (or use `/submit`) for a private verdict, or allow "
    "DMs from this server's members."
)
IN_YOUR_DMS = "📬 Judged: your verdict is in your DMs."
NOT_REMOVED = (
    "⚠️ I couldn't remove your code (I need the Manage Messages permission here): please "
    "delete it to keep the challenge unspoiled."
)
HELP_POINTER = (
    "I read code: post it in a ```py code block, or attach a `.py` file. Stuck? **Hint** under "
    "the problem (or `/hint`) gives a nudge, and `/help` lists everything."
)


# Words of someone stuck; chat such as "thanks" or "ok" gets no answer.
HELP_WORDS = re.compile(
    r"\b(help|stuck|understand|confus\w*|explain|hint|how|why|what|don'?t get|no idea)\b", re.I
)


def asks_for_help(text: str) -> bool:
    return "?" in text or HELP_WORDS.search(text) is not None


@dataclass
class Answered:
    at: float
    reply: discord.Message | None  # None when the answer was a reaction


@dataclass(frozen=True)
class Answer:
    content: str | None = None
    embed: discord.Embed | None = None
    view: discord.ui.View | None = None
    reaction: str | None = None
    hidden: Hidden | None = None  # the message was taken out of sight (``posted_code``)


def not_read_here(where: Location) -> str:
    channels = where.settings.code_channel_ids if where.settings else ()
    listed = ", ".join(f"<#{c}>" for c in channels[:10])
    return (
        f"In this server I read code blocks in {listed} (and threads there). Here, press "
        "**Submit** under the problem or use `/submit`."
    )


def written(message: discord.Message) -> int:
    """When the message's current text was written, as a snowflake (edits are newer)."""
    if message.edited_at is not None:
        return discord.utils.time_snowflake(message.edited_at)
    return message.id


class CodeMessages:
    def __init__(self, bot: PyDojo) -> None:
        self.bot = bot
        self._answered: dict[int, Answered] = {}
        self._judging: dict[int, int] = {}  # message id -> order of its latest text in the queue

    async def on_message(self, message: discord.Message) -> None:
        await self._handle(message, None)

    async def on_edit(self, before: discord.Message, after: discord.Message) -> None:
        if before.content == after.content and before.attachments == after.attachments:
            return
        if after.id in self._judging:  # still waiting for the judge: the new text replaces it
            await self._handle(after, None)
            return
        known = self._answered.get(after.id)
        if known is None:
            return
        if time.monotonic() - known.at > EDIT_WINDOW:
            self._answered.pop(after.id, None)
            return
        await self._handle(after, known.reply)

    # -- deciding and answering -----------------------------------------------------------------

    async def _handle(self, message: discord.Message, previous: discord.Message | None) -> None:
        if message.author.bot or message.webhook_id is not None:
            return
        in_dm = message.guild is None
        mentioned = self.bot.user is not None and self.bot.user in message.mentions
        maybe_daily = "```" in message.content  # an answer posted in a daily channel
        if not (in_dm or mentioned or maybe_daily or isinstance(message.channel, discord.Thread)):
            return  # not addressed to the bot, and no practice thread: no database read
        where = None
        try:
            where = await locate_message(services_of(self.bot), message)
            answer = await self._answer(message, where, mentioned)
        except LearnerError as exc:
            answer = Answer(content=describe(exc))
        except Exception:
            log.exception("message %s from %s failed", message.id, message.author.id)
            known = where is not None and where.place in (Place.DM, Place.OWN_THREAD)
            if not (in_dm or mentioned or known):
                return  # not even sure the message was for us: stay quiet rather than guess
            answer = Answer(content=SORRY)
        if answer is not None:
            await self._deliver(message, answer, previous)

    async def _answer(
        self, message: discord.Message, where: Location, mentioned: bool
    ) -> Answer | None:
        """The one answer to a message, or None when the bot does not act on it."""
        place = where.place
        daily_thread = place is Place.DAILY and where.in_thread  # answers are posted there
        found = extract_code(message.content)
        addressed = (
            place in (Place.DM, Place.OWN_THREAD)
            or mentioned
            or daily_thread
            or self._answers_the_daily(where, found.code)
        )
        has_code = found.code is not None or bool(message.attachments)
        if place is Place.OTHERS_THREAD:
            if has_code:
                assert where.thread_owner is not None
                raise ForeignThread(where.thread_owner)
            return Answer(content=HELP_POINTER) if mentioned else None
        if not addressed:
            return None
        if has_code and not where.reads_code:
            return Answer(content=not_read_here(where))
        in_room = (
            place is Place.CHANNEL
            and where.in_thread
            and where.channel_id is not None
            and await services_of(self.bot).rooms.in_thread(where.channel_id) is not None
        )
        if in_room:
            return None  # a study room's thread: the room answers code posted there
        source, filename = await self._source(message, found.code)
        if source is None:
            if found.nudge:
                return Answer(content=found.nudge)
            if mentioned or (asks_for_help(message.content) and not daily_thread):
                return Answer(content=HELP_POINTER)
            return None
        ref = await self._problem(message, where)
        dm = None
        if privacy.chat_verdict_by_dm(where):
            dm = await open_verdict_dm(message)
        hidden = None
        if privacy.hide_posted_code(where):
            policy = where.settings.daily_code if where.settings else "spoiler"
            hidden = await hide(message, source, filename, policy, dm)
        if privacy.chat_verdict_by_dm(where) and dm is None:
            return Answer(content=DMS_CLOSED, hidden=hidden)
        services = services_of(self.bot)
        order = written(message)
        self._judging[message.id] = order
        try:
            async with message.channel.typing(), QueueNotice(message) as notice:
                judged = await while_queued(
                    services.practice.submit(
                        message.author.id, source, ref, where.where, order=order
                    ),
                    services.runner,
                    message.author.id,
                    notice.tell,
                )
        except Superseded:
            if dm is not None:
                await self._settle_dm(dm, content=describe(Superseded()))
            # Replaced by this message's own edit: that one answers. Else by a newer message.
            if self._judging.get(message.id) != order:
                return None
            if hidden is not None and hidden.removed:  # nothing to react to any more
                return Answer(content=f"{SKIPPED} {describe(Superseded())}", hidden=hidden)
            return Answer(reaction=SKIPPED, hidden=hidden)
        except LearnerError as exc:
            if dm is not None:
                await self._settle_dm(dm, content=describe(exc))
                return Answer(content=IN_YOUR_DMS, hidden=hidden)
            return Answer(content=describe(exc), hidden=hidden)
        finally:
            if self._judging.get(message.id) == order:
                del self._judging[message.id]
        embed = verdict_of(self.bot, judged, where, private=dm is not None)
        if dm is not None:
            await self._settle_dm(dm, embed=embed, view=verdict_view(judged))
            return Answer(content=IN_YOUR_DMS, hidden=hidden)
        return Answer(embed=embed, view=verdict_view(judged), hidden=hidden)

    def _answers_the_daily(self, where: Location, code: str | None) -> bool:
        """Code in the daily channel itself that defines what today's challenge asks for: an
        answer posted in the wrong place, judged and hidden like one in the thread (other code
        in what may be a busy channel is left alone)."""
        if where.place is not Place.DAILY or where.daily_problem is None or code is None:
            return False
        problem = services_of(self.bot).curriculum.get(where.daily_problem.problem_id)
        if problem is None or not problem.entry_point:
            return False
        header = rf"^\s*(async\s+)?(def|class)\s+{re.escape(problem.entry_point)}\b"
        return re.search(header, code, re.MULTILINE) is not None

    @staticmethod
    async def _settle_dm(dm: discord.Message, **fields: Any) -> None:
        """The "judging…" DM becomes the verdict (or what stopped it)."""
        fields.setdefault("content", None)
        try:
            await dm.edit(**fields, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException:
            log.warning("could not edit a verdict DM %s", dm.id, exc_info=True)

    async def _problem(self, message: discord.Message, where: Location) -> ProblemRef:
        """The problem on the screen the message was written against."""
        if where.thread_problem is not None:
            return where.thread_problem
        if where.daily_problem is not None:
            return where.daily_problem
        return await services_of(self.bot).practice.current_ref(message.author.id)

    @staticmethod
    async def _source(
        message: discord.Message, block: str | None
    ) -> tuple[str | bytes | None, str]:
        """The code sent (a ``.py`` attachment first, else the code block) and its file name."""
        for attachment in message.attachments:
            if attachment.filename.lower().endswith(".py"):
                if attachment.size > MAX_SOURCE_BYTES:
                    raise SourceTooLarge(attachment.size, MAX_SOURCE_BYTES)
                return await attachment.read(), attachment.filename
        if block is not None:
            return block, "answer.py"
        if message.attachments:
            first = message.attachments[0]
            raise wrong_attachment(first.filename, first.content_type)
        return None, ""

    async def _deliver(
        self, message: discord.Message, answer: Answer, previous: discord.Message | None
    ) -> None:
        if previous is None and (known := self._answered.get(message.id)) is not None:
            previous = known.reply  # answered meanwhile (an edit raced its original): one reply
        sent: discord.Message | None = None
        hidden = answer.hidden
        try:
            if hidden is not None and hidden.removed:
                # Nothing left to reply to: the answer goes to the channel, naming its author.
                content = f"{message.author.mention} {answer.content or ''}".strip()
                posted = {"content": content, "embed": answer.embed, "view": answer.view}
                channel = message.channel
                assert isinstance(channel, discord.abc.Messageable)
                await channel.send(
                    **{k: v for k, v in posted.items() if v is not None},
                    allowed_mentions=NO_MENTIONS,
                )
                return
            if hidden is not None and not hidden.removed:
                answer = Answer(
                    content="\n".join(filter(None, (answer.content, NOT_REMOVED))),
                    embed=answer.embed,
                    view=answer.view,
                    reaction=answer.reaction,
                )
            if answer.reaction and not answer.content:
                await message.add_reaction(answer.reaction)
            elif previous is not None:
                edited = "(re-judged after your edit)" if answer.embed else answer.content
                fields: dict[str, Any] = {
                    "content": edited,
                    "embed": answer.embed,
                    "view": answer.view,
                }
                sent = await previous.edit(**fields, allowed_mentions=NO_MENTIONS)
            else:
                fields = {
                    k: v
                    for k, v in (
                        ("content", answer.content),
                        ("embed", answer.embed),
                        ("view", answer.view),
                    )
                    if v is not None
                }
                sent = await message.reply(
                    **fields, mention_author=False, allowed_mentions=NO_MENTIONS
                )
        except discord.HTTPException:
            log.warning("could not answer message %s", message.id, exc_info=True)
            return
        self._remember(message.id, sent)

    def _remember(self, message_id: int, sent: discord.Message | None) -> None:
        now = time.monotonic()
        self._answered[message_id] = Answered(now, sent)
        for key, answered in list(self._answered.items()):
            if now - answered.at > EDIT_WINDOW:
                del self._answered[key]
