"""Issue 21, point 5: nn.py has one forward path, each model class declares its architecture
once, and the package has one seeded-RNG helper and one finite-number check.

Model files written by the code before the restructure (tests/data/models_before_issue21,
made by make_fixtures.py there with that code) must still load, compute the same outputs
bit for bit, and be written again byte for byte.
"""

from __future__ import annotations

import inspect
import json
import math
import random
import re
import struct
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from micrograd_kr import Value, data, nn, no_grad, optim
from micrograd_kr.nn import ACTIVATIONS, MLP, Layer, ModelFileError, Module, Neuron

BEFORE = Path(__file__).parent / "data" / "models_before_issue21"
EXPECTED = json.loads((BEFORE / "expected_outputs.json").read_text(encoding="utf-8"))
CLASSES = (Neuron, Layer, MLP)


def bits(xs: list[float]) -> list[bytes]:
    return [struct.pack("<d", x) for x in xs]


def outputs(model: Module, x: list[float]) -> list[float]:
    y = model(x)
    return [v.data for v in (y if isinstance(y, list) else [y])]


# --- files written before the restructure ---------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_file_written_before_loads_and_computes_the_same(name: str) -> None:
    expected = EXPECTED[name]
    model = nn.load(BEFORE / f"{name}.json")
    assert bits(outputs(model, expected["input"])) == bits(expected["output"])
    with no_grad():
        assert bits(outputs(model, expected["input"])) == bits(expected["output"])
    assert model.describe() == expected["describe"]
    assert repr(model) == expected["repr"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_file_written_before_is_written_again_byte_for_byte(name: str, tmp_path: Path) -> None:
    before = BEFORE / f"{name}.json"
    again = tmp_path / "again.json"
    nn.load(before).save(again)
    assert again.read_bytes() == before.read_bytes()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_file_written_before_loads_into_a_model_built_from_its_config(name: str) -> None:
    before = BEFORE / f"{name}.json"
    architecture = json.loads(before.read_text(encoding="utf-8"))["architecture"]
    model = Module.from_config(architecture)  # seed-0 weights, then the file's
    assert model.config() == architecture  # same keys, values and order as the old code wrote
    assert list(model.config()) == list(architecture)
    assert model.load(before) is model
    assert bits(outputs(model, EXPECTED[name]["input"])) == bits(EXPECTED[name]["output"])


def test_a_file_written_before_is_refused_by_another_architecture() -> None:
    with pytest.raises(ModelFileError, match="the file holds MLP"):
        MLP(2, [3, 1]).load(BEFORE / "mlp_relu.json")


# --- each class declares its architecture once ----------------------------------------------


def shaping_arguments(cls: type) -> list[str]:
    """The constructor's arguments that shape the model: all but the seed and micrograd's
    nonlin (another way to say the activation); ``**options`` go on to each Neuron."""
    names: list[str] = []
    for name, p in inspect.signature(cls).parameters.items():
        if p.kind is p.VAR_KEYWORD:
            names += [n for n in shaping_arguments(Neuron) if n not in names]
        elif name not in ("seed", "nonlin"):
            names.append(name)
    return names


@pytest.mark.parametrize("cls", CLASSES)
def test_the_saved_fields_are_the_constructor_arguments_that_shape_the_model(cls: type) -> None:
    spec = cls.config_spec
    assert list(spec.fields) == shaping_arguments(cls)
    assert spec.name == cls.__name__


@pytest.mark.parametrize("cls", CLASSES)
def test_config_and_rebuilding_are_derived_not_written_per_class(cls: type) -> None:
    own = set(vars(cls))
    assert not own & {"config", "_from_config", "_count_for_config", "from_config"}
    assert not own & {"_forward_values", "_forward_floats", "_torch_modules"}


@settings(max_examples=30, deadline=None)
@given(
    nin=st.integers(1, 4),
    sizes=st.lists(st.integers(1, 4), min_size=1, max_size=3),
    activation=st.sampled_from(ACTIVATIONS),
    out_activation=st.sampled_from(ACTIVATIONS),
    maxout_k=st.integers(2, 4),
    kind=st.sampled_from(["Neuron", "Layer", "MLP"]),
)
def test_the_count_checked_before_building_is_the_built_models_count(
    nin: int, sizes: list[int], activation: str, out_activation: str, maxout_k: int, kind: str
) -> None:
    if kind == "Neuron":
        model: Module = Neuron(nin, activation, maxout_k=maxout_k)
    elif kind == "Layer":
        model = Layer(nin, sizes[0], activation, maxout_k=maxout_k)
    else:
        model = MLP(nin, sizes, activation, out_activation, maxout_k=maxout_k)
    n = model.num_parameters()
    # counted by hand: nin + 1 numbers per piece of every neuron
    widths = [nin, 1] if kind == "Neuron" else [nin, sizes[0]] if kind == "Layer" else [nin, *sizes]
    acts = [activation] * (len(widths) - 2) + [out_activation if kind == "MLP" else activation]
    by_hand = sum(
        widths[i + 1] * (maxout_k if act == "maxout" else 1) * (widths[i] + 1)
        for i, act in enumerate(acts)
    )
    assert n == by_hand
    assert Module.from_config(model.config(), num_parameters=n).num_parameters() == n
    with pytest.raises(ValueError, match=f"the architecture has {n} parameters but"):
        Module.from_config(model.config(), num_parameters=n + 1)


def test_a_config_is_checked_as_before() -> None:
    config = MLP(2, [3, 1]).config()
    with pytest.raises(ValueError, match=r"missing keys \['alpha'\], unknown keys \['beta'\]"):
        Module.from_config({**{k: v for k, v in config.items() if k != "alpha"}, "beta": 1})
    with pytest.raises(ValueError, match="unknown activation True"):
        Module.from_config({**config, "activation": True})  # not micrograd's nonlin here
    assert Module.from_config({**config, "activation": None}).config()["activation"] == "linear"
    with pytest.raises(ValueError, match="unknown model type 'Sequential'"):
        Module.from_config({**config, "type": "Sequential"})


# --- one forward path -------------------------------------------------------------------------


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_each_activation_is_one_row_of_ops_run_on_values_or_floats(activation: str) -> None:
    # the neuron's output, computed here by hand from its weights with the math module
    neuron = Neuron(3, activation, seed=5, slope=0.2, alpha=0.7, maxout_k=3)
    x = [0.4, -1.3, 0.8]
    zs = [
        math.fsum(w.data * xi for w, xi in zip(ws, x)) + b.data
        for ws, b in zip(neuron.ws, neuron.bs)
    ]
    z = zs[0]
    by_hand = {
        "linear": z,
        "relu": max(z, 0.0),
        "tanh": math.tanh(z),
        "sigmoid": 1.0 / (1.0 + math.exp(-z)),
        "leaky_relu": z if z > 0 else 0.2 * z,
        "elu": z if z > 0 else 0.7 * (math.exp(z) - 1.0),
        "maxout": max(zs),
    }[activation]
    y = neuron(x)
    assert y.data == pytest.approx(by_hand, rel=1e-12, abs=1e-15)
    expected_op = {"linear": "add", "maxout": "max"}.get(activation, activation)
    assert y.op == expected_op
    with no_grad():
        free = neuron(x)
    assert free.data == y.data and free.is_leaf


# --- one seeded RNG, one finite-number check, AdamW without a copy of Adam's __init__ --------


def test_data_and_nn_share_one_seeded_random_generator() -> None:
    assert not hasattr(data, "_rng") and not hasattr(nn, "_rng")
    shared = random.Random(3)
    data.make_moons(4, seed=shared)
    model = MLP(2, [2, 1], seed=shared)  # continues the same stream
    again = random.Random(3)
    data.make_moons(4, seed=again)
    assert model.state_dict() == MLP(2, [2, 1], seed=again).state_dict()
    for bad in (True, 1.5, "0"):
        for make in (lambda s: data.make_moons(4, seed=s), lambda s: MLP(2, [1], seed=s)):
            with pytest.raises(TypeError, match=r"seed must be an int, a random\.Random or None"):
                make(bad)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda v: data.make_linear(b=v), "b"),
        (lambda v: Neuron(2, "leaky_relu", slope=v), "slope"),
        (lambda v: Layer(2, 2, "elu", alpha=v), "alpha"),
        (
            lambda v: MLP(2, [1]).load_state_dict(
                {**MLP(2, [1]).state_dict(), "layers.0.neurons.0.b": v}
            ),
            "parameter 'layers.0.neurons.0.b'",
        ),
    ],
)
def test_data_and_nn_check_finite_numbers_alike(call, name: str) -> None:
    with pytest.raises((TypeError, ValueError), match=re.escape(f"{name} must be a number")):
        call("a")
    with pytest.raises(ValueError, match=re.escape(f"{name} must be a finite number")):
        call(math.inf)
    with pytest.raises(ValueError, match=re.escape(f"{name} must be a finite number")):
        call(math.nan)


def test_adamw_is_adam_with_decoupled_decay_and_its_own_default() -> None:
    assert "__init__" not in vars(optim.AdamW)
    p = Value(2.0)
    assert optim.Adam([p]).weight_decay == 0.0
    assert optim.AdamW([p]).weight_decay == 0.01  # torch.optim.AdamW's default
    assert optim.AdamW([p], weight_decay=0.5).weight_decay == 0.5
    with pytest.raises(ValueError, match="weight_decay must be a finite number >= 0"):
        optim.AdamW([p], weight_decay=-1.0)
    # one step by hand: p * (1 - lr * wd), then Adam's first step moves by lr * sign(g)
    p.grad = 3.0
    opt = optim.AdamW([p], lr=0.1, weight_decay=0.5)
    opt.step()
    assert p.data == pytest.approx(2.0 * (1 - 0.1 * 0.5) - 0.1, rel=1e-7)
