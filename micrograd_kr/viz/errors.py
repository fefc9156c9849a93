"""Errors of the visualizer, and the install hint shown when no renderer exists."""

from __future__ import annotations

from ..messages import say


def install_hint() -> str:
    """How to install a renderer: the commands, and what works without one."""
    lines = [say("viz.install_one") + ":", say("viz.install_commands")]
    return "\n".join(lines) + "\n" + say("viz.source_without_renderer") + "."


class RendererNotFoundError(RuntimeError):
    """Neither the ``dot`` program nor pygraphviz's bundled Graphviz engine is available."""


class RenderError(RuntimeError):
    """Graphviz was found but failed to draw the diagram."""


class GraphTooLargeError(ValueError):
    """The graph has more nodes than ``max_nodes``; drawing it would be unreadable and slow."""


class LayoutTimeoutError(RenderError):
    """Graphviz did not finish within the time limit; its worker process was stopped."""
