"""A small training loop for convenience: mini-batches, a progress bar, a loss/accuracy history.

Notebooks show the explicit loop (forward, ``zero_grad``, ``backward``, ``step``) so the
learner sees every step; ``fit`` runs the same loop when the point of a lesson is elsewhere,
and the command line uses it::

    model = nn.MLP(2, [16, 16, 1], seed=0)
    X, y = data.make_moons(100, noise=0.1, seed=1)
    history = fit(model, X, y, loss="hinge", optimizer="sgd", lr=0.1, epochs=100)
    history.loss[-1], history.accuracy[-1]

``fit`` also watches the run and warns (``warnings.warn``, in Korean, with the likely cause
and the remedy) when something goes wrong that the numbers alone do not explain:

* ``DeadReLUWarning``: every unit of a hidden ReLU layer outputs 0 for every training sample
  (dead ReLU, see ``dead_relu_units``): the model's output is a constant and, with no
  gradient through that layer, the loss stops moving;
* ``LossExplosionWarning``: the epoch loss grew to 100 times (two orders of magnitude) the
  first epoch's: the learning rate is too large.

A hand-written loop can call ``dead_relu_units(model, X)`` itself.
"""

from __future__ import annotations

import math
import random
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Union

from . import functional as F
from .engine import DomainError, Value, apply_op, no_grad
from .messages import say
from .nn import MLP, Module
from .optim import SGD, Adam, Optimizer

__all__ = [
    "LOSSES",
    "History",
    "TrainingWarning",
    "DeadReLUWarning",
    "LossExplosionWarning",
    "dead_relu_units",
    "fit",
    "predict",
    "predict_classes",
    "accuracy",
    "evaluate",
    "short_number",
]

LOSSES: tuple[str, ...] = ("hinge", "mse", "cross_entropy", "bce")
_DEFAULT_LR = {"sgd": 0.1, "adam": 0.01}

LossFn = Callable[[list[Any], list[Any]], Value]
Model = Union[Module, Callable[[Any], Any]]

EXPLOSION_FACTOR = 100.0  # "orders of magnitude": an epoch loss 100x the first epoch's


class TrainingWarning(UserWarning):
    """A training run going wrong in a way its numbers alone do not explain."""


class DeadReLUWarning(TrainingWarning):
    """Every unit of a hidden ReLU layer outputs 0 for every training sample (dead ReLU).

    Only a whole dead layer is warned about: a few dead units are common in networks that
    learn well (in the micrograd lecture's example, half of a 4-unit layer died in 10 of 20
    runs that still reached a loss below 0.1), while a whole dead layer leaves a constant.
    """


class LossExplosionWarning(TrainingWarning):
    """The epoch loss grew by orders of magnitude (``EXPLOSION_FACTOR``) over the first.

    ``factor`` is how many times the first epoch's loss it reached, ``lr`` the learning rate.
    """

    def __init__(self, message: str, factor: float = math.inf, lr: float = math.nan) -> None:
        super().__init__(message)
        self.factor = factor
        self.lr = lr


@dataclass
class History:
    """What happened while training: one entry per epoch.

    ``loss[e]`` is the mean training loss of epoch ``e``; ``accuracy[e]`` the fraction of
    training samples classified correctly (None for regression). Both are measured on each
    batch as it is trained, before that batch's update, as most training logs do.

    ``final_loss`` and ``final_accuracy`` are measured once more on all of ``(X, y)`` after
    the last update: the numbers of the model ``fit`` returns (None before any epoch).
    """

    loss: list[float] = field(default_factory=list)
    accuracy: list[float | None] = field(default_factory=list)
    final_loss: float | None = None
    final_accuracy: float | None = None

    @property
    def epochs(self) -> int:
        """How many epochs were run."""
        return len(self.loss)

    def __repr__(self) -> str:
        if not self.loss:
            return "History(epochs=0)"
        text = f"History(epochs={self.epochs}, loss {self.loss[0]:.4g} -> {self.loss[-1]:.4g}"
        first, last = self.accuracy[0], self.accuracy[-1]
        if first is not None and last is not None:
            text += f", accuracy {first:.3f} -> {last:.3f}"
        return text + ")"


# --- outputs, classes and losses ---------------------------------------------------------------


def _unwrap(output: Any) -> Any:
    """A model output as a Value (one output) or a list of Values (several)."""
    if isinstance(output, (list, tuple)) and len(output) == 1:
        return output[0]
    return output


def _sigmoid_output(model: Any) -> bool:
    """True when the model's last activation is a sigmoid, so its outputs are probabilities."""
    name = getattr(model, "out_activation", None) or getattr(model, "activation", None)
    return name == "sigmoid"


def _class_of(output: Any, threshold: float) -> int:
    if isinstance(output, Value):
        return 1 if output.data > threshold else 0
    if isinstance(output, (int, float)):
        return 1 if output > threshold else 0
    return F.argmax(output)


def _label(target: Any, binary: bool) -> int:
    # binary labels may be 0/1 or -1/+1: the positive class is the one above 0
    return (1 if target > 0 else 0) if binary else int(target)


def _loss_function(loss: str | LossFn, model: Any) -> LossFn:
    if callable(loss):
        return loss
    if loss == "hinge":
        return F.hinge_loss
    if loss == "mse":
        return F.mse_loss
    if loss == "cross_entropy":
        return F.cross_entropy
    if loss == "bce":
        # a sigmoid output already is a probability; any other output is a logit
        if _sigmoid_output(model):
            return F.binary_cross_entropy
        return F.binary_cross_entropy_with_logits
    valid = ", ".join(repr(name) for name in LOSSES)
    raise ValueError(say("train.unknown_loss", loss=loss, valid=valid))


def _check_data(X: Sequence[Any], y: Sequence[Any]) -> None:
    if len(X) != len(y):
        raise ValueError(say("train.lengths", n_x=len(X), n_y=len(y)))
    if len(X) == 0:
        raise ValueError(say("train.no_data"))


def _check_class_scores(model: Model, X: Sequence[Any], loss: str | LossFn) -> None:
    """Cross-entropy needs a score per class: refuse a one-output model before any work.

    Checked here, before fit chooses its eager or compiled path, so both give the same error.
    """
    if loss != "cross_entropy":
        return
    with no_grad():
        out = _unwrap(model(X[0]))
    F.check_class_scores(1 if isinstance(out, Value) else len(out), "loss='cross_entropy'")


def _count_correct(outputs: list[Any], targets: Sequence[Any], threshold: float) -> int:
    binary = not isinstance(outputs[0], (list, tuple))
    return sum(_class_of(out, threshold) == _label(t, binary) for out, t in zip(outputs, targets))


# --- public helpers ----------------------------------------------------------------------------


def predict(model: Model, X: Sequence[Any]) -> list[Any]:
    """The model's outputs for every sample, as floats (lists of floats for several outputs).

    Runs under ``no_grad()``, so no graph is built.
    """
    with no_grad():
        outputs = [_unwrap(model(x)) for x in X]
    return [o.data if isinstance(o, Value) else [v.data for v in o] for o in outputs]


def predict_classes(model: Model, X: Sequence[Any], threshold: float | None = None) -> list[int]:
    """A class label for every sample.

    With several outputs: the index of the largest (``argmax``). With one output: 1 if it
    is above ``threshold``, else 0; the threshold defaults to 0.5 for a model whose last
    activation is a sigmoid (a probability) and 0.0 otherwise (a score or logit).
    """
    if threshold is None:
        threshold = 0.5 if _sigmoid_output(model) else 0.0
    with no_grad():
        return [_class_of(_unwrap(model(x)), threshold) for x in X]


def accuracy(
    model: Model, X: Sequence[Any], y: Sequence[Any], threshold: float | None = None
) -> float:
    """Fraction of samples whose predicted class equals the label.

    Binary labels may be 0/1 or -1/+1 (anything above 0 is the positive class).
    """
    _check_data(X, y)
    if threshold is None:
        threshold = 0.5 if _sigmoid_output(model) else 0.0
    with no_grad():
        outputs = [_unwrap(model(x)) for x in X]
    return _count_correct(outputs, y, threshold) / len(y)


def evaluate(
    model: Model, X: Sequence[Any], y: Sequence[Any], loss: str | LossFn = "hinge"
) -> tuple[float, float | None]:
    """``(loss, accuracy)`` of the model on ``(X, y)``, without building a graph.

    Accuracy is None for ``loss="mse"`` (regression).
    """
    _check_data(X, y)
    loss_fn = _loss_function(loss, model)
    _check_class_scores(model, X, loss)
    with no_grad():
        outputs = [_unwrap(model(x)) for x in X]
        value = loss_fn(outputs, list(y)).data
    if loss == "mse":
        return value, None
    threshold = 0.5 if _sigmoid_output(model) else 0.0
    return value, _count_correct(outputs, y, threshold) / len(y)


def dead_relu_units(model: Model, X: Sequence[Any]) -> list[tuple[int, int, int]]:
    """``(layer index, dead units, units)`` for each hidden ReLU layer of an ``nn.MLP``.

    A ReLU unit is dead when its input w·x + b is <= 0 for every sample of ``X``: it outputs 0
    for all of them, so its weights get gradient 0 and training alone never revives it (a unit
    in a deeper layer may revive if the layers below it change). Hidden layers with another
    activation, and models that are not an ``MLP``, are not listed. Runs the layers one by
    one under ``no_grad()`` (nn's float path), without building a graph.

    >>> # model = nn.MLP(3, [4, 4, 1]); dead_relu_units(model, xs) -> [(0, 0, 4), (1, 4, 4)]
    """
    if not isinstance(model, MLP) or model.activation != "relu":
        return []
    found = []
    rows: list[Any] = list(X)
    with no_grad():
        for index, layer in enumerate(model.layers[:-1]):
            outputs = [layer(row) for row in rows]
            # relu(z) > 0 exactly when z > 0: the unit is active for that sample
            alive = [any(out[j].data > 0.0 for out in outputs) for j in range(layer.nout)]
            found.append((index, alive.count(False), layer.nout))
            rows = [[v.data for v in out] for out in outputs]
    return found


class _Watch:
    """What fit warns about while it trains: dead ReLU layers, an exploding loss.

    The loss is compared every epoch (free: fit has it). Dead units cost a forward pass over
    the data, so they are counted after epochs 1, 2, 4, 8, ... and the last one: a few passes
    in all. Each warning is given at most once per run.
    """

    def __init__(
        self, opt: Optimizer, count_dead: Callable[[], list[tuple[int, int, int]]]
    ) -> None:
        self.opt = opt
        self.count_dead = count_dead
        self.warned_dead = False
        self.exploded = False

    def after_epoch(self, epoch: int, history: History, last: bool) -> None:
        done = epoch + 1
        self.loss(history.loss[0], history.loss[-1], done, depth=1)
        if last or done & (done - 1) == 0:  # a power of two
            self.dead(done)

    def loss(self, first: float, loss: float, done: int, depth: int = 0) -> None:
        """Warn once if ``loss`` is orders of magnitude above the first epoch's.

        ``depth``: calls between fit and here, so that the warning points at fit's caller.
        """
        if self.exploded or not first > 0.0 or not loss > EXPLOSION_FACTOR * first:
            return
        self.exploded = True
        lr = self.opt.lr
        text = say(
            "train.loss_exploded",
            epoch=done,
            first=short_number(first),
            loss=short_number(loss),
            factor=loss / first,
            lr=lr,
            smaller=lr / 10,
        )
        warning = LossExplosionWarning(text, factor=loss / first, lr=lr)
        warnings.warn(warning, stacklevel=3 + depth)

    def dead(self, done: int) -> None:
        """Warn once if every unit of a hidden ReLU layer is dead: the lowest such layer (the
        layers above it then only see zeros)."""
        if self.warned_dead:
            return
        for index, dead, units in self.count_dead():
            if dead == units:
                self.warned_dead = True
                text = say("train.dead_relu", index=index, units=units, epoch=done)
                text += " " + say("train.dead_relu_remedy", smaller=self.opt.lr / 10)
                warnings.warn(text, DeadReLUWarning, stacklevel=4)  # dead <- after_epoch <- fit
                return


def _make_optimizer(model: Model, optimizer: str | Optimizer, lr: float | None) -> Optimizer:
    if isinstance(optimizer, Optimizer):
        if lr is not None:
            optimizer.lr = lr
        return optimizer
    if not isinstance(model, Module):
        raise TypeError(say("train.optimizer_needed"))
    if optimizer not in _DEFAULT_LR:
        raise ValueError(say("train.unknown_optimizer", optimizer=optimizer))
    rate = _DEFAULT_LR[optimizer] if lr is None else lr
    if optimizer == "sgd":
        return SGD(model.parameters(), lr=rate)
    return Adam(model.parameters(), lr=rate)


def fit(
    model: Model,
    X: Sequence[Any],
    y: Sequence[Any],
    loss: str | LossFn = "hinge",
    optimizer: str | Optimizer = "sgd",
    lr: float | None = None,
    epochs: int = 100,
    batch_size: int | None = None,
    shuffle: bool = True,
    seed: int | random.Random = 0,
    lr_schedule: Callable[[int], float] | None = None,
    progress: bool = True,
    callback: Callable[[int, History], Any] | None = None,
    compiled: bool = False,
) -> History:
    """Train ``model`` on ``(X, y)`` and return the per-epoch ``History``.

    Args:
        model: an ``nn.Module`` (or any callable taking one sample, with an Optimizer given).
        X, y: samples (lists of features) and targets, as returned by ``micrograd_kr.data``.
        loss: ``"hinge"`` (labels 0/1 or -1/+1, one output), ``"mse"`` (regression),
            ``"cross_entropy"`` (int labels, one output per class, raw scores),
            ``"bce"`` (labels 0/1, one output: a logit, or a probability if the model ends in
            a sigmoid), or a function ``loss(outputs, targets) -> Value``.
        optimizer: ``"sgd"`` (default lr 0.1), ``"adam"`` (default lr 0.01), or an
            ``optim.Optimizer`` built on the model's parameters (e.g. with momentum).
        lr: learning rate; overrides the optimizer's.
        epochs: passes over the data. With ``batch_size=None`` an epoch is one step on the
            whole data set, so ``epochs`` is also the number of optimizer steps.
        batch_size: samples per step; None for full batch.
        shuffle: reshuffle the samples every epoch (mini-batches only), seeded by ``seed``.
        lr_schedule: ``lr_schedule(epoch) -> lr``, called before each epoch (0-based).
        progress: show a tqdm progress bar; False for none (tests, scripts).
        callback: ``callback(epoch, history)`` after each epoch; e.g. to plot or stop early
            (return True to stop).
        compiled: trace the loss of one sample once (its targets as inputs), lift it to matrix
            code (``micrograd_kr.lift``) and run every mini-batch through that program: the
            same optimizer, history and progress bar, much faster. Needs NumPy and one of the
            named losses.

    A step is ``loss = loss_fn(outputs, targets)``; ``optimizer.zero_grad()``;
    ``loss.backward()``; ``optimizer.step()``. The loss is the mean over a batch.

    Raises ``FloatingPointError`` when training diverges (an overflow in the forward or
    backward pass, or a parameter that became inf or nan), naming the epoch. Warns
    ``LossExplosionWarning`` when the loss grows 100-fold before that, and ``DeadReLUWarning``
    when a whole hidden ReLU layer outputs 0 for every sample (checked after epochs 1, 2, 4,
    8, ... and the last).
    """
    _check_data(X, y)
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 0:
        raise ValueError(say("train.epochs", epochs=epochs))
    if batch_size is not None and (
        isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1
    ):
        raise ValueError(say("train.batch_size", batch_size=batch_size))
    loss_fn = _loss_function(loss, model)
    _check_class_scores(model, X, loss)
    opt = _make_optimizer(model, optimizer, lr)
    classify = loss != "mse"
    threshold = 0.5 if _sigmoid_output(model) else 0.0
    rng = seed if isinstance(seed, random.Random) else random.Random(seed)
    n = len(X)
    size = n if batch_size is None else min(batch_size, n)
    order = list(range(n))
    history = History()

    runner = _CompiledBatches(model, X, y, loss, opt, threshold) if compiled else None
    run_batch = (
        runner.run
        if runner is not None
        else _eager_batches(model, X, y, loss_fn, opt, classify, threshold)
    )

    def count_dead() -> list[tuple[int, int, int]]:
        return runner.dead_relu_units(model) if runner is not None else dead_relu_units(model, X)

    watch = _Watch(opt, count_dead)

    from tqdm import tqdm  # imported here: only training needs it

    # updated by hand (not iterated) so it stays open for the final numbers after the loop
    bar = tqdm(total=epochs, desc=say("train.progress"), unit="epoch", disable=not progress)
    for epoch in range(epochs):
        if lr_schedule is not None:
            opt.lr = float(lr_schedule(epoch))
        if shuffle and size < n:
            rng.shuffle(order)
        total, correct = 0.0, 0
        for start in range(0, n, size):
            batch = order[start : start + size]
            try:
                value, batch_correct = run_batch(batch)
            except DomainError as exc:
                # almost always overflow from a too-large learning rate
                raise FloatingPointError(_diverged(f"epoch {epoch}", exc)) from exc
            opt.step()
            if not all(math.isfinite(p.data) for p in opt.params):
                raise FloatingPointError(
                    f"epoch {epoch}: "
                    + say("train.param_not_finite")
                    + ", "
                    + say("shared.smaller_lr")
                )
            total += value * len(batch)
            correct += batch_correct
        history.loss.append(total / n)
        history.accuracy.append(correct / n if classify else None)
        postfix = {"loss": f"{history.loss[-1]:.4g}"}  # short even for a diverging loss
        if classify:
            postfix["acc"] = f"{correct / n:.3f}"
        bar.set_postfix(postfix, refresh=False)
        bar.update(1)
        stop = callback is not None and callback(epoch, history) is True
        watch.after_epoch(epoch, history, last=stop or epoch == epochs - 1)
        if stop:
            break
    if history.loss:
        # the epoch means above were taken before each update; measure the final model once
        try:
            if runner is not None:  # the same numbers, through the compiled program
                history.final_loss, history.final_accuracy = runner.evaluate()
            else:
                history.final_loss, history.final_accuracy = evaluate(model, X, y, loss=loss)
        except DomainError as exc:
            raise FloatingPointError(_diverged(say("train.after_last_epoch"), exc)) from exc
        if not classify:
            history.final_accuracy = None
        watch.loss(history.loss[0], history.final_loss, len(history.loss))
        final = {"final_loss": short_number(history.final_loss)}
        if history.final_accuracy is not None:
            final["final_acc"] = f"{history.final_accuracy:.3f}"
        bar.set_postfix(final, refresh=True)
    bar.close()
    return history


def _diverged(when: str, exc: Exception) -> str:
    """The error of a training run that overflowed (almost always a too-large lr)."""
    return f"{when}: " + say("shared.diverged") + ", " + say("shared.smaller_lr") + f": {exc}"


def short_number(x: float) -> str:
    """A loss as people read it: 0.4191 (four decimals); a huge one as 7.835e+307."""
    return f"{x:.4f}" if abs(x) < 1e6 else f"{x:.4g}"


BatchRunner = Callable[[list[int]], tuple[float, int]]


def _eager_batches(
    model: Model,
    X: Sequence[Any],
    y: Sequence[Any],
    loss_fn: LossFn,
    opt: Optimizer,
    classify: bool,
    threshold: float,
) -> BatchRunner:
    """One mini-batch on the engine: forward, zero_grad, backward; (loss, correct)."""

    def run(batch: list[int]) -> tuple[float, int]:
        targets = [y[i] for i in batch]
        outputs = [_unwrap(model(X[i])) for i in batch]
        value = loss_fn(outputs, targets)
        opt.zero_grad()
        value.backward()
        correct = _count_correct(outputs, targets, threshold) if classify else 0
        return value.data, correct

    return run


class _CompiledBatches:
    """``fit(compiled=True)``: the loss of one sample, traced once and lifted to matrix code.

    The targets become inputs of the traced function (one column each: a +-1 sign for the
    binary hinge loss, a one-hot row for classes), so one program serves every batch. Each
    per-sample loss below is the formula of the matching loss in ``functional``, written
    with the target as a Value instead of a constant.
    """

    def __init__(
        self,
        model: Model,
        X: Sequence[Any],
        y: Sequence[Any],
        loss: str | LossFn,
        opt: Optimizer,
        threshold: float,
    ) -> None:
        from .compiler import Lifted, numpy_or_none, trace

        np = numpy_or_none()
        if np is None:
            raise ImportError(say("shared.needs_numpy", what="fit(compiled=True)"))
        if callable(loss) or loss not in LOSSES:
            raise ValueError(say("train.named_losses", losses=LOSSES, loss=loss))
        self.np = np
        self.loss = loss
        self.opt = opt
        self.threshold = threshold
        self.sigmoid = _sigmoid_output(model)
        features = self._features(model, X)
        self.nin = features.shape[1]
        with no_grad():
            first = _unwrap(model(list(features[0])))
        self.nout = 1 if isinstance(first, Value) else len(first)
        failure: TypeError | ValueError | None = None
        try:
            self.labels = (
                np.array([_label(t, self.nout == 1) for t in y]) if loss != "mse" else None
            )
            targets = self._encode(y)
        except (TypeError, ValueError) as exc:
            failure = exc
        if failure is not None:
            evaluate(model, X, y, loss=loss)  # the eager path's own error for these targets
            raise failure  # (stricter here than there)
        _check_finite(np, targets, lambda i, j: f"y[{i}]")
        self.data = np.column_stack([features, targets])
        self.params = model.parameters() if isinstance(model, Module) else list(opt.params)
        outputs: list[Value] = []

        def per_sample(*values: Value) -> Value:
            out = _unwrap(model(list(values[: self.nin])))
            outs = [out] if isinstance(out, Value) else list(out)
            if not outputs:  # the traced call's; the self-check's eager runs add nothing
                outputs.extend(outs)
            return self._loss(outs, list(values[self.nin :]))

        tr = trace(per_sample, list(self.data[0]), params=self.params)
        # the first step is compared with the eager engine (a model reading .data is caught)
        self.program = Lifted(tr, per_sample, extras=list(outputs), check="first")
        self.program._self_check()
        self.index = {p: i for i, p in enumerate(self.params)}

    def _features(self, model: Model, X: Sequence[Any]) -> Any:
        """X as a samples x features float array, refused as the eager path refuses it."""
        np = self.np
        try:
            features = np.asarray(X)
        except ValueError:  # rows of different lengths
            features = None
        if features is None or features.dtype.kind not in "fiu" or features.ndim > 2:
            # ragged rows, strings, ...: the model's own error for the first row it refuses
            with no_grad():
                for i, row in enumerate(X):
                    try:
                        model(row)
                    except (TypeError, ValueError) as exc:  # DomainError is a ValueError
                        raise type(exc)(say("train.sample_of_x", i=i) + f": {exc}") from None
            try:
                features = np.asarray(X, dtype=float)
            except (TypeError, ValueError):
                raise ValueError(say("train.x_not_numbers")) from None
        features = features.astype(float, copy=False)
        if features.ndim == 1:
            features = features[:, None]
        _check_finite(np, features, lambda i, j: f"X[{i}][{j}]")
        return features

    def _encode(self, y: Sequence[Any]) -> Any:
        """The targets as columns of numbers, checked as the eager losses check them."""
        np = self.np
        k, loss = self.nout, self.loss
        if loss == "mse":
            t = np.asarray(y, dtype=float)
            return t.reshape(len(y), k)
        if loss == "bce":
            t = np.asarray(y, dtype=float)
            if k != 1 or t.ndim != 1 or ((t < 0) | (t > 1)).any():
                raise ValueError("bce: " + say("train.bce_targets"))
            return t[:, None]
        if loss == "hinge" and k == 1:
            t = np.asarray(y, dtype=float)
            if t.ndim != 1 or not np.isin(t, (-1.0, 0.0, 1.0)).all():
                # the first label that is not one, or the first target when they are not numbers
                bad = t[~np.isin(t, (-1.0, 0.0, 1.0))] if t.ndim == 1 else None
                got = repr(float(bad[0])) if bad is not None else repr(y[0])
                raise ValueError("hinge_loss: " + say("functional.binary_labels", y=got))
            return np.where(t > 0, 1.0, -1.0)[:, None]
        if k == 1:
            raise ValueError(f"{loss}: " + say("train.several_outputs"))
        labels = [F._class_index(t, k, str(loss)) for t in y]
        return np.eye(k)[labels]

    def _loss(self, outs: list[Value], t: list[Value]) -> Value:
        """The loss of one sample, the formula of ``functional``, with Value targets."""
        k = len(outs)
        if self.loss == "mse":
            terms = [(o - ti) ** 2 for o, ti in zip(outs, t)]
            total = terms[0] if k == 1 else apply_op("sum", *terms)
            return total / k if k > 1 else total
        if self.loss == "bce":
            z, y = outs[0], t[0]
            if self.sigmoid:
                return -y * F._bce_log(z) - (1.0 - y) * F._bce_log(1.0 - z)
            return z.softplus() - z * y
        if self.loss == "hinge" and k == 1:
            return (1.0 - t[0] * outs[0]).relu()
        picked = apply_op("dot", *t, *outs)  # the score of the target class
        if self.loss == "hinge":
            # sum over i != y of relu(1 - s_y + s_i), as the sum over all i minus the i = y
            # term, which is relu(1) = 1
            parts = [(o - picked + 1.0).relu() for o in outs]
            return (apply_op("sum", *parts) - 1.0) / k
        # cross-entropy: logsumexp(z) - z_y, with the max taken per sample (no overflow)
        m = outs[0]
        for o in outs[1:]:
            m = m.maximum(o)
        exps = [(o - m).exp() for o in outs]
        return apply_op("sum", *exps).log() - (picked - m)  # the order of F.cross_entropy

    def run(self, batch: list[int]) -> tuple[float, int]:
        """One mini-batch: its mean loss, the gradients into ``.grad``; (loss, correct)."""
        rows = self.data[batch]
        P = self.np.array([p.data for p in self.params])
        value, grads, outputs = self.program.step(rows, P)
        self.opt.zero_grad()
        for p, g in zip(self.params, grads.tolist()):
            p.grad = g
        return value, self._correct(outputs, batch)

    def evaluate(self) -> tuple[float, float | None]:
        """``(loss, accuracy)`` of the current model on all the data, as ``evaluate`` gives."""
        P = self.np.array([p.data for p in self.params])
        value, _, outputs = self.program.step(self.data, P)
        if self.labels is None:
            return value, None
        return value, self._correct(outputs, list(range(len(self.data)))) / len(self.data)

    def dead_relu_units(self, model: Model) -> list[tuple[int, int, int]]:
        """``dead_relu_units(model, X)`` on the whole batch at once, with NumPy.

        Each layer is X @ W.T + b and then the relu row of ``ops.py`` run on arrays.
        """
        if not isinstance(model, MLP) or model.activation != "relu":
            return []
        from .compiler import NumpyMath
        from .ops import OPS

        np = self.np
        relu = OPS["relu"].forward
        numpy_math = NumpyMath(np)
        found = []
        rows = self.data[:, : self.nin]
        for index, layer in enumerate(model.layers[:-1]):
            W = np.array([[w.data for w in n.w] for n in layer.neurons])
            b = np.array([n.b.data for n in layer.neurons])
            z = rows @ W.T + b
            alive = (z > 0.0).any(axis=0)
            found.append((index, int((~alive).sum()), layer.nout))
            rows = relu(numpy_math, z)
        return found

    def _correct(self, outputs: Any, batch: list[int]) -> int:
        if self.labels is None:
            return 0
        if self.nout == 1:
            predicted = (outputs[:, 0] > self.threshold).astype(int)
        else:
            predicted = outputs.argmax(axis=1)  # the first of equal scores, as F.argmax
        return int((predicted == self.labels[batch]).sum())


def _check_finite(np: Any, data: Any, name: Callable[[int, int], str]) -> None:
    """Refuse a NaN or inf in the training data, naming the sample, with the engine's words."""
    finite = np.isfinite(data)
    if finite.all():
        return
    i, j = (int(k) for k in np.argwhere(~finite)[0])
    try:
        Value(float(data[i, j]))  # the engine's error for this number
    except DomainError as exc:
        where = name(i, j)
        raise DomainError(say("train.training_data", where=where) + f": {exc}") from None
