"""DOT text of a computation graph: value boxes, op circles, blue and red edges."""

from __future__ import annotations

from typing import Literal

from ..engine import Value
from ..messages import one_language, say
from .legend import legend_table, not_yet_run_note
from .numbers import format_product
from .style import (
    BACKWARD_COLOR,
    FONT,
    FORWARD_COLOR,
    GRAD_TEXT_COLOR,
    LINK_COLOR,
    OP_DISPLAY,
    ROLE_ORDER,
    ROLES,
    node_role,
)
from .text import dot_string, dot_tooltip, html_label_text
from .view import GraphView, Show, far_uses, summed_uses

EdgeLabels = Literal["auto", "product", "value", "none"]

# one operation using an input this many times draws one arrow pair marked "×k"
MERGE_USES = 3
# "auto" edge labels: the full product up to this many values, only the result above it
PRODUCT_LABELS_MAX = 20

# the side of a value box that faces the next operation, per layout direction
_OUT_SIDE = {"LR": "e", "RL": "w", "TB": "s", "BT": "n"}


def _value_label(
    view: GraphView,
    node: Value,
    role: str,
    show: Show,
    table_row: bool,
    grad_text: str,
    rankdir: str = "LR",
) -> str:
    cells: list[str] = []
    name = f"<B>{html_label_text(node.label)}</B>" if node.label else ""
    cells.append(f'<TD PORT="data" ALIGN="LEFT">data {html_label_text(view.fmt(node.data))}</TD>')
    if show != "forward" and grad_text:
        cells.append(
            f'<TD PORT="grad" ALIGN="LEFT"><FONT COLOR="{GRAD_TEXT_COLOR}">'
            f"{html_label_text(grad_text)}</FONT></TD>"
        )
    return value_box(name, cells, role, table_row, rankdir)


def value_box(name: str, cells: list[str], role: str, table_row: bool, rankdir: str) -> str:
    """A value's box: its name (HTML, may be "") over ``cells``, coloured by its role."""
    fill, border, width, style, _ = ROLES[role]
    # LR/RL: rows stacked so that data and grad both touch the side facing the op;
    # TB/BT: data and grad side by side for the same reason, the name in its own row above
    # (below for BT) so the boxes stay narrow
    if table_row:
        body = f"<TR>{''.join(cells)}</TR>"
        if name:
            name_row = f'<TR><TD COLSPAN="{len(cells)}">{name}</TD></TR>'
            body = body + name_row if rankdir == "BT" else name_row + body
    else:
        if name:
            cells.insert(0, f"<TD>{name}</TD>")
        body = "".join(f"<TR>{c}</TR>" for c in cells)
    return (
        f'<<TABLE BORDER="{width}" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3" '
        f'BGCOLOR="{fill}" COLOR="{border}" STYLE="{style}">{body}</TABLE>>'
    )


def build_dot(
    view: GraphView,
    *,
    rankdir: str,
    show: Show,
    edge_labels: EdgeLabels,
    legend: bool,
    title: str | None,
    id_prefix: str = "",
    font_size: float = 11.0,
    constant_grads: bool = False,
) -> str:
    """The DOT text. Constants (numbers that entered an operation) get no grad row and no
    red arrow unless ``constant_grads``: backward never needs their gradient. The arguments
    are checked by the callers (args.py); ``rankdir`` is a concrete direction here."""
    if edge_labels == "auto":
        # long "a × b = c" labels on many edges crowd each other out; keep them short
        edge_labels = "product" if len(view.order) <= PRODUCT_LABELS_MAX else "value"
    side = _OUT_SIDE[rankdir]
    table_row = rankdir in ("TB", "BT")
    p = id_prefix
    lines = graph_header("computation_graph", rankdir, font_size, 0.5)
    roles_seen: set[str] = set()
    # A value reused at many depths (x + x + ... + x) needs edges across many ranks, and
    # dot took minutes to lay that out; such uses get a copy of the value next to them.
    far = far_uses(view)
    data_port, grad_port = f":data:{side}", f":grad:{side}"
    for i, node in enumerate(view.order):
        role = node_role(node, view.root)
        roles_seen.add(role)
        hide_grad = role == "constant" and not constant_grads
        grad_text = "" if hide_grad else f"grad {view.fmt_grad(node)}"
        label = _value_label(view, node, role, show, table_row, grad_text, rankdir)
        g = view.grads[node]
        shown = view.fmt_grad(node) if g is None else repr(g)
        tip = dot_tooltip(f"{view.name(node)}: data={node.data!r}, grad={shown}")
        lines.append(
            f'  v{i} [id="{p}v{i}", class="value {role}", label={label}, tooltip="{tip}"];'
        )
        if node._row is None:
            continue
        lines.extend(op_lines(node, i, p))
        contributions = view.contributions(node) if show != "forward" else []
        # a hand-made node's repeated input whose uses cannot be told apart: one sum
        summed = summed_uses(node) if show != "forward" else {}
        for pos, uses in _uses_by_input(node):
            parent = node._prev[pos]
            j = view.index[parent]
            source, fwd_port, bwd_port = f"v{j}", data_port, grad_port
            if (i, pos) in far:
                # the copy has no grad cell: both arrows meet its data cell
                source, fwd_port, bwd_port = f"c{i}_{pos}", data_port, data_port
                roles_seen.add("copy")
                lines.append(_copy_node(view, parent, f"{p}copy-{i}-{pos}", source, table_row))
            many = len(uses) >= MERGE_USES
            if show != "backward":
                times = f', label="×{len(uses)}", fontcolor="{FORWARD_COLOR}"' if many else ""
                lines.append(
                    f'  {source}{fwd_port} -> op{i} [id="{p}fwd-{i}-{pos}", class="forward", '
                    f'color="{FORWARD_COLOR}"{times}];'
                )
            if show != "forward" and (constant_grads or node_role(parent, view.root) != "constant"):
                if pos in summed:
                    text = _summed_edge_text(view, node, pos, summed, contributions, edge_labels)
                elif many:
                    shares = [contributions[u] for u in uses]
                    text = _merged_edge_text(view, shares, node, edge_labels)
                else:
                    local, contribution = contributions[pos]
                    text = _edge_text(view, local, view.received(node), contribution, edge_labels)
                label = f', label="{dot_string(text)}"' if text and edge_labels != "none" else ""
                # written input -> op with dir=back so the layout keeps inputs on the same
                # side as in the forward picture while the arrowhead points at the input
                lines.append(
                    f'  {source}{bwd_port} -> op{i} [id="{p}bwd-{i}-{pos}", class="backward", '
                    f'dir=back, color="{BACKWARD_COLOR}", fontcolor="{GRAD_TEXT_COLOR}"'
                    f"{label}];"
                )
    # all gradients 0, the root's too: backward() has not run (it starts the root at 1)
    not_run = show != "forward" and not any(view.grads.get(node, 0.0) for node in view.order)
    if legend or title or not_run:
        parts = []
        if title:
            parts.append(
                f'<TR><TD><FONT POINT-SIZE="14"><B>{html_label_text(title)}</B></FONT></TD></TR>'
            )
        if not_run:
            parts.append(f'<TR><TD ALIGN="LEFT">{not_yet_run_note()}</TD></TR>')
        if legend:
            roles = [r for r in ROLE_ORDER if r in roles_seen]
            parts.append(f'<TR><TD ALIGN="LEFT">{legend_table(roles, show)}</TD></TR>')
        lines.append(caption_line(parts))
    lines.append("}")
    return "\n".join(lines) + "\n"


def graph_header(name: str, rankdir: str, font_size: float, ranksep: float) -> list[str]:
    """The first lines of a diagram's DOT text: the graph, node and edge defaults."""
    return [
        f"digraph {name} {{",
        f'  graph [rankdir={rankdir}, fontname="{FONT}", fontsize=11, nodesep=0.25, '
        f'ranksep={ranksep:g}, ordering=in, bgcolor="white", pad=0.15, charset="UTF-8"];',
        f'  node [fontname="{FONT}", fontsize={font_size:g}, shape=plain];',
        f'  edge [fontname="{FONT}", fontsize={font_size:g}, arrowsize=0.6, penwidth=1.2];',
    ]


def op_lines(node: Value, i: int, p: str) -> list[str]:
    """The operation circle of the ``i``-th value ``node`` and the line to its result box."""
    assert node._row is not None
    symbol = OP_DISPLAY.get(node.op, node._row.symbol)
    # one-character symbols fit a small circle; names like "sigmoid" a flat ellipse
    shape = "circle" if len(symbol) <= 2 else "ellipse"
    return [
        f'  op{i} [id="{p}op{i}", class="op", shape={shape}, margin=0.03, width=0.3, '
        f'height=0.3, style=filled, fillcolor="#f7f7f7", color="#555555", '
        f'label="{dot_string(symbol)}", tooltip="{dot_tooltip(node.op)}"];',
        # the op and its result belong together: a neutral connector, not a flow arrow
        f'  op{i} -> v{i} [id="{p}link-{i}", class="link", color="{LINK_COLOR}", '
        "arrowhead=none, penwidth=1.6];",
    ]


def caption_line(parts: list[str]) -> str:
    """The graph label under a diagram: ``parts`` are rows (title, notes, legend)."""
    return (
        f'  graph [labelloc=b, labeljust=l, label=<<TABLE BORDER="0" CELLSPACING="0">'
        f"{''.join(parts)}</TABLE>>];"
    )


def _copy_node(view: GraphView, node: Value, node_id: str, name: str, table_row: bool) -> str:
    """A dotted copy of a value drawn again next to a far-away use: its name and data."""
    fill, border, width, _, _ = ROLES[node_role(node, view.root)]
    cells = [
        f"<TD><B>{html_label_text(view.name(node))}</B></TD>",
        f'<TD PORT="data" ALIGN="LEFT">data {html_label_text(view.fmt(node.data))}</TD>',
    ]
    body = "".join(cells) if table_row else "".join(f"<TR>{c}</TR>" for c in cells)
    if table_row:
        body = f"<TR>{body}</TR>"
    tip = dot_tooltip(f"{view.name(node)}: " + say("viz.drawn_again"))
    return (
        f'  {name} [id="{node_id}", class="copy", tooltip="{tip}", label=<<TABLE BORDER="{width}" '
        f'CELLBORDER="0" CELLSPACING="0" CELLPADDING="3" BGCOLOR="{fill}" COLOR="{border}" '
        f'STYLE="rounded,dotted">{body}</TABLE>>];'
    )


def _uses_by_input(node: Value) -> list[tuple[int, list[int]]]:
    """(first position, all positions) of each input; an input used MERGE_USES times or more
    by one operation (a sum of many copies of x) gets one pair of arrows, else one per use."""
    positions: dict[int, list[int]] = {}
    for pos, parent in enumerate(node._prev):
        positions.setdefault(id(parent), []).append(pos)
    pairs = []
    for uses in positions.values():
        if len(uses) >= MERGE_USES:
            pairs.append((uses[0], uses))
        else:
            pairs.extend((u, [u]) for u in uses)
    return sorted(pairs)


def _not_differentiable() -> str:
    """The label of an arrow whose local derivative does not exist (relu at 0)."""
    return "? (" + one_language("shared.not_differentiable") + ")"


def _merged_edge_text(
    view: GraphView, parts: list[tuple[float | None, float | None]], node: Value, mode: str
) -> str:
    """The red label of k uses drawn as one arrow: k × local × grad = total, or the total."""
    k = len(parts)
    if any(c is None for _, c in parts):
        return _not_differentiable()
    total = sum(c for _, c in parts if c is not None)
    locals_ = {d for d, _ in parts}
    if len(locals_) != 1:
        shown = view.fmt(total)
        if mode == "value":
            return f"{shown} (×{k})"
        return f"{shown} (" + one_language("viz.sum_of", k=k) + ")"
    (local,) = locals_
    # the same digits rule as a single arrow, so "k × a × b = c" checks by hand
    factor, received, product = format_product(
        local or 0.0, view.received(node), total, view.precision, times=k
    )
    if mode == "value":
        return f"{product} (×{k})"
    return f"{k} × {factor} × {received} = {product}"


def _summed_edge_text(
    view: GraphView,
    node: Value,
    pos: int,
    summed: dict[int, int],
    contributions: list[tuple[float | None, float | None]],
    mode: EdgeLabels,
) -> str:
    """A hand-made node's input used k times, whose closure gives only the sum: the sum at
    its first use, and a pointer to it at the others."""
    first = summed[pos]
    if pos != first:
        return "" if mode == "none" else say("viz.edge_in_sum")
    k = sum(1 for f in summed.values() if f == first)
    local, contribution = contributions[pos]
    text = _edge_text(view, local, view.received(node), contribution, mode)
    return f"{text} (" + one_language("viz.sum_over_uses", k=k) + ")" if text else ""


def _edge_text(
    view: GraphView,
    local: float | None,
    grad: float,
    contribution: float | None,
    mode: EdgeLabels,
) -> str:
    if mode == "none":
        return ""
    if local is None or contribution is None:
        return _not_differentiable()
    factor, received, product = format_product(local, grad, contribution, view.precision)
    if mode == "value":
        return product
    return f"{factor} × {received} = {product}"
