"""No silent wrong gradients (issue 11): grad mode, constants, per-input rules, n-ary max,
compile that checks itself. Expected numbers come from closed forms and PyTorch."""

from __future__ import annotations

import math
import threading

import numpy as np
import pytest

from micrograd_kr import (
    DomainError,
    GraphError,
    Parameter,
    TraceError,
    Value,
    compile,
    grad,
    is_grad_enabled,
    maximum,
    nn,
    no_grad,
)
from micrograd_kr.engine import apply_op, enable_grad
from micrograd_kr.expr import ExprError, backward, parse_expression
from micrograd_kr.functional import cross_entropy, log_softmax, logsumexp, maxout, softmax

# --- grad mode -----------------------------------------------------------------------------


def _x_squared_grad() -> float:
    x = Value(3.0)
    (x * x).backward()
    return float(x.grad)


def test_one_no_grad_object_entered_twice_restores_grad_mode() -> None:
    ng = no_grad()
    with ng:
        with ng:
            assert not is_grad_enabled()
        assert not is_grad_enabled()
    assert is_grad_enabled()
    assert _x_squared_grad() == 6.0


def test_no_grad_decorator_on_a_recursive_function_restores_grad_mode() -> None:
    @no_grad()
    def depth(n: int) -> int:
        assert not is_grad_enabled()
        return 0 if n == 0 else 1 + depth(n - 1)

    assert depth(5) == 5
    assert is_grad_enabled()
    assert _x_squared_grad() == 6.0


def test_enable_grad_inside_no_grad_nests_and_restores() -> None:
    eg = enable_grad()
    with no_grad(), eg:
        assert is_grad_enabled()
        with no_grad():
            with eg:
                assert is_grad_enabled()
            assert not is_grad_enabled()
    assert is_grad_enabled()


def test_grad_mode_is_per_thread() -> None:
    inside, done = threading.Event(), threading.Event()

    def other_thread() -> None:
        with no_grad():
            inside.set()
            done.wait(10)

    t = threading.Thread(target=other_thread)
    t.start()
    try:
        assert inside.wait(10)
        # the other thread is inside no_grad() right now; this thread still records
        assert is_grad_enabled()
        assert _x_squared_grad() == 6.0
    finally:
        done.set()
        t.join()


def test_one_no_grad_object_shared_by_two_asyncio_tasks() -> None:
    # grad mode is per context, so each task has its own; one shared object entered by two
    # interleaved tasks used to raise "Token was created in a different Context"
    import asyncio

    shared = no_grad()

    async def task(inside: float, after: float) -> tuple[bool, bool, float]:
        with shared:
            await asyncio.sleep(inside)
            off = not is_grad_enabled()
        await asyncio.sleep(after)
        return off, is_grad_enabled(), _x_squared_grad()

    async def both() -> list[tuple[bool, bool, float]]:
        return list(await asyncio.gather(task(0.01, 0.03), task(0.02, 0.0)))

    assert asyncio.run(both()) == [(True, True, 6.0), (True, True, 6.0)]
    assert is_grad_enabled()


def test_backward_of_a_value_computed_in_no_grad_is_an_error() -> None:
    x = Value(2.0)
    with no_grad():
        y = x * x
    with pytest.raises(GraphError) as info:
        y.backward()
    message = str(info.value)
    assert message.startswith("이 값은 no_grad()")  # Korean first
    assert "without a graph" in message
    assert x.grad == 0.0


@pytest.mark.parametrize("kind", ["Neuron", "Layer", "MLP"])
def test_backward_of_a_model_output_computed_in_no_grad_is_an_error(kind: str) -> None:
    model = {
        "Neuron": lambda: nn.Neuron(2, seed=0),
        "Layer": lambda: nn.Layer(2, 1, seed=0),
        "MLP": lambda: nn.MLP(2, [3, 1], seed=0),
    }[kind]()
    with no_grad():
        out = model([0.5, -1.0])
    out = out[0] if isinstance(out, list) else out
    with pytest.raises(GraphError):
        out.backward()


# --- constants and per-input rules ------------------------------------------------------------


def test_a_constant_base_does_not_break_the_exponents_gradient() -> None:
    # d/dx 0^x = 0 for x > 0 (PyTorch: 0); the constant base's own rule is infinite there
    x = Value(0.5)
    (0.0**x).backward()
    assert x.grad == 0.0


def test_a_tiny_constant_divisor_does_not_overflow_the_numerators_gradient() -> None:
    # d/dx x / c = 1/c = 1e100; the divisor's gradient (-x/c^2) would overflow, but it is a constant
    x = Value(1e200)
    (x / 1e-100).backward()
    assert x.grad == pytest.approx(1e100, rel=1e-15)


def test_x_to_the_zero_has_zero_gradient_even_for_tiny_x() -> None:
    x = Value(1e-310)
    (x**0).backward()
    assert x.grad == 0.0


def test_negative_base_with_a_differentiated_exponent_is_a_domain_error() -> None:
    x = Value(3.0)
    y = (-2.0) ** x
    assert y.data == -8.0
    with pytest.raises(DomainError) as info:
        y.backward()
    assert "exponent" in str(info.value) and "pow" in str(info.value)


def test_negative_base_with_a_constant_exponent_is_fine() -> None:
    x = Value(-2.0)
    (x**3).backward()
    assert x.grad == 12.0  # 3 x^2


def test_rules_are_not_evaluated_for_constants() -> None:
    from micrograd_kr import ops

    calls: list[int] = []

    def da(m: object, out: float, a: float, b: float) -> float:
        calls.append(0)
        return b

    def db(m: object, out: float, a: float, b: float) -> float:
        calls.append(1)
        return a

    row = ops.Op("mul_spy", "*", lambda m, a, b: a * b, (da, db))
    from micrograd_kr.engine import _apply

    x = Value(3.0)
    _apply(row, x, 2.0).backward()
    assert calls == [0] and x.grad == 2.0


# --- n-ary max ---------------------------------------------------------------------------------


def test_three_way_tie_gets_a_third_each() -> None:
    a, b, c = Value(1.5), Value(1.5), Value(1.5)
    maxout([a, b, c]).backward()
    assert (a.grad, b.grad, c.grad) == pytest.approx((1 / 3, 1 / 3, 1 / 3), abs=1e-15)
    a, b, c = Value(1.0), Value(2.0), Value(2.0)
    maximum(a, b, c).backward()
    assert (a.grad, b.grad, c.grad) == (0.0, 0.5, 0.5)


def test_maxout_neuron_ties_agree_with_torch() -> None:
    torch = pytest.importorskip("torch")
    neuron = nn.Neuron(2, activation="maxout", maxout_k=3, seed=0)
    for w in neuron.ws:  # three identical pieces: a three-way tie
        w[0].data, w[1].data = 0.5, -0.25
    for b in neuron.bs:
        b.data = 0.125
    out = neuron([1.0, 2.0])
    out.backward()
    module = neuron.to_torch()
    x = torch.tensor([[1.0, 2.0]], dtype=torch.float64)
    module = module.double()
    y = module(x).sum()
    y.backward()
    torch_grads = [p.grad.flatten().tolist() for p in module.parameters()]
    flat_torch = [g for grads in torch_grads for g in grads]
    ours = [p.grad for p in neuron.parameters()]
    assert sorted(ours) == pytest.approx(sorted(flat_torch), abs=1e-12)
    assert neuron.bs[0].grad == pytest.approx(1 / 3)


def test_maxout_no_grad_path_uses_the_same_max() -> None:
    neuron = nn.Neuron(2, activation="maxout", maxout_k=3, seed=1)
    with_graph = neuron([0.3, -0.7]).data
    with no_grad():
        without = neuron([0.3, -0.7]).data
    assert with_graph == without


# --- the four interpreters share one interface ----------------------------------------------


def test_value_math_and_gradients_live_in_autodiff() -> None:
    from micrograd_kr import autodiff, engine
    from micrograd_kr.compiler import SYM, NumpyMath
    from micrograd_kr.ops import FLOAT, Math

    assert not hasattr(engine, "ValueMath") and not hasattr(engine, "gradients")
    names = [name for name in vars(Math) if not name.startswith("_")]
    for m in (FLOAT, autodiff.VALUE_MATH, SYM, NumpyMath(np)):
        for name in names:
            assert callable(getattr(m, name)), (m, name)


# --- compile ---------------------------------------------------------------------------------


def test_comparing_values_in_another_thread_during_a_trace_is_fine() -> None:
    tracing_now, compared = threading.Event(), threading.Event()
    seen: list[object] = []

    def other_thread() -> None:
        assert tracing_now.wait(10)
        try:
            seen.append(Value(1.0) < Value(2.0))
        except Exception as exc:
            seen.append(exc)
        compared.set()

    def f(x: Value) -> Value:
        tracing_now.set()
        assert compared.wait(10)
        return x * 2

    t = threading.Thread(target=other_thread)
    t.start()
    compile(f, [1.0])
    t.join()
    assert seen == [True]
    # in the traced function itself a comparison is still refused
    with pytest.raises(TraceError):
        compile(lambda x: x * 2 if x > 0 else x * 3, [1.0])


def test_a_branch_on_data_is_caught_by_the_self_check() -> None:
    c = compile(lambda x: x * 2 if x.data > 0 else x * 3, [1.0])
    with pytest.raises(TraceError) as info:
        c(-1.0)
    assert "-2.0" in str(info.value) and "-3.0" in str(info.value)


def test_a_number_read_from_data_is_caught_at_compile_time() -> None:
    # x * x.data: the traced x.data becomes the constant 1.0; near the example it differs
    with pytest.raises(TraceError):
        compile(lambda x: x * x.data, [1.0])


def test_a_batch_is_self_checked_on_its_samples() -> None:
    c = compile(lambda x: x * 2 if x.data > 0 else x * 3, [1.0])
    with pytest.raises(TraceError):
        c(np.array([1.0, 2.0, -1.0]))


def test_compile_self_check_passes_for_honest_functions() -> None:
    c = compile(lambda x, y: (x * y).relu() + abs(x - y), [0.5, 2.0])
    out, (dx, dy) = c(-1.5, 0.25)
    assert out == pytest.approx(1.75)  # relu(-0.375) + |-1.75|
    assert (dx, dy) == (-1.0, 1.0)


def _softplus(t: float) -> float:
    # log(1 + e^t), written so that it cannot overflow
    return max(t, 0.0) + math.log1p(math.exp(-abs(t)))


def _sigmoid(t: float) -> float:
    return 1.0 / (1.0 + math.exp(-t)) if t >= 0 else math.exp(t) / (1.0 + math.exp(t))


def _ce_closed_form(a: float, b: float) -> float:
    # -log softmax([a, b])[0] = log(1 + e^(b - a))
    return _softplus(b - a)


@pytest.mark.parametrize("point", [(-1000.0, -1000.0), (-740.0, -741.0), (800.0, 0.0)])
def test_compiled_cross_entropy_shifts_per_sample(point: tuple[float, float]) -> None:
    c = compile(lambda a, b: cross_entropy([a, b], 0), [0.0, 0.0])
    out, (da, db) = c(*point)
    assert out == pytest.approx(_ce_closed_form(*point), rel=1e-12, abs=1e-300)
    p1 = _sigmoid(point[1] - point[0])  # softmax_1
    assert (da, db) == pytest.approx((-p1, p1), abs=1e-15)
    eager = cross_entropy([Value(point[0]), Value(point[1])], 0)
    assert eager.data == pytest.approx(out, rel=1e-12)


def test_compiled_cross_entropy_batch_with_large_logits() -> None:
    c = compile(lambda a, b: cross_entropy([a, b], 0), [0.0, 0.0])
    a = np.array([-1000.0, -740.0, 800.0, 0.0])
    b = np.array([-1000.0, -741.0, 0.0, 800.0])
    out, _ = c(a, b)
    want = [_ce_closed_form(x, y) for x, y in zip(a, b)]
    assert out.tolist() == pytest.approx(want, rel=1e-12)


def test_compiled_softmax_family_matches_eager_far_from_the_example() -> None:
    c1 = compile(lambda a, b: logsumexp([a, b]), [0.0, 0.0])
    c2 = compile(lambda a, b: softmax([a, b])[0], [0.0, 0.0])
    c3 = compile(lambda a, b: log_softmax([a, b])[1], [0.0, 0.0])
    for a, b in [(1000.0, 999.0), (-800.0, 3.0)]:
        assert c1(a, b)[0] == pytest.approx(a + _softplus(b - a))
        assert c2(a, b)[0] == pytest.approx(_sigmoid(a - b), abs=1e-300)
        assert c3(a, b)[0] == pytest.approx(-_softplus(a - b))


def _kinky(x: Value) -> Value:
    return x.relu() * x + abs(x) * x + maximum(x, 0.5 * x) * x + x.leaky_relu(0.1) * x


def _kinky_second(x: float) -> float:
    # d²/dx² of relu(x)x + |x|x + max(x, x/2)x + lrelu(x)x, by hand, away from 0
    if x > 0:
        return 2 + 2 + 2 + 2
    return 0 - 2 + 1 + 0.2


@pytest.mark.parametrize("example", [1.0, -1.0])
def test_compile_grad_equals_grad_grad_on_both_sides_of_kinks(example: float) -> None:
    g = grad(_kinky)
    c = compile(g, [example])
    for x in (-2.0, -0.5, 0.5, 2.0):
        d1, (d2,) = c(x)
        assert d1 == pytest.approx(g(x).data, rel=1e-12)
        assert d2 == pytest.approx(grad(g)(x).data, rel=1e-12)
        assert d2 == pytest.approx(_kinky_second(x), rel=1e-12)
    xs = np.array([-2.0, -0.5, 0.5, 2.0])
    _, (d2s,) = c(xs)
    assert d2s.tolist() == pytest.approx([_kinky_second(x) for x in xs], rel=1e-12)


def test_compile_grad_of_pow_with_a_variable_exponent() -> None:
    f = lambda x, y: x**y
    c = compile(grad(f, argnums=1), [2.0, 3.0])
    out, (dx, dy) = c(3.0, 2.0)
    assert out == pytest.approx(9.0 * math.log(3.0))  # d/dy x^y
    assert dy == pytest.approx(9.0 * math.log(3.0) ** 2)
    assert dx == pytest.approx(3.0 * 2.0 * math.log(3.0) + 3.0)  # d/dx x^y log x


def test_numpy_scalar_constants_compile() -> None:
    w = Parameter(1.0)
    w.data -= np.float64(0.1) * 2.0  # an optimizer step with a NumPy learning rate
    assert isinstance(w.data, np.float64)
    c = compile(lambda x: x * w, [3.0], params=[])
    out, (dx,) = c(2.0)
    assert out == pytest.approx(1.6) and dx == pytest.approx(0.8)


# --- smaller silent errors -------------------------------------------------------------------


def test_grad_refuses_the_same_argument_twice() -> None:
    with pytest.raises(ValueError, match="twice"):
        grad(lambda x: x * x, argnums=(0, 0))(3.0)
    with pytest.raises(ValueError, match="twice"):
        grad(lambda x, y: x * y, argnums=(1, -1))(3.0, 2.0)


@pytest.mark.parametrize("label", [3, None, ("a",), b"x"])
def test_a_non_string_label_is_refused(label: object) -> None:
    with pytest.raises(TypeError, match="label"):
        Value(1.0, label=label)  # type: ignore[arg-type]


def test_expr_domain_error_in_backward_names_the_failing_column() -> None:
    source = "0*sqrt(x) + sqrt(y)"
    expr = parse_expression(source)
    columns: dict[Value, int] = {}
    out = expr.evaluate({"x": Value(0.0), "y": Value(0.0)}, columns)
    with pytest.raises(ExprError) as info:
        backward(out, columns)
    assert info.value.column == source.index("sqrt(y)") + 1 == 13


def test_domain_error_carries_the_node() -> None:
    x = Value(0.0)
    y = x.sqrt()
    with pytest.raises(DomainError) as info:
        (y * 2).backward()
    assert info.value.node is y


def test_new_rows_have_their_own_tests() -> None:
    # where, gt, lt, max: values and derivatives by hand
    c, a, b = Value(1.0), Value(2.0), Value(3.0)
    out = apply_op("where", c, a, b)
    out.backward()
    assert out.data == 2.0 and (c.grad, a.grad, b.grad) == (0.0, 1.0, 0.0)
    c, a, b = Value(-1.0), Value(2.0), Value(3.0)
    out = apply_op("where", c, a, b)
    out.backward()
    assert out.data == 3.0 and (a.grad, b.grad) == (0.0, 1.0)
    x, y = Value(1.0), Value(2.0)
    assert apply_op("gt", x, y).data == 0.0 and apply_op("lt", x, y).data == 1.0
    z = apply_op("gt", y, x) * x
    z.backward()
    assert (x.grad, y.grad) == (1.0, 0.0)
    m = apply_op("max", Value(-1.0), Value(4.0), Value(2.5))
    assert m.data == 4.0


def test_no_grad_without_parentheses_says_how_to_write_it() -> None:
    # @no_grad (as torch.no_grad may be written) used to raise "__init__() takes 1 positional
    # argument but 2 were given"
    with pytest.raises(TypeError, match=r"@no_grad\(\)"):

        @no_grad  # type: ignore[arg-type]
        def f() -> None:
            pass
