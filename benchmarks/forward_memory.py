"""Issue 23: memory of a 1,000,000-step loop, forward mode (jvp) vs graph + backward().

Run from the repository root: python benchmarks/forward_memory.py [steps]
Peak memory by tracemalloc (which slows both runs down); the results go in RESULTS.md.
"""

from __future__ import annotations

import gc
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from micrograd_kr import Value, jvp

STEPS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000


def loop(x: Any) -> Any:
    for _ in range(STEPS):
        x = x + 1e-6 * x.cos()  # 3 operations a step
    return x


def forward() -> tuple[float, float]:
    out, tangent = jvp(loop, [0.5], [1.0])
    return out.data, tangent.data


def reverse() -> tuple[float, float]:
    x = Value(0.5)
    y = loop(x)
    y.backward()
    return y.data, x.grad


def main() -> None:
    runs: list[tuple[str, Callable[[], tuple[float, float]]]] = [
        ("forward (jvp)", forward),
        ("graph + backward()", reverse),
    ]
    for name, fn in runs:
        gc.collect()
        tracemalloc.start()
        start = time.process_time()
        value, derivative = fn()
        cpu = time.process_time() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"{name}: peak {peak / 1e3:,.1f} kB, value {value!r}, derivative {derivative!r}")
        print(f"    cpu {cpu:.1f} s under tracemalloc")


if __name__ == "__main__":
    main()
