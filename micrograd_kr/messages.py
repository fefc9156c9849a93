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
_ENGINE: dict[str, Message] = {
    # checks.py: what Value(...) and backward(grad) accept
    "engine.value_in_value": Message(
        "Value 안에 Value를 넣었습니다; 그 Value를 그대로 쓰거나 Value(v.data)로 쓰세요",
        "Value(...) got a Value; use the Value itself or Value(v.data)",
    ),
    "engine.not_real": Message(
        "실수(int 또는 float)가 필요합니다",
        "Value needs a real number (int or float), got {kind}: {value!r}",
    ),
    "engine.too_large": Message(
        "float로 나타낼 수 없을 만큼 큰 수입니다",
        "Value needs a number a float can hold (|x| < 1.8e308), got a {size}",
    ),
    "engine.int_size": Message("", "{bits}-bit int, about 10^{digits}"),
    "engine.label_not_str": Message(
        "label은 문자열이어야 합니다", "label must be a str, got {kind}: {value!r}"
    ),
    "engine.op_not_str": Message(
        "_op은 '*' 같은 문자열이어야 합니다", "_op must be a str such as '*', got {kind}: {value!r}"
    ),
    "engine.children_not_tuple": Message(
        "_children는 Value들의 튜플이어야 합니다; 이름을 붙이려면 label='...'로 쓰세요",
        "_children must be a tuple of Values, got {kind}: {value!r}; to name the Value, write "
        "label='...'",
    ),
    "engine.child_not_value": Message(
        "_children에는 Value만 넣을 수 있습니다", "children must be Values, got {kind}: {value!r}"
    ),
    "engine.seed_not_real": Message(
        "backward(grad)의 시작 기울기는 실수여야 합니다",
        "the seed gradient of backward(grad) must be a real number (int or float), "
        "got {kind}: {value!r}",
    ),
    "engine.seed_not_finite": Message(
        "backward(grad)의 시작 기울기가 유한한 수가 아닙니다",
        "the seed gradient of backward(grad) is not finite: {shown}",
    ),
    "engine.too_large_for_float": Message("", "too large for a float"),
    "engine.not_a_value": Message(
        "{what}에는 Value가 아닌 숫자를 주세요", "{what} must be a number, not a Value"
    ),
    # checks.py: errors the engine raises
    "engine.traced_comparison": Message(
        "컴파일하는 함수가 Value를 비교합니다: 그 선택이 컴파일된 코드의 모든 입력에 "
        "고정됩니다. 표본마다 정하는 연산을 쓰세요",
        "the traced function compares a Value: if x > 0, max(...), sorted(...); the choice "
        "would be frozen for every input of the compiled code. Use the ops that decide per "
        "sample: relu, maximum, minimum, abs, leaky_relu, elu",
    ),
    "engine.float_in_rule": Message(
        "미분 규칙 안의 float(Value)는 그 Value의 미분을 버립니다: grad(grad(f))가 조용히 "
        "0이 됩니다",
        "float(Value) inside a derivative rule would drop the Value's own derivative, a "
        "silent 0 in grad(grad(f))",
    ),
    "engine.no_graph": Message(
        "이 값은 no_grad() 안에서 계산되어 계산 그래프가 없으므로 backward()를 할 수 "
        "없습니다: no_grad() 밖에서 계산하세요",
        "this value was computed without a graph, inside no_grad(): its inputs would "
        "silently get no gradient. Compute it outside no_grad()",
    ),
    "engine.gradient_overflow": Message(
        "기울기가 {g}(으)로 넘쳤습니다", "the gradient of {what} overflowed to {g}"
    ),
    "engine.output_of": Message("", "the output of {name}"),
    "engine.a_leaf": Message("", "a leaf"),
    "engine.overflow": Message(
        "결과가 float 범위를 넘습니다", "overflow: the result is too large for a float"
    ),
    "engine.infinite_there": Message(
        "0으로 나누게 되어 값이 무한대입니다", "division by zero: the value is infinite there"
    ),
    "engine.result_overflow": Message("결과가 넘쳤습니다", "result is {data}, overflow"),
    "engine.many_inputs": Message("", "<{n} inputs>"),
    "engine.derivative_undefined": Message(
        "입력 ({at})에서 미분이 정의되지 않습니다", "derivative undefined at input ({at})"
    ),
    "engine.constant_derivative_undefined": Message(
        "상수 {data!r}의 기울기가 정의되지 않습니다: {name}의 입력 {i}에 대한 미분이 "
        "({at})에서 없습니다",
        "the gradient of the constant {data!r} is undefined: the derivative of {name} with "
        "respect to input {i} does not exist at ({at})",
    ),
    "engine.constant_uses_freed": Message(
        "상수 {data!r}을(를) 쓴 연산이 그래프와 함께 메모리에서 사라져 기울기를 알 수 "
        "없습니다: 출력을 변수에 담아 두세요",
        "the nodes that used the constant {data!r} were freed with their graph, so its "
        "gradient is unknown: keep a reference to the output",
    ),
    # ops.py: the table, its domains and define_op's rows
    "ops.name_not_identifier": Message(
        "연산 이름은 파이썬 식별자여야 합니다",
        "an op name must be a Python identifier, got {name!r}",
    ),
    "ops.derivatives_or_each": Message(
        "derivatives와 each 중 하나만 주세요", "give either derivatives or each, not both"
    ),
    "ops.no_such_op": Message(
        "op {name!r}가 없습니다", "no such op {name!r}: run its define_op first"
    ),
    "ops.division_by_zero": Message("0으로 나눌 수 없습니다", "division by zero"),
    "ops.log_domain": Message("로그는 x > 0 에서만 정의됩니다", "log is defined only for x > 0"),
    "ops.sqrt_domain": Message(
        "제곱근은 x >= 0 에서만 정의됩니다", "sqrt is defined only for x >= 0"
    ),
    "ops.log1p_domain": Message(
        "log1p는 x > -1 에서만 정의됩니다", "log1p is defined only for x > -1"
    ),
    "ops.exp_overflow": Message("너무 커서 exp가 넘칩니다", "exp overflows for x > {limit:.2f}"),
    "ops.zero_negative_power": Message(
        "0의 음수 거듭제곱은 0으로 나누기입니다", "zero to a negative power is a division by zero"
    ),
    "ops.exponent_of_negative_base": Message(
        "지수에 대한 미분 a^b·log(a)에는 음수 밑 a의 로그가 필요해 실수가 아닙니다; 지수는 "
        "보통 숫자로 두세요",
        "the derivative with respect to the exponent, a^b·log(a), needs log of the negative "
        "base a (not a real number); keep the exponent a plain number",
    ),
    "ops.define_name": Message(
        "연산 이름은 밑줄로 시작하지 않는 파이썬 식별자여야 합니다",
        "an op name must be a Python identifier that does not start with _, got {name!r}",
    ),
    "ops.builtin_name": Message(
        "{name!r}은(는) 기본 연산의 이름입니다; 다른 이름을 고르세요",
        "a built-in op has the name {name!r}; choose another name",
    ),
    "ops.forward_not_function": Message(
        "forward는 함수 forward(m, *xs)여야 합니다",
        "forward must be a function forward(m, *xs), got {forward!r}",
    ),
    "ops.derivatives_not_list": Message(
        "derivatives는 입력마다 하나씩인 함수의 리스트입니다",
        "derivatives is a list of functions, one per input: write [lambda m, out, x: ...] "
        "even for one input",
    ),
    "ops.derivatives_not_functions": Message(
        "derivatives에는 입력마다 함수 derivative(m, out, *xs)를 하나씩 넣으세요",
        "derivatives must list one function derivative(m, out, *xs) per input",
    ),
    "ops.rule_not_real": Message(
        "{what}가 실수가 아닌 {kind} 값 {result!r}을(를) 돌려주었습니다",
        "{what} must return a real number, got {kind}: {result!r}",
    ),
    "ops.float_only_rule": Message(
        "{what}는 math.* 또는 float()로 쓰여 숫자에만 쓸 수 있어, 한 번 더 미분하거나 "
        "컴파일할 수 없습니다",
        "{what} works on plain floats only ({error}): it cannot be differentiated again or "
        "compiled",
    ),
    "ops.use_m_functions": Message(
        "math.cos(x) 대신 m.cos(x)처럼 m. 함수를 쓰세요: 그래야 grad/hessian/compile이 "
        "규칙을 다시 미분하고 코드로 옮길 수 있습니다",
        "use the m. functions (m.exp, m.log, m.cos, m.abs, m.where...) instead of math.*, so "
        "that grad, hessian and compile can differentiate the rule again and turn it into code",
    ),
    "ops.rule_arity": Message(
        "인자 {n}개를 받아야 합니다",
        "must take {n} arguments: {first} and one per input; derivatives lists {inputs} input(s)",
    ),
    # lecture.py: micrograd's hand-made nodes
    "lecture.undefined": Message("정의되지 않음", "undefined"),
    "lecture.no_backward": Message(
        "손으로 만든 노드에 _backward가 없습니다",
        "the hand-made node {node} (op {op!r}) has no _backward: set out._backward = a "
        "function that adds into its inputs' .grad",
    ),
    "lecture.no_rule": Message(
        "손으로 만든 노드에는 미분 규칙이 없어 grad/hessian/compile을 쓸 수 없습니다: "
        "define_op으로 연산을 정의하세요",
        "a hand-made Value(data, children, op) has no derivative rule that grad, hessian or "
        "compile could use; define the operation with define_op",
    ),
    "lecture.cannot_read_off": Message(
        "손으로 만든 노드의 _backward에서 국소 미분을 읽을 수 없습니다",
        "the local derivative of input {i} cannot be read off this hand-made node's _backward",
    ),
    # mode.py
    "mode.parentheses": Message(
        "@{name}() 처럼 괄호를 붙여 쓰세요",
        "write @{name}() with parentheses, or use `with {name}():`",
    ),
    # autodiff.py: grad, hessian, hvp, gradients
    "autodiff.argument_not_number": Message(
        "미분할 인자 {position}은(는) 숫자나 Value여야 합니다",
        "argument {position} must be a number or a Value to be differentiated, got {kind}",
    ),
    "autodiff.argnums_empty": Message(
        "argnums가 비어 있습니다: 미분할 인자를 정해 주세요",
        "argnums is empty: say which arguments to differentiate",
    ),
    "autodiff.argnums_not_int": Message(
        "argnums에는 int만 넣을 수 있습니다", "argnums must hold ints, got {kind}"
    ),
    "autodiff.argnums_out_of_range": Message(
        "argnums의 {i}이(가) 범위를 벗어났습니다: 인자는 {nargs}개입니다",
        "argnums {i} is out of range for {nargs} argument(s)",
    ),
    "autodiff.argnums_twice": Message(
        "argnums {nums}에 같은 인자가 두 번 있습니다",
        "an argument is listed twice in argnums {nums}: each would get only part of the derivative",
    ),
    "autodiff.not_scalar": Message(
        "함수는 Value나 숫자 하나를 돌려주어야 합니다",
        "the function must return a Value or a number (a scalar), got {kind}",
    ),
    "autodiff.hessian_no_args": Message(
        "hessian에는 인자가 하나 이상 필요합니다", "hessian needs at least one argument"
    ),
    "autodiff.hvp_lengths": Message(
        "args와 v의 길이가 다릅니다", "args has {n_args} entries but v has {n_v}"
    ),
    "autodiff.gradients_output": Message(
        "gradients()의 출력은 Value여야 합니다", "gradients() needs a Value as output, got {kind}"
    ),
    # gradcheck.py: its input checks, its verdicts and its report
    "gradcheck.inputs_not_list": Message(
        "inputs는 숫자의 리스트여야 합니다", "inputs must be a list of numbers, got {kind}"
    ),
    "gradcheck.eps_not_real": Message(
        "eps는 양의 실수여야 합니다", "eps must be a real number, got {eps!r}"
    ),
    "gradcheck.eps_not_positive": Message(
        "eps는 유한한 양수여야 합니다", "eps must be finite and > 0, got {eps!r}"
    ),
    "gradcheck.step_overflows": Message(
        "입력 x = {x!r}에서 x ± eps·max(1, |x|)가 넘칩니다; 더 작은 eps를 쓰세요",
        "the step x ± eps·max(1, |x|) overflows at the input x = {x!r}; use a smaller eps",
    ),
    "gradcheck.step_vanishes": Message(
        "입력 x = {x!r}에서 차분 간격이 사라집니다: h = {h:.3g}이면 x + h 또는 x - h가 "
        "반올림되어 x 그대로입니다; 더 큰 eps를 쓰세요",
        "the step vanishes at that input, x = {x!r}: with h = {h:.3g}, x + h or x - h rounds "
        "back to x; use a larger eps, e.g. 1e-6",
    ),
    "gradcheck.input": Message("입력 {i}", "input {i}"),
    "gradcheck.analytic": Message("역전파", "analytic"),
    "gradcheck.numeric": Message("중앙 차분", "numeric"),
    "gradcheck.verdict_kink": Message("미분 불가", "not differentiable"),
    "gradcheck.verdict_step_too_large": Message("간격이 큼", "step too large"),
    "gradcheck.verdict_step_too_small": Message("간격이 작음", "step too small"),
    "gradcheck.verdict_mismatch": Message("불일치", "mismatch"),
    "gradcheck.kink": Message("미분이 정의되지 않습니다", "derivative undefined at a kink"),
    "gradcheck.kink_slopes": Message(
        "왼쪽 기울기 {left}, 오른쪽 기울기 {right}. 역전파가 낸 {analytic}은(는) 관례로 정한 "
        "값이고, 중앙 차분은 두 기울기의 평균일 뿐입니다",
        "left slope {left}, right slope {right}: backward's {analytic} is a convention, and the "
        "central difference is only the average of the two slopes",
    ),
    "gradcheck.step_too_large": Message(
        "차분 간격 h = {h}이(가) 이 입력에 비해 너무 큽니다",
        "the step is too large for the input's scale (h = {h})",
    ),
    "gradcheck.step_too_small": Message(
        "차분 간격 h = {h}이(가) 이 입력에 비해 너무 작습니다",
        "the step is too small for the input's scale (h = {h})",
    ),
    "gradcheck.not_a_kink": Message(
        "더 작은 간격에서는 중앙 차분이 역전파와 일치하므로 꺾인 점이 아닙니다",
        "at a smaller step the difference agrees with backward: not a kink",
    ),
    "gradcheck.rounding": Message(
        "f 값의 반올림 오차가 간격으로 나뉘어 커집니다", "rounding error dominates"
    ),
    "gradcheck.agrees_at": Message(
        "{option}이면 중앙 차분 {numeric}이(가) 역전파 {analytic}와(과) 일치합니다: "
        "{option}로 다시 확인하세요",
        "with {option} the central difference {numeric} agrees with backward ({analytic}): "
        "check again with that eps",
    ),
    "gradcheck.failed": Message(
        "역전파와 중앙 차분이 다릅니다: 입력 {total}개 중 {failed}개",
        "gradcheck failed for {failed} of {total} input(s)",
    ),
}


# The compiler and compiled training (the compiler package, train.py, functional.py).
# A message about one argument or sample is joined from pieces, each "Korean (English)":
# "compile.compiled_function", then "compile.input" / "compile.parameter" / "compile.sample",
# then the finding. Only "compile.disagree" takes pieces as fields (where, what), so that its
# Korean text reads as before (notebook 09 shows it).
_COMPILE: dict[str, Message] = {
    # compile() and trace()
    "compile.lift_bool": Message(
        "lift는 True나 False여야 합니다", "lift must be True or False, got {lift!r}"
    ),
    "compile.f_not_callable": Message(
        "f는 함수여야 합니다", "f must be a function (a callable), got {kind}"
    ),
    "compile.example_inputs": Message(
        "example_inputs는 숫자의 리스트여야 합니다",
        "example_inputs must be a list of numbers, got {kind}",
    ),
    "compile.f_result": Message(
        "f는 Value나 숫자를 돌려주어야 합니다", "f must return a Value or a number, got {kind}"
    ),
    "compile.params_twice": Message(
        "params에 같은 Value가 두 번 있습니다", "params lists the same Value twice"
    ),
    "compile.params_kind": Message(
        "params에는 잎 노드 Value의 리스트나 모델을 넣을 수 있습니다",
        "params must be leaf Values (e.g. model.parameters()) or a model: {detail}",
    ),
    "compile.params_got": Message("", "got {kind}"),
    "compile.params_item_kind": Message("", "params[{i}] is a {kind}"),
    "compile.params_item_not_leaf": Message(
        "", "params[{i}] is computed by an operation, not a leaf"
    ),
    "compile.needs_trace": Message(
        "Trace가 필요합니다: trace(f, example_inputs)로 만드세요",
        "needs the Trace made by trace(f, example_inputs), got {kind}",
    ),
    # the generated source and the rules run on source text
    "compile.source_control_char": Message(
        "생성 코드에 제어 문자 {ch!r}이(가) 있어 실행하지 않습니다",
        "generated code contains a control character {ch!r}; not run",
    ),
    "compile.source_tokenize": Message(
        "생성 코드를 토큰으로 나눌 수 없어 실행하지 않습니다",
        "generated code does not tokenize: {error}; not run",
    ),
    "compile.source_unexpected": Message(
        "생성 코드에 예상하지 못한 글자가 있어 실행하지 않습니다",
        "generated code contains unexpected text {text!r}, line {line}; not run",
    ),
    "compile.rule_branch": Message(
        "규칙이 추적 중인 값에 파이썬 if/and/or를 썼습니다: m.where(cond, a, b)를 쓰세요, "
        "그래야 배치의 표본마다 자기 분기를 고릅니다",
        "a rule used Python `if`/`and`/`or` on a traced value: use m.where(cond, a, b), so "
        "that every sample of a batch takes its own branch",
    ),
    "compile.constant_not_number": Message(
        "생성 코드의 상수는 숫자만 될 수 있습니다",
        "only numbers can become constants in generated code, got {x!r}",
    ),
    "compile.constant_not_finite": Message(
        "그래프의 상수가 유한하지 않습니다", "a constant in the graph is not finite: {x!r}"
    ),
    # the runtime: a call's arguments
    "compile.compiled_function": Message("컴파일된 함수", "compiled function"),
    "compile.at_inputs": Message("컴파일된 함수, 입력 {xs}", "compiled function at inputs {xs}"),
    "compile.lifted_function": Message("행렬 코드(lift=True)", "lifted function"),
    "compile.input": Message("입력 {k}", "input {k}"),
    "compile.parameter": Message("매개변수 {name}", "parameter {name}"),
    "compile.parameters": Message("매개변수", "parameters"),
    "compile.sample": Message("표본 {k}", "sample {k}"),
    "compile.param_count": Message(
        "매개변수 개수가 다릅니다", "expected {expected} parameter(s), got {got}"
    ),
    "compile.not_a_number": Message(
        "숫자로 읽을 수 없습니다", "cannot be read as a number, got {x!r}"
    ),
    "compile.ragged": Message(
        "배치의 행 길이가 서로 다릅니다", "a ragged batch: its rows have different lengths"
    ),
    "compile.shapes_mismatch": Message(
        "배치 입력들의 모양이 서로 맞지 않습니다",
        "the batch arguments' shapes do not match: {shapes}",
    ),
    "compile.empty_batch": Message(
        "컴파일된 함수에 빈 배치가 들어왔습니다", "an empty batch: the inputs hold no samples"
    ),
    "compile.x_shape": Message(
        "X는 (샘플 수 x {n}) 배열이어야 합니다", "X must be a samples x {n} array, got {shape}"
    ),
    "compile.param_vector": Message(
        "매개변수는 {n}개의 수로 된 1차원 배열이어야 합니다",
        "the parameters must be a flat array of {n} numbers, got shape {shape}",
    ),
    "compile.check_mode": Message(
        "check는 'first', 'always', 'never' 중 하나여야 합니다",
        "check must be 'first', 'always' or 'never', got {check!r}",
    ),
    "compile.reduce_value": Message(
        "reduce는 None, 'sum', 'mean' 중 하나여야 합니다",
        "reduce must be None, 'sum' or 'mean', got {reduce!r}",
    ),
    "compile.reduce_needs_batch": Message(
        "reduce=는 배치 입력에만 쓸 수 있습니다",
        "reduce= needs a batch: NumPy arrays or lists as inputs",
    ),
    "compile.batch_needs_numpy": Message(
        "컴파일된 함수를 배치로 계산하려면 NumPy가 필요합니다. NumPy 없이는 숫자 하나씩 넣어 "
        "부르세요",
        "evaluating a compiled function on a batch needs NumPy: pip install "
        "'micrograd_kr[fast]'  (or: pip install numpy). Call it with plain numbers",
    ),
    "compile.numpy_failure": Message(
        "컴파일된 함수를 배치로 계산하지 못했습니다. 실패한 표본을 즉시 실행(eager) 엔진으로 "
        "돌려 어느 연산과 값인지 보세요",
        "compiled function on a batch: NumPy reports '{error}'. Run the failing sample "
        "through the eager engine to see which operation and value",
    ),
    "compile.frozen_changed": Message(
        "컴파일 뒤에 {name}의 값이 {old!r}에서 {new!r}(으)로 바뀌었지만, 코드에는 상수로 "
        "들어 있습니다. 학습할 값이면 params=[...]에 넣거나 Parameter로 만드세요, 아니면 "
        "다시 compile하세요",
        "{name}, a Value closed over by f, changed from {old!r} to {new!r} after compile, "
        "but its number is written into the code: list it in params=[...] or make it a "
        "Parameter if it is to be learned, or compile again",
    ),
    # the self-check: where it compared, what, and the causes a disagreement may have
    "compile.near_example": Message("예시 근처의 점", "a point near the example"),
    "compile.the_inputs": Message("입력", "the inputs"),
    "compile.output": Message("출력", "output"),
    "compile.input_gradient": Message("입력 {k}의 기울기", "gradient of input {k}"),
    "compile.gradient_of": Message("{name}의 기울기", "gradient of {name}"),
    # where and what are pieces said on their own ("compile.sample", "compile.output", ...)
    "compile.disagree": Message(
        "컴파일된 코드와 즉시 실행(eager) 엔진이 다릅니다: {where} {xs}, {what}: 컴파일 {got!r} 대 "
        "즉시 실행 {want!r}. 가능한 원인: f가 .data를 읽어 분기(if x.data > 0)나 상수를 정했다면 "
        "그 선택은 추적한 예시의 것으로 코드에 고정됩니다 (relu, maximum, minimum, abs 같은 연산을 "
        "쓰세요); f가 부를 때마다 다른 값을 냅니다 (난수, 바깥 상태); 또는 컴파일러의 버그입니다 "
        '(예: lift=True가 노드를 잘못 묶음, 알려 주세요). 기본값 check="first"는 첫 호출만 '
        '확인합니다: 매번 확인하려면 check="always".',
        "The compiled code and the eager engine disagree at {where} {xs}, {what}: {got!r} "
        "compiled vs {want!r} eager. Possible causes: f reads .data to choose a branch or a "
        "number, which is frozen at the traced example; f gives a different result on each "
        "call; a bug of the compiler, e.g. lift=True grouping nodes wrongly. The default "
        'check="first" checks the first call only; check="always" checks every call.',
    ),
    # fit()
    "train.progress": Message("학습", "training"),
    "train.unknown_loss": Message(
        "알 수 없는 손실 {loss!r}: {valid} 중 하나나 함수를 주세요",
        "unknown loss {loss!r}; valid losses are {valid} (or a function)",
    ),
    "train.lengths": Message(
        "X와 y의 길이가 다릅니다: 샘플 {n_x}개, 정답 {n_y}개",
        "X has {n_x} samples but y has {n_y} targets",
    ),
    "train.no_data": Message("학습 데이터가 없습니다", "no training data: X is empty"),
    "train.optimizer_needed": Message(
        "모델이 nn.Module이 아니면 옵티마이저 객체를 넘기세요, 예: optim.SGD(params, lr=0.1)",
        "pass an Optimizer instance when the model is not an nn.Module, e.g. "
        "optim.SGD(params, lr=0.1)",
    ),
    "train.unknown_optimizer": Message(
        "알 수 없는 옵티마이저 {optimizer!r}: 'sgd', 'adam' 또는 Optimizer 객체를 주세요",
        "unknown optimizer {optimizer!r}; use 'sgd', 'adam' or an Optimizer",
    ),
    "train.epochs": Message(
        "epochs는 0 이상의 정수여야 합니다", "epochs must be an int >= 0, got {epochs!r}"
    ),
    "train.batch_size": Message(
        "batch_size는 양의 정수나 None이어야 합니다",
        "batch_size must be a positive int or None, got {batch_size!r}",
    ),
    "train.param_not_finite": Message(
        "파라미터가 inf나 nan이 되었습니다", "a parameter became inf or nan"
    ),
    "train.after_last_epoch": Message("마지막 에폭 뒤", "after the last epoch"),
    "train.named_losses": Message(
        "fit(compiled=True)는 이름이 있는 손실만 씁니다 {losses}",
        "fit(compiled=True) needs one of the named losses {losses}, got {loss!r}",
    ),
    "train.sample_of_x": Message("X의 {i}번째 샘플", "sample {i} of X"),
    "train.x_not_numbers": Message(
        "X를 숫자 배열로 읽을 수 없습니다",
        "X cannot be read as an array of numbers: rows of different lengths or entries "
        "that are not numbers",
    ),
    "train.bce_targets": Message(
        "출력 하나와 0~1 사이의 정답이 필요합니다", "needs one output and targets in [0, 1]"
    ),
    "train.several_outputs": Message(
        "compiled=True에서는 출력이 여러 개인 모델이 필요합니다",
        "needs a model with several outputs with compiled=True",
    ),
    "train.training_data": Message("학습 데이터의 {where}", "training data {where}"),
    # functional.py: the arguments of softmax, losses, one_hot
    "functional.needs_list": Message(
        "{name}에는 숫자나 Value의 리스트가 필요합니다",
        "{name} needs a list of numbers or Values, got {kind}",
    ),
    "functional.empty": Message(
        "원소가 하나 이상 필요합니다", "needs at least one element, got an empty list"
    ),
    "functional.element": Message(
        "원소 {i}은(는) 숫자나 Value여야 합니다",
        "element {i} must be a number or a Value, got {kind}",
    ),
    "functional.number_or_list": Message(
        "{name}에는 숫자, Value 또는 그 리스트를 주세요",
        "{name} must be a number, a Value or a list of them, got {x!r}",
    ),
    "functional.reduction": Message(
        "reduction은 'mean' 또는 'sum'이어야 합니다",
        "reduction must be 'mean' or 'sum', got {reduction!r}",
    ),
    "functional.predictions_targets": Message(
        "예측과 정답의 개수가 다릅니다", "got {n} prediction(s) but {m} target(s)"
    ),
    "functional.samples_targets": Message(
        "표본과 정답의 개수가 다릅니다", "got {n} sample(s) but {m} target(s)"
    ),
    "functional.no_predictions": Message("예측이 없습니다", "got no predictions"),
    "functional.label_int": Message(
        "클래스 레이블은 int여야 합니다", "a class label must be an int, got {kind}: {y!r}"
    ),
    "functional.label_range": Message(
        "클래스 레이블 {index}이(가) 범위를 벗어났습니다",
        "class label {index} is out of range 0..{last}",
    ),
    "functional.num_classes": Message(
        "num_classes는 양의 int여야 합니다", "num_classes must be a positive int, got {n!r}"
    ),
    "functional.class_scores": Message(
        "클래스 점수(로짓)는 샘플마다 클래스 수만큼, 2개 이상이어야 합니다. 출력이 하나인 이진 "
        "분류에는 binary_cross_entropy_with_logits (fit의 loss='bce')나 hinge_loss를 쓰세요",
        "class scores need at least two outputs per sample, one per class, got {count}; for "
        "one output use binary_cross_entropy_with_logits, loss='bce', or hinge_loss",
    ),
    "functional.probs_hint": Message(
        "확률 벡터 정답은 probs=로 주세요, 예: cross_entropy(logits, probs=one_hot(y, k))",
        "give probability targets as probs=...",
    ),
    "functional.one_sample_list": Message(
        "로짓이 벡터 하나(샘플 하나)인데 정답이 리스트입니다. 샘플이 여럿이면 샘플마다 점수 한 "
        "줄씩 cross_entropy([[z0, z1], [z0, z1], ...], [0, 1, ...])로 주세요",
        "one vector of logits is one sample and takes one int label, got a list of {n}; for "
        "a batch give one row of class scores per sample",
    ),
    "functional.batch_needs_list": Message(
        "로짓 배치에는 정답 리스트가 필요합니다", "a batch of logits needs a list of targets"
    ),
    "functional.target_vector": Message(
        "샘플 {i}의 정답이 벡터입니다; 정답은 샘플마다 int 레이블 하나입니다",
        "target {i} is a vector; class labels are one int per sample",
    ),
    "functional.probs_length": Message(
        "샘플 {i}: 로짓과 확률 벡터의 길이가 다릅니다",
        "sample {i}: {k} logits but a target vector of length {n}",
    ),
    "functional.probs_sum": Message(
        "샘플 {i}: 확률 벡터는 0 이상이고 합이 1이어야 합니다",
        "sample {i}: probs must be >= 0 and sum to 1, got {probs}",
    ),
    "functional.target_or_probs": Message(
        "정답을 target(int 레이블) 또는 probs(확률 벡터) 중 하나로 주세요",
        "give exactly one of target (int class labels) or probs (probability vectors)",
    ),
    "functional.probs_count": Message(
        "로짓 배치에는 샘플마다 확률 벡터가 하나씩 필요합니다",
        "a batch of {n} sample(s) needs one probability vector each, got {count}",
    ),
    "functional.targets_unit": Message(
        "정답은 [0, 1] 안에 있어야 합니다", "targets must lie in [0, 1], got {y!r}"
    ),
    "functional.probs_unit": Message(
        "확률은 [0, 1] 안에 있어야 합니다", "probabilities must lie in [0, 1], got {p!r}"
    ),
    "functional.hinge_scores": Message(
        "샘플 {i}의 점수가 {count}개입니다: 다중 클래스 힌지 손실에는 샘플마다 클래스 수만큼, "
        "2개 이상의 점수가 필요합니다; 이진 분류라면 샘플마다 점수 하나씩, 예: "
        "hinge_loss([s0, s1], [0, 1])",
        "multi-class hinge needs at least two scores per sample, sample {i} has {count}; for "
        "two classes give one score per sample, labels -1/+1 or 0/1, e.g. "
        "hinge_loss([s0, s1], [0, 1])",
    ),
    "functional.binary_labels": Message(
        "이진 레이블은 -1/+1 또는 0/1이어야 합니다", "binary labels must be -1/+1 or 0/1, got {y}"
    ),
}


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


CATALOG: dict[str, Message] = _join(_SHARED, _ENGINE, _COMPILE, _MODELS, _PICTURES, _COMMAND_LINE)
