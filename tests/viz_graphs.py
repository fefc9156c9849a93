"""Graphs that more than one viz test file draws."""

from __future__ import annotations

from micrograd_kr import Value


def reused_along_a_chain(n: int) -> Value:
    """x + x + ... + x (n terms), after backward(): one value used by ops far to its right."""
    x = Value(1.0, label="x")
    y = x
    for _ in range(n - 1):
        y = y + x
    y.backward()
    return y
