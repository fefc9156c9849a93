"""Helpers that turn a list of cells into an executed notebook.

Each ``nbNN_*.py`` script in this folder lists the cells of one notebook with ``md``,
``code`` and ``exercise``; a notebook that draws opens with ``intro`` and ``plot_setup``,
the note and the first code cell they all share. ``build`` writes the notebook, formats its
code with ruff, executes it top to bottom with nbclient and saves it with its outputs, so
the committed notebook shows its plots and diagrams on a code host.

    .venv/bin/python notebooks/_build/build_all.py        # every notebook
    .venv/bin/python notebooks/_build/nb02_seonhyeong_hoegwi.py   # one notebook
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Mapping
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


# -- the opening every notebook that draws shares (02-08) ---------------------------------------

FONT_NOTE = """
> 그림 속 한글은 패키지와 함께 설치되는 나눔고딕(NanumGothic) 글꼴로 그립니다. 한글 글꼴이 없는
> 컴퓨터(Colab, Docker, WSL)에서도 네모(□)로 깨지지 않도록, 아래 첫 코드 셀에서
> `use_korean_font()` 를 한 번 부릅니다.
"""


def intro(text: str) -> nbformat.NotebookNode:
    """The notebook's opening markdown cell, ending with the note on Hangul in figures."""
    return md(_clean(text) + "\n\n" + _clean(FONT_NOTE))


def plot_setup(
    imports: str, figure: Mapping[str, object] | None = None, then: str = ""
) -> nbformat.NotebookNode:
    """The first code cell of a notebook that draws with matplotlib.

    ``imports`` are the notebook's own imports; the cell adds matplotlib's and
    ``use_korean_font``'s (``render`` sorts them in with ruff), sets the matplotlib defaults
    ``figure`` (``rcParams``; a dpi of 90 unless given) and calls ``use_korean_font()``.
    ``then`` is code that follows in the same cell, such as the notebook's helper functions.
    """
    settings = {"figure.dpi": 90} if figure is None else figure
    lines = [
        "import matplotlib.pyplot as plt",
        _clean(imports),
        "from micrograd_kr.plot import use_korean_font",
        "",
        *[f"plt.rcParams[{key!r}] = {value!r}" for key, value in settings.items()],
        "use_korean_font()  # 그림 속 한글을 나눔고딕으로 (matplotlib 기본 글꼴에는 한글이 없습니다)",
    ]
    if then:
        lines += ["", "", _clean(then)]
    return nbformat.v4.new_code_cell("\n".join(lines))


TRY_AGAIN = "다시 해 보세요"  # what micrograd_kr.exercises.check prints for a wrong or blank answer
CHECK_IMPORT = "from micrograd_kr.exercises import"  # marks a check cell's code
METHOD_CHECKS = ("made_with_define_op", "used_in_graph", "grad_from_backward", "hand_made_in_graph")


def exercise(
    answer: str,
    expected: str,
    hint: str,
    solution: str,
    explanation: str = "",
    *,
    graded: str | None = None,
    method: str | None = None,
    imports: str = "",
) -> list[nbformat.NotebookNode]:
    """One exercise after its question: the learner's answer cell, a check cell, the solution.

    ``answer`` is the cell the learner fills in (names set to None). The check cell calls
    ``micrograd_kr.exercises.check`` on ``graded`` (by default the names of ``answer``, a
    tuple if several) against ``expected``, a Python expression that needs nothing from the
    notebook but ``imports`` (so the cell grades on a fresh kernel, and the tests can feed it
    answers); ``method`` is an expression of the learner's names with the method checks of
    ``micrograd_kr.exercises``, None when the exercise's method was used. ``hint`` must not
    give the answer away. The solution is a collapsed ``<details>`` block (markdown, so no
    code host shows it open); its code sets the answer names, and the notebook test runs it
    in place of the answer cell to prove it is right.
    """
    answer_cell = nbformat.v4.new_code_cell(_clean(answer))
    answer_cell.metadata["tags"] = ["exercise-answer"]
    names = [
        line.split("=")[0].strip()
        for line in _clean(answer).splitlines()
        if "= None" in line and not line.lstrip().startswith("#")
    ]
    if graded is None:
        graded = names[0] if len(names) == 1 else "(" + ", ".join(names) + ")"
    helpers = ["check", "not_run"]
    if method is not None:
        helpers += [name for name in METHOD_CHECKS if name in method]
    call = [
        "    check(",
        f"        {graded},",
        f"        {_clean(expected)},",
        "        hint=(",
        *[f"            {chunk!r}" for chunk in _chunks(hint)],
        "        ),",
    ]
    if method is not None:
        call.append(f"        method=lambda: {_clean(method)},")
    call.append("    )")
    check_src = "\n".join(
        [
            "# 채점 (check): 위 셀의 답을 확인합니다. 답을 바꿨다면 위 셀부터 다시 실행하세요.",
            *([_clean(imports)] if imports else []),
            f"{CHECK_IMPORT} {', '.join(helpers)}",
            "",
            "try:",
            *call,
            "except NameError as missing:  # a cell above not run yet",
            "    not_run(missing)",
        ]
    )
    check_cell = nbformat.v4.new_code_cell(check_src)
    check_cell.metadata["tags"] = ["exercise-check"]
    check_cell.metadata["jupyter"] = {"source_hidden": True}
    text = "<details>\n<summary>풀이 보기 (solution, 클릭해서 펼치기)</summary>\n\n"
    if explanation:
        text += _clean(explanation) + "\n\n"
    text += "```python\n" + _clean(solution) + "\n```\n\n</details>"
    solution_cell = nbformat.v4.new_markdown_cell(text)
    solution_cell.metadata["tags"] = ["solution"]
    return [answer_cell, check_cell, solution_cell]


# -- 「더 읽을거리」: public resources a learner can open ---------------------------------------

LECTURE = (
    "Andrej Karpathy 의 강의 영상 「The spelled-out intro to neural networks and backpropagation: "
    "building micrograd」 (영어): <https://www.youtube.com/watch?v=VMj-3S1tku0>"
)
CS231N = (
    "Stanford CS231n 강의 노트 「Backpropagation, Intuitions」 (영어): "
    "<https://cs231n.github.io/optimization-2/>"
)
CS231N_NN2 = (
    "Stanford CS231n 강의 노트 「Neural Networks Part 2: Setting up the Data and the Loss」 (영어): "
    "<https://cs231n.github.io/neural-networks-2/>"
)
BOOK_CHAPTERS = {
    3: "3장 신경망 (활성화 함수, 소프트맥스 함수)",
    4: "4장 신경망 학습 (손실 함수, 수치 미분, 경사 하강법)",
    5: "5장 오차역전파법 (계산 그래프, 연쇄법칙, 국소적 미분)",
    6: "6장 학습 관련 기술들 (가중치의 초깃값)",
}


def book(*chapters: int) -> str:
    """The chapters of 『밑바닥부터 시작하는 딥러닝』 that cover a notebook's topic."""
    names = ", ".join(BOOK_CHAPTERS[c] for c in chapters)
    return f"사이토 고키, 『밑바닥부터 시작하는 딥러닝』 (한빛미디어): {names}"


def further_reading(*items: tuple[str, str]) -> nbformat.NotebookNode:
    """The closing 「더 읽을거리」 cell: (resource, what it adds to this notebook) pairs of
    public resources a learner can open."""
    lines = ["## 더 읽을거리", "", "같은 주제를 다른 설명으로 읽고 싶다면:", ""]
    for resource, why in items:
        lines += [f"- {resource}<br>", f"  {_clean(why)}"]
    return md("\n".join(lines))


def _chunks(text: str, width: int = 30) -> list[str]:
    """``text`` in pieces of about ``width`` characters (Hangul is two columns wide)."""
    pieces, current = [], ""
    for word in text.split(" "):
        if current and len(current) + len(word) >= width:
            pieces.append(current)
            current = ""
        current += word + " "
    pieces.append(current.rstrip())
    return pieces


def solution_code(cell: nbformat.NotebookNode) -> str:
    """The code of a solution cell made by ``exercise`` (what the learner reads)."""
    source = cell.source
    return source[source.index("```python\n") + len("```python\n") : source.rindex("\n```")]


def _tags(cell: nbformat.NotebookNode) -> list[str]:
    return list(cell.metadata.get("tags", []))


def _ruff(*args: str) -> None:
    try:
        import ruff  # noqa: F401  (the pinned ruff of the dev extra)
    except ImportError:
        print("ruff not found: notebook code left unformatted", file=sys.stderr)
        return
    config = str(ROOT / "pyproject.toml")  # the project's style even for a file outside it
    subprocess.run([sys.executable, "-m", "ruff", *args, "--config", config], cwd=ROOT, check=True)


def render(name: str, cells: list[nbformat.NotebookNode], path: Path) -> None:
    """Write the notebook ``name`` made of ``cells`` to ``path``, formatted, not executed."""
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
    nbformat.write(nb, path)
    _ruff("check", "--quiet", "--fix", "--select", "I", str(path))  # plot_setup's imports
    _ruff("format", "--quiet", str(path))


def build(name: str, cells: list[nbformat.NotebookNode], execute: bool = True) -> Path:
    """Write ``notebooks/<name>.ipynb`` from ``cells``, format it, run it and save outputs."""
    path = NOTEBOOKS / f"{name}.ipynb"
    render(name, cells, path)
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
            if "exercise-check" in _tags(cell):
                text = "".join(o.get("text", "") for o in cell.outputs)
                if TRY_AGAIN not in text:  # a blank answer must never be called right
                    raise RuntimeError(f"{path.name}: a blank exercise answer was not refused")
            if {"exercise-answer", "exercise-check"} & set(_tags(cell)):
                # stored unanswered: no verdict and no execution count before the learner runs it
                cell.outputs = []
                cell.execution_count = None
        nbformat.write(nb, path)
        print(f"{path.name}: executed in {elapsed:.1f} s")
    return path
