"""Compiled (lifted) training against PyTorch, and the digits training (issue 16).

Used by ``bench.py``; run alone to print the numbers without touching RESULTS.md:

    python benchmarks/lifted_workload.py

The moons step: MLP 2-16-16-1 (ReLU), mean hinge loss relu(1 - y·score), one SGD step
(lr 0.05), on N samples. micrograd_kr traces the loss of ONE sample once (the label is an input),
lifts it to matrix code (``compile(..., lift=True)``), and runs the whole batch through it; the
optimizer is micrograd_kr's ``optim.SGD`` on the model's Parameters. PyTorch runs the same model
(``model.to_torch()``, float64) with ``torch.optim.SGD``, on one thread. Both steps are checked
to give the same loss and gradients (1e-9) before anything is timed, and the same weights after.

NumPy's BLAS is limited to one thread too (OPENBLAS_NUM_THREADS=1, set before NumPy loads):
on a shared 2-core machine, BLAS threads fighting other jobs make a 16x16 matrix product
hundreds of times slower.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import gc
import time
import tracemalloc
from dataclasses import dataclass
from typing import Any

import numpy as np
from timing import median_times

from micrograd_kr import Value, data, nn, optim, train
from micrograd_kr.compiler import compile

try:
    import torch
except ImportError:  # PyTorch is optional: the comparison says "not installed"
    torch = None

LR = 0.05
SIZES = [16, 16, 1]


def moons(n: int) -> tuple[Any, Any]:
    X, labels = data.make_moons(n, noise=0.1, seed=0)
    return np.array(X), np.array([1.0 if c == 1 else -1.0 for c in labels])


class LiftedMoons:
    """The moons step through the lifted program, with micrograd_kr's SGD."""

    def __init__(self, model: nn.MLP, X: Any, y: Any) -> None:
        self.params = model.parameters()

        def per_sample(a: Value, b: Value, t: Value) -> Value:
            return (1.0 - t * model([a, b])).relu()

        t0 = time.perf_counter()
        self.compiled = compile(per_sample, [0.0, 0.0, 1.0], params=self.params, lift=True)
        self.compiled.step(np.zeros((1, 3)))  # builds the training program too
        self.compile_seconds = time.perf_counter() - t0
        self.data = np.column_stack([X, y])
        self.opt = optim.SGD(self.params, lr=LR)

    def loss_and_grads(self) -> tuple[float, Any]:
        P = np.array([p.data for p in self.params])
        loss, grads, _ = self.compiled.step(self.data, P)
        return loss, grads

    def step(self) -> None:
        _, grads = self.loss_and_grads()
        for p, g in zip(self.params, grads.tolist()):
            p.grad = g
        self.opt.step()


class TorchMoons:
    def __init__(self, model: nn.MLP, X: Any, y: Any) -> None:
        assert torch is not None
        self.model = model.to_torch()
        self.X = torch.tensor(X, dtype=torch.float64)
        self.y = torch.tensor(y, dtype=torch.float64)
        self.opt = torch.optim.SGD(self.model.parameters(), lr=LR)

    def loss(self) -> Any:
        return torch.relu(1.0 - self.y * self.model(self.X).squeeze(1)).mean()

    def step(self) -> None:
        self.opt.zero_grad()
        self.loss().backward()
        self.opt.step()

    def grads(self) -> list[float]:
        """Gradients in micrograd_kr's parameter order (per neuron: weights, then bias)."""
        out: list[float] = []
        linears = [m for m in self.model if isinstance(m, torch.nn.Linear)]
        for lin in linears:
            for w, b in zip(lin.weight.grad.tolist(), lin.bias.grad.tolist()):
                out.extend(w)
                out.append(b)
        return out

    def weights(self) -> list[float]:
        out: list[float] = []
        for lin in [m for m in self.model if isinstance(m, torch.nn.Linear)]:
            for w, b in zip(lin.weight.tolist(), lin.bias.tolist()):
                out.extend(w)
                out.append(b)
        return out


class ScalarMoons:
    """The same step through the scalar compiled program (one line per node), for contrast."""

    def __init__(self, model: nn.MLP, X: Any, y: Any) -> None:
        self.params = model.parameters()

        def per_sample(a: Value, b: Value, t: Value) -> Value:
            return (1.0 - t * model([a, b])).relu()

        self.compiled = compile(per_sample, [0.0, 0.0, 1.0], params=self.params)
        self.columns = (X[:, 0], X[:, 1], y)
        self.opt = optim.SGD(self.params, lr=LR)

    def step(self) -> None:
        _, grads = self.compiled(*self.columns, reduce="mean")
        for p, g in zip(self.params, grads[3:]):
            p.grad = g
        self.opt.step()


@dataclass
class MoonsResult:
    n: int
    lifted_ms: float
    torch_ms: float | None
    loss_diff: float | None
    grad_diff: float | None
    scalar_ms: float | None = None


def moons_vs_torch(n: int, reps: int) -> MoonsResult:
    X, y = moons(n)
    model = nn.MLP(2, SIZES, activation="relu", seed=0)
    lifted = LiftedMoons(model, X, y)
    if torch is None:
        t = median_times({"lifted": lifted.step}, reps)
        return MoonsResult(n, t["lifted"] * 1e3, None, None, None)
    torch.set_num_threads(1)
    ref = TorchMoons(model, X, y)
    # the same loss and gradients before timing ...
    loss, grads = lifted.loss_and_grads()
    ref.opt.zero_grad()
    t_loss = ref.loss()
    t_loss.backward()
    loss_diff = abs(loss - float(t_loss.detach()))
    grad_diff = float(np.max(np.abs(grads - np.array(ref.grads()))))
    if loss_diff > 1e-9 or grad_diff > 1e-9:
        raise AssertionError(f"N={n}: lifted and PyTorch differ ({loss_diff}, {grad_diff})")
    scalar = ScalarMoons(nn.MLP(2, SIZES, activation="relu", seed=0), X, y)  # its own copy
    fns = {"lifted": lifted.step, "torch": ref.step, "scalar": scalar.step}
    t = median_times(fns, reps)
    # ... and the same weights after the same number of SGD steps
    w = np.array([p.data for p in lifted.params])
    if float(np.max(np.abs(w - np.array(ref.weights())))) > 1e-9:
        raise AssertionError(f"N={n}: weights differ after the timed steps")
    if float(np.max(np.abs(w - np.array([p.data for p in scalar.params])))) > 1e-9:
        raise AssertionError(f"N={n}: the scalar program's weights differ after the steps")
    ms = {k: v * 1e3 for k, v in t.items()}
    return MoonsResult(n, ms["lifted"], ms["torch"], loss_diff, grad_diff, ms["scalar"])


def step_memory(n: int) -> dict[str, float]:
    """Peak bytes (tracemalloc) of one gradient evaluation at N samples: lifted vs scalar."""
    X, y = moons(n)
    model = nn.MLP(2, SIZES, activation="relu", seed=0)
    lifted = LiftedMoons(model, X, y)
    scalar = compile(
        lambda a, b, t: (1.0 - t * model([a, b])).relu(),
        [0.0, 0.0, 1.0],
        params=model.parameters(),
    )
    columns = [X[:, 0], X[:, 1], y]
    out = {}
    for name, fn in (
        ("lifted", lifted.loss_and_grads),
        ("scalar", lambda: scalar(*columns, reduce="mean")),
    ):
        fn()
        gc.collect()
        tracemalloc.start()
        try:
            fn()
            out[name] = float(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
    return out


@dataclass
class DigitsResult:
    epochs: int
    wall_s: float
    accuracy: float
    train_accuracy: float
    torch_accuracy: float | None
    shuffled_accuracy: float


def fit_digits(model: nn.MLP, X: Any, y: Any, epochs: int, seed: int) -> train.History:
    """The issue's digits recipe: cross-entropy, Adam (lr 0.01), batches of 64, compiled."""
    return train.fit(
        model,
        X,
        y,
        loss="cross_entropy",
        optimizer="adam",
        lr=0.01,
        epochs=epochs,
        batch_size=64,
        seed=seed,
        progress=False,
        compiled=True,
    )


def digits_training(epochs: int = 20, seed: int = 0) -> DigitsResult:
    """MLP(64, [32, 10]), cross-entropy, Adam (lr 0.01), batches of 64, ``fit(compiled=True)``.

    Trained on the first 1,500 samples, tested on the other 297 (wall time includes loading,
    tracing and compiling). For reference, the same recipe in PyTorch on the same split, and
    micrograd_kr on a seeded random split of the same sizes.
    """
    t0 = time.perf_counter()
    X, y = data.load_digits()
    model = nn.MLP(64, [32, 10], activation="relu", seed=seed)
    history = fit_digits(model, X[:1500], y[:1500], epochs, seed)
    wall = time.perf_counter() - t0
    accuracy = train.accuracy(model, X[1500:], y[1500:])
    train_accuracy = history.accuracy[-1] or 0.0

    Xtr, Xte, ytr, yte = data.train_test_split(X, y, test_fraction=297 / 1797, seed=seed)
    shuffled = nn.MLP(64, [32, 10], activation="relu", seed=seed)
    fit_digits(shuffled, Xtr, ytr, epochs, seed)
    shuffled_accuracy = train.accuracy(shuffled, Xte, yte)
    return DigitsResult(
        epochs, wall, accuracy, train_accuracy, torch_digits(X, y, epochs, seed), shuffled_accuracy
    )


def torch_digits(X: Any, y: Any, epochs: int, seed: int) -> float | None:
    if torch is None:
        return None
    torch.manual_seed(seed)
    model = nn.MLP(64, [32, 10], activation="relu", seed=seed).to_torch()
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    Xt, yt = torch.tensor(X, dtype=torch.float64), torch.tensor(y)
    gen = torch.Generator().manual_seed(seed)
    for _ in range(epochs):
        order = torch.randperm(1500, generator=gen)
        for i in range(0, 1500, 64):
            idx = order[i : i + 64]
            opt.zero_grad()
            torch.nn.functional.cross_entropy(model(Xt[idx]), yt[idx]).backward()
            opt.step()
    with torch.no_grad():
        return float((model(Xt[1500:]).argmax(1) == yt[1500:]).double().mean())


if __name__ == "__main__":
    for n in (100, 1000, 10000):
        r = moons_vs_torch(n, 21 if n < 10000 else 9)
        ratio = f"{r.torch_ms / r.lifted_ms:.2f}" if r.torch_ms else "-"
        print(f"N={n}: lifted {r.lifted_ms:.3f} ms, torch {r.torch_ms} ms, ratio {ratio}")
    print(step_memory(10000))
    print(digits_training())
