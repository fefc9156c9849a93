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
from .messages import say

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
        raise TypeError(say("gradcheck.inputs_not_list", kind=type(inputs).__name__))
    return [float(Value(x.data if isinstance(x, Value) else x).data) for x in inputs]


def _evaluate(f: Func, xs: Sequence[float]) -> float:
    with no_grad():
        out = f(*[Value(x) for x in xs])
    return float(out.data if isinstance(out, Value) else out)


def _check_eps(eps: object) -> float:
    if isinstance(eps, bool) or not isinstance(eps, numbers.Real):
        raise TypeError(say("gradcheck.eps_not_real", eps=eps))
    value = float(eps)
    if not (math.isfinite(value) and value > 0.0):
        raise ValueError(say("gradcheck.eps_not_positive", eps=eps))
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
        overflows = say("gradcheck.step_overflows", x=x)
        raise ValueError(f"eps={eps:g}: {overflows}")
    if plus == x or minus == x:
        vanishes = say("gradcheck.step_vanishes", x=x, h=h)
        raise ValueError(f"eps={eps:g}: {vanishes}")
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
            name = say("gradcheck.input", i=i)
            raise ValueError(f"{name}: {exc}") from None
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

VERDICTS = {  # the message key of each kind of Finding's short label
    "kink": "shared.not_differentiable",
    "step_too_large": "gradcheck.verdict_step_too_large",
    "step_too_small": "gradcheck.verdict_step_too_small",
    "mismatch": "gradcheck.verdict_mismatch",
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
        """A short label: "not differentiable", "mismatch", ... (in Korean first)."""
        return say(VERDICTS[self.kind])

    def describe(self, name: str, eps_option: str = "eps=") -> str:
        """One sentence for input ``name``; ``eps_option`` spells how to pass an eps."""
        x, a = f"{self.x:.6g}", f"{self.analytic:.6g}"
        if self.kind == "kink":
            kink = say("gradcheck.kink")
            left, right = f"{self.left:.6g}", f"{self.right:.6g}"
            slopes = say("gradcheck.kink_slopes", left=left, right=right, analytic=a)
            return f"{name} = {x}: {kink}: {slopes}."
        if self.kind == "mismatch":
            return f"{name}: {_compared(self.analytic, self.numeric)}"
        large = self.kind == "step_too_large"
        h = f"{self.step:.3g}"
        if large:
            step, why = say("gradcheck.step_too_large", h=h), say("gradcheck.not_a_kink")
        else:
            step, why = say("gradcheck.step_too_small", h=h), say("gradcheck.rounding")
        option = f"{eps_option}{self.eps:.0e}"
        numeric = f"{self.numeric_at_eps:.6g}"
        agrees = say("gradcheck.agrees_at", option=option, numeric=numeric, analytic=a)
        return f"{name} = {x}: {step}; {why}. {agrees}."


def _compared(analytic: float, numeric: float) -> str:
    """The two gradients side by side: ``analytic 1.0, numeric 2.0`` (Korean first)."""
    backward, central = say("gradcheck.analytic"), say("gradcheck.numeric")
    return f"{backward} {analytic!r}, {central} {numeric!r}"


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
        lines = [say("gradcheck.failed", failed=len(findings), total=len(analytic)) + ":"]
        for item in findings:
            name = say("gradcheck.input", i=item.index)
            lines.append(f"  {name}: {_compared(item.analytic, item.numeric)}: {item.verdict}")
            if item.kind != "mismatch":
                lines.append("    " + item.describe(name))
        mismatches = [(item.index, item.analytic, item.numeric) for item in findings]
        raise GradcheckError("\n".join(lines), mismatches, findings)
    return True
