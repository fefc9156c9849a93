"""Check analytic gradients against central finite differences.

    f'(x) ~= (f(x + eps) - f(x - eps)) / (2 eps)

The error of this estimate shrinks like eps^2, so it is a good independent witness of what
``backward()`` computes.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .engine import Value, enable_grad, no_grad

__all__ = [
    "numerical_grad",
    "analytic_grad",
    "gradcheck",
    "GradcheckError",
    "Finding",
    "difference_step",
]

Func = Callable[..., Any]


class GradcheckError(AssertionError):
    """Analytic and numerical gradients disagree; the message lists every mismatching input."""

    def __init__(
        self,
        message: str,
        mismatches: list[tuple[int, float, float]],
        findings: list[Finding] | None = None,
    ) -> None:
        super().__init__(message)
        self.mismatches = mismatches  # (input, analytic, numeric) of every failing input
        self.findings = [] if findings is None else findings  # why each one failed


def _floats(inputs: Sequence[Any]) -> list[float]:
    if isinstance(inputs, (str, bytes)) or not isinstance(inputs, Sequence):
        raise TypeError(
            "inputs는 숫자의 리스트여야 합니다 "
            f"(inputs must be a list of numbers), got {type(inputs).__name__}"
        )
    return [float(Value(x.data if isinstance(x, Value) else x).data) for x in inputs]


def _evaluate(f: Func, xs: Sequence[float]) -> float:
    with no_grad():
        out = f(*[Value(x) for x in xs])
    return float(out.data if isinstance(out, Value) else out)


def _check_eps(eps: object) -> float:
    if isinstance(eps, bool) or not isinstance(eps, numbers.Real):
        raise TypeError(f"eps는 양의 실수여야 합니다 (eps must be a real number), got {eps!r}")
    value = float(eps)
    if not (math.isfinite(value) and value > 0.0):
        raise ValueError(f"eps는 유한한 양수여야 합니다 (eps must be finite and > 0), got {eps!r}")
    return value


def difference_step(x: float, eps: float) -> float:
    """The step ``h = eps * max(1, |x|)`` used at input ``x``, checked to be usable.

    Raises ValueError when ``x + h`` or ``x - h`` rounds back to ``x`` (the step vanishes at
    that input: the difference quotient would divide by zero or be one-sided) or overflows.
    """
    eps = _check_eps(eps)
    h = eps * max(1.0, abs(x))
    plus, minus = x + h, x - h
    if not (math.isfinite(plus) and math.isfinite(minus)):
        raise ValueError(
            f"eps={eps:g}: 입력 x = {x!r}에서 x ± eps·max(1, |x|)가 넘칩니다 "
            f"(the step overflows at that input); 더 작은 eps를 쓰세요 (use a smaller eps)"
        )
    if plus == x or minus == x:
        raise ValueError(
            f"eps={eps:g}: 입력 x = {x!r}에서 차분 간격이 사라집니다 (the step vanishes at that "
            f"input): h = {h:.3g}이면 x + h 또는 x - h가 반올림되어 x 그대로입니다; "
            f"더 큰 eps를 쓰세요 (use a larger eps, e.g. 1e-6)"
        )
    return h


def numerical_grad(f: Func, inputs: Sequence[Any], eps: float = 1e-6) -> list[float]:
    """Central-difference estimate of df/dx_i for each input.

    ``f`` takes one Value per input and returns a Value (or a number). The step for input i
    is ``eps * max(1, |x_i|)``: a fixed step would vanish in rounding for large inputs
    (1e12 + 1e-6 == 1e12 in floating point). An ``eps`` whose step still vanishes (or
    overflows) at some input raises ValueError naming that input.
    """
    xs, steps = _steps(inputs, eps)
    return [_central(f, xs, i, h)[0] for i, h in enumerate(steps)]


def _steps(inputs: Sequence[Any], eps: float) -> tuple[list[float], list[float]]:
    """The inputs as floats and the step at each, or ValueError naming the first bad input."""
    eps = _check_eps(eps)
    xs = _floats(inputs)
    steps = []
    for i, x in enumerate(xs):
        try:
            steps.append(difference_step(x, eps))
        except ValueError as exc:
            raise ValueError(f"입력 {i} (input {i}): {exc}") from None
    return xs, steps


def _central(f: Func, xs: list[float], i: int, h: float) -> tuple[float, float, float]:
    """(central difference, f(x - h), f(x + h)) for input ``i``."""
    plus, minus = list(xs), list(xs)
    plus[i] += h
    minus[i] -= h
    f_plus, f_minus = _evaluate(f, plus), _evaluate(f, minus)
    # divide by the step actually taken, after rounding
    return (f_plus - f_minus) / (plus[i] - minus[i]), f_minus, f_plus


# --- why a check failed ------------------------------------------------------------------------

_U = 2.0**-53  # unit roundoff of a float
_ROUNDING = 8.0  # a few ulps in each f value, in each of the two differences
_MAX_STEPS = 700  # tenfold steps: floats span about 630 decades

VERDICTS = {
    "kink": "미분 불가 (not differentiable)",
    "step_too_large": "간격이 큼 (step too large)",
    "step_too_small": "간격이 작음 (step too small)",
    "mismatch": "불일치 (mismatch)",
}


@dataclass(frozen=True)
class Finding:
    """Why input ``index`` failed ``gradcheck``.

    ``kind`` is one of:

    * ``"kink"``: the one-sided slopes ``left`` and ``right`` differ by more than the
      difference error at every step down to the smallest one floats resolve, so no
      derivative exists there (``backward()`` returns a convention; the central difference
      is their average);
    * ``"step_too_large"``: the slopes differ at the step used but agree at a smaller one
      (a kink nearby, or a function that varies faster than the step), and with ``eps``
      the central difference ``numeric_at_eps`` agrees with ``backward()``;
    * ``"step_too_small"``: rounding error dominates the difference; with the larger
      ``eps`` it agrees;
    * ``"mismatch"``: no step explains the difference: ``backward()`` looks wrong.
    """

    index: int
    x: float
    step: float
    analytic: float
    numeric: float
    kind: str
    left: float | None = None
    right: float | None = None
    eps: float | None = None
    numeric_at_eps: float | None = None

    @property
    def verdict(self) -> str:
        """A short label: ``미분 불가 (not differentiable)``, ``불일치 (mismatch)`` ..."""
        return VERDICTS[self.kind]

    def describe(self, name: str, eps_option: str = "eps=") -> str:
        """One sentence for input ``name``; ``eps_option`` spells how to pass an eps."""
        x, a = f"{self.x:.6g}", f"{self.analytic:.6g}"
        if self.kind == "kink":
            return (
                f"{name} = {x} 에서는 미분이 정의되지 않습니다 (derivative undefined at a kink): "
                f"왼쪽 기울기 {self.left:.6g}, 오른쪽 기울기 {self.right:.6g}. "
                f"역전파가 낸 {a}은(는) 관례로 정한 값이고, 중앙 차분은 두 기울기의 평균일 "
                "뿐입니다."
            )
        if self.kind == "mismatch":
            return (
                f"{name}: 역전파 (analytic) {self.analytic!r}, 중앙 차분 (numeric) {self.numeric!r}"
            )
        large = self.kind == "step_too_large"
        size = "큽니다" if large else "작습니다"
        why = (
            "더 작은 간격에서는 중앙 차분이 역전파와 일치하므로 꺾인 점이 아닙니다 "
            "(at a smaller step the difference agrees with backward: not a kink)"
            if large
            else "f 값의 반올림 오차가 간격으로 나뉘어 커집니다 (rounding error dominates)"
        )
        english = "large" if large else "small"
        return (
            f"{name} = {x}: 차분 간격 h = {self.step:.3g}이(가) 이 입력에 비해 너무 {size} "
            f"(the step is too {english} for the input's scale); {why}. "
            f"{eps_option}{self.eps:.0e}이면 중앙 차분 {self.numeric_at_eps:.6g}이(가) "
            f"역전파 {a}와(과) 일치합니다 (agrees with backward): "
            f"{eps_option}{self.eps:.0e}로 다시 확인하세요 (check again with that eps)."
        )


Probe = tuple[float, float, float, float]  # left slope, right slope, central, rounding error


def _slopes(
    xs: list[float], i: int, f_x: float, s: float, f_minus: float, f_plus: float
) -> Probe | None:
    """(left slope, right slope, central difference, their rounding error) at step ``s``."""
    x = xs[i]
    x_plus, x_minus = x + s, x - s
    s_plus, s_minus = x_plus - x, x - x_minus  # the steps actually taken
    left, right = (f_x - f_minus) / s_minus, (f_plus - f_x) / s_plus
    central = (f_plus - f_minus) / (x_plus - x_minus)
    # each f value is off by a few ulps of its size, plus what an ulp of the input moves it
    # (|x| * slope); divided by the step, that is the slopes' rounding error
    size = max(abs(f_x), abs(f_plus), abs(f_minus)) + abs(x) * max(abs(left), abs(right))
    noise = _ROUNDING * _U * size / min(s_plus, s_minus)
    probe = (left, right, central, noise)
    return probe if all(math.isfinite(v) for v in probe) else None


def _probe(f: Func, xs: list[float], i: int, f_x: float, s: float) -> Probe | None:
    """``_slopes`` at step ``s``; None if the step rounds away or f fails there (log(-s))."""
    x = xs[i]
    if x + s == x or x - s == x or not math.isfinite(x + s) or not math.isfinite(x - s):
        return None
    try:
        _, f_minus, f_plus = _central(f, xs, i, s)
    except (ArithmeticError, ValueError):
        return None
    return _slopes(xs, i, f_x, s, f_minus, f_plus)


def _agree(analytic: float, numeric: float, atol: float, rtol: float) -> bool:
    return math.isfinite(analytic) and abs(analytic - numeric) <= atol + rtol * abs(numeric)


def _kink(
    f: Func,
    xs: list[float],
    i: int,
    f_x: float,
    h: float,
    first: Probe,
    atol: float,
    rtol: float,
) -> tuple[float, float] | None:
    """The one-sided slopes if input ``i`` sits on a kink, else None.

    Right minus left slope is about s * f''(x) for a smooth function (it shrinks with the
    step s) but stays at the jump at a kink. So the step shrinks tenfold until the slopes
    agree within the tolerance plus their rounding error (no kink here: the gap was the
    step's, from a kink nearby or a fast oscillation), or until rounding hides the gap; the
    gap is a kink's only if it had stopped shrinking by then.
    """
    seen: list[Probe] = []
    probe: Probe | None = first
    s = h
    for _ in range(_MAX_STEPS):
        if probe is None:
            break
        left, right, _, noise = probe
        if seen and noise >= 0.25 * abs(seen[-1][1] - seen[-1][0]):
            break  # from here on rounding hides the gap
        if abs(right - left) <= atol + rtol * max(abs(left), abs(right)) + noise:
            return None
        seen.append(probe)
        s /= 10.0
        probe = _probe(f, xs, i, f_x, s)
    gaps = [right - left for left, right, _, _ in seen]
    if len(gaps) < 2 or abs(gaps[-1]) < 0.5 * abs(gaps[-2]):
        return None  # one gap proves nothing; a shrinking gap is curvature
    # report the slopes where they are most accurate: least rounding plus change to the next
    # step (curvature moves each slope by about s * f''(x) / 2)
    k = min(
        range(len(seen) - 1),
        key=lambda j: (
            seen[j][3] + abs(seen[j][0] - seen[j + 1][0]) + abs(seen[j][1] - seen[j + 1][1])
        ),
    )
    return seen[k][0], seen[k][1]


def _agreeing_step(
    f: Func,
    xs: list[float],
    i: int,
    f_x: float,
    h: float,
    first: Probe,
    analytic: float,
    atol: float,
    rtol: float,
) -> tuple[str, float, float] | None:
    """(kind, step, central difference) of another step whose difference agrees with backward.

    Smaller steps first, while their rounding error stays below the disagreement at ``h``
    (below that, rounding could not have caused it) and the agreement holds at the next
    smaller step too (a difference converging to another number may pass by a wrong one).
    Larger steps, up to a tenth of the input's size, only when rounding at ``h`` is large
    enough to explain the disagreement.
    """
    disagreement = abs(analytic - first[2])
    s = h / 10.0
    probe = _probe(f, xs, i, f_x, s)
    for _ in range(_MAX_STEPS):
        if probe is None or probe[3] >= disagreement:
            break
        smaller = _probe(f, xs, i, f_x, s / 10.0)
        if _agree(analytic, probe[2], atol, rtol) and (
            smaller is None or _agree(analytic, smaller[2], atol, rtol)
        ):
            return "step_too_large", s, probe[2]
        s, probe = s / 10.0, smaller
    if first[3] < 0.1 * disagreement:
        return None
    s = h * 10.0
    while s <= 0.1 * max(1.0, abs(xs[i])):
        probe = _probe(f, xs, i, f_x, s)
        if probe is None:
            break
        if _agree(analytic, probe[2], atol, rtol):
            return "step_too_small", s, probe[2]
        s *= 10.0
    return None


def _diagnose(
    f: Func,
    xs: list[float],
    i: int,
    f_x: float,
    h: float,
    first: Probe | None,
    analytic: float,
    numeric: float,
    atol: float,
    rtol: float,
) -> Finding | None:
    """What is wrong with input ``i`` (a Finding), or None when its check passes."""
    x = xs[i]
    kink = None if first is None else _kink(f, xs, i, f_x, h, first, atol, rtol)
    if kink is not None:
        return Finding(i, x, h, analytic, numeric, "kink", left=kink[0], right=kink[1])
    if _agree(analytic, numeric, atol, rtol):
        return None
    found = None
    if first is not None and math.isfinite(analytic):
        found = _agreeing_step(f, xs, i, f_x, h, first, analytic, atol, rtol)
    if found is None:
        return Finding(i, x, h, analytic, numeric, "mismatch")
    kind, step, central = found
    eps = step / max(1.0, abs(x))
    return Finding(i, x, h, analytic, numeric, kind, eps=eps, numeric_at_eps=central)


def analytic_grad(f: Func, inputs: Sequence[Any]) -> list[float]:
    """df/dx_i for each input, computed by ``backward()``."""
    values = [Value(x) for x in _floats(inputs)]
    with enable_grad():  # under an outer no_grad() there would be no graph, and grads of 0
        out = f(*values)
    if isinstance(out, Value):
        out.backward()
    return [float(v.grad) for v in values]


def gradcheck(
    f: Func,
    inputs: Sequence[Any],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
) -> bool:
    """Compare ``backward()`` with central differences; return True or raise GradcheckError.

    Input ``i`` passes when ``|analytic - numeric| <= atol + rtol * |numeric|`` and it does
    not sit on a kink. A failure says why, for every input that fails (``GradcheckError``'s
    ``findings``; see ``Finding``): a kink (the one-sided slopes differ, so no derivative
    exists: ``relu`` or ``abs`` at 0, a tie in ``maximum``), a step too large or too small
    for the input's scale (with an ``eps`` that works), or a plain mismatch. A bad ``eps``
    (not a positive finite number, or a step that vanishes at some input) raises ValueError
    before any work.
    """
    xs, steps = _steps(inputs, eps)
    analytic = analytic_grad(f, inputs)
    f_x = _evaluate(f, xs)
    findings = []
    for i, h in enumerate(steps):
        numeric, f_minus, f_plus = _central(f, xs, i, h)
        first = _slopes(xs, i, f_x, h, f_minus, f_plus) if math.isfinite(f_x) else None
        finding = _diagnose(f, xs, i, f_x, h, first, analytic[i], numeric, atol, rtol)
        if finding is not None:
            findings.append(finding)
    if findings:
        lines = [
            f"역전파와 중앙 차분이 다릅니다: 입력 {len(analytic)}개 중 {len(findings)}개 "
            f"(gradcheck failed for {len(findings)} of {len(analytic)} input(s)):"
        ]
        for item in findings:
            i = item.index
            lines.append(
                f"  입력 {i} (input {i}): 역전파 (analytic) {item.analytic!r}, "
                f"중앙 차분 (numeric) {item.numeric!r}: {item.verdict}"
            )
            if item.kind != "mismatch":
                lines.append("    " + item.describe(f"입력 {i} (input {i})"))
        mismatches = [(item.index, item.analytic, item.numeric) for item in findings]
        raise GradcheckError("\n".join(lines), mismatches, findings)
    return True
