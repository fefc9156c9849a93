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


# The compiler and compiled training (the compiler package, train.py, functional.py).
_COMPILE: dict[str, Message] = {}


# Models, data, optimizers and files (nn.py, data.py, optim.py, serialize.py,
# torch_export.py).
_MODELS: dict[str, Message] = {}


# Pictures: diagrams, the animation, plots, fonts (viz/, plot.py, fonts.py).
_PICTURES: dict[str, Message] = {}


# The command line and its expression parser (cli.py, expr.py), argparse's own texts.
# Help texts and labels are shown in one language at a time (Korean, or English in
# English-only mode); errors and results in both.
_COMMAND_LINE: dict[str, Message] = {
    # argparse's texts (cli.py maps argparse's own English to these keys)
    "cli.argparse.usage": Message("사용법: ", "usage: "),
    "cli.argparse.positionals": Message("인자", "positional arguments"),
    "cli.argparse.options": Message("옵션", "options"),
    "cli.argparse.commands": Message("명령", "commands"),
    "cli.argparse.argument": Message("", "{name}: {message}"),
    "cli.argparse.required": Message(
        "필요한 인자가 빠졌습니다", "the following arguments are required: {names}"
    ),
    "cli.argparse.expected_one": Message("값이 하나 필요합니다", "expected one argument"),
    "cli.argparse.expected_at_most_one": Message(
        "값은 하나까지입니다", "expected at most one argument"
    ),
    "cli.argparse.expected_at_least_one": Message(
        "값이 하나 이상 필요합니다", "expected at least one argument"
    ),
    "cli.argparse.expected_n": Message("값의 개수가 맞지 않습니다", "expected {n} argument(s)"),
    "cli.argparse.ambiguous": Message(
        "옵션 {option}이(가) 모호합니다", "ambiguous option: {option} could match {matches}"
    ),
    "cli.argparse.invalid_type": Message("잘못된 값입니다", "invalid {type} value: {value}"),
    "cli.argparse.not_allowed_with": Message(
        "함께 쓸 수 없는 옵션입니다", "not allowed with argument {other}"
    ),
    "cli.argparse.one_required": Message(
        "다음 중 하나가 필요합니다", "one of the arguments {names} is required"
    ),
    "cli.argparse.explicit_value": Message(
        "값을 받지 않는 옵션입니다", "ignored explicit argument {value}"
    ),
    "cli.unrecognized": Message("알 수 없는 인자입니다", "unrecognized arguments: {words}"),
    "cli.missing_command": Message("명령이 없습니다", "missing command: one of {commands}"),
    "cli.unknown_command": Message(
        "알 수 없는 명령 '{value}'", "unknown command '{value}'; choose from {choices}"
    ),
    "cli.unknown_value": Message(
        "알 수 없는 값 '{value}'", "invalid choice '{value}'; choose from {choices}"
    ),
    "cli.did_you_mean": Message("혹시 '{name}'?", "did you mean '{name}'?"),
    "cli.see_help": Message("{message} ('{prog} --help' 참고)", "{message} (see '{prog} --help')"),
    "cli.error_line": Message("오류: {message}", "error: {message}"),
    # option values
    "cli.must_be_positive": Message("양수여야 합니다", "must be > 0, got {value}"),
    "cli.must_be_nonnegative": Message("0 이상이어야 합니다", "must be >= 0, got {value}"),
    "cli.not_an_integer": Message(
        "값 {value}은(는) 정수가 아닙니다", "value {value} is not an integer"
    ),
    "cli.out_of_range": Message(
        "{low}~{high} 사이여야 합니다", "must be in {low}..{high}, got {value}"
    ),
    "cli.too_many_layers": Message("은닉층은 최대 {n}개입니다", "at most {n} hidden layers"),
    # help (one language at a time)
    "cli.help.help": Message("이 도움말을 보여 주고 끝냅니다", "show this help message and exit"),
    "cli.help.version": Message("버전을 보여 줍니다", "show the version and exit"),
    "cli.help.description": Message(
        "micrograd_kr: 스칼라 자동 미분(역전파)을 배우는 도구. "
        "계산 그래프 그림, 기울기 표, 작은 신경망 학습을 명령 하나로 만듭니다.",
        "micrograd_kr: a tool to learn scalar automatic differentiation (backpropagation). "
        "One command makes a computation graph diagram, a gradient table or a small trained "
        "neural network.",
    ),
    "cli.help.epilog": Message(
        "예:\n"
        "  micrograd-kr demo\n"
        '  micrograd-kr graph "tanh(w*x + b)" x=2 w=-3 b=6.88 -o g.svg\n'
        '  micrograd-kr gradcheck "log(x) * 가중치" x=2 가중치=0.5\n'
        "  micrograd-kr train --dataset moons --epochs 50 --save model.json\n"
        "\n종료 상태: 0 성공, 1 gradcheck 불일치 또는 미분 불가, 2 사용법/입력 오류.",
        "examples:\n"
        "  micrograd-kr demo\n"
        '  micrograd-kr graph "tanh(w*x + b)" x=2 w=-3 b=6.88 -o g.svg\n'
        '  micrograd-kr gradcheck "log(x) * weight" x=2 weight=0.5\n'
        "  micrograd-kr train --dataset moons --epochs 50 --save model.json\n"
        "\nexit status: 0 success, 1 gradcheck mismatch or not differentiable, "
        "2 usage or input error.",
    ),
    "cli.help.force": Message(
        "이미 있는 파일을 덮어씁니다 (기본: 덮어쓰지 않고 멈춤)",
        "overwrite files that exist (default: stop without overwriting)",
    ),
    "cli.help.epochs": Message(
        "학습 에폭 수 (기본: {default})", "training epochs (default: {default})"
    ),
    "cli.help.seed": Message("난수 시드", "random seed"),
    "cli.help.no_progress": Message("진행 막대를 숨깁니다", "hide the progress bar"),
    "cli.help.values": Message("변수 값, 예: {example}", "variable values, e.g. {example}"),
    "cli.help.expr": Message(
        "식 (expression): 숫자, 변수, + - * / **, 괄호, 함수 {functions}. "
        "안전 제한: {limits}. 식은 '-'로 시작해도 됩니다 (예: \"-x**2\").",
        "expression: numbers, variables, + - * / **, parentheses, functions {functions}. "
        "Safety limits: {limits}. An expression may start with '-' (e.g. \"-x**2\").",
    ),
    "cli.help.demo": Message(
        "뉴런 그림, 역전파 애니메이션, moons 학습을 한 번에 만듭니다",
        "make a neuron diagram, a backpropagation animation and a moons training run at once",
    ),
    "cli.help.demo_description": Message(
        "뉴런 하나 tanh(w1*x1 + w2*x2 + b)의 계산 그래프(순전파 파랑, 역전파 빨강)와 "
        "역전파 애니메이션을 그리고, moons 데이터로 작은 MLP를 학습해 손실과 결정 경계를 "
        "그립니다. 쓴 파일의 경로를 모두 출력합니다.",
        "Draws the computation graph of one neuron tanh(w1*x1 + w2*x2 + b) (forward pass "
        "blue, backward pass red) and its backpropagation animation, then trains a small MLP "
        "on the moons data and plots the loss and the decision boundary. Prints the path of "
        "every file written.",
    ),
    "cli.help.demo_out": Message(
        "결과 폴더 (기본: 현재 폴더에 새 폴더 {folder}, {folder}-2, ...)",
        "output folder (default: a new folder {folder}, {folder}-2, ... in the current folder)",
    ),
    "cli.help.graph": Message(
        "식의 값, 변수별 기울기 표, 계산 그래프 그림",
        "an expression's value, its gradient table and its computation graph",
    ),
    "cli.help.graph_description": Message(
        "식을 계산하고 역전파해서 값과 d(식)/d(변수) 표를 출력합니다. -o를 주면 "
        "계산 그래프를 그립니다 (형식은 확장자: {formats}; .html은 역전파 애니메이션). "
        "변수 이름은 한글도 됩니다: 가중치=0.5",
        "Evaluates the expression, backpropagates and prints its value and a "
        "d(expr)/d(variable) table. With -o, draws the computation graph (the format is the "
        "suffix: {formats}; .html is the backpropagation animation). Variable names may be "
        "in any script, Korean included.",
    ),
    "cli.help.graph_out": Message("그림 파일 (예: g.svg)", "diagram file (e.g. g.svg)"),
    "cli.help.gradcheck": Message(
        "역전파 기울기와 수치 미분(중앙 차분)을 비교합니다",
        "compare backpropagated gradients with numerical ones (central differences)",
    ),
    "cli.help.gradcheck_description": Message(
        "역전파로 구한 기울기와 중앙 차분 (f(x+eps) - f(x-eps)) / (2 eps)를 나란히 "
        "출력합니다. |해석 - 수치| <= atol + rtol*|수치| 이면 일치. 꺾인 점(relu, abs의 "
        "0 등)에서는 미분이 정의되지 않는다고, 간격이 입력에 비해 너무 크거나 작으면 맞는 "
        "--eps를 알려 줍니다. 불일치, 꺾인 점, 맞지 않는 간격이 있으면 종료 상태 1.",
        "Prints the backpropagated gradients next to central differences "
        "(f(x+eps) - f(x-eps)) / (2 eps). They agree if |analytic - numeric| <= atol + "
        "rtol*|numeric|. At a kink (0 for relu, abs, ...) it says the derivative is undefined; "
        "for a step too large or too small for an input it names an --eps that works. Exit "
        "status 1 on a mismatch, a kink or a step that does not fit.",
    ),
    "cli.help.eps": Message("차분 간격 (기본 1e-6)", "difference step (default 1e-6)"),
    "cli.help.atol": Message("절대 허용 오차 (기본 1e-5)", "absolute tolerance (default 1e-5)"),
    "cli.help.rtol": Message("상대 허용 오차 (기본 1e-3)", "relative tolerance (default 1e-3)"),
    "cli.help.train": Message(
        "작은 데이터셋으로 MLP를 학습합니다", "train an MLP on a small dataset"
    ),
    "cli.help.train_description": Message(
        "토이 데이터셋으로 MLP를 학습하고 에폭별 손실과 최종 지표를 출력합니다.",
        "Trains an MLP on a toy dataset and prints the loss of each epoch and the final metrics.",
    ),
    "cli.help.dataset": Message(
        "데이터셋: {names} (기본: moons). linear, parabola는 회귀",
        "dataset: {names} (default: moons). linear and parabola are regression",
    ),
    "cli.help.samples": Message("표본 수 (기본 100)", "number of samples (default 100)"),
    "cli.help.hidden": Message(
        "은닉층 크기, 쉼표로 구분 (기본: 16,16)",
        "hidden layer sizes, separated by commas (default: 16,16)",
    ),
    "cli.help.activation": Message(
        "은닉층 활성화 함수: {names} (기본: relu)",
        "activation of the hidden layers: {names} (default: relu)",
    ),
    "cli.help.loss": Message(
        "손실 함수: hinge, bce, cross_entropy, mse "
        "(기본: 분류 moons/circles는 hinge, spiral은 cross_entropy, 회귀는 mse)",
        "loss: hinge, bce, cross_entropy, mse (default: hinge for moons/circles, "
        "cross_entropy for spiral, mse for regression)",
    ),
    "cli.help.optimizer": Message(
        "최적화 방법: sgd, adam (기본: adam)", "optimizer: sgd, adam (default: adam)"
    ),
    "cli.help.lr": Message(
        "학습률 (기본: adam 0.01, sgd 0.1)", "learning rate (default: adam 0.01, sgd 0.1)"
    ),
    "cli.help.save": Message("학습한 모델을 JSON으로 저장", "save the trained model as JSON"),
    "cli.help.plot": Message(
        "손실 곡선과 결정 경계/적합 곡선 PNG를 저장할 폴더",
        "folder for the PNGs of the loss curve and the decision boundary or fitted curve",
    ),
    "cli.help.compiled": Message(
        "샘플 하나의 손실을 한 번 추적해 행렬 코드로 컴파일해서 학습합니다 (빠름, NumPy 필요)",
        "trace one sample's loss once and train with it compiled to array code (fast, needs NumPy)",
    ),
    # files and folders
    "cli.is_a_folder": Message(
        "'{path}'은(는) 폴더입니다", "'{path}' is a directory; give a file name"
    ),
    "cli.not_a_folder": Message("'{path}'은(는) 폴더가 아닙니다", "'{path}' is not a directory"),
    "cli.no_folder": Message("폴더가 없습니다: '{path}'", "directory does not exist: '{path}'"),
    "cli.folder_not_writable": Message(
        "폴더에 쓸 수 없습니다: '{path}'", "permission denied: cannot write in '{path}'"
    ),
    "cli.cannot_make_folder": Message(
        "폴더를 만들 수 없습니다: '{path}'", "cannot make the folder '{path}': {reason}"
    ),
    "cli.no_new_folder": Message(
        "새 폴더를 만들 수 없습니다: {base}-N이 모두 있습니다",
        "cannot make a new folder: {base}-N all exist; give --out",
    ),
    "cli.file_exists": Message(
        "이미 있는 파일을 덮어쓰지 않습니다: {path}",
        "file exists: {path}; use --force to overwrite",
    ),
    "cli.unknown_format": Message(
        "그림 형식을 모릅니다: '{suffix}'", "unknown diagram format '{suffix}'; use {formats}"
    ),
    "cli.install_graphviz": Message(
        "Graphviz를 설치하세요", "install Graphviz, or: pip install pygraphviz"
    ),
    "cli.graph_too_large": Message(
        "그래프가 너무 커서 그리지 않습니다",
        "graph too large to draw; -o FILE.dot writes the DOT text only",
    ),
    "cli.needs_matplotlib": Message(
        "{what}에는 matplotlib가 필요합니다", "{what} needs matplotlib: {hint}"
    ),
    "cli.wrote": Message("저장: {path}", "saved: {path}"),
    # graph and gradcheck
    "cli.expression_line": Message("식: {expression}", "expression: {expression}"),
    "cli.value_line": Message("값: {value}", "value: {value}"),
    "cli.result_line": Message("결과: {text}", "result: {text}"),
    "cli.root_label": Message("결과 = {expression}", "result = {expression}"),
    "cli.column.variable": Message("변수", "variable"),
    "cli.column.value": Message("값", "value"),
    "cli.column.gradient": Message("d(식)/d(변수)", "d(expr)/d(variable)"),
    "cli.column.neuron_gradient": Message("do/d(변수)", "do/d(variable)"),
    "cli.column.analytic": Message("역전파", "analytic"),
    "cli.column.numeric": Message("수치", "numeric"),
    "cli.column.difference": Message("차이", "difference"),
    "cli.column.verdict": Message("결과", "result"),
    "cli.no_variables": Message("변수가 없습니다", "no variables"),
    "cli.nothing_to_check": Message(
        "검사할 변수가 없습니다: NAME=VALUE를 주세요", "no variables to check: give NAME=VALUE"
    ),
    "cli.variable": Message("변수 {name}", "variable {name}"),
    "cli.in_numeric_derivative": Message(
        "수치 미분 중 (x ± eps={eps:g})", "in the numerical derivative (x ± eps={eps:g})"
    ),
    "cli.agrees": Message("일치", "ok"),
    "cli.gradients_disagree": Message("기울기 불일치", "gradients disagree"),
    "cli.all_agree": Message(
        "모든 기울기가 일치합니다", "all gradients agree within atol={atol:g}, rtol={rtol:g}"
    ),
    "cli.multiply_hint": Message(
        "곱셈은 *를 씁니다: '{written}' 대신 '{fixed}'",
        "write multiplication with *: '{fixed}', not '{written}'",
    ),
    # demo and train
    "cli.demo.folder": Message("결과 폴더: {path}", "output folder: {path}"),
    "cli.demo.neuron": Message(
        "뉴런 o = tanh(x1*w1 + x2*w2 + b)", "neuron o = tanh(x1*w1 + x2*w2 + b)"
    ),
    "cli.demo.training": Message(
        "moons 데이터로 MLP(2-8-8-1)를 학습합니다", "training an MLP (2-8-8-1) on the moons data"
    ),
    "cli.demo.no_plots": Message(
        "matplotlib가 없어 {files}는 건너뜁니다", "no matplotlib, skipping {files}: {hint}"
    ),
    "cli.train.regression_loss": Message(
        "회귀 데이터셋 {dataset}에는 --loss mse만 쓸 수 있습니다",
        "{dataset} is a regression dataset: only --loss mse",
    ),
    "cli.train.classes_loss": Message(
        "{dataset}은(는) 클래스가 {classes}개라 --loss cross_entropy만 쓸 수 있습니다",
        "{dataset} has {classes} classes: only --loss cross_entropy",
    ),
    "cli.train.classification_loss": Message(
        "분류 데이터셋 {dataset}에는 hinge, bce, cross_entropy를 쓰세요",
        "{dataset} is a classification dataset: use --loss hinge, bce or cross_entropy",
    ),
    "cli.train.setup": Message(
        "데이터: {dataset} ({samples}개), 모델: {model}, 파라미터 {parameters}개",
        "data: {dataset} ({samples} samples), model: {model}, {parameters} parameters",
    ),
    "cli.train.epoch": Message(
        "에폭 {done}/{epochs}: 학습 중 평균 손실 {loss}{accuracy} (이 에폭의 갱신 전)",
        "epoch {done}/{epochs}: mean training loss {loss}{accuracy} (before this epoch's updates)",
    ),
    "cli.train.accuracy": Message(", 정확도 {percent:.1f}%", ", accuracy {percent:.1f}%"),
    "cli.train.final_loss": Message("최종 손실", "loss"),
    "cli.train.final_accuracy": Message("정확도", "accuracy"),
    "cli.train.measured_after": Message(
        "마지막 갱신 뒤 전체 데이터로 잰 값",
        "the final model, measured on all the data after the last update",
    ),
    "cli.plot.title": Message("학습 손실", "training loss"),
    "cli.plot.final_model": Message("최종 모델", "final model"),
    "cli.plot.loss": Message("손실 {loss}", "loss {loss}"),
    "cli.plot.epoch_mean": Message("에폭 평균, 갱신 전", "epoch mean"),
    "cli.plot.final_loss": Message("최종 손실", "final loss"),
    "cli.plot.final_accuracy": Message("최종 정확도", "final accuracy"),
    # errors main() reports
    "cli.interrupted": Message("중단되었습니다", "interrupted"),
    "cli.file_error": Message("파일 오류{where}", "file error{where}: {reason}"),
    "cli.unexpected": Message("예기치 못한 오류", "unexpected {kind}: {error}"),
    # the expression parser (expr.py)
    "expr.column": Message("열 {column}", "column {column}"),
    "expr.argument": Message("인수 {argument}", "argument {argument}"),
    "expr.limits": Message(
        "식 최대 {length}자, 괄호 {parens}단계, 깊이 {depth}단계, 노드 {nodes}개, 변수 "
        "{variables}개",
        "at most {length} characters, {parens} levels of parentheses, depth {depth}, "
        "{nodes} nodes, {variables} variables",
    ),
    "expr.not_utf8": Message("UTF-8이 아닌 바이트 0x{byte:02X}", "invalid UTF-8 byte 0x{byte:02X}"),
    "expr.lone_surrogate": Message("잘못된 문자 U+{code:04X}", "lone surrogate U+{code:04X}"),
    "expr.invisible": Message(
        "보이지 않는 문자 U+{code:04X}",
        "control or invisible character U+{code:04X} ({name})",
    ),
    "expr.no_string": Message("문자열은 쓸 수 없습니다", "string literal not allowed"),
    "expr.no_brackets": Message("대괄호는 쓸 수 없습니다", "subscript or list not allowed"),
    "expr.no_braces": Message("중괄호는 쓸 수 없습니다", "dict or set not allowed"),
    "expr.no_equals": Message(
        "'='는 식 안에 쓸 수 없습니다; 변수 값은 식 뒤에 NAME=VALUE로 따로 주세요",
        "assignment or keyword argument not allowed; give values after the expression as "
        "NAME=VALUE",
    ),
    "expr.no_colon": Message("':'는 쓸 수 없습니다", "lambda, slice or annotation not allowed"),
    "expr.no_semicolon": Message("';'는 쓸 수 없습니다", "multiple statements not allowed"),
    "expr.no_comment": Message("'#'은 쓸 수 없습니다", "comment not allowed"),
    "expr.no_backslash": Message("'\\'는 쓸 수 없습니다", "backslash not allowed"),
    "expr.no_at": Message("'@'는 쓸 수 없습니다", "matrix multiplication or decorator not allowed"),
    "expr.bad_character": Message(
        "허용되지 않는 문자 '{char}'", "character '{char}' not allowed; use + - * / ** ( ) ,"
    ),
    "expr.parens_too_deep": Message(
        "괄호가 너무 깊게 중첩되었습니다: 최대 {limit}단계",
        "parentheses nested too deep: at most {limit} levels",
    ),
    "expr.unmatched": Message("짝이 없는 닫는 괄호 ')'", "unmatched parenthesis ')'"),
    "expr.unclosed": Message("닫히지 않은 괄호 '('", "unclosed parenthesis '('"),
    "expr.not_allowed": Message("허용되지 않는 구문", "not allowed"),
    "expr.node.attribute": Message("속성 접근", "attribute access"),
    "expr.node.subscript": Message("인덱싱", "subscript"),
    "expr.node.if_else": Message("조건식", "if-else expression"),
    "expr.node.and_or": Message("논리 연산", "and/or"),
    "expr.node.comparison": Message("비교 연산", "comparison"),
    "expr.node.comprehension": Message("컴프리헨션", "comprehension"),
    "expr.node.tuple": Message("튜플", "tuple"),
    "expr.node.list": Message("리스트", "list"),
    "expr.node.set": Message("집합", "set"),
    "expr.node.dict": Message("딕셔너리", "dict"),
    "expr.node.starred": Message("별표 인자", "starred argument"),
    "expr.node.walrus": Message("대입식", "walrus :="),
    "expr.node.f_string": Message("f-문자열", "f-string"),
    "expr.node.slice": Message("슬라이스", "slice"),
    "expr.complex": Message("복소수는 쓸 수 없습니다", "complex number not allowed"),
    "expr.value_not_a_number": Message(
        "값 {value}은(는) 숫자가 아닙니다", "value {value} is not a number"
    ),
    "expr.number_too_large": Message("숫자가 너무 큽니다", "number too large for a float"),
    "expr.non_finite": Message(
        "유한하지 않은 수 {value}은(는) 쓸 수 없습니다", "non-finite number {value} not allowed"
    ),
    "expr.too_many_nodes": Message(
        "식이 너무 복잡합니다: 최대 {limit}개 노드", "too many nodes: at most {limit}"
    ),
    "expr.too_deep": Message(
        "식이 너무 깊게 중첩되었습니다: 최대 {limit}단계, a+b+c처럼 이어진 연산도 한 단계씩 셉니다",
        "expression nested too deep: at most {limit} levels, and a chain like a+b+c counts "
        "one level per operation",
    ),
    "expr.function_as_value": Message(
        "함수 '{name}'는 호출해야 합니다: {name}(...)",
        "function '{name}' used as a value; call it: {name}(...)",
    ),
    "expr.operator": Message(
        "연산자 '{operator}'는 쓸 수 없습니다",
        "operator '{operator}' not allowed; use + - * / **",
    ),
    "expr.attribute": Message(
        "속성 접근 '.{name}'은 쓸 수 없습니다", "attribute access '.{name}' not allowed"
    ),
    "expr.dunder": Message(
        "이름 {name}: 밑줄 두 개(__)는 쓸 수 없습니다", "dunder name {name} not allowed"
    ),
    "expr.call_not_named": Message(
        "이름 있는 함수만 호출할 수 있습니다", "only named functions can be called"
    ),
    "expr.unknown_function": Message(
        "알 수 없는 함수 {name}", "unknown function {name}; allowed: {allowed}"
    ),
    "expr.keyword_arguments": Message(
        "{name}(): 키워드 인자는 쓸 수 없습니다", "{name}(): keyword arguments not allowed"
    ),
    "expr.argument_count": Message(
        "인수 {expected}개가 필요한데 {got}개를 받았습니다",
        "expected {expected} arguments, got {got}",
    ),
    "expr.undefined": Message("정의되지 않은 변수 {name}", "undefined variable {name}"),
    "expr.give_value": Message("값을 {name}=VALUE로 주세요", "give it as {name}=VALUE"),
    "expr.unused": Message(
        "변수 {name}가 식에 쓰이지 않습니다; 오타인가요?", "unused variable {name}; a typo?"
    ),
    "expr.not_str": Message("식은 문자열이어야 합니다", "expression must be str, got {kind}"),
    "expr.too_long": Message(
        "식이 너무 깁니다: {length}자, 최대 {limit}자",
        "expression too long: {length} characters, at most {limit}",
    ),
    "expr.empty": Message("식이 비어 있습니다", "empty expression"),
    "expr.syntax": Message("문법 오류", "syntax error: {detail}"),
    "expr.cannot_parse": Message("식을 읽을 수 없습니다", "cannot parse: {kind}"),
    "expr.too_many_variables": Message(
        "변수가 너무 많습니다: 최대 {limit}개", "too many variables: at most {limit}"
    ),
    "expr.assignment_not_str": Message(
        "NAME=VALUE는 문자열이어야 합니다", "NAME=VALUE must be str, got {kind}"
    ),
    "expr.assignment_too_long": Message(
        "NAME=VALUE 인수가 너무 깁니다: 최대 {limit}자",
        "argument too long: at most {limit} characters",
    ),
    "expr.not_assignment": Message("NAME=VALUE 형식이어야 합니다", "expected NAME=VALUE, e.g. x=2"),
    "expr.invalid_name": Message(
        "변수 이름 {name}이(가) 올바르지 않습니다", "invalid variable name {name}"
    ),
    "expr.reserved": Message(
        "{name}은(는) 예약된 이름이라 변수로 쓸 수 없습니다",
        "reserved name {name} cannot be a variable",
    ),
    "expr.duplicate": Message("변수 {name}가 두 번 정의되었습니다", "duplicate variable {name}"),
    "expr.value_overflows": Message(
        "값 {value}이(가) 너무 큽니다", "non-finite value: {value} overflows to {result}"
    ),
    "expr.cannot_differentiate": Message("미분할 수 없습니다", "derivative undefined"),
}


def _join(*sections: dict[str, Message]) -> dict[str, Message]:
    joined: dict[str, Message] = {}
    for section in sections:
        for key, entry in section.items():
            if key in joined:
                raise ValueError(f"message key {key!r} is defined twice")
            joined[key] = entry
    return joined


CATALOG: dict[str, Message] = _join(_SHARED, _ENGINE, _COMPILE, _MODELS, _PICTURES, _COMMAND_LINE)
