"""Function transformations: ``grad``, ``value_and_grad``, ``hessian``, ``hvp``.

These turn a function of numbers into the function of its derivatives. The derivatives are
computed by ``engine.gradients``, which applies the rules of the derivative table (``ops.py``)
to Values instead of floats. The result is therefore itself a graph of Values, so it can be
differentiated again: ``grad(grad(grad(f)))`` needs no second set of formulas.

>>> from micrograd_kr import grad
>>> f = lambda x: x**3
>>> grad(f)(2.0).data, grad(grad(f))(2.0).data, grad(grad(grad(f)))(2.0).data
(12.0, 12.0, 6.0)
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from typing import Any, Union

from .engine import Value, enable_grad, gradients

__all__ = ["grad", "value_and_grad", "hessian", "hvp"]

ArgNums = Union[int, Sequence[int]]
Func = Callable[..., Any]


def _leaf(x: Any, position: int) -> Value:
    """The variable to differentiate with respect to: a new leaf for a number.

    For a Value (an outer ``grad`` is differentiating too) it is a new node ``x + 0.0``: the
    same number, linked to ``x`` so that the outer derivative flows through it, but a
    different node, so that this derivative counts only the uses of the argument and not the
    uses of ``x`` that ``f`` closes over ("perturbation confusion").
    """
    if isinstance(x, Value):
        return x + 0.0
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(
            f"argument {position} must be a number or a Value to be differentiated, "
            f"got {type(x).__name__}"
        )
    return Value(x)


def _normalise_argnums(argnums: ArgNums, nargs: int) -> tuple[int, ...]:
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    if not nums:
        raise ValueError("argnums is empty: say which arguments to differentiate")
    for i in nums:
        if not isinstance(i, int) or isinstance(i, bool):
            raise TypeError(f"argnums must hold ints, got {type(i).__name__}")
        if not -nargs <= i < nargs:
            raise IndexError(f"argnums {i} is out of range for {nargs} argument(s)")
    return tuple(i % nargs for i in nums)


def _as_output(out: Any) -> Value:
    """The function's result as a Value; a plain number is a constant (all derivatives 0)."""
    if isinstance(out, Value):
        return out
    if isinstance(out, numbers.Real) and not isinstance(out, bool):
        return Value(out)
    raise TypeError(
        f"the function must return a Value or a number (a scalar), got {type(out).__name__}"
    )


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
            raise ValueError("hessian needs at least one argument")
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
            raise ValueError(f"args has {len(args)} entries but v has {len(v)}")
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
