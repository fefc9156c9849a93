"""PyTorch export: the dense layers of ``micrograd_kr.nn`` as ``torch.nn`` modules.

torch is imported only when an export is asked for, so micrograd_kr never needs it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

from .messages import say

if TYPE_CHECKING:
    import torch

    from .engine import Parameter

__all__ = ["require_torch", "sequential"]


class _Dense(Protocol):
    """What the export reads from a neuron: its pieces' weights and biases."""

    ws: list[list[Parameter]]
    bs: list[Parameter]


def require_torch() -> Any:
    """The torch module, or an ImportError that says how to install it."""
    try:
        import torch
    except ImportError:
        raise ImportError(say("torch_export.needs_torch")) from None
    return torch


_torch_maxout: Any = None


def _maxout_module(k: int) -> torch.nn.Module:
    """A torch module taking the max over groups of ``k`` consecutive features."""
    global _torch_maxout
    if _torch_maxout is None:
        import torch

        class Maxout(torch.nn.Module):
            """max over each group of k consecutive features (micrograd_kr's maxout)."""

            def __init__(self, k: int) -> None:
                super().__init__()
                self.k = k

            def forward(self, x: torch.Tensor) -> torch.Tensor:
                # amax gives k tied pieces 1/k each, as the n-ary max of ops.py does
                return x.unflatten(-1, (-1, self.k)).amax(dim=-1)

            def extra_repr(self) -> str:
                return f"k={self.k}"

        _torch_maxout = Maxout
    module: torch.nn.Module = _torch_maxout(k)
    return module


def _dense(
    neurons: Sequence[_Dense], module: str | None, setting: float | None
) -> list[torch.nn.Module]:
    """A float64 ``Linear`` holding the neurons' weights, then the activation ``module``."""
    import torch

    # piece j of neuron i is row i*k + j, so Maxout's groups of k rows are the neurons
    rows = [w for n in neurons for w in n.ws]
    linear = torch.nn.Linear(len(rows[0]), len(rows), dtype=torch.float64)
    with torch.no_grad():
        linear.weight.copy_(torch.tensor([[p.data for p in w] for w in rows], dtype=torch.float64))
        linear.bias.copy_(
            torch.tensor([b.data for n in neurons for b in n.bs], dtype=torch.float64)
        )
    if module is None:  # linear
        return [linear]
    if module == "Maxout":
        return [linear, _maxout_module(len(neurons[0].ws))]
    make = getattr(torch.nn, module)
    activation: torch.nn.Module = make() if setting is None else make(setting)  # LeakyReLU(slope)
    return [linear, activation]


def sequential(
    layers: Sequence[tuple[Sequence[_Dense], str | None, float | None]],
) -> torch.nn.Module:
    """A ``torch.nn.Sequential`` of dense layers: for each, its neurons, the name of its
    activation module in ``torch.nn`` (None: linear) and that module's setting, if any."""
    nn = require_torch().nn  # first: without torch, say how to install it
    modules = [m for neurons, module, setting in layers for m in _dense(neurons, module, setting)]
    result: torch.nn.Module = nn.Sequential(*modules)
    return result
