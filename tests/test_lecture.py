"""Following the micrograd lecture with micrograd_kr (issue 14, items 1-4 and 7).

The code below is what a learner types while watching the lecture: operations built by hand
with ``Value(data, children, op)`` and a ``_backward`` closure, manual backprop node by node,
a graph walk that prints ``str(id(n)) + n._op``, optimizer state on parameters, and a
learner-defined primitive. Expected numbers are derived by hand (closed forms) or by PyTorch.
"""

from __future__ import annotations

import math

import pytest

from micrograd_kr import (
    GraphError,
    Parameter,
    Value,
    animate_backward,
    compile,
    define_op,
    draw_dot,
    grad,
    gradcheck,
    hessian,
)

# --- the lecture's neuron: o = tanh(x1 w1 + x2 w2 + b) ------------------------------------------

B = 6.8813735870195432  # chosen in the lecture so that n = 0.8813..., tanh(n) = 1/sqrt(2)

# by hand: do/dn = 1 - o^2 = 1/2, then each input gets (the other factor) * 1/2
EXPECTED = {"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0, "b": 0.5}


def hand_add(a: Value, b: Value) -> Value:
    out = Value(a.data + b.data, (a, b), "+")

    def _backward() -> None:
        a.grad += 1.0 * out.grad
        b.grad += 1.0 * out.grad

    out._backward = _backward  # type: ignore[method-assign]
    return out


def hand_mul(a: Value, b: Value) -> Value:
    out = Value(a.data * b.data, _children=(a, b), _op="*")

    def _backward() -> None:
        a.grad += b.data * out.grad
        b.grad += a.data * out.grad

    out._backward = _backward  # type: ignore[method-assign]
    return out


def hand_tanh(x: Value) -> Value:
    t = (math.exp(2 * x.data) - 1) / (math.exp(2 * x.data) + 1)
    out = Value(t, (x,), "tanh")

    def _backward() -> None:
        x.grad += (1 - t**2) * out.grad

    out._backward = _backward  # type: ignore[method-assign]
    return out


def leaves() -> dict[str, Value]:
    return {
        "x1": Value(2.0, label="x1"),
        "x2": Value(0.0, label="x2"),
        "w1": Value(-3.0, label="w1"),
        "w2": Value(1.0, label="w2"),
        "b": Value(B, label="b"),
    }


def grads(vs: dict[str, Value]) -> dict[str, float]:
    return {k: pytest.approx(v.grad, abs=1e-12) for k, v in vs.items()}


def test_hand_made_ops_with_backward_closures() -> None:
    vs = leaves()
    x1w1 = hand_mul(vs["x1"], vs["w1"])
    x2w2 = hand_mul(vs["x2"], vs["w2"])
    n = hand_add(hand_add(x1w1, x2w2), vs["b"])
    o = hand_tanh(n)
    assert o.data == pytest.approx(1 / math.sqrt(2), abs=1e-12)
    assert o._prev == (n,) and o._op == "tanh"
    o.backward()
    assert grads(vs) == EXPECTED


def test_manual_backprop_node_by_node_with_hand_made_ops() -> None:
    vs = leaves()
    x1w1 = hand_mul(vs["x1"], vs["w1"])
    x2w2 = hand_mul(vs["x2"], vs["w2"])
    s = hand_add(x1w1, x2w2)
    n = hand_add(s, vs["b"])
    o = hand_tanh(n)
    o.grad = 1.0
    for node in (o, n, s, x2w2, x1w1):  # outputs before inputs, as in the lecture
        node._backward()
    assert n.grad == pytest.approx(0.5) and s.grad == pytest.approx(0.5)
    assert grads(vs) == EXPECTED


def test_manual_backprop_node_by_node_with_library_ops() -> None:
    vs = leaves()
    x1w1 = vs["x1"] * vs["w1"]
    x2w2 = vs["x2"] * vs["w2"]
    s = x1w1 + x2w2
    n = s + vs["b"]
    o = n.tanh()
    o.grad = 1.0
    for node in (o, n, s, x2w2, x1w1, vs["x1"]):  # a leaf's _backward does nothing
        node._backward()
    assert grads(vs) == EXPECTED
    # and the library's backward() gives the same numbers
    vs2 = leaves()
    ((vs2["x1"] * vs2["w1"] + vs2["x2"] * vs2["w2"]) + vs2["b"]).tanh().backward()
    assert grads(vs2) == EXPECTED


def test_hand_made_and_library_nodes_mix() -> None:
    a, b = Value(3.0), Value(-2.0)
    c = hand_mul(a, b) + a  # a library node on top of a hand-made one
    d = hand_tanh(c * 0.1)
    d.backward()
    t = math.tanh(-0.3)
    # d = tanh(0.1 (a b + a)):  dd/da = (1 - t^2) 0.1 (b + 1),  dd/db = (1 - t^2) 0.1 a
    assert a.grad == pytest.approx((1 - t * t) * 0.1 * (-2.0 + 1.0))
    assert b.grad == pytest.approx((1 - t * t) * 0.1 * 3.0)


def test_a_node_without_backward_is_a_clear_error() -> None:
    a = Value(2.0)
    out = Value(5.0, _children=(a,), _op="x")
    with pytest.raises(GraphError) as info:
        out.backward()
    message = str(info.value)
    assert "_backward" in message and "'x'" in message and "5" in message
    assert out._prev == (a,)  # the children were recorded, not turned into a label


def test_constructor_arguments_are_checked() -> None:
    a = Value(1.0)
    with pytest.raises(TypeError, match="label"):
        Value(1.0, "x")  # type: ignore[arg-type]  # a label given in the children's place
    with pytest.raises(TypeError, match="Value"):
        Value(1.0, (a, 2.0))  # type: ignore[arg-type]
    v = Value(1.0, (), "", "leaf")
    assert v.label == "leaf" and v._op == "" and v._prev == ()


# --- micrograd-style graph walking ----------------------------------------------------------


def trace(root: Value) -> tuple[set[Value], set[tuple[Value, Value]]]:
    nodes, edges = set(), set()

    def build(v: Value) -> None:
        if v not in nodes:
            nodes.add(v)
            for child in v._prev:
                edges.add((child, v))
                build(child)

    build(root)
    return nodes, edges


def lecture_dot(root: Value) -> list[str]:
    """The lines of a draw_dot as the lecture writes it (without the graphviz package)."""
    nodes, edges = trace(root)
    lines = []
    for n in nodes:
        uid = str(id(n))
        lines.append(f"{uid} [label={n.label} | {n.data:.4f} | {n.grad:.4f}]")
        if n._op:
            lines.append(f"{uid + n._op} [label={n._op}]")
            lines.append(f"{uid + n._op} -> {uid}")
    for n1, n2 in edges:
        lines.append(f"{id(n1)} -> {str(id(n2)) + n2._op}")
    return lines


def test_op_symbols_read_as_micrograd_spells_them() -> None:
    x = Value(-2.0)
    spelled = {
        "+": x + 1,
        "*": x * 2,
        "**2": x**2,
        "**-1": x**-1,
        "tanh": x.tanh(),
        "exp": x.exp(),
        "ReLU": x.relu(),
    }
    for symbol, node in spelled.items():
        assert node._op == symbol
    assert x._op == ""


def test_a_lecture_draw_dot_runs_on_library_graphs() -> None:
    vs = leaves()
    o = ((vs["x1"] * vs["w1"] + vs["x2"] * vs["w2"]) + vs["b"]).tanh()
    o.backward()
    lines = lecture_dot(o)
    ops = sorted(line.split("label=")[1].rstrip("]") for line in lines if "[label=" in line)
    assert ops.count("+") == 2 and ops.count("*") == 2 and ops.count("tanh") == 1
    assert sum("->" in line for line in lines) == 5 + 9  # op -> node, and input -> op


# --- optimizer state on parameters -----------------------------------------------------------


def test_parameters_take_optimizer_state_and_values_stay_slotted() -> None:
    p = Parameter(0.5, label="w")
    p.m = 0.0  # type: ignore[attr-defined]
    p.v = 0.0  # type: ignore[attr-defined]
    assert (p.m, p.v) == (0.0, 0.0)  # type: ignore[attr-defined]
    v = Value(1.0)
    assert not hasattr(v, "__dict__")
    with pytest.raises(AttributeError):
        v.m = 0.0  # type: ignore[attr-defined]
    assert not hasattr(v * v, "__dict__")


def test_an_adamw_keeping_its_state_on_parameters_matches_torch() -> None:
    torch = pytest.importorskip("torch")
    lr, beta1, beta2, eps, wd = 0.1, 0.9, 0.95, 1e-8, 0.1
    ps = [Parameter(1.5), Parameter(-0.5)]
    for p in ps:
        p.m = 0.0  # type: ignore[attr-defined]
        p.v = 0.0  # type: ignore[attr-defined]
    tp = torch.tensor([1.5, -0.5], dtype=torch.float64, requires_grad=True)
    topt = torch.optim.AdamW([tp], lr=lr, betas=(beta1, beta2), eps=eps, weight_decay=wd)
    for t in range(1, 4):
        loss = (ps[0] * ps[1] - 1.0) ** 2 + ps[0] ** 2
        for p in ps:
            p.grad = 0.0
        loss.backward()
        for p in ps:  # the update written with state on the parameter itself
            p.m = beta1 * p.m + (1 - beta1) * p.grad  # type: ignore[attr-defined]
            p.v = beta2 * p.v + (1 - beta2) * p.grad**2  # type: ignore[attr-defined]
            m_hat = p.m / (1 - beta1**t)  # type: ignore[attr-defined]
            v_hat = p.v / (1 - beta2**t)  # type: ignore[attr-defined]
            p.data -= lr * (m_hat / (v_hat**0.5 + eps) + wd * p.data)
        topt.zero_grad()
        tl = (tp[0] * tp[1] - 1.0) ** 2 + tp[0] ** 2
        tl.backward()
        topt.step()
    assert [p.data for p in ps] == pytest.approx(tp.detach().tolist(), rel=1e-12)


# --- define_op: a learner's own primitive -----------------------------------------------------

softsign = define_op(
    "softsign",
    lambda m, x: x / (1.0 + m.abs(x)),
    [lambda m, out, x: 1.0 / (1.0 + m.abs(x)) ** 2],
)


def softsign_d1(x: float) -> float:
    return 1.0 / (1.0 + abs(x)) ** 2


def softsign_d2(x: float) -> float:
    # d/dx (1 + |x|)^-2 = -2 sign(x) / (1 + |x|)^3
    return -2.0 * math.copysign(1.0, x) / (1.0 + abs(x)) ** 3


@pytest.mark.parametrize("x", [-2.5, -0.3, 0.7, 4.0])
def test_softsign_value_gradient_and_gradcheck(x: float) -> None:
    v = Value(x)
    y = softsign(v)
    assert y.data == pytest.approx(x / (1 + abs(x)))
    assert y._op == "softsign" and y.op == "softsign"
    y.backward()
    assert v.grad == pytest.approx(softsign_d1(x))
    gradcheck(lambda a: softsign(a) * a, [x])


@pytest.mark.parametrize("x", [-2.5, -0.3, 0.7, 4.0])
def test_softsign_differentiated_twice(x: float) -> None:
    assert grad(softsign)(x).data == pytest.approx(softsign_d1(x))
    assert grad(grad(softsign))(x).data == pytest.approx(softsign_d2(x))
    assert hessian(lambda a: softsign(a))(x)[0][0].data == pytest.approx(softsign_d2(x))


def test_softsign_second_derivative_matches_torch() -> None:
    torch = pytest.importorskip("torch")
    xs = [-2.5, -0.3, 0.7, 4.0]
    t = torch.tensor(xs, dtype=torch.float64, requires_grad=True)
    (d1,) = torch.autograd.grad(torch.nn.functional.softsign(t).sum(), t, create_graph=True)
    (d2,) = torch.autograd.grad(d1.sum(), t)
    for i, x in enumerate(xs):
        assert grad(softsign)(x).data == pytest.approx(d1[i].item(), rel=1e-12)
        assert grad(grad(softsign))(x).data == pytest.approx(d2[i].item(), rel=1e-12)


def test_softsign_compiles_for_floats_and_batches() -> None:
    np = pytest.importorskip("numpy")
    c = compile(lambda a: softsign(a) * 3.0, [0.5])
    assert "softsign" in c.source  # the op's name is in the generated comments
    out, (d,) = c(-2.0)
    assert out == pytest.approx(-2.0) and d == pytest.approx(3.0 * softsign_d1(-2.0))
    xs = np.array([-2.5, 0.7])
    _, (ds,) = c(xs)
    assert ds.tolist() == pytest.approx([3.0 * softsign_d1(x) for x in xs])
    c2 = compile(grad(softsign), [1.0])
    _, (d2,) = c2(-0.3)
    assert d2 == pytest.approx(softsign_d2(-0.3))


def test_softsign_is_drawn_and_animated() -> None:
    x = Value(0.5, label="x")
    y = softsign(x * 2.0)
    y.label = "y"
    y.backward()
    source = draw_dot(y).source
    assert "softsign" in source
    page = animate_backward(y).html
    assert "softsign" in page


def test_define_op_checks_its_arguments() -> None:
    with pytest.raises(ValueError, match="identifier"):
        define_op("soft sign", lambda m, x: x, [lambda m, out, x: 1.0])
    with pytest.raises(ValueError, match="built-in"):
        define_op("tanh", lambda m, x: x, [lambda m, out, x: 1.0])
    with pytest.raises(TypeError, match="derivative"):
        define_op("no_rules", lambda m, x: x, [])
    with pytest.raises(TypeError, match="must take 2 arguments"):
        define_op("two_in", lambda m, x, y: x * y, [lambda m, out, x: 1.0])
    with pytest.raises(TypeError, match="1 input"):
        softsign(Value(1.0), Value(2.0))
    # defining a learner's op again (a re-run notebook cell) replaces it
    twice = define_op("twice", lambda m, x: 2.0 * x, [lambda m, out, x: 2.0])
    twice = define_op("twice", lambda m, x: 3.0 * x, [lambda m, out, x: 3.0])
    assert twice(Value(1.0)).data == 3.0


def test_hand_made_nodes_are_refused_by_grad_and_compile_with_a_clear_error() -> None:
    def triple(x: Value) -> Value:
        out = Value(x.data * 3, (x,), "x3")
        out._backward = lambda: None  # type: ignore[method-assign]
        return out

    with pytest.raises(GraphError, match="define_op"):
        grad(triple)(1.0)
    with pytest.raises(GraphError, match="define_op"):
        compile(triple, [1.0])


def test_repr_shows_the_full_float_as_micrograd_and_python_do() -> None:
    # micrograd prints f"Value(data={self.data}, grad={self.grad})": Python's shortest
    # round-tripping float, never a rounded one
    v = Value(0.8958441028683222)
    assert repr(v) == "Value(data=0.8958441028683222, grad=0.0)"
    w = Value(1e-310, label="작은")
    w.grad = 2.5e300
    assert repr(w) == "Value(data=1e-310, grad=2.5e+300, label='작은')"
    assert float(repr(v).split("data=")[1].split(",")[0]) == 0.8958441028683222


# --- define_op written with math.* or returning the wrong thing (review) ----------------------

# sin written with math.*: right for floats, but math.cos(x) turns a Value into a float, so the
# derivative rule run on Values would lose its own derivative (a silent 0 in grad(grad(f)))
math_sin = define_op("math_sin", lambda m, x: math.sin(x), [lambda m, out, x: math.cos(x)])


def test_define_op_written_with_math_still_gives_first_derivatives() -> None:
    x = Value(0.3)
    y = math_sin(x)
    y.backward()
    assert x.grad == pytest.approx(math.cos(0.3))
    assert grad(math_sin)(0.3).data == pytest.approx(math.cos(0.3))


def test_define_op_written_with_math_refuses_a_second_derivative_instead_of_zero() -> None:
    # the true value is -sin(0.3) = -0.2955...; before, hessian and grad(grad) returned 0.0
    with pytest.raises(TypeError, match=r"math_sin.*m\.cos"):
        hessian(lambda a: math_sin(a))(0.3)
    with pytest.raises(TypeError, match="math_sin"):
        grad(grad(math_sin))(0.3)


def test_define_op_written_with_math_is_refused_by_compile_with_a_hint() -> None:
    with pytest.raises(TypeError, match=r"math_sin.*m\."):
        compile(lambda a: math_sin(a), [0.3])


def test_define_op_needs_a_list_of_derivatives_even_for_one_input() -> None:
    with pytest.raises(TypeError, match=r"\[.*\]|list"):
        define_op("one_rule", lambda m, x: x, lambda m, out, x: 1.0)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["z", None, 1j, Value(2.0)])
def test_define_op_derivative_that_is_not_a_number_is_an_error_naming_the_op(bad: object) -> None:
    op = define_op("bad_rule", lambda m, x: x, [lambda m, out, x: bad])
    x = Value(1.0)
    y = op(x)
    with pytest.raises(TypeError, match="bad_rule"):
        y.backward()


@pytest.mark.parametrize("bad", ["z", None, 1j])
def test_define_op_forward_that_is_not_a_number_is_an_error_naming_the_op(bad: object) -> None:
    op = define_op("bad_forward", lambda m, x: bad, [lambda m, out, x: 1.0])
    with pytest.raises(TypeError, match="bad_forward"):
        op(Value(1.0))


def test_define_op_forward_that_gives_an_int_still_makes_a_float() -> None:
    floor = define_op("floor_op", lambda m, x: math.floor(x), [lambda m, out, x: 0.0])
    y = floor(Value(1.7))
    assert y.data == 1.0 and isinstance(y.data, float)
