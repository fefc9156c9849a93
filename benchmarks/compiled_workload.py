"""The micrograd demo step (MLP 2-16-16-1 on 100 moons samples) through the compiled batch path.

The per-sample part -- one sample through the network, giving its score -- is traced ONCE with
``micrograd_kr.compiler``. The generated forward/backward code then runs on NumPy arrays that
hold all 100 samples, so every line of it handles the whole batch. Around it, in NumPy:

* hinge loss  mean_i relu(1 - y_i * score_i)  and its derivative with respect to each score;
* the parameter gradients: per-sample d score_i / d p, weighted by d loss / d score_i, summed;
* L2 regularisation 1e-4 * sum(p^2), whose gradient is 2e-4 * p;
* the SGD update.

For the perf benchmark: ``compiled_demo_step(model, X, y)`` returns ``(loss, grads)`` (grads in
``model.parameters()`` order) and compiles the model once, on its first call. Run this file to
print timings next to a hand-written float loop, the eager engine and karpathy/micrograd (if
installed), and the wall time of training to 100% accuracy:

    python benchmarks/compiled_workload.py
"""

from __future__ import annotations

import math
import sys
import time
import weakref
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from micrograd_kr import Value, data, nn
from micrograd_kr.compiler import Compiled, compile

ALPHA = 1e-4  # L2 strength of the micrograd demo


class CompiledDemo:
    """A model's per-sample score, compiled once; ``step`` evaluates the demo on a batch."""

    def __init__(self, model: Any, alpha: float = ALPHA) -> None:
        self.model = model
        self.alpha = alpha
        self.params = list(model.parameters())
        nin = getattr(model, "nin", 2)

        def score(*x: Value) -> Value:
            out = model(list(x))
            return out if isinstance(out, Value) else out[0]

        self.compiled: Compiled = compile(score, [0.0] * nin, params=self.params)
        self.fn = self.compiled.batch_fn  # the generated code, bound to NumPy

    def scores_and_grads(self, X: Any) -> tuple[np.ndarray, np.ndarray]:
        """Scores of every sample (shape n) and d score_i / d p (shape n_params x n)."""
        X = np.asarray(X, dtype=float)
        n = X.shape[0]
        columns = [X[:, j] for j in range(X.shape[1])]
        scores, grads = self.fn(*columns, *[p.data for p in self.params])
        k = len(columns)
        # a gradient that does not vary over the batch comes back as a scalar
        per_sample = [g if np.ndim(g) else np.full(n, g) for g in grads[k:]]
        return np.broadcast_to(scores, (n,)), np.stack(per_sample)

    def step(self, X: Any, y: Any, lr: float = 0.0) -> tuple[float, list[float]]:
        """Loss and gradients of the demo loss at the current parameters; then SGD if lr > 0."""
        y = np.asarray(y, dtype=float)
        scores, dscore = self.scores_and_grads(X)
        margins = 1.0 - y * scores
        n = len(y)
        p = np.array([q.data for q in self.params])
        data_loss = float(np.maximum(margins, 0.0).sum()) / n
        loss = data_loss + self.alpha * float(p @ p)
        # d data_loss / d score_i = -y_i / n where the margin is positive (relu' as in ops.py)
        dloss_dscore = np.where(margins > 0, -y / n, 0.0)
        grads = dscore @ dloss_dscore + 2.0 * self.alpha * p
        if lr:
            for q, new in zip(self.params, (p - lr * grads).tolist()):
                q.data = new
        self.last_scores = scores
        return loss, grads.tolist()

    def accuracy(self, y: Any) -> float:
        """Accuracy of the scores from the last ``step`` (sign of the score vs the label)."""
        return float(np.mean((self.last_scores > 0) == (np.asarray(y) > 0)))


_cache: weakref.WeakKeyDictionary[Any, CompiledDemo] = weakref.WeakKeyDictionary()


def compiled_demo_step(
    model: Any, X: Any, y: Any, lr: float = 0.0, alpha: float = ALPHA
) -> tuple[float, list[float]]:
    """One demo step through the compiled batch path: ``(loss, grads)`` before the update.

    ``grads`` follow ``model.parameters()``. ``lr > 0`` also applies the SGD update. The model
    is traced and compiled on the first call and reused afterwards (keyed by the model).
    """
    demo = _cache.get(model)
    if demo is None or demo.alpha != alpha:
        demo = _cache[model] = CompiledDemo(model, alpha)
    return demo.step(X, y, lr)


# --- references for the comparison: the eager engine and hand-written float code -------------


def eager_demo_step(model: Any, X: Any, y: Any, alpha: float = ALPHA) -> tuple[float, list[float]]:
    """The same step with the eager engine (graph of Values, backward())."""
    params = model.parameters()
    for p in params:
        p.grad = 0.0
    X = [[float(a) for a in row] for row in np.asarray(X)]
    losses = [(1 + -float(yi) * model(xi)).relu() for xi, yi in zip(X, np.asarray(y))]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = alpha * sum(p * p for p in params)
    total = data_loss + reg_loss
    total.backward()
    return total.data, [p.grad for p in params]


def float_demo_step(
    layers: list[tuple[list[list[float]], list[float]]],
    X: list[list[float]],
    y: list[float],
    alpha: float = ALPHA,
) -> tuple[float, list[tuple[list[list[float]], list[float]]]]:
    """Hand-written float code, no graph: forward, hinge + L2, backward, for a ReLU MLP.

    ``layers`` holds (W, b) per layer, W[j] the weights of neuron j; the last layer is linear.
    Returns the loss and the gradients in the same (W, b) structure.
    """
    n = len(X)
    grads = [([[0.0] * len(w) for w in W], [0.0] * len(b)) for W, b in layers]
    last = len(layers) - 1
    total = 0.0
    for x, target in zip(X, y):
        acts = [x]
        for i, (W, b) in enumerate(layers):
            a = acts[-1]
            z = [sum(wk * ak for wk, ak in zip(w, a)) + bj for w, bj in zip(W, b)]
            acts.append(z if i == last else [zj if zj > 0 else 0.0 for zj in z])
        margin = 1.0 - target * acts[-1][0]
        if margin <= 0:
            continue
        total += margin
        delta = [-target / n]
        for i in range(last, -1, -1):
            W, _ = layers[i]
            gW, gb = grads[i]
            a = acts[i]
            if i != last:  # relu': acts[i + 1] > 0 exactly where z > 0
                delta = [d if o > 0 else 0.0 for d, o in zip(delta, acts[i + 1])]
            prev = [0.0] * len(a)
            for j, d in enumerate(delta):
                if d == 0.0:
                    continue
                gb[j] += d
                row, w = gW[j], W[j]
                for k, ak in enumerate(a):
                    row[k] += d * ak
                    prev[k] += d * w[k]
            delta = prev
    reg = 0.0
    for (W, b), (gW, gb) in zip(layers, grads):
        for w, g in zip(W, gW):
            for k, wk in enumerate(w):
                reg += wk * wk
                g[k] += 2.0 * alpha * wk
        for j, bj in enumerate(b):
            reg += bj * bj
            gb[j] += 2.0 * alpha * bj
    return total / n + alpha * reg, grads


def model_layers(model: Any) -> list[tuple[list[list[float]], list[float]]]:
    """(W, b) per layer as floats, from an ``nn.MLP``."""
    layers = []
    for layer in model.layers:
        W = [[p.data for p in neuron.w] for neuron in layer.neurons]
        layers.append((W, [neuron.b.data for neuron in layer.neurons]))
    return layers


def flatten(layers: Sequence[tuple[list[list[float]], list[float]]]) -> list[float]:
    """Gradients in ``model.parameters()`` order (per neuron: weights, then bias)."""
    out: list[float] = []
    for W, b in layers:
        for w, bj in zip(W, b):
            out.extend(w)
            out.append(bj)
    return out


def make_moons(n: int = 100, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The moons data set of ``micrograd_kr.data`` as arrays, with labels -1 / +1."""
    X, labels = data.make_moons(n, noise=noise, seed=seed)
    return np.array(X, dtype=float), np.array([2.0 * c - 1.0 for c in labels])


def _best_of(fn: Callable[[], Any], repeat: int) -> float:
    best = math.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def train_to_full_accuracy(seed: int = 0, max_steps: int = 300) -> tuple[int, float, float]:
    """Train the moons MLP with the compiled path until 100% accuracy.

    Returns (steps, accuracy, wall seconds including the trace and compile).
    """
    X, y = make_moons()
    t0 = time.perf_counter()
    model = nn.MLP(2, [16, 16, 1], activation="relu", seed=seed)
    demo = CompiledDemo(model)
    acc = 0.0
    for k in range(max_steps):
        lr = 1.0 - 0.9 * k / 100 if k < 100 else 0.1  # the demo's schedule, then constant
        demo.step(X, y, lr)
        acc = demo.accuracy(y)
        if acc == 1.0:
            break
    return k + 1, acc, time.perf_counter() - t0


def main() -> None:
    X, y = make_moons()
    model = nn.MLP(2, [16, 16, 1], activation="relu", seed=0)
    layers = model_layers(model)
    Xl, yl = X.tolist(), y.tolist()

    t0 = time.perf_counter()
    demo = CompiledDemo(model)
    compile_s = time.perf_counter() - t0
    loss_c, grads_c = demo.step(X, y)
    loss_e, grads_e = eager_demo_step(model, X, y)
    loss_f, grads_f = float_demo_step(layers, Xl, yl)
    diff_e = max(abs(a - b) for a, b in zip(grads_c, grads_e))
    diff_f = max(abs(a - b) for a, b in zip(grads_c, flatten(grads_f)))
    print(f"loss: compiled {loss_c:.15g}  eager {loss_e:.15g}  float {loss_f:.15g}")
    print(f"max |grad difference|: vs eager {diff_e:.2e}, vs hand-written float {diff_f:.2e}")
    n_lines = demo.compiled.source.count("\n")
    print(f"trace + compile once: {compile_s * 1e3:.1f} ms, {n_lines} lines of code")

    t_comp = _best_of(lambda: demo.step(X, y), 50)
    t_float = _best_of(lambda: float_demo_step(layers, Xl, yl), 20)
    t_eager = _best_of(lambda: eager_demo_step(model, X, y), 3)
    print(f"demo step, compiled batch : {t_comp * 1e3:8.2f} ms")
    print(f"demo step, hand float code: {t_float * 1e3:8.2f} ms  ({t_float / t_comp:.1f}x slower)")
    print(f"demo step, eager engine   : {t_eager * 1e3:8.2f} ms  ({t_eager / t_comp:.1f}x slower)")
    try:
        from micrograd.engine import Value as KValue
        from micrograd.nn import MLP as KMLP
    except ImportError:
        print("karpathy/micrograd not installed (pip install micrograd==0.1.0 for the ratio)")
    else:
        kmodel = KMLP(2, [16, 16, 1])

        def kstep() -> None:
            kmodel.zero_grad()
            scores = [kmodel([KValue(a) for a in row]) for row in Xl]
            losses = [(1 + -yi * s).relu() for yi, s in zip(yl, scores)]
            total = sum(losses) * (1.0 / len(losses))
            total = total + ALPHA * sum(p * p for p in kmodel.parameters())
            total.backward()

        t_k = _best_of(kstep, 3)
        print(f"demo step, micrograd      : {t_k * 1e3:8.2f} ms  ({t_k / t_comp:.0f}x slower)")

    steps, acc, wall = train_to_full_accuracy()
    print(f"training to {acc:.0%} accuracy: {steps} steps, {wall:.3f} s wall (incl. compile)")


if __name__ == "__main__":
    sys.exit(main())
