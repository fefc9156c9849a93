"""Forward mode: the derivative table run on tangents (``jvp``, ``jacfwd``, ``jacobian``).

Reverse mode (``backward``, ``grad``) records a graph and walks it back from the output: one
sweep gives the derivative of one output with respect to every input. Forward mode carries,
next to each number x, its tangent ẋ (how fast x moves when the inputs move along one chosen
direction) and applies the chain rule while computing, from the inputs to the outputs:

    ẏ = Σ_i d(y)/d(x_i) · ẋ_i

with the same local derivatives of ``ops.py`` that backward uses (an n-ary row's ``each``).
One sweep gives the derivative of every output along one direction, and nothing is kept:
each number is forgotten once it has been used, so memory does not grow with the number of
operations. ``f: R^n -> R`` needs n forward sweeps but one reverse sweep; ``f: R -> R^m``
the opposite.

A number of forward mode is a ``Dual``: a Value (so ``nn`` and ``functional`` accept it)
whose ``data`` is the value and ``tangent`` the tangent, with no graph. While ``jvp`` runs
``f``, ``engine.apply_op`` hands each row to ``apply_row`` below (``mode.forward_numbers``).
Rules follow backward's conventions: an input whose tangent is 0 passes nothing on, so its
rule is not run (backward skips a node whose gradient is 0); a model's Parameters and the
numbers ``f`` uses are constants; a failing rule raises backward's DomainError.

Where a Dual meets a Value that has a graph (or one that ``grad`` differentiates: ``jvp`` of
a function that calls ``grad``, forward over reverse), the operation is recorded in that
graph instead, the Dual as one of its leaves, and ``jvp`` sweeps the recorded graph forward
at the end (``forward_sweep``). Given Values as primals, ``jvp`` records a graph on purpose
and its tangents are Values too, so its results differentiate again (``grad`` of ``jvp``).
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterable, Mapping, Sequence
from math import isfinite
from typing import Any, NamedTuple

from . import autodiff
from .autodiff import as_outputs, grad, jacrev, value_locals
from .checks import check_number, derivative_error, fmt, not_a_value
from .engine import Constant, Parameter, Value, apply_op, compute, enable_grad, is_grad_enabled
from .graph import topological_order
from .messages import say
from .mode import forward_numbers
from .ops import FLOAT, OPS, DomainError, Op

__all__ = ["Dual", "jvp", "jacfwd", "jacobian", "hvp", "forward_sweep", "SweepStep", "Term"]
__all__ += ["apply_row"]

Func = Callable[..., Any]
_new_object = object.__new__


def _binary(name: str, reflected: bool = False) -> Any:  # a method (self, other) -> Value
    row = OPS[name]
    if reflected:  # 2 * x: x.__rmul__(2)
        return lambda self, other: apply_op(row, other, self)
    return lambda self, other: apply_op(row, self, other)


def _unary(name: str) -> Callable[[Any], Value]:
    row = OPS[name]
    return lambda self: apply_op(row, self)


class Dual(Value):
    """A number of forward mode: its value ``data`` and its tangent ``tangent``; no graph.

    Made by ``jvp`` for its inputs and by every operation on them. Its operators and methods
    are Value's, each one a row of ``ops.py`` applied by ``apply_row``.
    """

    __slots__ = ("tangent",)
    tangent: float

    # each operator and method of Value, as the same row of the table (apply_row does it); a
    # method missing here still gives the right tangent: Value's own records the operation,
    # the Dual as a leaf, and jvp sweeps that graph forward
    __add__, __radd__ = _binary("add"), _binary("add", reflected=True)
    __sub__, __rsub__ = _binary("sub"), _binary("sub", reflected=True)
    __mul__, __rmul__ = _binary("mul"), _binary("mul", reflected=True)
    __truediv__, __rtruediv__ = _binary("div"), _binary("div", reflected=True)
    __pow__, __rpow__ = _binary("pow"), _binary("pow", reflected=True)
    maximum, minimum = _binary("maximum"), _binary("minimum")
    __neg__, __abs__, abs = _unary("neg"), _unary("abs"), _unary("abs")
    exp, log, log1p, expm1 = _unary("exp"), _unary("log"), _unary("log1p"), _unary("expm1")
    sqrt, sin, cos, tanh = _unary("sqrt"), _unary("sin"), _unary("cos"), _unary("tanh")
    sigmoid, softplus, relu = _unary("sigmoid"), _unary("softplus"), _unary("relu")

    def leaky_relu(self, slope: float = 0.1) -> Value:
        return apply_op(OPS["leaky_relu"], self, _constant(slope, "slope"))

    def elu(self, alpha: float = 1.0) -> Value:
        return apply_op(OPS["elu"], self, _constant(alpha, "alpha"))

    def backward(self, grad: float = 1.0, create_graph: bool = False) -> None:
        raise DomainError(say("forward.no_graph"))

    def __repr__(self) -> str:
        return f"Dual(data={self.data!r}, tangent={self.tangent!r})"


def _dual(data: float, tangent: float) -> Dual:
    out: Dual = _new_object(Dual)
    out.data, out.tangent = data, tangent
    out.grad, out.label, out._prev, out._row = 0.0, "", (), None
    return out


def _constant(x: object, what: str) -> float:  # a parameter such as leaky_relu's slope
    if isinstance(x, Value):
        raise not_a_value(what)
    return check_number(x)


# --- one operation on forward mode's numbers ---------------------------------------------------


def apply_row(row: Op, operands: Sequence[Any], graph: Func) -> Value:
    """``row`` applied to ``operands`` in forward mode: value and tangent, no graph.

    ``graph(row, *operands)`` is the engine's own way (a node of a graph): taken when no
    operand is a Dual, inside ``no_grad()`` (values computed there are constants, as in
    ``grad``), and when an operand is a Value with a graph (see the module's docstring).
    """
    xs: list[float] = []
    tangents: list[float] = []
    moving = False
    for x in operands:
        if x.__class__ is Dual:
            xs.append(x.data)
            tangents.append(x.tangent)
            moving = True
        elif isinstance(x, Value):
            if x.__class__ is not Constant and not isinstance(x, Parameter):
                return graph(row, *operands)  # a Value with a graph: record the operation
            xs.append(x.data)  # a constant: a model's parameter, a number already in a Value
            tangents.append(0.0)
        else:
            xs.append(check_number(x))
            tangents.append(0.0)
    if not moving or not is_grad_enabled():
        return graph(row, *operands)
    out = compute(row, *xs)  # the row's forward rule, with its domain checks
    return _dual(out, _tangent(row, out, xs, tangents))


def _tangent(row: Op, out: float, xs: list[float], tangents: list[float]) -> float:
    """Σ_i d(out)/d(x_i) · ẋ_i, running only the rules of the inputs that move."""
    total = 0.0
    try:
        if row.each is not None:  # an n-ary row: one formula lists every local derivative
            for local, t in zip(row.each(FLOAT, out, xs), tangents):
                if t != 0.0:
                    total += local * t
        else:
            for rule, t in zip(row.derivatives, tangents):
                if t != 0.0:  # an input that does not move passes nothing on
                    total += rule(FLOAT, out, *xs) * t  # the chain rule, forwards
    except (ArithmeticError, ValueError) as exc:
        raise _derivative_error(row, xs, tangents, exc) from None
    if not isfinite(total):  # Python floats overflow to inf silently; say so instead
        raise DomainError(say("forward.tangent_overflow", op=row.name, at=fmt(xs), tangent=total))
    return total


class _Input:
    __slots__ = ("data",)

    def __init__(self, data: float) -> None:
        self.data = data


class _Still(_Input):  # an input whose rule was not run (its tangent is 0)
    __slots__ = ()


class _Where:
    """The operation whose rule failed, shaped as backward's node: the same DomainError."""

    __slots__ = ("_prev", "_row")

    def __init__(self, row: Op, xs: list[float], tangents: list[float]) -> None:
        self._row = row
        self._prev = [(_Input if t != 0.0 else _Still)(x) for x, t in zip(xs, tangents)]


def _derivative_error(
    row: Op, xs: list[float], tangents: list[float], exc: BaseException
) -> DomainError:
    error = derivative_error(_Where(row, xs, tangents), exc, _Still)
    error.node = None  # no node: forward mode keeps none
    return error


# --- a recorded graph, swept forward -----------------------------------------------------------


class Term(NamedTuple):
    """What flows into a node from one of its inputs in a forward sweep."""

    input: Value
    local: float | None  # d(node)/d(input); None when not run (a constant, or tangent 0)
    tangent: float  # the input's tangent
    product: float  # local · tangent: what this edge adds to the node's tangent


class SweepStep(NamedTuple):
    """One node of a forward sweep, in the order the sweep visits them (inputs first)."""

    node: Value
    value: float  # node.data
    tangent: float  # ẋ = Σ of the terms' products (a leaf: its seed)
    terms: tuple[Term, ...]  # one per input of the node, in order; () for a leaf


def forward_sweep(
    outputs: Value | Sequence[Value], seeds: Mapping[Value, float] | None = None
) -> list[SweepStep]:
    """Sweep the graph of ``outputs`` forward: every node's value and tangent, inputs first.

    ``seeds`` gives the tangent of leaves (an input moving at speed 1: ``{x: 1.0}``); other
    leaves have tangent 0, except a ``Dual``, which has its own. Each step lists, per input,
    the local derivative, the input's tangent and their product (what a diagram draws on the
    forward-mode edge). Same rules, conventions and errors as ``jvp``; nothing is changed in
    the graph.

    >>> from micrograd_kr import Value
    >>> x = Value(3.0)
    >>> y = x * x
    >>> [(s.value, s.tangent) for s in forward_sweep(y, {x: 1.0})]
    [(3.0, 1.0), (9.0, 6.0)]
    """
    outs = [outputs] if isinstance(outputs, Value) else list(outputs)
    given = dict(seeds or {})
    for leaf, t in given.items():
        if not isinstance(leaf, Value):
            raise TypeError(say("forward.seed_not_value", got=type(leaf).__name__))
        given[leaf] = _finite(t, "seeds")
    tangent: dict[Value, float] = {}
    steps = []
    for node in _order(outs):
        if node in given or not node._prev:
            t = given.get(node, node.tangent if node.__class__ is Dual else 0.0)
            terms: tuple[Term, ...] = ()
        else:
            terms = _terms(node, tangent)
            t = 0.0
            for term in terms:
                t += term.product
            if not isfinite(t):
                at = fmt([x.data for x in node._prev])
                raise DomainError(say("forward.tangent_overflow", op=node.op, at=at, tangent=t))
        tangent[node] = t
        steps.append(SweepStep(node, node.data, t, terms))
    return steps


def _terms(node: Value, tangent: Mapping[Value, float]) -> tuple[Term, ...]:
    row = node._row
    assert row is not None
    inputs = node._prev
    ts = [0.0 if x.__class__ is Constant else tangent[x] for x in inputs]
    xs = [x.data for x in inputs]
    locals_: list[float | None] = [None] * len(inputs)
    try:
        if row.each is not None and any(ts):
            each = row.each(FLOAT, node.data, xs)
            locals_ = [d if t != 0.0 else None for d, t in zip(each, ts)]
        elif row.each is None:
            for i, (rule, t) in enumerate(zip(row.derivatives, ts)):
                if t != 0.0:  # as backward: an input that does not move passes nothing on
                    locals_[i] = rule(FLOAT, node.data, *xs)
    except (ArithmeticError, ValueError) as exc:
        raise derivative_error(node, exc, Constant) from None
    return tuple(Term(x, d, t, 0.0 if d is None else d * t) for x, d, t in zip(inputs, locals_, ts))


def _order(outputs: Iterable[Value]) -> list[Value]:
    """Every node the outputs depend on, once, inputs before the nodes made from them."""
    seen: set[Value] = set()
    order = []
    for out in outputs:
        for node in topological_order(out):
            if node not in seen:
                seen.add(node)
                order.append(node)
    return order


def _value_tangents(outputs: list[Value], seeds: dict[Value, Any]) -> list[Value]:
    """The tangents of ``outputs`` as Values (graphs), the rules run on Values: the sweep
    that ``jvp`` makes when it is given Values, so its tangents differentiate again."""
    tangent: dict[Value, Any] = {x: t for x, t in seeds.items() if not _is_zero(t)}
    for node in _order(outputs):
        if node in tangent or not node._prev:
            continue
        moving = [
            i for i, x in enumerate(node._prev) if x in tangent and x.__class__ is not Constant
        ]
        if not moving:
            continue
        total: Any = None
        for i, local in zip(moving, value_locals(node, moving)):
            if _is_zero(local):
                continue
            term = local * tangent[node._prev[i]]
            total = term if total is None else total + term
        if total is not None:
            tangent[node] = total
    return [_as_value(tangent.get(out, 0.0)) for out in outputs]


def _is_zero(x: Any) -> bool:
    return not isinstance(x, Value) and x == 0.0


def _as_value(x: Any) -> Value:
    return x if isinstance(x, Value) else Value(x)


# --- jvp, jacfwd, jacobian, hvp ----------------------------------------------------------------


def jvp(f: Func, primals: Sequence[Any], tangents: Sequence[Any]) -> tuple[Any, Any]:
    """``(f(*primals), J·tangents)``: the outputs and their tangents, as in JAX.

    ``f`` may use Value methods, ``functional``, ``nn`` modules and ``define_op`` rows; it
    returns one Value (then both results are Values) or a list of them (then both are lists).
    With numbers as primals nothing is recorded: memory stays flat however many operations
    ``f`` makes. With Values as primals (or tangents) the outputs and tangents are Values with
    a graph, to be differentiated again. ``jvp`` of a function that calls ``grad`` gives
    Hessian-vector products (forward over reverse).

    >>> out, tangent = jvp(lambda x, y: x * y + x.sin(), [0.0, 2.0], [1.0, 0.0])
    >>> out.data, tangent.data
    (0.0, 3.0)
    """
    ps, ts = _checked(primals, tangents)
    with enable_grad():  # as grad: an outer no_grad() must not make every tangent 0
        if any(isinstance(x, Value) for x in (*ps, *ts)):
            outs, single, out_tangents = _jvp_recorded(f, ps, ts)
        else:
            token = forward_numbers.set(apply_row)
            try:
                result = f(*[_dual(p, t) for p, t in zip(ps, ts)])
            finally:
                forward_numbers.reset(token)
            outs, single = as_outputs(result)
            outs, out_tangents = _split(outs)
    if single:
        return outs[0], out_tangents[0]
    return outs, out_tangents


def _jvp_recorded(f: Func, ps: list[Any], ts: list[Any]) -> tuple[list[Value], bool, list[Value]]:
    # new nodes for the inputs, so that only this jvp's direction moves them (a closed-over
    # Value, or an outer jvp's number, keeps its own)
    xs = [Value.__add__(p, 0.0) if isinstance(p, Value) else Value(p) for p in ps]
    outs, single = as_outputs(f(*xs))
    return outs, single, _value_tangents(outs, dict(zip(xs, ts)))


def _split(outs: list[Value]) -> tuple[list[Value], list[Value]]:
    """Each output as a Value and its tangent as a Value."""
    values, tangents = [], []
    recorded = [o for o in outs if o._prev]  # Duals met a graph: sweep it forward
    swept = {s.node: s.tangent for s in forward_sweep(recorded)} if recorded else {}
    for o in outs:
        if o.__class__ is Dual:
            values.append(Value(o.data))
            tangents.append(Value(o.tangent))
        else:
            values.append(o)
            tangents.append(Value(swept.get(o, 0.0)))
    return values, tangents


def _checked(primals: Any, tangents: Any) -> tuple[list[Any], list[Any]]:
    for what, xs in (("primals", primals), ("tangents", tangents)):
        if not isinstance(xs, (list, tuple)):
            raise TypeError(say("forward.not_a_list", what=what, got=type(xs).__name__))
    if len(primals) != len(tangents):
        raise ValueError(
            say("forward.count_mismatch", primals=len(primals), tangents=len(tangents))
        )
    ps = [p if isinstance(p, Value) else _finite(p, f"primals[{i}]") for i, p in enumerate(primals)]
    ts = [
        t if isinstance(t, Value) else _finite(t, f"tangents[{i}]") for i, t in enumerate(tangents)
    ]
    return ps, ts


def _finite(x: object, what: str) -> float:
    """A finite float, or an error naming ``what`` (a non-finite tangent is refused)."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        wrong = say("shared.number_or_value", what=what)
        raise TypeError(f"{wrong}: {type(x).__name__}")
    try:
        value = float(x)
    except OverflowError:  # an int beyond the largest float
        value = float("inf")
    if not isfinite(value):
        shown = repr(x) if len(repr(x)) < 30 else "too large for a float"
        not_finite = say("shared.must_be_finite", what=what)
        raise DomainError(f"{not_finite}: {shown}")
    return value


def jacfwd(f: Func) -> Callable[..., list[list[Value]]]:
    """The Jacobian of ``f: R^n -> R^m`` by forward mode: ``jacfwd(f)(*args)[i][j]`` is
    d out_i / d args[j], an m x n nested list of Values (a single output counts as m = 1).

    One ``jvp`` per input (n sweeps), each along one axis; ``jacrev`` needs one reverse sweep
    per output instead. Given Values, the entries differentiate again.
    """

    def jacfwd_f(*args: Any) -> list[list[Value]]:
        if not args:
            raise ValueError(say("forward.no_arguments", what="jacfwd"))
        n = len(args)
        columns = []
        for j in range(n):
            axis = [1.0 if i == j else 0.0 for i in range(n)]
            _, tangent = jvp(f, list(args), axis)
            columns.append(tangent if isinstance(tangent, list) else [tangent])
        return [[column[i] for column in columns] for i in range(len(columns[0]))]

    jacfwd_f.__name__ = f"jacfwd_{getattr(f, '__name__', 'f')}"
    return jacfwd_f


def _mode(mode: object) -> str:
    if mode not in ("rev", "fwd"):
        raise ValueError(say("forward.mode", got=mode))
    return str(mode)


def jacobian(f: Func, mode: str = "rev") -> Callable[..., list[list[Value]]]:
    """The Jacobian of ``f``, an m x n nested list of Values: ``mode="rev"`` is ``jacrev``
    (one reverse sweep per output), ``mode="fwd"`` is ``jacfwd`` (one forward sweep per
    input). Both give the same numbers; the cheaper one has fewer sweeps."""
    return jacrev(f) if _mode(mode) == "rev" else jacfwd(f)


def hvp(f: Func, mode: str = "rev") -> Callable[[Sequence[Any], Sequence[Any]], list[Value]]:
    """``hvp(f)(args, v)``: the Hessian of ``f`` at ``args`` times the vector ``v``.

    ``mode="rev"``: reverse over reverse, the gradient of grad f · v (``autodiff.hvp``).
    ``mode="fwd"``: forward over reverse, ``jvp`` of ``grad(f)`` along ``v``: the gradient's
    graph is swept forward once instead of being differentiated again.
    """
    if _mode(mode) == "rev":
        return autodiff.hvp(f)

    def hvp_f(args: Sequence[Any], v: Sequence[Any]) -> list[Value]:
        if not isinstance(args, (list, tuple)) or not args:
            raise ValueError(say("forward.no_arguments", what="hvp"))
        gradient = grad(f, argnums=tuple(range(len(args))))
        _, hv = jvp(lambda *xs: list(gradient(*xs)), list(args), v)
        return list(hv)

    hvp_f.__name__ = f"hvp_{getattr(f, '__name__', 'f')}"
    return hvp_f
