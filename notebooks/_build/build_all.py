"""Build and execute every notebook this folder has a script for (nbNN_*.py)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from nbtools import build  # noqa: E402

if __name__ == "__main__":
    wanted = sys.argv[1:]
    for script in sorted(HERE.glob("nb[0-9][0-9]_*.py")):
        if wanted and not any(script.stem.startswith(f"nb{w}") for w in wanted):
            continue
        module = importlib.import_module(script.stem)
        build(module.NAME, module.CELLS)
