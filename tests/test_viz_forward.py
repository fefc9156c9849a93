"""draw_forward: one forward-mode sweep drawn with values, tangents and their products."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import pytest
from renderers import needs_renderer

from micrograd_kr import Value
from micrograd_kr.engine import apply_op
from micrograd_kr.viz import draw_forward


def _f() -> tuple[Value, Value, Value]:
    x = Value(1.0, label="x")
    y = Value(2.0, label="y")
    f = x * y + x.sin()
    f.label = "f"
    return x, y, f


def _tangent_labels(source: str) -> list[str]:
    return re.findall(r'class="tangent"[^\n]*label="([^"]*)"', source)


def test_tangents_and_products_match_hand_derivation() -> None:
    # f = x*y + sin x, seeded x: ẋ(x*y) = y·1 = 2, ẋ(sin x) = cos(1)·1, ẋ(f) = 2 + cos(1)
    x, _, f = _f()
    src = draw_forward(f, {x: 1.0}).source
    labels = _tangent_labels(src)
    assert "2 × 1 = 2" in labels  # d(x*y)/dx = y = 2
    assert "0.5403 × 1 = 0.5403" in labels  # cos(1) = 0.540302...
    assert "1 × 2 = 2" in labels and "1 × 0.5403 = 0.5403" in labels  # the sum's rows
    assert "ẋ = 0" in labels  # y does not move
    assert f"ẋ {math.cos(1.0) + 2.0:.4f}" in src  # 2.5403 in the root's box
    assert f'tangent={math.cos(1.0) + 2.0!r}"' in src


def test_seeding_y_gives_the_other_partial() -> None:
    # seeded y: ẋ(x*y) = x·1 = 1, sin x does not move, ẋ(f) = 1
    _, y, f = _f()
    src = draw_forward(f, {y: 1.0}).source
    labels = _tangent_labels(src)
    assert "1 × 1 = 1" in labels
    assert 'tangent=1.0"' in src.split('class="value root"')[1]


def test_tangent_arrows_are_dashed_and_distinct_from_value_arrows() -> None:
    x, _, f = _f()
    src = draw_forward(f, {x: 1.0}).source
    value_edges = [line for line in src.splitlines() if 'class="forward"' in line]
    tangent_edges = [line for line in src.splitlines() if 'class="tangent"' in line]
    assert len(value_edges) == len(tangent_edges) == 5
    assert all("style=dashed" in e for e in tangent_edges)
    assert not any("dashed" in e for e in value_edges)
    assert "순방향 모드" in src and "ẋ(x) = 1" in src


def test_constants_get_no_tangent_arrow() -> None:
    x = Value(3.0, label="x")
    y = 2 * x
    src = draw_forward(y, {x: 1.0}).source
    assert src.count('class="forward"') == 2
    assert _tangent_labels(src) == ["2 × 1 = 2"]  # d(2x)/dx = 2


def test_input_used_many_times_is_one_arrow_with_the_total() -> None:
    x = Value(1.5, label="x")
    s = apply_op("sum", x, x, x)
    src = draw_forward(s, {x: 1.0}).source
    assert _tangent_labels(src) == ["3 × 1 × 1 = 3"]


@pytest.mark.parametrize(
    "label",
    ["<img src=x onerror=alert(1)>", '"><b>x</b>', "\\N\\G", "a\x01b", "]]>&amp;"],
)
def test_hostile_labels_are_escaped(label: str) -> None:
    x = Value(1.0, label=label)
    y = x * x
    y.label = label
    src = draw_forward(y, {x: 1.0}, title=label).source
    assert "<img" not in src and "<b>x" not in src and "\x01" not in src
    assert "\\N" not in src.replace("\\\\", "")
    assert '"><b>' not in src


def test_bad_arguments_are_refused() -> None:
    x, _, f = _f()
    with pytest.raises(ValueError, match="rankdir"):
        draw_forward(f, {x: 1.0}, rankdir="sideways")
    with pytest.raises(TypeError):
        draw_forward(f, {"x": 1.0})  # type: ignore[dict-item]
    from micrograd_kr.viz import GraphTooLargeError

    with pytest.raises(GraphTooLargeError):
        draw_forward(f, {x: 1.0}, max_nodes=2)


@needs_renderer
def test_hostile_label_renders_to_well_formed_svg_shown_as_typed() -> None:
    label = "</text><script>alert(1)</script>&\\N"
    x = Value(1.0, label=label)
    y = x.sin()
    svg = draw_forward(y, {x: 1.0}, rankdir="LR").svg(embed_font=False)
    tree = ET.fromstring(svg)
    assert not any(el.tag.endswith("script") for el in tree.iter())
    texts = "".join(el.text or "" for el in tree.iter() if el.tag.endswith("text"))
    assert label in texts
    assert "0.5403 × 1 = 0.5403" in texts  # cos(1) on the dashed arrow


@needs_renderer
def test_animate_forward_plays_the_sweep_inputs_first_with_hand_derived_numbers() -> None:
    from micrograd_kr.viz import animate_forward

    x, _, f = _f()
    anim = animate_forward(f, {x: 1.0}, rankdir="LR")
    frames = anim.frames
    assert len(frames) == 5  # x, sin x, y, x*y, f: no constants here
    shown = [g[1] for fr in frames for g in fr["grads"]]
    assert shown == ["ẋ 1", "ẋ 0.5403", "ẋ 0", "ẋ 2", "ẋ 2.5403"]  # cos 1, y·1, 2 + cos 1
    assert "2 × 1 = 2" in frames[3]["caption"]
    assert "1 × 0.5403 = 0.5403" in frames[4]["caption"]
    for fr in frames:  # every tangent arrow a frame reveals is in the page's picture
        for edge in fr["edges"]:
            assert f'id="{edge}"' in anim.html
    assert anim.html.count('class="grad"') == 5  # each box's ẋ text is rewritten per frame
    assert '"flow": "tangent"' in anim.html


@needs_renderer
def test_animate_forward_keeps_a_hostile_label_out_of_the_markup() -> None:
    from micrograd_kr.viz import animate_forward

    label = "</script><script>alert(1)</script>"
    x = Value(1.0, label=label)
    y = x * x
    anim = animate_forward(y, {x: 1.0}, title=label)
    assert "<script>alert(1)" not in anim.html
    assert anim.html.count("</script>") == anim.html.count("<script")
