"""A small course for whole learner journeys, and the bot that serves it.

Every problem has its own function name, so an answer judged against the wrong problem cannot
pass by accident; one is a template whose title, statement and starter carry placeholders.
"""

from __future__ import annotations

import textwrap
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from curriculum import Curriculum, load_curriculum

from ..discord_harness import DiscordHarness, start_harness

MODULES = {
    "warmup": ("Warm-up", 1, "basics", "Basics", "arithmetic", "Arithmetic"),
    "text": ("Text & Strings", 2, "words", "Words", "transform", "Transforming text"),
    "extras": ("Extras", 3, "misc", "Misc", "misc", "Miscellany"),
}


@dataclass
class Spec:
    pid: str
    module: str
    difficulty: str
    entry: str
    params: str  # the function's parameters
    solution: str  # the body of a correct function
    wrong: str  # the body of a plausible wrong one
    examples: list[tuple[str, str]]
    tests: list[tuple[str, str, str]]  # args, expected, note
    title: str = ""
    extra: str = field(default="")  # TOML appended (template parameters)
    prelude: str = ""  # code before the function, in starter and solution


SPECS = [
    Spec(
        "w-add",
        "warmup",
        "beginner",
        "add",
        "a, b",
        "return a + b",
        "return a - b",
        [("2, 3", "5"), ("0, 0", "0")],
        [
            ("-1, 1", "0", "a negative number"),
            ("10, 20", "30", ""),
            ("1, 1", "2", ""),
            ("5, -7", "-2", ""),
            ("100, 1", "101", ""),
        ],
    ),
    Spec(
        "w-double",
        "warmup",
        "beginner",
        "double",
        "x",
        "return x * 2",
        "return x + 2",
        [("3", "6"), ("0", "0")],
        [
            ("-4", "-8", "negative input"),
            ("1", "2", ""),
            ("50", "100", ""),
            ("7", "14", ""),
            ("2", "4", ""),
        ],
    ),
    Spec(
        "w-negate",
        "warmup",
        "beginner",
        "negate",
        "x",
        "return -x",
        "return abs(x)",
        [("3", "-3"), ("0", "0")],
        [
            ("-4", "4", "a negative number becomes positive"),
            ("1", "-1", ""),
            ("50", "-50", ""),
            ("7", "-7", ""),
            ("2", "-2", ""),
        ],
    ),
    Spec(
        "w-scale",
        "warmup",
        "beginner",
        "scale",
        "x",
        "return x * FACTOR",
        "return x + FACTOR",
        [("5", "{{k.five}}"), ("0", "0")],
        [
            ("1", "{{k.value}}", "one"),
            ("10", "{{k.ten}}", ""),
            ("-1", "-{{k.value}}", ""),
            ("5", "{{k.five}}", ""),
            ("100", "{{k.hundred}}", ""),
        ],
        title="Scale every number by the factor of {{k.name}}",
        prelude="FACTOR = {{k.value}}\n\n\n",
        extra=textwrap.dedent("""
             [parameters.k]
             choices = [
                 { name = "two", value = "2", five = "10", ten = "20", hundred = "200" },
                 { name = "three", value = "3", five = "15", ten = "30", hundred = "300" },
                 { name = "seven", value = "7", five = "35", ten = "70", hundred = "700" },
             ]
         """),
    ),
    Spec(
        "w-clamp",
        "warmup",
        "intermediate",
        "clamp",
        "x, lo, hi",
        "return max(lo, min(x, hi))",
        "return min(x, hi)",
        [("5, 0, 10", "5"), ("-3, 0, 10", "0")],
        [
            ("11, 0, 10", "10", ""),
            ("0, 0, 0", "0", ""),
            ("-9, -5, 5", "-5", "below the range"),
            ("3, 3, 4", "3", ""),
            ("4, 3, 4", "4", ""),
        ],
    ),
    Spec(
        "w-biggest",
        "warmup",
        "intermediate",
        "biggest",
        "a, b, c",
        "return max(a, b, c)",
        "return max(a, b)",
        [("1, 2, 3", "3"), ("3, 2, 1", "3")],
        [
            ("1, 3, 2", "3", ""),
            ("-1, -2, -3", "-1", ""),
            ("5, 5, 5", "5", ""),
            ("0, 0, 9", "9", "the last is the biggest"),
            ("2, 9, 1", "9", ""),
        ],
    ),
    Spec(
        "w-digit-sum",
        "warmup",
        "advanced",
        "digit_sum",
        "n",
        "return sum(map(int, str(n)))",
        "return n % 10",
        [("123", "6"), ("0", "0")],
        [
            ("9", "9", ""),
            ("99", "18", ""),
            ("1000", "1", ""),
            ("4567", "22", ""),
            ("10101", "3", ""),
        ],
    ),
    Spec(
        "t-shout",
        "text",
        "beginner",
        "shout",
        "s",
        "return s.upper() + '!'",
        "return s.upper()",
        [("'hi'", "'HI!'"), ("''", "'!'")],
        [
            ("'a b'", "'A B!'", ""),
            ("'X'", "'X!'", ""),
            ("'ok'", "'OK!'", ""),
            ("'why'", "'WHY!'", ""),
            ("'9'", "'9!'", ""),
        ],
    ),
    Spec(
        "t-first",
        "text",
        "beginner",
        "first_char",
        "s",
        "return s[:1]",
        "return s[-1:]",  # never raises: every journey's miss is a wrong answer
        [("'hello'", "'h'"), ("'x'", "'x'")],
        [
            ("''", "''", "the empty string"),
            ("'ab'", "'a'", ""),
            ("'zz'", "'z'", ""),
            ("'Q'", "'Q'", ""),
            ("'  '", "' '", ""),
        ],
    ),
    Spec(
        "t-vowels",
        "text",
        "intermediate",
        "count_vowels",
        "s",
        "return sum(c in 'aeiou' for c in s.lower())",
        "return sum(c in 'aeiou' for c in s)",
        [("'hello'", "2"), ("'xyz'", "0")],
        [
            ("'AEIOU'", "5", "capital vowels"),
            ("''", "0", ""),
            ("'banana'", "3", ""),
            ("'sky'", "0", ""),
            ("'queue'", "4", ""),
        ],
    ),
    Spec(
        "t-reverse-words",
        "text",
        "intermediate",
        "reverse_words",
        "s",
        "return ' '.join(reversed(s.split()))",
        "return s[::-1]",
        [("'a b c'", "'c b a'"), ("'one'", "'one'")],
        [
            ("''", "''", ""),
            ("'hi there'", "'there hi'", ""),
            ("'x y'", "'y x'", ""),
            ("'1 2 3 4'", "'4 3 2 1'", ""),
            ("'  lots   of space '", "'space of lots'", "extra spaces between words"),
        ],
    ),
    Spec(
        "t-palindrome",
        "text",
        "advanced",
        "is_palindrome",
        "s",
        "return s == s[::-1]",
        # Wrong on one test only ('abca'), and never an error: hidden tests run in a random
        # order, so a wrong answer that also raised would fail either way from run to run.
        "return len(s) < 2 or s[0] == s[-1]",
        [("'abba'", "True"), ("'abc'", "False")],
        [
            ("''", "True", ""),
            ("'a'", "True", ""),
            ("'abca'", "False", "ends match, middle not"),
            ("'racecar'", "True", ""),
            ("'ab'", "False", ""),
        ],
    ),
    Spec(
        "x-hello",
        "extras",
        "beginner",
        "hello",
        "name",
        "return 'Hello, ' + name",
        "return 'Hello ' + name",
        [("'Ada'", "'Hello, Ada'"), ("'Bo'", "'Hello, Bo'")],
        [
            ("''", "'Hello, '", ""),
            ("'x'", "'Hello, x'", ""),
            ("'A B'", "'Hello, A B'", ""),
            ("'1'", "'Hello, 1'", ""),
            ("'z'", "'Hello, z'", ""),
        ],
    ),
]
BY_ID = {spec.pid: spec for spec in SPECS}


def code(spec: Spec, body: str, prelude: str | None = None) -> str:
    before = spec.prelude if prelude is None else prelude
    return f"{before}def {spec.entry}({spec.params}):\n    {body}\n"


def solution(pid: str, prelude: str | None = None) -> str:
    """A correct answer; ``prelude`` replaces a template's placeholder line (e.g. the prefill)."""
    return code(BY_ID[pid], BY_ID[pid].solution, prelude)


def wrong(pid: str, prelude: str | None = None) -> str:
    return code(BY_ID[pid], BY_ID[pid].wrong, prelude)


def block(source: str) -> str:
    return f"```py\n{source}```"


def _toml(spec: Spec) -> str:
    _, _, subtopic, _, problem_type, _ = MODULES[spec.module]
    cases = "".join(
        f'\n[[examples]]\nargs = "{args}"\nexpected = "{expected}"\n'
        for args, expected in spec.examples
    )
    cases += "".join(
        f'\n[[tests]]\nargs = "{args}"\nexpected = "{expected}"\n'
        + (f'note = "{note}"\n' if note else "")
        for args, expected, note in spec.tests
    )
    starter = code(spec, "pass")
    title = spec.title or f"Problem {spec.pid}"
    return (
        textwrap.dedent(f'''\
        id = "{spec.pid}"
        title = "{title}"
        module = "{spec.module}"
        subtopic = "{subtopic}"
        problem_type = "{problem_type}"
        difficulty = "{spec.difficulty}"
        tags = ["{spec.pid}"]
        kind = "function"
        entry_point = "{spec.entry}"
        statement = "Write `{spec.entry}({spec.params})` as the examples show. {title}."
        explanation = "The idea of {spec.pid}: one line does it, in constant time."
        hints = ["First hint of {spec.pid}.", "Second hint of {spec.pid}.",
                 "Third hint of {spec.pid}."]
        ''')
        + f"starter = '''\n{starter}'''\nsolution = '''\n{solution(spec.pid)}'''\n"
        + (cases + spec.extra)
    )


def write_course(root: Path) -> Path:
    for module, (title, order, subtopic, sub_title, problem_type, type_title) in MODULES.items():
        folder = root / module
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "module.toml").write_text(
            textwrap.dedent(f'''\
            id = "{module}"
            title = "{title}"
            order = {order}
            overview = "An overview of {title}, long enough for the schema."
            python_notes = "Python notes for {title}, long enough for the schema."

            [subtopics.{subtopic}]
            title = "{sub_title}"
            overview = "The {sub_title} of {title}."

            [subtopics.{subtopic}.types.{problem_type}]
            title = "{type_title}"
            overview = "Problems about {type_title}."
            ''')
        )
    for spec in SPECS:
        (root / spec.module / f"{spec.pid}.toml").write_text(_toml(spec))
    return root


@pytest.fixture(scope="session")
def journey_course(tmp_path_factory: pytest.TempPathFactory) -> Curriculum:
    return load_curriculum(write_course(tmp_path_factory.mktemp("journey-course")))


@pytest.fixture
async def bot(
    tmp_path: Path, journey_course: Curriculum, sandbox: None, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[DiscordHarness]:
    harness = await start_harness(tmp_path, journey_course, monkeypatch)
    yield harness
    await harness.bot.close()
