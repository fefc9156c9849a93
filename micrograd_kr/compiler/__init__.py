"""Trace a function once and turn its forward and backward pass into Python source you can read.

Backpropagation is a program transformation: for a fixed graph, the forward pass is a list of
assignments, one per node, and the backward pass is another list, one per (node, input) edge,

    v7 = v3 * v5            # mul            (forward)
    g3 = g3 + g7 * v5       # mul'           (backward: grad(input) += grad(node) * local)

``compile(f, example_inputs)`` goes through four steps, one module each:

1. ``trace.py``     runs ``f`` once on Values and keeps the graph (a ``Trace``);
2. ``ir.py``        numbers its nodes and writes the forward pass as assignments
                    (target, row of the table, arguments); the backward pass follows from them;
3. ``codegen.py``   turns the assignments into Python source, every expression written by the
                    table's own rules run on source text (``symbolic.py``); or ``lift.py``
                    groups the assignments of a layer into matrix operations first;
4. ``runtime.py``   runs the program (floats, or NumPy arrays for a whole batch), checking its
                    inputs and comparing itself with the eager engine.

Only node numbers, float constants (``repr``) and the names of the table's math functions
(``ops.FUNCTIONS``) ever reach the source; labels and other user strings never do.
Data-dependent choices (ReLU, max, abs, ...) are written as ``where(cond, a, b)`` in the
table, so each sample of a batch takes its own branch, not the one of the traced sample.

>>> from micrograd_kr import compile
>>> c = compile(lambda x, y: x * y + x.tanh(), [0.5, 2.0])
>>> out, (dx, dy) = c(0.5, 2.0)
>>> round(dy, 6)
0.5
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..engine import TraceError
from ..messages import say
from .codegen import check_source
from .ir import Program, lower
from .lift import check_lifted_source, lift_source
from .runtime import CHECKS, Compiled, Lifted, NumpyMath, check_mode, numpy_or_none
from .symbolic import SYM, Sym, SymMath
from .trace import Trace, trace

__all__ = [
    "compile",
    "trace",
    "lower",
    "Compiled",
    "Lifted",
    "Trace",
    "Program",
    "TraceError",
    "SYM",
    "Sym",
    "SymMath",
    "NumpyMath",
    "CHECKS",
    "check_source",
    "check_lifted_source",
    "lift_source",
    "numpy_or_none",
]


# shadows builtins.compile inside this package on purpose; codegen.build calls builtins.compile
def compile(
    f: Callable[..., Any],
    example_inputs: Sequence[Any],
    params: Any = None,
    lift: bool = False,
    check: str = "first",
) -> Compiled:
    """Trace ``f`` once at ``example_inputs`` and compile its forward and backward pass.

    ``f`` takes one Value per example input and returns a scalar Value; it may use Values it
    closes over (a model's parameters). Comparing Values inside ``f`` (``if x > 0``) raises a
    TraceError, because that choice would be frozen into the code. Read the result with
    ``compiled.source``.

    ``params``: the leaves to expose as arguments, whose gradients follow the inputs' in the
    result: a list of leaf Values, or a model (``params=model`` means
    ``model.parameters()``). By default every ``Parameter`` in the graph, in the order the
    Parameters were created, which for ``nn``'s Neuron, Layer and MLP is the order of
    ``model.parameters()``; ``compiled.param_names`` names them (``"L0.n0.w0"``, ...). Other
    leaves are constants.

    Reading ``.data`` inside ``f`` cannot be intercepted, and a branch or a number chosen
    from it is frozen into the code too. So the compiled function checks itself against
    the eager engine, as ``check`` says:

    * ``"first"`` (the default): at a second point near the example, then at the first
      call's inputs (for a batch: its first, middle and last samples). Only the first call:
      a later call with inputs on the other side of a ``.data`` branch is NOT checked;
    * ``"always"``: also every later call, at every sample of a batch (as slow as the eager
      engine: for finding a problem, not for training);
    * ``"never"``: no check.

    A disagreement raises a TraceError with both numbers. ``f`` therefore runs a few more
    times; it should have no side effects. (For a call with ``params=[...]``, the check sets
    the parameters' ``.data`` to those numbers while ``f`` runs, then puts them back.)

    ``lift=True``: also group the nodes that do the same operation side by side (a layer)
    into matrix operations, for fast batches (see ``micrograd_kr.compiler.lift``).
    """
    if not isinstance(lift, bool):
        raise TypeError(say("compile.lift_bool", lift=lift))
    check_mode(check)
    tr = trace(f, example_inputs, params)
    compiled = Lifted(tr, f, check=check) if lift else Compiled(tr, f, check=check)
    compiled._self_check()
    return compiled
