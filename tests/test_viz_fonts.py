"""Hangul in diagrams on a machine without a Korean font: the bundled NanumGothic (issue 13).

CI installs no Korean system font, so these tests fail when the package's own font is not
what Graphviz draws with.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from micrograd_kr import Value, fonts
from micrograd_kr.viz import available_renderers, draw_dot


def _korean_graph() -> Value:
    x = Value(2.0, label="입력 x")
    w = Value(-3.0, label="가중치 w")
    y = (x * w).tanh()
    y.label = "출력 y"
    y.backward()
    return y


def _pdf_font_names(pdf: bytes) -> set[str]:
    # cairo writes font dictionaries uncompressed: /BaseFont /ABCDEF+NanumGothic
    names = re.findall(rb"/BaseFont\s*/([A-Za-z0-9+_-]+)", pdf)
    return {name.decode().split("+")[-1] for name in names}


def test_the_font_package_ships_nanumgothic() -> None:
    path = fonts.font_path()
    assert path is not None and path.name == "NanumGothic.ttf"
    # a TrueType file whose name table says NanumGothic (fontTools comes with matplotlib)
    ttlib = pytest.importorskip("fontTools.ttLib")
    font = ttlib.TTFont(str(path))
    assert font["name"].getDebugName(1) == "NanumGothic"
    assert ord("한") in font.getBestCmap()


@pytest.mark.parametrize("renderer", ["dot", "pygraphviz"])
def test_pdf_diagram_embeds_the_bundled_hangul_font(renderer: str) -> None:
    if renderer not in available_renderers():
        pytest.skip(f"renderer {renderer} is not installed")
    pdf = draw_dot(_korean_graph(), renderer=renderer, title="한글 제목").pdf()  # type: ignore[arg-type]
    assert pdf.startswith(b"%PDF")
    assert "NanumGothic" in _pdf_font_names(pdf)


def test_dot_source_names_the_bundled_font() -> None:
    source = draw_dot(_korean_graph()).source
    assert 'fontname="NanumGothic"' in source


def test_generated_fontconfig_adds_the_font_folder_to_the_system_configuration() -> None:
    conf = fonts.fontconfig_file()
    assert conf is not None and conf.is_file()
    text = conf.read_text(encoding="utf-8")
    assert f"<dir>{fonts.font_dir()}</dir>" in text
    if Path("/etc/fonts/fonts.conf").exists():
        assert '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>' in text
    assert fonts.fontconfig_file() == conf  # written once per process


@pytest.mark.skipif(shutil.which("fc-match") is None, reason="fontconfig tools not installed")
def test_fontconfig_finds_nanumgothic_only_through_the_generated_file() -> None:
    env = fonts.fontconfig_env({"PATH": "/usr/bin:/bin"})
    found = subprocess.run(
        ["fc-match", "-f", "%{file}", "NanumGothic"], env=env, capture_output=True, text=True
    ).stdout
    assert Path(found).parent == fonts.font_dir()


def test_a_child_process_that_inherits_the_file_does_not_nest_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    conf = fonts.fontconfig_file()
    assert conf is not None
    monkeypatch.setattr(fonts, "_state", {})  # a fresh process...
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))  # ...started by one that set it
    assert fonts.fontconfig_file() == conf


def test_animation_page_names_the_embedded_font_then_the_korean_fonts() -> None:
    from importlib import resources

    css = resources.files("micrograd_kr.viz").joinpath("assets/animation.css").read_text("utf-8")
    assert f'font-family: "{fonts.EMBEDDED_FAMILY}", {fonts.BROWSER_FONT_STACK};' in css


def test_without_a_system_configuration_the_system_font_folders_are_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(fonts, "_SYSTEM_CONFIGS", ())  # e.g. Windows, or no /etc/fonts
    text = fonts._fontconfig_text(tmp_path, None)
    assert "<include" not in text
    assert text.count("<dir>") == len(fonts._system_font_dirs()) + 1
    assert f"<dir>{tmp_path}</dir>" in text


def test_the_embedded_font_subset_is_the_same_bytes_at_any_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The same diagram must give the same file: a committed notebook or SVG should not change
    # on every rebuild because the subset's 'head' table got a new "modified" timestamp.
    head = pytest.importorskip("fontTools.ttLib.tables._h_e_a_d")
    fonts._woff_subset.cache_clear()
    first = fonts.woff_subset("가나 grad 0.5")
    monkeypatch.setattr(head, "timestampNow", lambda: 3_000_000_000)  # another moment
    fonts._woff_subset.cache_clear()
    second = fonts.woff_subset("가나 grad 0.5")
    fonts._woff_subset.cache_clear()
    assert first is not None and first == second
