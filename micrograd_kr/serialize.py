"""The model file format: JSON with the architecture and every parameter, written atomically.

A model file is one JSON object (never pickle, so loading a file cannot run code)::

    {"format": "micrograd_kr.model", "version": 1,
     "architecture": {"type": "MLP", "nin": 2, "sizes": [16, 16, 1], ...},
     "parameters": {"layers.0.neurons.0.w.0": 0.31, ...}}

This module reads and writes that document; ``micrograd_kr.nn`` turns it into models
(``Module.save``, ``Module.load``, ``nn.load``).
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import secrets
from collections.abc import Mapping
from typing import Any

__all__ = [
    "FILE_FORMAT",
    "FILE_VERSION",
    "ModelFileError",
    "read_model_file",
    "write_model_file",
]

FILE_FORMAT = "micrograd_kr.model"
FILE_VERSION = 1


class ModelFileError(ValueError):
    """A model file (or state dict) is corrupted, truncated, or does not fit the model."""


def canonical(config: Mapping[str, Any]) -> str:
    """The architecture as JSON text, so 4.0 is not taken for 4, nor true for 1."""
    return json.dumps(config, sort_keys=True)


def describe_config(config: Mapping[str, Any]) -> str:
    """``MLP(nin=2, sizes=[16, 1], ...)``: a one-line summary of an architecture."""
    kind = config.get("type", "?")
    args = ", ".join(f"{k}={v!r}" for k, v in config.items() if k != "type")
    return f"{kind}({args})"


# --- writing ---------------------------------------------------------------------------------


def _atomic_write(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to a temporary file next to ``path``, then rename it over ``path``."""
    target = os.path.abspath(os.fspath(path))
    directory, name = os.path.split(target)
    tmp = os.path.join(directory, f".{name}.{secrets.token_hex(6)}.tmp")
    # os.open with mode 0o666 lets the umask decide permissions, like a plain open() would
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())  # the data is on disk before the rename makes it visible
        os.replace(tmp, target)  # atomic on POSIX and Windows
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_model_file(
    path: str | os.PathLike[str], architecture: Mapping[str, Any], parameters: Mapping[str, float]
) -> None:
    """Write a model file atomically: a crash leaves the old file or the new one, never half.

    Floats are written with ``repr`` precision, so reading gives bit-identical values.
    """
    for name, value in parameters.items():
        if not math.isfinite(value):
            raise ValueError(f"cannot save: parameter {name!r} is {value!r}")
    document = {
        "format": FILE_FORMAT,
        "version": FILE_VERSION,
        "architecture": dict(architecture),
        "parameters": dict(parameters),
    }
    _atomic_write(path, json.dumps(document, indent=1, allow_nan=False) + "\n")


# --- reading ---------------------------------------------------------------------------------


def _reject_constant(name: str) -> float:
    raise ValueError(f"non-finite number {name} is not allowed")


def read_model_file(path: str | os.PathLike[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The (architecture, parameters) of a model file, or ModelFileError saying what is wrong."""
    where = os.fspath(path)
    with open(where, "rb") as f:  # a missing file raises FileNotFoundError, as usual
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ModelFileError(f"{where}: not a text file ({exc})") from None
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise ModelFileError(
            f"{where}: not valid JSON, the file may be truncated or corrupted "
            f"(line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except ValueError as exc:  # NaN / Infinity, or an integer too long to parse
        raise ModelFileError(f"{where}: {exc}") from None
    except RecursionError:
        raise ModelFileError(f"{where}: not a model file (JSON nested too deeply)") from None
    if not isinstance(document, dict) or document.get("format") != FILE_FORMAT:
        raise ModelFileError(f"{where}: not a micrograd_kr model file (format {FILE_FORMAT!r})")
    if document.get("version") != FILE_VERSION:
        raise ModelFileError(
            f"{where}: unsupported file version {document.get('version')!r} "
            f"(this micrograd_kr reads version {FILE_VERSION})"
        )
    architecture = document.get("architecture")
    parameters = document.get("parameters")
    if not isinstance(architecture, dict):
        raise ModelFileError(f"{where}: 'architecture' is missing or not an object")
    if not isinstance(parameters, dict):
        raise ModelFileError(f"{where}: 'parameters' is missing or not an object")
    return architecture, parameters
