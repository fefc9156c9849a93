"""Higher-order derivatives: grad, value_and_grad, hessian, hvp.

Every derivative here comes from the one derivative table in ops.py, applied to Values. The
witnesses are closed forms worked out by hand and finite differences (nested, for higher
orders), which know nothing about the table.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from micrograd_kr import Value, gradients, maximum, no_grad
from micrograd_kr.autodiff import grad, hessian, hvp, value_and_grad


def sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def nth(f: Callable[..., Value], n: int) -> Callable[..., Value]:
    for _ in range(n):
        f = grad(f)
    return f


def fd(f: Callable[[float], float], x: float, h: float) -> float:
    """Central difference f'(x)."""
    return (f(x + h) - f(x - h)) / (2 * h)


def fd3(f: Callable[[float], float], x: float, h: float = 1e-2) -> float:
    """Third derivative from values of f alone: central differences nested three times."""
    return (f(x + 2 * h) - 2 * f(x + h) + 2 * f(x - h) - f(x - 2 * h)) / (2 * h**3)


def as_float(f: Callable[..., Value]) -> Callable[[float], float]:
    return lambda x: f(Value(x)).data


def _d3_tanh(x: float) -> float:
    t = math.tanh(x)
    return -2 * (1 - t * t) * (1 - 3 * t * t)


def _d3_sigmoid(x: float) -> float:
    s = sigmoid(x)
    return s * (1 - s) * (1 - 6 * s + 6 * s * s)


# name: (function of a Value, point, closed-form third derivative)
THIRD = {
    "sin": (lambda x: x.sin(), 0.7, lambda x: -math.cos(x)),
    "cos": (lambda x: x.cos(), 0.7, lambda x: math.sin(x)),
    "tanh": (lambda x: x.tanh(), 0.4, _d3_tanh),
    "exp": (lambda x: x.exp(), 0.3, math.exp),
    "log": (lambda x: x.log(), 1.7, lambda x: 2 / x**3),
    "sigmoid": (lambda x: x.sigmoid(), -0.8, _d3_sigmoid),
    "softplus": (
        lambda x: x.softplus(),
        0.5,
        lambda x: sigmoid(x) * (1 - sigmoid(x)) * (1 - 2 * sigmoid(x)),
    ),
    "sqrt": (lambda x: x.sqrt(), 2.0, lambda x: 3 / 8 * x**-2.5),
    "pow 3.5": (lambda x: x**3.5, 1.3, lambda x: 3.5 * 2.5 * 1.5 * x**0.5),
    "pow -2": (lambda x: x**-2, 1.3, lambda x: -24 * x**-5),
    "pow x^x": (lambda x: x**x, 1.2, None),  # Value ** Value: no neat closed form, FD only
    "reciprocal": (lambda x: 1 / x, 0.9, lambda x: -6 / x**4),
    "elu neg": (lambda x: x.elu(), -0.6, math.exp),
}


@pytest.mark.parametrize("name", list(THIRD))
def test_third_derivative_matches_closed_form_and_finite_differences(name: str) -> None:
    f, x, closed = THIRD[name]
    d3 = nth(f, 3)(x)
    assert isinstance(d3, Value)
    if closed is not None:
        assert d3.data == pytest.approx(closed(x), rel=1e-12, abs=1e-12)
    # finite differences of the (autodiff) second derivative
    d2 = as_float(nth(f, 2))
    assert d3.data == pytest.approx(fd(d2, x, 1e-5), rel=1e-6, abs=1e-7)
    # from values of f alone: no derivative rule is involved at all
    assert d3.data == pytest.approx(fd3(as_float(f), x), rel=2e-3, abs=2e-4)


def test_grad_orders_of_a_polynomial_are_exact() -> None:
    f = lambda x: 2 * x**4 - 3 * x**2 + x
    x = 1.5
    expected = [f(x), 8 * x**3 - 6 * x + 1, 24 * x**2 - 6, 48 * x, 48.0, 0.0]
    for n, want in enumerate(expected):
        got = nth(f, n)(x) if n else Value(f(x))
        assert got.data == pytest.approx(want, rel=1e-12, abs=1e-12)


def test_derivatives_of_a_polynomial_at_zero_past_its_degree() -> None:
    # d^n/dx^n x^k at x = 0: k! at n = k, and 0 beyond, where the rule b * x**(b - 1)
    # reaches an exponent of 0 (a constant, not 0 * 0**-1)
    for k in (1, 2, 3):
        for n in range(1, k + 3):
            want = float(math.factorial(k)) if n == k else 0.0
            assert nth(lambda x, k=k: x**k, n)(0.0).data == want, (k, n)


def test_fourth_derivative_of_tanh() -> None:
    x = 0.3
    t = math.tanh(x)
    # d/dx of -2 (1 - t^2)(1 - 3t^2), with dt/dx = 1 - t^2
    closed = (1 - t * t) * (16 * t - 24 * t**3)
    assert nth(lambda v: v.tanh(), 4)(x).data == pytest.approx(closed, rel=1e-12)


# --- mixed partials ----------------------------------------------------------------------------


def f_mixed(x: Value, y: Value) -> Value:
    return (x * y).sin() + x**2 * y.exp()


def test_mixed_partials_against_closed_forms() -> None:
    x, y = 0.6, -0.4
    dxy = grad(grad(f_mixed, argnums=0), argnums=1)(x, y)
    dyx = grad(grad(f_mixed, argnums=1), argnums=0)(x, y)
    # d²/dxdy: cos(xy) - xy sin(xy) + 2x e^y
    closed = math.cos(x * y) - x * y * math.sin(x * y) + 2 * x * math.exp(y)
    assert dxy.data == pytest.approx(closed, rel=1e-12)
    assert dyx.data == pytest.approx(closed, rel=1e-12)
    # d³/dx²dy: -2y sin(xy) - x y² cos(xy) ... worked out term by term
    dxxy = grad(grad(grad(f_mixed, 0), 0), 1)(x, y)
    closed3 = -2 * y * math.sin(x * y) - x * y * y * math.cos(x * y) + 2 * math.exp(y)
    assert dxxy.data == pytest.approx(closed3, rel=1e-12)
    dyxx = grad(grad(grad(f_mixed, 1), 0), 0)(x, y)
    assert dyxx.data == pytest.approx(closed3, rel=1e-12)


def test_mixed_partial_of_power_with_both_inputs_values() -> None:
    # f = a^b: d²f/da db = a^(b-1) (1 + b log a)
    a, b = 1.7, 2.3
    got = grad(grad(lambda a, b: a**b, 0), 1)(a, b).data
    assert got == pytest.approx(a ** (b - 1) * (1 + b * math.log(a)), rel=1e-12)


def test_mixed_partials_against_nested_finite_differences() -> None:
    x, y, h = 0.6, -0.4, 1e-4
    f = lambda x, y: f_mixed(Value(x), Value(y)).data
    numeric = (f(x + h, y + h) - f(x + h, y - h) - f(x - h, y + h) + f(x - h, y - h)) / (4 * h * h)
    assert grad(grad(f_mixed, 0), 1)(x, y).data == pytest.approx(numeric, rel=1e-6)


@settings(max_examples=40, deadline=None)
@given(
    st.floats(min_value=-2, max_value=2, allow_nan=False),
    st.floats(min_value=-2, max_value=2, allow_nan=False),
)
def test_second_partials_commute(x: float, y: float) -> None:
    f = lambda x, y: (x * y).tanh() * (x - y).sigmoid() + (x + 2 * y).cos()
    dxy = grad(grad(f, 0), 1)(x, y).data
    dyx = grad(grad(f, 1), 0)(x, y).data
    assert dxy == pytest.approx(dyx, rel=1e-9, abs=1e-12)
    gx = lambda y: grad(f, 0)(x, Value(y)).data
    assert dxy == pytest.approx(fd(gx, y, 1e-5), rel=1e-5, abs=1e-7)


# --- Newton's method ----------------------------------------------------------------------------


def test_newton_method_converges_quadratically() -> None:
    # minimise g(x) = e^x - 2x: g' = e^x - 2, g'' = e^x, minimum at ln 2
    g = lambda x: x.exp() - 2 * x
    dg, d2g = grad(g), grad(grad(g))
    x_star = math.log(2.0)
    x = 2.0
    errors = [abs(x - x_star)]
    for _ in range(8):
        x = x - dg(x).data / d2g(x).data
        errors.append(abs(x - x_star))
        if errors[-1] < 1e-15:
            break
    assert errors[-1] < 1e-14
    # e_{k+1} ~ C e_k^2 with C = |g'''(x*) / (2 g''(x*))| = 1/2
    ratios = [e1 / e0**2 for e0, e1 in itertools.pairwise(errors) if 1e-6 < e0 < 0.5]
    assert len(ratios) >= 2
    for r in ratios:
        assert 0.3 < r < 0.7, ratios
    # quadratic: the number of correct digits roughly doubles each step
    digits = [-math.log10(e) for e in errors if 1e-14 < e < 0.1]
    for d0, d1 in itertools.pairwise(digits):
        assert d1 > 1.8 * d0


# --- Hessians ---------------------------------------------------------------------------------


def rosen(x: Value, y: Value, z: Value) -> Value:
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2 + (1 - y) ** 2 + 100 * (z - y**2) ** 2


def test_hessian_of_rosenbrock_closed_form() -> None:
    x, y, z = 0.3, -0.2, 0.9
    H = [[h.data for h in row] for row in hessian(rosen)(x, y, z)]
    expected = [
        [2 - 400 * (y - x**2) + 800 * x**2, -400 * x, 0.0],
        [-400 * x, 200 + 2 - 400 * (z - y**2) + 800 * y**2, -400 * y],
        [0.0, -400 * y, 200.0],
    ]
    for row, want in zip(H, expected):
        assert row == pytest.approx(want, rel=1e-12, abs=1e-12)


def test_hvp_matches_finite_differences_of_gradients() -> None:
    point = [0.3, -0.2, 0.9]
    v = [0.5, -1.0, 2.0]
    hv = [h.data for h in hvp(rosen)(point, v)]
    gradient = grad(rosen, argnums=(0, 1, 2))

    def g_at(t: float) -> list[float]:
        return [gi.data for gi in gradient(*[p + t * vi for p, vi in zip(point, v)])]

    eps = 1e-6
    plus, minus = g_at(eps), g_at(-eps)
    numeric = [(a - b) / (2 * eps) for a, b in zip(plus, minus)]
    assert hv == pytest.approx(numeric, rel=1e-6, abs=1e-6)
    # and the same as the full Hessian times v
    H = hessian(rosen)(*point)
    assert hv == pytest.approx([sum(h.data * vi for h, vi in zip(row, v)) for row in H], rel=1e-12)


def test_hessian_entries_are_values_that_can_be_differentiated_again() -> None:
    # d/dx of H_xx(x) for f = x^3 y is 6y
    H_xx = lambda x, y: hessian(lambda a, b: a**3 * b)(x, y)[0][0]
    assert grad(H_xx, 0)(0.7, 1.5).data == pytest.approx(9.0)


# --- API ------------------------------------------------------------------------------------


def test_value_and_grad_returns_both() -> None:
    out, (dx, dy) = value_and_grad(lambda x, y: x * y + y, argnums=(0, 1))(3.0, 4.0)
    assert (out.data, dx.data, dy.data) == (16.0, 4.0, 4.0)


def test_argnums_negative_and_non_differentiated_numbers() -> None:
    f = lambda x, k: x**k
    assert grad(f)(2.0, 3).data == 12.0  # k stays a plain int
    assert grad(f, argnums=-1)(2.0, 3.0).data == pytest.approx(8 * math.log(2))


def test_closed_over_value_is_not_confused_with_the_argument() -> None:
    x = Value(0.5)
    # d/dt (t t x) = 2 t x, even when t is given the very Value x closes over
    assert grad(lambda t: t * t * x)(x).data == pytest.approx(2 * 0.5 * 0.5)
    # d/dt [d/ds (s s t) at s = t] = d/dt (2 t t) = 4 t, not d/dt (3 t^2)
    assert grad(lambda t: grad(lambda s: s * s * t)(t))(0.5).data == pytest.approx(4 * 0.5)


def test_kinks_have_zero_second_derivative() -> None:
    for f in (lambda x: x.relu(), lambda x: x.leaky_relu(), lambda x: abs(x)):
        for x in (-1.5, 2.0):
            assert nth(f, 2)(x).data == 0.0
    assert nth(lambda x: maximum(x, 2 * x), 2)(1.0).data == 0.0


def test_derivatives_inside_no_grad_are_not_silently_zero() -> None:
    # a Newton or gradient step is naturally written inside no_grad(); grad is a function
    # transformation, so (as torch.func.grad does) it ignores an outer no_grad
    f = lambda x: x**3
    with no_grad():
        assert grad(f)(2.0).data == 12.0
        assert grad(grad(f))(2.0).data == 12.0
        assert hessian(lambda x, y: x * x * y)(2.0, 3.0)[0][1].data == 4.0
        assert [h.data for h in hvp(lambda x, y: x * x * y)([2.0, 3.0], [1.0, 0.0])] == [6.0, 4.0]
    x = Value(2.0)
    y = x * x * x  # built outside, differentiated twice inside
    with no_grad():
        (dy,) = gradients(y, [x])
        (d2y,) = gradients(dy, [x])
    assert (dy.data, d2y.data) == (12.0, 12.0)
    # a no_grad() inside f is still respected: that part is a constant
    assert grad(lambda x: x * _without_graph(x))(2.0).data == 2.0  # not 2x = 4


def _without_graph(x: Value) -> Value:
    with no_grad():
        return x * 1.0


def test_constant_function_has_zero_gradient() -> None:
    assert grad(lambda x: 3.0)(1.0).data == 0.0
    assert grad(lambda x: Value(3.0))(1.0).data == 0.0


def test_errors_are_clear() -> None:
    with pytest.raises(TypeError, match="argument 0"):
        grad(lambda x: x)("1.0")
    with pytest.raises(IndexError, match="out of range"):
        grad(lambda x: x, argnums=1)(1.0)
    with pytest.raises(TypeError, match="scalar"):
        grad(lambda x: [x, x])(1.0)
    with pytest.raises(ValueError, match="v has"):
        hvp(rosen)([1.0, 2.0, 3.0], [1.0])
