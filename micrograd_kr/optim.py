"""Optimizers: they read each parameter's ``.grad`` and change its ``.data``.

The update formulas are PyTorch's (``torch.optim.SGD`` and ``torch.optim.Adam``), written out
for one scalar at a time. Updates change ``.data`` directly, so they build no graph.

A training step always has the same four lines::

    loss = ...                # forward
    optimizer.zero_grad()     # leaf gradients accumulate, so clear them first
    loss.backward()           # fill every parameter's .grad
    optimizer.step()          # move each parameter against its gradient

``step()`` computes every new value first and writes them only when all are finite: an update
that would make a parameter (or the optimizer's running state) inf or nan raises
``FloatingPointError`` naming the parameter, and changes nothing.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from math import isfinite  # a local name: called for every parameter on every step

from ._args import refused
from .engine import Value
from .messages import say

__all__ = ["Optimizer", "SGD", "Adam", "AdamW"]

# what a refused step names: the message key of each quantity a step computes
_VALUE = "optim.new_value"
_BUFFER = "optim.new_buffer"
_MEAN = "optim.new_mean"
_SQUARE_MEAN = "optim.new_square_mean"


def _nonnegative(value: float, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(refused(say("shared.must_be_number", what=what), repr(value)))
    if not (math.isfinite(value) and value >= 0.0):
        raise ValueError(refused(say("args.finite_nonnegative", what=what), repr(value)))
    return float(value)


class Optimizer:
    """Holds the parameters to update; subclasses implement ``step()``."""

    def __init__(self, params: Iterable[Value], lr: float) -> None:
        if isinstance(params, Value):
            raise TypeError(say("optim.params_one_value"))
        if hasattr(params, "parameters") and not hasattr(params, "__iter__"):
            raise TypeError(say("optim.params_model"))
        self.params: list[Value] = list(params)
        if not self.params:
            raise ValueError(say("optim.params_empty"))
        for i, p in enumerate(self.params):
            if not isinstance(p, Value):
                raise TypeError(say("optim.param_type", i=i, kind=type(p).__name__))
            if p._prev:
                not_leaf = say("optim.param_not_leaf", i=i, op=repr(p.op))
                raise ValueError(f"{not_leaf}; " + say("optim.pass_leaves"))
        if len({id(p) for p in self.params}) != len(self.params):
            raise ValueError(say("optim.param_twice"))
        self.lr = _nonnegative(lr, "lr")
        self.steps = 0  # how many times step() has run

    def zero_grad(self) -> None:
        """Set every parameter's ``.grad`` to 0 before the next ``backward()``."""
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        raise NotImplementedError

    def _name(self, i: int) -> str:
        label = self.params[i].label
        return f"params[{i}]" + (f" ({label!r})" if label else "")

    def _refuse(self, i: int, value: float, what: str) -> None:
        """Raise (before anything is written): ``value``, ``what`` of params[i], is inf or nan.

        ``what`` is the message key that names the quantity (``_VALUE``, ``_BUFFER``, ...).
        """
        p, name = self.params[i], self._name(i)
        new = say(what, name=name, value=value)
        kept = say("optim.step_refused", data=repr(p.data), grad=repr(float(p.grad)))
        hint = say("shared.smaller_lr")
        raise FloatingPointError(f"{type(self).__name__}.step(): {new}. {kept}; {hint}")

    def _write(self, new_data: list[float]) -> None:
        # every value was checked first: a refused step leaves all parameters as they were
        for p, x in zip(self.params, new_data):
            p.data = x

    def __repr__(self) -> str:
        return f"{type(self).__name__}(lr={self.lr}, {len(self.params)} parameters)"


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum and weight decay (L2).

    For each parameter p with gradient g, as ``torch.optim.SGD`` does::

        g = g + weight_decay * p
        buf = g                                      (first step)
        buf = momentum * buf + (1 - dampening) * g   (later steps)
        g = g + momentum * buf  if nesterov  else  buf      (only when momentum != 0)
        p = p - lr * g

    With the defaults this is plain gradient descent, p <- p - lr * dL/dp (seed 000).
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
        dampening: float = 0.0,
        nesterov: bool = False,
    ) -> None:
        super().__init__(params, lr)
        self.momentum = _nonnegative(momentum, "momentum")
        self.weight_decay = _nonnegative(weight_decay, "weight_decay")
        self.dampening = _nonnegative(dampening, "dampening")
        if nesterov and (self.momentum == 0.0 or self.dampening != 0.0):
            raise ValueError(say("optim.nesterov"))
        self.nesterov = nesterov
        self._buffers: list[float | None] = [None] * len(self.params)

    def step(self) -> None:
        """Update every parameter once from its current ``.grad``."""
        lr, mu, wd = self.lr, self.momentum, self.weight_decay
        new_data: list[float] = []
        new_buffers = list(self._buffers)
        for i, p in enumerate(self.params):
            g = float(p.grad)
            if wd != 0.0:
                g = g + wd * p.data
            if mu != 0.0:
                buf = new_buffers[i]
                buf = g if buf is None else mu * buf + (1.0 - self.dampening) * g
                if not isfinite(buf):
                    self._refuse(i, buf, _BUFFER)
                new_buffers[i] = buf
                g = g + mu * buf if self.nesterov else buf
            new_data.append(p.data - lr * g)
            if not isfinite(new_data[i]):
                self._refuse(i, new_data[i], _VALUE)
        self._write(new_data)
        self._buffers = new_buffers
        self.steps += 1


class Adam(Optimizer):
    """Adam: a step size for each parameter from running averages of g and g².

    For each parameter p with gradient g at step t (1, 2, ...), as ``torch.optim.Adam``::

        g = g + weight_decay * p                     (L2 penalty added to the gradient)
        m = beta1 * m + (1 - beta1) * g              (average gradient)
        v = beta2 * v + (1 - beta2) * g * g          (average squared gradient)
        p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)

    The (1 - beta^t) factors undo the bias of m and v starting at zero. ``weight_decay``
    defaults to 0 (``AdamW``: 0.01, as in PyTorch).
    """

    decoupled = False  # AdamW sets this: weight decay shrinks p directly
    default_weight_decay = 0.0  # what weight_decay=None means

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float | None = None,
    ) -> None:
        super().__init__(params, lr)
        if weight_decay is None:
            weight_decay = self.default_weight_decay
        beta1, beta2 = betas
        for i, beta in enumerate((beta1, beta2)):
            if not 0.0 <= _nonnegative(beta, f"betas[{i}]") < 1.0:
                raise ValueError(refused(say("optim.beta_range", i=i), repr(beta)))
        self.betas = (float(beta1), float(beta2))
        self.eps = _nonnegative(eps, "eps")
        if self.eps == 0.0:  # sqrt(v) is 0 until a gradient is nonzero: 0/0 on the first step
            raise ValueError(refused(say("optim.eps_positive"), "0"))
        self.weight_decay = _nonnegative(weight_decay, "weight_decay")
        self._m = [0.0] * len(self.params)
        self._v = [0.0] * len(self.params)

    def step(self) -> None:
        """Update every parameter once from its current ``.grad``."""
        t = self.steps + 1
        lr, eps, wd = self.lr, self.eps, self.weight_decay
        beta1, beta2 = self.betas
        step_size = lr / (1.0 - beta1**t)
        correction2_sqrt = math.sqrt(1.0 - beta2**t)
        new_data: list[float] = []
        new_m, new_v = list(self._m), list(self._v)
        for i, p in enumerate(self.params):
            g = float(p.grad)
            x = p.data
            if wd != 0.0:
                if self.decoupled:
                    x = x * (1.0 - lr * wd)
                else:
                    g = g + wd * x
            # m moves a fraction (1 - beta1) of the way towards g (PyTorch writes it as lerp)
            m = new_m[i] + (1.0 - beta1) * (g - new_m[i])
            v = new_v[i] * beta2 + (1.0 - beta2) * g * g
            # an infinite v would silently freeze p (m / inf = 0), so it is refused too
            if not isfinite(m):
                self._refuse(i, m, _MEAN)
            if not isfinite(v):
                self._refuse(i, v, _SQUARE_MEAN)
            new_m[i], new_v[i] = m, v
            denom = math.sqrt(v) / correction2_sqrt + eps
            new_data.append(x - step_size * (m / denom))
            if not isfinite(new_data[i]):
                self._refuse(i, new_data[i], _VALUE)
        self._write(new_data)
        self._m, self._v = new_m, new_v
        self.steps = t


class AdamW(Adam):
    """Adam with decoupled weight decay (``torch.optim.AdamW``): p <- p * (1 - lr * wd) first.

    The default ``weight_decay`` is 0.01, as in PyTorch.
    """

    decoupled = True
    default_weight_decay = 1e-2
