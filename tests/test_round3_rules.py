"""Issue 20, round 3: every derivative rule stays differentiable, and log1p/expm1 are exact.

A rule of ops.py runs on Values for ``grad``/``hessian``, so its own derivatives are second
derivatives of the function. The witnesses here know nothing about the table: central finite
differences of the gradient that ``backward()`` computes, and closed forms worked out by hand.
Every built-in row of the table is checked at the points its rule treats separately (b = 0,
b = 1, x = 0 where the function is smooth on both sides; next to the kinks, never on them) and
at random smooth points.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from micrograd_kr import DomainError, Value, compile, define_op, ops
from micrograd_kr.autodiff import grad, hessian
from micrograd_kr.engine import apply_op
from micrograd_kr.expr import parse_expression

BUILTIN = sorted(name for name in ops.OPS if name in ops._BUILTIN)


@dataclass(frozen=True)
class Fixed:
    """An input that enters the operation as a plain number (a constant, not differentiated)."""

    value: float


Point = tuple[float | Fixed, ...]

# The points each rule treats separately, and points next to its kinks (a kink itself has no
# second derivative). A new row of the table fails test_every_row_has_special_points until it
# gets its own entry here.
SPECIAL: dict[str, list[Point]] = {
    "add": [(0.0, 0.0), (1.5, -2.0)],
    "sub": [(0.0, 0.0), (1.5, -2.0)],
    "mul": [(0.0, 0.0), (1.5, -2.0)],
    "div": [(0.0, 2.0), (3.0, -0.5), (Fixed(1.0), 0.25)],
    "neg": [(0.0,), (2.0,)],
    "pow": [
        # b = 0, where a^(b-1) = 1/a is not computed (issue 20), and next to it
        (2.0, 0.0),
        (0.5, 0.0),
        (1.0, 0.0),
        (3.0, 0.0),
        (2.0, 1e-3),
        (2.0, -1e-3),
        # b = 1 (a^0 in the rule), and a = 1 (log a = 0)
        (2.0, 1.0),
        (0.5, 1.0),
        (1.0, 1.0),
        (1.0, 2.5),
        (3.0, -1.0),
        # a = 0 and a < 0 with an integer exponent: smooth in a
        (0.0, Fixed(0.0)),
        (0.0, Fixed(1.0)),
        (0.0, Fixed(2.0)),
        (0.0, Fixed(3.0)),
        (-2.0, Fixed(0.0)),
        (-2.0, Fixed(1.0)),
        (-2.0, Fixed(3.0)),
        (-1.5, Fixed(-2.0)),
        # next to a = 0, where a non-integer power is not smooth
        (1e-3, Fixed(0.5)),
        (1e-3, Fixed(1.5)),
        # a constant base: the exponent's rule, whose own branch is a = 0
        (Fixed(0.0), 0.5),
        (Fixed(0.0), 2.0),
        (Fixed(2.0), 0.0),
        (Fixed(1.0), -1.0),
    ],
    "exp": [(0.0,), (-30.0,), (5.0,)],
    "expm1": [(0.0,), (1e-12,), (-30.0,), (5.0,)],
    "log": [(1.0,), (0.01,), (50.0,)],
    "log1p": [(0.0,), (1e-12,), (-0.99,), (5.0,)],
    "sqrt": [(0.01,), (1.0,), (4.0,)],
    "sin": [(0.0,), (math.pi / 2,), (-2.0,)],
    "cos": [(0.0,), (math.pi / 2,), (-2.0,)],
    "tanh": [(0.0,), (-5.0,), (5.0,), (20.0,)],
    "sigmoid": [(0.0,), (-20.0,), (20.0,), (5.0,)],
    "softplus": [(0.0,), (-20.0,), (20.0,), (5.0,)],
    "relu": [(1e-3,), (-1e-3,), (2.0,), (-2.0,)],
    "leaky_relu": [(1e-3, 0.1), (-1e-3, 0.1), (-2.0, 0.2), (2.0, 0.2), (-1e-3, Fixed(0.1))],
    "elu": [
        (1e-3, 1.0),
        (-1e-3, 1.0),
        (-1e-3, 0.5),
        (-30.0, 0.5),
        (2.0, 2.0),
        (-1e-3, Fixed(1.0)),
    ],
    "abs": [(1e-3,), (-1e-3,), (2.0,)],
    "maximum": [(1.0, 1.0 + 1e-3), (1.0, 1.0 - 1e-3), (-2.0, 3.0)],
    "minimum": [(1.0, 1.0 + 1e-3), (1.0, 1.0 - 1e-3), (-2.0, 3.0)],
    "gt": [(1.0, 1.0 + 1e-3), (1.0, 1.0 - 1e-3)],
    "lt": [(1.0, 1.0 + 1e-3), (1.0, 1.0 - 1e-3)],
    "where": [(1e-3, 2.0, -3.0), (-1e-3, 2.0, -3.0), (5.0, 0.0, 1.0)],
    "sum": [(0.0, 0.0, 0.0), (1.0, -2.0, 3.0)],
    "dot": [(0.0, 0.0, 0.0, 0.0), (1.0, -2.0, 3.0, 0.5)],
    "max": [(1.0, 1.0 + 1e-3, 0.5), (1.0, 1.0 - 1e-3, 1.0 - 2e-3), (3.0, -1.0, 2.0)],
}


def _gap(*xs: float) -> float:
    """How far the largest input is from the next one (a tie is max's kink)."""
    top = sorted(xs)
    return top[-1] - top[-2]


# How far a point is from where the row is not smooth (kinks, steps, poles); default: nowhere.
KINK_DISTANCE: dict[str, Callable[..., float]] = {
    "div": lambda a, b: abs(b),
    "relu": lambda x: abs(x),
    "abs": lambda x: abs(x),
    "leaky_relu": lambda x, slope: abs(x),
    "elu": lambda x, alpha: abs(x),
    "maximum": lambda a, b: abs(a - b),
    "minimum": lambda a, b: abs(a - b),
    "gt": lambda a, b: abs(a - b),
    "lt": lambda a, b: abs(a - b),
    "where": lambda c, a, b: abs(c),
    "max": _gap,
}

# Ranges of random inputs, where the default (-3, 3) leaves the domain
RANGES: dict[str, list[tuple[float, float]]] = {
    "pow": [(0.1, 3.0), (-2.0, 2.0)],
    "log": [(0.05, 5.0)],
    "sqrt": [(0.05, 5.0)],
    "log1p": [(-0.95, 5.0)],
}


def _arity(name: str) -> int:
    if name in SPECIAL:
        return len(SPECIAL[name][0])
    return ops.OPS[name].arity or 3


def _function(name: str, point: Point) -> tuple[Callable[..., Value], list[float]]:
    """The row as a function of its variable inputs (Fixed ones are plain numbers), and them."""

    def f(*vs: Value) -> Value:
        it = iter(vs)
        args = [p.value if isinstance(p, Fixed) else next(it) for p in point]
        return apply_op(name, *args)

    return f, [float(p) for p in point if not isinstance(p, Fixed)]


def _backward_grad(f: Callable[..., Value], xs: Sequence[float]) -> list[float]:
    """The gradient by backward(), which runs the rules on floats (not on Values)."""
    vs = [Value(x) for x in xs]
    f(*vs).backward()
    return [v.grad for v in vs]


def _fd_hessian(f: Callable[..., Value], xs: Sequence[float]) -> list[list[float]]:
    """H[i][j] = d/dx_i of backward's d/dx_j, by central differences."""
    rows = []
    for i, x in enumerate(xs):
        h = 1e-6 * max(1.0, abs(x))
        plus = _backward_grad(f, [*xs[:i], x + h, *xs[i + 1 :]])
        minus = _backward_grad(f, [*xs[:i], x - h, *xs[i + 1 :]])
        rows.append([(p - m) / (2 * h) for p, m in zip(plus, minus)])
    return rows


def _close(got: float, want: float, rel: float = 1e-5, abs_: float = 1e-6) -> bool:
    return abs(got - want) <= max(abs_, rel * abs(want))


def _hessian_data(f: Callable[..., Value], xs: Sequence[float]) -> list[list[float]]:
    return [[h.data for h in row] for row in hessian(f)(*xs)]


def _check_against_fd(name: str, point: Point) -> None:
    f, xs = _function(name, point)
    got = _hessian_data(f, xs)
    want = _fd_hessian(f, xs)
    for i, (row_got, row_want) in enumerate(zip(got, want)):
        for j, (g, w) in enumerate(zip(row_got, row_want)):
            assert _close(g, w), (name, point, i, j, g, w)


# --- item 1: second derivatives of every row --------------------------------------------------


def test_every_row_has_special_points() -> None:
    assert set(BUILTIN) <= set(SPECIAL), set(BUILTIN) - set(SPECIAL)
    for name, points in SPECIAL.items():
        assert name in ops.OPS, name
        for point in points:  # inside the domain, so the check below really runs
            f, xs = _function(name, point)
            assert math.isfinite(f(*[Value(x) for x in xs]).data)


def test_hessian_of_pow_at_exponent_zero_is_the_closed_form() -> None:
    # a^b: d²/da db = a^(b-1)(1 + b log a) = 1/a at b = 0; d²/db² = a^b log²a; d²/da² = 0
    for a in (2.0, 0.5, 3.0):
        h = _hessian_data(lambda x, y: x**y, [a, 0.0])
        assert h[0][0] == 0.0
        assert h[0][1] == pytest.approx(1 / a, rel=1e-15)
        assert h[1][0] == pytest.approx(1 / a, rel=1e-15)
        assert h[1][1] == pytest.approx(math.log(a) ** 2, rel=1e-15)


def test_grad_of_grad_of_pow_at_exponent_zero() -> None:
    # d/db (d/da a^b) at b = 0 is 1/a: the rule must keep its dependence on b
    dadb = grad(grad(lambda a, b: a**b, argnums=0), argnums=1)(2.0, 0.0)
    assert dadb.data == pytest.approx(0.5, rel=1e-15)


def test_pow_first_derivative_at_exponent_zero_stays_zero_and_finite() -> None:
    # a^0 is the constant 1: its slope in a is 0 even where 1/a overflows (a = 0, tiny a)
    for base in (0.0, 1e-310, -1e-310, 2.0, -3.0):
        x = Value(base)
        (x**0).backward()
        assert x.grad == 0.0
        assert grad(lambda v: v**0)(base).data == 0.0
    # with b a Value too, away from the a = 0 corner
    a, b = Value(1e-300), Value(0.0)
    (a**b).backward()
    assert a.grad == 0.0 and b.grad == pytest.approx(math.log(1e-300), rel=1e-15)


@pytest.mark.parametrize("lift", [False, True])
def test_pow_batches_mixing_both_branches_match_backward(lift: bool) -> None:
    # every sample computes both branches of the rule: neither may overflow or divide by 0
    a = [2.0, 0.5, 1e-300, 3.0, 2.0, 1e-310]
    b = [0.0, 0.0, 0.0, -1.0, 1e-3, 1.0]
    c = compile(lambda x, y: x**y, [2.0, 0.0], lift=lift)
    _, (da, db) = c(np.array(a), np.array(b))
    for k, point in enumerate(zip(a, b)):
        want = _backward_grad(lambda x, y: x**y, point)
        assert [da[k], db[k]] == pytest.approx(want, rel=1e-13), point
    c0 = compile(lambda x: x**0, [2.0], lift=lift)
    _, (dx,) = c0(np.array([0.0, 1e-310, -1e-310, -2.0, 3.0]))
    assert list(dx) == [0.0] * 5


def test_a_constant_exponent_keeps_compiled_code_short() -> None:
    # the rule's choices at b = 0 are decided once for a constant exponent, not per sample
    source = compile(lambda x: x**2, [0.5]).source
    assert "where" not in source and "abs" not in source


def test_a_second_derivative_that_overflows_is_an_error_not_a_number() -> None:
    # d²/da db a^b at b = 0 is 1/a = 1e310: more than a float holds
    with pytest.raises(DomainError):
        hessian(lambda a, b: a**b)(1e-310, 0.0)


@pytest.mark.parametrize("name", sorted(SPECIAL))
def test_second_derivatives_at_special_points_match_finite_differences(name: str) -> None:
    for point in SPECIAL[name]:
        _check_against_fd(name, point)


def _random_point(name: str) -> st.SearchStrategy[tuple[float, ...]]:
    ranges = RANGES.get(name, [(-3.0, 3.0)] * _arity(name))
    return st.tuples(*(st.floats(lo, hi) for lo, hi in ranges))


def _smooth(name: str, xs: Sequence[float]) -> bool:
    row = ops.OPS[name]
    if row.domain is not None and row.domain(*xs) is not None:
        return False
    distance = KINK_DISTANCE.get(name)
    return distance is None or distance(*xs) > 1e-2


@pytest.mark.parametrize("name", BUILTIN)
def test_second_derivatives_at_random_points_match_finite_differences(name: str) -> None:
    @settings(max_examples=12, deadline=None)
    @given(_random_point(name))
    def check(xs: tuple[float, ...]) -> None:
        assume(_smooth(name, xs))
        _check_against_fd(name, xs)

    check()


@pytest.mark.parametrize("name", [n for n in BUILTIN if _arity(n) > 1])
def test_hessian_is_symmetric_at_random_points(name: str) -> None:
    @settings(max_examples=15, deadline=None)
    @given(_random_point(name))
    def check(xs: tuple[float, ...]) -> None:
        assume(_smooth(name, xs))
        f, _ = _function(name, xs)
        h = _hessian_data(f, xs)
        for i in range(len(xs)):
            for j in range(i):
                assert h[i][j] == pytest.approx(h[j][i], rel=1e-12, abs=1e-14), (xs, i, j)

    check()


def _groups(points: list[Point]) -> dict[tuple[object, ...], list[Point]]:
    """The points by their constants: one compiled program serves each group."""
    groups: dict[tuple[object, ...], list[Point]] = {}
    for p in points:
        key = tuple(q if isinstance(q, Fixed) else None for q in p)
        groups.setdefault(key, []).append(p)
    return groups


@pytest.mark.parametrize("name", sorted(SPECIAL))
def test_compiled_second_derivatives_agree_with_hessian(name: str) -> None:
    # compile(grad(f)) gives d/dx_i as its output and the hessian's row i as its gradient,
    # on floats and on a NumPy batch that mixes every special point (both sides of each
    # where are computed there, so neither may overflow or divide by zero)
    for points in _groups(SPECIAL[name]).values():
        f, xs0 = _function(name, points[0])
        for i in range(len(xs0)):
            c = compile(grad(f, argnums=i), xs0)
            columns = []
            for point in points:
                _, xs = _function(name, point)
                columns.append(xs)
                out, grads = c(*xs)
                assert out == _backward_grad(f, xs)[i], (point, i)
                assert list(grads) == _hessian_data(f, xs)[i], (point, i)
            batch_out, batch_grads = c(*(np.array(col) for col in zip(*columns)))
            for k, xs in enumerate(columns):
                want = _hessian_data(f, xs)[i]
                assert batch_out[k] == pytest.approx(_backward_grad(f, xs)[i], rel=1e-13)
                got = [float(g[k]) for g in batch_grads]
                assert got == pytest.approx(want, rel=1e-13, abs=1e-300), (xs, i)


# --- item 2: log1p and expm1 are primitives of every interpreter -----------------------------

# a learner's op whose derivative rule uses m.log1p: (1 + x) log(1 + x) - x has slope log1p(x)
xlog1p = define_op(
    "xlog1p_round3",
    lambda m, x: (1.0 + x) * m.log1p(x) - x,
    [lambda m, out, x: m.log1p(x)],
)


@pytest.mark.parametrize("x", [1e-20, 1e-12, -1e-15, 0.5])
def test_a_rule_using_log1p_is_exact_in_grad(x: float) -> None:
    assert grad(xlog1p)(x).data == math.log1p(x)  # log(1 + x) gave 0.0 at x = 1e-20
    v = Value(x)
    xlog1p(v).backward()
    assert v.grad == math.log1p(x)
    # its second derivative, 1/(1 + x), to 1 ulp
    second = grad(grad(xlog1p))(x).data
    assert second == pytest.approx(1.0 / (1.0 + x), rel=2.3e-16)


@pytest.mark.parametrize("x", [-1e-20, -1e-12, -3.0])
def test_elu_slope_in_alpha_is_exact_in_grad(x: float) -> None:
    # elu(x, alpha) = alpha (e^x - 1) for x <= 0: d/dalpha = expm1(x), d²/dalpha dx = e^x
    alpha = 0.7
    dalpha = grad(lambda v, a: apply_op("elu", v, a), argnums=1)(x, alpha)
    assert dalpha.data == math.expm1(x)  # exp(x) - 1 gave 0.0 at x = -1e-20
    h = _hessian_data(lambda v, a: apply_op("elu", v, a), [x, alpha])
    assert h[0][0] == pytest.approx(alpha * math.exp(x), rel=1e-15)
    assert h[0][1] == pytest.approx(math.exp(x), rel=1e-15)
    assert h[1][0] == pytest.approx(math.exp(x), rel=1e-15)
    assert h[1][1] == 0.0


def test_log1p_and_expm1_values_and_derivatives() -> None:
    for x in (1e-20, -1e-12, 0.25, -0.75, 30.0):
        assert Value(x).log1p().data == math.log1p(x)
        assert Value(x).expm1().data == math.expm1(x)
        assert grad(lambda v: v.log1p())(x).data == 1.0 / (1.0 + x)
        assert grad(lambda v: v.expm1())(x).data == math.exp(x)
        # second derivatives: -1/(1 + x)² and e^x
        assert grad(grad(lambda v: v.log1p()))(x).data == pytest.approx(-1 / (1 + x) ** 2)
        assert grad(grad(lambda v: v.expm1()))(x).data == pytest.approx(math.exp(x))


def test_log1p_outside_its_domain_is_a_clear_error() -> None:
    for x in (-1.0, -2.0):
        with pytest.raises(DomainError) as info:
            Value(x).log1p()
        message = str(info.value)
        assert "log1p" in message and "x > -1" in message and "정의" in message
    with pytest.raises(DomainError, match="expm1"):
        Value(1000.0).expm1()


def test_expressions_may_use_log1p_and_expm1() -> None:
    expr = parse_expression("log1p(x) + expm1(x)")
    assert expr.evaluate({"x": 1e-20}).data == 2e-20


# The same numbers from every interpreter: backward() (floats), grad() (Values) and compile
EXTREMES = [-700.0, -30.0, -1e-20, 1e-20, 1e-12, 0.3, 30.0, 700.0]


def _interpreter_points(name: str) -> list[Point]:
    points = list(SPECIAL.get(name, []))
    if ops.OPS[name].arity == 1:
        points += [(x,) for x in EXTREMES]
    return points


@pytest.mark.parametrize("name", BUILTIN)
def test_backward_grad_and_compile_agree_to_the_last_bit(name: str) -> None:
    for point in _interpreter_points(name):
        f, xs = _function(name, point)
        try:
            eager = _backward_grad(f, xs)
        except DomainError:
            continue  # outside the domain (log of -700, exp of 700...)
        by_grad = [g.data for g in grad(f, argnums=tuple(range(len(xs))))(*xs)]
        _, compiled = compile(f, xs)(*xs)
        assert by_grad == eager, (point, by_grad, eager)
        assert list(compiled) == eager, (point, compiled, eager)


@pytest.mark.parametrize("alpha", [1.0, 0.5])
def test_elu_agrees_to_the_last_bit_in_every_interpreter(alpha: float) -> None:
    def f(t: Value) -> Value:
        return t.elu(alpha)

    for x in (-1e-20, -1e-8, -0.5, -40.0, 0.5):
        v = Value(x)
        y = f(v)
        y.backward()
        assert grad(f)(x).data == v.grad
        out, (dx,) = compile(f, [x])(x)
        assert (out, dx) == (y.data, v.grad)
        assert y.data == (x if x > 0 else alpha * math.expm1(x))
