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

Each activation is one row of the table ``_ACTIVATIONS`` below: the row of ``ops.py`` that
computes it, the neuron setting it takes, its initialisation gain and its PyTorch module.

Weights are drawn from a seeded ``random.Random``, so the same ``seed`` gives the same model on
every run and machine. Initialisation scales by fan-in (the number of inputs ``nin``):

* weights ~ U(-g·sqrt(3/nin), +g·sqrt(3/nin)), which has variance g²/nin, with gain g = sqrt(2)
  for relu, leaky_relu, elu and maxout (He/Kaiming) and g = 1 otherwise (LeCun);
* biases ~ U(-1/sqrt(nin), +1/sqrt(nin)), as ``torch.nn.Linear`` does.

There is one forward rule (``Neuron._forward``), run in one of two ways: on Values, recording
the graph, or under ``no_grad()`` on plain floats with the same rows of ``ops.py``, where only
the model's outputs become Values (about 4x faster: no Value per intermediate result).

Models are saved as JSON (never pickle, so loading a file cannot run code):
``model.save(path)`` writes the architecture and every parameter; ``load(path)`` builds a new
model from the file alone; ``model.load(path)`` loads into an existing model of the same
architecture. Each class declares its architecture once (``config_spec``); the file format and
everything derived from that declaration live in ``serialize.py``, the PyTorch export in
``torch_export.py``.
"""

from __future__ import annotations

import math
import numbers
import operator
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, TypeVar

from ._args import Seed, finite_real, refused, seeded_rng, short_repr
from .engine import (
    DomainError,
    Parameter,
    Value,
    apply_op,
    computed_without_graph,
    is_grad_enabled,
)
from .messages import say
from .ops import FLOAT, OPS
from .serialize import (
    FILE_FORMAT,
    FILE_VERSION,
    ConfigSpec,
    ModelFileError,
    build_model,
    config_of,
    describe_config,
    load_into,
    load_model,
    set_parameters,
    write_model_file,
)
from .torch_export import sequential

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


class _Activation(NamedTuple):
    """One activation: how a neuron applies it to z = w·x + b, and what PyTorch calls it."""

    row: str | None  # the row of ops.py applied to z (None: z itself)
    setting: str | None  # the neuron's setting that the row and the torch module also take
    he_gain: bool  # initialise with gain sqrt(2) (He/Kaiming), else 1 (LeCun)
    torch: str | None  # the torch.nn module computing the same


_ACTIVATIONS: dict[str, _Activation] = {
    "linear": _Activation(None, None, False, None),
    "relu": _Activation("relu", None, True, "ReLU"),
    "tanh": _Activation("tanh", None, False, "Tanh"),
    "sigmoid": _Activation("sigmoid", None, False, "Sigmoid"),
    "leaky_relu": _Activation("leaky_relu", "slope", True, "LeakyReLU"),
    "elu": _Activation("elu", "alpha", True, "ELU"),
    "maxout": _Activation("max", None, True, "Maxout"),  # one n-ary max of the maxout_k pieces
}
ACTIVATIONS: tuple[str, ...] = tuple(_ACTIVATIONS)

M = TypeVar("M", bound="Module")


# --- argument checks -------------------------------------------------------------------------


def _check_activation(name: object) -> str:
    if name is None:
        return "linear"
    if not isinstance(name, str) or name not in ACTIVATIONS:
        valid = ", ".join(repr(a) for a in ACTIVATIONS)
        unknown = say("nn.unknown_activation", name=short_repr(name))
        raise ValueError(f"{unknown}; " + say("nn.valid_activations", valid=valid))
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
        raise TypeError(refused(say("nn.nonlin_type"), short_repr(nonlin)))
    if activation != "relu":  # "relu" is the default: anything else was asked for explicitly
        raise ValueError(
            say("nn.activation_twice", activation=short_repr(activation), nonlin=nonlin)
        )
    return "relu" if nonlin else "linear"


def _positive_int(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        problem = say("nn.positive_int", what=what)
        raise ValueError(f"{what}: {refused(problem, short_repr(value))}")
    return value


def _sample(x: object, nin: int, who: str) -> Sequence[Any]:
    """One sample as a sequence: a list or tuple as given, a NumPy row (or any 1-D array or
    iterable of numbers) as a list, a bare number when ``nin == 1``."""
    if isinstance(x, (Value, numbers.Real)) and not isinstance(x, bool):
        if nin != 1:
            raise ValueError(f"{who}: " + say("nn.single_number", who=who, nin=nin))
        return [x]
    if isinstance(x, Sequence) and not isinstance(x, (str, bytes)):
        return x
    ndim = getattr(x, "ndim", None)
    if isinstance(ndim, int) and hasattr(x, "tolist"):  # NumPy arrays, torch tensors
        if ndim != 1:
            shape = tuple(getattr(x, "shape", ()))
            one = say("nn.one_sample", who=who, nin=nin, shape=shape)
            raise ValueError(f"{who}: {one}; " + say("nn.many_samples"))
        row: list[Any] = x.tolist()
        return row
    if isinstance(x, (str, bytes, bytearray, Mapping, AbstractSet)) or not isinstance(x, Iterable):
        problem = say("nn.expects_list", who=who, nin=nin)
        raise TypeError(f"{who}: {refused(problem, type(x).__name__)}")
    return list(x)  # a generator or other ordered iterable


def _inputs(x: object, nin: int, who: str) -> list[Value]:
    """The inputs as Values, checking there are exactly ``nin`` of them."""
    x = _sample(x, nin, who)
    if len(x) != nin:
        raise ValueError(f"{who}: " + say("nn.input_count", who=who, nin=nin, got=len(x)))
    out = []
    for i, v in enumerate(x):
        if isinstance(v, Value):
            out.append(v)
        elif isinstance(v, numbers.Real) and not isinstance(v, bool):
            out.append(Value(v, label=f"x{i}"))
        else:
            problem = say("nn.input_type", i=i)
            raise TypeError(f"{who}: {refused(problem, short_repr(v))}")
    return out


# --- the two ways to run the forward rule ----------------------------------------------------


class _Path(NamedTuple):
    """How ``Neuron._forward`` computes: on Values, recording the graph, or on plain floats."""

    affine: Callable[[list[Parameter], Parameter, Any], Any]  # w·x + b
    activation: dict[str, Callable[..., Any] | None]  # name -> its row of ops.py (linear: None)


def _affine_values(w: list[Parameter], b: Parameter, xs: list[Value]) -> Value:
    # one n-ary dot node per piece instead of 2n binary nodes: same math, far fewer nodes
    return apply_op("dot", *w, *xs) + b


_data_of = operator.attrgetter("data")


def _affine_floats(w: list[Parameter], b: Parameter, xs: list[float]) -> float:
    """w·x + b on plain floats: the dot and add forward rules, in the graph's order."""
    z = FLOAT.dot(map(_data_of, w), xs) + b.data
    if not math.isfinite(z):  # what compute() checks for every other op
        raise DomainError("Neuron: " + say("nn.affine_overflow", z=z))
    return z


def _rows(make: Callable[[str], Callable[..., Any]]) -> dict[str, Callable[..., Any] | None]:
    """Each activation's row of ops.py, made into a function by ``make`` (linear: None)."""
    return {name: None if a.row is None else make(a.row) for name, a in _ACTIVATIONS.items()}


# The same rows in two ways: as nodes of the graph, or as the rows' forward rules on plain
# floats. Under no_grad() no graph is kept, so the layers make no Values at all (about 4x
# faster) and only the model's outputs become Values. The rows are defined and finite for
# every finite z, so after the check of w·x + b the floats need none of compute()'s checks.
_VALUES = _Path(_affine_values, _rows(lambda row: partial(apply_op, row)))
_FLOATS = _Path(_affine_floats, _rows(lambda row: partial(OPS[row].forward, FLOAT)))


def _run(module: Module, x: object, who: str) -> list[Value]:
    """The outputs of ``module``'s layers of neurons (``_stack``) for the input ``x``."""
    layers = module._stack()
    if is_grad_enabled():
        xs: list[Any] = _inputs(x, layers[0][0].nin, who)  # numbers become Values once here
        path = _VALUES
    else:
        xs = [v.data for v in _inputs(x, layers[0][0].nin, who)]
        path = _FLOATS
    for neurons in layers:
        xs = [n._forward(xs, path) for n in neurons]
    return xs if path is _VALUES else [computed_without_graph(v) for v in xs]


# --- Module ----------------------------------------------------------------------------------


class Module:
    """Base class of everything with parameters: ``Neuron``, ``Layer``, ``MLP``.

    A subclass lists its own parameters in ``_own_parameters`` and its sub-modules in
    ``_children``; naming, ``zero_grad``, state dicts and files all follow from those two.
    Its ``config_spec`` declares its architecture (the constructor arguments that rebuild it);
    ``config``, ``from_config`` and model files follow from that.
    """

    config_spec: ClassVar[ConfigSpec | None] = None

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

    def _stack(self) -> list[list[Neuron]]:
        """The model's neurons, layer by layer: what the forward pass and the export run."""
        raise NotImplementedError(say("nn.cannot_export", model=type(self).__name__))

    # -- architecture ---------------------------------------------------------------------------

    def config(self) -> dict[str, Any]:
        """The architecture as a JSON-ready dict: enough to rebuild the model, without weights."""
        return config_of(self)

    @staticmethod
    def from_config(config: Mapping[str, Any], num_parameters: int | None = None) -> Module:
        """Build a fresh model (seed 0 weights) from ``config()`` output.

        With ``num_parameters`` the parameter count is checked *before* building, so a file
        that claims a huge network fails fast instead of filling memory.
        """
        return build_model(_MODEL_TYPES, config, num_parameters)

    def describe(self) -> str:
        """A one-line summary of the architecture."""
        return describe_config(self.config())

    # -- state dict and files -------------------------------------------------------------------

    def state_dict(self) -> dict[str, float]:
        """Every parameter value by name: ``{"layers.0.neurons.0.w.0": 0.31, ...}``."""
        return {name: p.data for name, p in self.named_parameters()}

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Set every parameter from ``state`` (as made by ``state_dict()``).

        All keys must match exactly and every value must be a finite number; otherwise
        ``ModelFileError`` is raised and no parameter is changed.
        """
        set_parameters(self, state, "load_state_dict")

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
        load_into(self, path)
        return self

    # -- PyTorch --------------------------------------------------------------------------------

    def to_torch(self) -> torch.nn.Module:
        """An equivalent ``torch.nn.Module`` with the same weights, to continue in PyTorch.

        The result is a ``torch.nn.Sequential`` of ``Linear`` layers (float64, so outputs
        and gradients match this model to rounding) and activation modules: ``ReLU``,
        ``Tanh``, ``Sigmoid``, ``LeakyReLU(slope)``, ``ELU(alpha)``, or a small ``Maxout``
        module after a ``Linear`` with ``maxout_k`` rows per neuron. The copy is independent:
        training it does not change this model. Needs torch (``pip install torch``).
        """
        layers = [
            (ns, _ACTIVATIONS[ns[0].activation].torch, ns[0]._setting) for ns in self._stack()
        ]
        return sequential(layers)


# --- Neuron, Layer, MLP ----------------------------------------------------------------------

# What a config describes as dense layers (nin, nout, pieces per neuron), read from its numbers
# alone: a file's parameter count is checked before anything is built (``ConfigSpec.layers``).


def _pieces(config: Mapping[str, Any], activation: object) -> int:
    k = _positive_int(config.get("maxout_k"), "maxout_k")
    return k if activation == "maxout" else 1


def _neuron_layers(config: Mapping[str, Any]) -> list[tuple[int, int, int]]:
    nin = _positive_int(config.get("nin"), "nin")
    return [(nin, 1, _pieces(config, config.get("activation")))]


def _layer_layers(config: Mapping[str, Any]) -> list[tuple[int, int, int]]:
    nin = _positive_int(config.get("nin"), "nin")
    nout = _positive_int(config.get("nout"), "nout")
    return [(nin, nout, _pieces(config, config.get("activation")))]


def _mlp_layers(config: Mapping[str, Any]) -> list[tuple[int, int, int]]:
    nin = _positive_int(config.get("nin"), "nin")
    sizes = config.get("sizes")
    if not isinstance(sizes, list) or not sizes:
        raise ValueError(refused(say("nn.sizes"), short_repr(sizes)))
    widths = [nin] + [_positive_int(s, "layer size") for s in sizes]
    acts = [config.get("activation")] * (len(sizes) - 1) + [config.get("out_activation")]
    return [(widths[i], widths[i + 1], _pieces(config, act)) for i, act in enumerate(acts)]


# a file's activation is checked before the constructor sees it: there a bool means nonlin
_FILE_CHECKS = {"activation": _check_activation, "out_activation": _check_activation}


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

    config_spec = ConfigSpec(
        "Neuron", ("nin", "activation", "maxout_k", "slope", "alpha"), _neuron_layers, _FILE_CHECKS
    )

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
            raise ValueError(refused(say("nn.maxout_k"), str(maxout_k)))
        self.slope = finite_real(slope, "slope")
        self.alpha = finite_real(alpha, "alpha")
        act = _ACTIVATIONS[self.activation]
        self._setting = None if act.setting is None else getattr(self, act.setting)  # slope...
        rng = seeded_rng(seed)
        gain = math.sqrt(2.0) if act.he_gain else 1.0
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

    def _forward(self, xs: list[Any], path: _Path) -> Any:
        """The forward rule, on Values (``_VALUES``) or on plain floats (``_FLOATS``)."""
        activate = path.activation[self.activation]
        if activate is None:  # linear
            return path.affine(self.w, self.b, xs)
        if len(self.ws) > 1:  # maxout: one n-ary max of the pieces, k tied ones get 1/k each
            return activate(*[path.affine(w, b, xs) for w, b in zip(self.ws, self.bs)])
        z = path.affine(self.w, self.b, xs)
        return activate(z) if self._setting is None else activate(z, self._setting)

    def forward(self, x: Sequence[Value | float] | Value | float) -> Value:
        """The neuron's output for ``nin`` inputs (a list; a bare number when ``nin == 1``)."""
        return _run(self, x, "Neuron")[0]

    def _stack(self) -> list[list[Neuron]]:
        return [[self]]

    def __repr__(self) -> str:
        return f"Neuron(nin={self.nin}, {_activation_repr(self.activation, self.maxout_k)})"


class Layer(Module):
    """``nout`` neurons that all read the same ``nin`` inputs; the output is a list of Values.

    With ``activation="linear"`` (or None) this is the linear model y = Wᵀx + b of seeds
    000/001: neuron j holds row j of Wᵀ and entry j of b. The keyword options are the
    neuron's (``maxout_k``, ``slope``, ``alpha``), and micrograd's ``nonlin=True/False``
    (ReLU or linear) is accepted in place of ``activation``.
    """

    config_spec = ConfigSpec(
        "Layer",
        ("nin", "nout", "activation", "maxout_k", "slope", "alpha"),
        _layer_layers,
        _FILE_CHECKS,
    )

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: str | None = "relu",
        seed: Seed = 0,
        **options: Any,
    ) -> None:
        self.nin = _positive_int(nin, "nin")
        self.nout = _positive_int(nout, "nout")
        rng = seeded_rng(seed)  # one generator for all neurons, so they differ from each other
        # options are the neuron's settings (maxout_k, slope, alpha, nonlin), checked there
        self.neurons = [Neuron(nin, activation, rng, **options) for _ in range(self.nout)]
        first = self.neurons[0]
        self.activation, self.maxout_k = first.activation, first.maxout_k
        self.slope, self.alpha = first.slope, first.alpha
        for j, n in enumerate(self.neurons):
            n._prefix_labels(f"n{j}.")

    def _children(self) -> list[tuple[str, Module]]:
        return [(f"neurons.{j}", n) for j, n in enumerate(self.neurons)]

    def forward(self, x: Sequence[Value | float] | Value | float) -> list[Value]:
        """A list of ``nout`` Values for ``nin`` inputs."""
        return _run(self, x, "Layer")

    def _stack(self) -> list[list[Neuron]]:
        return [self.neurons]

    def __repr__(self) -> str:
        act = _activation_repr(self.activation, self.maxout_k)
        return f"Layer(nin={self.nin}, nout={self.nout}, {act})"


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

    config_spec = ConfigSpec(
        "MLP",
        ("nin", "sizes", "activation", "out_activation", "maxout_k", "slope", "alpha"),
        _mlp_layers,
        _FILE_CHECKS,
    )

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
            raise ValueError(refused(say("nn.sizes"), short_repr(sizes)))
        self.sizes = [_positive_int(s, f"layer size {i}") for i, s in enumerate(sizes)]
        self.activation = _check_activation(activation)
        self.out_activation = _check_activation(out_activation)
        rng = seeded_rng(seed)
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
        outs = _run(self, x, "MLP")
        return outs[0] if len(outs) == 1 else outs

    def _stack(self) -> list[list[Neuron]]:
        return [layer.neurons for layer in self.layers]

    def __repr__(self) -> str:
        lines = [f"MLP(nin={self.nin}, sizes={self.sizes}, parameters={self.num_parameters()}"]
        lines += [f"  ({i}): {layer!r}" for i, layer in enumerate(self.layers)]
        return "\n".join(lines) + "\n)"


# the classes a model file may name; an explicit list, so a file cannot pick any class
_MODEL_TYPES: dict[str, type[Module]] = {
    cls.config_spec.name: cls for cls in (Neuron, Layer, MLP) if cls.config_spec is not None
}


def _activation_repr(activation: str, maxout_k: int) -> str:
    if activation == "maxout":
        return f"activation='maxout', maxout_k={maxout_k}"
    return f"activation={activation!r}"


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
    model: Module = load_model(path, _MODEL_TYPES)
    return model
