"""Numbers as a diagram shows them."""

from __future__ import annotations

import math


def format_number(x: float, precision: int = 4) -> str:
    """A short, readable form of ``x``: ``0.8814``, ``-3``, ``1.5e-05``.

    Up to ``precision`` decimals with trailing zeros dropped; scientific notation for numbers
    too small or too large to show that way.
    """
    x = float(x)
    if not math.isfinite(x):
        return str(x)
    if x == 0:
        return "0"  # also -0.0
    if 10.0 ** (1 - precision) <= abs(x) < 1e6:
        return f"{x:.{precision}f}".rstrip("0").rstrip(".")
    mantissa, exponent = f"{x:.{max(precision - 1, 0)}e}".split("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(exponent):+03d}"
