"""Which Graphviz renderers this machine has: the skip markers the viz tests share."""

from __future__ import annotations

import shutil

import pytest

HAS_DOT = shutil.which("dot") is not None
try:
    import pygraphviz  # noqa: F401

    HAS_PYGRAPHVIZ = True
except ImportError:
    HAS_PYGRAPHVIZ = False

needs_renderer = pytest.mark.skipif(
    not (HAS_DOT or HAS_PYGRAPHVIZ),
    reason="no Graphviz renderer: neither the `dot` program nor pygraphviz is installed",
)
needs_pygraphviz = pytest.mark.skipif(not HAS_PYGRAPHVIZ, reason="pygraphviz is not installed")
