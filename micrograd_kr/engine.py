"""The engine: ``Value``, a scalar that remembers how it was computed, and ``backward()``.

Every arithmetic operation on Values makes a new Value that records its inputs (``_prev``)
and the operation (``_op``, an entry of the derivative table in ``ops.py``). ``backward()``
walks that graph from the output back to the inputs and applies the chain rule:

    grad(input) += d(output)/d(input) * grad(output)

The local derivatives d(output)/d(input) all come from ``ops.py``; this file only does the
bookkeeping.
"""

from __future__ import annotations

import math
import numbers
import operator
from collections.abc import Iterable, Sequence
from contextlib import ContextDecorator
from typing import Any, SupportsFloat, Union

from .graph import topological_order
from .ops import FLOAT, OPS, DomainError, Op

__all__ = [
    "Value",
    "Parameter",
    "no_grad",
    "enable_grad",
    "is_grad_enabled",
    "zero_grad",
    "gradients",
    "as_value",
    "apply_op",
    "compute",
    "maximum",
    "minimum",
    "DomainError",
]

Operand = Union["Value", int, float]

_grad_enabled = True


class _GradMode(ContextDecorator):
    """Sets whether operations record a graph for the duration of a ``with`` block."""

    enabled: bool

    def __enter__(self) -> _GradMode:
        global _grad_enabled
        self._previous = _grad_enabled
        _grad_enabled = self.enabled
        return self

    def __exit__(self, *exc: object) -> None:
        global _grad_enabled
        _grad_enabled = self._previous


class no_grad(_GradMode):
    """Inside ``with no_grad():`` operations record no inputs, so no graph is kept.

    Use it for inference and for parameter updates. Also works as a decorator.
    """

    enabled = False


class enable_grad(_GradMode):
    """Inside ``with enable_grad():`` operations record their inputs, even within ``no_grad()``.

    ``grad``, ``hessian`` and ``compile`` need a graph to do their job, so they use it: an
    outer ``no_grad()`` must not turn their derivatives into silent zeros.
    """

    enabled = True


def is_grad_enabled() -> bool:
    """True unless inside ``no_grad()``."""
    return _grad_enabled


def _check_number(data: object) -> float:
    """The float value of ``data``, or a TypeError/DomainError saying what is wrong with it."""
    if isinstance(data, Value):
        raise TypeError("Value(...) got a Value; use the Value itself or Value(v.data)")
    if not isinstance(data, numbers.Real):
        # str, None, complex, list, ... are not real numbers
        raise TypeError(
            f"Value needs a real number (int or float), got {type(data).__name__}: {data!r}"
        )
    try:
        value = float(data)
    except OverflowError:  # an int (or Fraction) beyond the largest float, about 1.8e308
        size = type(data).__name__
        if isinstance(data, int):
            size = f"{data.bit_length()}-bit int, about 10^{math.log10(abs(data)):.0f}"
        raise DomainError(
            f"Value needs a number a float can hold (|x| < 1.8e308), got a {size}"
        ) from None
    if not math.isfinite(value):
        raise DomainError(f"Value needs a finite number, got {value!r}")
    return value


class Value:
    """A scalar in a computation graph.

    >>> x = Value(2.0, label="x")
    >>> y = x * x + 3 * x
    >>> y.backward()
    >>> y.data, x.grad
    (10.0, 7.0)
    """

    # __slots__ instead of a __dict__: a node costs about a quarter of the memory
    __slots__ = ("data", "grad", "label", "_prev", "_op")

    data: float
    grad: Any  # a float; a Value only inside gradients(..., create_graph=True)
    label: str
    _prev: tuple[Value, ...]
    _op: Op | None

    def __init__(self, data: SupportsFloat, label: str = "") -> None:
        self.data = _check_number(data)
        self.grad = 0.0
        self.label = str(label)
        self._prev = ()
        self._op = None

    # -- bookkeeping ------------------------------------------------------------------------

    @property
    def op(self) -> str:
        """Name of the operation that made this Value ("" for a leaf)."""
        return self._op.name if self._op is not None else ""

    @property
    def is_leaf(self) -> bool:
        """True for a Value made directly, not by an operation."""
        return not self._prev

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data:.6g}, grad={float(self.grad):.6g}{label})"

    def __float__(self) -> float:
        return self.data

    # -- operators: thin wrappers around the table in ops.py -------------------------------

    def __add__(self, other: Operand) -> Value:
        return _apply(_ADD, self, other)

    def __radd__(self, other: Operand) -> Value:
        return _apply(_ADD, other, self)

    def __sub__(self, other: Operand) -> Value:
        return _apply(_SUB, self, other)

    def __rsub__(self, other: Operand) -> Value:
        return _apply(_SUB, other, self)

    def __mul__(self, other: Operand) -> Value:
        return _apply(_MUL, self, other)

    def __rmul__(self, other: Operand) -> Value:
        return _apply(_MUL, other, self)

    def __truediv__(self, other: Operand) -> Value:
        return _apply(_DIV, self, other)

    def __rtruediv__(self, other: Operand) -> Value:
        return _apply(_DIV, other, self)

    def __pow__(self, other: Operand) -> Value:
        return _apply(_POW, self, other)

    def __rpow__(self, other: Operand) -> Value:
        return _apply(_POW, other, self)

    def __neg__(self) -> Value:
        return _apply(_NEG, self)

    def __pos__(self) -> Value:
        return self

    def __abs__(self) -> Value:
        return _apply(_ABS, self)

    # comparisons look at .data and give a bool; == and hash stay identity-based
    def __lt__(self, other: Operand) -> bool:
        return self.data < _data(other)

    def __le__(self, other: Operand) -> bool:
        return self.data <= _data(other)

    def __gt__(self, other: Operand) -> bool:
        return self.data > _data(other)

    def __ge__(self, other: Operand) -> bool:
        return self.data >= _data(other)

    # -- functions ---------------------------------------------------------------------------

    def exp(self) -> Value:
        return _apply(_EXP, self)

    def log(self) -> Value:
        return _apply(_LOG, self)

    def sqrt(self) -> Value:
        return _apply(_SQRT, self)

    def sin(self) -> Value:
        return _apply(_SIN, self)

    def cos(self) -> Value:
        return _apply(_COS, self)

    def tanh(self) -> Value:
        return _apply(_TANH, self)

    def sigmoid(self) -> Value:
        return _apply(_SIGMOID, self)

    def softplus(self) -> Value:
        return _apply(_SOFTPLUS, self)

    def relu(self) -> Value:
        return _apply(_RELU, self)

    def leaky_relu(self, slope: float = 0.1) -> Value:
        """max(slope*x, x); seed 004 uses slope 0.1 (PyTorch's default is 0.01)."""
        return _apply(_LEAKY_RELU, self, _constant(slope, "slope"))

    def elu(self, alpha: float = 1.0) -> Value:
        """x for x > 0, alpha*(e^x - 1) otherwise."""
        return _apply(_ELU, self, _constant(alpha, "alpha"))

    def abs(self) -> Value:
        return _apply(_ABS, self)

    def maximum(self, other: Operand) -> Value:
        return _apply(_MAXIMUM, self, other)

    def minimum(self, other: Operand) -> Value:
        return _apply(_MINIMUM, self, other)

    # -- backward ----------------------------------------------------------------------------

    def backward(self, grad: float = 1.0) -> None:
        """Fill ``.grad`` of every node this Value depends on with d(self)/d(node).

        Gradients of intermediate nodes are recomputed from zero on every call; gradients of
        leaves (inputs, parameters) accumulate, as in PyTorch, so call ``zero_grad`` between
        training steps.
        """
        order = topological_order(self)
        for node in order:
            if node._prev:
                node.grad = 0.0
        self.grad = self.grad + grad if not self._prev else grad
        # outputs before inputs: a node's grad is complete before it is passed on
        for node in reversed(order):
            g = node.grad
            if not _isfinite(g):  # Python floats overflow to inf silently; say so instead
                what = f"the output of {node._op.name}" if node._op else "a leaf"
                raise DomainError(f"backward: the gradient of {what} overflowed to {g}")
            inputs = node._prev
            if not inputs or g == 0.0:
                continue  # a leaf, or nothing to pass on (0 * anything is 0)
            op = node._op
            assert op is not None
            try:
                # The local derivatives d(node)/d(input) come from the rule in ops.py. Most
                # nodes have one or two inputs; spelling those cases out skips the general
                # loop at the bottom, which is measurably slower.
                if len(inputs) == 2:
                    a, b = inputs
                    da, db = op.backward(FLOAT, node.data, a.data, b.data)
                    a.grad += da * g
                    b.grad += db * g
                    continue
                if len(inputs) == 1:
                    a = inputs[0]
                    (da,) = op.backward(FLOAT, node.data, a.data)
                    a.grad += da * g
                    continue
                local = op.backward(FLOAT, node.data, *map(_data_of, inputs))
            except (ArithmeticError, ValueError) as exc:
                args = ", ".join(repr(p.data) for p in inputs)
                raise DomainError(
                    f"{op.name}: derivative undefined at input ({args}): {_why(exc)}"
                ) from None
            for parent, d in zip(inputs, local):
                parent.grad += d * g


class Parameter(Value):
    """A Value that a model learns (a weight or a bias). Diagrams draw it as a parameter."""

    __slots__ = ()


# the table entries, looked up once
_ADD, _SUB, _MUL, _DIV = OPS["add"], OPS["sub"], OPS["mul"], OPS["div"]
_NEG, _POW, _ABS = OPS["neg"], OPS["pow"], OPS["abs"]
_EXP, _LOG, _SQRT, _SIN, _COS = OPS["exp"], OPS["log"], OPS["sqrt"], OPS["sin"], OPS["cos"]
_TANH, _SIGMOID, _SOFTPLUS = OPS["tanh"], OPS["sigmoid"], OPS["softplus"]
_RELU, _LEAKY_RELU, _ELU = OPS["relu"], OPS["leaky_relu"], OPS["elu"]
_MAXIMUM, _MINIMUM = OPS["maximum"], OPS["minimum"]


def _data(x: Operand) -> float:
    return x.data if isinstance(x, Value) else _check_number(x)


def _constant(x: object, what: str) -> Value:
    if isinstance(x, Value):
        raise TypeError(f"{what} must be a number, not a Value")
    return Value(x)  # type: ignore[arg-type]


def as_value(x: Operand) -> Value:
    """``x`` itself if it is a Value, else a new leaf Value holding the number ``x``."""
    return x if isinstance(x, Value) else Value(x)


# Shortcuts for the hot path below, looked up once instead of on every operation.
_new_object = object.__new__
_data_of = operator.attrgetter("data")  # _data_of(v) is v.data; map() calls it in C
_isfinite = math.isfinite


def compute(op: Op, *xs: float) -> float:
    """``op``'s forward rule on plain floats, with its domain and overflow checks; no node.

    Every operation on Values computes its data here; ``nn`` also calls it directly for fast
    inference under ``no_grad()``, where no graph is needed at all.
    """
    if op.domain is not None:
        reason = op.domain(*xs)
        if reason is not None:
            raise DomainError(f"{op.name}{_fmt(xs)}: {reason}")
    try:
        data: float = op.forward(FLOAT, *xs)
    except (ArithmeticError, ValueError) as exc:
        raise DomainError(f"{op.name}{_fmt(xs)}: {_why(exc)}") from None
    if not _isfinite(data):
        raise DomainError(f"{op.name}{_fmt(xs)}: result is {data} (overflow)")
    return data


def _apply(op: Op, *operands: Operand) -> Value:
    """Run ``op`` forward on ``operands`` and record the result as a new node.

    Every operation on Values goes through here, so it is written for speed: no generator
    expressions, no function call per operand in the common cases.
    """
    # Plain numbers become leaf Values first (below). One or two operands that are already
    # Values is by far the most common case; spelling it out is faster than the general loop.
    inputs: tuple[Value, ...] = operands  # type: ignore[assignment]
    n = len(operands)
    if n == 2 and isinstance(operands[0], Value) and isinstance(operands[1], Value):
        xs = [operands[0].data, operands[1].data]
    elif n == 1 and isinstance(operands[0], Value):
        xs = [operands[0].data]
    else:
        xs = [x.data for x in operands if isinstance(x, Value)]
        if len(xs) != n:  # some operands are numbers
            inputs = tuple(map(as_value, operands))
            xs = list(map(_data_of, inputs))
    data = compute(op, *xs)
    # Fill the slots directly instead of calling Value(...): __init__ would check again
    # that `data` is a real number, and the forward rule of floats already gave a float.
    out = _new_object(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    if _grad_enabled:
        out._prev = inputs
        out._op = op
    else:  # no_grad(): remember nothing, so the inputs can be freed
        out._prev = ()
        out._op = None
    return out


def _why(exc: BaseException) -> str:
    """Python's own wording for float errors is terse ("math range error"); say it plainly."""
    if isinstance(exc, OverflowError):
        return "the result is too large for a float (overflow)"
    if isinstance(exc, ZeroDivisionError):
        return "division by zero (the value is infinite there)"
    return str(exc)


def _fmt(xs: Sequence[float]) -> str:
    if len(xs) > 6:
        return f"(<{len(xs)} inputs>)"
    return "(" + ", ".join(repr(x) for x in xs) + ")"


def apply_op(name: str, *operands: Operand) -> Value:
    """Apply the table entry ``name`` (e.g. ``"dot"``, ``"sum"``) to ``operands``."""
    return _apply(OPS[name], *operands)


def maximum(a: Operand, b: Operand) -> Value:
    """The larger of ``a`` and ``b``; the gradient flows to the larger one (split on a tie)."""
    return _apply(_MAXIMUM, a, b)


def minimum(a: Operand, b: Operand) -> Value:
    """The smaller of ``a`` and ``b``."""
    return _apply(_MINIMUM, a, b)


def zero_grad(values: Iterable[Value]) -> None:
    """Set ``.grad`` of every Value in ``values`` to 0.0."""
    for v in values:
        v.grad = 0.0


# --- gradients as Values: derivatives of derivatives ------------------------------------------


class ValueMath:
    """The math namespace for Values: the derivative rules of ops.py build new graph nodes.

    Running the same rules on Values instead of floats makes the gradient itself a Value
    that depends on the inputs, so it can be differentiated again.
    """

    @staticmethod
    def exp(x: Operand) -> Value:
        return as_value(x).exp()

    @staticmethod
    def expm1(x: Operand) -> Value:
        return as_value(x).exp() - 1.0

    @staticmethod
    def log(x: Operand) -> Value:
        return as_value(x).log()

    @staticmethod
    def log1p(x: Operand) -> Value:
        return (1.0 + as_value(x)).log()

    @staticmethod
    def sqrt(x: Operand) -> Value:
        return as_value(x).sqrt()

    @staticmethod
    def sin(x: Operand) -> Value:
        return as_value(x).sin()

    @staticmethod
    def cos(x: Operand) -> Value:
        return as_value(x).cos()

    @staticmethod
    def tanh(x: Operand) -> Value:
        return as_value(x).tanh()

    @staticmethod
    def sigmoid(x: Operand) -> Value:
        return as_value(x).sigmoid()

    @staticmethod
    def softplus(x: Operand) -> Value:
        return as_value(x).softplus()

    @staticmethod
    def abs(x: Operand) -> Value:
        return as_value(x).abs()

    @staticmethod
    def where(cond: Any, a: Any, b: Any) -> Any:
        return a if cond else b

    @staticmethod
    def sum(xs: Sequence[Operand]) -> Value:
        return _apply(OPS["sum"], *xs)

    @staticmethod
    def dot(ws: Sequence[Operand], xs: Sequence[Operand]) -> Value:
        return _apply(OPS["dot"], *ws, *xs)


VALUE_MATH = ValueMath()


def _scaled(local: Any, g: Value) -> Value | None:
    """local * g, skipping the multiplication when it changes nothing."""
    if isinstance(local, Value):
        return local * g
    if local == 0.0:
        return None
    return g if local == 1.0 else local * g


def gradients(output: Value, inputs: Sequence[Value], create_graph: bool = True) -> list[Value]:
    """d(output)/d(input) for each input, as Values; ``.grad`` fields are left untouched.

    With ``create_graph=True`` the results are themselves nodes of a graph that depends on
    the inputs, so they can be differentiated again (``grad(grad(f))``). With
    ``create_graph=False`` they are plain leaf Values.
    """
    if not isinstance(output, Value):
        raise TypeError(f"gradients() needs a Value as output, got {type(output).__name__}")
    if create_graph and not _grad_enabled:
        # under no_grad() the derivative rules would build nodes without inputs, and every
        # higher derivative would silently be 0
        with enable_grad():
            return gradients(output, inputs, create_graph=True)
    grads: dict[Value, Value] = {output: Value(1.0)}
    for node in reversed(topological_order(output)):
        g = grads.get(node)
        if g is None or not node._prev:
            continue
        assert node._op is not None
        local = node._op.backward(VALUE_MATH, node, *node._prev)
        for parent, d in zip(node._prev, local):
            contribution = _scaled(d, g)
            if contribution is None:
                continue
            previous = grads.get(parent)
            grads[parent] = contribution if previous is None else previous + contribution
    result = [grads.get(x, Value(0.0)) for x in inputs]
    if not create_graph:
        result = [Value(r.data) for r in result]
    return result
