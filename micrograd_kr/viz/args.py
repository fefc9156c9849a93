"""Checks of the arguments of ``draw_dot`` and ``animate_backward``: one clear error each.

They run before anything is walked or rendered, so a typo costs nothing.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

# "auto" picks LR or TB by rendering (diagram.layout_directions); DOT gets a concrete one
RANKDIRS = ("auto", "LR", "RL", "TB", "BT")
SHOWS = ("both", "forward", "backward")
EDGE_LABELS = ("auto", "product", "value", "none")
FORMATS = ("svg", "png", "pdf", "dot")
MAX_PRECISION = 17  # a float64 has at most 17 significant digits


def check_choice(name: str, value: object, choices: Sequence[str]) -> None:
    if not isinstance(value, str) or value not in choices:
        allowed = ", ".join(repr(c) for c in choices)
        raise ValueError(
            f"{name}는 {allowed} 중 하나여야 합니다 ({name} must be one of {allowed}); "
            f"got {value!r}"
        )


def check_int(name: str, value: object, low: int, high: int | None = None) -> None:
    """An int (not a bool, not 2.5) from ``low`` to ``high``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name}는 정수여야 합니다 ({name} must be an int); "
            f"got {value!r} ({type(value).__name__})"
        )
    n = int(value)
    if n < low or (high is not None and n > high):
        span = f"{low} 이상" if high is None else f"{low}에서 {high} 사이"
        english = f">= {low}" if high is None else f"from {low} to {high}"
        raise ValueError(f"{name}는 {span}여야 합니다 ({name} must be {english}); got {n}")


def check_bool(name: str, value: object) -> None:
    if not isinstance(value, bool):
        raise TypeError(
            f"{name}는 True 또는 False여야 합니다 ({name} must be True or False); got {value!r}"
        )


def check_text(name: str, value: object) -> None:
    if value is not None and not isinstance(value, str):
        raise TypeError(
            f"{name}는 문자열이나 None이어야 합니다 ({name} must be a str or None); "
            f"got {value!r} ({type(value).__name__})"
        )


def check_drawing(
    *, rankdir: object, show: object, max_nodes: object, precision: object, title: object
) -> None:
    """The arguments that ``draw_dot`` and ``animate_backward`` share."""
    check_choice("rankdir", rankdir, RANKDIRS)
    check_choice("show", show, SHOWS)
    if max_nodes is not None:
        check_int("max_nodes", max_nodes, 1)
    check_int("precision", precision, 0, MAX_PRECISION)
    check_text("title", title)
