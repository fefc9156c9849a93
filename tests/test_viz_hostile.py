"""Hostile labels and titles: the page and the SVG stay safe, well-formed and faithful.

Pages are parsed with html5lib (what a browser's tokenizer does) and SVG with an XML parser.
A hostile page must have no element or attribute that the page of a plain label lacks, and
the label must be shown as typed (characters that XML 1.0 forbids become U+FFFD).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from renderers import needs_renderer

from micrograd_kr import Value, animate_backward, draw_dot

html5lib = pytest.importorskip("html5lib")

pytestmark = needs_renderer

SVG = "{http://www.w3.org/2000/svg}"

HOSTILE = [
    "@DATA@<img src=x onerror=alert(1)>",
    "<!--<script>",
    "a\x01b",
    "\\N\\G\\L\\E",
    "first line\nsecond line",
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "'; alert(1); '",
    "]]><x>",
    "<![CDATA[x]]>",
    "&amp; &lt; &#60; &#x3c;",
    "&",
    "@SVG@",
    "@ID@ @N@ @LAST@ @TITLE@ @BODY@ @CSS@ @JS@",
    "{title} {body} %s {0}",
    "line\u2028sep\u2029para",
    "\x00nul",
    "\x1b[31mred",
    "lone \ud800 surrogate",
    "\ufffe\uffff",
    "\x0b\x0c",
    "tab\there",
    "a\r\nb\rc",
    "\\",
    "x\\ny",
    "<style>*{display:none}</style>",
    '<a href="javascript:alert(1)">x</a>',
    "-->",
    "<!--",
    '<?xml version="1.0"?>',
    '<!DOCTYPE x [<!ENTITY e "boom">]>&e;',
    "</textarea></title></style>",
    "<TABLE><TR><TD>x</TD></TR></TABLE>",
    "<BR/>",
    "가중치 <b>굵게</b>",
    "\"quoted\" 'single'",
    "${alert(1)} `x`",
    '"; } digraph x { a [label="',
    "\u202eRTL override",
    "😀 emoji",
    "grad 7",
]
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def expected_lines(label: str) -> list[str]:
    """The label's visible lines, written out by hand from the XML 1.0 rules."""
    text = FORBIDDEN.sub("\ufffd", label.replace("\r\n", "\n").replace("\r", "\n"))
    return [squash(line) for line in text.split("\n") if line.strip()]


def squash(text: str) -> str:
    # Graphviz shows runs of spaces with no-break spaces and a tab as a space
    return " ".join(text.replace("\xa0", " ").replace("\t", " ").split())


def graph(label: str) -> Value:
    a = Value(1.5, label=label)
    y = a * 2.0
    y.label = "y"
    return y


def html_tree(page: str) -> Any:
    return html5lib.parse(page, treebuilder="etree", namespaceHTMLElements=False)


def shape_of(tree: Any) -> set[tuple[str, str]]:
    """Every (element, attribute) pair of a parsed page; elements alone as (tag, "")."""
    pairs = set()
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        pairs.add((el.tag, ""))
        pairs.update((el.tag, name) for name in el.attrib)
    return pairs


def value_texts(svg_root: ET.Element | Any, prefix: str = SVG) -> list[list[str]]:
    """The texts of each value box, in document order."""
    return [
        [squash(t.text or "") for t in g.iter(f"{prefix}text") if (t.text or "").strip()]
        for g in svg_root.iter(f"{prefix}g")
        if "value" in g.get("class", "").split()
    ]


@pytest.fixture(scope="module")
def plain_page_shape() -> set[tuple[str, str]]:
    return shape_of(html_tree(animate_backward(graph("x")).html))


@pytest.mark.parametrize("label", HOSTILE, ids=[repr(h)[:40] for h in HOSTILE])
def test_hostile_label_in_the_animation_page(
    label: str, plain_page_shape: set[tuple[str, str]]
) -> None:
    page = animate_backward(graph(label)).html
    page.encode("utf-8")  # no lone surrogate survives, so the page can be saved
    tree = html_tree(page)
    shape = shape_of(tree)
    assert shape <= plain_page_shape, shape - plain_page_shape
    assert not [a for _, a in shape if a.lower().startswith("on")]
    scripts = tree.findall(".//script")
    assert len(scripts) == 2  # the JSON data and the player
    assert "function" in (scripts[1].text or "")  # the player code is intact
    data = json.loads(scripts[0].text or "")
    captions = squash(" ".join(f["caption"] for f in data["frames"]))
    assert expected_lines(label)[0] in captions
    svg = tree.find(".//{http://www.w3.org/2000/svg}svg")
    assert svg is not None
    assert expected_lines(label) in [t[: len(expected_lines(label))] for t in value_texts(svg)]


@pytest.mark.parametrize("label", HOSTILE, ids=[repr(h)[:40] for h in HOSTILE])
def test_hostile_label_in_the_svg(label: str) -> None:
    svg_text = draw_dot(graph(label)).svg()
    root = ET.fromstring(svg_text)  # well-formed XML
    assert expected_lines(label) in [t[: len(expected_lines(label))] for t in value_texts(root)]
    assert not [a for el in root.iter() for a in el.attrib if a.lower().startswith("on")]


def test_a_label_that_looks_like_a_grad_text_is_not_rewritten_by_the_player() -> None:
    tree = html_tree(animate_backward(graph("grad 7")).html)
    marked = [
        t.text for t in tree.iter("{http://www.w3.org/2000/svg}text") if t.get("class") == "grad"
    ]
    # y = a * 2 with a = 1.5: dy/dy = 1, dy/da = 2; the constant 2 has no grad row (issue 13),
    # and the label "grad 7" stays a label
    assert sorted(marked) == ["grad 1", "grad 2"]


def test_template_placeholder_in_a_label_does_not_paste_the_frame_data() -> None:
    page = animate_backward(graph("@DATA@<img src=x onerror=alert(1)>")).html
    tree = html_tree(page)
    assert tree.findall(".//img") == []
    assert page.count('"frames"') == 1


def test_comment_open_in_a_label_does_not_swallow_the_player() -> None:
    tree = html_tree(animate_backward(graph("<!--<script>")).html)
    assert len(tree.findall(".//script")) == 2


def test_embedded_json_escapes_html_specials_and_line_separators() -> None:
    page = animate_backward(graph("<&>\u2028\u2029")).html
    data = page.split('class="mgk-data">', 1)[1].split("</script>", 1)[0]
    assert not set(data) & {"<", ">", "&", "\u2028", "\u2029"}
    assert "\\u003c\\u0026\\u003e\\u2028\\u2029" in data
    frames = json.loads(data)["frames"]
    assert any("<&>\u2028\u2029" in f["caption"] for f in frames)


def test_control_character_label_gives_well_formed_svg() -> None:
    ET.fromstring(draw_dot(graph("a\x01b")).svg())
    animate_backward(graph("a\x01b"))  # raised xml.etree.ElementTree.ParseError


def test_graphviz_escapes_are_shown_literally_in_labels_and_tooltips() -> None:
    root = ET.fromstring(draw_dot(graph("\\N\\G\\L\\E")).svg())
    assert ["\\N\\G\\L\\E", "data 1.5", "grad 0"] in value_texts(root)
    tips = [v for el in root.iter() for k, v in el.attrib.items() if k.endswith("title") and v]
    assert any(t.startswith("\\N\\G\\L\\E:") for t in tips), tips


def test_newlines_in_labels_stay_line_breaks() -> None:
    root = ET.fromstring(draw_dot(graph("first\nsecond\r\nthird")).svg())
    assert ["first", "second", "third", "data 1.5", "grad 0"] in value_texts(root)


@pytest.mark.parametrize("title", ["<img src=x onerror=alert(1)>", "a\x01b", "@BODY@", "\\N"])
def test_hostile_title(title: str, plain_page_shape: set[tuple[str, str]]) -> None:
    page = animate_backward(graph("x"), title=title).html
    tree = html_tree(page)
    assert shape_of(tree) <= plain_page_shape
    shown = FORBIDDEN.sub("\ufffd", title)
    assert tree.find(".//title").text == shown
    svg_root = ET.fromstring(draw_dot(graph("x"), title=title).svg())
    assert shown in [t.text for t in svg_root.iter(f"{SVG}text")]


@pytest.mark.parametrize("op", ["<img src=x onerror=alert(1)>", "\x01\ud800", "\\N", "@DATA@"])
def test_hostile_op_name_of_a_hand_made_node(op: str) -> None:
    a = Value(1.0, label="a")
    n = Value(2.0, (a,), op)  # micrograd's constructor: the op is any text
    ET.fromstring(draw_dot(n).svg())
    page = animate_backward(n).html
    page.encode("utf-8")
    tree = html_tree(page)
    assert not [a for _, a in shape_of(tree) if a.lower().startswith("on")]
    assert tree.findall(".//img") == [] and len(tree.findall(".//script")) == 2
    shown = FORBIDDEN.sub("\ufffd", op)
    svg_texts = [t.text for t in tree.iter(f"{SVG}text")]
    assert shown in svg_texts
