"""``animate_backward``: the backward pass as a self-contained HTML page.

The page's HTML, CSS and JavaScript are package data files in ``assets/``.
"""

from __future__ import annotations

import html
import json
import os
import re
import uuid
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from .. import fonts
from ..engine import Value
from ..graph import topological_order
from ..messages import korean, one_language, say
from .args import check_drawing, check_int
from .backprop import simulate_backward
from .diagram import choose_layout, layout_sources
from .files import atomic_write
from .render import DEFAULT_TIMEOUT, Renderer, check_renderer, check_timeout, render
from .svg import mark_grad_texts
from .text import plain_text
from .view import GraphView, check_size


class Animation:
    """The backward pass, one frame per node, as a self-contained HTML page.

    ``save("backprop.html")`` writes a file that works offline (no scripts or fonts are
    fetched); in Jupyter the same page shows inline. A saved page opens at a chosen frame
    with ``#frame=3`` or ``#frame=last`` after the file name.
    """

    def __init__(self, page: str, fragment: str, frames: list[dict[str, Any]]) -> None:
        self._page = page
        self._fragment = fragment
        self.frames = frames

    @property
    def html(self) -> str:
        """The full standalone HTML page."""
        return self._page

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the page to ``path`` (.html or .htm)."""
        target = Path(path)
        if target.suffix.lower() not in (".html", ".htm"):
            suffix = target.suffix or say("viz.no_suffix")
            raise ValueError(say("viz.animation_suffix", suffix=repr(suffix)) + f": {target}")
        atomic_write(target, self._page.encode("utf-8"))
        return target

    def _repr_html_(self) -> str:
        return self._fragment

    def __len__(self) -> int:
        return len(self.frames)

    def __repr__(self) -> str:
        return f"<Animation: {len(self.frames)} frames; .save('backprop.html')>"


def check_animation(
    root: Value,
    rankdir: str,
    show: str,
    max_nodes: int | None,
    interval_ms: int,
    precision: int,
    renderer: Renderer,
    title: str | None,
    timeout: float | None,
) -> None:
    """The arguments every animation takes (``animate_backward``, ``animate_forward``)."""
    check_drawing(rankdir=rankdir, show=show, max_nodes=max_nodes, precision=precision, title=title)
    check_int("interval_ms", interval_ms, 1)
    check_renderer(renderer)
    check_timeout(timeout)
    check_size(root, max_nodes)


def animate_backward(
    root: Value,
    rankdir: str = "auto",
    max_nodes: int | None = 120,
    *,
    interval_ms: int = 1200,
    precision: int = 4,
    renderer: Renderer = "auto",
    title: str | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> Animation:
    """The backward pass of ``root`` step by step, as an HTML page with a slider and play button.

    One frame per node, outputs first (reverse topological order); constants (the ``2`` in
    ``2 * x``) get no frame and no red arrow. ``rankdir`` as in ``draw_dot`` (``"auto"``
    picks the direction that fits a notebook); the picture keeps its size and scrolls
    instead of shrinking its text. In each frame the node
    being processed is highlighted, the red arrows it sends and the gradients computed so
    far are filled in, and the rest is blank. The gradients are computed on a private copy:
    ``.grad`` of the graph is not changed, and ``root.backward()`` need not have run.
    The layout runs in a worker process stopped after ``timeout`` seconds.
    """
    check_animation(
        root, rankdir, "both", max_nodes, interval_ms, precision, renderer, title, timeout
    )
    prefix = f"mgk{uuid.uuid4().hex[:8]}-"
    order = topological_order(root)
    view = GraphView(root, order, {}, precision)
    final, steps = simulate_backward(view, root)
    view.grads = final
    sources = layout_sources(
        view, rankdir, show="both", edge_labels="auto", legend=True, title=title, id_prefix=prefix
    )

    svg = mark_grad_texts(laid_out_svg(sources, renderer, timeout), prefix)
    frames = [
        {
            "node": prefix + s.node,
            "op": prefix + s.op if s.op else None,
            "edges": [prefix + e for e in s.edges],
            "grads": [[prefix + n, f"grad {g}"] for n, g in s.grads],
            "caption": s.caption,
        }
        for s in steps
    ]
    captions = "".join(s.caption for s in steps)
    return animation_page(prefix, svg, frames, captions, interval_ms, title)


def laid_out_svg(sources: dict[str, str], renderer: Renderer, timeout: float | None) -> str:
    """The SVG of the best of ``sources`` ({rankdir: DOT}); every candidate layout of
    rankdir="auto" goes through the bounded renderer."""

    def draw_svg(source: str) -> str:
        return render(source, "svg", renderer, None, timeout)[0].decode("utf-8")

    return choose_layout(sources, draw_svg)[1]


def animation_page(
    prefix: str,
    svg: str,
    frames: list[dict[str, Any]],
    captions: str,
    interval_ms: int,
    title: str | None,
    *,
    flow: str = "backward",
    blank: str = "grad",
    title_key: str = "viz.animation_title",
) -> Animation:
    """The page of an animation: ``svg`` (its changing texts marked), one dict per frame,
    ``flow`` the class of the edges revealed frame by frame, ``blank`` the text of a value
    not reached yet."""
    # the page's captions, the texts each frame writes and the player's buttons use the SVG's
    # embedded font too
    buttons = korean("viz.player_buttons")
    shown_text = captions + f"{blank} 0123456789.-+e×=→←↔|◀▶ {buttons}"
    svg = fonts.svg_with_fonts(svg, embed=True, extra_text=shown_text)
    body = _animation_body(prefix, svg, frames, interval_ms, title, flow, blank)
    page = _fill(
        _asset("page.html"),
        {
            "TITLE": html.escape(plain_text(title or one_language(title_key))),
            "BODY": body,
        },
    )
    return Animation(page, body, frames)


def _animation_body(
    prefix: str,
    svg: str,
    frames: list[dict[str, Any]],
    interval_ms: int,
    title: str | None,
    flow: str = "backward",
    blank: str = "grad",
) -> str:
    data = script_json(
        {"prefix": prefix, "frames": frames, "interval": interval_ms, "flow": flow, "blank": blank}
    )
    # the stylesheet and the player are trusted files: they join the template first, then
    # every placeholder is filled in one pass that never looks inside the inserted text
    parts = {"CSS": _asset("animation.css"), "JS": _asset("animation.js")}
    template = _fill(_asset("animation.html"), parts, partial=True)
    values = {
        "ID": prefix + "anim",
        "N": str(len(frames)),
        "LAST": str(len(frames) - 1),
        "SVG": svg,
        "DATA": data,
    }
    return _fill(template, values)


_SCRIPT_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def script_json(value: Any) -> str:
    """JSON for a ``<script>`` element: no ``<``, ``>`` or ``&`` that the HTML tokenizer reads.

    ``</script>`` or ``<!--`` inside a string would otherwise end or derail the element;
    U+2028/2029 are escaped for older JavaScript parsers. These characters can only occur
    inside JSON strings, where the ``\\uXXXX`` form means the same text.
    """
    text = json.dumps(value, ensure_ascii=False)
    return re.sub("[<>&\u2028\u2029]", lambda m: _SCRIPT_ESCAPES[m.group(0)], text)


@cache
def _asset(name: str) -> str:
    """A file of the page template, shipped as package data in ``assets/``."""
    return (
        resources.files(__package__).joinpath("assets").joinpath(name).read_text(encoding="utf-8")
    )


def _fill(template: str, values: dict[str, str], partial: bool = False) -> str:
    """Replace each ``@KEY@`` of ``template`` in one pass; inserted text is never re-scanned.

    A placeholder without a value is a bug in the template, unless ``partial``.
    """

    def value(match: re.Match[str]) -> str:
        key = match.group(1)
        if partial and key not in values:
            return match.group(0)
        return values[key]

    return re.sub(r"@([A-Z]+)@", value, template)
