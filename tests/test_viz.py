"""Tests of draw_dot and Diagram: the SVG is parsed, never compared as a picture."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from renderers import HAS_DOT, HAS_PYGRAPHVIZ, needs_renderer
from viz_graphs import reused_along_a_chain

from micrograd_kr import Parameter, Value
from micrograd_kr.engine import apply_op
from micrograd_kr.graph import count_nodes, edges, topological_order
from micrograd_kr.viz import (
    DEFAULT_MAX_NODES,
    Diagram,
    GraphTooLargeError,
    RendererNotFoundError,
    RenderError,
    available_renderers,
    draw_dot,
    format_number,
)

SVG = "{http://www.w3.org/2000/svg}"


def neuron() -> Value:
    """tanh(x1*w1 + x2*w2 + b), the classic single neuron, after backward()."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Parameter(-3.0, label="w1"), Parameter(1.0, label="w2")
    b = Parameter(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    o.backward()
    return o


def korean() -> Value:
    w = Value(2.0, label="가중치")
    x = Value(-1.5, label="입력값")
    y = (w * x + 0.5).sigmoid()
    y.label = "출력"
    y.backward()
    return y


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def groups(svg_root: ET.Element, cls: str) -> list[ET.Element]:
    return [g for g in svg_root.iter(f"{SVG}g") if cls in g.get("class", "").split()]


def texts(element: ET.Element) -> list[str]:
    return [t.text or "" for t in element.iter(f"{SVG}text")]


def hide_dot(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Make the system `dot` program invisible: PATH holds one empty directory."""
    empty = tmp_path / "empty-bin"
    empty.mkdir(exist_ok=True)
    monkeypatch.setenv("PATH", str(empty))


def render_with(which: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Diagram:
    """A diagram of the neuron drawn by the system `dot` or by pygraphviz's bundled engine."""
    if which == "dot" and not HAS_DOT:
        pytest.skip("the Graphviz `dot` program is not installed")
    if which == "pygraphviz":
        if not HAS_PYGRAPHVIZ:
            pytest.skip("pygraphviz is not installed")
        hide_dot(monkeypatch, tmp_path)
    return draw_dot(neuron())


# --- colours, counts and texts -----------------------------------------------------------------


@needs_renderer
def test_forward_edges_blue_backward_edges_red_one_each_per_graph_edge() -> None:
    root = neuron()
    order = topological_order(root)
    n_edges = len(list(edges(order)))
    svg = parse(draw_dot(root).svg())
    forward, backward = groups(svg, "forward"), groups(svg, "backward")
    assert len(forward) == len(backward) == n_edges == 9
    for g in forward:
        strokes = {p.get("stroke") for p in g.iter() if p.tag in (f"{SVG}path", f"{SVG}polygon")}
        assert strokes == {"blue"}
    for g in backward:
        strokes = {p.get("stroke") for p in g.iter() if p.tag in (f"{SVG}path", f"{SVG}polygon")}
        assert strokes == {"red"}
    # nothing else in the picture is blue or red: the op -> result connectors are grey
    others = [g for g in groups(svg, "edge") if g not in forward and g not in backward]
    assert len(others) == sum(1 for v in order if v._prev)
    for g in others:
        assert {p.get("stroke") for p in g.iter(f"{SVG}path")}.isdisjoint({"blue", "red"})


@needs_renderer
def test_node_texts_show_data_and_grad() -> None:
    root = neuron()
    order = topological_order(root)
    svg = parse(draw_dot(root).svg())
    values = {g.get("id"): texts(g) for g in groups(svg, "value")}
    assert len(values) == len(order)
    for i, node in enumerate(order):
        shown = values[f"v{i}"]
        assert f"data {format_number(node.data)}" in shown
        assert f"grad {format_number(node.grad)}" in shown
        if node.label:
            assert node.label in shown
    by_label = {v.label: values[f"v{i}"] for i, v in enumerate(order) if v.label}
    assert by_label["n"] == ["n", "data 0.8814", "grad 0.5"]
    assert by_label["o"] == ["o", "data 0.7071", "grad 1"]
    assert by_label["x1"] == ["x1", "data 2", "grad -1.5"]
    assert by_label["w1"] == ["w1", "data -3", "grad 1"]
    ops = sorted(t for g in groups(svg, "op") for t in texts(g))
    assert ops == sorted(["×", "×", "+", "+", "tanh"])


@needs_renderer
def test_backward_edges_carry_the_chain_rule_product() -> None:
    svg = parse(draw_dot(neuron()).svg())
    labels = sorted(t for g in groups(svg, "backward") for t in texts(g))
    # local derivative × grad of the output = what the input receives
    assert "-3 × 0.5 = -1.5" in labels  # to x1: d(x1*w1)/dx1 = w1
    assert "2 × 0.5 = 1" in labels  # to w1
    assert "0 × 0.5 = 0" in labels  # to w2: x2 is 0
    assert "0.5 × 1 = 0.5" in labels  # through tanh: 1 - 0.7071² = 0.5
    only_values = parse(draw_dot(neuron(), edge_labels="value").svg())
    assert "-1.5" in [t for g in groups(only_values, "backward") for t in texts(g)]
    no_labels = parse(draw_dot(neuron(), edge_labels="none").svg())
    assert all(texts(g) == [] for g in groups(no_labels, "backward"))


@needs_renderer
def test_korean_labels_survive_as_text() -> None:
    svg_text = draw_dot(korean(), title="시그모이드 뉴런").svg()
    for word in ("가중치", "입력값", "출력", "시그모이드 뉴런", "순전파", "역전파"):
        assert word in svg_text  # raw UTF-8, not escaped character references
    all_texts = texts(parse(svg_text))
    assert "가중치" in all_texts and "출력" in all_texts


@needs_renderer
def test_roles_are_told_apart_and_explained_in_a_legend() -> None:
    root = neuron() * 2.0  # adds a constant
    root.label = "root"
    root.backward()
    svg = parse(draw_dot(root).svg())
    roles = {}
    for g in groups(svg, "value"):
        classes = g.get("class", "").split()
        name = texts(g)[0]
        roles[name] = next(c for c in classes if c not in ("node", "value"))
    assert roles["w1"] == roles["w2"] == roles["b"] == "parameter"
    assert roles["x1"] == roles["x2"] == "input"
    assert roles["root"] == "root"
    assert roles["n"] == "intermediate"
    assert roles["data 2"] == "constant"  # unlabelled leaf: its first text is its data
    fills = {}
    for g in groups(svg, "value"):
        role = g.get("class", "").split()[-1]
        fills.setdefault(role, set()).update(
            p.get("fill") for p in g.iter(f"{SVG}polygon") if p.get("fill") not in (None, "none")
        )
        fills[role].update(
            p.get("fill") for p in g.iter(f"{SVG}path") if p.get("fill") not in (None, "none")
        )
    colours = [frozenset(f) for f in fills.values()]
    assert len(set(colours)) == len(colours) == 5  # every role has its own fill colour
    legend = " ".join(texts(svg))
    for word in ("입력 input", "매개변수 parameter", "상수 constant", "출력 root"):
        assert word in legend


@needs_renderer
def test_reused_input_gets_one_edge_per_use() -> None:
    a = Value(3.0, label="a")
    y = a + a
    y.label = "y"
    y.backward()
    svg = parse(draw_dot(y).svg())
    assert len(groups(svg, "forward")) == len(groups(svg, "backward")) == 2
    assert [t for g in groups(svg, "backward") for t in texts(g)] == ["1 × 1 = 1"] * 2
    a_texts = next(texts(g) for g in groups(svg, "value") if "a" in texts(g))
    assert "grad 2" in a_texts


def test_a_value_reused_at_many_depths_is_drawn_again_next_to_its_far_uses() -> None:
    # edges from x to ops many ranks away made dot take minutes (60 terms hit a 120 s
    # timeout). x + x + ... + x with 60 terms: op k (k = 1..59) is at depth k and x is first
    # used at depth 1, so ops 3..59 (57 of them) get a copy of x; ops 1 and 2 use the box.
    lines = draw_dot(reused_along_a_chain(60)).source.splitlines()
    copies = [ln for ln in lines if 'class="copy"' in ln]
    assert len(copies) == 57 and all("<B>x</B>" in ln and "data 1<" in ln for ln in copies)
    from_x = sorted(
        ln.split("->")[1].split("[")[0].strip() for ln in lines if ln.startswith("  v0:")
    )
    assert from_x == ["op1", "op1", "op1", "op1", "op2", "op2"]  # blue + red, x + x twice
    red = [ln for ln in lines if "bwd-" in ln]
    assert len(red) == 118 and all(' label="1"' in ln for ln in red)
    assert 'class="copy"' not in draw_dot(neuron()).source  # ordinary graphs have none


@pytest.mark.skipif(
    not HAS_DOT,
    reason="needs the system Graphviz `dot` program (only it runs under a timeout here)",
)
def test_a_value_reused_along_a_long_chain_renders_quickly() -> None:
    diagram = draw_dot(reused_along_a_chain(60))
    diagram.timeout = 20  # was over 120 s
    svg = parse(diagram.svg())
    backward = groups(svg, "backward")
    assert len(backward) == 118 and all(texts(g) for g in backward)


def test_n_ary_dot_node_has_an_edge_per_input() -> None:
    ws = [Parameter(w, label=f"w{i}") for i, w in enumerate([0.5, -1.0, 2.0])]
    xs = [Value(x, label=f"x{i}") for i, x in enumerate([1.0, 2.0, 3.0])]
    y = apply_op("dot", *ws, *xs)
    y.backward()
    source = draw_dot(y).source
    assert source.count('class="forward"') == source.count('class="backward"') == 6
    assert source.count('class="op"') == 1
    # d/dw0 = x0 = 1, d/dx2 = w2 = 2
    assert 'label="1 × 1 = 1"' in source and 'label="2 × 1 = 2"' in source


def test_show_forward_or_backward_only() -> None:
    root = neuron()
    forward = draw_dot(root, show="forward").source
    assert forward.count('class="forward"') == 9 and 'class="backward"' not in forward
    assert "grad " not in forward and "순전파" in forward and "역전파" not in forward
    backward = draw_dot(root, show="backward").source
    assert backward.count('class="backward"') == 9 and 'class="forward"' not in backward
    assert "grad 0.5" in backward
    with pytest.raises(ValueError, match="show"):
        draw_dot(root, show="sideways")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="rankdir"):
        draw_dot(root, rankdir="XY")
    with pytest.raises(ValueError, match="edge_labels"):
        draw_dot(root, edge_labels="all")  # type: ignore[arg-type]


@needs_renderer
@pytest.mark.parametrize("rankdir", ["TB", "BT", "RL"])
def test_other_directions_render(rankdir: str) -> None:
    svg = parse(draw_dot(neuron(), rankdir=rankdir).svg())
    assert len(groups(svg, "forward")) == 9


def test_undefined_local_derivative_is_shown_not_raised() -> None:
    y = Value(0.0, label="x").sqrt()  # sqrt'(0) = 0.5 / 0
    assert 'label="? (미분 불가)"' in draw_dot(y).source


def test_drawing_changes_nothing() -> None:
    root = neuron()
    order = topological_order(root)
    before = [(v.data, v.grad, v.label, v._prev) for v in order]
    draw_dot(root).source  # noqa: B018
    assert [(v.data, v.grad, v.label, v._prev) for v in order] == before


def test_format_number() -> None:
    assert format_number(0.88137358701954) == "0.8814"
    assert format_number(2.0) == "2"
    assert format_number(-3.0) == "-3"
    assert format_number(0.5) == "0.5"
    assert format_number(-0.0) == "0"
    assert format_number(1e-5) == "1e-05"
    assert format_number(-0.000123456) == "-1.235e-04"
    assert format_number(0.0012345) == "0.0012"
    assert format_number(12345.678) == "12345.678"
    assert format_number(2.5e7) == "2.5e+07"
    assert format_number(float("nan")) == "nan"
    assert format_number(1 / 3, precision=2) == "0.33"


# --- renderers ------------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["dot", "pygraphviz"])
def test_both_renderers_make_valid_svg_png_and_pdf(
    which: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    diagram = render_with(which, monkeypatch, tmp_path)
    svg = parse(diagram.svg())
    assert diagram.used_renderer == which
    assert len(groups(svg, "forward")) == len(groups(svg, "backward")) == 9
    png = diagram.png()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 1000
    assert diagram.pdf().startswith(b"%PDF")


@pytest.mark.parametrize("which", ["dot", "pygraphviz"])
def test_korean_svg_with_each_renderer(
    which: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    render_with(which, monkeypatch, tmp_path)  # skips when this renderer is missing
    diagram = draw_dot(korean(), renderer=which)  # type: ignore[arg-type]
    assert "가중치" in texts(parse(diagram.svg()))
    assert diagram.used_renderer == which


def test_auto_falls_back_to_pygraphviz_without_dot(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if not HAS_PYGRAPHVIZ:
        pytest.skip("pygraphviz is not installed")
    hide_dot(monkeypatch, tmp_path)
    assert available_renderers() == ["pygraphviz"]
    diagram = draw_dot(neuron())
    diagram.save(tmp_path / "g.svg")
    diagram.save(tmp_path / "g.png")
    assert diagram.used_renderer == "pygraphviz"
    assert (tmp_path / "g.png").read_bytes().startswith(b"\x89PNG")
    with pytest.raises(RendererNotFoundError, match="dot"):
        draw_dot(neuron(), renderer="dot").svg()


def test_no_renderer_gives_source_and_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    hide_dot(monkeypatch, tmp_path)
    monkeypatch.setitem(sys.modules, "pygraphviz", None)  # import now raises ImportError
    assert available_renderers() == []
    diagram = draw_dot(neuron())
    assert diagram.source.startswith("digraph")
    with pytest.raises(RendererNotFoundError) as info:
        diagram.svg()
    message = str(info.value)
    assert "pip install pygraphviz" in message and "apt-get install graphviz" in message
    with pytest.raises(RendererNotFoundError):
        diagram.save(tmp_path / "g.png")
    assert not (tmp_path / "g.png").exists()
    bundle = diagram._repr_mimebundle_()
    assert "image/svg+xml" not in bundle and "pip install pygraphviz" in bundle["text/plain"]
    diagram.save(tmp_path / "g.dot")  # DOT text needs no renderer
    assert (tmp_path / "g.dot").read_text(encoding="utf-8") == diagram.source


# --- files and Jupyter ------------------------------------------------------------------------


@needs_renderer
@pytest.mark.parametrize(
    ("suffix", "magic"),
    [(".svg", b"<?xml"), (".png", b"\x89PNG"), (".pdf", b"%PDF"), (".dot", b"digraph")],
)
def test_save_picks_the_format_from_the_suffix(tmp_path: Path, suffix: str, magic: bytes) -> None:
    target = tmp_path / "sub" / f"graph{suffix.upper() if suffix == '.png' else suffix}"
    written = draw_dot(korean()).save(target)
    assert written == target and target.read_bytes().startswith(magic)
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]  # no temp files
    mode = target.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask


def test_save_rejects_unknown_suffix(tmp_path: Path) -> None:
    diagram = draw_dot(neuron())
    for name in ("g.jpg", "g"):
        with pytest.raises(ValueError, match=r"\.svg, \.png, \.pdf, \.dot"):
            diagram.save(tmp_path / name)
    assert list(tmp_path.iterdir()) == []


@needs_renderer
def test_save_replaces_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "g.svg"
    target.write_text("old")
    draw_dot(neuron()).save(str(target))
    assert target.read_text(encoding="utf-8").lstrip().startswith("<?xml")


@needs_renderer
def test_jupyter_display_hooks() -> None:
    diagram = draw_dot(neuron())
    assert diagram._repr_svg_().lstrip().startswith("<?xml")
    bundle = diagram._repr_mimebundle_()
    assert "<svg" in bundle["image/svg+xml"]
    assert "Diagram" in bundle["text/plain"] and "값 10개" in repr(diagram)


# --- graphs too large to read -------------------------------------------------------------------


def chain(n: int) -> Value:
    x = Value(1.0, label="x")
    for _ in range(n):
        x = x * 1.0  # two new values a step: the product and the constant 1.0
    return x


def test_too_many_nodes_is_refused_with_the_count_and_a_way_out() -> None:
    root = chain(1000)
    with pytest.raises(GraphTooLargeError) as info:
        draw_dot(root)
    message = str(info.value)
    assert count_nodes(root) == 2001 and "the graph has 2,001 values" in message
    assert f"max_nodes={DEFAULT_MAX_NODES}" in message and "max_nodes=None" in message
    with pytest.raises(GraphTooLargeError):
        draw_dot(chain(10), max_nodes=5)
    assert draw_dot(chain(10), max_nodes=None).source.count('class="value ') == 21


def test_a_huge_graph_is_refused_without_walking_all_of_it() -> None:
    root = chain(600_000)  # 1.2 million values: past the counting cap
    with pytest.raises(GraphTooLargeError, match="more than 1,000,000 values"):
        draw_dot(root)


# --- odd inputs and failing renderers ----------------------------------------------------------


def test_labels_are_escaped_and_non_values_refused() -> None:
    a = Value(1.0, label='<b>"x" & y</b>')
    source = draw_dot(a * 2.0).source
    assert "&lt;b&gt;&quot;x&quot; &amp; y&lt;/b&gt;" in source and "<b>" not in source
    with pytest.raises(TypeError, match="Value"):
        draw_dot(3.0)  # type: ignore[arg-type]


def fake_dot(tmp_path: Path, body: str) -> None:
    """Put a `dot` on PATH that runs the shell ``body`` instead of Graphviz."""
    bin_dir = tmp_path / "fake-bin"
    bin_dir.mkdir()
    script = bin_dir / "dot"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)
    os.environ["PATH"] = str(bin_dir)


def test_a_broken_system_dot_falls_back_to_pygraphviz(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if not HAS_PYGRAPHVIZ:
        pytest.skip("pygraphviz is not installed")
    monkeypatch.setenv("PATH", os.environ["PATH"])  # restored after the test
    fake_dot(tmp_path, 'echo "Format: png not recognized" >&2; exit 1')
    diagram = draw_dot(neuron())
    assert diagram.png().startswith(b"\x89PNG") and diagram.used_renderer == "pygraphviz"
    with pytest.raises(RenderError, match="not recognized"):
        draw_dot(neuron(), renderer="dot").png()


def test_a_hanging_system_dot_is_stopped(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", os.environ["PATH"])
    sleep = shutil.which("sleep")
    if sleep is None:
        pytest.skip("no sleep program")
    fake_dot(tmp_path, f"exec {sleep} 30")
    diagram = Diagram(draw_dot(neuron()).source, timeout=0.5)
    with pytest.raises(RenderError, match="did not finish"):
        diagram.svg()


def test_ipython_shows_svg_or_the_install_hint(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    formatters = pytest.importorskip("IPython.core.formatters")
    from IPython.core.interactiveshell import InteractiveShell

    formatter = InteractiveShell.instance().display_formatter
    assert isinstance(formatter, formatters.DisplayFormatter)
    if HAS_DOT or HAS_PYGRAPHVIZ:
        data, _ = formatter.format(draw_dot(neuron()))
        assert "<svg" in data["image/svg+xml"]
    hide_dot(monkeypatch, tmp_path)
    monkeypatch.setitem(sys.modules, "pygraphviz", None)
    data, _ = formatter.format(draw_dot(neuron()))
    assert "image/svg+xml" not in data and "apt-get install graphviz" in data["text/plain"]


def test_bundled_renderer_keeps_stderr_clean(tmp_path: Path) -> None:
    """pygraphviz's bundled fontconfig warns about newer system configs; a learner sees none."""
    pytest.importorskip("pygraphviz")
    script = (
        "from micrograd_kr import Value, draw_dot\n"
        "x = Value(2.0, label='x'); y = (x * x).tanh(); y.backward()\n"
        "d = draw_dot(y, renderer='pygraphviz'); d.save('g.png'); d.save('g.svg')\n"
    )
    env = {**os.environ, "PATH": str(Path(sys.executable).parent)}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert b"Fontconfig" not in done.stderr
    assert (tmp_path / "g.png").read_bytes().startswith(b"\x89PNG")
