"""Issue 20 (engine part): constants' gradients, hand-made a*a, Value subclasses, backward seeds.

Expected numbers come from hand derivations written next to each test.
"""

from __future__ import annotations

import gc
import math
import re
import weakref

import pytest

from micrograd_kr import DomainError, GraphError, Value, draw_dot, maximum
from micrograd_kr.engine import Constant, apply_op
from micrograd_kr.functional import define_op

# --- 1. constants' .grad --------------------------------------------------------------------------


def _x_times_2_plus_1() -> tuple[Value, Value, Value, Value]:
    x = Value(1.5, label="x")
    y = x * 2 + 1
    product, one = y._prev
    two = product._prev[1]
    return x, y, two, one


def test_constants_of_x_times_2_plus_1_get_their_derivatives() -> None:
    # y = x*c2 + c1: dy/dc1 = 1, dy/dc2 = x = 1.5
    x, y, two, one = _x_times_2_plus_1()
    assert isinstance(two, Constant) and isinstance(one, Constant)
    y.backward()
    assert one.grad == 1.0
    assert two.grad == 1.5
    assert x.grad == 2.0


def test_constant_grad_before_backward_is_zero() -> None:
    _, _, two, one = _x_times_2_plus_1()
    assert two.grad == 0.0 and one.grad == 0.0


def test_lecture_expression_constant_two_reads_0_2203() -> None:
    # micrograd lecture: n = x1*w1 + x2*w2 + b, o = (e - 1)/(e + 1) with e = exp(2n).
    # o = tanh(n), do/dn = 1 - o^2 = 0.5; d(2n)/dc = n, so do/dc = 0.5/2 * n.
    x1, x2, w1, w2 = Value(2.0), Value(0.0), Value(-3.0), Value(1.0)
    b = Value(6.8813735870195432)
    n = x1 * w1 + x2 * w2 + b
    two_n = 2 * n
    e = two_n.exp()
    numerator, denominator = e - 1, e + 1
    o = numerator / denominator
    o.backward()
    two = two_n._prev[0]
    assert isinstance(two, Constant)
    assert two.grad == pytest.approx(0.25 * n.data, rel=1e-12)
    assert round(two.grad, 4) == 0.2203
    # the 1 in e - 1: do/dc = -1/(e + 1); the 1 in e + 1: do/dc = -(e - 1)/(e + 1)^2
    ev = math.exp(2 * n.data)
    assert numerator._prev[1].grad == pytest.approx(-1 / (ev + 1), rel=1e-12)
    assert denominator._prev[1].grad == pytest.approx(-(ev - 1) / (ev + 1) ** 2, rel=1e-12)


def test_constant_made_of_constants_used_in_two_ops_sums_both_uses() -> None:
    k = maximum(2.0, 3.0)  # constants only: a constant
    assert isinstance(k, Constant)
    a, b = Value(4.0), Value(5.0)
    s = a * k + k * b  # ds/dk = a + b
    s.backward()
    assert k.grad == 9.0
    t = k * k * a  # the same constant twice in one op: d(k*k)/dk = 2k, times a
    t.backward()
    assert k.grad == pytest.approx(9.0 + 2 * 3.0 * 4.0)


def test_constant_combined_into_another_constant_passes_its_derivative_on() -> None:
    k = maximum(2.0, 3.0)
    k2 = k * 2.0  # still a constant; dk2/dk = 2
    a = Value(4.0)
    y = a * k2  # dy/dk = a * 2
    y.backward()
    assert k2.grad == 4.0
    assert k.grad == 8.0


def test_constant_in_an_n_ary_op_gets_its_share() -> None:
    # y = max(x, 5, 1) * x with x = 3: the 5 is the largest, dy/d(5) = x = 3, dy/d(1) = 0
    x = Value(3.0)
    s = maximum(x, 5.0, 1.0)
    y = s * x
    y.backward()
    five, one = s._prev[1], s._prev[2]
    assert isinstance(five, Constant)
    assert five.grad == 3.0 and one.grad == 0.0
    # z = x*2 + 1*5 as one dot node: dz/d(2) = x = 3, dz/d(5) = 1
    z = apply_op("dot", x, Value(1.0), 2.0, 5.0)
    z.backward()
    assert z._prev[2].grad == 3.0 and z._prev[3].grad == 1.0
    z.backward()  # recomputed, not accumulated: a constant is not a leaf of the model
    assert z._prev[2].grad == 3.0 and z._prev[3].grad == 1.0


def test_undefined_constant_derivative_says_so() -> None:
    # d/da a^b = b a^(b-1): at a = 0, b = 0.5 it is infinite
    t = Value(0.5)
    z = (0.0**t) * 3
    z.backward()
    base = z._prev[0]._prev[0]
    assert isinstance(base, Constant)
    with pytest.raises(DomainError, match=r"정의되지 않습니다.*undefined.*pow"):
        _ = base.grad
    assert "정의되지 않음 (undefined)" in repr(base)
    dot = draw_dot(z, constant_grads=True).source
    assert "정의되지 않음 (undefined)" in dot
    assert t.grad == 0.0  # d/db 0^b = 0^b log 0 -> 0 * ... backward gives the exponent 0


def test_constant_grad_assignment_and_zero_grad_do_not_break() -> None:
    from micrograd_kr import zero_grad

    _, y, two, one = _x_times_2_plus_1()
    y.backward()
    zero_grad([two, one])
    assert two.grad == 0.0 and one.grad == 0.0
    one.grad = 5.0  # reading gives back what was set, as for any Value
    assert one.grad == 5.0
    y.backward()  # backward recomputes it
    assert one.grad == 1.0 and two.grad == 1.5


def test_backward_never_evaluates_a_constants_rule() -> None:
    def fails(m: object, out: float, x: float, c: float) -> float:
        raise ZeroDivisionError("must not run")

    op = define_op("round3_no_rule_for_c", lambda m, x, c: x * c, [lambda m, out, x, c: c, fails])
    x = Value(2.0)
    y = op(x, 3.0)
    y.backward()  # the constant's rule is not evaluated
    assert x.grad == 3.0
    with pytest.raises(DomainError, match="undefined"):
        _ = y._prev[1].grad  # reading it evaluates it, and says it has no value


def test_draw_dot_of_x_times_2_plus_1_shows_constants_grads() -> None:
    _, y, _, _ = _x_times_2_plus_1()
    y.backward()
    src = draw_dot(y, constant_grads=True).source
    grads = re.findall(r"grad ([-0-9.]+)<", src)
    # the values x, 2, x*2, 1, y: x 2, the 2 gets 1.5, x*2 1, the 1 gets 1, y 1
    assert sorted(grads) == sorted(["2", "1.5", "1", "1", "1"])


def test_dropped_graph_with_constants_is_freed_without_the_collector() -> None:
    gc.disable()
    try:
        x = Value(2.0)
        y = (x * 3 + 1).relu()
        node = weakref.ref(y._prev[0]._prev[0])  # x * 3, used by a constant
        del y
        assert node() is None
    finally:
        gc.enable()


def test_constant_whose_graph_was_freed_says_so() -> None:
    k = maximum(2.0, 3.0)
    (Value(4.0) * k).backward()  # the product is freed at once
    with pytest.raises(GraphError, match="freed"):
        _ = k.grad


# --- 2. hand-made a * a ---------------------------------------------------------------------------


def _lecture_square(a: Value) -> Value:
    out = Value(a.data * a.data, (a, a), "*")

    def _backward() -> None:
        a.grad += a.data * out.grad  # self.grad += other.data * out.grad
        a.grad += a.data * out.grad  # other.grad += self.data * out.grad

    out._backward = _backward  # type: ignore[method-assign]
    return out


def _backward_labels(src: str) -> list[str]:
    return re.findall(r'class="backward"[^\n]*label="([^"]*)"', src)


def test_hand_made_a_times_a_is_drawn_like_the_librarys() -> None:
    a = Value(3.0, label="a")
    out = _lecture_square(a)
    out.backward()
    assert a.grad == 6.0
    assert _backward_labels(draw_dot(out).source) == ["3 × 1 = 3", "3 × 1 = 3"]
    b = Value(3.0, label="a")
    assert _backward_labels(draw_dot(b * b).source) == ["3 × 0 = 0", "3 × 0 = 0"]


def test_hand_made_repeated_input_without_a_matching_row_is_labelled_as_a_sum() -> None:
    a = Value(3.0, label="a")
    out = Value(a.data * a.data + 1, (a, a), "sq+1")  # no such row: only the sum is known

    def _backward() -> None:
        a.grad += 2 * a.data * out.grad

    out._backward = _backward  # type: ignore[method-assign]
    out.backward()
    labels = _backward_labels(draw_dot(out).source)
    assert labels[0].startswith("6 × 1 = 6") and "sum over 2 uses" in labels[0]
    assert "counted in the sum above" in labels[1]


def test_hand_made_closure_that_disagrees_with_the_table_is_shown_as_it_is() -> None:
    # the lecture's bug: '=' instead of '+=' loses one use; the drawing must not hide it
    a = Value(3.0, label="a")
    out = Value(a.data + a.data, (a, a), "+")

    def _backward() -> None:
        a.grad = 1.0 * out.grad
        a.grad = 1.0 * out.grad

    out._backward = _backward  # type: ignore[method-assign]
    out.backward()
    labels = _backward_labels(draw_dot(out).source)
    assert labels[0].startswith("1 × 1 = 1") and "sum over 2 uses" in labels[0]


# --- 3. Value subclasses --------------------------------------------------------------------------


class LectureValue(Value):
    """A learner's subclass without __slots__, with tanh written by hand as in the lecture."""

    def tanh(self) -> Value:
        t = math.tanh(self.data)
        out = LectureValue(t, (self,), "tanh")

        def _backward() -> None:
            self.grad += (1 - t**2) * out.grad

        out._backward = _backward  # type: ignore[method-assign]
        return out


class SlottedValue(Value):
    __slots__ = ("note",)

    def double(self) -> Value:
        out = SlottedValue(2 * self.data, (self,), "*2")

        def _backward() -> None:
            self.grad += 2.0 * out.grad

        out._backward = _backward  # type: ignore[method-assign]
        return out


@pytest.mark.parametrize("cls", [LectureValue, SlottedValue])
def test_hand_made_node_of_a_subclass_behaves_like_value(cls: type[Value]) -> None:
    a, b = cls(2.0, label="a"), cls(3.0, label="b")
    n = cls(6.0, (a, b), "*")
    assert isinstance(n, cls)
    assert type(n).__name__ == cls.__name__
    assert n._op == "*"
    with pytest.raises(GraphError, match="_backward"):
        n.backward()

    def _backward() -> None:
        a.grad += b.data * n.grad
        b.grad += a.data * n.grad

    n._backward = _backward  # type: ignore[method-assign]
    n.backward()
    assert (a.grad, b.grad) == (3.0, 2.0)
    src = draw_dot(n).source
    assert 'id="fwd-2-0"' in src and 'id="bwd-2-1"' in src  # edges a -> * and b -> *


def test_subclass_methods_work_lecture_tanh_and_slotted() -> None:
    x = LectureValue(0.5)
    y = x.tanh()
    assert isinstance(y, LectureValue) and y._op == "tanh"
    y.backward()
    assert x.grad == pytest.approx(1 - math.tanh(0.5) ** 2)
    s = SlottedValue(1.5)
    s.note = "kept"
    d = s.double().double()
    d.backward()
    assert s.grad == 4.0 and s.note == "kept"


@pytest.mark.parametrize("cls", [LectureValue, SlottedValue])
def test_grad_and_compile_of_a_subclass_node_give_the_graph_error(cls: type[Value]) -> None:
    from micrograd_kr import compile, grad

    def f(t: Value) -> Value:
        return cls(t.data * 2, (t,), "*2")

    with pytest.raises(GraphError, match="hand-made"):
        grad(f)(1.0)
    with pytest.raises(GraphError, match="hand-made"):
        compile(f, [1.0])


# --- 4. backward's seed ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", ["a", None, True, [1.0], Value(1.0)])
def test_backward_seed_must_be_a_real_number(seed: object) -> None:
    y = Value(2.0) * 3
    with pytest.raises(TypeError, match=r"시작 기울기.*seed gradient.*" + type(seed).__name__):
        y.backward(seed)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "seed", [float("nan"), float("inf"), 10**400], ids=["nan", "inf", "huge_int"]
)
def test_backward_seed_must_be_finite(seed: object) -> None:
    y = Value(2.0) * 3
    with pytest.raises(DomainError, match=r"seed gradient.*not finite") as info:
        y.backward(seed)  # type: ignore[arg-type]
    assert "overflow" not in str(info.value)


def test_backward_seed_scales_gradients() -> None:
    x = Value(2.0)
    y = x * 3
    y.backward(2)
    assert x.grad == 6.0


def test_constants_keep_their_gradient_through_pickle_and_deepcopy() -> None:
    import copy
    import pickle

    _, y, _, _ = _x_times_2_plus_1()
    y.backward()
    for clone in (pickle.loads(pickle.dumps(y)), copy.deepcopy(y)):
        product, one = clone._prev
        assert one.grad == 1.0 and product._prev[1].grad == 1.5
