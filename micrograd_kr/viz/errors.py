"""Errors of the visualizer, and the install hint shown when no renderer exists."""

from __future__ import annotations

INSTALL_HINT = (
    "다음 중 하나를 설치하세요 (install one of them):\n"
    "  pip install pygraphviz      (its wheels bundle Graphviz: Linux x86_64/aarch64, "
    "macOS, Windows x64)\n"
    "  sudo apt-get install graphviz   (Debian/Ubuntu; macOS: brew install graphviz; "
    "Windows: winget install graphviz)\n"
    "렌더러가 없어도 Diagram.source 로 DOT 텍스트를 얻을 수 있습니다 "
    "(Diagram.source still gives the DOT text without a renderer)."
)


class RendererNotFoundError(RuntimeError):
    """Neither the ``dot`` program nor pygraphviz's bundled Graphviz engine is available."""


class RenderError(RuntimeError):
    """Graphviz was found but failed to draw the diagram."""


class GraphTooLargeError(ValueError):
    """The graph has more nodes than ``max_nodes``; drawing it would be unreadable and slow."""


class LayoutTimeoutError(RenderError):
    """Graphviz did not finish within the time limit; its worker process was stopped."""
