"""The recipe search for the digits target of issue 16 (the record is in RESULTS.md).

The network is fixed (``MLP(64, [32, 10])``, cross-entropy, Adam or AdamW, batches of 64,
trained on the first 1,500 samples, tested on the last 297). Settings are chosen on a
validation split carved out of the training part: train on the first 1,300, validate on
samples 1,300-1,499. The test accuracy is only recorded, never used to choose.

    python benchmarks/digits_search.py grid [PART COUNT]   # PyTorch screening, JSON lines
    python benchmarks/digits_search.py mg ACT LR EPOCHS WD SCHED STD SEEDS
        # one recipe through micrograd_kr's fit(compiled=True), e.g.
        # mg relu 0.03 60 0.01 cos 0 0,1,2,3,4
        # an optional last argument 4 or 8 adds one-pixel shifts of the training images
    python benchmarks/digits_search.py regularised [PART COUNT]
        # PyTorch screening of regularisers and augmentation (JSON lines)
    python benchmarks/digits_search.py reference
        # other scikit-learn classifiers on the same split, for scale

ACT relu|tanh, WD 0 means Adam else AdamW(weight_decay=WD), SCHED const|cos (cosine decay of
the learning rate over the epochs, per epoch), STD 1 standardises each pixel with the mean and
standard deviation of the training part only.

``regularised`` keeps the same network, loss, optimizer and batch size, uses a cosine schedule,
and adds what the first grid did not try: Gaussian noise on the inputs of each batch, label
smoothing, dropout on the inputs, a per-image preprocessing (``l2``: each image scaled to
norm 4; ``sqrt``: square root of each pixel; ``blur``: a 3x3 binomial blur), and one-pixel shifts
of the training images (4 or 8 directions, so 5 or 9 copies of each; the copies are made from the
training part only).
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


def micrograd_run(
    recipe: Recipe, part: Part, seed: int, directions: int = 0
) -> tuple[float, float]:
    """Accuracy and wall seconds (load + standardise + trace + train) of one fit(compiled=True).

    ``directions`` 4 or 8 adds the one-pixel shifts of the training images (see ``shifted``).
    """
    act, lr, epochs, wd, sched, std = recipe
    t0 = time.perf_counter()
    Xtr, ytr, Xte, yte = split(*part, std)
    if directions:
        import numpy as np

        Xtr = shifted(np.array(Xtr), directions).tolist()
        ytr = ytr * (directions + 1)  # shifted() stacks whole copies of the set
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


def torch_fit_and_score(
    act: str,
    lr: float,
    epochs: int,
    wd: float,
    schedule: Callable[[int], float],
    seed: int,
    train_part: tuple[Any, Any],
    test_part: tuple[Any, Any],
    noise: float = 0.0,
    dropout: float = 0.0,
    smoothing: float = 0.0,
) -> float:
    """Train in PyTorch (float64, one thread, micrograd_kr's initial weights), batches of 64;
    return the accuracy on ``test_part``. ``noise``/``dropout`` act on each batch's inputs."""
    import numpy as np
    import torch

    torch.set_num_threads(1)
    model: Any = nn.MLP(64, [32, 10], activation=act, seed=seed).to_torch()
    params = model.parameters()
    opt = (
        torch.optim.AdamW(params, lr=lr, weight_decay=wd) if wd else torch.optim.Adam(params, lr=lr)
    )
    xt, yt = torch.tensor(train_part[0], dtype=torch.float64), torch.tensor(train_part[1])
    gen = torch.Generator().manual_seed(seed)
    for epoch in range(epochs):
        for group in opt.param_groups:
            group["lr"] = schedule(epoch)
        order = torch.randperm(len(xt), generator=gen)
        for i in range(0, len(xt), 64):
            idx = order[i : i + 64]
            xb = xt[idx]
            if noise:
                xb = xb + noise * torch.randn(xb.shape, generator=gen, dtype=xb.dtype)
            if dropout:
                kept = torch.rand(xb.shape, generator=gen, dtype=xb.dtype) > dropout
                xb = xb * kept / (1.0 - dropout)
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(xb), yt[idx], label_smoothing=smoothing)
            loss.backward()
            opt.step()
    with torch.no_grad():
        pred = model(torch.tensor(test_part[0], dtype=torch.float64)).argmax(1).numpy()
    return float((pred == np.asarray(test_part[1])).mean())


def torch_run(recipe: Recipe, part: Part, seed: int) -> float:
    """The same recipe in PyTorch, with micrograd_kr's initial weights."""
    act, lr, epochs, wd, sched, std = recipe
    Xtr, ytr, Xte, yte = split(*part, std)
    schedule = cosine(lr, epochs) if sched == "cos" else (lambda _: lr)
    return torch_fit_and_score(act, lr, epochs, wd, schedule, seed, (Xtr, ytr), (Xte, yte))


# (activation, lr, epochs, weight decay, input noise std, label smoothing, input dropout,
#  preprocessing, shift directions)
Regularised = tuple[str, float, int, float, float, float, float, str, int]

REGULARISED: list[Regularised] = [
    *itertools.product(
        ["relu", "tanh"],
        [0.01],
        [40],
        [0.0, 0.1],
        [0.0, 0.1, 0.3],
        [0.0, 0.1],
        [0.0, 0.2],
        ["none", "l2", "sqrt", "blur"],
        [0],
    ),
    *itertools.product(
        ["relu", "tanh"], [0.003, 0.01], [10, 30], [0.0, 0.1], [0.0], [0.0], [0.0], ["none"], [4, 8]
    ),
]


def shifted(images: Any, directions: int) -> Any:
    """The images and their copies moved by one pixel (4 or 8 directions), zeros filling in."""
    import numpy as np

    moves = [(0, 1), (0, -1), (1, 0), (-1, 0)]
    if directions == 8:
        moves += [(1, 1), (1, -1), (-1, 1), (-1, -1)]
    grids = images.reshape(-1, 8, 8)
    copies = [grids]
    for dy, dx in moves:
        moved = np.zeros_like(grids)
        moved[:, max(dy, 0) : 8 + min(dy, 0), max(dx, 0) : 8 + min(dx, 0)] = grids[
            :, max(-dy, 0) : 8 + min(-dy, 0), max(-dx, 0) : 8 + min(-dx, 0)
        ]
        copies.append(moved)
    return np.concatenate(copies).reshape(-1, 64)


def preprocessed(images: Any, kind: str) -> Any:
    """Per-image preprocessing (no statistics shared between images, so no leak from the test)."""
    import numpy as np

    if kind == "l2":
        return 4.0 * images / np.linalg.norm(images, axis=1, keepdims=True)
    if kind == "sqrt":
        return np.sqrt(images)
    if kind == "blur":
        padded = np.pad(images.reshape(-1, 8, 8), ((0, 0), (1, 1), (1, 1)))
        rows = 0.25 * padded[:, :, :-2] + 0.5 * padded[:, :, 1:-1] + 0.25 * padded[:, :, 2:]
        both = 0.25 * rows[:, :-2] + 0.5 * rows[:, 1:-1] + 0.25 * rows[:, 2:]
        return both.reshape(-1, 64)
    return images


def torch_regularised(cfg: Regularised, part: Part, seed: int) -> float:
    """One regularised recipe in PyTorch (cosine schedule), micrograd_kr's initial weights."""
    import numpy as np

    act, lr, epochs, wd, noise, smoothing, dropout, prep, directions = cfg
    X, y = (np.array(a) for a in data.load_digits())
    n_train, (lo, hi) = part
    Xtr, ytr = preprocessed(X[:n_train], prep), y[:n_train]
    if directions:
        Xtr, ytr = shifted(Xtr, directions), np.tile(ytr, directions + 1)
    test = (preprocessed(X[lo:hi], prep), y[lo:hi])
    return torch_fit_and_score(
        act, lr, epochs, wd, cosine(lr, epochs), seed, (Xtr, ytr), test, noise, dropout, smoothing
    )


def reference() -> dict[str, float]:
    """Accuracy on the last 297 of other classifiers trained on the first 1,500 (scikit-learn)."""
    import numpy as np
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.neural_network import MLPClassifier
    from sklearn.svm import SVC

    X, y = (np.array(a) for a in data.load_digits())
    models: dict[str, Any] = {
        "k-nearest neighbours, k=1": KNeighborsClassifier(1),
        "k-nearest neighbours, k=3": KNeighborsClassifier(3),
        "SVC (RBF, C=10)": SVC(C=10),
        "MLPClassifier, 32 hidden": MLPClassifier((32,), max_iter=3000, random_state=0),
        "MLPClassifier, 256 hidden": MLPClassifier((256,), max_iter=3000, random_state=0),
    }
    return {
        name: float((m.fit(X[:1500], y[:1500]).predict(X[1500:]) == y[1500:]).mean())
        for name, m in models.items()
    }


def main(argv: list[str]) -> None:
    if argv and argv[0] == "grid":
        part, count = (int(argv[1]), int(argv[2])) if len(argv) > 2 else (0, 1)
        for recipe in GRID[part::count]:
            val = [torch_run(recipe, VALIDATION, s) for s in (0, 1)]
            test = [torch_run(recipe, TEST, s) for s in (0, 1)]
            print(json.dumps({"recipe": recipe, "val": val, "test": test}), flush=True)
    elif argv and argv[0] == "regularised":
        part, count = (int(argv[1]), int(argv[2])) if len(argv) > 2 else (0, 1)
        for cfg in REGULARISED[part::count]:
            val = [torch_regularised(cfg, VALIDATION, s) for s in (0, 1)]
            test = [torch_regularised(cfg, TEST, s) for s in (0, 1)]
            print(json.dumps({"recipe": cfg, "val": val, "test": test}), flush=True)
    elif argv == ["reference"]:
        print(json.dumps(reference()))
    elif argv and argv[0] == "mg" and len(argv) in (8, 9):
        act, lr, epochs, wd, sched, std, seeds = argv[1:8]
        directions = int(argv[8]) if len(argv) == 9 else 0
        chosen: Recipe = (act, float(lr), int(epochs), float(wd), sched, std == "1")
        runs = [int(s) for s in seeds.split(",")]
        val = [micrograd_run(chosen, VALIDATION, s, directions)[0] for s in runs]
        tested = [micrograd_run(chosen, TEST, s, directions) for s in runs]
        print(
            json.dumps(
                {
                    "recipe": chosen,
                    "shift_directions": directions,
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
