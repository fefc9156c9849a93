"""Graph walks shared by the engine and the visualizer.

A graph is made of nodes that each know their inputs (``node._prev``). Nothing here changes a
node; these functions only read the graph.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .engine import Value

__all__ = ["topological_order", "edges", "count_nodes"]


def topological_order(root: Value) -> list[Value]:
    """Every node that ``root`` depends on, inputs before the nodes made from them.

    Depth-first search with an explicit stack instead of recursion, so a chain of a million
    nodes does not hit Python's recursion limit. A node is appended only after all of its
    inputs, and each node appears once even when it is used many times (``a + a``).
    """
    order: list[Value] = []
    visited: set[Value] = set()
    # The stack holds nodes still to visit, and `None` markers. When a node is visited its
    # inputs go on top of it, separated by a `None`: popping that `None` means every input
    # above it is done, so the node just below it can be placed. (Markers instead of
    # (node, done) pairs: on a deep graph a million pairs alive at once would keep Python's
    # garbage collector busy scanning them, and the time per node would grow with depth.)
    stack: list[Value | None] = [root]
    while stack:
        node = stack.pop()
        if node is None:
            order.append(stack.pop())  # type: ignore[arg-type]
        elif node not in visited:
            visited.add(node)
            stack.append(node)
            stack.append(None)
            for parent in node._prev:
                if parent not in visited:
                    stack.append(parent)
    return order


def edges(order: list[Value]) -> Iterator[tuple[Value, Value, int]]:
    """Each (input, output, position): ``input`` is argument ``position`` of ``output``."""
    for node in order:
        for position, parent in enumerate(node._prev):
            yield parent, node, position


def count_nodes(root: Value, limit: int | None = None) -> int:
    """Number of distinct nodes in the graph of ``root``; stops counting past ``limit``."""
    seen: set[Value] = {root}
    stack = [root]
    while stack:
        for parent in stack.pop()._prev:
            if parent not in seen:
                seen.add(parent)
                if limit is not None and len(seen) > limit:
                    return len(seen)
                stack.append(parent)
    return len(seen)
