"""micrograd_kr: a scalar reverse-mode autodiff engine for learning backpropagation.

``import micrograd_kr`` loads the engine core only: ``engine``, ``ops``, ``graph``,
``autodiff``, ``forward``, ``nn``, ``functional``, ``optim``, ``data`` and ``gradcheck``, all
pure Python.
The visualiser (``draw_dot``, ``viz``), the compiler (``compile``), the training loop
(``train``) and the fonts load on first use (PEP 562 module ``__getattr__``), so the core
imports fast and runs without NumPy or matplotlib installed.
"""

import importlib as _importlib
import typing as _typing

# neural networks on the engine: micrograd_kr.nn.MLP, micrograd_kr.functional.softmax, ...
from . import data, functional, nn, optim
from .autodiff import grad, gradients, hessian, jacrev, value_and_grad, vjp
from .engine import (
    DomainError,
    GraphError,
    Parameter,
    TraceError,
    Value,
    enable_grad,
    is_grad_enabled,
    maximum,
    minimum,
    no_grad,
)
from .forward import hvp, jacfwd, jacobian, jvp
from .functional import define_op, zero_grad
from .gradcheck import GradcheckError, gradcheck, numerical_grad

if _typing.TYPE_CHECKING:  # what the lazy names below are, for type checkers and editors
    from . import compiler as compiler
    from . import fonts as fonts
    from . import train as train
    from . import viz as viz
    from .compiler import compile
    from .viz import Diagram, animate_backward, draw_dot

# Loaded on first use: name -> (submodule, attribute), or (submodule, None) for the module.
_LAZY: dict[str, tuple[str, str | None]] = {
    "compile": (".compiler", "compile"),
    "compiler": (".compiler", None),
    "Diagram": (".viz", "Diagram"),
    "animate_backward": (".viz", "animate_backward"),
    "draw_dot": (".viz", "draw_dot"),
    "viz": (".viz", None),
    "fonts": (".fonts", None),
    "train": (".train", None),
}


def __getattr__(name: str) -> _typing.Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module_name, attribute = _LAZY[name]
    module = _importlib.import_module(module_name, __name__)
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    # the names an eager import would show: public names, submodules and module dunders
    hidden = {"__getattr__", "__dir__", "__annotations__"}
    shown = {n for n in globals() if (n[0] != "_" or n.endswith("__")) and n not in hidden}
    return sorted(shown | set(_LAZY))


__version__ = "0.1.0"

__all__ = [
    "Diagram",
    "DomainError",
    "GradcheckError",
    "GraphError",
    "TraceError",
    "Parameter",
    "Value",
    "animate_backward",
    "data",
    "functional",
    "nn",
    "optim",
    "train",
    "compile",
    "define_op",
    "draw_dot",
    "enable_grad",
    "grad",
    "gradcheck",
    "gradients",
    "hessian",
    "hvp",
    "jacfwd",
    "jacobian",
    "jacrev",
    "jvp",
    "is_grad_enabled",
    "maximum",
    "minimum",
    "no_grad",
    "numerical_grad",
    "value_and_grad",
    "vjp",
    "zero_grad",
]
