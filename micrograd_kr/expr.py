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
from .messages import one_language, say

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
    NAME=VALUE problems (the catalog's ``expr.argument``, e.g. "argument 'x=abc'").
    ``key`` is the catalog key of the message and ``fields`` its fields, when it came from
    the catalog (the command line reads them to add a hint).
    """

    def __init__(
        self,
        message: str,
        column: int | None = None,
        where: str | None = None,
        *,
        key: str | None = None,
        fields: Mapping[str, object] | None = None,
    ):
        self.message = message
        self.column = column
        self.where = where
        self.key = key
        self.fields: Mapping[str, object] = fields or {}
        super().__init__(str(self))

    def __str__(self) -> str:
        column = None if self.column is None else one_language("expr.column", column=self.column)
        place = [p for p in (self.where, column) if p]
        return f"{self.message} ({', '.join(place)})" if place else self.message


def _refuse(
    key: str, column: int | None = None, where: str | None = None, **fields: object
) -> ExprError:
    """The ExprError of catalog message ``key`` (built only when refusing)."""
    return ExprError(say(key, **fields), column, where, key=key, fields=fields)


def _argument(text: str) -> str:
    """Names a NAME=VALUE argument in an error's place."""
    return one_language("expr.argument", argument=text)


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
            return i, say("expr.not_utf8", byte=code - 0xDC00)
        if 0xD800 <= code <= 0xDFFF:
            return i, say("expr.lone_surrogate", code=code)
        if ch != " " and not ch.isprintable():
            name = unicodedata.name(ch, "control character")
            return i, say("expr.invisible", code=code, name=name)
    return None


# characters no expression may contain -> the catalog key that says why
_FORBIDDEN = {
    "'": "expr.no_string",
    '"': "expr.no_string",
    "[": "expr.no_brackets",
    "]": "expr.no_brackets",
    "{": "expr.no_braces",
    "}": "expr.no_braces",
    "=": "expr.no_equals",
    ":": "expr.no_colon",
    ";": "expr.no_semicolon",
    "#": "expr.no_comment",
    "\\": "expr.no_backslash",
    "@": "expr.no_at",
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
            raise _refuse(_FORBIDDEN[ch], i + 1)
        if ch == "^":  # x^2 as on paper or in a calculator: Python's power is **
            written = source.strip()
            fixed = _show(written.replace("^", "**"))
            raise _refuse("expr.caret_power", i + 1, written=_show(written), fixed=fixed)
        if ch.isascii() and not ch.isalnum() and ch not in _ALLOWED_PUNCTUATION:
            raise _refuse("expr.bad_character", i + 1, char=ch)
        if ch == "(":
            depth += 1
            opened.append(i)
            if depth > MAX_PAREN_DEPTH:
                raise _refuse("expr.parens_too_deep", i + 1, limit=MAX_PAREN_DEPTH)
        elif ch == ")":
            if depth == 0:
                raise _refuse("expr.unmatched", i + 1)
            depth -= 1
            opened.pop()
    if opened:
        raise _refuse("expr.unclosed", opened[-1] + 1)


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
# syntax an expression may not use -> the catalog key of its name (Python keywords are
# named as they are written)
_NODE_TEXT: dict[type[ast.AST], str] = {
    ast.Attribute: "expr.node.attribute",
    ast.Subscript: "expr.node.subscript",
    ast.IfExp: "expr.node.if_else",
    ast.BoolOp: "expr.node.and_or",
    ast.Compare: "expr.node.comparison",
    ast.GeneratorExp: "expr.node.comprehension",
    ast.ListComp: "expr.node.comprehension",
    ast.SetComp: "expr.node.comprehension",
    ast.DictComp: "expr.node.comprehension",
    ast.Tuple: "expr.node.tuple",
    ast.List: "expr.node.list",
    ast.Set: "expr.node.set",
    ast.Dict: "expr.node.dict",
    ast.Starred: "expr.node.starred",
    ast.NamedExpr: "expr.node.walrus",
    ast.JoinedStr: "expr.node.f_string",
    ast.FormattedValue: "expr.node.f_string",
    ast.Slice: "expr.node.slice",
}
_KEYWORD_TEXT: dict[type[ast.AST], str] = {
    ast.Lambda: "lambda",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield from",
}


def _not_allowed(node: ast.AST, column: int) -> ExprError:
    """'syntax not allowed: <what the node is>'."""
    kind = type(node)
    what = say(_NODE_TEXT[kind]) if kind in _NODE_TEXT else _KEYWORD_TEXT.get(kind, kind.__name__)
    not_allowed = say("expr.not_allowed")
    return ExprError(f"{not_allowed}: {what}", column, key="expr.not_allowed")


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
            raise _refuse("expr.complex", column)
        if isinstance(value, (str, bytes)):
            raise _refuse("expr.no_string", column)
        raise _refuse("expr.value_not_a_number", column, value=repr(value))
    try:
        number = float(value)
    except OverflowError:
        raise _refuse("expr.number_too_large", column) from None
    if not math.isfinite(number):
        raise _refuse("expr.non_finite", column, value=number)
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
            raise _refuse("expr.too_many_nodes", where.of(node), limit=MAX_NODES)
        if depth > MAX_DEPTH:
            raise _refuse("expr.too_deep", where.of(node), limit=MAX_DEPTH)
        column = where.of(node)
        if isinstance(node, ast.Constant):
            _literal(node, where)
        elif isinstance(node, ast.Name):
            _check_name_use(node.id, column)
            if node.id in FUNCTIONS:
                raise _refuse("expr.function_as_value", column, name=node.id)
            names.setdefault(node.id, None)
        elif isinstance(node, ast.BinOp):
            if type(node.op) not in _BINOPS:
                text = _OPERATOR_TEXT.get(type(node.op), type(node.op).__name__)
                raise _refuse("expr.operator", where.after(node.left), operator=text)
            stack.append((node.right, depth + 1))
            stack.append((node.left, depth + 1))
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, (ast.USub, ast.UAdd)):
                text = _OPERATOR_TEXT.get(type(node.op), type(node.op).__name__)
                raise _refuse("expr.operator", column, operator=text)
            stack.append((node.operand, depth + 1))
        elif isinstance(node, ast.Call):
            for arg in reversed(_check_call(node, where)):
                stack.append((arg, depth + 1))
        elif isinstance(node, ast.Attribute):
            raise _refuse("expr.attribute", where.after(node.value), name=_show(node.attr)[1:-1])
        else:
            raise _not_allowed(node, column)
    return tuple(names)


def _check_name_use(name: str, column: int) -> None:
    if "__" in name:
        raise _refuse("expr.dunder", column, name=_show(name))
    if name.lower() in _NON_FINITE_NAMES:
        raise _refuse("expr.non_finite", column, value=name)


def _check_call(node: ast.Call, where: _Located) -> list[ast.expr]:
    """Check one call against FUNCTIONS; return the arguments that are Value expressions."""
    column = where.of(node)
    if not isinstance(node.func, ast.Name):
        raise _refuse("expr.call_not_named", column)
    name = node.func.id
    _check_name_use(name, column)
    spec = FUNCTIONS.get(name)
    if spec is None:
        allowed = ", ".join(FUNCTIONS)
        # the name as written goes along too, for the command line's did-you-mean
        raise _refuse(
            "expr.unknown_function", column, name=_show(name), allowed=allowed, function=name
        )
    if node.keywords:
        raise _refuse("expr.keyword_arguments", column, name=name)
    for arg in node.args:
        if isinstance(arg, ast.Starred):
            raise _not_allowed(arg, where.of(arg))
    low, high = spec.args, spec.args + len(spec.constants)
    if not low <= len(node.args) <= high:
        expected = str(low) if low == high else f"{low}~{high}"
        count = say("expr.argument_count", expected=expected, got=len(node.args))
        raise ExprError(f"{name}(): {count}", column, key="expr.argument_count")
    for arg, const_name in zip(node.args[spec.args :], spec.constants):
        if _number(arg, where) is None:
            raise _refuse("shared.must_be_number", where.of(arg), what=f"{name}(): {const_name}")
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
                raise _refuse("expr.undefined", name=_show(name))
        return self._eval(self._tree.body, env, columns)

    def __call__(self, *args: Value | float) -> Value:
        """Evaluate with positional arguments in the order of ``variables`` (for gradcheck)."""
        if len(args) != len(self.variables):
            raise TypeError(say("expr.argument_count", expected=len(self.variables), got=len(args)))
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
                cannot = say("shared.cannot_compute")
                raise ExprError(f"{cannot}: {exc}", column, key="shared.cannot_compute") from None
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
        raise _not_allowed(node, self._where.of(node))


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
        raise _refuse("expr.not_str", kind=type(source).__name__)
    if len(source) > MAX_LENGTH:
        raise _refuse("expr.too_long", MAX_LENGTH + 1, length=len(source), limit=MAX_LENGTH)
    _scan(source)  # before ast.parse: nothing it admits can make the parser recurse deeply
    stripped = source.lstrip(" ")
    shift = len(source) - len(stripped)
    text = stripped.rstrip(" ")
    if not text:
        raise _refuse("expr.empty")
    where = _Located(text, shift)
    try:
        with warnings.catch_warnings():
            # "1if x" makes the tokenizer warn on stderr; the whitelist refuses it anyway
            warnings.simplefilter("ignore")
            tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        column = shift + exc.offset if exc.offset else len(source) + 1
        message = (exc.msg or "invalid syntax").replace("\n", " ")
        raise _refuse("expr.syntax", column, detail=message) from None
    except (ValueError, OverflowError, MemoryError, RecursionError) as exc:
        raise _refuse("expr.cannot_parse", kind=type(exc).__name__) from None
    names = _check_tree(tree, where)
    if len(names) > MAX_VARIABLES:
        raise _refuse("expr.too_many_variables", limit=MAX_VARIABLES)
    return Expression(source, names, tree, where)


# -- NAME=VALUE arguments ----------------------------------------------------------------

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def parse_assignments(args: Iterable[str]) -> dict[str, float]:
    """``["x=2", "w=0.5"]`` -> ``{"x": 2.0, "w": 0.5}``, in the given order.

    Names are NFKC-normalized the way Python normalizes identifiers, so they match the
    names in a parsed expression. Values must be finite decimal numbers.
    """
    result: dict[str, float] = {}
    for number, arg in enumerate(args, start=1):
        if not isinstance(arg, str):
            raise _refuse("expr.assignment_not_str", kind=type(arg).__name__)
        where = _argument(_show(arg, 20))
        if len(arg) > MAX_ASSIGNMENT_LENGTH:
            raise _refuse(
                "expr.assignment_too_long",
                MAX_ASSIGNMENT_LENGTH + 1,
                _argument(str(number)),
                limit=MAX_ASSIGNMENT_LENGTH,
            )
        bad = _bad_character(arg)
        if bad is not None:
            raise ExprError(bad[1], bad[0] + 1, where)
        if "=" not in arg:
            raise _refuse("expr.not_assignment", None, where)
        raw_name, raw_value = arg.split("=", 1)
        name = unicodedata.normalize("NFKC", raw_name.strip())
        column = len(raw_name) - len(raw_name.lstrip()) + 1
        if not raw_name.strip().isidentifier() or not name.isidentifier():
            raise _refuse("expr.invalid_name", column, where, name=_show(raw_name))
        if "__" in name:
            raise _refuse("expr.dunder", column, where, name=_show(name))
        if name in FUNCTIONS or name.lower() in _NON_FINITE_NAMES or _is_keyword(name):
            raise _refuse("expr.reserved", column, where, name=_show(name))
        if name in result:
            raise _refuse("expr.duplicate", column, where, name=_show(name))
        value_column = len(raw_name) + 2
        text = raw_value.strip()
        if text.lower().lstrip("+-") in _NON_FINITE_NAMES:
            raise _refuse("expr.non_finite", value_column, where, value=_show(text))
        if not _NUMBER.fullmatch(text):
            raise _refuse("expr.value_not_a_number", value_column, where, value=_show(text))
        value = float(text)
        if not math.isfinite(value):
            raise _refuse(
                "expr.value_overflows", value_column, where, value=_show(text), result=value
            )
        result[name] = value
        if len(result) > MAX_VARIABLES:
            raise _refuse("expr.too_many_variables", limit=MAX_VARIABLES)
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
            undefined = say("expr.undefined", name=_show(name))
            hint = say("expr.give_value", name=name)
            raise ExprError(f"{undefined}; {hint}", column, key="expr.undefined")
    for name in values:
        if name not in expression.variables:
            raise _refuse("expr.unused", None, _argument(_show(name + "=")), name=_show(name))
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
        cannot = say("expr.cannot_differentiate")
        raise ExprError(f"{cannot}: {exc}", column, key="expr.cannot_differentiate") from None


def describe_limits() -> str:
    """One line listing the safety limits, for help text."""
    return one_language(
        "expr.limits",
        length=MAX_LENGTH,
        parens=MAX_PAREN_DEPTH,
        depth=MAX_DEPTH,
        nodes=MAX_NODES,
        variables=MAX_VARIABLES,
    )


def function_names() -> Sequence[str]:
    """Names of the functions an expression may call."""
    return tuple(FUNCTIONS)
