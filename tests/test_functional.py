"""Tests for micrograd_kr.functional: softmax family, one_hot, argmax and every loss."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from micrograd_kr import Value, gradcheck
from micrograd_kr import functional as F

finite = st.floats(-30, 30, allow_nan=False)
vectors = st.lists(finite, min_size=1, max_size=6)


def data(xs):
    return [x.data for x in xs]


# --- softmax family ----------------------------------------------------------------------------


def test_softmax_reproduces_seed_002() -> None:
    # the printed output of the NumPy example in seed 002, row by row
    printed = [
        [2.44728471e-01, 6.65240956e-01, 9.00305732e-02],
        [9.00305732e-02, 2.44728471e-01, 6.65240956e-01],
        [2.06106005e-09, 4.53978686e-05, 9.99954600e-01],
    ]
    rows = F.softmax([[1, 2, 0], [-1, 0, 1], [-10, 0, 10]])
    assert len(rows) == 3
    for row, expected in zip(rows, printed):
        assert [float(f"{v.data:.8e}") for v in row] == expected


def test_softmax_subtracts_the_max() -> None:
    assert data(F.softmax([1000, 0])) == [1.0, 0.0]
    assert data(F.softmax([-1000, -1000])) == [0.5, 0.5]
    assert data(F.softmax([5.0])) == [1.0]


@settings(max_examples=60, deadline=None)
@given(vectors, st.floats(-500, 500))
def test_softmax_sums_to_one_and_ignores_shifts(xs: list[float], shift: float) -> None:
    probs = data(F.softmax(xs))
    assert math.fsum(probs) == pytest.approx(1.0)
    assert all(0.0 <= p <= 1.0 for p in probs)
    shifted = data(F.softmax([x + shift for x in xs]))
    assert shifted == pytest.approx(probs, abs=1e-9)


def test_log_softmax_and_logsumexp_are_stable() -> None:
    assert data(F.log_softmax([1000, 0])) == [0.0, -1000.0]
    assert F.logsumexp([1000.0, 1000.0]).data == pytest.approx(1000 + math.log(2))
    assert F.logsumexp([-1000.0]).data == -1000.0
    rows = F.log_softmax([[0.0, 0.0], [1000.0, -1000.0]])
    assert data(rows[0]) == pytest.approx([-math.log(2)] * 2)
    assert data(rows[1]) == [0.0, -2000.0]
    assert data(F.logsumexp([[0.0, 0.0], [1.0]])) == pytest.approx([math.log(2), 1.0])


@settings(max_examples=60, deadline=None)
@given(vectors)
def test_log_softmax_is_log_of_softmax(xs: list[float]) -> None:
    expected = [math.log(p) for p in data(F.softmax(xs))]
    assert data(F.log_softmax(xs)) == pytest.approx(expected, abs=1e-9)
    assert F.logsumexp(xs).data == pytest.approx(math.log(math.fsum(math.exp(x) for x in xs)))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-5, 5), min_size=2, max_size=5), st.data())
def test_gradcheck_softmax_family(xs: list[float], draw) -> None:
    i = draw.draw(st.integers(0, len(xs) - 1))
    weights = [0.3 * (k + 1) for k in range(len(xs))]
    assert gradcheck(lambda *v: F.softmax(list(v))[i], xs)
    assert gradcheck(lambda *v: F.log_softmax(list(v))[i], xs)
    assert gradcheck(lambda *v: F.logsumexp(list(v)), xs)
    # a weighted combination exercises every output at once
    assert gradcheck(
        lambda *v: sum((w * p for w, p in zip(weights, F.softmax(list(v)))), Value(0.0)), xs
    )


def test_softmax_gradient_at_huge_inputs_is_finite() -> None:
    x = [Value(1000.0), Value(-1000.0)]
    F.log_softmax(x)[1].backward()
    assert x[0].grad == pytest.approx(-1.0) and x[1].grad == pytest.approx(1.0)


def test_softmax_errors() -> None:
    with pytest.raises(ValueError, match="empty"):
        F.softmax([])
    with pytest.raises(TypeError, match="element 1"):
        F.softmax([1.0, "a"])
    with pytest.raises(TypeError):
        F.softmax(3.0)


# --- one_hot, argmax, maxout -----------------------------------------------------------------


def test_one_hot() -> None:
    assert F.one_hot(2, 4) == [0.0, 0.0, 1.0, 0.0]
    assert F.one_hot([0, 1, 1], 2) == [[1.0, 0.0], [0.0, 1.0], [0.0, 1.0]]
    with pytest.raises(ValueError, match=r"out of range 0\.\.2"):
        F.one_hot(3, 3)
    with pytest.raises(ValueError, match="out of range"):
        F.one_hot(-1, 3)
    with pytest.raises(TypeError, match="int"):
        F.one_hot(1.5, 3)
    with pytest.raises(ValueError, match="num_classes"):
        F.one_hot(0, 0)


def test_argmax() -> None:
    assert F.argmax([0.1, 0.7, 0.2]) == 1
    assert F.argmax([Value(-1.0), Value(-3.0)]) == 0
    assert F.argmax([2.0, 5.0, 5.0]) == 1  # the first of a tie, like NumPy
    assert F.argmax([[1, 0], [0, 1], [3, 9]]) == [0, 1, 1]
    # seed 003: prediction = one_hot(argmax(scores))
    assert F.one_hot(F.argmax([[0.2, 0.5, 0.3]]), 3) == [[0.0, 1.0, 0.0]]


def test_maxout() -> None:
    a, b, c = Value(1.0), Value(3.0), Value(2.0)
    out = F.maxout([a, b, c])
    assert out.data == 3.0
    out.backward()
    assert (a.grad, b.grad, c.grad) == (0.0, 1.0, 0.0)
    assert gradcheck(lambda *v: F.maxout(list(v)), [0.5, -1.0, 2.0])


# --- losses: values ----------------------------------------------------------------------------


def test_mse_loss_matches_seed_000_formula() -> None:
    pred, target = [1.0, 2.0, 4.0], [1.5, 2.0, 3.0]
    expected = ((1.0 - 1.5) ** 2 + 0 + 1.0) / 3
    assert F.mse_loss(pred, target).data == pytest.approx(expected)
    assert F.mse_loss(pred, target, reduction="sum").data == pytest.approx(expected * 3)
    assert F.mse_loss(Value(3.0), 1.0).data == 4.0
    assert F.mse_loss([[1.0, 2.0]], [[0.0, 0.0]]).data == pytest.approx(2.5)
    with pytest.raises(ValueError, match="3 prediction"):
        F.mse_loss(pred, [1.0])
    with pytest.raises(ValueError, match="reduction"):
        F.mse_loss(pred, target, reduction="max")


def test_mse_loss_gradient_reaches_a_target_that_is_a_value() -> None:
    # (p - t)^2 is symmetric: as in torch.nn.functional.mse_loss, a target that is a Value gets
    # its gradient too, so swapping the two arguments by mistake still trains the model
    p, t = Value(3.0), Value(1.0)
    F.mse_loss(p, t).backward()
    assert (p.grad, t.grad) == (4.0, -4.0)
    p, t = Value(3.0), Value(1.0)
    F.mse_loss([t], [p]).backward()
    assert (p.grad, t.grad) == (4.0, -4.0)


def test_cross_entropy_values() -> None:
    logits = [2.0, 1.0, 0.1]
    expected = -math.log(F.softmax(logits)[0].data)
    assert F.cross_entropy(logits, 0).data == pytest.approx(expected)
    batch = [[2.0, 1.0, 0.1], [0.0, 3.0, 0.0]]
    second = -math.log(F.softmax(batch[1])[1].data)
    assert F.cross_entropy(batch, [0, 1]).data == pytest.approx((expected + second) / 2)
    assert F.cross_entropy(batch, [0, 1], reduction="sum").data == pytest.approx(expected + second)
    # one-hot / probability targets (asked for by name) give the same number as class labels
    assert F.cross_entropy(batch, probs=F.one_hot([0, 1], 3)).data == pytest.approx(
        (expected + second) / 2
    )


def test_cross_entropy_never_takes_log_of_zero() -> None:
    z = [Value(1000.0), Value(0.0)]
    loss = F.cross_entropy(z, 1)
    assert loss.data == pytest.approx(1000.0)
    loss.backward()
    assert z[0].grad == pytest.approx(1.0) and z[1].grad == pytest.approx(-1.0)
    assert F.cross_entropy([-1000.0, 1000.0], 1).data == 0.0


def test_cross_entropy_errors() -> None:
    with pytest.raises(ValueError, match="out of range"):
        F.cross_entropy([1.0, 2.0], 2)
    with pytest.raises(TypeError, match="int"):
        F.cross_entropy([1.0, 2.0], 1.0)
    with pytest.raises(ValueError, match="2 sample"):
        F.cross_entropy([[1.0, 2.0], [0.0, 1.0]], [0])
    with pytest.raises(TypeError, match="list of targets"):
        F.cross_entropy([[1.0, 2.0], [0.0, 1.0]], 0)
    with pytest.raises(ValueError, match="length 3"):
        F.cross_entropy([1.0, 2.0], probs=[0.0, 0.0, 1.0])


def test_binary_cross_entropy_values() -> None:
    p, y = [0.9, 0.2, 0.5], [1, 0, 1]
    expected = -(math.log(0.9) + math.log(0.8) + math.log(0.5)) / 3
    assert F.binary_cross_entropy(p, y).data == pytest.approx(expected)
    # a saturated probability: each log is clamped at -100 (PyTorch's BCELoss), never log(0)
    assert F.binary_cross_entropy(0.0, 1).data == 100.0
    assert F.binary_cross_entropy(Value(1000.0).sigmoid(), 0).data == 100.0
    assert F.binary_cross_entropy(1.0, 1).data == 0.0
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        F.binary_cross_entropy(1.5, 1)
    with pytest.raises(ValueError, match="targets"):
        F.binary_cross_entropy(0.5, 2)


def test_binary_cross_entropy_with_logits_values() -> None:
    zs, ys = [2.0, -1.0, 0.3], [1, 0, 0.25]
    expected = 0.0
    for z, y in zip(zs, ys):
        p = 1 / (1 + math.exp(-z))
        expected += -(y * math.log(p) + (1 - y) * math.log(1 - p))
    assert F.binary_cross_entropy_with_logits(zs, ys).data == pytest.approx(expected / 3)
    # exact where the probability form would lose everything
    assert F.binary_cross_entropy_with_logits(-1000.0, 1).data == pytest.approx(1000.0)
    assert F.binary_cross_entropy_with_logits(1000.0, 1).data == 0.0


def test_hinge_loss_values() -> None:
    scores = [2.0, 0.5, -0.3, -2.0]
    # labels 0/1 (0 is the negative class) and -1/+1 give the same loss
    expected = (0.0 + 0.5 + 0.7 + 0.0) / 4
    assert F.hinge_loss(scores, [1, 1, 0, 0]).data == pytest.approx(expected)
    assert F.hinge_loss(scores, [1, 1, -1, -1]).data == pytest.approx(expected)
    assert F.hinge_loss(Value(0.25), 1).data == pytest.approx(0.75)
    with pytest.raises(ValueError, match="-1/\\+1 or 0/1"):
        F.hinge_loss([1.0], [2])


def test_multiclass_hinge_loss_values() -> None:
    s = [[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]]
    first = (max(0.0, 1 - 2.0 + 1.0) + max(0.0, 1 - 2.0 + 0.5)) / 3
    second = (max(0.0, 1 - 3.0 + 0.0) + max(0.0, 1 - 3.0 - 1.0)) / 3
    assert F.hinge_loss(s, [1, 2]).data == pytest.approx((first + second) / 2)
    assert F.hinge_loss(s[0], 1).data == pytest.approx(first)


# --- losses: gradcheck -------------------------------------------------------------------------

pairs = st.integers(1, 4).flatmap(
    lambda n: st.tuples(
        st.lists(st.floats(-3, 3), min_size=n, max_size=n),
        st.lists(st.floats(-3, 3), min_size=n, max_size=n),
    )
)


@settings(max_examples=40, deadline=None)
@given(pairs)
def test_gradcheck_mse_loss(pair) -> None:
    pred, target = pair
    assert gradcheck(lambda *p: F.mse_loss(list(p), target), pred)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-4, 4), min_size=6, max_size=6), st.integers(0, 2), st.integers(0, 2))
def test_gradcheck_cross_entropy(xs: list[float], y0: int, y1: int) -> None:
    assert gradcheck(lambda *z: F.cross_entropy([list(z[:3]), list(z[3:])], [y0, y1]), xs)
    soft = [0.2, 0.5, 0.3]
    assert gradcheck(lambda *z: F.cross_entropy(list(z[:3]), probs=soft), xs[:3])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0.01, 0.99), min_size=3, max_size=3))
def test_gradcheck_binary_cross_entropy(ps: list[float]) -> None:
    ys = [1, 0, 0.3]
    assert gradcheck(lambda *p: F.binary_cross_entropy(list(p), ys), ps, eps=1e-7)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-8, 8), min_size=3, max_size=3))
def test_gradcheck_binary_cross_entropy_with_logits(zs: list[float]) -> None:
    ys = [1, 0, 0.3]
    assert gradcheck(lambda *z: F.binary_cross_entropy_with_logits(list(z), ys), zs)


@pytest.mark.parametrize(
    "scores, labels",
    [
        ([2.0, 0.5, -0.3, -2.0, 0.2], [1, 1, 0, 0, 0]),
        ([-0.4, 0.3], [-1, 1]),
    ],
)
def test_gradcheck_hinge_loss(scores: list[float], labels: list[int]) -> None:
    assert gradcheck(lambda *s: F.hinge_loss(list(s), labels), scores)


def test_gradcheck_multiclass_hinge_loss() -> None:
    flat = [1.0, 2.3, 0.5, 0.1, -1.0, 3.0]
    assert gradcheck(lambda *s: F.hinge_loss([list(s[:3]), list(s[3:])], [1, 2]), flat)


# --- the same numbers as PyTorch -----------------------------------------------------------------


def test_losses_match_torch() -> None:
    torch = pytest.importorskip("torch")
    tf = torch.nn.functional
    logits = [[0.2, -1.3, 2.2], [1.5, 0.0, -0.7], [-2.0, 0.4, 0.1]]
    labels = [2, 0, 1]
    t_logits = torch.tensor(logits, dtype=torch.float64)
    t_labels = torch.tensor(labels)
    assert F.cross_entropy(logits, labels).data == pytest.approx(
        tf.cross_entropy(t_logits, t_labels).item(), rel=1e-12
    )
    assert F.hinge_loss(logits, labels).data == pytest.approx(
        tf.multi_margin_loss(t_logits, t_labels).item(), rel=1e-12
    )
    probs = [0.7, 0.1, 0.45]
    targets = [1.0, 0.0, 1.0]
    t_targets = torch.tensor(targets, dtype=torch.float64)
    assert F.binary_cross_entropy(probs, targets).data == pytest.approx(
        tf.binary_cross_entropy(torch.tensor(probs, dtype=torch.float64), t_targets).item()
    )
    zs = [3.0, -0.5, 0.25]
    assert F.binary_cross_entropy_with_logits(zs, targets).data == pytest.approx(
        tf.binary_cross_entropy_with_logits(torch.tensor(zs, dtype=torch.float64), t_targets).item()
    )
    assert F.mse_loss(zs, targets).data == pytest.approx(
        tf.mse_loss(torch.tensor(zs, dtype=torch.float64), t_targets).item()
    )
    sm = torch.softmax(t_logits, dim=-1).tolist()
    assert [data(row) for row in F.softmax(logits)] == [pytest.approx(r) for r in sm]


@pytest.mark.parametrize("z", [-40.0, -60.0, 35.0])
def test_binary_cross_entropy_of_a_confidently_wrong_sigmoid_still_learns(z: float) -> None:
    # p = sigmoid(z) far on the wrong side of the target. The loss is -log p = softplus(-z)
    # (y = 1) or -log(1 - p) = softplus(z) (y = 0), and its slope in z is -(1 - p) or p:
    # about -1 or 1, not 0 (clamping p at 1e-12 sent the gradient to the constant instead).
    y = 1 if z < 0 else 0
    x = Value(z)
    loss = F.binary_cross_entropy(x.sigmoid(), y)
    loss.backward()
    p = 1.0 / (1.0 + math.exp(-z))
    if y == 1:
        assert loss.data == pytest.approx(math.log1p(math.exp(z)) - z, rel=1e-12)
        assert x.grad == pytest.approx(-(1.0 - p), rel=1e-12)
    else:
        # 1 - sigmoid(35) is 6.3e-16 but rounds to 6.7e-16 in floats: -log of it is 34.95,
        # near softplus(35) = 35.0; the slope stays near 1
        assert loss.data == pytest.approx(35.0, rel=1e-2)
        assert x.grad == pytest.approx(1.0, rel=1e-2)


def test_cross_entropy_at_equal_huge_logits_is_log_2_to_the_last_bit() -> None:
    # -log softmax(z)_0 at z = (c, c) is log 2 for any c (closed form). Adding log 2 to -1000
    # and subtracting -1000 again loses the last bits (0.6931471805598903); PyTorch subtracts
    # the max first and gets log 2 exactly.
    for c in (-1000.0, 1000.0, -740.0, 0.0):
        assert F.cross_entropy([c, c], 0).data == math.log(2.0)
        assert [v.data for v in F.log_softmax([c, c])] == [-math.log(2.0)] * 2
    assert F.cross_entropy([[-1000.0, -1000.0]], probs=[[0.5, 0.5]]).data == math.log(2.0)
