"""Safe parsing of math expressions typed on the command line.

``micrograd-kr graph "tanh(w*x + b)" x=2 w=-3 b=6.88`` must never run code the user typed,
so the expression is never given to ``eval``/``exec``. Instead:

1. a character scan rejects what can never be valid (strings, brackets, ``=``, control
   characters, bytes that were not UTF-8) and measures parenthesis depth, *before*
   ``ast.parse`` runs, so that deep nesting cannot exhaust the parser;
2. ``ast.parse`` builds a syntax tree, which is walked without recursion against an explicit
   whitelist: numbers, variable names, ``+ - * / **``, unary minus, and calls of the
   engine's functions;
3. the tree is evaluated with ``Value`` objects only (number literals become float Values),
   so ``9**9**9**9`` is float arithmetic that the engine reports as an overflow, never a
   Python integer power that runs for hours.

Every problem is an ``ExprError`` that says what is wrong and at which column (1-based, in
characters, so Korean names count as one column each).
"""

from __future__ import annotations

import ast
import functools
import math
import re
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from . import ops
from .engine import DomainError, Value, apply_op

__all__ = [
    "ExprError",
    "Expression",
    "parse_expression",
    "parse_assignments",
    "bind",
    "backward",
    "FUNCTIONS",
    "MAX_LENGTH",
    "MAX_PAREN_DEPTH",
    "MAX_DEPTH",
    "MAX_NODES",
    "MAX_VARIABLES",
]

MAX_LENGTH = 1000  # characters in an expression
MAX_PAREN_DEPTH = 32  # nested parentheses
MAX_DEPTH = 200  # depth of the syntax tree (a policy; evaluation does not recurse)
MAX_NODES = 400  # numbers, names, operations and calls in one expression
MAX_VARIABLES = 32
MAX_ASSIGNMENT_LENGTH = 200  # characters in one NAME=VALUE argument


class ExprError(ValueError):
    """An expression or NAME=VALUE argument that cannot be used; says what and where.

    ``column`` is 1-based and counts characters. ``where`` names the argument for
    NAME=VALUE problems (e.g. ``"인수 'x=abc'"``).
    """

    def __init__(self, message: str, column: int | None = None, where: str | None = None):
        self.message = message
        self.column = column
        self.where = where
        super().__init__(str(self))

    def __str__(self) -> str:
        place = [p for p in (self.where, None if self.column is None else f"열 {self.column}") if p]
        return f"{self.message} ({', '.join(place)})" if place else self.message


# -- the whitelisted functions -------------------------------------------------------------


@dataclass(frozen=True)
class _Function:
    """A callable the expression may use: ``args`` Values, then optional number constants."""

    apply: Callable[..., Value]
    args: int  # number of Value arguments
    constants: tuple[str, ...] = ()  # names of optional trailing number-literal arguments


class _Functions(Mapping[str, _Function]):
    """The functions an expression may call: the entries of the table's list of math
    functions (``ops.FUNCTIONS``) open to expressions, each computed by the ``Value`` method
    of its name (or its row of the table when it has none). Read at each use, so a function
    added to that list is known here at once."""

    def _entries(self) -> dict[str, ops.Function]:
        return {f.name: f for f in ops.FUNCTIONS if f.expression and f.inputs is not None}

    def __getitem__(self, name: str) -> _Function:
        f = self._entries()[name]
        method = getattr(Value, name, None)
        apply = method if callable(method) else functools.partial(apply_op, f.row)
        assert f.inputs is not None
        return _Function(apply, f.inputs, f.constants)

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries())

    def __len__(self) -> int:
        return len(self._entries())


FUNCTIONS: Mapping[str, _Function] = _Functions()

_NON_FINITE_NAMES = {"nan", "inf", "infinity"}


# -- helpers ---------------------------------------------------------------------------------


def _show(text: str, limit: int = 30) -> str:
    """``text`` quoted for an error line: printable, one line, not too long."""
    out = []
    for ch in text[:limit]:
        if 0xDC80 <= ord(ch) <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
            out.append(f"\\x{ord(ch) - 0xDC00:02x}")
        elif ch == " " or ch.isprintable():
            out.append(ch)
        else:
            out.append(f"\\u{ord(ch):04x}")
    more = "..." if len(text) > limit else ""
    return "'" + "".join(out) + more + "'"


def _bad_character(text: str) -> tuple[int, str] | None:
    """(index, message) for the first character that cannot appear in any argument."""
    for i, ch in enumerate(text):
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:
            return i, f"UTF-8이 아닌 바이트 0x{code - 0xDC00:02X} (invalid UTF-8 byte)"
        if 0xD800 <= code <= 0xDFFF:
            return i, f"잘못된 문자 U+{code:04X} (lone surrogate)"
        if ch != " " and not ch.isprintable():
            name = unicodedata.name(ch, "control character")
            return i, f"보이지 않는 문자 U+{code:04X} ({name}; control or invisible character)"
    return None


_FORBIDDEN = {
    "'": "문자열은 쓸 수 없습니다 (string literal not allowed)",
    '"': "문자열은 쓸 수 없습니다 (string literal not allowed)",
    "[": "대괄호는 쓸 수 없습니다 (subscript or list not allowed)",
    "]": "대괄호는 쓸 수 없습니다 (subscript or list not allowed)",
    "{": "중괄호는 쓸 수 없습니다 (dict or set not allowed)",
    "}": "중괄호는 쓸 수 없습니다 (dict or set not allowed)",
    "=": "'='는 식 안에 쓸 수 없습니다; 변수 값은 식 뒤에 NAME=VALUE로 따로 주세요 "
    "(assignment or keyword argument not allowed)",
    ":": "':'는 쓸 수 없습니다 (lambda, slice or annotation not allowed)",
    ";": "';'는 쓸 수 없습니다 (multiple statements not allowed)",
    "#": "'#'은 쓸 수 없습니다 (comment not allowed)",
    "\\": "'\\'는 쓸 수 없습니다 (backslash not allowed)",
    "@": "'@'는 쓸 수 없습니다 (matrix multiplication or decorator not allowed)",
}
# ASCII punctuation that is allowed; everything else ASCII-and-not-alphanumeric is refused
_ALLOWED_PUNCTUATION = set("+-*/()., _")


def _scan(source: str) -> None:
    """Reject impossible characters and too-deep or unbalanced parentheses, with columns."""
    bad = _bad_character(source)
    if bad is not None:
        raise ExprError(bad[1], bad[0] + 1)
    depth = 0
    opened: list[int] = []
    for i, ch in enumerate(source):
        if ch in _FORBIDDEN:
            raise ExprError(_FORBIDDEN[ch], i + 1)
        if ch.isascii() and not ch.isalnum() and ch not in _ALLOWED_PUNCTUATION:
            raise ExprError(
                f"허용되지 않는 문자 '{ch}' (character not allowed; use + - * / ** ( ) ,)", i + 1
            )
        if ch == "(":
            depth += 1
            opened.append(i)
            if depth > MAX_PAREN_DEPTH:
                raise ExprError(
                    f"괄호가 너무 깊게 중첩되었습니다: 최대 {MAX_PAREN_DEPTH}단계 "
                    "(parentheses nested too deep)",
                    i + 1,
                )
        elif ch == ")":
            if depth == 0:
                raise ExprError("짝이 없는 닫는 괄호 ')' (unmatched parenthesis)", i + 1)
            depth -= 1
            opened.pop()
    if opened:
        raise ExprError("닫히지 않은 괄호 '(' (unclosed parenthesis)", opened[-1] + 1)


# -- the syntax tree -------------------------------------------------------------------------

_BINOPS: dict[type[ast.operator], Callable[[Value, Value], Value]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b,
}
_OPERATOR_TEXT: dict[type[ast.AST], str] = {
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitAnd: "&",
    ast.BitXor: "^",
    ast.Not: "not",
    ast.Invert: "~",
}
_NODE_TEXT: dict[type[ast.AST], str] = {
    ast.Attribute: "속성 접근 (attribute access)",
    ast.Subscript: "인덱싱 (subscript)",
    ast.Lambda: "lambda",
    ast.IfExp: "조건식 (if-else expression)",
    ast.BoolOp: "논리 연산 (and/or)",
    ast.Compare: "비교 연산 (comparison)",
    ast.GeneratorExp: "컴프리헨션 (generator expression)",
    ast.ListComp: "컴프리헨션 (list comprehension)",
    ast.SetComp: "컴프리헨션 (set comprehension)",
    ast.DictComp: "컴프리헨션 (dict comprehension)",
    ast.Tuple: "튜플 (tuple)",
    ast.List: "리스트 (list)",
    ast.Set: "집합 (set)",
    ast.Dict: "딕셔너리 (dict)",
    ast.Starred: "별표 인자 (starred argument)",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield from",
    ast.NamedExpr: "대입식 (walrus :=)",
    ast.JoinedStr: "f-문자열 (f-string)",
    ast.FormattedValue: "f-문자열 (f-string)",
    ast.Slice: "슬라이스 (slice)",
}


@dataclass
class _Located:
    """Columns (1-based characters) of AST nodes, computed from their UTF-8 byte offsets."""

    source: str  # the text handed to ast.parse
    shift: int  # characters stripped from the left of the user's text
    _encoded: bytes = field(init=False)

    def __post_init__(self) -> None:
        self._encoded = self.source.encode("utf-8")

    def byte_column(self, offset: int | None) -> int:
        if offset is None:
            return self.shift + 1
        chars = len(self._encoded[: max(offset, 0)].decode("utf-8", errors="replace"))
        return self.shift + chars + 1

    def of(self, node: ast.AST) -> int:
        return self.byte_column(getattr(node, "col_offset", None))

    def after(self, node: ast.expr) -> int:
        """Column of the first character after ``node`` that is not a space or ')'.

        That is where the operator of a BinOp, or the '.' of an attribute, sits.
        """
        index = self.byte_column(node.end_col_offset) - self.shift - 1
        while index < len(self.source) and self.source[index] in " )":
            index += 1
        return self.shift + index + 1


def _number(node: ast.expr, where: _Located) -> float | None:
    """The float of a number literal (optionally with a sign), or None if it is not one."""
    sign = 1.0
    while isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        sign = -sign if isinstance(node.op, ast.USub) else sign
        node = node.operand
    if not isinstance(node, ast.Constant):
        return None
    return sign * _literal(node, where)


def _literal(node: ast.Constant, where: _Located) -> float:
    value = node.value
    column = where.of(node)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        if isinstance(value, complex):
            raise ExprError("복소수는 쓸 수 없습니다 (complex number not allowed)", column)
        if isinstance(value, (str, bytes)):
            raise ExprError("문자열은 쓸 수 없습니다 (string literal not allowed)", column)
        raise ExprError(f"{value!r}은(는) 숫자가 아닙니다 (not a number)", column)
    try:
        number = float(value)
    except OverflowError:
        raise ExprError("숫자가 너무 큽니다 (number too large for a float)", column) from None
    if not math.isfinite(number):
        raise ExprError(f"유한하지 않은 수 {number} (non-finite number not allowed)", column)
    return number


def _check_tree(tree: ast.Expression, where: _Located) -> tuple[str, ...]:
    """Walk the tree without recursion; reject anything off the whitelist.

    Returns the variable names in order of first appearance.
    """
    names: dict[str, None] = {}
    count = 0
    stack: list[tuple[ast.AST, int]] = [(tree.body, 1)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise ExprError(
                f"식이 너무 복잡합니다: 최대 {MAX_NODES}개 노드 (too many nodes)", where.of(node)
            )
        if depth > MAX_DEPTH:
            raise ExprError(
                f"식이 너무 깊게 중첩되었습니다: 최대 {MAX_DEPTH}단계, a+b+c처럼 이어진 연산도 "
                "한 단계씩 셉니다 (expression nested too deep)",
                where.of(node),
            )
        column = where.of(node)
        if isinstance(node, ast.Constant):
            _literal(node, where)
        elif isinstance(node, ast.Name):
            _check_name_use(node.id, column)
            if node.id in FUNCTIONS:
                raise ExprError(
                    f"함수 '{node.id}'는 호출해야 합니다: {node.id}(...) "
                    "(function used as a value)",
                    column,
                )
            names.setdefault(node.id, None)
        elif isinstance(node, ast.BinOp):
            if type(node.op) not in _BINOPS:
                text = _OPERATOR_TEXT.get(type(node.op), type(node.op).__name__)
                raise ExprError(
                    f"연산자 '{text}'는 쓸 수 없습니다 (operator not allowed; use + - * / **)",
                    where.after(node.left),
                )
            stack.append((node.right, depth + 1))
            stack.append((node.left, depth + 1))
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, (ast.USub, ast.UAdd)):
                text = _OPERATOR_TEXT.get(type(node.op), type(node.op).__name__)
                raise ExprError(f"연산자 '{text}'는 쓸 수 없습니다 (operator not allowed)", column)
            stack.append((node.operand, depth + 1))
        elif isinstance(node, ast.Call):
            for arg in reversed(_check_call(node, where)):
                stack.append((arg, depth + 1))
        elif isinstance(node, ast.Attribute):
            raise ExprError(
                f"속성 접근 '.{_show(node.attr)[1:-1]}'은 쓸 수 없습니다 "
                "(attribute access not allowed)",
                where.after(node.value),
            )
        else:
            text = _NODE_TEXT.get(type(node), type(node).__name__)
            raise ExprError(f"허용되지 않는 구문: {text} (not allowed)", column)
    return tuple(names)


def _check_name_use(name: str, column: int) -> None:
    if "__" in name:
        raise ExprError(
            f"이름 {_show(name)}: 밑줄 두 개(__)는 쓸 수 없습니다 (dunder name)", column
        )
    if name.lower() in _NON_FINITE_NAMES:
        raise ExprError(f"{name}은(는) 쓸 수 없습니다 (non-finite number not allowed)", column)


def _check_call(node: ast.Call, where: _Located) -> list[ast.expr]:
    """Check one call against FUNCTIONS; return the arguments that are Value expressions."""
    column = where.of(node)
    if not isinstance(node.func, ast.Name):
        raise ExprError(
            "이름 있는 함수만 호출할 수 있습니다 (only named functions can be called)", column
        )
    name = node.func.id
    _check_name_use(name, column)
    spec = FUNCTIONS.get(name)
    if spec is None:
        allowed = ", ".join(FUNCTIONS)
        raise ExprError(
            f"알 수 없는 함수 {_show(name)} (unknown function; allowed: {allowed})", column
        )
    if node.keywords:
        raise ExprError(
            f"{name}(): 키워드 인자는 쓸 수 없습니다 (keyword arguments not allowed)", column
        )
    for arg in node.args:
        if isinstance(arg, ast.Starred):
            raise ExprError(
                "별표 인자는 쓸 수 없습니다 (starred argument not allowed)", where.of(arg)
            )
    low, high = spec.args, spec.args + len(spec.constants)
    if not low <= len(node.args) <= high:
        expected = str(low) if low == high else f"{low}~{high}"
        raise ExprError(
            f"{name}()에는 인자 {expected}개가 필요한데 {len(node.args)}개를 받았습니다 "
            "(wrong number of arguments)",
            column,
        )
    for arg, const_name in zip(node.args[spec.args :], spec.constants):
        if _number(arg, where) is None:
            raise ExprError(
                f"{name}()의 {const_name}는 숫자여야 합니다 "
                f"({const_name} must be a number literal)",
                where.of(arg),
            )
    return list(node.args[: spec.args])


# -- parsing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expression:
    """A checked expression, ready to evaluate with Values.

    >>> e = parse_expression("tanh(w*x + b)")
    >>> e.variables
    ('w', 'x', 'b')
    """

    source: str
    variables: tuple[str, ...]  # in order of first appearance
    _tree: ast.Expression = field(repr=False)
    _where: _Located = field(repr=False)

    def evaluate(
        self,
        env: Mapping[str, Value | float],
        columns: dict[Value, int] | None = None,
    ) -> Value:
        """The value of the expression with ``env`` giving every variable.

        Domain errors (``log(-1)``, overflow) become an ``ExprError`` with the column of the
        operation. If ``columns`` is given, it is filled with the column of each node made.
        """
        for name in self.variables:
            if name not in env:
                raise ExprError(f"정의되지 않은 변수 {_show(name)} (undefined variable)")
        return self._eval(self._tree.body, env, columns)

    def __call__(self, *args: Value | float) -> Value:
        """Evaluate with positional arguments in the order of ``variables`` (for gradcheck)."""
        if len(args) != len(self.variables):
            raise TypeError(
                f"인수 {len(self.variables)}개가 필요한데 {len(args)}개를 받았습니다 "
                f"(expected {len(self.variables)} arguments, got {len(args)})"
            )
        return self.evaluate(dict(zip(self.variables, args)))

    def _eval(
        self, root: ast.expr, env: Mapping[str, Value | float], columns: dict[Value, int] | None
    ) -> Value:
        # post-order walk with an explicit stack: no recursion, whatever the tree's depth
        where = self._where
        results: list[Value] = []
        stack: list[tuple[ast.expr, bool]] = [(root, False)]
        while stack:
            node, children_done = stack.pop()
            if not children_done:
                stack.append((node, True))
                for child in reversed(_value_children(node)):
                    stack.append((child, False))
                continue
            arity = len(_value_children(node))
            args = results[len(results) - arity :] if arity else []
            del results[len(results) - arity :]
            try:
                out = self._node(node, env, args)
            except DomainError as exc:
                column = where.of(node)
                if isinstance(node, ast.BinOp):
                    column = where.after(node.left)
                raise ExprError(f"계산할 수 없습니다: {exc} (domain error)", column) from None
            if columns is not None and out not in columns:
                columns[out] = where.of(node)
            results.append(out)
        return results[0]

    def _node(self, node: ast.expr, env: Mapping[str, Value | float], args: list[Value]) -> Value:
        """One node's Value from its already evaluated Value arguments."""
        if isinstance(node, ast.Constant):
            return Value(_literal(node, self._where))
        if isinstance(node, ast.Name):
            value = env[node.id]
            return value if isinstance(value, Value) else Value(value, label=node.id)
        if isinstance(node, ast.BinOp):
            return _BINOPS[type(node.op)](args[0], args[1])
        if isinstance(node, ast.UnaryOp):
            return -args[0] if isinstance(node.op, ast.USub) else args[0]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            spec = FUNCTIONS[node.func.id]
            extra = [_number(a, self._where) for a in node.args[spec.args :]]
            return spec.apply(*args, *extra)
        # unreachable: _check_tree admits nothing else
        raise ExprError("허용되지 않는 구문 (not allowed)", self._where.of(node))


def _value_children(node: ast.expr) -> list[ast.expr]:
    """The sub-expressions of a checked node that evaluate to Values, left to right."""
    if isinstance(node, ast.BinOp):
        return [node.left, node.right]
    if isinstance(node, ast.UnaryOp):
        return [node.operand]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return list(node.args[: FUNCTIONS[node.func.id].args])
    return []


def parse_expression(source: object) -> Expression:
    """Check ``source`` and parse it into an ``Expression``; raise ``ExprError`` otherwise."""
    if not isinstance(source, str):
        raise ExprError(
            f"식은 문자열이어야 합니다 (expression must be str, got {type(source).__name__})"
        )
    if len(source) > MAX_LENGTH:
        raise ExprError(
            f"식이 너무 깁니다: {len(source)}자, 최대 {MAX_LENGTH}자 (expression too long)",
            MAX_LENGTH + 1,
        )
    _scan(source)  # before ast.parse: nothing it admits can make the parser recurse deeply
    stripped = source.lstrip(" ")
    shift = len(source) - len(stripped)
    text = stripped.rstrip(" ")
    if not text:
        raise ExprError("식이 비어 있습니다 (empty expression)")
    where = _Located(text, shift)
    try:
        with warnings.catch_warnings():
            # "1if x" makes the tokenizer warn on stderr; the whitelist refuses it anyway
            warnings.simplefilter("ignore")
            tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        column = shift + exc.offset if exc.offset else len(source) + 1
        message = (exc.msg or "invalid syntax").replace("\n", " ")
        raise ExprError(f"문법 오류: {message} (syntax error)", column) from None
    except (ValueError, OverflowError, MemoryError, RecursionError) as exc:
        raise ExprError(f"식을 읽을 수 없습니다: {type(exc).__name__} (cannot parse)") from None
    names = _check_tree(tree, where)
    if len(names) > MAX_VARIABLES:
        raise ExprError(f"변수가 너무 많습니다: 최대 {MAX_VARIABLES}개 (too many variables)")
    return Expression(source, names, tree, where)


# -- NAME=VALUE arguments ----------------------------------------------------------------

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def parse_assignments(args: Iterable[str]) -> dict[str, float]:
    """``["x=2", "가중치=0.5"]`` -> ``{"x": 2.0, "가중치": 0.5}``, in the given order.

    Names are NFKC-normalized the way Python normalizes identifiers, so they match the
    names in a parsed expression. Values must be finite decimal numbers.
    """
    result: dict[str, float] = {}
    for number, arg in enumerate(args, start=1):
        if not isinstance(arg, str):
            raise ExprError(f"NAME=VALUE는 문자열이어야 합니다 (got {type(arg).__name__})")
        where = f"인수 {_show(arg, 20)}"
        if len(arg) > MAX_ASSIGNMENT_LENGTH:
            raise ExprError(
                f"NAME=VALUE 인수가 너무 깁니다: 최대 {MAX_ASSIGNMENT_LENGTH}자 "
                "(argument too long)",
                MAX_ASSIGNMENT_LENGTH + 1,
                f"인수 {number}",
            )
        bad = _bad_character(arg)
        if bad is not None:
            raise ExprError(bad[1], bad[0] + 1, where)
        if "=" not in arg:
            raise ExprError(
                "NAME=VALUE 형식이어야 합니다 (expected NAME=VALUE, e.g. x=2)", None, where
            )
        raw_name, raw_value = arg.split("=", 1)
        name = unicodedata.normalize("NFKC", raw_name.strip())
        column = len(raw_name) - len(raw_name.lstrip()) + 1
        if not raw_name.strip().isidentifier() or not name.isidentifier():
            raise ExprError(
                f"변수 이름 {_show(raw_name)}이(가) 올바르지 않습니다 (invalid variable name)",
                column,
                where,
            )
        if "__" in name:
            raise ExprError(
                "밑줄 두 개(__)가 든 이름은 쓸 수 없습니다 (dunder name)", column, where
            )
        if name in FUNCTIONS or name.lower() in _NON_FINITE_NAMES or _is_keyword(name):
            raise ExprError(
                f"{_show(name)}은(는) 예약된 이름이라 변수로 쓸 수 없습니다 (reserved name)",
                column,
                where,
            )
        if name in result:
            raise ExprError(
                f"변수 {_show(name)}가 두 번 정의되었습니다 (duplicate variable)", column, where
            )
        value_column = len(raw_name) + 2
        text = raw_value.strip()
        if text.lower().lstrip("+-") in _NON_FINITE_NAMES:
            raise ExprError(
                f"값 {_show(text)}은(는) 유한한 수가 아닙니다 (non-finite value not allowed)",
                value_column,
                where,
            )
        if not _NUMBER.fullmatch(text):
            raise ExprError(
                f"값 {_show(text)}은(는) 숫자가 아닙니다 (value is not a number)",
                value_column,
                where,
            )
        value = float(text)
        if not math.isfinite(value):
            raise ExprError(
                f"값 {_show(text)}이(가) 너무 큽니다 (non-finite value: overflows to {value})",
                value_column,
                where,
            )
        result[name] = value
        if len(result) > MAX_VARIABLES:
            raise ExprError(f"변수가 너무 많습니다: 최대 {MAX_VARIABLES}개 (too many variables)")
    return result


def _is_keyword(name: str) -> bool:
    import keyword

    return keyword.iskeyword(name) or keyword.issoftkeyword(name)


def bind(expression: Expression, values: Mapping[str, float]) -> list[str]:
    """Check that ``values`` defines exactly the variables of ``expression``.

    Every variable must be given (undefined -> error at its first column) and every given
    name must be used (an unused one is usually a typo). Returns the names in the order
    they were given.
    """
    for name in expression.variables:
        if name not in values:
            column = _first_column(expression, name)
            raise ExprError(
                f"정의되지 않은 변수 {_show(name)}: 값을 {name}=VALUE로 주세요 "
                "(undefined variable)",
                column,
            )
    for name in values:
        if name not in expression.variables:
            raise ExprError(
                f"변수 {_show(name)}가 식에 쓰이지 않습니다; 오타인가요? (unused variable)",
                None,
                f"인수 {_show(name + '=')}",
            )
    return list(values)


def _first_column(expression: Expression, name: str) -> int | None:
    for node in ast.walk(expression._tree):
        if isinstance(node, ast.Name) and node.id == name:
            return expression._where.of(node)
    return None


def backward(root: Value, columns: Mapping[Value, int] | None = None) -> None:
    """``root.backward()``, with a derivative that is undefined reported as an ExprError.

    ``sqrt(x)`` at x = 0 has a value but no finite derivative; the error names the
    operation and, when ``columns`` (from ``Expression.evaluate``) is given, its column.
    """
    try:
        root.backward()
    except DomainError as exc:
        # the error carries the node whose derivative failed (the one backward really needed)
        column = columns.get(exc.node) if columns is not None and exc.node is not None else None
        raise ExprError(f"미분할 수 없습니다: {exc} (derivative undefined)", column) from None


def describe_limits() -> str:
    """One line listing the safety limits, for help text."""
    return (
        f"식 최대 {MAX_LENGTH}자, 괄호 {MAX_PAREN_DEPTH}단계, 깊이 {MAX_DEPTH}단계, "
        f"노드 {MAX_NODES}개, 변수 {MAX_VARIABLES}개"
    )


def function_names() -> Sequence[str]:
    """Names of the functions an expression may call."""
    return tuple(FUNCTIONS)
