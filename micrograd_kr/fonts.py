"""The Hangul font that travels with the package, for diagrams and plots.

Learners run the notebooks on Colab, Docker images, WSL and lab servers, which mostly have
no Korean font, so Korean text would come out as boxes. The dependency
``koreanize-matplotlib`` ships NanumGothic (SIL Open Font License 1.1); this module finds
that file and points the two text renderers the project uses at it:

- Graphviz (PNG/PDF): fontconfig reads a generated ``fonts.conf`` that includes the system
  configuration and adds the font's folder. In-process rendering (the engine bundled in
  pygraphviz wheels) needs ``FONTCONFIG_FILE`` in ``os.environ`` before its first render;
  a ``dot`` subprocess gets it through its environment (:func:`fontconfig_env`).
- matplotlib: the font is added to the font manager; the project's own figures use it inside
  an ``rc_context`` (:func:`matplotlib_rc`), so the learner's global rcParams stay as they were.

The koreanize_matplotlib module is never imported: importing it rewrites matplotlib's global
rcParams (and it fails on Python 3.12, where ``distutils`` is gone). Only its files are used.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import importlib.util
import io
import logging
import os
import re
import sys
import tempfile
import threading
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .messages import english, english_only, korean, say
from .serialize import atomic_write, check_write_target

__all__ = [
    "FONT_FAMILY",
    "FONT_PACKAGE",
    "BROWSER_FONT_STACK",
    "font_dir",
    "font_path",
    "fontconfig_file",
    "fontconfig_env",
    "use_fontconfig",
    "register_matplotlib_font",
    "matplotlib_rc",
    "EMBEDDED_FAMILY",
    "woff_subset",
    "svg_with_fonts",
    "picture_text",
]

FONT_FAMILY = "NanumGothic"
FONT_FILE = "NanumGothic.ttf"
FONT_PACKAGE = "koreanize-matplotlib"
_FONT_MODULE = "koreanize_matplotlib"

# What a browser draws SVG and the animation with: the Korean fonts that Windows, macOS and
# most Linux desktops have, then the bundled one (when an SVG embeds it), then any sans-serif.
BROWSER_FONT_STACK = (
    '"Malgun Gothic", "Apple SD Gothic Neo", "Noto Sans KR", "Noto Sans CJK KR", '
    "NanumGothic, sans-serif"
)

# matplotlib falls back glyph by glyph along this list. DejaVu Sans (matplotlib's own font)
# comes first: mathtext (log-scale tick labels) uses only the first family, and NanumGothic
# lacks U+2212, the minus sign. Hangul, which DejaVu lacks, comes from NanumGothic.
MATPLOTLIB_FAMILIES = ["DejaVu Sans", FONT_FAMILY]

# Where fontconfig looks when FONTCONFIG_FILE is not set (Linux, then Homebrew on macOS).
_SYSTEM_CONFIGS = (
    "/etc/fonts/fonts.conf",
    "/opt/homebrew/etc/fonts/fonts.conf",
    "/usr/local/etc/fonts/fonts.conf",
)

_lock = threading.Lock()
_state: dict[str, Any] = {}  # found once per process: font paths, the fonts.conf


def picture_text(key: str, /, **fields: Any) -> str:
    """Text drawn in a diagram or a plot (a legend, a caption, a title), one language at a time.

    The catalog's Korean template is the label as the picture shows it (a legend line
    carries its English term already, a caption is Korean alone); in English-only mode
    (``MICROGRAD_KR_LANG=en``) the English template replaces it.
    """
    return english(key, **fields) if english_only() else korean(key, **fields)


def font_dir() -> Path | None:
    """The folder with the bundled NanumGothic files, or None when the package is missing."""
    try:
        spec = importlib.util.find_spec(_FONT_MODULE)  # finds it without running its code
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        folder = Path(location) / "fonts"
        if (folder / FONT_FILE).is_file():
            return folder
    return None


def font_path() -> Path | None:
    """The bundled ``NanumGothic.ttf``, or None (with a warning, once) when it is missing."""
    folder = font_dir()
    if folder is None:
        if not _state.get("warned"):
            _state["warned"] = True
            warnings.warn(
                say("fonts.not_found") + f": pip install {FONT_PACKAGE}",
                RuntimeWarning,
                stacklevel=3,
            )
        return None
    return folder / FONT_FILE


def _system_font_dirs() -> list[str]:
    """Where the system keeps fonts, for a platform whose fontconfig has no configuration."""
    if sys.platform == "win32":
        return [os.path.join(os.environ.get("WINDIR", r"C:\Windows"), "Fonts")]
    if sys.platform == "darwin":
        return ["/System/Library/Fonts", "/Library/Fonts", os.path.expanduser("~/Library/Fonts")]
    return ["/usr/share/fonts", "/usr/local/share/fonts", os.path.expanduser("~/.fonts")]


def _fontconfig_text(folder: Path, base: str | None) -> str:
    includes = [base] if base else [p for p in _SYSTEM_CONFIGS if os.path.exists(p)]
    lines = [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
        "<!-- generated by micrograd_kr: the system configuration plus the bundled font -->",
        "<fontconfig>",
    ]
    lines += [f'  <include ignore_missing="yes">{html.escape(p)}</include>' for p in includes]
    if not includes:  # no system configuration to include: name the system's font folders
        lines += [f"  <dir>{html.escape(d)}</dir>" for d in _system_font_dirs()]
    lines.append(f"  <dir>{html.escape(str(folder))}</dir>")
    lines.append("</fontconfig>")
    return "\n".join(lines) + "\n"


def _cache_root() -> Path:
    if sys.platform == "win32":
        root = os.environ.get("LOCALAPPDATA") or os.path.expanduser("~")
    else:
        root = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return Path(root) / "micrograd_kr"


def _write_once(folder: Path, name: str, text: str) -> Path:
    """``text`` in ``folder/name`` (atomically, unless it is already there), or raise OSError."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    check_write_target(path, OSError)  # a FIFO there would block the read below
    try:
        if path.read_text(encoding="utf-8") == text:
            return path
    except OSError:
        pass
    atomic_write(path, text.encode("utf-8"), OSError)
    return path


def _is_generated(path: Path) -> bool:
    return path.name.startswith("fonts-") and path.parent.parent.name == "micrograd_kr"


def fontconfig_file() -> Path | None:
    """A ``fonts.conf`` that includes the system configuration and adds the bundled font.

    The configuration it includes is the one fontconfig would have read: the file in
    ``FONTCONFIG_FILE`` when the user set one, else the system's. Written once per content
    (the name carries a hash) to the user's cache folder, or to the temporary folder when
    that is not writable. None when the font is missing.
    """
    with _lock:
        if "conf" in _state:
            return _state["conf"]
        folder = font_dir()
        conf: Path | None = None
        if folder is not None:
            base = _state.get("user_conf", os.environ.get("FONTCONFIG_FILE"))
            if base and _is_generated(Path(base)):
                # inherited from a parent process that already pointed us at the font
                _state["conf"] = Path(base)
                return Path(base)
            if not base and os.environ.get("FONTCONFIG_PATH"):
                base = os.path.join(os.environ["FONTCONFIG_PATH"], "fonts.conf")
            text = _fontconfig_text(folder, base)
            name = f"fonts-{hashlib.sha256(text.encode()).hexdigest()[:12]}.conf"
            for root in (_cache_root(), Path(tempfile.gettempdir()) / "micrograd_kr"):
                try:
                    conf = _write_once(root / "fontconfig", name, text)
                    break
                except OSError:
                    continue
        _state["conf"] = conf
        return conf


def fontconfig_env(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a Graphviz subprocess: ``base`` (default ``os.environ``) with
    ``FONTCONFIG_FILE`` pointing at :func:`fontconfig_file`."""
    env = dict(os.environ if base is None else base)
    conf = fontconfig_file()
    if conf is not None:
        env["FONTCONFIG_FILE"] = str(conf)
    return env


def use_fontconfig() -> Path | None:
    """Point this process's fontconfig at :func:`fontconfig_file` (before its first render).

    fontconfig reads ``FONTCONFIG_FILE`` once, when the first render initialises it, so this
    runs before every render (cheap after the first call). Subprocesses started afterwards
    inherit it. The user's own ``FONTCONFIG_FILE`` stays in effect: it is what the
    generated file includes.
    """
    if "user_conf" not in _state:
        _state["user_conf"] = os.environ.get("FONTCONFIG_FILE")
    conf = fontconfig_file()
    if conf is None:
        font_path()  # warns once
        return None
    os.environ["FONTCONFIG_FILE"] = str(conf)
    return conf


def register_matplotlib_font() -> str | None:
    """Add the bundled font to matplotlib's font manager; its family name, or None."""
    with _lock:
        if "mpl" in _state:
            return _state["mpl"]
    path = font_path()
    family = None
    if path is not None:
        from matplotlib import font_manager

        font_manager.fontManager.addfont(str(path))
        family = font_manager.FontProperties(fname=str(path)).get_name()
    with _lock:
        _state["mpl"] = family
    return family


def matplotlib_rc() -> dict[str, Any]:
    """rcParams for ``matplotlib.rc_context`` that draw Hangul with the bundled font."""
    family = register_matplotlib_font()
    if family is None:
        return {}
    return {"font.family": [*MATPLOTLIB_FAMILIES[:-1], family]}


# --- SVG: a font-family list, and a subset of the bundled font embedded -----------------------

# The name the embedded subset goes by inside an SVG: not "NanumGothic", so a full
# NanumGothic the reader has installed is not shadowed by a subset missing some glyphs.
EMBEDDED_FAMILY = "micrograd-kr-NanumGothic"

_SVG_TEXT = re.compile(r"<text\b[^>]*>([^<]*)</text>")
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")


@functools.lru_cache(maxsize=64)
def _woff_subset(chars: frozenset[str]) -> bytes | None:
    path = font_path()
    if path is None:
        return None
    try:
        from fontTools import subset
        from fontTools.ttLib import TTFont
    except ImportError:  # fontTools comes with matplotlib; without it, names only
        return None
    options = subset.Options()
    options.flavor = "woff"  # zlib; WOFF2 would need the brotli module
    options.layout_features = []  # no ligatures or kerning needed for labels
    options.hinting = False
    options.name_IDs = [1, 2]
    options.notdef_outline = False
    # keep the font's own 'modified' date: the same text gives the same bytes at any time
    font = TTFont(str(path), recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(chars)))
    # fontTools logs each table it drops (NanumGothic has VTT source tables): not news
    fonttools_log = logging.getLogger("fontTools")
    level = fonttools_log.level
    fonttools_log.setLevel(logging.ERROR)
    try:
        subsetter.subset(font)
        out = io.BytesIO()
        font.flavor = "woff"
        font.save(out)
    finally:
        fonttools_log.setLevel(level)
    return out.getvalue()


def woff_subset(text: str) -> bytes | None:
    """The bundled font cut down to the characters of ``text``, as WOFF bytes (or None)."""
    return _woff_subset(frozenset(text))


def svg_with_fonts(svg: str, embed: bool = True, extra_text: str = "") -> str:
    """A Graphviz SVG whose text any browser or viewer draws with a Hangul font.

    The ``font-family`` of every text becomes the common Korean fonts (BROWSER_FONT_STACK);
    with ``embed`` a WOFF subset of NanumGothic (only the characters the SVG and
    ``extra_text`` use) is embedded first in that list, so Hangul shows even on a viewer
    with no Korean font, in the font the layout was measured with.
    """
    match = _SVG_OPEN.search(svg)
    if match is None:
        return svg
    stack = BROWSER_FONT_STACK
    face = ""
    if embed:
        chars = "".join(html.unescape(t) for t in _SVG_TEXT.findall(svg)) + extra_text
        data = woff_subset(chars) if chars.strip() else None
        if data is not None:
            stack = f'"{EMBEDDED_FAMILY}", {stack}'
            encoded = base64.b64encode(data).decode("ascii")
            face = (
                f'@font-face {{font-family: "{EMBEDDED_FAMILY}"; '
                f'src: url(data:font/woff;base64,{encoded}) format("woff")}}\n'
            )
    attribute = html.escape(stack.replace('"', "'"), quote=True)
    body = svg.replace(f'font-family="{FONT_FAMILY}"', f'font-family="{attribute}"')
    # the rule is scoped to this kind of SVG: inline in a page, <style> applies page-wide
    style = f"<style>\n{face}svg.mgk-diagram text {{font-family: {stack}}}\n</style>"
    tag = match.group(0)
    if 'class="' in tag:
        tag = tag.replace('class="', 'class="mgk-diagram ', 1)
    else:
        tag = tag[:-1] + ' class="mgk-diagram">'
    # the opening tag comes before every <text>, so the replacements above did not move it
    return body[: match.start()] + tag + style + body[match.end() :]
