"""English-only mode (MICROGRAD_KR_LANG=en) for models, data, files and pictures.

Each test sets the variable after import, as a learner's notebook might: messages, diagram
legends, captions and plot labels are built when they are shown, so they follow it. Each
error must carry no Hangul and still name the offending value; each picture must show no
Hangul (the animation player's own buttons, in viz/assets, are data files and stay Korean).
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

# the same failing calls as the Korean-first tests, here in English-only mode
from test_messages_korean import (
    _plot_without_matplotlib,
    _to_torch_without_torch,
    _too_big_to_draw,
)

from micrograd_kr import Value, data, nn, optim
from micrograd_kr._args import seeded_rng
from micrograd_kr.messages import LANG_VARIABLE
from micrograd_kr.nn import ModelFileError
from micrograd_kr.viz import GraphTooLargeError, RendererNotFoundError, animate_backward, draw_dot

HANGUL = re.compile("[\uac00-\ud7a3\u3131-\u318e]")


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(LANG_VARIABLE, "en")


def _message_of(call: Callable[[], object], error: type[BaseException]) -> str:
    with pytest.raises(error) as info:
        call()
    return str(info.value)


def _huge_step() -> None:
    ps = [nn.Parameter(0.5, label="p0"), nn.Parameter(0.5, label="p1")]
    ps[0].grad, ps[1].grad = 1.0, 10.0
    optim.SGD(ps, lr=1e308).step()  # p1: 0.5 - 1e309 overflows


# (what is called, exception type, English phrase, offending value)
CASES: list[tuple[str, Callable[[], object], type[BaseException], str, str]] = [
    ("seed", lambda: seeded_rng(1.5), TypeError, "seed must be an int", "got 1.5"),  # type: ignore[arg-type]
    ("moons n", lambda: data.make_moons(0), ValueError, "n must be an int >= 2", "got 0"),
    ("noise", lambda: data.make_moons(noise=1e308), ValueError, "use a smaller noise", "1e+308"),
    ("x_range", lambda: data.make_linear(x_range=(1, 0)), ValueError, "low < high", "(1, 0)"),
    ("MLP inputs", lambda: nn.MLP(2, [3, 1])([1.0]), ValueError, "MLP expects 2 input", "got 1"),
    ("activation", lambda: nn.Neuron(2, activation="bogus"), ValueError, "valid", "'bogus'"),
    ("input", lambda: nn.Neuron(2)([1.0, "a"]), TypeError, "input 1 must be", "got 'a'"),
    ("lr", lambda: optim.SGD([Value(1.0)], lr=-1.0), ValueError, "lr must be", "-1.0"),
    ("step", _huge_step, FloatingPointError, "try a smaller lr", "params[1] ('p1')"),
    ("leaf", lambda: optim.SGD([Value(1.0) * 2], lr=0.1), ValueError, "not a leaf", "'mul'"),
    ("torch", _to_torch_without_torch, ImportError, "needs PyTorch", "pip install torch"),
    (
        "matplotlib",
        _plot_without_matplotlib,
        ImportError,
        "plotting needs matplotlib",
        "pip install",
    ),
    ("draw 3", lambda: draw_dot(3), TypeError, "expected a Value to draw", "int"),  # type: ignore[arg-type]
    ("rankdir", lambda: draw_dot(Value(1.0), rankdir="up"), ValueError, "one of", "'up'"),
    ("precision", lambda: draw_dot(Value(1.0), precision=99), ValueError, "from 0 to 17", "99"),
    ("too big", _too_big_to_draw, GraphTooLargeError, "more than max_nodes=10", "values"),
]


@pytest.mark.parametrize(("call", "error", "phrase", "value"), [c[1:] for c in CASES])
def test_errors_are_english_only(
    english: None,
    call: Callable[[], object],
    error: type[BaseException],
    phrase: str,
    value: str,
) -> None:
    message = _message_of(call, error)
    assert not HANGUL.search(message), message
    assert phrase in message and value in message, message


def test_model_file_errors_are_english_only(english: None, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": ', encoding="utf-8")
    message = _message_of(lambda: nn.load(broken), ModelFileError)
    assert not HANGUL.search(message), message
    assert str(broken) in message and "not valid JSON" in message and "line 1" in message

    model = nn.MLP(2, [1], seed=0)
    path = tmp_path / "model.json"
    model.save(path)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["version"] = 99
    path.write_text(json.dumps(document), encoding="utf-8")
    message = _message_of(lambda: nn.load(path), ModelFileError)
    assert not HANGUL.search(message), message
    assert "unsupported file version 99" in message, message

    other = nn.MLP(2, [2, 1], seed=0)
    other_path = tmp_path / "other.json"
    other.save(other_path)
    message = _message_of(lambda: model.load(other_path), ModelFileError)
    assert not HANGUL.search(message), message
    assert "MLP(nin=2, sizes=[2, 1]" in message and "use nn.load(path)" in message, message


def test_a_refused_save_is_english_only(english: None, tmp_path: Path) -> None:
    model = nn.MLP(1, [1], seed=0)
    model.parameters()[0].data = float("nan")
    message = _message_of(lambda: model.save(tmp_path / "m.json"), ValueError)
    assert not HANGUL.search(message), message
    assert message.startswith("cannot save: parameter") and "nan" in message, message


def test_a_missing_renderer_says_so_in_english(
    english: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("shutil.which", lambda name: None)
    message = _message_of(
        lambda: draw_dot(Value(1.0) * 2.0, renderer="dot").pipe("svg"), RendererNotFoundError
    )
    assert not HANGUL.search(message), message
    assert "not on PATH" in message and "install one of them" in message, message
    assert "Diagram.source still gives the DOT text" in message, message


def _graph() -> Value:
    """A graph with every kind of box: input, parameter, constant, intermediate, root."""
    x, w = Value(2.0, label="x"), nn.Parameter(-3.0, label="w")
    return (x * w + 1.0).tanh()


def test_a_diagram_is_english_only(english: None) -> None:
    out = _graph()
    before = draw_dot(out).source  # backward() has not run: the diagram says so
    assert not HANGUL.search(before), before
    assert "backward() has not run yet" in before
    out.backward()
    source = draw_dot(out, constant_grads=True).source
    assert not HANGUL.search(source), source
    for label in ("forward: data", "backward: local derivative", "op → its result"):
        assert label in source, label
    for role in ("input", "parameter", "constant", "intermediate", "root"):
        assert f">{role}</TD>" in source, role
    assert "<Diagram: 6 values;" in repr(draw_dot(out))


def test_the_korean_diagram_is_unchanged_by_the_catalog(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(LANG_VARIABLE, raising=False)
    out = _graph()
    source = draw_dot(out).source
    assert "※ 아직 backward()를 실행하지 않아 grad가 모두 0입니다 (backward() has not run yet)" in (
        source
    )
    assert "&#160;순전파 forward: data</TD>" in source
    assert "&#160;역전파 backward: 국소적 미분 × 출력의 grad = 입력이 받는 grad</TD>" in source
    assert ">상수 constant</TD>" in source and ">매개변수 parameter</TD>" in source
    assert "<Diagram: 값 6개;" in repr(draw_dot(out))


def test_the_animation_captions_are_english_only(english: None) -> None:
    a = Value(3.0, label="a")
    out = Value(a.data * a.data + 1, (a, a), "sq+1")  # hand-made: only the sum is known

    def _backward() -> None:
        a.grad += 2 * a.data * out.grad

    out._backward = _backward  # type: ignore[method-assign]
    frames = animate_backward(out * 2.0).frames
    captions = "\n".join(frame["caption"] for frame in frames)
    assert not HANGUL.search(captions), captions
    assert "(the output: it starts at 1)" in captions
    assert "counted in the sum above" in captions
    assert "a leaf with no inputs: its grad is final" in captions
    assert "(sq+1) result" in captions  # a node without a label is named by its operation


def _shown(ax: Any) -> list[str]:
    """An axes' title and legend entries."""
    legend = ax.get_legend()
    assert legend is not None
    return [ax.get_title()] + [t.get_text() for t in legend.get_texts()]


def test_plot_labels_are_english_only(english: None) -> None:
    pytest.importorskip("matplotlib")
    from micrograd_kr import plot

    fig = plot.loss_curve({"loss": [1.0, 0.5], "accuracy": [0.5, 0.9]})
    ax = fig.axes[0]
    assert _shown(ax) == ["training loss", "loss", "accuracy"]
    assert [ax.get_xlabel(), ax.get_ylabel(), fig.axes[1].get_ylabel()] == [
        "epoch",
        "loss",
        "accuracy",
    ]
    model = nn.MLP(2, [2], seed=0)
    fig = plot.decision_boundary(model, [[0.0, 1.0], [1.0, 0.0]], [0, 1], resolution=4)
    assert _shown(fig.axes[0]) == ["decision boundary", "class 0", "class 1"]
    fig = plot.fit_curve(nn.MLP(1, [1], seed=0), [[0.0], [1.0]], [0.0, 1.0], points=3)
    assert _shown(fig.axes[0]) == ["the model's curve", "data", "model"]
    assert plot.loss_curve([1.0], title="mine").axes[0].get_title() == "mine"


def test_the_missing_font_warning_is_english_only(
    english: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from micrograd_kr import fonts

    monkeypatch.setattr(fonts, "font_dir", lambda: None)
    monkeypatch.setitem(fonts._state, "warned", False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert fonts.font_path() is None
    (warning,) = caught
    text = str(warning.message)
    assert not HANGUL.search(text), text
    assert "bundled Korean font not found" in text and fonts.FONT_PACKAGE in text
