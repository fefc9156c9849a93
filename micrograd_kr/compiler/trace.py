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
        raise TypeError(
            f"compile: f는 함수여야 합니다 (f must be a function (a callable)), "
            f"got {type(f).__name__}"
        )
    if isinstance(example_inputs, (str, bytes)) or not isinstance(example_inputs, Sequence):
        raise TypeError(
            "example_inputs는 숫자의 리스트여야 합니다 "
            f"(example_inputs must be a list of numbers), got {type(example_inputs).__name__}"
        )
    inputs = [Value(x.data if isinstance(x, Value) else x) for x in example_inputs]
    # tracing(): comparing Values in f raises (the choice would be frozen into the code);
    # enable_grad(): an outer no_grad() would record no graph
    with tracing(), enable_grad():
        out = f(*inputs)
    if not isinstance(out, Value):
        if isinstance(out, bool) or not isinstance(out, (int, float)):
            raise TypeError(
                "f는 Value나 숫자를 돌려주어야 합니다 "
                f"(f must return a Value or a number), got {type(out).__name__}"
            )
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
        raise _wrong_params(f"got {type(params).__name__}")
    param_list = list(params)
    for i, p in enumerate(param_list):
        if not isinstance(p, Value):
            raise _wrong_params(f"params[{i}] is a {type(p).__name__}")
        if p._prev:
            raise _wrong_params(f"params[{i}] is computed by an operation, not a leaf")
    if len(set(param_list)) != len(param_list):
        raise ValueError("params에 같은 Value가 두 번 있습니다 (params lists the same Value twice)")
    return param_list


def _wrong_params(detail: str) -> TypeError:
    return TypeError(
        "params에는 잎 노드 Value의 리스트나 모델을 넣을 수 있습니다 "
        f"(params must be leaf Values (e.g. model.parameters()) or a model): {detail}"
    )
