"""Drawing computation graphs: forward flow in blue, backward flow in red.

``draw_dot(root)`` turns the graph behind a Value into a Graphviz diagram. Every Value is a
box showing its label, ``data`` and ``grad``; every operation is a small circle between its
inputs and its output. Blue arrows carry values forward (input -> operation); red arrows
carry gradients back (operation -> input) and are labelled with the chain-rule product

    local derivative x grad of the output = what this input receives

The local derivatives are read from the table in ``ops.py``; nothing here differentiates.

Rendering uses the ``dot`` program when it is on PATH and otherwise the Graphviz engine that
pygraphviz wheels bundle, so a plain ``pip install`` is enough to draw.
``animate_backward(root)`` shows the backward pass one node at a time in a self-contained
HTML page. This module only reads a graph; it never changes ``data`` or ``grad``.
"""

from __future__ import annotations

import contextlib
import html
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .engine import Parameter, Value
from .graph import count_nodes, edges, topological_order
from .ops import FLOAT

__all__ = [
    "draw_dot",
    "animate_backward",
    "Diagram",
    "Animation",
    "RendererNotFoundError",
    "RenderError",
    "GraphTooLargeError",
    "available_renderers",
    "format_number",
    "DEFAULT_MAX_NODES",
]

# Seed 003: blue arrows are forward propagation, red arrows are backpropagation.
FORWARD_COLOR = "blue"
BACKWARD_COLOR = "red"
GRAD_TEXT_COLOR = "#c00000"  # a darker red: small red text on white is hard to read
LINK_COLOR = "#8c8c8c"

# A few hundred boxes is already more than anyone can read, and dot's layout time grows
# quickly beyond that.
DEFAULT_MAX_NODES = 400

# Fonts: Hangul falls back to any installed Korean font (pango/fontconfig for PNG/PDF, the
# browser for SVG); the names stay as text in SVG either way.
FONT = "Helvetica,Arial,sans-serif"

Show = Literal["both", "forward", "backward"]
Renderer = Literal["auto", "dot", "pygraphviz"]
EdgeLabels = Literal["auto", "product", "value", "none"]

# "auto" edge labels: the full product up to this many values, only the result above it
PRODUCT_LABELS_MAX = 20
# above this _reuse_span, edges lose their ports and labels become xlabels (see _build_dot)
REUSE_SPAN_MAX = 200

_RANKDIRS = ("LR", "RL", "TB", "BT")
# the side of a value box that faces the next operation, per layout direction
_OUT_SIDE = {"LR": "e", "RL": "w", "TB": "s", "BT": "n"}

_INSTALL_HINT = (
    "Install one of them:\n"
    "  pip install pygraphviz      (its wheels bundle Graphviz: Linux x86_64/aarch64, "
    "macOS, Windows x64)\n"
    "  sudo apt-get install graphviz   (Debian/Ubuntu; macOS: brew install graphviz; "
    "Windows: winget install graphviz)\n"
    "Diagram.source still gives the DOT text without a renderer."
)


class RendererNotFoundError(RuntimeError):
    """Neither the ``dot`` program nor pygraphviz's bundled Graphviz engine is available."""


class RenderError(RuntimeError):
    """Graphviz was found but failed to draw the diagram."""


class GraphTooLargeError(ValueError):
    """The graph has more nodes than ``max_nodes``; drawing it would be unreadable and slow."""


# --- numbers --------------------------------------------------------------------------------


def format_number(x: float, precision: int = 4) -> str:
    """A short, readable form of ``x``: ``0.8814``, ``-3``, ``1.5e-05``.

    Up to ``precision`` decimals with trailing zeros dropped; scientific notation for numbers
    too small or too large to show that way.
    """
    x = float(x)
    if not math.isfinite(x):
        return str(x)
    if x == 0:
        return "0"  # also -0.0
    if 10.0 ** (1 - precision) <= abs(x) < 1e6:
        return f"{x:.{precision}f}".rstrip("0").rstrip(".")
    mantissa, exponent = f"{x:.{max(precision - 1, 0)}e}".split("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(exponent):+03d}"


# --- what a diagram shows ---------------------------------------------------------------------

_OP_DISPLAY = {
    "mul": "×",
    "div": "÷",
    "sub": "−",
    "neg": "−x",
    "pow": "xʸ",
    "sum": "Σ",
    "dot": "Σ wᵢxᵢ",
    "maximum": "max",
    "minimum": "min",
    "leaky_relu": "leaky relu",
}

# role -> (fill, border colour, border width, table style, legend text)
_ROLES: dict[str, tuple[str, str, int, str, str]] = {
    "input": ("#e4f4e2", "#2e7d32", 1, "rounded", "입력 input"),
    "parameter": ("#fff0c2", "#a86a00", 2, "rounded", "매개변수 parameter"),
    "constant": ("#f0f0f0", "#8a8a8a", 1, "dashed", "상수 constant"),
    "intermediate": ("#ffffff", "#555555", 1, "rounded", "중간값 intermediate"),
    "root": ("#ecdff9", "#6a1b9a", 3, "rounded", "출력 root"),
}
_ROLE_ORDER = ("input", "parameter", "constant", "intermediate", "root")


def _role(node: Value, root: Value) -> str:
    if node is root:
        return "root"
    if isinstance(node, Parameter):
        return "parameter"
    if node._prev:
        return "intermediate"
    return "input" if node.label else "constant"


def _local_derivatives(node: Value) -> tuple[float, ...] | None:
    """d(node)/d(input_i) for each input, from the derivative table; None where undefined."""
    if node._op is None:
        return None
    try:
        local = node._op.backward(FLOAT, node.data, *[p.data for p in node._prev])
        return tuple(float(d) for d in local)
    except (ArithmeticError, ValueError, TypeError):
        return None  # e.g. sqrt'(0): the diagram shows "?" instead of failing


def _check_size(root: Value, max_nodes: int | None) -> None:
    if not isinstance(root, Value):
        raise TypeError(f"expected a Value to draw, got {type(root).__name__}")
    if max_nodes is None:
        return
    if count_nodes(root, limit=max_nodes) <= max_nodes:
        return
    # count further (still bounded) so the message can say how big the graph is
    cap = max(1_000_000, 10 * max_nodes)
    n = count_nodes(root, limit=cap)
    size = f"more than {cap:,}" if n > cap else f"{n:,}"
    raise GraphTooLargeError(
        f"the graph has {size} values, more than max_nodes={max_nodes}; a diagram that "
        f"big is unreadable. Draw a smaller part (e.g. one neuron), or pass "
        f"max_nodes=None (or a larger number) to draw it anyway."
    )


@dataclass
class _Step:
    """One frame of the backward animation: ``node`` passes its gradient to its inputs."""

    node: str
    op: str | None
    edges: list[str] = field(default_factory=list)
    grads: list[tuple[str, str]] = field(default_factory=list)
    caption: str = ""


class _GraphView:
    """The numbers and names a drawing needs, computed once from a read-only walk."""

    def __init__(
        self, root: Value, order: list[Value], grads: Mapping[Value, float], precision: int
    ) -> None:
        self.root = root
        self.order = order
        self.index = {node: i for i, node in enumerate(self.order)}
        self.grads = grads
        self.precision = precision

    def fmt(self, x: float) -> str:
        return format_number(x, self.precision)

    def name(self, node: Value) -> str:
        """What captions call a node: its label, else something a reader can find."""
        if node.label:
            return node.label
        if node._op is not None:
            return f"({_OP_DISPLAY.get(node.op, node._op.symbol)}) 결과"
        return f"상수 {self.fmt(node.data)}"

    def contributions(self, node: Value) -> list[tuple[float | None, float | None]]:
        """(local derivative, local * grad) for each input position of ``node``."""
        local = _local_derivatives(node)
        g = self.grads[node]
        if local is None:
            return [(None, None)] * len(node._prev)
        return [(d, d * g) for d in local]


# --- DOT text ---------------------------------------------------------------------------------


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _value_label(
    view: _GraphView, node: Value, role: str, show: Show, table_row: bool, grad_text: str
) -> str:
    fill, border, width, style, _ = _ROLES[role]
    cells: list[str] = []
    if node.label:
        cells.append(f"<TD><B>{_esc(node.label)}</B></TD>")
    cells.append(f'<TD PORT="data" ALIGN="LEFT">data {_esc(view.fmt(node.data))}</TD>')
    if show != "forward":
        cells.append(
            f'<TD PORT="grad" ALIGN="LEFT"><FONT COLOR="{GRAD_TEXT_COLOR}">'
            f"{_esc(grad_text)}</FONT></TD>"
        )
    # LR/RL: rows stacked so that data and grad both touch the side facing the op;
    # TB/BT: side by side, for the same reason
    body = "".join(cells) if table_row else "".join(f"<TR>{c}</TR>" for c in cells)
    if table_row:
        body = f"<TR>{body}</TR>"
    return (
        f'<<TABLE BORDER="{width}" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3" '
        f'BGCOLOR="{fill}" COLOR="{border}" STYLE="{style}">{body}</TABLE>>'
    )


def _legend(roles: Sequence[str], show: Show) -> str:
    """The legend: what the arrows mean and which colour is which kind of node."""
    arrows = []
    if show != "backward":
        arrows.append(
            f'<TD><FONT COLOR="{FORWARD_COLOR}" POINT-SIZE="13">⟶</FONT></TD>'
            '<TD ALIGN="LEFT">순전파 forward: data</TD>'
        )
    if show != "forward":
        arrows.append(
            f'<TD><FONT COLOR="{BACKWARD_COLOR}" POINT-SIZE="13">⟵</FONT></TD>'
            '<TD ALIGN="LEFT">역전파 backward: 국소 미분 × 출력의 grad</TD>'
        )
    swatches = "".join(
        f'<TD BORDER="{_ROLES[r][2]}" COLOR="{_ROLES[r][1]}" BGCOLOR="{_ROLES[r][0]}" '
        f'STYLE="{_ROLES[r][3]}">{_ROLES[r][4]}</TD>'
        for r in roles
    )
    # one row: in two rows Graphviz stretches the narrower one to the width of the other
    return (
        '<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="0"><TR>'
        f'<TD><TABLE BORDER="0" CELLSPACING="3" CELLPADDING="1"><TR>{"".join(arrows)}</TR>'
        "</TABLE></TD>"
        f'<TD><TABLE BORDER="0" CELLSPACING="6" CELLPADDING="3"><TR>{swatches}</TR></TABLE></TD>'
        "</TR></TABLE>"
    )


def _build_dot(
    view: _GraphView,
    *,
    rankdir: str,
    show: Show,
    edge_labels: EdgeLabels,
    legend: bool,
    title: str | None,
    id_prefix: str = "",
    font_size: float = 11.0,
) -> str:
    if rankdir not in _RANKDIRS:
        raise ValueError(f"rankdir must be one of {', '.join(_RANKDIRS)}; got {rankdir!r}")
    if show not in ("both", "forward", "backward"):
        raise ValueError(f"show must be 'both', 'forward' or 'backward'; got {show!r}")
    if edge_labels not in ("auto", "product", "value", "none"):
        raise ValueError(
            f"edge_labels must be 'auto', 'product', 'value' or 'none'; got {edge_labels!r}"
        )
    if edge_labels == "auto":
        # long "a × b = c" labels on many edges crowd each other out; keep them short
        edge_labels = "product" if len(view.order) <= PRODUCT_LABELS_MAX else "value"
    side = _OUT_SIDE[rankdir]
    table_row = rankdir in ("TB", "BT")
    p = id_prefix
    lines = [
        "digraph computation_graph {",
        f'  graph [rankdir={rankdir}, fontname="{FONT}", fontsize=11, nodesep=0.25, '
        'ranksep=0.5, ordering=in, bgcolor="white", pad=0.15, charset="UTF-8"];',
        f'  node [fontname="{FONT}", fontsize={font_size:g}, shape=plain];',
        f'  edge [fontname="{FONT}", fontsize={font_size - 1.5:g}, arrowsize=0.6, penwidth=1.2];',
    ]
    roles_seen: set[str] = set()
    # A value reused at many depths (x + x + ... + x) needs edges across many ranks; with
    # ports and edge labels dot took minutes to lay that out. Such graphs attach edges to
    # the whole box and place the labels after the layout (xlabel).
    crowded = _reuse_span(view) > REUSE_SPAN_MAX
    label_key = "xlabel" if crowded else "label"
    data_port, grad_port = ("", "") if crowded else (f":data:{side}", f":grad:{side}")
    for i, node in enumerate(view.order):
        role = _role(node, view.root)
        roles_seen.add(role)
        grad_text = f"grad {view.fmt(view.grads[node])}"
        label = _value_label(view, node, role, show, table_row, grad_text)
        tip = _esc(f"{view.name(node)}: data={node.data!r}, grad={view.grads[node]!r}")
        lines.append(
            f'  v{i} [id="{p}v{i}", class="value {role}", label={label}, tooltip="{tip}"];'
        )
        if node._op is None:
            continue
        symbol = _OP_DISPLAY.get(node.op, node._op.symbol)
        # one-character symbols fit a small circle; names like "sigmoid" a flat ellipse
        shape = "circle" if len(symbol) <= 2 else "ellipse"
        lines.append(
            f'  op{i} [id="{p}op{i}", class="op", shape={shape}, margin=0.03, width=0.3, '
            f'height=0.3, style=filled, fillcolor="#f7f7f7", color="#555555", '
            f'label="{_esc(symbol)}", tooltip="{_esc(node.op)}"];'
        )
        # the op and its result belong together: a neutral connector, not a flow arrow
        lines.append(
            f'  op{i} -> v{i} [id="{p}link-{i}", class="link", color="{LINK_COLOR}", '
            "arrowhead=none, penwidth=1.6];"
        )
        contributions = view.contributions(node) if show != "forward" else []
        for pos, parent in enumerate(node._prev):
            j = view.index[parent]
            if show != "backward":
                lines.append(
                    f'  v{j}{data_port} -> op{i} [id="{p}fwd-{i}-{pos}", class="forward", '
                    f'color="{FORWARD_COLOR}"];'
                )
            if show != "forward":
                local, contribution = contributions[pos]
                text = _edge_text(view, local, view.grads[node], contribution, edge_labels)
                label = f', {label_key}="{_esc(text)}"' if text else ""
                # written input -> op with dir=back so the layout keeps inputs on the same
                # side as in the forward picture while the arrowhead points at the input
                lines.append(
                    f'  v{j}{grad_port} -> op{i} [id="{p}bwd-{i}-{pos}", class="backward", '
                    f'dir=back, color="{BACKWARD_COLOR}", fontcolor="{GRAD_TEXT_COLOR}"'
                    f"{label}];"
                )
    if legend or title:
        parts = []
        if title:
            parts.append(f'<TR><TD><FONT POINT-SIZE="14"><B>{_esc(title)}</B></FONT></TD></TR>')
        if legend:
            roles = [r for r in _ROLE_ORDER if r in roles_seen]
            parts.append(f'<TR><TD ALIGN="LEFT">{_legend(roles, show)}</TD></TR>')
        lines.append(
            f'  graph [labelloc=b, labeljust=l, label=<<TABLE BORDER="0" CELLSPACING="0">'
            f"{''.join(parts)}</TABLE>>];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def _reuse_span(view: _GraphView) -> int:
    """How many ranks, summed over edges, values reach past their first use to a later one.

    A value used at several depths (``x`` in ``x + x + ... + x``) needs an edge that crosses
    every rank in between; a subgraph used once is simply placed next to its use.
    """
    depth = [0] * len(view.order)
    first_use: dict[int, int] = {}
    for i, node in enumerate(view.order):
        if node._prev:
            depth[i] = 1 + max(depth[view.index[p]] for p in node._prev)
            for p in node._prev:
                j = view.index[p]
                first_use[j] = min(first_use.get(j, depth[i]), depth[i])
    index = view.index
    return sum(depth[index[node]] - first_use[index[p]] for p, node, _ in edges(view.order))


def _edge_text(
    view: _GraphView,
    local: float | None,
    grad: float,
    contribution: float | None,
    mode: EdgeLabels,
) -> str:
    if mode == "none":
        return ""
    if local is None or contribution is None:
        return "? (미분 불가)"
    if mode == "value":
        return view.fmt(contribution)
    return f"{view.fmt(local)} × {view.fmt(grad)} = {view.fmt(contribution)}"


# --- renderers --------------------------------------------------------------------------------


def available_renderers() -> list[str]:
    """Which renderers are installed, in the order ``renderer="auto"`` tries them."""
    found = []
    if shutil.which("dot"):
        found.append("dot")
    if _has_pygraphviz():
        found.append("pygraphviz")
    return found


def _render(
    source: str, fmt: str, renderer: Renderer, dpi: float | None, timeout: float | None
) -> tuple[bytes, str]:
    """Draw DOT ``source`` as ``fmt``; returns the bytes and the renderer that drew them."""
    if renderer not in ("auto", "dot", "pygraphviz"):
        raise ValueError(f"renderer must be 'auto', 'dot' or 'pygraphviz'; got {renderer!r}")
    args = [f"-Gdpi={dpi:g}"] if dpi else []
    dot = shutil.which("dot") if renderer in ("auto", "dot") else None
    if dot:
        try:
            return _render_system(dot, source, fmt, args, timeout), "dot"
        except _DotTimeout as exc:
            raise RenderError(str(exc)) from None  # retrying in-process could hang
        except RenderError:
            # e.g. a Graphviz build without the cairo plugin cannot write PNG
            if renderer == "dot" or not _has_pygraphviz():
                raise
    elif renderer == "dot":
        raise RendererNotFoundError("the Graphviz `dot` program is not on PATH.\n" + _INSTALL_HINT)
    return _render_bundled(source, fmt, args), "pygraphviz"


def _has_pygraphviz() -> bool:
    try:
        import pygraphviz  # noqa: F401
    except ImportError:
        return False
    return True


@contextlib.contextmanager
def _without_fontconfig_warnings() -> Iterator[None]:
    """Drop the bundled fontconfig's warnings about newer system config files.

    The fontconfig inside pygraphviz wheels can be older than the system's config and prints
    e.g. 'Fontconfig warning: ... unknown element "reset-dirs"' straight to file descriptor 2.
    It is harmless noise for a learner, so capture fd 2 while rendering and pass on every
    other line.
    """
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):  # e.g. Jupyter's stderr is not a real file
        yield
        return
    sys.stderr.flush()
    saved = os.dup(fd)
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), fd)
        try:
            yield
        finally:
            os.dup2(saved, fd)
            os.close(saved)
            captured.seek(0)
            for line in captured.read().decode(errors="replace").splitlines(keepends=True):
                if not line.startswith("Fontconfig warning"):
                    sys.stderr.write(line)


def _render_bundled(source: str, fmt: str, args: list[str]) -> bytes:
    """Render in-process with the Graphviz libraries that pygraphviz wheels bundle."""
    try:
        import pygraphviz
    except ImportError:
        raise RendererNotFoundError(
            "cannot render: the Graphviz `dot` program is not on PATH and pygraphviz is not "
            "installed.\n" + _INSTALL_HINT
        ) from None
    try:
        graph = pygraphviz.AGraph(string=source)
        with _without_fontconfig_warnings():
            data = graph.draw(format=fmt, prog="dot", args=" ".join(args))
    except Exception as exc:  # pygraphviz raises ValueError/OSError/TypeError variously
        raise RenderError(f"pygraphviz could not render {fmt}: {exc}") from exc
    if not data:
        raise RenderError(f"pygraphviz produced no {fmt} output")
    return bytes(data)


class _DotTimeout(RenderError):
    pass


def _render_system(
    dot: str, source: str, fmt: str, args: list[str], timeout: float | None
) -> bytes:
    try:
        done = subprocess.run(
            [dot, f"-T{fmt}", *args],
            input=source.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise _DotTimeout(
            f"`dot` did not finish within {timeout} s; draw a smaller graph"
        ) from None
    if done.returncode != 0 or not done.stdout:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise RenderError(f"`dot -T{fmt}` failed (exit {done.returncode}): {message}")
    return done.stdout


def _atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers never see a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the usual permissions
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- Diagram ----------------------------------------------------------------------------------

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
            data, used = _render(self.source, fmt, self.renderer, dpi, self.timeout)
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
        _atomic_write(target, data)  # rendered first: a failed render leaves no file
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
    _check_size(root, max_nodes)
    order = topological_order(root)
    view = _GraphView(root, order, {node: float(node.grad) for node in order}, precision)
    source = _build_dot(
        view, rankdir=rankdir, show=show, edge_labels=edge_labels, legend=legend, title=title
    )
    return Diagram(source, renderer=renderer)


# --- animation of the backward pass ---------------------------------------------------------


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
            raise ValueError(
                f"an animation is saved as an .html file, not {target.suffix or 'no suffix'!r}"
                f" ({target})"
            )
        _atomic_write(target, self._page.encode("utf-8"))
        return target

    def _repr_html_(self) -> str:
        return self._fragment

    def __len__(self) -> int:
        return len(self.frames)

    def __repr__(self) -> str:
        return f"<Animation: {len(self.frames)} frames; .save('backprop.html')>"


def _simulate_backward(view: _GraphView, root: Value) -> tuple[dict[Value, float], list[_Step]]:
    """Run the chain rule on a private copy of the gradients, recording each step.

    Mirrors ``Value.backward`` (outputs before inputs) without touching ``.grad``.
    """
    grads = {node: 0.0 for node in view.order}
    grads[root] = 1.0
    steps: list[_Step] = []
    total = len(view.order)
    for k, node in enumerate(reversed(view.order)):
        i = view.index[node]
        g = grads[node]
        step = _Step(node=f"v{i}", op=f"op{i}" if node._op is not None else None)
        head = f"{k + 1}/{total} · {view.name(node)}: grad = {view.fmt(g)}"
        if k == 0:
            head += " (출력이므로 1에서 시작)"
        lines = [head]
        if node._op is None:
            lines.append("입력이 없는 잎 노드: grad가 확정됨")
        local = _local_derivatives(node)
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


def _mark_grad_texts(svg: str, prefix: str) -> str:
    """Tag each node's grad text in the SVG so the page can rewrite it frame by frame."""
    ns = "http://www.w3.org/2000/svg"
    ET.register_namespace("", ns)
    ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    tree = ET.fromstring(svg)
    for group in tree.iter(f"{{{ns}}}g"):
        gid = group.get("id", "")
        if "value" not in group.get("class", "").split() or not gid.startswith(prefix):
            continue
        for text in group.iter(f"{{{ns}}}text"):
            if (text.text or "").startswith("grad "):
                text.set("class", "grad")
                text.set("data-final", text.text or "")
    return ET.tostring(tree, encoding="unicode")


def animate_backward(
    root: Value,
    rankdir: str = "LR",
    max_nodes: int | None = 120,
    *,
    interval_ms: int = 1200,
    precision: int = 4,
    renderer: Renderer = "auto",
    title: str | None = None,
) -> Animation:
    """The backward pass of ``root`` step by step, as an HTML page with a slider and play button.

    One frame per node, outputs first (reverse topological order). In each frame the node
    being processed is highlighted, the red arrows it sends and the gradients computed so
    far are filled in, and the rest is blank. The gradients are computed on a private copy:
    ``.grad`` of the graph is not changed, and ``root.backward()`` need not have run.
    """
    _check_size(root, max_nodes)
    prefix = f"mgk{uuid.uuid4().hex[:8]}-"
    order = topological_order(root)
    view = _GraphView(root, order, {}, precision)
    final, steps = _simulate_backward(view, root)
    view.grads = final
    source = _build_dot(
        view,
        rankdir=rankdir,
        show="both",
        edge_labels="auto",
        legend=True,
        title=title,
        id_prefix=prefix,
    )
    svg_text, _ = _render(source, "svg", renderer, None, 120)
    svg = _mark_grad_texts(svg_text.decode("utf-8"), prefix)
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
    body = _animation_body(prefix, svg, frames, interval_ms, title)
    page = _PAGE.format(title=_esc(title or "역전파 애니메이션 · backward pass"), body=body)
    return Animation(page, body, frames)


def _animation_body(
    prefix: str, svg: str, frames: list[dict[str, Any]], interval_ms: int, title: str | None
) -> str:
    # "</" cannot appear inside <script>; JSON escapes it harmlessly as "<\/"
    data = json.dumps(
        {"prefix": prefix, "frames": frames, "interval": interval_ms}, ensure_ascii=False
    ).replace("</", "<\\/")
    return (
        _BODY.replace("@ID@", prefix + "anim")
        .replace("@N@", str(len(frames)))
        .replace("@LAST@", str(len(frames) - 1))
        .replace("@SVG@", svg)
        .replace("@DATA@", data)
    )


_PAGE = """<!DOCTYPE html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
</head>
<body style="margin:12px;background:#fff">
{body}
</body>
</html>
"""

# One inline SVG; the script only changes texts, classes and opacity, so the layout never
# moves between frames. Everything is scoped under the container id (several animations can
# share a notebook page).
_BODY = """<div id="@ID@" class="mgk-anim" data-frames="@N@">
<style>
#@ID@ {font-family: Helvetica, Arial, "Noto Sans KR", "NanumGothic", sans-serif; color:#222}
#@ID@ .mgk-controls {display:flex; gap:6px; align-items:center; margin:4px 0 8px 0}
#@ID@ .mgk-controls button {font-size:15px; min-width:2.4em; padding:2px 8px; cursor:pointer}
#@ID@ .mgk-controls input[type=range] {flex:1; max-width:480px}
#@ID@ .mgk-counter {font-variant-numeric: tabular-nums; min-width:5em}
#@ID@ .mgk-caption {white-space:pre-wrap; font-size:14px; line-height:1.45; margin:6px 0 10px 0;
  padding:6px 10px; border-left:4px solid #ff8c00; background:#fff8ee; min-height:4.4em}
#@ID@ .mgk-graph {overflow:auto; max-width:100%}
#@ID@ .mgk-graph svg {max-width:100%; height:auto}
#@ID@ g.edge.backward {transition: opacity .25s}
#@ID@ g.edge.backward.pending {opacity:0.08}
#@ID@ g.edge.backward.pending text {visibility:hidden}
#@ID@ g.edge.backward.active path, #@ID@ g.edge.backward.active polygon {stroke-width:3px}
#@ID@ g.edge.backward.active text {font-weight:bold}
#@ID@ g.node.current polygon, #@ID@ g.node.current path, #@ID@ g.node.current ellipse
  {stroke:#ff8c00 !important; stroke-width:4px}
#@ID@ text.grad.blank {fill:#bbbbbb}
#@ID@ text.grad.changed {font-weight:bold}
</style>
<div class="mgk-controls">
<button type="button" data-act="first" title="처음 (Home)">|◀</button>
<button type="button" data-act="prev" title="이전 (←)">◀</button>
<button type="button" data-act="play" title="재생 / 멈춤 (space)">▶ 재생</button>
<button type="button" data-act="next" title="다음 (→)">▶</button>
<button type="button" data-act="last" title="끝 (End)">▶|</button>
<input type="range" min="0" max="@LAST@" value="0" step="1" aria-label="frame">
<span class="mgk-counter"></span>
</div>
<div class="mgk-caption"></div>
<div class="mgk-graph">
@SVG@
</div>
<script type="application/json" class="mgk-data">@DATA@</script>
<script>
(function () {
  var box = document.getElementById("@ID@");
  var D = JSON.parse(box.querySelector("script.mgk-data").textContent);
  var F = D.frames, n = F.length, cur = 0, timer = null;
  var slider = box.querySelector("input[type=range]");
  var playBtn = box.querySelector("[data-act=play]");
  var caption = box.querySelector(".mgk-caption");
  var counter = box.querySelector(".mgk-counter");
  var byId = function (id) { return id ? box.querySelector('[id="' + id + '"]') : null; };
  var grads = Array.prototype.slice.call(box.querySelectorAll("text.grad"));
  var back = Array.prototype.slice.call(box.querySelectorAll("g.edge.backward"));
  var marked = [];
  function show(k) {
    cur = Math.max(0, Math.min(n - 1, k));
    var shown = {}, changed = {}, revealed = {}, i, j;
    shown[F[0].node] = "grad 1";
    for (i = 0; i <= cur; i++) {
      for (j = 0; j < F[i].grads.length; j++) {
        shown[F[i].grads[j][0]] = F[i].grads[j][1];
        if (i === cur) changed[F[i].grads[j][0]] = true;
      }
      for (j = 0; j < F[i].edges.length; j++) revealed[F[i].edges[j]] = i;
    }
    grads.forEach(function (t) {
      var owner = t.closest("g.node"), id = owner ? owner.id : "";
      var s = shown[id];
      t.textContent = s === undefined ? "grad" : s;
      t.classList.toggle("blank", s === undefined);
      t.classList.toggle("changed", !!changed[id]);
    });
    back.forEach(function (e) {
      var r = revealed[e.id];
      e.classList.toggle("pending", r === undefined);
      e.classList.toggle("active", r === cur);
    });
    marked.forEach(function (m) { m.classList.remove("current"); });
    marked = [byId(F[cur].node), byId(F[cur].op)].filter(Boolean);
    marked.forEach(function (m) { m.classList.add("current"); });
    caption.textContent = F[cur].caption;
    counter.textContent = (cur + 1) + " / " + n;
    slider.value = cur;
    box.setAttribute("data-frame", cur);
  }
  function stop() {
    if (timer) { clearInterval(timer); timer = null; }
    playBtn.textContent = "▶ 재생";
  }
  function play() {
    if (cur >= n - 1) show(0);
    playBtn.textContent = "■ 멈춤";
    timer = setInterval(function () {
      if (cur >= n - 1) { stop(); return; }
      show(cur + 1);
    }, D.interval);
  }
  box.querySelector(".mgk-controls").addEventListener("click", function (ev) {
    var b = ev.target.closest("button");
    if (!b) return;
    var a = b.getAttribute("data-act");
    if (a === "play") { timer ? stop() : play(); return; }
    stop();
    show({first: 0, prev: cur - 1, next: cur + 1, last: n - 1}[a]);
  });
  slider.addEventListener("input", function () { stop(); show(parseInt(slider.value, 10)); });
  box.tabIndex = 0;
  box.addEventListener("keydown", function (ev) {
    var k = {ArrowLeft: cur - 1, ArrowRight: cur + 1, Home: 0, End: n - 1}[ev.key];
    if (ev.key === " ") { ev.preventDefault(); timer ? stop() : play(); return; }
    if (k !== undefined) { ev.preventDefault(); stop(); show(k); }
  });
  // a saved page can open at a chosen frame: backprop.html#frame=5 or #frame=last
  var m = /(?:^|[#&?])frame=(last|\\d+)/.exec(location.hash + "&" + location.search);
  show(m ? (m[1] === "last" ? n - 1 : parseInt(m[1], 10) - 1) : 0);
})();
</script>
</div>
"""
