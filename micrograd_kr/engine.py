"""The engine: ``Value``, a scalar that remembers how it was computed, and ``backward()``.

Every arithmetic operation on Values makes a new Value that records its inputs (``_prev``)
and the operation (a row of the derivative table in ``ops.py``). ``backward()`` walks that
graph from the output back to the inputs and, node by node, applies the chain rule:

    grad(input) += d(output)/d(input) * grad(output)

The local derivatives d(output)/d(input) all come from ``ops.py``; this file only does the
bookkeeping. ``Value(data, _children, _op)`` also builds a node by hand, as in the micrograd
lecture: then the node's own ``_backward`` closure does that step.
"""

from __future__ import annotations

import itertools
import math
import numbers
import operator
import weakref
from collections.abc import Callable, Iterable, Sequence
from contextlib import ContextDecorator
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, SupportsFloat, Union

from .graph import topological_order
from .ops import FLOAT, OPS, DomainError, FloatInRule, Op, define_row

__all__ = [
    "Value",
    "Parameter",
    "Constant",
    "no_grad",
    "enable_grad",
    "is_grad_enabled",
    "tracing",
    "zero_grad",
    "as_value",
    "apply_op",
    "compute",
    "computed_without_graph",
    "define_op",
    "maximum",
    "minimum",
    "DomainError",
    "GraphError",
    "TraceError",
]

Operand = Union["Value", int, float]


class GraphError(RuntimeError):
    """backward() cannot run on this graph (no graph was recorded, or a hand-made node has
    no ``_backward``)."""


class TraceError(RuntimeError):
    """A function cannot be traced into code that is correct for every input (compile)."""


# Grad mode lives in a context variable, not a global: each thread (and each asyncio task)
# has its own, so one thread inside no_grad() never stops another from recording its graph.
_grad_mode: ContextVar[bool] = ContextVar("micrograd_kr_grad_mode", default=True)


# The modes that the open ``with`` blocks replaced, innermost last: per context as well, so
# one no_grad() object shared by threads or asyncio tasks restores each one's own mode.
_saved_modes: ContextVar[tuple[bool, ...]] = ContextVar("micrograd_kr_saved_modes", default=())


class _GradMode(ContextDecorator):
    """Sets whether operations record a graph for the duration of a ``with`` block.

    Re-entrant: every entry saves the mode it replaces, so nesting the same object (or a
    recursive function decorated with it) restores exactly the mode that was in force before.
    """

    enabled: bool

    def __init__(self, func: object = None) -> None:
        if func is not None:  # @no_grad written without parentheses
            name = type(self).__name__
            raise TypeError(
                f"@{name}() 처럼 괄호를 붙여 쓰세요 (write @{name}() with parentheses, "
                f"or use `with {name}():`)"
            )

    def __enter__(self) -> _GradMode:
        _saved_modes.set((*_saved_modes.get(), _grad_mode.get()))
        _grad_mode.set(self.enabled)
        return self

    def __exit__(self, *exc: object) -> None:
        saved = _saved_modes.get()
        _grad_mode.set(saved[-1])
        _saved_modes.set(saved[:-1])


class no_grad(_GradMode):
    """Inside ``with no_grad():`` operations record no inputs, so no graph is kept.

    Use it for inference and for parameter updates. Also works as a decorator. A Value
    computed here has no graph: calling ``backward()`` on it is an error.
    """

    enabled = False


class enable_grad(_GradMode):
    """Inside ``with enable_grad():`` operations record their inputs, even within ``no_grad()``.

    ``grad``, ``hessian`` and ``compile`` need a graph to do their job, so they use it: an
    outer ``no_grad()`` must not turn their derivatives into silent zeros.
    """

    enabled = True


def is_grad_enabled() -> bool:
    """True unless inside ``no_grad()`` (in this thread or context)."""
    return _grad_mode.get()


# While ``compile`` traces a function, comparing Values is refused: the choice would be made
# once and frozen into the generated code. A context variable too, so other threads compare
# Values as usual meanwhile.
_tracing: ContextVar[bool] = ContextVar("micrograd_kr_tracing", default=False)


class tracing:
    """Inside ``with tracing():`` comparing two Values (``x > 0``) raises a TraceError."""

    def __enter__(self) -> None:
        self._token = _tracing.set(True)

    def __exit__(self, *exc: object) -> None:
        _tracing.reset(self._token)


# While autodiff runs derivative rules on Values (grad of grad, hessian), float(v) - which
# math.cos(v) calls - would turn a Value into a number and lose its derivative: refused.
_rules_on_values: ContextVar[bool] = ContextVar("micrograd_kr_rules_on_values", default=False)


def _refuse_comparison() -> None:
    raise TraceError(
        "컴파일하는 함수가 Value를 비교합니다: 그 선택이 컴파일된 코드의 모든 입력에 고정됩니다 "
        "(the traced function compares a Value: if x > 0, max(...), sorted(...)). 표본마다 "
        "정하는 연산을 쓰세요 (use the ops that decide per sample): relu, maximum, minimum, "
        "abs, leaky_relu, elu."
    )


def _check_number(data: object) -> float:
    """The float value of ``data``, or a TypeError/DomainError saying what is wrong with it."""
    if isinstance(data, Value):
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
        value = float(data)
    except OverflowError:  # an int (or Fraction) beyond the largest float, about 1.8e308
        size = type(data).__name__
        if isinstance(data, int):
            size = f"{data.bit_length()}-bit int, about 10^{math.log10(abs(data)):.0f}"
        raise DomainError(
            f"float로 나타낼 수 없을 만큼 큰 수입니다 "
            f"(Value needs a number a float can hold (|x| < 1.8e308)), got a {size}"
        ) from None
    if not math.isfinite(value):
        raise DomainError(f"유한한 수가 필요합니다 (Value needs a finite number), got {value!r}")
    return value


def _check_label(label: object) -> str:
    if not isinstance(label, str):
        raise TypeError(
            f"label은 문자열이어야 합니다 (label must be a str), got {type(label).__name__}: "
            f"{label!r}"
        )
    return label


def _check_children(children: object) -> tuple[Value, ...]:
    if isinstance(children, (str, bytes)) or not isinstance(children, (tuple, list, set)):
        raise TypeError(
            "Value(data, _children, _op, label): _children는 Value들의 튜플이어야 합니다 "
            f"(a tuple of Values), got {type(children).__name__}: {children!r}; "
            "이름을 붙이려면 label='...'로 쓰세요"
        )
    for child in children:
        if not isinstance(child, Value):
            raise TypeError(
                f"_children에는 Value만 넣을 수 있습니다 (children must be Values), "
                f"got {type(child).__name__}: {child!r}"
            )
    return tuple(children)


class Value:
    """A scalar in a computation graph.

    >>> x = Value(2.0, label="x")
    >>> y = x * x + 3 * x
    >>> y.backward()
    >>> y.data, x.grad
    (10.0, 7.0)

    ``Value(data, _children=(), _op='', label='')`` as in micrograd: with children, the node
    is made by hand, and backward() runs the ``_backward`` closure that the caller sets.
    """

    # __slots__ instead of a __dict__: a node costs about a quarter of the memory.
    # __weakref__ lets a constant find the node that used it without keeping it alive.
    __slots__ = ("data", "grad", "label", "_prev", "_row", "__weakref__")

    data: float
    grad: Any  # a float; a Value only inside gradients(..., create_graph=True)
    label: str
    _prev: tuple[Value, ...]
    _row: Op | None  # the row of ops.py that made this node; None for a leaf

    if TYPE_CHECKING:  # the slot behind .grad under a second name (set below the class)

        @property
        def _grad_slot(self) -> Any: ...
        @_grad_slot.setter
        def _grad_slot(self, value: Any) -> None: ...

    def __new__(cls, *args: Any, **kwargs: Any) -> Value:
        children = args[1] if len(args) > 1 else kwargs.get("_children", ())
        op = args[2] if len(args) > 2 else kwargs.get("_op", "")
        if cls is Value and (children or op):
            cls = HandMade  # a node made by hand: it needs room for its _backward closure
        elif not issubclass(cls, (HandMade, Parameter, Constant, _NoGraph)) and (
            (isinstance(children, (tuple, list, set)) and children) or (isinstance(op, str) and op)
        ):
            cls = _hand_made_class(cls)  # the same for a learner's own subclass of Value
        return object.__new__(cls)

    def __init__(
        self, data: SupportsFloat, _children: Any = (), _op: str = "", label: str = ""
    ) -> None:
        self.data = _check_number(data)
        self.grad = 0.0
        self.label = _check_label(label)
        self._prev = _check_children(_children)
        self._row = None
        if _op != "" and not isinstance(_op, str):
            raise TypeError(
                f"_op은 '*' 같은 문자열이어야 합니다 (_op must be a str such as '*'), "
                f"got {type(_op).__name__}: {_op!r}"
            )

    # -- bookkeeping ------------------------------------------------------------------------

    @property
    def op(self) -> str:
        """Name of the operation that made this Value ("" for a leaf)."""
        return self._row.name if self._row is not None else ""

    @property
    def _op(self) -> str:
        """The operation as micrograd spells it ('+', '*', 'tanh', 'ReLU', '**2'; '' for a
        leaf), so a diagram written for micrograd (``str(id(n)) + n._op``) runs unchanged.
        The library itself reads the table row, ``_row``."""
        row = self._row
        if row is None:
            return ""
        if row is _POW and self._prev[1].__class__ is Constant:
            return f"**{self._prev[1].data:g}"  # micrograd writes x**2 as '**2'
        return row.symbol

    @property
    def is_leaf(self) -> bool:
        """True for a Value made directly, not by an operation."""
        return not self._prev

    def __repr__(self) -> str:
        # the full float, as micrograd and Python print it: a rounded repr hides real differences
        label = f", label={self.label!r}" if self.label else ""
        try:
            grad = repr(float(self.grad))
        except (DomainError, GraphError):  # a constant whose derivative does not exist
            grad = "'정의되지 않음 (undefined)'"
        return f"Value(data={self.data!r}, grad={grad}{label})"

    def __float__(self) -> float:
        if _rules_on_values.get() and self.__class__ is not Constant:
            raise FloatInRule(
                "미분 규칙 안의 float(Value)는 그 Value의 미분을 버립니다: grad(grad(f))가 "
                "조용히 0이 됩니다 (float(Value) inside a derivative rule would drop the Value's "
                "own derivative, a silent 0 in grad(grad(f)))"
            )
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
        if _tracing.get():
            _refuse_comparison()
        return self.data < _data(other)

    def __le__(self, other: Operand) -> bool:
        if _tracing.get():
            _refuse_comparison()
        return self.data <= _data(other)

    def __gt__(self, other: Operand) -> bool:
        if _tracing.get():
            _refuse_comparison()
        return self.data > _data(other)

    def __ge__(self, other: Operand) -> bool:
        if _tracing.get():
            _refuse_comparison()
        return self.data >= _data(other)

    # -- functions ---------------------------------------------------------------------------

    def exp(self) -> Value:
        return _apply(_EXP, self)

    def log(self) -> Value:
        return _apply(_LOG, self)

    def log1p(self) -> Value:
        """log(1 + x), exact also for tiny x (where 1 + x would round to 1)."""
        return _apply(_LOG1P, self)

    def expm1(self) -> Value:
        """e^x - 1, exact also for tiny x."""
        return _apply(_EXPM1, self)

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

    def _backward(self) -> None:
        """One step of the chain rule: add d(self)/d(input) * self.grad into each input.

        ``backward()`` calls it once per node, outputs first. The local derivative of each
        input comes from this node's row of ops.py; a constant input (a plain number that
        entered the operation) needs no gradient, so its rule is not even evaluated: its
        ``.grad`` is worked out only when someone reads it.
        """
        row = self._row
        if row is None:
            return  # a leaf: nothing to pass on
        inputs, out, g = self._prev, self.data, self.grad
        try:
            # one and two inputs are by far the most common: spelled out, they are faster
            rules = row.derivatives
            if len(rules) == 2:
                a, b = inputs
                if a.__class__ is not Constant:
                    a.grad += rules[0](FLOAT, out, a.data, b.data) * g
                if b.__class__ is not Constant:
                    b.grad += rules[1](FLOAT, out, a.data, b.data) * g
            elif len(rules) == 1:
                (a,) = inputs
                if a.__class__ is not Constant:
                    a.grad += rules[0](FLOAT, out, a.data) * g
            elif row.each is not None:  # n-ary (sum, dot, max): one formula lists them all
                for x, local in zip(inputs, row.each(FLOAT, out, list(map(_data_of, inputs)))):
                    x._grad_slot += local * g  # the slot behind .grad, a Constant's too
            else:
                xs = list(map(_data_of, inputs))
                for x, rule in zip(inputs, rules):
                    if x.__class__ is not Constant:
                        x.grad += rule(FLOAT, out, *xs) * g
        except (ArithmeticError, ValueError) as exc:
            raise _derivative_error(self, exc) from None

    def backward(self, grad: float = 1.0) -> None:
        """Fill ``.grad`` of every node this Value depends on with d(self)/d(node).

        Gradients of intermediate nodes are recomputed from zero on every call; gradients of
        leaves (inputs, parameters) accumulate, as in PyTorch, so call ``zero_grad`` between
        training steps. ``grad`` is d(final output)/d(self): 1 when self is the final output.
        """
        grad = _check_seed(grad)
        if self.__class__ is _NoGraph:
            raise GraphError(
                "이 값은 no_grad() 안에서 계산되어 계산 그래프가 없으므로 backward()를 할 수 "
                "없습니다 (this value was computed without a graph, inside no_grad(): its "
                "inputs would silently get no gradient). Compute it outside no_grad()."
            )
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
            if not _isfinite(g):  # Python floats overflow to inf silently; say so instead
                what = f"the output of {node._row.name}" if node._prev and node._row else "a leaf"
                error = DomainError(
                    f"backward: 기울기가 {g}(으)로 넘쳤습니다 "
                    f"(the gradient of {what} overflowed to {g})"
                )
                error.node = node
                raise error
            if node._prev and g != 0.0:  # a leaf has nothing to pass on, nor has g = 0
                node._backward()


class Parameter(Value):
    """A Value that a model learns (a weight or a bias). Diagrams draw it as a parameter.

    Unlike other Values it takes extra attributes, so an optimizer can keep its state on
    the parameter itself (``p.m = 0.0``), as some micrograd optimizers do.
    """

    _made = itertools.count()  # creation order: nn's modules make them in parameters() order

    def __init__(self, data: SupportsFloat, label: str = "") -> None:
        super().__init__(data, label=label)  # a parameter is a leaf: no children, no op
        self._serial = next(Parameter._made)  # compile lists a graph's parameters in this order


class Constant(Value):
    """A plain number that entered an operation (the 2 in ``2 * x``).

    backward() never evaluates a constant's derivative rule: nothing downstream needs it, and
    it may not exist (d/da a^b at a = 0 when 0 < b < 1). Its ``.grad`` is worked out when it
    is read, from the nodes that used it: d(node)/d(constant) * node.grad, summed over its
    uses. Where that derivative does not exist, reading ``.grad`` raises a DomainError.
    """

    # The nodes that used this constant, as weak references: a strong one would make a cycle
    # (node -> constant -> node), and a dropped graph would wait for the garbage collector.
    __slots__ = ("_used_by",)

    _used_by: tuple[_Use, ...]

    @property
    def grad(self) -> float:
        # _grad_slot holds what backward handed over directly (n-ary ops, hand-made closures)
        return self._grad_slot + _sum_over_uses(self)

    @grad.setter
    def grad(self, value: Any) -> None:
        # reading gives back what was set: zero_grad, or ``c.grad += ...`` in a closure
        try:
            now = _sum_over_uses(self)
        except (DomainError, GraphError):
            now = 0.0
        self._grad_slot = value - now if now else value

    # Weak references cannot be pickled or deep-copied: the nodes that used this constant go
    # along as they are (pickle keeps the graph's own cycles) and become weak again on arrival.
    def __getstate__(self) -> dict[str, Any]:
        uses = [(u[0](), *u[1:]) if isinstance(u, tuple) else u() for u in self._used_by]
        return {
            "data": self.data,
            "grad": self._grad_slot,
            "label": self.label,
            "_prev": self._prev,
            "_row": self._row,
            "_used_by": uses,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.data, self._grad_slot = state["data"], state["grad"]
        self.label, self._prev, self._row = state["label"], state["_prev"], state["_row"]
        self._used_by = tuple(
            weakref.ref(u) if isinstance(u, Value) else (weakref.ref(u[0]), *u[1:])
            for u in state["_used_by"]
            if (u if isinstance(u, Value) else u[0]) is not None
        )


# The slot behind ``Value.grad``, under a second name: for a Constant, ``.grad`` is the
# property above, and backward adds an n-ary op's share into the slot without running it.
Value._grad_slot = Value.__dict__["grad"]  # type: ignore[method-assign]

# A use of a constant: the node that used it (a weak reference), or, when it was combined
# with other constants into a new constant, (that constant, the op, its inputs, position).
_Use = Union[
    "weakref.ReferenceType[Value]",
    tuple["weakref.ReferenceType[Value]", Op, tuple[float, ...], int],
]


def _make_constant(data: float) -> Constant:
    out: Constant = _new_object(Constant)
    out.data = data
    out._grad_slot = 0.0
    out.label = ""
    out._prev = ()
    out._row = None
    out._used_by = ()
    return out


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
            total += _constant_local(c, row, node.data, xs, i) * g
    if c._used_by and not alive:
        raise GraphError(
            f"상수 {c.data!r}을(를) 쓴 연산이 그래프와 함께 메모리에서 사라져 기울기를 알 수 "
            f"없습니다 (the nodes that used the constant {c.data!r} were freed with their "
            "graph, so its gradient is unknown): 출력을 변수에 담아 두세요 (keep a reference "
            "to the output)"
        )
    return total


def _constant_local(c: Constant, row: Op, out: float, xs: tuple[float, ...], i: int) -> float:
    """d(out)/d(input i) for the constant ``c``, or a DomainError saying it does not exist."""
    why = ""
    try:
        if row.each is not None:
            local = float(row.each(FLOAT, out, list(xs))[i])
        else:
            local = float(row.derivatives[i](FLOAT, out, *xs))
        if _isfinite(local):
            return local
        why = f"{local}"
    except (ArithmeticError, ValueError) as exc:
        why = _why(exc)
    if row.why_not is not None:
        why = row.why_not(i, *xs) or why
    at = _fmt(xs)[1:-1]
    raise DomainError(
        f"상수 {c.data!r}의 기울기가 정의되지 않습니다: {row.name}의 입력 {i}에 대한 미분이 "
        f"({at})에서 없습니다 (the gradient of the constant {c.data!r} is undefined: the "
        f"derivative of {row.name} with respect to input {i} does not exist at ({at})): {why}"
    )


class _NoGraph(Value):
    """A Value computed inside ``no_grad()``: it has no graph, so backward() refuses it."""

    __slots__ = ()


class HandMade(Value):
    """A node made by hand, ``Value(data, (a, b), '*')``, as in the micrograd lecture.

    Its backward step is the closure the caller assigns to ``out._backward``; it has a
    ``__dict__`` to hold it (ordinary Values do not, to stay small).
    """

    def __init__(
        self, data: SupportsFloat, _children: Any = (), _op: str = "", label: str = ""
    ) -> None:
        super().__init__(data, _children, label=label)
        if not isinstance(_op, str):
            raise TypeError(
                f"_op은 '*' 같은 문자열이어야 합니다 (_op must be a str such as '*'), "
                f"got {type(_op).__name__}: {_op!r}"
            )
        self._row = _hand_made_row(_op)

    def _backward(self) -> None:
        raise GraphError(
            f"손으로 만든 노드 {self!r} (op {self._op!r})에 "
            "_backward가 없습니다 (this hand-made node has no _backward: set "
            "out._backward = a function that adds into its inputs' .grad)"
        )


def _hand_made_class(cls: type[Value]) -> type[Value]:
    """For a learner's own ``class MyValue(Value)``: a class that is both MyValue (its methods)
    and HandMade (room for the ``_backward`` closure, the op's symbol), made once per class."""
    made: type[Value] | None = cls.__dict__.get("_hand_made_class")
    if made is None:
        made = type(
            cls.__name__,
            (cls, HandMade),
            {
                "__module__": cls.__module__,
                "__qualname__": cls.__qualname__,
                "__doc__": cls.__doc__,
            },
        )
        type.__setattr__(cls, "_hand_made_class", made)
    return made


def _no_forward(m: Any, *xs: Any) -> Any:
    raise GraphError(
        "손으로 만든 노드에는 미분 규칙이 없습니다 (a hand-made Value(data, children, op) has "
        "no rule that grad, hessian or compile could use); define the operation with define_op"
    )


def _hand_made_row(symbol: str) -> Op:
    return Op("hand_made", symbol, _no_forward)


# the table entries, looked up once
_ADD, _SUB, _MUL, _DIV = OPS["add"], OPS["sub"], OPS["mul"], OPS["div"]
_NEG, _POW, _ABS = OPS["neg"], OPS["pow"], OPS["abs"]
_EXP, _LOG, _SQRT, _SIN, _COS = OPS["exp"], OPS["log"], OPS["sqrt"], OPS["sin"], OPS["cos"]
_LOG1P, _EXPM1 = OPS["log1p"], OPS["expm1"]
_TANH, _SIGMOID, _SOFTPLUS = OPS["tanh"], OPS["sigmoid"], OPS["softplus"]
_RELU, _LEAKY_RELU, _ELU = OPS["relu"], OPS["leaky_relu"], OPS["elu"]
_MAXIMUM, _MINIMUM, _MAX = OPS["maximum"], OPS["minimum"], OPS["max"]


def _data(x: Operand) -> float:
    return x.data if isinstance(x, Value) else _check_number(x)


def _constant(x: object, what: str) -> Value:
    if isinstance(x, Value):
        raise TypeError(
            f"{what}에는 Value가 아닌 숫자를 주세요 ({what} must be a number, not a Value)"
        )
    return _make_constant(_check_number(x))


def as_value(x: Operand) -> Value:
    """``x`` itself if it is a Value, else a new leaf Value holding the number ``x``."""
    return x if isinstance(x, Value) else Value(x)


# Shortcuts for the hot path below, looked up once instead of on every operation.
_new_object = object.__new__
_data_of = operator.attrgetter("data")  # _data_of(v) is v.data; map() calls it in C
_isfinite = math.isfinite


def _make(cls: type[Value], data: float) -> Value:
    # Fill the slots directly instead of calling Value(...): __init__ would check again
    # that `data` is a real number, and the forward rule of floats already gave a float.
    out = _new_object(cls)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out._prev = ()
    out._row = None
    return out


def computed_without_graph(data: float) -> Value:
    """A Value holding ``data`` computed under ``no_grad()`` (by ``nn``'s float fast path):
    like every result made there, backward() refuses it instead of giving zeros."""
    return _make(_NoGraph, _check_number(data))


def _as_input(x: Operand) -> Value:
    return x if isinstance(x, Value) else _make_constant(_check_number(x))


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
        raise DomainError(f"{op.name}{_fmt(xs)}: 결과가 넘쳤습니다 (result is {data}, overflow)")
    return data


def _apply(op: Op, *operands: Operand) -> Value:
    """Run ``op`` forward on ``operands`` and record the result as a new node.

    Every operation on Values goes through here, so it is written for speed: no generator
    expressions, no function call per operand in the common cases.
    """
    # Plain numbers become Constants first (below). One or two operands that are already
    # Values is by far the most common case; spelling it out is faster than the general loop.
    inputs: tuple[Value, ...] = operands  # type: ignore[assignment]
    n = len(operands)
    if n == 2 and isinstance(operands[0], Value) and isinstance(operands[1], Value):
        xs = [operands[0].data, operands[1].data]
        constants = operands[0].__class__ is Constant or operands[1].__class__ is Constant
    elif n == 1 and isinstance(operands[0], Value):
        xs = [operands[0].data]
        constants = operands[0].__class__ is Constant
    else:
        xs = [x.data for x in operands if isinstance(x, Value)]
        if len(xs) != n:  # some operands are numbers
            inputs = tuple(map(_as_input, operands))
            xs = list(map(_data_of, inputs))
            constants = True
        else:  # an n-ary op (sum, dot, max) need not look: backward hands constants their share
            constants = inputs[0].__class__ is Constant or (
                op.each is None and Constant in map(type, inputs)
            )
    data = compute(op, *xs)
    if not _grad_mode.get():  # no_grad(): remember nothing, so the inputs can be freed
        return _make(_NoGraph, data)
    if constants and all(x.__class__ is Constant for x in inputs):
        return _combine_constants(op, inputs, operands, data)
    out = _new_object(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out._prev = inputs
    out._row = op
    if constants and op.each is None:
        _link_constants(out)
    return out


def _link_constants(node: Value) -> None:
    """Let each constant input of ``node`` find it, so its ``.grad`` can be read later."""
    use = weakref.ref(node)
    for x in node._prev:
        if isinstance(x, Constant) and use not in x._used_by:
            x._used_by = (*_alive(x._used_by), use)


def _combine_constants(
    op: Op, inputs: tuple[Value, ...], operands: tuple[Operand, ...], data: float
) -> Value:
    """An op on constants only gives a constant too. A constant that the caller passed in
    (not a number made into one here) remembers how the result depends on it."""
    out = _make_constant(data)
    given = [i for i, (x, operand) in enumerate(zip(inputs, operands)) if x is operand]
    if given:
        use = weakref.ref(out)
        xs = tuple(map(_data_of, inputs))
        for i in given:
            c = inputs[i]
            c._used_by = (*_alive(c._used_by), (use, op, xs, i))  # type: ignore[attr-defined]
    return out


def _alive(uses: tuple[_Use, ...]) -> tuple[_Use, ...]:
    # A constant kept by the caller and used again every step would collect one use per
    # step: forget the uses whose node is gone (they no longer count, see _sum_over_uses).
    if len(uses) < 8:
        return uses
    return tuple(u for u in uses if (u[0] if isinstance(u, tuple) else u)() is not None)


def _check_seed(grad: object) -> float:
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
    if not _isfinite(value):
        shown = repr(grad) if _isfinite(value) or len(repr(grad)) < 30 else "too large for a float"
        raise DomainError(
            f"backward(grad)의 시작 기울기가 유한한 수가 아닙니다 (the seed gradient of "
            f"backward(grad) is not finite): {shown}"
        )
    return value


def _why(exc: BaseException) -> str:
    """Python's own wording for float errors is terse ("math range error"); say it plainly."""
    if isinstance(exc, OverflowError):
        return "결과가 float 범위를 넘습니다 (overflow: the result is too large for a float)"
    if isinstance(exc, ZeroDivisionError):
        return "0으로 나누게 되어 값이 무한대입니다 (division by zero: the value is infinite there)"
    return f"계산할 수 없습니다 ({exc})"


def _fmt(xs: Sequence[float]) -> str:
    if len(xs) > 6:
        return f"(<{len(xs)} inputs>)"
    return "(" + ", ".join(repr(x) for x in xs) + ")"


def _derivative_error(node: Value, exc: BaseException) -> DomainError:
    """The DomainError for a local derivative that cannot be evaluated at ``node``."""
    row = node._row
    assert row is not None
    xs = [p.data for p in node._prev]
    why = _why(exc)
    if row.why_not is not None:
        for i, p in enumerate(node._prev):
            if p.__class__ is not Constant:
                why = row.why_not(i, *xs) or why
    at = _fmt(xs)[1:-1]
    error = DomainError(
        f"{row.name}: 입력 ({at})에서 미분이 정의되지 않습니다 "
        f"(derivative undefined at input ({at})): {why}"
    )
    error.node = node
    return error


def apply_op(name: str, *operands: Operand) -> Value:
    """Apply the table entry ``name`` (e.g. ``"dot"``, ``"sum"``, ``"max"``) to ``operands``."""
    return _apply(OPS[name], *operands)


def maximum(a: Operand, *others: Operand) -> Value:
    """The largest of the arguments; the gradient flows to it (k tied ones get 1/k each)."""
    if len(others) == 1:
        return _apply(_MAXIMUM, a, others[0])
    return _apply(_MAX, a, *others)


def minimum(a: Operand, b: Operand) -> Value:
    """The smaller of ``a`` and ``b``."""
    return _apply(_MINIMUM, a, b)


def zero_grad(values: Iterable[Value]) -> None:
    """Set ``.grad`` of every Value in ``values`` to 0.0."""
    for v in values:
        v.grad = 0.0


def define_op(
    name: str, forward: Callable[..., Any], derivatives: Sequence[Callable[..., Any]]
) -> Callable[..., Value]:
    """Add your own primitive to the derivative table, written like a row of ``ops.py``.

    ``forward(m, *xs)`` computes the output and ``derivatives`` lists one
    ``derivative(m, out, *xs)`` per input. Use ``m.`` functions (``m.exp``, ``m.abs``,
    ``m.where(m.gt(x, 0.0), a, b)``...) rather than ``math`` and ``if``: then the op also
    works with ``grad``/``hessian`` (the rules run on Values), ``compile`` and batches.

    >>> softsign = define_op(
    ...     "softsign_doc",
    ...     lambda m, x: x / (1.0 + m.abs(x)),
    ...     [lambda m, out, x: 1.0 / (1.0 + m.abs(x)) ** 2],
    ... )
    >>> y = softsign(Value(1.0))
    >>> y.backward()
    >>> y.data, y._prev[0].grad
    (0.5, 0.25)
    """
    row = define_row(name, forward, derivatives)
    arity = len(row.derivatives)

    def apply(*operands: Operand) -> Value:
        if len(operands) != arity:
            raise TypeError(
                f"{name}()에는 입력이 {arity}개 필요합니다 "
                f"({name}() takes {arity} input(s)), got {len(operands)}"
            )
        return _apply(row, *operands)

    apply.__name__ = name
    apply.__qualname__ = name
    apply.__doc__ = f"The op {name!r} defined with define_op."
    return apply
