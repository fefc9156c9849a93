"""The model file format: JSON with the architecture and every parameter, written atomically.

A model file is one JSON object (never pickle, so loading a file cannot run code)::

    {"format": "micrograd_kr.model", "version": 1,
     "architecture": {"type": "MLP", "nin": 2, "sizes": [16, 16, 1], ...},
     "parameters": {"layers.0.neurons.0.w.0": 0.31, ...}}

This module reads and writes that document and turns it into models: each model class of
``micrograd_kr.nn`` declares its architecture once (a ``ConfigSpec``: the constructor
arguments that rebuild it), and ``config()``, ``from_config``, the parameter count checked
before building, ``Module.load`` and ``nn.load`` are derived from that declaration here.

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
import secrets
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, TypeVar

from ._args import SHORT_REPR_CHARS, finite_real, refused, short_repr
from .engine import Parameter, Value
from .messages import say

__all__ = [
    "FILE_FORMAT",
    "FILE_VERSION",
    "MAX_FILE_BYTES",
    "ModelFileError",
    "ConfigSpec",
    "atomic_write",
    "build_model",
    "config_of",
    "count_parameters",
    "load_into",
    "load_model",
    "set_parameters",
    "check_write_target",
    "read_model_file",
    "write_model_file",
]

FILE_FORMAT = "micrograd_kr.model"
FILE_VERSION = 1
MAX_FILE_BYTES = 256 * 1024 * 1024  # 256 MB: refuse larger files instead of filling memory


class ModelFileError(ValueError):
    """A model file (or state dict) is corrupted, truncated, or does not fit the model."""


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
        refusal = say("model_file.not_regular_write", kind=_kind(info.st_mode))
        raise error(f"{os.fspath(path)}: {refusal}")
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
            problem = say("model_file.parameter_not_finite", name=repr(name), value=repr(value))
            raise ValueError(say("shared.cannot_save") + f": {problem}")
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
    raise _NonFiniteConstant(say("model_file.non_finite_constant", name=name))


def _too_large() -> str:
    return say("model_file.too_large")


def _limit() -> str:
    return say("model_file.limit", mb=MAX_FILE_BYTES // 2**20, limit=MAX_FILE_BYTES)


def _read_bounded(where: str) -> bytes:
    """The bytes of a regular file of at most MAX_FILE_BYTES; anything else is refused."""
    # O_NONBLOCK: opening a FIFO must not wait for a writer; it changes nothing for a file
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(where, flags)  # a missing file raises FileNotFoundError, as usual
    try:
        # checked on the open file, not the name, so a swapped or linked path cannot slip by
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            refusal = say("model_file.not_regular_read", kind=_kind(info.st_mode))
            raise ModelFileError(f"{where}: {refusal}")
        if info.st_size > MAX_FILE_BYTES:
            raise ModelFileError(f"{where}: {_too_large()}: {info.st_size} bytes, {_limit()}")
    except BaseException:
        os.close(fd)
        raise
    with os.fdopen(fd, "rb") as f:
        raw = f.read(MAX_FILE_BYTES + 1)  # the file may have grown since fstat
    if len(raw) > MAX_FILE_BYTES:
        raise ModelFileError(f"{where}: {_too_large()}: {_limit()}")
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
        raise ModelFileError(f"{where}: " + say("model_file.not_text", error=exc)) from None
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        problem = say("model_file.bad_json", line=exc.lineno, column=exc.colno, error=exc.msg)
        raise ModelFileError(f"{where}: {problem}") from None
    except _NonFiniteConstant as exc:
        raise ModelFileError(f"{where}: {exc}") from None
    except ValueError as exc:  # Python's own: an integer with too many digits to parse
        problem = say("model_file.unreadable_number", error=exc)
        raise ModelFileError(f"{where}: {problem}") from None
    except RecursionError:
        raise ModelFileError(f"{where}: " + say("model_file.too_deep")) from None
    if not isinstance(document, dict) or document.get("format") != FILE_FORMAT:
        problem = say("model_file.wrong_format", format=repr(FILE_FORMAT))
        raise ModelFileError(f"{where}: {problem}")
    if document.get("version") != FILE_VERSION:
        version = short_repr(document.get("version"))
        problem = say("model_file.wrong_version", version=version, supported=FILE_VERSION)
        raise ModelFileError(f"{where}: {problem}")
    architecture = document.get("architecture")
    parameters = document.get("parameters")
    if not isinstance(architecture, dict):
        problem = say("model_file.missing_section", section="architecture")
        raise ModelFileError(f"{where}: {problem}")
    if not isinstance(parameters, dict):
        problem = say("model_file.missing_section", section="parameters")
        raise ModelFileError(f"{where}: {problem}")
    return architecture, parameters


# --- architectures -----------------------------------------------------------------------------


def _as_given(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class ConfigSpec:
    """A model class's architecture, declared once next to its constructor.

    ``fields`` are the constructor's arguments that rebuild the model, in file order; each is
    also an attribute of the model, which ``config()`` reads back. ``layers`` reads the dense
    layers ``(nin, nout, pieces per neuron)`` a config describes from its numbers alone, so a
    file's parameter count is checked before anything is built. ``checks`` run on a file's
    value of a field before the constructor sees it.
    """

    name: str  # the "type" of the architecture in a file
    fields: tuple[str, ...]
    layers: Callable[[Mapping[str, Any]], list[tuple[int, int, int]]]
    checks: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)


class _Model(Protocol):
    """What this module needs of a model: ``micrograd_kr.nn.Module``."""

    config_spec: ClassVar[ConfigSpec | None]

    def config(self) -> dict[str, Any]: ...

    def describe(self) -> str: ...

    def named_parameters(self) -> list[tuple[str, Parameter]]: ...


ModelT = TypeVar("ModelT", bound=_Model)


def config_of(model: _Model) -> dict[str, Any]:
    """``model.config()``: its type and the value of every field of its ``config_spec``."""
    spec = type(model).config_spec
    if spec is None:
        raise NotImplementedError
    config: dict[str, Any] = {"type": spec.name}
    for name in spec.fields:
        value = getattr(model, name)
        config[name] = list(value) if isinstance(value, list) else value
    return config


def count_parameters(spec: ConfigSpec, config: Mapping[str, Any]) -> int:
    """How many parameters ``config`` describes: nin + 1 per piece of every neuron."""
    return sum(nout * pieces * (nin + 1) for nin, nout, pieces in spec.layers(config))


def build_model(
    types: Mapping[str, type[ModelT]], config: object, num_parameters: int | None = None
) -> ModelT:
    """A fresh model of the class ``types[config["type"]]``, built from ``config``.

    With ``num_parameters`` the parameter count is checked *before* building, so a file
    that claims a huge network fails fast instead of filling memory.
    """
    if not isinstance(config, Mapping):
        raise ValueError(refused(say("model_file.architecture_type"), type(config).__name__))
    kind = config.get("type")
    cls = types.get(kind) if isinstance(kind, str) else None
    spec = cls.config_spec if cls is not None else None
    if cls is None or spec is None:
        unknown = say("model_file.unknown_type", kind=short_repr(kind))
        raise ValueError(f"{unknown}; " + say("model_file.known_types", known=sorted(types)))
    if num_parameters is not None:
        expected = count_parameters(spec, config)
        if expected != num_parameters:
            raise ValueError(
                say(
                    "model_file.count_mismatch",
                    expected=short_repr(expected),
                    given=num_parameters,
                )
            )
    keys = {"type", *spec.fields}
    missing = sorted(keys - set(config))
    extra = sorted(set(config) - keys)
    if missing or extra:
        raise ValueError(
            say(
                "model_file.keys_mismatch",
                kind=short_repr(config.get("type")),
                missing=short_repr(missing),
                extra=short_repr(extra),
            )
        )
    return cls(**{name: spec.checks.get(name, _as_given)(config[name]) for name in spec.fields})


# --- parameters --------------------------------------------------------------------------------


def set_parameters(model: _Model, state: object, source: str) -> None:
    """Set every parameter of ``model`` from the mapping ``state`` (name to number).

    The whole of ``state`` is checked first: all names must match exactly and every value
    must be a finite number; otherwise ``ModelFileError`` says what is wrong (``source``: the
    file or the call) and no parameter is changed.
    """
    if not isinstance(state, Mapping):
        raise ModelFileError(f"{source}: " + say("model_file.parameters_mapping"))
    named = model.named_parameters()
    names = {name for name, _ in named}
    missing = [name for name, _ in named if name not in state]
    unexpected = [key for key in state if key not in names]
    problems = []
    if missing:
        examples = short_repr(missing[:3])
        problems.append(say("model_file.missing_parameters", n=len(missing), examples=examples))
    if unexpected:
        examples = short_repr(unexpected[:3])
        problems.append(say("model_file.unexpected_keys", n=len(unexpected), examples=examples))
    if problems:
        mismatch = say("model_file.parameters_mismatch", model=model.describe())
        raise ModelFileError(f"{source}: {mismatch}: " + "; ".join(problems))
    updates = []
    for name, p in named:
        value = state[name]
        if isinstance(value, Value):
            value = value.data
        try:
            updates.append((p, finite_real(value, f"parameter {name!r}")))
        except (TypeError, ValueError, OverflowError) as exc:
            raise ModelFileError(f"{source}: {exc}") from None
    for p, x in updates:
        p.data = x


def load_into(model: _Model, path: str | os.PathLike[str]) -> None:
    """``model.load(path)``: the file's parameters into ``model``, whose architecture it must be.

    On any problem ``ModelFileError`` is raised and the model is left exactly as it was.
    """
    architecture, parameters = read_model_file(path)
    if canonical(architecture) != canonical(model.config()):
        differs = say(
            "model_file.architecture_differs",
            file=describe_config(architecture),
            model=model.describe(),
        )
        raise ModelFileError(f"{os.fspath(path)}: {differs}; " + say("model_file.use_load"))
    set_parameters(model, parameters, os.fspath(path))


def load_model(path: str | os.PathLike[str], types: Mapping[str, type[ModelT]]) -> ModelT:
    """``nn.load(path)``: a new model of one of ``types``, with the file's architecture and
    parameters; ``ModelFileError`` says what is wrong with a bad file."""
    where = os.fspath(path)
    architecture, parameters = read_model_file(path)
    try:
        model = build_model(types, architecture, num_parameters=len(parameters))
    except (TypeError, ValueError) as exc:
        invalid = say("model_file.invalid_architecture")
        raise ModelFileError(f"{where}: {invalid}: {exc}") from None
    set_parameters(model, parameters, where)
    return model
