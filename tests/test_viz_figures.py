"""Diagrams a learner can read and check (issue 13): they fit a notebook, their arithmetic
checks by hand, their legend explains every line, and they say what state the graph is in."""

from __future__ import annotations

import base64
import io
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from micrograd_kr import Value
from micrograd_kr.viz import animate_backward, available_renderers, draw_dot

needs_renderer = pytest.mark.skipif(not available_renderers(), reason="no Graphviz renderer")

# A notebook output area is about 1,000 CSS px wide; 750 pt = 1,000 px at 96 dpi.
NOTEBOOK_PT = 750.0
MIN_TEXT_PX = 11.0


# --- the graphs of notebook 03 -------------------------------------------------------------


def two_layer() -> Value:
    """Notebook 03, section 1 (the same code)."""
    x = Value(1.5, label="x")
    w1 = Value(0.8, label="w1")
    w2 = Value(-1.2, label="w2")
    t = 0.5
    z = w1 * x
    z.label = "z"
    h = z.tanh()
    h.label = "h"
    y_hat = w2 * h
    y_hat.label = "y_hat"
    e = y_hat - t
    e.label = "e"
    L = e**2
    L.label = "L"
    L.backward()
    return L


def reused() -> Value:
    """Notebook 03, section 2: b = a + a; c = b + b."""
    a = Value(3.0, label="a")
    b = a + a
    b.label = "b"
    c = b + b
    c.label = "c"
    c.backward()
    return c


def _size_pt(svg: str) -> tuple[float, float]:
    m = re.search(r'<svg[^>]*\swidth="([\d.]+)pt"[^>]*\sheight="([\d.]+)pt"', svg)
    assert m is not None
    return float(m.group(1)), float(m.group(2))


def _smallest_text_px(svg: str, area_px: float) -> float:
    """The smallest text size in CSS px when the SVG is shown at most ``area_px`` wide."""
    width_px = _size_pt(svg)[0] * 96 / 72
    scale = min(1.0, area_px / width_px)
    sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)"', svg)]
    return min(sizes) * 96 / 72 * scale


@needs_renderer
@pytest.mark.parametrize("make", [two_layer, reused], ids=["two-layer", "reuse"])
def test_notebook_03_graphs_fit_a_notebook_at_readable_text_size(make: object) -> None:
    svg = draw_dot(make()).svg()  # type: ignore[operator]
    assert _size_pt(svg)[0] <= NOTEBOOK_PT  # the two-layer graph was 1,519 pt wide
    assert _smallest_text_px(svg, 1000) >= MIN_TEXT_PX


@needs_renderer
def test_a_small_mlp_shows_readable_text_in_a_notebook() -> None:
    from micrograd_kr import nn

    out = nn.MLP(2, [2, 1], seed=0)([1.0, -2.0])
    out = out[0] if isinstance(out, list) else out
    out.backward()
    svg = draw_dot(out).svg()  # was 1,543 pt wide: 6-7 px text once shrunk to the page
    assert _smallest_text_px(svg, 1000) >= MIN_TEXT_PX


@needs_renderer
def test_auto_layout_keeps_left_to_right_when_it_fits() -> None:
    d = draw_dot(reused())
    d.svg()
    assert "rankdir=LR" in d.source
    wide = draw_dot(two_layer())
    wide.svg()
    assert "rankdir=TB" in wide.source  # the chain is long: top to bottom is narrower
    assert "rankdir=LR" in draw_dot(two_layer(), rankdir="LR").source


@needs_renderer
def test_animation_keeps_text_size_and_scrolls() -> None:
    anim = animate_backward(two_layer())
    svg = anim.html[anim.html.index("<svg") : anim.html.index("</svg>")]
    assert _size_pt(svg)[0] <= NOTEBOOK_PT
    # no CSS that shrinks the picture to the output width; the box scrolls instead
    css = anim.html[anim.html.index("<style>") : anim.html.index("</style>")]
    assert re.search(r"\.mgk-graph svg \{[^}]*max-width:\s*none", css)
    assert re.search(r"\.mgk-graph \{[^}]*overflow:\s*auto", css)


# --- arithmetic that checks by hand -----------------------------------------------------------


def test_edge_label_products_from_the_issue() -> None:
    from micrograd_kr.viz.numbers import format_product

    # was "2 × 0.501 = 1.0019" and "0.305 × 3.6009 = 1.0984" (true product 1.0983)
    assert format_product(2.0, 0.50095, 2.0 * 0.50095) == ("2", "0.501", "1.002")
    assert format_product(0.305, 3.6009, 0.305 * 3.6009) == ("0.305", "3.601", "1.098")


@given(
    st.floats(-1e6, 1e6, allow_nan=False).filter(lambda v: v == 0 or abs(v) > 1e-9),
    st.floats(-1e6, 1e6, allow_nan=False).filter(lambda v: v == 0 or abs(v) > 1e-9),
)
def test_shown_factors_multiply_to_the_shown_result(a: float, b: float) -> None:
    from micrograd_kr.viz.numbers import format_product

    sa, sb, sp = format_product(a, b, a * b)
    digits = max(len(re.sub(r"[^0-9]", "", s.split("e")[0]).lstrip("0")) for s in (sa, sb, sp))
    # exact decimal product of the shown numbers, rounded to the shown digits, by hand
    exact = Decimal(sa) * Decimal(sb)
    if exact == 0:
        assert float(sp) == 0
        return
    shown = Decimal(sp)
    assert abs(exact - shown) <= abs(shown) * Decimal(10) ** (1 - digits)


def test_diagram_edge_labels_use_the_same_digits() -> None:
    a = Value(2.0, label="a")
    w = Value(0.305, label="w")
    u = a * w
    u.label = "u"
    L = u * 3.6009  # u.grad = 3.6009, du/da = w = 0.305
    L.label = "L"
    L.backward()
    source = draw_dot(L).source
    labels = re.findall(r'class="backward"[^\]]*label="([^"]*)"', source)
    assert "0.305 × 3.601 = 1.098" in labels  # was "0.305 × 3.6009 = 1.0982"
    assert "2 × 3.601 = 7.202" in labels


# --- what the picture says about itself ---------------------------------------------------


def test_a_diagram_drawn_before_backward_says_so() -> None:
    x = Value(3.0, label="x")
    y = x * x
    y.label = "y"
    before = draw_dot(y).source
    assert "backward()를 실행하지 않아" in before
    y.backward()
    assert "backward()를 실행하지 않아" not in draw_dot(y).source
    assert "실행하지 않아" not in draw_dot(y, show="forward").source


def test_legend_explains_the_grey_op_to_result_line() -> None:
    x = Value(3.0, label="x")
    y = x.tanh()
    y.backward()
    source = draw_dot(y).source
    assert 'class="link", color="#8c8c8c"' in source  # the grey line is drawn...
    assert '<FONT COLOR="#8c8c8c"' in source and "결과" in source  # ...and explained


def _backward_edges(source: str) -> int:
    return source.count('class="backward"')


def test_constants_get_no_red_arrow_unless_asked() -> None:
    x = Value(0.5, label="x")
    y = 2 * x - 0.5  # two constants: 2 and the 0.5 target
    y.label = "y"
    y.backward()
    default = draw_dot(y).source
    assert _backward_edges(default) == 2  # 2·x -> x, and (2x) - 0.5 -> 2x
    assert "0 × 1 = 0" not in default and "× 0 =" not in default
    asked = draw_dot(y, constant_grads=True).source
    assert _backward_edges(asked) == 4


@needs_renderer
def test_the_animation_skips_constants() -> None:
    x = Value(0.5, label="x")
    y = 2 * x - 0.5
    y.label = "y"
    anim = animate_backward(y)
    # y, (y's op input) 2x and x: three frames; the constants 2 and 0.5 have none
    assert len(anim.frames) == 3
    assert all("상수" not in frame["caption"] for frame in anim.frames)
    assert anim.html.count('class="edge backward"') == 2


@needs_renderer
def test_the_animation_tells_what_to_do_without_javascript() -> None:
    anim = animate_backward(reused())
    for text in (anim.html, anim._repr_html_()):
        assert "<noscript>" in text
        note = re.search(r'<p class="mgk-nojs">(.*?)</p>', text, re.S)
        assert note is not None and "JavaScript" in note.group(1) and "신뢰" in note.group(1)
    # the script removes the note where it runs
    assert 'querySelector(".mgk-nojs")' in anim.html


def test_diagram_repr_counts_values_in_korean() -> None:
    assert "값 1개" in repr(draw_dot(Value(1.0, label="x")))


def test_cli_diagram_names_the_root(tmp_path: Path) -> None:
    out = tmp_path / "g.dot"
    subprocess.run(
        [sys.executable, "-m", "micrograd_kr", "graph", "x*w + 2", "x=2", "w=3", "-o", str(out)],
        check=True,
        capture_output=True,
    )
    assert "<B>결과 = x*w + 2</B>" in out.read_text(encoding="utf-8")


# --- SVG: Korean font names, and the bundled font embedded ---------------------------------


@needs_renderer
def test_svg_names_korean_fonts_and_embeds_the_glyphs_it_uses() -> None:
    ttlib = pytest.importorskip("fontTools.ttLib")
    svg = draw_dot(two_layer(), title="두 층 신경망").svg()
    assert 'font-family="NanumGothic"' not in svg
    for name in ("Malgun Gothic", "Apple SD Gothic Neo", "Noto Sans KR", "NanumGothic"):
        assert name in svg
    data = re.search(r"url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)", svg)
    assert data is not None
    font = ttlib.TTFont(io.BytesIO(base64.b64decode(data.group(1))))
    cmap = font.getBestCmap()
    texts = "".join(re.findall(r"<text\b[^>]*>([^<]*)</text>", svg))
    hangul = {ch for ch in texts if "\uac00" <= ch <= "\ud7a3"}
    assert hangul and all(ord(ch) in cmap for ch in hangul)
    assert len(cmap) < 300  # a subset, not the 4.7 MB font
    plain = draw_dot(two_layer()).svg(embed_font=False)
    assert "@font-face" not in plain and "Malgun Gothic" in plain


def test_a_constant_exponent_does_not_hide_the_base_derivative() -> None:
    # L = e**2 at e < 0: d/d(exponent) = e²·log e has no value, d/de = 2e = -3.0008 does
    L = two_layer()
    source = draw_dot(L).source
    assert "미분 불가" not in source
    labels = re.findall(r'class="backward"[^\]]*label="([^"]*)"', source)
    assert "-3.001 × 1 = -3.001" in labels
    steps = animate_backward(L).frames if available_renderers() else []
    assert all("미분 불가" not in step["caption"] for step in steps)


def test_notebook_03_as_committed_has_diagrams_that_fit() -> None:
    nbformat = pytest.importorskip("nbformat")
    path = Path(__file__).resolve().parent.parent / "notebooks" / "03_gyesan_graph_yeokjeonpa.ipynb"
    nb = nbformat.read(path, as_version=4)
    svgs = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "image/svg+xml" in data:
                svgs.append(data["image/svg+xml"])
            elif "<svg" in data.get("text/html", ""):  # the animation
                html = data["text/html"]
                svgs.append(html[html.index("<svg") : html.index("</svg>")])
    assert len(svgs) >= 3
    for svg in svgs:
        assert _size_pt(svg)[0] <= NOTEBOOK_PT
        assert _smallest_text_px(svg, 1000) >= MIN_TEXT_PX
