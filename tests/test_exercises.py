"""The exercise checks: micrograd_kr.exercises, and every check cell of every notebook.

The tolerance follows the digits the learner typed: an answer rounded to k significant
digits is right when it is within half a unit of its last digit. The expected values here
are derived by hand (closed forms written out in the comments), not taken from the checks.

Every check cell of the notebooks (tagged ``exercise-check``) is found in the notebooks and
run on its own with a right answer at several roundings, typical wrong answers (a sign
error, a forgotten factor, a number the question states) and wrong types (str, None, list).
The notebooks are read next to the package that is imported, so running this file against
an older checkout grades that checkout's notebooks.
"""

from __future__ import annotations

import builtins
import contextlib
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import micrograd_kr

nbformat = pytest.importorskip("nbformat")

ROOT = Path(micrograd_kr.__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))

CORRECT, TRY_AGAIN, HINT = "정답입니다", "다시 해 보세요", "힌트"
WRITE_NUMBER = "숫자를 쓰세요 (write a number"


def printed(fn: Any, *args: Any, **kwargs: Any) -> tuple[Any, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = fn(*args, **kwargs)
    return result, out.getvalue()


@pytest.fixture(autouse=True)
def _korean_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MICROGRAD_KR_LANG", raising=False)


# -- the tolerance rule -----------------------------------------------------------------------

# d/dx (x sin x) = sin x + x cos x at x = 0.5 (notebook 01's exercise)
DG_DX = math.sin(0.5) + 0.5 * math.cos(0.5)  # 0.91821681...


@pytest.mark.parametrize(
    ("answer", "digits"),
    [(0.9182, 4), (0.918, 3), (0.92, 2), (0.9, 1), (0.91822, 5)],
)
def test_an_answer_rounded_to_k_digits_is_right_and_the_message_says_how_close(
    answer: float, digits: int
) -> None:
    from micrograd_kr.exercises import check

    right, out = printed(check, answer, DG_DX, hint="곱의 법칙")
    assert right is True
    assert CORRECT in out and TRY_AGAIN not in out and HINT not in out
    assert f"유효숫자 {digits}자리" in out  # right to the digits typed ...
    assert f"{abs(answer - DG_DX):.1e}" in out  # ... and this close to the exact value
    assert repr(DG_DX) in out  # once right, the exact value is no secret


@pytest.mark.parametrize(
    "answer",
    [
        -0.9182,  # sign error
        0.9181,  # the fourth digit wrong
        0.8,  # one digit, but 0.918 rounds to 0.9
        1,  # an int claims its digits: 1 is not 0.918 rounded to one digit
        1.0,  # two digits typed
        math.sin(0.5),  # the product rule's second term forgotten
        0.5,  # the number the question states
        math.nan,
        math.inf,
    ],
)
def test_a_wrong_number_gets_try_again_with_the_hint_and_not_the_answer(answer: float) -> None:
    from micrograd_kr.exercises import check

    right, out = printed(check, answer, DG_DX, hint="곱의 법칙 (product rule)")
    assert right is False
    assert TRY_AGAIN in out and CORRECT not in out
    assert "힌트 (hint): 곱의 법칙 (product rule)" in out
    assert "0.918" not in out and "0.92" not in out  # the hint never gives the answer away


def test_a_truncated_last_digit_is_called_almost_right() -> None:
    from micrograd_kr.exercises import check

    # 16 / 7 = 2.285714...: 2.28 cut the 5 off; rounding gives 2.29
    right, out = printed(check, 2.28, 16 / 7, hint="h")
    assert right is False and "반올림" in out and "round" in out
    assert printed(check, 2.29, 16 / 7, hint="h")[0] is True


@pytest.mark.parametrize(
    ("answer", "expected", "right"),
    [
        (16, 16.0, True),
        (16.0, 16.0, True),
        (15, 16.0, False),
        (20, 16.0, False),  # an int's digits all count: 20 is not 16 rounded
        (37, 37, True),
        (36.9, 37, False),
        (3.6, 2310 / 646, True),  # 3.5758...: one decimal, as notebook 08 asks
        (3.58, 2310 / 646, True),
        (3.5, 2310 / 646, False),
        (2e-05, 2.4e-05, True),  # one significant digit of a small number
        (3e-05, 2.4e-05, False),
        (0, 0.0, True),
        (0.0, 0.0, True),
        (1e-3, 0.0, False),
        (-9, -9.0, True),
        (9, -9.0, False),
    ],
)
def test_the_rule_on_ints_small_numbers_and_zero(
    answer: float, expected: float, right: bool
) -> None:
    from micrograd_kr.exercises import grade

    assert grade(answer, expected).right is right


def test_a_full_precision_answer_may_differ_in_its_last_bits() -> None:
    from micrograd_kr.exercises import grade

    nearby = math.nextafter(math.nextafter(DG_DX, 1.0), 1.0)  # two ulps away
    assert grade(nearby, DG_DX).right
    assert "끝자리까지" in grade(nearby, DG_DX).detail
    assert grade(0.1 * 3, 0.3).right  # 0.30000000000000004


@pytest.mark.parametrize(
    ("answer", "digits", "exponent"),
    [(0.9182, 4, -4), (16, 2, 0), (1.0, 2, -1), (2e-05, 1, -5), (1200, 4, 0), (-0.05, 1, -2)],
)
def test_typed_digits(answer: float, digits: int, exponent: int) -> None:
    from micrograd_kr.exercises import typed_digits

    assert typed_digits(answer) == (digits, exponent)


# -- wrong types --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        ("16", "따옴표"),  # the string '16': drop the quotes
        ([16], "list"),
        ((16,), "tuple"),
        (True, "bool"),  # True is not a number here
        ({"x": 16}, "dict"),
    ],
)
def test_a_wrong_type_gets_write_a_number_and_not_the_maths_hint(answer: Any, says: str) -> None:
    from micrograd_kr.exercises import check

    right, out = printed(check, answer, 16.0, hint="c 를 a 만의 식으로")
    assert right is False
    assert TRY_AGAIN in out and WRITE_NUMBER in out and says in out
    assert HINT not in out and "c 를 a 만의 식으로" not in out


def test_a_blank_answer_says_to_replace_none() -> None:
    from micrograd_kr.exercises import check

    right, out = printed(check, None, 16.0, hint="h")
    assert right is False and TRY_AGAIN in out and "None" in out and HINT not in out


def test_a_value_instead_of_its_number_is_told_to_use_data() -> None:
    from micrograd_kr import Value
    from micrograd_kr.exercises import check

    right, out = printed(check, Value(16.0), 16.0, hint="h")
    assert right is False and WRITE_NUMBER in out and ".data" in out


def test_numpy_numbers_are_numbers_and_keep_their_typed_digits() -> None:
    np = pytest.importorskip("numpy")
    from micrograd_kr.exercises import grade

    assert grade(np.float32(0.9182), DG_DX).right  # float32's own shortest digits
    assert grade(np.float64(0.9182), DG_DX).right
    assert grade(np.int64(16), 16.0).right
    assert grade(np.bool_(True), True).right
    assert grade(np.array([0.3, 3.0]), [0.3, 3.0]).right


@pytest.mark.parametrize(
    ("answer", "right"),
    [(True, True), (False, False), ("True", False), (1, False), (None, False)],
)
def test_yes_no_answers_take_true_or_false(answer: Any, right: bool) -> None:
    from micrograd_kr.exercises import check

    verdict, out = printed(check, answer, True, hint="h")
    assert verdict is right
    if isinstance(answer, (str, int)) and not isinstance(answer, bool):
        assert "True 또는 False" in out and HINT not in out


def test_a_name_is_compared_without_case_or_spaces() -> None:
    from micrograd_kr.exercises import grade

    assert grade(" Sigmoid ", "sigmoid").right
    assert not grade("tanh", "sigmoid").right
    assert "문자열" in grade(3, "sigmoid").detail


def test_a_list_is_graded_item_by_item() -> None:
    from micrograd_kr.exercises import check, grade

    assert grade([0.3, 0.30, 3, 3.0], [0.3, 0.3, 3.0, 3.0]).right
    right, out = printed(check, [0.3, 0.1, 3, 1], [0.3, 0.3, 3.0, 3.0], hint="h")
    assert right is False and "4개 중 2개" in out  # how many, not which
    assert "4개" in grade([0.3, 0.3, 3.0], [0.3, 0.3, 3.0, 3.0]).detail
    assert "리스트" in grade(0.3, [0.3, 0.3]).detail
    # for True/False, how many are right would give the answer away
    _, out = printed(check, (True, True), (True, False), hint="h")
    assert "개 중" not in out


def test_english_only_mode_prints_english() -> None:
    from micrograd_kr.exercises import check

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MICROGRAD_KR_LANG", "en")
        _, right = printed(check, 0.92, DG_DX, hint="product rule")
        _, wrong = printed(check, "0.92", DG_DX, hint="product rule")
    assert right.startswith("correct!") and "2 significant digit" in right
    assert wrong.startswith("try again.") and "write a number" in wrong


# -- method checks ----------------------------------------------------------------------------


def test_a_right_number_found_the_wrong_way_is_refused_without_the_hint() -> None:
    from micrograd_kr.exercises import check

    right, out = printed(check, 16.0, 16.0, hint="h", method=lambda: "backward() 가 없습니다")
    assert right is False and "backward() 가 없습니다" in out and HINT not in out
    assert printed(check, 16.0, 16.0, hint="h", method=lambda: None)[0] is True


def test_a_method_check_on_a_name_not_yet_defined_says_to_run_the_cells() -> None:
    from micrograd_kr.exercises import check

    def method() -> str | None:
        raise NameError("name 'cube' is not defined", name="cube")

    right, out = printed(check, -9.0, -9.0, hint="h", method=method)
    assert right is False and "cube" in out and "실행" in out


def test_not_run_names_the_missing_name() -> None:
    from micrograd_kr.exercises import not_run

    _, out = printed(not_run, NameError("name 'my_dg_dx' is not defined", name="my_dg_dx"))
    assert TRY_AGAIN in out and "my_dg_dx" in out


def test_made_with_define_op() -> None:
    from micrograd_kr import Value, define_op
    from micrograd_kr.exercises import made_with_define_op

    cube = define_op("cube_t22", lambda m, x: x * x * x, [lambda m, out, x: 3.0 * x * x])
    assert made_with_define_op(cube) is None

    def cube_by_hand(x: Value) -> Value:
        return x * x * x

    assert made_with_define_op(cube_by_hand) is not None
    assert "None" in (made_with_define_op(None) or "")  # the answer cell not filled in yet
    assert "define_op" in (made_with_define_op(3.0) or "")
    assert made_with_define_op(lambda x: x.exp()) is not None  # a built-in op is not the learner's

    def exp(x: Value) -> Value:  # named like a built-in row, but not one
        return x.exp()

    assert made_with_define_op(exp) is not None


def test_used_in_graph() -> None:
    from micrograd_kr import Value, define_op
    from micrograd_kr.exercises import used_in_graph

    square = define_op("square_t22", lambda m, x: x * x, [lambda m, out, x: 2.0 * x])
    x = Value(3.0)
    assert used_in_graph(square(x) + 1.0, square) is None
    assert "square_t22" in (used_in_graph(x * x + 1.0, square) or "")
    assert used_in_graph(9.0, square) is not None


def test_grad_from_backward() -> None:
    from micrograd_kr import Value
    from micrograd_kr.exercises import grad_from_backward

    x = Value(0.5)
    f = x.exp() * x
    assert "backward()" in (grad_from_backward(f) or "")
    f.backward()
    assert grad_from_backward(f) is None
    assert grad_from_backward(x) is not None  # a leaf is not an output
    assert grad_from_backward(None) is not None


def _hand_made_exp(x: Any, with_backward: bool = True) -> Any:
    from micrograd_kr import Value

    out = Value(math.exp(x.data), (x,), "exp")
    if with_backward:

        def _backward() -> None:
            x.grad += out.data * out.grad

        out._backward = _backward  # type: ignore[method-assign]
    return out


def test_hand_made_in_graph() -> None:
    from micrograd_kr import Value
    from micrograd_kr.exercises import hand_made_in_graph

    x = Value(0.5)
    assert hand_made_in_graph(_hand_made_exp(x) * x, "exp") is None
    assert hand_made_in_graph(x.exp() * x, "exp") is not None  # the library's exp
    assert hand_made_in_graph(_hand_made_exp(x, with_backward=False) * x, "exp") is not None


# -- every check cell of every notebook ------------------------------------------------------


def _tags(cell: Any) -> list[str]:
    return list(cell.metadata.get("tags", []))


def _check_cells() -> dict[tuple[str, int], str]:
    """(notebook number, exercise index) -> the check cell's code, for every notebook."""
    found: dict[tuple[str, int], str] = {}
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        cells = [c for c in nb.cells if "exercise-check" in _tags(c)]
        for i, cell in enumerate(cells):
            found[(path.name[:2], i)] = cell.source
    return found


CHECK_CELLS = _check_cells()


@dataclass
class Case:
    """Answers for one check cell: each a dict of the names the answer cell sets."""

    right: list[dict[str, Any]]
    wrong: list[dict[str, Any]]
    wrong_type: list[dict[str, Any]] = field(default_factory=list)
    number: bool = False  # a numeric answer: a wrong type must say 「숫자를 쓰세요」


def one(name: str, right: list[Any], wrong: list[Any], kind: str = "number") -> Case:
    """A case for an answer cell with the one name ``name``."""
    samples = {
        "number": ["16", None, [1.0]],
        "bool": ["True", None, [True]],
        "text": [None, 1, ["x"]],
        "list": ["0.3", None, 0.3],  # a string, None, one number where a list belongs
    }
    return Case(
        right=[{name: v} for v in right],
        wrong=[{name: v} for v in wrong],
        wrong_type=[{name: v} for v in samples[kind]],
        number=kind == "number",
    )


def two(names: tuple[str, str], right: list[Any], wrong: list[Any], kind: str) -> Case:
    pairs = {
        "bool": [("True", "False"), (None, False), ([True], False)],
        "number": [("37", 64), (None, 64), ([37], 64)],
    }
    return Case(
        right=[dict(zip(names, v)) for v in right],
        wrong=[dict(zip(names, v)) for v in wrong],
        wrong_type=[dict(zip(names, v)) for v in pairs[kind]],
        number=kind == "number",
    )


def _xs() -> tuple[float, ...]:
    return (-2.0, -1.0, 0.0, 1.0, 2.0)


# notebook 09: d/dx x^3 sin x = 3x^2 sin x + x^3 cos x, by the product rule
F1_GRADS = [3 * x**2 * math.sin(x) + x**3 * math.cos(x) for x in _xs()]


def _nb10_exercise_1(how: str) -> dict[str, Any]:
    """Notebook 10, exercise 1: f = exp(x) * x at 0.5; f'(x) = e^x (1 + x) = 1.5 e^0.5."""
    from micrograd_kr import Value

    x = Value(0.5)
    if how == "typed":  # the number typed, no graph
        return {"f": None, "my_exp_grad": 1.5 * math.exp(0.5)}
    if how == "typed 4 digits":
        return {"f": None, "my_exp_grad": 2.473}
    if how == "library exp":  # not made by hand
        f = x.exp() * x
        f.backward()
        return {"f": f, "my_exp_grad": x.grad}
    if how == "no backward":
        return {"f": _hand_made_exp(x) * x, "my_exp_grad": 1.5 * math.exp(0.5)}
    f = _hand_made_exp(x) * x
    f.backward()
    rounded = {"right": x.grad, "right 4 digits": 2.473, "right 2 digits": 2.5}
    wrong = {"forgot the product": math.exp(0.5), "sign": -x.grad, "question's x": 0.5}
    return {"f": f, "my_exp_grad": {**rounded, **wrong}[how]}


def _nb10_exercise_2(how: str) -> dict[str, Any]:
    """Notebook 10, exercise 2: d^2/dx^2 x^3 = 6x = -9 at x = -1.5."""
    from micrograd_kr import Value, define_op, grad

    if how == "typed":
        return {"cube": None, "my_second": -9.0}
    if how == "plain function":

        def cube_plain(x: Value) -> Value:
            return x * x * x

        return {"cube": cube_plain, "my_second": grad(grad(cube_plain))(-1.5).data}
    cube = define_op("cube", lambda m, x: x * x * x, [lambda m, out, x: 3.0 * x * x])
    answers = {
        "right": grad(grad(cube))(-1.5).data,
        "right int": -9,
        "sign": 9.0,
        "forgot the 2": -4.5,  # 3x instead of 6x
        "first derivative": 3 * 1.5**2,
        "old question's number": 12.0,  # 6x at x = 2, which the question used to state
    }
    return {"cube": cube, "my_second": answers[how]}


def _nb12_exercise_3(how: str) -> dict[str, Any]:
    """Notebook 12, exercise 3: tanh'(2) = 1 - tanh(2)^2 = 0.0706508..., by backward()."""
    from micrograd_kr import Value

    x = Value(2.0)
    y = x.tanh()
    if how == "no backward":  # the right number typed, backward() never called
        return {"y": y, "tanh_slope_at_2": 1 - math.tanh(2.0) ** 2}
    if how == "typed":  # no output at all
        return {"y": None, "tanh_slope_at_2": 0.0707}
    if how == "leaf":  # backward() on the input itself: x.grad is then 1
        x.backward()
        return {"y": x, "tanh_slope_at_2": 1 - math.tanh(2.0) ** 2}
    y.backward()
    answers = {
        "right": x.grad,
        "right 4 digits": 0.07065,
        "right 3 digits": 0.0707,
        "right 2 digits": 0.071,
        "sign": -x.grad,
        "tanh itself": math.tanh(2.0),
        "forgot the square": 1 - math.tanh(2.0),
        "largest slope, at z = 0": 1.0,
        "sigmoid's slope": math.exp(-2.0) / (1 + math.exp(-2.0)) ** 2,
        "question's z": 2.0,
    }
    return {"y": y, "tanh_slope_at_2": answers[how]}


def _backwarded_tanh_at_2() -> Any:
    from micrograd_kr import Value

    y = Value(2.0).tanh()
    y.backward()
    return y


CASES: dict[tuple[str, int], Any] = {
    # 01: d/dx x sin x at 0.5 = sin 0.5 + 0.5 cos 0.5
    ("01", 0): one(
        "my_dg_dx",
        [DG_DX, 0.9182, 0.918, 0.92, 0.9],
        [-DG_DX, math.sin(0.5), 0.5 * math.cos(0.5), math.cos(0.5), 0.5],
    ),
    # 02: r = 1 - 2 eta 55/5: eta = 0.09 gives -0.98 (converges), 0.095 gives -1.09 (diverges)
    ("02", 0): two(
        ("converges_at_0_09", "converges_at_0_095"),
        [(True, False)],
        [(True, True), (False, False), (False, True)],
        "bool",
    ),
    ("02", 1): one("same_table", [True], [False], "bool"),  # cost and grad see only sum x^2
    # 03: c = a^3 + a^2, dc/da = 3a^2 + 2a = 16 at a = 2
    ("03", 0): one("my_dc_da", [16, 16.0], [-16, 12, 4, 20.0, 2.0, 6]),
    # 04: softplus' = sigmoid; ELU(alpha = 2)'(-1) = 2 e^-1 = 0.7357588...
    ("04", 0): one("softplus_derivative_is", ["sigmoid", " Sigmoid"], ["tanh", "relu"], "text"),
    ("04", 1): one(
        "my_elu_slope",
        [2 / math.e, 0.7358, 0.736, 0.74, 0.7],
        [-2 / math.e, 1 / math.e, 2 * (1 / math.e - 1), 2.0, -1.0],
    ),
    # 05: tanh is nonlinear (beats the line); a linear stack stays a line
    ("05", 0): one("tanh_beats_line", [True], [False], "bool"),
    ("05", 1): one("big_linear_beats_line", [False], [True], "bool"),
    # 06: softmax ignores a shift; small T sharpens
    ("06", 0): one("same_probabilities", [True], [False], "bool"),
    ("06", 1): one("small_T_is_sharper", [True], [False], "bool"),
    # 07: depth L: 6L + 1 parameters and 2^L pieces, so 37 and 64 at L = 6
    ("07", 0): two(
        ("params_at_depth_6", "pieces_at_depth_6"),
        [(37, 64), (37.0, 64.0)],
        [(36, 64), (37, 32), (13, 64), (6, 6), (-37, 64)],
        "number",
    ),
    # 07: the error of width 64 (0.00341, printed by the notebook) is below h^2/8 max|f''|
    ("07", 1): one("error_within_bound", [True], [False], "bool"),
    # 08: per sample 16 (2*2+1) + 16 (2*16+1) + 1 (2*16+1) + 5 = 646; 2310/646 for h = 32
    ("08", 0): one("my_per_sample", [646, 646.0], [641, 645, 647, -646, 16]),
    ("08", 1): one("my_ratio", [2310 / 646, 3.576, 3.58, 3.6], [2.0, 4.0, 3.5, -3.6, 32 / 16]),
    # 09: the product rule at five points; leaky_relu * 3: 0.1 * 3 below 0, 1 * 3 above
    ("09", 0): one(
        "my_grads",
        [F1_GRADS, [round(g, 4) for g in F1_GRADS], [float(f"{g:.3g}") for g in F1_GRADS]],
        [
            [-g for g in F1_GRADS],
            [3 * x**2 * math.sin(x) for x in _xs()],  # the second term forgotten
            F1_GRADS[:4],
        ],
        "list",
    ),
    ("09", 1): one(
        "my_leaky_grads",
        [[0.3, 0.3, 3.0, 3.0], [0.30, 0.3, 3, 3]],
        [[0.1, 0.1, 1.0, 1.0], [0.03, 0.03, 3.0, 3.0], [0.0, 0.0, 3.0, 3.0], [-0.3, -0.3, 3, 3]],
        "list",
    ),
    # 11: R^100 -> R: forward 100 sweeps, reverse 1; R -> R^3: jacfwd 1 sweep, jacrev 3
    ("11", 0): two(
        ("forward_sweeps", "reverse_sweeps"),
        [(100, 1), (100.0, 1.0)],
        [(1, 100), (10, 10), (0, 0), (1, 0)],  # both wrong: 「1 of 2 right」 would show a 1
        "number",
    ),
    # 11: f = xy + sin x at (1, 2), seeds x = y = 1: (y + cos x) + x = 3 + cos 1 = 3.5403...
    ("11", 1): one(
        "both_moving_tangent",
        [3 + math.cos(1.0), 3.5403, 3.540, 3.54, 3.5],
        [2 + math.cos(1.0), 1.0, -(3 + math.cos(1.0)), 3.0, 3 + math.sin(1.0)],
    ),
    ("11", 2): two(
        ("jacfwd_sweeps", "jacrev_sweeps"),
        [(1, 3), (1.0, 3.0)],
        [(3, 1), (0, 0), (2, 2)],  # both wrong: a partly right pair prints 「1 of 2」
        "number",
    ),
    ("10", 0): Case(
        right=["right", "right 4 digits", "right 2 digits"],
        wrong=[
            "typed",
            "typed 4 digits",
            "library exp",
            "no backward",
            "forgot the product",
            "sign",
            "question's x",
        ],
        wrong_type=[{"f": None, "my_exp_grad": v} for v in ("2.47", None, [2.47])],
        number=True,
    ),
    ("10", 1): Case(
        right=["right", "right int"],
        wrong=[
            "typed",
            "plain function",
            "sign",
            "forgot the 2",
            "first derivative",
            "old question's number",
        ],
        wrong_type=[{"cube": None, "my_second": v} for v in ("-9", None, [-9.0])],
        number=True,
    ),
    # 12: sigmoid' <= 0.25, so 5 layers give at most 0.25^5 = 0.0009765625
    ("12", 0): one(
        "factor_5_layers",
        [0.25**5, 0.0009766, 0.000977, 0.00098, 0.001, 1e-3],
        [
            0.25 * 5,  # added instead of multiplied
            0.25,  # one layer
            0.25**4,
            0.5**5,  # sigmoid's value at 0, not its slope
            -(0.25**5),
            0.00097,  # the last digit cut off, not rounded
            5,  # the number the question states
        ],
    ),
    # 12: 0.25^n < 10^-9 <=> n > 9 / log10(4) = 14.95, so n = 15 (0.25^14 = 3.7e-9)
    ("12", 1): one(
        "layers_below_one_billionth",
        [15, 15.0],
        [14, 16, 14.95, 14.9, 9, 10, 1e-9, -15],
    ),
    ("12", 2): Case(
        right=["right", "right 4 digits", "right 3 digits", "right 2 digits"],
        wrong=[
            "sign",
            "tanh itself",
            "forgot the square",
            "largest slope, at z = 0",
            "sigmoid's slope",
            "question's z",
            "typed",
            "no backward",
            "leaf",
        ],
        wrong_type=[
            {"y": _backwarded_tanh_at_2(), "tanh_slope_at_2": v} for v in ("0.0707", None, [0.07])
        ],
        number=True,
    ),
}
MAKERS = {
    ("10", 0): _nb10_exercise_1,
    ("10", 1): _nb10_exercise_2,
    ("12", 2): _nb12_exercise_3,
}


def run_check(key: tuple[str, int], names: dict[str, Any]) -> str:
    namespace: dict[str, Any] = {"__builtins__": builtins, **names}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(CHECK_CELLS[key], namespace)
    return out.getvalue()


def _answers(key: tuple[str, int], answers: list[Any]) -> list[dict[str, Any]]:
    maker = MAKERS.get(key)
    return [maker(a) if maker is not None else a for a in answers]


def test_every_check_cell_has_answers_to_feed_it() -> None:
    assert len(CHECK_CELLS) == 24  # one in 01 and 03, three in 11 and 12, two in each other
    assert set(CHECK_CELLS) == set(CASES), "a check cell without answers here, or a stale entry"


@pytest.mark.parametrize(
    "key", sorted(CASES), ids=[f"nb{k[0]}-ex{k[1] + 1}" for k in sorted(CASES)]
)
def test_check_cell_grades_right_wrong_and_mistyped_answers(key: tuple[str, int]) -> None:
    case = CASES[key]
    for names in _answers(key, case.right):
        out = run_check(key, names)
        assert CORRECT in out and TRY_AGAIN not in out, (key, names, out)
    for names in _answers(key, case.wrong):
        out = run_check(key, names)
        assert TRY_AGAIN in out and CORRECT not in out, (key, names, out)
    for names in case.wrong_type:
        out = run_check(key, names)
        assert TRY_AGAIN in out and CORRECT not in out, (key, names, out)
        assert HINT not in out, (key, names, out)  # the format is wrong, not the maths
        if case.number and not any(v is None for v in names.values()):
            assert WRITE_NUMBER in out, (key, names, out)


@pytest.mark.parametrize(
    "key", sorted(CASES), ids=[f"nb{k[0]}-ex{k[1] + 1}" for k in sorted(CASES)]
)
def test_a_wrong_answers_hint_does_not_give_the_answer_away(key: tuple[str, int]) -> None:
    case = CASES[key]
    right = _answers(key, case.right)[0]
    numbers = [v for v in right.values() if isinstance(v, (int, float)) and not isinstance(v, bool)]
    for names in _answers(key, case.wrong):
        out = run_check(key, names)
        # the hint, or what is missing in the method, or how many answers are needed
        assert HINT in out or "방법" in out or "필요한데" in out, (key, names, out)
        for v in numbers:
            for k in (2, 3, 4):
                shown = f"{v:.{k}g}"
                assert not re.search(rf"(?<![\d.]){re.escape(shown)}(?![\d])", out), (
                    key,
                    shown,
                    out,
                )


def test_a_check_cell_run_before_its_answer_cell_says_to_run_the_cells_above() -> None:
    out = run_check(("01", 0), {})
    assert TRY_AGAIN in out and "my_dg_dx" in out and "실행" in out


def _hints_and_solutions() -> dict[tuple[str, int], tuple[str, str]]:
    """(notebook number, exercise index) -> (the hint a wrong answer prints, the solution code)."""
    found: dict[tuple[str, int], tuple[str, str]] = {}
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        index = 0
        for i, cell in enumerate(nb.cells):
            if "exercise-check" not in _tags(cell):
                continue
            key = (path.name[:2], index)
            index += 1
            case = CASES.get(key)
            if case is None:
                continue
            out = run_check(key, _answers(key, case.wrong)[0])
            hint = out.split("힌트 (hint):", 1)[-1]
            solution = nb.cells[i + 1].source
            found[key] = (hint, solution.split("```python\n", 1)[1].rsplit("\n```", 1)[0])
    return found


def test_no_hint_holds_a_line_of_its_solution() -> None:
    """Notebook 10's first hint used to be the solution's line ``x.grad += out.data * out.grad``."""
    for key, (hint, solution) in _hints_and_solutions().items():
        squeezed = re.sub(r"\s+", "", hint)
        for line in solution.splitlines():
            code = re.sub(r"\s+", "", line.split("#", 1)[0])
            if len(code) >= 12:  # a statement, not a bare name
                assert code not in squeezed, (key, line, hint)


@pytest.mark.parametrize(
    ("answer", "expected", "right"),
    [
        (9, 10, False),  # one significant digit, but the units digit typed is wrong
        (90, 100, False),
        (100, 100, True),
        (1, 0.9182061, False),  # 0.918 to one significant digit is 0.9
        (0.001, 0.0009765625, True),  # 0.0009765625 to one significant digit
    ],
)
def test_the_last_typed_digit_bounds_the_error_too(
    answer: float, expected: float, right: bool
) -> None:
    from micrograd_kr.exercises import grade

    assert grade(answer, expected).right is right
