"""Tiny courses written into temporary folders, for curriculum and service tests."""

from __future__ import annotations

from pathlib import Path

MODULE = """
id = "{module}"
title = "{title}"
order = {order}
overview = "An overview long enough to satisfy the schema's minimum."
python_notes = "Notes about Python idioms, long enough for the schema."

[subtopics.basics]
title = "Basics"
overview = "The first steps of the module."

[subtopics.basics.types.arithmetic]
title = "Arithmetic"
overview = "Computing a number from numbers."

[subtopics.other]
title = "Other"
overview = "Something else entirely, for variety."

[subtopics.other.types.misc]
title = "Misc"
overview = "Assorted small exercises."
"""

HINTS = '["Think about operators.", "Use +.", "Give back the sum of the two numbers."]'

PROBLEM = '''
id = "{id}"
title = "Problem {id}"
module = "{module}"
subtopic = "{subtopic}"
problem_type = "{problem_type}"
difficulty = "{difficulty}"
tags = {tags}
kind = "function"
entry_point = "add"
statement = "Write `add(a, b)` returning the sum. Example: `add(2, 3)` is `5`."
starter = """
def add(a, b):
    {starter_body}
"""
solution = """
def add(a, b):
    {solution_body}
"""
explanation = "Use the plus operator; constant time."
hints = {hints}

[[examples]]
args = "2, 3"
expected = "5"

[[examples]]
args = "0, 0"
expected = "0"

[[tests]]
args = "-1, 1"
expected = "0"

[[tests]]
args = "10, 20"
expected = "30"

[[tests]]
args = "1, 1"
expected = "2"

[[tests]]
args = "5, -7"
expected = "-2"

[[tests]]
args = "100, 1"
expected = "101"
'''


def write_problem(
    root: Path,
    pid: str,
    module: str = "alpha",
    subtopic: str = "basics",
    problem_type: str = "arithmetic",
    difficulty: str = "beginner",
    tags: str = '["plus"]',
    starter_body: str = "pass",
    solution_body: str = "return a + b",
    extra: str = "",
    hints: str = HINTS,
) -> Path:
    folder = root / module
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "module.toml").exists():
        order = len(list(root.iterdir()))
        (folder / "module.toml").write_text(
            MODULE.format(module=module, title=module.title(), order=order)
        )
    path = folder / f"{pid}.toml"
    path.write_text(
        PROBLEM.format(
            id=pid,
            module=module,
            subtopic=subtopic,
            problem_type=problem_type,
            difficulty=difficulty,
            tags=tags,
            starter_body=starter_body,
            solution_body=solution_body,
            hints=hints,
        )
        + extra
    )
    return path


def wrong_solution(note: str, code: str) -> str:
    """A ``[[wrong_solutions]]`` table to pass as ``extra``."""
    return f'\n[[wrong_solutions]]\nnote = "{note}"\ncode = """\n{code}\n"""\n'
