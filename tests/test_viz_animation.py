"""Tests of animate_backward: the page's structure without a browser, then once in Chromium."""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from renderers import HAS_PYGRAPHVIZ, needs_renderer

from micrograd_kr import Parameter, Value, draw_dot
from micrograd_kr.graph import topological_order
from micrograd_kr.viz import Animation, GraphTooLargeError, animate_backward, format_number

pytestmark = needs_renderer
SVG = "{http://www.w3.org/2000/svg}"


def neuron(run_backward: bool = False) -> Value:
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Parameter(-3.0, label="w1"), Parameter(1.0, label="w2")
    b = Parameter(6.8813735870195432, label="b")
    o = (x1 * w1 + x2 * w2 + b).tanh()
    o.label = "출력"
    if run_backward:
        o.backward()
    return o


class PageParser(HTMLParser):
    """Collects the tags, attributes and script bodies of the page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def frames_of(page: str) -> list[dict[str, object]]:
    parser = PageParser()
    parser.feed(page)
    data = next(s for s in parser.scripts if s.lstrip().startswith("{"))
    frames: list[dict[str, object]] = json.loads(data)["frames"]
    return frames


def test_one_frame_per_node_in_reverse_topological_order() -> None:
    root = neuron()
    order = topological_order(root)
    animation = animate_backward(root)
    frames = frames_of(animation.html)
    assert len(animation) == len(frames) == len(order) == 10
    prefix = str(frames[0]["node"]).rsplit("v", 1)[0]
    expected = [f"{prefix}v{order.index(node)}" for node in reversed(order)]
    assert [f["node"] for f in frames] == expected
    assert "출력" in str(frames[0]["caption"]) and "1/10" in str(frames[0]["caption"])


def test_page_structure_without_a_browser() -> None:
    page = animate_backward(neuron()).html
    parser = PageParser()
    parser.feed(page)
    tags = parser.tags
    sliders = [a for t, a in tags if t == "input" and a.get("type") == "range"]
    assert len(sliders) == 1 and sliders[0]["min"] == "0" and sliders[0]["max"] == "9"
    buttons = {a.get("data-act") for t, a in tags if t == "button"}
    assert buttons == {"first", "prev", "play", "next", "last"}
    assert sum(1 for t, _ in tags if t == "svg") == 1
    # frame data and the player script are inline
    assert len(parser.scripts) == 2 and all(s.strip() for s in parser.scripts)
    # the SVG inside is well-formed, with every grad text tagged for the player
    svg_text = page[page.index("<svg") : page.index("</svg>") + len("</svg>")]
    svg = ET.fromstring(svg_text)
    grads = [t for t in svg.iter(f"{SVG}text") if t.get("class") == "grad"]
    assert len(grads) == 10
    back = [g for g in svg.iter(f"{SVG}g") if "backward" in g.get("class", "").split()]
    assert len(back) == 9
    ids = {g.get("id") for g in svg.iter(f"{SVG}g")}
    for frame in frames_of(page):
        assert frame["node"] in ids
        assert frame["op"] is None or frame["op"] in ids
        for edge in frame["edges"]:  # type: ignore[attr-defined]
            assert edge in ids


def test_page_needs_no_network() -> None:
    page = animate_backward(neuron()).html
    parser = PageParser()
    parser.feed(page)
    for tag, attrs in parser.tags:
        assert tag not in ("link", "iframe", "img")
        assert not (tag == "script" and "src" in attrs)
        for name, value in attrs.items():
            if name in ("src", "href", "xlink:href"):
                assert not (value or "").startswith(("http:", "https:", "//"))
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", page))
    # only XML namespace names, which are identifiers and never fetched
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    assert "@import" not in page
    # the only url() is the embedded font, inline as a data: URL
    assert all(u.startswith("data:") for u in re.findall(r"url\(([^)]*)\)", page))


def test_frames_accumulate_to_the_gradients_of_backward() -> None:
    root = neuron()
    order = topological_order(root)
    frames = frames_of(animate_backward(root).html)
    prefix = str(frames[0]["node"]).rsplit("v", 1)[0]
    shown = {frames[0]["node"]: "grad 1"}
    for frame in frames:
        for node_id, text in frame["grads"]:  # type: ignore[attr-defined]
            shown[node_id] = text
    root.backward()
    for i, node in enumerate(order):
        assert shown[f"{prefix}v{i}"] == f"grad {format_number(node.grad)}"


def test_animation_leaves_grads_alone() -> None:
    root = neuron()  # no backward() yet
    order = topological_order(root)
    animate_backward(root)
    assert all(node.grad == 0.0 for node in order)


def test_reused_node_gets_partial_then_full_gradient() -> None:
    a = Value(3.0, label="a")
    y = a * a + a  # a is used three times
    y.label = "y"
    frames = frames_of(animate_backward(y).html)
    a_id = next(
        f["node"] for f in frames if "a:" in str(f["caption"]).splitlines()[0].split("·")[1]
    )
    received = [text for f in frames for node_id, text in f["grads"] if node_id == a_id]  # type: ignore[attr-defined]
    assert received[-1] == "grad 7"  # d(a² + a)/da = 2a + 1
    assert len(received) == 3  # one update per use


def test_save_and_jupyter(tmp_path: Path) -> None:
    animation = animate_backward(neuron(), title="뉴런 하나의 역전파")
    target = animation.save(tmp_path / "backprop.html")
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "뉴런 하나의 역전파" in page
    assert '<meta charset="utf-8">' in page
    fragment = animation._repr_html_()
    assert "<html" not in fragment and "mgk-anim" in fragment and "<script>" in fragment
    with pytest.raises(ValueError, match="html"):
        animation.save(tmp_path / "backprop.svg")
    assert isinstance(animation, Animation) and "10 frames" in repr(animation)


def test_two_animations_do_not_share_ids() -> None:
    one, two = animate_backward(neuron()), animate_backward(neuron())
    assert frames_of(one.html)[0]["node"] != frames_of(two.html)[0]["node"]


def test_too_large_to_animate() -> None:
    x = Value(1.0, label="x")
    for _ in range(100):
        x = x + 1.0
    with pytest.raises(GraphTooLargeError, match="max_nodes=120"):
        animate_backward(x)


def test_animation_with_bundled_renderer_only(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if not HAS_PYGRAPHVIZ:
        pytest.skip("pygraphviz is not installed")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert len(frames_of(animate_backward(neuron()).html)) == 10


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


NO_BROWSER = (
    "no chromium browser on PATH, so the animation's JavaScript is not run "
    "(Debian: apt-get install chromium; .ci/run installs it)"
)


@pytest.mark.parametrize(("fragment", "frame"), [("", 0), ("#frame=last", 9), ("#frame=4", 3)])
def test_page_runs_in_a_real_browser_offline(tmp_path: Path, fragment: str, frame: int) -> None:
    if chromium() is None:
        if os.environ.get("MICROGRAD_KR_REQUIRE_BROWSER"):  # set by .ci/run: CI must run these
            pytest.fail(NO_BROWSER)
        pytest.skip(NO_BROWSER)
    root = neuron()
    target = animate_backward(root).save(tmp_path / "backprop.html")
    browser = chromium()
    assert browser is not None
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                f"--user-data-dir={profile}",
                "--dump-dom",
                target.as_uri() + fragment,
            ],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
    dom = done.stdout
    assert f'data-frame="{frame}"' in dom, done.stderr[-2000:]
    assert f"{frame + 1} / 10" in dom  # the counter was written by the script
    if frame == 9:
        root.backward()
        for node in topological_order(root):
            assert f"grad {format_number(node.grad)}" in dom
        assert 'class="grad blank' not in dom
    if frame == 0:
        # the root (grad 1) has passed 0.5 to n; the other 8 values are still blank
        assert dom.count('class="grad blank') == 8


def _lecture_mul(a: Value, b: Value) -> Value:
    """The lecture's hand-made product: Value(data, (a, b), '*') with its own _backward."""
    out = Value(a.data * b.data, (a, b), "*")

    def _backward() -> None:
        a.grad += b.data * out.grad
        b.grad += a.data * out.grad

    out._backward = _backward  # type: ignore[method-assign]
    return out


def test_a_hand_made_node_is_drawn_and_animated_with_its_own_backward() -> None:
    # o = tanh(a*b) at a=2, b=-3: d(o)/d(out) = 1 - tanh(-6)^2; da = b * that, db = a * that
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    out = _lecture_mul(a, b)
    out.label = "out"
    o = out.tanh()
    dout = 1.0 - math.tanh(-6.0) ** 2
    o.backward()
    assert (a.grad, b.grad) == (pytest.approx(-3.0 * dout), pytest.approx(2.0 * dout))
    source = draw_dot(o, edge_labels="product").source
    assert "미분 불가" not in source  # the closure gives the local derivatives -3 and 2
    # dout = 2.4576...e-05, shown with as many digits as the product needs
    assert "-3 × 2.4576" in source and "2 × 2.4576" in source
    frames = frames_of(animate_backward(o).html)
    shown = {node_id: text for f in frames for node_id, text in f["grads"]}  # type: ignore[attr-defined]
    order = topological_order(o)
    prefix = str(frames[0]["node"]).rsplit("v", 1)[0]
    for leaf in (a, b):
        assert shown[f"{prefix}v{order.index(leaf)}"] == f"grad {format_number(leaf.grad)}"
    # drawing ran the closure on a scratch copy: every grad is as backward() left it
    assert (a.grad, b.grad, out.grad) == (
        pytest.approx(-3.0 * dout),
        pytest.approx(2.0 * dout),
        dout,
    )
