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


def _significant(x: float, digits: int) -> str:
    """``x`` with ``digits`` significant digits, trailing zeros dropped: 0.501, 1.002, 2.5e-05."""
    x = float(x)
    if not math.isfinite(x):
        return str(x)
    if x == 0:
        return "0"
    text = f"{x:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return f"{mantissa}e{int(exponent):+03d}"
    return text


def format_product(
    a: float, b: float, product: float, digits: int = 4, times: int = 1
) -> tuple[str, str, str]:
    """``a``, ``b`` and ``product`` (= times·a·b) as a label a reader can check by hand.

    All three get the same number of significant digits, ``digits`` or up to two more, so
    that the product of the two factors as shown, rounded the same way, is the result as
    shown: "2 × 0.501 = 1.002", not "2 × 0.501 = 1.0019". When no such width exists (the
    rounding of the factors moves the last digit), the result shown is that product of the
    shown factors, which differs from the exact one only past the shown digits. ``times``
    is an exact count written in front ("3 × 1 × 0.5 = 1.5", one input used 3 times).
    """
    first = max(digits, 1)
    if not all(math.isfinite(v) for v in (a, b, product)):
        return _significant(a, first), _significant(b, first), _significant(product, first)
    for n in range(first, first + 3):
        sa, sb, sp = _significant(a, n), _significant(b, n), _significant(product, n)
        if _significant(times * float(sa) * float(sb), n) == sp:
            return sa, sb, sp
    return sa, sb, _significant(times * float(sa) * float(sb), n)
