"""Renderers: the system ``dot`` program, else the Graphviz engine bundled in pygraphviz.

Both run in a process of their own with a time limit: a layout that takes too long is
stopped (``LayoutTimeoutError``), and Ctrl-C stops it at once. Graphviz's C layout cannot be
interrupted inside the Python process, so the bundled engine is never called in-process.
"""

from __future__ import annotations

import math
import shutil
import subprocess
import sys
from functools import cache
from importlib import resources
from typing import Literal

from .. import fonts
from .._args import described, refused
from ..messages import say
from .args import check_choice
from .errors import LayoutTimeoutError, RendererNotFoundError, RenderError, install_hint

Renderer = Literal["auto", "dot", "pygraphviz"]
RENDERERS = ("auto", "dot", "pygraphviz")

# seconds a layout may take unless the caller says otherwise; the CLI uses less
DEFAULT_TIMEOUT = 60.0
# longest side of a bitmap in pixels: a 150-value chain at 144 dpi was 32767 x 6545 pixels,
# 8 s of painting and 640 MB; Graphviz scales larger drawings down to fit (use SVG to zoom)
MAX_BITMAP_SIDE = 8000
_BITMAPS = ("png", "jpg", "jpeg", "gif", "bmp")


def available_renderers() -> list[str]:
    """Which renderers are installed, in the order ``renderer="auto"`` tries them."""
    found = []
    if shutil.which("dot"):
        found.append("dot")
    if has_pygraphviz():
        found.append("pygraphviz")
    return found


def check_timeout(timeout: float | None) -> None:
    """``timeout`` is a positive number of seconds, or None for no limit."""
    if timeout is None:
        return
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise TypeError(refused(say("viz.timeout_type"), described(timeout)))
    if not (math.isfinite(timeout) and timeout > 0):
        raise ValueError(refused(say("viz.timeout_positive"), repr(timeout)))


def check_renderer(renderer: object) -> None:
    check_choice("renderer", renderer, RENDERERS)


def render(
    source: str, fmt: str, renderer: Renderer, dpi: float | None, timeout: float | None
) -> tuple[bytes, str]:
    """Draw DOT ``source`` as ``fmt``; returns the bytes and the renderer that drew them."""
    check_renderer(renderer)
    check_timeout(timeout)
    args = [f"-Gdpi={dpi:g}"] if dpi else []
    if fmt in _BITMAPS:
        inches = MAX_BITMAP_SIDE / (dpi or 96)  # Graphviz's bitmap default is 96 dpi
        args.append(f"-Gsize={inches:.4g},{inches:.4g}")
    # Point fontconfig at the bundled Hangul font before the first render; both renderer
    # processes (`dot` and the pygraphviz worker) get FONTCONFIG_FILE through their
    # environment (_run), so it holds even when the user changed os.environ since.
    fonts.use_fontconfig()
    dot = shutil.which("dot") if renderer in ("auto", "dot") else None
    if dot:
        try:
            return _run([dot, f"-T{fmt}", *args], source, fmt, timeout, "`dot`"), "dot"
        except LayoutTimeoutError:
            raise  # the other engine would take as long
        except RenderError:
            # e.g. a Graphviz build without the cairo plugin cannot write PNG
            if renderer == "dot" or not has_pygraphviz():
                raise
    elif renderer == "dot":
        raise RendererNotFoundError(say("viz.dot_not_on_path") + f".\n{install_hint()}")
    if not has_pygraphviz():
        problem = say("shared.cannot_render") + ": " + say("viz.no_renderer")
        raise RendererNotFoundError(f"{problem}.\n{install_hint()}")
    command = [sys.executable, "-c", _bundled_worker(), fmt, *args]
    return _run(command, source, fmt, timeout, "pygraphviz"), "pygraphviz"


def has_pygraphviz() -> bool:
    try:
        import pygraphviz  # noqa: F401
    except ImportError:
        return False
    return True


@cache
def _bundled_worker() -> str:
    return resources.files(__package__).joinpath("bundled_worker.py").read_text("utf-8")


def _run(command: list[str], source: str, fmt: str, timeout: float | None, who: str) -> bytes:
    """Run one renderer process; stop it when ``timeout`` passes or on Ctrl-C."""
    try:
        # run() kills the process on a timeout and on KeyboardInterrupt before re-raising
        done = subprocess.run(
            command,
            input=source.encode("utf-8"),
            env=fonts.fontconfig_env(),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except OSError as exc:  # e.g. an embedded Python without sys.executable
        raise RenderError(say("viz.cannot_start", who=who) + f": {exc}") from None
    except subprocess.TimeoutExpired:
        late = say("viz.layout_timeout", who=who, seconds=f"{timeout:g}")
        raise LayoutTimeoutError(f"{late}; " + say("viz.draw_smaller")) from None
    # the fontconfig bundled with pygraphviz can be older than the system's config and
    # warns about it: noise that would hide the real message
    stderr = [
        line
        for line in done.stderr.decode("utf-8", "replace").splitlines(keepends=True)
        if not line.startswith("Fontconfig warning")
    ]
    if done.returncode != 0 or not done.stdout:
        message = "".join(stderr).strip() or say("viz.no_output", fmt=fmt)
        failed = say("viz.render_failed", code=done.returncode)
        raise RenderError(f"{who} -T{fmt} {failed}: {message}")
    return done.stdout  # warnings on success (e.g. bitmap scaled down) are not the learner's
