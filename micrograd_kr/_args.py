"""Argument helpers shared by ``data``, ``nn`` and ``serialize``: the seeded random generator,
the check that a setting is a finite real number, and values cut short for messages.

``data`` and ``nn`` both take a ``seed`` and real-valued settings (``noise``, ``slope``, a
parameter read from a file); they check them here, in one way and with one message.
"""

from __future__ import annotations

import math
import numbers
import random
import reprlib
from typing import Union

from .messages import say

__all__ = [
    "Seed",
    "seeded_rng",
    "finite_real",
    "short_repr",
    "described",
    "refused",
    "SHORT_REPR_CHARS",
]

Seed = Union[int, random.Random, None]

_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxlist, _REPR.maxdict = 2, 6, 4
_REPR.maxstring, _REPR.maxlong, _REPR.maxother = 70, 40, 70
SHORT_REPR_CHARS = 80


def short_repr(value: object) -> str:
    """``repr(value)`` cut to about 80 characters with an ellipsis, for error messages.

    A model file may hold a list of a million sizes or a megabyte-long string; quoting it
    whole would bury the message. reprlib also never builds the full repr first.
    """
    text = _REPR.repr(value)
    if len(text) > SHORT_REPR_CHARS:
        text = text[: SHORT_REPR_CHARS - 1] + "…"
    return text


def described(value: object) -> str:
    """What an error says it got: the type and a short repr (``str: 'abc'``)."""
    return f"{type(value).__name__}: {short_repr(value)}"


def refused(problem: str, got: str) -> str:
    """A message (from ``say``) and what was given: ``"... (x must be a number), got str: 'a'"``."""
    return say("args.got", problem=problem, got=got)


def seeded_rng(seed: Seed) -> random.Random:
    """A ``random.Random`` for ``seed``: an int seeds a new one; a Random is used (and advanced)."""
    if isinstance(seed, random.Random):
        return seed
    if seed is None:
        return random.Random()  # unseeded: different numbers every run
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(refused(say("shared.seed"), repr(seed)))
    return random.Random(seed)


def finite_real(value: object, name: str) -> float:
    """``value`` as a finite float, or a TypeError/ValueError naming the argument."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(refused(say("shared.must_be_number", what=name), described(value)))
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(refused(say("shared.must_be_finite", what=name), repr(value)))
    return number
