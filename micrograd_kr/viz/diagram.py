"""``draw_dot`` and the ``Diagram`` it returns."""

from __future__ import annotations

import os
import re
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import fonts
from ..engine import Value
from ..graph import topological_order
from ..messages import one_language, say
from .args import EDGE_LABELS, FORMATS, RANKDIRS, check_bool, check_choice, check_drawing
from .dot import EdgeLabels, build_dot
from .errors import RendererNotFoundError, RenderError
from .files import atomic_write
from .render import DEFAULT_TIMEOUT, Renderer, check_renderer, check_timeout, render
from .view import REUSE_SPAN_MAX, GraphView, Show, check_size, readable_grad, reuse_span

# A few hundred boxes is already more than anyone can read, and dot's layout time grows
# quickly beyond that.
DEFAULT_MAX_NODES = 400

# A notebook's output area is about 1,000 px wide; 750 pt is 1,000 CSS px, so a diagram this
# wide shows at full size (11 pt text = 14.7 px). rankdir="auto" keeps left-to-right while it
# fits and turns to top-to-bottom (narrower for long chains) when that is narrower.
FIT_WIDTH_PT = 750.0


# rankdir="auto" tries top-to-bottom only for graphs this small: a second layout of a big or
# heavily reused graph can take dot many seconds (and a wide graph that big is unreadable in
# either direction).
AUTO_TB_MAX_VALUES = 60


def layout_directions(view: GraphView, rankdir: str) -> tuple[str, ...]:
    """The directions to lay out: ``rankdir`` itself, or for "auto" LR and maybe TB."""
    check_choice("rankdir", rankdir, RANKDIRS)
    if rankdir != "auto":
        return (rankdir,)
    if len(view.order) > AUTO_TB_MAX_VALUES or reuse_span(view) > REUSE_SPAN_MAX:
        return ("LR",)
    return ("LR", "TB")


def layout_sources(view: GraphView, rankdir: str, **dot_options: Any) -> dict[str, str]:
    """The DOT text for each direction to try: {rankdir: source}, two for "auto"."""
    return {
        direction: build_dot(view, rankdir=direction, **dot_options)
        for direction in layout_directions(view, rankdir)
    }


def svg_width_pt(svg: str) -> float:
    """The width Graphviz gave an SVG, in points."""
    match = re.search(r'<svg[^>]*\swidth="([\d.]+)pt"', svg)
    if match is None:
        raise RenderError(say("viz.svg_width"))
    return float(match.group(1))


def choose_layout(sources: dict[str, str], draw_svg: Callable[[str], str]) -> tuple[str, str]:
    """The rankdir of ``sources`` ({"LR": dot, "TB": dot}) that fits best, and its SVG.

    Left to right while it fits FIT_WIDTH_PT; otherwise whichever is narrower. Each
    candidate is drawn by ``draw_svg``, i.e. by the bounded renderer with its time limit.
    A single source (a rankdir given by the caller) is simply drawn.
    """
    if len(sources) == 1:
        ((rankdir, source),) = sources.items()
        return rankdir, draw_svg(source)
    first = draw_svg(sources["LR"])
    if "TB" not in sources or svg_width_pt(first) <= FIT_WIDTH_PT:
        return "LR", first
    second = draw_svg(sources["TB"])
    if svg_width_pt(second) < svg_width_pt(first):
        return "TB", second
    return "LR", first


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
        *,
        alternatives: dict[str, str] | None = None,
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
        # rankdir="auto": {"LR": ..., "TB": ...}, decided by the first render
        self._alternatives = alternatives

    @classmethod
    def of_sources(
        cls, sources: dict[str, str], renderer: Renderer, timeout: float | None, format: str
    ) -> Diagram:
        """A diagram of {rankdir: DOT text}: one direction, or "auto"'s candidates."""
        return cls(
            next(iter(sources.values())),
            renderer=renderer,
            timeout=timeout,
            format=format,
            alternatives=sources if len(sources) > 1 else None,
        )

    def _choose_layout(self) -> None:
        if not self._alternatives:
            return
        sources, self._alternatives = self._alternatives, None

        def draw_svg(source: str) -> str:
            data, used = render(source, "svg", self.renderer, None, self.timeout)
            self.used_renderer = used
            return data.decode("utf-8")

        rankdir, svg = choose_layout(sources, draw_svg)
        self.source = sources[rankdir]
        self._cache[("svg", None)] = svg.encode("utf-8")

    def _graphviz(self, fmt: str, dpi: float | None = None) -> bytes:
        """Graphviz's own output in ``fmt``, rendered once (bounded in time) and cached."""
        self._choose_layout()
        key = (fmt, dpi)
        if key not in self._cache:
            data, used = render(self.source, fmt, self.renderer, dpi, self.timeout)
            self._cache[key] = data
            self.used_renderer = used
        return self._cache[key]

    def pipe(self, format: str | None = None, dpi: float | None = None) -> bytes:
        """The diagram as bytes in ``format`` ("svg", "png", "pdf", "dot"), as graphviz's pipe.

        The same bytes ``render`` and ``save`` write: SVG with the Korean fonts (``svg()``),
        PNG at 144 dpi unless ``dpi`` says otherwise (``png()``), DOT as ``.source``.
        """
        fmt = self.format if format is None else format
        check_choice("format", fmt, FORMATS)
        if fmt == "dot":
            return self.source.encode("utf-8")
        if fmt == "svg":
            return self.svg().encode("utf-8")
        if fmt == "png":
            return self.png() if dpi is None else self.png(dpi)
        return self._graphviz(fmt, dpi)

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
        atomic_write(target, self.pipe(fmt))  # rendered first: a failed render leaves no file
        if view:
            webbrowser.open(target.resolve().as_uri())
        return target

    def svg(self, embed_font: bool = True) -> str:
        """The diagram as SVG text; labels (Korean included) stay as ``<text>``.

        Text names the common Korean fonts; ``embed_font`` also embeds the bundled
        NanumGothic cut down to the characters used (about 8-15 KB), so Hangul shows in any
        viewer, even on a machine without a Korean font.
        """
        return fonts.svg_with_fonts(self._graphviz("svg").decode("utf-8"), embed=embed_font)

    def png(self, dpi: float = 144) -> bytes:
        """The diagram as PNG bytes (144 dpi by default: sharp on slides and hi-dpi screens)."""
        return self._graphviz("png", dpi)

    def pdf(self) -> bytes:
        """The diagram as PDF bytes."""
        return self._graphviz("pdf")

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the diagram; the suffix picks the format (.svg, .png, .pdf, .dot/.gv)."""
        target = Path(path)
        kind = _SUFFIX_FORMATS.get(target.suffix.lower())
        if kind is None:
            suffix = target.suffix or say("viz.no_suffix")
            raise ValueError(say("viz.diagram_suffix", suffix=repr(suffix), target=target))
        data = self.pipe(kind)
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
        shown = one_language("viz.diagram_repr", n=n_values)
        return f"<Diagram: {shown}; .svg() .png() .save(path) .render(name) .source>"


def draw_dot(
    root: Value,
    rankdir: str = "auto",
    show: Show = "both",
    max_nodes: int | None = DEFAULT_MAX_NODES,
    *,
    edge_labels: EdgeLabels = "auto",
    legend: bool = True,
    title: str | None = None,
    precision: int = 4,
    renderer: Renderer = "auto",
    constant_grads: bool = False,
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

    ``rankdir`` is the layout direction: ``"LR"`` (left to right), ``"TB"`` (top to bottom),
    ``"RL"``, ``"BT"``, or ``"auto"``: left to right while the diagram fits a notebook
    (FIT_WIDTH_PT, about 1,000 px at full text size), else top to bottom when that is narrower
    (decided at the first render; ``.source`` is the left-to-right text until then).
    Constants (the ``2`` in ``2 * x``) get no grad and no red arrow: backward never needs
    them; ``constant_grads=True`` draws them anyway.

    Gradients are drawn as they are stored, so call ``root.backward()`` first (a diagram
    drawn before says so under the picture). Graphs with
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
    check_bool("constant_grads", constant_grads)
    check_renderer(renderer)
    check_choice("format", format, FORMATS)
    check_timeout(timeout)
    check_size(root, max_nodes)
    order = topological_order(root)
    view = GraphView(root, order, {node: readable_grad(node) for node in order}, precision)
    sources = layout_sources(
        view,
        rankdir,
        show=show,
        edge_labels=edge_labels,
        legend=legend,
        title=title,
        constant_grads=constant_grads,
    )
    return Diagram.of_sources(sources, renderer, timeout, format)
