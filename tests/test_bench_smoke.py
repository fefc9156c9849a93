"""The benchmark script still runs (tiny sizes). No timing is checked: CI machines are noisy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks" / "bench.py"


def test_bench_quick_runs_and_prints_the_table(tmp_path: Path) -> None:
    results = ROOT / "benchmarks" / "RESULTS.md"
    before = results.read_text(encoding="utf-8") if results.exists() else None
    proc = subprocess.run(
        [sys.executable, str(BENCH), "--quick"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "| workload | micrograd_kr |" in out
    for workload in ("demo step", "no_grad()", "random graph", "chain of", "B/node"):
        assert workload in out, f"{workload!r} missing from the table:\n{out}"
    assert "| target | required | measured | met |" in out
    # --quick only checks that the script runs: it must not overwrite the real results
    after = results.read_text(encoding="utf-8") if results.exists() else None
    assert after == before
