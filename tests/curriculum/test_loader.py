"""Loading the course: the shipped one is valid, broken files are named precisely."""

from __future__ import annotations

from pathlib import Path

import pytest

from curriculum import CurriculumError, Difficulty, default_curriculum, load_curriculum


def test_the_shipped_course_loads_and_is_consistent() -> None:
    course = default_curriculum()
    assert course.problems, "no problems shipped"
    for problem in course.problems.values():
        assert problem.module in course.modules
        assert course.path_of(problem).count("›") == 2
        assert len(problem.hints) == 3 and len(problem.statement) <= 1500


def test_problems_come_in_course_order(write, course_dir: Path) -> None:
    write("b-hard", difficulty="advanced")
    write("a-easy", difficulty="beginner")
    write("z-other", module="beta")
    course = load_curriculum(course_dir)
    assert list(course.modules) == ["alpha", "beta"]
    assert list(course.problems)[:2] == ["a-easy", "b-hard"]
    assert [p.id for p in course.select(difficulty=Difficulty.ADVANCED)] == ["b-hard"]


def test_a_broken_field_names_the_file_and_field(write, course_dir: Path) -> None:
    path = write("bad-kind")
    path.write_text(path.read_text().replace('kind = "function"', 'kind = "banana"'))
    with pytest.raises(CurriculumError) as caught:
        load_curriculum(course_dir)
    assert "bad-kind.toml: kind:" in str(caught.value)


def test_invalid_toml_and_literals_are_reported(write, course_dir: Path) -> None:
    write("not-toml").write_text("id = \n")
    broken = write("bad-literal")
    broken.write_text(broken.read_text().replace('args = "10, 20"', 'args = "10, [20"'))
    with pytest.raises(CurriculumError) as caught:
        load_curriculum(course_dir)
    text = str(caught.value)
    assert "not-toml.toml: not valid TOML" in text
    assert "bad-literal.toml" in text and "tests[1]" in text


def test_placement_rules(write, course_dir: Path) -> None:
    write("wrong-subtopic", subtopic="nowhere")
    write("same-id")
    write("same-id", module="beta")
    misnamed = write("misnamed")
    misnamed.rename(misnamed.with_name("other-name.toml"))
    with pytest.raises(CurriculumError) as caught:
        load_curriculum(course_dir)
    text = str(caught.value)
    assert "subtopic 'nowhere' is not declared" in text
    assert "id 'same-id' already used" in text
    assert "must match the file name" in text


def test_one_module_loads_alone(write, course_dir: Path) -> None:
    write("fine")
    write("broken", module="beta").write_text("garbage = [")
    assert list(load_curriculum(course_dir, only={"alpha"}).problems) == ["fine"]


def test_unknown_placeholders_and_unused_parameters_are_refused(write, course_dir: Path) -> None:
    path = write("templ")
    path.write_text(path.read_text().replace("Problem templ", "Problem {{ghost}}"))
    with pytest.raises(CurriculumError, match="ghost"):
        load_curriculum(course_dir)
    path.write_text(
        path.read_text().replace("Problem {{ghost}}", "Problem")
        + "\n[parameters.unused]\nchoices = [1, 2]\n"
    )
    with pytest.raises(CurriculumError, match="no \\{\\{placeholder\\}\\}"):
        load_curriculum(course_dir)


def test_cases_may_check_by_steps_or_raises_instead_of_expected(write, course_dir: Path) -> None:
    write(
        "checked-otherwise",
        extra='\n[[tests]]\nsteps = [{ expr = "add(1, 2)", expected = "3" }]\n'
        '\n[[tests]]\nargs = "1, None"\nraises = "TypeError"\n',
    )
    problem = load_curriculum(course_dir).problems["checked-otherwise"]
    assert problem.tests[-2].steps[0].expected == "3"
    assert problem.tests[-1].raises == "TypeError" and problem.tests[-1].expected is None
