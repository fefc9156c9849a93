"""Colours, fonts and the names a diagram gives to operations and kinds of values."""

from __future__ import annotations

from ..engine import Parameter, Value
from ..fonts import FONT_FAMILY

# Seed 003: blue arrows are forward propagation, red arrows are backpropagation.
FORWARD_COLOR = "blue"
BACKWARD_COLOR = "red"
GRAD_TEXT_COLOR = "#c00000"  # a darker red: small red text on white is hard to read
LINK_COLOR = "#8c8c8c"


# The bundled NanumGothic (see micrograd_kr.fonts): Graphviz lays out and draws PNG/PDF with
# it on any machine; SVG names the common Korean fonts after it (fonts.svg_fonts).
FONT = FONT_FAMILY


# --- what a diagram shows ---------------------------------------------------------------------

OP_DISPLAY = {
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

# role -> (fill, border colour, border width, table style, message key of the legend text)
ROLES: dict[str, tuple[str, str, int, str, str]] = {
    "input": ("#e4f4e2", "#2e7d32", 1, "rounded", "viz.role_input"),
    "parameter": ("#fff0c2", "#a86a00", 2, "rounded", "viz.role_parameter"),
    "constant": ("#f0f0f0", "#8a8a8a", 1, "dashed", "viz.role_constant"),
    "intermediate": ("#ffffff", "#555555", 1, "rounded", "viz.role_intermediate"),
    "root": ("#ecdff9", "#6a1b9a", 3, "rounded", "viz.role_root"),
    # a value reused far from its box, drawn again next to that use (see view.far_uses)
    "copy": ("#ffffff", "#555555", 1, "rounded,dotted", "viz.role_copy"),
}
ROLE_ORDER = ("input", "parameter", "constant", "intermediate", "root", "copy")


def node_role(node: Value, root: Value) -> str:
    if node is root:
        return "root"
    if isinstance(node, Parameter):
        return "parameter"
    if node._prev:
        return "intermediate"
    return "input" if node.label else "constant"
