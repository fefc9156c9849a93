"""Grad mode and the tracing flag: switches that change what operations on Values do.

* ``no_grad()`` / ``enable_grad()``: whether an operation records its inputs (a graph).
* ``tracing()``: while ``compile`` traces a function, comparing Values is refused.
* ``rules_on_values``: while autodiff runs derivative rules on Values, ``float(v)`` is refused.
* ``forward_numbers``: while ``jvp`` runs a function, how a row is applied to its numbers.

Each lives in a context variable, not a global: each thread (and each asyncio task) has its
own, so one thread inside ``no_grad()`` never stops another from recording its graph.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ContextDecorator
from contextvars import ContextVar
from typing import Any

from .messages import say

__all__ = [
    "no_grad",
    "enable_grad",
    "is_grad_enabled",
    "tracing",
    "grad_mode",
    "tracing_active",
    "rules_on_values",
    "forward_numbers",
]

# True while operations record a graph (the default), False inside no_grad()
grad_mode: ContextVar[bool] = ContextVar("micrograd_kr_grad_mode", default=True)

# The modes that the open ``with`` blocks replaced, innermost last: per context as well, so
# one no_grad() object shared by threads or asyncio tasks restores each one's own mode.
_saved_modes: ContextVar[tuple[bool, ...]] = ContextVar("micrograd_kr_saved_modes", default=())


class _GradMode(ContextDecorator):
    """Sets whether operations record a graph for the duration of a ``with`` block.

    Re-entrant: every entry saves the mode it replaces, so nesting the same object (or a
    recursive function decorated with it) restores exactly the mode that was in force before.
    """

    enabled: bool

    def __init__(self, func: object = None) -> None:
        if func is not None:  # @no_grad written without parentheses
            name = type(self).__name__
            raise TypeError(say("mode.parentheses", name=name))

    def __enter__(self) -> _GradMode:
        _saved_modes.set((*_saved_modes.get(), grad_mode.get()))
        grad_mode.set(self.enabled)
        return self

    def __exit__(self, *exc: object) -> None:
        saved = _saved_modes.get()
        grad_mode.set(saved[-1])
        _saved_modes.set(saved[:-1])


class no_grad(_GradMode):
    """Inside ``with no_grad():`` operations record no inputs, so no graph is kept.

    Use it for inference and for parameter updates. Also works as a decorator. A Value
    computed here has no graph: calling ``backward()`` on it is an error.
    """

    enabled = False


class enable_grad(_GradMode):
    """Inside ``with enable_grad():`` operations record their inputs, even within ``no_grad()``.

    ``grad``, ``hessian`` and ``compile`` need a graph to do their job, so they use it: an
    outer ``no_grad()`` must not turn their derivatives into silent zeros.
    """

    enabled = True


def is_grad_enabled() -> bool:
    """True unless inside ``no_grad()`` (in this thread or context)."""
    return grad_mode.get()


# While ``compile`` traces a function, comparing Values is refused: the choice would be made
# once and frozen into the generated code. Other threads compare Values as usual meanwhile.
tracing_active: ContextVar[bool] = ContextVar("micrograd_kr_tracing", default=False)


class tracing:
    """Inside ``with tracing():`` comparing two Values (``x > 0``) raises a TraceError."""

    def __enter__(self) -> None:
        self._token = tracing_active.set(True)

    def __exit__(self, *exc: object) -> None:
        tracing_active.reset(self._token)


# While autodiff runs derivative rules on Values (grad of grad, hessian), float(v) - which
# math.cos(v) calls - would turn a Value into a number and lose its derivative: refused.
rules_on_values: ContextVar[bool] = ContextVar("micrograd_kr_rules_on_values", default=False)


# While ``jvp`` (forward.py) runs a function, ``engine.apply_op`` hands each row to forward
# mode: ``forward_numbers(row, operands, graph_apply)``, so nn and functional, which apply rows
# by name, compute on its numbers (value and tangent) without keeping a graph. None otherwise.
forward_numbers: ContextVar[Callable[..., Any] | None] = ContextVar(
    "micrograd_kr_forward_numbers", default=None
)
