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
_MODELS: dict[str, Message] = {
    # a refused argument and what was given: "seed는 ... (seed must be ...), got 1.5"
    "args.got": Message("", "{problem}, got {got}"),
    "args.must_be_int": Message("{what}은(는) int여야 합니다", "{what} must be an int"),
    "args.must_be_bool": Message(
        "{what}은(는) True 또는 False여야 합니다", "{what} must be True or False"
    ),
    "args.finite_nonnegative": Message(
        "{what}은(는) 0 이상의 유한한 수여야 합니다", "{what} must be a finite number >= 0"
    ),
    "data.int_at_least": Message(
        "{what}은(는) {minimum} 이상의 int여야 합니다", "{what} must be an int >= {minimum}"
    ),
    "data.x_range_pair": Message(
        "x_range는 (low, high) 두 수여야 합니다", "x_range must be a pair (low, high)"
    ),
    "data.x_range_order": Message(
        "x_range는 low < high여야 합니다", "x_range must have low < high"
    ),
    "data.x_range_too_wide": Message(
        "x_range가 너무 넓습니다: high - low가 float 범위를 넘습니다",
        "x_range is too wide: high - low overflows",
    ),
    "data.noise_overflow": Message(
        "noise가 너무 커서 좌표가 float 범위를 넘습니다",
        "noise overflows the coordinates to inf: noise={noise}",
    ),
    "data.smaller_noise": Message("더 작은 noise를 쓰세요", "use a smaller noise"),
    "data.factor_range": Message(
        "factor(안쪽 반지름)는 0과 1 사이여야 합니다",
        "factor (inner radius) must be between 0 and 1",
    ),
    "data.turns_range": Message(
        "turns는 (0, 10] 안의 수여야 합니다", "turns must be a number in (0, 10]"
    ),
    "data.w_type": Message(
        "w는 숫자나 숫자의 리스트여야 합니다", "w must be a number or a list of numbers"
    ),
    "data.w_empty": Message("w에는 가중치가 하나 이상 필요합니다", "w needs at least one weight"),
    "data.linear_overflow": Message(
        "y = w·x + b가 float 범위를 넘습니다", "y = w·x + b overflows to inf/nan: {settings}"
    ),
    "data.smaller_linear": Message(
        "w, b, x_range, noise를 줄이세요", "use smaller w, b, x_range or noise"
    ),
    "data.parabola_overflow": Message(
        "y = x²가 float 범위를 넘습니다", "y = x² overflows to inf: x_range={x_range}"
    ),
    "data.smaller_x_range": Message(
        "|x| < 1e154인 x_range를 쓰세요", "use an x_range with |x| < 1e154"
    ),
    "data.sample_counts": Message("X와 y의 표본 수가 다릅니다", "X has {x} samples but y has {y}"),
    "data.fraction_range": Message(
        "test_fraction은 0과 1 사이여야 합니다", "test_fraction must be between 0 and 1"
    ),
    "data.split_needs_two": Message(
        "나누려면 표본이 2개 이상 필요합니다", "need at least 2 samples to split, got {n}"
    ),
    "data.digits_damaged": Message(
        "파일이 손상되었습니다: micrograd_kr를 다시 설치하세요",
        "the file is damaged: reinstall micrograd_kr",
    ),
    "nn.unknown_activation": Message("모르는 활성화 함수입니다", "unknown activation {name}"),
    "nn.valid_activations": Message(
        "쓸 수 있는 활성화 함수", "valid activations are: {valid} or None"
    ),
    "nn.nonlin_type": Message(
        "nonlin은 True (ReLU) 또는 False (linear)여야 합니다",
        "nonlin must be True (ReLU) or False (linear), as in micrograd",
    ),
    "nn.activation_twice": Message(
        "활성화 함수는 activation과 micrograd의 nonlin 중 하나로 한 번만 주세요",
        "give the activation once, not both: activation={activation}, nonlin={nonlin}",
    ),
    "nn.positive_int": Message("양의 int여야 합니다", "{what} must be a positive int"),
    "nn.single_number": Message(
        "입력 {nin}개가 필요한데 숫자 하나를 받았습니다",
        "{who} expects {nin} inputs, got a single number",
    ),
    "nn.one_sample": Message(
        "한 번에 표본 하나만 받습니다",
        "{who} takes one sample at a time: {nin} numbers in a 1-D row, "
        "got an array of shape {shape}",
    ),
    "nn.many_samples": Message(
        "여러 표본에는 [model(row) for row in X]를 쓰세요",
        "for many samples use [model(row) for row in X]",
    ),
    "nn.expects_list": Message(
        "숫자나 Value {nin}개의 리스트가 필요합니다",
        "{who} expects a list of {nin} numbers or Values",
    ),
    # shared.input_count without the model's name; tests and learners look for "MLP expects"
    "nn.input_count": Message("입력 개수가 다릅니다", "{who} expects {nin} input(s), got {got}"),
    "nn.input_type": Message(
        "입력 {i}은(는) 숫자나 Value여야 합니다", "input {i} must be a number or a Value"
    ),
    "nn.affine_overflow": Message("w·x + b가 넘쳤습니다", "w·x + b overflowed: {z}"),
    "nn.cannot_export": Message(
        "{model}은(는) PyTorch로 내보낼 수 없습니다", "{model} cannot be exported to PyTorch"
    ),
    "nn.sizes": Message(
        "sizes는 층 크기의 비어 있지 않은 리스트여야 합니다",
        "sizes must be a non-empty list of layer sizes",
    ),
    "nn.maxout_k": Message(
        "maxout에는 maxout_k >= 2 조각이 필요합니다", "maxout needs maxout_k >= 2 pieces"
    ),
    "optim.params_one_value": Message(
        "params에는 Value 하나가 아니라 Value들의 리스트를 주세요",
        "params must be a list of Values (e.g. model.parameters()), not one",
    ),
    "optim.params_model": Message(
        "모델이 아니라 모델의 매개변수 목록을 넘기세요",
        "pass model.parameters(), not the model itself",
    ),
    "optim.params_empty": Message(
        "매개변수 목록이 비어 있습니다", "the optimizer got an empty parameter list"
    ),
    "optim.param_type": Message(
        "params[{i}]는 Value가 아닙니다", "params[{i}] is a {kind}, not a Value"
    ),
    "optim.param_not_leaf": Message(
        "params[{i}]는 다른 값들로 계산된 값이라 학습할 수 없습니다",
        "params[{i}] is not a leaf: made by {op}",
    ),
    "optim.pass_leaves": Message(
        "갱신해도 모델이 바뀌지 않습니다. 잎 노드만 넘기세요",
        "updating it would not change the model; pass only leaf Values (Parameters)",
    ),
    "optim.param_twice": Message(
        "params에 같은 매개변수가 두 번 이상 있습니다",
        "a parameter appears more than once in params",
    ),
    "optim.nesterov": Message(
        "nesterov 모멘텀에는 momentum > 0, dampening = 0이 필요합니다",
        "nesterov momentum needs momentum > 0 and dampening = 0",
    ),
    "optim.beta_range": Message(
        "betas[{i}]는 [0, 1) 안에 있어야 합니다", "betas[{i}] must be in [0, 1)"
    ),
    "optim.eps_positive": Message(
        "eps는 0보다 커야 합니다", "eps must be > 0: it keeps m / (sqrt(v) + eps) finite"
    ),
    # a step that would write inf or nan: which quantity of which parameter, then the rest
    "optim.new_value": Message(
        "{name}의 새 값 = {value}", "the new value of {name} would be {value}"
    ),
    "optim.new_buffer": Message(
        "{name}의 새 모멘텀 버퍼 = {value}", "the new momentum buffer of {name} would be {value}"
    ),
    "optim.new_mean": Message(
        "{name}의 새 기울기 이동 평균 m = {value}",
        "the new running mean m of the gradient of {name} would be {value}",
    ),
    "optim.new_square_mean": Message(
        "{name}의 새 기울기 제곱 이동 평균 v = {value}",
        "the new running mean v of the squared gradient of {name} would be {value}",
    ),
    "optim.step_refused": Message(
        "어떤 파라미터도 바꾸지 않았습니다",
        "data={data}, grad={grad}; no parameter was changed",
    ),
    "model_file.not_regular_write": Message(
        "일반 파일이 아니라서 덮어쓰지 않습니다",
        "not a regular file: {kind}; refusing to replace it",
    ),
    "model_file.not_regular_read": Message(
        "일반 파일이 아니라서 읽지 않습니다", "not a regular file: {kind}"
    ),
    "model_file.parameter_not_finite": Message(
        "매개변수 {name}이(가) {value}입니다", "parameter {name} is {value}"
    ),
    "model_file.non_finite_constant": Message(
        "유한하지 않은 수 {name}은(는) 쓸 수 없습니다",
        "non-finite number {name} is not allowed",
    ),
    "model_file.too_large": Message("파일이 너무 큽니다", "file too large"),
    "model_file.limit": Message("한도 {mb} MB", "limit {mb} MB: MAX_FILE_BYTES = {limit} bytes"),
    "model_file.not_text": Message("텍스트 파일이 아닙니다", "not a text file: {error}"),
    "model_file.bad_json": Message(
        "올바른 JSON이 아닙니다. 파일이 잘렸거나 손상되었을 수 있습니다",
        "not valid JSON, the file may be truncated or corrupted; "
        "line {line}, column {column}: {error}",
    ),
    "model_file.unreadable_number": Message(
        "읽을 수 없는 수가 있습니다", "unreadable number: {error}"
    ),
    "model_file.too_deep": Message(
        "모델 파일이 아닙니다", "not a model file: JSON nested too deeply"
    ),
    "model_file.wrong_format": Message(
        "micrograd_kr의 모델 파일이 아닙니다", "not a micrograd_kr model file, format {format}"
    ),
    "model_file.wrong_version": Message(
        "지원하지 않는 파일 버전입니다",
        "unsupported file version {version}; this micrograd_kr reads version {supported}",
    ),
    "model_file.missing_section": Message(
        "'{section}'가 없거나 객체가 아닙니다", "'{section}' is missing or not an object"
    ),
    "model_file.architecture_type": Message(
        "architecture는 객체(dict)여야 합니다", "architecture must be an object"
    ),
    "model_file.unknown_type": Message("모르는 모델 종류입니다", "unknown model type {kind}"),
    "model_file.known_types": Message("아는 종류", "known types are: {known}"),
    "model_file.count_mismatch": Message(
        "매개변수 개수가 구조와 다릅니다",
        "the architecture has {expected} parameters but {given} are given",
    ),
    "model_file.keys_mismatch": Message(
        "모델 구조의 키가 맞지 않습니다",
        "architecture of {kind}: missing keys {missing}, unknown keys {extra}",
    ),
    "model_file.parameters_mapping": Message(
        "parameters는 이름에서 숫자로 가는 매핑이어야 합니다",
        "parameters must be a mapping of name to number",
    ),
    "model_file.parameters_mismatch": Message(
        "매개변수가 모델과 맞지 않습니다", "parameters do not match {model}"
    ),
    "model_file.missing_parameters": Message("", "missing {n} parameter(s), e.g. {examples}"),
    "model_file.unexpected_keys": Message("", "{n} unexpected key(s), e.g. {examples}"),
    "model_file.architecture_differs": Message(
        "파일의 모델 구조가 이 모델과 다릅니다",
        "the file holds {file}, but this model is {model}",
    ),
    "model_file.use_load": Message(
        "파일의 모델을 만들려면 nn.load(path)를 쓰세요", "use nn.load(path)"
    ),
    "model_file.invalid_architecture": Message(
        "모델 구조가 잘못되었습니다", "invalid architecture"
    ),
    "torch_export.needs_torch": Message(
        "to_torch()에는 PyTorch가 필요합니다: `pip install torch` 로 설치하세요",
        "to_torch() needs PyTorch; install it with `pip install torch`",
    ),
}


# Pictures: diagrams, the animation, plots, fonts (viz/, plot.py, fonts.py).
# Text drawn inside a picture is shown in one language at a time (fonts.picture_text): the
# Korean template is the label as the picture shows it (English terms included), the English
# template what English-only mode shows instead.
_PICTURES: dict[str, Message] = {
    "fonts.not_found": Message(
        "한글 글꼴(NanumGothic)을 찾지 못해 그림의 한글이 네모로 보일 수 있습니다",
        "bundled Korean font not found",
    ),
    "plot.needs_matplotlib": Message(
        "그림을 그리려면 matplotlib이 필요합니다", "plotting needs matplotlib"
    ),
    "plot.no_loss": Message("그릴 손실 값이 없습니다", "history has no loss values to plot"),
    "plot.two_features": Message(
        "decision_boundary에는 특성이 두 개인 2-D 입력이 필요합니다",
        "decision_boundary needs points with two features",
    ),
    "plot.resolution": Message(
        "resolution은 2 이상이어야 합니다", "resolution must be >= 2, got {resolution}"
    ),
    "plot.no_points": Message(
        "fit_curve에 데이터 점이 하나도 없습니다", "fit_curve needs at least one data point"
    ),
    "plot.loss_title": Message("학습 손실", "training loss"),
    "plot.boundary_title": Message("결정 경계", "decision boundary"),
    "plot.fit_title": Message("모델이 그린 곡선", "the model's curve"),
    "plot.epoch": Message("에폭", "epoch"),
    "plot.loss": Message("손실", "loss"),
    "plot.accuracy": Message("정확도", "accuracy"),
    "plot.class": Message("클래스 {label}", "class {label}"),
    "plot.data": Message("데이터", "data"),
    "plot.model": Message("모델", "model"),
    "viz.one_of": Message(
        "{name}은(는) {allowed} 중 하나여야 합니다", "{name} must be one of {allowed}"
    ),
    "viz.int_at_least": Message("{name}은(는) {low} 이상이어야 합니다", "{name} must be >= {low}"),
    "viz.int_between": Message(
        "{name}은(는) {low}에서 {high} 사이여야 합니다", "{name} must be from {low} to {high}"
    ),
    "viz.text_or_none": Message(
        "{name}은(는) 문자열이나 None이어야 합니다", "{name} must be a str or None"
    ),
    "viz.timeout_type": Message(
        "timeout은 초 단위 숫자나 None이어야 합니다", "timeout must be seconds or None"
    ),
    "viz.timeout_positive": Message(
        "timeout은 0보다 큰 유한한 초여야 합니다", "timeout must be positive seconds"
    ),
    "viz.install_one": Message("다음 중 하나를 설치하세요", "install one of them"),
    "viz.install_commands": Message(
        "",
        "  pip install pygraphviz      (its wheels bundle Graphviz: Linux x86_64/aarch64, "
        "macOS, Windows x64)\n"
        "  sudo apt-get install graphviz   (Debian/Ubuntu; macOS: brew install graphviz; "
        "Windows: winget install graphviz)",
    ),
    "viz.source_without_renderer": Message(
        "렌더러가 없어도 Diagram.source 로 DOT 텍스트를 얻을 수 있습니다",
        "Diagram.source still gives the DOT text without a renderer",
    ),
    "viz.dot_not_on_path": Message(
        "Graphviz의 `dot` 프로그램을 PATH에서 찾을 수 없습니다",
        "the Graphviz `dot` program is not on PATH",
    ),
    "viz.no_renderer": Message(
        "`dot` 프로그램도 pygraphviz도 없습니다",
        "the Graphviz `dot` program is not on PATH and pygraphviz is not installed",
    ),
    "viz.cannot_start": Message("{who}를 실행할 수 없습니다", "cannot start {who}"),
    "viz.layout_timeout": Message(
        "그래프 배치가 {seconds}초 안에 끝나지 않아 멈췄습니다",
        "{who} did not finish the layout within {seconds} s",
    ),
    "viz.draw_smaller": Message("더 작은 그래프를 그리세요", "draw a smaller graph"),
    "viz.no_output": Message("{fmt} 출력 없음", "no {fmt} output"),
    "viz.render_failed": Message("실패", "failed, exit {code}"),
    "viz.bad_svg": Message("Graphviz의 SVG를 읽을 수 없습니다", "SVG is not well-formed"),
    "viz.svg_width": Message("Graphviz의 SVG에 너비가 없습니다", "SVG without a width"),
    "viz.no_suffix": Message("확장자 없음", "no suffix"),
    "viz.diagram_suffix": Message(
        "다이어그램을 {suffix} 파일로 저장할 수 없습니다: .svg, .png, .pdf, .dot 중 하나를 쓰세요",
        "cannot save a diagram as {suffix} ({target}); use one of .svg, .png, .pdf, .dot",
    ),
    "viz.animation_suffix": Message(
        "애니메이션은 .html 파일로만 저장할 수 있습니다, {suffix}은(는) 안 됩니다",
        "an animation is saved as an .html file, not {suffix}",
    ),
    "viz.expected_value": Message("그릴 Value를 주세요", "expected a Value to draw"),
    "viz.graph_too_large": Message(
        "그래프의 값이 max_nodes={max_nodes}개보다 많습니다: 그림이 너무 커서 읽을 수 "
        "없습니다. 더 작은 부분(예: 뉴런 하나)을 그리거나, 그래도 그리려면 "
        "max_nodes=None(또는 더 큰 수)을 주세요",
        "the graph has {count} values, more than max_nodes={max_nodes}; a diagram that big "
        "is unreadable. Draw a smaller part, e.g. one neuron, or pass max_nodes=None or a "
        "larger number to draw it anyway",
    ),
    "viz.more_than": Message("", "more than {n}"),
    # labels, captions and tooltips drawn in the pictures
    "viz.diagram_repr": Message("값 {n}개", "{n} values"),
    "viz.animation_title": Message("역전파 애니메이션 · backward pass", "backward pass"),
    # the words on the player's play/pause button: animation.js writes them (in Korean, in
    # either mode), so the font embedded in the page must have their letters
    "viz.player_buttons": Message("재생 멈춤", "play pause"),
    "viz.legend_forward": Message("순전파 forward: data", "forward: data"),
    "viz.legend_backward": Message(
        "역전파 backward: 국소 미분 × 출력의 grad = 입력이 받는 grad",
        "backward: local derivative × the output's grad = the grad the input receives",
    ),
    "viz.legend_link": Message("연산(○)과 그 결과 상자를 잇는 선", "op → its result"),
    "viz.not_run": Message(
        "아직 backward()를 실행하지 않아 grad가 모두 0입니다", "backward() has not run yet"
    ),
    "viz.role_input": Message("입력 input", "input"),
    "viz.role_parameter": Message("매개변수 parameter", "parameter"),
    "viz.role_constant": Message("상수 constant", "constant"),
    "viz.role_intermediate": Message("중간값 intermediate", "intermediate"),
    "viz.role_root": Message("출력 root", "root"),
    "viz.role_copy": Message("다시 그린 값 same value, drawn again", "same value, drawn again"),
    "viz.undefined": Message("정의되지 않음", "undefined"),
    "viz.op_result": Message("({op}) 결과", "({op}) result"),
    "viz.constant": Message("상수 {value}", "constant {value}"),
    "viz.drawn_again": Message("앞에서 쓴 값을 다시 그림", "the same value, drawn again"),
    "viz.not_differentiable": Message("미분 불가", "not differentiable"),
    "viz.sum_of": Message("{k}번 합 sum of {k}", "sum of {k}"),
    "viz.sum_over_uses": Message("합, {k}번 사용 sum over {k} uses", "sum over {k} uses"),
    "viz.edge_in_sum": Message("앞 화살표의 합에 포함", "counted in the sum above"),
    "viz.caption_in_sum": Message("앞의 합에 포함", "counted in the sum above"),
    "viz.caption_root": Message("(출력이므로 1에서 시작)", "(the output: it starts at 1)"),
    "viz.caption_leaf": Message(
        "입력이 없는 잎 노드: grad가 확정됨", "a leaf with no inputs: its grad is final"
    ),
    "viz.caption_total": Message("(누적 grad {grad})", "(grad so far {grad})"),
}


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


CATALOG: dict[str, Message] = _join(_SHARED, _ENGINE, _COMPILE, _MODELS, _PICTURES, _COMMAND_LINE)
