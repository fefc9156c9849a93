"""The one timer of the benchmarks: median CPU time, repetitions interleaved."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable


def median_times(fns: dict[str, Callable[[], object]], reps: int) -> dict[str, float]:
    """Median CPU seconds of each function; repetitions interleave the functions.

    CPU time of this process (``time.process_time``), not wall time: the machine is shared,
    and time spent waiting for a core says nothing about the code. All workloads are
    single-threaded.

    Before each run the cyclic garbage collector runs untimed, so no implementation pays for
    the garbage of another (micrograd's nodes form reference cycles through their closures,
    so its graphs are freed only by the collector). Collections that a run triggers itself
    are timed.
    """
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(reps):
        for name, fn in fns.items():
            gc.collect()
            t0 = time.process_time()
            fn()
            times[name].append(time.process_time() - t0)
    return {name: statistics.median(ts) for name, ts in times.items()}
