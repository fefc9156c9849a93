"""Renderers: the system ``dot`` program, else the Graphviz engine bundled in pygraphviz."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from typing import Literal

from .. import fonts
from .errors import INSTALL_HINT, RendererNotFoundError, RenderError

Renderer = Literal["auto", "dot", "pygraphviz"]


def available_renderers() -> list[str]:
    """Which renderers are installed, in the order ``renderer="auto"`` tries them."""
    found = []
    if shutil.which("dot"):
        found.append("dot")
    if has_pygraphviz():
        found.append("pygraphviz")
    return found


def render(
    source: str, fmt: str, renderer: Renderer, dpi: float | None, timeout: float | None
) -> tuple[bytes, str]:
    """Draw DOT ``source`` as ``fmt``; returns the bytes and the renderer that drew them."""
    if renderer not in ("auto", "dot", "pygraphviz"):
        raise ValueError(f"renderer must be 'auto', 'dot' or 'pygraphviz'; got {renderer!r}")
    args = [f"-Gdpi={dpi:g}"] if dpi else []
    # fontconfig reads FONTCONFIG_FILE once, at the first render: point it at the bundled
    # Hangul font before that (the `dot` subprocess gets it through its environment too)
    fonts.use_fontconfig()
    dot = shutil.which("dot") if renderer in ("auto", "dot") else None
    if dot:
        try:
            return _render_system(dot, source, fmt, args, timeout), "dot"
        except _DotTimeout as exc:
            raise RenderError(str(exc)) from None  # retrying in-process could hang
        except RenderError:
            # e.g. a Graphviz build without the cairo plugin cannot write PNG
            if renderer == "dot" or not has_pygraphviz():
                raise
    elif renderer == "dot":
        raise RendererNotFoundError("the Graphviz `dot` program is not on PATH.\n" + INSTALL_HINT)
    return _render_bundled(source, fmt, args), "pygraphviz"


def has_pygraphviz() -> bool:
    try:
        import pygraphviz  # noqa: F401
    except ImportError:
        return False
    return True


@contextlib.contextmanager
def _without_fontconfig_warnings() -> Iterator[None]:
    """Drop the bundled fontconfig's warnings about newer system config files.

    The fontconfig inside pygraphviz wheels can be older than the system's config and prints
    e.g. 'Fontconfig warning: ... unknown element "reset-dirs"' straight to file descriptor 2.
    It is harmless noise for a learner, so capture fd 2 while rendering and pass on every
    other line. Always fd 2 itself, not ``sys.stderr.fileno()``: in a Jupyter kernel that is
    another descriptor (or none), while the kernel shows what lands on fd 2 in the notebook.
    """
    fd = 2
    try:
        sys.stderr.flush()
        saved = os.dup(fd)
    except (AttributeError, OSError, ValueError):  # no fd 2 at all (e.g. pythonw)
        yield
        return
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), fd)
        try:
            yield
        finally:
            os.dup2(saved, fd)
            os.close(saved)
            captured.seek(0)
            for line in captured.read().decode(errors="replace").splitlines(keepends=True):
                if not line.startswith("Fontconfig warning"):
                    sys.stderr.write(line)


def _render_bundled(source: str, fmt: str, args: list[str]) -> bytes:
    """Render in-process with the Graphviz libraries that pygraphviz wheels bundle."""
    try:
        import pygraphviz
    except ImportError:
        raise RendererNotFoundError(
            "cannot render: the Graphviz `dot` program is not on PATH and pygraphviz is not "
            "installed.\n" + INSTALL_HINT
        ) from None
    try:
        graph = pygraphviz.AGraph(string=source)
        with _without_fontconfig_warnings():
            data = graph.draw(format=fmt, prog="dot", args=" ".join(args))
    except Exception as exc:  # pygraphviz raises ValueError/OSError/TypeError variously
        raise RenderError(f"pygraphviz could not render {fmt}: {exc}") from exc
    if not data:
        raise RenderError(f"pygraphviz produced no {fmt} output")
    return bytes(data)


class _DotTimeout(RenderError):
    pass


def _render_system(
    dot: str, source: str, fmt: str, args: list[str], timeout: float | None
) -> bytes:
    try:
        done = subprocess.run(
            [dot, f"-T{fmt}", *args],
            input=source.encode("utf-8"),
            env=fonts.fontconfig_env(),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise _DotTimeout(
            f"`dot` did not finish within {timeout} s; draw a smaller graph"
        ) from None
    if done.returncode != 0 or not done.stdout:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise RenderError(f"`dot -T{fmt}` failed (exit {done.returncode}): {message}")
    return done.stdout
