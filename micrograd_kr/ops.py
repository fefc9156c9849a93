"""The derivative table: every primitive operation, its forward rule and its local derivatives.

Each row says, side by side,

* ``forward(m, *xs)``                  -- how the output is computed from the inputs, and
* one ``derivative(m, out, *xs)`` per input -- the local derivative d(out)/d(x_i).

One rule per input, as in HIPS autograd's ``defvjp``: for ``a ** b`` a learner reads
``d/da = b·a^(b-1)`` and ``d/db = a^b·log a`` as two entries. Backward evaluates a rule only
for an input that needs a gradient: a plain number that enters an operation (``2 * x``) is a
constant, and its rule is never run, so it can neither fail nor overflow.

``m`` is a "math namespace" (``exp``, ``log``, ``where``, ``gt``, ...; the ``Math`` protocol
below). The same rule runs with plain floats (``FLOAT``, the eager engine), with ``Value``
objects (higher derivatives: the derivative itself becomes a graph, see ``autodiff.py``), with
source text and with NumPy arrays (the compiler). That is why the rules say
``m.where(cond, a, b)`` instead of ``a if cond else b``: both branches are expressions, and a
whole batch takes its own branch per sample. Because the unused branch is evaluated too, it
must never fail: see the clamps in ``elu`` and ``pow``.

Forward rules only ever see numbers (floats, arrays, source text), so they compare with
``x > 0.0``. Derivative rules also run on Values, whose ``>`` gives a plain bool that would
freeze the choice; they compare with ``m.gt(x, 0.0)`` / ``m.lt``, which on Values keeps the
comparison inside the graph.

This file is the only place in the project where derivatives are written.
"""

from __future__ import annotations

import functools
import inspect
import math
import numbers
import operator
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from .messages import say

__all__ = [
    "OPS",
    "FLOAT",
    "FUNCTIONS",
    "DomainError",
    "Op",
    "Function",
    "Math",
    "Interpreter",
    "FloatMath",
    "define_row",
    "function_named",
]

# exp(x) overflows a double above log(max float) ~= 709.78.
EXP_MAX = math.log(sys.float_info.max)


class DomainError(ValueError):
    """An operation got an input outside its domain (log(-1), 1/0, exp(1000), ...).

    ``node`` is the Value whose operation failed, when known (set by ``backward``).
    """

    node: Any = None


class Math(Protocol):
    """What a rule may call on ``m``: ``m.<name>(...)`` for every function of ``FUNCTIONS``.

    Four interpreters implement it: floats (``FloatMath``), Values (``autodiff.ValueMath``),
    source text (``compiler.SymMath``) and NumPy arrays (``compiler.NumpyMath``). The
    functions below are the ones a rule uses to branch and to add up; every other name
    (``m.exp``, ``m.log``, ...) is an entry of ``FUNCTIONS``.
    """

    def gt(self, a: Any, b: Any) -> Any: ...  # the condition a > b
    def lt(self, a: Any, b: Any) -> Any: ...  # the condition a < b
    def where(self, cond: Any, a: Any, b: Any) -> Any: ...  # a where cond holds, else b
    def maximum(self, *xs: Any) -> Any: ...
    def sum(self, xs: Sequence[Any]) -> Any: ...
    def dot(self, ws: Iterable[Any], xs: Iterable[Any]) -> Any: ...
    def __getattr__(self, name: str) -> Callable[..., Any]: ...  # exp, log, ... (FUNCTIONS)


Rule = Callable[..., Any]


@dataclass(frozen=True)
class Op:
    """One row of the table: a primitive operation and its rules.

    ``derivatives`` holds one rule per input, ``derivative(m, out, *xs)``. An n-ary operation
    (sum, dot, max: any number of inputs) gives instead ``each(m, out, xs)``, one formula
    that lists d(out)/d(x_i) for every i; those never fail, so nothing is lost by computing
    them together.
    """

    name: str  # an identifier: generated code and diagrams show it
    symbol: str  # how micrograd and diagrams write it: "+", "*", "tanh", "ReLU", ...
    forward: Rule  # forward(m, *xs) -> out
    derivatives: tuple[Rule, ...] = ()  # derivative_i(m, out, *xs) -> d(out)/d(x_i)
    each: Callable[..., Sequence[Any]] | None = None  # n-ary: each(m, out, xs) -> [d/dx_i]
    domain: Callable[..., str | None] | None = None  # domain(*xs) -> why invalid, or None
    # why_not(i, *xs): why the derivative with respect to input i is undefined there
    why_not: Callable[..., str | None] | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.isidentifier():
            raise ValueError(say("ops.name_not_identifier", name=self.name))
        if self.each is not None and self.derivatives:
            either = say("ops.derivatives_or_each")
            raise ValueError(f"op {self.name}: {either}")

    @property
    def arity(self) -> int | None:
        """The number of inputs, or None for an n-ary op."""
        return None if self.each is not None else len(self.derivatives)

    def local_derivatives(self, m: Any, out: Any, *xs: Any) -> tuple[Any, ...]:
        """d(out)/d(x_i) for every input (for diagrams; backward asks only for what it needs)."""
        if self.each is not None:
            return tuple(self.each(m, out, xs))
        return tuple(rule(m, out, *xs) for rule in self.derivatives)

    def __reduce_ex__(self, protocol: Any) -> Any:
        # a row of the table is found by its name (pickle, deepcopy), never copied: code
        # compares rows by identity, and lambdas cannot be pickled
        if OPS.get(self.name) is self:
            return _row_named, (self.name,)
        return super().__reduce_ex__(protocol)  # a hand-made node's row: copied as data


def _row_named(name: str) -> Op:
    if name not in OPS:
        raise KeyError(say("ops.no_such_op", name=name))
    return OPS[name]


class Interpreter:
    """What the table's interpreters share: ``m.<name>`` for every entry of ``FUNCTIONS``.

    A subclass writes out the few functions it treats in its own way and says in
    ``implement`` how any other one is made from its entry; an instance learns them all
    when it is made, as plain attributes (the fastest lookup Python has: the eager engine
    looks one up on every operation). So a function added to ``FUNCTIONS`` is known to
    every interpreter without touching it.
    """

    def __init__(self) -> None:
        self.learn_functions()

    def implement(self, f: Function) -> Callable[..., Any]:
        raise NotImplementedError

    def learn_functions(self) -> None:
        """Make every function of ``FUNCTIONS`` that the class does not write out (again
        after the list changed while running, as a test does)."""
        for f in FUNCTIONS:
            if not hasattr(type(self), f.name):
                setattr(self, f.name, self.implement(f))

    if TYPE_CHECKING:  # for the type checker only: the functions learnt from FUNCTIONS

        def __getattr__(self, name: str) -> Callable[..., Any]: ...


class FloatMath(Interpreter):
    """The math namespace for plain Python floats: each entry's ``on_floats``."""

    def implement(self, f: Function) -> Callable[..., Any]:
        if f.on_floats is not None:
            return f.on_floats
        return functools.partial(OPS[f.row].forward, self)  # written with other functions


# --- domains: return a reason when the inputs are invalid, else None --------------------


def _div_domain(a: float, b: float) -> str | None:
    return say("ops.division_by_zero") if b == 0 else None


def _log_domain(x: float) -> str | None:
    return say("ops.log_domain") if x <= 0 else None


def _sqrt_domain(x: float) -> str | None:
    return say("ops.sqrt_domain") if x < 0 else None


def _log1p_domain(x: float) -> str | None:
    return say("ops.log1p_domain") if x <= -1 else None


def _exp_domain(x: float) -> str | None:
    return say("ops.exp_overflow", limit=EXP_MAX) if x > EXP_MAX else None


def _pow_domain(a: float, b: float) -> str | None:
    if a < 0 and not float(b).is_integer():
        return say("shared.negative_power")
    if a == 0 and b < 0:
        return say("ops.zero_negative_power")
    return None


def _pow_why_not(i: int, a: float, b: float) -> str | None:
    if i == 1 and a < 0:
        return say("ops.exponent_of_negative_base")
    return None


# --- rules that need more than one expression ---------------------------------------------


def _pow_da(m: Math, out: Any, a: Any, b: Any) -> Any:
    # d/da a^b = b·a^(b-1). At b = 0 it is 0 (as in PyTorch), but a^(b-1) = 1/a would blow up
    # for a = 0 or a tiny a. There the same function is written b·a^b/a, so grad of grad still
    # sees its slope in b, 1/a; a = 0 becomes 1 (0^b is not smooth at b = 0). Both branches
    # are computed: each one's inputs are clamped where the other one is used.
    moving = m.where(m.gt(b, 0.0), 1.0, m.where(m.lt(b, 0.0), 1.0, 0.0))  # 1 where b != 0
    general = b * a ** (m.where(moving, b, 1.0) - 1.0)
    at_zero = m.where(moving, 0.0, b) * out / m.where(m.gt(m.abs(a), 0.0), a, 1.0)
    return m.where(moving, general, at_zero)


def _pow_db(m: Math, out: Any, a: Any, b: Any) -> Any:
    # d/db a^b = a^b·log(a), taken as 0 where a = 0 (0^b is constant for b > 0). A negative
    # base still reaches log and fails there: that derivative is not a real number.
    nonzero = m.gt(m.abs(a), 0.0)
    return m.where(nonzero, out * m.log(m.where(nonzero, a, 1.0)), 0.0)


def _elu_forward(m: Math, x: Any, alpha: Any) -> Any:
    # clamp so the unused branch never computes exp of a large positive x
    neg = m.where(x > 0.0, 0.0, x)
    return m.where(x > 0.0, x, alpha * m.expm1(neg))


def _elu_dx(m: Math, out: Any, x: Any, alpha: Any) -> Any:
    neg = m.where(m.gt(x, 0.0), 0.0, x)
    return m.where(m.gt(x, 0.0), 1.0, alpha * m.exp(neg))


def _elu_dalpha(m: Math, out: Any, x: Any, alpha: Any) -> Any:
    return m.where(m.gt(x, 0.0), 0.0, m.expm1(m.where(m.gt(x, 0.0), 0.0, x)))


def _max_each(m: Math, out: Any, xs: Sequence[Any]) -> list[Any]:
    # the gradient goes to the largest input; k tied inputs get 1/k each (as torch.amax)
    hit = [m.where(m.lt(x, out), 0.0, 1.0) for x in xs]
    ties = hit[0] if len(hit) == 1 else m.sum(hit)
    return [h / ties for h in hit]


def _dot_each(m: Math, out: Any, wx: Sequence[Any]) -> list[Any]:
    # dot(w_1..w_n, x_1..x_n) = sum_j w_j x_j:  d/dw_i = x_i  and  d/dx_i = w_i
    n = len(wx) // 2
    return [*wx[n:], *wx[:n]]


def _step(m: Math, x: Any) -> Any:
    """1 where x > 0, else 0: the slope of relu."""
    return m.where(m.gt(x, 0.0), 1.0, 0.0)


def _sign(m: Math, x: Any) -> Any:
    """The slope of abs: 1, -1, and 0 at the kink (as PyTorch)."""
    return m.where(m.gt(x, 0.0), 1.0, m.where(m.lt(x, 0.0), -1.0, 0.0))


def _pick(m: Math, a: Any, b: Any) -> Any:
    """The share of a in maximum(a, b): 1, 0, or 1/2 on a tie (as PyTorch)."""
    return m.where(m.gt(a, b), 1.0, m.where(m.lt(a, b), 0.0, 0.5))


# --- the table -----------------------------------------------------------------------------
#     name      symbol   forward
#                        d/d(first input)
#                        d/d(second input) ...

_TABLE = [
    Op("add", "+", lambda m, a, b: a + b, (
        lambda m, out, a, b: 1.0,
        lambda m, out, a, b: 1.0,
    )),
    Op("sub", "-", lambda m, a, b: a - b, (
        lambda m, out, a, b: 1.0,
        lambda m, out, a, b: -1.0,
    )),
    Op("mul", "*", lambda m, a, b: a * b, (
        lambda m, out, a, b: b,
        lambda m, out, a, b: a,
    )),
    Op("div", "/", lambda m, a, b: a / b, (
        lambda m, out, a, b: 1.0 / b,
        lambda m, out, a, b: -out / b,
    ), domain=_div_domain),
    Op("neg", "-", lambda m, a: -a, (
        lambda m, out, a: -1.0,
    )),
    Op("pow", "**", lambda m, a, b: a**b, (
        _pow_da,
        _pow_db,
    ), domain=_pow_domain, why_not=_pow_why_not),
    Op("exp", "exp", lambda m, x: m.exp(x), (
        lambda m, out, x: out,
    ), domain=_exp_domain),
    Op("log", "log", lambda m, x: m.log(x), (
        lambda m, out, x: 1.0 / x,
    ), domain=_log_domain),
    # log(1 + x) and e^x - 1 without the rounding of 1 + x and e^x: exact for tiny x
    Op("log1p", "log1p", lambda m, x: m.log1p(x), (
        lambda m, out, x: 1.0 / (1.0 + x),
    ), domain=_log1p_domain),
    Op("expm1", "expm1", lambda m, x: m.expm1(x), (
        lambda m, out, x: m.exp(x),
    ), domain=_exp_domain),
    Op("sqrt", "sqrt", lambda m, x: m.sqrt(x), (
        lambda m, out, x: 0.5 / out,
    ), domain=_sqrt_domain),
    Op("sin", "sin", lambda m, x: m.sin(x), (
        lambda m, out, x: m.cos(x),
    )),
    Op("cos", "cos", lambda m, x: m.cos(x), (
        lambda m, out, x: -m.sin(x),
    )),
    Op("tanh", "tanh", lambda m, x: m.tanh(x), (
        lambda m, out, x: 1.0 - out * out,
    )),
    Op("sigmoid", "sigmoid", lambda m, x: m.sigmoid(x), (
        lambda m, out, x: out * (1.0 - out),
    )),
    Op("softplus", "softplus", lambda m, x: m.softplus(x), (
        lambda m, out, x: m.sigmoid(x),
    )),
    Op("relu", "ReLU", lambda m, x: m.where(x > 0.0, x, 0.0), (
        lambda m, out, x: _step(m, x),
    )),
    # max(slope·x, x) for slope < 1, as in seed 004
    Op("leaky_relu", "leaky_relu", lambda m, x, slope: m.where(x > 0.0, x, slope * x), (
        lambda m, out, x, slope: m.where(m.gt(x, 0.0), 1.0, slope),
        lambda m, out, x, slope: m.where(m.gt(x, 0.0), 0.0, x),
    )),
    Op("elu", "elu", _elu_forward, (
        _elu_dx,
        _elu_dalpha,
    )),
    Op("abs", "abs", lambda m, x: m.abs(x), (
        lambda m, out, x: _sign(m, x),
    )),
    Op("maximum", "max", lambda m, a, b: m.where(a < b, b, a), (
        lambda m, out, a, b: _pick(m, a, b),
        lambda m, out, a, b: 1.0 - _pick(m, a, b),
    )),
    Op("minimum", "min", lambda m, a, b: m.where(a > b, b, a), (
        lambda m, out, a, b: _pick(m, b, a),
        lambda m, out, a, b: 1.0 - _pick(m, b, a),
    )),
    # conditions as numbers (1.0 or 0.0), so that a derivative evaluated on Values keeps its
    # comparisons inside the graph; a step has slope 0
    Op("gt", ">", lambda m, a, b: m.where(a > b, 1.0, 0.0), (
        lambda m, out, a, b: 0.0,
        lambda m, out, a, b: 0.0,
    )),
    Op("lt", "<", lambda m, a, b: m.where(a < b, 1.0, 0.0), (
        lambda m, out, a, b: 0.0,
        lambda m, out, a, b: 0.0,
    )),
    # the choice a where c > 0, else b: with it, derivatives of relu, abs, max... are graphs
    # without Python branches (compile(grad(f)) works). Its own slope in c is 0 (a step).
    Op("where", "where", lambda m, c, a, b: m.where(c > 0.0, a, b), (
        lambda m, out, c, a, b: 0.0,
        lambda m, out, c, a, b: m.where(m.gt(c, 0.0), 1.0, 0.0),
        lambda m, out, c, a, b: m.where(m.gt(c, 0.0), 0.0, 1.0),
    )),
    # n-ary rows: any number of inputs, one formula for every d/dx_i
    Op("sum", "sum", lambda m, *xs: m.sum(xs), each=lambda m, out, xs: [1.0] * len(xs)),
    Op("dot", "dot", lambda m, *wx: m.dot(wx[: len(wx) // 2], wx[len(wx) // 2 :]),
       each=_dot_each),
    Op("max", "max", lambda m, *xs: m.maximum(*xs), each=_max_each),
]  # fmt: skip

OPS: dict[str, Op] = {op.name: op for op in _TABLE}
_BUILTIN = frozenset(OPS)


# --- the math functions: what m.<name>(...) means, for every interpreter --------------------


@dataclass(frozen=True)
class Function:
    """One function a rule may call as ``m.<name>(...)``, and an expression as ``name(...)``.

    Every interpreter makes it from this entry: floats call ``on_floats``; Values apply the
    table's ``row`` (a node of the graph); source text writes the call ``name(...)``; NumPy
    calls ``numpy``, the name of a NumPy function or a function of the numpy module that
    makes one. Without ``on_floats``/``numpy``, the row's forward rule is run instead (for
    a function the table writes with other functions, such as relu).

    ``inputs`` Values, then the optional numbers ``constants``: what an expression (``expr``,
    the command line) may pass; ``expression=False`` keeps it out of expressions.
    """

    name: str
    row: str
    on_floats: Callable[..., Any] | None = None
    numpy: str | Callable[[Any], Callable[..., Any]] | None = None
    inputs: int | None = 1  # None: any number (sum, dot)
    constants: tuple[str, ...] = ()
    expression: bool = True


def _sigmoid(x: float) -> float:
    # exp of a non-positive number only, so it cannot overflow
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _softplus(x: float) -> float:
    # log(1 + e^x) = max(x, 0) + log(1 + e^-|x|)
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def _where(cond: Any, a: Any, b: Any) -> Any:
    return a if cond else b


def _maximum(*xs: Any) -> Any:
    return max(xs)


def _dot(ws: Any, xs: Any) -> Any:
    return sum(map(operator.mul, ws, xs))


def _np_sigmoid(np: Any) -> Callable[..., Any]:
    def sigmoid(x: Any) -> Any:  # the formula of _sigmoid, for both signs at once
        e = np.exp(-np.abs(x))
        return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))

    return sigmoid


def _np_softplus(np: Any) -> Callable[..., Any]:
    return lambda x: np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def _np_maximum(np: Any) -> Callable[..., Any]:
    return lambda *xs: functools.reduce(np.maximum, xs)


def _np_sum(np: Any) -> Callable[..., Any]:
    return lambda xs: functools.reduce(np.add, xs)


def _np_dot(np: Any) -> Callable[..., Any]:
    return lambda ws, xs: functools.reduce(np.add, [w * x for w, x in zip(ws, xs)])


FUNCTIONS: tuple[Function, ...] = (
    #        name        row         on floats    NumPy
    Function("exp",      "exp",      math.exp,    "exp"),
    Function("expm1",    "expm1",    math.expm1,  "expm1"),
    Function("log",      "log",      math.log,    "log"),
    Function("log1p",    "log1p",    math.log1p,  "log1p"),
    Function("sqrt",     "sqrt",     math.sqrt,   "sqrt"),
    Function("sin",      "sin",      math.sin,    "sin"),
    Function("cos",      "cos",      math.cos,    "cos"),
    Function("tanh",     "tanh",     math.tanh,   "tanh"),  # saturates to +-1, never overflows
    Function("sigmoid",  "sigmoid",  _sigmoid,    _np_sigmoid),
    Function("relu",     "relu"),
    Function("softplus", "softplus", _softplus,   _np_softplus),
    Function("abs",      "abs",      abs,         "abs"),
    Function("leaky_relu", "leaky_relu", constants=("slope",)),
    Function("elu",      "elu",      constants=("alpha",)),
    Function("maximum",  "maximum",  _maximum,    _np_maximum, inputs=2),  # rules: any number
    Function("minimum",  "minimum",  inputs=2),
    # how rules branch and add up (see Math); not for expressions
    Function("gt",       "gt",       operator.gt, "greater", inputs=2, expression=False),
    Function("lt",       "lt",       operator.lt, "less",    inputs=2, expression=False),
    Function("where",    "where",    _where,      "where",   inputs=3, expression=False),
    Function("sum",      "sum",      sum,         _np_sum,   inputs=None, expression=False),
    Function("dot",      "dot",      _dot,        _np_dot,   inputs=None, expression=False),
)  # fmt: skip


FLOAT: Math = FloatMath()


def function_named(name: str) -> Function | None:
    """The entry of ``FUNCTIONS`` called ``name`` (read at each call: the list may grow)."""
    if name.startswith("_"):
        return None
    return next((f for f in FUNCTIONS if f.name == name), None)


def define_row(
    name: str, forward: Rule, derivatives: Sequence[Rule], symbol: str | None = None
) -> Op:
    """A new row for the table (see ``engine.define_op``).

    The name must be an identifier that no built-in op uses; defining a learner's op again
    (re-running a notebook cell) replaces it.
    """
    if not isinstance(name, str) or not name.isidentifier() or name.startswith("_"):
        raise ValueError(say("ops.define_name", name=name))
    if name in _BUILTIN:
        raise ValueError(say("ops.builtin_name", name=name))
    if not callable(forward):
        raise TypeError(say("ops.forward_not_function", forward=forward))
    if callable(derivatives) or isinstance(derivatives, (str, bytes)):
        one_per_input = say("ops.derivatives_not_list")
        raise TypeError(f"{name}: {one_per_input}")
    rules = tuple(derivatives)
    if not rules or not all(callable(r) for r in rules):
        raise TypeError(say("ops.derivatives_not_functions"))
    _check_arity(forward, ["m"], len(rules), f"{name}: forward")
    for i, rule in enumerate(rules):
        _check_arity(rule, ["m", "out"], len(rules), f"{name}: derivatives[{i}]")
    checked = tuple(_checked_rule(name, f"derivatives[{i}]", r) for i, r in enumerate(rules))
    op = Op(name, name if symbol is None else str(symbol), _checked_forward(name, forward), checked)
    OPS[name] = op
    return op


def _real(name: str, what: str, result: Any) -> float:
    """A learner's rule run on floats must give a real number: say which rule did not."""
    if isinstance(result, bool) or not isinstance(result, numbers.Real):
        kind = type(result).__name__
        not_real = say("ops.rule_not_real", what=what, kind=kind, result=result)
        raise TypeError(f"{name}: {not_real}")
    return float(result)


class FloatInRule(TypeError):
    """A derivative rule run on Values turned one into a float (``math.cos(x)`` does)."""


def _symbolic_error(name: str, what: str, exc: TypeError) -> TypeError:
    """A rule that works on floats but not on Values or source text: it used math.* or float()."""
    return type(exc)(f"{name}: {float_only_rule(what, exc)}")


def float_only_rule(what: str, error: object) -> str:
    """Why the rule ``what`` cannot be differentiated again or compiled (``error`` says how it
    failed), and the fix."""
    floats_only = say("ops.float_only_rule", what=what, error=error)
    fix = say("ops.use_m_functions")
    return f"{floats_only}. {fix}"


def _checked_forward(name: str, forward: Rule) -> Rule:
    def run(m: Any, *xs: Any) -> Any:
        if m is FLOAT:
            return _real(name, "forward", forward(m, *xs))
        try:
            return forward(m, *xs)
        except TypeError as exc:
            raise _symbolic_error(name, "forward", exc) from None

    return run


def _checked_rule(name: str, what: str, rule: Rule) -> Rule:
    def run(m: Any, out: Any, *xs: Any) -> Any:
        if m is FLOAT:
            return _real(name, what, rule(m, out, *xs))
        try:
            return rule(m, out, *xs)
        except TypeError as exc:
            raise _symbolic_error(name, what, exc) from None

    return run


def _check_arity(fn: Callable[..., Any], first: list[str], inputs: int, what: str) -> None:
    """A clear error now, rather than a confusing one at the first backward()."""
    n = len(first) + inputs
    try:
        inspect.signature(fn).bind(*range(n))
    except TypeError:
        arity = say("ops.rule_arity", n=n, first=", ".join(first), inputs=inputs)
        raise TypeError(f"{what}: {arity}") from None
    except ValueError:  # no signature (a builtin): nothing to check
        return
