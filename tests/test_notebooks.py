"""Every teaching notebook runs top to bottom on a fresh kernel without an error.

Each notebook asserts its own lesson (the seed's numbers reproduced, the linear stack stuck
at the best line, ...), so a broken engine breaks the notebook that teaches it. Notebooks run
in a scratch directory, one fresh kernel each, so none can lean on another's files or state.
Each exercise runs with its published solution in place of the learner's blank answer, so
a wrong solution or a check cell that rejects the right answer fails here.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "notebooks" / "_build"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
SCRIPTS = sorted(BUILD.glob("nb[0-9][0-9]_*.py"))

# the budget is 60 s a notebook; MICROGRAD_KR_NOTEBOOK_TIMEOUT widens it on slow machines
BUDGET = float(os.environ.get("MICROGRAD_KR_NOTEBOOK_TIMEOUT", "60"))

CORRECT, TRY_AGAIN = "정답입니다", "다시 해 보세요"


def tags(cell: Any) -> list[str]:
    return list(cell.metadata.get("tags", []))


def exercises(nb: Any) -> list[tuple[Any, Any, Any]]:
    """(answer cell, check cell, solution cell) for each exercise, in order."""
    found = []
    for i, cell in enumerate(nb.cells):
        if "exercise-answer" in tags(cell):
            check, solution = nb.cells[i + 1], nb.cells[i + 2]
            assert "exercise-check" in tags(check) and "solution" in tags(solution)
            found.append((cell, check, solution))
    return found


def solution_code(cell: Any) -> str:
    match = re.search(r"```python\n(.*?)\n```", cell.source, flags=re.S)
    assert match is not None, cell.source
    return match.group(1)


def test_the_eight_lessons_exist() -> None:
    numbers = {p.name[:2] for p in NOTEBOOKS}
    assert {f"{i:02d}" for i in range(1, 9)} <= numbers


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_clean_and_its_solutions_pass_their_checks(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    nb = nbformat.read(path, as_version=4)
    for answer, _, solution in exercises(nb):
        answer.source = solution_code(solution)  # the learner types the published solution
    # the kernel inherits the environment; a non-inline backend would store no figures
    monkeypatch.delenv("MPLBACKEND", raising=False)
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
    for _, check, _ in exercises(nb):
        printed = "".join(out.get("text", "") for out in check.outputs)
        assert CORRECT in printed and TRY_AGAIN not in printed, (path.name, printed)
    assert elapsed < BUDGET, f"{path.name} took {elapsed:.1f} s (budget {BUDGET:.0f} s)"


LESSONS = [p for p in NOTEBOOKS if "01" <= p.name[:2] <= "08"]


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_is_committed_with_outputs_and_ends_with_summary_and_exercise(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    exercise_cells = {id(c) for triple in exercises(nb) for c in triple}
    code_cells = [c for c in nb.cells if c.cell_type == "code" and id(c) not in exercise_cells]
    assert code_cells and all(c.get("execution_count") for c in code_cells), (
        f"{path.name} is not saved executed; rebuild it with notebooks/_build"
    )
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "요약" in markdown and "연습 문제" in markdown


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_exercise_answers_are_hidden_and_each_has_a_check(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    found = exercises(nb)
    assert found, f"{path.name} has no exercise with a check cell"
    for answer, check, solution in found:
        # nothing under the question gives the answer away: no stored outputs, no verdict
        assert answer.outputs == [] and check.outputs == []
        assert "= None" in answer.source
        assert CORRECT in check.source and TRY_AGAIN in check.source and "힌트" in check.source
        # the solution is markdown folded in <details>: closed on every viewer
        assert solution.cell_type == "markdown"
        assert solution.source.startswith("<details>") and "<details open" not in solution.source
        assert solution.source.rstrip().endswith("</details>")
    solution_tagged = [c for c in nb.cells if "solution" in tags(c)]
    assert all(c.cell_type == "markdown" for c in solution_tagged)


def _script_for(path: Path) -> Path:
    return next(s for s in SCRIPTS if s.stem[2:4] == path.name[:2])


def test_every_notebook_has_a_build_script() -> None:
    assert [p.name[:2] for p in NOTEBOOKS] == [s.stem[2:4] for s in SCRIPTS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_matches_its_build_script(path: Path, tmp_path: Path) -> None:
    """The committed .ipynb is what notebooks/_build makes: no hand edits, no stale rebuild."""
    pytest.importorskip("ruff", reason="ruff (the dev extra) formats the notebooks' code")
    sys.path.insert(0, str(BUILD))
    try:
        module = importlib.import_module(_script_for(path).stem)
        nbtools = importlib.import_module("nbtools")
    finally:
        sys.path.remove(str(BUILD))
    fresh = tmp_path / path.name
    nbtools.render(module.NAME, module.CELLS, fresh)
    assert path.stem == module.NAME

    def shape(p: Path) -> list[tuple[str, str, str, list[str]]]:
        nb = nbformat.read(p, as_version=4)
        return [(c.cell_type, c.id, c.source, tags(c)) for c in nb.cells]

    committed, expected = shape(path), shape(fresh)
    assert len(committed) == len(expected), f"{path.name}: rebuild with notebooks/_build"
    for have, want in zip(committed, expected):
        assert have == want, f"{path.name} cell {want[1]} differs from its build script"


# -- the study notes --------------------------------------------------------------------------

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _notes_table() -> dict[str, str]:
    """README's study-note table: the note's title -> the row's text."""
    section = README.split("### 학습 노트", 1)[1].split("\n#", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| 「")]
    return {re.match(r"\| (「[^」]+」)", row).group(1): row for row in rows}  # type: ignore[union-attr]


def test_readme_names_the_five_study_notes_with_topics_and_notebooks() -> None:
    table = _notes_table()
    assert len(table) == 5
    for row in table.values():
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert len(cells) == 3 and cells[1], row  # note | topics | notebooks
        assert re.search(r"0[1-9]", cells[2]), row


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebooks_cite_the_notes_by_their_topic_title(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    assert not re.search(r"씨앗 노트 ?\d", text), "cite a note by its title, not a number"
    table = _notes_table()
    for title in re.findall(r"(「[^」]+」) 노트", text):
        assert title in table, f"{path.name} cites {title}, which README's table does not list"
        assert path.name[:2] in table[title], f"README's row for {title} omits {path.name}"
