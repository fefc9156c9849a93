"""The recipe search for the digits target of issue 16 (the record is in RESULTS.md).

The network is fixed (``MLP(64, [32, 10])``, cross-entropy, Adam or AdamW, batches of 64,
trained on the first 1,500 samples, tested on the last 297). Settings are chosen on a
validation split carved out of the training part: train on the first 1,300, validate on
samples 1,300-1,499. The test accuracy is only recorded, never used to choose.

    python benchmarks/digits_search.py grid [PART COUNT]   # PyTorch screening, JSON lines
    python benchmarks/digits_search.py mg ACT LR EPOCHS WD SCHED STD SEEDS
        # one recipe through micrograd_kr's fit(compiled=True), e.g.
        # mg relu 0.03 60 0.01 cos 0 0,1,2,3,4

ACT relu|tanh, WD 0 means Adam else AdamW(weight_decay=WD), SCHED const|cos (cosine decay of
the learning rate over the epochs, per epoch), STD 1 standardises each pixel with the mean and
standard deviation of the training part only.
"""

from __future__ import annotations

import itertools
import json
import math
import sys
import time
from collections.abc import Callable
from typing import Any

from micrograd_kr import data, nn, optim, train

Rows = list[list[float]]
Part = tuple[int, tuple[int, int]]  # training samples, test slice
# (activation, lr, epochs, weight decay, schedule, standardise)
Recipe = tuple[str, float, int, float, str, bool]

GRID: list[Recipe] = [
    *itertools.product(
        ["relu", "tanh"],
        [0.003, 0.01, 0.03],
        [20, 60],
        [0.0, 1e-2],
        ["const", "cos"],
        [False, True],
    ),
    *itertools.product(
        ["relu", "tanh"], [0.003, 0.01], [100, 200], [0.1, 0.5], ["cos"], [False, True]
    ),
]
VALIDATION = (1300, (1300, 1500))
TEST = (1500, (1500, 1797))


def standardise(train_rows: Rows, other: Rows) -> tuple[Rows, Rows]:
    """Per-pixel (x - mean) / std with the training part's statistics (std 0 -> 1)."""
    n, d = len(train_rows), len(train_rows[0])
    mean = [sum(x[j] for x in train_rows) / n for j in range(d)]
    std = [math.sqrt(sum((x[j] - mean[j]) ** 2 for x in train_rows) / n) or 1.0 for j in range(d)]

    def apply(rows: Rows) -> Rows:
        return [[(x[j] - mean[j]) / std[j] for j in range(d)] for x in rows]

    return apply(train_rows), apply(other)


def cosine(lr: float, epochs: int) -> Callable[[int], float]:
    return lambda epoch: lr * 0.5 * (1.0 + math.cos(math.pi * epoch / epochs))


def split(
    n_train: int, test: tuple[int, int], std: bool
) -> tuple[Rows, list[int], Rows, list[int]]:
    X, y = data.load_digits()
    Xtr, Xte = X[:n_train], X[test[0] : test[1]]
    if std:
        Xtr, Xte = standardise(Xtr, Xte)
    return Xtr, y[:n_train], Xte, y[test[0] : test[1]]


def micrograd_run(recipe: Recipe, part: Part, seed: int) -> tuple[float, float]:
    """Accuracy and wall seconds (load + standardise + trace + train) of one fit(compiled=True)."""
    act, lr, epochs, wd, sched, std = recipe
    t0 = time.perf_counter()
    Xtr, ytr, Xte, yte = split(*part, std)
    model = nn.MLP(64, [32, 10], activation=act, seed=seed)
    params = model.parameters()
    opt = optim.AdamW(params, lr=lr, weight_decay=wd) if wd else optim.Adam(params, lr=lr)
    train.fit(
        model,
        Xtr,
        ytr,
        loss="cross_entropy",
        optimizer=opt,
        epochs=epochs,
        batch_size=64,
        seed=seed,
        lr_schedule=cosine(lr, epochs) if sched == "cos" else None,
        progress=False,
        compiled=True,
    )
    wall = time.perf_counter() - t0
    return train.accuracy(model, Xte, yte), wall


def torch_run(recipe: Recipe, part: Part, seed: int) -> float:
    """The same recipe in PyTorch (float64, one thread), with micrograd_kr's initial weights."""
    import torch

    act, lr, epochs, wd, sched, std = recipe
    torch.set_num_threads(1)
    Xtr, ytr, Xte, yte = split(*part, std)
    model: Any = nn.MLP(64, [32, 10], activation=act, seed=seed).to_torch()
    params = model.parameters()
    opt = (
        torch.optim.AdamW(params, lr=lr, weight_decay=wd) if wd else torch.optim.Adam(params, lr=lr)
    )
    schedule = cosine(lr, epochs) if sched == "cos" else (lambda _: lr)
    xt, yt = torch.tensor(Xtr, dtype=torch.float64), torch.tensor(ytr)
    gen = torch.Generator().manual_seed(seed)
    for epoch in range(epochs):
        for group in opt.param_groups:
            group["lr"] = schedule(epoch)
        order = torch.randperm(len(xt), generator=gen)
        for i in range(0, len(xt), 64):
            idx = order[i : i + 64]
            opt.zero_grad()
            torch.nn.functional.cross_entropy(model(xt[idx]), yt[idx]).backward()
            opt.step()
    with torch.no_grad():
        pred = model(torch.tensor(Xte, dtype=torch.float64)).argmax(1)
    return float((pred == torch.tensor(yte)).double().mean())


def main(argv: list[str]) -> None:
    if argv and argv[0] == "grid":
        part, count = (int(argv[1]), int(argv[2])) if len(argv) > 2 else (0, 1)
        for recipe in GRID[part::count]:
            val = [torch_run(recipe, VALIDATION, s) for s in (0, 1)]
            test = [torch_run(recipe, TEST, s) for s in (0, 1)]
            print(json.dumps({"recipe": recipe, "val": val, "test": test}), flush=True)
    elif argv and argv[0] == "mg" and len(argv) == 8:
        act, lr, epochs, wd, sched, std, seeds = argv[1:]
        chosen: Recipe = (act, float(lr), int(epochs), float(wd), sched, std == "1")
        runs = [int(s) for s in seeds.split(",")]
        val = [micrograd_run(chosen, VALIDATION, s)[0] for s in runs]
        tested = [micrograd_run(chosen, TEST, s) for s in runs]
        print(
            json.dumps(
                {
                    "recipe": chosen,
                    "seeds": runs,
                    "val": val,
                    "test": [a for a, _ in tested],
                    "wall_s": [w for _, w in tested],
                }
            )
        )
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
