"""A read-only view of a graph: order, indices, local derivatives and what to call nodes."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, Literal

from .._args import refused
from ..engine import DomainError, GraphError, Value
from ..graph import count_nodes
from ..lecture import summed_uses as summed_uses
from ..messages import english, one_language, say
from ..ops import FLOAT
from .errors import GraphTooLargeError
from .numbers import format_number
from .style import OP_DISPLAY
from .text import plain_text

# above this reuse_span, values reused far away are drawn again next to their use (far_uses)
REUSE_SPAN_MAX = 200

# which flows a drawing shows
Show = Literal["both", "forward", "backward"]


def readable_grad(node: Value) -> float | None:
    """``node.grad`` as a float; None for a constant whose derivative does not exist."""
    try:
        return float(node.grad)
    except (DomainError, GraphError):
        return None


def local_derivatives(node: Value) -> tuple[float | None, ...] | None:
    """d(node)/d(input_i) for each input, from the derivative table; None where undefined.

    Each input's rule is evaluated on its own, so an input where the rule has no value
    (the constant exponent 2 of ``e**2`` at e < 0: d/db = a^b·log a) does not hide the
    others' derivatives (d/da = 2·e). None for a leaf. (A hand-made node's row reads its
    rules off the node's own ``_backward``: see lecture.py. Repeated inputs whose uses it
    could not split are listed by ``summed_uses``.)
    """
    op = node._row
    if op is None or not node._prev:
        return None
    xs = [p.data for p in node._prev]

    def value(rule: Callable[[], Any]) -> float | None:
        try:
            return float(rule())
        except (ArithmeticError, ValueError, TypeError):
            return None  # e.g. sqrt'(0): the diagram shows "?" instead of failing

    if op.each is not None or len(op.derivatives) != len(xs):
        try:
            return tuple(float(d) for d in op.local_derivatives(FLOAT, node.data, *xs))
        except (ArithmeticError, ValueError, TypeError):
            return (None,) * len(xs)
    return tuple(value(functools.partial(rule, FLOAT, node.data, *xs)) for rule in op.derivatives)


def check_size(root: Value, max_nodes: int | None) -> None:
    if not isinstance(root, Value):
        raise TypeError(refused(say("viz.expected_value"), type(root).__name__))
    if max_nodes is None:
        return
    if count_nodes(root, limit=max_nodes) <= max_nodes:
        return
    # count further (still bounded) so the message can say how big the graph is
    cap = max(1_000_000, 10 * max_nodes)
    n = count_nodes(root, limit=cap)
    count = english("viz.more_than", n=f"{cap:,}") if n > cap else f"{n:,}"
    raise GraphTooLargeError(say("viz.graph_too_large", count=count, max_nodes=max_nodes))


class GraphView:
    """The numbers and names a drawing needs, computed once from a read-only walk."""

    def __init__(
        self,
        root: Value,
        order: list[Value],
        grads: Mapping[Value, float | None],
        precision: int,
    ) -> None:
        self.root = root
        self.order = order
        self.index = {node: i for i, node in enumerate(self.order)}
        self.grads = grads
        self.precision = precision

    def fmt(self, x: float) -> str:
        return format_number(x, self.precision)

    def fmt_grad(self, node: Value) -> str:
        """The node's gradient as drawn; a constant without a derivative says so."""
        g = self.grads[node]
        return say("shared.undefined") if g is None else self.fmt(g)

    def received(self, node: Value) -> float:
        """The gradient an operation's result received (only constants can lack one)."""
        g = self.grads[node]
        if g is None:
            raise ValueError(f"no gradient for {node!r}")
        return g

    def name(self, node: Value) -> str:
        """What captions call a node: its label, else something a reader can find."""
        if node.label:
            return plain_text(node.label)
        if node._row is not None:
            # a hand-made node's op is the user's text too
            op = OP_DISPLAY.get(node.op, node._row.symbol)
            return plain_text(one_language("viz.op_result", op=op))
        return one_language("viz.constant", value=self.fmt(node.data))

    def contributions(self, node: Value) -> list[tuple[float | None, float | None]]:
        """(local derivative, local * grad) for each input position of ``node``."""
        local = local_derivatives(node)
        g = self.received(node)
        if local is None:
            return [(None, None)] * len(node._prev)
        return [(d, None if d is None else d * g) for d in local]


def _heights(view: GraphView) -> tuple[list[int], dict[int, int]]:
    """Each value's height (longest path to the root) and the height of its leftmost use.

    Heights place every value as close to the root as its uses allow, which is where the
    layout pulls a subgraph that is used once: then only a reused value has long edges.
    """
    height = [0] * len(view.order)
    for i in range(len(view.order) - 1, -1, -1):
        for p in view.order[i]._prev:
            j = view.index[p]
            height[j] = max(height[j], height[i] + 1)
    leftmost_use: dict[int, int] = {}
    for i, node in enumerate(view.order):
        for p in node._prev:
            j = view.index[p]
            leftmost_use[j] = max(leftmost_use.get(j, height[i]), height[i])
    return height, leftmost_use


def _spans(view: GraphView) -> dict[tuple[int, int], int]:
    """For each use (consumer index, input position): the levels between it and its value's
    leftmost use. Graphviz routes an edge through one virtual node per level it crosses,
    and its crossing minimisation grows quickly with their number."""
    height, leftmost_use = _heights(view)
    return {
        (i, pos): leftmost_use[view.index[p]] - height[i]
        for i, node in enumerate(view.order)
        for pos, p in enumerate(node._prev)
    }


def reuse_span(view: GraphView) -> int:
    """How many levels, summed over uses, reused values reach past their leftmost use.

    A value used at several depths (``x`` in ``x + x + ... + x``, or ``x`` and ``y`` in
    ``x*y + x*y + ...``) needs an edge that crosses every level in between: this, not the
    count of values, is what makes a layout slow.
    """
    return sum(_spans(view).values())


def far_uses(view: GraphView) -> set[tuple[int, int]]:
    """The uses (consumer index, input position) drawn from a copy of the input.

    Empty unless the graph's reuse span is above REUSE_SPAN_MAX; then every use more than
    one level past the value's leftmost use gets a copy next to its operation, so no edge
    crosses more than a level or two and the layout stays fast.
    """
    spans = _spans(view)
    if sum(spans.values()) <= REUSE_SPAN_MAX:
        return set()
    return {use for use, span in spans.items() if span > 1}
