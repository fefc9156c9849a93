"""The engine: ``Value``, a scalar that remembers how it was computed, and ``backward()``.

Every operation on Values makes a new Value that records its inputs (``_prev``) and the
operation (``_row``, a row of the derivative table in ``ops.py``). ``backward()`` walks that
graph from the output back to the inputs and, node by node, applies the chain rule:

    grad(input) += d(output)/d(input) * grad(output)

The local derivatives come from ``ops.py``; this file does the bookkeeping. Beside it:
``mode.py`` (no_grad), ``checks.py`` (input checks and errors), ``constants.py`` (the .grad
of plain numbers), ``lecture.py`` (micrograd's hand-made nodes).
"""

from __future__ import annotations

import itertools
from math import isfinite
from operator import attrgetter
from typing import Any, SupportsFloat, Union

from . import checks, constants, mode
from .checks import GraphError, TraceError
from .lecture import Micrograd
from .mode import enable_grad, is_grad_enabled, no_grad, tracing
from .ops import FLOAT, OPS, DomainError, Op

__all__ = ["Value", "Parameter", "Constant", "apply_op", "compute", "computed_without_graph"]
__all__ += ["maximum", "minimum", "topological_order", "DomainError", "GraphError", "TraceError"]
__all__ += ["no_grad", "enable_grad", "is_grad_enabled", "tracing"]  # from mode.py, as before

Operand = Union["Value", int, float]
_data_of = attrgetter("data")  # _data_of(v) is v.data; map() calls it in C
_new_object = object.__new__
_grad_mode = mode.grad_mode  # False inside no_grad() (not imported by name: 3.11 calls slower)


class Value(Micrograd):
    """A scalar in a computation graph.

    >>> x = Value(2.0, label="x")
    >>> y = x * x + 3 * x
    >>> y.backward()
    >>> y.data, x.grad
    (10.0, 7.0)

    From ``Micrograd`` (lecture.py) it gets what the micrograd lecture's code expects: its
    repr, ``_op``, and ``Value(data, (a, b), '*')`` made by hand with a ``_backward`` closure.
    """

    # no __dict__: a node costs a quarter of the memory; a weak reference finds its user
    __slots__ = ("data", "grad", "label", "_prev", "_row", "__weakref__")

    data: float
    grad: Any  # a float; a Value after backward(create_graph=True)
    label: str
    _prev: tuple[Value, ...]  # the inputs of the operation that made this node
    _row: Op | None  # the row of ops.py that made this node; None for a leaf
    _grad_slot: Any  # the slot behind .grad, under a second name (set below the class)

    def __init__(self, data: SupportsFloat, _children: Any = (), _op: str = "", label: str = ""):
        self.data = checks.check_number(data, Value)
        self.grad = 0.0
        self.label = checks.check_label(label)
        self._prev = checks.check_children(_children, Value)
        self._row = None
        checks.check_op_symbol(_op)

    @property
    def op(self) -> str:
        """Name of the operation that made this Value ("" for a leaf)."""
        return self._row.name if self._row is not None else ""

    @property
    def is_leaf(self) -> bool:
        """True for a Value made directly, not by an operation."""
        return not self._prev

    def __float__(self) -> float:
        if mode.rules_on_values.get() and self.__class__ is not Constant:
            raise checks.float_in_rule()  # grad(grad(f)) would lose this Value's derivative
        return self.data

    # -- operators and functions: each one applies a row of the table in ops.py -------------
    # fmt: off
    def __add__(self, other: Operand) -> Value: return _apply(OPS["add"], self, other)
    def __radd__(self, other: Operand) -> Value: return _apply(OPS["add"], other, self)
    def __sub__(self, other: Operand) -> Value: return _apply(OPS["sub"], self, other)
    def __rsub__(self, other: Operand) -> Value: return _apply(OPS["sub"], other, self)
    def __mul__(self, other: Operand) -> Value: return _apply(OPS["mul"], self, other)
    def __rmul__(self, other: Operand) -> Value: return _apply(OPS["mul"], other, self)
    def __truediv__(self, other: Operand) -> Value: return _apply(OPS["div"], self, other)
    def __rtruediv__(self, other: Operand) -> Value: return _apply(OPS["div"], other, self)
    def __pow__(self, other: Operand) -> Value: return _apply(OPS["pow"], self, other)
    def __rpow__(self, other: Operand) -> Value: return _apply(OPS["pow"], other, self)
    def __neg__(self) -> Value: return _apply(OPS["neg"], self)
    def __pos__(self) -> Value: return self
    def __abs__(self) -> Value: return _apply(OPS["abs"], self)

    # comparisons look at .data and give a bool; == and hash stay identity-based
    def __lt__(self, other: Operand) -> bool: return _compared(self) < _data(other)
    def __le__(self, other: Operand) -> bool: return _compared(self) <= _data(other)
    def __gt__(self, other: Operand) -> bool: return _compared(self) > _data(other)
    def __ge__(self, other: Operand) -> bool: return _compared(self) >= _data(other)

    def exp(self) -> Value: return _apply(OPS["exp"], self)
    def log(self) -> Value: return _apply(OPS["log"], self)
    def log1p(self) -> Value: return _apply(OPS["log1p"], self)  # log(1 + x), exact for tiny x
    def expm1(self) -> Value: return _apply(OPS["expm1"], self)  # e^x - 1, exact for tiny x
    def sqrt(self) -> Value: return _apply(OPS["sqrt"], self)
    def sin(self) -> Value: return _apply(OPS["sin"], self)
    def cos(self) -> Value: return _apply(OPS["cos"], self)
    def tanh(self) -> Value: return _apply(OPS["tanh"], self)
    def sigmoid(self) -> Value: return _apply(OPS["sigmoid"], self)
    def softplus(self) -> Value: return _apply(OPS["softplus"], self)
    def relu(self) -> Value: return _apply(OPS["relu"], self)
    def abs(self) -> Value: return _apply(OPS["abs"], self)
    def maximum(self, other: Operand) -> Value: return _apply(OPS["maximum"], self, other)
    def minimum(self, other: Operand) -> Value: return _apply(OPS["minimum"], self, other)
    def cleargrad(self) -> None: self.grad = 0.0  # DeZero's name for "set .grad to 0"
    # fmt: on

    def leaky_relu(self, slope: float = 0.1) -> Value:  # max(slope*x, x), 0.1 as in seed 004
        return _apply(OPS["leaky_relu"], self, _constant(slope, "slope"))

    def elu(self, alpha: float = 1.0) -> Value:  # x for x > 0, alpha*(e^x - 1) otherwise
        return _apply(OPS["elu"], self, _constant(alpha, "alpha"))

    def _backward(self) -> None:
        """One step of the chain rule: add d(self)/d(input) * self.grad into each input.
        A constant input (a number that entered the operation) needs no gradient: skipped."""
        row = self._row
        if row is None:
            return  # a leaf: nothing to pass on
        inputs, out, g = self._prev, self.data, self.grad
        rules = row.derivatives  # one per input, from ops.py
        n = len(rules)
        try:
            if n > 2:  # the general step, for any number of inputs:
                xs = list(map(_data_of, inputs))
                for x, rule in zip(inputs, rules):
                    if x.__class__ is not Constant:
                        local = rule(FLOAT, out, *xs)  # d(self)/d(x)
                        x.grad += local * g  # the chain rule
            # -- speed copies of that loop (most nodes have 1 or 2 inputs); same result --
            elif n == 2:  # the loop for two inputs
                a, b = inputs
                if a.__class__ is not Constant:
                    a.grad += rules[0](FLOAT, out, a.data, b.data) * g
                if b.__class__ is not Constant:
                    b.grad += rules[1](FLOAT, out, a.data, b.data) * g
            elif n == 1:  # the loop for one input
                (a,) = inputs
                if a.__class__ is not Constant:
                    a.grad += rules[0](FLOAT, out, a.data) * g
            else:  # the loop for n-ary rows (sum, dot, max): one formula lists every local
                each = row.each(FLOAT, out, list(map(_data_of, inputs)))  # type: ignore[misc]
                for x, local in zip(inputs, each):
                    x._grad_slot += local * g  # the slot behind .grad, a Constant's too
        except (ArithmeticError, ValueError) as exc:
            raise checks.derivative_error(self, exc, Constant) from None

    def backward(self, grad: float = 1.0, create_graph: bool = False) -> None:
        """Fill ``.grad`` of every node this Value depends on with d(self)/d(node).

        Gradients of intermediate nodes are recomputed from zero on every call; gradients of
        leaves (inputs, parameters) accumulate, as in PyTorch, so call ``zero_grad`` between
        training steps. ``grad`` is d(final output)/d(self): 1 when self is the final output.
        """
        grad = checks.check_seed(grad)
        if self.__class__ is _NoGraph:
            raise checks.no_graph()
        if create_graph:  # .grad as Values with a graph (grad of grad): autodiff.py builds on us
            from .autodiff import backward_with_graph

            return backward_with_graph(self, grad)
        order = topological_order(self)
        for node in order:
            if node._prev:
                node.grad = 0.0
            elif node.__class__ is Constant:
                node._grad_slot = 0.0  # what n-ary ops hand a constant is recomputed too
        self.grad = self.grad + grad if not self._prev else grad
        # outputs before inputs: a node's grad is complete before it is passed on
        for node in reversed(order):
            g = node._grad_slot  # .grad itself, but for a constant only what was handed to it
            if not isfinite(g):  # Python floats overflow to inf silently; say so instead
                raise checks.gradient_overflow(node, g)
            if node._prev and g != 0.0:  # a leaf has nothing to pass on, nor has g = 0
                node._backward()


def topological_order(root: Value) -> list[Value]:
    """Every node that ``root`` depends on, each once, inputs before the nodes made from them.
    Depth-first with a stack, not recursion (a million-node chain passes Python's limit); a
    ``None`` under each visited node marks that the inputs above are placed: it comes next."""
    order: list[Value] = []
    visited: set[Value] = set()
    stack: list[Value | None] = [root]
    while stack:
        node = stack.pop()
        if node is None:
            order.append(stack.pop())  # type: ignore[arg-type]
        elif node not in visited:
            visited.add(node)
            stack.append(node)
            stack.append(None)
            for parent in node._prev:
                if parent not in visited:
                    stack.append(parent)
    return order


def _apply(op: Op, *operands: Operand) -> Value:
    """Run ``op`` forward on ``operands`` and record the result as a new node. Written for
    speed: one or two Values is the common case, spelled out; numbers become Constants."""
    inputs: tuple[Value, ...] = operands  # type: ignore[assignment]
    n = len(operands)
    if n == 2 and isinstance(operands[0], Value) and isinstance(operands[1], Value):
        xs = [operands[0].data, operands[1].data]
        consts = operands[0].__class__ is Constant or operands[1].__class__ is Constant
    elif n == 1 and isinstance(operands[0], Value):
        xs = [operands[0].data]
        consts = operands[0].__class__ is Constant
    else:
        xs = [x.data for x in operands if isinstance(x, Value)]
        if len(xs) != n:  # some operands are numbers
            inputs = tuple(map(_as_input, operands))
            xs = list(map(_data_of, inputs))
            consts = True
        else:  # an n-ary op (sum, dot, max) need not look: backward hands constants their share
            consts = inputs[0].__class__ is Constant or (
                op.each is None and Constant in map(type, inputs)
            )
    data = compute(op, *xs)
    if not _grad_mode.get():  # no_grad(): remember nothing, so the inputs can be freed
        return _make(_NoGraph, data)
    if consts and all(x.__class__ is Constant for x in inputs):  # constants give a constant
        out = _make(Constant, data)
        constants.record_uses(out, op, inputs, operands)
        return out
    out = _new_object(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out._prev = inputs
    out._row = op
    if consts and op.each is None:
        constants.link(out, Constant)  # so a constant input can work out its .grad later
    return out


def compute(op: Op, *xs: float) -> float:
    """``op``'s forward rule on plain floats, with its domain and overflow checks; no node."""
    if op.domain is not None:
        reason = op.domain(*xs)
        if reason is not None:
            raise checks.domain_error(op, xs, reason)
    try:
        data: float = op.forward(FLOAT, *xs)
    except (ArithmeticError, ValueError) as exc:
        raise checks.domain_error(op, xs, checks.why(exc)) from None
    if not isfinite(data):
        raise checks.domain_error(op, xs, checks.result_overflow(data))
    return data


def _make(cls: type[Value], data: float) -> Any:
    # a leaf, its slots filled directly: Value(...) would check again that data is a number
    out: Any = _new_object(cls)
    out.data = data
    out._grad_slot = 0.0  # .grad's slot (a Constant's .grad is a property)
    out.label = ""
    out._prev, out._row = (), None
    if cls is Constant:
        out._used_by = ()  # the nodes that will use it (constants.py)
    return out


class Parameter(Value):
    """A Value that a model learns (a weight or a bias). Diagrams draw it as a parameter.
    It takes extra attributes (no __slots__): an optimizer may keep state on it (``p.m``)."""

    _made = itertools.count()  # creation order: nn's modules make them in parameters() order

    def __init__(self, data: SupportsFloat, label: str = "") -> None:
        super().__init__(data, label=label)  # a parameter is a leaf: no children, no op
        self._serial = next(Parameter._made)  # compile lists a graph's parameters in this order


class Constant(Value):
    """A number that entered an operation (the 2 in ``2 * x``). backward() never runs its
    rule; its ``.grad`` is worked out when read, from the nodes that used it (constants.py)."""

    __slots__ = ("_used_by",)  # weak references to the nodes that used it
    _used_by: tuple[constants.Use, ...]
    grad = property(constants.read_grad, constants.write_grad)
    __getstate__ = constants.getstate
    __setstate__ = constants.setstate


class _NoGraph(Value):
    __slots__ = ()  # a Value computed inside no_grad(): no graph, so backward() refuses it


# .grad's slot under a second name: on a Constant, .grad is a property and _grad_slot the slot
Value._grad_slot = Value.__dict__["grad"]


def _compared(v: Value) -> float:
    if mode.tracing_active.get():  # compile would freeze the choice into its code
        checks.refuse_comparison()
    return v.data


def _data(x: Operand) -> float:
    return x.data if isinstance(x, Value) else checks.check_number(x)


def _as_input(x: Operand) -> Value:
    return x if isinstance(x, Value) else _make(Constant, checks.check_number(x))


def _constant(x: object, what: str) -> Value:  # a parameter such as leaky_relu's slope
    if isinstance(x, Value):
        raise checks.not_a_value(what)
    return _make(Constant, checks.check_number(x))


def computed_without_graph(data: float) -> Value:
    """A Value holding ``data`` computed without a graph (nn's float path under no_grad)."""
    return _make(_NoGraph, checks.check_number(data))


def apply_op(op: str | Op, *operands: Operand) -> Value:
    """Apply a row of the table, or the row named ``op`` (``"dot"``, ``"sum"``...)."""
    row: Any = OPS[op] if op.__class__ is str else op  # (isinstance is slower: every nn dot)
    numbers = mode.forward_numbers.get()  # inside jvp: forward mode's numbers apply it their way
    return _apply(row, *operands) if numbers is None else numbers(row, operands, _apply)


def maximum(a: Operand, *others: Operand) -> Value:
    """The largest of the arguments; the gradient flows to it (k tied ones get 1/k each)."""
    if len(others) == 1:
        return apply_op(OPS["maximum"], a, others[0])
    return apply_op(OPS["max"], a, *others)


def minimum(a: Operand, b: Operand) -> Value:
    """The smaller of ``a`` and ``b``."""
    return apply_op(OPS["minimum"], a, b)
