"""Compatibility with the micrograd lecture: nodes made by hand, ``Value(data, (a, b), '*')``,
whose backward step is the ``_backward`` closure the learner assigns, and micrograd's ``_op``.

One hook in engine.py: ``class Value(Micrograd)``. The base class adds no slot; it gives
Value micrograd's repr and ``_op``, and its ``__new__`` decides the class of each new node.
A node made by hand (of Value or of a learner's subclass) gets a class with room for its own
``_backward`` (ordinary Values have none, to stay small); backward() simply calls it. Its row
(``HandMadeRow``, made for that node alone) carries its symbol, and its rules refuse to run
on Values, source text or arrays, so ``grad``, ``hessian`` and ``compile`` stop with a clear
error as for any row whose rules fail; on floats (diagrams) its derivatives are read off the
node's closure. No other module tests for hand-made nodes.
"""

from __future__ import annotations

import functools
import math
from typing import TYPE_CHECKING, Any

from .checks import GraphError
from .messages import say
from .ops import FLOAT, OPS, DomainError, Op

if TYPE_CHECKING:
    from .engine import Value

__all__ = ["Micrograd", "HandMadeRow", "closure_derivatives", "summed_uses"]


class Micrograd:
    """The base of ``Value``: what the micrograd lecture's code expects of a Value."""

    __slots__ = ()  # adds nothing to a node
    if TYPE_CHECKING:
        data: float
        grad: Any
        label: str
        _prev: tuple[Value, ...]
        _row: Op | None

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        # Value(data, (a, b), '*') made by hand: a class with room for its _backward closure
        return object.__new__(node_class(cls, args, kwargs))  # type: ignore[arg-type]

    @property
    def _op(self) -> str:
        """The operation as micrograd spells it ('+', '*', 'tanh', 'ReLU', '**2'; '' for a
        leaf), so a diagram written for micrograd (``str(id(n)) + n._op``) runs unchanged."""
        row = self._row
        if row is None:
            return ""
        # a constant exponent (Constant is the only Value with _used_by): x**2 is '**2'
        if row is OPS["pow"] and hasattr(self._prev[1], "_used_by"):
            return f"**{self._prev[1].data:g}"
        return row.symbol

    def __repr__(self) -> str:
        # the full float, as micrograd and Python print it: a rounded repr hides real differences
        label = f", label={self.label!r}" if self.label else ""
        try:
            grad = repr(float(self.grad))
        except (DomainError, GraphError):  # a constant whose derivative does not exist
            grad = repr(say("shared.undefined"))
        return f"Value(data={self.data!r}, grad={grad}{label})"


def node_class(cls: type[Value], args: tuple[Any, ...], kwargs: dict[str, Any]) -> type[Value]:
    """The class of the node ``cls(*args, **kwargs)`` makes: ``cls`` itself, or for a node
    made by hand (children or an op given, as micrograd's ``Value(data, _children, _op)``)
    the hand-made class of ``cls``."""
    children = args[1] if len(args) > 1 else kwargs.get("_children", ())
    op = args[2] if len(args) > 2 else kwargs.get("_op", "")
    if (isinstance(children, (tuple, list, set)) and children) or (isinstance(op, str) and op):
        return _hand_made_class(cls)
    return cls


def _hand_made_class(cls: type[Value]) -> type[Value]:
    """A subclass of ``cls`` (its methods, its name) with a ``__dict__`` for the ``_backward``
    closure, made once per class."""
    cached: type[Value] | None = cls.__dict__.get("_hand_made_class")
    if cached is not None:
        return cached

    def __init__(self: Value, *args: Any, **kwargs: Any) -> None:
        super(made, self).__init__(*args, **kwargs)  # cls's own __init__, then the row
        op = args[2] if len(args) > 2 else kwargs.get("_op", "")
        self._row = HandMadeRow.for_node(self, op)

    made: type[Value] = type(
        cls.__name__,
        (cls,),
        {
            "__module__": cls.__module__,
            "__qualname__": cls.__qualname__,
            "__doc__": cls.__doc__,
            "__init__": __init__,
            "_backward": _missing_backward,
            "__reduce_ex__": _reduce_ex,
        },
    )
    type.__setattr__(made, "_hand_made_class", made)
    type.__setattr__(cls, "_hand_made_class", made)
    return made


def _missing_backward(self: Value) -> None:
    raise GraphError(say("lecture.no_backward", node=repr(self), op=self._op))


def _reduce_ex(self: Value, protocol: Any) -> Any:
    # pickle and deepcopy make the node again through its class's hand-made class
    reduced: tuple[Any, ...] = object.__reduce_ex__(self, protocol)  # type: ignore[assignment]
    return (_new_node, (type(self).__bases__[0],), *reduced[2:])


def _new_node(cls: type[Value]) -> Value:
    return object.__new__(_hand_made_class(cls))


class HandMadeRow(Op):
    """The row of one hand-made node: its symbol and, per input, a rule that reads the local
    derivative off the node's ``_backward`` closure (floats only)."""

    @classmethod
    def for_node(cls, node: Value, symbol: str) -> HandMadeRow:
        rules = tuple(functools.partial(_read_off, node, i) for i in range(len(node._prev)))
        return cls("hand_made", symbol, _no_forward, rules)


def _no_forward(m: Any, *xs: Any) -> Any:
    raise GraphError(say("lecture.no_rule"))


def _read_off(node: Value, i: int, m: Any, out: Any, *xs: Any) -> float:
    if m is not FLOAT:  # grad of grad, compile: there is no rule to run on Values or text
        no_rule = say("lecture.no_rule")
        raise GraphError(f"{node!r}: {no_rule}")
    local = closure_derivatives(node)
    if local is None or local[i] is None:
        raise DomainError(say("lecture.cannot_read_off", i=i))
    return local[i]  # type: ignore[return-value]


# --- a hand-made node's local derivatives, read off its closure (for diagrams) ----------------


def closure_derivatives(node: Value) -> tuple[float | None, ...] | None:
    """The local derivatives of a hand-made node, read off its own ``_backward`` closure.

    The closure adds local * out.grad into each input's grad, so running it once with
    out.grad = 1 and the inputs' grads at 0 leaves exactly the local derivatives there. Every
    grad it may touch is put back afterwards: drawing changes nothing. None when the closure
    is missing or fails.

    An input used twice (the lecture's ``Value(a.data * a.data, (a, a), '*')``) receives the
    sum of both uses, and a run of the closure cannot split it. When the node's symbol names a
    row of the table with as many inputs, whose forward rule gives the node's data and whose
    derivatives add up to what the closure gave, each use gets that row's derivative
    (a·a: 3 and 3, not 6 and 0). Otherwise the sum stands at the input's first use and its
    other uses are marked as counted there (see ``summed_uses``).
    """
    totals = _closure_totals(node)
    if totals is None:
        return None
    local: list[float | None] = [None] * len(node._prev)
    seen: set[int] = set()
    for pos, v in enumerate(node._prev):
        if id(v) not in seen:
            local[pos] = totals[id(v)]
        seen.add(id(v))
    if len(seen) < len(node._prev):
        split = _split_by_table(node, totals)
        if split is not None:
            return split
    return tuple(local)


def summed_uses(node: Value) -> dict[int, int]:
    """For a hand-made node whose repeated input could not be split (see above): each
    position of such an input -> its first position, where the sum of all uses stands.
    Empty for every other node."""
    if not isinstance(node._row, HandMadeRow) or len(set(map(id, node._prev))) == len(node._prev):
        return {}
    totals = _closure_totals(node)
    if totals is None or _split_by_table(node, totals) is not None:
        return {}
    first: dict[int, int] = {}
    out: dict[int, int] = {}
    for pos, v in enumerate(node._prev):
        first.setdefault(id(v), pos)
        if node._prev.count(v) > 1:
            out[pos] = first[id(v)]
    return out


def _closure_totals(node: Value) -> dict[int, float] | None:
    """id(input) -> what the node's closure adds into that input's grad for out.grad = 1."""
    inputs = list(dict.fromkeys(node._prev))  # each input once, in order
    try:
        saved = [(v, v.grad) for v in [node, *inputs]]
    except (DomainError, GraphError):  # a constant input whose own gradient is undefined
        return None
    try:
        for v in inputs:
            v.grad = 0.0
        node.grad = 1.0
        node._backward()
        return {id(v): float(v.grad) for v in inputs}
    except Exception:  # a learner's closure may raise anything: the diagram shows "?"
        return None
    finally:
        for v, g in saved:
            v.grad = g


def _split_by_table(node: Value, totals: dict[int, float]) -> tuple[float | None, ...] | None:
    """The per-use derivatives from the table row the node's symbol names, if that row
    reproduces the node's data and agrees with the closure's sums; else None."""
    xs = [p.data for p in node._prev]
    for row in _rows_for(node._op, len(xs)):
        try:
            if not math.isclose(float(row.forward(FLOAT, *xs)), node.data, rel_tol=1e-9):
                continue
            local = tuple(float(d) for d in row.local_derivatives(FLOAT, node.data, *xs))
        except (ArithmeticError, ValueError, TypeError):
            continue
        sums: dict[int, float] = {}
        for v, d in zip(node._prev, local):
            sums[id(v)] = sums.get(id(v), 0.0) + d
        if all(math.isclose(sums[k], t, rel_tol=1e-9, abs_tol=1e-12) for k, t in totals.items()):
            return local
    return None


def _rows_for(symbol: str, arity: int) -> list[Op]:
    return [
        row
        for row in OPS.values()
        if row.symbol == symbol and (row.arity == arity or row.arity is None)
    ]
