"""Drawing computation graphs: forward flow in blue, backward flow in red.

``draw_dot(root)`` turns the graph behind a Value into a Graphviz diagram. Every Value is a
box showing its label, ``data`` and ``grad``; every operation is a small circle between its
inputs and its output. Blue arrows carry values forward (input -> operation); red arrows
carry gradients back (operation -> input) and are labelled with the chain-rule product

    local derivative x grad of the output = what this input receives

The local derivatives are read from the table in ``ops.py``; nothing here differentiates.

Rendering uses the ``dot`` program when it is on PATH and otherwise the Graphviz engine that
pygraphviz wheels bundle, so a plain ``pip install`` is enough to draw.
``draw_forward(root, seeds)`` draws one forward-mode sweep (values and tangents ẋ), and
``animate_forward(root, seeds)`` plays it node by node.
``animate_backward(root)`` shows the backward pass one node at a time in a self-contained
HTML page. This package only reads a graph; it never changes ``data`` or ``grad``.

Modules: ``view`` (what a drawing reads from the graph), ``style`` (colours, fonts, names),
``legend``, ``text`` (labels made safe), ``args`` (argument checks), ``dot`` (DOT text),
``render`` (the two renderers, each in a worker process with a time limit), ``diagram``
(``draw_dot`` and ``Diagram``), ``backprop`` (the backward pass replayed for the
animation), ``svg`` (SVG post-processing), ``animation`` (the HTML page; its HTML/CSS/JS
live in ``assets/``).
"""

from __future__ import annotations

from .animation import Animation, animate_backward
from .diagram import DEFAULT_MAX_NODES, Diagram, draw_dot
from .errors import GraphTooLargeError, LayoutTimeoutError, RendererNotFoundError, RenderError
from .numbers import format_number
from .render import available_renderers
from .tangents import animate_forward, draw_forward

__all__ = [
    "draw_dot",
    "draw_forward",
    "animate_backward",
    "animate_forward",
    "Diagram",
    "Animation",
    "RendererNotFoundError",
    "RenderError",
    "GraphTooLargeError",
    "LayoutTimeoutError",
    "available_renderers",
    "format_number",
    "DEFAULT_MAX_NODES",
]
