"""Lifting: group the assignments of a program into matrix operations, one line per layer.

The scalar program (``codegen.scalar_source``) has one NumPy line per node; on a batch each
line handles all samples, but a layer of 16 neurons is still 16 lines, and every parameter
gradient is a per-sample array that is summed at the end. This pass reads the forward
assignments of the IR (``ir.Program``) and groups those that do *the same thing* side by side:

* the ``dot`` assignments of a layer read the same inputs with their own weights: together
  they are ``V = X @ T(W)`` (``T(W)`` is the transpose of ``W``), with ``W`` the layer's
  weight matrix;
* the bias additions and activations that follow are elementwise over that group:
  ``V + b``, ``where(V > 0.0, V, 0.0)``, written by the same derivative table as the scalar code;
* backward, the weight gradient ``T(G) @ X`` sums over the batch inside the matrix product,
  and the input gradient is ``G @ W``. No parameter gradient is ever a per-sample array.

A block ``V`` holds one row per sample and one column per scalar node of the group, and every
line names the scalar nodes it covers (``v12 .. v27``: the numbers of ``scalar_source``).
Assignments that do not group stay scalar lines on columns, so any graph still compiles.

The lines are built as (target, expression) pairs whose expressions know the block names they
read (``symbolic.Name``); a block that only the next line reads is written into that line
(``V2 = (X @ T(W1)) + b1``) by substituting the expression for the name, and the text is made
once, at the end. ``runtime.py`` runs the result.

>>> from micrograd_kr import nn
>>> from micrograd_kr.compiler import compile
>>> model = nn.MLP(2, [4, 1], seed=0)
>>> c = compile(lambda a, b: model([a, b]), [0.5, -1.0], lift=True)
>>> next(line for line in c.source.splitlines() if "@ T(W1)" in line).split("#")[0].strip()
'V2 = (X @ T(W1)) + b1'
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .codegen import (
    LINE_CHARS,
    assignment_lines,
    check_source,
    commented,
    def_lines,
    return_lines,
    sum_lines,
)
from .ir import Arg, Assign, Program, Var
from .symbolic import SYM, Name, Sym, call_of, cat, join_terms, literal, times

__all__ = ["LiftedSource", "lift_source", "check_lifted_source", "helpers", "HELPERS"]


# The matrix helpers the lifted code may call, besides the table's math functions.
HELPERS = (
    "T",  # transpose of a matrix
    "col",  # col(A, j): column j of a block, one value per sample
    "cols",  # cols(A, i, j): columns i .. j-1 of a block
    "column",  # column(c): a per-sample column as an N x 1 block (for broadcasting)
    "spread",  # spread(c, k): a column repeated k times, N x k
    "stack",  # stack(c1, c2, ...): columns side by side, N x k
    "pad",  # pad(G, i, k): G placed at columns i.. of an N x k block of zeros
    "sum0",  # sum over the samples (the batch axis)
    "rowsum",  # sum over the columns of each row
    "rowdot",  # rowdot(A, B): per-sample dot product of two blocks
    "total",  # sum of everything: a per-sample term reaching a shared value
)


def helpers(np: Any) -> dict[str, Any]:
    """What the helpers of ``HELPERS`` mean, with NumPy (the runtime's namespace)."""

    def stack(*cs: Any) -> Any:
        return np.stack(np.broadcast_arrays(*cs), axis=1)

    def pad(g: Any, start: int, width: int) -> Any:
        out = np.zeros((g.shape[0], width))
        out[:, start : start + g.shape[1]] = g
        return out

    return {
        "T": lambda a: a.T,
        "col": lambda a, j: a[:, j],
        "cols": lambda a, i, j: a[:, i:j],
        "column": lambda c: c[:, None],
        "spread": lambda c, k: np.broadcast_to(c[:, None], (c.shape[0], k)),
        "stack": stack,
        "pad": pad,
        # a product with a row of ones: BLAS adds up the rows several times faster than sum()
        "sum0": lambda a: np.ones(a.shape[0]) @ a,
        "rowsum": lambda a: a.sum(axis=1),
        "rowdot": lambda a, b: np.einsum("ij,ij->i", a, b),
        "total": lambda a: np.sum(a),
    }


def _is_block(text: str) -> bool:
    """V3, G3, D3, S3: a block that one line computes and (perhaps) one other line reads."""
    return len(text) > 1 and text[0] in "VGDS" and text[1:].isdigit()


def ref(text: str) -> Sym:
    """A variable read in an expression; a block is a ``Name``, so it can be substituted."""
    return Name(text) if _is_block(text) else Sym(text)


def helper(name: str, *args: Sym | int) -> Sym:
    """``name(arg, ...)``: a call of a matrix helper (column numbers stay integers)."""
    return call_of(name, tuple(a if isinstance(a, Sym) else Sym(str(a)) for a in args))


@dataclass
class Line:
    """``target = expr``, with a note naming what it computes."""

    target: str
    expr: Sym
    note: str

    @property
    def code(self) -> str:
        return f"{self.target} = {self.expr.text}"


def _lines(pairs: list[tuple[str, Sym]], note: str) -> list[Line]:
    """Assignment pairs (a long sum over several) with the note; the rest are continued."""
    return [Line(t, e, note if i == 0 else note + " (continued)") for i, (t, e) in enumerate(pairs)]


# --- the units of the lifted program ------------------------------------------------------------


@dataclass(eq=False)
class _Unit:
    """A group of nodes computed by one line (a block), or a single node (a scalar line)."""

    kind: str  # "input", "group", "dot", "scalar", "rowsum", "rowdot"
    nodes: list[Var]
    name: str  # the variable holding its value
    batch: bool  # varies per sample (a block or column), else one number for the batch
    args: list[tuple[str, Any]] = field(default_factory=list)  # per position: (kind, detail)
    size: int = 1

    @property
    def block(self) -> bool:
        return self.kind in ("input", "group", "dot")


View = tuple[Sym, _Unit, int]  # an N x k block read from a unit: its source, unit, first column


@dataclass
class LiftedSource:
    """The lifted program's text and where its arguments come from.

    ``param_blocks``: per block argument (W1, b1, ...), the parameter positions it holds (a
    k x n nested list for a weight matrix, a list for a bias vector); ``scalar_params``: the
    positions of the parameters passed one by one; ``width``: the widest block (columns).
    """

    source: str
    param_blocks: list[tuple[str, list[Any]]]
    scalar_params: list[int]
    width: int


class _Lifter:
    """Builds the lifted source for one program (see ``lift_source``)."""

    def __init__(self, program: Program, grad_inputs: bool, extras: Sequence[Arg]) -> None:
        self.program = program
        self.grad_inputs = grad_inputs
        self.extras = list(extras)
        n_in = program.n_inputs
        self.inputs = [Var(k) for k in range(n_in)]
        self.params = {Var(k) for k in range(n_in, program.n_args)}
        self.assign: dict[Var, Assign] = {a.target: a for a in program.forward}
        self.batch: set[Var] = set(self.inputs)
        self.wants: set[Var] = self.params | (set(self.inputs) if grad_inputs else set())
        level: dict[Var, int] = {Var(k): 0 for k in range(program.n_args)}
        for a in program.forward:
            live_args = [x for x in a.args if isinstance(x, Var)]
            level[a.target] = 1 + max(level[x] for x in live_args)
            if any(x in self.batch for x in live_args):
                self.batch.add(a.target)
            if any(x in self.wants for x in live_args):
                self.wants.add(a.target)  # on a path to something we want the gradient of
        self.live = [a.target for a in program.forward]
        self.level = level
        self.units: list[_Unit] = []
        self.unit_of: dict[Var, tuple[_Unit, int]] = {}
        self.param_blocks: list[tuple[str, list[Any]]] = []  # name, nested parameter positions
        self.scalar_params: list[Var] = []
        self.forward: list[Line] = []
        self.extracted: set[Var] = set()
        self.counter = itertools.count(1)
        self.block_counter = {"W": itertools.count(1), "b": itertools.count(1)}

    # -- names and references ------------------------------------------------------------------

    def args_of(self, node: Var) -> tuple[Arg, ...]:
        return self.assign[node].args

    def param_pos(self, p: Arg) -> int:
        assert isinstance(p, Var)
        return p.k - self.program.n_inputs

    def nodes_text(self, nodes: Sequence[Var]) -> str:
        """``v9 .. v24`` for consecutive numbers, else the first few and a count."""
        nums = [n.k for n in nodes]
        if len(nums) == 1:
            return f"v{nums[0]}"
        if nums == list(range(nums[0], nums[0] + len(nums))):
            return f"v{nums[0]} .. v{nums[-1]}"
        return f"v{nums[0]}, v{nums[1]}, ..., v{nums[-1]} ({len(nums)} nodes)"

    def column_ref(self, node: Var) -> str:
        """A name for one node's value: a per-sample column, or a number for the batch."""
        if node in self.unit_of:
            unit, j = self.unit_of[node]
            if unit.block and node not in self.extracted:
                self.extracted.add(node)
                self.forward.append(Line(node.value, helper("col", ref(unit.name), j), "column"))
            return node.value
        if node in self.params and node not in self.scalar_params:
            self.scalar_params.append(node)
        return node.value  # a parameter, or a scalar line's own variable

    def view(self, nodes: Sequence[Arg]) -> View | None:
        """The nodes as an N x len block: a whole block, or consecutive columns of one."""
        if not nodes or not all(n in self.batch and n in self.unit_of for n in nodes):
            return None
        vs: list[Var] = [n for n in nodes if isinstance(n, Var)]
        unit, start = self.unit_of[vs[0]]
        if not unit.block:
            if len(vs) == 1:
                return helper("column", ref(unit.name)), unit, 0
            return None
        for k, n in enumerate(vs):
            if self.unit_of[n] != (unit, start + k):
                return None
        if start == 0 and len(vs) == unit.size:
            return ref(unit.name), unit, 0
        return helper("cols", ref(unit.name), start, start + len(vs)), unit, start

    def param_block(self, kind: str, params: list[Any]) -> str:
        name = f"{kind}{next(self.block_counter[kind])}"
        if kind == "W":
            positions: list[Any] = [[self.param_pos(p) for p in row] for row in params]
        else:
            positions = [self.param_pos(p) for p in params]
        self.param_blocks.append((name, positions))
        return name

    def add_unit(self, unit: _Unit) -> None:
        self.units.append(unit)
        for j, n in enumerate(unit.nodes):
            self.unit_of[n] = (unit, j)

    # -- grouping ----------------------------------------------------------------------------------

    def position_key(self, a: Arg) -> tuple[Any, ...]:
        if not isinstance(a, Var):
            return ("c", repr(a))
        if a in self.params:
            return ("p",)
        if a not in self.batch:
            return ("s", a.k)
        return ("u", id(self.unit_of[a][0]))

    def dot_key(self, node: Var) -> tuple[Any, ...] | None:
        args = self.args_of(node)
        n = len(args) // 2
        halves = (args[:n], args[n:])
        for side in (0, 1):
            ps, xs = halves[side], halves[1 - side]
            if all(p in self.params for p in ps) and all(x in self.batch for x in xs):
                return ("dot-layer", side, tuple(x.k for x in xs if isinstance(x, Var)))
        return None

    def lift(self) -> str:
        self.add_unit(_Unit("input", list(self.inputs), "X", True, size=len(self.inputs)))
        by_level: dict[int, list[Var]] = {}
        for node in self.live:
            by_level.setdefault(self.level[node], []).append(node)
        for lvl in sorted(by_level):
            buckets: dict[tuple[Any, ...], list[Var]] = {}
            for node in by_level[lvl]:
                a = self.assign[node]
                if node not in self.batch:
                    key: tuple[Any, ...] = ("static", node.k)
                elif a.row.name == "dot" and (dk := self.dot_key(node)) is not None:
                    key = dk
                else:
                    key = (a.row.name, tuple(self.position_key(x) for x in a.args))
                buckets.setdefault(key, []).append(node)
            for key, members in buckets.items():
                if key[0] == "dot-layer":
                    self.make_dot(members, key[1])
                elif key[0] in ("static", "sum", "dot") and len(members) == 1:
                    self.make_scalar(members[0])  # a row sum or row dot product, if it can
                elif key[0] == "static" or not self.make_group(members):
                    for node in members:
                        self.make_scalar(node)
        return self.emit()

    def make_dot(self, members: list[Var], side: int) -> None:
        n = len(self.args_of(members[0])) // 2
        # neuron order: the order of their weights among the parameters (the graph walk may
        # meet the neurons of a layer in another order), so the next layer reads the block as is
        members = sorted(
            members,
            key=lambda m: min(self.param_pos(p) for p in self.args_of(m)[side * n : side * n + n]),
        )
        halves = [(self.args_of(m)[:n], self.args_of(m)[n:]) for m in members]
        weights = [list(h[side]) for h in halves]
        xs = list(halves[0][1 - side])
        unit = _Unit("dot", members, f"V{next(self.counter)}", True, size=len(members))
        found = self.view(xs)
        x: Sym
        if found is None:
            x_name = f"S{unit.name[1:]}"
            refs = [Sym(self.column_ref(v)) for v in xs if isinstance(v, Var)]
            self.forward.append(Line(x_name, helper("stack", *refs), "inputs of " + unit.name))
            x = ref(x_name)
            unit.args = [("gather", xs), ("weights", self.param_block("W", weights))]
        else:
            x = found[0]
            unit.args = [("view", (xs, found)), ("weights", self.param_block("W", weights))]
        unit.args.append(("x", x))
        self.add_unit(unit)
        w_name = unit.args[1][1]
        note = f"dot: {self.nodes_text(members)}"
        self.forward.append(Line(unit.name, cat(x, " @ ", helper("T", Sym(w_name))), note))

    def make_group(self, members: list[Var]) -> bool:
        """Group nodes of one op whose inputs line up; False when they do not."""
        k = len(members)
        node0 = members[0]
        positions: list[tuple[str, Any]] = []
        order: list[int] | None = None
        for i, a0 in enumerate(self.args_of(node0)):
            args = [self.args_of(m)[i] for m in members]
            if not isinstance(a0, Var):
                positions.append(("const", a0))
            elif a0 in self.params:
                positions.append(("params", args))
            elif a0 not in self.batch:
                positions.append(("static", a0))
            else:
                unit = self.unit_of[a0][0]
                idx = [self.unit_of[a][1] for a in args]  # type: ignore[index]
                lo = min(idx)
                if unit.block and sorted(idx) == list(range(lo, lo + k)):
                    # node j of the group reads column lo + j of a block (or a run of them)
                    if order is None:
                        order = sorted(range(k), key=idx.__getitem__)
                    if [idx[j] for j in order] != list(range(lo, lo + k)):
                        return False
                    positions.append(("aligned", (unit, lo)))
                elif all(a == a0 for a in args):
                    positions.append(("shared", a0))
                else:
                    return False
        if k == 1 and not any(kind == "aligned" and d[0].size == 1 for kind, d in positions):
            return False  # not the next step of a one-node block: a scalar line reads better
        if k > 1 and not any(kind in ("aligned", "params") for kind, _ in positions):
            # the members read the very same inputs (x.tanh() + x.tanh()): every input is one
            # column or number, so the line would give one column where the block has k
            return False
        if order is None:
            order = list(range(k))
        members = [members[j] for j in order]
        unit = _Unit("group", members, f"V{next(self.counter)}", True, size=k)
        for kind, detail in positions:
            if kind == "params":
                detail = self.param_block("b", [detail[j] for j in order])
            unit.args.append((kind, detail))
        self.add_unit(unit)
        row = self.assign[node0].row
        expr = literal(row.forward(SYM, *self.group_syms(unit)))
        note = f"{row.name}: {self.nodes_text(members)}"
        self.forward.append(Line(unit.name, expr, note))
        return True

    def make_scalar(self, node: Var) -> None:
        a = self.assign[node]
        name = a.row.name
        batch = node in self.batch
        unit = _Unit("scalar", [node], node.value, batch)
        if batch and name in ("sum", "dot"):
            if name == "sum" and (found := self.view(a.args)) is not None:
                unit.kind, unit.args = "rowsum", [("view", (list(a.args), found))]
            n = len(a.args) // 2
            if name == "dot" and n > 1:
                left, right = self.view(a.args[:n]), self.view(a.args[n:])
                if left is not None and right is not None:
                    unit.kind = "rowdot"
                    unit.args = [
                        ("view", (list(a.args[:n]), left)),
                        ("view", (list(a.args[n:]), right)),
                    ]
        self.add_unit(unit)
        if unit.kind == "rowsum":
            self.forward.append(Line(unit.name, helper("rowsum", unit.args[0][1][1][0]), "sum"))
            return
        if unit.kind == "rowdot":
            left_sym, right_sym = unit.args[0][1][1][0], unit.args[1][1][1][0]
            self.forward.append(Line(unit.name, helper("rowdot", left_sym, right_sym), "dot"))
            return
        expr = literal(a.row.forward(SYM, *[self.arg_sym(p) for p in a.args]))
        self.forward += _lines(assignment_lines(unit.name, expr), name)

    def arg_sym(self, p: Arg) -> Any:
        return Sym(self.column_ref(p)) if isinstance(p, Var) else p

    def group_syms(self, unit: _Unit) -> list[Any]:
        """The group's inputs as source: blocks, N x 1 columns, parameter vectors, numbers."""
        syms: list[Any] = []
        for kind, detail in unit.args:
            if kind == "const":
                syms.append(detail)
            elif kind == "params":
                syms.append(Sym(detail))
            elif kind == "static":
                syms.append(Sym(self.column_ref(detail)))
            elif kind == "aligned":
                owner, lo = detail
                whole = lo == 0 and owner.size == unit.size
                block = ref(owner.name)
                syms.append(block if whole else helper("cols", block, lo, lo + unit.size))
            else:  # shared: the same node for every member, as an N x 1 column
                owner, j = self.unit_of[detail]
                if owner.block:
                    syms.append(helper("cols", ref(owner.name), j, j + 1))
                else:
                    syms.append(helper("column", ref(owner.name)))
        return syms

    # -- backward ----------------------------------------------------------------------------------

    def emit(self) -> str:
        out = self.program.output
        out_sym = Sym(self.column_ref(out)) if isinstance(out, Var) else literal(out)
        extras_sym = None
        if self.extras:
            found = self.view(self.extras)
            if found is not None and found[0].text.isidentifier():
                extras_sym = found[0]
            else:
                extras_sym = helper("stack", *[literal(self.arg_sym(e)) for e in self.extras])
        self.bc: dict[_Unit, list[Sym]] = {}
        self.cc: dict[Var, list[Sym]] = {}
        self.pc: dict[str, list[Sym]] = {}
        backward: list[Line] = []
        if isinstance(out, Var) and out in self.wants:
            dout = Sym("dout")
            self.cc[out] = [dout if out in self.batch else helper("total", dout)]
        for unit in reversed(self.units[1:]):
            backward += self.unit_backward(unit)
        grads: list[Sym] = []
        for name, _ in self.param_blocks:
            parts = self.pc.get(name, [])
            if parts:
                backward += _lines(sum_lines(f"g{name}", parts), f"d(output)/d({name})")
                grads.append(Sym(f"g{name}"))
            else:
                grads.append(Sym("0.0"))
        for p in self.scalar_params:
            parts = self.cc.get(p, [])
            if parts:
                backward += _lines(sum_lines(p.grad, parts), "parameter")
                grads.append(Sym(p.grad))
            else:
                grads.append(Sym("0.0"))
        if self.grad_inputs:
            lines, g = self.block_grad(self.units[0], "GX")
            backward += lines
            grads.append(g if g is not None else Sym("0.0"))
        return self.render(backward, out_sym, grads, extras_sym)

    def block_grad(self, unit: _Unit, name: str) -> tuple[list[Line], Sym | None]:
        """The line that sums a block's gradient from its parts; the name to read it by."""
        parts = list(self.bc.get(unit, []))
        lines: list[Line] = []
        columns = [self.cc.get(n, []) for n in unit.nodes]
        if any(columns):
            texts: list[Sym] = []
            for node, column in zip(unit.nodes, columns):
                text = _join(column) if column else Sym("0.0")
                if len(text.text) > LINE_CHARS:  # a long sum gets its own lines first
                    lines += _lines(sum_lines(node.grad, column), f"d(output)/d({node.value})")
                    text = Sym(node.grad)
                texts.append(text)
            if unit.size == 1:
                parts.append(helper("column", texts[0]))
            else:
                parts.append(helper("stack", *texts))
        if not parts:
            return [], None
        if len(parts) == 1 and parts[0].text.isidentifier():
            return lines, parts[0]  # no need for a copy: nothing is changed in place
        return lines + _lines(sum_lines(name, parts), f"d(output)/d({unit.name})"), ref(name)

    def unit_backward(self, unit: _Unit) -> list[Line]:
        if not any(n in self.wants for n in unit.nodes):
            return []
        g: Sym | None
        if unit.block:
            lines, g = self.block_grad(unit, "G" + unit.name[1:])
        else:
            node = unit.nodes[0]
            parts = self.cc.get(node, [])
            lines, g = [], None
            if parts:
                if len(parts) == 1 and parts[0].text.isidentifier():
                    g = parts[0]
                else:
                    lines += _lines(sum_lines(node.grad, parts), f"d(output)/d({unit.name})")
                    g = Sym(node.grad)
        if g is None:
            return lines  # the output does not depend on it
        row = self.assign[unit.nodes[0]].row
        note = row.name + "'"
        if unit.kind == "dot":
            (xkind, xdetail), (_, w_name), (_, x) = unit.args
            self.pc.setdefault(w_name, []).append(cat(helper("T", g), " @ ", x, prec=3))
            xs = xdetail if xkind == "gather" else xdetail[0]
            if any(v in self.wants for v in xs):
                d = "D" + unit.name[1:]
                # one node: an outer product, which broadcasting does faster than BLAS
                op = "*" if unit.size == 1 else "@"
                product = cat(g, f" {op} ", Sym(w_name))
                lines.append(Line(d, product, note + " (to its inputs)"))
                if xkind == "gather":
                    for i, v in enumerate(xs):
                        self.cc.setdefault(v, []).append(helper("col", ref(d), i))
                else:
                    self.route(xdetail, ref(d))
        elif unit.kind == "group":
            need = [
                kind != "const" and (kind == "params" or self.wanted(kind, detail))
                for kind, detail in unit.args
            ]
            local = _local(row, ref(unit.name), self.group_syms(unit), need)
            for (kind, detail), d, needed in zip(unit.args, local, need):
                if not needed:
                    continue
                term = _gate(g, d)
                if term is None:
                    continue
                if kind == "aligned":
                    owner, lo = detail
                    view = (owner.nodes[lo : lo + unit.size], (Sym(""), owner, lo))
                    self.route(view, term, term.prec)
                elif kind == "shared":
                    self.cc.setdefault(detail, []).append(helper("rowsum", term))
                elif kind == "static":
                    self.cc.setdefault(detail, []).append(helper("total", term))
                else:
                    self.pc.setdefault(detail, []).append(helper("sum0", term))
        elif unit.kind == "rowsum":
            view = unit.args[0][1]
            if any(v in self.wants for v in view[0]):
                self.route(view, helper("spread", g, len(view[0])))
        elif unit.kind == "rowdot":
            (_, left), (_, right) = unit.args
            if any(v in self.wants for v in left[0]):
                self.route(left, cat(helper("column", g), " * ", right[1][0]))
            if any(v in self.wants for v in right[0]):
                self.route(right, cat(helper("column", g), " * ", left[1][0]))
        else:
            self.scalar_backward(unit, g)
        return lines

    def wanted(self, kind: str, detail: Any) -> bool:
        if kind == "aligned":
            return any(n in self.wants for n in detail[0].nodes)
        return bool(detail in self.wants)

    def route(self, view: tuple[list[Any], View], term: Sym, prec: int = 3) -> None:
        """Send an N x len gradient to the block (or column) the view reads from."""
        nodes, (_, unit, start) = view
        if not unit.block:
            self.cc.setdefault(nodes[0], []).append(helper("col", term, 0))
        elif start == 0 and len(nodes) == unit.size:
            self.bc.setdefault(unit, []).append(cat(term, prec=prec))
        else:
            self.bc.setdefault(unit, []).append(helper("pad", term, start, unit.size))

    def scalar_backward(self, unit: _Unit, g: Sym) -> None:
        node = unit.nodes[0]
        a = self.assign[node]
        args = [self.arg_sym(p) for p in a.args]
        need = [isinstance(p, Var) and p in self.wants for p in a.args]
        local = _local(a.row, Sym(unit.name), args, need)
        for parent, d, needed in zip(a.args, local, need):
            if not needed:
                continue
            term = times(g, d)
            if term is None:
                continue
            assert isinstance(parent, Var)
            if unit.batch and parent not in self.batch:
                term = helper("total", term)  # summed over the samples
            self.cc.setdefault(parent, []).append(term)

    # -- the text ----------------------------------------------------------------------------------

    def render(self, backward: list[Line], out: Sym, grads: list[Sym], extras: Sym | None) -> str:
        args = ["X"] + [name for name, _ in self.param_blocks]
        args += [p.value for p in self.scalar_params] + ["dout"]
        n_in = len(self.inputs)
        lines = [
            "# generated by micrograd_kr.lift: the scalar graph as matrix operations",
            f"# X: one row per sample, columns = inputs v0 .. v{n_in - 1}"
            if n_in > 1
            else "# X: one row per sample, one column: input v0",
            "# W/b: parameter blocks; V: values of node groups (samples x nodes); "
            "G = d(output)/d(V)",
        ]
        lines += def_lines(", ".join(args))
        pieces: list[str | Sym] = [out, ", ("]
        for i, g in enumerate(grads):
            pieces += [", ", g] if i else [g]
        pieces.append(",)" if len(grads) == 1 else ")")
        if extras is not None:
            pieces += [", ", extras]
        result = cat(*pieces)
        fwd, backward = _inline(self.forward, backward, result)
        pairs = [(line.code, line.note) for line in fwd + backward]
        width = min(60, max((len(code) for code, _ in pairs), default=0))
        lines.append("    # forward: one line per group of nodes (a layer operation)")
        lines += _commented([(line.code, line.note) for line in fwd], width)
        lines.append("    # backward: parameter gradients are summed over the samples as they go")
        lines += _commented([(line.code, line.note) for line in backward], width)
        lines += return_lines(result.text, len(result.text) <= 88, "", result.text)
        return "\n".join(lines) + "\n"


def _inline(
    forward: list[Line], backward: list[Line], result: Sym
) -> tuple[list[Line], list[Line]]:
    """Write a block that only the next line reads into that line: ``V2 = (X @ T(W1)) + b1``.

    The same arithmetic; the intermediate array is freed at once, so its memory is reused
    while still in the cache (fewer arrays alive per chunk of rows), and one name less to read.
    """
    lines = [(line, True) for line in forward] + [(line, False) for line in backward]
    uses: dict[Name, int] = {}
    defined: dict[str, int] = {}
    for line, _ in lines:
        defined[line.target] = defined.get(line.target, 0) + 1
        for name in line.expr.names():
            uses[name] = uses.get(name, 0) + 1
    for name in result.names():
        uses[name] = uses.get(name, 0) + 1
    out: list[tuple[Line, bool]] = []
    for line, is_forward in lines:
        if out:
            prev, prev_forward = out[-1]
            block = Name(prev.target)
            if (
                _is_block(prev.target)
                and defined[prev.target] == 1
                and uses.get(block) == 1
                and prev_forward == is_forward
                and line.expr.names().count(block) == 1
                and len(line.code) + len(prev.expr.text) <= 80
            ):
                # forward: both lines' nodes; backward: what the target is
                note = f"{prev.note}; {line.note}" if is_forward else line.note
                line = Line(line.target, line.expr.replace(block, prev.expr), note)
                out.pop()
        out.append((line, is_forward))
    return [line for line, f in out if f], [line for line, f in out if not f]


def _commented(pairs: Sequence[tuple[str, str]], width: int) -> list[str]:
    """``commented``; a long call (``stack`` of a wide block's columns) is wrapped after its
    commas, the note on its first line (Python joins lines inside parentheses)."""
    lines: list[str] = []
    for code, note in pairs:
        first, *rest = _wrap_args(code)
        lines += commented([(first, note)], width)
        lines += [" " * 8 + piece for piece in rest]
    return lines


def _wrap_args(code: str) -> list[str]:
    """The layout of a long line: cut after commas inside parentheses into pieces of about
    ``LINE_CHARS`` (the code itself is not changed: Python joins the pieces)."""
    pieces: list[str] = []
    start = depth = 0
    cut = -1
    for i, ch in enumerate(code):
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth > 0:
            cut = i + 1
        if i - start >= LINE_CHARS and cut > start:
            pieces.append(code[start:cut])
            start = cut + 1 if code[cut : cut + 1] == " " else cut
    pieces.append(code[start:])
    return pieces


def _join(parts: Sequence[Sym]) -> Sym:
    return join_terms(parts) if len(parts) > 1 else parts[0]


def _local(row: Any, out: Sym, args: list[Any], need: list[bool]) -> list[Any]:
    """The table's local derivatives as source, written only for the inputs that need one."""
    if row.each is not None:  # an n-ary row lists every input's derivative at once
        return list(row.each(SYM, out, args))
    return [rule(SYM, out, *args) if n else None for rule, n in zip(row.derivatives, need)]


def _gate(g: Sym, d: Any) -> Sym | None:
    """g * d; for d = where(c, 1.0, 0.0) (relu') written where(c, g, 0.0): one pass, not two."""
    if isinstance(d, Sym) and d.called is not None:
        fn, args = d.called
        if fn == "where" and len(args) == 3 and (args[1].text, args[2].text) == ("1.0", "0.0"):
            return SYM.where(args[0], g, 0.0)
    return times(g, d)


# --- checking the lifted source ------------------------------------------------------------------


def _lifted_name(text: str) -> bool:
    """Block and parameter names (V3, G3, W1, b1, gW1, X, GX, dout, ...) and the helpers."""
    if text in HELPERS or text in ("GX", "X", "dout"):
        return True
    head = text[:2] if text[:2] in ("gW", "gb") else text[:1]
    number = text[len(head) :]
    known = head in ("v", "g", "V", "G", "D", "S", "W", "b", "gW", "gb")
    return known and number.isascii() and number.isdigit()


def check_lifted_source(source: str) -> None:
    """The compiler's source guard, told about the few things the lifted code adds.

    Besides nodes, the table's math functions and float literals: block and parameter names
    (``V3``, ``G3``, ``W1``, ``b1``, ``X``, ...), the matrix helpers, the ``@`` operator and
    column numbers. Still no strings, no attributes (no dot), no subscripts, no other names.
    """
    check_source(source, names=_lifted_name, operators=frozenset({"@"}), integers=True)


def lift_source(
    program: Program, grad_inputs: bool = True, extras: Sequence[Arg] = ()
) -> LiftedSource:
    """The lifted source of a program, and where its arguments come from.

    ``grad_inputs=False`` leaves out the gradients of the inputs (training needs only the
    parameters'). ``extras``: nodes whose per-sample values the function also returns.
    """
    lifter = _Lifter(program, grad_inputs, extras)
    source = lifter.lift()
    width = max([u.size for u in lifter.units if u.block and u.kind != "input"] + [1])
    scalars = [lifter.param_pos(p) for p in lifter.scalar_params]
    return LiftedSource(source, lifter.param_blocks, scalars, width)
