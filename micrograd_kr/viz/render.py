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
from .errors import INSTALL_HINT, LayoutTimeoutError, RendererNotFoundError, RenderError

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
        raise TypeError(
            f"timeout은 초 단위 숫자나 None이어야 합니다 (timeout must be seconds or None); "
            f"got {timeout!r} ({type(timeout).__name__})"
        )
    if not (math.isfinite(timeout) and timeout > 0):
        raise ValueError(
            f"timeout은 0보다 큰 유한한 초여야 합니다 (timeout must be positive seconds); "
            f"got {timeout!r}"
        )


def check_renderer(renderer: object) -> None:
    if renderer not in RENDERERS:
        raise ValueError(
            f"renderer는 'auto', 'dot', 'pygraphviz' 중 하나여야 합니다 "
            f"(renderer must be 'auto', 'dot' or 'pygraphviz'); got {renderer!r}"
        )


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
        raise RendererNotFoundError(
            "Graphviz의 `dot` 프로그램을 PATH에서 찾을 수 없습니다 "
            "(the Graphviz `dot` program is not on PATH).\n" + INSTALL_HINT
        )
    if not has_pygraphviz():
        raise RendererNotFoundError(
            "그림을 그릴 수 없습니다: `dot` 프로그램도 pygraphviz도 없습니다 (cannot render: the "
            "Graphviz `dot` program is not on PATH and pygraphviz is not installed).\n"
            + INSTALL_HINT
        )
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
        raise RenderError(f"{who}를 실행할 수 없습니다 (cannot start {who}): {exc}") from None
    except subprocess.TimeoutExpired:
        raise LayoutTimeoutError(
            f"그래프 배치가 {timeout:g}초 안에 끝나지 않아 멈췄습니다 ({who} did not finish "
            f"the layout within {timeout:g} s); 더 작은 그래프를 그리세요"
        ) from None
    # the fontconfig bundled with pygraphviz can be older than the system's config and
    # warns about it: noise that would hide the real message
    stderr = [
        line
        for line in done.stderr.decode("utf-8", "replace").splitlines(keepends=True)
        if not line.startswith("Fontconfig warning")
    ]
    if done.returncode != 0 or not done.stdout:
        message = "".join(stderr).strip() or f"{fmt} 출력 없음 (no {fmt} output)"
        raise RenderError(f"{who} -T{fmt} 실패 (failed, exit {done.returncode}): {message}")
    return done.stdout  # warnings on success (e.g. bitmap scaled down) are not the learner's
