"""Checks of the arguments of ``draw_dot`` and ``animate_backward``: one clear error each.

They run before anything is walked or rendered, so a typo costs nothing.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

from .._args import described, refused
from ..messages import say

# "auto" picks LR or TB by rendering (diagram.layout_directions); DOT gets a concrete one
RANKDIRS = ("auto", "LR", "RL", "TB", "BT")
SHOWS = ("both", "forward", "backward")
EDGE_LABELS = ("auto", "product", "value", "none")
FORMATS = ("svg", "png", "pdf", "dot")
MAX_PRECISION = 17  # a float64 has at most 17 significant digits


def check_choice(name: str, value: object, choices: Sequence[str]) -> None:
    if not isinstance(value, str) or value not in choices:
        allowed = ", ".join(repr(c) for c in choices)
        raise ValueError(refused(say("viz.one_of", name=name, allowed=allowed), repr(value)))


def check_int(name: str, value: object, low: int, high: int | None = None) -> None:
    """An int (not a bool, not 2.5) from ``low`` to ``high``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(refused(say("args.must_be_int", what=name), described(value)))
    n = int(value)
    if n < low or (high is not None and n > high):
        if high is None:
            problem = say("viz.int_at_least", name=name, low=low)
        else:
            problem = say("viz.int_between", name=name, low=low, high=high)
        raise ValueError(refused(problem, str(n)))


def check_bool(name: str, value: object) -> None:
    if not isinstance(value, bool):
        raise TypeError(refused(say("args.must_be_bool", what=name), repr(value)))


def check_text(name: str, value: object) -> None:
    if value is not None and not isinstance(value, str):
        raise TypeError(refused(say("viz.text_or_none", name=name), described(value)))


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
