"""Neurons, layers and multi-layer perceptrons built from Values.

A neuron computes z = w·x + b (one ``dot`` node and one ``+`` node) and then an activation:

* ``"linear"``      z itself: a layer of linear neurons is the model y = Wᵀx + b (seeds 000/001)
* ``"relu"``        max(0, z)
* ``"tanh"``        tanh(z)
* ``"sigmoid"``     1 / (1 + e^-z)
* ``"leaky_relu"``  max(slope·z, z), slope 0.1 as in seed 004
* ``"elu"``         z for z > 0, alpha·(e^z - 1) otherwise
* ``"maxout"``      max(w_1·x + b_1, ..., w_k·x + b_k): ``maxout_k`` (default 2) linear pieces,
                    each with its own weights and bias, of which the largest wins (seed 004)

Weights are drawn from a seeded ``random.Random``, so the same ``seed`` gives the same model on
every run and machine. Initialisation scales by fan-in (the number of inputs ``nin``):

* weights ~ U(-g·sqrt(3/nin), +g·sqrt(3/nin)), which has variance g²/nin, with gain g = sqrt(2)
  for relu, leaky_relu, elu and maxout (He/Kaiming) and g = 1 otherwise (LeCun);
* biases ~ U(-1/sqrt(nin), +1/sqrt(nin)), as ``torch.nn.Linear`` does.

Models are saved as JSON (never pickle, so loading a file cannot run code):
``model.save(path)`` writes the architecture and every parameter; ``load(path)`` builds a new
model from the file alone; ``model.load(path)`` loads into an existing model of the same
architecture. The file format lives in ``serialize.py``, the PyTorch export in
``torch_export.py``.
"""

from __future__ import annotations

import math
import numbers
import operator
import os
import random
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, Any, TypeVar, Union

from .engine import (
    DomainError,
    Parameter,
    Value,
    apply_op,
    compute,
    computed_without_graph,
    is_grad_enabled,
)
from .ops import FLOAT, OPS
from .serialize import (
    FILE_FORMAT,
    FILE_VERSION,
    ModelFileError,
    canonical,
    describe_config,
    read_model_file,
    short_repr,
    write_model_file,
)
from .torch_export import dense, require_torch

if TYPE_CHECKING:
    import torch

__all__ = [
    "ACTIVATIONS",
    "Module",
    "Neuron",
    "Layer",
    "MLP",
    "ModelFileError",
    "load",
    "FILE_FORMAT",
    "FILE_VERSION",
]

ACTIVATIONS: tuple[str, ...] = (
    "linear",
    "relu",
    "tanh",
    "sigmoid",
    "leaky_relu",
    "elu",
    "maxout",
)
_HE_GAIN = frozenset({"relu", "leaky_relu", "elu", "maxout"})

Seed = Union[int, random.Random, None]
M = TypeVar("M", bound="Module")


# --- argument checks -------------------------------------------------------------------------


def _check_activation(name: object) -> str:
    if name is None:
        return "linear"
    if not isinstance(name, str) or name not in ACTIVATIONS:
        valid = ", ".join(repr(a) for a in ACTIVATIONS)
        raise ValueError(
            f"모르는 활성화 함수입니다 (unknown activation {short_repr(name)}); "
            f"쓸 수 있는 것 (valid activations are): {valid} (or None)"
        )
    return name


def _nonlin_activation(activation: object, nonlin: object) -> object:
    """micrograd's ``nonlin=True/False`` (ReLU or linear) as an activation name.

    A bool in the activation's place (``Neuron(3, False)``, micrograd's positional order)
    means the same.
    """
    if isinstance(activation, bool) and nonlin is None:
        activation, nonlin = "relu", activation
    if nonlin is None:
        return activation
    if not isinstance(nonlin, bool):
        raise TypeError(
            "nonlin은 True (ReLU) 또는 False (linear)여야 합니다 "
            "(nonlin must be True (ReLU) or False (linear), as in micrograd); "
            f"got {short_repr(nonlin)}"
        )
    if activation != "relu":  # "relu" is the default: anything else was asked for explicitly
        raise ValueError(
            f"활성화 함수는 한 번만 주세요: activation={short_repr(activation)} 또는 "
            f"micrograd의 nonlin={nonlin} 중 하나 (give the activation once, not both)"
        )
    return "relu" if nonlin else "linear"


def _positive_int(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(
            f"{what}: 양의 int여야 합니다 ({what} must be a positive int), got {short_repr(value)}"
        )
    return value


def _real(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{what}은(는) 실수여야 합니다 ({what} must be a real number), "
            f"got {type(value).__name__}: {short_repr(value)}"
        )
    x = float(value)
    if not math.isfinite(x):
        raise ValueError(f"{what}은(는) 유한한 수여야 합니다 ({what} must be finite), got {x!r}")
    return x


def _rng(seed: Seed) -> random.Random:
    """A ``random.Random`` for ``seed``: an int seeds a new one; a Random is used (and advanced)."""
    if isinstance(seed, random.Random):
        return seed
    if seed is None:
        return random.Random()  # unseeded: different weights every run
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(
            "seed는 int, random.Random 또는 None이어야 합니다 "
            f"(seed must be an int, a random.Random or None), got {seed!r}"
        )
    return random.Random(seed)


def _sample(x: object, nin: int, who: str) -> Sequence[Any]:
    """One sample as a sequence: a list or tuple as given, a NumPy row (or any 1-D array or
    iterable of numbers) as a list, a bare number when ``nin == 1``."""
    if isinstance(x, (Value, numbers.Real)) and not isinstance(x, bool):
        if nin != 1:
            raise ValueError(
                f"{who}: 입력 {nin}개가 필요한데 숫자 하나를 받았습니다 "
                f"({who} expects {nin} inputs, got a single number)"
            )
        return [x]
    if isinstance(x, Sequence) and not isinstance(x, (str, bytes)):
        return x
    ndim = getattr(x, "ndim", None)
    if isinstance(ndim, int) and hasattr(x, "tolist"):  # NumPy arrays, torch tensors
        if ndim != 1:
            shape = tuple(getattr(x, "shape", ()))
            raise ValueError(
                f"{who}: 한 번에 표본 하나만 받습니다 ({who} takes one sample at a time: "
                f"{nin} numbers in a 1-D row, got an array of shape {shape}); "
                "여러 표본에는 [model(row) for row in X]를 쓰세요"
            )
        row: list[Any] = x.tolist()
        return row
    if isinstance(x, (str, bytes, bytearray, Mapping, AbstractSet)) or not isinstance(x, Iterable):
        raise TypeError(
            f"{who}: 숫자나 Value {nin}개의 리스트가 필요합니다 "
            f"({who} expects a list of {nin} numbers or Values), got {type(x).__name__}"
        )
    return list(x)  # a generator or other ordered iterable


def _inputs(x: object, nin: int, who: str) -> list[Value]:
    """The inputs as Values, checking there are exactly ``nin`` of them."""
    x = _sample(x, nin, who)
    if len(x) != nin:
        raise ValueError(
            f"{who}: 입력 개수가 다릅니다 ({who} expects {nin} input(s), got {len(x)})"
        )
    out = []
    for i, v in enumerate(x):
        if isinstance(v, Value):
            out.append(v)
        elif isinstance(v, numbers.Real) and not isinstance(v, bool):
            out.append(Value(v, label=f"x{i}"))
        else:
            raise TypeError(
                f"{who}: 입력 {i}은(는) 숫자나 Value여야 합니다 "
                f"(input {i} must be a number or a Value), got {short_repr(v)}"
            )
    return out


_MAX = OPS["max"]
_LEAKY_RELU, _ELU = OPS["leaky_relu"], OPS["elu"]
_data_of = operator.attrgetter("data")


def _activate(z: Value, activation: str, slope: float, alpha: float) -> Value:
    if activation == "relu":
        return z.relu()
    if activation == "tanh":
        return z.tanh()
    if activation == "sigmoid":
        return z.sigmoid()
    if activation == "leaky_relu":
        return z.leaky_relu(slope)
    if activation == "elu":
        return z.elu(alpha)
    return z  # linear (maxout is handled by the neuron: it needs all its pieces)


def _activate_float(z: float, activation: str, slope: float, alpha: float) -> float:
    """``_activate`` on a plain float: the same forward rules of ops.py, with no node.

    These activations are defined and finite for every finite input, so the domain and
    overflow checks of ``compute`` are not needed here.
    """
    if activation == "leaky_relu":
        return _LEAKY_RELU.forward(FLOAT, z, slope)
    if activation == "elu":
        return _ELU.forward(FLOAT, z, alpha)
    if activation in ("relu", "tanh", "sigmoid"):
        return OPS[activation].forward(FLOAT, z)
    return z  # linear


def _affine(w: list[Parameter], b: Parameter, xs: list[float]) -> float:
    """w·x + b on plain floats: the dot and add forward rules, in the graph's order."""
    z = FLOAT.dot(map(_data_of, w), xs) + b.data
    if not math.isfinite(z):  # what compute() checks for every other op
        raise DomainError(f"Neuron: w·x + b가 넘쳤습니다 (w·x + b overflowed: {z})")
    return z


def _input_floats(x: object, nin: int, who: str) -> list[float]:
    return [v.data for v in _inputs(x, nin, who)]


# --- Module ----------------------------------------------------------------------------------


class Module:
    """Base class of everything with parameters: ``Neuron``, ``Layer``, ``MLP``.

    A subclass lists its own parameters in ``_own_parameters`` and its sub-modules in
    ``_children``; naming, ``zero_grad``, state dicts and files all follow from those two.
    """

    # -- parameters ---------------------------------------------------------------------------

    def _own_parameters(self) -> list[tuple[str, Parameter]]:
        return []

    def _children(self) -> list[tuple[str, Module]]:
        return []

    def named_parameters(self) -> list[tuple[str, Parameter]]:
        """(name, parameter) pairs in a fixed order, e.g. ``("layers.0.neurons.3.w.1", p)``."""
        out = list(self._own_parameters())
        for prefix, child in self._children():
            out.extend((f"{prefix}.{name}", p) for name, p in child.named_parameters())
        return out

    def parameters(self) -> list[Parameter]:
        """Every learnable Value (weights and biases), in the order of ``named_parameters``."""
        return [p for _, p in self.named_parameters()]

    def num_parameters(self) -> int:
        """How many scalar parameters the model has."""
        return len(self.named_parameters())

    def zero_grad(self) -> None:
        """Set the gradient of every parameter to 0 (leaf gradients accumulate otherwise)."""
        for p in self.parameters():
            p.grad = 0.0

    def _prefix_labels(self, prefix: str) -> None:
        # diagram labels: short, but unique within the model ("L1.n3.w0")
        for p in self.parameters():
            p.label = prefix + p.label

    # -- forward ------------------------------------------------------------------------------

    def forward(self, x: Any) -> Any:
        raise NotImplementedError

    def __call__(self, x: Any) -> Any:
        return self.forward(x)

    # -- architecture ---------------------------------------------------------------------------

    def config(self) -> dict[str, Any]:
        """The architecture as a JSON-ready dict: enough to rebuild the model, without weights."""
        raise NotImplementedError

    @classmethod
    def _from_config(cls, config: Mapping[str, Any]) -> Module:
        raise NotImplementedError

    @staticmethod
    def _count_for_config(config: Mapping[str, Any]) -> int:
        raise NotImplementedError

    @staticmethod
    def from_config(config: Mapping[str, Any], num_parameters: int | None = None) -> Module:
        """Build a fresh model (seed 0 weights) from ``config()`` output.

        With ``num_parameters`` the parameter count is checked *before* building, so a file
        that claims a huge network fails fast instead of filling memory.
        """
        if not isinstance(config, Mapping):
            raise ValueError(
                "architecture는 객체(dict)여야 합니다 "
                f"(architecture must be an object), got {type(config).__name__}"
            )
        kind = config.get("type")
        cls = _MODEL_TYPES.get(kind) if isinstance(kind, str) else None
        if cls is None:
            raise ValueError(
                f"모르는 모델 종류입니다 (unknown model type {short_repr(kind)}); "
                f"아는 종류 (known types are): {sorted(_MODEL_TYPES)}"
            )
        if num_parameters is not None:
            expected = cls._count_for_config(config)
            if expected != num_parameters:
                raise ValueError(
                    f"매개변수 개수가 구조와 다릅니다 (the architecture has {short_repr(expected)} "
                    f"parameters but {num_parameters} are given)"
                )
        return cls._from_config(config)

    # -- state dict ---------------------------------------------------------------------------

    def state_dict(self) -> dict[str, float]:
        """Every parameter value by name: ``{"layers.0.neurons.0.w.0": 0.31, ...}``."""
        return {name: p.data for name, p in self.named_parameters()}

    def _validated(self, state: object, source: str) -> list[tuple[Parameter, float]]:
        """Check a whole state dict against this model; nothing is changed here."""
        if not isinstance(state, Mapping):
            raise ModelFileError(
                f"{source}: parameters는 이름에서 숫자로 가는 매핑이어야 합니다 "
                "(parameters must be a mapping of name to number)"
            )
        named = self.named_parameters()
        names = {name for name, _ in named}
        missing = [name for name, _ in named if name not in state]
        unexpected = [key for key in state if key not in names]
        problems = []
        if missing:
            problems.append(f"missing {len(missing)} parameter(s), e.g. {short_repr(missing[:3])}")
        if unexpected:
            problems.append(
                f"{len(unexpected)} unexpected key(s), e.g. {short_repr(unexpected[:3])}"
            )
        if problems:
            raise ModelFileError(
                f"{source}: 매개변수가 모델과 맞지 않습니다 "
                f"(parameters do not match {self.describe()}): " + "; ".join(problems)
            )
        updates = []
        for name, p in named:
            value = state[name]
            if isinstance(value, Value):
                value = value.data
            try:
                updates.append((p, _real(value, f"parameter {name!r}")))
            except (TypeError, ValueError, OverflowError) as exc:
                raise ModelFileError(f"{source}: {exc}") from None
        return updates

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Set every parameter from ``state`` (as made by ``state_dict()``).

        All keys must match exactly and every value must be a finite number; otherwise
        ``ModelFileError`` is raised and no parameter is changed.
        """
        for p, value in self._validated(state, "load_state_dict"):
            p.data = value

    # -- files ----------------------------------------------------------------------------------

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the architecture and parameters to ``path`` as JSON, atomically.

        The file is written under a temporary name in the same directory and then renamed
        over ``path``, so a crash leaves either the old file or the new one, never half of
        one. Floats are written with ``repr`` precision, so loading gives bit-identical values.
        """
        write_model_file(path, self.config(), self.state_dict())

    def load(self: M, path: str | os.PathLike[str]) -> M:
        """Load parameters from a file written by ``save`` into this model; return the model.

        The file must describe the same architecture. On any problem (unreadable, corrupted or
        truncated JSON, another architecture, missing or extra parameters, non-numeric or
        non-finite values, not a regular file, larger than 256 MB) ``ModelFileError`` is raised
        and the model is left exactly as it was. To build a new model from a file, use
        ``micrograd_kr.nn.load(path)``.
        """
        architecture, parameters = read_model_file(path)
        if canonical(architecture) != canonical(self.config()):
            raise ModelFileError(
                f"{os.fspath(path)}: 파일의 모델 구조가 이 모델과 다릅니다 "
                f"(the file holds {describe_config(architecture)}, "
                f"but this model is {self.describe()}); "
                "파일의 모델을 만들려면 nn.load(path)를 쓰세요 (use nn.load(path))"
            )
        for p, value in self._validated(parameters, os.fspath(path)):
            p.data = value
        return self

    def describe(self) -> str:
        """A one-line summary of the architecture."""
        return describe_config(self.config())

    # -- PyTorch --------------------------------------------------------------------------------

    def to_torch(self) -> torch.nn.Module:
        """An equivalent ``torch.nn.Module`` with the same weights, to continue in PyTorch.

        The result is a ``torch.nn.Sequential`` of ``Linear`` layers (float64, so outputs
        and gradients match this model to rounding) and activation modules: ``ReLU``,
        ``Tanh``, ``Sigmoid``, ``LeakyReLU(slope)``, ``ELU(alpha)``, or a small ``Maxout``
        module after a ``Linear`` with ``maxout_k`` rows per neuron. The copy is independent:
        training it does not change this model. Needs torch (``pip install torch``).
        """
        sequential: torch.nn.Module = require_torch().nn.Sequential(*self._torch_modules())
        return sequential

    def _torch_modules(self) -> list[torch.nn.Module]:
        raise NotImplementedError(
            f"{type(self).__name__}은(는) PyTorch로 내보낼 수 없습니다 "
            "(cannot be exported to PyTorch)"
        )


# --- Neuron, Layer, MLP ----------------------------------------------------------------------


class Neuron(Module):
    """One neuron: activation(w·x + b), or for ``"maxout"`` the max of ``maxout_k`` pieces.

    ``n.w`` (list of ``nin`` Parameters) and ``n.b`` are the weights and bias; a maxout neuron
    has ``maxout_k`` of each in ``n.ws`` and ``n.bs`` (``n.w``, ``n.b`` are its first piece).
    micrograd's keyword works too: ``Neuron(3, nonlin=False)`` is linear, ``nonlin=True`` ReLU.
    The input is a list, tuple, NumPy row or any sequence of ``nin`` numbers or Values.

    >>> n = Neuron(2, activation="tanh", seed=1)
    >>> y = n([0.5, -1.0])
    >>> y.backward()
    >>> len(n.parameters())
    3
    """

    def __init__(
        self,
        nin: int,
        activation: str | None = "relu",
        seed: Seed = 0,
        *,
        maxout_k: int = 2,
        slope: float = 0.1,
        alpha: float = 1.0,
        nonlin: bool | None = None,
    ) -> None:
        self.nin = _positive_int(nin, "nin")
        self.activation = _check_activation(_nonlin_activation(activation, nonlin))
        self.maxout_k = _positive_int(maxout_k, "maxout_k")
        if self.activation == "maxout" and self.maxout_k < 2:
            raise ValueError(
                "maxout에는 maxout_k >= 2 조각이 필요합니다 "
                f"(maxout needs maxout_k >= 2 pieces), got {maxout_k}"
            )
        self.slope = _real(slope, "slope")
        self.alpha = _real(alpha, "alpha")
        rng = _rng(seed)
        gain = math.sqrt(2.0) if self.activation in _HE_GAIN else 1.0
        w_bound = gain * math.sqrt(3.0 / self.nin)
        b_bound = 1.0 / math.sqrt(self.nin)
        pieces = self.maxout_k if self.activation == "maxout" else 1
        self.ws: list[list[Parameter]] = []
        self.bs: list[Parameter] = []
        for j in range(pieces):
            tag = f"p{j}." if pieces > 1 else ""
            self.ws.append(
                [Parameter(rng.uniform(-w_bound, w_bound), f"{tag}w{i}") for i in range(self.nin)]
            )
            self.bs.append(Parameter(rng.uniform(-b_bound, b_bound), f"{tag}b"))
        self.w = self.ws[0]
        self.b = self.bs[0]

    def _own_parameters(self) -> list[tuple[str, Parameter]]:
        if len(self.ws) == 1:
            return [(f"w.{i}", p) for i, p in enumerate(self.w)] + [("b", self.b)]
        out: list[tuple[str, Parameter]] = []
        for j, (w, b) in enumerate(zip(self.ws, self.bs)):
            out.extend((f"w.{j}.{i}", p) for i, p in enumerate(w))
            out.append((f"b.{j}", b))
        return out

    def _forward_values(self, xs: list[Value]) -> Value:
        # one n-ary dot node per piece instead of 2n binary nodes: same math, far fewer nodes
        zs = [apply_op("dot", *w, *xs) + b for w, b in zip(self.ws, self.bs)]
        if self.activation == "maxout":
            return apply_op("max", *zs)  # one n-ary max: k tied pieces get 1/k (torch.amax)
        return _activate(zs[0], self.activation, self.slope, self.alpha)

    def _forward_floats(self, xs: list[float]) -> float:
        # Inference under no_grad(): no graph is kept, so skip making Values altogether and
        # run the same forward rules on plain floats (about 3x faster).
        if self.activation != "maxout":
            z = _affine(self.w, self.b, xs)
            return _activate_float(z, self.activation, self.slope, self.alpha)
        return compute(_MAX, *[_affine(w, b, xs) for w, b in zip(self.ws, self.bs)])

    def forward(self, x: Sequence[Value | float] | Value | float) -> Value:
        """The neuron's output for ``nin`` inputs (a list; a bare number when ``nin == 1``)."""
        if not is_grad_enabled():
            return computed_without_graph(
                self._forward_floats(_input_floats(x, self.nin, "Neuron"))
            )
        return self._forward_values(_inputs(x, self.nin, "Neuron"))

    def _options(self) -> dict[str, Any]:
        return {"maxout_k": self.maxout_k, "slope": self.slope, "alpha": self.alpha}

    def config(self) -> dict[str, Any]:
        return {"type": "Neuron", "nin": self.nin, "activation": self.activation, **self._options()}

    @classmethod
    def _from_config(cls, config: Mapping[str, Any]) -> Neuron:
        _check_keys(config, {"type", "nin", "activation", "maxout_k", "slope", "alpha"})
        return cls(
            config["nin"],
            _check_activation(config["activation"]),
            maxout_k=config["maxout_k"],
            slope=config["slope"],
            alpha=config["alpha"],
        )

    @staticmethod
    def _count_for_config(config: Mapping[str, Any]) -> int:
        nin = _positive_int(config.get("nin"), "nin")
        return _pieces(config) * (nin + 1)

    def __repr__(self) -> str:
        return f"Neuron(nin={self.nin}, {_activation_repr(self.activation, self.maxout_k)})"

    def _torch_modules(self) -> list[torch.nn.Module]:
        return dense([self], self.nin, self.activation, self.maxout_k, self.slope, self.alpha)


class Layer(Module):
    """``nout`` neurons that all read the same ``nin`` inputs; the output is a list of Values.

    With ``activation="linear"`` (or None) this is the linear model y = Wᵀx + b of seeds
    000/001: neuron j holds row j of Wᵀ and entry j of b. micrograd's ``nonlin=True/False``
    (ReLU or linear) is accepted in place of ``activation``.
    """

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: str | None = "relu",
        seed: Seed = 0,
        *,
        maxout_k: int = 2,
        slope: float = 0.1,
        alpha: float = 1.0,
        nonlin: bool | None = None,
    ) -> None:
        self.nin = _positive_int(nin, "nin")
        self.nout = _positive_int(nout, "nout")
        self.activation = _check_activation(_nonlin_activation(activation, nonlin))
        rng = _rng(seed)  # one generator for all neurons, so they differ from each other
        self.neurons = [
            Neuron(nin, self.activation, rng, maxout_k=maxout_k, slope=slope, alpha=alpha)
            for _ in range(self.nout)
        ]
        first = self.neurons[0]
        self.maxout_k, self.slope, self.alpha = first.maxout_k, first.slope, first.alpha
        for j, n in enumerate(self.neurons):
            n._prefix_labels(f"n{j}.")

    def _children(self) -> list[tuple[str, Module]]:
        return [(f"neurons.{j}", n) for j, n in enumerate(self.neurons)]

    def _forward_values(self, xs: list[Value]) -> list[Value]:
        return [n._forward_values(xs) for n in self.neurons]

    def _forward_floats(self, xs: list[float]) -> list[float]:
        return [n._forward_floats(xs) for n in self.neurons]

    def forward(self, x: Sequence[Value | float] | Value | float) -> list[Value]:
        """A list of ``nout`` Values for ``nin`` inputs."""
        if not is_grad_enabled():
            fs = self._forward_floats(_input_floats(x, self.nin, "Layer"))
            return [computed_without_graph(v) for v in fs]
        # convert numbers to Values once here, not once per neuron
        return self._forward_values(_inputs(x, self.nin, "Layer"))

    def config(self) -> dict[str, Any]:
        return {
            "type": "Layer",
            "nin": self.nin,
            "nout": self.nout,
            "activation": self.activation,
            "maxout_k": self.maxout_k,
            "slope": self.slope,
            "alpha": self.alpha,
        }

    @classmethod
    def _from_config(cls, config: Mapping[str, Any]) -> Layer:
        _check_keys(config, {"type", "nin", "nout", "activation", "maxout_k", "slope", "alpha"})
        return cls(
            config["nin"],
            config["nout"],
            _check_activation(config["activation"]),
            maxout_k=config["maxout_k"],
            slope=config["slope"],
            alpha=config["alpha"],
        )

    @staticmethod
    def _count_for_config(config: Mapping[str, Any]) -> int:
        nin = _positive_int(config.get("nin"), "nin")
        nout = _positive_int(config.get("nout"), "nout")
        return nout * _pieces(config) * (nin + 1)

    def __repr__(self) -> str:
        act = _activation_repr(self.activation, self.maxout_k)
        return f"Layer(nin={self.nin}, nout={self.nout}, {act})"

    def _torch_modules(self) -> list[torch.nn.Module]:
        return dense(self.neurons, self.nin, self.activation, self.maxout_k, self.slope, self.alpha)


class MLP(Module):
    """A multi-layer perceptron: layers of sizes ``sizes`` applied one after another.

    Hidden layers use ``activation``; the last layer uses ``out_activation`` (None: linear, the
    usual choice for regression, hinge loss, or logits fed to ``cross_entropy``).
    ``model(x)`` returns a Value when the last layer has one neuron, else a list of Values.
    ``seed`` (an int or a ``random.Random``) fixes the initial weights.

    >>> model = MLP(2, [16, 16, 1], seed=0)
    >>> model.num_parameters()
    337
    """

    def __init__(
        self,
        nin: int,
        sizes: Sequence[int],
        activation: str | None = "relu",
        out_activation: str | None = None,
        seed: Seed = 0,
        *,
        maxout_k: int = 2,
        slope: float = 0.1,
        alpha: float = 1.0,
    ) -> None:
        self.nin = _positive_int(nin, "nin")
        if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence) or not sizes:
            raise ValueError(
                f"sizes는 층 크기의 비어 있지 않은 리스트여야 합니다 "
                f"(sizes must be a non-empty list of layer sizes), got {short_repr(sizes)}"
            )
        self.sizes = [_positive_int(s, f"layer size {i}") for i, s in enumerate(sizes)]
        self.activation = _check_activation(activation)
        self.out_activation = _check_activation(out_activation)
        rng = _rng(seed)
        widths = [self.nin, *self.sizes]
        last = len(self.sizes) - 1
        self.layers = [
            Layer(
                widths[i],
                widths[i + 1],
                self.out_activation if i == last else self.activation,
                rng,
                maxout_k=maxout_k,
                slope=slope,
                alpha=alpha,
            )
            for i in range(len(self.sizes))
        ]
        first = self.layers[0]
        self.maxout_k, self.slope, self.alpha = first.maxout_k, first.slope, first.alpha
        for i, layer in enumerate(self.layers):
            layer._prefix_labels(f"L{i}.")

    def _children(self) -> list[tuple[str, Module]]:
        return [(f"layers.{i}", layer) for i, layer in enumerate(self.layers)]

    @property
    def nout(self) -> int:
        """Number of outputs (the size of the last layer)."""
        return self.sizes[-1]

    def forward(self, x: Sequence[Value | float] | Value | float) -> Any:
        """The output for ``nin`` inputs: a Value if ``nout == 1``, else a list of Values.

        Under ``no_grad()`` the layers compute on plain floats and only the outputs become
        Values: the same numbers, without building (and discarding) a graph.
        """
        if not is_grad_enabled():
            fs = _input_floats(x, self.nin, "MLP")
            for layer in self.layers:
                fs = layer._forward_floats(fs)
            outs = [computed_without_graph(v) for v in fs]
            return outs[0] if len(outs) == 1 else outs
        xs = _inputs(x, self.nin, "MLP")
        for layer in self.layers:
            xs = layer._forward_values(xs)
        return xs[0] if len(xs) == 1 else xs

    def config(self) -> dict[str, Any]:
        return {
            "type": "MLP",
            "nin": self.nin,
            "sizes": list(self.sizes),
            "activation": self.activation,
            "out_activation": self.out_activation,
            "maxout_k": self.maxout_k,
            "slope": self.slope,
            "alpha": self.alpha,
        }

    @classmethod
    def _from_config(cls, config: Mapping[str, Any]) -> MLP:
        _check_keys(
            config,
            {"type", "nin", "sizes", "activation", "out_activation", "maxout_k", "slope", "alpha"},
        )
        return cls(
            config["nin"],
            config["sizes"],
            _check_activation(config["activation"]),
            _check_activation(config["out_activation"]),
            maxout_k=config["maxout_k"],
            slope=config["slope"],
            alpha=config["alpha"],
        )

    @staticmethod
    def _count_for_config(config: Mapping[str, Any]) -> int:
        nin = _positive_int(config.get("nin"), "nin")
        sizes = config.get("sizes")
        if not isinstance(sizes, list) or not sizes:
            raise ValueError(
                "sizes는 비어 있지 않은 리스트여야 합니다 "
                f"(sizes must be a non-empty list), got {short_repr(sizes)}"
            )
        widths = [nin] + [_positive_int(s, "layer size") for s in sizes]
        k = _positive_int(config.get("maxout_k"), "maxout_k")
        acts = [config.get("activation")] * (len(sizes) - 1) + [config.get("out_activation")]
        return sum(
            widths[i + 1] * (k if act == "maxout" else 1) * (widths[i] + 1)
            for i, act in enumerate(acts)
        )

    def __repr__(self) -> str:
        lines = [f"MLP(nin={self.nin}, sizes={self.sizes}, parameters={self.num_parameters()}"]
        lines += [f"  ({i}): {layer!r}" for i, layer in enumerate(self.layers)]
        return "\n".join(lines) + "\n)"

    def _torch_modules(self) -> list[torch.nn.Module]:
        return [m for layer in self.layers for m in layer._torch_modules()]


# the classes a model file may name; an explicit list, so a file cannot pick any class
_MODEL_TYPES: dict[str, type[Module]] = {"Neuron": Neuron, "Layer": Layer, "MLP": MLP}


def _activation_repr(activation: str, maxout_k: int) -> str:
    if activation == "maxout":
        return f"activation='maxout', maxout_k={maxout_k}"
    return f"activation={activation!r}"


def _pieces(config: Mapping[str, Any]) -> int:
    k = _positive_int(config.get("maxout_k"), "maxout_k")
    return k if config.get("activation") == "maxout" else 1


def _check_keys(config: Mapping[str, Any], keys: set[str]) -> None:
    missing = sorted(keys - set(config))
    extra = sorted(set(config) - keys)
    if missing or extra:
        raise ValueError(
            f"모델 구조의 키가 맞지 않습니다 (architecture of {short_repr(config.get('type'))}: "
            f"missing keys {short_repr(missing)}, unknown keys {short_repr(extra)})"
        )


# --- files ----------------------------------------------------------------------------------


def load(path: str | os.PathLike[str]) -> Module:
    """Build a new model from a file written by ``Module.save``: architecture and weights.

    Raises ``ModelFileError`` if the file is corrupted, truncated, describes an unknown or
    invalid architecture, or has missing, extra, non-numeric or non-finite parameters.
    Only a regular file is read (not a device, FIFO or directory, also behind a symlink),
    and at most ``serialize.MAX_FILE_BYTES`` = 256 MB of it; error messages quote values
    from the file cut to about 80 characters.

    >>> # model.save("moons.json"); same = nn.load("moons.json")
    """
    where = os.fspath(path)
    architecture, parameters = read_model_file(path)
    try:
        model = Module.from_config(architecture, num_parameters=len(parameters))
    except (TypeError, ValueError) as exc:
        raise ModelFileError(
            f"{where}: 모델 구조가 잘못되었습니다 (invalid architecture): {exc}"
        ) from None
    for p, value in model._validated(parameters, where):
        p.data = value
    return model
