"""Tests for micrograd_kr.nn: Neuron, Layer, MLP, activations, initialisation, gradients."""

from __future__ import annotations

import math
import random
import sys

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from micrograd_kr import Parameter, Value, gradcheck, nn, no_grad
from micrograd_kr.nn import ACTIVATIONS, MLP, Layer, Module, Neuron

SMOOTH = ("linear", "tanh", "sigmoid", "elu")
KINKED = ("relu", "leaky_relu", "maxout")


def param_gradcheck(model: Module, loss_fn, eps: float = 1e-6, rtol: float = 1e-4) -> None:
    """Compare backward()'s parameter gradients with central differences of ``loss_fn()``."""
    model.zero_grad()
    loss_fn().backward()
    for name, p in model.named_parameters():
        analytic = p.grad
        original = p.data
        with no_grad():
            p.data = original + eps
            plus = loss_fn().data
            p.data = original - eps
            minus = loss_fn().data
        p.data = original
        numeric = (plus - minus) / (2 * eps)
        assert abs(analytic - numeric) <= 1e-6 + rtol * abs(numeric), (name, analytic, numeric)


def pre_activations(neuron: Neuron, xs: list[float]) -> list[float]:
    return [sum(w.data * x for w, x in zip(ws, xs)) + b.data for ws, b in zip(neuron.ws, neuron.bs)]


# --- construction and initialisation ---------------------------------------------------------


def test_parameter_counts_and_types() -> None:
    model = MLP(2, [16, 16, 1], seed=0)
    assert model.num_parameters() == 2 * 16 + 16 + 16 * 16 + 16 + 16 + 1 == 337
    assert all(isinstance(p, Parameter) for p in model.parameters())
    assert len(Layer(3, 4).parameters()) == 16
    assert len(Neuron(5).parameters()) == 6
    # a maxout neuron has k sets of weights and biases
    assert len(Neuron(5, "maxout", maxout_k=3).parameters()) == 18
    assert MLP(2, [4, 1], activation="maxout").num_parameters() == 4 * 2 * 3 + 1 * 5


def test_same_seed_same_weights_and_different_seeds_differ() -> None:
    a = MLP(2, [8, 8, 1], seed=42).state_dict()
    b = MLP(2, [8, 8, 1], seed=42).state_dict()
    c = MLP(2, [8, 8, 1], seed=43).state_dict()
    assert a == b
    assert a != c


def test_seed_may_be_a_random_instance() -> None:
    a = MLP(2, [3, 1], seed=random.Random(7)).state_dict()
    assert a == MLP(2, [3, 1], seed=7).state_dict()
    rng = random.Random(7)
    first, second = Neuron(2, seed=rng), Neuron(2, seed=rng)  # one generator, advanced
    assert first.state_dict() != second.state_dict()


def test_weights_are_pinned_for_seed_0() -> None:
    # random.Random is the same Mersenne Twister everywhere, so these numbers are too
    n = Neuron(2, activation="tanh", seed=0)
    rng = random.Random(0)
    bound = math.sqrt(3 / 2)
    expected = [rng.uniform(-bound, bound) for _ in range(2)]
    assert [p.data for p in n.w] == expected
    assert n.b.data == rng.uniform(-1 / math.sqrt(2), 1 / math.sqrt(2))


def test_unseeded_models_still_work() -> None:
    model = MLP(2, [3, 1], seed=None)
    assert isinstance(model([1.0, 2.0]), Value)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_initial_weights_scale_with_fan_in(activation: str) -> None:
    nin = 50
    layer = Layer(nin, 40, activation=activation, seed=3)
    gain = math.sqrt(2) if activation in ("relu", "leaky_relu", "elu", "maxout") else 1.0
    w_bound = gain * math.sqrt(3 / nin)
    weights = [p.data for n in layer.neurons for ws in n.ws for p in ws]
    biases = [b.data for n in layer.neurons for b in n.bs]
    assert max(abs(w) for w in weights) <= w_bound
    assert max(abs(b) for b in biases) <= 1 / math.sqrt(nin)
    # variance of U(-a, a) is a^2/3 = gain^2/nin: check it to within sampling error
    variance = sum(w * w for w in weights) / len(weights)
    assert variance == pytest.approx(gain**2 / nin, rel=0.15)


def test_neurons_in_a_layer_differ() -> None:
    layer = Layer(3, 4, seed=0)
    rows = [tuple(p.data for p in n.w) for n in layer.neurons]
    assert len(set(rows)) == 4


# --- argument errors ---------------------------------------------------------------------------


def test_unknown_activation_lists_valid_names() -> None:
    with pytest.raises(ValueError) as info:
        MLP(2, [3, 1], activation="relux")
    message = str(info.value)
    assert "'relux'" in message
    for name in ACTIVATIONS:
        assert repr(name) in message


@pytest.mark.parametrize(
    "make",
    [
        lambda: Neuron(0),
        lambda: Neuron(2.5),
        lambda: Layer(2, 0),
        lambda: MLP(2, []),
        lambda: MLP(2, [3, -1]),
        lambda: MLP(2, "16"),
        lambda: Neuron(2, "maxout", maxout_k=1),
        lambda: Neuron(2, seed="zero"),
        lambda: Neuron(2, "elu", alpha=float("nan")),
    ],
)
def test_bad_arguments_raise(make) -> None:
    with pytest.raises((ValueError, TypeError)):
        make()


def test_wrong_input_length_names_the_counts() -> None:
    with pytest.raises(ValueError, match="MLP expects 2 input"):
        MLP(2, [3, 1])([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="Layer expects 3 input"):
        Layer(3, 2)([1.0])
    with pytest.raises(ValueError, match="Neuron expects 2 inputs, got a single number"):
        Neuron(2)(1.0)
    with pytest.raises(TypeError, match="input 1"):
        MLP(2, [1])([1.0, "2"])
    with pytest.raises(TypeError):
        MLP(2, [1])("ab")


def test_one_input_may_be_a_bare_number() -> None:
    model = MLP(1, [4, 1], seed=0)
    assert model(0.5).data == model([0.5]).data
    assert model(Value(0.5)).data == model([0.5]).data


# --- forward ---------------------------------------------------------------------------------


def test_output_types() -> None:
    assert isinstance(Neuron(2)([1, 2]), Value)
    out = Layer(2, 3)([1, 2])
    assert isinstance(out, list) and len(out) == 3
    assert isinstance(Layer(2, 1)([1, 2]), list)  # a layer always gives a list
    assert isinstance(MLP(2, [3, 1])([1, 2]), Value)  # an MLP unwraps a single output
    assert len(MLP(2, [3, 4])([1, 2])) == 4


def test_linear_layer_is_w_transpose_x_plus_b() -> None:
    layer = Layer(3, 2, activation="linear", seed=5)
    x = [0.5, -1.5, 2.0]
    out = layer(x)
    for n, y in zip(layer.neurons, out):
        expected = sum(w.data * xi for w, xi in zip(n.w, x)) + n.b.data
        assert y.data == pytest.approx(expected, rel=1e-12)
    assert Layer(3, 2, activation=None, seed=5)(x)[0].data == out[0].data


@pytest.mark.parametrize(
    "activation, f",
    [
        ("linear", lambda z: z),
        ("relu", lambda z: max(0.0, z)),
        ("tanh", math.tanh),
        ("sigmoid", lambda z: 1 / (1 + math.exp(-z))),
        ("leaky_relu", lambda z: max(0.1 * z, z)),
        ("elu", lambda z: z if z > 0 else math.exp(z) - 1),
    ],
)
def test_activation_functions(activation: str, f) -> None:
    for seed in range(5):
        n = Neuron(2, activation, seed=seed)
        x = [0.7, -1.3]
        (z,) = pre_activations(n, x)
        assert n(x).data == pytest.approx(f(z), rel=1e-12, abs=1e-15)


def test_activation_options_slope_and_alpha() -> None:
    n = Neuron(1, "leaky_relu", seed=0, slope=0.01)
    n.w[0].data, n.b.data = 1.0, 0.0
    assert n([-2.0]).data == pytest.approx(-0.02)
    e = Neuron(1, "elu", seed=0, alpha=2.0)
    e.w[0].data, e.b.data = 1.0, 0.0
    assert e([-1.0]).data == pytest.approx(2.0 * (math.exp(-1.0) - 1.0))


def test_maxout_takes_the_largest_piece() -> None:
    for k in (2, 3, 4):
        n = Neuron(3, "maxout", seed=k, maxout_k=k)
        x = [0.3, -0.8, 1.1]
        assert n(x).data == pytest.approx(max(pre_activations(n, x)), rel=1e-12)


def test_maxout_gradient_flows_to_the_winning_piece_only() -> None:
    n = Neuron(2, "maxout", seed=1, maxout_k=3)
    x = [0.4, -0.9]
    zs = pre_activations(n, x)
    winner = zs.index(max(zs))
    n(x).backward()
    for j, (ws, b) in enumerate(zip(n.ws, n.bs)):
        if j == winner:
            assert [w.grad for w in ws] == x and b.grad == 1.0
        else:
            assert all(w.grad == 0.0 for w in ws) and b.grad == 0.0


def test_a_neuron_is_one_dot_node_then_bias_then_activation() -> None:
    y = Neuron(4, "tanh", seed=0)([1.0, 2.0, 3.0, 4.0])
    assert y.op == "tanh"
    (z,) = y._prev
    assert z.op == "add"
    assert z._prev[0].op == "dot"
    assert len(z._prev[0]._prev) == 8


def test_inputs_are_converted_once_per_layer() -> None:
    out = Layer(2, 3)([1.0, 2.0])
    inputs = {id(v) for y in out for v in y._prev[0]._prev[0]._prev[2:]}
    assert len(inputs) == 2  # all three neurons read the same two input Values


def test_gradients_reach_every_parameter() -> None:
    model = MLP(2, [4, 4, 1], activation="tanh", seed=0)
    model([0.5, -0.5]).backward()
    assert all(p.grad != 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_input_values_get_gradients() -> None:
    x = [Value(0.5), Value(-0.25)]
    model = MLP(2, [3, 1], activation="tanh", seed=0)
    model(x).backward()
    assert x[0].grad != 0.0 and x[1].grad != 0.0


# --- gradcheck: every activation, with respect to inputs and parameters ------------------------


@pytest.mark.parametrize("activation", SMOOTH)
def test_gradcheck_smooth_activations_inputs(activation: str) -> None:
    model = MLP(3, [4, 2], activation=activation, out_activation=activation, seed=1)
    for xs in ([0.1, -0.4, 0.9], [2.0, 1.5, -3.0], [-0.01, 0.02, 0.0]):
        assert gradcheck(lambda *x: (lambda o: o[0] * 1.5 - o[1])(model(list(x))), xs)


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(KINKED),
    st.lists(st.floats(-2, 2), min_size=3, max_size=3),
    st.integers(0, 50),
)
def test_gradcheck_kinked_activations_inputs(activation: str, xs: list[float], seed: int) -> None:
    n = Neuron(3, activation, seed=seed, maxout_k=3)
    zs = pre_activations(n, xs)
    # finite differences are only valid away from the kink (z = 0, or a tie between pieces)
    if activation == "maxout":
        top = sorted(zs)
        assume(top[-1] - top[-2] > 1e-3)
    else:
        assume(abs(zs[0]) > 1e-3)
    assert gradcheck(lambda *x: n(list(x)), xs)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_gradcheck_every_activation_parameters(activation: str) -> None:
    model = MLP(2, [5, 3], activation=activation, out_activation=activation, seed=11)
    X = [[0.3, -0.7], [1.2, 0.4], [-0.9, -1.1]]

    def loss() -> Value:
        outs = [model(x) for x in X]
        return sum((o[0] - 0.5 * o[1] + 0.25 * o[2] for o in outs), Value(0.0))

    param_gradcheck(model, loss)


# --- naming, labels, repr ----------------------------------------------------------------------


def test_named_parameters_are_unique_and_ordered() -> None:
    model = MLP(2, [3, 1], activation="maxout", seed=0)
    names = [name for name, _ in model.named_parameters()]
    assert len(names) == len(set(names)) == model.num_parameters()
    assert names[0] == "layers.0.neurons.0.w.0.0"
    assert "layers.0.neurons.2.b.1" in names
    assert names[-1] == "layers.1.neurons.0.b"
    assert [n for n, _ in Neuron(2).named_parameters()] == ["w.0", "w.1", "b"]


def test_labels_are_unique_for_diagrams() -> None:
    model = MLP(2, [3, 2], seed=0)
    labels = [p.label for p in model.parameters()]
    assert len(set(labels)) == len(labels)
    assert labels[0] == "L0.n0.w0"
    assert labels[-1] == "L1.n1.b"
    # plain-number inputs become Values labelled x0, x1, ... (what the dot node reads)
    dot = Layer(2, 1, seed=0)([1.0, 2.0])[0]._prev[0]._prev[0]
    assert [v.label for v in dot._prev[2:]] == ["x0", "x1"]


def test_repr_is_readable() -> None:
    model = MLP(2, [16, 16, 1], seed=0)
    text = repr(model)
    assert text.startswith("MLP(nin=2, sizes=[16, 16, 1], parameters=337")
    assert "(0): Layer(nin=2, nout=16, activation='relu')" in text
    assert "(2): Layer(nin=16, nout=1, activation='linear')" in text
    assert repr(Neuron(3, "maxout", maxout_k=3)) == "Neuron(nin=3, activation='maxout', maxout_k=3)"
    assert repr(Layer(2, 4, "tanh")) == "Layer(nin=2, nout=4, activation='tanh')"


def test_config_describes_the_architecture() -> None:
    model = MLP(2, [4, 3], activation="elu", out_activation="sigmoid", seed=0, alpha=0.5)
    config = model.config()
    assert config == {
        "type": "MLP",
        "nin": 2,
        "sizes": [4, 3],
        "activation": "elu",
        "out_activation": "sigmoid",
        "maxout_k": 2,
        "slope": 0.1,
        "alpha": 0.5,
    }
    rebuilt = Module.from_config(config)
    assert isinstance(rebuilt, MLP) and rebuilt.config() == config
    assert nn.Layer(2, 3).config()["type"] == "Layer"


def test_state_dict_round_trip_in_memory() -> None:
    a, b = MLP(2, [3, 1], seed=1), MLP(2, [3, 1], seed=2)
    b.load_state_dict(a.state_dict())
    assert b.state_dict() == a.state_dict()
    assert b([0.1, 0.2]).data == a([0.1, 0.2]).data


def test_to_torch_without_torch_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "torch", None)  # makes `import torch` fail
    with pytest.raises(ImportError, match="pip install torch"):
        MLP(2, [3, 1]).to_torch()


@pytest.mark.parametrize(
    "activation", ["linear", "relu", "tanh", "sigmoid", "leaky_relu", "elu", "maxout"]
)
def test_no_grad_inference_gives_the_graphs_numbers_without_a_graph(activation: str) -> None:
    from micrograd_kr import no_grad

    model = nn.MLP(3, [5, 4, 2], activation=activation, seed=7)
    layer = nn.Layer(3, 4, activation=activation, seed=2)
    neuron = nn.Neuron(3, activation=activation, seed=3)
    for x in ([0.5, -1.25, 2.0], [-3.0, 0.0, 0.75], [1e-3, 4.0, -0.5]):
        with_graph = [v.data for v in model(x)] + [v.data for v in layer(x)] + [neuron(x).data]
        with no_grad():
            outs = [*model(x), *layer(x), neuron(x)]
        assert [v.data for v in outs] == with_graph  # bit for bit
        assert all(v.is_leaf for v in outs)


def test_no_grad_inference_reports_overflow() -> None:
    from micrograd_kr import DomainError, no_grad

    model = nn.MLP(1, [2, 1], activation="relu", seed=0)
    for p in model.parameters():
        p.data = 10.0
    with pytest.raises(DomainError, match="overflow"), no_grad():
        model([1e308])
    with pytest.raises(DomainError, match="overflow"):
        model([1e308])
