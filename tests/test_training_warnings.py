"""fit's training warnings (issue 22): a dead ReLU layer, an exploding loss, and the command
line's exit status when the loss explodes.

Expected facts come from outside the code under test: the hidden units' inputs w·x + b are
recomputed here by hand from the parameters, and the loss growth is read off the history.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from typing import Any

import pytest

from micrograd_kr import data, nn
from micrograd_kr.cli import main

# the micrograd lecture's data set (four samples, targets +-1)
XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
YS = [1.0, -1.0, -1.0, 1.0]


def lecture_loss(outputs: Sequence[Any], targets: Sequence[float]) -> Any:
    """The lecture's loss: the sum (not the mean) of squared errors."""
    return sum((out - target) ** 2 for out, target in zip(outputs, targets))


def train_recording(model: nn.MLP, X: Any, y: Any, **options: Any) -> tuple[Any, list[Any]]:
    from micrograd_kr import train

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = train.fit(model, X, y, progress=False, **options)
    return history, [w for w in caught if issubclass(w.category, train.TrainingWarning)]


def hidden_inputs(model: nn.MLP, X: Sequence[Sequence[float]]) -> list[list[list[float]]]:
    """Per hidden layer, per sample, every unit's w·x + b, by hand from the parameters."""
    layers = []
    rows = [list(x) for x in X]
    for layer in model.layers[:-1]:
        zs = [
            [sum(w.data * v for w, v in zip(n.w, row)) + n.b.data for n in layer.neurons]
            for row in rows
        ]
        layers.append(zs)
        rows = [[max(z, 0.0) for z in sample] for sample in zs]
    return layers


def hand_dead_counts(model: nn.MLP, X: Sequence[Sequence[float]]) -> list[int]:
    counts = []
    for zs in hidden_inputs(model, X):
        units = len(zs[0])
        counts.append(sum(all(sample[j] <= 0.0 for sample in zs) for j in range(units)))
    return counts


def test_the_lectures_relu_network_dies_and_fit_says_so() -> None:
    # the lecture's loop: full batch, sum of squared errors, plain SGD with lr 0.1
    model = nn.MLP(3, [4, 4, 1], seed=0)
    history, caught = train_recording(
        model, XS, YS, loss=lecture_loss, optimizer="sgd", lr=0.1, epochs=100
    )
    # what the issue reports: stuck at loss 4.0 with every prediction the same
    assert history.final_loss == pytest.approx(4.0, abs=1e-6)
    dead_layers = [i for i, n in enumerate(hand_dead_counts(model, XS)) if n == 4]
    assert dead_layers, "the hand computation finds no layer whose four units are all dead"
    from micrograd_kr import train

    kinds = [w.category for w in caught]
    assert kinds == [train.DeadReLUWarning]
    text = str(caught[0].message)
    # Korean first; names the layer, the count, the cause and the remedies
    assert re.match(r"\d+번째 에폭 뒤 은닉층", text)
    assert f"model.layers[{dead_layers[0]}]" in text
    assert "4개" in text and "죽은 ReLU" in text and "dead ReLU" in text
    assert 'activation="tanh"' in text and "lr=0.01" in text and "leaky_relu" in text
    # the warning points at the line that called fit, not inside the library
    assert caught[0].filename == __file__


def test_the_lectures_tanh_network_learns_without_a_warning() -> None:
    model = nn.MLP(3, [4, 4, 1], activation="tanh", seed=0)
    history, caught = train_recording(
        model, XS, YS, loss=lecture_loss, optimizer="sgd", lr=0.1, epochs=100
    )
    assert caught == []
    assert history.final_loss < 0.01


def test_dead_relu_units_agrees_with_the_hand_count() -> None:
    from micrograd_kr import train

    for seed in range(6):
        model = nn.MLP(3, [4, 4, 1], seed=seed)
        train_recording(model, XS, YS, loss=lecture_loss, optimizer="sgd", lr=0.1, epochs=10)
        counts = hand_dead_counts(model, XS)
        assert train.dead_relu_units(model, XS) == [(0, counts[0], 4), (1, counts[1], 4)]
    # only hidden ReLU layers of an MLP are counted
    assert train.dead_relu_units(nn.MLP(3, [4, 1], activation="tanh"), XS) == []
    assert train.dead_relu_units(nn.Layer(3, 4), XS) == []


def test_compiled_training_warns_like_eager_training() -> None:
    pytest.importorskip("numpy")
    from micrograd_kr import train

    for seed in (2, 4):  # the lecture's example under fit's mean squared error: dies
        found = []
        for compiled in (False, True):
            model = nn.MLP(3, [4, 4, 1], seed=seed)
            _, caught = train_recording(
                model, XS, YS, loss="mse", lr=0.1, epochs=100, compiled=compiled
            )
            found.append([(w.category, str(w.message)) for w in caught])
        assert found[0] == found[1]
        assert [kind for kind, _ in found[0]] == [train.DeadReLUWarning]


def test_a_learning_rate_of_10_makes_the_loss_explode_and_fit_says_so() -> None:
    from micrograd_kr import train

    X, y = data.make_moons(100, noise=0.1, seed=0)
    model = nn.MLP(2, [16, 16, 1], seed=0)
    history, caught = train_recording(model, X, y, loss="hinge", lr=10.0, epochs=50)
    first, peak = history.loss[0], max(history.loss)
    assert peak > 100 * first  # orders of magnitude, read off the history
    explosions = [w for w in caught if w.category is train.LossExplosionWarning]
    assert len(explosions) == 1
    warning = explosions[0].message
    assert isinstance(warning, train.LossExplosionWarning)
    assert warning.lr == 10.0 and warning.factor > 100
    text = str(warning)
    assert "발산" in text and "lr=10" in text and "lr=1" in text
    assert explosions[0].filename == __file__


def test_healthy_training_gives_no_warning() -> None:
    # the command line's default moons run and the README's example
    X, y = data.make_moons(100, noise=0.1, seed=0)
    history, caught = train_recording(nn.MLP(2, [16, 16, 1], seed=0), X, y, epochs=50)
    assert caught == [] and history.final_accuracy is not None
    assert history.final_accuracy > 0.8


def test_the_command_line_warns_and_exits_1_when_the_loss_explodes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = main(["train", "--lr", "10", "--no-progress"])
    out, err = capsys.readouterr()
    assert status == 1
    assert "경고: 손실이" in err and "발산" in err
    last = err.strip().splitlines()[-1]
    assert last.startswith("오류: 학습이 발산했습니다")
    assert "--lr 1" in last and "종료 상태 1" in last
    assert "최종 손실" in out  # the run's numbers are still printed


def test_the_command_line_default_run_exits_0_without_a_warning(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["train", "--no-progress"]) == 0
    _, err = capsys.readouterr()
    assert "경고" not in err


def test_warnings_in_english_only_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROGRAD_KR_LANG", "en")
    model = nn.MLP(3, [4, 4, 1], seed=0)
    _, caught = train_recording(
        model, XS, YS, loss=lecture_loss, optimizer="sgd", lr=0.1, epochs=100
    )
    text = str(caught[0].message)
    assert text.startswith("after epoch") and "dead ReLU" in text
    assert not any("가" <= ch <= "힣" for ch in text)
