"""Training end to end: the "Done when" lessons of issue 3, and the fit() helper itself.

Every run uses fixed seeds, so these results are exact and repeatable.
"""

from __future__ import annotations

import random

import pytest

from micrograd_kr import Value, data, nn, optim, train
from micrograd_kr import functional as F


def best_line_mse(X: list[list[float]], y: list[float]) -> float:
    """MSE of the least-squares line y = a·x + b (closed form)."""
    xs = [x[0] for x in X]
    n = len(xs)
    mean_x, mean_y = sum(xs) / n, sum(y) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    sxy = sum((x - mean_x) * (t - mean_y) for x, t in zip(xs, y))
    a = sxy / sxx
    b = mean_y - a * mean_x
    return sum((a * x + b - t) ** 2 for x, t in zip(xs, y)) / n


# --- the lessons -------------------------------------------------------------------------------


def test_moons_hinge_loss_reaches_100_percent_in_100_sgd_steps() -> None:
    X, y = data.make_moons(100, noise=0.1, seed=0)
    model = nn.MLP(2, [16, 16, 1], seed=0)
    opt = optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    history = train.fit(model, X, y, loss="hinge", optimizer=opt, epochs=100, progress=False)
    assert opt.steps == 100  # full batch: one SGD step per epoch
    assert train.accuracy(model, X, y) == 1.0
    assert history.loss[-1] < history.loss[0] / 10


def test_spiral_cross_entropy_adam_reaches_90_percent() -> None:
    X, y = data.make_spiral(30, classes=3, noise=0.05, turns=1.0, seed=0)
    assert len(X) == 90
    model = nn.MLP(2, [16, 16, 3], seed=0)
    history = train.fit(
        model, X, y, loss="cross_entropy", optimizer="adam", lr=0.05, epochs=40, progress=False
    )
    assert train.accuracy(model, X, y) >= 0.9
    assert history.accuracy[0] is not None and history.accuracy[0] < 0.6  # it did learn


def test_relu_fits_a_parabola_and_a_linear_network_cannot() -> None:
    # seed 004: stacking linear layers stays linear; one nonlinearity changes everything
    X, y = data.make_parabola(40, x_range=(-1.0, 1.0), seed=0)
    line = best_line_mse(X, y)

    relu = nn.MLP(1, [16, 16, 1], activation="relu", seed=0)
    train.fit(relu, X, y, loss="mse", optimizer="adam", lr=0.03, epochs=80, progress=False)
    relu_mse, relu_acc = train.evaluate(relu, X, y, loss="mse")
    assert relu_acc is None
    assert relu_mse * 20 <= line

    linear = nn.MLP(1, [16, 16, 1], activation="linear", seed=0)
    train.fit(linear, X, y, loss="mse", optimizer="adam", lr=0.03, epochs=80, progress=False)
    linear_mse, _ = train.evaluate(linear, X, y, loss="mse")
    assert linear_mse >= line * (1 - 1e-9)  # never better than the best straight line ...
    assert linear_mse <= line * 1.01  # ... even though training found that line


# --- fit, predict, accuracy ----------------------------------------------------------------------


def small_problem() -> tuple[nn.MLP, list[list[float]], list[int]]:
    X, y = data.make_moons(20, noise=0.1, seed=1)
    return nn.MLP(2, [8, 1], seed=0), X, y


def test_history_has_one_entry_per_epoch() -> None:
    model, X, y = small_problem()
    history = train.fit(model, X, y, epochs=7, progress=False)
    assert history.epochs == 7
    assert len(history.loss) == len(history.accuracy) == 7
    assert all(0.0 <= a <= 1.0 for a in history.accuracy if a is not None)
    assert repr(history).startswith("History(epochs=7, loss")
    assert repr(train.History()) == "History(epochs=0)"


def test_regression_history_has_no_accuracy() -> None:
    X, y = data.make_linear(10, seed=0)
    history = train.fit(nn.MLP(1, [1], seed=0), X, y, loss="mse", epochs=3, progress=False)
    assert history.accuracy == [None, None, None]
    assert "accuracy" not in repr(history)


def test_full_batch_fit_is_the_explicit_loop() -> None:
    X, y = data.make_moons(12, noise=0.1, seed=2)
    a, b = nn.MLP(2, [4, 1], seed=3), nn.MLP(2, [4, 1], seed=3)
    train.fit(a, X, y, loss="hinge", optimizer="sgd", lr=0.2, epochs=5, progress=False)
    opt = optim.SGD(b.parameters(), lr=0.2)
    for _ in range(5):
        loss = F.hinge_loss([b(x) for x in X], y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert a.state_dict() == b.state_dict()


def test_mini_batches_take_more_steps_and_are_seeded() -> None:
    model, X, y = small_problem()
    opt = optim.SGD(model.parameters(), lr=0.1)
    train.fit(model, X, y, optimizer=opt, epochs=2, batch_size=6, progress=False)
    assert opt.steps == 2 * 4  # 20 samples in batches of 6, 6, 6, 2
    runs = []
    for _ in range(2):
        m, X, y = small_problem()
        train.fit(m, X, y, epochs=2, batch_size=5, seed=7, progress=False)
        runs.append(m.state_dict())
    assert runs[0] == runs[1]
    m, X, y = small_problem()
    train.fit(m, X, y, epochs=2, batch_size=5, seed=random.Random(8), progress=False)
    assert m.state_dict() != runs[0]


def test_progress_bar_can_be_switched_on_and_off(capsys: pytest.CaptureFixture[str]) -> None:
    model, X, y = small_problem()
    train.fit(model, X, y, epochs=3, progress=False)
    assert capsys.readouterr().err == ""
    train.fit(model, X, y, epochs=3, progress=True)
    err = capsys.readouterr().err
    assert "3/3" in err and "loss=" in err and "acc=" in err


def test_lr_schedule_and_callback() -> None:
    model, X, y = small_problem()
    opt = optim.SGD(model.parameters(), lr=1.0)
    seen: list[tuple[int, float]] = []

    def callback(epoch: int, history: train.History) -> bool:
        seen.append((epoch, opt.lr))
        return epoch == 3  # stop early

    history = train.fit(
        model,
        X,
        y,
        optimizer=opt,
        epochs=10,
        lr_schedule=lambda e: 0.1 / (e + 1),
        callback=callback,
        progress=False,
    )
    assert history.epochs == 4
    assert seen == [(e, pytest.approx(0.1 / (e + 1))) for e in range(4)]


def test_bce_uses_logits_or_probabilities() -> None:
    X, y = data.make_moons(30, noise=0.1, seed=4)
    logits = nn.MLP(2, [8, 1], seed=0)
    h1 = train.fit(logits, X, y, loss="bce", optimizer="adam", lr=0.05, epochs=40, progress=False)
    probs = nn.MLP(2, [8, 1], out_activation="sigmoid", seed=0)
    h2 = train.fit(probs, X, y, loss="bce", optimizer="adam", lr=0.05, epochs=40, progress=False)
    # the same network learns the same thing either way (sigmoid inside the loss or the model)
    assert h1.loss == pytest.approx(h2.loss, rel=1e-6)
    assert train.accuracy(logits, X, y) == train.accuracy(probs, X, y) >= 0.85
    assert train.predict_classes(probs, X) == train.predict_classes(logits, X)


def test_predict_and_predict_classes() -> None:
    model = nn.MLP(2, [4, 3], seed=0)
    X = [[0.1, 0.2], [-1.0, 0.5]]
    outputs = train.predict(model, X)
    assert all(isinstance(o, list) and len(o) == 3 for o in outputs)
    assert train.predict_classes(model, X) == [F.argmax(o) for o in outputs]
    single = nn.MLP(2, [4, 1], seed=0)
    scores = train.predict(single, X)
    assert all(isinstance(s, float) for s in scores)
    assert train.predict_classes(single, X) == [int(s > 0) for s in scores]
    assert train.predict_classes(single, X, threshold=100.0) == [0, 0]


def test_accuracy_accepts_plus_minus_one_labels() -> None:
    model, X, y = small_problem()
    pm = [1 if t == 1 else -1 for t in y]
    assert train.accuracy(model, X, y) == train.accuracy(model, X, pm)
    train.fit(model, X, pm, loss="hinge", epochs=2, progress=False)


def test_custom_loss_function() -> None:
    model, X, y = small_problem()
    calls = []

    def loss(outputs: list[Value], targets: list[int]) -> Value:
        calls.append(len(outputs))
        return F.hinge_loss(outputs, targets, margin=0.5)

    train.fit(model, X, y, loss=loss, epochs=2, progress=False)
    assert calls == [20, 20, 20]  # two steps, then the final model measured once more


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"loss": "huber"}, "valid losses are 'hinge', 'mse', 'cross_entropy', 'bce'"),
        ({"optimizer": "rmsprop"}, "unknown optimizer"),
        ({"epochs": -1}, "epochs"),
        ({"batch_size": 0}, "batch_size"),
    ],
)
def test_fit_argument_errors(kwargs: dict, error: str) -> None:
    model, X, y = small_problem()
    with pytest.raises(ValueError, match=error):
        train.fit(model, X, y, progress=False, **kwargs)


def test_fit_data_errors() -> None:
    model, X, y = small_problem()
    with pytest.raises(ValueError, match="20 samples but y has 19"):
        train.fit(model, X, y[:-1], progress=False)
    with pytest.raises(ValueError, match="empty"):
        train.fit(model, [], [], progress=False)
    with pytest.raises(ValueError, match="expects 2 input"):
        train.fit(model, [[1.0, 2.0, 3.0]], [1], progress=False)


def test_divergence_is_reported_with_the_epoch() -> None:
    X, y = data.make_moons(20, noise=0.1, seed=0)
    model = nn.MLP(2, [8, 1], seed=0)
    with pytest.raises(FloatingPointError, match=r"epoch \d+: .*smaller lr"):
        train.fit(model, X, y, loss="mse", lr=1e6, epochs=50, progress=False)


def test_final_numbers_are_measured_after_the_last_update() -> None:
    # one linear neuron, MSE, one full-batch SGD step: the numbers by hand
    model = nn.MLP(1, [1], activation="linear", seed=4)
    w0, b0 = (p.data for p in model.parameters())
    X, y = [[1.0], [2.0], [3.0]], [2.0, 4.0, 6.0]
    history = train.fit(model, X, y, loss="mse", optimizer="sgd", lr=0.01, epochs=1, progress=False)
    errors = [w0 * x[0] + b0 - t for x, t in zip(X, y)]
    w1 = w0 - 0.01 * 2 / 3 * sum(e * x[0] for e, x in zip(errors, X))
    b1 = b0 - 0.01 * 2 / 3 * sum(errors)
    before = sum(e * e for e in errors) / 3
    after = sum((w1 * x[0] + b1 - t) ** 2 for x, t in zip(X, y)) / 3
    assert history.loss == pytest.approx([before], rel=1e-12)  # the epoch mean: before the step
    assert history.final_loss == pytest.approx(after, rel=1e-12)  # the model fit returns
    assert history.final_accuracy is None  # regression
