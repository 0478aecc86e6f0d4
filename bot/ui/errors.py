"""The one error path: what each learner-facing error says, and how it reaches the learner.

Slash commands report through ``LearnerTree.on_error``; buttons and modals through ``guarded``;
chat messages through ``describe`` in their own catch-all. Anything that is not a
``LearnerError`` is a bug on our side: logged with its traceback, and the learner is told so.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from functools import singledispatch

import discord
from discord import app_commands

from bot.services import errors as e
from curriculum import Difficulty

from . import privacy
from .answer import DEFERRED_PRIVATE, send
from .text import CONTENT_LIMIT, clip, plural

log = logging.getLogger(__name__)

SORRY = "Something went wrong on my side; please try again in a moment."
CODE = "pydojo.code"  # interaction.extras: code the learner typed, handed back on failure
LISTED = 20  # module or suggestion names an error lists at most


# -- errors only the chat edge can meet --------------------------------------------------------


@dataclass(eq=False)
class WrongAttachment(e.LearnerError):
    filename: str
    image: bool


IMAGE_TYPES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".heic")


def wrong_attachment(filename: str, content_type: str | None) -> WrongAttachment:
    """A file sent where a ``.py`` file was wanted (a picture is told apart)."""
    image = (content_type or "").startswith("image/") or filename.lower().endswith(IMAGE_TYPES)
    return WrongAttachment(filename, image)


@dataclass(eq=False)
class ForeignThread(e.LearnerError):
    """Code posted in a practice thread that belongs to someone else."""

    owner_id: int


@dataclass(eq=False)
class DailyUnavailable(e.LearnerError):
    pass


@dataclass(eq=False)
class OwnerOnly(e.LearnerError):
    """What the whole bot does is for the bot's owner to see."""


# -- the words ---------------------------------------------------------------------------------


@singledispatch
def words(error: e.LearnerError) -> str:
    log.warning("no wording for %r", error)
    return "That didn't work; please try again."


@words.register
def _(error: e.NoCurrentProblem) -> str:
    return "You have no current problem yet: start one with `/practice`."


@words.register
def _(error: e.ProblemGone) -> str:
    return (
        f"The problem `{error.problem_id}` is no longer in the course; start a new one "
        "with `/practice`."
    )


def unknown_problem(error: e.UnknownProblem) -> str:
    """The name asked for and the nearest ones; the edge says where the full list is."""
    text = f"I know no problem called “{clip(error.asked, 80)}”."
    if error.suggestions:
        text += " Did you mean " + ", ".join(f"**{s}**" for s in error.suggestions) + "?"
    return text


@words.register
def _(error: e.UnknownProblem) -> str:
    return unknown_problem(error) + " As you type `problem:` the menu lists them all."


@words.register
def _(error: e.UnknownModule) -> str:
    names = ", ".join(error.modules[:LISTED])
    return f"There is no module called “{clip(error.asked, 80)}”. The modules are: {names}."


@words.register
def _(error: e.NothingMatches) -> str:
    level = f"{error.difficulty.value} " if error.difficulty else ""
    where = f" in **{error.module}**" if error.module else ""
    return f"There are no {level}problems{where} yet; try another difficulty."


@words.register
def _(error: e.RevealLocked) -> str:
    return (
        f"The solution unlocks after {plural(error.needs_failed, 'failed attempt')} or "
        f"{plural(error.needs_hints, 'hint')} (so far: "
        f"{plural(error.failed, 'failed attempt')}, {plural(error.hints, 'hint')})."
    )


@words.register
def _(error: e.SkipNotAllowed) -> str:
    level = "an advanced" if error.difficulty is Difficulty.ADVANCED else "a"
    return (
        f"In auto mode only advanced problems can be skipped, and this is {level} "
        f"{error.difficulty.value} one. Try **Hint**: each gets you a little closer "
        "(`/auto stop` leaves auto mode)."
    )


@words.register
def _(error: e.NoActiveRun) -> str:
    return "You have no auto-mode run: start one with `/auto start`."


@words.register
def _(error: e.Busy) -> str:
    return (
        f"You already have {plural(error.waiting, 'submission')} waiting for the judge, so "
        "this one was not run. Send it again once their verdicts are in."
    )


@words.register
def _(error: e.Superseded) -> str:
    return "Not judged: you sent newer code, which is judged instead."


@words.register
def _(error: e.SourceTooLarge) -> str:
    return (
        f"That code is {error.size // 1024} KiB; the limit is {error.limit // 1024} KiB. "
        "Solutions here are usually short!"
    )


@words.register
def _(error: e.BinarySource) -> str:
    return "That looks like a binary file, not Python source."


@words.register
def _(error: e.NotText) -> str:
    at = f"line {error.line}, column {error.column}"
    if error.from_file:
        return f"That file is not UTF-8 text ({at}); save it as UTF-8 and send it again."
    return f"Your code contains a character that is not valid text ({at}); retype it and retry."


@words.register
def _(error: e.EmptySource) -> str:
    return "There is no code in there."


@words.register
def _(error: WrongAttachment) -> str:
    if error.image:
        return (
            "I can't read code from a picture: paste it in a ```py code block, or attach "
            "the `.py` file."
        )
    stem = error.filename.rsplit(".", 1)[0] or "solution"
    return (
        f"I judge `.py` files: rename `{clip(error.filename, 60)}` to `{clip(stem, 50)}.py`, "
        "or paste the code in a ```py code block."
    )


@words.register
def _(error: ForeignThread) -> str:
    return (
        f"This is <@{error.owner_id}>'s practice thread, so I won't judge your code here. "
        "Press **Submit** on the problem to try it yourself, or start your own with "
        "`/practice`."
    )


@words.register
def _(error: DailyUnavailable) -> str:
    return "Today's challenge is not available right now; please try again later."


@words.register
def _(error: OwnerOnly) -> str:
    return "Only the bot's owner can see the whole bot's use; server admins can see their server's."


@words.register
def _(error: e.NothingToExplain) -> str:
    if error.why == "accepted":
        return (
            "Your latest attempt was accepted — nothing to explain! **Review** gives feedback "
            "on it."
        )
    if error.why == "unjudged":
        return "I couldn't judge your latest attempt again just now; please try in a minute."
    return "There is no attempt to explain yet: send your code first."


@words.register
def _(error: e.ReviewLocked) -> str:
    return "A review comes once your code is accepted. Keep going!"


@words.register
def _(error: e.AlreadySolved) -> str:
    return "Your latest attempt was accepted already; **Review** gives feedback on it."


@words.register
def _(error: e.BadQuestion) -> str:
    if not error.length:
        return "Ask me something about your current problem."
    return f"Please keep questions under {error.limit} characters (that one has {error.length})."


@words.register
def _(error: e.UnknownTimeZone) -> str:
    text = f"I don't know the time zone “{clip(error.asked, 60)}”."
    if error.suggestions:
        text += " Did you mean " + ", ".join(f"`{s}`" for s in error.suggestions) + "?"
    return text + " Names look like `Europe/Berlin` or `America/New_York`; the menu lists them."


@words.register
def _(error: e.BadTime) -> str:
    return f"“{clip(error.asked, 20)}” is not a time of day: write it like `09:00` or `18:30`."


@words.register
def _(error: e.NoDailyChannel) -> str:
    return "This server has no daily challenge channel yet: choose one with `/daily setup`."


# -- study rooms ------------------------------------------------------------------------------


@dataclass(eq=False)
class DraftTooLongToEdit(e.LearnerError):
    length: int
    limit: int


@dataclass(eq=False)
class NotInRoomThread(e.LearnerError):
    pass


@dataclass(eq=False)
class NoThreadsHere(e.LearnerError):
    pass


@words.register
def _(error: e.RoomLimitReached) -> str:
    return (
        f"This server already has {plural(error.limit, 'open study room')}, the most it allows. "
        "Join one "
        "of them, or close one (**Close room**) first."
    )


@words.register
def _(error: e.RoomGone) -> str:
    return "That study room no longer exists; start a new one with `/room start`."


@words.register
def _(error: e.RoomClosed) -> str:
    return "This study room is closed; start a new one with `/room start`."


@words.register
def _(error: e.NotAMember) -> str:
    return "Press **Join** on the room first: then your code and edits count for the room."


@words.register
def _(error: e.NotRoomOwner) -> str:
    return (
        f"Only <@{error.owner_id}>, who opened the room, or a moderator can do that now "
        "(anyone in the room can move on once the draft is accepted)."
    )


@words.register
def _(error: e.RoundSolved) -> str:
    return "The draft is already accepted: press **Next problem** or **Close room**."


@words.register
def _(error: e.PastRound) -> str:
    return "That draft was for an earlier problem of this room; reply to the latest draft."


@words.register
def _(error: e.UnchangedDraft) -> str:
    return f"That is exactly draft v{error.version}; nothing changed."


@words.register
def _(error: DraftTooLongToEdit) -> str:
    return (
        f"The draft is {error.length} characters, more than the editor holds ({error.limit}). "
        "Reply to the draft message with a ```py code block or a `.py` file instead."
    )


@words.register
def _(error: NotInRoomThread) -> str:
    return "I can't find this room's thread any more; start a new room with `/room start`."


@words.register
def _(error: NoThreadsHere) -> str:
    return "Study rooms open as threads of a text channel: use `/room start` in one."


@words.register
def _(error: e.StaleDraft) -> str:
    return (
        f"Your edit was based on draft v{error.based_on}, but it is now v{error.current}: "
        "nothing was overwritten. Merge your change into the latest draft and try again."
    )


def describe(error: BaseException) -> str | None:
    """What to tell the learner, or None for a bug (which the caller logs)."""
    if isinstance(error, app_commands.CommandInvokeError):
        return describe(error.original)
    if isinstance(error, app_commands.TransformerError):
        return f"I couldn't read “{clip(str(error.value), 80)}” there; please check it."
    if isinstance(error, e.LearnerError):
        return words(error)
    if isinstance(error, app_commands.NoPrivateMessage):
        return "That command works in a server, not in DMs."
    if isinstance(error, app_commands.MissingPermissions):
        return "You need the Manage Server permission for that."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Please wait {error.retry_after:.0f} s before using that again."
    if isinstance(error, app_commands.CheckFailure):
        return "That command can't be used here."
    return None


def code_file(code: str, filename: str = "your-code.py") -> discord.File:
    return discord.File(io.BytesIO(code.encode("utf-8", "replace")), filename=filename)


async def report(interaction: discord.Interaction, error: BaseException) -> None:
    """Tell the learner, privately. Code they typed in a modal comes back to them attached."""
    text = describe(error)
    if text is None:
        data = interaction.data or {}
        what = data.get("name") or data.get("custom_id") or interaction.type.name
        log.error("%s by user %s failed", what, interaction.user.id, exc_info=error)
        text = SORRY
    code = interaction.extras.get(CODE)
    file = None
    if code:
        text += "\nHere is the code you sent, so nothing is lost."
        file = code_file(code)
    private = privacy.error_is_private(
        interaction.guild is None, interaction.extras.get(DEFERRED_PRIVATE)
    )
    try:
        await send(interaction, private=private, content=clip(text, CONTENT_LIMIT), file=file)
    except discord.HTTPException:
        log.warning("could not report an error to user %s", interaction.user.id, exc_info=True)


async def guarded(interaction: discord.Interaction, action: Awaitable[None]) -> None:
    """Buttons and modals report errors exactly like slash commands do."""
    try:
        await action
    except Exception as exc:
        await report(interaction, exc)


class LearnerTree(app_commands.CommandTree):
    """The command tree: every slash command's error goes through ``report``."""

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await report(interaction, error)
