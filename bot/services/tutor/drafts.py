"""What the model writes when it proposes a problem, and how it becomes a course ``Problem``.

The draft is the part of the curriculum's ``Problem`` a model can write: literal tests only
(no ``generate`` expressions — those would run on the host — and so no slow solution), no
template parameters. Its place in the course (module, subtopic, type, difficulty), its kind
and its comparison options come from the example it was modelled on, so a draft cannot
wander out of the course. Whether it is any good is then for the sandbox to decide.
"""

from __future__ import annotations

import hashlib
import json
import re

from pydantic import BaseModel, Field, ValidationError

from curriculum import Problem
from curriculum.schema import Case, WrongSolution


class DraftCase(BaseModel):
    args: str = Field("", description="function problems: the call's arguments as literals")
    calls: str = Field("", description="class problems: a literal list of [name, *args]")
    stdin: str = Field("", description="stdio problems: the program's input")
    expected: str = Field(description="the return value as a literal, or the whole stdout")
    note: str = Field("", description="what this test checks, in a few words")


class DraftMistake(BaseModel):
    note: str = Field(description="the mistake, in one line")
    code: str = Field(description="a complete wrong program making it")


class ProblemDraft(BaseModel):
    title: str
    statement: str
    entry_point: str = Field("", description="the function or class name; empty for stdio")
    starter: str
    solution: str
    wrong_solutions: list[DraftMistake]
    explanation: str
    hints: list[str]
    tags: list[str] = Field(default_factory=list)
    examples: list[DraftCase]
    tests: list[DraftCase]


class DraftRejected(Exception):
    """The draft does not fit the course's schema; the message says where."""


def draft_of(problem: Problem) -> ProblemDraft:
    """A course problem as a draft (its literal cases only), to show the model the format."""

    def case(c: Case) -> DraftCase | None:
        if c.generate or c.steps or c.expected is None:
            return None
        return DraftCase(
            args=c.args, calls=c.calls, stdin=c.stdin, expected=c.expected, note=c.note
        )

    return ProblemDraft(
        title=problem.title,
        statement=problem.statement,
        entry_point=problem.entry_point,
        starter=problem.starter,
        solution=problem.solution,
        wrong_solutions=[DraftMistake(note=w.note, code=w.code) for w in problem.wrong_solutions],
        explanation=problem.explanation,
        hints=list(problem.hints),
        tags=list(problem.tags),
        examples=[d for c in problem.examples if (d := case(c))],
        tests=[d for c in problem.tests if (d := case(c))],
    )


def _slug(text: str) -> str:
    return re.sub(r"-+", "-", re.sub(r"[^a-z0-9]+", "-", text.lower())).strip("-")[:40]


def to_problem(draft: ProblemDraft, like: Problem) -> Problem:
    """The draft as a course problem in ``like``'s place; DraftRejected if it does not fit."""
    digest = hashlib.sha256(draft.model_dump_json().encode()).hexdigest()[:8]
    tags = list(dict.fromkeys([*like.tags, *(t for t in map(_slug, draft.tags) if t)]))[:8]

    def cases(items: list[DraftCase]) -> list[Case]:
        return [
            Case(args=c.args, calls=c.calls, stdin=c.stdin, expected=c.expected, note=c.note)
            for c in items
        ]

    try:
        return Problem(
            id=f"{like.module}-fresh-{digest}"[:80],
            title=draft.title.strip(),
            module=like.module,
            subtopic=like.subtopic,
            problem_type=like.problem_type,
            difficulty=like.difficulty,
            tags=tags,
            kind=like.kind,
            entry_point=draft.entry_point.strip() if like.entry_point else "",
            statement=draft.statement.strip(),
            starter=draft.starter,
            solution=draft.solution,
            wrong_solutions=[
                WrongSolution(note=w.note.strip(), code=w.code) for w in draft.wrong_solutions
            ],
            explanation=draft.explanation.strip(),
            hints=[h.strip() for h in draft.hints],
            examples=cases(draft.examples),
            tests=cases(draft.tests),
            compare=like.compare,
            time_limit=like.time_limit,
        )
    except ValidationError as exc:
        where = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'problem'}: {e['msg']}"
            for e in exc.errors()[:4]
        )
        raise DraftRejected(f"does not fit the course's schema ({where})") from None
    except (ValueError, SyntaxError, TypeError) as exc:
        raise DraftRejected(f"does not fit the course's schema ({exc})") from None


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def statement_digest(problem: Problem) -> str:
    """Equal for two statements that differ only in case, spacing and punctuation."""
    return hashlib.sha256(_words(problem.statement).encode()).hexdigest()


def tests_digest(problem: Problem) -> str:
    """Equal for two problems with the same literal inputs and expected values."""

    def bare(text: str | None) -> str:
        return re.sub(r"\s+", "", text or "")

    rows = sorted(
        json.dumps([bare(c.args), bare(c.calls), bare(c.stdin), bare(c.expected), c.raises])
        for _, c in problem.cases()
    )
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def example_json(problem: Problem) -> str:
    return json.dumps(draft_of(problem).model_dump(), indent=1)
