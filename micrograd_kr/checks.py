"""The engine's input checks and the errors it raises, built here so engine.py reads as the
algorithm: ``check_*`` return a valid input or raise; the other functions build the error
for the engine to raise (``raise gradient_overflow(node, g)``).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any, NoReturn

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
        raise TypeError(
            "Value 안에 Value를 넣었습니다 (Value(...) got a Value); "
            "그 Value를 그대로 쓰거나 Value(v.data)로 쓰세요 "
            "(use the Value itself or Value(v.data))"
        )
    if not isinstance(data, numbers.Real):
        # str, None, complex, list, ... are not real numbers
        raise TypeError(
            f"실수(int 또는 float)가 필요합니다 (Value needs a real number (int or float)), "
            f"got {type(data).__name__}: {data!r}"
        )
    try:
        result = float(data)
    except OverflowError:  # an int (or Fraction) beyond the largest float, about 1.8e308
        size = type(data).__name__
        if isinstance(data, int):
            size = f"{data.bit_length()}-bit int, about 10^{math.log10(abs(data)):.0f}"
        raise DomainError(
            f"float로 나타낼 수 없을 만큼 큰 수입니다 "
            f"(Value needs a number a float can hold (|x| < 1.8e308)), got a {size}"
        ) from None
    if not math.isfinite(result):
        raise DomainError(f"유한한 수가 필요합니다 (Value needs a finite number), got {result!r}")
    return result


def check_label(label: object) -> str:
    return _check_str(label, "label은 문자열이어야 합니다 (label must be a str)")


def check_children(children: object, value: type) -> tuple[Any, ...]:
    """``children`` as a tuple of Values (instances of ``value``)."""
    if isinstance(children, (str, bytes)) or not isinstance(children, (tuple, list, set)):
        raise TypeError(
            "Value(data, _children, _op, label): _children는 Value들의 튜플이어야 합니다 "
            f"(a tuple of Values), got {type(children).__name__}: {children!r}; "
            "이름을 붙이려면 label='...'로 쓰세요"
        )
    for child in children:
        if not isinstance(child, value):
            raise TypeError(
                f"_children에는 Value만 넣을 수 있습니다 (children must be Values), "
                f"got {type(child).__name__}: {child!r}"
            )
    return tuple(children)


def check_op_symbol(op: object) -> str:
    """The ``_op`` of ``Value(data, _children, _op)``: micrograd's symbol, such as ``'*'``."""
    return _check_str(op, "_op은 '*' 같은 문자열이어야 합니다 (_op must be a str such as '*')")


def _check_str(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{what}, got {type(value).__name__}: {value!r}")
    return value


def check_seed(grad: object) -> float:
    """The seed of backward(grad) as a float, or a TypeError/DomainError saying why not."""
    if isinstance(grad, bool) or not isinstance(grad, numbers.Real):
        raise TypeError(
            "backward(grad)의 시작 기울기는 실수여야 합니다 (the seed gradient of backward(grad) "
            f"must be a real number (int or float)), got {type(grad).__name__}: {grad!r}"
        )
    try:
        value = float(grad)
    except OverflowError:
        value = math.inf
    if not math.isfinite(value):
        shown = repr(grad) if len(repr(grad)) < 30 else "too large for a float"
        raise DomainError(
            f"backward(grad)의 시작 기울기가 유한한 수가 아닙니다 (the seed gradient of "
            f"backward(grad) is not finite): {shown}"
        )
    return value


def not_a_value(what: str) -> TypeError:
    """A parameter such as leaky_relu's slope must be a number, not a Value."""
    return TypeError(
        f"{what}에는 Value가 아닌 숫자를 주세요 ({what} must be a number, not a Value)"
    )


def refuse_comparison() -> NoReturn:
    raise TraceError(
        "컴파일하는 함수가 Value를 비교합니다: 그 선택이 컴파일된 코드의 모든 입력에 고정됩니다 "
        "(the traced function compares a Value: if x > 0, max(...), sorted(...)). 표본마다 "
        "정하는 연산을 쓰세요 (use the ops that decide per sample): relu, maximum, minimum, "
        "abs, leaky_relu, elu."
    )


def float_in_rule() -> FloatInRule:
    return FloatInRule(
        "미분 규칙 안의 float(Value)는 그 Value의 미분을 버립니다: grad(grad(f))가 "
        "조용히 0이 됩니다 (float(Value) inside a derivative rule would drop the Value's "
        "own derivative, a silent 0 in grad(grad(f)))"
    )


def no_graph() -> GraphError:
    return GraphError(
        "이 값은 no_grad() 안에서 계산되어 계산 그래프가 없으므로 backward()를 할 수 "
        "없습니다 (this value was computed without a graph, inside no_grad(): its "
        "inputs would silently get no gradient). Compute it outside no_grad()."
    )


def gradient_overflow(node: Any, g: float) -> DomainError:
    """backward found a gradient that overflowed to inf (or became nan) at ``node``."""
    what = f"the output of {node._row.name}" if node._prev and node._row else "a leaf"
    error = DomainError(
        f"backward: 기울기가 {g}(으)로 넘쳤습니다 (the gradient of {what} overflowed to {g})"
    )
    error.node = node
    return error


# --- an operation's inputs outside its domain ------------------------------------------------


def why(exc: BaseException) -> str:
    """Python's own wording for float errors is terse ("math range error"); say it plainly."""
    if isinstance(exc, OverflowError):
        return "결과가 float 범위를 넘습니다 (overflow: the result is too large for a float)"
    if isinstance(exc, ZeroDivisionError):
        return "0으로 나누게 되어 값이 무한대입니다 (division by zero: the value is infinite there)"
    return f"계산할 수 없습니다 ({exc})"


def fmt(xs: Sequence[float]) -> str:
    if len(xs) > 6:
        return f"(<{len(xs)} inputs>)"
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
    error = DomainError(
        f"{row.name}: 입력 ({at})에서 미분이 정의되지 않습니다 "
        f"(derivative undefined at input ({at})): {reason}"
    )
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
    return DomainError(
        f"상수 {data!r}의 기울기가 정의되지 않습니다: {row.name}의 입력 {i}에 대한 미분이 "
        f"({at})에서 없습니다 (the gradient of the constant {data!r} is undefined: the "
        f"derivative of {row.name} with respect to input {i} does not exist at ({at})): {reason}"
    )


def constant_uses_freed(data: float) -> GraphError:
    return GraphError(
        f"상수 {data!r}을(를) 쓴 연산이 그래프와 함께 메모리에서 사라져 기울기를 알 수 "
        f"없습니다 (the nodes that used the constant {data!r} were freed with their "
        "graph, so its gradient is unknown): 출력을 변수에 담아 두세요 (keep a reference "
        "to the output)"
    )


def arity_error(name: str, arity: int, got: int) -> TypeError:
    return TypeError(
        f"{name}()에는 입력이 {arity}개 필요합니다 ({name}() takes {arity} input(s)), got {got}"
    )
