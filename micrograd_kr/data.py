"""Small toy datasets in pure Python, reproducible from a seed.

Every generator returns ``(X, y)``:

* ``X`` is a list of N samples, each a list of features (``X[i] == [x1, x2]`` for 2-D data);
* ``y`` is a list of N targets: int class labels 0..k-1 for classification, floats for
  regression.

Randomness comes only from ``random.Random(seed)`` (or a ``random.Random`` you pass), so the
same seed gives the same data on every run and machine, without NumPy.

``load_digits()`` is a real dataset, shipped with the package (no download): 1,797 handwritten
digits from the UCI Machine Learning Repository (CC BY 4.0; see ``datasets/README.md``).
"""

from __future__ import annotations

import gzip
import math
import numbers
import random
from collections.abc import Iterable, Sequence
from importlib import resources
from typing import TypeVar

from ._args import Seed, described, finite_real, refused, seeded_rng, short_repr
from .messages import say

__all__ = [
    "make_moons",
    "make_circles",
    "make_spiral",
    "make_linear",
    "make_parabola",
    "train_test_split",
    "load_digits",
]

T = TypeVar("T")
Y = TypeVar("Y")


def _count(n: object, what: str, minimum: int = 1) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(refused(say("args.must_be_int", what=what), described(n)))
    if n < minimum:
        problem = say("data.int_at_least", what=what, minimum=minimum)
        raise ValueError(refused(problem, repr(n)))
    return n


def _flag(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise TypeError(refused(say("args.must_be_bool", what=name), short_repr(value)))
    return value


def _finite_data(X: list[list[float]], y: Sequence[float]) -> bool:
    """False for data that overflowed to inf or nan: training on it would only 'diverge'."""
    return all(math.isfinite(v) for row in X for v in row) and all(math.isfinite(v) for v in y)


def _noise(noise: object) -> float:
    value = finite_real(noise, "noise")
    if value < 0:
        raise ValueError(refused(say("args.finite_nonnegative", what="noise"), repr(noise)))
    return value


def _range(x_range: object) -> tuple[float, float]:
    if isinstance(x_range, (str, bytes)) or not isinstance(x_range, Iterable):
        raise TypeError(refused(say("data.x_range_pair"), described(x_range)))
    pair = tuple(x_range)
    if len(pair) != 2:
        got = f"{len(pair)} value(s): {short_repr(x_range)}"
        raise ValueError(refused(say("data.x_range_pair"), got))
    low, high = finite_real(pair[0], "x_range[0]"), finite_real(pair[1], "x_range[1]")
    if not low < high:
        raise ValueError(refused(say("data.x_range_order"), repr(x_range)))
    if not math.isfinite(high - low):  # uniform(low, high) would give inf
        raise ValueError(refused(say("data.x_range_too_wide"), repr(x_range)))
    return low, high


def _spaced(count: int, stop: float) -> list[float]:
    """``count`` evenly spaced numbers from 0 to ``stop`` inclusive (just 0 if count is 1)."""
    if count == 1:
        return [0.0]
    return [stop * i / (count - 1) for i in range(count)]


def _finish(
    points: list[tuple[list[float], int]], rng: random.Random, noise: float, shuffle: bool
) -> tuple[list[list[float]], list[int]]:
    if noise > 0:
        points = [([v + rng.gauss(0.0, noise) for v in x], label) for x, label in points]
    if _flag(shuffle, "shuffle"):
        rng.shuffle(points)
    X, y = [x for x, _ in points], [label for _, label in points]
    if not _finite_data(X, y):
        overflow = say("data.noise_overflow", noise=f"{noise:g}")
        raise ValueError(f"{overflow}; " + say("data.smaller_noise"))
    return X, y


def make_moons(
    n: int = 100, noise: float = 0.0, seed: Seed = 0, shuffle: bool = True
) -> tuple[list[list[float]], list[int]]:
    """Two interleaving half circles in 2-D: the classic not-linearly-separable toy problem.

    Class 0 is the upper half circle of radius 1 around (0, 0); class 1 is the lower half
    circle around (1, 0.5). ``noise`` is the standard deviation of Gaussian noise added to
    each coordinate. Returns ``X`` (n lists of 2 floats) and ``y`` (n ints, 0 or 1).
    """
    n = _count(n, "n", 2)
    rng, noise = seeded_rng(seed), _noise(noise)
    n_upper = n - n // 2
    points = [([math.cos(a), math.sin(a)], 0) for a in _spaced(n_upper, math.pi)]
    points += [([1.0 - math.cos(a), 0.5 - math.sin(a)], 1) for a in _spaced(n // 2, math.pi)]
    return _finish(points, rng, noise, shuffle)


def make_circles(
    n: int = 100, noise: float = 0.0, factor: float = 0.5, seed: Seed = 0, shuffle: bool = True
) -> tuple[list[list[float]], list[int]]:
    """Two circles around the origin: class 0 on radius 1, class 1 on radius ``factor``.

    Returns ``X`` (n lists of 2 floats) and ``y`` (n ints, 0 or 1).
    """
    n = _count(n, "n", 2)
    if not 0 < finite_real(factor, "factor") < 1:
        raise ValueError(refused(say("data.factor_range"), repr(factor)))
    rng, noise = seeded_rng(seed), _noise(noise)
    points = []
    for label, (count, radius) in enumerate(((n - n // 2, 1.0), (n // 2, float(factor)))):
        for i in range(count):
            a = 2 * math.pi * i / count
            points.append(([radius * math.cos(a), radius * math.sin(a)], label))
    return _finish(points, rng, noise, shuffle)


def make_spiral(
    n_per_class: int = 30,
    classes: int = 3,
    noise: float = 0.0,
    turns: float = 0.75,
    seed: Seed = 0,
    shuffle: bool = True,
) -> tuple[list[list[float]], list[int]]:
    """``classes`` spiral arms in 2-D, ``n_per_class`` points each.

    Arm c starts near the origin at angle 2π·c/classes and winds ``turns`` full turns while
    its radius grows to 1. ``noise`` is the standard deviation of Gaussian noise added to each
    coordinate. Returns ``X`` (n_per_class·classes lists of 2 floats) and ``y`` (ints 0..k-1).
    """
    n_per_class = _count(n_per_class, "n_per_class")
    classes = _count(classes, "classes", 2)
    if not 0 < finite_real(turns, "turns") <= 10:
        raise ValueError(refused(say("data.turns_range"), repr(turns)))
    rng, noise = seeded_rng(seed), _noise(noise)
    points = []
    for c in range(classes):
        for i in range(n_per_class):
            r = (i + 1) / n_per_class  # from just off the origin out to radius 1
            a = 2 * math.pi * (c / classes + turns * r)
            points.append(([r * math.cos(a), r * math.sin(a)], c))
    return _finish(points, rng, noise, shuffle)


def make_linear(
    n: int = 50,
    w: float | Sequence[float] = 2.0,
    b: float = 1.0,
    noise: float = 0.1,
    x_range: Sequence[float] = (-1.0, 1.0),
    seed: Seed = 0,
) -> tuple[list[list[float]], list[float]]:
    """Regression data on a line (plane): y = w·x + b + Gaussian noise (seeds 000 and 004).

    ``w`` is a number (one feature) or a list (one weight per feature); each feature is drawn
    uniformly from ``x_range``. Returns ``X`` (n lists of len(w) floats) and ``y`` (n floats).
    """
    n = _count(n, "n")
    if isinstance(w, (str, bytes)) or not isinstance(w, (numbers.Real, Iterable)):
        raise TypeError(refused(say("data.w_type"), described(w)))
    if isinstance(w, numbers.Real):
        ws = [finite_real(w, "w")]
    else:
        ws = [finite_real(v, f"w[{i}]") for i, v in enumerate(w)]
    if not ws:
        raise ValueError(say("data.w_empty"))
    bias = finite_real(b, "b")
    rng, noise = seeded_rng(seed), _noise(noise)
    low, high = _range(x_range)
    X = [[rng.uniform(low, high) for _ in ws] for _ in range(n)]
    y = [sum(wi * xi for wi, xi in zip(ws, x)) + bias + rng.gauss(0.0, noise) for x in X]
    if not _finite_data(X, y):
        settings = f"w={short_repr(w)}, b={b!r}, x_range={short_repr(x_range)}, noise={noise:g}"
        overflow = say("data.linear_overflow", settings=settings)
        raise ValueError(f"make_linear: {overflow}; " + say("data.smaller_linear"))
    return X, y


def make_parabola(
    n: int = 50,
    x_range: Sequence[float] = (-1.0, 1.0),
    noise: float = 0.0,
    seed: Seed = 0,
) -> tuple[list[list[float]], list[float]]:
    """Regression data on y = x² (+ Gaussian noise), x uniform in ``x_range`` (seed 004).

    No straight line fits it well, which is the point: only a network with a nonlinear
    activation can. Returns ``X`` (n lists of 1 float) and ``y`` (n floats).
    """
    n = _count(n, "n")
    rng, noise = seeded_rng(seed), _noise(noise)
    low, high = _range(x_range)
    xs = [rng.uniform(low, high) for _ in range(n)]
    X, y = [[x] for x in xs], [x * x + rng.gauss(0.0, noise) if noise else x * x for x in xs]
    if not _finite_data(X, y):
        overflow = say("data.parabola_overflow", x_range=short_repr(x_range))
        raise ValueError(f"make_parabola: {overflow}; " + say("data.smaller_x_range"))
    return X, y


def train_test_split(
    X: Sequence[T], y: Sequence[Y], test_fraction: float = 0.25, seed: Seed = 0
) -> tuple[list[T], list[T], list[Y], list[Y]]:
    """Shuffle and split into ``(X_train, X_test, y_train, y_test)``.

    ``test_fraction`` of the samples (rounded, at least one) go to the test set.
    """
    if len(X) != len(y):
        raise ValueError(say("data.sample_counts", x=len(X), y=len(y)))
    if not 0 < finite_real(test_fraction, "test_fraction") < 1:
        raise ValueError(refused(say("data.fraction_range"), repr(test_fraction)))
    if len(X) < 2:
        raise ValueError(say("data.split_needs_two", n=len(X)))
    order = list(range(len(X)))
    seeded_rng(seed).shuffle(order)
    n_test = min(len(X) - 1, max(1, round(len(X) * test_fraction)))
    test, train = order[:n_test], order[n_test:]
    return [X[i] for i in train], [X[i] for i in test], [y[i] for i in train], [y[i] for i in test]


# --- a real dataset ------------------------------------------------------------------------------

DIGITS_SAMPLES = 1797
DIGITS_PIXELS = 64  # 8 x 8
_DIGITS_MAX = 16  # each pixel counts the set pixels of a 4 x 4 block: 0..16


def load_digits() -> tuple[list[list[float]], list[int]]:
    """The 8x8 handwritten digits: 1,797 samples of 10 classes, read from the package.

    Returns ``X``, a list of 1,797 lists of 64 floats in [0, 1] (the 8x8 image row by row,
    pixel counts 0..16 divided by 16), and ``y``, a list of ints 0..9. The samples are in the
    file's order (the same as ``sklearn.datasets.load_digits``), so ``X[:1500]`` and
    ``X[1500:]`` are a fixed split.

    Source: "Optical Recognition of Handwritten Digits" by E. Alpaydin and C. Kaynak (1998),
    UCI Machine Learning Repository, doi:10.24432/C50P49, its test set of 1,797 samples;
    licensed CC BY 4.0. Nothing is downloaded: the data ships with micrograd_kr.
    """
    raw = (resources.files("micrograd_kr") / "datasets" / "digits.csv.gz").read_bytes()
    X: list[list[float]] = []
    y: list[int] = []
    for line in gzip.decompress(raw).decode("ascii").splitlines():
        *pixels, label = (int(v) for v in line.split(","))
        X.append([p / _DIGITS_MAX for p in pixels])
        y.append(label)
    # a damaged install should fail here, not as a strange training result later
    if len(X) != DIGITS_SAMPLES or any(len(x) != DIGITS_PIXELS for x in X):
        raise RuntimeError("micrograd_kr/datasets/digits.csv.gz: " + say("data.digits_damaged"))
    return X, y
