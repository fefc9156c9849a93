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


def how_to_reset(path: Path) -> str:
    """How a learner puts a notebook back as the repository has it (Korean first)."""
    name = path.name
    rebuild = f".venv/bin/python notebooks/_build/build_all.py {name[:2]}"
    return (
        f"되돌리려면 (to reset it): git checkout -- notebooks/{name}  "
        f"또는 다시 만들기 (or rebuild it): {rebuild}"
    )


def saved_answers(path: Path) -> list[str]:
    """What a learner saved into the notebook's exercises: typed answers, printed verdicts."""
    nb = nbformat.read(path, as_version=4)
    found = []
    for k, (answer, check, _) in enumerate(exercises(nb), start=1):
        if answer.outputs or "= None" not in answer.source:
            found.append(f"연습 문제 {k}의 답 셀 {answer.id}에 답이 저장되어 있습니다")
        if check.outputs:
            found.append(f"연습 문제 {k}의 채점 셀 {check.id}에 채점 결과가 저장되어 있습니다")
    if not found:
        return []
    return [
        f"notebooks/{path.name}: 학습자가 푼 답이 저장된 노트북입니다 "
        f"(this notebook holds a learner's saved answers): " + "; ".join(found),
        how_to_reset(path),
    ]


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
    for _, check, _ in exercises(nb):
        printed = "".join(out.get("text", "") for out in check.outputs)
        assert CORRECT in printed and TRY_AGAIN not in printed, (path.name, printed)
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
    exercise_cells = {id(c) for triple in exercises(nb) for c in triple}
    code_cells = [c for c in nb.cells if c.cell_type == "code" and id(c) not in exercise_cells]
    assert code_cells and all(c.get("execution_count") for c in code_cells), (
        f"notebooks/{path.name}: 실행 결과 없이 저장된 코드 셀이 있습니다 (a code cell is saved "
        f"without its outputs). {how_to_reset(path)}"
    )
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "요약" in markdown and "연습 문제" in markdown


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_exercise_answers_are_hidden_and_each_has_a_check(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    found = exercises(nb)
    assert found, f"{path.name} has no exercise with a check cell"
    # nothing under the question gives the answer away: no stored outputs, no verdict
    saved = saved_answers(path)
    assert not saved, "\n".join(saved)
    for _, check, solution in found:
        # every check cell grades with the one checking helper (tests/test_exercises.py feeds it)
        assert "from micrograd_kr.exercises import" in check.source and "hint=" in check.source
        # the solution is markdown folded in <details>: closed on every viewer
        assert solution.cell_type == "markdown"
        assert solution.source.startswith("<details>") and "<details open" not in solution.source
        assert solution.source.rstrip().endswith("</details>")
    solution_tagged = [c for c in nb.cells if "solution" in tags(c)]
    assert all(c.cell_type == "markdown" for c in solution_tagged)


def test_saved_answers_are_named_in_korean_with_how_to_reset(tmp_path: Path) -> None:
    """A learner who saved a notebook with answers typed in, then ran the tests, reads in
    Korean which notebook holds them and how to put it back (issue 22)."""
    original = ROOT / "notebooks" / "03_gyesan_graph_yeokjeonpa.ipynb"
    nb = nbformat.read(original, as_version=4)
    answer, check, _ = exercises(nb)[0]
    answer.source = "my_dc_da = 16.0"
    check.outputs = [nbformat.v4.new_output("stream", name="stdout", text=CORRECT + "\n")]
    learner = tmp_path / "notebooks" / original.name
    learner.parent.mkdir()
    nbformat.write(nb, learner)
    reset = f"git checkout -- notebooks/{original.name}"
    with pytest.raises(AssertionError) as hidden:
        test_exercise_answers_are_hidden_and_each_has_a_check(learner)
    message = str(hidden.value)
    assert f"notebooks/{original.name}: 학습자가 푼 답이 저장된 노트북입니다" in message
    assert f"답 셀 {answer.id}" in message and f"채점 셀 {check.id}" in message
    assert reset in message and "notebooks/_build/build_all.py 03" in message
    with pytest.raises(AssertionError) as rebuilt:
        test_notebook_matches_its_build_script(learner, tmp_path)
    message = str(rebuilt.value)
    assert "빌드 스크립트 nb03_gyesan_graph.py와 다릅니다" in message, message
    assert reset in message and f"셀 cell {answer.id}" in message


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
    differs = (
        f"notebooks/{path.name}: 빌드 스크립트 {_script_for(path).name}와 다릅니다 (differs from "
        f"its build script). 답을 써서 저장했다면 되돌리세요, 빌드 스크립트를 고쳤다면 다시 "
        f"만드세요. {how_to_reset(path)}"
    )
    assert len(committed) == len(expected), f"{differs} (셀 개수 cells: {len(committed)})"
    for have, want in zip(committed, expected):
        assert have == want, f"{differs} (셀 cell {want[1]})"


# -- the study notes: told, not cited ------------------------------------------------------------

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _notes_rows() -> list[list[str]]:
    """The cells of README's table of the five study notes (after its header rows)."""
    section = README.split("### 학습 노트", 1)[1].split("\n#", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")][2:]
    return [[c.strip() for c in row.strip().strip("|").split("|")] for row in rows]


def test_readme_says_what_each_of_the_five_notes_gave_without_sending_anyone_to_them() -> None:
    rows = _notes_rows()
    assert len(rows) == 5
    for cells in rows:
        assert len(cells) == 3 and cells[1], cells  # note | what it gave | notebooks
        assert re.search(r"0[1-9]", cells[2]), cells
        # no title to look up, no link: the notes are not in the repository
        assert not re.search(r"[「\"]|\]\(|https?://", cells[0]), cells


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_stands_on_its_own_and_ends_with_further_reading(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    # no study note a learner cannot open: not by title, not by number, not through the README
    assert not re.search(r"「[^」]+」 ?노트|씨앗 노트|README", text), path.name
    last = nb.cells[-1]
    assert last.cell_type == "markdown" and last.source.startswith("## 더 읽을거리"), path.name
    links = re.findall(r"<(https://[^>]+)>", last.source)
    assert links and "밑바닥부터 시작하는 딥러닝" in last.source, path.name


@pytest.mark.parametrize(
    ("answer", "verdict", "says"),
    [
        (16.0, CORRECT, ""),
        (15.0, TRY_AGAIN, "힌트"),  # wrong maths: the maths hint
        ("16", TRY_AGAIN, "숫자를 쓰세요 (write a number)"),  # wrong type: not the maths hint
        (None, TRY_AGAIN, "None"),
    ],
)
def test_a_check_cell_grades_right_wrong_and_blank_answers(
    answer: object, verdict: str, says: str
) -> None:
    import contextlib
    import io

    nb = nbformat.read(ROOT / "notebooks" / "03_gyesan_graph_yeokjeonpa.ipynb", as_version=4)
    (_, check, _) = exercises(nb)[0]  # dc/da for c = a^3 + a^2 at a = 2: 3*4 + 2*2 = 16
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(check.source, {"my_dc_da": answer})  # the check cell needs nothing else
    assert verdict in out.getvalue() and says in out.getvalue()
    if isinstance(answer, str):
        assert "힌트" not in out.getvalue()
