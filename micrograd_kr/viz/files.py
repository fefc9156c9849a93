"""Atomic file writes shared by diagrams and animations."""

from __future__ import annotations

from pathlib import Path

from .. import serialize


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers never see a half-written file.

    The package's one atomic write (``serialize.atomic_write``): a target that is not a
    regular file (a FIFO, ``/dev/null``, also behind a symlink) is refused with ValueError.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    serialize.atomic_write(path, data)
