"""Who sees what. Every visibility rule of the bot lives here.

- A DM is private: everything is posted plainly there.
- A learner's own practice thread is theirs but public: problems and verdicts are posted in it
  (the thread is the record of their practice); an accepted answer's explanation is
  spoiler-tagged; hints and the reference solution are ephemeral.
- Anywhere else in a server — the daily challenge's channel and thread, someone else's practice
  thread, a plain channel — answers to a learner's button, modal or command are ephemeral, and
  a new problem goes to the learner's own thread.
- Errors meant for one learner are ephemeral wherever an interaction allows it. A chat message
  can only be answered by a reply, so that reply stays short and never spoils a solution.
- The daily challenge is answered privately (Submit) so nobody's solution is spoiled; ``/run``
  output, public elsewhere, is private there too.
- Answers about one learner (history, auto-mode status, help, settings, where their problem
  went) are private; progress shared on purpose (``/stats``, ``/leaderboard``) is public.
- Code posted in a daily challenge's channel or thread is judged and then taken out of sight:
  deleted (the learner gets it back by DM) or re-posted under spoiler tags, as the server
  chose. Its verdict is public there, with the explanation behind a spoiler.
- A server may keep verdicts private (``/settings``): then answers to buttons and modals are
  ephemeral even in the learner's own thread, and code posted as a chat message is judged with
  its verdict sent by DM (only a short note stays in the channel).
"""

from __future__ import annotations

from .place import Location, Place

PERSONAL = True  # ``private=`` for answers about the learner alone
SHARED = False  # ``private=`` for progress shown to the channel on purpose
POSTED = False  # ``private=`` for a problem or verdict posted where the learner practises


def error_is_private(in_dm: bool, deferred_private: bool | None) -> bool:
    """Errors are the learner's alone; in a DM nobody else reads along, so an error there simply
    takes the place of a public "thinking…" instead of being moved out of sight."""
    return not in_dm or deferred_private is not False


def answer_is_private(where: Location) -> bool:
    """Verdicts and other answers to a learner's button, modal or command."""
    return where.place not in (Place.DM, Place.OWN_THREAD) or where.verdicts_private


def chat_verdict_by_dm(where: Location) -> bool:
    """A verdict on code posted as a chat message goes to the learner's DMs."""
    return where.place is not Place.DM and where.verdicts_private


def hide_posted_code(where: Location) -> bool:
    """Code posted where a daily challenge is discussed is taken out of sight once judged."""
    return where.place is Place.DAILY


def help_is_private(where: Location) -> bool:
    """Hints and the reference solution: for the learner's eyes (a DM is already private)."""
    return where.place is not Place.DM


def run_output_is_private(where: Location) -> bool:
    """``/run`` output is shared, except where it could spoil the daily challenge."""
    return where.place is Place.DAILY


def problem_goes_to_own_thread(where: Location) -> bool:
    """A new problem asked for in a server lands in the learner's own thread."""
    return where.place is not Place.DM and where.place is not Place.OWN_THREAD


def spoil_explanation(where: Location, private: bool) -> bool:
    """An accepted answer's explanation is hidden behind a spoiler wherever others can read."""
    return not private and where.place is not Place.DM


def how_to_answer(
    place: Place, *, daily_post: bool = False, reads_code: bool = True, private: bool = False
) -> str:
    """The line under a problem saying how to answer it where it is shown (``reads_code``:
    code blocks are read there; ``private``: the server keeps verdicts private)."""
    if daily_post:
        return (
            "Press **Submit** to answer privately, or post your code in the thread — I hide "
            "it once judged. Please keep solutions out of this channel until tomorrow."
        )
    if place is Place.DM:
        return "Answer with a ```py code block here, a `.py` file, or **Submit**."
    if not reads_code:
        return "Answer with **Submit** (code blocks are not read in this channel)."
    note = " Verdicts come to you privately." if private else ""
    if place is Place.OWN_THREAD:
        return "Answer with a ```py code block here, a `.py` file, or **Submit**." + note
    return "Answer with **Submit**, or mention me with a ```py code block." + note
