"""Constants' gradients, worked out when read (``engine.Constant.grad``).

A constant is a plain number that entered an operation (the 2 in ``2 * x``). backward() never
evaluates a constant's derivative rule: nothing downstream needs it, and it may not exist
(d/da a^b at a = 0 when 0 < b < 1). So a constant remembers the nodes that used it, as weak
references, and its ``.grad`` is summed over them when someone reads it:
d(node)/d(constant) * node.grad.

A use is the node that used the constant (a weak reference), or, when the constant was
combined with other constants into a new constant, (that constant, the op, its inputs, the
constant's position). The nodes are weak references: a strong one would make a cycle
(node -> constant -> node), and a dropped graph would wait for the garbage collector.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Iterable
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Union

from .checks import GraphError, constant_derivative_error, constant_uses_freed, why
from .ops import FLOAT, DomainError, Op

if TYPE_CHECKING:
    from .engine import Constant, Value

__all__ = ["link", "record_uses", "read_grad", "write_grad", "getstate", "setstate"]

Use = Union[
    "weakref.ReferenceType[Value]",
    tuple["weakref.ReferenceType[Value]", Op, tuple[float, ...], int],
]

_data_of = attrgetter("data")


def link(node: Value, constant: type[Constant]) -> None:
    """Let each constant input of ``node`` find it, so its ``.grad`` can be read later."""
    use = weakref.ref(node)
    for x in node._prev:
        if isinstance(x, constant) and use not in x._used_by:
            x._used_by = (*_alive(x._used_by), use)


def record_uses(
    out: Constant, op: Op, inputs: tuple[Value, ...], operands: tuple[Any, ...]
) -> None:
    """``out`` is ``op`` of the constants ``inputs``: a constant that the caller passed in
    (not a number made into one by the operation) remembers how ``out`` depends on it."""
    given = [i for i, (x, operand) in enumerate(zip(inputs, operands)) if x is operand]
    if given:
        use: weakref.ReferenceType[Value] = weakref.ref(out)
        xs = tuple(map(_data_of, inputs))
        for i in given:
            c: Constant = inputs[i]  # type: ignore[assignment]
            c._used_by = (*_alive(c._used_by), (use, op, xs, i))


def _alive(uses: tuple[Use, ...]) -> tuple[Use, ...]:
    # A constant kept by the caller and used again every step would collect one use per
    # step: forget the uses whose node is gone (they no longer count, see _sum_over_uses).
    if len(uses) < 8:
        return uses
    return tuple(u for u in uses if (u[0] if isinstance(u, tuple) else u)() is not None)


def read_grad(c: Constant) -> float:
    # _grad_slot holds what backward handed over directly (n-ary ops, hand-made closures)
    return c._grad_slot + _sum_over_uses(c)


def write_grad(c: Constant, value: Any) -> None:
    # reading gives back what was set: zero_grad, or ``c.grad += ...`` in a closure
    try:
        now = _sum_over_uses(c)
    except (DomainError, GraphError):
        now = 0.0
    c._grad_slot = value - now if now else value


def _sum_over_uses(c: Constant) -> float:
    """d(node)/d(c) * node.grad summed over the nodes that used ``c`` (0 before backward).

    A node that was freed with its graph no longer counts (no output depends on it any
    more); when every node that used ``c`` is gone, its gradient is unknown: an error.
    """
    total = 0.0
    alive = False
    for use in c._used_by:
        if isinstance(use, tuple):  # combined with other constants into the constant `node`
            ref, row, xs, i = use
            node = ref()
            positions: Iterable[int] = (i,)
        else:
            node = use()
            if node is None or node._row is None:
                continue
            row, xs = node._row, tuple(map(_data_of, node._prev))
            positions = [i for i, p in enumerate(node._prev) if p is c]
        if node is None:
            continue
        alive = True
        g = node.grad
        if g == 0.0:
            continue  # as in backward: a node whose gradient is 0 passes nothing on
        for i in positions:
            total += _local(c, row, node.data, xs, i) * g
    if c._used_by and not alive:
        raise constant_uses_freed(c.data)
    return total


def _local(c: Constant, row: Op, out: float, xs: tuple[float, ...], i: int) -> float:
    """d(out)/d(input i) for the constant ``c``, or a DomainError saying it does not exist."""
    try:
        if row.each is not None:
            local = float(row.each(FLOAT, out, list(xs))[i])
        else:
            local = float(row.derivatives[i](FLOAT, out, *xs))
        if math.isfinite(local):
            return local
        reason = f"{local}"
    except (ArithmeticError, ValueError) as exc:
        reason = why(exc)
    raise constant_derivative_error(c.data, row, xs, i, reason)


# Weak references cannot be pickled or deep-copied: the nodes that used a constant go along
# as they are (pickle keeps the graph's own cycles) and become weak again on arrival.


def getstate(c: Constant) -> dict[str, Any]:
    uses = [(u[0](), *u[1:]) if isinstance(u, tuple) else u() for u in c._used_by]
    return {
        "data": c.data,
        "grad": c._grad_slot,
        "label": c.label,
        "_prev": c._prev,
        "_row": c._row,
        "_used_by": uses,
    }


def setstate(c: Constant, state: dict[str, Any]) -> None:
    c.data, c._grad_slot = state["data"], state["grad"]
    c.label, c._prev, c._row = state["label"], state["_prev"], state["_row"]
    c._used_by = tuple(
        (weakref.ref(u[0]), *u[1:]) if isinstance(u, tuple) else weakref.ref(u)
        for u in state["_used_by"]
        if (u[0] if isinstance(u, tuple) else u) is not None
    )
