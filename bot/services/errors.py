"""What can go wrong for a learner, as data. The chat edge decides the words.

Every exception a learner should hear about derives from ``LearnerError``; anything else that
escapes a service is a bug on our side. No message here names a command or a button: the same
service serves Discord, the shell and tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from curriculum import Difficulty


class LearnerError(Exception):
    """Something the learner can fix, or should simply know. Fields say what happened."""


@dataclass(eq=False)
class NoCurrentProblem(LearnerError):
    pass


@dataclass(eq=False)
class ProblemGone(LearnerError):
    """A button or stored session points at a problem the course no longer has."""

    problem_id: str


@dataclass(eq=False)
class UnknownProblem(LearnerError):
    asked: str
    suggestions: list[str] = field(default_factory=list)  # titles of near matches


@dataclass(eq=False)
class UnknownModule(LearnerError):
    asked: str
    modules: list[str] = field(default_factory=list)  # every module's title, in course order


@dataclass(eq=False)
class NothingMatches(LearnerError):
    module: str | None  # module title
    difficulty: Difficulty | None


@dataclass(eq=False)
class RevealLocked(LearnerError):
    failed: int
    hints: int
    needs_failed: int
    needs_hints: int


@dataclass(eq=False)
class SkipNotAllowed(LearnerError):
    """Auto mode lets learners skip advanced problems only."""

    difficulty: Difficulty


@dataclass(eq=False)
class NoActiveRun(LearnerError):
    pass


@dataclass(eq=False)
class Busy(LearnerError):
    """Too many of the learner's submissions are already waiting for the sandbox."""

    waiting: int


@dataclass(eq=False)
class Superseded(LearnerError):
    """A newer chat message from the same learner took this one's place in the queue."""


class BadSource(LearnerError):
    """Code that cannot be judged at all."""


@dataclass(eq=False)
class SourceTooLarge(BadSource):
    size: int  # bytes
    limit: int


@dataclass(eq=False)
class BinarySource(BadSource):
    pass


@dataclass(eq=False)
class NotText(BadSource):
    """Not UTF-8 (files) or not encodable text (pasted code); line and column are 1-based."""

    line: int
    column: int
    from_file: bool


@dataclass(eq=False)
class EmptySource(BadSource):
    pass


# -- the AI tutor --------------------------------------------------------------------------------


@dataclass(eq=False)
class NothingToExplain(LearnerError):
    """Explaining needs a failed attempt: ``why`` is "no_attempt", "accepted" or "unjudged"
    (the latest attempt could not be judged again just now)."""

    why: str


@dataclass(eq=False)
class ReviewLocked(LearnerError):
    """A review comes once the learner's latest attempt is accepted."""


@dataclass(eq=False)
class AlreadySolved(LearnerError):
    """A hint was asked for code that is already accepted."""


@dataclass(eq=False)
class BadQuestion(LearnerError):
    """A question for the tutor that is empty (``length`` 0) or too long."""

    length: int
    limit: int


@dataclass(eq=False)
class UnknownTimeZone(LearnerError):
    asked: str
    suggestions: list[str] = field(default_factory=list)  # IANA names close to it


@dataclass(eq=False)
class BadTime(LearnerError):
    """Not a time of day as HH:MM."""

    asked: str


@dataclass(eq=False)
class NoDailyChannel(LearnerError):
    """The server has not chosen where its daily challenge goes."""


# -- study rooms ------------------------------------------------------------------------------


@dataclass(eq=False)
class RoomLimitReached(LearnerError):
    limit: int


@dataclass(eq=False)
class RoomGone(LearnerError):
    """No such room (a button or modal from a room that was removed)."""


@dataclass(eq=False)
class RoomClosed(LearnerError):
    pass


@dataclass(eq=False)
class NotAMember(LearnerError):
    pass


@dataclass(eq=False)
class NotRoomOwner(LearnerError):
    """Only whoever opened the room (or a moderator) may close it or skip a problem."""

    owner_id: int


@dataclass(eq=False)
class RoundSolved(LearnerError):
    """The draft of this problem was accepted: the room moves on or closes first."""


@dataclass(eq=False)
class PastRound(LearnerError):
    """An edit or button of a problem the room has already left."""


@dataclass(eq=False)
class UnchangedDraft(LearnerError):
    version: int


@dataclass(eq=False)
class StaleDraft(LearnerError):
    """An edit based on a version that is no longer the latest: nothing was changed."""

    based_on: int
    current: int
    current_author: int | None
    current_source: str
    yours: str
    diff: list[str]  # from the latest version to the edit: what merging it would change
