"""A read-only view of a graph: order, indices, local derivatives and what to call nodes."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from typing import Any, Literal

from ..engine import DomainError, GraphError, HandMade, Value
from ..graph import count_nodes
from ..ops import FLOAT, OPS, Op
from .errors import GraphTooLargeError
from .numbers import format_number
from .style import OP_DISPLAY
from .text import plain_text

# above this reuse_span, values reused far away are drawn again next to their use (far_uses)
REUSE_SPAN_MAX = 200

# which flows a drawing shows
Show = Literal["both", "forward", "backward"]

# what a diagram shows for a constant whose derivative does not exist (0.0 ** x at x = 0.5)
UNDEFINED = "정의되지 않음 (undefined)"


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
    others' derivatives (d/da = 2·e). None for a leaf. A hand-made node (the lecture's
    ``Value(data, (a, b), '*')``) has no table row: its own ``_backward`` is asked instead.
    """
    if isinstance(node, HandMade):
        return _hand_made_derivatives(node)
    op = node._row
    if op is None or op.arity == 0:
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


def _hand_made_derivatives(node: Value) -> tuple[float | None, ...] | None:
    """The local derivatives of a hand-made node, read off its own ``_backward`` closure.

    The closure adds local * out.grad into each input's grad, so running it once with
    out.grad = 1 and the inputs' grads at 0 leaves exactly the local derivatives there. Every
    grad it may touch is put back afterwards: drawing changes nothing. None when the closure
    is missing or fails.

    An input used twice (the lecture's ``Value(a.data * a.data, (a, a), '*')``) receives the
    sum of both uses, and a run of the closure cannot split it. When the node's symbol names a
    row of the table with as many inputs, whose forward rule gives the node's data and whose
    derivatives add up to what the closure gave, each use gets that row's derivative
    (a·a: 3 and 3, not 6 and 0). Otherwise the sum stands at the input's first use and its
    other uses are marked as counted there (see ``summed_uses``).
    """
    totals = _closure_totals(node)
    if totals is None:
        return None
    local: list[float | None] = [None] * len(node._prev)
    seen: set[int] = set()
    for pos, v in enumerate(node._prev):
        if id(v) not in seen:
            local[pos] = totals[id(v)]
        seen.add(id(v))
    if len(seen) < len(node._prev):
        split = _split_by_table(node, totals)
        if split is not None:
            return split
    return tuple(local)


def summed_uses(node: Value) -> dict[int, int]:
    """For a hand-made node whose repeated input could not be split (see above): each
    position of such an input -> its first position, where the sum of all uses stands."""
    if not isinstance(node, HandMade) or len(set(map(id, node._prev))) == len(node._prev):
        return {}
    totals = _closure_totals(node)
    if totals is None or _split_by_table(node, totals) is not None:
        return {}
    first: dict[int, int] = {}
    out: dict[int, int] = {}
    for pos, v in enumerate(node._prev):
        first.setdefault(id(v), pos)
        if node._prev.count(v) > 1:
            out[pos] = first[id(v)]
    return out


def _closure_totals(node: Value) -> dict[int, float] | None:
    """id(input) -> what the node's closure adds into that input's grad for out.grad = 1."""
    inputs = list(dict.fromkeys(node._prev))  # each input once, in order
    try:
        saved = [(v, v.grad) for v in [node, *inputs]]
    except (DomainError, GraphError):  # a constant input whose own gradient is undefined
        return None
    try:
        for v in inputs:
            v.grad = 0.0
        node.grad = 1.0
        node._backward()
        return {id(v): float(v.grad) for v in inputs}
    except Exception:  # a learner's closure may raise anything: the diagram shows "?"
        return None
    finally:
        for v, g in saved:
            v.grad = g


def _split_by_table(node: Value, totals: dict[int, float]) -> tuple[float | None, ...] | None:
    """The per-use derivatives from the table row the node's symbol names, if that row
    reproduces the node's data and agrees with the closure's sums; else None."""
    xs = [p.data for p in node._prev]
    for row in _rows_for(node._op, len(xs)):
        try:
            if not math.isclose(float(row.forward(FLOAT, *xs)), node.data, rel_tol=1e-9):
                continue
            local = tuple(float(d) for d in row.local_derivatives(FLOAT, node.data, *xs))
        except (ArithmeticError, ValueError, TypeError):
            continue
        sums: dict[int, float] = {}
        for v, d in zip(node._prev, local):
            sums[id(v)] = sums.get(id(v), 0.0) + d
        if all(math.isclose(sums[k], t, rel_tol=1e-9, abs_tol=1e-12) for k, t in totals.items()):
            return local
    return None


def _rows_for(symbol: str, arity: int) -> list[Op]:
    return [
        row
        for row in OPS.values()
        if row.symbol == symbol and (row.arity == arity or row.arity is None)
    ]


def check_size(root: Value, max_nodes: int | None) -> None:
    if not isinstance(root, Value):
        raise TypeError(
            f"그릴 Value를 주세요 (expected a Value to draw), got {type(root).__name__}"
        )
    if max_nodes is None:
        return
    if count_nodes(root, limit=max_nodes) <= max_nodes:
        return
    # count further (still bounded) so the message can say how big the graph is
    cap = max(1_000_000, 10 * max_nodes)
    n = count_nodes(root, limit=cap)
    ko, en = (f"{cap:,}개가 넘어", f"more than {cap:,}") if n > cap else (f"{n:,}개로", f"{n:,}")
    raise GraphTooLargeError(
        f"그래프의 값이 {ko} max_nodes={max_nodes}보다 많습니다: 그림이 너무 커서 읽을 수 "
        "없습니다. 더 작은 부분(예: 뉴런 하나)을 그리거나, 그래도 그리려면 max_nodes=None(또는 더 "
        f"큰 수)을 주세요 (the graph has {en} values, more than max_nodes={max_nodes}; a diagram "
        "that big is unreadable. Draw a smaller part, e.g. one neuron, or pass max_nodes=None "
        "or a larger number to draw it anyway)"
    )


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
        return UNDEFINED if g is None else self.fmt(g)

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
            return plain_text(f"({OP_DISPLAY.get(node.op, node._row.symbol)}) 결과")
        return f"상수 {self.fmt(node.data)}"

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
