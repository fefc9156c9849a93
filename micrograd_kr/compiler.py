"""Trace a function once and turn its forward and backward pass into Python source you can read.

Backpropagation is a program transformation: for a fixed graph, the forward pass is a list of
assignments, one per node, and the backward pass is another list, one per (node, input) edge,

    v7 = v3 * v5            # mul            (forward)
    g3 = g3 + g7 * v5       # mul'           (backward: grad(input) += grad(node) * local)

``compile(f, example_inputs)`` runs ``f`` once on Values, numbers the nodes of the graph, and
writes that program. The text of every expression comes from the derivative table in
``ops.py``: its rules are run with a *symbolic* math namespace whose values print source code
instead of computing numbers. Only node numbers, float constants (``repr``) and the names of
the table's math functions ever reach the source; labels and other user strings never do.

The generated function runs with floats, or with NumPy arrays to evaluate a whole batch at
once. Data-dependent choices (ReLU, max, abs, ...) are written as ``where(cond, a, b)`` in the
table, so each sample of a batch takes its own branch, not the one of the traced sample.

>>> from micrograd_kr import compile
>>> c = compile(lambda x, y: x * y + x.tanh(), [0.5, 2.0])
>>> out, (dx, dy) = c(0.5, 2.0)
>>> round(dy, 6)
0.5
"""

from __future__ import annotations

import builtins
import functools
import io
import itertools
import linecache
import math
import numbers
import sys
import textwrap
import tokenize
import types
import unicodedata
import weakref
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

from .engine import Constant, DomainError, Parameter, TraceError, Value, enable_grad, tracing
from .graph import topological_order
from .ops import FLOAT, Math


def _numpy() -> Any:
    """NumPy, or None when it is missing. Optional: floats work without it, batches need it
    (extra "fast"). Imported on first use so that ``import micrograd_kr`` stays quick."""
    try:
        import numpy
    except ImportError:  # pragma: no cover - exercised by monkeypatching in the tests
        return None
    return numpy


__all__ = ["compile", "trace", "Compiled", "Trace", "TraceError", "FUNCTIONS"]

# The math functions the derivative table may call (m.exp, m.where, ...). ``sum`` and ``dot``
# are also in the namespace but are written out inline (a + b + c, w1 * x1 + w2 * x2).
FUNCTIONS = (
    "exp",
    "expm1",
    "log",
    "log1p",
    "sqrt",
    "sin",
    "cos",
    "tanh",
    "sigmoid",
    "softplus",
    "abs",
    "where",
    "maximum",
)

_FN_NAME = "forward_backward"
_TERMS_PER_LINE = 64  # a longer sum or dot is written over several lines
_INSTALL_HINT = "pip install 'micrograd_kr[fast]'  (or: pip install numpy)"


# --- symbolic values: the table's rules run on these and produce source text -----------------

# Python operator precedence, enough for the expressions the table writes
_CMP, _ADD, _MUL, _NEG, _POW, _ATOM = 1, 2, 3, 4, 5, 6


class Sym:
    """A piece of generated source with its precedence; operators build bigger pieces."""

    __slots__ = ("text", "prec")

    def __init__(self, text: str, prec: int = _ATOM) -> None:
        self.text = text
        self.prec = prec

    def __repr__(self) -> str:
        return f"Sym({self.text!r})"

    def __bool__(self) -> bool:
        raise TraceError(
            "규칙이 추적 중인 값에 파이썬 if/and/or를 썼습니다 (a rule used Python `if`/`and`/"
            "`or` on a traced value): m.where(cond, a, b)를 쓰세요, 그래야 배치의 표본마다 "
            "자기 분기를 고릅니다 (every sample of a batch takes its own branch)"
        )

    # arithmetic
    def __add__(self, other: Any) -> Sym:
        return _binary(self, "+", other, _ADD)

    def __radd__(self, other: Any) -> Sym:
        return _binary(other, "+", self, _ADD)

    def __sub__(self, other: Any) -> Sym:
        return _binary(self, "-", other, _ADD)

    def __rsub__(self, other: Any) -> Sym:
        return _binary(other, "-", self, _ADD)

    def __mul__(self, other: Any) -> Sym:
        return _binary(self, "*", other, _MUL)

    def __rmul__(self, other: Any) -> Sym:
        return _binary(other, "*", self, _MUL)

    def __truediv__(self, other: Any) -> Sym:
        return _binary(self, "/", other, _MUL)

    def __rtruediv__(self, other: Any) -> Sym:
        return _binary(other, "/", self, _MUL)

    def __pow__(self, other: Any) -> Sym:
        return _binary(self, "**", other, _POW)

    def __rpow__(self, other: Any) -> Sym:
        return _binary(other, "**", self, _POW)

    def __neg__(self) -> Sym:
        return Sym("-" + _wrap(self, _NEG), _NEG)

    def __pos__(self) -> Sym:
        return self

    # comparisons build conditions for where(...)
    def __lt__(self, other: Any) -> Sym:
        return _binary(self, "<", other, _CMP)

    def __le__(self, other: Any) -> Sym:
        return _binary(self, "<=", other, _CMP)

    def __gt__(self, other: Any) -> Sym:
        return _binary(self, ">", other, _CMP)

    def __ge__(self, other: Any) -> Sym:
        return _binary(self, ">=", other, _CMP)

    __hash__ = None  # type: ignore[assignment]


def literal(x: Any) -> Sym:
    """A number as source text: ``repr(float(x))`` of a finite real number, nothing else.

    ``float(x)`` first: a NumPy scalar or a float subclass (whose ``__repr__`` could print
    anything) becomes a plain float, whose repr is always a float literal.
    """
    if isinstance(x, Sym):
        return x
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TraceError(
            "생성 코드의 상수는 숫자만 될 수 있습니다 "
            f"(only numbers can become constants in generated code), got {x!r}"
        )
    value = float(x)
    if not math.isfinite(value):
        raise TraceError(
            f"그래프의 상수가 유한하지 않습니다 (a constant in the graph is not finite): {value!r}"
        )
    text = repr(value)
    negative = text.startswith("-")
    return Sym(text, _NEG if negative else _ATOM)


def _wrap(s: Sym, prec: int) -> str:
    return f"({s.text})" if s.prec < prec else s.text


def _binary(a: Any, op: str, b: Any, prec: int) -> Sym:
    left, right = literal(a), literal(b)
    if op == "**":  # right-associative, and binds tighter than a unary minus on its left
        return Sym(f"{_wrap(left, prec + 1)} ** {_wrap(right, prec)}", prec)
    if prec == _CMP:  # never chain comparisons
        return Sym(f"{_wrap(left, prec + 1)} {op} {_wrap(right, prec + 1)}", prec)
    # left-associative: a - (b - c) keeps its parentheses, so the evaluation order is kept too
    return Sym(f"{_wrap(left, prec)} {op} {_wrap(right, prec + 1)}", prec)


def _call(name: str, *args: Any) -> Sym:
    return Sym(f"{name}({', '.join(literal(a).text for a in args)})")


class SymMath:
    """The math namespace of the derivative table, printing source instead of computing."""

    @staticmethod
    def exp(x: Any) -> Sym:
        return _call("exp", x)

    @staticmethod
    def expm1(x: Any) -> Sym:
        return _call("expm1", x)

    @staticmethod
    def log(x: Any) -> Sym:
        return _call("log", x)

    @staticmethod
    def log1p(x: Any) -> Sym:
        return _call("log1p", x)

    @staticmethod
    def sqrt(x: Any) -> Sym:
        return _call("sqrt", x)

    @staticmethod
    def sin(x: Any) -> Sym:
        return _call("sin", x)

    @staticmethod
    def cos(x: Any) -> Sym:
        return _call("cos", x)

    @staticmethod
    def tanh(x: Any) -> Sym:
        return _call("tanh", x)

    @staticmethod
    def sigmoid(x: Any) -> Sym:
        return _call("sigmoid", x)

    @staticmethod
    def softplus(x: Any) -> Sym:
        return _call("softplus", x)

    @staticmethod
    def abs(x: Any) -> Sym:
        return _call("abs", x)

    @staticmethod
    def gt(a: Any, b: Any) -> Any:
        if not isinstance(a, Sym) and not isinstance(b, Sym):
            return a > b  # constants: decided here, once
        return _binary(a, ">", b, _CMP)

    @staticmethod
    def lt(a: Any, b: Any) -> Any:
        if not isinstance(a, Sym) and not isinstance(b, Sym):
            return a < b
        return _binary(a, "<", b, _CMP)

    @staticmethod
    def where(cond: Any, a: Any, b: Any) -> Any:
        if not isinstance(cond, Sym):  # decided by constants alone: the same for every sample
            return a if cond else b
        if a is b:  # both branches are the same expression: no choice to make
            return a
        return _call("where", cond, a, b)

    @staticmethod
    def maximum(*xs: Any) -> Any:
        if len(xs) == 1:
            return xs[0]
        return _call("maximum", *xs)

    @staticmethod
    def sum(xs: Sequence[Any]) -> Sym:
        # written out as x1 + x2 + ..., the same left-to-right order as Python's sum()
        return _sum_terms(list(xs))

    @staticmethod
    def dot(ws: Iterable[Any], xs: Iterable[Any]) -> Sym:
        return _sum_terms([literal(w) * x for w, x in zip(ws, xs)])


class Terms(Sym):
    """A sum t1 + t2 + ... kept as its list of terms, so a long one can span several lines."""

    __slots__ = ("terms",)

    def __init__(self, terms: list[Sym]) -> None:
        self.terms = terms
        super().__init__(_join_terms(terms), _ADD)


def _join_terms(terms: Sequence[Sym]) -> str:
    # the same text as ((t1 + t2) + t3) + ..., built in linear time
    parts = [_wrap(terms[0], _ADD)] + [_wrap(t, _ADD + 1) for t in terms[1:]]
    return " + ".join(parts)


def _sum_terms(terms: list[Any]) -> Sym:
    if not terms:
        return literal(0.0)
    if len(terms) == 1:
        return literal(terms[0])
    return Terms([literal(t) for t in terms])


SYM: Math = SymMath()


# --- runtime namespaces: the same names, for floats and for NumPy arrays -----------------------


class NumpyMath:
    """The math namespace for NumPy arrays: what the generated code calls for a batch."""

    def __init__(self, np: Any) -> None:
        self.np = np
        # NumPy's own ufuncs under the table's names
        self.exp, self.expm1, self.log, self.log1p = np.exp, np.expm1, np.log, np.log1p
        self.sqrt, self.sin, self.cos, self.tanh, self.abs = (
            np.sqrt,
            np.sin,
            np.cos,
            np.tanh,
            np.abs,
        )
        self.gt, self.lt, self.where = np.greater, np.less, np.where

    def sum(self, xs: Sequence[Any]) -> Any:
        return functools.reduce(self.np.add, xs)

    def sigmoid(self, x: Any) -> Any:
        # the same stable formula as FloatMath.sigmoid, for both signs at once
        e = self.np.exp(-self.np.abs(x))
        return self.np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))

    def softplus(self, x: Any) -> Any:
        np = self.np
        return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))

    def maximum(self, *xs: Any) -> Any:
        return functools.reduce(self.np.maximum, xs)

    def dot(self, ws: Iterable[Any], xs: Iterable[Any]) -> Any:
        return self.sum([w * x for w, x in zip(ws, xs)])


def _namespace(m: Math) -> dict[str, Any]:
    """The names the generated code may call, taken from one interpreter of the table."""
    return {name: getattr(m, name) for name in FUNCTIONS}


def _float_namespace() -> dict[str, Any]:
    return _namespace(FLOAT)


def _numpy_namespace() -> dict[str, Any]:
    np = _numpy()
    assert np is not None
    numpy_math: Math = NumpyMath(np)
    return _namespace(numpy_math)


# --- tracing -------------------------------------------------------------------------------


@dataclass
class Trace:
    """The graph of one call of ``f``: its output, input leaves, parameters and node order."""

    output: Value
    inputs: list[Value]
    params: list[Value]
    order: list[Value]


def trace(f: Callable[..., Any], example_inputs: Sequence[Any], params: Any = None) -> Trace:
    """Call ``f`` once on fresh leaf Values holding ``example_inputs`` and record the graph.

    ``params``: the learnable leaves to treat as arguments of the compiled function (in this
    order), e.g. ``model.parameters()``, or a model itself (anything with ``.parameters()``).
    ``None`` takes every ``Parameter`` in the graph, in the order they were created: for the
    modules of ``nn`` that is the order of ``model.parameters()``.
    Every other leaf is a constant and is written into the code as a number.
    """
    if not callable(f):
        raise TypeError(
            f"compile: f는 함수여야 합니다 (f must be a function (a callable)), "
            f"got {type(f).__name__}"
        )
    if isinstance(example_inputs, (str, bytes)) or not isinstance(example_inputs, Sequence):
        raise TypeError(
            "example_inputs는 숫자의 리스트여야 합니다 "
            f"(example_inputs must be a list of numbers), got {type(example_inputs).__name__}"
        )
    inputs = [Value(x.data if isinstance(x, Value) else x) for x in example_inputs]
    # tracing(): comparing Values in f raises (the choice would be frozen into the code);
    # enable_grad(): an outer no_grad() would record no graph
    with tracing(), enable_grad():
        out = f(*inputs)
    if not isinstance(out, Value):
        if isinstance(out, bool) or not isinstance(out, (int, float)):
            raise TypeError(
                "f는 Value나 숫자를 돌려주어야 합니다 "
                f"(f must return a Value or a number), got {type(out).__name__}"
            )
        out = Value(out)
    order = topological_order(out)
    if params is None:
        found = [v for v in order if isinstance(v, Parameter) and not v._prev]
        # creation order, not the graph walk's: gradients line up with model.parameters()
        param_list: list[Value] = sorted(found, key=_serial)
    else:
        param_list = _param_list(params)
    return Trace(out, inputs, param_list, order)


def _serial(p: Value) -> float:
    """When a Parameter was made (its place among all Parameters); inf if unknown."""
    serial: float = getattr(p, "_serial", math.inf)
    return serial


def _param_list(params: Any) -> list[Value]:
    """``params=``: leaf Values, or a model whose ``.parameters()`` lists them."""
    if callable(getattr(params, "parameters", None)):
        params = params.parameters()
    if isinstance(params, (str, bytes)) or not isinstance(params, Iterable):
        raise _wrong_params(f"got {type(params).__name__}")
    param_list = list(params)
    for i, p in enumerate(param_list):
        if not isinstance(p, Value):
            raise _wrong_params(f"params[{i}] is a {type(p).__name__}")
        if p._prev:
            raise _wrong_params(f"params[{i}] is computed by an operation, not a leaf")
    if len(set(param_list)) != len(param_list):
        raise ValueError("params에 같은 Value가 두 번 있습니다 (params lists the same Value twice)")
    return param_list


def _wrong_params(detail: str) -> TypeError:
    return TypeError(
        "params에는 잎 노드 Value의 리스트나 모델을 넣을 수 있습니다 "
        f"(params must be leaf Values (e.g. model.parameters()) or a model): {detail}"
    )


# --- code generation -------------------------------------------------------------------------


def generate_source(tr: Trace) -> str:
    """Python source of ``forward_backward(inputs..., params...) -> (output, grads)``.

    Node numbers: inputs are v0.., then parameters, then every node that depends on them, in
    topological order. ``g<k>`` holds d(output)/d(v<k>). Nodes that depend on neither inputs
    nor parameters are constants and appear as numbers.
    """
    ids: dict[Value, int] = {}
    for v in itertools.chain(tr.inputs, tr.params):
        ids.setdefault(v, len(ids))
    n_args = len(ids)

    # live nodes depend on an argument; every other node is a constant (its traced value).
    # Constants enter the rules as plain floats, so a part of a rule made only of constants
    # (b - 1 in pow') is computed here once, exactly as the eager engine computes it.
    syms: dict[Value, Sym] = {v: Sym(f"v{k}") for v, k in ids.items()}
    forward: list[tuple[str, str]] = []
    live: list[Value] = []
    for node in tr.order:
        if node in syms:
            continue
        if not node._prev or not any(p in syms for p in node._prev):
            continue
        row = node._row
        assert row is not None
        k = len(ids)
        ids[node] = k
        args = [syms.get(p, p.data) for p in node._prev]
        expr = literal(row.forward(SYM, *args))
        if isinstance(expr, Terms) and len(expr.terms) > _TERMS_PER_LINE:
            # Python's parser nests a + b + c ... one level per term: split long sums (same order)
            terms = expr.terms
            first = _join_terms(terms[:_TERMS_PER_LINE])
            forward.append((f"v{k} = {first}", row.name))
            for i in range(_TERMS_PER_LINE, len(terms), _TERMS_PER_LINE):
                rest = [Sym(f"v{k}"), *terms[i : i + _TERMS_PER_LINE]]
                forward.append((f"v{k} = {_join_terms(rest)}", row.name + " (continued)"))
        else:
            forward.append((f"v{k} = {expr.text}", row.name))
        syms[node] = Sym(f"v{k}")
        live.append(node)

    out = tr.output
    backward: list[tuple[str, str]] = []
    assigned: set[Value] = set()
    if out in syms:
        backward.append((f"g{ids[out]} = 1.0", "d(output)/d(output)"))
        assigned.add(out)
    for node in reversed(live):
        if node not in assigned:
            continue  # the output does not depend on it (or only through a zero derivative)
        row = node._row
        assert row is not None
        args = [syms.get(p, p.data) for p in node._prev]
        # a rule is written out only for an input that needs a gradient (a live one)
        if row.each is not None:
            local = list(zip(node._prev, row.each(SYM, syms[node], args)))
        else:
            local = [
                (parent, rule(SYM, syms[node], *args))
                for parent, rule in zip(node._prev, row.derivatives)
                if parent in syms
            ]
        g = Sym(f"g{ids[node]}")
        for parent, d in local:
            if parent not in syms:
                continue  # a constant needs no gradient
            term = _times(g, d)
            if term is None:
                continue
            target = f"g{ids[parent]}"
            if parent in assigned:
                # a new array, never `+=`: g's may share one array (g3 = g7), so no in-place add
                backward.append((f"{target} = {target} + {_wrap(term, _ADD + 1)}", row.name + "'"))
            else:
                backward.append((f"{target} = {term.text}", row.name + "'"))
                assigned.add(parent)

    args_text = ", ".join(f"v{k}" for k in range(n_args))
    out_text = syms[out].text if out in syms else literal(out.data).text
    arg_nodes = list(itertools.chain(tr.inputs, tr.params))
    grads_text = ", ".join(f"g{ids[v]}" if v in assigned else "0.0" for v in arg_nodes)
    if len(arg_nodes) == 1:
        grads_text += ","

    lines = [
        "# generated by micrograd_kr.compiler from the derivative table in ops.py",
        f"# inputs: {_span(0, len(tr.inputs))}   parameters: {_span(len(tr.inputs), n_args)}",
    ]
    lines += def_lines(args_text)
    width = min(72, max((len(code) for code, _ in forward + backward), default=0))
    lines.append("    # forward: one line per node")
    lines += commented(forward, width)
    lines.append("    # backward: one line per (node, input); g = d(output)/d(node)")
    lines += commented(backward, width)
    short = f"{out_text}, ({grads_text})"
    lines += return_lines(short, len(grads_text) <= 80, f"{out_text}, ", grads_text)
    return "\n".join(lines) + "\n"


# --- the pieces of a generated function's text, shared with lift.py ---------------------------


def def_lines(args_text: str) -> list[str]:
    """``def forward_backward(args):``, wrapped at 100 columns."""
    return textwrap.wrap(
        f"def {_FN_NAME}({args_text}):",
        width=100,
        subsequent_indent="        ",
        break_long_words=False,
    )


def commented(pairs: Sequence[tuple[str, str]], width: int) -> list[str]:
    """One body line per (code, note), the notes aligned after ``width`` columns."""
    return [f"    {code.ljust(width)}  # {note}" for code, note in pairs]


def return_lines(short: str, fits: bool, head: str, inner: str) -> list[str]:
    """``return short`` when it fits; else ``return head(`` with ``inner`` wrapped below."""
    if fits:
        return [f"    return {short}"]
    wrapped = textwrap.wrap(
        inner, width=96, initial_indent=" " * 8, subsequent_indent=" " * 8, break_long_words=False
    )
    return [f"    return {head}(", *wrapped, "    )"]


def _span(start: int, stop: int) -> str:
    if stop <= start:
        return "none"
    if stop - start == 1:
        return f"v{start}"
    return f"v{start} .. v{stop - 1}"


def _times(g: Sym, d: Any) -> Sym | None:
    """The source of g * d, skipping what changes nothing (d = 0, 1, -1)."""
    if not isinstance(d, Sym):
        if d == 0:
            return None
        if d == 1:
            return g
        if d == -1:
            return -g
    return g * d


# --- checking the generated source before running it ------------------------------------------

_NAMES = frozenset({*FUNCTIONS, "def", "return", _FN_NAME})
_OPERATORS = frozenset({"**", "<=", ">=", "+", "-", "*", "/", "<", ">", "=", "(", ")", ",", ":"})
_LAYOUT = frozenset(
    {tokenize.COMMENT, tokenize.NEWLINE, tokenize.NL, tokenize.INDENT, tokenize.DEDENT}
)


def _node_name(text: str) -> bool:
    """v<k> or g<k>: a node's value or gradient."""
    return len(text) > 1 and text[0] in "vg" and text[1:].isascii() and text[1:].isdigit()


def _check_source(
    source: str,
    names: Callable[[str], bool] | None = None,
    operators: frozenset[str] = frozenset(),
    integers: bool = False,
) -> None:
    """Refuse any source that is not made only of what this module writes; else a TraceError.

    Defence in depth, read with Python's own tokenizer (so a comment ends exactly where
    Python ends it): every name is a node (v3, g3), a math function of the table, ``def`` or
    ``return``; every number is a float literal as ``repr(float)`` writes it; no strings; no
    control characters anywhere (a carriage return would end a comment early).
    The lifting pass (``lift.py``) also allows its own ``names``, ``operators`` (``@``) and
    small ``integers`` (column numbers).
    """
    for ch in source:
        if ch != "\n" and unicodedata.category(ch)[0] == "C":
            raise TraceError(
                f"생성 코드에 제어 문자 {ch!r}이(가) 있어 실행하지 않습니다 "
                f"(generated code contains a control character {ch!r}; not run)"
            )
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError) as exc:
        raise TraceError(
            "생성 코드를 토큰으로 나눌 수 없어 실행하지 않습니다 "
            f"(generated code does not tokenize: {exc}; not run)"
        ) from None
    for tok in tokens:
        kind, text = tok.type, tok.string
        if kind in _LAYOUT or kind == tokenize.ENDMARKER:
            ok = True
        elif kind == tokenize.NAME:
            ok = text in _NAMES or _node_name(text) or (names is not None and names(text))
        elif kind == tokenize.NUMBER:
            ok = _is_float_literal(text) or (integers and text.isdigit() and str(int(text)) == text)
        elif kind == tokenize.OP:
            ok = text in _OPERATORS or text in operators
        else:  # STRING, ERRORTOKEN, ...
            ok = False
        if not ok:
            raise TraceError(
                f"생성 코드에 예상하지 못한 글자가 있어 실행하지 않습니다 "
                f"(generated code contains unexpected text {text[:40]!r}, "
                f"line {tok.start[0]}; not run)"
            )


def _is_float_literal(text: str) -> bool:
    try:
        return repr(float(text)) == text
    except ValueError:
        return False


_counter = itertools.count()
# numbers of collected programs, for reuse: CPython keeps every file name it compiled, so
# fresh names would pile up over a hyper-parameter search (about 100 bytes each)
_free_numbers: list[int] = []


def _release(filename: str, number: int) -> None:
    linecache.cache.pop(filename, None)
    _free_numbers.append(number)


def build(source: str, kind: str, namespace: dict[str, Any]) -> Callable[..., Any]:
    """Define the generated function of ``source`` (already checked) in ``namespace``.

    The text is registered under a name like ``<micrograd_kr compiled #3>`` so tracebacks and
    ``inspect`` show the generated lines, for as long as the code exists. (``_rebind`` reuses
    the code with another namespace.)
    """
    try:
        number = _free_numbers.pop()
    except IndexError:
        number = next(_counter)
    filename = f"<micrograd_kr {kind} #{number}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    code = builtins.compile(source, filename, "exec")
    # exec of source generated from the op table and checked with _check_source (or lift's
    # check_lifted_source); it only defines the function. No builtins are reachable from it.
    scope: dict[str, Any] = {"__builtins__": {}, **namespace}
    exec(code, scope)
    # out of its own globals (it never calls itself): no cycle, so it is freed at once
    fn: Callable[..., Any] = scope.pop(_FN_NAME)
    # the text stays in linecache while the code lives (the function, a _rebind copy, a
    # traceback's frames), then goes: a hyper-parameter search must not keep every program
    weakref.finalize(fn.__code__, _release, filename, number).atexit = False
    return fn


def _rebind(fn: Callable[..., Any], namespace: dict[str, Any]) -> Callable[..., Any]:
    """The same compiled code with other math functions (NumPy instead of math)."""
    scope: dict[str, Any] = {"__builtins__": {}, **namespace}
    code = fn.__code__
    return types.FunctionType(code, scope, _FN_NAME)


# --- the compiled function -----------------------------------------------------------------


CHECKS = ("first", "always", "never")


class Compiled:
    """A traced function, compiled to straight-line Python for its value and gradients.

    ``compiled(*inputs)`` returns ``(output, grads)``: ``grads`` holds d(output)/d(input)
    for each input, then d(output)/d(param) for each parameter (evaluated at the parameters'
    current ``.data``, or at ``params=[...]`` if given). ``param_names`` names the parameters
    in that order (their labels, e.g. ``"L0.n0.w0"``; ``"params[3]"`` for one without a
    unique label).

    Pass NumPy arrays (or lists) instead of numbers to evaluate a batch: every input of a
    sample is one entry of the arrays. Then ``reduce="sum"`` or ``"mean"`` returns the sum or
    mean of the outputs and the parameter gradients of that sum or mean (floats), while the
    input gradients stay per sample.

    Every input and parameter must be a finite real number, as for the eager engine: a NaN,
    an inf or a string is refused with the engine's error, naming the input and the sample.
    The generated code does not re-check each operation's domain the way the eager engine
    does; a failure (log of a negative number, overflow, ...) surfaces as a DomainError for
    the whole call, from Python's math module or from NumPy's floating-point errors.
    ``.fn`` and ``.batch_fn`` are the raw generated functions (all arguments positional,
    nothing checked).

    Given ``f`` (as ``compile`` does), calls are compared with ``f`` run eagerly, as ``check``
    says: ``"first"`` the first call only (for a batch: its first, middle and last samples),
    ``"always"`` every call and every sample of a batch (as slow as the eager engine, for
    finding a problem), ``"never"`` none. A disagreement raises a TraceError.
    """

    def __init__(
        self, tr: Trace, f: Callable[..., Any] | None = None, check: str = "first"
    ) -> None:
        if not isinstance(tr, Trace):
            raise TypeError(
                "Trace가 필요합니다: trace(f, example_inputs)로 만드세요 "
                f"(needs the Trace made by trace(f, example_inputs)), got {type(tr).__name__}"
            )
        _check_mode(check)
        self.trace = tr
        self._f = f  # run eagerly for the self-check; None: no check
        self.check = check
        self._checked = False  # "first": has a call been compared yet
        self.source: str = generate_source(tr)
        _check_source(self.source)
        self.fn: Callable[..., Any] = build(self.source, "compiled", _float_namespace())
        self._batch_fn: Callable[..., Any] | None = None
        # leaves made by the user that are neither inputs nor params: their numbers are in
        # the code, so a later change of their .data would be ignored silently
        args = {*tr.inputs, *tr.params}
        self._frozen = [
            (v, v.data)
            for v in tr.order
            if not v._prev and v not in args and v.__class__ is not Constant
        ]

    @property
    def n_inputs(self) -> int:
        return len(self.trace.inputs)

    @property
    def params(self) -> list[Value]:
        return self.trace.params

    @property
    def param_names(self) -> list[str]:
        """A name per parameter, in the order of the gradients: its label if that is unique
        among the parameters (``"L0.n0.w0"`` in an nn model), else ``"params[k]"``."""
        labels = [p.label for p in self.params]
        counts = Counter(labels)
        return [
            label if label and counts[label] == 1 else f"params[{k}]"
            for k, label in enumerate(labels)
        ]

    @property
    def batch_fn(self) -> Callable[..., Any]:
        """The generated function bound to NumPy (arrays in, arrays out); needs NumPy."""
        if self._batch_fn is None:
            if _numpy() is None:
                raise ImportError(
                    f"컴파일된 함수를 배치로 계산하려면 NumPy가 필요합니다 "
                    f"(evaluating a compiled function on a batch needs NumPy): {_INSTALL_HINT}. "
                    "NumPy 없이는 숫자 하나씩 넣어 부르세요 (call it with plain numbers)."
                )
            self._batch_fn = _rebind(self.fn, _numpy_namespace())
        return self._batch_fn

    def _self_check(self) -> None:
        """Compare with the eager engine at a point near the traced example (see compile)."""
        example = [v.data for v in self.trace.inputs]
        if not example or self._f is None or self.check == "never":
            return
        xs = _perturbed(example)
        ps = [p.data for p in self.params]
        try:
            out, grads = self.fn(*xs, *ps)
        except (ArithmeticError, ValueError, TypeError):
            return  # outside the domain there: the first call checks again
        if isinstance(out, complex) or not math.isfinite(out):
            return
        n = len(xs)
        where = "예시 근처의 점 (a point near the example)"
        self._compare(xs, ps, out, grads[:n], grads[n:], where)

    def _take_check(self) -> bool:
        """Whether this call is compared with the eager engine (see ``check``)."""
        if self._f is None or self.check == "never":
            return False
        if self.check == "always":
            return True
        first, self._checked = not self._checked, True
        return first

    def __repr__(self) -> str:
        lines = self.source.count("\n")
        return (
            f"<Compiled: {self.n_inputs} input(s), {len(self.params)} parameter(s), "
            f"{lines} lines; see .source>"
        )

    def _param_data(self, params: Sequence[Any] | None) -> list[Any]:
        """The parameters' numbers: their current ``.data``, or the Values/numbers given."""
        if params is None:
            return [p.data for p in self.params]
        if len(params) != len(self.params):
            raise TypeError(
                f"매개변수 개수가 다릅니다 (expected {len(self.params)} parameter(s), "
                f"got {len(params)})"
            )
        return [p.data if isinstance(p, Value) else p for p in params]

    def _arg_name(self, k: int) -> str:
        """Argument k of the generated function, as a message names it."""
        n = self.n_inputs
        if k < n:
            return f"입력 {k} (input {k})"
        name = self.param_names[k - n]
        return f"매개변수 {name} (parameter {name})"

    def _sample_name(self, k: int, index: tuple[int, ...] | None) -> str:
        if index is None:
            return self._arg_name(k)
        at = index[0] if len(index) == 1 else index
        return f"{self._arg_name(k)}, 표본 {at} (sample {at})"

    def __call__(
        self, *inputs: Any, params: Sequence[Any] | None = None, reduce: str | None = None
    ) -> tuple[Any, tuple[Any, ...]]:
        if len(inputs) != self.n_inputs:
            raise TypeError(
                f"입력 개수가 다릅니다 (expected {self.n_inputs} input(s), got {len(inputs)})"
            )
        self._check_frozen()
        param_data = self._param_data(params)
        args = [x.data if isinstance(x, Value) else x for x in (*inputs, *param_data)]
        batch = any(_is_batch(a) for a in args)
        _check_reduce(reduce, batch)
        if batch:
            return self._call_batch(args, reduce)
        xs = [_number(a, functools.partial(self._arg_name, k)) for k, a in enumerate(args)]
        n = self.n_inputs
        try:
            out, grads = self.fn(*xs)
        except (ArithmeticError, ValueError, TypeError) as exc:
            raise DomainError(
                f"컴파일된 함수를 계산할 수 없습니다 (compiled function at inputs {xs[:n]}): {exc}"
            ) from None
        if isinstance(out, complex) or any(isinstance(g, complex) for g in grads):
            raise DomainError(
                f"컴파일된 함수: 음수의 정수가 아닌 거듭제곱은 실수가 아닙니다 "
                f"(compiled function at inputs {xs[:n]}: a negative base to a "
                "non-integer power)"
            )
        # Python floats overflow to inf (and inf - inf is nan) silently; the engine refuses
        if not all(map(math.isfinite, (out, *grads))):
            raise DomainError(
                f"컴파일된 함수: 출력이나 기울기가 넘쳤습니다 "
                f"(compiled function at inputs {xs[:n]}: overflow, the output "
                f"or a gradient is not finite: {out}, {grads})"
            )
        if self._take_check():
            self._compare(xs[:n], xs[n:], out, grads[:n], grads[n:], "입력 (the inputs)")
        return out, grads

    def _check_frozen(self) -> None:
        for v, data in self._frozen:
            if v.data != data:
                name = repr(v.label) if v.label else "a Value"
                raise TraceError(
                    f"컴파일 뒤에 {name}의 값이 {data!r}에서 {v.data!r}(으)로 바뀌었지만, 코드에는 "
                    f"상수로 들어 있습니다 (a Value closed over by f changed after compile; "
                    f"its number is written into the code). 학습할 값이면 params=[...]에 "
                    f"넣거나 Parameter로 만드세요 (list it in params), 아니면 다시 compile하세요"
                )

    def _compare(
        self,
        xs: Sequence[float],
        ps: Sequence[float],
        out: float,
        in_grads: Sequence[float] | None,
        p_grads: Sequence[float],
        where: str,
    ) -> None:
        """Raise a TraceError when the eager engine disagrees with the compiled code at
        inputs ``xs`` and parameters ``ps`` (``in_grads`` None: not computed, not compared)."""
        if self._f is None:
            return
        xs, ps = [float(x) for x in xs], [float(p) for p in ps]
        expected = _eager(self._f, xs, self.params, ps)
        if expected is None:
            return  # the engine refuses this point (a domain error): nothing to compare
        want_out, want_in, want_p = expected
        rows = [("출력 (output)", out, want_out)]
        if in_grads is not None:
            rows += [
                (f"입력 {j}의 기울기 (gradient of input {j})", g, w)
                for j, (g, w) in enumerate(zip(in_grads, want_in))
            ]
        names = self.param_names
        rows += [
            (f"{names[j]}의 기울기 (gradient of {names[j]})", g, w)
            for j, (g, w) in enumerate(zip(p_grads, want_p))
        ]
        for what, got, want in rows:
            if not _agree(float(got), want):
                raise TraceError(_disagreement(where, xs, what, float(got), want))

    # -- the arguments of a call: finite real numbers, as the eager engine requires ----------

    @staticmethod
    def _batched(args: Sequence[Any]) -> bool:
        return any(map(_is_batch, args))

    def _columns(self, np: Any, args: Sequence[Any]) -> tuple[list[Any], tuple[int, ...]]:
        """The arguments as floats and float arrays, each number checked as the engine
        checks it, and the batch's shape (an empty batch is refused)."""
        columns = [
            _float_array(np, a, functools.partial(self._sample_name, k))
            if _is_batch(a)
            else _number(a, functools.partial(self._arg_name, k))
            for k, a in enumerate(args)
        ]
        return columns, _batch_shape(np, [c.shape for c in columns if isinstance(c, np.ndarray)])

    def _sample_matrix(self, np: Any, X: Any) -> Any:
        """A non-empty samples x inputs array of finite numbers (``Lifted.step``'s X)."""

        def where(index: tuple[int, ...] | None) -> str:
            if index is None or len(index) != 2:
                return "X"
            return self._sample_name(index[1], index[:1])

        X = _float_array(np, X, where)
        if X.ndim != 2 or X.shape[1] != self.n_inputs:
            raise ValueError(
                f"X는 (샘플 수 x {self.n_inputs}) 배열이어야 합니다 "
                f"(X must be a samples x {self.n_inputs} array), got {X.shape}"
            )
        if len(X) == 0:
            raise ValueError(EMPTY_BATCH)
        return X

    def _param_vector(self, np: Any, values: Any) -> Any:
        """The parameters as one flat array of finite numbers (a message names a bad one)."""
        n = self.n_inputs

        def where(index: tuple[int, ...] | None) -> str:
            if index is None or len(index) != 1:
                return "매개변수 (parameters)"
            return self._arg_name(n + index[0])

        P = _float_array(np, values, where)
        if P.shape != (len(self.params),):
            raise ValueError(
                f"매개변수는 {len(self.params)}개의 수로 된 1차원 배열이어야 합니다 "
                f"(the parameters must be a flat array of {len(self.params)} numbers), "
                f"got shape {P.shape}"
            )
        return P

    def _rows_to_check(self, count: int) -> list[int]:
        """The samples of a batch the self-check compares: all for "always", else the
        first, middle and last."""
        if self.check == "always":
            return list(range(count))
        return sorted({0, count // 2, count - 1})

    def _call_batch(self, args: list[Any], reduce: str | None) -> tuple[Any, tuple[Any, ...]]:
        fn = self.batch_fn  # raises the install hint when NumPy is missing
        np = _numpy()
        assert np is not None
        arrays, shape = self._columns(np, args)
        # overflow, 0/0 and log of a negative number are errors, as in the eager engine
        with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
            try:
                out, grads = fn(*arrays)
            except FloatingPointError as exc:
                raise DomainError(
                    f"컴파일된 함수를 배치로 계산하지 못했습니다 (compiled function on a batch): "
                    f"NumPy reports '{exc}'. 실패한 표본을 즉시 실행(eager) 엔진으로 돌려 "
                    "어느 연산과 값인지 보세요 (run the failing sample through the eager engine "
                    "to see which operation and value)."
                ) from None
        out = _full(np, out, shape)
        n = self.n_inputs
        in_grads = [_full(np, g, shape) for g in grads[:n]]
        if self._take_check():
            self._check_samples(np, arrays, shape, out, grads)
        if reduce is None:
            return out, tuple(in_grads) + tuple(_full(np, g, shape) for g in grads[n:])
        count = math.prod(shape)
        scale = 1.0 if reduce == "sum" else 1.0 / count
        total = float(out.sum()) * scale
        return total, tuple(g * scale for g in in_grads) + tuple(
            _sum_each(np, grads[n:], shape, scale)
        )

    def _check_samples(
        self, np: Any, arrays: list[Any], shape: tuple[int, ...], out: Any, grads: Sequence[Any]
    ) -> None:
        """The self-check of a batch call, at the samples that ``check`` asks for."""
        n = self.n_inputs
        for k in self._rows_to_check(math.prod(shape)):
            index = np.unravel_index(k, shape)
            at = [float(np.broadcast_to(a, shape)[index]) for a in (*arrays, out, *grads)]
            m = len(arrays)
            where = f"배치의 {k}번째 표본 (sample {k})"
            self._compare(at[:n], at[n:m], at[m], at[m + 1 : m + 1 + n], at[m + 1 + n :], where)


def _check_mode(check: object) -> None:
    if not isinstance(check, str) or check not in CHECKS:
        raise ValueError(
            "check는 'first', 'always', 'never' 중 하나여야 합니다 "
            f"(check must be 'first', 'always' or 'never'), got {check!r}"
        )


def _disagreement(where: str, xs: list[float], what: str, got: float, want: float) -> str:
    """The TraceError of the self-check: what was measured, then the causes it may have."""
    return (
        f"컴파일된 코드와 즉시 실행(eager) 엔진이 다릅니다: {where} {xs}, {what}: "
        f"컴파일 {got!r} 대 즉시 실행 {want!r}. 가능한 원인: f가 .data를 읽어 "
        "분기(if x.data > 0)나 상수를 정했다면 그 선택은 추적한 예시의 것으로 코드에 고정됩니다 "
        "(relu, maximum, minimum, abs 같은 연산을 쓰세요); f가 부를 때마다 다른 값을 냅니다 "
        "(난수, 바깥 상태); 또는 컴파일러의 버그입니다 (예: lift=True가 노드를 잘못 묶음, "
        '알려 주세요). 기본값 check="first"는 첫 호출만 확인합니다: 매번 확인하려면 '
        'check="always". '
        f"(The compiled code and the eager engine disagree at these inputs: {got!r} compiled "
        f"vs {want!r} eager. Possible causes: f reads .data to choose a branch or a number, "
        "which is frozen at the traced example; f gives a different result on each call; a "
        "bug of the compiler, e.g. lift=True grouping nodes wrongly. The default "
        'check="first" checks the first call only; check="always" checks every call.)'
    )


def _agree(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-7, abs_tol=1e-9)


def _eager(
    f: Callable[..., Any], xs: list[float], params: list[Value], values: list[float]
) -> tuple[float, list[float], list[float]] | None:
    """f's output and its gradients (inputs, parameters) at xs with the parameters set to
    ``values``, by the eager engine (None if it fails). The parameters' ``.data`` is put
    back afterwards."""
    from .autodiff import gradients  # autodiff is the Values' interpreter of the same table

    inputs = [Value(x) for x in xs]
    saved = [p.data for p in params]
    try:
        for p, v in zip(params, values):
            p.data = v
        with enable_grad():
            out = f(*inputs)
            if not isinstance(out, Value):
                return None
            grads = [g.data for g in gradients(out, [*inputs, *params], create_graph=False)]
    except (ArithmeticError, ValueError):  # DomainError included
        return None
    finally:
        for p, v in zip(params, saved):
            p.data = v
    n = len(xs)
    return out.data, grads[:n], grads[n:]


def _perturbed(xs: Sequence[float]) -> list[float]:
    """A second point near xs for the compile-time self-check (not a round number)."""
    return [x + 0.0123 * (1.0 + abs(x)) for x in xs]


# --- the arguments of a call: finite real numbers, as the eager engine requires ---------------


def _refuse(x: Any, where: str) -> NoReturn:
    """Raise what the eager engine says of ``x`` (``Value(x)`` checks it), naming where."""
    try:
        Value(x)
    except (TypeError, DomainError) as exc:
        raise type(exc)(f"컴파일된 함수의 {where}: {exc}") from None
    raise TypeError(
        f"컴파일된 함수의 {where}: 숫자로 읽을 수 없습니다 (cannot be read as a number), got {x!r}"
    )


def _number(a: Any, where: Callable[[], str]) -> float:
    """One argument as a finite float, or the engine's error for it (``where()`` names it)."""
    if getattr(a, "ndim", None) == 0 and hasattr(a, "item"):
        a = a.item()  # a 0-d NumPy array
    if isinstance(a, numbers.Real):
        try:
            x = float(a)
        except OverflowError:  # an int beyond the floats: Value says so
            x = math.inf
        if math.isfinite(x):
            return x
    _refuse(a, where())


def _float_array(np: Any, a: Any, where: Callable[[tuple[int, ...] | None], str]) -> Any:
    """A batch argument as a float array; ``where(index)`` names a sample in a message.

    One vectorised test of finiteness; the first bad sample is looked for only on failure.
    """
    try:
        arr = np.asarray(a)
    except ValueError:  # NumPy cannot make one array of rows of different lengths
        raise ValueError(
            f"컴파일된 함수의 {where(None)}: 배치의 행 길이가 서로 다릅니다 "
            "(a ragged batch: its rows have different lengths)"
        ) from None
    if arr.dtype.kind in "fiub":
        arr = arr.astype(float, copy=False)
    else:  # strings, complex numbers, objects: each entry as the engine reads it
        shape = arr.shape
        items = [x.data if isinstance(x, Value) else x for x in arr.ravel().tolist()]
        at = [functools.partial(where, _unravel(np, i, shape)) for i in range(len(items))]
        arr = np.array([_number(x, w) for x, w in zip(items, at)], dtype=float).reshape(shape)
    finite = np.isfinite(arr)
    if not finite.all():
        bad = _unravel(np, int(np.argmin(finite)), arr.shape)  # the first non-finite entry
        _refuse(float(arr[bad]), where(bad))
    return arr


def _unravel(np: Any, i: int, shape: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(int(j) for j in np.unravel_index(i, shape))


def _batch_shape(np: Any, shapes: list[tuple[int, ...]]) -> tuple[int, ...]:
    """The common shape of a call's batch arguments; an empty batch is refused."""
    try:
        shape: tuple[int, ...] = np.broadcast_shapes(*shapes)
    except ValueError:
        raise ValueError(
            "컴파일된 함수의 배치 입력들의 모양이 서로 맞지 않습니다 "
            f"(the batch arguments' shapes do not match: {', '.join(map(str, shapes))})"
        ) from None
    if math.prod(shape) == 0:
        raise ValueError(EMPTY_BATCH)
    return shape


EMPTY_BATCH = "컴파일된 함수에 빈 배치가 들어왔습니다 (an empty batch: the inputs hold no samples)"


def _check_reduce(reduce: object, batch: bool) -> None:
    """``reduce`` is None, "sum" or "mean", and only given with a batch."""
    if reduce not in (None, "sum", "mean"):
        raise ValueError(
            "reduce는 None, 'sum', 'mean' 중 하나여야 합니다 "
            f"(reduce must be None, 'sum' or 'mean'), got {reduce!r}"
        )
    if reduce is not None and not batch:
        raise ValueError(
            "reduce=는 배치 입력에만 쓸 수 있습니다 "
            "(reduce= needs a batch: NumPy arrays or lists as inputs)"
        )


def _is_batch(a: Any) -> bool:
    if isinstance(a, (list, tuple)):
        return True
    # an ndarray can only exist once NumPy has been imported: no need to import it here
    np = sys.modules.get("numpy")
    return np is not None and isinstance(a, np.ndarray) and a.ndim > 0


def _full(np: Any, x: Any, shape: tuple[int, ...]) -> Any:
    """``x`` as an array of the batch shape (a gradient that does not vary is a scalar)."""
    if isinstance(x, np.ndarray) and x.shape == shape:
        return x
    return np.broadcast_to(np.asarray(x, dtype=float), shape).copy()


def _sum_each(np: Any, grads: Sequence[Any], shape: tuple[int, ...], scale: float) -> list[float]:
    """Sum each per-sample gradient over the batch, with one NumPy call for the arrays."""
    result = [0.0] * len(grads)
    full = [k for k, g in enumerate(grads) if isinstance(g, np.ndarray) and g.shape == shape]
    if full:
        stacked = np.stack([grads[k] for k in full]).reshape(len(full), -1)
        for k, s in zip(full, (stacked.sum(axis=1) * scale).tolist()):
            result[k] = s
    full_set = set(full)
    for k, g in enumerate(grads):
        if k not in full_set:
            result[k] = float(np.sum(np.broadcast_to(g, shape))) * scale
    return result


# shadows builtins.compile inside this module on purpose; build calls builtins.compile
def compile(
    f: Callable[..., Any],
    example_inputs: Sequence[Any],
    params: Any = None,
    lift: bool = False,
    check: str = "first",
) -> Compiled:
    """Trace ``f`` once at ``example_inputs`` and compile its forward and backward pass.

    ``f`` takes one Value per example input and returns a scalar Value; it may use Values it
    closes over (a model's parameters). Comparing Values inside ``f`` (``if x > 0``) raises a
    TraceError, because that choice would be frozen into the code. Read the result with
    ``compiled.source``.

    ``params``: the leaves to expose as arguments, whose gradients follow the inputs' in the
    result: a list of leaf Values, or a model (``params=model`` means
    ``model.parameters()``). By default every ``Parameter`` in the graph, in the order the
    Parameters were created, which for ``nn``'s Neuron, Layer and MLP is the order of
    ``model.parameters()``; ``compiled.param_names`` names them (``"L0.n0.w0"``, ...). Other
    leaves are constants.

    Reading ``.data`` inside ``f`` cannot be intercepted, and a branch or a number chosen
    from it is frozen into the code too. So the compiled function checks itself against
    the eager engine, as ``check`` says:

    * ``"first"`` (the default): at a second point near the example, then at the first
      call's inputs (for a batch: its first, middle and last samples). Only the first call:
      a later call with inputs on the other side of a ``.data`` branch is NOT checked;
    * ``"always"``: also every later call, at every sample of a batch (as slow as the eager
      engine: for finding a problem, not for training);
    * ``"never"``: no check.

    A disagreement raises a TraceError with both numbers. ``f`` therefore runs a few more
    times; it should have no side effects. (For a call with ``params=[...]``, the check sets
    the parameters' ``.data`` to those numbers while ``f`` runs, then puts them back.)

    ``lift=True``: also group the nodes that do the same operation side by side (a layer)
    into matrix operations, for fast batches (see ``micrograd_kr.lift``).
    """
    if not isinstance(lift, bool):
        raise TypeError(
            f"lift는 True나 False여야 합니다 (lift must be True or False), got {lift!r}"
        )
    _check_mode(check)
    tr = trace(f, example_inputs, params)
    if lift:
        from .lift import Lifted  # lift builds on this module

        compiled: Compiled = Lifted(tr, f, check=check)
    else:
        compiled = Compiled(tr, f, check=check)
    compiled._self_check()
    return compiled
