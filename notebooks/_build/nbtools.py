"""Helpers that turn a list of cells into an executed notebook.

Each ``nbNN_*.py`` script in this folder lists the cells of one notebook with ``md``,
``code`` and ``solution``; ``build`` writes the notebook, formats its code with ruff,
executes it top to bottom with nbclient and saves it with its outputs, so the committed
notebook shows its plots and diagrams on a code host.

    .venv/bin/python notebooks/_build/build_all.py        # every notebook
    .venv/bin/python notebooks/_build/nb02_seonhyeong_hoegwi.py   # one notebook
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent
ROOT = NOTEBOOKS.parent


def _clean(text: str) -> str:
    return textwrap.dedent(text).strip("\n")


def md(text: str) -> nbformat.NotebookNode:
    """A markdown cell (Korean prose, LaTeX between $...$)."""
    return nbformat.v4.new_markdown_cell(_clean(text))


def code(src: str) -> nbformat.NotebookNode:
    """A code cell."""
    return nbformat.v4.new_code_cell(_clean(src))


def solution(src: str) -> nbformat.NotebookNode:
    """An exercise's solution: a code cell whose source is hidden until the reader opens it.

    The cell still runs (and asserts), so a wrong solution breaks the notebook's test.
    """
    cell = nbformat.v4.new_code_cell(_clean(src))
    cell.metadata["jupyter"] = {"source_hidden": True}
    cell.metadata["tags"] = ["solution"]
    return cell


def _ruff(*args: str) -> None:
    ruff = shutil.which("ruff", path=str(ROOT / ".venv" / "bin")) or shutil.which("ruff")
    if ruff is None:
        print("ruff not found: notebook code left unformatted", file=sys.stderr)
        return
    subprocess.run([ruff, *args], cwd=ROOT, check=True)


def build(name: str, cells: list[nbformat.NotebookNode], execute: bool = True) -> Path:
    """Write ``notebooks/<name>.ipynb`` from ``cells``, format it, run it and save outputs."""
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    for i, cell in enumerate(nb.cells):
        cell.id = f"{name[:2]}-{i:03d}"  # stable ids: a rebuild changes only what really changed
    nb.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }
    nb.metadata["language_info"] = {"name": "python"}
    path = NOTEBOOKS / f"{name}.ipynb"
    nbformat.write(nb, path)
    _ruff("format", "--quiet", str(path))
    _ruff("check", "--quiet", str(path))
    if execute:
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp:
            # the working directory is a scratch folder: a notebook writes nothing next to itself
            env_backup = os.environ.get("MPLBACKEND")
            os.environ.pop("MPLBACKEND", None)
            try:
                NotebookClient(
                    nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": tmp}}
                ).execute()
            finally:
                if env_backup is not None:
                    os.environ["MPLBACKEND"] = env_backup
        elapsed = time.perf_counter() - start
        for cell in nb.cells:
            cell.metadata.pop("execution", None)
        nbformat.write(nb, path)
        print(f"{path.name}: executed in {elapsed:.1f} s")
    return path
