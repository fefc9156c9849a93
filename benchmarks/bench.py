"""Side-by-side benchmark: micrograd_kr, the original micrograd and hand-written float code.

Everything runs in one process on the same inputs, so the ratios are fair even on a noisy
machine. Repetitions of the different implementations are interleaved (a, b, c, a, b, c, ...)
and the table shows medians.

    python benchmarks/bench.py            # full run, writes benchmarks/RESULTS.md
    python benchmarks/bench.py --quick    # tiny sizes, one repetition: checks the script runs

Workloads:

* the micrograd demo step: MLP 2-16-16-1 (ReLU, linear output), 100 moons samples, hinge loss
  + 1e-4 L2, one SGD step; the same weights in all three implementations;
* inference of the same MLP, with a graph and under ``no_grad()``;
* backward of a 100,000-node random expression graph (layers with fan-in and reuse);
* backward of a 1,000,000-node chain (micrograd's recursive topological sort fails);
* bytes per node (tracemalloc) of the 100,000-node graph.

The original micrograd is the benchmark-only extra ``pip install -e ".[bench]"``; without it
the micrograd columns say "not installed".
"""

from __future__ import annotations

import os

# NumPy's BLAS on one thread, like PyTorch below: on a shared machine BLAS threads that fight
# other jobs make small matrix products far slower (set before anything imports NumPy)
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import datetime as dt
import gc
import operator
import platform
import random
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from timing import median_times

import micrograd_kr
from micrograd_kr import Value, nn, no_grad, optim
from micrograd_kr.data import make_moons
from micrograd_kr.graph import count_nodes

try:
    import micrograd
    import micrograd.engine as mg_engine
    import micrograd.nn as mg_nn
except ImportError:  # the benchmark-only extra is not installed
    micrograd = None

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"

ALPHA = 1e-4  # L2 strength of the micrograd demo
LR = 0.05  # a fixed SGD step size, the same in every implementation
SIZES = [16, 16, 1]

Layers = list[tuple[list[list[float]], list[float]]]  # per layer: weight rows W[j], biases b


@dataclass
class Config:
    reps: int  # repetitions of each timed workload (the chain uses fewer)
    chain_reps: int
    graph_nodes: int
    graph_width: int
    chain_nodes: int
    samples: int
    torch_sizes: tuple[int, ...] = (100, 1_000, 10_000)  # the compiled-vs-PyTorch table
    digits_epochs: int = 20


FULL = Config(
    reps=9, chain_reps=3, graph_nodes=100_000, graph_width=500, chain_nodes=1_000_000, samples=100
)
QUICK = Config(
    reps=1,
    chain_reps=1,
    graph_nodes=3_000,
    graph_width=50,
    chain_nodes=20_000,
    samples=10,
    torch_sizes=(50,),
    digits_epochs=1,
)


def close(a: float, b: float, what: str, tol: float = 1e-9) -> None:
    if not abs(a - b) <= tol * max(1.0, abs(a), abs(b)):
        raise AssertionError(f"{what}: {a!r} != {b!r}")


def close_all(xs: Sequence[float], ys: Sequence[float], what: str, tol: float = 1e-9) -> float:
    """Assert the two lists agree to ``tol``; returns the largest difference."""
    if len(xs) != len(ys):
        raise AssertionError(f"{what}: {len(xs)} vs {len(ys)} numbers")
    for i, (a, b) in enumerate(zip(xs, ys)):
        close(a, b, f"{what}[{i}]", tol)
    return max((abs(a - b) for a, b in zip(xs, ys)), default=0.0)


# --- the demo step, three times -----------------------------------------------------------------


def moons(n: int) -> tuple[list[list[float]], list[float]]:
    """``n`` noisy moons samples with labels -1 / +1 (the demo's hinge loss wants signs)."""
    X, labels = make_moons(n, noise=0.1, seed=0)
    return X, [1.0 if label == 1 else -1.0 for label in labels]


def kr_loss(model: nn.MLP, X: list[list[float]], y: list[float]) -> Value:
    """The demo's loss, written as in micrograd's demo notebook."""
    scores = [model(x) for x in X]
    losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = ALPHA * sum(p * p for p in model.parameters())
    return data_loss + reg_loss


def kr_step(model: nn.MLP, opt: optim.SGD, X: list[list[float]], y: list[float]) -> float:
    loss = kr_loss(model, X, y)
    model.zero_grad()
    loss.backward()
    opt.step()
    return loss.data


def mg_step(model: Any, X: list[list[float]], y: list[float]) -> float:
    """The same step in the original micrograd, exactly as its demo notebook writes it."""
    scores = [model(x) for x in X]
    losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = ALPHA * sum(p * p for p in model.parameters())
    loss = data_loss + reg_loss
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
        p.data -= LR * p.grad
    return float(loss.data)


def layers_of(model: nn.MLP) -> Layers:
    """The weights of an ``nn.MLP`` as plain floats: (W, b) per layer."""
    return [
        ([[p.data for p in n.w] for n in layer.neurons], [n.b.data for n in layer.neurons])
        for layer in model.layers
    ]


def flat(layers: Layers) -> list[float]:
    """Numbers in ``model.parameters()`` order: per neuron its weights, then its bias."""
    out: list[float] = []
    for W, b in layers:
        for w, bj in zip(W, b):
            out += w
            out.append(bj)
    return out


def copy_into_micrograd(layers: Layers) -> Any:
    """micrograd's own MLP (ReLU hidden layers, linear output) holding these weights."""
    model = mg_nn.MLP(2, SIZES)
    for mg_layer, (W, b) in zip(model.layers, layers):
        for neuron, w, bj in zip(mg_layer.neurons, W, b):
            for p, wk in zip(neuron.w, w):
                p.data = wk
            neuron.b.data = bj
    return model


def hand_forward(layers: Layers, x: list[float]) -> list[list[float]]:
    """Activations of every layer for one sample (the input first); ReLU except the last."""
    acts = [x]
    last = len(layers) - 1
    for i, (W, b) in enumerate(layers):
        a = acts[-1]
        z = [sum(map(operator.mul, w, a)) + bj for w, bj in zip(W, b)]
        acts.append(z if i == last else [zj if zj > 0.0 else 0.0 for zj in z])
    return acts


def hand_loss_and_grads(
    layers: Layers, X: list[list[float]], y: list[float]
) -> tuple[float, Layers]:
    """The demo loss and d loss / d weights by hand: no graph, just floats and the chain rule."""
    n = len(X)
    scale = 1.0 / n
    grads: Layers = [([[0.0] * len(w) for w in W], [0.0] * len(b)) for W, b in layers]
    data_loss = 0.0
    for x, target in zip(X, y):
        acts = hand_forward(layers, x)
        margin = 1 + -target * acts[-1][0]
        if margin <= 0.0:
            continue  # relu(margin) is flat here: no loss, no gradient
        data_loss += margin
        delta = [-target * scale]  # d loss / d score
        for i in range(len(layers) - 1, -1, -1):
            W, _ = layers[i]
            gW, gb = grads[i]
            a = acts[i]
            back = [0.0] * len(a)
            for j, d in enumerate(delta):
                if d == 0.0:
                    continue
                gb[j] += d
                row = gW[j]
                for k, (ak, wk) in enumerate(zip(a, W[j])):
                    row[k] += d * ak
                    back[k] += d * wk
            # through the ReLU of the layer below: its output is > 0 exactly where z > 0
            delta = [bk if ak > 0.0 else 0.0 for bk, ak in zip(back, a)] if i else back
    reg = 0.0
    for (W, b), (gW, gb) in zip(layers, grads):
        for w, g in zip([*W, b], [*gW, gb]):
            for k, wk in enumerate(w):
                reg += wk * wk
                g[k] += 2.0 * ALPHA * wk
    return data_loss * scale + ALPHA * reg, grads


def hand_step(layers: Layers, X: list[list[float]], y: list[float]) -> float:
    loss, grads = hand_loss_and_grads(layers, X, y)
    for (W, b), (gW, gb) in zip(layers, grads):
        for w, g in zip([*W, b], [*gW, gb]):
            for k, gk in enumerate(g):
                w[k] -= LR * gk
    return loss


# --- graphs for the backward and memory workloads ----------------------------------------------


def random_graph(value: Callable[[float], Any], nodes: int, width: int, seed: int = 0) -> Any:
    """A random expression graph shaped like a network, built with ``value`` (either engine).

    Layer after layer, unit i computes relu(w * a_i + b): a_i is unit i of the previous layer
    (so every node is used), b a random unit of it (reuse, fan-out) and w one of 1000 shared
    leaf weights. The last layer is summed pairwise into one output; the graph stays about
    3 * nodes / width deep, shallow enough for micrograd's recursive topological sort.
    """
    rng = random.Random(seed)
    weights = [value(rng.uniform(-1.0, 1.0)) for _ in range(1000)]
    layer = [value(rng.uniform(-1.0, 1.0)) for _ in range(width)]
    count = len(weights) + len(layer)
    while count + 3 * width + width < nodes:
        layer = [(rng.choice(weights) * a + rng.choice(layer)).relu() for a in layer]
        count += 3 * width
    while len(layer) > 1:  # pairwise sums: width - 1 more nodes, depth log2(width)
        pairs = [layer[i] + layer[i + 1] for i in range(0, len(layer) - 1, 2)]
        layer = pairs + layer[len(layer) - len(layer) % 2 :]
    return layer[0]


def chain(value: Callable[[float], Any], nodes: int) -> Any:
    """y = y * a + b, repeated: a chain of ``nodes`` operations, as deep as it is long."""
    a, b, y = value(1.0), value(1e-6), value(0.0)
    for _ in range(nodes // 2):
        y = y * a + b
    return y


def size_of_graph(root: Any) -> int:
    """Number of distinct nodes (works for both engines: each keeps its inputs in ``_prev``)."""
    seen = {root}
    stack = [root]
    while stack:
        for parent in stack.pop()._prev:
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return len(seen)


def leaf_grads(root: Any) -> list[float]:
    """Gradients of the leaves in a fixed order (their data, then their grad, sorted)."""
    leaves: dict[int, Any] = {}
    stack = [root]
    seen = {root}
    while stack:
        node = stack.pop()
        if not node._prev:
            leaves[id(node)] = node
        for parent in node._prev:
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return [g for _, g in sorted((v.data, float(v.grad)) for v in leaves.values())]


def traced_bytes(build: Callable[[], Any]) -> tuple[Any, int]:
    """What ``build()`` returns, and the bytes still allocated because of it (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        result = build()
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return result, after - before


# --- the table -----------------------------------------------------------------------------------


@dataclass
class Row:
    """One line of the table: a median time (or a size) for each implementation."""

    workload: str
    unit: str
    kr: float
    mg: float | None  # None: see mg_note
    hand: float | None = None
    mg_note: str = "not installed"
    smaller_is_better: bool = True


@dataclass
class Results:
    rows: list[Row] = field(default_factory=list)
    targets: list[tuple[str, str, str, bool]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)  # more tables, in markdown


def fmt(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"


def table(results: Results) -> str:
    head = (
        "| workload | micrograd_kr | micrograd 0.1.0 | hand-written floats "
        "| micrograd_kr vs micrograd | micrograd_kr vs hand-written |\n"
        "|---|---:|---:|---:|---:|---:|\n"
    )
    lines = []
    for r in results.rows:
        mg = f"{fmt(r.mg)} {r.unit}" if r.mg is not None else r.mg_note
        hand = f"{fmt(r.hand)} {r.unit}" if r.hand is not None else "—"
        vs_mg = f"**{r.mg / r.kr:.1f}x** less" if r.mg is not None else "—"
        if r.mg is not None and r.unit != "B/node":
            vs_mg = f"**{r.mg / r.kr:.1f}x** faster"
        vs_hand = "—"
        if r.hand is not None:
            slower = r.kr >= r.hand
            ratio = r.kr / r.hand if slower else r.hand / r.kr
            vs_hand = f"{ratio:.1f}x {'slower' if slower else 'faster'}"
        lines.append(
            f"| {r.workload} | {fmt(r.kr)} {r.unit} | {mg} | {hand} | {vs_mg} | {vs_hand} |"
        )
    out = head + "\n".join(lines) + "\n"
    out += "\n| target | required | measured | met |\n|---|---|---|---|\n"
    for name, required, measured, met in results.targets:
        out += f"| {name} | {required} | {measured} | {'yes' if met else '**no**'} |\n"
    return out


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            names = [ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    mg_version = getattr(micrograd, "__version__", "0.1.0") if micrograd else "not installed"
    return (
        f"- date: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC\n"
        f"- machine: {platform.system()} {platform.machine()}, {cpu}, "
        f"{os.cpu_count()} logical CPUs (shared with other jobs: medians, interleaved runs)\n"
        f"- Python {platform.python_version()} ({platform.python_implementation()}); "
        f"micrograd_kr {micrograd_kr.__version__}; micrograd {mg_version}\n"
    )


# --- the workloads -------------------------------------------------------------------------------


def run(cfg: Config, log: Callable[[str], None]) -> Results:
    res = Results()
    demo(cfg, res, log)
    graph_backward(cfg, res, log)
    memory(cfg, res, log)
    lifted(cfg, res, log)
    return res


def lifted(cfg: Config, res: Results, log: Callable[[str], None]) -> None:
    """Issue 16: the lifted compiled step against PyTorch, its memory, and the digits."""
    sys.path.insert(0, str(HERE))
    try:
        import lifted_workload as lw
    finally:
        sys.path.remove(str(HERE))
    lines = [
        "### Compiled (lifted) training step vs PyTorch",
        "",
        "Moons MLP 2-16-16-1 (ReLU), mean hinge loss, one SGD step (lr 0.05) on all N samples. "
        "micrograd_kr: the loss of one sample traced once and lifted to matrix code "
        "(`compile(..., lift=True)`), with `optim.SGD`. PyTorch: the same model via "
        "`to_torch()` (float64), `torch.optim.SGD`, one thread. Median CPU time per step, "
        "interleaved runs; both give the same loss and gradients (checked to 1e-9 before "
        "timing) and the same weights after the timed steps.",
        "",
        "| N | micrograd_kr, lifted | PyTorch | PyTorch time / micrograd_kr time "
        "| scalar compiled program (before lifting) |",
        "|---:|---:|---:|---:|---:|",
    ]
    ratios: dict[int, float] = {}
    for n in cfg.torch_sizes:
        log(f"lifted vs PyTorch, N={n} ...")
        reps = cfg.reps if cfg.reps == 1 else (31 if n < 10_000 else 15)
        r = lw.moons_vs_torch(n, reps)
        if r.torch_ms is None:
            lines.append(f"| {n:,} | {r.lifted_ms:.3g} ms | not installed | — | — |")
            continue
        ratios[n] = r.torch_ms / r.lifted_ms
        scalar = f"{r.scalar_ms:.3g} ms" if r.scalar_ms is not None else "—"
        lines.append(
            f"| {n:,} | {r.lifted_ms:.3g} ms | {r.torch_ms:.3g} ms | **{ratios[n]:.2f}** "
            f"| {scalar} |"
        )
    for n, need, text in ((100, 2.0, ">= 2x faster"), (1_000, 1.0, "at least as fast")):
        if n in ratios:
            res.targets.append(
                (
                    f"lifted moons step vs PyTorch, N = {n:,}",
                    text,
                    f"{ratios[n]:.2f}x",
                    ratios[n] >= need,
                )
            )
    if 10_000 in ratios:
        res.targets.append(
            (
                "lifted moons step vs PyTorch, N = 10,000",
                "at least as fast",
                f"{ratios[10_000]:.2f}x",
                ratios[10_000] >= 1.0,
            )
        )
    n_mem = max(cfg.torch_sizes)
    log(f"memory of a compiled step, N={n_mem} ...")
    small = lw.step_memory(max(1, n_mem // 10))
    big = lw.step_memory(n_mem)
    params = nn.MLP(2, SIZES).num_parameters()
    per_sample = big["lifted"] / n_mem
    lines += [
        "",
        f"Peak memory of one gradient evaluation (tracemalloc) at N = {n_mem:,}: lifted "
        f"{big['lifted'] / 1e6:.2f} MB, scalar compiled program {big['scalar'] / 1e6:.1f} MB; "
        f"an N x parameters array of floats would be {n_mem * params * 8 / 1e6:.1f} MB. "
        f"At N = {max(1, n_mem // 10):,}: lifted {small['lifted'] / 1e6:.2f} MB, scalar "
        f"{small['scalar'] / 1e6:.1f} MB. The lifted program runs a large batch in chunks of "
        "rows (about 128 KB per block), so its peak grows with the chunk x layer width, plus "
        "N for the per-sample outputs.",
    ]
    res.targets.append(
        (
            f"memory of a compiled step at N = {n_mem:,}",
            "grows with N x width, not N x parameters",
            f"{per_sample:.0f} B/sample ({params} parameters x 8 B = {params * 8} B/sample)",
            big["lifted"] < n_mem * params * 8 / 4,
        )
    )
    if not hasattr(micrograd_kr.data, "load_digits"):
        res.notes.append("Digits not measured: data.load_digits is missing.")
        res.sections.append("\n".join(lines) + "\n")
        return
    log("digits ...")
    d = lw.digits_training(cfg.digits_epochs)
    torch_text = f"{d.torch_accuracy:.1%}" if d.torch_accuracy is not None else "not installed"
    lines += [
        "",
        "### Digits: `MLP(64, [32, 10])` with `fit(compiled=True)`",
        "",
        f"Cross-entropy, Adam (lr 0.01), mini-batches of 64, {d.epochs} epochs, trained on the "
        "first 1,500 of the 1,797 samples of `data.load_digits()`, tested on the last 297.",
        "",
        "| | accuracy on the last 297 | training accuracy | wall time (load + trace + train) |",
        "|---|---:|---:|---:|",
        f"| micrograd_kr, `fit(compiled=True)` | {d.accuracy:.1%} | {d.train_accuracy:.1%} "
        f"| {d.wall_s:.2f} s |",
        f"| PyTorch, the same recipe and split | {torch_text} | — | — |",
        f"| micrograd_kr, a seeded random 1,500 / 297 split instead | {d.shuffled_accuracy:.1%} "
        "| — | — |",
        "",
        f"On this fixed split PyTorch with the same network and recipe reaches {torch_text}; "
        f"on a random split of the same sizes micrograd_kr reaches {d.shuffled_accuracy:.1%}: "
        "the last 297 samples are harder than a random 297.",
    ]
    res.targets.append(
        (
            "digits MLP(64, [32, 10]): accuracy on the last 297, within 10 s wall",
            ">= 95%, < 10 s",
            f"{d.accuracy:.1%} in {d.wall_s:.1f} s (PyTorch, same recipe: {torch_text})",
            d.accuracy >= 0.95 and d.wall_s < 10,
        )
    )
    res.sections.append("\n".join(lines) + "\n")


def demo(cfg: Config, res: Results, log: Callable[[str], None]) -> None:
    log("demo step ...")
    X, y = moons(cfg.samples)
    model = nn.MLP(2, SIZES, activation="relu", seed=0)
    opt = optim.SGD(model.parameters(), lr=LR)
    layers = layers_of(model)
    mg_model = copy_into_micrograd(layers) if micrograd else None

    # Same weights, same loss, same gradients: checked before anything is timed.
    loss = kr_loss(model, X, y)
    model.zero_grad()
    loss.backward()
    hand_loss, hand_grads = hand_loss_and_grads(layers, X, y)
    close(loss.data, hand_loss, "demo loss, micrograd_kr vs hand-written")
    diff = close_all([p.grad for p in model.parameters()], flat(hand_grads), "demo gradients")
    note = (
        f"Demo step checks: loss {loss.data:.12f}; the {len(flat(hand_grads))} hand-written "
        f"gradients equal the engine's (largest difference {diff:.1e})"
    )
    if mg_model is not None:
        mg_loss = micrograd_loss(mg_model, X, y)
        close(loss.data, mg_loss, "demo loss, micrograd_kr vs micrograd")
        note += f"; micrograd's loss differs by {abs(mg_loss - loss.data):.1e}"
    res.notes.append(note + ".")
    del loss

    steps: dict[str, Callable[[], object]] = {"kr": lambda: kr_step(model, opt, X, y)}
    if mg_model is not None:
        steps["mg"] = lambda: mg_step(mg_model, X, y)
    steps["hand"] = lambda: hand_step(layers, X, y)
    t = median_times(steps, cfg.reps)
    # all three took the same SGD steps, so their weights must still agree
    close_all(flat(layers_of(model)), flat(layers), "weights after the timed steps")
    if mg_model is not None:
        mg_weights = [float(p.data) for p in mg_model.parameters()]
        close_all(flat(layers_of(model)), mg_weights, "micrograd weights after the steps")
    demo_row = Row("demo step: forward + backward + SGD", "ms", t["kr"] * 1e3, ms(t.get("mg")))
    demo_row.hand = t["hand"] * 1e3
    res.rows.append(demo_row)
    res.notes.append(
        f"After the {cfg.reps} timed SGD steps (lr {LR}) the weights of all implementations "
        "still agree to 1e-9."
    )
    try:
        compiled(cfg, res, demo_row, log)
    except Exception as exc:  # another module's code: report it, do not stop the benchmark
        res.notes.append(f"Compiled path failed: {type(exc).__name__}: {exc}.")

    log("inference ...")

    def with_graph() -> None:
        [model(x) for x in X]

    def without_graph() -> None:
        with no_grad():
            [model(x) for x in X]

    scores = [model(x).data for x in X]
    close_all(scores, [hand_forward(layers, x)[-1][0] for x in X], "hand-written scores")
    with no_grad():
        close_all(scores, [model(x).data for x in X], "no_grad scores")
    fns: dict[str, Callable[[], object]] = {"graph": with_graph, "no_grad": without_graph}
    if mg_model is not None:
        close_all(scores, [mg_model(x).data for x in X], "micrograd scores")
        fns["mg"] = lambda: [mg_model(x) for x in X]
    fns["hand"] = lambda: [hand_forward(layers, x)[-1][0] for x in X]
    t = median_times(fns, cfg.reps)
    n = len(X)
    mg_ms = ms(t.get("mg"))
    graph_row = Row(f"inference of {n} samples, with graph", "ms", t["graph"] * 1e3, mg_ms)
    free_row = Row(f"inference of {n} samples, `no_grad()`", "ms", t["no_grad"] * 1e3, mg_ms)
    graph_row.hand = free_row.hand = t["hand"] * 1e3
    if mg_model is not None:
        free_row.mg_note = graph_row.mg_note = ""
    res.rows += [graph_row, free_row]
    res.notes.append("micrograd has no `no_grad()`: both inference rows use its graph run.")
    speedup = t["graph"] / t["no_grad"]
    res.targets.append(
        ("`no_grad()` inference vs with graph", ">= 3x faster", f"{speedup:.2f}x", speedup >= 3)
    )
    if demo_row.mg is not None:
        ratio = demo_row.mg / demo_row.kr
        res.targets.insert(
            0, ("demo step vs micrograd", ">= 6x faster", f"{ratio:.1f}x", ratio >= 6)
        )


def compiled(cfg: Config, res: Results, demo_row: Row, log: Callable[[str], None]) -> None:
    """The compiled batch path (benchmarks/compiled_workload.py), when it is there."""
    sys.path.insert(0, str(HERE))
    try:
        import compiled_workload
    except ImportError as exc:
        res.notes.append(f"Compiled path not measured: {exc}.")
        return
    finally:
        sys.path.remove(str(HERE))
    log("compiled demo step ...")
    X, y = moons(cfg.samples)
    model = nn.MLP(2, SIZES, activation="relu", seed=0)
    layers = layers_of(model)
    t0 = time.perf_counter()
    loss, grads = compiled_workload.compiled_demo_step(model, X, y)  # traces and compiles once
    first = time.perf_counter() - t0
    hand_loss, hand_grads = hand_loss_and_grads(layers, X, y)
    diff = max(abs(a - b) for a, b in zip(grads, flat(hand_grads)))
    ok = abs(loss - hand_loss) <= 1e-9 and diff <= 1e-9
    t = median_times(
        {
            "compiled": lambda: compiled_workload.compiled_demo_step(model, X, y, lr=LR),
            "hand": lambda: hand_step(layers, X, y),
        },
        max(cfg.reps, 5),
    )
    row = Row("demo step, compiled batch path (`compile`)", "ms", t["compiled"] * 1e3, demo_row.mg)
    row.hand = t["hand"] * 1e3
    row.mg_note = demo_row.mg_note
    res.rows.append(row)
    res.targets.append(
        (
            "compiled demo step vs hand-written floats",
            "at least as fast",
            f"{t['hand'] / t['compiled']:.2f}x as fast",
            t["compiled"] <= t["hand"],
        )
    )
    steps, accuracy, wall = compiled_workload.train_to_full_accuracy()
    res.targets.append(
        (
            "training the moons MLP to 100% with `compile` (wall time, incl. compile)",
            "< 1 s",
            f"{wall:.2f} s ({steps} steps, accuracy {accuracy:.0%})",
            accuracy == 1.0 and wall < 1.0,
        )
    )
    res.notes.append(
        f"Compiled path: first call (trace + compile + step) {first * 1e3:.0f} ms; its loss and "
        f"gradients {'agree with' if ok else '**differ from**'} the hand-written ones "
        f"(loss {abs(loss - hand_loss):.1e} apart, largest gradient difference {diff:.1e})."
    )


def graph_backward(cfg: Config, res: Results, log: Callable[[str], None]) -> None:
    log("random graph ...")
    root = random_graph(Value, cfg.graph_nodes, cfg.graph_width)
    n = count_nodes(root)
    fns: dict[str, Callable[[], object]] = {"kr": root.backward}
    if micrograd:
        mg_root = random_graph(mg_engine.Value, cfg.graph_nodes, cfg.graph_width)
        assert size_of_graph(mg_root) == n
        root.backward()
        mg_root.backward()
        close_all(leaf_grads(root), leaf_grads(mg_root), "random graph leaf gradients")
        fns["mg"] = mg_root.backward
    t = median_times(fns, cfg.reps)
    graph_ns = t["kr"] / n * 1e9
    res.rows.append(
        Row(f"backward, random graph of {n:,} nodes", "ms", t["kr"] * 1e3, ms(t.get("mg")))
    )
    res.notes.append(
        f"Random graph: {n:,} nodes; micrograd_kr {graph_ns:.0f} ns per node"
        + (f", micrograd {t['mg'] / n * 1e9:.0f} ns per node" if "mg" in t else "")
        + "; leaf gradients of both engines agree to 1e-9."
    )
    del root, fns

    log("chain ...")
    t0 = time.perf_counter()
    y = chain(Value, cfg.chain_nodes)
    build = time.perf_counter() - t0
    n = count_nodes(y)
    t = median_times({"kr": y.backward}, cfg.chain_reps)
    chain_ns = t["kr"] / n * 1e9
    row = Row(f"backward, chain of {n:,} nodes", "ms", t["kr"] * 1e3, None)
    if micrograd:
        mg_y = chain(mg_engine.Value, cfg.chain_nodes)
        try:
            mg_y.backward()
            row.mg_note = "completed"
        except RecursionError:
            row.mg_note = f"RecursionError (recursion limit {sys.getrecursionlimit()})"
        del mg_y
    res.rows.append(row)
    res.notes.append(
        f"Chain: {n:,} nodes built in {build:.2f} s by micrograd_kr; backward "
        f"{chain_ns:.0f} ns per node vs {graph_ns:.0f} ns per node on the random graph."
    )
    ratio = chain_ns / graph_ns
    res.targets.append(
        (
            f"chain of {n:,}: time per node vs the random graph's",
            "<= 1.5x",
            f"{ratio:.2f}x",
            ratio <= 1.5,
        )
    )


def memory(cfg: Config, res: Results, log: Callable[[str], None]) -> None:
    log("memory ...")
    root, size = traced_bytes(lambda: random_graph(Value, cfg.graph_nodes, cfg.graph_width))
    n = count_nodes(root)
    kr = size / n
    row = Row(f"memory of the {n:,}-node graph", "B/node", kr, None)
    del root
    if micrograd:
        mg_root, mg_size = traced_bytes(
            lambda: random_graph(mg_engine.Value, cfg.graph_nodes, cfg.graph_width)
        )
        row.mg = mg_size / n
        del mg_root
        share = kr / row.mg
        res.targets.append(
            ("bytes per node vs micrograd", "<= 1/3 (0.33)", f"{share:.2f}", share <= 1 / 3)
        )
    res.rows.append(row)
    res.notes.append(
        "Memory: bytes still allocated (tracemalloc) once the graph is built, before backward, "
        "divided by its number of nodes (leaves included)."
    )


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else seconds * 1e3


def micrograd_loss(model: Any, X: list[list[float]], y: list[float]) -> float:
    scores = [model(x) for x in X]
    losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    return float((data_loss + ALPHA * sum(p * p for p in model.parameters())).data)


# --- command line --------------------------------------------------------------------------------


def write_results(text: str, path: Path) -> None:
    """Replace the measured part of RESULTS.md; the hand-written analysis around it stays."""
    block = f"{START}\n{text}{END}"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if START in old and END in old:
        new = old[: old.index(START)] + block + old[old.index(END) + len(END) :]
    else:
        new = "# Benchmark results\n\n" + block + "\n" + old
    path.write_text(new, encoding="utf-8")


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def profile(cfg: Config) -> None:
    """Where the time goes: cProfile of micrograd_kr's demo step and graph backward."""
    import cProfile
    import pstats

    X, y = moons(cfg.samples)
    model = nn.MLP(2, SIZES, activation="relu", seed=0)
    opt = optim.SGD(model.parameters(), lr=LR)
    root = random_graph(Value, cfg.graph_nodes, cfg.graph_width)
    for title, fn in (
        ("5 demo steps", lambda: [kr_step(model, opt, X, y) for _ in range(5)]),
        ("3 backward passes of the random graph", lambda: [root.backward() for _ in range(3)]),
    ):
        prof = cProfile.Profile()
        prof.runcall(fn)
        print(f"## cProfile: {title}, by own time")
        pstats.Stats(prof, stream=sys.stdout).sort_stats("tottime").print_stats(12)


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes: only check it runs")
    parser.add_argument(
        "--profile", action="store_true", help="print cProfile tables instead of the benchmark"
    )
    parser.add_argument(
        "--output", type=Path, help=f"where to write the table (default {RESULTS}; --quick: none)"
    )
    args = parser.parse_args(list(argv) if argv is not None else None)
    cfg = QUICK if args.quick else FULL
    if args.profile:
        profile(cfg)
        return 0
    results = run(cfg, log)
    text = machine() + "\n" + table(results) + "\n" + "".join(f"- {n}\n" for n in results.notes)
    text += "".join("\n" + section for section in results.sections)
    print(text)
    output = args.output or (None if args.quick else RESULTS)
    if output is not None:
        write_results(text, output)
        log(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
