"""micrograd_kr: a scalar reverse-mode autodiff engine for learning backpropagation."""

from .engine import (
    DomainError,
    Parameter,
    Value,
    gradients,
    is_grad_enabled,
    maximum,
    minimum,
    no_grad,
    zero_grad,
)
from .gradcheck import GradcheckError, gradcheck, numerical_grad
from .viz import Diagram, animate_backward, draw_dot

__version__ = "0.1.0"

__all__ = [
    "Diagram",
    "animate_backward",
    "draw_dot",
    "DomainError",
    "GradcheckError",
    "Parameter",
    "Value",
    "gradcheck",
    "gradients",
    "is_grad_enabled",
    "maximum",
    "minimum",
    "no_grad",
    "numerical_grad",
    "zero_grad",
]
