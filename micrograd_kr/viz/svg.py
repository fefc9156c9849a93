"""Post-processing of rendered SVG for the animation."""

from __future__ import annotations

import xml.etree.ElementTree as ET


def mark_grad_texts(svg: str, prefix: str) -> str:
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
