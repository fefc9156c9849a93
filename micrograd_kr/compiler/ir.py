"""The intermediate representation: a traced graph as a list of assignments.

Backpropagation is a program transformation. For a fixed graph the forward pass is a list
of assignments, one per node, and the backward pass another list, one per (node, input)
edge::

    v7 = mul(v3, v5)              Assign(target=v7, row=mul, args=(v3, v5))
    g3 = g3 + g7 * v5             GradStep(target=v3, term=g7 * v5, first=False, op="mul'")

``lower(trace)`` numbers the nodes (inputs v0.., then parameters, then every node that
depends on them, in topological order; the rest are constants and stay numbers) and gives
the forward ``Program``. ``backward(program)`` derives the gradient steps from it, with the
local derivatives written by the table's rules run on source text (``symbolic.SYM``).
``codegen.py`` turns both into the scalar program's text; ``lift.py`` groups the forward
assignments into matrix operations instead.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Union

from ..engine import Value
from ..ops import Op
from .symbolic import SYM, Sym, times
from .trace import Trace

__all__ = ["Var", "Arg", "Assign", "GradStep", "Program", "lower", "backward"]


@dataclass(frozen=True)
class Var:
    """Node ``k`` of the program: ``v<k>`` holds its value, ``g<k>`` d(output)/d(it)."""

    k: int

    @property
    def value(self) -> str:
        return f"v{self.k}"

    @property
    def grad(self) -> str:
        return f"g{self.k}"


Arg = Union[Var, float]  # a node of the program, or a constant (its traced number)


@dataclass(frozen=True)
class Assign:
    """``target = row(args)``: the forward line of one node."""

    target: Var
    row: Op
    args: tuple[Arg, ...]


@dataclass(frozen=True)
class GradStep:
    """``g<target> = term`` (the first contribution) or ``g<target> = g<target> + term``.

    ``term`` is d(output)/d(node) times the row's local derivative, as source; ``op`` names
    what it comes from (``"mul'"``: a derivative of the row mul).
    """

    target: Var
    term: Sym
    first: bool
    op: str


@dataclass
class Program:
    """A traced function as assignments.

    Arguments ``v0 ..`` are the inputs, then the parameters; ``forward`` holds one
    ``Assign`` per node that depends on them, in topological order; ``output`` is a node
    or, when it depends on no argument, its number. ``vars`` says which Value of the trace
    each variable stands for.
    """

    n_inputs: int
    n_params: int
    forward: list[Assign]
    output: Arg
    vars: dict[Value, Var]

    @property
    def n_args(self) -> int:
        return self.n_inputs + self.n_params

    def arg(self, v: Value) -> Arg:
        """The variable of a Value of the trace, or its number if it is a constant."""
        return self.vars.get(v, v.data)

    def is_param(self, a: Arg) -> bool:
        return isinstance(a, Var) and self.n_inputs <= a.k < self.n_args


def lower(tr: Trace) -> Program:
    """Number the trace's nodes and write one assignment per node that depends on an argument.

    Every other node is a constant: it enters the assignments as its traced number, so a
    part of a rule made only of constants (b - 1 in pow') is computed once, at codegen,
    exactly as the eager engine computes it.
    """
    vars: dict[Value, Var] = {}
    for v in itertools.chain(tr.inputs, tr.params):
        vars.setdefault(v, Var(len(vars)))
    n_args = len(vars)
    forward: list[Assign] = []
    for node in tr.order:
        if node in vars or not node._prev or not any(p in vars for p in node._prev):
            continue
        assert node._row is not None
        target = vars[node] = Var(len(vars))
        forward.append(Assign(target, node._row, tuple(vars.get(p, p.data) for p in node._prev)))
    out = tr.output
    n_in = len(tr.inputs)
    return Program(n_in, n_args - n_in, forward, vars.get(out, out.data), vars)


def sym(a: Arg) -> Sym | float:
    """An argument as the rules see it: a node's value ``v<k>`` as source, or a number."""
    return Sym(a.value) if isinstance(a, Var) else a


def backward(program: Program) -> list[GradStep]:
    """The backward pass: for each assignment, from the last, one step per live input.

    A rule is written out only for an input that needs a gradient (a node, not a constant);
    a zero local derivative gives no step, and a node the output does not reach none either.
    """
    out = program.output
    if not isinstance(out, Var):
        return []
    steps = [GradStep(out, Sym("1.0"), True, "d(output)/d(output)")]
    assigned = {out}
    for a in reversed(program.forward):
        if a.target not in assigned:
            continue  # the output does not depend on it (or only through a zero derivative)
        row = a.row
        args = [sym(x) for x in a.args]
        node = Sym(a.target.value)
        if row.each is not None:
            local = list(zip(a.args, row.each(SYM, node, args)))
        else:
            local = [
                (x, rule(SYM, node, *args))
                for x, rule in zip(a.args, row.derivatives)
                if isinstance(x, Var)
            ]
        g = Sym(a.target.grad)
        for x, d in local:
            if not isinstance(x, Var):
                continue  # a constant needs no gradient
            term = times(g, d)
            if term is None:
                continue
            steps.append(GradStep(x, term, x not in assigned, row.name + "'"))
            assigned.add(x)
    return steps
