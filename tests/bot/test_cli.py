"""The `pydojo` command as a user runs it from a shell (real sandbox)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.docker
PROBLEM = Path(__file__).parent / "data" / "add.toml"


def pydojo(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, timeout=60
    )


@pytest.fixture
def program(tmp_path: Path):
    def write(text: str, name: str = "main.py") -> Path:
        path = tmp_path / name
        path.write_text(text)
        return path

    return write


def test_run_json_prints_exactly_one_object(sandbox: None, program) -> None:
    source = program("import sys\nprint(input().upper())\nprint('e', file=sys.stderr)\n")
    stdin = program("shout\n", "stdin.txt")
    done = pydojo("run", str(source), "--stdin", str(stdin), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert set(result) >= {"status", "exit_code", "stdout", "stderr", "truncated", "duration_ms"}
    assert (result["status"], result["exit_code"], result["stdout"], result["stderr"]) == (
        "ok",
        0,
        "SHOUT\n",
        "e\n",
    )


def test_run_plain_shows_status(sandbox: None, program) -> None:
    done = pydojo("run", str(program("raise SystemExit(2)\n")))
    assert done.returncode == 1 and "[error] exit 2" in done.stderr


def test_judge_json_and_plain(sandbox: None, program) -> None:
    good = pydojo(
        "judge",
        str(program("def add(a, b):\n    return a + b\n")),
        "--problem",
        str(PROBLEM),
        "--json",
    )
    assert good.returncode == 0, good.stderr
    verdict = json.loads(good.stdout)
    assert verdict["status"] == "accepted" and verdict["passed"] == verdict["total"] == 7
    bad = pydojo("judge", str(program("def add(a, b):\n    return a\n")), "--problem", str(PROBLEM))
    assert bad.returncode == 1
    assert "Wrong answer on test 1" in bad.stdout and "expected: 5" in bad.stdout


def test_judge_reports_a_broken_problem_file(tmp_path: Path, program) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(PROBLEM.read_text().replace('kind = "function"', 'kind = "banana"'))
    done = pydojo("judge", str(program("x = 1\n")), "--problem", str(broken))
    assert done.returncode == 2 and "broken.toml" in done.stderr and "kind" in done.stderr


def test_non_utf8_source_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "latin1.py"
    path.write_bytes(b"print('caf\xe9')\n")
    done = pydojo("run", str(path))
    assert done.returncode != 0 and "not UTF-8" in done.stderr
