"""The runtime: one class runs the scalar and the lifted program of a traced function.

The last step of the compiler (``trace -> IR -> source -> runtime``). ``Compiled`` holds
the scalar program (``codegen.scalar_source``) bound to floats and, on first batch, to NumPy;
with ``lift=True`` also the lifted program (``lift.lift_source``). A call checks its
arguments once, as the eager engine checks numbers (finite reals; a batch not empty, not
ragged), chooses the program, runs it (a NumPy floating-point error becomes one DomainError),
and compares the result with ``f`` run eagerly as ``check`` says.

The math functions the programs call come from the table's list (``ops.FUNCTIONS``): on
floats ``ops.FLOAT``, on arrays ``NumpyMath``.
"""

from __future__ import annotations

import functools
import math
import numbers
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

from .. import ops
from ..autodiff import gradients  # the Values' interpreter of the same table
from ..engine import Constant, DomainError, TraceError, Value, enable_grad
from ..messages import say
from ..ops import FLOAT, Function, Interpreter, Math
from .codegen import build, check_source, function_names, rebind, scalar_source
from .ir import Program, lower
from .lift import check_lifted_source, helpers, lift_source
from .trace import Trace

__all__ = [
    "Compiled",
    "Lifted",
    "NumpyMath",
    "CHECKS",
    "check_mode",
    "numpy_or_none",
]


def numpy_or_none() -> Any:
    """NumPy, or None when it is missing. Optional: floats work without it, batches need it
    (extra "fast"). Imported on first use so that ``import micrograd_kr`` stays quick."""
    try:
        import numpy
    except ImportError:  # pragma: no cover - exercised by monkeypatching in the tests
        return None
    return numpy


class NumpyMath(Interpreter):
    """The math namespace for NumPy arrays: what the generated code calls for a batch.

    Each function of ``ops.FUNCTIONS`` is its entry's NumPy spelling (a NumPy function, or
    one made from the numpy module), or the row's forward rule run on arrays.
    """

    def __init__(self, np: Any) -> None:
        self.np = np
        super().__init__()

    def implement(self, f: Function) -> Callable[..., Any]:
        if isinstance(f.numpy, str):
            made: Callable[..., Any] = getattr(self.np, f.numpy)
            return made
        if f.numpy is not None:
            return f.numpy(self.np)
        return functools.partial(ops.OPS[f.row].forward, self)


def _namespace(m: Math) -> dict[str, Any]:
    """The names the generated code may call, taken from one interpreter of the table."""
    return {name: getattr(m, name) for name in function_names()}


def _numpy_namespace(np: Any) -> dict[str, Any]:
    numpy_math: Math = NumpyMath(np)
    return _namespace(numpy_math)


def _numpy_failure(exc: FloatingPointError) -> DomainError:
    """The error of a program whose NumPy arithmetic failed (overflow, 0/0, log of -1)."""
    return DomainError(say("compile.numpy_failure", error=exc))


@dataclass
class _LiftedRun:
    """A lifted program bound to NumPy, and where each parameter block comes from."""

    source: str
    fn: Callable[..., Any]
    blocks: list[Any]  # index arrays into the flat parameter vector, one per block argument
    scalars: list[int]  # indices of the parameters passed one by one
    grad_index: Any  # all indices of the returned parameter gradients, concatenated
    has_extras: int  # how many extra per-sample values the function returns (0: none)
    grad_inputs: bool
    rows: int  # samples per chunk


def _lifted_run(program: Program, grad_inputs: bool, extras: Sequence[Value]) -> _LiftedRun:
    np = numpy_or_none()
    if np is None:
        raise ImportError(say("shared.needs_numpy", what="lift=True"))
    lifted = lift_source(program, grad_inputs, [program.arg(e) for e in extras])
    # about 128 KB for the widest block of a chunk: well inside the cache, and below the size
    # at which the C library maps fresh pages for every array
    rows = max(64, 16384 // lifted.width)
    check_lifted_source(lifted.source)
    fn = build(lifted.source, "lifted", {**_numpy_namespace(np), **helpers(np)})
    block_idx = [np.array(b, dtype=np.intp) for _, b in lifted.param_blocks]
    parts = [b.ravel() for b in block_idx] + [np.array(lifted.scalar_params, dtype=np.intp)]
    return _LiftedRun(
        lifted.source,
        fn,
        block_idx,
        lifted.scalar_params,
        np.concatenate(parts),
        len(extras),
        grad_inputs,
        rows,
    )


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
        self,
        tr: Trace,
        f: Callable[..., Any] | None = None,
        check: str = "first",
        lift: bool = False,
        extras: Sequence[Value] = (),
    ) -> None:
        if not isinstance(tr, Trace):
            raise TypeError(say("compile.needs_trace", kind=type(tr).__name__))
        check_mode(check)
        self.trace = tr
        self._f = f  # run eagerly for the self-check; None: no check
        self.check = check
        self._checked = False  # "first": has a call been compared yet
        self.program: Program = lower(tr)
        self.source: str = scalar_source(self.program)
        check_source(self.source)
        self.fn: Callable[..., Any] = build(self.source, "compiled", _namespace(FLOAT))
        self._batch_fn: Callable[..., Any] | None = None
        # leaves made by the user that are neither inputs nor params: their numbers are in
        # the code, so a later change of their .data would be ignored silently
        args = {*tr.inputs, *tr.params}
        self._frozen = [
            (v, v.data)
            for v in tr.order
            if not v._prev and v not in args and v.__class__ is not Constant
        ]
        # lift=True: the lifted program runs batches and plain calls (see lift.py)
        self.lifted: _LiftedRun | None = None
        self._extras = list(extras)
        self._train: _LiftedRun | None = None  # the training program (step), made on first use
        if lift:
            self.scalar_source: str = self.source
            self.lifted = _lifted_run(self.program, True, ())
            self.source = self.lifted.source

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
            np = numpy_or_none()
            if np is None:
                raise ImportError(say("compile.batch_needs_numpy"))
            self._batch_fn = rebind(self.fn, _numpy_namespace(np))
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
        self._compare(xs, ps, out, grads[:n], grads[n:], say("compile.near_example"))

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
            f"<{type(self).__name__}: {self.n_inputs} input(s), {len(self.params)} parameter(s), "
            f"{lines} lines; see .source>"
        )

    def _param_data(self, params: Sequence[Any] | None) -> list[Any]:
        """The parameters' numbers: their current ``.data``, or the Values/numbers given."""
        if params is None:
            return [p.data for p in self.params]
        if len(params) != len(self.params):
            raise TypeError(say("compile.param_count", expected=len(self.params), got=len(params)))
        return [p.data if isinstance(p, Value) else p for p in params]

    def _arg_name(self, k: int) -> str:
        """Argument k of the generated function, as a message names it."""
        n = self.n_inputs
        if k < n:
            return say("compile.input", k=k)
        return say("compile.parameter", name=self.param_names[k - n])

    def _sample_name(self, k: int, index: tuple[int, ...] | None) -> str:
        if index is None:
            return self._arg_name(k)
        at = index[0] if len(index) == 1 else index
        return f"{self._arg_name(k)}, " + say("compile.sample", k=at)

    def __call__(
        self, *inputs: Any, params: Sequence[Any] | None = None, reduce: str | None = None
    ) -> tuple[Any, tuple[Any, ...]]:
        if len(inputs) != self.n_inputs:
            raise TypeError(say("shared.input_count", expected=self.n_inputs, got=len(inputs)))
        self._check_frozen()  # a closed-over Value changed since compile: its number is stale
        param_data = self._param_data(params)
        args = [x.data if isinstance(x, Value) else x for x in (*inputs, *param_data)]
        flags = list(map(_is_batch, args))  # which arguments are batches: the one batch test
        batch = any(flags)
        _check_reduce(reduce, batch)
        # the lifted program sums parameter gradients over the batch: it serves every call
        # but one asking for per-sample parameter gradients (a batch with reduce=None, or
        # per-sample parameters), which only the scalar program computes
        lifted = (
            self.lifted is not None
            and numpy_or_none() is not None
            and self.n_inputs > 0
            and (reduce is not None or not batch)
            and not any(flags[self.n_inputs :])
        )
        if lifted:
            return self._call_lifted(args, flags, batch, reduce)
        if not batch:
            return self._call_floats(args)
        fn = self.batch_fn  # raises the install hint when NumPy is missing
        np = numpy_or_none()
        arrays, shape = self._columns(np, args, flags)
        return self._call_batch(np, fn, arrays, shape, reduce)

    def _call_floats(self, args: list[Any]) -> tuple[float, tuple[float, ...]]:
        """The scalar program on numbers."""
        xs = [_number(a, functools.partial(self._arg_name, k)) for k, a in enumerate(args)]
        n = self.n_inputs
        try:
            out, grads = self.fn(*xs)
        except (ArithmeticError, ValueError, TypeError) as exc:
            at = say("compile.at_inputs", xs=xs[:n])
            raise DomainError(f"{at}: " + say("shared.cannot_compute") + f": {exc}") from None
        if isinstance(out, complex) or any(isinstance(g, complex) for g in grads):
            at = say("compile.at_inputs", xs=xs[:n])
            raise DomainError(f"{at}: " + say("shared.negative_power"))
        # Python floats overflow to inf (and inf - inf is nan) silently; the engine refuses
        if not all(map(math.isfinite, (out, *grads))):
            at = say("compile.at_inputs", xs=xs[:n])
            overflow = say("shared.not_finite_result")
            raise DomainError(f"{at}: {overflow}: {out}, {grads}")
        if self._take_check():
            where = say("compile.the_inputs")
            self._compare(xs[:n], xs[n:], out, grads[:n], grads[n:], where)
        return out, grads

    def _call_lifted(
        self, args: list[Any], flags: list[bool], batch: bool, reduce: str | None
    ) -> tuple[Any, tuple[Any, ...]]:
        """The lifted program: the inputs as a samples x inputs matrix X, the parameters
        (never a batch here) as one vector P."""
        assert self.lifted is not None
        np = numpy_or_none()
        n_in = self.n_inputs
        arrays, shape = self._columns(np, args[:n_in], flags[:n_in])
        P = self._param_vector(np, args[n_in:])
        X = np.stack([np.broadcast_to(c, shape).ravel() for c in arrays], axis=1)
        n = len(X)
        scale = 1.0 / n if reduce == "mean" else 1.0
        out, flat, gx, _ = self.run(self.lifted, X, P, np.full(n, scale))
        if self._take_check():
            self._check_rows(self.lifted, X, P, self._rows_to_check(n), batch)
        if not batch:
            in_grads = tuple(float(g) for g in gx[0])
            return float(out[0]), in_grads + tuple(flat.tolist())
        total = float(out.sum()) * scale
        in_grads = tuple(gx[:, j].reshape(shape).copy() for j in range(n_in))
        return total, in_grads + tuple(flat.tolist())

    def step(
        self, X: Any, P: Any = None, reduce: str = "mean", dout: Any = None
    ) -> tuple[float, Any, Any]:
        """``(loss, flat parameter gradient, extras)`` of the batch ``X`` (samples x inputs),
        by the lifted training program (``lift=True`` only): the fast path of ``fit``.

        ``P``: the parameters as one array (default: their current ``.data``). The loss is the
        sum or mean of the per-sample outputs; the extras (per-sample values of the nodes given
        as ``extras``) come back as a samples x len(extras) array.
        """
        np = numpy_or_none()
        if self._train is None:
            self._train = _lifted_run(self.program, False, self._extras)
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

    def run(self, program: _LiftedRun, X: Any, P: Any, dout: Any) -> tuple[Any, Any, Any, Any]:
        """Run a lifted program: per-sample outputs, flat parameter gradient, GX, extras.

        A large batch goes through in chunks of ``program.rows`` samples, adding up the
        parameter gradients: the blocks of a chunk stay in the processor's cache, and NumPy
        reuses their memory instead of asking the system for fresh pages on every line.
        """
        np = numpy_or_none()
        args = [P[b] for b in program.blocks] + [float(P[i]) for i in program.scalars]
        n, rows = len(X), program.rows
        outs, flats, gxs, extras = [], [], [], []
        with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
            for start in range(0, n, rows):
                stop = min(n, start + rows)
                try:
                    result = program.fn(X[start:stop], *args, dout[start:stop])
                except FloatingPointError as exc:
                    raise _numpy_failure(exc) from None
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
            what = say("compile.lifted_function")
            raise DomainError(f"{what}: " + say("shared.not_finite_result"))
        return out, flat, gx, extra

    def _flat_grads(self, program: _LiftedRun, grads: Sequence[Any]) -> Any:
        """The returned gradient blocks as one vector in parameter order (shared ones added)."""
        np = numpy_or_none()
        nb = len(program.blocks)
        values = [_shaped(np, g, b.shape).ravel() for g, b in zip(grads, program.blocks)]
        values.append(np.array([float(g) for g in grads[nb : nb + len(program.scalars)]]))
        return np.bincount(
            program.grad_index, weights=np.concatenate(values), minlength=len(self.params)
        )

    def _check_rows(
        self, program: _LiftedRun, X: Any, P: Any, rows: list[int], batch: bool
    ) -> None:
        """The self-check: each of these samples alone through ``program``, against f."""
        np = numpy_or_none()
        for k in rows:
            out, flat, gx, _ = self.run(program, X[k : k + 1], P, np.ones(1))
            in_grads = None if gx is None else gx[0].tolist()
            where = say("compile.sample", k=k) if batch else say("compile.the_inputs")
            self._compare(X[k].tolist(), P.tolist(), float(out[0]), in_grads, flat.tolist(), where)

    def _check_frozen(self) -> None:
        for v, data in self._frozen:
            if v.data != data:
                name = repr(v.label) if v.label else "Value"
                raise TraceError(say("compile.frozen_changed", name=name, old=data, new=v.data))

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
        # what was compared is named only on a disagreement (messages are built then)
        rows: list[tuple[tuple[str, Any], float, float]] = [(("output", None), out, want_out)]
        if in_grads is not None:
            rows += [(("input", j), g, w) for j, (g, w) in enumerate(zip(in_grads, want_in))]
        rows += [(("param", j), g, w) for j, (g, w) in enumerate(zip(p_grads, want_p))]
        for (kind, j), got, want in rows:
            if not _agree(float(got), want):
                if kind == "output":
                    what = say("compile.output")
                elif kind == "input":
                    what = say("compile.input_gradient", k=j)
                else:
                    what = say("compile.gradient_of", name=self.param_names[j])
                raise TraceError(_disagreement(where, xs, what, float(got), want))

    # -- the arguments of a call: finite real numbers, as the eager engine requires ----------

    def _columns(
        self, np: Any, args: Sequence[Any], batch: Sequence[bool]
    ) -> tuple[list[Any], tuple[int, ...]]:
        """The arguments as floats and float arrays, each number checked as the engine
        checks it, and the batch's shape (an empty batch is refused).

        The plain numbers (a model's parameters) are tested together, in one NumPy call;
        only when one of them fails is each argument looked at in turn, to name it."""
        plain = [a for a, b in zip(args, batch) if not b]
        numbers = np.asarray(plain) if plain else np.zeros(0)
        quick = numbers.dtype.kind in "fiub" and numbers.ndim == 1 and np.isfinite(numbers).all()
        values = iter(numbers.astype(float).tolist() if quick else ())
        columns = [
            _float_array(np, a, functools.partial(self._sample_name, k))
            if b
            else next(values)
            if quick
            else _number(a, functools.partial(self._arg_name, k))
            for k, (a, b) in enumerate(zip(args, batch))
        ]
        return columns, _batch_shape(np, [c.shape for c in columns if isinstance(c, np.ndarray)])

    def _sample_matrix(self, np: Any, X: Any) -> Any:
        """A non-empty samples x inputs array of finite numbers (``step``'s X)."""

        def where(index: tuple[int, ...] | None) -> str:
            if index is None or len(index) != 2:
                return "X"
            return self._sample_name(index[1], index[:1])

        X = _float_array(np, X, where)
        if X.ndim != 2 or X.shape[1] != self.n_inputs:
            raise ValueError(say("compile.x_shape", n=self.n_inputs, shape=X.shape))
        if len(X) == 0:
            raise ValueError(say("compile.empty_batch"))
        return X

    def _param_vector(self, np: Any, values: Any) -> Any:
        """The parameters as one flat array of finite numbers (a message names a bad one)."""
        n = self.n_inputs

        def where(index: tuple[int, ...] | None) -> str:
            if index is None or len(index) != 1:
                return say("compile.parameters")
            return self._arg_name(n + index[0])

        P = _float_array(np, values, where)
        if P.shape != (len(self.params),):
            raise ValueError(say("compile.param_vector", n=len(self.params), shape=P.shape))
        return P

    def _rows_to_check(self, count: int) -> list[int]:
        """The samples of a batch the self-check compares: all for "always", else the
        first, middle and last."""
        if self.check == "always":
            return list(range(count))
        return sorted({0, count // 2, count - 1})

    def _call_batch(
        self,
        np: Any,
        fn: Callable[..., Any],
        arrays: list[Any],
        shape: tuple[int, ...],
        reduce: str | None,
    ) -> tuple[Any, tuple[Any, ...]]:
        """The scalar program on arrays: one column per argument, per-sample gradients."""
        # overflow, 0/0 and log of a negative number are errors, as in the eager engine
        with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
            try:
                out, grads = fn(*arrays)
            except FloatingPointError as exc:
                raise _numpy_failure(exc) from None
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
            where = say("compile.sample", k=k)
            self._compare(at[:n], at[n:m], at[m], at[m + 1 : m + 1 + n], at[m + 1 + n :], where)


def check_mode(check: object) -> None:
    if not isinstance(check, str) or check not in CHECKS:
        raise ValueError(say("compile.check_mode", check=check))


def _disagreement(where: str, xs: list[float], what: str, got: float, want: float) -> str:
    """The TraceError of the self-check: what was measured, then the causes it may have."""
    return say("compile.disagree", where=where, xs=xs, what=what, got=got, want=want)


def _agree(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-7, abs_tol=1e-9)


def _eager(
    f: Callable[..., Any], xs: list[float], params: list[Value], values: list[float]
) -> tuple[float, list[float], list[float]] | None:
    """f's output and its gradients (inputs, parameters) at xs with the parameters set to
    ``values``, by the eager engine (None if it fails). The parameters' ``.data`` is put
    back afterwards."""
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
        raise type(exc)(say("compile.compiled_function") + f", {where}: {exc}") from None
    subject = say("compile.compiled_function") + f", {where}"
    raise TypeError(f"{subject}: " + say("compile.not_a_number", x=x))


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
        subject = say("compile.compiled_function") + f", {where(None)}"
        raise ValueError(f"{subject}: " + say("compile.ragged")) from None
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
        mismatch = say("compile.shapes_mismatch", shapes=", ".join(map(str, shapes)))
        raise ValueError(say("compile.compiled_function") + f": {mismatch}") from None
    if math.prod(shape) == 0:
        raise ValueError(say("compile.empty_batch"))
    return shape


def _check_reduce(reduce: object, batch: bool) -> None:
    """``reduce`` is None, "sum" or "mean", and only given with a batch."""
    if reduce not in (None, "sum", "mean"):
        raise ValueError(say("compile.reduce_value", reduce=reduce))
    if reduce is not None and not batch:
        raise ValueError(say("compile.reduce_needs_batch"))


def _is_batch(a: Any) -> bool:
    if a.__class__ is float:  # the common case (a parameter), answered first
        return False
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


class Lifted(Compiled):
    """A ``Compiled`` with the lifted program: its batch code works on blocks (matrices).

    ``source`` is the lifted program; ``scalar_source`` the one-line-per-node program.
    Called like ``Compiled``: on numbers, or on a batch with ``reduce="sum"`` or ``"mean"``
    (the lifted program); a batch with ``reduce=None`` needs per-sample parameter gradients,
    which only the scalar program computes, so it runs that one. ``step(X, P)`` is the fast
    path for training. ``extras``: nodes whose per-sample values ``step`` also returns.
    """

    def __init__(
        self,
        tr: Trace,
        f: Callable[..., Any] | None = None,
        extras: Sequence[Value] = (),
        check: str = "first",
    ) -> None:
        super().__init__(tr, f, check, lift=True, extras=extras)


def _shaped(np: Any, a: Any, shape: tuple[int, ...]) -> Any:
    """``a`` with the given shape; a number or a smaller array is broadcast (read-only)."""
    if getattr(a, "shape", None) == shape:
        return a
    return np.broadcast_to(np.asarray(a, dtype=float), shape)
