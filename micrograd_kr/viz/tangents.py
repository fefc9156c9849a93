"""``draw_forward``: one forward-mode sweep drawn on the computation graph.

Every value box shows ``data`` and its tangent ``ẋ`` (how fast it moves when the seeded
inputs move at the given speeds). Solid blue arrows carry values, as in ``draw_dot``; a
second, dashed arrow in the same direction carries the tangent and is labelled

    local derivative × the input's ẋ = what it adds to the output's ẋ

The numbers come from ``forward.forward_sweep``, which reads the derivative table in
``ops.py``; nothing here differentiates, and the graph is not changed.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from ..engine import Value
from ..forward import SweepStep, Term, forward_sweep
from ..graph import topological_order
from ..messages import one_language, say
from .animation import Animation, animation_page, check_animation, laid_out_svg
from .args import FORMATS, check_bool, check_choice, check_drawing
from .diagram import DEFAULT_MAX_NODES, Diagram, layout_directions
from .dot import (
    MERGE_USES,
    _not_differentiable,
    _uses_by_input,
    caption_line,
    graph_header,
    op_lines,
    value_box,
)
from .legend import legend_table
from .numbers import format_product
from .render import DEFAULT_TIMEOUT, Renderer, check_renderer, check_timeout
from .style import FORWARD_COLOR, ROLE_ORDER, ROLES, node_role
from .svg import mark_grad_texts
from .text import dot_string, dot_tooltip, html_label_text
from .view import GraphView, check_size, far_uses

# the tangent's colour: a darker blue than the value arrows, and dashed
TANGENT_COLOR = "#1565c0"

_OUT_SIDE = {"LR": "e", "RL": "w", "TB": "s", "BT": "n"}


def tangent_edge_text(view: GraphView, terms: list[Term]) -> str:
    """The label of a tangent arrow: "local × ẋ = product", or "k × local × ẋ = total"."""
    if any(t.local is None and t.tangent != 0.0 for t in terms):
        return _not_differentiable()
    if all(t.local is None for t in terms):
        # the input does not move (ẋ = 0): the rule is not even evaluated
        return "ẋ = 0"
    k = len(terms)
    total = sum(t.product for t in terms)
    local = terms[0].local or 0.0
    if k > 1 and any(t.local != local for t in terms):
        return f"{view.fmt(total)} (" + one_language("viz.sum_of", k=k) + ")"
    factor, tangent, product = format_product(
        local, terms[0].tangent, total, view.precision, times=k
    )
    text = f"{factor} × {tangent} = {product}"
    return f"{k} × {text}" if k > 1 else text


def _value_label(
    view: GraphView, node: Value, role: str, tangent: float, table_row: bool, rankdir: str
) -> str:
    cells = [
        f'<TD PORT="data" ALIGN="LEFT">data {html_label_text(view.fmt(node.data))}</TD>',
        f'<TD PORT="tan" ALIGN="LEFT"><FONT COLOR="{TANGENT_COLOR}">'
        f"ẋ {html_label_text(view.fmt(tangent))}</FONT></TD>",
    ]
    name = f"<B>{html_label_text(node.label)}</B>" if node.label else ""
    return value_box(name, cells, role, table_row, rankdir)


def build_forward_dot(
    view: GraphView,
    steps: Mapping[Value, SweepStep],
    seeds: Mapping[Value, float],
    *,
    rankdir: str,
    legend: bool,
    title: str | None,
    id_prefix: str = "",
) -> str:
    """The DOT text of one forward sweep; ``steps`` maps each node to its sweep record."""
    side = _OUT_SIDE[rankdir]
    table_row = rankdir in ("TB", "BT")
    p = id_prefix
    lines = graph_header("forward_sweep", rankdir, 11.0, 0.6)
    roles_seen: set[str] = set()
    far = far_uses(view)
    for i, node in enumerate(view.order):
        role = node_role(node, view.root)
        roles_seen.add(role)
        step = steps[node]
        label = _value_label(view, node, role, step.tangent, table_row, rankdir)
        tip = dot_tooltip(f"{view.name(node)}: data={node.data!r}, tangent={step.tangent!r}")
        lines.append(
            f'  v{i} [id="{p}v{i}", class="value {role}", label={label}, tooltip="{tip}"];'
        )
        if node._row is None:
            continue
        lines.extend(op_lines(node, i, p))
        for pos, uses in _uses_by_input(node):
            parent = node._prev[pos]
            j = view.index[parent]
            source, val_port, tan_port = f"v{j}", f":data:{side}", f":tan:{side}"
            if (i, pos) in far:
                # a copy of a far-away input, drawn with its tangent next to this use
                source = f"c{i}_{pos}"
                roles_seen.add("copy")
                lines.append(
                    _copy_node(view, parent, steps[parent].tangent, f"{p}copy-{i}-{pos}", source)
                )
            many = len(uses) >= MERGE_USES
            times = f', label="×{len(uses)}", fontcolor="{FORWARD_COLOR}"' if many else ""
            lines.append(
                f'  {source}{val_port} -> op{i} [id="{p}fwd-{i}-{pos}", class="forward", '
                f'color="{FORWARD_COLOR}"{times}];'
            )
            if node_role(parent, view.root) == "constant" and parent not in seeds:
                continue  # a constant never moves: no tangent arrow
            terms = [step.terms[u] for u in uses] if many else [step.terms[pos]]
            text = tangent_edge_text(view, terms)
            lines.append(
                f'  {source}{tan_port} -> op{i} [id="{p}tan-{i}-{pos}", class="tangent", '
                f'style=dashed, color="{TANGENT_COLOR}", fontcolor="{TANGENT_COLOR}", '
                f'label="{dot_string(text)}"];'
            )
    if legend or title:
        parts = []
        if title:
            parts.append(
                f'<TR><TD><FONT POINT-SIZE="14"><B>{html_label_text(title)}</B></FONT></TD></TR>'
            )
        if legend:
            parts.append(f'<TR><TD ALIGN="LEFT">{_legend(view, seeds, roles_seen)}</TD></TR>')
        lines.append(caption_line(parts))
    lines.append("}")
    return "\n".join(lines) + "\n"


def _legend(view: GraphView, seeds: Mapping[Value, float], roles_seen: set[str]) -> str:
    seeded = ", ".join(f"ẋ({view.name(leaf)}) = {view.fmt(s)}" for leaf, s in seeds.items())
    tangent_line = (
        f'<FONT COLOR="{TANGENT_COLOR}" POINT-SIZE="13">⇢</FONT>&#160;'
        + html_label_text(one_language("viz.legend_tangent"))
    )
    seed_line = html_label_text(
        one_language("viz.legend_seeds", seeds=seeded or one_language("viz.no_seeds"))
    )
    roles = [r for r in ROLE_ORDER if r in roles_seen]
    return (
        '<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="1">'
        f'<TR><TD ALIGN="LEFT">{tangent_line}</TD></TR>'
        f'<TR><TD ALIGN="LEFT">{seed_line}</TD></TR>'
        f'<TR><TD ALIGN="LEFT">{legend_table(roles, "forward")}</TD></TR>'
        "</TABLE>"
    )


def _copy_node(view: GraphView, node: Value, tangent: float, node_id: str, name: str) -> str:
    fill, border, width, _, _ = ROLES[node_role(node, view.root)]
    rows = (
        f"<TR><TD><B>{html_label_text(view.name(node))}</B></TD></TR>"
        f'<TR><TD PORT="data" ALIGN="LEFT">data {html_label_text(view.fmt(node.data))}</TD></TR>'
        f'<TR><TD PORT="tan" ALIGN="LEFT"><FONT COLOR="{TANGENT_COLOR}">'
        f"ẋ {html_label_text(view.fmt(tangent))}</FONT></TD></TR>"
    )
    tip = dot_tooltip(f"{view.name(node)}: " + say("viz.drawn_again"))
    return (
        f'  {name} [id="{node_id}", class="copy", tooltip="{tip}", label=<<TABLE BORDER="{width}" '
        f'CELLBORDER="0" CELLSPACING="0" CELLPADDING="3" BGCOLOR="{fill}" COLOR="{border}" '
        f'STYLE="rounded,dotted">{rows}</TABLE>>];'
    )


def _forward_frames(
    view: GraphView, sweep: list[SweepStep], seeds: Mapping[Value, float], prefix: str
) -> list[dict[str, Any]]:
    """One frame per node of the sweep, inputs first; constants never move: no frame."""
    shown = [s for s in sweep if node_role(s.node, view.root) != "constant" or s.node in seeds]
    frames = []
    for k, step in enumerate(shown):
        node = step.node
        i = view.index[node]
        lines = [f"{k + 1}/{len(shown)} · {view.name(node)}: ẋ = {view.fmt(step.tangent)}"]
        if node._row is None:
            lines.append(one_language("viz.caption_seed"))
        edges = []
        drawn = {pos for pos, _ in _uses_by_input(node)} if node._row is not None else set()
        for pos, term in enumerate(step.terms):
            if node_role(term.input, view.root) == "constant" and term.input not in seeds:
                continue
            if pos in drawn:
                edges.append(f"{prefix}tan-{i}-{pos}")
            text = tangent_edge_text(view, [term])
            lines.append(f"← {view.name(term.input)}: {text}")
        frames.append(
            {
                "node": f"{prefix}v{i}",
                "op": f"{prefix}op{i}" if node._row is not None else None,
                "edges": edges,
                "grads": [[f"{prefix}v{i}", f"ẋ {view.fmt(step.tangent)}"]],
                "caption": "\n".join(lines),
            }
        )
    return frames


def animate_forward(
    root: Value,
    seeds: Mapping[Value, float],
    rankdir: str = "auto",
    max_nodes: int | None = 120,
    *,
    interval_ms: int = 1200,
    precision: int = 4,
    renderer: Renderer = "auto",
    title: str | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> Animation:
    """One forward-mode sweep of ``root``, node by node, as ``animate_backward`` shows the
    backward pass: an HTML page with a slider and a play button.

    One frame per node, inputs first (the order of ``forward.forward_sweep``); in each the
    node is highlighted, the dashed tangent arrows arriving at its operation appear with
    ``local × ẋ = product``, and its ``ẋ`` is filled in. Nothing in the graph is changed.
    """
    check_animation(
        root, rankdir, "forward", max_nodes, interval_ms, precision, renderer, title, timeout
    )
    sweep = forward_sweep(root, seeds)
    prefix = f"mgk{uuid.uuid4().hex[:8]}-"
    view = GraphView(root, topological_order(root), {}, precision)
    given = dict(seeds)
    steps = {s.node: s for s in sweep}
    sources = {
        d: build_forward_dot(
            view, steps, given, rankdir=d, legend=True, title=title, id_prefix=prefix
        )
        for d in layout_directions(view, rankdir)
    }

    svg = mark_grad_texts(laid_out_svg(sources, renderer, timeout), prefix, start="ẋ ")
    frames = _forward_frames(view, sweep, given, prefix)
    captions = "".join(f["caption"] for f in frames)
    return animation_page(
        prefix,
        svg,
        frames,
        captions,
        interval_ms,
        title,
        flow="tangent",
        blank="ẋ",
        title_key="viz.forward_animation_title",
    )


def draw_forward(
    root: Value,
    seeds: Mapping[Value, float],
    rankdir: str = "auto",
    max_nodes: int | None = DEFAULT_MAX_NODES,
    *,
    legend: bool = True,
    title: str | None = None,
    precision: int = 4,
    renderer: Renderer = "auto",
    format: str = "pdf",
    timeout: float | None = DEFAULT_TIMEOUT,
) -> Diagram:
    """Draw one forward-mode sweep of the graph behind ``root``.

    ``seeds`` gives the inputs' tangents, e.g. ``{x: 1.0}`` for d/dx (other leaves do not
    move). Each box shows ``data`` and ``ẋ``; solid blue arrows carry values, dashed arrows
    carry tangents, labelled ``local derivative × the input's ẋ = product``; a node's ẋ is
    the sum of the products arriving at its operation. Layout, limits and rendering are
    those of ``draw_dot`` (``max_nodes``, ``timeout``, ``rankdir="auto"``, ``format``).

    >>> from micrograd_kr import Value
    >>> x = Value(3.0, label="x")
    >>> y = x * x; y.label = "y"
    >>> d = draw_forward(y, {x: 1.0})
    >>> "3 × 1 = 3" in d.source, "ẋ 6" in d.source
    (True, True)
    """
    check_drawing(
        rankdir=rankdir, show="forward", max_nodes=max_nodes, precision=precision, title=title
    )
    check_bool("legend", legend)
    check_renderer(renderer)
    check_choice("format", format, FORMATS)
    check_timeout(timeout)
    check_size(root, max_nodes)
    steps = {s.node: s for s in forward_sweep(root, seeds)}
    order = topological_order(root)
    view = GraphView(root, order, {}, precision)
    given = dict(seeds)
    sources = {
        d: build_forward_dot(view, steps, given, rankdir=d, legend=legend, title=title)
        for d in layout_directions(view, rankdir)
    }
    return Diagram.of_sources(sources, renderer, timeout, format)
