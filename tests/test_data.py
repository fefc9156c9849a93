"""Tests for micrograd_kr.data: shapes, labels, geometry and reproducibility of the toy sets."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from micrograd_kr import data

CLASSIFICATION = [
    lambda seed: data.make_moons(40, noise=0.1, seed=seed),
    lambda seed: data.make_circles(40, noise=0.1, seed=seed),
    lambda seed: data.make_spiral(10, classes=4, noise=0.1, seed=seed),
]
REGRESSION = [
    lambda seed: data.make_linear(30, seed=seed),
    lambda seed: data.make_parabola(30, noise=0.1, seed=seed),
]


@pytest.mark.parametrize("make", CLASSIFICATION + REGRESSION)
def test_same_seed_same_data_other_seed_other_data(make) -> None:
    assert make(1) == make(1)
    assert make(1) != make(2)
    assert make(random.Random(5)) == make(5)


@pytest.mark.parametrize("make", CLASSIFICATION)
def test_classification_shapes(make) -> None:
    X, y = make(0)
    assert len(X) == len(y) == 40
    assert all(isinstance(x, list) and len(x) == 2 for x in X)
    assert all(isinstance(v, float) for x in X for v in x)
    assert all(type(label) is int for label in y)


@pytest.mark.parametrize("make", REGRESSION)
def test_regression_shapes(make) -> None:
    X, y = make(0)
    assert len(X) == len(y) == 30
    assert all(len(x) == 1 for x in X)
    assert all(isinstance(t, float) for t in y)


def test_moons_geometry_without_noise() -> None:
    X, y = data.make_moons(51, seed=0)
    assert sorted(y) == [0] * 26 + [1] * 25
    for (a, b), label in zip(X, y):
        cx, cy = (0.0, 0.0) if label == 0 else (1.0, 0.5)
        assert math.hypot(a - cx, b - cy) == pytest.approx(1.0)
        assert (b >= -1e-12) if label == 0 else (b <= 0.5 + 1e-12)


def test_circles_geometry_without_noise() -> None:
    X, y = data.make_circles(20, factor=0.3, seed=0)
    for (a, b), label in zip(X, y):
        assert math.hypot(a, b) == pytest.approx(1.0 if label == 0 else 0.3)


def test_spiral_classes_and_radius() -> None:
    X, y = data.make_spiral(30, classes=3, seed=0)
    assert [y.count(c) for c in range(3)] == [30, 30, 30]
    assert max(math.hypot(a, b) for a, b in X) == pytest.approx(1.0)
    X5, y5 = data.make_spiral(7, classes=5, turns=2.0, seed=0)
    assert len(X5) == 35 and set(y5) == set(range(5))


def test_shuffle_false_keeps_classes_in_blocks() -> None:
    _, y = data.make_spiral(4, classes=3, shuffle=False)
    assert y == [0] * 4 + [1] * 4 + [2] * 4
    _, y = data.make_moons(6, shuffle=False)
    assert y == [0, 0, 0, 1, 1, 1]


def test_linear_targets_follow_the_formula() -> None:
    X, y = data.make_linear(20, w=[2.0, -1.0], b=0.5, noise=0.0, x_range=(-3, 3), seed=1)
    assert all(len(x) == 2 and min(x) >= -3 and max(x) <= 3 for x in X)
    for x, t in zip(X, y):
        assert t == pytest.approx(2.0 * x[0] - x[1] + 0.5)
    X, y = data.make_linear(200, w=3.0, b=-1.0, noise=0.5, seed=2)
    residuals = [t - (3.0 * x[0] - 1.0) for x, t in zip(X, y)]
    assert math.sqrt(sum(r * r for r in residuals) / len(residuals)) == pytest.approx(0.5, rel=0.2)


def test_parabola_is_x_squared() -> None:
    X, y = data.make_parabola(25, x_range=(-2, 2), seed=0)
    assert all(-2 <= x[0] <= 2 for x in X)
    assert y == [x[0] ** 2 for x in X]


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 60), st.floats(0, 1), st.integers(0, 10**6))
def test_moons_any_size(n: int, noise: float, seed: int) -> None:
    X, y = data.make_moons(n, noise=noise, seed=seed)
    assert len(X) == n and set(y) <= {0, 1}
    assert all(math.isfinite(v) for x in X for v in x)


@pytest.mark.parametrize(
    "call",
    [
        lambda: data.make_moons(1),
        lambda: data.make_moons(10, noise=-0.1),
        lambda: data.make_moons(10, noise=math.inf),
        lambda: data.make_moons(10.5),
        lambda: data.make_circles(10, factor=1.5),
        lambda: data.make_spiral(10, classes=1),
        lambda: data.make_spiral(0),
        lambda: data.make_spiral(10, turns=0),
        lambda: data.make_linear(10, x_range=(1, -1)),
        lambda: data.make_linear(10, w=[]),
        lambda: data.make_parabola(10, x_range=(0,)),
        lambda: data.make_parabola(10, seed="a"),
    ],
)
def test_bad_arguments(call) -> None:
    with pytest.raises((ValueError, TypeError)):
        call()


def test_train_test_split() -> None:
    X, y = data.make_moons(20, seed=0)
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_fraction=0.25, seed=3)
    assert len(X_test) == len(y_test) == 5 and len(X_train) == 15
    assert sorted(map(tuple, X_train + X_test)) == sorted(map(tuple, X))
    pairs = dict(zip(map(tuple, X), y))
    assert all(pairs[tuple(x)] == t for x, t in zip(X_train + X_test, y_train + y_test))
    assert data.train_test_split(X, y, seed=3) == data.train_test_split(X, y, seed=3)
    with pytest.raises(ValueError, match="samples"):
        data.train_test_split(X, y[:-1])
    with pytest.raises(ValueError, match="test_fraction"):
        data.train_test_split(X, y, test_fraction=1.0)


# --- load_digits: the UCI handwritten digits, shipped with the package ------------------------

# From the dataset's description (UCI, "Optical Recognition of Handwritten Digits", class
# distribution of the testing set optdigits.tes): examples of each digit 0..9.
UCI_TEST_SET_COUNTS = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


def test_load_digits_shape_and_class_counts() -> None:
    X, y = data.load_digits()
    assert len(X) == len(y) == 1797 == sum(UCI_TEST_SET_COUNTS)
    assert all(isinstance(x, list) and len(x) == 64 for x in X)  # 8 x 8 pixels
    assert all(type(label) is int for label in y)
    assert [y.count(d) for d in range(10)] == UCI_TEST_SET_COUNTS


def test_load_digits_pixels_are_counts_0_to_16_scaled_to_0_1() -> None:
    X, _ = data.load_digits()
    pixels = [v for x in X for v in x]
    assert min(pixels) == 0.0 and max(pixels) == 1.0
    # each pixel counts the set pixels of a 4 x 4 block: an integer 0..16, divided by 16
    assert {v * 16 for v in pixels} <= {float(k) for k in range(17)}
    assert all(isinstance(v, float) for v in pixels[:640])


def test_load_digits_gives_fresh_lists() -> None:
    X, y = data.load_digits()
    X[0][0], y[0] = 99.0, 99
    X2, y2 = data.load_digits()
    assert X2[0][0] != 99.0 and y2[0] != 99


def test_load_digits_images_match_their_labels() -> None:
    # Real handwriting with aligned labels: a nearest-centroid classifier fitted on the first
    # 1,500 samples recognises most of the other 297 (shuffled labels would give about 10%).
    X, y = data.load_digits()
    sums = [[0.0] * 64 for _ in range(10)]
    counts = [0] * 10
    for x, label in zip(X[:1500], y[:1500]):
        counts[label] += 1
        sums[label] = [s + v for s, v in zip(sums[label], x)]
    centroids = [[s / counts[d] for s in sums[d]] for d in range(10)]

    def nearest(x: list[float]) -> int:
        return min(range(10), key=lambda d: sum((a - b) ** 2 for a, b in zip(x, centroids[d])))

    correct = sum(nearest(x) == label for x, label in zip(X[1500:], y[1500:]))
    assert correct / 297 > 0.8, correct  # 253 of 297 (85%)


def test_load_digits_equals_scikit_learns_copy() -> None:
    sklearn_datasets = pytest.importorskip("sklearn.datasets")
    theirs = sklearn_datasets.load_digits()
    X, y = data.load_digits()
    assert y == theirs.target.tolist()
    assert (theirs.data / 16.0).tolist() == X
