"""Graph walks shared by autodiff, the compiler and the visualizer.

A graph is made of nodes that each know their inputs (``node._prev``). Nothing here changes a
node; these functions only read the graph. ``topological_order`` is defined in engine.py,
where backward() uses it (a learner reads it there), and is offered here with the others.
"""

from __future__ import annotations

from collections.abc import Iterator

from .engine import Value, topological_order

__all__ = ["topological_order", "edges", "count_nodes"]


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
