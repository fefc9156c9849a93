"""The engine's input checks and the errors it raises, built here so engine.py reads as the
algorithm: ``check_*`` return a valid input or raise; the other functions build the error
for the engine to raise (``raise gradient_overflow(node, g)``).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any, NoReturn

from .messages import say
from .ops import DomainError, FloatInRule, Op

__all__ = [
    "GraphError",
    "TraceError",
    "check_number",
    "check_label",
    "check_children",
    "check_op_symbol",
    "check_seed",
    "not_a_value",
    "refuse_comparison",
    "float_in_rule",
    "no_graph",
    "gradient_overflow",
    "why",
    "result_overflow",
    "fmt",
    "domain_error",
    "derivative_error",
    "constant_derivative_error",
    "constant_uses_freed",
    "arity_error",
]


class GraphError(RuntimeError):
    """backward() cannot run on this graph (no graph was recorded, or a hand-made node has
    no ``_backward``)."""


class TraceError(RuntimeError):
    """A function cannot be traced into code that is correct for every input (compile)."""


# --- checks: the valid input, or an error saying what is wrong with it -----------------------


def check_number(data: object, value: type | tuple[()] = ()) -> float:
    """The float value of ``data``, or a TypeError/DomainError saying what is wrong with it.

    ``value`` is the Value class, when a Value given instead of a number deserves its own
    message (``Value(Value(1.0))``).
    """
    if data.__class__ is float and math.isfinite(data):  # by far the most common case
        return data
    if isinstance(data, value):
        raise TypeError(say("engine.value_in_value"))
    if not isinstance(data, numbers.Real):
        # str, None, complex, list, ... are not real numbers
        raise TypeError(say("engine.not_real", kind=type(data).__name__, value=data))
    try:
        result = float(data)
    except OverflowError:  # an int (or Fraction) beyond the largest float, about 1.8e308
        size = type(data).__name__
        if isinstance(data, int):
            digits = f"{math.log10(abs(data)):.0f}"
            size = say("engine.int_size", bits=data.bit_length(), digits=digits)
        raise DomainError(say("engine.too_large", size=size)) from None
    if not math.isfinite(result):
        needs = say("shared.needs_finite")
        raise DomainError(f"{needs}, got {result!r}")
    return result


def check_label(label: object) -> str:
    return _check_str(label, "engine.label_not_str")


def check_children(children: object, value: type) -> tuple[Any, ...]:
    """``children`` as a tuple of Values (instances of ``value``)."""
    if isinstance(children, (str, bytes)) or not isinstance(children, (tuple, list, set)):
        kind = type(children).__name__
        reason = say("engine.children_not_tuple", kind=kind, value=children)
        raise TypeError(f"Value(data, _children, _op, label): {reason}")
    for child in children:
        if not isinstance(child, value):
            raise TypeError(say("engine.child_not_value", kind=type(child).__name__, value=child))
    return tuple(children)


def check_op_symbol(op: object) -> str:
    """The ``_op`` of ``Value(data, _children, _op)``: micrograd's symbol, such as ``'*'``."""
    return _check_str(op, "engine.op_not_str")


def _check_str(value: object, key: str) -> str:
    if not isinstance(value, str):
        raise TypeError(say(key, kind=type(value).__name__, value=value))
    return value


def check_seed(grad: object) -> float:
    """The seed of backward(grad) as a float, or a TypeError/DomainError saying why not."""
    if isinstance(grad, bool) or not isinstance(grad, numbers.Real):
        raise TypeError(say("engine.seed_not_real", kind=type(grad).__name__, value=grad))
    try:
        value = float(grad)
    except OverflowError:
        value = math.inf
    if not math.isfinite(value):
        shown = repr(grad) if len(repr(grad)) < 30 else say("engine.too_large_for_float")
        raise DomainError(say("engine.seed_not_finite", shown=shown))
    return value


def not_a_value(what: str) -> TypeError:
    """A parameter such as leaky_relu's slope must be a number, not a Value."""
    return TypeError(say("engine.not_a_value", what=what))


def refuse_comparison() -> NoReturn:
    raise TraceError(say("engine.traced_comparison"))


def float_in_rule() -> FloatInRule:
    return FloatInRule(say("engine.float_in_rule"))


def no_graph() -> GraphError:
    return GraphError(say("engine.no_graph"))


def gradient_overflow(node: Any, g: float) -> DomainError:
    """backward found a gradient that overflowed to inf (or became nan) at ``node``."""
    if node._prev and node._row:
        what = say("engine.output_of", name=node._row.name)
    else:
        what = say("engine.a_leaf")
    overflowed = say("engine.gradient_overflow", what=what, g=g)
    error = DomainError(f"backward: {overflowed}")
    error.node = node
    return error


# --- an operation's inputs outside its domain ------------------------------------------------


def why(exc: BaseException) -> str:
    """Python's own wording for float errors is terse ("math range error"); say it plainly."""
    if isinstance(exc, OverflowError):
        return say("engine.overflow")
    if isinstance(exc, ZeroDivisionError):
        return say("engine.infinite_there")
    cannot = say("shared.cannot_compute")
    return f"{cannot}: {exc}"


def result_overflow(data: float) -> str:
    """The reason for a forward result that is not finite (Python floats overflow silently)."""
    return say("engine.result_overflow", data=data)


def fmt(xs: Sequence[float]) -> str:
    if len(xs) > 6:
        return "(" + say("engine.many_inputs", n=len(xs)) + ")"
    return "(" + ", ".join(repr(x) for x in xs) + ")"


def domain_error(op: Op, xs: Sequence[float], reason: str) -> DomainError:
    """``op`` cannot be computed at ``xs``, for ``reason`` (a domain rule, or ``why(exc)``)."""
    return DomainError(f"{op.name}{fmt(xs)}: {reason}")


def derivative_error(node: Any, exc: BaseException, constant: type) -> DomainError:
    """The DomainError for a local derivative that cannot be evaluated at ``node``; the
    inputs of class ``constant`` had no rule evaluated, so they are not the reason."""
    row = node._row
    xs = [p.data for p in node._prev]
    reason = why(exc)
    if row.why_not is not None:
        for i, p in enumerate(node._prev):
            if p.__class__ is not constant:
                reason = row.why_not(i, *xs) or reason
    at = fmt(xs)[1:-1]
    undefined = say("engine.derivative_undefined", at=at)
    error = DomainError(f"{row.name}: {undefined}: {reason}")
    error.node = node
    return error


def constant_derivative_error(
    data: float, row: Op, xs: Sequence[float], i: int, reason: str
) -> DomainError:
    """The derivative of ``row`` with respect to its input ``i``, the constant ``data``,
    does not exist at ``xs``."""
    if row.why_not is not None:
        reason = row.why_not(i, *xs) or reason
    at = fmt(xs)[1:-1]
    undefined = say("engine.constant_derivative_undefined", data=data, name=row.name, i=i, at=at)
    return DomainError(f"{undefined}: {reason}")


def constant_uses_freed(data: float) -> GraphError:
    return GraphError(say("engine.constant_uses_freed", data=data))


def arity_error(name: str, arity: int, got: int) -> TypeError:
    count = say("shared.input_count", expected=arity, got=got)
    return TypeError(f"{name}(): {count}")
