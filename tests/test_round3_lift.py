"""Round 3 of the lifted compiler (issue 20): repeated operations and heavily used values.

1. Two distinct nodes with the same operation on the same inputs (``x.tanh() + x.tanh()``, and
   every derivative graph of ``x * x``) must each keep their own column: the lifted program
   equals the closed form, the eager engine and the scalar program on every path (a number,
   a batch with ``reduce="sum"``/``"mean"``, ``params=``, ``step()``).
2. One value used by thousands of operations compiles (no RecursionError) into lines of
   bounded length, like the scalar compiler.

Expected numbers come from closed forms (derivatives by hand) or from the eager engine.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from micrograd_kr import Parameter, Value
from micrograd_kr.autodiff import grad
from micrograd_kr.compiler import compile

np = pytest.importorskip("numpy")

REL = 1e-9
POINTS = [0.5, -1.25, 0.0, 1.5, -0.3]


def close(got: Any, want: Any, what: str) -> None:
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    bad = np.abs(got - want) > REL * np.maximum(np.abs(want), 1.0)
    assert not bad.any(), f"{what}: {got} != {want}"


def _th(x: float) -> float:
    return 1.0 - math.tanh(x) ** 2


Real = Callable[[float], float]

# name: (f, f', f'') with f' and f'' derived by hand
GRAPHS: dict[str, tuple[Callable[[Any], Any], Real, Real]] = {
    "tanh(x) + tanh(x)": (
        lambda x: x.tanh() + x.tanh(),
        lambda x: 2.0 * _th(x),
        lambda x: -4.0 * math.tanh(x) * _th(x),
    ),
    "x * x": (lambda x: x * x, lambda x: 2.0 * x, lambda x: 2.0),
    "tanh(x * x)": (
        lambda x: (x * x).tanh(),
        lambda x: 2.0 * x * _th(x * x),
        lambda x: 2.0 * _th(x * x) - 8.0 * x * x * math.tanh(x * x) * _th(x * x),
    ),
    "sin(x) * cos(x)": (
        lambda x: x.sin() * x.cos(),
        lambda x: math.cos(2.0 * x),
        lambda x: -2.0 * math.sin(2.0 * x),
    ),
    "exp(-x*x)": (
        lambda x: (-(x * x)).exp(),
        lambda x: -2.0 * x * math.exp(-x * x),
        lambda x: (4.0 * x * x - 2.0) * math.exp(-x * x),
    ),
    "exp(-x**2)": (
        lambda x: (-(x**2)).exp(),
        lambda x: -2.0 * x * math.exp(-x * x),
        lambda x: (4.0 * x * x - 2.0) * math.exp(-x * x),
    ),
}


def closed_forms(name: str, order: int) -> tuple[Callable[..., Any], Real, Real]:
    """The function to compile (f, or grad(f) for order 1), its value and its derivative."""
    f, d1, d2 = GRAPHS[name]
    if order == 0:
        return f, lambda x: float(f(Value(x)).data), d1
    return grad(f), d1, d2


@pytest.mark.parametrize("order", [0, 1], ids=["f", "grad(f)"])
@pytest.mark.parametrize("name", list(GRAPHS))
def test_repeated_operations_numbers_and_batches(name: str, order: int) -> None:
    fn, value, slope = closed_forms(name, order)
    lifted = compile(fn, [0.5], lift=True)
    scalar = compile(fn, [0.5])
    for x in POINTS:  # the first call is the self-checked one; the others are not
        out, grads = lifted(x)
        close(out, value(x), f"{name} at {x}")
        close(grads, [slope(x)], f"d/dx {name} at {x}")
        close([out, *grads], [*scalar(x)[:1], *scalar(x)[1]], f"{name} vs scalar program")
    xs = np.array(POINTS)
    values = np.array([value(x) for x in POINTS])
    slopes = np.array([slope(x) for x in POINTS])
    for reduce, scale in (("sum", 1.0), ("mean", 1.0 / len(POINTS))):
        total, (gx,) = lifted(xs, reduce=reduce)
        close(total, values.sum() * scale, f"{name}, reduce={reduce}")
        close(gx, slopes * scale, f"{name}, reduce={reduce}: per-sample slopes")
        loss, flat, _ = lifted.step(xs[:, None], reduce=reduce)
        close(loss, values.sum() * scale, f"{name}, step(reduce={reduce})")
        assert len(flat) == 0
    out, grads = lifted(0.5, params=[])
    close([out, *grads], [value(0.5), slope(0.5)], f"{name} with params=[]")


def test_tanh_twice_is_two_columns() -> None:
    # the group of two tanh nodes was one column wide and read as two: col(V1, 1) failed
    lifted = compile(lambda x: x.tanh() + x.tanh(), [0.5], lift=True)
    out, (g,) = lifted(0.25)
    close([out, g], [2.0 * math.tanh(0.25), 2.0 * _th(0.25)], "tanh(x) + tanh(x)")


def test_repeated_operations_with_a_parameter_params_and_step() -> None:
    # x * w twice (a group of parameters, fine) and tanh of x twice (the repeated group)
    w = Parameter(0.7)

    def f(x: Value) -> Value:
        return (x.tanh() + x.tanh()) * w + (x * x) * (x * x) * w

    def closed(x: float, wv: float) -> tuple[float, float, float]:
        t = math.tanh(x)
        out = (2.0 * t + x**4) * wv
        return out, (2.0 * _th(x) + 4.0 * x**3) * wv, 2.0 * t + x**4

    lifted = compile(f, [0.5], params=[w], lift=True)
    lifted(0.5)
    for wv in (0.7, -1.3, 2.0):
        for x in POINTS:
            out, grads = lifted(x, params=[wv])
            close([out, *grads], closed(x, wv), f"params=[{wv}] at x={x}")
        X = np.array(POINTS)[:, None]
        want = np.array([closed(x, wv) for x in POINTS])
        loss, flat, _ = lifted.step(X, np.array([wv]), reduce="sum")
        close([loss, *flat], [want[:, 0].sum(), want[:, 2].sum()], f"step, w={wv}")
        loss, flat, _ = lifted.step(X, np.array([wv]), reduce="mean")
        close([loss, *flat], [want[:, 0].mean(), want[:, 2].mean()], f"step mean, w={wv}")


def test_grad_of_repeated_operations_with_a_parameter() -> None:
    # d/dx of w * x * x = 2 w x, whose gradient wrt w is 2x and wrt x is 2w
    w = Parameter(1.5)
    lifted = compile(grad(lambda x: w * x * x), [0.5], params=[w], lift=True)
    for x in POINTS:
        out, grads = lifted(x, params=[-0.5])
        close([out, *grads], [2.0 * -0.5 * x, 2.0 * -0.5, 2.0 * x], f"grad at {x}")
    loss, flat, _ = lifted.step(np.array(POINTS)[:, None], np.array([-0.5]), reduce="sum")
    close([loss, *flat], [-sum(POINTS), 2.0 * sum(POINTS)], "grad through step")


def test_a_layer_fed_by_repeated_operations() -> None:
    # a layer reading [tanh(x), tanh(x), sum(sin(x), sin(x))]: the block of repeated nodes
    # feeds a matrix product and a row sum
    from micrograd_kr import nn
    from micrograd_kr.engine import apply_op

    model = nn.MLP(3, [4, 1], seed=3)
    params = model.parameters()

    def f(x: Value) -> Value:
        s = apply_op("sum", x.sin(), x.sin())
        return model([x.tanh(), x.tanh(), s])  # type: ignore[return-value]

    lifted = compile(f, [0.5], params=params, lift=True)
    rows, outs, gin, gpar = POINTS, [], [], []
    for x in rows:
        for p in params:
            p.grad = 0.0
        xv = Value(x)
        out = f(xv)
        out.backward()
        outs.append(out.data)
        gin.append(xv.grad)
        gpar.append([p.grad for p in params])
    P = np.array([p.data for p in params])
    for k, x in enumerate(rows):
        out, grads = lifted(x, params=list(P))
        close([out, *grads], [outs[k], gin[k], *gpar[k]], f"sample {x}")
    loss, flat, _ = lifted.step(np.array(rows)[:, None], P, reduce="mean")
    close([loss, *flat], [np.mean(outs), *np.mean(gpar, axis=0)], "step(mean)")
    total, grads = lifted(np.array(rows), reduce="sum")
    close([total, *grads[1:]], [np.sum(outs), *np.sum(gpar, axis=0)], "reduce=sum")
    close(grads[0], gin, "input gradients")


# --- random expression graphs with repeated subexpressions --------------------------------------

UNARY = ("tanh", "sin", "cos", "sigmoid", "neg", "square", "wmul")
BINARY = ("add", "sub", "mul")
BOUNDED = ("tanh", "sin", "cos", "sigmoid")  # outputs in [-1, 1]


@st.composite
def programs(draw: st.DrawFn) -> tuple[int, list[tuple[str, int, int]], list[int]]:
    """Steps (op, i, j) over a pool that starts with the inputs; some steps repeat an earlier
    one exactly (a distinct node with the same operation on the same inputs), some reuse a
    value twice (x * x). Products only of values in [-1, 1], so nothing overflows."""
    nin = draw(st.integers(1, 3))
    bounded = [True] * nin
    steps: list[tuple[str, int, int]] = []
    for _ in range(draw(st.integers(1, 10))):
        if steps and draw(st.booleans()):
            step = draw(st.sampled_from(steps))  # the very same operation again
        else:
            op = draw(st.sampled_from(UNARY + BINARY))
            n = len(bounded)
            i = draw(st.integers(0, n - 1))
            j = draw(st.one_of(st.just(i), st.integers(0, n - 1)))
            if op in ("mul", "square", "wmul") and not (bounded[i] and bounded[j]):
                op = "tanh"
            step = (op, i, j)
        op, i, j = step
        steps.append(step)
        bounded.append(op in BOUNDED or (op in ("mul", "square", "wmul", "neg") and bounded[i]))
    n = len(bounded)
    outputs = draw(st.lists(st.integers(nin, n - 1), min_size=1, max_size=4))
    return nin, steps, outputs


def replay(
    steps: Sequence[tuple[str, int, int]], outputs: Sequence[int], w: Value
) -> Callable[..., Value]:
    def f(*xs: Value) -> Value:
        pool: list[Value] = list(xs)
        for op, i, j in steps:
            a, b = pool[i], pool[j]
            if op == "neg":
                pool.append(-a)
            elif op == "square":
                pool.append(a * a)
            elif op == "wmul":
                pool.append(w * a)
            elif op == "add":
                pool.append(a + b)
            elif op == "sub":
                pool.append(a - b)
            elif op == "mul":
                pool.append(a * b)
            else:
                pool.append(getattr(a, op)())
        out = pool[outputs[0]]
        for k in outputs[1:]:
            out = out + pool[k]
        return out

    return f


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(program=programs(), data=st.data())
def test_random_graphs_with_repeated_subexpressions(
    program: tuple[int, list[tuple[str, int, int]], list[int]], data: st.DataObject
) -> None:
    nin, steps, outputs = program
    w = Parameter(0.8)
    f = replay(steps, outputs, w)
    n = data.draw(st.integers(1, 5))
    entry = st.floats(-1.0, 1.0, allow_nan=False).map(lambda v: round(v, 3))
    rows = [[data.draw(entry) for _ in range(nin)] for _ in range(n)]
    wv = data.draw(st.sampled_from([0.8, -0.6]))
    # the eager engine, sample by sample, at w = wv
    outs, gin, gw = [], [], []
    for row in rows:
        w.data, w.grad = wv, 0.0
        xs = [Value(x) for x in row]
        out = f(*xs)
        out.backward()
        outs.append(out.data)
        gin.append([x.grad for x in xs])
        gw.append(w.grad)
    w.data = 0.8
    lifted = compile(f, rows[0], params=[w], lift=True)
    columns = [np.array([r[j] for r in rows]) for j in range(nin)]
    outs_a, gin_a, gw_a = np.array(outs), np.array(gin), np.array(gw)
    for reduce, scale in (("sum", 1.0), ("mean", 1.0 / n)):
        total, grads = lifted(*columns, params=[wv], reduce=reduce)
        close(total, outs_a.sum() * scale, f"output, reduce={reduce}")
        for j in range(nin):
            close(grads[j], gin_a[:, j] * scale, f"input {j} gradients, reduce={reduce}")
        close(grads[nin:], [gw_a.sum() * scale], f"parameter gradient, reduce={reduce}")
        loss, flat, _ = lifted.step(np.array(rows), np.array([wv]), reduce=reduce)
        close([loss, *flat], [outs_a.sum() * scale, gw_a.sum() * scale], f"step({reduce})")
    for k, row in enumerate(rows[:2]):
        out, grads = lifted(*row, params=[wv])
        close([out, *grads], [outs[k], *gin[k], gw[k]], f"sample {k}")


# --- one value used by thousands of operations --------------------------------------------------

LINE_LIMIT = 300  # characters, comment included


def _sum_of_sines(n: int) -> tuple[list[float], Callable[..., Value]]:
    cs = [0.001 * (k + 1) for k in range(n)]

    def f(x: Value) -> Value:
        return sum(((c * x).sin() for c in cs), Value(0.0))

    return cs, f


@pytest.mark.parametrize("n", [3000, 10000])
def test_one_value_used_thousands_of_times(n: int) -> None:
    cs, f = _sum_of_sines(n)
    lifted = compile(f, [0.5], lift=True)
    assert max(len(line) for line in lifted.source.splitlines()) <= LINE_LIMIT
    for x in (0.5, -1.7):
        want = math.fsum(math.sin(c * x) for c in cs)
        slope = math.fsum(c * math.cos(c * x) for c in cs)
        out, (g,) = lifted(x)
        close([out, g], [want, slope], f"sum of {n} sines at {x}")
    xs = np.array([0.5, -1.7, 2.0])
    total, (gx,) = lifted(xs, reduce="sum")
    close(total, sum(math.fsum(math.sin(c * x) for c in cs) for x in xs), "batch sum")
    close(gx, [math.fsum(c * math.cos(c * x) for c in cs) for x in xs], "batch slopes")


def test_a_column_of_a_block_used_thousands_of_times() -> None:
    # x is column 0 of the input block X: its 3000 gradient terms are summed on their own lines
    _, g = _sum_of_sines(3000)

    def f(x: Value, y: Value) -> Value:
        return g(x) * y

    lifted = compile(f, [0.5, 2.0], lift=True)
    assert max(len(line) for line in lifted.source.splitlines()) <= LINE_LIMIT
    x, y = Value(0.5), Value(-1.5)
    out = f(x, y)
    out.backward()
    got, grads = lifted(0.5, -1.5)
    close([got, *grads], [out.data, x.grad, y.grad], "sum of sines times y")
    total, (gx, gy) = lifted([0.5, 0.5], [-1.5, -1.5], reduce="mean")
    close([total, *gx, *gy], [out.data, x.grad / 2, x.grad / 2, y.grad / 2, y.grad / 2], "mean")


def test_a_long_sum_in_the_forward_pass_stays_on_bounded_lines() -> None:
    # one sum node over 3000 terms: forward is split like the gradient
    from micrograd_kr.engine import apply_op

    cs = [0.001 * (k + 1) for k in range(3000)]

    def f(x: Value) -> Value:
        return apply_op("sum", *[(c * x).tanh() for c in cs])

    lifted = compile(f, [0.5], lift=True)
    assert max(len(line) for line in lifted.source.splitlines()) <= LINE_LIMIT
    out, (g,) = lifted(0.3)
    want = math.fsum(math.tanh(c * 0.3) for c in cs)
    close([out, g], [want, math.fsum(c * _th(c * 0.3) for c in cs)], "sum of tanh")


def test_a_long_chain_compiles_lifted() -> None:
    depth = 6000

    def f(x: Value) -> Value:
        for _ in range(depth):
            x = (x * 0.999).sin() + 0.001
        return x

    lifted = compile(f, [0.5], lift=True)
    assert max(len(line) for line in lifted.source.splitlines()) <= LINE_LIMIT
    x = Value(0.25)
    out = f(x)
    out.backward()
    got, (g,) = lifted(0.25)
    close([got, g], [out.data, x.grad], "chain of 6000")


def test_a_wide_block_of_columns_is_wrapped_over_bounded_lines() -> None:
    # 500 inputs each used once: the gradient of the block of their sines is a stack of 500
    # columns, written over several lines inside its parentheses
    n = 500

    def f(*xs: Value) -> Value:
        return sum((x.sin() for x in xs), xs[0] * 0.0)

    lifted = compile(f, [0.1] * n, lift=True)
    assert max(len(line) for line in lifted.source.splitlines()) <= LINE_LIMIT
    xs = [0.01 * k - 2.0 for k in range(n)]
    out, grads = lifted(*xs)
    close(out, math.fsum(math.sin(x) for x in xs), "sum of 500 sines")
    close(grads, [math.cos(x) for x in xs], "their slopes")
