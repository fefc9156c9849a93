"""Tests of the safe expression parser used by the command line (micrograd_kr.expr)."""

from __future__ import annotations

import builtins
import math
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from micrograd_kr import Value
from micrograd_kr.expr import (
    FUNCTIONS,
    MAX_DEPTH,
    MAX_LENGTH,
    MAX_NODES,
    MAX_PAREN_DEPTH,
    ExprError,
    backward,
    bind,
    describe_limits,
    parse_assignments,
    parse_expression,
)

# Hostile or malformed expressions: each must be refused with an ExprError, in the parser or
# (for the last group) while evaluating with every variable = 0.5. test_cli.py runs the same
# list through the real command.
HOSTILE_EXPRESSIONS: list[str] = [
    # code execution and introspection
    "__import__('os').system('id')",
    "__import__",
    "().__class__",
    "().__class__.__bases__[0].__subclasses__()",
    "x.__dict__",
    "x.real",
    "exp.__globals__",
    "(1).__class__",
    "eval(x)",
    "exec(x)",
    "open(x)",
    "print(x)",
    "getattr(x, y)",
    "__builtins__",
    "lambda: 1",
    "lambda x: x",
    "[x for x in x]",
    "(x for x in x)",
    "{x: x}",
    "{x}",
    "[x]",
    "x[0]",
    "x[::1]",
    "(x, x)",
    "x if x else x",
    "1if x else 2",  # the tokenizer warns about "1if": no warning may reach stderr
    "0x1for x in x",
    "1or x",
    "x and x",
    "not x",
    "x < x",
    "x == x",
    "x is x",
    "(y := 1)",
    "await x",
    "(yield x)",
    "f'{x}'",
    "'x'",
    "b'x'",
    "x; import os",
    "import os",
    "x\nimport os",
    "exp(x, base=2)",
    "exp(*x)",
    "exp(**x)",
    "leaky_relu(x, slope=0.2)",
    "leaky_relu(x, x)",
    "tanh()",
    "tanh(x, x)",
    "maximum(x)",
    "exp",
    "exp(x)(x)",
    "x(1)",
    "unknown(x)",
    # operators off the whitelist
    "x // x",
    "x % x",
    "x @ x",
    "x << 1",
    "x | x",
    "x ^ x",
    "~x",
    # numbers that are not finite reals, and other literals
    "nan",
    "inf",
    "-inf",
    "NaN + x",
    "1e999",
    "1" * 400,
    "1j",
    "True",
    "None",
    "...",
    # size and nesting limits
    "(" * 10_000 + "x" + ")" * 10_000,
    "(" * (MAX_PAREN_DEPTH + 1) + "x" + ")" * (MAX_PAREN_DEPTH + 1),
    "x" * (1 << 20),
    "x+" * (MAX_LENGTH // 2) + "x",
    "-" * 900 + "x",
    "exp(" * 20 + "x" + ")" * 20 + "+" + "+".join(["x"] * (MAX_NODES // 2)),
    # syntax
    "",
    "   ",
    "x +",
    "(x",
    "x)",
    "x x",
    "x $ y",
    "x ? y",
    "x ! y",
    "`x`",
    "x\\\ny",
    "x # comment",
    # characters that are not text
    "x\x00",
    "x\u200by",  # zero-width space
    "x\u202e",  # right-to-left override
    "x\udcff",  # a non-UTF-8 byte as decoded with surrogateescape
    "\ud800",
    # evaluates to a domain error or overflow
    "9**9**9**9",
    "log(-1)",
    "log(0)",
    "sqrt(-1)",
    "1/0",
    "x/(x-x)",
    "exp(1000)",
    "(-8)**(1/3)",
    "10**400",
]


def refuse(source: str) -> ExprError:
    """The ExprError that parsing (or evaluating with all variables = 0.5) raises."""
    with pytest.raises(ExprError) as info:
        expr = parse_expression(source)
        expr.evaluate({name: 0.5 for name in expr.variables})
    return info.value


def test_corpus_is_big_enough() -> None:
    assert len(HOSTILE_EXPRESSIONS) >= 40


@pytest.mark.parametrize("source", HOSTILE_EXPRESSIONS, ids=lambda s: repr(s[:40]))
def test_hostile_expression_is_refused(source: str) -> None:
    exc = refuse(source)
    text = str(exc)
    assert "\n" not in text and text.strip() == text
    assert len(text) < 400


def test_parser_never_uses_eval_or_exec(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("eval/exec must not be used")

    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    expr = parse_expression("tanh(w*x + b)")
    assert expr.evaluate({"w": -3.0, "x": 2.0, "b": 6.88}).data == pytest.approx(math.tanh(0.88))
    refuse("__import__('os').system('id')")


# -- what is accepted, and what it computes --------------------------------------------------


def test_neuron_value_and_gradients() -> None:
    expr = parse_expression("tanh(w*x + b)")
    assert expr.variables == ("w", "x", "b")
    leaves = {n: Value(v, label=n) for n, v in {"x": 2.0, "w": -3.0, "b": 6.88}.items()}
    columns: dict[Value, int] = {}
    out = expr.evaluate(leaves, columns)
    backward(out, columns)
    t = math.tanh(0.88)
    assert out.data == pytest.approx(t)
    assert leaves["x"].grad == pytest.approx((1 - t * t) * -3.0)
    assert leaves["w"].grad == pytest.approx((1 - t * t) * 2.0)
    assert leaves["b"].grad == pytest.approx(1 - t * t)
    assert columns[out] == 1


def test_korean_variable_names() -> None:
    expr = parse_expression("가중치 * 입력 + 편향")
    assert expr.variables == ("가중치", "입력", "편향")
    values = parse_assignments(["가중치=0.5", "입력=4", "편향=-1"])
    assert bind(expr, values) == ["가중치", "입력", "편향"]
    assert expr.evaluate(values).data == pytest.approx(1.0)


def test_decomposed_hangul_name_matches_composed() -> None:
    # Python NFKC-normalizes identifiers; NAME=VALUE names are normalized the same way
    decomposed = "\u1100\u1161"  # 가 as two jamo
    assert parse_assignments([f"{decomposed}=1"]) == {"가": 1.0}
    assert parse_expression(f"{decomposed} + 1").variables == ("가",)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1 + 2 * 3", 7.0),
        ("2 ** 3 ** 2", 512.0),
        ("-2 ** 2", -4.0),
        ("+x", 0.5),
        ("--x", 0.5),
        ("x / 4", 0.125),
        ("exp(0) + log(1) + sqrt(4)", 3.0),
        ("sin(0) + cos(0)", 1.0),
        ("sigmoid(0)", 0.5),
        ("relu(-x) + relu(x)", 0.5),
        ("leaky_relu(-x)", -0.05),
        ("leaky_relu(-x, 0.2)", -0.1),
        ("leaky_relu(-x, -0.2)", 0.1),
        ("elu(0 - x, 2)", 2 * (math.exp(-0.5) - 1)),
        ("softplus(0)", math.log(2)),
        ("abs(-x)", 0.5),
        ("maximum(x, 1) + minimum(x, 1)", 1.5),
        ("1_000 + 0x10 + 1e2 + .5", 1116.5),
        ("  x  ", 0.5),
    ],
)
def test_accepted_expressions(source: str, expected: float) -> None:
    expr = parse_expression(source)
    assert expr.evaluate({n: 0.5 for n in expr.variables}).data == pytest.approx(expected)


def test_every_whitelisted_function_is_accepted() -> None:
    for name, spec in FUNCTIONS.items():
        args = ", ".join(["x"] * spec.args)
        parse_expression(f"{name}({args})")


def test_huge_power_is_float_arithmetic_not_integer() -> None:
    # an int power of these literals would run (and allocate) practically forever
    exc = refuse("9**9**9**9")
    assert "pow" in str(exc)
    assert exc.column == 5  # the ** between the 9 and 9**9**9
    refuse("2**2**2**2**2**2**2")


def test_positional_call_for_gradcheck() -> None:
    expr = parse_expression("x * y")
    assert expr(Value(2.0), 3.0).data == 6.0
    with pytest.raises(TypeError):
        expr(1.0)


# -- error positions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "column", "fragment"),
    [
        ("x.__dict__", 2, "attribute"),
        ("().__class__", 3, "attribute"),
        ("__import__('os')", 12, "string"),
        ("가중치 + (x", 7, "unclosed"),
        ("가중치 + x)", 8, "unmatched"),
        ("가중치 // x", 5, "//"),
        ("가중치 + foo(x)", 7, "unknown function"),
        ("가중치 + 1e999", 7, "non-finite"),
        ("가중치 + log(-x)", 7, "log"),
        ("가중치 + nan", 7, "non-finite"),
        ("x + \x00", 5, "control"),
        ("x\udcfe", 2, "UTF-8"),
        ("x [0]", 3, "subscript"),
        ("   x +", 7, "syntax"),
        ("x = 1", 3, "assignment"),
        ("tanh(x, 1)", 1, "arguments"),
        ("leaky_relu(x, 가중치)", 15, "slope"),
    ],
)
def test_error_column(source: str, column: int, fragment: str) -> None:
    exc = refuse(source)
    assert exc.column == column, str(exc)
    assert fragment in str(exc)
    assert f"(열 {column})" in str(exc)


def test_length_limit_is_checked_first() -> None:
    exc = refuse("(" * 1_000_000)
    assert "too long" in str(exc)
    assert exc.column == MAX_LENGTH + 1


def test_paren_depth_limit() -> None:
    ok = "(" * MAX_PAREN_DEPTH + "x" + ")" * MAX_PAREN_DEPTH
    parse_expression(ok)
    exc = refuse("(" + ok + ")")
    assert "too deep" in str(exc)
    assert exc.column == MAX_PAREN_DEPTH + 1


def test_a_long_flat_sum_says_why_it_counts_as_deep() -> None:
    # x+x+...+x nests in the syntax tree, though nothing looks nested to a learner
    exc = refuse("+".join(["x"] * (MAX_DEPTH + 1)))
    assert "too deep" in str(exc) and "a+b+c" in str(exc)
    assert f"깊이 {MAX_DEPTH}단계" in describe_limits()  # and the help text lists the limit


def test_derivative_error_has_column() -> None:
    expr = parse_expression("x + sqrt(y)")
    columns: dict[Value, int] = {}
    out = expr.evaluate({"x": Value(1.0), "y": Value(0.0)}, columns)
    with pytest.raises(ExprError) as info:
        backward(out, columns)
    assert info.value.column == 5
    assert "sqrt" in str(info.value)


# -- NAME=VALUE arguments -------------------------------------------------------------------


def test_assignments_in_order() -> None:
    assert parse_assignments(["x=2", "w=-3", "b=6.88", "c=+1e-3", "d=.5"]) == {
        "x": 2.0,
        "w": -3.0,
        "b": 6.88,
        "c": 0.001,
        "d": 0.5,
    }


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["x=1", "x=2"], "duplicate"),
        (["x=1", "ｘ=2"], "duplicate"),  # fullwidth x normalizes to x
        (["x=nan"], "non-finite"),
        (["x=inf"], "non-finite"),
        (["x=-Infinity"], "non-finite"),
        (["x=1e999"], "non-finite"),
        (["x=abc"], "not a number"),
        (["x=1_000"], "not a number"),
        (["x=0x10"], "not a number"),
        (["x="], "not a number"),
        (["x=1j"], "not a number"),
        (["x"], "NAME=VALUE"),
        (["=1"], "invalid variable name"),
        (["1x=1"], "invalid variable name"),
        (["x.y=1"], "invalid variable name"),
        (["__class__=1"], "dunder"),
        (["exp=1"], "reserved"),
        (["lambda=1"], "reserved"),
        (["nan=1"], "reserved"),
        (["x=1\udcff"], "UTF-8"),
        (["x=" + "1" * 1000], "too long"),
        ([f"v{i}=1" for i in range(40)], "too many"),
    ],
)
def test_bad_assignments(args: list[str], fragment: str) -> None:
    with pytest.raises(ExprError) as info:
        parse_assignments(args)
    assert fragment in str(info.value)
    assert "\n" not in str(info.value)


def test_bind_undefined_and_unused() -> None:
    expr = parse_expression("w * x")
    with pytest.raises(ExprError, match="undefined") as info:
        bind(expr, {"w": 1.0})
    assert info.value.column == 5
    with pytest.raises(ExprError, match="unused"):
        bind(expr, {"w": 1.0, "x": 1.0, "z": 1.0})


# -- random input never escapes as anything but ExprError -------------------------------------

_EXPRESSION_ALPHABET = st.sampled_from(
    [
        *"xyw가 0123456789.+-*/()_,eEj'\"[]{}:;=<>!@#%^&~|\\`\n\t\x00",
        *["**", "exp(", "log(", "tanh(", "maximum(", "leaky_relu(", "nan", "inf", "__", "lambda "],
        *["if ", "else ", "or ", "for ", "in ", "not ", "await ", "yield ", "0x", "1_0"],
    ]
)


def _check_random(source: str) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            expr = parse_expression(source)
            out = expr.evaluate({name: Value(0.7) for name in expr.variables}, {})
            backward(out, {})
        except ExprError as exc:
            assert "\n" not in str(exc)
    assert not caught, [str(w.message) for w in caught]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_random_text_raises_only_expr_error(source: str) -> None:
    _check_random(source)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_EXPRESSION_ALPHABET, max_size=60).map("".join))
def test_random_expression_like_text_raises_only_expr_error(source: str) -> None:
    _check_random(source)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=30), max_size=6))
def test_random_assignments_raise_only_expr_error(args: list[str]) -> None:
    try:
        parse_assignments(args)
    except ExprError as exc:
        assert "\n" not in str(exc)
