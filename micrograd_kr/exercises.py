"""Checking a learner's answer to a notebook exercise.

Every check cell of the notebooks calls :func:`check`. The tolerance follows the digits the
learner typed: ``0.9182`` claims four significant digits, so it is right when the exact
value rounded to four significant digits is 0.9182, that is, when it is within half a unit
of the last typed digit (0.00005). ``0.9`` is then right as a one-digit answer, and the
message says so and how close it is. ``repr`` of a float gives the shortest digits that
read back as the same float, which are the digits the learner typed; an int's digits are
all significant (``16`` claims two). A full-precision answer (say ``x.grad`` itself) may
differ from the closed form in its last bits: anything within ``REL_FLOOR`` counts as exact.

A method check (``method=``) is a function of no arguments that returns None when the
learner used the method the exercise asks for, or a sentence saying what is missing; the
helpers below (:func:`made_with_define_op`, :func:`used_in_graph`, :func:`grad_from_backward`,
:func:`hand_made_in_graph`) are such sentences.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from .engine import Value, topological_order
from .lecture import HandMadeRow
from .messages import say
from .ops import OPS

__all__ = [
    "check",
    "grade",
    "not_run",
    "typed_digits",
    "made_with_define_op",
    "used_in_graph",
    "grad_from_backward",
    "hand_made_in_graph",
]

# an answer this close to the exact value (relative) is exact: it differs in rounding only
REL_FLOOR = 1e-9
ABS_FLOOR = 1e-12

Method = Callable[[], "str | None"]


class Verdict:
    """The outcome of grading one answer: right or not, and the sentence that says why."""

    __slots__ = ("right", "detail", "show_hint")

    def __init__(self, right: bool, detail: str = "", show_hint: bool = True) -> None:
        self.right = right
        self.detail = detail
        self.show_hint = show_hint  # a wrong type needs the format, not the maths


def check(answer: Any, expected: Any, *, hint: str, method: Method | None = None) -> bool:
    """Print "correct" (exercise.correct) with how close ``answer`` is to ``expected``, or
    "try again" (exercise.try_again) with what is wrong and ``hint``; True when right.

    ``expected`` is a number (the tolerance follows the typed digits), True/False, a string
    (compared without case and surrounding spaces) or a list of those. ``method`` checks how
    the answer was found (see the module's docstring)."""
    verdict = grade(answer, expected)
    if verdict.right and method is not None:
        missing = _run_method(method)
        if missing is not None:
            verdict = Verdict(False, f"{say('exercise.method_missing')}: {missing}", False)
    if verdict.right:
        print(_join(say("exercise.correct") + "!", verdict.detail))
    else:
        lines = [_join(say("exercise.try_again") + ".", verdict.detail)]
        if verdict.show_hint:
            lines.append(f"{say('exercise.hint')}: {hint}")
        print("\n".join(lines))
    return verdict.right


def not_run(error: NameError) -> None:
    """What a check cell prints when a name it needs is not defined yet (a cell not run)."""
    name = getattr(error, "name", None) or str(error)
    print(_join(say("exercise.try_again") + ".", say("exercise.not_run", name=name)))


def grade(answer: Any, expected: Any) -> Verdict:
    """Right or wrong, with the sentence :func:`check` prints (no hint)."""
    if answer is None:
        return Verdict(False, say("exercise.blank"), False)
    if isinstance(expected, bool):
        return _grade_bool(answer, expected)
    if isinstance(expected, str):
        return _grade_text(answer, expected)
    if isinstance(expected, numbers.Real):
        return _grade_number(answer, float(expected))
    return _grade_sequence(answer, list(expected))


def _grade_bool(answer: Any, expected: bool) -> Verdict:
    if not _is_bool(answer):
        return Verdict(False, _wrong_type("exercise.write_bool", answer), False)
    return Verdict(bool(answer) is expected)


def _grade_text(answer: Any, expected: str) -> Verdict:
    if not isinstance(answer, str):
        return Verdict(False, _wrong_type("exercise.write_text", answer), False)
    return Verdict(answer.strip().lower() == expected.strip().lower())


def _grade_number(answer: Any, expected: float) -> Verdict:
    wrong_type = _not_a_number(answer)
    if wrong_type is not None:
        return Verdict(False, wrong_type, False)
    value = float(answer)
    if not math.isfinite(value):
        return Verdict(False)
    gap = abs(value - expected)
    if gap <= REL_FLOOR * abs(expected) + ABS_FLOOR:
        return Verdict(True, say("exercise.exact", exact=expected))
    if expected == 0.0:
        return Verdict(False)
    digits, last = typed_digits(answer)
    unit = 10.0 ** (_leading_exponent(expected) - digits + 1)  # the k-th digit of expected
    # within half a unit of the expected value's k-th digit AND of the last digit typed:
    # 9 for 10 is one significant digit but wrong in its units digit
    if gap <= 0.5 * min(unit, 10.0**last) * (1 + 1e-12):
        return Verdict(True, say("exercise.digits", k=digits, gap=gap, exact=expected))
    cut_off = math.trunc(expected / unit) * unit  # the digits after the k-th dropped
    if abs(value - cut_off) <= 1e-9 * unit:
        return Verdict(False, say("exercise.round_last"))
    return Verdict(False)


def _grade_sequence(answer: Any, expected: list[Any]) -> Verdict:
    numeric = all(isinstance(e, numbers.Real) and not isinstance(e, bool) for e in expected)
    if isinstance(answer, (str, bytes, dict)) or not _is_sequence(answer):
        key = "exercise.write_list" if numeric else "exercise.write_several"
        return Verdict(False, _wrong_type(key, answer, n=len(expected)), False)
    items = list(answer)
    if len(items) != len(expected):
        return Verdict(False, say("exercise.wrong_length", n=len(expected), got=len(items)), False)
    verdicts = [grade(a, e) for a, e in zip(items, expected)]
    for v in verdicts:
        if not v.right and not v.show_hint:  # a blank or a wrong type inside the list
            return Verdict(False, v.detail, False)
    right = sum(v.right for v in verdicts)
    if right == len(expected) and numeric:
        gap = max(abs(float(a) - float(e)) for a, e in zip(items, expected))
        return Verdict(True, say("exercise.all_close", n=len(expected), gap=gap))
    if right == len(expected):
        return Verdict(True, say("exercise.all_right", n=len(expected)))
    # how many are right, for numbers only: for True/False it would give the answer away
    detail = say("exercise.some_right", right=right, n=len(expected)) if numeric else ""
    return Verdict(False, detail)


def typed_digits(answer: Any) -> tuple[int, int]:
    """(significant digits, exponent of the last digit) of ``answer`` as it was typed.

    ``0.9182`` -> (4, -4); ``16`` -> (2, 0); ``1.0`` -> (2, -1); ``2e-05`` -> (1, -5)."""
    text = repr(answer) if type(answer) in (int, float) else str(answer)
    try:
        number = Decimal(text)
    except InvalidOperation:  # a number type whose str is not plain digits
        number = Decimal(repr(float(answer)))
    _, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)  # finite: the caller refused inf and nan
    return max(len(digits), 1), exponent


def _leading_exponent(x: float) -> int:
    """The power of ten of the first significant digit of ``x`` (0.918 -> -1, 16 -> 1)."""
    return Decimal(repr(x)).adjusted()


def _not_a_number(answer: Any) -> str | None:
    if isinstance(answer, numbers.Real) and not _is_bool(answer):
        return None
    if isinstance(answer, Value):
        return f"{say('exercise.write_number')}. {say('exercise.got_value')}"
    if isinstance(answer, str):
        return f"{say('exercise.write_number')}. {say('exercise.got_text', text=answer)}"
    return _wrong_type("exercise.write_number", answer)


def _wrong_type(key: str, answer: Any, **fields: Any) -> str:
    """What to write (``key``), then the type that came instead."""
    return f"{say(key, **fields)}. {say('exercise.got_kind', kind=_kind(answer))}"


def _is_bool(x: Any) -> bool:
    # NumPy's bool (a comparison of NumPy numbers) is a yes/no answer as well
    numpy_bool = type(x).__name__ in ("bool_", "bool") and hasattr(x, "dtype")
    return isinstance(x, bool) or numpy_bool


def _is_sequence(x: Any) -> bool:
    return isinstance(x, Sequence) or (hasattr(x, "__len__") and hasattr(x, "__iter__"))


def _kind(x: Any) -> str:
    return type(x).__name__


def _join(first: str, detail: str) -> str:
    return f"{first} {detail}" if detail else first


def _run_method(method: Method) -> str | None:
    try:
        return method()
    except NameError as error:
        return say("exercise.not_run", name=getattr(error, "name", None) or str(error))
    except Exception as error:  # the learner's own code failed inside the check
        return say("exercise.method_failed", error=f"{type(error).__name__}: {error}")


# -- method checks: None when fine, else the sentence saying what is missing ----------------


def made_with_define_op(fn: Any) -> str | None:
    """None if ``fn`` is an op made with ``define_op``: calling it makes a node of a row of
    the table that no built-in op uses, named like ``fn``; else what is missing."""
    if fn is None:
        return say("exercise.blank")
    name = getattr(fn, "__name__", None)
    if not callable(fn) or name not in OPS or name in _builtin_names():
        return say("exercise.not_define_op", what=_kind(fn))
    try:
        out = fn(*[Value(0.5) for _ in OPS[name].derivatives])
    except Exception as error:
        return say("exercise.method_failed", error=f"{type(error).__name__}: {error}")
    row = out._row if isinstance(out, Value) else None
    if row is None or isinstance(row, HandMadeRow) or row.name != name:
        return say("exercise.not_define_op", what=_kind(fn))
    return None


def used_in_graph(root: Any, fn: Any) -> str | None:
    """None if the graph of ``root`` holds a node made by the op ``fn`` (from define_op)."""
    if root is None:
        return say("exercise.blank")
    if not isinstance(root, Value):
        return say("exercise.not_a_graph", kind=_kind(root))
    name = getattr(fn, "__name__", str(fn))
    if not any(node.op == name for node in topological_order(root)):
        return say("exercise.not_in_graph", op=name)
    return None


def grad_from_backward(root: Any) -> str | None:
    """None if ``backward()`` ran on ``root``: a Value made by operations whose ``.grad``
    is 1 (backward sets the output's gradient to d(out)/d(out) = 1)."""
    if root is None:
        return say("exercise.blank")
    if not isinstance(root, Value) or root.is_leaf:
        return say("exercise.not_a_graph", kind=_kind(root))
    if root.grad != 1.0:
        return say("exercise.no_backward")
    return None


def hand_made_in_graph(root: Any, symbol: str) -> str | None:
    """None if the graph of ``root`` holds a node made by hand, ``Value(data, (x,), symbol)``,
    with its own ``_backward`` (not the library's method of that name)."""
    if root is None:
        return say("exercise.blank")
    if not isinstance(root, Value):
        return say("exercise.not_a_graph", kind=_kind(root))
    for node in topological_order(root):
        hand_made = isinstance(node._row, HandMadeRow) and node._op == symbol
        if hand_made and "_backward" in getattr(node, "__dict__", {}):
            return None
    return say("exercise.not_hand_made", symbol=symbol)


def _builtin_names() -> frozenset[str]:
    from . import ops

    return frozenset(ops._BUILTIN)
