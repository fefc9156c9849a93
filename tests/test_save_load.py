"""Saving and loading models: JSON files, bit-exact round trips, every kind of bad file."""

from __future__ import annotations

import json
import os
import re
import struct
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from micrograd_kr import nn, serialize
from micrograd_kr.nn import MLP, Layer, ModelFileError, Neuron


def bits(model: nn.Module) -> list[bytes]:
    """Every parameter as its 8 raw bytes: equality here is bit-for-bit (-0.0 != 0.0)."""
    return [struct.pack("<d", p.data) for p in model.parameters()]


def snapshot(model: nn.Module) -> tuple[list[bytes], list[float]]:
    return bits(model), [p.grad for p in model.parameters()]


@pytest.fixture
def model() -> MLP:
    m = MLP(2, [4, 3, 1], activation="tanh", seed=3)
    m([0.1, 0.2]).backward()  # non-zero grads: loading must not touch them either
    return m


@pytest.fixture
def saved(tmp_path: Path, model: MLP) -> Path:
    path = tmp_path / "model.json"
    model.save(path)
    return path


# --- round trips -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda: MLP(2, [16, 16, 1], seed=0),
        lambda: MLP(3, [5, 4], activation="maxout", out_activation="sigmoid", maxout_k=3),
        lambda: MLP(1, [8, 1], activation="leaky_relu", slope=0.2, seed=4),
        lambda: MLP(2, [3, 3], activation="elu", alpha=0.7, out_activation="tanh"),
        lambda: Layer(3, 2, activation="linear", seed=9),
        lambda: Neuron(4, "maxout", seed=2, maxout_k=4),
    ],
)
def test_save_then_load_is_bit_exact(tmp_path: Path, make) -> None:
    original = make()
    path = tmp_path / "m.json"
    original.save(path)
    copy = nn.load(path)
    assert type(copy) is type(original)
    assert copy.config() == original.config()
    assert bits(copy) == bits(original)
    x = [0.3, -0.6, 0.9, 0.1][: original.nin]
    assert repr(copy(x)) == repr(original(x))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.floats(allow_nan=False, allow_infinity=False, allow_subnormal=True),
        min_size=13,
        max_size=13,
    )
)
def test_any_finite_floats_round_trip(tmp_path: Path, values: list[float]) -> None:
    m = MLP(2, [3, 1], seed=0)
    for p, v in zip(m.parameters(), values):
        p.data = v  # includes -0.0, subnormals, 1e308
    path = tmp_path / "any.json"
    m.save(path)
    assert bits(nn.load(path)) == bits(m)
    other = MLP(2, [3, 1], seed=1)
    other.load(path)
    assert bits(other) == bits(m)


def test_load_into_an_existing_model(saved: Path, model: MLP) -> None:
    other = MLP(2, [4, 3, 1], activation="tanh", seed=99)
    assert other.load(saved) is other
    assert bits(other) == bits(model)


def test_file_is_readable_json(saved: Path, model: MLP) -> None:
    document = json.loads(saved.read_text(encoding="utf-8"))
    assert document["format"] == "micrograd_kr.model"
    assert document["version"] == 1
    assert document["architecture"] == model.config()
    assert document["parameters"] == model.state_dict()
    assert oct(saved.stat().st_mode & 0o777) != oct(0o600) or os.name == "nt"


def test_save_accepts_str_paths_and_overwrites(tmp_path: Path) -> None:
    path = str(tmp_path / "m.json")
    MLP(2, [2, 1], seed=1).save(path)
    MLP(2, [2, 1], seed=2).save(path)
    assert bits(nn.load(path)) == bits(MLP(2, [2, 1], seed=2))
    assert os.listdir(tmp_path) == ["m.json"]  # no temporary files left behind


def test_missing_file_is_a_file_not_found_error(tmp_path: Path, model: MLP) -> None:
    with pytest.raises(FileNotFoundError):
        nn.load(tmp_path / "nope.json")
    with pytest.raises(FileNotFoundError):
        model.load(tmp_path / "nope.json")


# --- atomic save -------------------------------------------------------------------------------


def test_crash_during_save_keeps_the_old_file(
    tmp_path: Path, saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = saved.read_bytes()

    def crash(*args: object) -> None:
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(serialize.os, "replace", crash)
    with pytest.raises(OSError, match="simulated"):
        MLP(2, [4, 3, 1], activation="tanh", seed=5).save(saved)
    assert saved.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.json"]  # the temporary file was removed


def test_crash_while_writing_keeps_the_old_file(
    tmp_path: Path, saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = saved.read_bytes()

    def crash(fd: int) -> None:
        raise KeyboardInterrupt  # even an interrupt must not leave half a file

    monkeypatch.setattr(serialize.os, "fsync", crash)
    with pytest.raises(KeyboardInterrupt):
        MLP(2, [4, 3, 1], activation="tanh", seed=5).save(saved)
    assert saved.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.json"]


def test_saving_a_nan_parameter_is_refused(saved: Path) -> None:
    before = saved.read_bytes()
    bad = MLP(2, [4, 3, 1], activation="tanh", seed=5)
    bad.parameters()[7].data = float("nan")
    with pytest.raises(ValueError, match=r"layers\.0\.neurons\.2\.w\.1"):
        bad.save(saved)
    assert saved.read_bytes() == before


# --- bad files: each raises ModelFileError and leaves the model exactly as it was ----------------


def edit(path: Path, change) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(json.dumps(document), encoding="utf-8")


def first_key(document: dict) -> str:
    return next(iter(document["parameters"]))


def set_param(value):
    return lambda d: d["parameters"].__setitem__(first_key(d), value)


BAD_EDITS = {
    "missing parameter": lambda d: d["parameters"].pop(first_key(d)),
    "extra parameter": lambda d: d["parameters"].__setitem__("layers.9.neurons.0.b", 1.0),
    "renamed parameter": lambda d: d["parameters"].__setitem__(
        "bogus", d["parameters"].pop(first_key(d))
    ),
    "string value": set_param("0.5"),
    "null value": set_param(None),
    "bool value": set_param(True),
    "list value": set_param([0.5]),
    "object value": set_param({"x": 1}),
    "overflowing value": set_param(10**400),
    "wrong format": lambda d: d.__setitem__("format", "pickle"),
    "wrong version": lambda d: d.__setitem__("version", 99),
    "no architecture": lambda d: d.pop("architecture"),
    "parameters not an object": lambda d: d.__setitem__("parameters", [1, 2, 3]),
    "wider layer (wrong shapes)": lambda d: d["architecture"].__setitem__("sizes", [5, 3, 1]),
    "fewer inputs (wrong shapes)": lambda d: d["architecture"].__setitem__("nin", 1),
    "unknown activation": lambda d: d["architecture"].__setitem__("activation", "swish"),
    "unknown model type": lambda d: d["architecture"].__setitem__("type", "os.system"),
    "extra architecture key": lambda d: d["architecture"].__setitem__("dropout", 0.5),
    "non-int size": lambda d: d["architecture"].__setitem__("sizes", [4.0, 3, 1]),
    "huge claimed network": lambda d: d["architecture"].__setitem__("sizes", [10**9, 1]),
    "top level is a list": lambda d: d.clear(),
}


@pytest.mark.parametrize("name", list(BAD_EDITS))
def test_bad_file_raises_and_leaves_the_model_alone(saved: Path, model: MLP, name: str) -> None:
    change = BAD_EDITS[name]
    if name == "top level is a list":
        saved.write_text("[1, 2, 3]", encoding="utf-8")
    else:
        edit(saved, change)
    before = snapshot(model)
    with pytest.raises(ModelFileError):
        model.load(saved)
    assert snapshot(model) == before
    with pytest.raises(ModelFileError):
        nn.load(saved)


RAW_FILES = {
    "empty": b"",
    "not json": b"hello, world",
    "binary garbage": bytes(range(256)),
    "NaN value": None,
    "Infinity value": None,
    "huge exponent": None,
    "nested 100,000 deep": b"[" * 100_000 + b"]" * 100_000,  # was a RecursionError
}


@pytest.mark.parametrize("name", list(RAW_FILES))
def test_corrupted_files(saved: Path, model: MLP, name: str) -> None:
    raw = RAW_FILES[name]
    if raw is None:
        text = saved.read_text(encoding="utf-8")
        key = first_key(json.loads(text))
        literal = {"NaN value": "NaN", "Infinity value": "-Infinity", "huge exponent": "1e400"}
        document = json.loads(text)
        document["parameters"][key] = "PLACEHOLDER"
        raw = json.dumps(document).replace('"PLACEHOLDER"', literal[name]).encode()
    saved.write_bytes(raw)
    before = snapshot(model)
    with pytest.raises(ModelFileError):
        model.load(saved)
    with pytest.raises(ModelFileError):
        nn.load(saved)
    assert snapshot(model) == before


def test_truncated_files(saved: Path, model: MLP) -> None:
    full = saved.read_bytes()
    before = snapshot(model)
    for cut in sorted({1, 10, len(full) // 3, len(full) // 2, len(full) - 40, len(full) - 2}):
        saved.write_bytes(full[:cut])
        with pytest.raises(ModelFileError, match="truncated or corrupted"):
            model.load(saved)
        assert snapshot(model) == before


def test_other_architecture_is_a_clear_error(saved: Path) -> None:
    other = MLP(2, [4, 3, 1], activation="relu", seed=3)
    before = snapshot(other)
    with pytest.raises(ModelFileError, match=r"activation='tanh'.*nn\.load"):
        other.load(saved)
    assert snapshot(other) == before
    with pytest.raises(ModelFileError, match="but this model is Layer"):
        Layer(2, 4).load(saved)


def test_error_messages_name_the_problem(saved: Path, model: MLP) -> None:
    edit(saved, set_param("oops"))
    with pytest.raises(ModelFileError, match=r"parameter 'layers\.0\.neurons\.0\.w\.0'.*str"):
        model.load(saved)
    edit(saved, lambda d: d["parameters"].pop("layers.2.neurons.0.b"))
    with pytest.raises(ModelFileError, match=r"missing 1 parameter.*layers\.2\.neurons\.0\.b"):
        model.load(saved)


# --- load_state_dict ---------------------------------------------------------------------------


def test_load_state_dict_is_all_or_nothing(model: MLP) -> None:
    state = model.state_dict()
    before = snapshot(model)
    for bad in (
        {**state, "layers.2.neurons.0.b": float("nan")},
        {**state, "layers.2.neurons.0.b": "1"},
        {k: v for k, v in state.items() if k != "layers.0.neurons.0.b"},
        {**state, "surprise": 1.0},
    ):
        with pytest.raises(ModelFileError):
            model.load_state_dict(bad)
        assert snapshot(model) == before
    with pytest.raises(ModelFileError, match="mapping"):
        model.load_state_dict([1.0, 2.0])  # type: ignore[arg-type]


def test_load_state_dict_accepts_ints(model: MLP) -> None:
    state = dict.fromkeys(model.state_dict(), 1)
    model.load_state_dict(state)
    assert all(p.data == 1.0 and isinstance(p.data, float) for p in model.parameters())


# --- hostile files: bounded reads and short messages (issue 12) --------------------------------


def load_in_thread(path: Path) -> BaseException | None:
    """nn.load(path) in a daemon thread; the error it raised. Fails if it is still blocked.

    The join limit only keeps a regression (a read that never returns) from hanging the
    suite; nothing here measures speed.
    """
    import threading

    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            nn.load(path)
            outcome.append(None)
        except BaseException as exc:  # handed to the test
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(60)
    assert outcome, f"nn.load({path}) did not return: it blocks or reads without end"
    return outcome[0]


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
@pytest.mark.parametrize("via_symlink", [False, True])
def test_a_device_is_refused_without_reading(tmp_path: Path, via_symlink: bool) -> None:
    path = Path("/dev/zero")
    if via_symlink:
        path = tmp_path / "model.json"
        path.symlink_to("/dev/zero")
    exc = load_in_thread(path)
    assert isinstance(exc, ModelFileError), repr(exc)
    assert "not a regular file" in str(exc) and "character device" in str(exc)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "model.json"
    os.mkfifo(fifo)  # no writer ever opens it: a plain open() for reading waits forever
    exc = load_in_thread(fifo)
    assert isinstance(exc, ModelFileError), repr(exc)
    assert "not a regular file" in str(exc) and "FIFO" in str(exc)


def test_a_directory_is_refused(tmp_path: Path, model: MLP) -> None:
    before = snapshot(model)
    with pytest.raises(ModelFileError, match="not a regular file: a directory"):
        model.load(tmp_path)
    assert snapshot(model) == before


def test_a_file_over_256_mb_is_refused_and_the_limit_named(tmp_path: Path, model: MLP) -> None:
    big = tmp_path / "big.json"
    with open(big, "wb") as f:
        f.write(b'{"format": "micrograd_kr.model", "version": 1, "parameters": {"a": 1')
        f.truncate(256 * 2**20 + 1)  # sparse: one byte over 256 MB, no disk space used
    before = snapshot(model)
    for load in (nn.load, model.load):
        with pytest.raises(ModelFileError, match="256 MB") as info:
            load(big)
        assert str(256 * 2**20) in str(info.value) and str(256 * 2**20 + 1) in str(info.value)
    assert snapshot(model) == before


def test_a_file_of_exactly_the_limit_is_read(
    saved: Path, model: MLP, monkeypatch: pytest.MonkeyPatch
) -> None:
    size = saved.stat().st_size
    monkeypatch.setattr(serialize, "MAX_FILE_BYTES", size)
    assert bits(nn.load(saved)) == bits(model)
    monkeypatch.setattr(serialize, "MAX_FILE_BYTES", size - 1)
    with pytest.raises(ModelFileError, match="file too large"):
        nn.load(saved)


HUGE = 1_000_000
LONG_VALUES = {
    "a 1,000,000-entry sizes": lambda d: d["architecture"].__setitem__("sizes", [3] * HUGE),
    "a megabyte activation": lambda d: d["architecture"].__setitem__("activation", "x" * HUGE),
    "a megabyte type": lambda d: d["architecture"].__setitem__("type", "T" * HUGE),
    "a megabyte version": lambda d: d.__setitem__("version", "v" * HUGE),
    "a 4000-digit nin": lambda d: d["architecture"].__setitem__("nin", 10**4000),
    "a long list as a weight": set_param([0.5] * HUGE),
    "a megabyte parameter name": lambda d: d["parameters"].__setitem__("k" * HUGE, 1.0),
    "many unknown keys": lambda d: d["architecture"].update({f"key{i}": i for i in range(HUGE)}),
    "a megabyte maxout_k": lambda d: d["architecture"].__setitem__("maxout_k", "9" * HUGE),
    "a deep list as sizes": lambda d: d["architecture"].__setitem__(
        "sizes", [[[[["x" * 1000] * 100] * 10]]]
    ),
}


@pytest.mark.parametrize("name", list(LONG_VALUES))
def test_quoted_values_in_file_errors_are_cut_short(saved: Path, model: MLP, name: str) -> None:
    edit(saved, LONG_VALUES[name])
    for load in (nn.load, model.load):
        with pytest.raises(ModelFileError) as info:
            load(saved)
        message = str(info.value)
        # the path, a sentence or two, and each quoted value cut to 80 characters
        assert len(message) < 1000, f"{len(message)} characters: {message[:300]}..."
        longest_run = max(len(m.group()) for m in re.finditer(r"(.)\1*", message))
        assert longest_run < 80, message
