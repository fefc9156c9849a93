"""User text (labels, titles) made safe for Graphviz, XML and HTML, shown as typed.

Labels are text, never markup. Three places read them, each with its own rules:
XML 1.0 forbids most control characters; Graphviz expands backslash escapes (``\\N`` is the
node's name) in labels and, a second time, in tooltips; HTML-like labels need ``<BR/>`` for
a line break.
"""

from __future__ import annotations

import html
import re

# C0 controls except tab/newline/carriage return, lone surrogates, and the two non-characters
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
REPLACEMENT = "\ufffd"


def plain_text(text: str) -> str:
    """``text`` as XML 1.0 can carry it: forbidden characters become U+FFFD, lines end in \\n."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _XML_FORBIDDEN.sub(REPLACEMENT, text)


def html_label_text(text: str) -> str:
    """Text for the inside of a Graphviz HTML-like label: escaped, newlines as ``<BR/>``."""
    lines = plain_text(text).replace("\t", " ").split("\n")
    return "<BR/>".join(_graphviz_literal(html.escape(line, quote=True)) for line in lines)


def dot_string(text: str) -> str:
    """Text for a quoted DOT attribute such as ``label="..."``: one round of escapes."""
    return _graphviz_literal(html.escape(plain_text(text), quote=True))


def dot_tooltip(text: str) -> str:
    """Text for a quoted ``tooltip="..."``: Graphviz expands its escapes twice there."""
    return _graphviz_literal(dot_string(text))


def _graphviz_literal(text: str) -> str:
    # "\\" is Graphviz's escape for one backslash; without it "\N" shows the node's name
    return text.replace("\\", "\\\\")
