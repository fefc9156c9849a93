"""Notebook 12 (기울기 소실과 ReLU): what the issue asks of it, read from the committed file.

Running it, and its exercises against their solutions, is tests/test_notebooks.py's job (it
picks up every numbered notebook).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import micrograd_kr

nbformat = pytest.importorskip("nbformat")

# the notebooks next to the package under test (the checkout the tests run against)
PATH = Path(micrograd_kr.__file__).resolve().parent.parent / "notebooks" / "12_giulgi_sojeol.ipynb"


def cells(kind: str) -> list[str]:
    nb = nbformat.read(PATH, as_version=4)
    return [c.source for c in nb.cells if c.cell_type == kind]


def test_it_measures_gradients_per_layer_for_three_activations_and_draws_them() -> None:
    source = "\n".join(cells("code"))
    assert "use_korean_font()" in source
    for activation in ("sigmoid", "tanh", "relu"):
        assert f'"{activation}"' in source
    assert ".backward()" in source and "semilogy" in source
    assert "0.25**10" in source  # what multiplying sigmoid's largest derivative does
    assert "w.data *= scale" in source  # the initial weights' scale


def test_it_stores_its_figures_and_printed_numbers() -> None:
    nb = nbformat.read(PATH, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 3
    printed = "".join(o.get("text", "") for o in outputs)
    assert "9.537e-07" in printed  # 0.25^10


def test_its_exercises_are_built_like_every_notebooks() -> None:
    """nbtools.exercise: an answer cell, a check cell, a folded solution; the exercise that
    asks for backward() checks the method, as a callable (a lambda), not a string."""
    nb = nbformat.read(PATH, as_version=4)
    tags = [c.metadata.get("tags", []) for c in nb.cells]
    answers = [i for i, t in enumerate(tags) if "exercise-answer" in t]
    assert len(answers) == 3
    for i in answers:
        assert "exercise-check" in tags[i + 1] and "solution" in tags[i + 2]
    checks = [nb.cells[i + 1].source for i in answers]
    assert all("from micrograd_kr.exercises import check" in c for c in checks)
    assert all("except NameError as missing" in c for c in checks)
    assert "method=lambda: grad_from_backward(y)" in checks[2]


def test_it_ends_with_further_reading_a_learner_can_open() -> None:
    last = cells("markdown")[-1]
    assert last.startswith("## 더 읽을거리")
    assert "밑바닥부터 시작하는 딥러닝" in last and "6장 학습 관련 기술들 (가중치의 초깃값)" in last
    links = re.findall(r"<(https://[^>]+)>", last)  # further_reading's form, as every notebook's
    assert "https://cs231n.github.io/neural-networks-2/" in links
    assert "https://www.youtube.com/watch?v=VMj-3S1tku0" in links


def test_it_explains_why_relu_with_the_textbooks_terms() -> None:
    text = "\n".join(cells("markdown"))
    assert "일반적으로 ReLU를 많이 사용함" in text
    terms = ("기울기 소실", "연쇄법칙", "국소적 미분", "활성화 함수", "경사 하강법", "죽은 ReLU")
    for term in terms:
        assert term in text, term
    for variant in ("활성함수", "연쇄 법칙", "경사하강법"):
        assert variant not in text, variant
