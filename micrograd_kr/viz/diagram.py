"""``draw_dot`` and the ``Diagram`` it returns."""

from __future__ import annotations

import os
import webbrowser
from pathlib import Path
from typing import Any

from ..engine import Value
from ..graph import topological_order
from .args import EDGE_LABELS, FORMATS, check_bool, check_choice, check_drawing
from .dot import EdgeLabels, build_dot
from .errors import RendererNotFoundError, RenderError
from .files import atomic_write
from .render import DEFAULT_TIMEOUT, Renderer, check_renderer, check_timeout, render
from .view import GraphView, Show, check_size

# A few hundred boxes is already more than anyone can read, and dot's layout time grows
# quickly beyond that.
DEFAULT_MAX_NODES = 400

_SUFFIX_FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".dot": "dot", ".gv": "dot"}


class Diagram:
    """A drawn computation graph: DOT text plus rendering to SVG, PNG and PDF.

    In Jupyter it displays inline as SVG. ``renderer`` is ``"auto"`` (the ``dot`` program if
    it is on PATH, else pygraphviz's bundled Graphviz), ``"dot"`` or ``"pygraphviz"``.
    A layout that takes longer than ``timeout`` seconds is stopped with
    ``LayoutTimeoutError``. ``format`` is what ``render(filename)`` writes when it is not
    told (as in graphviz's ``Digraph``).
    """

    def __init__(
        self,
        source: str,
        renderer: Renderer = "auto",
        timeout: float | None = DEFAULT_TIMEOUT,
        format: str = "pdf",
    ) -> None:
        check_renderer(renderer)
        check_timeout(timeout)
        check_choice("format", format, FORMATS)
        self.source = source
        self.renderer: Renderer = renderer
        self.timeout = timeout
        self.format = format
        self.used_renderer: str | None = None  # which renderer drew the last output
        self._cache: dict[tuple[str, float | None], bytes] = {}

    def pipe(self, format: str | None = None, dpi: float | None = None) -> bytes:
        """The diagram as bytes in ``format`` ("svg", "png", "pdf", "dot"), as graphviz's pipe."""
        fmt = self.format if format is None else format
        check_choice("format", fmt, FORMATS)
        if fmt == "dot":
            return self.source.encode("utf-8")
        key = (fmt, dpi)
        if key not in self._cache:
            data, used = render(self.source, fmt, self.renderer, dpi, self.timeout)
            self._cache[key] = data
            self.used_renderer = used
        return self._cache[key]

    def render(
        self,
        filename: str | os.PathLike[str] = "Digraph.gv",
        format: str | None = None,
        view: bool = False,
    ) -> Path:
        """Write ``filename.format`` and return its path, as graphviz's ``Digraph.render``.

        ``format`` defaults to the one given to ``draw_dot`` (else "pdf"); ``view=True`` opens
        the file with the system's viewer. Unlike graphviz, the DOT text is not written
        next to it (``save("name.dot")`` does that).
        """
        fmt = self.format if format is None else format
        check_choice("format", fmt, FORMATS)
        check_bool("view", view)
        target = Path(f"{os.fspath(filename)}.{fmt}")
        atomic_write(target, self.png() if fmt == "png" else self.pipe(fmt))
        if view:
            webbrowser.open(target.resolve().as_uri())
        return target

    def svg(self) -> str:
        """The diagram as SVG text; labels (Korean included) stay as ``<text>``."""
        return self.pipe("svg").decode("utf-8")

    def png(self, dpi: float = 144) -> bytes:
        """The diagram as PNG bytes (144 dpi by default: sharp on slides and hi-dpi screens)."""
        return self.pipe("png", dpi)

    def pdf(self) -> bytes:
        """The diagram as PDF bytes."""
        return self.pipe("pdf")

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the diagram; the suffix picks the format (.svg, .png, .pdf, .dot/.gv)."""
        target = Path(path)
        kind = _SUFFIX_FORMATS.get(target.suffix.lower())
        if kind is None:
            raise ValueError(
                f"cannot save a diagram as {target.suffix or 'a file without a suffix'!r} "
                f"({target}); use one of .svg, .png, .pdf, .dot"
            )
        data = self.png() if kind == "png" else self.pipe(kind)
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
        return f"<Diagram: {n_values} values; .svg() .png() .save(path) .render(name) .source>"


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
    format: str = "pdf",
    timeout: float | None = DEFAULT_TIMEOUT,
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
    anyway). Rendering happens lazily, when SVG/PNG/PDF output is asked for, in a worker
    process stopped after ``timeout`` seconds (``LayoutTimeoutError``). ``format`` is what
    ``Diagram.render(filename)`` writes, as in graphviz: ``draw_dot(root, format="svg",
    rankdir="LR").render("gout")`` writes ``gout.svg``.

    >>> from micrograd_kr import Value
    >>> x = Value(2.0, label="x")
    >>> y = (x * x).tanh(); y.label = "y"
    >>> y.backward()
    >>> d = draw_dot(y)
    >>> d.source.count('class="forward"'), d.source.count('class="backward"')
    (3, 3)
    """
    check_drawing(rankdir=rankdir, show=show, max_nodes=max_nodes, precision=precision, title=title)
    check_choice("edge_labels", edge_labels, EDGE_LABELS)
    check_bool("legend", legend)
    check_renderer(renderer)
    check_choice("format", format, FORMATS)
    check_timeout(timeout)
    check_size(root, max_nodes)
    order = topological_order(root)
    view = GraphView(root, order, {node: float(node.grad) for node in order}, precision)
    source = build_dot(
        view, rankdir=rankdir, show=show, edge_labels=edge_labels, legend=legend, title=title
    )
    return Diagram(source, renderer=renderer, timeout=timeout, format=format)
