"""The model file format: JSON with the architecture and every parameter, written atomically.

A model file is one JSON object (never pickle, so loading a file cannot run code)::

    {"format": "micrograd_kr.model", "version": 1,
     "architecture": {"type": "MLP", "nin": 2, "sizes": [16, 16, 1], ...},
     "parameters": {"layers.0.neurons.0.w.0": 0.31, ...}}

This module reads and writes that document; ``micrograd_kr.nn`` turns it into models
(``Module.save``, ``Module.load``, ``nn.load``).

Writing never replaces what is not a regular file (a FIFO, a device, also behind a
symlink); ``atomic_write`` is the one way the package writes files.

Reading is bounded: only regular files are read (a device such as ``/dev/zero``, a FIFO or
a directory is refused without reading, also behind a symlink) and at most
``MAX_FILE_BYTES`` (256 MB) are read; a model of a million parameters takes about 40 MB.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import math
import os
import reprlib
import secrets
import stat
from collections.abc import Mapping
from typing import Any

__all__ = [
    "FILE_FORMAT",
    "FILE_VERSION",
    "MAX_FILE_BYTES",
    "ModelFileError",
    "atomic_write",
    "check_write_target",
    "read_model_file",
    "write_model_file",
]

FILE_FORMAT = "micrograd_kr.model"
FILE_VERSION = 1
MAX_FILE_BYTES = 256 * 1024 * 1024  # 256 MB: refuse larger files instead of filling memory


class ModelFileError(ValueError):
    """A model file (or state dict) is corrupted, truncated, or does not fit the model."""


_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxlist, _REPR.maxdict = 2, 6, 4
_REPR.maxstring, _REPR.maxlong, _REPR.maxother = 70, 40, 70
SHORT_REPR_CHARS = 80


def short_repr(value: object) -> str:
    """``repr(value)`` cut to about 80 characters with an ellipsis, for error messages.

    A model file may hold a list of a million sizes or a megabyte-long string; quoting it
    whole would bury the message. reprlib also never builds the full repr first.
    """
    text = _REPR.repr(value)
    if len(text) > SHORT_REPR_CHARS:
        text = text[: SHORT_REPR_CHARS - 1] + "…"
    return text


def canonical(config: Mapping[str, Any]) -> str:
    """The architecture as JSON text, so 4.0 is not taken for 4, nor true for 1."""
    return json.dumps(config, sort_keys=True)


def describe_config(config: Mapping[str, Any]) -> str:
    """``MLP(nin=2, sizes=[16, 1], ...)``: a one-line summary of an architecture."""
    kind = config.get("type", "?")
    name = kind if isinstance(kind, str) and kind.isidentifier() else short_repr(kind)
    if len(name) > SHORT_REPR_CHARS:
        name = name[: SHORT_REPR_CHARS - 1] + "…"
    shown = [(k, v) for k, v in itertools.islice(config.items(), 12) if k != "type"]
    args = ", ".join(f"{short_repr(k)[1:-1]}={short_repr(v)}" for k, v in shown)
    if len(config) > 12:  # a file may carry any number of keys
        args += f", … ({len(config)} keys)"
    return f"{name}({args})"


_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
)


# --- writing ---------------------------------------------------------------------------------


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a file")


def check_write_target(path: str | os.PathLike[str], error: type[Exception] = ValueError) -> str:
    """The absolute path a write to ``path`` goes to (through symlinks), checked.

    A target that exists and is not a regular file (a FIFO, a device such as ``/dev/null``,
    a directory; also behind a symlink) is refused with ``error``: renaming a new file over
    it would replace the device or pipe itself (as root, ``/dev/null`` would become a file).
    """
    target = os.path.realpath(os.fspath(path))  # write through a symlink, as open() would
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return target
    if not stat.S_ISREG(info.st_mode):
        raise error(
            f"{os.fspath(path)}: 일반 파일이 아니라서 덮어쓰지 않습니다 "
            f"(not a regular file: {_kind(info.st_mode)}; refusing to replace it)"
        )
    return target


def atomic_write(
    path: str | os.PathLike[str], data: bytes, error: type[Exception] = ValueError
) -> None:
    """Write ``data`` to a temporary file next to ``path``, then rename it over ``path``.

    A crash leaves the old file or the new one, never half of one. The one way the package
    writes files (models, diagrams, animations): targets that are not regular files are
    refused with ``error`` (see ``check_write_target``), before and again just before the
    rename.
    """
    target = check_write_target(path, error)
    directory, name = os.path.split(target)
    tmp = os.path.join(directory, f".{name}.{secrets.token_hex(6)}.tmp")
    # os.open with mode 0o666 lets the umask decide permissions, like a plain open() would
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())  # the data is on disk before the rename makes it visible
        check_write_target(path, error)  # it may have been swapped while we wrote
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
            raise ValueError(
                f"저장할 수 없습니다: 매개변수 {name!r}이(가) {value!r}입니다 "
                f"(cannot save: parameter {name!r} is {value!r})"
            )
    document = {
        "format": FILE_FORMAT,
        "version": FILE_VERSION,
        "architecture": dict(architecture),
        "parameters": dict(parameters),
    }
    text = json.dumps(document, indent=1, allow_nan=False) + "\n"
    atomic_write(path, text.encode("utf-8"), ModelFileError)


# --- reading ---------------------------------------------------------------------------------


class _NonFiniteConstant(ValueError):
    """NaN or Infinity in a model file (JSON allows them as an extension; we do not)."""


def _reject_constant(name: str) -> float:
    raise _NonFiniteConstant(
        f"유한하지 않은 수 {name}은(는) 쓸 수 없습니다 (non-finite number {name} is not allowed)"
    )


def _read_bounded(where: str) -> bytes:
    """The bytes of a regular file of at most MAX_FILE_BYTES; anything else is refused."""
    # O_NONBLOCK: opening a FIFO must not wait for a writer; it changes nothing for a file
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(where, flags)  # a missing file raises FileNotFoundError, as usual
    limit = f"한도 {MAX_FILE_BYTES // 2**20} MB (limit MAX_FILE_BYTES = {MAX_FILE_BYTES} bytes)"
    try:
        # checked on the open file, not the name, so a swapped or linked path cannot slip by
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ModelFileError(
                f"{where}: 일반 파일이 아니라서 읽지 않습니다 "
                f"(not a regular file: {_kind(info.st_mode)})"
            )
        if info.st_size > MAX_FILE_BYTES:
            raise ModelFileError(
                f"{where}: 파일이 너무 큽니다 (file too large): {info.st_size} bytes, {limit}"
            )
    except BaseException:
        os.close(fd)
        raise
    with os.fdopen(fd, "rb") as f:
        raw = f.read(MAX_FILE_BYTES + 1)  # the file may have grown since fstat
    if len(raw) > MAX_FILE_BYTES:
        raise ModelFileError(f"{where}: 파일이 너무 큽니다 (file too large): {limit}")
    return raw


def read_model_file(path: str | os.PathLike[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The (architecture, parameters) of a model file, or ModelFileError saying what is wrong.

    Only a regular file of at most ``MAX_FILE_BYTES`` (256 MB) is read.
    """
    where = os.fspath(path)
    raw = _read_bounded(where)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ModelFileError(f"{where}: 텍스트 파일이 아닙니다 (not a text file: {exc})") from None
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise ModelFileError(
            f"{where}: 올바른 JSON이 아닙니다. 파일이 잘렸거나 손상되었을 수 있습니다 "
            f"(not valid JSON, the file may be truncated or corrupted; "
            f"line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except _NonFiniteConstant as exc:
        raise ModelFileError(f"{where}: {exc}") from None
    except ValueError as exc:  # Python's own: an integer with too many digits to parse
        raise ModelFileError(
            f"{where}: 읽을 수 없는 수가 있습니다 (unreadable number: {exc})"
        ) from None
    except RecursionError:
        raise ModelFileError(
            f"{where}: 모델 파일이 아닙니다 (not a model file: JSON nested too deeply)"
        ) from None
    if not isinstance(document, dict) or document.get("format") != FILE_FORMAT:
        raise ModelFileError(
            f"{where}: micrograd_kr의 모델 파일이 아닙니다 "
            f"(not a micrograd_kr model file, format {FILE_FORMAT!r})"
        )
    if document.get("version") != FILE_VERSION:
        raise ModelFileError(
            f"{where}: 지원하지 않는 파일 버전입니다 "
            f"(unsupported file version {short_repr(document.get('version'))}; "
            f"this micrograd_kr reads version {FILE_VERSION})"
        )
    architecture = document.get("architecture")
    parameters = document.get("parameters")
    if not isinstance(architecture, dict):
        raise ModelFileError(
            f"{where}: 'architecture'가 없거나 객체가 아닙니다 "
            "('architecture' is missing or not an object)"
        )
    if not isinstance(parameters, dict):
        raise ModelFileError(
            f"{where}: 'parameters'가 없거나 객체가 아닙니다 "
            "('parameters' is missing or not an object)"
        )
    return architecture, parameters
