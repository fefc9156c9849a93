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

from ._args import Seed, finite_real, seeded_rng, short_repr

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
        raise TypeError(
            f"{what}은(는) int여야 합니다 ({what} must be an int), "
            f"got {type(n).__name__}: {short_repr(n)}"
        )
    if n < minimum:
        raise ValueError(
            f"{what}은(는) {minimum} 이상의 int여야 합니다 "
            f"({what} must be an int >= {minimum}), got {n!r}"
        )
    return n


def _flag(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise TypeError(
            f"{name}은(는) True 또는 False여야 합니다 ({name} must be True or False), "
            f"got {short_repr(value)}"
        )
    return value


def _finite_data(X: list[list[float]], y: Sequence[float], message: str) -> None:
    """Refuse data that overflowed to inf or nan: training on it would only 'diverge'."""
    if not all(math.isfinite(v) for row in X for v in row) or not all(math.isfinite(v) for v in y):
        raise ValueError(message)


def _noise(noise: object) -> float:
    value = finite_real(noise, "noise")
    if value < 0:
        raise ValueError(
            "noise는 0 이상의 유한한 수여야 합니다 "
            f"(noise must be a finite number >= 0), got {noise!r}"
        )
    return value


def _range(x_range: object) -> tuple[float, float]:
    if isinstance(x_range, (str, bytes)) or not isinstance(x_range, Iterable):
        raise TypeError(
            "x_range는 (low, high) 두 수여야 합니다 (x_range must be a pair (low, high)), "
            f"got {type(x_range).__name__}: {short_repr(x_range)}"
        )
    pair = tuple(x_range)
    if len(pair) != 2:
        raise ValueError(
            "x_range는 (low, high) 두 수여야 합니다 "
            f"(x_range must be (low, high)), got {len(pair)} value(s): {short_repr(x_range)}"
        )
    low, high = finite_real(pair[0], "x_range[0]"), finite_real(pair[1], "x_range[1]")
    if not low < high:
        raise ValueError(
            f"x_range는 low < high여야 합니다 (x_range must have low < high), got {x_range!r}"
        )
    if not math.isfinite(high - low):  # uniform(low, high) would give inf
        raise ValueError(
            "x_range가 너무 넓습니다: high - low가 float 범위를 넘습니다 "
            f"(x_range is too wide: high - low overflows), got {x_range!r}"
        )
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
    _finite_data(
        X,
        y,
        f"noise={noise:g}이(가) 너무 커서 좌표가 float 범위를 넘습니다 "
        "(noise overflows the coordinates to inf); 더 작은 noise를 쓰세요 (use a smaller noise)",
    )
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
        raise ValueError(
            "factor(안쪽 반지름)는 0과 1 사이여야 합니다 "
            f"(factor (inner radius) must be between 0 and 1), got {factor!r}"
        )
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
        raise ValueError(
            f"turns는 (0, 10] 안의 수여야 합니다 (turns must be a number in (0, 10]), got {turns!r}"
        )
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
        raise TypeError(
            "w는 숫자나 숫자의 리스트여야 합니다 (w must be a number or a list of numbers), "
            f"got {type(w).__name__}: {short_repr(w)}"
        )
    if isinstance(w, numbers.Real):
        ws = [finite_real(w, "w")]
    else:
        ws = [finite_real(v, f"w[{i}]") for i, v in enumerate(w)]
    if not ws:
        raise ValueError("w에는 가중치가 하나 이상 필요합니다 (w needs at least one weight)")
    bias = finite_real(b, "b")
    rng, noise = seeded_rng(seed), _noise(noise)
    low, high = _range(x_range)
    X = [[rng.uniform(low, high) for _ in ws] for _ in range(n)]
    y = [sum(wi * xi for wi, xi in zip(ws, x)) + bias + rng.gauss(0.0, noise) for x in X]
    _finite_data(
        X,
        y,
        "make_linear: y = w·x + b가 float 범위를 넘습니다 (y = w·x + b overflows to inf/nan); "
        f"w={short_repr(w)}, b={b!r}, x_range={short_repr(x_range)}, noise={noise:g}를 줄이세요 "
        "(use smaller w, b, x_range or noise)",
    )
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
    _finite_data(
        X,
        y,
        f"make_parabola: x_range={short_repr(x_range)}에서 y = x²가 float 범위를 넘습니다 "
        "(y = x² overflows to inf); |x| < 1e154인 x_range를 쓰세요 (use |x| < 1e154)",
    )
    return X, y


def train_test_split(
    X: Sequence[T], y: Sequence[Y], test_fraction: float = 0.25, seed: Seed = 0
) -> tuple[list[T], list[T], list[Y], list[Y]]:
    """Shuffle and split into ``(X_train, X_test, y_train, y_test)``.

    ``test_fraction`` of the samples (rounded, at least one) go to the test set.
    """
    if len(X) != len(y):
        raise ValueError(f"X와 y의 표본 수가 다릅니다 (X has {len(X)} samples but y has {len(y)})")
    if not 0 < finite_real(test_fraction, "test_fraction") < 1:
        raise ValueError(
            "test_fraction은 0과 1 사이여야 합니다 "
            f"(test_fraction must be between 0 and 1), got {test_fraction!r}"
        )
    if len(X) < 2:
        raise ValueError("나누려면 표본이 2개 이상 필요합니다 (need at least 2 samples to split)")
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
        raise RuntimeError(
            "micrograd_kr/datasets/digits.csv.gz 파일이 손상되었습니다: "
            "micrograd_kr를 다시 설치하세요 (is damaged: reinstall micrograd_kr)"
        )
    return X, y
