"""``draw_dot`` and the ``Diagram`` it returns."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..engine import Value
from ..graph import topological_order
from .dot import EdgeLabels, build_dot
from .errors import RendererNotFoundError, RenderError
from .files import atomic_write
from .render import Renderer, render
from .view import GraphView, Show, check_size

# A few hundred boxes is already more than anyone can read, and dot's layout time grows
# quickly beyond that.
DEFAULT_MAX_NODES = 400

_SUFFIX_FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".dot": "dot", ".gv": "dot"}


class Diagram:
    """A drawn computation graph: DOT text plus rendering to SVG, PNG and PDF.

    In Jupyter it displays inline as SVG. ``renderer`` is ``"auto"`` (the ``dot`` program if
    it is on PATH, else pygraphviz's bundled Graphviz), ``"dot"`` or ``"pygraphviz"``.
    """

    def __init__(
        self, source: str, renderer: Renderer = "auto", timeout: float | None = 120
    ) -> None:
        self.source = source
        self.renderer: Renderer = renderer
        self.timeout = timeout
        self.used_renderer: str | None = None  # which renderer drew the last output
        self._cache: dict[tuple[str, float | None], bytes] = {}

    def render(self, fmt: str, dpi: float | None = None) -> bytes:
        """The diagram in Graphviz output format ``fmt`` ("svg", "png", "pdf", ...)."""
        key = (fmt, dpi)
        if key not in self._cache:
            data, used = render(self.source, fmt, self.renderer, dpi, self.timeout)
            self._cache[key] = data
            self.used_renderer = used
        return self._cache[key]

    def svg(self) -> str:
        """The diagram as SVG text; labels (Korean included) stay as ``<text>``."""
        return self.render("svg").decode("utf-8")

    def png(self, dpi: float = 144) -> bytes:
        """The diagram as PNG bytes (144 dpi by default: sharp on slides and hi-dpi screens)."""
        return self.render("png", dpi)

    def pdf(self) -> bytes:
        """The diagram as PDF bytes."""
        return self.render("pdf")

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the diagram; the suffix picks the format (.svg, .png, .pdf, .dot/.gv)."""
        target = Path(path)
        kind = _SUFFIX_FORMATS.get(target.suffix.lower())
        if kind is None:
            raise ValueError(
                f"cannot save a diagram as {target.suffix or 'a file without a suffix'!r} "
                f"({target}); use one of .svg, .png, .pdf, .dot"
            )
        if kind == "dot":
            data = self.source.encode("utf-8")
        elif kind == "png":
            data = self.png()
        else:
            data = self.render(kind)
        atomic_write(target, data)  # rendered first: a failed render leaves no file
        return target

    def _repr_svg_(self) -> str | None:
        # None tells IPython "no SVG", so a missing renderer shows the text/plain message
        # from _repr_mimebundle_ instead of a formatter traceback
        try:
            return self.svg()
        except (RendererNotFoundError, RenderError):
            return None

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None, **kwargs: Any
    ) -> dict[str, str]:
        try:
            return {"image/svg+xml": self.svg(), "text/plain": repr(self)}
        except (RendererNotFoundError, RenderError) as exc:
            # a notebook should still show something useful, not a traceback
            return {"text/plain": f"{self!r}\n{exc}"}

    def __repr__(self) -> str:
        n_values = self.source.count('class="value ')
        return f"<Diagram: {n_values} values; .svg() .png() .save(path) .source>"


def draw_dot(
    root: Value,
    rankdir: str = "LR",
    show: Show = "both",
    max_nodes: int | None = DEFAULT_MAX_NODES,
    *,
    edge_labels: EdgeLabels = "auto",
    legend: bool = True,
    title: str | None = None,
    precision: int = 4,
    renderer: Renderer = "auto",
) -> Diagram:
    """Draw the computation graph that produced ``root``.

    Each Value is a box with its label, ``data`` and ``grad``; each operation is a circle.
    Blue arrows are the forward pass, red arrows the backward pass, labelled
    ``local derivative × grad of the output = contribution`` (``edge_labels="product"``),
    only the contribution (``"value"``) or nothing (``"none"``); ``"auto"`` picks
    ``"product"`` for graphs of up to 20 Values and ``"value"`` above. Inputs, parameters,
    constants and the root are coloured differently and explained in a legend. ``show`` is
    ``"both"``, ``"forward"`` (values only) or ``"backward"``.

    Gradients are drawn as they are stored, so call ``root.backward()`` first. Graphs with
    more than ``max_nodes`` Values raise ``GraphTooLargeError`` (``max_nodes=None`` draws
    anyway). Rendering happens lazily, when SVG/PNG/PDF output is asked for.

    >>> from micrograd_kr import Value
    >>> x = Value(2.0, label="x")
    >>> y = (x * x).tanh(); y.label = "y"
    >>> y.backward()
    >>> d = draw_dot(y)
    >>> d.source.count('class="forward"'), d.source.count('class="backward"')
    (3, 3)
    """
    check_size(root, max_nodes)
    order = topological_order(root)
    view = GraphView(root, order, {node: float(node.grad) for node in order}, precision)
    source = build_dot(
        view, rankdir=rankdir, show=show, edge_labels=edge_labels, legend=legend, title=title
    )
    return Diagram(source, renderer=renderer)
