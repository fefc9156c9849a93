"""Tracing: run ``f`` once on Values and keep the graph it builds.

The first step of the compiler (``trace -> IR -> source -> runtime``): ``trace(f, example)``
calls ``f`` on fresh leaf Values holding the example inputs, with comparisons of Values
refused (a choice would be frozen into the code) and gradients recorded even under
``no_grad()``. The result, a ``Trace``, lists the graph's nodes in topological order; ``ir.py``
numbers them and turns them into assignments.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..engine import Parameter, Value, enable_grad, tracing
from ..graph import topological_order
from ..messages import say

__all__ = ["Trace", "trace"]


@dataclass
class Trace:
    """The graph of one call of ``f``: its output, input leaves, parameters and node order."""

    output: Value
    inputs: list[Value]
    params: list[Value]
    order: list[Value]


def trace(f: Callable[..., Any], example_inputs: Sequence[Any], params: Any = None) -> Trace:
    """Call ``f`` once on fresh leaf Values holding ``example_inputs`` and record the graph.

    ``params``: the learnable leaves to treat as arguments of the compiled function (in this
    order), e.g. ``model.parameters()``, or a model itself (anything with ``.parameters()``).
    ``None`` takes every ``Parameter`` in the graph, in the order they were created: for the
    modules of ``nn`` that is the order of ``model.parameters()``.
    Every other leaf is a constant and is written into the code as a number.
    """
    if not callable(f):
        raise TypeError("compile: " + say("compile.f_not_callable", kind=type(f).__name__))
    if isinstance(example_inputs, (str, bytes)) or not isinstance(example_inputs, Sequence):
        raise TypeError(say("compile.example_inputs", kind=type(example_inputs).__name__))
    inputs = [Value(x.data if isinstance(x, Value) else x) for x in example_inputs]
    # tracing(): comparing Values in f raises (the choice would be frozen into the code);
    # enable_grad(): an outer no_grad() would record no graph
    with tracing(), enable_grad():
        out = f(*inputs)
    if not isinstance(out, Value):
        if isinstance(out, bool) or not isinstance(out, (int, float)):
            raise TypeError(say("compile.f_result", kind=type(out).__name__))
        out = Value(out)
    order = topological_order(out)
    if params is None:
        found = [v for v in order if isinstance(v, Parameter) and not v._prev]
        # creation order, not the graph walk's: gradients line up with model.parameters()
        param_list: list[Value] = sorted(found, key=_serial)
    else:
        param_list = _param_list(params)
    return Trace(out, inputs, param_list, order)


def _serial(p: Value) -> float:
    """When a Parameter was made (its place among all Parameters); inf if unknown."""
    serial: float = getattr(p, "_serial", math.inf)
    return serial


def _param_list(params: Any) -> list[Value]:
    """``params=``: leaf Values, or a model whose ``.parameters()`` lists them."""
    if callable(getattr(params, "parameters", None)):
        params = params.parameters()
    if isinstance(params, (str, bytes)) or not isinstance(params, Iterable):
        raise _wrong_params(say("compile.params_got", kind=type(params).__name__))
    param_list = list(params)
    for i, p in enumerate(param_list):
        if not isinstance(p, Value):
            raise _wrong_params(say("compile.params_item_kind", i=i, kind=type(p).__name__))
        if p._prev:
            raise _wrong_params(say("compile.params_item_not_leaf", i=i))
    if len(set(param_list)) != len(param_list):
        raise ValueError(say("compile.params_twice"))
    return param_list


def _wrong_params(detail: str) -> TypeError:
    return TypeError(say("compile.params_kind", detail=detail))
