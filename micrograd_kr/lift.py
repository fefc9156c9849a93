"""Lift a traced scalar graph to matrix code: from one line per node to one line per layer.

The scalar compiler writes one NumPy line per node; on a batch each line handles all samples,
but a layer of 16 neurons is still 16 lines, and every parameter gradient is a per-sample
array that is summed at the end. This pass finds the nodes that do *the same thing* side by
side and writes them as one matrix operation:

* the ``dot`` nodes of a layer read the same inputs with their own weights: together they are
  ``V = X @ T(W)`` (``T(W)`` is the transpose of ``W``), with ``W`` the layer's weight matrix;
* the bias additions and activations that follow are elementwise over that group:
  ``V + b``, ``where(V > 0.0, V, 0.0)``, written by the same derivative table as the scalar code;
* backward, the weight gradient ``T(G) @ X`` sums over the batch inside the matrix product,
  and the input gradient is ``G @ W``. No parameter gradient is ever a per-sample array.

A block ``V`` holds one row per sample and one column per scalar node of the group, and every
line names the scalar nodes it covers (``v12 .. v27``: the numbers of ``compiled.scalar_source``).
Nodes that do not group stay scalar lines on columns, so any graph still compiles.

>>> from micrograd_kr import nn
>>> from micrograd_kr.compiler import compile
>>> model = nn.MLP(2, [4, 1], seed=0)
>>> c = compile(lambda a, b: model([a, b]), [0.5, -1.0], lift=True)
>>> next(line for line in c.source.splitlines() if "@ T(W1)" in line).split("#")[0].strip()
'V2 = (X @ T(W1)) + b1'
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .compiler import (
    _TERMS_PER_LINE,
    SYM,
    Compiled,
    Sym,
    Terms,
    Trace,
    _check_reduce,
    _check_source,
    _join_terms,
    _numpy,
    _numpy_namespace,
    _times,
    build,
    commented,
    def_lines,
    literal,
    return_lines,
)
from .engine import DomainError, Value

__all__ = ["Lifted", "lift_source", "HELPERS"]


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


def _helpers() -> dict[str, Any]:
    np = _numpy()
    assert np is not None

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


# --- the units of the lifted program ------------------------------------------------------------


@dataclass(eq=False)
class _Unit:
    """A group of nodes computed by one line (a block), or a single node (a scalar line)."""

    kind: str  # "input", "group", "dot", "scalar", "rowsum", "rowdot"
    nodes: list[Value]
    name: str  # the variable holding its value
    batch: bool  # varies per sample (a block or column), else one number for the batch
    args: list[tuple[str, Any]] = field(default_factory=list)  # per position: (kind, detail)
    size: int = 1

    @property
    def block(self) -> bool:
        return self.kind in ("input", "group", "dot")


class _Lifter:
    """Builds the lifted source for one trace (see ``lift_source``)."""

    def __init__(self, tr: Trace, grad_inputs: bool, extras: Sequence[Value]) -> None:
        self.tr = tr
        self.grad_inputs = grad_inputs
        self.extras = list(extras)
        self.ids: dict[Value, int] = {}
        for v in itertools.chain(tr.inputs, tr.params):
            self.ids.setdefault(v, len(self.ids))
        self.params = set(tr.params)
        self.param_pos = {p: i for i, p in enumerate(tr.params)}
        self.live: list[Value] = []
        self.batch: set[Value] = set(tr.inputs)
        self.wants: set[Value] = set(tr.params) | (set(tr.inputs) if grad_inputs else set())
        level: dict[Value, int] = {v: 0 for v in self.ids}
        for node in tr.order:
            if node in level or not node._prev:
                continue
            live_args = [p for p in node._prev if p in level]
            if not live_args:
                continue  # a constant
            self.ids[node] = len(self.ids)
            level[node] = 1 + max(level[p] for p in live_args)
            if any(p in self.batch for p in live_args):
                self.batch.add(node)
            if any(p in self.wants for p in live_args):
                self.wants.add(node)  # on a path to something we want the gradient of
            self.live.append(node)
        self.level = level
        self.units: list[_Unit] = []
        self.unit_of: dict[Value, tuple[_Unit, int]] = {}
        self.param_blocks: list[tuple[str, list[Any]]] = []  # name, nested lists of params
        self.scalar_params: list[Value] = []
        self.forward: list[tuple[str, str]] = []
        self.extracted: set[Value] = set()
        self.counter = itertools.count(1)
        self.block_counter = {"W": itertools.count(1), "b": itertools.count(1)}

    # -- names and references ------------------------------------------------------------------

    def v(self, node: Value) -> str:
        return f"v{self.ids[node]}"

    def nodes_text(self, nodes: Sequence[Value]) -> str:
        """``v9 .. v24`` for consecutive numbers, else the first few and a count."""
        nums = [self.ids[n] for n in nodes]
        if len(nums) == 1:
            return f"v{nums[0]}"
        if nums == list(range(nums[0], nums[0] + len(nums))):
            return f"v{nums[0]} .. v{nums[-1]}"
        return f"v{nums[0]}, v{nums[1]}, ..., v{nums[-1]} ({len(nums)} nodes)"

    def column_ref(self, node: Value) -> str:
        """A name for one node's value: a per-sample column, or a number for the batch."""
        if node in self.unit_of:
            unit, j = self.unit_of[node]
            if unit.block and node not in self.extracted:
                self.extracted.add(node)
                self.forward.append((f"{self.v(node)} = col({unit.name}, {j})", "column"))
            return self.v(node)
        if node in self.params:
            if node not in self.scalar_params:
                self.scalar_params.append(node)
            return self.v(node)
        return self.v(node)  # a scalar line's own variable

    def view(self, nodes: Sequence[Value]) -> tuple[str, _Unit, int] | None:
        """The nodes as an N x len block: a whole block, or consecutive columns of one."""
        if not nodes or not all(n in self.batch and n in self.unit_of for n in nodes):
            return None
        unit, start = self.unit_of[nodes[0]]
        if not unit.block:
            if len(nodes) == 1:
                return f"column({unit.name})", unit, 0
            return None
        for k, n in enumerate(nodes):
            if self.unit_of[n] != (unit, start + k):
                return None
        if start == 0 and len(nodes) == unit.size:
            return unit.name, unit, 0
        return f"cols({unit.name}, {start}, {start + len(nodes)})", unit, start

    def param_block(self, kind: str, params: list[Any]) -> str:
        name = f"{kind}{next(self.block_counter[kind])}"
        self.param_blocks.append((name, params))
        return name

    def add_unit(self, unit: _Unit) -> None:
        self.units.append(unit)
        for j, n in enumerate(unit.nodes):
            self.unit_of[n] = (unit, j)

    # -- grouping ----------------------------------------------------------------------------------

    def position_key(self, a: Value) -> tuple[Any, ...]:
        if a not in self.level:
            return ("c", repr(a.data))
        if a in self.params:
            return ("p",)
        if a not in self.batch:
            return ("s", id(a))
        return ("u", id(self.unit_of[a][0]))

    def dot_key(self, node: Value) -> tuple[Any, ...] | None:
        n = len(node._prev) // 2
        halves = (node._prev[:n], node._prev[n:])
        for side in (0, 1):
            ps, xs = halves[side], halves[1 - side]
            if all(p in self.params for p in ps) and all(x in self.batch for x in xs):
                return ("dot-layer", side, tuple(id(x) for x in xs))
        return None

    def lift(self) -> str:
        inputs = self.tr.inputs
        self.add_unit(_Unit("input", list(inputs), "X", True, size=len(inputs)))
        by_level: dict[int, list[Value]] = {}
        for node in self.live:
            by_level.setdefault(self.level[node], []).append(node)
        for lvl in sorted(by_level):
            buckets: dict[tuple[Any, ...], list[Value]] = {}
            for node in by_level[lvl]:
                assert node._row is not None
                if node not in self.batch:
                    key: tuple[Any, ...] = ("static", id(node))
                elif node._row.name == "dot" and (dk := self.dot_key(node)) is not None:
                    key = dk
                else:
                    key = (node._row.name, tuple(self.position_key(a) for a in node._prev))
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

    def make_dot(self, members: list[Value], side: int) -> None:
        n = len(members[0]._prev) // 2
        # neuron order: the order of their weights among the parameters (the graph walk may
        # meet the neurons of a layer in another order), so the next layer reads the block as is
        members = sorted(
            members, key=lambda m: min(self.param_pos[p] for p in m._prev[side * n : side * n + n])
        )
        halves = [(m._prev[:n], m._prev[n:]) for m in members]
        weights = [list(h[side]) for h in halves]
        xs = list(halves[0][1 - side])
        unit = _Unit("dot", members, f"V{next(self.counter)}", True, size=len(members))
        found = self.view(xs)
        if found is None:
            x_text = f"S{unit.name[1:]}"
            refs = ", ".join(self.column_ref(x) for x in xs)
            self.forward.append((f"{x_text} = stack({refs})", "inputs of " + unit.name))
            unit.args = [("gather", xs), ("weights", self.param_block("W", weights))]
            unit.args.append(("x", x_text))
        else:
            unit.args = [("view", (xs, found)), ("weights", self.param_block("W", weights))]
            unit.args.append(("x", found[0]))
        self.add_unit(unit)
        w_name, x_text = unit.args[1][1], unit.args[2][1]
        note = f"dot: {self.nodes_text(members)}"
        self.forward.append((f"{unit.name} = {x_text} @ T({w_name})", note))

    def make_group(self, members: list[Value]) -> bool:
        """Group nodes of one op whose inputs line up; False when they do not."""
        k = len(members)
        node0 = members[0]
        positions: list[tuple[str, Any]] = []
        order: list[int] | None = None
        for i, a0 in enumerate(node0._prev):
            args = [m._prev[i] for m in members]
            if a0 not in self.level:
                positions.append(("const", a0.data))
            elif a0 in self.params:
                positions.append(("params", args))
            elif a0 not in self.batch:
                positions.append(("static", a0))
            else:
                unit = self.unit_of[a0][0]
                idx = [self.unit_of[a][1] for a in args]
                lo = min(idx)
                if unit.block and sorted(idx) == list(range(lo, lo + k)):
                    # node j of the group reads column lo + j of a block (or a run of them)
                    if order is None:
                        order = sorted(range(k), key=idx.__getitem__)
                    if [idx[j] for j in order] != list(range(lo, lo + k)):
                        return False
                    positions.append(("aligned", (unit, lo)))
                elif all(a is a0 for a in args):
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
        assert node0._row is not None
        expr = literal(node0._row.forward(SYM, *self.group_syms(unit)))
        note = f"{node0._row.name}: {self.nodes_text(members)}"
        self.forward.append((f"{unit.name} = {expr.text}", note))
        return True

    def make_scalar(self, node: Value) -> None:
        assert node._row is not None
        name = node._row.name
        batch = node in self.batch
        unit = _Unit("scalar", [node], self.v(node), batch)
        if batch and name in ("sum", "dot"):
            if name == "sum" and (found := self.view(node._prev)) is not None:
                unit.kind, unit.args = "rowsum", [("view", (list(node._prev), found))]
            n = len(node._prev) // 2
            if name == "dot" and n > 1:
                a, b = self.view(node._prev[:n]), self.view(node._prev[n:])
                if a is not None and b is not None:
                    unit.kind = "rowdot"
                    unit.args = [
                        ("view", (list(node._prev[:n]), a)),
                        ("view", (list(node._prev[n:]), b)),
                    ]
        self.add_unit(unit)
        if unit.kind == "rowsum":
            self.forward.append((f"{unit.name} = rowsum({unit.args[0][1][1][0]})", "sum"))
            return
        if unit.kind == "rowdot":
            a, b = unit.args[0][1][1][0], unit.args[1][1][1][0]
            self.forward.append((f"{unit.name} = rowdot({a}, {b})", "dot"))
            return
        args = [self.arg_sym(p) for p in node._prev]
        expr = literal(node._row.forward(SYM, *args))
        self.forward += _split(unit.name, expr, name)

    def arg_sym(self, p: Value) -> Any:
        return Sym(self.column_ref(p)) if p in self.level else p.data

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
                syms.append(
                    Sym(owner.name if whole else f"cols({owner.name}, {lo}, {lo + unit.size})")
                )
            else:  # shared: the same node for every member, as an N x 1 column
                owner, j = self.unit_of[detail]
                if owner.block:
                    syms.append(Sym(f"cols({owner.name}, {j}, {j + 1})"))
                else:
                    syms.append(Sym(f"column({owner.name})"))
        return syms

    # -- backward ----------------------------------------------------------------------------------

    def emit(self) -> str:
        out = self.tr.output
        out_text = self.column_ref(out) if out in self.level else literal(out.data).text
        extras_text = None
        if self.extras:
            found = self.view(self.extras)
            if found is not None and found[0].isidentifier():
                extras_text = found[0]
            else:
                refs = [self.arg_sym(e) for e in self.extras]
                extras_text = f"stack({', '.join(literal(r).text for r in refs)})"
        self.bc: dict[_Unit, list[Sym]] = {}
        self.cc: dict[Value, list[Sym]] = {}
        self.pc: dict[str, list[Sym]] = {}
        backward: list[tuple[str, str]] = []
        if out in self.level and out in self.wants:
            self.cc[out] = [Sym("dout" if out in self.batch else "total(dout)")]
        for unit in reversed(self.units[1:]):
            backward += self.unit_backward(unit)
        grads: list[str] = []
        for name, _ in self.param_blocks:
            parts = self.pc.get(name, [])
            if parts:
                backward += _sum_lines(f"g{name}", parts, f"d(output)/d({name})")
                grads.append(f"g{name}")
            else:
                grads.append("0.0")
        for p in self.scalar_params:
            parts = self.cc.get(p, [])
            if parts:
                backward += _sum_lines(f"g{self.ids[p]}", parts, "parameter")
                grads.append(f"g{self.ids[p]}")
            else:
                grads.append("0.0")
        if self.grad_inputs:
            lines, g = self.block_grad(self.units[0], "GX")
            backward += lines
            grads.append(g or "0.0")
        return self.render(backward, out_text, grads, extras_text)

    def block_grad(self, unit: _Unit, name: str) -> tuple[list[tuple[str, str]], str | None]:
        """The line that sums a block's gradient from its parts; the name to read it by."""
        parts = list(self.bc.get(unit, []))
        lines: list[tuple[str, str]] = []
        columns = [self.cc.get(n, []) for n in unit.nodes]
        if any(columns):
            texts = []
            for node, column in zip(unit.nodes, columns):
                text = _join(column) if column else "0.0"
                if len(text) > _LINE_CHARS:  # a long sum gets its own lines first
                    g = f"g{self.ids[node]}"
                    lines += _sum_lines(g, column, f"d(output)/d({self.v(node)})")
                    text = g
                texts.append(text)
            if unit.size == 1:
                parts.append(Sym(f"column({texts[0]})"))
            else:
                parts.append(Sym(f"stack({', '.join(texts)})"))
        if not parts:
            return [], None
        if len(parts) == 1 and parts[0].text.isidentifier():
            return lines, parts[0].text  # no need for a copy: nothing is changed in place
        return lines + _sum_lines(name, parts, f"d(output)/d({unit.name})"), name

    def unit_backward(self, unit: _Unit) -> list[tuple[str, str]]:
        if not any(n in self.wants for n in unit.nodes):
            return []
        if unit.block:
            lines, g = self.block_grad(unit, "G" + unit.name[1:])
        else:
            parts = self.cc.get(unit.nodes[0], [])
            lines, g = [], None
            if parts:
                g = f"g{self.ids[unit.nodes[0]]}"
                if len(parts) == 1 and parts[0].text.isidentifier():
                    g = parts[0].text
                else:
                    lines += _sum_lines(g, parts, f"d(output)/d({unit.name})")
        if g is None:
            return lines  # the output does not depend on it
        gs = Sym(g)
        note = unit.nodes[0]._row.name + "'" if unit.nodes[0]._row is not None else ""
        if unit.kind == "dot":
            (xkind, xdetail), (_, w_name), (_, x_text) = unit.args
            self.pc.setdefault(w_name, []).append(Sym(f"T({g}) @ {x_text}", 3))
            xs = xdetail if xkind == "gather" else xdetail[0]
            if any(x in self.wants for x in xs):
                d = "D" + unit.name[1:]
                # one node: an outer product, which broadcasting does faster than BLAS
                op = "*" if unit.size == 1 else "@"
                lines.append((f"{d} = {g} {op} {w_name}", note + " (to its inputs)"))
                if xkind == "gather":
                    for i, x in enumerate(xs):
                        self.cc.setdefault(x, []).append(Sym(f"col({d}, {i})"))
                else:
                    self.route(xdetail, d)
        elif unit.kind == "group":
            node0 = unit.nodes[0]
            assert node0._row is not None
            need = [
                kind != "const" and (kind == "params" or self.wanted(kind, detail))
                for kind, detail in unit.args
            ]
            local = _local(node0._row, Sym(unit.name), self.group_syms(unit), need)
            for (kind, detail), d, needed in zip(unit.args, local, need):
                if not needed:
                    continue
                term = _gate(gs, d)
                if term is None:
                    continue
                if kind == "aligned":
                    owner, lo = detail
                    view = (owner.nodes[lo : lo + unit.size], ("", owner, lo))
                    self.route(view, term.text, term.prec)
                elif kind == "shared":
                    self.cc.setdefault(detail, []).append(Sym(f"rowsum({term.text})"))
                elif kind == "static":
                    self.cc.setdefault(detail, []).append(Sym(f"total({term.text})"))
                else:
                    self.pc.setdefault(detail, []).append(Sym(f"sum0({term.text})"))
        elif unit.kind == "rowsum":
            view = unit.args[0][1]
            if any(x in self.wants for x in view[0]):
                self.route(view, f"spread({g}, {len(view[0])})")
        elif unit.kind == "rowdot":
            (_, a), (_, b) = unit.args
            if any(x in self.wants for x in a[0]):
                self.route(a, f"column({g}) * {b[1][0]}")
            if any(x in self.wants for x in b[0]):
                self.route(b, f"column({g}) * {a[1][0]}")
        else:
            lines += self.scalar_backward(unit, gs)
        return lines

    def wanted(self, kind: str, detail: Any) -> bool:
        if kind == "aligned":
            return any(n in self.wants for n in detail[0].nodes)
        return bool(detail in self.wants)

    def route(
        self, view: tuple[list[Value], tuple[str, _Unit, int]], term: str, prec: int = 3
    ) -> None:
        """Send an N x len gradient to the block (or column) the view reads from."""
        nodes, (_, unit, start) = view
        if not unit.block:
            self.cc.setdefault(nodes[0], []).append(Sym(f"col({term}, 0)"))
        elif start == 0 and len(nodes) == unit.size:
            self.bc.setdefault(unit, []).append(Sym(term, prec))
        else:
            self.bc.setdefault(unit, []).append(Sym(f"pad({term}, {start}, {unit.size})"))

    def scalar_backward(self, unit: _Unit, g: Sym) -> list[tuple[str, str]]:
        node = unit.nodes[0]
        assert node._row is not None
        args = [self.arg_sym(p) for p in node._prev]
        need = [p in self.level and p in self.wants for p in node._prev]
        local = _local(node._row, Sym(unit.name), args, need)
        for parent, d, needed in zip(node._prev, local, need):
            if not needed:
                continue
            term = _times(g, d)
            if term is None:
                continue
            if unit.batch and parent not in self.batch:
                term = Sym(f"total({term.text})")  # summed over the samples
            self.cc.setdefault(parent, []).append(term)
        return []

    # -- the text ----------------------------------------------------------------------------------

    def render(
        self,
        backward: list[tuple[str, str]],
        out_text: str,
        grads: list[str],
        extras_text: str | None,
    ) -> str:
        args = ["X"] + [name for name, _ in self.param_blocks]
        args += [self.v(p) for p in self.scalar_params] + ["dout"]
        n_in = len(self.tr.inputs)
        lines = [
            "# generated by micrograd_kr.lift: the scalar graph as matrix operations",
            f"# X: one row per sample, columns = inputs v0 .. v{n_in - 1}"
            if n_in > 1
            else "# X: one row per sample, one column: input v0",
            "# W/b: parameter blocks; V: values of node groups (samples x nodes); "
            "G = d(output)/d(V)",
        ]
        lines += def_lines(", ".join(args))
        grads_text = ", ".join(grads) + ("," if len(grads) == 1 else "")
        result = f"{out_text}, ({grads_text})"
        if extras_text is not None:
            result += f", {extras_text}"
        fwd, backward = _inline(self.forward, backward, result)
        width = min(60, max((len(code) for code, _ in fwd + backward), default=0))
        lines.append("    # forward: one line per group of nodes (a layer operation)")
        lines += _commented(fwd, width)
        lines.append("    # backward: parameter gradients are summed over the samples as they go")
        lines += _commented(backward, width)
        lines += return_lines(result, len(result) <= 88, "", result)
        return "\n".join(lines) + "\n"


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
    """``code`` cut after commas inside parentheses into pieces of about ``_LINE_CHARS``."""
    pieces: list[str] = []
    start = depth = 0
    cut = -1
    for i, ch in enumerate(code):
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth > 0:
            cut = i + 1
        if i - start >= _LINE_CHARS and cut > start:
            pieces.append(code[start:cut])
            start = cut + 1 if code[cut : cut + 1] == " " else cut
    pieces.append(code[start:])
    return pieces


def _shaped(np: Any, a: Any, shape: tuple[int, ...]) -> Any:
    """``a`` with the given shape; a number or a smaller array is broadcast (read-only)."""
    if getattr(a, "shape", None) == shape:
        return a
    return np.broadcast_to(np.asarray(a, dtype=float), shape)


def _local(row: Any, out: Sym, args: list[Any], need: list[bool]) -> list[Any]:
    """The table's local derivatives as source, written only for the inputs that need one."""
    if row.each is not None:  # an n-ary row lists every input's derivative at once
        return list(row.each(SYM, out, args))
    return [rule(SYM, out, *args) if n else None for rule, n in zip(row.derivatives, need)]


_GATE_RE = re.compile(r"where\((.*), 1\.0, 0\.0\)")


def _gate(g: Sym, d: Any) -> Sym | None:
    """g * d; for d = where(c, 1.0, 0.0) (relu') written where(c, g, 0.0): one pass, not two."""
    if isinstance(d, Sym) and (m := _GATE_RE.fullmatch(d.text)):
        return Sym(f"where({m.group(1)}, {g.text}, 0.0)")
    return _times(g, d)


_BLOCK_RE = re.compile(r"\b[VGDS][0-9]+\b")


def _inline(
    forward: list[tuple[str, str]], backward: list[tuple[str, str]], result: str
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Write a block that only the next line reads into that line: ``V2 = (X @ T(W1)) + b1``.

    The same arithmetic; the intermediate array is freed at once, so its memory is reused
    while still in the cache (fewer arrays alive per chunk of rows), and one name less to read.
    """
    lines = [(code, note, True) for code, note in forward]
    lines += [(code, note, False) for code, note in backward]
    uses: dict[str, int] = {}
    defined: dict[str, int] = {}
    for code, _, _ in lines:
        target, expr = code.split(" = ", 1)
        defined[target] = defined.get(target, 0) + 1
        for name in _BLOCK_RE.findall(expr):
            uses[name] = uses.get(name, 0) + 1
    for name in _BLOCK_RE.findall(result):
        uses[name] = uses.get(name, 0) + 1
    out: list[tuple[str, str, bool]] = []
    for code, note, is_forward in lines:
        if out:
            prev_code, prev_note, prev_forward = out[-1]
            target, expr = prev_code.split(" = ", 1)
            pattern = re.compile(rf"\b{target}\b")
            if (
                _BLOCK_RE.fullmatch(target)
                and defined[target] == 1
                and uses.get(target) == 1
                and prev_forward == is_forward
                and len(pattern.findall(code.split(" = ", 1)[1])) == 1
                and len(code) + len(expr) <= 80
            ):
                head, tail = code.split(" = ", 1)
                text = expr if _atomic(expr) else f"({expr})"
                # (generated text has no backslashes, so it is a literal replacement)
                code = f"{head} = {pattern.sub(text, tail)}"
                # forward: both lines' nodes; backward: what the target is
                note = f"{prev_note}; {note}" if is_forward else note
                out.pop()
        out.append((code, note, is_forward))
    return [(c, n) for c, n, f in out if f], [(c, n) for c, n, f in out if not f]


def _atomic(expr: str) -> bool:
    """True for a name or one call ``f(...)``: it needs no parentheses inside another line."""
    if expr.isidentifier():
        return True
    head = expr.split("(", 1)[0]
    if not head.isidentifier() or not expr.endswith(")"):
        return False
    depth = 0
    for i, ch in enumerate(expr):
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and i > len(head):
            return i == len(expr) - 1  # the call's own parenthesis closes at the very end
    return False


def _join(parts: Sequence[Sym]) -> str:
    return _join_terms(parts) if len(parts) > 1 else parts[0].text


def _split(name: str, expr: Sym, note: str) -> list[tuple[str, str]]:
    """``name = expr``; a long sum goes over several lines (see ``_sum_lines``)."""
    if isinstance(expr, Terms):
        return _sum_lines(name, expr.terms, note)
    return [(f"{name} = {expr.text}", note)]


_LINE_CHARS = 200  # a longer sum goes on over more lines


def _sum_lines(name: str, parts: Sequence[Sym], note: str) -> list[tuple[str, str]]:
    """``name = t1 + t2 + ...``, continued as ``name = name + ...`` on lines of bounded length.

    The same order of additions as one line. As in the scalar compiler: Python's parser nests
    one level per term (a sum of thousands of terms does not compile), and a learner reads
    lines, not a 36,000-character one.
    """
    lines: list[list[Sym]] = [[]]
    size = len(name)
    for part in parts:
        line = lines[-1]
        if line and (size + len(part.text) > _LINE_CHARS or len(line) >= _TERMS_PER_LINE):
            lines.append([Sym(name)])
            size = 2 * len(name)
        lines[-1].append(part)
        size += len(part.text) + 5  # " + " and perhaps parentheses
    out = [(f"{name} = {_join(lines[0])}", note)]
    out += [(f"{name} = {_join_terms(line)}", note + " (continued)") for line in lines[1:]]
    return out


# --- checking and running the lifted source -----------------------------------------------------

_NAME_RE = re.compile(r"(?:[vgVGDSWb]|gW|gb)[0-9]+|GX|X|dout")
_HELPER_SET = frozenset(HELPERS)


def _lifted_name(text: str) -> bool:
    return text in _HELPER_SET or _NAME_RE.fullmatch(text) is not None


def check_lifted_source(source: str) -> None:
    """The compiler's source guard, told about the few things the lifted code adds.

    Besides nodes, the table's math functions and float literals: block and parameter names
    (``V3``, ``G3``, ``W1``, ``b1``, ``X``, ...), the matrix helpers, the ``@`` operator and
    column numbers. Still no strings, no attributes (no dot), no subscripts, no other names.
    """
    _check_source(source, names=_lifted_name, operators=frozenset({"@"}), integers=True)


@dataclass
class _Program:
    """Lifted source, its function bound to NumPy, and where each parameter block comes from."""

    source: str
    fn: Callable[..., Any]
    blocks: list[Any]  # index arrays into the flat parameter vector, one per block argument
    scalars: list[int]  # indices of the parameters passed one by one
    grad_index: Any  # all indices of the returned parameter gradients, concatenated
    has_extras: int  # how many extra per-sample values the function returns (0: none)
    grad_inputs: bool
    rows: int  # samples per chunk


def lift_source(
    tr: Trace, grad_inputs: bool = True, extras: Sequence[Value] = ()
) -> tuple[str, list[tuple[str, list[Any]]], list[Value]]:
    """The lifted source of a trace, its parameter blocks and the parameters passed alone.

    ``grad_inputs=False`` leaves out the gradients of the inputs (training needs only the
    parameters'). ``extras``: nodes whose per-sample values the function also returns.
    """
    lifter = _Lifter(tr, grad_inputs, extras)
    source = lifter.lift()
    return source, lifter.param_blocks, lifter.scalar_params


def _program(tr: Trace, grad_inputs: bool, extras: Sequence[Value]) -> _Program:
    np = _numpy()
    if np is None:
        raise ImportError(
            "행렬 코드(lift=True)에는 NumPy가 필요합니다 (lifted (matrix) code needs NumPy): "
            "pip install numpy"
        )
    lifter = _Lifter(tr, grad_inputs, extras)
    source, blocks, scalars = lifter.lift(), lifter.param_blocks, lifter.scalar_params
    # about 128 KB for the widest block of a chunk: well inside the cache, and below the size
    # at which the C library maps fresh pages for every array
    width = max([u.size for u in lifter.units if u.block and u.kind != "input"] + [1])
    rows = max(64, 16384 // width)
    check_lifted_source(source)
    fn = build(source, "lifted", {**_numpy_namespace(), **_helpers()})
    position = {p: i for i, p in enumerate(tr.params)}
    block_idx = [
        np.vectorize(position.__getitem__, otypes=[np.intp])(np.array(b, dtype=object))
        for _, b in blocks
    ]
    scalar_idx = [position[p] for p in scalars]
    parts = [b.ravel() for b in block_idx] + [np.array(scalar_idx, dtype=np.intp)]
    return _Program(
        source,
        fn,
        block_idx,
        scalar_idx,
        np.concatenate(parts),
        len(extras),
        grad_inputs,
        rows,
    )


class Lifted(Compiled):
    """A compiled function whose batch code works on blocks (matrices) instead of columns.

    ``source`` is the lifted program; ``scalar_source`` the one-line-per-node program of the
    plain compiler. Called like ``Compiled``: on numbers, or on a batch with ``reduce="sum"``
    or ``"mean"`` (the lifted program); a batch with ``reduce=None`` needs per-sample
    parameter gradients, which only the scalar program computes, so it runs that one.
    ``step(X, P)`` is the fast path for training: a samples x inputs matrix and the flat
    parameter vector in, the reduced loss and the flat gradient out. Every call and step
    refuses non-finite inputs and parameters, and is compared with ``f`` as ``check`` says.
    """

    def __init__(
        self,
        tr: Trace,
        f: Callable[..., Any] | None = None,
        extras: Sequence[Value] = (),
        check: str = "first",
    ) -> None:
        super().__init__(tr, f, check)
        self.scalar_source: str = self.source
        self.program = _program(tr, True, ())
        self.source = self.program.source
        self._extras = list(extras)
        self._train: _Program | None = None

    def __repr__(self) -> str:
        return super().__repr__().replace("<Compiled", "<Lifted")

    def run(self, program: _Program, X: Any, P: Any, dout: Any) -> tuple[Any, Any, Any, Any]:
        """Run a lifted program: per-sample outputs, flat parameter gradient, GX, extras.

        A large batch goes through in chunks of ``program.rows`` samples, adding up the
        parameter gradients: the blocks of a chunk stay in the processor's cache, and NumPy
        reuses their memory instead of asking the system for fresh pages on every line.
        """
        np = _numpy()
        args = [P[b] for b in program.blocks] + [float(P[i]) for i in program.scalars]
        n, rows = len(X), program.rows
        outs, flats, gxs, extras = [], [], [], []
        with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
            for start in range(0, n, rows):
                stop = min(n, start + rows)
                try:
                    result = program.fn(X[start:stop], *args, dout[start:stop])
                except FloatingPointError as exc:
                    raise DomainError(
                        f"배치 계산 중 NumPy가 '{exc}'를 보고했습니다. 문제의 샘플을 엔진으로 "
                        "직접 계산하면 어느 연산의 어떤 값인지 보입니다 (lifted function on a "
                        f"batch: NumPy reports '{exc}'. Run the failing sample through the "
                        "eager engine to see which operation and value)"
                    ) from None
                out, grads = result[0], result[1]
                outs.append(_shaped(np, out, (stop - start,)))
                flats.append(self._flat_grads(program, grads))
                if program.grad_inputs:
                    gxs.append(_shaped(np, grads[-1], (stop - start, X.shape[1])))
                if program.has_extras:
                    extras.append(_shaped(np, result[2], (stop - start, program.has_extras)))
        out = outs[0] if len(outs) == 1 else np.concatenate(outs)
        flat = flats[0] if len(flats) == 1 else np.sum(flats, axis=0)
        gx = (gxs[0] if len(gxs) == 1 else np.concatenate(gxs)) if gxs else None
        extra = (extras[0] if len(extras) == 1 else np.concatenate(extras)) if extras else None
        if not (np.isfinite(out).all() and np.isfinite(flat).all()):
            raise DomainError(
                "출력이나 기울기가 넘쳤습니다 (lifted function: overflow, the output or a "
                "gradient is not finite)"
            )
        return out, flat, gx, extra

    def _flat_grads(self, program: _Program, grads: Sequence[Any]) -> Any:
        """The returned gradient blocks as one vector in parameter order (shared ones added)."""
        np = _numpy()
        nb = len(program.blocks)
        values = [_shaped(np, g, b.shape).ravel() for g, b in zip(grads, program.blocks)]
        values.append(np.array([float(g) for g in grads[nb : nb + len(program.scalars)]]))
        return np.bincount(
            program.grad_index, weights=np.concatenate(values), minlength=len(self.params)
        )

    def step(
        self, X: Any, P: Any = None, reduce: str = "mean", dout: Any = None
    ) -> tuple[float, Any, Any]:
        """``(loss, flat parameter gradient, extras)`` of the batch ``X`` (samples x inputs).

        ``P``: the parameters as one array (default: their current ``.data``). The loss is the
        sum or mean of the per-sample outputs; the extras (per-sample values of the nodes given
        to ``Lifted(..., extras)``) come back as a samples x len(extras) array.
        """
        np = _numpy()
        if self._train is None:
            self._train = _program(self.trace, False, self._extras)
        X = self._sample_matrix(np, X)
        P = self._param_vector(np, [p.data for p in self.params] if P is None else P)
        n = len(X)
        if dout is None:
            dout = np.full(n, 1.0 if reduce == "sum" else 1.0 / n)
        out, flat, _, extras = self.run(self._train, X, P, dout)
        if self._take_check():
            self._check_rows(self._train, X, P, self._rows_to_check(n), True)
        total = float(out.sum())
        if reduce == "mean":
            total /= n
        return total, flat, extras

    def __call__(
        self, *inputs: Any, params: Sequence[Any] | None = None, reduce: str | None = None
    ) -> tuple[Any, tuple[Any, ...]]:
        np = _numpy()
        if len(inputs) != self.n_inputs:
            raise TypeError(
                f"입력 개수가 다릅니다 (expected {self.n_inputs} input(s), got {len(inputs)})"
            )
        self._check_frozen()  # a closed-over Value changed since compile: its number is stale
        args = [x.data if isinstance(x, Value) else x for x in inputs]
        param_data = self._param_data(params)
        batch = self._batched(args)
        if np is None or self.n_inputs == 0 or (batch and reduce is None):
            return super().__call__(*inputs, params=params, reduce=reduce)
        if self._batched(param_data):  # per-sample parameters: only the scalar program
            return super().__call__(*inputs, params=params, reduce=reduce)
        _check_reduce(reduce, batch)
        P = self._param_vector(np, param_data)
        cols, shape = self._columns(np, args)
        X = np.stack([np.broadcast_to(c, shape).ravel() for c in cols], axis=1)
        n = len(X)
        scale = 1.0 / n if reduce == "mean" else 1.0
        out, flat, gx, _ = self.run(self.program, X, P, np.full(n, scale))
        if self._take_check():
            self._check_rows(self.program, X, P, self._rows_to_check(n), batch)
        if not batch:
            in_grads = tuple(float(g) for g in gx[0])
            return float(out[0]), in_grads + tuple(flat.tolist())
        total = float(out.sum()) * scale
        in_grads = tuple(gx[:, j].reshape(shape).copy() for j in range(self.n_inputs))
        return total, in_grads + tuple(flat.tolist())

    def _check_rows(self, program: _Program, X: Any, P: Any, rows: list[int], batch: bool) -> None:
        """The self-check: each of these samples alone through ``program``, against f."""
        np = _numpy()
        for k in rows:
            out, flat, gx, _ = self.run(program, X[k : k + 1], P, np.ones(1))
            in_grads = None if gx is None else gx[0].tolist()
            where = f"배치의 {k}번째 표본 (sample {k})" if batch else "입력 (the inputs)"
            self._compare(X[k].tolist(), P.tolist(), float(out[0]), in_grads, flat.tolist(), where)
