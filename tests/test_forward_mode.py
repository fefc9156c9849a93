"""Issue 23: forward mode (jvp, jacfwd), vjp/jacrev/jacobian, backward(create_graph=True).

Expected values come from elsewhere than the code under test: central finite differences,
PyTorch's torch.func.jvp (float64, when installed), hand derivations, and the reverse mode
that the rest of the suite already checks (jacfwd == jacrev, fwd-over-rev == rev-over-rev).
"""

from __future__ import annotations

import itertools
import math
import tracemalloc
import weakref
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import micrograd_kr
from micrograd_kr import (
    DomainError,
    Value,
    define_op,
    functional,
    grad,
    hessian,
    hvp,
    jacfwd,
    jacobian,
    jacrev,
    jvp,
    nn,
    no_grad,
    vjp,
)
from micrograd_kr.autodiff import hvp as hvp_rev
from micrograd_kr.engine import apply_op
from micrograd_kr.forward import Dual, SweepStep, Term, forward_sweep
from micrograd_kr.ops import OPS

# --- random expression trees over every row of the table ----------------------------------

softsign = define_op(
    "fwd_test_softsign",
    lambda m, x: x / (1.0 + m.abs(x)),
    [lambda m, out, x: 1.0 / (1.0 + m.abs(x)) ** 2],
)
smooth_norm = define_op(
    "fwd_test_norm",
    lambda m, a, b: m.sqrt(a * a + b * b + 1.0),
    [lambda m, out, a, b: a / out, lambda m, out, a, b: b / out],
)

# kinks of the rows: where a central difference would straddle a corner
_KINKS = {"relu", "abs", "leaky_relu", "elu", "maximum", "minimum", "gt", "lt", "where", "max"}


class Micrograd:
    """The trees' primitives as rows of the table, applied by name (Values or jvp's numbers)."""

    def __init__(self) -> None:
        self.closest_kink = math.inf  # how near a kink row's input came to its corner

    def op(self, name: str, *args: Any) -> Any:
        if name in _KINKS:
            xs = [a.data if isinstance(a, Value) else a for a in args]
            if name in ("relu", "abs", "leaky_relu", "elu", "where"):
                gap = abs(xs[0])
            else:
                ordered = sorted(xs)
                gap = min(b - a for a, b in itertools.pairwise(ordered))
            self.closest_kink = min(self.closest_kink, gap)
        if name == "fwd_test_softsign":
            return softsign(*args)
        if name == "fwd_test_norm":
            return smooth_norm(*args)
        return apply_op(name, *args)


class Torch:
    """The same primitives in PyTorch, with the same conventions."""

    def __init__(self) -> None:
        self.torch = pytest.importorskip("torch")

    def _t(self, x: Any) -> Any:
        t = self.torch
        return x if isinstance(x, t.Tensor) else t.tensor(float(x), dtype=t.float64)

    def op(self, name: str, *args: Any) -> Any:
        t = self.torch
        a = [self._t(x) for x in args]
        simple = {
            "add": lambda: a[0] + a[1],
            "sub": lambda: a[0] - a[1],
            "mul": lambda: a[0] * a[1],
            "div": lambda: a[0] / a[1],
            "neg": lambda: -a[0],
            "pow": lambda: t.pow(a[0], a[1]),
            "exp": lambda: t.exp(a[0]),
            "log": lambda: t.log(a[0]),
            "log1p": lambda: t.log1p(a[0]),
            "expm1": lambda: t.expm1(a[0]),
            "sqrt": lambda: t.sqrt(a[0]),
            "sin": lambda: t.sin(a[0]),
            "cos": lambda: t.cos(a[0]),
            "tanh": lambda: t.tanh(a[0]),
            "sigmoid": lambda: t.sigmoid(a[0]),
            "softplus": lambda: t.nn.functional.softplus(a[0]),
            "relu": lambda: t.relu(a[0]),
            "leaky_relu": lambda: t.where(a[0] > 0, a[0], a[1] * a[0]),
            "elu": lambda: t.where(a[0] > 0, a[0], a[1] * t.expm1(a[0])),
            "abs": lambda: t.abs(a[0]),
            "maximum": lambda: t.maximum(a[0], a[1]),
            "minimum": lambda: t.minimum(a[0], a[1]),
            "gt": lambda: (a[0] > a[1]).to(t.float64),
            "lt": lambda: (a[0] < a[1]).to(t.float64),
            "where": lambda: t.where(a[0] > 0, a[1], a[2]),
            "sum": lambda: t.stack(a).sum(),
            "dot": lambda: (t.stack(a[: len(a) // 2]) * t.stack(a[len(a) // 2 :])).sum(),
            "max": lambda: t.stack(a).amax(),
            "fwd_test_softsign": lambda: a[0] / (1.0 + t.abs(a[0])),
            "fwd_test_norm": lambda: t.sqrt(a[0] * a[0] + a[1] * a[1] + 1.0),
        }
        return simple[name]()


# Each gadget uses one row (two for the guarded domains) and keeps its inputs in the domain.
def _gadgets(P: Any) -> dict[str, Callable[..., Any]]:
    op = P.op

    def positive(a: Any) -> Any:
        return op("add", op("mul", a, a), 0.5)

    return {
        "add": lambda a, b, c: op("add", a, b),
        "sub": lambda a, b, c: op("sub", a, b),
        "mul": lambda a, b, c: op("mul", a, b),
        "div": lambda a, b, c: op("div", a, op("add", op("mul", b, b), 1.0)),
        "neg": lambda a, b, c: op("neg", a),
        "pow": lambda a, b, c: op("pow", positive(a), op("tanh", b)),
        "pow_int": lambda a, b, c: op("pow", a, 3.0),
        "exp": lambda a, b, c: op("exp", op("tanh", a)),
        "log": lambda a, b, c: op("log", positive(a)),
        "log1p": lambda a, b, c: op("log1p", op("mul", a, a)),
        "expm1": lambda a, b, c: op("expm1", op("tanh", a)),
        "sqrt": lambda a, b, c: op("sqrt", positive(a)),
        "sin": lambda a, b, c: op("sin", a),
        "cos": lambda a, b, c: op("cos", a),
        "tanh": lambda a, b, c: op("tanh", a),
        "sigmoid": lambda a, b, c: op("sigmoid", a),
        "softplus": lambda a, b, c: op("softplus", a),
        "relu": lambda a, b, c: op("relu", a),
        "leaky_relu": lambda a, b, c: op("leaky_relu", a, 0.1),
        "elu": lambda a, b, c: op("elu", a, 1.0),
        "abs": lambda a, b, c: op("abs", a),
        "maximum": lambda a, b, c: op("maximum", a, b),
        "minimum": lambda a, b, c: op("minimum", a, b),
        "gt": lambda a, b, c: op("mul", op("gt", a, b), c),
        "lt": lambda a, b, c: op("mul", op("lt", a, b), c),
        "where": lambda a, b, c: op("where", a, b, c),
        "sum": lambda a, b, c: op("sum", a, b, c),
        "dot": lambda a, b, c: op("dot", a, b, c, a),
        "max": lambda a, b, c: op("max", a, b, c),
        "softsign": lambda a, b, c: op("fwd_test_softsign", a),
        "norm": lambda a, b, c: op("fwd_test_norm", a, b),
    }


GADGETS = sorted(_gadgets(Micrograd()))
ROWS_USED = {
    "add", "sub", "mul", "div", "neg", "pow", "exp", "log", "log1p", "expm1", "sqrt", "sin",
    "cos", "tanh", "sigmoid", "softplus", "relu", "leaky_relu", "elu", "abs", "maximum",
    "minimum", "gt", "lt", "where", "sum", "dot", "max",
}  # fmt: skip


def test_the_trees_use_every_row_of_the_table() -> None:
    assert {op.name for op in micrograd_kr.ops._TABLE} == ROWS_USED
    assert {"fwd_test_softsign", "fwd_test_norm"} <= set(OPS)  # and two define_op rows


# A program: each step applies a gadget to three earlier values (reuse is common).
Step = tuple[str, int, int, int]


@st.composite
def programs(draw: Any, n_inputs: int = 2) -> tuple[list[Step], list[float]]:
    n_steps = draw(st.integers(2, 7))
    steps = []
    for k in range(n_steps):
        pick = st.integers(0, n_inputs + k - 1)
        steps.append((draw(st.sampled_from(GADGETS)), draw(pick), draw(pick), draw(pick)))
    point = draw(
        st.lists(
            st.floats(-1.5, 1.5, allow_nan=False).filter(lambda v: abs(v) > 1e-3),
            min_size=n_inputs,
            max_size=n_inputs,
        )
    )
    return steps, point


def run(program: list[Step], P: Any, xs: Sequence[Any], outputs: int = 1) -> Any:
    gadgets = _gadgets(P)
    values = list(xs)
    for name, i, j, k in program:
        values.append(gadgets[name](values[i], values[j], values[k]))
    # the last value, and a sum so that every step reaches the output
    total = P.op("sum", *values[len(xs) :]) if len(values) - len(xs) > 1 else values[-1]
    if outputs == 1:
        return P.op("add", values[-1], P.op("mul", total, 0.25))
    return [values[-1 - i] for i in range(outputs - 1)] + [total]


def _f(program: list[Step], probe: Micrograd | None = None) -> Callable[..., Any]:
    P = probe or Micrograd()
    return lambda *xs: run(program, P, xs)


def _plain(program: list[Step], point: list[float]) -> float:
    with no_grad():
        return float(_f(program)(*point).data)


def _central(program: list[Step], point: list[float], v: list[float], h: float = 1e-6) -> float:
    up = _plain(program, [p + h * d for p, d in zip(point, v)])
    down = _plain(program, [p - h * d for p, d in zip(point, v)])
    return (up - down) / (2 * h)


def _away_from_kinks(program: list[Step], point: list[float], v: list[float]) -> None:
    """Skip the rare trees whose finite difference would straddle a kink."""
    for p in ([*point], [x + 1e-6 * d for x, d in zip(point, v)]):
        probe = Micrograd()
        with no_grad():
            out = _f(program, probe)(*p)
        assume(probe.closest_kink > 1e-3 and abs(out.data) < 1e8)


SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much]
)


@SETTINGS
@given(programs(), st.lists(st.floats(-1, 1), min_size=2, max_size=2))
def test_jvp_matches_central_differences_on_random_trees(
    case: tuple[list[Step], list[float]], v: list[float]
) -> None:
    program, point = case
    _away_from_kinks(program, point, v)
    out, tangent = jvp(_f(program), point, v)
    assert out.data == pytest.approx(_plain(program, point), rel=1e-12, abs=1e-12)
    expected = _central(program, point, v)
    assert tangent.data == pytest.approx(expected, rel=1e-5, abs=1e-5)


@SETTINGS
@given(programs(), st.lists(st.floats(-1, 1), min_size=2, max_size=2))
def test_jvp_matches_torch_func_jvp_in_float64(
    case: tuple[list[Step], list[float]], v: list[float]
) -> None:
    torch = pytest.importorskip("torch")
    program, point = case
    _away_from_kinks(program, point, v)
    T = Torch()
    primals = tuple(torch.tensor(p, dtype=torch.float64) for p in point)
    tangents = tuple(torch.tensor(d, dtype=torch.float64) for d in v)
    t_out, t_tangent = torch.func.jvp(lambda *xs: run(program, T, xs), primals, tangents)
    out, tangent = jvp(_f(program), point, v)
    assert out.data == pytest.approx(float(t_out), rel=1e-12, abs=1e-12)
    assert tangent.data == pytest.approx(float(t_tangent), rel=1e-9, abs=1e-12)


@SETTINGS
@given(programs(n_inputs=3))
def test_jacfwd_equals_jacrev_on_random_trees(case: tuple[list[Step], list[float]]) -> None:
    program, point = case
    probe = Micrograd()
    with no_grad():
        run(program, probe, point, outputs=3)
    assume(probe.closest_kink > 1e-9)  # exactly at a tie both modes agree too, but skip it

    def f(*xs: Any) -> Any:
        return run(program, Micrograd(), xs, outputs=3)

    forward = jacfwd(f)(*point)
    reverse = jacrev(f)(*point)
    assert len(forward) == len(reverse) == 3 and all(len(row) == 3 for row in forward)
    for row_f, row_r in zip(forward, reverse):
        for a, b in zip(row_f, row_r):
            assert a.data == pytest.approx(b.data, rel=1e-12, abs=1e-12)
    assert [[e.data for e in row] for row in jacobian(f, mode="fwd")(*point)] == [
        [e.data for e in row] for row in forward
    ]


# --- smooth functions of a few variables: Hessians three ways --------------------------------


def rosen(x: Any, y: Any, z: Any) -> Any:
    return (1 - x) ** 2 + 100 * (y - x * x) ** 2 + (z * y).sin() + (x * z).exp()


smooth_points = st.lists(st.floats(-1.5, 1.5, allow_nan=False), min_size=3, max_size=3)


@settings(max_examples=25, deadline=None)
@given(smooth_points, st.lists(st.floats(-2, 2), min_size=3, max_size=3))
def test_forward_over_reverse_hvp_equals_reverse_over_reverse_and_hessian_times_v(
    point: list[float], v: list[float]
) -> None:
    fwd = [h.data for h in hvp(rosen, mode="fwd")(point, v)]
    rev = [h.data for h in hvp(rosen, mode="rev")(point, v)]
    H = [[h.data for h in row] for row in hessian(rosen)(*point)]
    Hv = [sum(H[i][j] * v[j] for j in range(3)) for i in range(3)]
    scale = max(1.0, *map(abs, Hv))
    for a, b, c in zip(fwd, rev, Hv):
        assert a == pytest.approx(b, abs=1e-10 * scale)
        assert a == pytest.approx(c, abs=1e-10 * scale)
    assert hvp(rosen)(point, v)[0].data == rev[0]  # the default is unchanged: reverse
    assert hvp_rev(rosen)(point, v)[0].data == rev[0]


@settings(max_examples=25, deadline=None)
@given(smooth_points)
def test_create_graph_second_derivatives_equal_grad_of_grad(point: list[float]) -> None:
    x, y, z = (Value(p) for p in point)

    def along_x(a: Any) -> Any:
        return rosen(a, Value(point[1]), Value(point[2]))

    out = rosen(x, y, z)
    out.backward(create_graph=True)
    gx = x.grad
    assert isinstance(gx, Value)
    assert gx.data == pytest.approx(grad(along_x)(point[0]).data, rel=1e-12, abs=1e-12)
    for v in (x, y, z):
        v.cleargrad()
    gx.backward()  # an ordinary backward of the first derivative: floats again
    H = hessian(rosen)(*point)
    expected = grad(grad(along_x))(point[0]).data
    assert x.grad == pytest.approx(expected, rel=1e-12, abs=1e-12)
    assert x.grad == pytest.approx(H[0][0].data, rel=1e-12, abs=1e-12)
    assert y.grad == pytest.approx(H[0][1].data, rel=1e-12, abs=1e-12)
    assert z.grad == pytest.approx(H[0][2].data, rel=1e-12, abs=1e-12)


def test_ordinary_backward_keeps_float_grads_and_create_graph_accumulates_on_leaves() -> None:
    x = Value(3.0)
    y = x * x
    y.backward()
    assert type(x.grad) is float and x.grad == 6.0  # exactly as before
    y.backward(create_graph=True)  # a leaf's gradient accumulates: 6 + 6
    assert isinstance(x.grad, Value) and x.grad.data == 12.0
    x.cleargrad()
    assert x.grad == 0.0
    y.backward(create_graph=True)
    assert isinstance(y.grad, Value) and y.grad.data == 1.0
    gx = x.grad
    x.cleargrad()
    gx.backward()  # d(2x)/dx, as a float
    assert type(x.grad) is float and x.grad == 2.0
    with pytest.raises(micrograd_kr.GraphError):
        with no_grad():
            z = x * x
        z.backward(create_graph=True)


BOOK_ITERATES = [
    2.0,
    1.4545454545454546,
    1.1510467893775467,
    1.0253259289766978,
    1.0009084519430513,
    1.0000012353089454,
    1.000000000002289,
    1.0,
]


def test_dezero_newton_method_with_create_graph_gives_the_books_iterates() -> None:
    def f(x: Any) -> Any:
        return x**4 - 2 * x**2

    # written as in 밑바닥부터 시작하는 딥러닝 3 (step 33)
    x = Value(2.0)
    seen = []
    for _ in range(8):
        seen.append(x.data)
        y = f(x)
        x.cleargrad()
        y.backward(create_graph=True)
        gx = x.grad
        x.cleargrad()
        gx.backward(create_graph=True)
        gx2 = x.grad
        x.data -= gx.data / gx2.data
    assert x.data == 1.0
    assert seen == BOOK_ITERATES

    # the same with grad(grad(f)), and by hand: x - f'(x)/f''(x), f' = 4x^3 - 4x, f'' = 12x^2 - 4
    z = 2.0
    by_grad = []
    for _ in range(8):
        by_grad.append(z)
        z = z - grad(f)(z).data / grad(grad(f))(z).data
    assert by_grad == seen
    h = 2.0
    for expected in BOOK_ITERATES:
        assert h == pytest.approx(expected, rel=1e-15)
        h = h - (4 * h**3 - 4 * h) / (12 * h**2 - 4)


def test_newton_with_an_ordinary_backward_of_the_gradient() -> None:
    x = Value(2.0)
    for _ in range(8):
        y = x**4 - 2 * x**2
        x.cleargrad()
        y.backward(create_graph=True)
        gx = x.grad
        x.cleargrad()
        gx.backward()  # float .grad: PyTorch's way
        x.data -= gx.data / x.grad
    assert x.data == 1.0


# --- conventions: kinks, domains, refused tangents ----------------------------------------


@pytest.mark.parametrize(
    ("f", "point", "tangents"),
    [
        (lambda x: x.relu(), [0.0], [1.0]),
        (lambda x: abs(x), [0.0], [1.0]),
        (lambda x: x.leaky_relu(0.2), [0.0], [1.0]),
        (lambda x, y: x.maximum(y), [1.0, 1.0], [1.0, 0.0]),
        (lambda x, y: micrograd_kr.maximum(x, y, x * 1.0), [1.0, 1.0], [1.0, 0.0]),
        (lambda x, y: x.minimum(y), [2.0, 2.0], [0.0, 1.0]),
        (lambda x: x**0.0, [0.0], [1.0]),
    ],
)
def test_kinks_follow_backwards_conventions(
    f: Callable[..., Any], point: list[float], tangents: list[float]
) -> None:
    xs = [Value(p) for p in point]
    f(*xs).backward()
    by_backward = sum(x.grad * t for x, t in zip(xs, tangents))
    _, tangent = jvp(f, point, tangents)
    assert tangent.data == by_backward


def _message(action: Callable[[], Any]) -> str:
    with pytest.raises(DomainError) as info:
        action()
    return str(info.value)


@pytest.mark.parametrize(
    ("f", "x"),
    [
        (lambda v: v.log(), -1.0),
        (lambda v: v.sqrt(), -4.0),
        (lambda v: 1.0 / (v - 2.0), 2.0),
        (lambda v: v.exp(), 800.0),
        (lambda v: v.sqrt(), 0.0),  # the value exists, its derivative does not
        (lambda v: (v - 1.0) ** 0.5, 1.0),
    ],
)
def test_domain_errors_are_backwards_domain_errors(f: Callable[..., Any], x: float) -> None:
    def reverse() -> None:
        f(Value(x)).backward()

    assert _message(lambda: jvp(f, [x], [1.0])) == _message(reverse)


def test_an_input_that_does_not_move_runs_no_rule() -> None:
    # d/dy of sqrt(y) does not exist at 0, but along (1, 0) only x moves
    out, tangent = jvp(lambda x, y: x * y.sqrt() + x, [3.0, 0.0], [1.0, 0.0])
    assert (out.data, tangent.data) == (3.0, 1.0)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, 10**400])
def test_non_finite_tangents_are_refused(bad: float) -> None:
    with pytest.raises(DomainError, match=r"tangents\[1\]"):
        jvp(lambda x, y: x * y, [1.0, 2.0], [1.0, bad])


def test_a_tangent_that_overflows_is_refused_with_the_operation() -> None:
    with pytest.raises(DomainError, match=r"tangent of mul\(1\.0, 10\.0\) overflowed to inf"):
        jvp(lambda x: x * 10.0, [1.0], [1e308])


def test_bad_arguments_are_clear_errors() -> None:
    with pytest.raises(TypeError, match="primals must be a list"):
        jvp(lambda x: x, 1.0, [1.0])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="differ in length: 2 and 1"):
        jvp(lambda x, y: x, [1.0, 2.0], [1.0])
    with pytest.raises(TypeError, match=r"tangents\[0\] must be a number or a Value"):
        jvp(lambda x: x, [1.0], ["1"])
    with pytest.raises(TypeError, match="output 1 is a str"):
        jvp(lambda x: [x, "no"], [1.0], [1.0])
    with pytest.raises(ValueError, match="mode must be 'rev' or 'fwd'"):
        jacobian(lambda x: x, mode="forward")
    with pytest.raises(ValueError, match="needs at least one argument"):
        jacfwd(lambda: Value(1.0))()
    _, vjp_fn = vjp(lambda x, y: [x * y, x + y], 1.0, 2.0)
    with pytest.raises(ValueError, match=r"one cotangent per output \(2\), got 3"):
        vjp_fn([1.0, 2.0, 3.0])


def test_a_dual_has_no_graph_to_run_backward_on() -> None:
    def f(x: Any) -> Any:
        y = x * x
        assert isinstance(y, Dual) and y.is_leaf
        y.backward()

    with pytest.raises(DomainError, match="no graph"):
        jvp(f, [2.0], [1.0])


def test_english_only_mode_for_forward_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROGRAD_KR_LANG", "en")
    with pytest.raises(DomainError) as info:
        jvp(lambda x: x * 10.0, [1.0], [1e308])
    assert "overflowed to inf" in str(info.value)
    assert not any("\uac00" <= ch <= "\ud7a3" for ch in str(info.value))


# --- what f may use --------------------------------------------------------------------------


def test_jvp_runs_nn_modules_and_functional_and_agrees_with_reverse_mode() -> None:
    model = nn.MLP(3, [4, 4, 2], seed=3)

    def f(a: Any, b: Any, c: Any) -> Any:
        logits = model([a, b, c])
        return functional.cross_entropy(logits, 1) + functional.softmax([a, b, c])[0]

    point, v = [0.3, -0.2, 0.5], [1.0, -2.0, 0.5]
    out, tangent = jvp(f, point, v)
    row = jacrev(f)(*point)[0]
    assert out.data == pytest.approx(f(*point).data, rel=1e-12)
    assert tangent.data == pytest.approx(sum(r.data * d for r, d in zip(row, v)), rel=1e-12)


def test_jvp_with_numbers_keeps_no_graph() -> None:
    model = nn.MLP(2, [3, 1], seed=0)
    out, tangent = jvp(lambda a, b: model([a, b]).tanh() * 2.0, [0.1, 0.2], [1.0, 0.0])
    assert out.is_leaf and tangent.is_leaf  # plain numbers: nothing recorded behind them

    kept: list[weakref.ReferenceType[Value]] = []

    def f(x: Any) -> Any:
        y = x * 1.5
        kept.append(weakref.ref(y))
        for _ in range(10):
            y = (y * 0.5).sin()
        return y

    jvp(f, [0.3], [1.0])
    assert kept[0]() is None  # the first intermediate number was freed


def _forward_loop(x: Any, steps: int) -> Any:
    for _ in range(steps):
        x = (x * 0.999).sin() + 0.001
    return x


def test_forward_mode_memory_stays_flat_over_a_100_000_step_loop() -> None:
    steps = 100_000
    tracemalloc.start()
    try:
        out, tangent = jvp(lambda x: _forward_loop(x, steps), [0.5], [1.0])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # the graph of the same loop holds 3 nodes per step (over 100 bytes each): tens of MB
    assert peak < 1_000_000, peak
    # the tangent is the product of the local derivatives, computed by hand with floats
    x, t = 0.5, 1.0
    for _ in range(steps):
        y, t = x * 0.999, 0.999 * t
        x, t = math.sin(y) + 0.001, math.cos(y) * t
    assert (out.data, tangent.data) == pytest.approx((x, t), rel=1e-12)


def test_define_op_rows_and_reused_values() -> None:
    out, tangent = jvp(lambda x: softsign(x) * softsign(x) + smooth_norm(x, x), [0.5], [1.0])
    s, ds = 0.5 / 1.5, 1 / 1.5**2
    n, dn = math.sqrt(1.5), 2 * 0.5 / math.sqrt(1.5)
    assert out.data == pytest.approx(s * s + n, rel=1e-14)
    assert tangent.data == pytest.approx(2 * s * ds + dn, rel=1e-14)


def test_no_grad_outside_is_ignored_and_inside_makes_a_constant_as_in_grad() -> None:
    with no_grad():
        _, tangent = jvp(lambda x: x * x, [3.0], [1.0])
    assert tangent.data == 6.0

    def f(x: Any) -> Any:
        with no_grad():
            c = x * x
        return c + x

    assert jvp(f, [3.0], [1.0])[1].data == grad(f)(3.0).data == 1.0


# --- composition -----------------------------------------------------------------------------


def test_forward_over_reverse_with_a_closed_over_tangent() -> None:
    # d/dy [d/dx sin(x y)] at x = 2, y = 3: cos(xy) - xy sin(xy)
    out, tangent = jvp(lambda y: grad(lambda x: (x * y).sin())(2.0), [3.0], [1.0])
    assert out.data == pytest.approx(3.0 * math.cos(6.0), rel=1e-14)
    assert tangent.data == pytest.approx(math.cos(6.0) - 6.0 * math.sin(6.0), rel=1e-14)


def test_reverse_over_forward_and_forward_over_forward() -> None:
    def f(x: Any, y: Any) -> Any:
        return (x * y).sin() + x**3

    H = [[h.data for h in row] for row in hessian(f)(0.5, 0.7)]
    # grad of a jvp: the tangent is a Value with a graph when the primals are Values
    d2 = grad(lambda x: jvp(f, [x, 0.7], [1.0, 0.0])[1])(0.5)
    assert d2.data == pytest.approx(H[0][0], rel=1e-14)
    nested = jacfwd(lambda x, y: jacfwd(f)(x, y)[0])(0.5, 0.7)
    assert [e.data for row in nested for e in row] == pytest.approx([*H[0], *H[1]], rel=1e-14)
    # jacfwd's entries differentiate again
    d3 = grad(lambda x: jacfwd(f)(x, 0.7)[0][0])(0.5)
    assert d3.data == pytest.approx(H[0][0], rel=1e-14)


def test_vjp_is_the_cotangent_times_the_jacobian_and_differentiates_again() -> None:
    def f(x: Any, y: Any) -> Any:
        return [x * y, (x + y).exp(), x.tanh() * y]

    out, vjp_fn = vjp(f, 0.3, 0.7)
    assert [o.data for o in out] == pytest.approx([0.21, math.e, math.tanh(0.3) * 0.7])
    c = [1.0, -2.0, 0.5]
    gx, gy = vjp_fn(c)
    # by hand: J = [[y, x], [e^(x+y), e^(x+y)], [y sech^2 x, tanh x]]
    sech2 = 1 - math.tanh(0.3) ** 2
    assert gx.data == pytest.approx(0.7 - 2 * math.e + 0.5 * 0.7 * sech2, rel=1e-14)
    assert gy.data == pytest.approx(0.3 - 2 * math.e + 0.5 * math.tanh(0.3), rel=1e-14)
    # a second call reuses the graph; results are Values with a graph
    out1, vjp1 = vjp(lambda x: x**3, 2.0)
    assert out1.data == 8.0 and vjp1(1.0)[0].data == 12.0 and vjp1(2.0)[0].data == 24.0
    d2 = grad(lambda x: vjp(lambda z: z**3, x)[1](1.0)[0])(2.0)
    assert d2.data == 12.0  # d/dx 3x^2


def test_jacobians_of_a_layer_both_ways() -> None:
    layer = nn.Layer(3, 2, seed=5, activation="tanh")

    def f(a: Any, b: Any, c: Any) -> Any:
        return layer([a, b, c])

    # by hand: d tanh(w·x + b)/dx_j = (1 - out^2) w_j
    outs = f(0.1, -0.4, 0.2)
    expected = [
        [(1 - o.data**2) * w.data for w in neuron.w] for o, neuron in zip(outs, layer.neurons)
    ]
    for mode in ("fwd", "rev"):
        J = jacobian(f, mode=mode)(0.1, -0.4, 0.2)
        assert [e.data for row in J for e in row] == pytest.approx(
            [*expected[0], *expected[1]], rel=1e-14
        )


# --- the forward sweep of a recorded graph, one record per node ----------------------------


def test_forward_sweep_records_value_tangent_and_each_edges_product() -> None:
    x = Value(0.5, label="x")
    a = x * x
    y = a + x.sin()
    steps = forward_sweep(y, {x: 1.0})
    assert all(isinstance(s, SweepStep) for s in steps)
    by_node = {s.node: s for s in steps}
    assert [s.node for s in steps].index(x) == 0  # inputs first
    assert by_node[x] == SweepStep(x, 0.5, 1.0, ())
    # a = x*x: two edges from x, each local derivative x = 0.5 times the tangent 1
    assert by_node[a].terms == (Term(x, 0.5, 1.0, 0.5), Term(x, 0.5, 1.0, 0.5))
    assert by_node[a].tangent == 1.0
    s = y._prev[1]
    assert by_node[s].terms == (Term(x, math.cos(0.5), 1.0, math.cos(0.5)),)
    assert by_node[y].tangent == pytest.approx(2 * 0.5 + math.cos(0.5), rel=1e-15)
    # a constant input: its rule is not run
    z = x * 3.0
    (step,) = [s for s in forward_sweep(z, {x: 2.0}) if s.node is z]
    assert step.terms[1].local is None and step.terms[1].product == 0.0
    assert step.tangent == 6.0
    # the sweep agrees with jvp and changes no gradient
    assert by_node[y].tangent == jvp(lambda v: v * v + v.sin(), [0.5], [1.0])[1].data
    assert x.grad == 0.0


def test_the_readme_examples_of_forward_mode_and_create_graph_run() -> None:
    import re
    import textwrap
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## 고차 미분과 컴파일", 1)[1].split("\n## ", 1)[0]
    blocks = [textwrap.dedent(b) for b in re.findall(r"```python\n(.*?)```", section, re.S)]
    assert len(blocks) == 2
    scope: dict[str, Any] = {}
    for block in blocks:
        exec(compile(block, "README", "exec"), scope)
    assert scope["tangent"].data == 3.0
    assert [[e.data for e in row] for row in scope["J"]] == [[4.0, 3.0], [1.0, 1.0]]
    assert scope["x"].data == 1.0
