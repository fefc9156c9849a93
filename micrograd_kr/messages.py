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

A Korean particle that depends on the word before it is written as the field's format spec,
so it agrees with the value filled in: ``{what:은}`` gives "seed는" or "lr은", ``{i:이}``
gives "0이" or "2가" (see :func:`particle` for the pairs and how a number or a Latin word is
read). Templates never write both forms, as in "은(는)".
"""

from __future__ import annotations

import os
import string
from typing import Any, NamedTuple

__all__ = [
    "Message",
    "CATALOG",
    "say",
    "one_language",
    "korean",
    "english",
    "english_only",
    "fields_of",
    "particle",
]

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


# --- Korean particles ----------------------------------------------------------------------
# Each pair: (after a final consonant, after a vowel). A template names a pair by either form.
_PAIRS: dict[str, tuple[str, str]] = {
    "은": ("은", "는"),
    "이": ("이", "가"),
    "을": ("을", "를"),
    "과": ("과", "와"),
    "으로": ("으로", "로"),
}
_PARTICLE_SPECS: dict[str, str] = {form: name for name, pair in _PAIRS.items() for form in pair}

_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
_RIEUL = 8  # index of the final consonant ㄹ: "(으)로" takes 로 after it, as after a vowel
_NO_FINAL = 0
_SOME_FINAL = 1  # a final consonant other than ㄹ (which one does not matter here)
# the final consonant of a digit read in Korean: 영 일 이 삼 사 오 육 칠 팔 구
_DIGIT_FINAL = dict(zip("0123456789", (21, _RIEUL, 0, 16, 0, 0, 1, _RIEUL, _RIEUL, 0)))
# a whole number ending in zeros is read by its last unit: 십, 백, 천, then 만, 억, 조, 경
_TENS_FINAL = (17, 1, 4)
_MYRIADS_FINAL = (4, 1, 0, 21)
# Latin letters read by their Korean names: 엘, 엠, 엔, 알 end in a consonant, the rest not
_LETTER_FINAL = {"l": _RIEUL, "m": 16, "n": 4, "r": _RIEUL}
_CLOSING = "'\"`)]}>»」』"
_OPENING = {")": "(", "]": "[", "}": "{", ">": "<", "»": "«", "」": "「", "』": "『"}


def _spoken_end(text: str) -> str:
    """``text`` without what is not read before a particle: closing quotes, and a final
    group in brackets after a word ("학습률(lr)" is read "학습률")."""
    text = text.rstrip()
    while text and text[-1] in _CLOSING:
        last = text[-1]
        opening = _OPENING.get(last)
        start = text.rfind(opening) if opening else -1
        # "f(x)" -> "f", "학습률 (lr)" -> "학습률"; a quote, or brackets around everything:
        # "'x'" -> "'x", "[1]" -> "[1"
        keep = start if start > 0 and text[:start].strip() else len(text) - 1
        text = text[:keep].rstrip()
    return text


def _number_final(digits: str, fraction: bool) -> int:
    """The final consonant of a number read in Korean (its last digits ``digits``)."""
    if fraction or digits.strip("0") == "" or not digits.endswith("0"):
        return _DIGIT_FINAL[digits[-1]]  # 0.25 이오, 1e-08 팔, 0 영
    zeros = len(digits) - len(digits.rstrip("0"))
    if zeros % 4:
        return _TENS_FINAL[zeros % 4 - 1]  # 10 십, 200 이백, 3000 삼천
    return _MYRIADS_FINAL[min(zeros // 4, len(_MYRIADS_FINAL)) - 1]  # 10000 만, 1e8 억


def _final_consonant(word: str) -> int:
    """The final consonant (jongseong index, 0 for none) of ``word`` as it is read aloud.

    Hangul: the last syllable's own. Digits: the Korean reading of the number (12 십이,
    20 이십, 1.5 일 점 오, 1e-08 ... 팔). Latin letters: an acronym or a one- or two-letter
    name by the letters' Korean names (MLP 엠엘피, x 엑스, lr 엘알); a longer lowercase word
    by the letter names too, except "-r" words read as "-어" (linear 리니어, optimizer 옵티마이저)
    and "-ng" words (string 스트링). Anything else (a symbol, a Greek letter) counts as
    ending in a vowel, the form a reader expects after most symbol names (플러스, 알파).
    """
    text = _spoken_end(str(word))
    if not text:
        return _NO_FINAL
    last = text[-1]
    if _HANGUL_FIRST <= ord(last) <= _HANGUL_LAST:
        return (ord(last) - _HANGUL_FIRST) % 28
    if last.isascii() and last.isdigit():
        run = len(text) - len(text.rstrip("0123456789,"))
        digits = text[len(text) - run :].replace(",", "")
        before = text[: len(text) - run]
        return _number_final(digits, fraction=before.endswith("."))
    if last.isascii() and last.isalpha():
        letters = len(text) - len(
            text.rstrip("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        )
        tail = text[len(text) - letters :]
        spoken_as_word = letters >= 3 and tail.islower() and any(v in tail for v in "aeiouy")
        if spoken_as_word and tail.endswith("ng"):
            return _SOME_FINAL
        if spoken_as_word and tail.endswith("r"):
            return _NO_FINAL
        return _LETTER_FINAL.get(last.lower(), _NO_FINAL)
    return _NO_FINAL


def particle(word: object, pair: str) -> str:
    """The form of the particle ``pair`` that follows ``word``: 은/는, 이/가, 을/를, 과/와 or
    (으)로, named by either form ("은" or "는", ...).

    >>> particle("seed", "은"), particle("학습률", "는"), particle(3, "이"), particle("1", "로")
    ('는', '은', '이', '로')
    """
    try:
        after_consonant, after_vowel = _PAIRS[_PARTICLE_SPECS[pair]]
    except KeyError:
        raise KeyError(f"no Korean particle {pair!r}; use one of {sorted(_PAIRS)}") from None
    final = _final_consonant(str(word))
    if final == _NO_FINAL or (after_consonant == "으로" and final == _RIEUL):
        return after_vowel
    return after_consonant


class _KoreanFormatter(string.Formatter):
    """``str.format`` that also reads a particle as a format spec: ``{what:은}``, ``{h:.3g이}``."""

    def format_field(self, value: Any, format_spec: str) -> Any:
        for form in sorted(_PARTICLE_SPECS, key=len, reverse=True):
            if format_spec.endswith(form):
                text = format(value, format_spec[: -len(form)])
                return text + particle(text, form)
        return format(value, format_spec)


_KOREAN_FORMATTER = _KoreanFormatter()


def korean(key: str, /, **fields: Any) -> str:
    """The Korean text of ``key`` alone (for labels where the English goes elsewhere)."""
    return _KOREAN_FORMATTER.format(_message(key).ko, **fields)


def english(key: str, /, **fields: Any) -> str:
    """The English text of ``key`` alone."""
    return _message(key).en.format(**fields)


def one_language(key: str, /, **fields: Any) -> str:
    """Text in one language: the Korean template, or the English one in English-only mode.

    For labels that carry their own English term (a legend line, a help text, a table
    header) or that have no room for both (a caption, a plot title).
    """
    return english(key, **fields) if english_only() else korean(key, **fields)


def say(key: str, /, **fields: Any) -> str:
    """The message ``key`` with ``fields`` filled in: Korean first, English in parentheses.

    A message whose Korean template is empty is English only (a technical term, a name).
    """
    entry = _message(key)
    en = entry.en.format(**fields)
    if english_only() or not entry.ko:
        return en
    ko = _KOREAN_FORMATTER.format(entry.ko, **fields)
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
    "shared.must_be_number": Message("{what:은} 숫자여야 합니다", "{what} must be a number"),
    "shared.must_be_finite": Message(
        "{what:은} 유한한 수여야 합니다", "{what} must be a finite number"
    ),
    "shared.needs_finite": Message("유한한 수가 필요합니다", "needs a finite number"),
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
    "shared.number_or_value": Message(
        "{what:은} 숫자나 Value여야 합니다", "{what} must be a number or a Value"
    ),
    "shared.undefined": Message("정의되지 않음", "undefined"),
    "shared.not_differentiable": Message("미분 불가", "not differentiable"),
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
        "기울기가 {g:으로} 넘쳤습니다", "the gradient of {what} overflowed to {g}"
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
        "상수 {data!r:을} 쓴 연산이 그래프와 함께 메모리에서 사라져 기울기를 알 수 "
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
        "op {name!r:이} 없습니다", "no such op {name!r}: run its define_op first"
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
        "{name!r:은} 기본 연산의 이름입니다; 다른 이름을 고르세요",
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
        "{what:이} 실수가 아닌 {kind} 값 {result!r:을} 돌려주었습니다",
        "{what} must return a real number, got {kind}: {result!r}",
    ),
    "ops.float_only_rule": Message(
        "{what:은} math.* 또는 float()로 쓰여 숫자에만 쓸 수 있어, 한 번 더 미분하거나 "
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
        "손으로 만든 노드의 _backward에서 국소적 미분을 읽을 수 없습니다",
        "the local derivative of input {i} cannot be read off this hand-made node's _backward",
    ),
    # mode.py
    "mode.parentheses": Message(
        "@{name}() 처럼 괄호를 붙여 쓰세요",
        "write @{name}() with parentheses, or use `with {name}():`",
    ),
    # autodiff.py: grad, hessian, hvp, gradients
    "autodiff.argument_not_number": Message(
        "미분할 인자 {position:은} 숫자나 Value여야 합니다",
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
        "argnums의 {i:이} 범위를 벗어났습니다: 인자는 {nargs}개입니다",
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
    "gradcheck.verdict_step_too_large": Message("간격이 큼", "step too large"),
    "gradcheck.verdict_step_too_small": Message("간격이 작음", "step too small"),
    "gradcheck.verdict_mismatch": Message("불일치", "mismatch"),
    "gradcheck.kink": Message("미분이 정의되지 않습니다", "derivative undefined at a kink"),
    "gradcheck.kink_slopes": Message(
        "왼쪽 기울기 {left}, 오른쪽 기울기 {right}. 역전파가 낸 {analytic:은} 관례로 정한 "
        "값이고, 중앙 차분은 두 기울기의 평균일 뿐입니다",
        "left slope {left}, right slope {right}: backward's {analytic} is a convention, and the "
        "central difference is only the average of the two slopes",
    ),
    "gradcheck.step_too_large": Message(
        "차분 간격 h = {h:이} 이 입력에 비해 너무 큽니다",
        "the step is too large for the input's scale (h = {h})",
    ),
    "gradcheck.step_too_small": Message(
        "차분 간격 h = {h:이} 이 입력에 비해 너무 작습니다",
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
        "{option}이면 중앙 차분 {numeric:이} 역전파 {analytic:과} 일치합니다: "
        "{option:으로} 다시 확인하세요",
        "with {option} the central difference {numeric} agrees with backward ({analytic}): "
        "check again with that eps",
    ),
    "gradcheck.failed": Message(
        "역전파와 중앙 차분이 다릅니다: 입력 {total}개 중 {failed}개",
        "gradcheck failed for {failed} of {total} input(s)",
    ),
}


# Forward mode and Jacobians: jvp, jacfwd, jacobian, vjp, jacrev, hvp, create_graph
# (forward.py, and the parts of autodiff.py they added).
_FORWARD: dict[str, Message] = {
    "forward.not_a_list": Message(
        "{what:는} 숫자나 Value의 리스트(또는 튜플)여야 합니다",
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
        "{op}{at}: 접선(ẋ)이 {tangent:으로} 넘쳤습니다",
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
        "생성 코드에 제어 문자 {ch!r:이} 있어 실행하지 않습니다",
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
        "컴파일 뒤에 {name}의 값이 {old!r}에서 {new!r:으로} 바뀌었지만, 코드에는 상수로 "
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
    # fit()'s warnings (train.DeadReLUWarning, train.LossExplosionWarning) and what the command
    # line says about them
    "train.dead_relu": Message(
        "{epoch}번째 에폭 뒤 은닉층 model.layers[{index}]의 ReLU 유닛 {units}개가 모두 모든 학습 "
        "샘플에서 0을 냅니다 (죽은 ReLU): 입력 w·x + b가 늘 0 이하입니다. 이 층이 0만 내보내므로 "
        "모델의 출력은 입력과 상관없는 상수이고, 역전파가 이 층에서 멈춰(기울기 0) 손실이 더 줄지 "
        "않습니다.",
        "after epoch {epoch}, all {units} ReLU units of hidden layer model.layers[{index}] output "
        "0 for every training sample (dead ReLU): their input w·x + b is always <= 0. The layer "
        "passes on only zeros, so the output is a constant whatever the input, backpropagation "
        "stops there (gradient 0) and the loss stops improving.",
    ),
    "train.dead_relu_remedy": Message(
        "흔한 원인은 너무 큰 학습률(lr)입니다: 첫 갱신 몇 번이 w·x + b를 모든 샘플에서 "
        "음수로 밀어냅니다. lr을 줄이거나(예: lr={smaller:g}), micrograd 강의처럼 "
        'activation="tanh"를 쓰거나, 작은 lr과 함께 activation="leaky_relu"를 쓰거나, '
        "다른 seed로 다시 시작해 보세요.",
        "The usual cause is a too large learning rate: the first updates push w·x + b below 0 "
        'for every sample. Try a smaller lr (e.g. lr={smaller:g}), activation="tanh" as in the '
        'micrograd lecture, activation="leaky_relu" with a small lr, or another seed.',
    ),
    "train.loss_exploded": Message(
        "손실이 첫 에폭의 {first}에서 {epoch}번째 에폭의 {loss:으로} {factor:.3g}배 "
        "커졌습니다: 학습이 발산하고 있습니다. 흔한 원인은 너무 큰 학습률(lr={lr:g})입니다: "
        "lr을 줄여 보세요(예: lr={smaller:g}).",
        "the loss grew from {first} in the first epoch to {loss} in epoch {epoch} ({factor:.3g} "
        "times): training is diverging, most often because the learning rate lr={lr:g} is too "
        "large; try a smaller one (e.g. lr={smaller:g}).",
    ),
    "train.warning_line": Message("경고: {message}", "warning: {message}"),
    "train.cli_exploded": Message(
        "학습이 발산했습니다: 손실이 첫 에폭보다 {factor:.3g}배까지 커졌습니다. 결과(최종 손실, "
        "저장한 모델, 그림)를 믿지 말고 더 작은 --lr로 다시 실행하세요(예: --lr {smaller:g}). "
        "종료 상태 1",
        "training diverged: the loss grew to {factor:.3g} times the first epoch's; do not trust "
        "the results (final loss, saved model, plots) and run again with a smaller --lr (e.g. "
        "--lr {smaller:g}); exit status 1",
    ),
    # functional.py: the arguments of softmax, losses, one_hot
    "functional.needs_list": Message(
        "{name}에는 숫자나 Value의 리스트가 필요합니다",
        "{name} needs a list of numbers or Values, got {kind}",
    ),
    "functional.empty": Message(
        "원소가 하나 이상 필요합니다", "needs at least one element, got an empty list"
    ),
    "functional.element": Message(
        "원소 {i:은} 숫자나 Value여야 합니다",
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
        "클래스 레이블 {index:이} 범위를 벗어났습니다",
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
_MODELS: dict[str, Message] = {
    # a refused argument and what was given: "seed는 ... (seed must be ...), got 1.5"
    "args.got": Message("", "{problem}, got {got}"),
    "args.must_be_int": Message("{what:은} int여야 합니다", "{what} must be an int"),
    "args.must_be_bool": Message(
        "{what:은} True 또는 False여야 합니다", "{what} must be True or False"
    ),
    "args.finite_nonnegative": Message(
        "{what:은} 0 이상의 유한한 수여야 합니다", "{what} must be a finite number >= 0"
    ),
    "data.int_at_least": Message(
        "{what:은} {minimum} 이상의 int여야 합니다", "{what} must be an int >= {minimum}"
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
        "입력 {i:은} 숫자나 Value여야 합니다", "input {i} must be a number or a Value"
    ),
    "nn.affine_overflow": Message("w·x + b가 넘쳤습니다", "w·x + b overflowed: {z}"),
    "nn.cannot_export": Message(
        "{model:은} PyTorch로 내보낼 수 없습니다", "{model} cannot be exported to PyTorch"
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
        "params의 {i}번 항목은 Value가 아닙니다", "params[{i}] is a {kind}, not a Value"
    ),
    "optim.param_not_leaf": Message(
        "params의 {i}번 항목은 다른 값들로 계산된 값이라 학습할 수 없습니다",
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
        "betas의 {i}번 값은 [0, 1) 안에 있어야 합니다", "betas[{i}] must be in [0, 1)"
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
        "매개변수 {name:이} {value}입니다", "parameter {name} is {value}"
    ),
    "model_file.non_finite_constant": Message(
        "유한하지 않은 수 {name:은} 쓸 수 없습니다",
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
        "'{section}' 항목이 없거나 객체가 아닙니다", "'{section}' is missing or not an object"
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
# Text drawn inside a picture is shown in one language at a time (messages.one_language): the
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
        "{name:은} {allowed} 중 하나여야 합니다", "{name} must be one of {allowed}"
    ),
    "viz.int_at_least": Message("{name:은} {low} 이상이어야 합니다", "{name} must be >= {low}"),
    "viz.int_between": Message(
        "{name:은} {low}에서 {high} 사이여야 합니다", "{name} must be from {low} to {high}"
    ),
    "viz.text_or_none": Message(
        "{name:은} 문자열이나 None이어야 합니다", "{name} must be a str or None"
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
    "viz.cannot_start": Message("{who:을} 실행할 수 없습니다", "cannot start {who}"),
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
        "애니메이션은 .html 파일로만 저장할 수 있습니다, {suffix:은} 안 됩니다",
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
        "역전파 backward: 국소적 미분 × 출력의 grad = 입력이 받는 grad",
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
    "viz.op_result": Message("({op}) 결과", "({op}) result"),
    "viz.constant": Message("상수 {value}", "constant {value}"),
    "viz.drawn_again": Message("앞에서 쓴 값을 다시 그림", "the same value, drawn again"),
    "viz.sum_of": Message("{k}번 합 sum of {k}", "sum of {k}"),
    "viz.sum_over_uses": Message("합, {k}번 사용 sum over {k} uses", "sum over {k} uses"),
    "viz.edge_in_sum": Message("앞 화살표의 합에 포함", "counted in the sum above"),
    "viz.caption_root": Message("(출력이므로 1에서 시작)", "(the output: it starts at 1)"),
    "viz.caption_leaf": Message(
        "입력이 없는 잎 노드: grad가 확정됨", "a leaf with no inputs: its grad is final"
    ),
    "viz.caption_total": Message("(누적 grad {grad})", "(grad so far {grad})"),
    # draw_forward: one forward-mode sweep
    "viz.legend_tangent": Message(
        "순방향 모드 forward mode: 국소적 미분 × 입력의 ẋ = 출력의 ẋ에 더해지는 값",
        "forward mode: local derivative × the input's ẋ = what it adds to the output's ẋ",
    ),
    "viz.legend_seeds": Message(
        "ẋ는 입력이 움직이는 빠르기를 따라 각 값이 변하는 빠르기입니다. 시작: {seeds}",
        "ẋ: how fast each value moves when the inputs move; seeds: {seeds}",
    ),
    "viz.no_seeds": Message("모든 입력의 ẋ = 0", "every input's ẋ = 0"),
    "viz.forward_animation_title": Message(
        "순방향 모드 애니메이션 · forward-mode sweep", "forward-mode sweep"
    ),
    "viz.caption_seed": Message(
        "입력: ẋ는 씨앗(seed)으로 준 값, 주지 않았으면 0",
        "an input: its ẋ is the seed it was given, else 0",
    ),
}


# The checks of the notebooks' exercises (micrograd_kr.exercises).
_EXERCISES: dict[str, Message] = {
    "exercise.correct": Message("정답입니다", "correct"),
    "exercise.try_again": Message("다시 해 보세요", "try again"),
    "exercise.hint": Message("힌트", "hint"),
    "exercise.exact": Message(
        "정확한 값과 끝자리까지 같습니다: {exact!r}", "matches the exact value {exact!r}"
    ),
    "exercise.all_right": Message("{n}개 모두 맞습니다", "all {n} are right"),
    "exercise.all_close": Message(
        "{n}개 모두 맞습니다. 정확한 값과의 차이는 가장 커도 {gap:.1e} 입니다",
        "all {n} are right; the largest gap to the exact values is {gap:.1e}",
    ),
    "exercise.digits": Message(
        "입력한 유효숫자 {k}자리까지 맞습니다. 정확한 값은 {exact!r}, 차이는 {gap:.1e} 입니다",
        "right to the {k} significant digit(s) you typed; the exact value {exact!r} "
        "is {gap:.1e} away",
    ),
    "exercise.round_last": Message(
        "거의 맞습니다: 마지막 자리를 버리지 말고 반올림하세요",
        "almost: round the last digit instead of cutting it off",
    ),
    "exercise.blank": Message(
        "아직 답이 없습니다: 위 셀의 None 을 답으로 바꾸고 그 셀을 실행하세요",
        "no answer yet: replace None in the cell above with your answer and run it",
    ),
    "exercise.write_number": Message("숫자를 쓰세요", "write a number"),
    "exercise.write_bool": Message("True 또는 False 를 쓰세요", "write True or False"),
    "exercise.write_text": Message(
        "이름을 따옴표 안의 문자열로 쓰세요", "write the name as a string in quotes"
    ),
    "exercise.write_list": Message("숫자 {n}개의 리스트를 쓰세요", "write a list of {n} numbers"),
    "exercise.write_several": Message("답 {n}개를 차례로 쓰세요", "write the {n} answers in order"),
    "exercise.got_kind": Message("받은 값의 종류: {kind}", "got type {kind}"),
    "exercise.got_text": Message(
        "문자열 {text!r} 대신 따옴표 없는 숫자를 쓰세요",
        "the string {text!r} is text: drop the quotes",
    ),
    "exercise.got_value": Message(
        "Value 대신 그 안의 숫자 .data 또는 .grad 를 쓰세요",
        "not the Value but the number in it, .data or .grad",
    ),
    "exercise.wrong_length": Message(
        "답이 {n}개 필요한데 {got}개를 받았습니다", "expected {n} answers, got {got}"
    ),
    "exercise.some_right": Message("{n}개 중 {right}개가 맞습니다", "{right} of {n} are right"),
    "exercise.not_run": Message(
        "아직 정의되지 않은 이름: {name}. 위의 셀들을 위에서부터 차례로 실행한 뒤 다시 채점하세요",
        "{name} is not defined yet: run the cells above in order, then check again",
    ),
    "exercise.method_missing": Message(
        "숫자는 맞지만 문제가 묻는 방법으로 구하지 않았습니다",
        "the number is right, but not found the way the exercise asks",
    ),
    "exercise.method_failed": Message(
        "방법을 확인하다가 여러분의 코드에서 오류가 났습니다: {error}",
        "your code raised an error while the method was checked: {error}",
    ),
    "exercise.not_define_op": Message(
        "define_op 으로 만든 연산이 필요합니다. 받은 값의 종류: {what}",
        "an op made with define_op is needed; got type {what}",
    ),
    "exercise.not_in_graph": Message(
        "계산 그래프에 연산 {op} 의 노드가 없습니다: 만든 연산으로 계산하세요",
        "no node of the op {op} in the graph: compute with the op you made",
    ),
    "exercise.not_a_graph": Message(
        "연산으로 만든 출력 Value 가 필요합니다. 받은 값의 종류: {kind}",
        "the output Value made by operations is needed; got type {kind}",
    ),
    "exercise.no_backward": Message(
        "출력에서 backward() 를 부르지 않았습니다: 기울기는 backward() 로 구하세요",
        "backward() was not called on the output: get the gradient from backward()",
    ),
    "exercise.not_hand_made": Message(
        "손으로 만든 {symbol} 노드가 계산 그래프에 없습니다: "
        "Value(data, (x,), {symbol!r}) 와 _backward 로 만드세요",
        "no hand-made {symbol} node in the graph: make it with Value(data, (x,), {symbol!r}) "
        "and _backward",
    ),
}

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
        "옵션 {option:이} 모호합니다", "ambiguous option: {option} could match {matches}"
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
        "값 {value:은} 정수가 아닙니다", "value {value} is not an integer"
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
        "파일 이름이 아니라 폴더입니다: '{path}'", "'{path}' is a directory; give a file name"
    ),
    "cli.not_a_folder": Message("폴더가 아닙니다: '{path}'", "'{path}' is not a directory"),
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
    "cli.smaller_eps": Message(
        "x ± eps가 함수의 정의역을 벗어납니다: 더 작은 간격 {option:으로} 다시 해 보세요",
        "x ± eps leaves the function's domain: try again with a smaller step, {option}",
    ),
    "cli.hidden_commas": Message(
        "은닉층 크기는 띄어 쓰지 말고 쉼표로 이어 씁니다: --hidden {fixed}",
        "write the hidden layer sizes as one word joined by commas: --hidden {fixed}",
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
        "matplotlib가 없어 {files:은} 건너뜁니다", "no matplotlib, skipping {files}: {hint}"
    ),
    "cli.train.regression_loss": Message(
        "회귀 데이터셋 {dataset}에는 --loss mse만 쓸 수 있습니다",
        "{dataset} is a regression dataset: only --loss mse",
    ),
    "cli.train.classes_loss": Message(
        "{dataset:은} 클래스가 {classes}개라 --loss cross_entropy만 쓸 수 있습니다",
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
    "cli.train.measured_after": Message(
        "마지막 갱신 뒤 전체 데이터로 잰 값",
        "the final model, measured on all the data after the last update",
    ),
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
    "expr.caret_power": Message(
        "거듭제곱은 **로 씁니다: {written} 대신 {fixed}",
        "'^' is not a power in Python; write powers with **: {fixed}, not {written}",
    ),
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
        "값 {value:은} 숫자가 아닙니다", "value {value} is not a number"
    ),
    "expr.number_too_large": Message("숫자가 너무 큽니다", "number too large for a float"),
    "expr.non_finite": Message(
        "유한하지 않은 수 {value:은} 쓸 수 없습니다", "non-finite number {value} not allowed"
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
        "함수 '{name}' 뒤에 괄호를 붙여 호출하세요: {name}(...)",
        "function '{name}' used as a value; call it: {name}(...)",
    ),
    "expr.operator": Message(
        "쓸 수 없는 연산자 '{operator}'",
        "operator '{operator}' not allowed; use + - * / **",
    ),
    "expr.attribute": Message(
        "쓸 수 없는 속성 접근 '.{name}'", "attribute access '.{name}' not allowed"
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
        "변수 {name:이} 식에 쓰이지 않습니다; 오타인가요?", "unused variable {name}; a typo?"
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
        "변수 이름 {name:이} 올바르지 않습니다", "invalid variable name {name}"
    ),
    "expr.reserved": Message(
        "{name:은} 예약된 이름이라 변수로 쓸 수 없습니다",
        "reserved name {name} cannot be a variable",
    ),
    "expr.duplicate": Message("변수 {name:이} 두 번 정의되었습니다", "duplicate variable {name}"),
    "expr.value_overflows": Message(
        "값 {value:이} 너무 큽니다", "non-finite value: {value} overflows to {result}"
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


CATALOG: dict[str, Message] = _join(
    _SHARED, _ENGINE, _FORWARD, _COMPILE, _MODELS, _PICTURES, _EXERCISES, _COMMAND_LINE
)
