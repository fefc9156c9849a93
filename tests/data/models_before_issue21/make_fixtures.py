"""Writes the model files of this folder; they were made with the code before issue 21:

    cd <checkout before issue 21> && PYTHONPATH=$PWD python make_fixtures.py <this folder>

tests/test_issue21_nn.py checks that today's code loads them, computes the same outputs and
writes them again byte for byte.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from micrograd_kr import nn


def main(out: Path) -> None:
    models: dict[str, tuple[nn.Module, list[float]]] = {
        "mlp_relu": (nn.MLP(2, [3, 2, 1], seed=0), [0.5, -1.0]),
        "mlp_maxout_sigmoid": (
            nn.MLP(3, [2, 2], activation="maxout", out_activation="sigmoid", maxout_k=3, seed=1),
            [0.5, -1.0, 2.0],
        ),
        "layer_leaky_relu": (
            nn.Layer(2, 2, activation="leaky_relu", slope=0.2, seed=4),
            [0.5, -1.0],
        ),
        "neuron_elu": (nn.Neuron(2, "elu", alpha=0.7, seed=2), [-0.5, -1.0]),
    }
    expected = {}
    for name, (model, x) in models.items():
        model.save(out / f"{name}.json")
        y = model(x)
        ys = y if isinstance(y, list) else [y]
        expected[name] = {
            "input": x,
            "output": [v.data for v in ys],
            "describe": model.describe(),
            "repr": repr(model),
        }
    (out / "expected_outputs.json").write_text(json.dumps(expected, indent=1) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
