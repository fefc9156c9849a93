"""The engine's messages come from the catalog: with MICROGRAD_KR_LANG=en they are English
alone, and still name what was wrong; by default they are Korean first, English in parentheses.

One representative error (or report) per module of the engine: checks.py (Value's inputs,
backward's seed), ops.py (domains, define_op's rows), constants.py, lecture.py, mode.py,
autodiff.py and gradcheck.py (its errors, its report and Finding's sentences).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

import pytest

from micrograd_kr import messages
from micrograd_kr.autodiff import grad, hvp
from micrograd_kr.engine import Constant, DomainError, GraphError, Value, no_grad
from micrograd_kr.functional import define_op
from micrograd_kr.gradcheck import GradcheckError, gradcheck, numerical_grad

HANGUL = re.compile("[\uac00-\ud7a3\u3131-\u318e]")


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(messages.LANG_VARIABLE, "en")


@pytest.fixture
def korean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(messages.LANG_VARIABLE, raising=False)


def _hand_made_without_backward() -> None:
    a = Value(2.0)
    out = Value(4.0, (a,), "square")  # micrograd's way, but no out._backward assigned
    out.backward()


def _constant_with_undefined_gradient() -> tuple[Value, Value]:
    """The constant 0.0 of ``0.0**t * 3``, and that output (which keeps its graph alive)."""
    t = Value(0.5)
    z = (0.0**t) * 3  # d/da a^b = b a^(b-1) is infinite at a = 0, b = 0.5
    z.backward()
    base = z._prev[0]._prev[0]
    assert isinstance(base, Constant)
    return base, z


def _read_undefined_constant_gradient() -> None:
    base, _graph = _constant_with_undefined_gradient()
    _ = base.grad


def _bad_rule() -> None:
    bad = define_op("returns_text", lambda m, x: "x", [lambda m, out, x: 1.0])
    bad(Value(1.0))


# (what, the call, the exception, an English phrase, the value the message must name)
CASES: list[tuple[str, Callable[[], object], type[BaseException], str, str]] = [
    ("Value(str)", lambda: Value("a"), TypeError, "Value needs a real number", "'a'"),
    ("Value(inf)", lambda: Value(math.inf), DomainError, "needs a finite number", "inf"),
    ("Value(10**400)", lambda: Value(10**400), DomainError, "a float can hold", "10^400"),
    ("label", lambda: Value(1.0, label=3), TypeError, "label must be a str", "int: 3"),
    ("seed", lambda: Value(1.0).backward(math.nan), DomainError, "seed gradient", "nan"),
    ("log(-1)", lambda: Value(-1.0).log(), DomainError, "log is defined only", "log(-1.0)"),
    ("1/0", lambda: Value(1.0) / 0, DomainError, "division by zero", "div(1.0, 0.0)"),
    ("exp(1000)", lambda: Value(1000.0).exp(), DomainError, "exp overflows for x > 709", "1000"),
    ("(-8)**0.5", lambda: Value(-8.0) ** 0.5, DomainError, "negative base", "pow(-8.0, 0.5)"),
    ("10**400", lambda: Value(10.0) ** 400.0, DomainError, "too large for a float", "400.0"),
    ("define_op name", lambda: define_op("2x", lambda m, x: x, []), ValueError, "identifier", "2x"),
    ("rule result", _bad_rule, TypeError, "must return a real number", "returns_text"),
    ("constant", _read_undefined_constant_gradient, DomainError, "constant 0.0", "pow"),
    ("hand-made", _hand_made_without_backward, GraphError, "has no _backward", "'square'"),
    ("@no_grad", lambda: no_grad(lambda: None), TypeError, "with parentheses", "@no_grad()"),
    ("argnums", lambda: grad(lambda x: x, argnums=5)(1.0), IndexError, "out of range", "5"),
    ("hvp", lambda: hvp(lambda x: x)([1.0, 2.0], [1.0]), ValueError, "v has 1", "2 entries"),
    ("eps", lambda: numerical_grad(lambda x: x, [1.0], eps=0), ValueError, "eps must", "got 0"),
    ("step", lambda: numerical_grad(lambda x: x, [1e20], 1e-20), ValueError, "vanishes", "1e+20"),
]


def _message(call: Callable[[], object], error: type[BaseException]) -> str:
    with pytest.raises(error) as info:
        call()
    return str(info.value)


@pytest.mark.parametrize(
    ("what", "call", "error", "phrase", "value"), CASES, ids=[c[0] for c in CASES]
)
def test_errors_are_english_only_on_request_and_korean_first_by_default(
    what: str,
    call: Callable[[], object],
    error: type[BaseException],
    phrase: str,
    value: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(messages.LANG_VARIABLE, "en")
    message = _message(call, error)
    assert not HANGUL.search(message), f"{what}: {message}"
    assert phrase in message and value in message, f"{what}: {message}"

    monkeypatch.delenv(messages.LANG_VARIABLE)
    message = _message(call, error)
    hangul = HANGUL.search(message)
    assert hangul is not None and hangul.start() < message.index(phrase), f"{what}: {message}"
    assert value in message, f"{what}: {message}"


def _gradcheck_report(f: Callable[[Value], Value], x: float) -> GradcheckError:
    with pytest.raises(GradcheckError) as info:
        gradcheck(f, [x])
    return info.value


@pytest.mark.usefixtures("english")
def test_english_only_gradcheck_report_verdicts_and_sentences() -> None:
    kink = _gradcheck_report(lambda x: x.relu(), 0.0)
    report = str(kink)
    assert not HANGUL.search(report), report
    assert report.startswith("gradcheck failed for 1 of 1 input(s):"), report
    assert "input 0: analytic 0.0, numeric 0.5: not differentiable" in report, report
    assert "derivative undefined at a kink: left slope 0, right slope 1" in report, report
    (finding,) = kink.findings
    assert finding.verdict == "not differentiable"
    assert finding.describe("x").startswith("x = 0: derivative undefined at a kink"), report

    large = _gradcheck_report(lambda x: x.sin(), 1e7).findings[0]
    sentence = large.describe("x", eps_option="--eps ")
    assert not HANGUL.search(sentence) and large.verdict == "step too large", sentence
    assert "the step is too large for the input's scale (h = 10)" in sentence, sentence
    assert "with --eps 1e-09 the central difference" in sentence, sentence

    wrong = define_op("wrong_square", lambda m, x: x * x, [lambda m, out, x: 3.0 * x])
    mismatch = _gradcheck_report(lambda x: wrong(x), 1.0).findings[0]
    assert mismatch.verdict == "mismatch"
    assert mismatch.describe("x") == "x: analytic 3.0, numeric " + repr(mismatch.numeric)


@pytest.mark.usefixtures("korean")
def test_by_default_gradcheck_report_keeps_its_korean_first_wording() -> None:
    report = str(_gradcheck_report(lambda x: x.relu(), 0.0))
    assert report.startswith(
        "역전파와 중앙 차분이 다릅니다: 입력 1개 중 1개 (gradcheck failed for 1 of 1 input(s)):"
    ), report
    assert (
        "  입력 0 (input 0): 역전파 (analytic) 0.0, 중앙 차분 (numeric) 0.5: "
        "미분 불가 (not differentiable)"
    ) in report, report
    assert "미분이 정의되지 않습니다 (derivative undefined at a kink)" in report, report


@pytest.mark.usefixtures("english")
def test_english_only_repr_of_a_constant_with_no_gradient() -> None:
    base, _graph = _constant_with_undefined_gradient()
    assert repr(base) == "Value(data=0.0, grad='undefined')"


def test_the_language_is_read_when_the_error_is_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    """No message is built ahead of time: switching the variable at run time takes effect."""
    monkeypatch.setenv(messages.LANG_VARIABLE, "en")
    log = Value(-1.0).log
    assert _message(log, DomainError) == "log(-1.0): log is defined only for x > 0"
    monkeypatch.delenv(messages.LANG_VARIABLE)
    korean = "log(-1.0): 로그는 x > 0 에서만 정의됩니다 (log is defined only for x > 0)"
    assert _message(log, DomainError) == korean
