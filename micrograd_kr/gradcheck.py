"""Check analytic gradients against central finite differences.

    f'(x) ~= (f(x + eps) - f(x - eps)) / (2 eps)

The error of this estimate shrinks like eps^2, so it is a good independent witness of what
``backward()`` computes.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from typing import Any

from .engine import Value, enable_grad, no_grad

__all__ = ["numerical_grad", "analytic_grad", "gradcheck", "GradcheckError", "difference_step"]

Func = Callable[..., Any]


class GradcheckError(AssertionError):
    """Analytic and numerical gradients disagree; the message lists every mismatching input."""

    def __init__(self, message: str, mismatches: list[tuple[int, float, float]]) -> None:
        super().__init__(message)
        self.mismatches = mismatches


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
    eps = _check_eps(eps)
    xs = _floats(inputs)
    steps = []
    for i, x in enumerate(xs):
        try:
            steps.append(difference_step(x, eps))
        except ValueError as exc:
            raise ValueError(f"입력 {i} (input {i}): {exc}") from None
    grads = []
    for i, h in enumerate(steps):
        plus, minus = list(xs), list(xs)
        plus[i] += h
        minus[i] -= h
        # divide by the step actually taken, after rounding
        grads.append((_evaluate(f, plus) - _evaluate(f, minus)) / (plus[i] - minus[i]))
    return grads


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

    Input ``i`` passes when ``|analytic - numeric| <= atol + rtol * |numeric|``. The error
    message lists every input that fails, with both numbers. A bad ``eps`` (not a positive
    finite number, or a step that vanishes at some input) raises ValueError before any work.
    """
    eps = _check_eps(eps)
    for i, x in enumerate(_floats(inputs)):
        try:
            difference_step(x, eps)
        except ValueError as exc:
            raise ValueError(f"입력 {i} (input {i}): {exc}") from None
    analytic = analytic_grad(f, inputs)
    numeric = numerical_grad(f, inputs, eps)
    mismatches = [
        (i, a, n)
        for i, (a, n) in enumerate(zip(analytic, numeric))
        if not (math.isfinite(a) and abs(a - n) <= atol + rtol * abs(n))
    ]
    if mismatches:
        lines = [
            f"역전파와 중앙 차분이 다릅니다: 입력 {len(analytic)}개 중 {len(mismatches)}개 "
            f"(gradcheck failed for {len(mismatches)} of {len(analytic)} input(s)):"
        ]
        lines += [
            f"  입력 {i} (input {i}): 역전파 (analytic) {a!r}, 중앙 차분 (numeric) {n!r}"
            for i, a, n in mismatches
        ]
        raise GradcheckError("\n".join(lines), mismatches)
    return True
