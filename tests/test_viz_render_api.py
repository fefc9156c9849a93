"""graphviz's spelling as the micrograd lecture types it: draw_dot(format=, rankdir=), render()."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from renderers import needs_renderer

from micrograd_kr import Value, draw_dot
from micrograd_kr.viz import Diagram


def lecture_neuron() -> Value:
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    o = (x1 * w1 + x2 * w2 + b).tanh()
    o.label = "o"
    o.backward()
    return o


@needs_renderer
def test_render_writes_filename_dot_format_like_graphviz(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    dot = draw_dot(lecture_neuron(), format="svg", rankdir="LR")
    written = dot.render("gout")
    assert written == Path("gout.svg") and sorted(p.name for p in tmp_path.iterdir()) == [
        "gout.svg"
    ]
    svg = ET.fromstring(written.read_bytes())
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert "rankdir=LR" in dot.source


@needs_renderer
def test_render_format_argument_and_graphviz_default(tmp_path: Path) -> None:
    diagram = draw_dot(lecture_neuron())
    assert diagram.render(tmp_path / "sub" / "g", format="png").read_bytes()[:4] == b"\x89PNG"
    assert diagram.render(tmp_path / "g").read_bytes()[:4] == b"%PDF"  # graphviz's default
    assert diagram.render(tmp_path / "g", format="dot").read_text() == diagram.source
    assert diagram.pipe("svg") == diagram.svg().encode("utf-8")


@needs_renderer
def test_render_view_opens_the_written_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url, *a, **k: opened.append(url) or True)
    path = draw_dot(lecture_neuron(), format="svg").render(tmp_path / "v", view=True)
    assert opened == [path.resolve().as_uri()] and path.name == "v.svg"


def test_render_arguments_are_checked(tmp_path: Path) -> None:
    diagram = Diagram("digraph { a -> b }", format="svg")
    with pytest.raises(ValueError, match="format"):
        diagram.render(tmp_path / "g", format="jpg")
    with pytest.raises(TypeError, match="view"):
        diagram.render(tmp_path / "g", view="yes")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="format"):
        draw_dot(lecture_neuron(), format="gif")
    assert list(tmp_path.iterdir()) == []
