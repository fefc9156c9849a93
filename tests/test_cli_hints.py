"""Command-line mistakes a learner makes get a hint they can act on (issue 22).

Each test runs ``micrograd-kr`` as a user would, in a subprocess, and checks the exit status
and the hint on stderr: ``x^2`` -> ``x**2``, ``--hidden 16 16`` -> ``--hidden 16,16``,
option names in any case, and a smaller ``--eps`` when x ± eps leaves the domain.
"""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import micrograd_kr

# the checkout whose package the tests import (the subprocess runs the same code)
ROOT = Path(micrograd_kr.__file__).resolve().parent.parent
HANG_GUARD = 120  # seconds; a hang guard only, never a timing assertion
EXIT_OK, EXIT_MISMATCH, EXIT_USAGE = 0, 1, 2


def run(*args: str, english: bool = False) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("MICROGRAD_KR_DEBUG", None)
    env.pop("MICROGRAD_KR_LANG", None)
    if english:
        env["MICROGRAD_KR_LANG"] = "en"
    return subprocess.run(
        [sys.executable, "-m", "micrograd_kr", *args],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=HANG_GUARD,
        cwd=ROOT,
    )


def error_line(done: subprocess.CompletedProcess[str]) -> str:
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("expression", "fixed", "values"),
    [
        ("x^2", "x**2", ["x=3"]),
        ("3*x^2 + y^3", "3*x**2 + y**3", ["x=3", "y=1"]),
        ("-x^2", "-x**2", ["x=3"]),
    ],
)
def test_caret_gets_the_power_operator(expression: str, fixed: str, values: list[str]) -> None:
    done = run("graph", expression, *values)
    assert done.returncode == EXIT_USAGE
    line = error_line(done)
    assert f"'{fixed}'" in line and "**" in line, line
    assert line.startswith("오류: 거듭제곱은 **로 씁니다"), line
    # the suggestion is a command that works
    assert run("graph", fixed, *values).returncode == EXIT_OK


def test_caret_hint_in_english_only_mode() -> None:
    line = error_line(run("gradcheck", "x^2", "x=3", english=True))
    assert "write powers with **: 'x**2', not 'x^2'" in line, line


@pytest.mark.parametrize(
    ("words", "fixed"),
    [
        (["--hidden", "16", "16"], "16,16"),
        (["--hidden", "8", "4", "2"], "8,4,2"),
        (["--hidden=16,", "16"], "16,16"),
        (["--hid", "16", "16"], "16,16"),
    ],
)
def test_hidden_sizes_as_separate_words_get_the_comma_form(words: list[str], fixed: str) -> None:
    done = run("train", *words, "--epochs", "1", "--no-progress")
    assert done.returncode == EXIT_USAGE
    line = error_line(done)
    assert f"--hidden {fixed}" in line and "쉼표" in line, line
    assert done.stdout == ""  # refused before training started
    # the form it suggests trains; a stray number elsewhere gets no such hint
    sizes = ["--hidden", fixed, "--epochs", "1", "--samples", "8", "--no-progress"]
    fine = run("train", *sizes)
    assert fine.returncode == EXIT_OK, fine.stderr
    assert f"MLP 2-{fixed.replace(',', '-')}-1" in fine.stdout
    stray = error_line(run("train", "--epochs", "1", "16"))
    assert "--hidden" not in stray and "unrecognized arguments: 16" in stray


@pytest.mark.parametrize(
    ("option", "typed", "shown"),
    [
        ("--optimizer", "SGD", None),
        ("--optimizer", "Adam", None),
        ("--activation", "TANH", "activation=tanh"),
        ("--dataset", "Circles", "circles"),
        ("--loss", "BCE", None),
    ],
)
def test_names_of_choices_are_accepted_in_any_case(
    option: str, typed: str, shown: str | None
) -> None:
    done = run("train", option, typed, "--epochs", "1", "--samples", "8", "--no-progress")
    assert done.returncode == EXIT_OK, done.stderr
    assert done.stderr.strip() == ""
    if shown is not None:  # the setup line names the dataset and the activation
        assert shown in done.stdout.splitlines()[0], done.stdout
    # a name that is not one of them is still refused, as typed, with the valid names
    wrong = error_line(run("train", option, typed + "X", "--epochs", "1"))
    assert f"'{typed}X'" in wrong and lowered_names(option) in wrong, wrong


def lowered_names(option: str) -> str:
    return {
        "--optimizer": "sgd, adam",
        "--activation": "tanh",
        "--dataset": "moons, circles, spiral",
        "--loss": "hinge, bce",
    }[option]


def test_step_outside_the_domain_suggests_a_smaller_eps_that_works() -> None:
    # sqrt at x = 1e-8 with the default eps 1e-6: x - h < 0, outside sqrt's domain
    done = run("gradcheck", "sqrt(x)", "x=1e-8")
    assert done.returncode == EXIT_USAGE
    line = error_line(done)
    assert "--eps" in line and "정의역" in line, line
    found = re.search(r"--eps ([0-9.e+-]+)", line)
    assert found is not None, line
    eps = float(found.group(1))
    assert eps < 1e-8  # x - eps*max(1, |x|) >= 0 needs eps < x
    # following the hint works: backward agrees with the central difference there
    again = run("gradcheck", "sqrt(x)", "x=1e-8", "--eps", f"{eps:g}")
    assert again.returncode == EXIT_OK, again.stdout + again.stderr
    # and the table shows d/dx sqrt(x) = 1/(2 sqrt(x)) at 1e-8 (closed form: 5000)
    assert f"{1 / (2 * math.sqrt(1e-8)):g}" in again.stdout
    # log at 0 is outside the domain at the point itself: no step helps, none is suggested
    done = run("gradcheck", "log(x)", "x=0")
    assert done.returncode == EXIT_USAGE
    assert "--eps" not in error_line(done)
