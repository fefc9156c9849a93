"""micrograd_kr: a scalar reverse-mode autodiff engine for learning backpropagation."""

# neural networks on the engine: micrograd_kr.nn.MLP, micrograd_kr.functional.softmax, ...
from . import data, functional, nn, optim, train
from .autodiff import grad, gradients, hessian, hvp, value_and_grad
from .compiler import compile
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
from .functional import define_op, zero_grad
from .gradcheck import GradcheckError, gradcheck, numerical_grad
from .viz import Diagram, animate_backward, draw_dot

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
    "is_grad_enabled",
    "maximum",
    "minimum",
    "no_grad",
    "numerical_grad",
    "value_and_grad",
    "zero_grad",
]
