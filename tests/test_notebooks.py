"""Every teaching notebook runs top to bottom on a fresh kernel without an error.

Each notebook asserts its own lesson (the seed's numbers reproduced, the linear stack stuck
at the best line, ...), so a broken engine breaks the notebook that teaches it. Notebooks run
in a scratch directory, one fresh kernel each, so none can lean on another's files or state.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("[0-9]*.ipynb"))

# the budget is 60 s a notebook; MICROGRAD_KR_NOTEBOOK_TIMEOUT widens it on slow machines
BUDGET = float(os.environ.get("MICROGRAD_KR_NOTEBOOK_TIMEOUT", "60"))


def test_the_eight_lessons_exist() -> None:
    numbers = {p.name[:2] for p in NOTEBOOKS}
    assert {f"{i:02d}" for i in range(1, 9)} <= numbers


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_clean(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nb = nbformat.read(path, as_version=4)
    # the kernel inherits the environment; a non-inline backend would store no figures
    monkeypatch.delenv("MPLBACKEND", raising=False)
    _forward_fd2_into_the_notebook(monkeypatch)
    client = nbclient.NotebookClient(
        nb,
        timeout=int(BUDGET),  # per cell: a hang fails instead of blocking the suite
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    start = time.perf_counter()
    client.execute()  # raises CellExecutionError with the failing cell and traceback
    elapsed = time.perf_counter() - start
    errors = [
        out
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    ]
    assert not errors
    # nothing on stderr either: no Fontconfig warnings, no warnings of missing glyphs (issue 13)
    assert not _stderr_outputs(nb)
    assert elapsed < BUDGET, f"{path.name} took {elapsed:.1f} s (budget {BUDGET:.0f} s)"


def _forward_fd2_into_the_notebook(monkeypatch: pytest.MonkeyPatch) -> None:
    # ipykernel shows what C libraries write to fd 2 in the notebook, as Jupyter does for a
    # learner, except when it sees PYTEST_CURRENT_TEST in its environment
    monkeypatch.delenv("PYTEST_CURRENT_TEST", raising=False)


def _stderr_outputs(nb: Any) -> list[str]:
    return [
        out.get("text", "")
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if out.get("output_type") == "stream" and out.get("name") == "stderr"
    ]


def test_bundled_graphviz_in_a_kernel_prints_no_fontconfig_warnings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Graphviz engine inside pygraphviz wheels writes fontconfig warnings straight to
    file descriptor 2, which in a kernel is not ``sys.stderr.fileno()``; they must not
    reach the notebook. (A machine without ``dot`` uses this engine for every diagram.)"""
    pytest.importorskip("pygraphviz")
    from nbformat.v4 import new_code_cell, new_notebook

    _forward_fd2_into_the_notebook(monkeypatch)
    nb = new_notebook(
        cells=[
            new_code_cell(
                "from micrograd_kr import Value, draw_dot\n"
                "x = Value(2.0, label='입력 x')\n"
                "y = x * x; y.label = '출력 y'\n"
                "y.backward()\n"
                "d = draw_dot(y, renderer='pygraphviz')\n"
                "assert d.png()[:4] == b'\\x89PNG' and d.pdf()[:4] == b'%PDF'\n"
                "d"
            ),
            # the kernel forwards fd-2 writes from a thread: give it a moment to arrive
            new_code_cell("import time\ntime.sleep(1.0)"),
        ]
    )
    client = nbclient.NotebookClient(
        nb,
        timeout=int(BUDGET),
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()
    assert not _stderr_outputs(nb)


LESSONS = [p for p in NOTEBOOKS if "01" <= p.name[:2] <= "08"]


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_is_committed_with_outputs_and_ends_with_summary_and_exercise(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    assert code_cells and all(c.get("execution_count") for c in code_cells), (
        f"{path.name} is not saved executed; rebuild it with notebooks/_build"
    )
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "요약" in markdown and "연습 문제" in markdown
    hidden = [c for c in code_cells if c.metadata.get("jupyter", {}).get("source_hidden")]
    assert hidden or "<details>" in markdown, "an exercise needs a hidden-by-default solution"
