"""Every message a user can see, in one place: a key, a Korean template and an English one.

Code never writes message text inline; it names a key and gives the numbers::

    raise DomainError(say("log.domain", x=x))

``say`` fills both templates with the same fields and gives the Korean first, with the
English in parentheses, so a learner reads Korean and can still search for the English term::

    로그는 x > 0 에서만 정의됩니다 (log is defined only for x > 0)

Set the environment variable ``MICROGRAD_KR_LANG=en`` to get the English text alone (for a
bug report in English, or a log read by people who do not read Korean).

A phrase that recurs in several messages is a key of its own and is passed in as a field
(``say("value.not_finite", what=say("phrase.seed"))``), so each phrase is written once.
Templates use ``str.format`` fields: ``{x!r}``, ``{n}``; a literal brace is ``{{``.
"""

from __future__ import annotations

import os
import string
from typing import Any, NamedTuple

__all__ = ["Message", "CATALOG", "say", "korean", "english", "english_only", "fields_of"]

LANG_VARIABLE = "MICROGRAD_KR_LANG"


class Message(NamedTuple):
    """One entry of the catalog: the Korean template and the English template."""

    ko: str
    en: str


def english_only() -> bool:
    """True when the user asked for English messages alone (``MICROGRAD_KR_LANG=en``)."""
    return os.environ.get(LANG_VARIABLE, "").strip().lower() in ("en", "english")


def _message(key: str) -> Message:
    try:
        return CATALOG[key]
    except KeyError:
        raise KeyError(f"no message with key {key!r} in micrograd_kr.messages") from None


def korean(key: str, /, **fields: Any) -> str:
    """The Korean text of ``key`` alone (for labels where the English goes elsewhere)."""
    return _message(key).ko.format(**fields)


def english(key: str, /, **fields: Any) -> str:
    """The English text of ``key`` alone."""
    return _message(key).en.format(**fields)


def say(key: str, /, **fields: Any) -> str:
    """The message ``key`` with ``fields`` filled in: Korean first, English in parentheses.

    A message whose Korean template is empty is English only (a technical term, a name).
    """
    entry = _message(key)
    en = entry.en.format(**fields)
    if english_only() or not entry.ko:
        return en
    ko = entry.ko.format(**fields)
    return f"{ko} ({en})" if en else ko


def fields_of(template: str) -> set[str]:
    """The field names a template uses (the tests check both languages use the same ones)."""
    return {
        name.split(".")[0].split("[")[0]
        for _, name, _, _ in string.Formatter().parse(template)
        if name
    }


# --- the catalog ---------------------------------------------------------------------------
# Keys are "area.what". One section per part of the package; phrases that several parts
# use are in the first one. The sections are joined at the end, where a key defined twice
# is an error.

# Phrases shared by several parts of the package.
_SHARED: dict[str, Message] = {
    "shared.must_be_number": Message("{what}은(는) 숫자여야 합니다", "{what} must be a number"),
    "shared.must_be_finite": Message(
        "{what}은(는) 유한한 수여야 합니다", "{what} must be a finite number"
    ),
    "shared.needs_finite": Message("유한한 수가 필요합니다", "needs a finite number"),
    "shared.number_or_value": Message(
        "{what}은(는) 숫자나 Value여야 합니다", "{what} must be a number or a Value"
    ),
    "shared.out_of_range": Message("{what}이(가) 범위를 벗어났습니다", "{what} is out of range"),
    "shared.input_count": Message(
        "입력 개수가 다릅니다", "expected {expected} input(s), got {got}"
    ),
    "shared.not_finite_result": Message(
        "출력이나 기울기가 넘쳤습니다", "overflow: the output or a gradient is not finite"
    ),
    "shared.needs_numpy": Message(
        "{what}에는 NumPy가 필요합니다", "{what} needs NumPy: pip install numpy"
    ),
    "shared.negative_power": Message(
        "음수의 정수가 아닌 거듭제곱은 실수가 아닙니다",
        "a negative base to a non-integer power is not a real number",
    ),
    "shared.cannot_compute": Message("계산할 수 없습니다", "cannot compute"),
    "shared.cannot_save": Message("저장할 수 없습니다", "cannot save"),
    "shared.cannot_render": Message("그림을 그릴 수 없습니다", "cannot render"),
    "shared.diverged": Message("학습이 발산했습니다", "training diverged"),
    "shared.smaller_lr": Message("학습률(lr)을 줄여 보세요", "try a smaller lr"),
    "shared.seed": Message(
        "seed는 int, random.Random 또는 None이어야 합니다",
        "seed must be an int, a random.Random or None",
    ),
}


# The engine: Value, backward, grad mode, hand-made nodes, the table's rules (engine.py,
# checks.py, mode.py, lecture.py, ops.py, autodiff.py, graph.py, gradcheck.py).
_ENGINE: dict[str, Message] = {}


# Forward mode and Jacobians: jvp, jacfwd, jacobian, vjp, jacrev, hvp, create_graph
# (forward.py, and the parts of autodiff.py they added).
_FORWARD: dict[str, Message] = {
    "forward.not_a_list": Message(
        "{what}는 숫자나 Value의 리스트(또는 튜플)여야 합니다",
        "{what} must be a list (or tuple) of numbers or Values, got {got}",
    ),
    "forward.count_mismatch": Message(
        "primals와 tangents의 개수가 다릅니다: {primals}개와 {tangents}개",
        "primals and tangents differ in length: {primals} and {tangents}",
    ),
    "forward.no_arguments": Message(
        "{what}에는 인자가 하나 이상 필요합니다", "{what} needs at least one argument"
    ),
    "forward.tangent_overflow": Message(
        "{op}{at}: 접선(ẋ)이 {tangent}(으)로 넘쳤습니다",
        "the tangent of {op}{at} overflowed to {tangent}",
    ),
    "forward.no_graph": Message(
        "jvp의 수(Dual)에는 계산 그래프가 없어 backward()를 할 수 없습니다. "
        "jvp가 돌려준 접선을 쓰거나, 그래프가 필요하면 primals에 Value를 주세요",
        "a number of jvp (a Dual) has no graph, so backward() cannot run on it: use the "
        "tangent jvp returns, or pass Values as primals to keep a graph",
    ),
    "forward.bad_output": Message(
        "함수는 Value나 숫자, 또는 그 리스트를 돌려주어야 합니다 (출력 {index})",
        "the function must return a Value, a number or a list of them; output {index} is a {got}",
    ),
    "forward.mode": Message(
        "mode는 'rev' 또는 'fwd'여야 합니다", "mode must be 'rev' or 'fwd', got {got!r}"
    ),
    "forward.cotangent_count": Message(
        "vjp_fn에는 출력마다 하나씩 {outputs}개의 수가 필요합니다",
        "vjp_fn needs one cotangent per output ({outputs}), got {got}",
    ),
    "forward.seed_not_value": Message(
        "seeds의 열쇠는 그래프의 Value여야 합니다", "the keys of seeds must be Values, got {got}"
    ),
}


# The compiler and compiled training (the compiler package, train.py, functional.py).
_COMPILE: dict[str, Message] = {}


# Models, data, optimizers and files (nn.py, data.py, optim.py, serialize.py,
# torch_export.py).
_MODELS: dict[str, Message] = {}


# Pictures: diagrams, the animation, plots, fonts (viz/, plot.py, fonts.py).
_PICTURES: dict[str, Message] = {}


# The command line and its expression parser (cli.py, expr.py), argparse's own texts.
_COMMAND_LINE: dict[str, Message] = {}


def _join(*sections: dict[str, Message]) -> dict[str, Message]:
    joined: dict[str, Message] = {}
    for section in sections:
        for key, entry in section.items():
            if key in joined:
                raise ValueError(f"message key {key!r} is defined twice")
            joined[key] = entry
    return joined


CATALOG: dict[str, Message] = _join(
    _SHARED, _ENGINE, _FORWARD, _COMPILE, _MODELS, _PICTURES, _COMMAND_LINE
)
