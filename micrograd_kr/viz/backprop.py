"""The backward pass replayed on a private copy of the gradients, one step per node."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..engine import Value
from .view import GraphView, local_derivatives


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
    """
    grads = {node: 0.0 for node in view.order}
    grads[root] = 1.0
    steps: list[Step] = []
    total = len(view.order)
    for k, node in enumerate(reversed(view.order)):
        i = view.index[node]
        g = grads[node]
        step = Step(node=f"v{i}", op=f"op{i}" if node._row is not None else None)
        head = f"{k + 1}/{total} · {view.name(node)}: grad = {view.fmt(g)}"
        if k == 0:
            head += " (출력이므로 1에서 시작)"
        lines = [head]
        if node._row is None:
            lines.append("입력이 없는 잎 노드: grad가 확정됨")
        local = local_derivatives(node)
        for pos, parent in enumerate(node._prev):
            j = view.index[parent]
            step.edges.append(f"bwd-{i}-{pos}")
            if local is None:
                lines.append(f"→ {view.name(parent)}: 미분 불가")
                continue
            contribution = local[pos] * g
            grads[parent] += contribution
            step.grads.append((f"v{j}", view.fmt(grads[parent])))
            lines.append(
                f"→ {view.name(parent)}: {view.fmt(local[pos])} × {view.fmt(g)} = "
                f"{view.fmt(contribution)}   (누적 grad {view.fmt(grads[parent])})"
            )
        step.caption = "\n".join(lines)
        steps.append(step)
    return grads, steps
