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

from .engine import Value

__all__ = ["Optimizer", "SGD", "Adam", "AdamW"]

# what a refused step names, in Korean and English
_VALUE = ("값", "value")
_BUFFER = ("모멘텀 버퍼", "momentum buffer")
_MEAN = ("기울기 이동 평균 m", "running mean m of the gradient")
_SQUARE_MEAN = ("기울기 제곱 이동 평균 v", "running mean v of the squared gradient")


def _nonnegative(value: float, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{what}은(는) 숫자여야 합니다 ({what} must be a number), got {value!r}")
    if not (math.isfinite(value) and value >= 0.0):
        raise ValueError(
            f"{what}은(는) 0 이상의 유한한 수여야 합니다 "
            f"({what} must be a finite number >= 0), got {value!r}"
        )
    return float(value)


class Optimizer:
    """Holds the parameters to update; subclasses implement ``step()``."""

    def __init__(self, params: Iterable[Value], lr: float) -> None:
        if isinstance(params, Value):
            raise TypeError(
                "params에는 Value 하나가 아니라 Value들의 리스트를 주세요 "
                "(params must be a list of Values (e.g. model.parameters()), not one)"
            )
        if hasattr(params, "parameters") and not hasattr(params, "__iter__"):
            raise TypeError(
                "모델이 아니라 모델의 매개변수 목록을 넘기세요 (pass model.parameters(), "
                "not the model itself)"
            )
        self.params: list[Value] = list(params)
        if not self.params:
            raise ValueError(
                "매개변수 목록이 비어 있습니다 (the optimizer got an empty parameter list)"
            )
        for i, p in enumerate(self.params):
            if not isinstance(p, Value):
                raise TypeError(
                    f"params[{i}]는 Value가 아닙니다 "
                    f"(params[{i}] is a {type(p).__name__}, not a Value)"
                )
            if p._prev:
                raise ValueError(
                    f"params[{i}]는 다른 값들로 계산된 값이라 학습할 수 없습니다 (not a leaf: "
                    f"made by {p.op!r}); 갱신해도 모델이 바뀌지 않습니다. 잎 노드 (leaf Value, "
                    "Parameter)만 넘기세요"
                )
        if len({id(p) for p in self.params}) != len(self.params):
            raise ValueError(
                "params에 같은 매개변수가 두 번 이상 있습니다 "
                "(a parameter appears more than once in params)"
            )
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

    def _refuse(self, i: int, value: float, what: tuple[str, str]) -> None:
        """Raise (before anything is written): ``value``, ``what`` of params[i], is inf or nan.

        ``what`` names the quantity in Korean and English.
        """
        p, (ko, en), name = self.params[i], what, self._name(i)
        raise FloatingPointError(
            f"{type(self).__name__}.step(): {name}의 새 {ko} = {value} "
            f"(the new {en} of {name} would be {value}; data={p.data!r}, "
            f"grad={float(p.grad)!r}). 어떤 파라미터도 바꾸지 않았습니다 (no parameter was "
            f"changed); 학습률(lr)을 줄여 보세요 (try a smaller lr)"
        )

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
            raise ValueError(
                "nesterov 모멘텀에는 momentum > 0, dampening = 0이 필요합니다 "
                "(nesterov momentum needs momentum > 0 and dampening = 0)"
            )
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
                raise ValueError(
                    f"betas[{i}]는 [0, 1) 안에 있어야 합니다 "
                    f"(betas[{i}] must be in [0, 1)), got {beta!r}"
                )
        self.betas = (float(beta1), float(beta2))
        self.eps = _nonnegative(eps, "eps")
        if self.eps == 0.0:  # sqrt(v) is 0 until a gradient is nonzero: 0/0 on the first step
            raise ValueError(
                "eps는 0보다 커야 합니다 "
                "(eps must be > 0: it keeps m / (sqrt(v) + eps) finite), got 0"
            )
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
