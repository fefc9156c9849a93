"""``fit(compiled=True)``: the same training as the eager ``fit``, through the lifted program.

The eager ``fit`` is the witness: with the same seed, data, optimizer and batches, the
compiled run must give the same history and the same weights to 1e-9.
"""

from __future__ import annotations

from typing import Any

import pytest

from micrograd_kr import cli, data, nn, optim, train

np = pytest.importorskip("numpy")


def run(compiled: bool, make_model: Any, X: Any, y: Any, **kwargs: Any) -> tuple[Any, list[float]]:
    model = make_model()
    opt = kwargs.pop("make_opt", None)
    if opt is not None:
        kwargs["optimizer"] = opt(model)
    history = train.fit(model, X, y, progress=False, compiled=compiled, **kwargs)
    return history, [p.data for p in model.parameters()]


def assert_same_training(make_model: Any, X: Any, y: Any, **kwargs: Any) -> None:
    h0, w0 = run(False, make_model, X, y, **dict(kwargs))
    h1, w1 = run(True, make_model, X, y, **dict(kwargs))
    assert h1.epochs == h0.epochs
    assert h1.loss == pytest.approx(h0.loss, rel=1e-9, abs=1e-12)
    assert h1.accuracy == h0.accuracy
    assert w1 == pytest.approx(w0, rel=1e-9, abs=1e-12)
    # the final model, measured after the loop (through the compiled program when compiled)
    assert h1.final_loss == pytest.approx(h0.final_loss, rel=1e-9, abs=1e-12)
    assert h1.final_accuracy == h0.final_accuracy
    assert h0.loss[-1] < h0.loss[0]  # it did train


MOONS = data.make_moons(64, noise=0.15, seed=3)
SPIRAL = data.make_spiral(16, 3, noise=0.1, seed=2)


@pytest.mark.parametrize("activation", ["relu", "tanh", "leaky_relu"])
def test_hinge_sgd_minibatches(activation: str) -> None:
    X, y = MOONS
    assert_same_training(
        lambda: nn.MLP(2, [8, 8, 1], activation=activation, seed=1),
        X,
        y,
        loss="hinge",
        optimizer="sgd",
        lr=0.1,
        epochs=4,
        batch_size=16,
    )


def test_cross_entropy_adam_with_momentum_free_schedule() -> None:
    X, y = SPIRAL
    assert_same_training(
        lambda: nn.MLP(2, [12, 3], activation="elu", seed=2),
        X,
        y,
        loss="cross_entropy",
        optimizer="adam",
        lr=0.02,
        epochs=4,
        batch_size=10,
        lr_schedule=lambda e: 0.02 / (1 + e),
    )


def test_multiclass_hinge_and_sgd_momentum() -> None:
    X, y = SPIRAL
    assert_same_training(
        lambda: nn.MLP(2, [8, 3], activation="tanh", seed=4),
        X,
        y,
        loss="hinge",
        make_opt=lambda m: optim.SGD(m.parameters(), lr=0.05, momentum=0.9, weight_decay=1e-3),
        epochs=3,
        batch_size=12,
    )


@pytest.mark.parametrize("out_activation", [None, "sigmoid"])
def test_binary_cross_entropy(out_activation: str | None) -> None:
    X, y = MOONS
    assert_same_training(
        lambda: nn.MLP(2, [6, 1], activation="relu", out_activation=out_activation, seed=5),
        X,
        y,
        loss="bce",
        optimizer="adam",
        lr=0.05,
        epochs=3,
        batch_size=20,
    )


def test_mse_regression_full_batch_and_several_outputs() -> None:
    X, y = data.make_parabola(40, noise=0.05, seed=1)
    assert_same_training(
        lambda: nn.MLP(1, [8, 1], activation="sigmoid", seed=6),
        X,
        y,
        loss="mse",
        optimizer="sgd",
        lr=0.1,
        epochs=5,
    )
    targets = [[a[0], a[0] * a[0]] for a in X]
    assert_same_training(
        lambda: nn.MLP(1, [5, 2], activation="tanh", seed=7),
        X,
        targets,
        loss="mse",
        optimizer="adam",
        epochs=3,
        batch_size=8,
    )


def test_maxout_network() -> None:
    X, y = MOONS
    assert_same_training(
        lambda: nn.MLP(2, [4, 1], activation="maxout", seed=8),
        X,
        y,
        loss="hinge",
        optimizer="sgd",
        lr=0.05,
        epochs=3,
        batch_size=32,
    )


def test_callback_can_stop_and_progress_bar_runs() -> None:
    X, y = MOONS
    model = nn.MLP(2, [4, 1], seed=0)
    seen: list[int] = []

    def stop_after_two(epoch: int, history: train.History) -> bool:
        seen.append(epoch)
        return epoch == 1

    history = train.fit(
        model, X, y, epochs=10, compiled=True, callback=stop_after_two, progress=True
    )
    assert seen == [0, 1] and history.epochs == 2


def test_custom_loss_function_is_refused_with_a_clear_message() -> None:
    X, y = MOONS
    model = nn.MLP(2, [4, 1], seed=0)
    with pytest.raises(ValueError, match="named losses"):
        train.fit(model, X, y, loss=lambda o, t: o[0], compiled=True, progress=False)


def test_bad_labels_are_refused_as_the_eager_loss_does() -> None:
    X, _ = MOONS
    model = nn.MLP(2, [4, 1], seed=0)
    with pytest.raises(ValueError, match="binary labels"):
        train.fit(model, X, [2] * len(X), loss="hinge", compiled=True, progress=False)
    with pytest.raises(ValueError, match="out of range"):
        train.fit(nn.MLP(2, [4, 3], seed=0), X, [5] * len(X), loss="cross_entropy", compiled=True)


def test_divergence_is_a_floating_point_error() -> None:
    X, y = MOONS
    model = nn.MLP(2, [8, 1], activation="relu", seed=0)
    with pytest.raises(FloatingPointError, match="epoch"):
        train.fit(
            model,
            X,
            y,
            loss="mse",
            optimizer="sgd",
            lr=1e30,
            epochs=50,
            compiled=True,
            progress=False,
        )


def test_cli_train_compiled(capsys: pytest.CaptureFixture[str]) -> None:
    status = cli.main(["train", "--compiled", "--epochs", "20", "--no-progress"])
    out = capsys.readouterr().out
    assert status == 0
    assert "최종 손실" in out
    eager = cli.main(["train", "--epochs", "20", "--no-progress"])
    assert eager == 0
    # the same numbers as the eager run, printed the same way
    assert capsys.readouterr().out.splitlines()[-1] == out.splitlines()[-1]
