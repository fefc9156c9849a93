"""The backward pass replayed on a private copy of the gradients, one step per node."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..engine import Value
from ..messages import one_language, say
from .numbers import format_product
from .style import node_role
from .view import GraphView, local_derivatives, summed_uses


@dataclass
class Step:
    """One frame of the backward animation: ``node`` passes its gradient to its inputs."""

    node: str
    op: str | None
    edges: list[str] = field(default_factory=list)
    grads: list[tuple[str, str]] = field(default_factory=list)
    caption: str = ""


def simulate_backward(view: GraphView, root: Value) -> tuple[dict[Value, float], list[Step]]:
    """Run the chain rule on a private copy of the gradients, recording each step.

    Mirrors ``Value.backward`` (outputs before inputs) without touching ``.grad``.
    Constants get no step and no arrow: backward never needs their gradient.
    """
    grads = {node: 0.0 for node in view.order}
    grads[root] = 1.0
    steps: list[Step] = []
    constant = {node for node in view.order if node_role(node, root) == "constant"}
    shown = [node for node in reversed(view.order) if node not in constant]
    total = len(shown)
    for k, node in enumerate(shown):
        i = view.index[node]
        g = grads[node]
        step = Step(node=f"v{i}", op=f"op{i}" if node._row is not None else None)
        head = f"{k + 1}/{total} · {view.name(node)}: grad = {view.fmt(g)}"
        if k == 0:
            head += " " + one_language("viz.caption_root")
        lines = [head]
        if node._row is None:
            lines.append(one_language("viz.caption_leaf"))
        local = local_derivatives(node)
        summed = summed_uses(node)  # repeated inputs of a hand-made node, given as one sum
        for pos, parent in enumerate(node._prev):
            if parent in constant:
                continue
            j = view.index[parent]
            step.edges.append(f"bwd-{i}-{pos}")
            if summed.get(pos, pos) != pos:
                lines.append(f"→ {view.name(parent)}: " + say("viz.edge_in_sum"))
                continue
            d = None if local is None else local[pos]
            if d is None:
                lines.append(f"→ {view.name(parent)}: " + one_language("shared.not_differentiable"))
                continue
            contribution = d * g
            grads[parent] += contribution
            step.grads.append((f"v{j}", view.fmt(grads[parent])))
            factor, received, product = format_product(d, g, contribution, view.precision)
            so_far = one_language("viz.caption_total", grad=view.fmt(grads[parent]))
            lines.append(f"→ {view.name(parent)}: {factor} × {received} = {product}   {so_far}")
        step.caption = "\n".join(lines)
        steps.append(step)
    return grads, steps
