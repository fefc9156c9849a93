"""The viz package ships its page template files, and the public imports stay where they were."""

from __future__ import annotations

import fnmatch
import sys
from pathlib import Path

import pytest

import micrograd_kr
from micrograd_kr import viz

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parents[1]


def test_public_names_are_reexported() -> None:
    assert micrograd_kr.draw_dot is viz.draw_dot
    assert micrograd_kr.animate_backward is viz.animate_backward
    assert micrograd_kr.Diagram is viz.Diagram


def test_every_asset_file_is_declared_as_package_data() -> None:
    # a non-editable install only carries files matched here; a missing glob breaks the page
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = config["tool"]["setuptools"]
    assert "micrograd_kr.viz" in setuptools["packages"]
    globs = setuptools["package-data"]["micrograd_kr.viz"]
    assets = Path(viz.__file__).parent / "assets"
    names = sorted(p.name for p in assets.iterdir() if p.is_file())
    assert {"animation.html", "animation.css", "animation.js", "page.html"} <= set(names)
    for name in names:
        assert any(fnmatch.fnmatch(f"assets/{name}", g) for g in globs), name
