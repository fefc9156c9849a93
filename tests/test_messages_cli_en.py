"""English-only mode (MICROGRAD_KR_LANG=en) of the command line and the expression parser.

The command runs as a real subprocess, so argparse's own texts (usage:, the -h help, its
errors) are checked too. Where a line carries a message of another part of the package (the
engine's domain error, gradcheck's verdicts), that message is computed in this process in the
same mode and the command line's own part around it is checked.
"""

from __future__ import annotations

import argparse
import gettext
import io
import os
import re
import subprocess
import sys
import unicodedata
from collections.abc import Sequence
from contextlib import redirect_stderr, redirect_stdout

import pytest

from micrograd_kr import Value, messages
from micrograd_kr.cli import (
    _ARGPARSE_PLURALS,
    _ARGPARSE_TEXTS,
    _argparse_gettext,
    _argparse_ngettext,
    build_parser,
    main,
)
from micrograd_kr.expr import ExprError, bind, describe_limits, parse_assignments, parse_expression
from micrograd_kr.gradcheck import GradcheckError, gradcheck

HANGUL = re.compile("[\uac00-\ud7a3\u3131-\u318e]")
COMMAND = [sys.executable, "-m", "micrograd_kr"]
HANG_GUARD = 120  # seconds; a hang guard only, never a timing assertion


def run_en(args: Sequence[str], **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, messages.LANG_VARIABLE: "en", **env}
    full_env.pop("MICROGRAD_KR_DEBUG", None)
    return subprocess.run(
        [*COMMAND, *args],
        env=full_env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=HANG_GUARD,
    )


def one_error_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, (done.stdout, done.stderr)
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: "), lines[0]
    return lines[0]


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(messages.LANG_VARIABLE, "en")


# -- the command line ------------------------------------------------------------------------


@pytest.mark.parametrize("sub", [[], ["demo"], ["graph"], ["gradcheck"], ["train"]])
def test_help_is_all_english_including_argparse_texts(sub: list[str]) -> None:
    done = run_en([*sub, "--help"], COLUMNS="80")
    assert done.returncode == 0, done.stderr
    assert not HANGUL.search(done.stdout), done.stdout
    assert done.stdout.startswith("usage: micrograd-kr")
    assert "options:" in done.stdout
    assert re.search(r"-h, --help +show this help message and exit", done.stdout)
    assert max(display_width(line) for line in done.stdout.splitlines()) <= 80


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], "missing command: one of demo, graph, gradcheck, train"),
        (["grahp"], "unknown command 'grahp'; choose from demo, graph, gradcheck, train"),
        (["train", "--epochs"], "--epochs: expected one argument"),  # argparse's own text
        (["train", "--s", "3"], "ambiguous option: --s could match --samples, --seed, --save"),
        (["train", "--force=yes"], "--force: ignored explicit argument 'yes'"),
        (["graph"], "the following arguments are required: EXPR"),
        (["graph", "x", "x=1", "--froce"], "unrecognized arguments: --froce"),
        (["train", "--lr", "abc"], "--lr: value 'abc' is not a number"),
        (["train", "--epochs", "0"], "--epochs: must be in 1..10000, got '0'"),
        (["graph", "3x + 1", "x=1"], "write multiplication with *: '3*x', not '3x'"),
        (["graph", "sni(x)", "x=1"], "unknown function 'sni'"),
        (["graph", "x + (", "x=1"], "unclosed parenthesis '(' (column 5)"),
        (["graph", "x", "x=abc"], "value 'abc' is not a number (argument 'x=abc', column 3)"),
        (["train", "--dataset", "spiral", "--loss", "hinge"], "spiral has 3 classes"),
    ],
)
def test_usage_and_input_errors_are_one_english_line(args: list[str], expected: str) -> None:
    line = one_error_line(run_en(args))
    assert expected in line, line
    assert not HANGUL.search(line), line


def test_did_you_mean_is_english() -> None:
    line = one_error_line(run_en(["grahp"]))
    assert "did you mean 'graph'?" in line and "(see 'micrograd-kr --help')" in line


@pytest.mark.parametrize(
    ("source", "value", "kink"),
    [
        ("exp(x)", 10.0, False),  # rounding: a mismatch at zero tolerances
        ("relu(x)", 0.0, True),
    ],
)
def test_a_gradcheck_failure_is_english_around_the_library_verdict(
    english: None, source: str, value: float, kink: bool
) -> None:
    done = run_en(["gradcheck", source, f"x={value:g}", "--atol", "0", "--rtol", "0"])
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert done.stderr == ""
    # the verdict and explanation are gradcheck's (another part), in this same mode
    with pytest.raises(GradcheckError) as info:
        gradcheck(parse_expression(source), [value], eps=1e-6, atol=0.0, rtol=0.0)
    (finding,) = info.value.findings
    described = finding.describe("x", eps_option="--eps ")
    own = done.stdout.replace(finding.verdict, "").replace(described, "")
    assert not HANGUL.search(own), done.stdout
    assert own.startswith(f"expression: {source}\nvalue: ")
    assert re.search(r"variable +value +analytic +numeric +difference +result", own)
    expected = f"result: {described}" if kink else "result: gradients disagree: x"
    assert expected in done.stdout.splitlines()


def test_gradcheck_success_is_english() -> None:
    done = run_en(["gradcheck", "x*y", "x=1", "y=2"])
    assert done.returncode == 0, done.stderr
    assert not HANGUL.search(done.stdout), done.stdout
    assert "result: all gradients agree within atol=1e-05, rtol=0.001" in done.stdout


def test_a_domain_error_is_english_around_the_engine_message(english: None) -> None:
    """The catalog test's command: the engine's message, in the command line's English."""
    with pytest.raises(ValueError) as info:
        Value(-1.0).log()
    done = run_en(["gradcheck", "log(x)", "x=-1"])
    assert one_error_line(done) == f"error: cannot compute: {info.value} (column 1)"


def test_a_train_run_is_english() -> None:
    done = run_en(["train", "--epochs", "2", "--samples", "10", "--no-progress"])
    assert done.returncode == 0, done.stderr
    assert not HANGUL.search(done.stdout), done.stdout
    assert "data: moons (10 samples), model: MLP 2-16-16-1" in done.stdout
    assert "epoch 2/2: mean training loss" in done.stdout
    assert re.search(r"\nloss: \S+, accuracy: \S+%", done.stdout), done.stdout


def test_a_train_output_error_is_english(tmp_path: os.PathLike[str]) -> None:
    target = os.path.join(tmp_path, "model.json")
    with open(target, "w", encoding="utf-8") as file:
        file.write("{}")
    line = one_error_line(run_en(["train", "--epochs", "1", "--save", target]))
    assert f"file exists: {target}; use --force to overwrite" in line


def test_korean_stays_the_default() -> None:
    env = {k: v for k, v in os.environ.items() if k != messages.LANG_VARIABLE}
    done = subprocess.run(
        [*COMMAND, "train", "--epochs"],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=HANG_GUARD,
    )
    assert done.stderr.startswith("오류: --epochs: 값이 하나 필요합니다 (expected one argument)")


# -- argparse's texts from the catalog -------------------------------------------------------


def _sample_arguments(msgid: str) -> dict[str, str] | str:
    names = re.findall(r"%\((\w+)\)", msgid)
    return {name: f"<{name}>" for name in names} if names else "<x>"


@pytest.mark.parametrize("lang", ["", "en"])
@pytest.mark.parametrize("msgid", sorted(_ARGPARSE_TEXTS))
def test_every_argparse_text_keeps_argparse_placeholders(
    monkeypatch: pytest.MonkeyPatch, lang: str, msgid: str
) -> None:
    monkeypatch.setenv(messages.LANG_VARIABLE, lang)
    arguments = _sample_arguments(msgid)
    text = _argparse_gettext(msgid) % arguments if "%" in msgid else _argparse_gettext(msgid)
    values = arguments.values() if isinstance(arguments, dict) else [arguments]
    if "%" in msgid:
        assert all(v in text or repr(v) in text for v in values), text
    key = _ARGPARSE_TEXTS[msgid][0]
    korean_too = lang == "" and bool(messages.CATALOG[key].ko)  # one key is English only
    assert bool(HANGUL.search(text)) == korean_too, text


@pytest.mark.parametrize("lang", ["", "en"])
def test_argparse_plurals_keep_one_placeholder(monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    monkeypatch.setenv(messages.LANG_VARIABLE, lang)
    for singular in _ARGPARSE_PLURALS:
        text = _argparse_ngettext(singular, singular + "s", 3) % 3
        assert "expected 3 argument" in text
    assert _argparse_ngettext("one %s", "many %s", 2) == "many %s"  # not ours: unchanged


def test_argparse_module_globals_are_restored_after_parsing() -> None:
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
        assert main(["train", "--epochs"]) == 2
        assert main(["--help"]) == 0
    assert vars(argparse)["_"] is gettext.gettext
    assert vars(argparse)["ngettext"] is gettext.ngettext


def test_built_parser_help_follows_the_mode_without_the_parse_hook(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Usage prefix, titles and -h help come from overrides, not from the parse-time hook."""
    monkeypatch.setenv(messages.LANG_VARIABLE, "en")
    text = build_parser().format_help()
    assert text.startswith("usage: micrograd-kr") and not HANGUL.search(text)
    monkeypatch.delenv(messages.LANG_VARIABLE)
    text = build_parser().format_help()
    assert text.startswith("사용법: micrograd-kr") and "옵션:" in text and "usage:" not in text


# -- the expression parser, in process --------------------------------------------------------


def test_parse_errors_are_english_with_their_column(english: None) -> None:
    with pytest.raises(ExprError) as info:
        parse_expression("x + (")
    assert str(info.value) == "unclosed parenthesis '(' (column 5)"
    with pytest.raises(ExprError) as info:
        parse_expression("x // 2")
    assert str(info.value) == "operator '//' not allowed; use + - * / ** (column 3)"
    with pytest.raises(ExprError) as info:
        parse_expression("(x, 1)")
    assert str(info.value) == "not allowed: tuple (column 1)"


def test_assignment_errors_are_english_and_name_the_argument(english: None) -> None:
    with pytest.raises(ExprError) as info:
        parse_assignments(["x=abc"])
    assert str(info.value) == "value 'abc' is not a number (argument 'x=abc', column 3)"
    with pytest.raises(ExprError) as info:
        bind(parse_expression("w * x"), {"w": 1.0})
    assert str(info.value) == "undefined variable 'x'; give it as x=VALUE (column 5)"


def test_evaluation_errors_are_english(english: None) -> None:
    with pytest.raises(TypeError) as type_info:
        parse_expression("x * y")(1.0)
    assert str(type_info.value) == "expected 2 arguments, got 1"
    with pytest.raises(ExprError) as info:
        parse_expression("x + log(y)").evaluate({"x": 1.0, "y": -2.0})
    assert str(info.value).startswith("cannot compute: log(-2.0)")
    assert str(info.value).endswith("(column 5)")


def test_limits_text_is_english(english: None) -> None:
    text = describe_limits()
    assert not HANGUL.search(text) and "at most 1000 characters" in text
