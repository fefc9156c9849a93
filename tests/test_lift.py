"""The lifting pass: matrix code for groups of scalar nodes.

Three witnesses must agree on every graph: the eager engine (``backward()`` sample by sample),
the scalar compiled program (one line per node) and the lifted program (one line per group).
Batch gradients of the parameters are sums over the samples; they are compared with a
tolerance of 1e-12 relative to the largest sum of magnitudes of the per-sample terms (the
lifted program adds them in another order, inside matrix products, so a gradient whose terms
cancel to ~0 carries rounding on the scale of the others).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from micrograd_kr import DomainError, Parameter, Value, maximum, nn
from micrograd_kr.compiler import TraceError, compile, lift
from micrograd_kr.engine import apply_op

np = pytest.importorskip("numpy")


REL = 1e-12
KINKS = (-1.0, -0.5, 0.0, 0.5, 1.0)  # inputs that put pre-activations exactly on a kink


def eager_per_sample(
    f: Callable[..., Value], params: Sequence[Value], rows: Sequence[Sequence[float]]
) -> tuple[Any, Any, Any]:
    """Outputs (N), input gradients (N x n_in) and parameter gradients (N x n_params)."""
    outs, gin, gpar = [], [], []
    for row in rows:
        for p in params:
            p.grad = 0.0
        xs = [Value(x) for x in row]
        out = f(*xs)
        out.backward()
        outs.append(out.data)
        gin.append([x.grad for x in xs])
        gpar.append([float(p.grad) for p in params])
    return np.array(outs), np.array(gin), np.array(gpar)


def assert_sums(got: Sequence[float], per_sample: Any, what: str, slack: Any = 0.0) -> None:
    """``got`` equals the column sums of ``per_sample`` within 1e-12 of their conditioning.

    ``slack``: a difference already present in the scalar program (NumPy's exp/tanh may
    differ from the math module's in the last bit, and a rule like out * (1 - out) at a
    saturated sigmoid magnifies that); the lifted program may add no more than 1e-12 to it.
    """
    want = per_sample.sum(axis=0)
    scale = np.full(want.shape, _scale(per_sample))
    bad = np.abs(np.asarray(got) - want) > REL * scale + slack
    assert not bad.any(), (
        f"{what}: {np.asarray(got)[bad].tolist()} != {want[bad].tolist()} "
        f"(scale {scale[bad].tolist()})"
    )


def _scale(per_sample: Any) -> float:
    """The error scale of a batch sum: the largest sum of magnitudes over the components.

    Each gradient is itself a sum over paths through shared intermediate blocks, so a
    component whose terms cancel (a gradient near 0) carries rounding of the size of the
    others; 1e-12 of the largest is the yardstick for all. Its floor is 1: the weights and
    inputs here are O(1), and a gradient that is exactly 0 in every sample (terms that cancel,
    e.g. a maxout tie) may come out as a few ulps of those terms when summed in another order.
    """
    if per_sample.size == 0:
        return 1.0
    return max(float(np.abs(per_sample).sum(axis=0).max()), 1.0)


def assert_close(got: Any, want: Any, what: str, slack: Any = 0.0) -> None:
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    scale = np.maximum(np.abs(want), 1.0)
    bad = np.abs(got - want) > REL * scale + slack
    assert not bad.any(), f"{what}: {got[bad]} != {want[bad]}"


def check_all(
    f: Callable[..., Value], params: Sequence[Value], rows: Sequence[Sequence[float]]
) -> Any:
    """Lifted == scalar program == eager engine, on a batch (sum and mean) and on floats."""
    rows = [list(r) for r in rows]
    n_in = len(rows[0])
    lifted = compile(f, rows[0], params=params, lift=True)
    scalar = compile(f, rows[0], params=params)
    outs, gin, gpar = eager_per_sample(f, params, rows)
    columns = [np.array([r[j] for r in rows]) for j in range(n_in)]
    for reduce, scale in (("sum", 1.0), ("mean", 1.0 / len(rows))):
        total, grads = lifted(*columns, reduce=reduce)
        s_total, s_grads = scalar(*columns, reduce=reduce)
        # lifted == scalar program: the same elementwise NumPy functions, summed in another order
        assert_sums([total], outs[:, None] * scale, "output", abs(s_total - outs.sum() * scale))
        sums = gpar.sum(axis=0) * scale
        conditioning = _scale(gpar) * scale
        bad = np.abs(np.array(grads[n_in:]) - s_grads[n_in:]) > REL * conditioning
        assert not bad.any(), f"parameter gradients ({reduce}) differ from the scalar program"
        diff = np.abs(np.array(s_grads[n_in:]) - sums)
        assert_sums(grads[n_in:], gpar * scale, f"parameter gradients ({reduce})", diff)
        for j in range(n_in):
            sdiff = np.abs(np.asarray(s_grads[j]) - gin[:, j] * scale)
            assert_close(grads[j], gin[:, j] * scale, f"input {j} gradients", sdiff)
            assert_close(grads[j], s_grads[j], f"input {j} gradients vs scalar program")
    for k, row in enumerate(rows[:3]):
        out, grads = lifted(*row)
        s_out, s_grads = scalar(*row)
        assert isinstance(out, float)
        want = np.array([*gin[k], *gpar[k]])
        assert_close(out, outs[k], "float output", abs(s_out - outs[k]))
        assert_close(grads, want, "float gradients", np.abs(np.array(s_grads) - want))
        assert_close(grads, s_grads, "float gradients vs scalar program")
    return lifted


def numbers(kinks: bool) -> st.SearchStrategy[float]:
    if kinks:
        return st.sampled_from(KINKS)
    return st.floats(-2.0, 2.0, allow_nan=False).map(lambda x: round(x, 3))


# --- MLPs of every activation -------------------------------------------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    nin=st.integers(1, 4),
    sizes=st.lists(st.integers(1, 5), min_size=1, max_size=3),
    activation=st.sampled_from(nn.ACTIVATIONS),
    out_activation=st.sampled_from(nn.ACTIVATIONS),
    seed=st.integers(0, 1000),
    kinks=st.booleans(),
    data=st.data(),
)
def test_random_mlps_lifted_equal_scalar_and_eager(
    nin: int,
    sizes: list[int],
    activation: str,
    out_activation: str,
    seed: int,
    kinks: bool,
    data: st.DataObject,
) -> None:
    model = nn.MLP(nin, sizes, activation=activation, out_activation=out_activation, seed=seed)
    if kinks:  # weights and biases on a grid too, so w·x + b lands exactly on 0 and on ties
        rng = random.Random(seed)
        for p in model.parameters():
            p.data = rng.choice(KINKS)
    n = data.draw(st.integers(1, 6))
    rows = [[data.draw(numbers(kinks)) for _ in range(nin)] for _ in range(n)]

    def f(*xs: Value) -> Value:
        out = model(list(xs))
        outs = [out] if isinstance(out, Value) else out
        return apply_op("sum", *outs) if len(outs) > 1 else outs[0]

    check_all(f, model.parameters(), rows)


def test_kinks_on_both_sides_take_each_samples_branch() -> None:
    # relu at 0 (derivative 0), just above and below; maximum with a tie (split 0.5 / 0.5)
    w = [Parameter(1.0), Parameter(-1.0)]
    b = Parameter(0.0)

    def f(x: Value, y: Value) -> Value:
        z = apply_op("dot", w[0], w[1], x, y) + b
        return z.relu() + maximum(x, y) + abs(x - y) + z.leaky_relu(0.1)

    rows = [[0.5, 0.5], [0.5 + 1e-9, 0.5], [0.5 - 1e-9, 0.5], [-1.0, 1.0], [2.0, -3.0]]
    check_all(f, [*w, b], rows)


# --- ragged graphs and shared weights -----------------------------------------------------------

UNARY = ("relu", "tanh", "sigmoid", "leaky_relu", "elu", "softplus", "abs", "linear")


def unary(z: Value, name: str) -> Value:
    if name == "leaky_relu":
        return z.leaky_relu(0.2)
    if name == "elu":
        return z.elu(0.7)
    if name == "abs":
        return abs(z)
    if name == "linear":
        return z
    return getattr(z, name)()  # type: ignore[no-any-return]


@st.composite
def ragged_graphs(draw: st.DrawFn) -> tuple[int, list[Parameter], Callable[..., Value]]:
    """Layers of neurons with random fan-in, random activations, shared weights, extra ops."""
    nin = draw(st.integers(1, 4))
    shapes = draw(st.lists(st.integers(1, 4), min_size=1, max_size=3))
    pool: list[Parameter] = []
    plan: list[list[tuple[list[int], list[int], int, str]]] = []
    width = nin
    for k in shapes:
        layer = []
        full = draw(st.booleans())  # a regular layer (groups) or a ragged one
        act_all = draw(st.sampled_from(UNARY))
        for _ in range(k):
            picks = (
                list(range(width))
                if full
                else draw(
                    st.lists(st.integers(0, width - 1), min_size=1, max_size=width, unique=True)
                )
            )
            ws = []
            for _ in picks:
                if pool and draw(st.integers(0, 4)) == 0:  # a weight shared with another node
                    ws.append(draw(st.integers(0, len(pool) - 1)))
                else:
                    pool.append(Parameter(draw(st.sampled_from((-1.0, -0.5, 0.5, 0.25, 1.5)))))
                    ws.append(len(pool) - 1)
            pool.append(Parameter(draw(st.sampled_from(KINKS))))
            act = act_all if full else draw(st.sampled_from(UNARY))
            layer.append((picks, ws, len(pool) - 1, act))
        plan.append(layer)
        width = k
    mix = draw(st.sampled_from(("sum", "product", "max", "square")))

    def f(*xs: Value) -> Value:
        h = list(xs)
        for layer in plan:
            h = [
                unary(apply_op("dot", *[pool[i] for i in ws], *[h[j] for j in picks]) + pool[b], a)
                for picks, ws, b, a in layer
            ]
        if mix == "sum" or len(h) == 1:
            return apply_op("sum", *h) if len(h) > 1 else h[0] * 1.0
        if mix == "product":
            out = h[0]
            for v in h[1:]:
                out = out * v
            return out
        if mix == "max":
            out = h[0]
            for v in h[1:]:
                out = maximum(out, v)
            return out + h[0] * pool[0]
        return apply_op("sum", *[v * v for v in h]) + pool[-1] * h[-1]

    return nin, pool, f


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graph=ragged_graphs(), kinks=st.booleans(), data=st.data())
def test_ragged_graphs_with_shared_weights(
    graph: tuple[int, list[Parameter], Callable[..., Value]], kinks: bool, data: st.DataObject
) -> None:
    nin, params, f = graph
    n = data.draw(st.integers(1, 5))
    rows = [[data.draw(numbers(kinks)) for _ in range(nin)] for _ in range(n)]
    check_all(f, params, rows)


def test_a_weight_shared_by_two_layers_gets_both_contributions() -> None:
    # every neuron of both layers uses the same weight matrix entries (tied weights)
    W = [[Parameter(0.3 * (i - j)) for j in range(3)] for i in range(3)]
    b = [Parameter(0.1 * i) for i in range(3)]

    def layer(xs: list[Value]) -> list[Value]:
        return [(apply_op("dot", *W[i], *xs) + b[i]).tanh() for i in range(3)]

    def f(*xs: Value) -> Value:
        return apply_op("sum", *layer(layer(list(xs))))

    params = [p for row in W for p in row] + b
    c = check_all(f, params, [[0.1, -0.2, 0.3], [1.0, 0.5, -1.5], [0.0, 0.0, 0.0]])
    assert c.source.count("@ T(W") == 2  # both layers lifted, each with its own block of W


# --- the shape of the lifted program -------------------------------------------------------------


def moons_loss(model: nn.MLP) -> Callable[..., Value]:
    def f(a: Value, b: Value, t: Value) -> Value:
        return (1.0 - t * model([a, b])).relu()

    return f


def test_mlp_is_one_line_per_layer_operation_with_reduced_parameter_gradients() -> None:
    model = nn.MLP(2, [16, 16, 1], seed=0)
    c = compile(moons_loss(model), [0.5, -0.2, 1.0], params=model.parameters(), lift=True)
    code = [line.split("#")[0].strip() for line in c.source.splitlines()]
    # a layer: weights and bias in one line (the product is used only there), then relu
    assert "V2 = (cols(X, 0, 2) @ T(W1)) + b1" in code
    assert "V3 = where(V2 > 0.0, V2, 0.0)" in code
    assert "V5 = (V3 @ T(W2)) + b2" in code  # the next layer reads the block as it is
    # weight gradients are reduced over the samples inside the product, biases by sum0
    assert "gW2 = T(G5) @ V3" in code
    assert "gb2 = sum0(G5)" in code
    # about 3 forward and 4 backward lines per layer instead of one per node
    assert len(c.source.splitlines()) < 40 < len(c.scalar_source.splitlines())
    # every line names the scalar nodes it covers
    dot_line = next(line for line in c.source.splitlines() if "V2 = " in line)
    assert "# dot: v" in dot_line and "(16 nodes)" in dot_line
    # parameter gradients come back as one number per parameter, not per sample
    X = np.random.default_rng(0).normal(size=(50, 3))
    _, grads, _ = c.step(X)
    assert grads.shape == (model.num_parameters(),)


def test_large_batches_run_in_chunks_and_agree() -> None:
    model = nn.MLP(2, [32, 1], activation="tanh", seed=3)
    f = moons_loss(model)
    c = compile(f, [0.5, -0.2, 1.0], params=model.parameters(), lift=True)
    rng = np.random.default_rng(1)
    X = np.column_stack([rng.normal(size=(3000, 2)), np.sign(rng.normal(size=3000))])
    loss, grads, _ = c.step(X, reduce="sum")
    assert c._train is not None and c._train.rows < len(X)  # several chunks
    outs, _, gpar = eager_per_sample(f, model.parameters(), X.tolist())
    assert_sums([loss], outs[:, None], "loss")
    assert_sums(grads, gpar, "gradients")


def test_ungroupable_graph_still_compiles_as_scalar_lines() -> None:
    def f(x: Value, y: Value) -> Value:
        return (x * y).exp() / (1.0 + y * y) + (x - 2.0).sin()

    c = check_all(f, [], [[0.1, 0.2], [-0.3, 1.5]])
    assert "@" not in c.source
    assert "v2 = " in c.source  # scalar lines on columns, numbered as in the scalar program


def test_reduce_none_on_a_batch_uses_the_scalar_program() -> None:
    p = Parameter(2.0)
    c = compile(lambda x: x * p, [1.0], params=[p], lift=True)
    out, (_, gp) = c(np.array([1.0, 3.0]))
    assert list(out) == [2.0, 6.0] and list(gp) == [1.0, 3.0]  # d(x p)/dp = x per sample


def test_domain_errors_are_reported() -> None:
    c = compile(lambda x: x.log(), [1.0], lift=True)
    with pytest.raises(DomainError):
        c(np.array([1.0, -1.0]), reduce="sum")
    with pytest.raises(DomainError):
        c(np.array([1.0, 0.0]), reduce="sum")


def test_step_checks_the_shape_of_x() -> None:
    c = compile(lambda x, y: x * y, [1.0, 2.0], lift=True)
    with pytest.raises(ValueError, match="samples x 2"):
        c.step(np.zeros((3, 3)))


@pytest.mark.parametrize(
    "text",
    [
        "def forward_backward(X, dout):\n    return X.__class__, ()\n",
        "def forward_backward(X, dout):\n    return 'x', ()\n",
        "def forward_backward(X, dout):\n    return open, ()\n",
        "def forward_backward(X, dout):\n    return X[0], ()\n",
        "import os\n",
        "def forward_backward(X, dout):\n    return lambda: 0, ()\n",
    ],
)
def test_source_guard_refuses_anything_the_lifter_does_not_write(text: str) -> None:
    with pytest.raises(TraceError):
        lift.check_lifted_source(text)


def test_source_guard_accepts_what_the_lifter_writes() -> None:
    model = nn.MLP(3, [5, 4, 2], activation="elu", seed=1)
    c = compile(lambda *xs: apply_op("sum", *model(list(xs))), [0.1, 0.2, 0.3], lift=True)
    lift.check_lifted_source(c.source)  # would raise
    assert c.source.startswith("# generated by micrograd_kr.lift")


def test_a_lifted_program_refuses_a_closed_over_value_changed_after_compile() -> None:
    # the same rule as the scalar program: w is written into the code as 2.0, so after
    # w.data = 3.0 the sum over the batch would silently stay 2*(1+2) = 6 (eager: 9)
    w = Value(2.0, label="w")
    c = compile(lambda x: x * w, [1.0], lift=True)
    out, _ = c(np.array([1.0, 2.0]), reduce="sum")
    assert out == pytest.approx(6.0)
    w.data = 3.0
    with pytest.raises(TraceError, match=r"'w'.*params"):
        c(np.array([1.0, 2.0]), reduce="sum")
