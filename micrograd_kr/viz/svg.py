"""Post-processing of rendered SVG for the animation."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..messages import say
from .errors import RenderError

_SVG = "http://www.w3.org/2000/svg"


def mark_grad_texts(svg: str, prefix: str, start: str = "grad ") -> str:
    """Tag each node's grad text (the text starting with ``start``; ``"ẋ "`` for a forward
    sweep's tangent) in the SVG so the page can rewrite it frame by frame."""
    ET.register_namespace("", _SVG)
    ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    try:
        tree = ET.fromstring(svg)
    except ET.ParseError as exc:
        raise RenderError(say("viz.bad_svg") + f": {exc}") from None
    for group in tree.iter(f"{{{_SVG}}}g"):
        gid = group.get("id", "")
        if "value" not in group.get("class", "").split() or not gid.startswith(prefix):
            continue
        # the grad cell is the box's last text; a label may itself start with "grad "
        grad_texts = [t for t in group.iter(f"{{{_SVG}}}text") if (t.text or "").startswith(start)]
        if grad_texts:
            text = grad_texts[-1]
            text.set("class", "grad")
            text.set("data-final", text.text or "")
    return ET.tostring(tree, encoding="unicode")
