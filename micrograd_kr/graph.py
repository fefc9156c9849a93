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
    stack: list[tuple[Value, bool]] = [(root, False)]
    while stack:
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)
            continue
        if node in visited:
            continue
        visited.add(node)
        stack.append((node, True))  # comes back here once every input is in `order`
        for parent in node._prev:
            if parent not in visited:
                stack.append((parent, False))
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
