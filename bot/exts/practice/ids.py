"""Custom ids of practice components: each carries the problem it acts on, so a button or a
modal still works after a restart. ``pydojo:<action>:<problem id>:<seed>[:<opening>]``."""

from __future__ import annotations

import re

from bot.services.catalog import ProblemRef

PROBLEM = r"(?P<pid>[a-z0-9-]{1,80}):(?P<seed>\d{1,10})"
CODE_MODAL = re.compile(rf"pydojo:code:{PROBLEM}:(?P<opening>[0-9a-z]{{1,16}})")
CODE_FIELD = "code"


def problem_id_part(ref: ProblemRef) -> str:
    return f"{ref.problem_id}:{ref.seed}"


def ref_of(match: re.Match[str]) -> ProblemRef:
    return ProblemRef(match["pid"], int(match["seed"]))


def code_modal_id(ref: ProblemRef, opening: str) -> str:
    return f"pydojo:code:{problem_id_part(ref)}:{opening}"
