"""The image helpers of benchmarks/digits_search.py, checked on hand-made 8x8 images.

The search's conclusions (RESULTS.md) rest on these transforms doing what their names say:
a shift that moved the wrong way or a blur with the wrong weights would test something else.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

np = pytest.importorskip("numpy")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import digits_search  # noqa: E402


def image_with(*pixels: tuple[int, int]) -> object:
    grid = np.zeros((8, 8))
    for r, c in pixels:
        grid[r, c] = 1.0
    return grid.reshape(1, 64)


def ink(row: object) -> list[tuple[int, int]]:
    return [tuple(int(v) for v in rc) for rc in np.argwhere(np.asarray(row).reshape(8, 8))]


def test_shifted_moves_one_pixel_in_each_direction_in_order() -> None:
    copies = digits_search.shifted(image_with((3, 3)), 4)
    assert copies.shape == (5, 64)
    # the original, then right, left, down, up
    assert [ink(r) for r in copies] == [[(3, 3)], [(3, 4)], [(3, 2)], [(4, 3)], [(2, 3)]]


def test_shifted_with_eight_directions_adds_the_diagonals() -> None:
    copies = digits_search.shifted(image_with((3, 3)), 8)
    assert copies.shape == (9, 64)
    assert [ink(r) for r in copies[5:]] == [[(4, 4)], [(4, 2)], [(2, 4)], [(2, 2)]]


def test_shifted_drops_what_leaves_the_image_and_fills_with_zeros() -> None:
    copies = digits_search.shifted(image_with((0, 7)), 4)
    assert [ink(r) for r in copies] == [[(0, 7)], [], [(0, 6)], [(1, 7)], []]


def test_blur_spreads_one_pixel_with_binomial_weights() -> None:
    blurred = digits_search.preprocessed(image_with((4, 4)), "blur").reshape(8, 8)
    expected = np.zeros((8, 8))
    expected[3:6, 3:6] = np.outer([1, 2, 1], [1, 2, 1]) / 16.0
    assert np.allclose(blurred, expected, rtol=0, atol=1e-15)


def test_l2_and_sqrt_work_per_image() -> None:
    images = np.vstack([image_with((0, 0), (1, 1)), 0.25 * image_with((2, 2))])
    scaled = digits_search.preprocessed(images, "l2")
    assert np.allclose(np.linalg.norm(scaled, axis=1), [4.0, 4.0])
    assert np.allclose(digits_search.preprocessed(images, "sqrt")[1].max(), 0.5)
    assert digits_search.preprocessed(images, "none") is images


def test_standardise_uses_the_training_statistics_only() -> None:
    train_rows = [[0.0, 1.0], [2.0, 1.0]]
    test_rows = [[4.0, 3.0]]
    tr, te = digits_search.standardise(train_rows, test_rows)
    assert tr == [[-1.0, 0.0], [1.0, 0.0]]  # mean (1, 1), std (1, 0 -> 1)
    assert te == [[3.0, 2.0]]
