"""The derivative table: every primitive operation, its forward rule and its local derivatives.

Each entry says, side by side,

* ``forward(m, *xs)``        -- how the output is computed from the inputs, and
* ``backward(m, out, *xs)``  -- the local derivatives d(out)/d(x_i), one per input.

``m`` is a small "math namespace" (``exp``, ``log``, ``where``, ...). The same rule runs
with plain floats (``FLOAT``, the eager engine), with ``Value`` objects (higher-order
derivatives: the derivative itself becomes a graph), and with NumPy arrays or source text
(the compiler). That is why the rules use ``m.where(cond, a, b)`` instead of ``if``: both
branches are written as expressions, so they work for a whole batch at once. Because the
unused branch is evaluated too, it must never fail: see the clamps in ``elu`` and ``pow``.

This file is the only place in the project where derivatives are written.
"""

from __future__ import annotations

import math
import operator
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["OPS", "FLOAT", "DomainError", "Op", "FloatMath"]

# exp(x) overflows a double above log(max float) ~= 709.78.
EXP_MAX = math.log(sys.float_info.max)


class DomainError(ValueError):
    """An operation got an input outside its domain (log(-1), 1/0, exp(1000), ...)."""


@dataclass(frozen=True)
class Op:
    """One primitive operation: its name, how to display it, and its two rules."""

    name: str
    symbol: str  # what a diagram or generated code shows: "+", "*", "tanh", ...
    forward: Callable[..., Any]  # forward(m, *xs) -> out
    backward: Callable[..., tuple[Any, ...]]  # backward(m, out, *xs) -> (dout/dx_i, ...)
    domain: Callable[..., str | None] | None = None  # domain(*xs) -> why it is invalid, or None


class FloatMath:
    """The math namespace for plain Python floats, written to be stable for any finite input."""

    exp = staticmethod(math.exp)
    expm1 = staticmethod(math.expm1)
    log = staticmethod(math.log)
    log1p = staticmethod(math.log1p)
    sqrt = staticmethod(math.sqrt)
    tanh = staticmethod(math.tanh)  # math.tanh saturates to +-1, it never overflows
    sin = staticmethod(math.sin)
    cos = staticmethod(math.cos)
    abs = staticmethod(abs)

    @staticmethod
    def where(cond: Any, a: Any, b: Any) -> Any:
        return a if cond else b

    @staticmethod
    def sigmoid(x: float) -> float:
        # exp of a non-positive number only, so it cannot overflow
        if x >= 0:
            return 1.0 / (1.0 + math.exp(-x))
        e = math.exp(x)
        return e / (1.0 + e)

    @staticmethod
    def softplus(x: float) -> float:
        # log(1 + e^x) = max(x, 0) + log(1 + e^-|x|)
        return max(x, 0.0) + math.log1p(math.exp(-abs(x)))

    @staticmethod
    def sum(xs: Any) -> Any:
        return sum(xs)

    @staticmethod
    def dot(ws: Any, xs: Any) -> Any:
        return sum(map(operator.mul, ws, xs))


FLOAT = FloatMath()


# --- domains: return a reason when the inputs are invalid, else None --------------------


def _div_domain(a: float, b: float) -> str | None:
    return "division by zero" if b == 0 else None


def _log_domain(x: float) -> str | None:
    return "log is defined only for x > 0" if x <= 0 else None


def _sqrt_domain(x: float) -> str | None:
    return "sqrt is defined only for x >= 0" if x < 0 else None


def _exp_domain(x: float) -> str | None:
    return f"exp overflows for x > {EXP_MAX:.2f}" if x > EXP_MAX else None


def _pow_domain(a: float, b: float) -> str | None:
    if a < 0 and not float(b).is_integer():
        return "a negative base to a non-integer power is not a real number"
    if a == 0 and b < 0:
        return "zero to a negative power is a division by zero"
    return None


# --- rules that need more than one expression ---------------------------------------------


def _pow_backward(m: Any, out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    # d/da a^b = b a^(b-1). At a = b = 0 that is 0 * 0^-1, but a^0 = 1 is a constant, so the
    # derivative is 0 (as in PyTorch): only at that point the exponent is taken at b = 1.
    # (Comparisons rather than ==, so that the rule also works on Values and batches.)
    b_exp = m.where(b > 0, b, m.where(b < 0, b, m.where(m.abs(a) > 0, b, 1.0)))
    # d/db a^b = a^b log(a), taken as 0 where a <= 0
    # (log is evaluated at 1 there, so the unused branch cannot fail)
    safe_a = m.where(a > 0, a, 1.0)
    return b * a ** (b_exp - 1), m.where(a > 0, out * m.log(safe_a), 0.0)


def _elu_forward(m: Any, x: Any, alpha: Any) -> Any:
    # clamp so the unused branch never computes exp of a large positive x
    neg = m.where(x > 0, 0.0, x)
    return m.where(x > 0, x, alpha * m.expm1(neg))


def _elu_backward(m: Any, out: Any, x: Any, alpha: Any) -> tuple[Any, Any]:
    neg = m.where(x > 0, 0.0, x)
    return m.where(x > 0, 1.0, alpha * m.exp(neg)), m.where(x > 0, 0.0, m.expm1(neg))


def _maximum_backward(m: Any, out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    # the gradient goes to the larger input; a tie splits it evenly (as PyTorch does)
    da = m.where(a > b, 1.0, m.where(a < b, 0.0, 0.5))
    return da, 1.0 - da


def _minimum_backward(m: Any, out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    da = m.where(a < b, 1.0, m.where(a > b, 0.0, 0.5))
    return da, 1.0 - da


def _dot_forward(m: Any, *wx: Any) -> Any:
    n = len(wx) // 2
    return m.dot(wx[:n], wx[n:])


def _dot_backward(m: Any, out: Any, *wx: Any) -> tuple[Any, ...]:
    # d/dw_i (sum_j w_j x_j) = x_i  and  d/dx_i = w_i
    n = len(wx) // 2
    return wx[n:] + wx[:n]


# --- the table -----------------------------------------------------------------------------

_TABLE = [
    # name        symbol       forward                                   local derivatives
    Op("add", "+", lambda m, a, b: a + b, lambda m, out, a, b: (1.0, 1.0)),
    Op("sub", "-", lambda m, a, b: a - b, lambda m, out, a, b: (1.0, -1.0)),
    Op("mul", "*", lambda m, a, b: a * b, lambda m, out, a, b: (b, a)),
    Op("div", "/", lambda m, a, b: a / b, lambda m, out, a, b: (1.0 / b, -out / b), _div_domain),
    Op("neg", "-", lambda m, a: -a, lambda m, out, a: (-1.0,)),
    Op("pow", "**", lambda m, a, b: a**b, _pow_backward, _pow_domain),
    Op("exp", "exp", lambda m, x: m.exp(x), lambda m, out, x: (out,), _exp_domain),
    Op("log", "log", lambda m, x: m.log(x), lambda m, out, x: (1.0 / x,), _log_domain),
    Op("sqrt", "sqrt", lambda m, x: m.sqrt(x), lambda m, out, x: (0.5 / out,), _sqrt_domain),
    Op("sin", "sin", lambda m, x: m.sin(x), lambda m, out, x: (m.cos(x),)),
    Op("cos", "cos", lambda m, x: m.cos(x), lambda m, out, x: (-m.sin(x),)),
    Op("tanh", "tanh", lambda m, x: m.tanh(x), lambda m, out, x: (1.0 - out * out,)),
    Op("sigmoid", "sigmoid", lambda m, x: m.sigmoid(x), lambda m, out, x: (out * (1.0 - out),)),
    Op("softplus", "softplus", lambda m, x: m.softplus(x), lambda m, out, x: (m.sigmoid(x),)),
    Op(
        "relu",
        "relu",
        lambda m, x: m.where(x > 0, x, 0.0),
        lambda m, out, x: (m.where(x > 0, 1.0, 0.0),),
    ),
    Op(
        "leaky_relu",  # max(slope*x, x) for slope < 1, as in seed 004
        "leaky_relu",
        lambda m, x, slope: m.where(x > 0, x, slope * x),
        lambda m, out, x, slope: (m.where(x > 0, 1.0, slope), m.where(x > 0, 0.0, x)),
    ),
    Op("elu", "elu", _elu_forward, _elu_backward),
    Op(
        "abs",
        "abs",
        lambda m, x: m.abs(x),
        lambda m, out, x: (m.where(x > 0, 1.0, m.where(x < 0, -1.0, 0.0)),),
    ),
    Op("maximum", "max", lambda m, a, b: m.where(a < b, b, a), _maximum_backward),
    Op("minimum", "min", lambda m, a, b: m.where(a > b, b, a), _minimum_backward),
    Op("sum", "sum", lambda m, *xs: m.sum(xs), lambda m, out, *xs: (1.0,) * len(xs)),
    Op("dot", "dot", _dot_forward, _dot_backward),
]

OPS: dict[str, Op] = {op.name: op for op in _TABLE}
