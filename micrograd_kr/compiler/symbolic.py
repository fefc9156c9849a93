"""Source text as values: the table's rules run on ``Sym`` and write expressions.

The fourth interpreter of the derivative table (after floats, Values and tangents): its
"numbers" are pieces of Python source. ``SYM.exp(Sym("v3"))`` is ``Sym("exp(v3)")``, and
``Sym("v3") * 2.0`` is ``Sym("v3 * 2.0")``, with just the parentheses Python needs. Codegen
(``codegen.py``, ``lift.py``) runs each row's rules on Syms to get the right-hand side of an
assignment; only node names, float constants (``repr``) and the names of the table's math
functions (``ops.FUNCTIONS``) ever reach the text.

A Sym also remembers the names it reads (``Name``) and, for a call, its function and
arguments: the lifting pass substitutes a block into the one line that reads it and
recognises ``where(c, 1.0, 0.0)`` from this structure, never by searching the text.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence
from typing import Any, Union

from ..engine import TraceError
from ..messages import say
from ..ops import Function, Interpreter, Math

__all__ = [
    "Sym",
    "Name",
    "Terms",
    "SymMath",
    "SYM",
    "literal",
    "call",
    "call_of",
    "cat",
    "times",
]

# Python operator precedence, enough for the expressions the table writes
CMP, ADD, MUL, NEG, POW, ATOM = 1, 2, 3, 4, 5, 6

Piece = Union[str, "Name"]


class Sym:
    """A piece of generated source with its precedence; operators build bigger pieces.

    ``parts``: the text cut at the names it reads (``Name``), or None when it reads none
    that anyone will substitute (the scalar program: plain text is enough there).
    ``called``: ``(function, arguments)`` when the piece is one call of a math function.
    """

    __slots__ = ("text", "prec", "parts", "called")

    def __init__(
        self,
        text: str,
        prec: int = ATOM,
        parts: tuple[Piece, ...] | None = None,
        called: tuple[str, tuple[Sym, ...]] | None = None,
    ) -> None:
        self.text = text
        self.prec = prec
        self.parts = parts
        self.called = called

    def __repr__(self) -> str:
        return f"Sym({self.text!r})"

    def __bool__(self) -> bool:
        raise TraceError(say("compile.rule_branch"))

    def names(self) -> list[Name]:
        """The substitutable names this piece reads, in order (with repeats)."""
        return [p for p in self.parts or () if isinstance(p, Name)]

    def replace(self, name: Name, by: Sym) -> Sym:
        """This piece with ``by`` written where it reads ``name``: as it is if ``by`` is a
        name or one call, else in parentheses (the same value, evaluated in one go)."""
        inner: tuple[Piece, ...] = by.parts if by.parts is not None else (by.text,)
        if not (by.text.isidentifier() or by.called is not None):
            inner = ("(", *inner, ")")
        parts: list[Piece] = []
        for p in self.parts or ():
            parts.extend(inner if p == name else (p,))
        return Sym("".join(map(str, parts)), self.prec, tuple(parts), self.called)

    # arithmetic
    def __add__(self, other: Any) -> Sym:
        return _binary(self, "+", other, ADD)

    def __radd__(self, other: Any) -> Sym:
        return _binary(other, "+", self, ADD)

    def __sub__(self, other: Any) -> Sym:
        return _binary(self, "-", other, ADD)

    def __rsub__(self, other: Any) -> Sym:
        return _binary(other, "-", self, ADD)

    def __mul__(self, other: Any) -> Sym:
        return _binary(self, "*", other, MUL)

    def __rmul__(self, other: Any) -> Sym:
        return _binary(other, "*", self, MUL)

    def __truediv__(self, other: Any) -> Sym:
        return _binary(self, "/", other, MUL)

    def __rtruediv__(self, other: Any) -> Sym:
        return _binary(other, "/", self, MUL)

    def __pow__(self, other: Any) -> Sym:
        return _binary(self, "**", other, POW)

    def __rpow__(self, other: Any) -> Sym:
        return _binary(other, "**", self, POW)

    def __neg__(self) -> Sym:
        return cat("-", _wrapped(self, NEG), prec=NEG)

    def __pos__(self) -> Sym:
        return self

    # comparisons build conditions for where(...)
    def __lt__(self, other: Any) -> Sym:
        return _binary(self, "<", other, CMP)

    def __le__(self, other: Any) -> Sym:
        return _binary(self, "<=", other, CMP)

    def __gt__(self, other: Any) -> Sym:
        return _binary(self, ">", other, CMP)

    def __ge__(self, other: Any) -> Sym:
        return _binary(self, ">=", other, CMP)

    __hash__ = None  # type: ignore[assignment]


class Name(Sym):
    """A variable of the generated code that another line may be substituted for."""

    __slots__ = ()

    def __init__(self, text: str) -> None:
        super().__init__(text, ATOM, None)
        self.parts = (self,)

    def __str__(self) -> str:
        return self.text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Name) and other.text == self.text

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(self.text)


def cat(*pieces: str | Sym, prec: int = ATOM) -> Sym:
    """Text and Syms side by side as one Sym (the names of the Syms are kept; one Sym alone
    stays what it is, a call for instance, with the precedence given)."""
    if len(pieces) == 1 and isinstance(pieces[0], Sym):
        one = pieces[0]
        return Sym(one.text, prec, one.parts, one.called)
    if not any(isinstance(p, Sym) and p.parts is not None for p in pieces):
        return Sym("".join(p if isinstance(p, str) else p.text for p in pieces), prec)
    parts: list[Piece] = []
    for p in pieces:
        if isinstance(p, str):
            parts.append(p)
        elif p.parts is not None:
            parts.extend(p.parts)
        else:
            parts.append(p.text)
    return Sym("".join(map(str, parts)), prec, tuple(parts))


def literal(x: Any) -> Sym:
    """A number as source text: ``repr(float(x))`` of a finite real number, nothing else.

    ``float(x)`` first: a NumPy scalar or a float subclass (whose ``__repr__`` could print
    anything) becomes a plain float, whose repr is always a float literal.
    """
    if isinstance(x, Sym):
        return x
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TraceError(say("compile.constant_not_number", x=x))
    value = float(x)
    if not math.isfinite(value):
        raise TraceError(say("compile.constant_not_finite", x=value))
    text = repr(value)
    negative = text.startswith("-")
    return Sym(text, NEG if negative else ATOM)


def _wrapped(s: Sym, prec: int) -> Sym:
    return cat("(", s, ")") if s.prec < prec else s


def wrap(s: Sym, prec: int) -> str:
    """``s`` as text inside an expression of precedence ``prec``."""
    return f"({s.text})" if s.prec < prec else s.text


def _binary(a: Any, op: str, b: Any, prec: int) -> Sym:
    left, right = literal(a), literal(b)
    if left.parts is None and right.parts is None:  # plain text (the scalar program): quick
        if op == "**":
            return Sym(f"{wrap(left, prec + 1)} ** {wrap(right, prec)}", prec)
        if prec == CMP:
            return Sym(f"{wrap(left, prec + 1)} {op} {wrap(right, prec + 1)}", prec)
        return Sym(f"{wrap(left, prec)} {op} {wrap(right, prec + 1)}", prec)
    if op == "**":  # right-associative, and binds tighter than a unary minus on its left
        return cat(_wrapped(left, prec + 1), " ** ", _wrapped(right, prec), prec=prec)
    if prec == CMP:  # never chain comparisons
        return cat(_wrapped(left, prec + 1), f" {op} ", _wrapped(right, prec + 1), prec=prec)
    # left-associative: a - (b - c) keeps its parentheses, so the evaluation order is kept too
    return cat(_wrapped(left, prec), f" {op} ", _wrapped(right, prec + 1), prec=prec)


def call(name: str, *args: Any) -> Sym:
    """``name(arg, ...)`` of a math function; numbers become float literals."""
    return call_of(name, tuple(literal(a) for a in args))


def call_of(name: str, args: tuple[Sym, ...]) -> Sym:
    """``name(arg, ...)``, remembering the function and its arguments."""
    pieces: list[str | Sym] = [f"{name}("]
    for i, s in enumerate(args):
        pieces += [", ", s] if i else [s]
    out = cat(*pieces, ")")
    out.called = (name, args)
    return out


class SymMath(Interpreter):
    """The math namespace of the derivative table, printing source instead of computing.

    Every function of ``ops.FUNCTIONS`` is written as a call of its name; the few below
    decide what constants alone decide once, here, or are written out inline."""

    def implement(self, f: Function) -> Any:
        return lambda *xs: call(f.name, *xs)

    @staticmethod
    def gt(a: Any, b: Any) -> Any:
        if not isinstance(a, Sym) and not isinstance(b, Sym):
            return a > b  # constants: decided here, once
        return _binary(a, ">", b, CMP)

    @staticmethod
    def lt(a: Any, b: Any) -> Any:
        if not isinstance(a, Sym) and not isinstance(b, Sym):
            return a < b
        return _binary(a, "<", b, CMP)

    @staticmethod
    def where(cond: Any, a: Any, b: Any) -> Any:
        if not isinstance(cond, Sym):  # decided by constants alone: the same for every sample
            return a if cond else b
        if a is b:  # both branches are the same expression: no choice to make
            return a
        return call("where", cond, a, b)

    @staticmethod
    def maximum(*xs: Any) -> Any:
        if len(xs) == 1:
            return xs[0]
        return call("maximum", *xs)

    @staticmethod
    def sum(xs: Sequence[Any]) -> Sym:
        # written out as x1 + x2 + ..., the same left-to-right order as Python's sum()
        return sum_terms(list(xs))

    @staticmethod
    def dot(ws: Iterable[Any], xs: Iterable[Any]) -> Sym:
        return sum_terms([literal(w) * x for w, x in zip(ws, xs)])


class Terms(Sym):
    """A sum t1 + t2 + ... kept as its list of terms, so a long one can span several lines."""

    __slots__ = ("terms",)

    def __init__(self, terms: list[Sym]) -> None:
        self.terms = terms
        joined = join_terms(terms)
        super().__init__(joined.text, ADD, joined.parts)


def join_terms(terms: Sequence[Sym]) -> Sym:
    """``t1 + t2 + ...``: the same text as ((t1 + t2) + t3) + ..., built in linear time."""
    if all(t.parts is None for t in terms):
        parts = [wrap(terms[0], ADD)] + [wrap(t, ADD + 1) for t in terms[1:]]
        return Sym(" + ".join(parts), ADD)
    pieces: list[str | Sym] = [_wrapped(terms[0], ADD)]
    for t in terms[1:]:
        pieces += [" + ", _wrapped(t, ADD + 1)]
    return cat(*pieces, prec=ADD)


def sum_terms(terms: list[Any]) -> Sym:
    if not terms:
        return literal(0.0)
    if len(terms) == 1:
        return literal(terms[0])
    return Terms([literal(t) for t in terms])


def times(g: Sym, d: Any) -> Sym | None:
    """The source of g * d, skipping what changes nothing (d = 0, 1, -1)."""
    if not isinstance(d, Sym):
        if d == 0:
            return None
        if d == 1:
            return g
        if d == -1:
            return -g
    return g * d


SYM: Math = SymMath()
