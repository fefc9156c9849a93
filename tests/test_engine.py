"""Tests of Value, the derivative table and backward()."""

from __future__ import annotations

import dataclasses
import math
import re
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from micrograd_kr import (
    DomainError,
    GradcheckError,
    Parameter,
    Value,
    gradcheck,
    gradients,
    maximum,
    minimum,
    no_grad,
    numerical_grad,
    zero_grad,
)
from micrograd_kr.engine import _apply, apply_op, is_grad_enabled
from micrograd_kr.gradcheck import analytic_grad
from micrograd_kr.ops import _TABLE, OPS

finite = st.floats(min_value=-20, max_value=20, allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=0.05, max_value=20, allow_nan=False, allow_infinity=False)
away_from_zero = finite.filter(lambda x: abs(x) > 1e-3)


def sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


# Every op: (function of Values, input strategy, hand-derived derivative(s) at the inputs)
UNARY = {
    "neg": (lambda x: -x, finite, lambda x: -1.0),
    "exp": (lambda x: x.exp(), finite, lambda x: math.exp(x)),
    "log": (lambda x: x.log(), positive, lambda x: 1 / x),
    "log1p": (lambda x: x.log1p(), positive, lambda x: 1 / (1 + x)),
    "expm1": (lambda x: x.expm1(), finite, lambda x: math.exp(x)),
    "sqrt": (lambda x: x.sqrt(), positive, lambda x: 0.5 / math.sqrt(x)),
    "sin": (lambda x: x.sin(), finite, lambda x: math.cos(x)),
    "cos": (lambda x: x.cos(), finite, lambda x: -math.sin(x)),
    "tanh": (lambda x: x.tanh(), finite, lambda x: 1 - math.tanh(x) ** 2),
    "sigmoid": (lambda x: x.sigmoid(), finite, lambda x: sigmoid(x) * (1 - sigmoid(x))),
    "softplus": (lambda x: x.softplus(), finite, lambda x: sigmoid(x)),
    "relu": (lambda x: x.relu(), away_from_zero, lambda x: 1.0 if x > 0 else 0.0),
    "leaky_relu": (lambda x: x.leaky_relu(), away_from_zero, lambda x: 1.0 if x > 0 else 0.1),
    "leaky_relu(0.2)": (
        lambda x: x.leaky_relu(0.2),
        away_from_zero,
        lambda x: 1.0 if x > 0 else 0.2,
    ),
    "elu": (lambda x: x.elu(), away_from_zero, lambda x: 1.0 if x > 0 else math.exp(x)),
    "elu(0.5)": (
        lambda x: x.elu(0.5),
        away_from_zero,
        lambda x: 1.0 if x > 0 else 0.5 * math.exp(x),
    ),
    "abs": (lambda x: abs(x), away_from_zero, lambda x: 1.0 if x > 0 else -1.0),
    "pow2": (lambda x: x**2, finite, lambda x: 2 * x),
    "pow3": (lambda x: x**3, finite, lambda x: 3 * x * x),
    "pow-half": (lambda x: x**-0.5, positive, lambda x: -0.5 * x**-1.5),
    "rpow": (lambda x: 2**x, finite, lambda x: 2**x * math.log(2)),
    "rsub": (lambda x: 3 - x, finite, lambda x: -1.0),
    "rdiv": (lambda x: 3 / x, away_from_zero, lambda x: -3 / x**2),
}

BINARY = {
    "add": (lambda a, b: a + b, finite, finite, lambda a, b: (1.0, 1.0)),
    "sub": (lambda a, b: a - b, finite, finite, lambda a, b: (1.0, -1.0)),
    "mul": (lambda a, b: a * b, finite, finite, lambda a, b: (b, a)),
    "div": (lambda a, b: a / b, finite, away_from_zero, lambda a, b: (1 / b, -a / b**2)),
    "pow": (
        lambda a, b: a**b,
        positive,
        st.floats(-3, 3),
        lambda a, b: (b * a ** (b - 1), a**b * math.log(a)),
    ),
    "maximum": (maximum, finite, finite, lambda a, b: (1.0, 0.0) if a > b else (0.0, 1.0)),
    "minimum": (minimum, finite, finite, lambda a, b: (1.0, 0.0) if a < b else (0.0, 1.0)),
}


def close(a: float, b: float, tol: float = 1e-9) -> bool:
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_matches_central_differences(name: str) -> None:
    f, strategy, _ = UNARY[name]

    @settings(max_examples=60, deadline=None)
    @given(strategy)
    def check(x: float) -> None:
        gradcheck(f, [x], eps=1e-6, atol=1e-6, rtol=1e-4)

    check()


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_matches_hand_derived_formula(name: str) -> None:
    f, strategy, derivative = UNARY[name]
    for x in (-2.5, -0.7, 0.3, 1.0, 4.2):
        if strategy is positive and x <= 0:
            x = -x
        v = Value(x)
        f(v).backward()
        assert close(v.grad, derivative(x)), (name, x, v.grad, derivative(x))


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_matches_central_differences(name: str) -> None:
    f, sa, sb, _ = BINARY[name]

    @settings(max_examples=60, deadline=None)
    @given(sa, sb)
    def check(a: float, b: float) -> None:
        if name in ("maximum", "minimum"):
            assume(abs(a - b) > 1e-3)  # the kink
        gradcheck(f, [a, b], eps=1e-6, atol=1e-6, rtol=1e-4)

    check()


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_matches_hand_derived_formula(name: str) -> None:
    f, _, _, derivative = BINARY[name]
    for a, b in ((0.5, 1.5), (2.0, -1.25), (3.0, 0.75)):
        va, vb = Value(a), Value(b)
        f(va, vb).backward()
        da, db = derivative(a, b)
        assert close(va.grad, da) and close(vb.grad, db), (name, a, b, va.grad, vb.grad)


def test_every_op_in_the_table_is_tested() -> None:
    # the ops the tables above really run (read from the graphs they build) and the ops the
    # tests pass to apply_op by name: a new row in ops.py without a test fails here
    tested = {f(Value(0.7)).op for f, _, _ in UNARY.values()}
    tested |= {f(Value(0.7), Value(1.3)).op for f, _, _, _ in BINARY.values()}
    for name in ("test_engine.py", "test_correctness.py"):
        source = (Path(__file__).parent / name).read_text(encoding="utf-8")
        tested |= set(re.findall(r'apply_op\("(\w+)"', source))
    builtin = {op.name for op in _TABLE}
    assert builtin <= tested, builtin - tested


def test_ties_split_the_gradient_evenly() -> None:
    a, b = Value(1.5), Value(1.5)
    maximum(a, b).backward()
    assert (a.grad, b.grad) == (0.5, 0.5)
    a, b = Value(1.5), Value(1.5)
    minimum(a, b).backward()
    assert (a.grad, b.grad) == (0.5, 0.5)


def test_kinks_use_the_pytorch_convention() -> None:
    for f, expected in [
        (lambda x: x.relu(), 0.0),
        (lambda x: abs(x), 0.0),
        (lambda x: x.leaky_relu(), 0.1),
    ]:
        x = Value(0.0)
        f(x).backward()
        assert x.grad == expected


@settings(max_examples=40, deadline=None)
@given(st.lists(finite, min_size=1, max_size=6), st.data())
def test_dot_and_sum(xs: list[float], data: st.DataObject) -> None:
    ws = data.draw(st.lists(finite, min_size=len(xs), max_size=len(xs)))
    w_vals, x_vals = [Value(w) for w in ws], [Value(x) for x in xs]
    out = apply_op("dot", *w_vals, *x_vals)
    assert close(out.data, sum(w * x for w, x in zip(ws, xs)))
    out.backward()
    assert [w.grad for w in w_vals] == xs
    assert [x.grad for x in x_vals] == ws
    total = apply_op("sum", *x_vals)
    assert close(total.data, sum(xs))
    n = len(xs)
    gradcheck(lambda *v: apply_op("dot", *v[:n], *v[n:]), ws + xs, atol=1e-5)
    gradcheck(lambda *v: apply_op("sum", *v), xs)


# --- random expression trees -------------------------------------------------------------

# each transform is smooth and defined for every finite input
SAFE_UNARY = [
    lambda x: x.tanh(),
    lambda x: x.sigmoid(),
    lambda x: x.softplus(),
    lambda x: x.sin(),
    lambda x: x.cos(),
    lambda x: (x * x + 1).log(),
    lambda x: (x * x + 1).sqrt(),
    lambda x: x / (1 + x * x),
    lambda x: x.tanh().exp(),
    lambda x: -x,
    lambda x: (x * x + 0.5) ** 1.5,
]
SAFE_BINARY = [
    lambda a, b: a + b,
    lambda a, b: a - b,
    lambda a, b: a * b,
    lambda a, b: a / (1 + b * b),
    lambda a, b: (a * a + 1) ** b.tanh(),
    lambda a, b: 2.5 * a - b,
]

trees = st.recursive(
    st.sampled_from(["x", "y", "z", 0.5, -1.5]),
    lambda children: st.one_of(
        st.tuples(st.integers(0, len(SAFE_UNARY) - 1), children),
        st.tuples(st.integers(0, len(SAFE_BINARY) - 1), children, children),
    ),
    max_leaves=12,
)


def build(tree: object, env: dict[str, Value]) -> Value | float:
    if isinstance(tree, str):
        return env[tree]
    if isinstance(tree, float):
        return tree
    assert isinstance(tree, tuple)
    if len(tree) == 2:
        arg = build(tree[1], env)
        return SAFE_UNARY[tree[0]](arg if isinstance(arg, Value) else Value(arg))
    a, b = build(tree[1], env), build(tree[2], env)
    return SAFE_BINARY[tree[0]](
        a if isinstance(a, Value) else Value(a), b if isinstance(b, Value) else Value(b)
    )


@settings(max_examples=150, deadline=None)
@given(trees, st.tuples(finite, finite, finite).map(lambda t: [v / 10 for v in t]))
def test_random_expression_trees_match_central_differences(tree: object, xyz: list[float]) -> None:
    def f(x: Value, y: Value, z: Value) -> Value | float:
        return build(tree, {"x": x, "y": y, "z": z})

    try:
        with no_grad():
            f(*[Value(v) for v in xyz])
    except DomainError:
        assume(False)  # e.g. an intermediate result overflowed
    gradcheck(f, xyz, eps=1e-6, atol=1e-5, rtol=1e-3)


# --- backward bookkeeping -------------------------------------------------------------------


def test_reused_nodes() -> None:
    a = Value(3.0)
    b = a + a
    c = b + b
    c.backward()
    assert (c.data, a.grad, b.grad) == (12.0, 4.0, 2.0)


def test_reuse_in_products() -> None:
    x = Value(3.0)
    y = x * x * x  # 3x^2 = 27
    y.backward()
    assert x.grad == 27.0


def test_backward_twice_recomputes_non_leaves_and_accumulates_leaves() -> None:
    a = Value(3.0)
    b = a + a
    c = b * b
    c.backward()
    first = (a.grad, b.grad, c.grad)
    c.backward()
    assert (b.grad, c.grad) == first[1:]  # recomputed
    assert a.grad == 2 * first[0]  # accumulated
    zero_grad([a])
    c.backward()
    assert a.grad == first[0]


def test_backward_on_a_leaf_accumulates() -> None:
    x = Value(1.0)
    x.backward()
    x.backward()
    assert x.grad == 2.0


def test_million_node_chain() -> None:
    x = Value(0.5)
    y = x
    for _ in range(1_000_000):
        y = -y  # one node per step
    y.backward()
    assert x.grad == 1.0
    assert y.data == 0.5


def test_no_grad_records_nothing() -> None:
    x = Value(2.0)
    with no_grad():
        assert not is_grad_enabled()
        y = x * 3 + 1
    assert is_grad_enabled()
    assert y.data == 7.0 and y.is_leaf and y.op == ""
    z = x * 3
    assert z._prev and z.op == "mul"


def test_no_grad_restores_after_errors_and_works_as_decorator() -> None:
    with pytest.raises(DomainError), no_grad():
        Value(-1.0).log()
    assert is_grad_enabled()

    @no_grad()
    def infer(v: Value) -> Value:
        return v * 2

    assert infer(Value(1.0)).is_leaf and is_grad_enabled()


# --- the Value contract ---------------------------------------------------------------------


def test_basic_attributes() -> None:
    x = Value(2, label="가중치")
    assert x.data == 2.0 and isinstance(x.data, float)
    assert x.grad == 0.0 and x.label == "가중치" and x.op == ""
    assert float(x) == 2.0
    assert "2" in repr(x) and "가중치" in repr(x)
    y = x * 3
    assert y.op == "mul" and y.label == ""


def test_numbers_on_either_side() -> None:
    x = Value(2.0)
    assert [(x + 1).data, (1 + x).data, (x - 1).data, (1 - x).data] == [3.0, 3.0, 1.0, -1.0]
    assert [(x * 3).data, (3 * x).data, (x / 4).data, (4 / x).data] == [6.0, 6.0, 0.5, 2.0]
    assert [(x**3).data, (3**x).data, (x ** Value(2.0)).data, (-x).data] == [8, 9, 4, -2]
    assert abs(Value(-2.5)).data == 2.5


def test_comparisons_and_identity() -> None:
    a, b = Value(1.0), Value(2.0)
    assert a < b and a <= b and b > a and b >= a and a < 1.5 and 3 > a  # noqa: SIM300
    c = Value(1.0)
    assert a != c and a == a  # equality is identity
    assert len({a, c}) == 2


def test_numpy_scalars_are_accepted() -> None:
    np = pytest.importorskip("numpy")
    assert Value(np.float32(1.5)).data == 1.5
    assert Value(np.int64(3)).data == 3.0


@pytest.mark.parametrize("bad", ["abc", None, 1 + 2j, [1], {"a": 1}, (1,)])
def test_non_numbers_raise_type_error_naming_the_type(bad: object) -> None:
    with pytest.raises(TypeError, match=type(bad).__name__):
        Value(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=type(bad).__name__):
        Value(1.0) + bad  # type: ignore[operator]


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_numbers_are_refused(bad: float) -> None:
    with pytest.raises(DomainError, match="finite"):
        Value(bad)


@pytest.mark.parametrize(
    ("make", "op", "value"),
    [
        (lambda: Value(0.0).log(), "log", "0.0"),
        (lambda: Value(-1.0).log(), "log", "-1.0"),
        (lambda: Value(-1.0).sqrt(), "sqrt", "-1.0"),
        (lambda: Value(-8.0) ** 0.5, "pow", "-8.0"),
        (lambda: Value(3.0) / 0, "div", "0"),
        (lambda: 1 / Value(0.0), "div", "0.0"),
        (lambda: Value(1000.0).exp(), "exp", "1000.0"),
        (lambda: Value(0.0) ** -1, "pow", "0.0"),
        (lambda: Value(10.0) ** 400, "pow", "400"),
        (lambda: Value(1e200) * 1e200, "mul", "1e+200"),
    ],
)
def test_domain_errors_name_the_operation_and_value(make: object, op: str, value: str) -> None:
    with pytest.raises(DomainError) as info:
        make()  # type: ignore[operator]
    message = str(info.value)
    assert message.startswith(op) and value in message
    assert "math domain error" not in message


def test_stable_functions_at_extremes() -> None:
    for x in (1000.0, -1000.0, 745.0, -745.0):
        for name in ("tanh", "sigmoid", "softplus"):
            v = Value(x)
            y = getattr(v, name)()
            y.backward()
            assert math.isfinite(y.data) and math.isfinite(v.grad), (name, x)
    assert Value(1000.0).sigmoid().data == 1.0
    assert Value(1000.0).softplus().data == 1000.0
    assert Value(-1000.0).tanh().data == -1.0
    assert Value(-1000.0).elu().data == -1.0


def test_undefined_derivative_is_a_clear_error() -> None:
    x = Value(0.0)
    y = x.sqrt()  # sqrt(0) = 0 is fine, its slope is infinite
    with pytest.raises(DomainError, match=r"sqrt.*derivative.*infinite"):
        y.backward()


def test_python_float_errors_are_reworded() -> None:
    with pytest.raises(DomainError, match=r"pow\(10.0, 400.0\): .*too large for a float"):
        Value(10.0) ** 400.0


def test_gradient_overflow_is_a_clear_error() -> None:
    x = Value(1e-200)
    y = 1 / x  # 1e200 is fine, but dy/dx = -1e400 overflows a float
    with pytest.raises(DomainError, match="gradient of a leaf overflowed"):
        y.backward()


def test_negative_base_with_integer_power_is_fine() -> None:
    x = Value(-2.0)
    y = x**3
    y.backward()
    assert y.data == -8.0 and x.grad == 12.0


def test_zero_power_has_zero_gradient_even_at_zero() -> None:
    # x**0 is the constant 1, so its derivative is 0 everywhere, x = 0 included (as in
    # PyTorch); the formula b * x**(b - 1) would divide by zero there. Polynomial features
    # [x**k for k in range(n)] at x = 0 hit this.
    for base in (0.0, 1e-300, -2.0, 3.0):
        x = Value(base)
        y = x**0
        y.backward()
        assert y.data == 1.0 and x.grad == 0.0


def test_parameter_is_a_value() -> None:
    w = Parameter(0.5, label="w")
    assert isinstance(w, Value) and (w * 2).data == 1.0


# --- gradcheck itself -----------------------------------------------------------------------


def test_gradcheck_works_inside_no_grad() -> None:
    with no_grad():
        assert gradcheck(lambda x: x * x, [2.0])
        assert analytic_grad(lambda x: x * x, [2.0]) == [4.0]


def test_gradcheck_catches_a_wrong_derivative() -> None:
    wrong_tanh = dataclasses.replace(OPS["tanh"], derivatives=(lambda m, out, x: 1.0 - out,))

    def f(a: Value, b: Value) -> Value:
        return _apply(wrong_tanh, a) * b

    with pytest.raises(GradcheckError) as info:
        gradcheck(f, [0.3, 2.0])
    message = str(info.value)
    assert "input 0" in message and "analytic" in message and "numeric" in message
    assert "input 1" not in message  # b's gradient is right
    [(index, analytic, numeric)] = info.value.mismatches
    assert index == 0 and abs(numeric - 2 * (1 - math.tanh(0.3) ** 2)) < 1e-6
    assert abs(analytic - 2 * (1 - math.tanh(0.3))) < 1e-12


def test_numerical_grad() -> None:
    grads = numerical_grad(lambda a, b: a * b + a.exp(), [1.0, 2.0])
    assert abs(grads[0] - (2 + math.e)) < 1e-6 and abs(grads[1] - 1.0) < 1e-6


def test_numerical_step_scales_with_large_inputs() -> None:
    assert abs(numerical_grad(lambda x: x * x, [1e12])[0] - 2e12) <= 1e3
    assert gradcheck(lambda x, y: x * y + x, [1e12, -3e9])


def test_gradcheck_rejects_bad_arguments() -> None:
    with pytest.raises(TypeError):
        gradcheck(lambda a: a, "abc")
    with pytest.raises(ValueError):
        numerical_grad(lambda a: a, [1.0], eps=0.0)


# --- higher order -------------------------------------------------------------------------


def test_gradients_can_be_differentiated_again() -> None:
    x = Value(0.7)
    (g1,) = gradients(x.tanh(), [x])
    (g2,) = gradients(g1, [x])
    (g3,) = gradients(g2, [x])
    t = math.tanh(0.7)
    assert close(g1.data, 1 - t * t)
    assert close(g2.data, -2 * t * (1 - t * t))
    assert close(g3.data, -2 * (1 - t * t) ** 2 + 4 * t * t * (1 - t * t))
    assert x.grad == 0.0  # .grad untouched


# --- against PyTorch, when it is installed ------------------------------------------------


def test_against_torch_float64() -> None:
    torch = pytest.importorskip("torch")

    def ours(x: Value, y: Value) -> Value:
        return (x * y).tanh() + (x**2 + 1).log() * y.sigmoid() - (y / x).exp() + x.relu() * 3

    def theirs(x, y):  # type: ignore[no-untyped-def]
        return (
            torch.tanh(x * y)
            + torch.log(x**2 + 1) * torch.sigmoid(y)
            - torch.exp(y / x)
            + torch.relu(x) * 3
        )

    for a, b in ((0.5, -1.25), (1.5, 0.3), (-0.7, 0.9)):
        x, y = Value(a), Value(b)
        out = ours(x, y)
        out.backward()
        tx = torch.tensor(a, dtype=torch.float64, requires_grad=True)
        ty = torch.tensor(b, dtype=torch.float64, requires_grad=True)
        tout = theirs(tx, ty)
        tout.backward()
        assert close(out.data, tout.item(), 1e-12)
        assert close(x.grad, tx.grad.item(), 1e-12) and close(y.grad, ty.grad.item(), 1e-12)


def test_a_graph_survives_pickle_and_deepcopy() -> None:
    # rows of the table are looked up by name, not copied: a copied x**2 still reads '**2'
    # and a graph sent through pickle (multiprocessing) still differentiates
    import copy
    import pickle

    x = Value(3.0)
    y = x**2 + x.tanh()
    for clone in (pickle.loads(pickle.dumps(y)), copy.deepcopy(y)):
        assert clone._prev[0]._op == "**2"
        assert clone._prev[0]._row is OPS["pow"]
        clone.backward()
        leaf = clone._prev[0]._prev[0]
        assert leaf.grad == pytest.approx(2 * 3.0 + 1 - math.tanh(3.0) ** 2)
    a = Value(2.0)
    hand = Value(6.0, (a,), "*3")
    assert copy.deepcopy(hand)._op == "*3" and pickle.loads(pickle.dumps(hand))._op == "*3"


def test_gradcheck_failure_is_korean_first_and_lists_both_numbers() -> None:
    wrong = dataclasses.replace(OPS["exp"], derivatives=(lambda m, out, x: 2.0 * out,))
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda a: _apply(wrong, a), [0.0])
    message = str(info.value)
    assert "\uac00" <= message[0] <= "\ud7a3"  # Korean first, as every user-facing message
    assert "(analytic) 2.0," in message and "(numeric) 0.99999" in message  # e^x' at 0 is 1
