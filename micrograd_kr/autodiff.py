"""Function transformations: ``grad``, ``value_and_grad``, ``hessian``, ``hvp``, ``vjp``,
``jacrev``, and ``backward(create_graph=True)``.

These turn a function of numbers into the function of its derivatives. The derivatives are
computed by ``gradients``, which applies the rules of the derivative table (``ops.py``) to
Values instead of floats (``ValueMath``, one of the table's four interpreters). The result is
therefore itself a graph of Values, so it can be differentiated again:
``grad(grad(grad(f)))`` needs no second set of formulas.

>>> from micrograd_kr import grad
>>> f = lambda x: x**3
>>> grad(f)(2.0).data, grad(grad(f))(2.0).data, grad(grad(grad(f)))(2.0).data
(12.0, 12.0, 6.0)
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Union

from .engine import Constant, Value, apply_op, enable_grad
from .functional import as_value
from .graph import topological_order
from .messages import say
from .mode import forward_numbers, rules_on_values
from .ops import FLOAT, OPS, FloatInRule, Function, Interpreter, Math, Op, float_only_rule

__all__ = ["grad", "value_and_grad", "hessian", "hvp", "gradients", "ValueMath", "VALUE_MATH"]
__all__ += ["vjp", "jacrev", "backward_with_graph", "as_outputs", "value_locals"]

Operand = Union[Value, int, float]
ArgNums = Union[int, Sequence[int]]
Func = Callable[..., Any]


def _recorded(row: Op, *operands: Any) -> Value:
    """``apply_op`` recording a node even inside ``jvp`` (whose numbers would otherwise apply
    the row their own way): a forward-mode number enters this graph as a leaf."""
    token = forward_numbers.set(None)
    try:
        return apply_op(row, *operands)
    finally:
        forward_numbers.reset(token)


def _leaf(x: Any, position: int) -> Value:
    """The variable to differentiate with respect to: a new leaf for a number.

    For a Value (an outer ``grad`` is differentiating too) it is a new node ``x + 0.0``: the
    same number, linked to ``x`` so that the outer derivative flows through it, but a
    different node, so that this derivative counts only the uses of the argument and not the
    uses of ``x`` that ``f`` closes over ("perturbation confusion").
    """
    if isinstance(x, Value):
        return _recorded(OPS["add"], x, 0.0)  # not x's own +: a jvp number becomes a leaf here
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        kind = type(x).__name__
        raise TypeError(say("autodiff.argument_not_number", position=position, kind=kind))
    return Value(x)


def _normalise_argnums(argnums: ArgNums, nargs: int) -> tuple[int, ...]:
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    if not nums:
        raise ValueError(say("autodiff.argnums_empty"))
    for i in nums:
        if not isinstance(i, int) or isinstance(i, bool):
            raise TypeError(say("autodiff.argnums_not_int", kind=type(i).__name__))
        if not -nargs <= i < nargs:
            raise IndexError(say("autodiff.argnums_out_of_range", i=i, nargs=nargs))
    result = tuple(i % nargs for i in nums)
    if len(set(result)) != len(result):
        raise ValueError(say("autodiff.argnums_twice", nums=nums))
    return result


def _as_output(out: Any) -> Value:
    """The function's result as a Value; a plain number is a constant (all derivatives 0)."""
    if isinstance(out, Value):
        return out
    if isinstance(out, numbers.Real) and not isinstance(out, bool):
        return Value(out)
    raise TypeError(say("autodiff.not_scalar", kind=type(out).__name__))


def as_outputs(out: Any) -> tuple[list[Value], bool]:
    """A function's result as a list of Values, and whether it was a single one (not a list)."""
    if not isinstance(out, (list, tuple)):
        return [_as_output(out)], True
    outs = []
    for i, o in enumerate(out):
        if isinstance(o, bool) or not isinstance(o, (Value, numbers.Real)):
            raise TypeError(say("forward.bad_output", index=i, got=type(o).__name__))
        outs.append(_as_output(o))
    return outs, False


def value_and_grad(f: Func, argnums: ArgNums = 0) -> Callable[..., tuple[Value, Any]]:
    """A function returning ``(f(*args), df/d args[argnums])``, all as Values.

    With an int ``argnums`` the gradient is one Value; with a tuple it is a tuple of Values,
    one per listed argument. Arguments may be numbers or Values; the results depend on them
    as a graph, so they can be differentiated again.
    """
    single = isinstance(argnums, int)

    def value_and_grad_f(*args: Any) -> tuple[Value, Any]:
        nums = _normalise_argnums(argnums, len(args))
        call_args = list(args)
        wrt: list[Value] = []
        # grad is a function transformation: it ignores an outer no_grad() (as torch.func.grad
        # does), which would otherwise make every derivative a silent 0. A no_grad() inside f
        # is still respected.
        with enable_grad():
            for i in nums:
                call_args[i] = _leaf(args[i], i)
                wrt.append(call_args[i])
            out = _as_output(f(*call_args))
            gs = gradients(out, wrt, create_graph=True)
        return out, (gs[0] if single else tuple(gs))

    value_and_grad_f.__name__ = f"value_and_grad_{getattr(f, '__name__', 'f')}"
    value_and_grad_f.__doc__ = f"Value and gradient of {getattr(f, '__name__', 'f')}."
    return value_and_grad_f


def grad(f: Func, argnums: ArgNums = 0) -> Callable[..., Any]:
    """The gradient of ``f`` with respect to argument(s) ``argnums``, as a function.

    ``grad(f)(x)`` is a Value equal to f'(x). It is built from the derivative table applied
    to Values, so ``grad(grad(f))(x)`` is f''(x), and so on to any order.

    >>> grad(lambda x, y: x * y, argnums=(0, 1))(3.0, 4.0)[1].data
    3.0
    """
    vg = value_and_grad(f, argnums)

    def grad_f(*args: Any) -> Any:
        return vg(*args)[1]

    grad_f.__name__ = f"grad_{getattr(f, '__name__', 'f')}"
    grad_f.__doc__ = f"Gradient of {getattr(f, '__name__', 'f')}."
    return grad_f


def hessian(f: Func) -> Callable[..., list[list[Value]]]:
    """``hessian(f)(*args)[i][j]`` is d²f / d args[i] d args[j], for every positional argument.

    Reverse over reverse: the gradient is a list of Values that depend on the inputs, and
    each of them is differentiated once more. Meant for functions of a few inputs (the cost
    grows with the number of inputs times the size of the graph).
    """

    def hessian_f(*args: Any) -> list[list[Value]]:
        if not args:
            raise ValueError(say("autodiff.hessian_no_args"))
        with enable_grad():  # as in grad: an outer no_grad() must not make it 0
            xs = [_leaf(x, i) for i, x in enumerate(args)]
            out = _as_output(f(*xs))
            first = gradients(out, xs, create_graph=True)
            return [gradients(g, xs, create_graph=True) for g in first]

    hessian_f.__name__ = f"hessian_{getattr(f, '__name__', 'f')}"
    return hessian_f


def hvp(f: Func) -> Callable[[Sequence[Any], Sequence[Any]], list[Value]]:
    """``hvp(f)(args, v)``: the Hessian of ``f`` at ``args`` times the vector ``v``.

    Computed without forming the Hessian: H v is the gradient of the scalar
    (grad f · v), so it costs about two gradient evaluations whatever the number of inputs.
    """

    def hvp_f(args: Sequence[Any], v: Sequence[Any]) -> list[Value]:
        if len(args) != len(v):
            raise ValueError(say("autodiff.hvp_lengths", n_args=len(args), n_v=len(v)))
        with enable_grad():  # as in grad: an outer no_grad() must not make it 0
            xs = [_leaf(x, i) for i, x in enumerate(args)]
            out = _as_output(f(*xs))
            g = gradients(out, xs, create_graph=True)
            g_dot_v: Value = Value(0.0)
            for gi, vi in zip(g, v):
                g_dot_v = g_dot_v + gi * vi
            return gradients(g_dot_v, xs, create_graph=True)

    hvp_f.__name__ = f"hvp_{getattr(f, '__name__', 'f')}"
    return hvp_f


def vjp(f: Func, *primals: Any) -> tuple[Any, Callable[[Any], tuple[Value, ...]]]:
    """``(f(*primals), vjp_fn)``: ``vjp_fn(c)`` is c·J, one Value per primal (as in JAX).

    ``c`` holds one number (or Value) per output of ``f``: a bare number when ``f`` returns
    one Value. One reverse sweep per call of ``vjp_fn``, whatever the number of inputs; the
    graph of ``f`` is kept between calls. The results differentiate again.
    """
    with enable_grad():  # as in grad: an outer no_grad() must not make it 0
        xs = [_leaf(x, i) for i, x in enumerate(primals)]
        out = f(*xs)
        outs, single = as_outputs(out)

    def vjp_fn(cotangent: Any) -> tuple[Value, ...]:
        cs = [cotangent] if single else cotangent
        if not isinstance(cs, (list, tuple)) or len(cs) != len(outs):
            got = len(cs) if isinstance(cs, (list, tuple)) else type(cs).__name__
            raise ValueError(say("forward.cotangent_count", outputs=len(outs), got=got))
        with enable_grad():
            total = _recorded(OPS["dot"], *cs, *outs)  # sum_j c_j out_j: d/d(out_j) is c_j
            return tuple(gradients(total, xs, create_graph=True))

    return (outs[0] if single else outs), vjp_fn


def jacrev(f: Func) -> Callable[..., list[list[Value]]]:
    """The Jacobian of ``f: R^n -> R^m`` by reverse mode: ``jacrev(f)(*args)[i][j]`` is
    d out_i / d args[j], an m x n nested list of Values (a single output counts as m = 1).

    One reverse sweep per output (m sweeps); ``jacfwd`` (forward.py) needs one forward sweep
    per input instead. The entries are Values that differentiate again.
    """

    def jacrev_f(*args: Any) -> list[list[Value]]:
        if not args:
            raise ValueError(say("forward.no_arguments", what="jacrev"))
        with enable_grad():
            xs = [_leaf(x, i) for i, x in enumerate(args)]
            outs, _ = as_outputs(f(*xs))
            return [gradients(o, xs, create_graph=True) for o in outs]

    jacrev_f.__name__ = f"jacrev_{getattr(f, '__name__', 'f')}"
    return jacrev_f


# --- the table run on Values: derivatives of derivatives ---------------------------------------

_GT, _LT, _WHERE, _MAX = OPS["gt"], OPS["lt"], OPS["where"], OPS["max"]


class ValueMath(Interpreter):
    """The math namespace for Values: the derivative rules of ops.py build new graph nodes.

    Running the same rules on Values instead of floats makes the gradient itself a Value
    that depends on the inputs, so it can be differentiated again. Comparisons and choices
    (``gt``, ``lt``, ``where``) become nodes too, so the derivative graph has no Python
    branch in it: ``compile(grad(f))`` works on both sides of every kink.
    """

    def implement(self, f: Function) -> Callable[..., Any]:
        row = OPS[f.row]  # m.exp(x) is a new exp node: the Value method x.exp()
        return lambda *xs: apply_op(row, *map(as_value, xs))

    @staticmethod
    def gt(a: Any, b: Any) -> Any:
        if isinstance(a, Value) or isinstance(b, Value):
            return apply_op(_GT, a, b)  # 1.0 or 0.0, as a node
        return a > b

    @staticmethod
    def lt(a: Any, b: Any) -> Any:
        if isinstance(a, Value) or isinstance(b, Value):
            return apply_op(_LT, a, b)
        return a < b

    @staticmethod
    def where(cond: Any, a: Any, b: Any) -> Any:
        if not isinstance(cond, Value):
            return a if cond else b  # decided by numbers alone: the same for every input
        if cond.__class__ is Constant:
            return a if cond.data else b
        if a is b:
            return a
        return apply_op(_WHERE, cond, a, b)

    @staticmethod
    def maximum(*xs: Operand) -> Value:
        return apply_op(_MAX, *xs)  # any number of inputs: the n-ary row max

    @staticmethod
    def sum(xs: Sequence[Operand]) -> Value:
        return apply_op(OPS["sum"], *xs)

    @staticmethod
    def dot(ws: Iterable[Operand], xs: Iterable[Operand]) -> Value:
        return apply_op(OPS["dot"], *ws, *xs)


VALUE_MATH: Math = ValueMath()


def _scaled(local: Any, g: Value) -> Value | None:
    """local * g, skipping the multiplication when it changes nothing."""
    if isinstance(local, Value):
        return local * g
    if local == 0.0:
        return None
    return g if local == 1.0 else local * g


def _local_rules(node: Value) -> list[tuple[Value, Any]]:
    """(input, d(node)/d(input)) as Values, for each input that needs a gradient."""
    # a constant needs no gradient: its rule is skipped
    wanted = [i for i, x in enumerate(node._prev) if x.__class__ is not Constant]
    return list(zip([node._prev[i] for i in wanted], value_locals(node, wanted)))


def value_locals(node: Value, positions: Sequence[int]) -> list[Any]:
    """d(node)/d(input i) for each i of ``positions``, the rules run on Values (a graph each;
    forward mode's sweep over a recorded graph uses them too)."""
    row = node._row
    assert row is not None
    token = rules_on_values.set(True)  # float(Value) in a rule would be a silent 0 later
    try:
        if row.each is not None:
            each = row.each(VALUE_MATH, node, list(node._prev))
            return [each[i] for i in positions]
        return [_local(node, i) for i in positions]
    finally:
        rules_on_values.reset(token)


def _local(node: Value, i: int) -> Any:
    """d(node)/d(input i) as a Value, from the rule run on Values."""
    row = node._row
    assert row is not None
    try:
        return row.derivatives[i](VALUE_MATH, node, *node._prev)
    except FloatInRule:
        pass
    # A learner's rule written with math.* works on floats only: its number is right, but it
    # cannot be differentiated again. It becomes a node whose own derivative says so.
    return apply_op(_float_only_row(row, i), *node._prev)


def _float_only_row(row: Op, i: int) -> Op:
    name = f"{row.name}_d{i}"

    def forward(m: Any, *xs: Any) -> Any:
        if m is not FLOAT:
            refuse(m)
        return row.derivatives[i](FLOAT, row.forward(FLOAT, *xs), *xs)

    def refuse(m: Any, *rest: Any) -> Any:
        raise TypeError(f"{row.name}: {float_only_rule(f'derivatives[{i}]', 'math.* or float()')}")

    return Op(name, name, forward, tuple(refuse for _ in row.derivatives))


def gradients(output: Value, inputs: Sequence[Value], create_graph: bool = True) -> list[Value]:
    """d(output)/d(input) for each input, as Values; ``.grad`` fields are left untouched.

    With ``create_graph=True`` the results are themselves nodes of a graph that depends on
    the inputs, so they can be differentiated again (``grad(grad(f))``). With
    ``create_graph=False`` they are plain leaf Values.
    """
    if not isinstance(output, Value):
        raise TypeError(say("autodiff.gradients_output", kind=type(output).__name__))
    # under no_grad() the derivative rules would build nodes without inputs, and every
    # higher derivative would silently be 0
    with enable_grad():
        grads = _reverse_sweep(output, Value(1.0))
        result = [grads.get(x, Value(0.0)) for x in inputs]
    if not create_graph:
        result = [Value(r.data) for r in result]
    return result


def _reverse_sweep(output: Value, seed: Value) -> dict[Value, Value]:
    """d(output)/d(node) for every node it depends on (none for an unreached one), as Values."""
    grads: dict[Value, Value] = {output: seed}
    for node in reversed(topological_order(output)):
        g = grads.get(node)
        if g is None or not node._prev:
            continue
        for parent, d in _local_rules(node):
            contribution = _scaled(d, g)
            if contribution is None:
                continue
            previous = grads.get(parent)
            grads[parent] = contribution if previous is None else previous + contribution
    return grads


def backward_with_graph(root: Value, seed: float) -> None:
    """``root.backward(seed, create_graph=True)``: every ``.grad`` becomes a Value with a graph.

    The same reverse sweep as ``gradients``, the table run on Values, so ``x.grad`` can be
    differentiated again: ``x.grad.backward()`` (DeZero's Newton's method, PyTorch's
    ``create_graph=True``). As in ``backward()``: the gradients of the nodes between are
    recomputed, a leaf's accumulates (``cleargrad()`` sets it to 0 first), and a constant's
    is still worked out when read.
    """
    with enable_grad():  # as in grad: an outer no_grad() must not make it 0
        grads = _reverse_sweep(root, Value(seed))
        for node in topological_order(root):
            g = grads.get(node)
            if node.__class__ is Constant:
                continue
            if node._prev:
                node.grad = Value(0.0) if g is None else g
            elif g is not None:
                now = node.grad
                node.grad = g if now.__class__ is float and now == 0.0 else now + g
