"""Library error messages are Korean first, with the English wording kept in parentheses.

A message may open with the subject it is about, as the CLI's do: the operation and its inputs
(``log(-1.0): ...``), or the argument name (``argnums가 ...``). So the rule checked here is:
after an optional ``subject: `` prefix with no Hangul in it, the first word carries Hangul, and
a Hangul character comes before the English phrase. The English phrase (a learner searches for
it) and the offending value must both still be in the message.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from micrograd_kr import (
    compile,
    data,
    functional,
    grad,
    hessian,
    hvp,
    nn,
    optim,
    plot,
    train,
    value_and_grad,
)
from micrograd_kr.engine import DomainError, Value
from micrograd_kr.expr import parse_expression
from micrograd_kr.functional import define_op
from micrograd_kr.gradcheck import numerical_grad
from micrograd_kr.nn import ModelFileError
from micrograd_kr.viz import animate_backward, draw_dot

HANGUL = re.compile("[\uac00-\ud7a3]")


def korean_first(message: str) -> bool:
    head, sep, rest = message.partition(": ")
    # a short English name or a file's path may come first (its length depends on where
    # pytest keeps tmp_path: longer under parallel workers, .../popen-gw1/...)
    named = len(head) < 80 or Path(head).suffix == ".json"
    prose = rest if sep and not HANGUL.search(head) and named else message
    first_word = prose.split()[0] if prose.split() else ""
    return bool(HANGUL.search(first_word))


def _overflowing_backward() -> None:
    x = Value(1e-200)
    (1 / x).backward()  # d/dx 1/x = -1e400 is not a float


def _bad_json(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"format": ', encoding="utf-8")
    nn.load(path)


def _not_a_model(tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text('{"hello": 1}', encoding="utf-8")
    nn.load(path)


def _to_torch_without_torch() -> None:
    # sys.modules[name] = None makes `import name` raise ImportError, as if not installed
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(sys.modules, "torch", None)
        nn.MLP(2, [1]).to_torch()


def _plot_without_matplotlib() -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(sys.modules, "matplotlib", None)
        plot.loss_curve([1.0, 0.5])


def _render_without_dot() -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("shutil.which", lambda name: None)
        draw_dot(Value(1.0) * 2.0, renderer="dot").pipe("svg")


def _too_big_to_draw() -> None:
    total = Value(0.0)
    for i in range(30):
        total = total + i
    draw_dot(total, max_nodes=10)


def _save_diagram_as_txt(tmp_path: Path) -> None:
    draw_dot(Value(1.0) * 2.0).save(tmp_path / "graph.txt")


def _save_animation_as_svg(tmp_path: Path) -> None:
    out = Value(1.0) * 2.0
    out.backward()
    animate_backward(out).save(tmp_path / "backprop.svg")


def _fit(**changes: Any) -> None:
    args: dict[str, Any] = {"X": [[0.0, 1.0], [1.0, 0.0]], "y": [0, 1], "epochs": 1}
    args.update(changes)
    model = nn.MLP(2, [2, 2], seed=0)
    train.fit(model, args.pop("X"), args.pop("y"), progress=False, **args)


def _lifted() -> Any:
    w = nn.Neuron(2, seed=0)
    return compile(lambda a, b: w([a, b]), [0.0, 0.0], params=w.parameters(), lift=True)


def _huge_integer(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    path.write_text('{"w": ' + "9" * 5000 + "}", encoding="utf-8")
    nn.load(path)


def _square(x: Any) -> Any:
    return x * x


# (what is called, exception type, English phrase, offending value)
CASES: list[tuple[str, Callable[..., object], type[BaseException], str, str]] = [
    # engine / ops
    ("Value(str)", lambda: Value("a"), TypeError, "Value needs a real number", "'a'"),
    ("Value(inf)", lambda: Value(float("inf")), DomainError, "finite number", "inf"),
    ("Value(10**400)", lambda: Value(10**400), DomainError, "a float can hold", "10^400"),
    ("log(-1)", lambda: Value(-1.0).log(), DomainError, "log is defined only for x > 0", "-1.0"),
    ("1/0", lambda: Value(1.0) / 0, DomainError, "division by zero", "(1.0, 0.0)"),
    ("sqrt(-4)", lambda: Value(-4.0).sqrt(), DomainError, "sqrt is defined only", "-4.0"),
    ("exp(1000)", lambda: Value(1000.0).exp(), DomainError, "exp overflows", "1000.0"),
    ("(-2)**0.5", lambda: Value(-2.0) ** 0.5, DomainError, "non-integer power", "-2.0"),
    ("10**400", lambda: Value(10.0) ** 400.0, DomainError, "too large for a float", "400.0"),
    (
        "sqrt'(0)",
        lambda: Value(0.0).sqrt().backward(),
        DomainError,
        "derivative undefined at input",
        "0.0",
    ),
    ("grad overflow", _overflowing_backward, DomainError, "overflowed", "inf"),
    (
        "define_op name",
        lambda: define_op("1bad", lambda m, x: x, [lambda m, out, x: 1.0]),
        ValueError,
        "must be a Python identifier",
        "'1bad'",
    ),
    # autodiff
    ("grad('a')", lambda: grad(_square)("a"), TypeError, "must be a number or a Value", "str"),
    ("argnums=5", lambda: grad(_square, argnums=5)(1.0), IndexError, "out of range", "5"),
    (
        "argnums=()",
        lambda: grad(_square, argnums=())(1.0),
        ValueError,
        "argnums is empty",
        "argnums",
    ),
    ("returns list", lambda: value_and_grad(lambda x: [x])(1.0), TypeError, "scalar", "list"),
    ("hessian()", lambda: hessian(_square)(), ValueError, "at least one argument", "hessian"),
    ("hvp v", lambda: hvp(_square)([1.0, 2.0], [1.0]), ValueError, "v has 1", "2 entries"),
    # functional
    ("softmax([])", lambda: functional.softmax([]), ValueError, "at least one element", "empty"),
    (
        "softmax str",
        lambda: functional.softmax([1.0, "a"]),
        TypeError,
        "must be a number or a Value",
        "element 1",
    ),
    (
        "class label",
        lambda: functional.cross_entropy([1.0, 2.0, 3.0], 5),
        ValueError,
        "out of range 0..2",
        "5",
    ),
    (
        "mse lengths",
        lambda: functional.mse_loss([1.0, 2.0], [1.0]),
        ValueError,
        "prediction(s) but",
        "2 prediction",
    ),
    (
        "bce prob",
        lambda: functional.binary_cross_entropy(1.5, 1.0),
        ValueError,
        "probabilities must lie in [0, 1]",
        "1.5",
    ),
    ("one_hot", lambda: functional.one_hot(1, 0), ValueError, "positive int", "got 0"),
    # nn
    ("MLP inputs", lambda: nn.MLP(2, [3, 1])([1.0]), ValueError, "expects 2 input", "got 1"),
    ("Neuron number", lambda: nn.Neuron(2)(3.0), ValueError, "got a single number", "2 inputs"),
    ("layer size 0", lambda: nn.MLP(2, [0]), ValueError, "must be a positive int", "0"),
    (
        "activation",
        lambda: nn.Neuron(2, activation="bogus"),
        ValueError,
        "unknown activation",
        "'bogus'",
    ),
    # optim
    ("SGD []", lambda: optim.SGD([], lr=0.1), ValueError, "empty parameter list", "optimizer"),
    ("lr < 0", lambda: optim.SGD([Value(1.0)], lr=-1.0), ValueError, "finite number >= 0", "-1.0"),
    (
        "betas",
        lambda: optim.Adam([Value(1.0)], lr=0.1, betas=(1.0, 0.9)),
        ValueError,
        "must be in [0, 1)",
        "1.0",
    ),
    # gradcheck
    ("inputs int", lambda: numerical_grad(_square, 3), TypeError, "list of numbers", "int"),
    # data
    ("moons n", lambda: data.make_moons(0), ValueError, "must be an int >=", "got 0"),
    (
        "split fraction",
        lambda: data.train_test_split([[0.0], [1.0]], [0, 1], test_fraction=2.0),
        ValueError,
        "test_fraction must be between 0 and 1",
        "2.0",
    ),
    # expr, torch_export
    (
        "expr arity",
        lambda: parse_expression("x * y")(1.0),
        TypeError,
        "expected 2 arguments",
        "got 1",
    ),
    ("no torch", _to_torch_without_torch, ImportError, "needs PyTorch", "pip install torch"),
    # train
    ("fit loss", lambda: _fit(loss="bogus"), ValueError, "unknown loss", "'bogus'"),
    ("fit X/y", lambda: _fit(y=[0]), ValueError, "2 samples but y has 1", "1 targets"),
    ("fit empty", lambda: _fit(X=[], y=[]), ValueError, "no training data", "X is empty"),
    ("fit epochs", lambda: _fit(epochs=-1), ValueError, "epochs must be an int", "-1"),
    ("fit batch", lambda: _fit(batch_size=0), ValueError, "batch_size must be", "0"),
    ("fit optimizer", lambda: _fit(optimizer="rmsprop"), ValueError, "unknown optimizer", "rms"),
    ("fit diverges", lambda: _fit(lr=1e200, epochs=2), FloatingPointError, "diverged", "epoch 1"),
    ("fit ends diverged", lambda: _fit(lr=1e200), FloatingPointError, "diverged", "the last epoch"),
    # lift
    ("lift X", lambda: _lifted().step([[1.0]]), ValueError, "samples x 2 array", "(1, 1)"),
    (
        "lift reduce",
        lambda: _lifted()([1.0], [2.0], reduce="max"),
        ValueError,
        "reduce must be None",
        "'max'",
    ),
    (
        "lift scalar reduce",
        lambda: _lifted()(1.0, 2.0, reduce="sum"),
        ValueError,
        "reduce= needs a batch",
        "reduce=",
    ),
    (
        "lift params",
        lambda: _lifted()([1.0], [2.0], params=[1.0]),
        TypeError,
        "expected 3 parameter(s)",
        "got 1",
    ),
    # plot and viz
    ("no matplotlib", _plot_without_matplotlib, ImportError, "plotting needs matplotlib", "pip"),
    ("no dot", _render_without_dot, RuntimeError, "is not on PATH", "install one of them"),
    (
        "draw 3",
        lambda: draw_dot(3),
        TypeError,
        "expected a Value",
        "int",
    ),
    ("too big", _too_big_to_draw, ValueError, "more than max_nodes=10", "unreadable"),
    # compiler
    ("compile int", lambda: compile(_square, 3), TypeError, "list of numbers", "int"),
    (
        "reduce",
        lambda: compile(_square, [1.0])(1.0, reduce="max"),
        ValueError,
        "reduce must be None",
        "'max'",
    ),
]


@pytest.mark.parametrize(("call", "error", "english", "value"), [c[1:] for c in CASES])
def test_library_error_is_korean_first(
    call: Callable[[], object], error: type[BaseException], english: str, value: str
) -> None:
    with pytest.raises(error) as info:
        call()
    message = str(info.value)
    assert korean_first(message), message
    assert english in message, message
    assert value in message, message
    assert HANGUL.search(message[: message.index(english)]), message  # Korean before English


@pytest.mark.parametrize(
    ("make", "english"),
    [
        (_bad_json, "not valid JSON"),
        (_not_a_model, "not a micrograd_kr model file"),
        (_huge_integer, "unreadable number"),
    ],
)
def test_model_file_errors_are_korean_first(
    tmp_path: Path, make: Callable[[Path], None], english: str
) -> None:
    with pytest.raises(ModelFileError) as info:
        make(tmp_path)
    message = str(info.value)
    assert korean_first(message), message
    assert english in message and str(tmp_path) in message, message


def test_the_prefix_rule_itself() -> None:
    assert korean_first("log(-1.0): 로그는 x > 0 에서만 정의됩니다 (log is defined only ...)")
    assert korean_first("argnums가 비어 있습니다 (argnums is empty)")
    assert not korean_first("log(-1.0): log is defined only for x > 0")
    assert not korean_first("Value needs a real number (int or float), got str: 'a'")


@pytest.mark.parametrize(
    ("save", "english", "value"),
    [
        (_save_diagram_as_txt, "cannot save a diagram as", "'.txt'"),
        (_save_animation_as_svg, "an animation is saved as an .html file", "'.svg'"),
    ],
)
def test_file_suffix_errors_are_korean_first(
    tmp_path: Path, save: Callable[[Path], None], english: str, value: str
) -> None:
    with pytest.raises(ValueError) as info:
        save(tmp_path)
    message = str(info.value)
    assert korean_first(message), message
    assert english in message and value in message, message
    assert not list(tmp_path.iterdir())  # nothing written
