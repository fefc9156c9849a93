"""The compiler's, fit's and the losses' messages come from the catalog (messages.py).

With ``MICROGRAD_KR_LANG=en`` each module's errors carry no Hangul and still name the value
that was wrong; by default they stay Korean first, with the same English in parentheses.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from micrograd_kr import compile, define_op, functional, nn, train
from micrograd_kr.compiler import check_source, trace
from micrograd_kr.compiler.symbolic import literal
from micrograd_kr.engine import DomainError, TraceError, Value
from micrograd_kr.messages import LANG_VARIABLE

HANGUL = re.compile("[\uac00-\ud7a3\u3131-\u318e]")


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(LANG_VARIABLE, "en")


@pytest.fixture
def korean(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(LANG_VARIABLE, raising=False)


def _message(call: Callable[[], object], error: type[BaseException]) -> str:
    with pytest.raises(error) as info:
        call()
    return str(info.value)


def _square(x: Value) -> Value:
    return x * x


def _lifted_neuron() -> object:
    w = nn.Neuron(2, seed=0)
    return compile(lambda a, b: w([a, b]), [0.0, 0.0], params=w.parameters(), lift=True)


def _fit(**changes: object) -> None:
    args: dict[str, object] = {"epochs": 1, "progress": False, **changes}
    model = nn.MLP(2, [2, 2], seed=0)
    train.fit(model, [[0.0, 1.0], [1.0, 0.0]], [0, 1], **args)  # type: ignore[arg-type]


def _branchy() -> None:
    op = define_op("branchy_en", lambda m, x: x if x > 0.0 else 0.0 * x, [lambda m, o, x: 1.0])
    compile(lambda x: op(x), [1.0])


def _frozen() -> None:
    w = Value(2.0, label="w")
    c = compile(lambda x: x * w, [1.0])
    w.data = 3.0
    c(1.0)


def _numpy_failure() -> None:
    np = pytest.importorskip("numpy")
    compile(lambda x: x.log(), [1.0], check="never")(np.array([1.0, -1.0]))


# (what is called, exception type, English words, the value the message must name)
CASES: list[tuple[str, Callable[[], object], type[BaseException], str, str]] = [
    # compiler/__init__.py, trace.py
    ("lift", lambda: compile(_square, [1.0], lift=1), TypeError, "lift must be", "got 1"),  # type: ignore[arg-type]
    ("example", lambda: trace(_square, 3), TypeError, "list of numbers", "int"),  # type: ignore[arg-type]
    ("params", lambda: trace(_square, [1.0], params=[Value(1.0) * 2]), TypeError, "leaf", "[0]"),
    # codegen.py, symbolic.py
    (
        "source",
        lambda: check_source("def forward_backward(v0):\n    return 'x'\n"),
        TraceError,
        "unexpected text",
        "line 2",
    ),
    ("literal", lambda: literal("a"), TraceError, "only numbers", "'a'"),
    ("where", _branchy, TraceError, "m.where(cond, a, b)", "if"),
    # runtime.py
    ("check", lambda: compile(_square, [1.0], check="often"), ValueError, "check must", "'often'"),
    ("inputs", lambda: compile(_square, [1.0])(1.0, 2.0), TypeError, "input(s)", "got 2"),
    ("floats", lambda: compile(lambda x: x.log(), [1.0])(-1.0), DomainError, "at inputs", "-1.0"),
    ("frozen", _frozen, TraceError, "changed from 2.0 to 3.0", "'w'"),
    ("numpy", _numpy_failure, DomainError, "NumPy reports", "log"),
    ("X", lambda: _lifted_neuron().step([[1.0]]), ValueError, "samples x 2", "(1, 1)"),  # type: ignore[attr-defined]
    # train.py
    ("loss", lambda: _fit(loss="bogus"), ValueError, "unknown loss", "'bogus'"),
    ("batch", lambda: _fit(batch_size=0), ValueError, "batch_size must", "got 0"),
    ("named", lambda: _fit(compiled=True, loss=len), ValueError, "named losses", "len"),
    # functional.py
    (
        "label",
        lambda: functional.cross_entropy([1.0, 2.0, 3.0], 5),
        ValueError,
        "out of range 0..2",
        "5",
    ),
    (
        "probs",
        lambda: functional.cross_entropy([[1.0, 2.0]], [[0.5, 0.5]]),
        TypeError,
        "give probability targets as probs=",
        "target 0",
    ),
    (
        "hinge",
        lambda: functional.hinge_loss([[1.0]], [0]),
        ValueError,
        "at least two scores per sample",
        "sample 0 has 1",
    ),
    ("one_hot", lambda: functional.one_hot(1, 0), ValueError, "num_classes must", "got 0"),
]


@pytest.mark.parametrize(
    ("call", "error", "words", "value"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_english_only_mode_has_no_hangul_and_names_the_value(
    call: Callable[[], object],
    error: type[BaseException],
    words: str,
    value: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(LANG_VARIABLE, "en")
    message = _message(call, error)
    assert not HANGUL.search(message), message
    assert words in message and value in message, message
    # by default the same message is Korean first, with the same English in parentheses
    monkeypatch.delenv(LANG_VARIABLE)
    message = _message(call, error)
    assert words in message and value in message, message
    assert HANGUL.search(message[: message.index(words)]), message


@pytest.mark.usefixtures("english")
def test_an_input_check_names_input_and_sample_in_english() -> None:
    # the number itself is judged by the engine; the part naming where it sits is ours
    c = compile(lambda x, y: x * y, [1.0, 2.0])
    message = _message(lambda: c([1.0, 2.0], [3.0, float("inf")]), DomainError)
    where = message.split(": ")[0]
    assert where == "compiled function, input 1, sample 1", message
    ragged = _message(lambda: c([[1.0], [1.0, 2.0]], 1.0), ValueError)
    assert not HANGUL.search(ragged) and "input 0" in ragged and "ragged" in ragged, ragged


@pytest.mark.usefixtures("english")
def test_the_self_check_in_english_names_what_it_measured_and_the_default() -> None:
    c = compile(lambda x: x * 2 if x.data < 5 else x * 3, [1.0], check="always")
    message = _message(lambda: c([1.0, 10.0]), TraceError)
    assert not HANGUL.search(message), message
    assert "sample 1 [10.0], output: 20.0 compiled vs 30.0 eager" in message, message
    assert 'check="first" checks the first call only' in message, message


@pytest.mark.usefixtures("korean")
def test_the_self_check_reads_as_before_in_korean() -> None:
    # notebook 09 prints the first 100 characters of this message
    sneaky = compile(lambda x: x * 2 if x.data > 0 else x * 3, [1.0])
    message = _message(lambda: sneaky(-1.0), TraceError)
    assert message.startswith(
        "컴파일된 코드와 즉시 실행(eager) 엔진이 다릅니다: 입력 (the inputs) [-1.0], "
        "출력 (output): 컴파일 -2.0 대 즉시 실행 -3.0. 가능한 원인: "
    ), message


@pytest.mark.usefixtures("english")
def test_the_progress_bar_label_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("tqdm")
    _fit(progress=True)
    err = capsys.readouterr().err
    assert "training" in err and not HANGUL.search(err), err


@pytest.mark.usefixtures("korean")
def test_the_progress_bar_label_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("tqdm")
    _fit(progress=True)
    assert "학습 (training)" in capsys.readouterr().err
