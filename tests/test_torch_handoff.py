"""model.to_torch(): the same network in PyTorch, with equal outputs and gradients."""

from __future__ import annotations

import pytest

from micrograd_kr import Value, nn
from micrograd_kr.nn import ACTIVATIONS, MLP, Layer, Neuron

torch = pytest.importorskip("torch")

X = [[0.3, -0.7, 1.1], [1.2, 0.4, -0.2], [-0.9, -1.1, 0.5], [0.05, 0.6, -1.4]]
WEIGHTS = [1.0, -0.5, 0.25]  # the loss is sum over samples of WEIGHTS · output


def our_forward_backward(model: nn.Module) -> list[list[float]]:
    model.zero_grad()
    outputs = []
    total = Value(0.0)
    for x in X:
        out = model(x)
        out = out if isinstance(out, list) else [out]
        outputs.append([o.data for o in out])
        total = total + sum((w * o for w, o in zip(WEIGHTS, out)), Value(0.0))
    total.backward()
    return outputs


def torch_forward_backward(module) -> list[list[float]]:
    inputs = torch.tensor(X, dtype=torch.float64)
    out = module(inputs)
    weights = torch.tensor(WEIGHTS[: out.shape[-1]], dtype=torch.float64)
    (out * weights).sum().backward()
    return out.detach().tolist()


def dense_layers(model: nn.Module) -> list[Layer]:
    if isinstance(model, MLP):
        return model.layers
    if isinstance(model, Neuron):
        return [type("OneNeuron", (), {"neurons": [model]})()]  # type: ignore[list-item]
    return [model]  # type: ignore[list-item]


def check_same(model: nn.Module) -> None:
    module = model.to_torch()
    ours = our_forward_backward(model)
    theirs = torch_forward_backward(module)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert a == pytest.approx(b, rel=1e-12, abs=1e-15)
    linears = [m for m in module.modules() if isinstance(m, torch.nn.Linear)]
    layers = dense_layers(model)
    assert len(linears) == len(layers)
    for linear, layer in zip(linears, layers):
        # row i*k + j of the torch weight is piece j of neuron i
        rows = [w for n in layer.neurons for w in n.ws]
        biases = [b for n in layer.neurons for b in n.bs]
        assert linear.weight.dtype == torch.float64
        assert linear.weight.tolist() == [[p.data for p in w] for w in rows]
        assert linear.bias.tolist() == [b.data for b in biases]
        grads = linear.weight.grad.tolist()
        for row, w in zip(grads, rows):
            assert row == pytest.approx([p.grad for p in w], rel=1e-10, abs=1e-13)
        assert linear.bias.grad.tolist() == pytest.approx(
            [b.grad for b in biases], rel=1e-10, abs=1e-13
        )


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_mlp_matches_torch(activation: str) -> None:
    check_same(MLP(3, [5, 4, 3], activation=activation, seed=2))


@pytest.mark.parametrize("out_activation", ["sigmoid", "tanh", "maxout", "relu"])
def test_output_activation_matches_torch(out_activation: str) -> None:
    check_same(MLP(3, [4, 2], activation="elu", out_activation=out_activation, seed=5))


def test_options_carry_over() -> None:
    check_same(MLP(3, [4, 1], activation="leaky_relu", slope=0.3, seed=1))
    check_same(MLP(3, [4, 1], activation="elu", alpha=0.4, seed=1))
    check_same(MLP(3, [4, 2], activation="maxout", maxout_k=4, seed=1))


def test_layer_and_neuron_export() -> None:
    check_same(Layer(3, 3, activation="tanh", seed=0))
    check_same(Neuron(3, activation="maxout", seed=0, maxout_k=3))


def test_exported_module_is_independent_and_trainable() -> None:
    model = MLP(3, [4, 1], seed=0)
    module = model.to_torch()
    before = model.state_dict()
    optimizer = torch.optim.SGD(module.parameters(), lr=0.1)
    torch_forward_backward(module)
    optimizer.step()
    assert model.state_dict() == before  # the micrograd_kr model is untouched
    assert "ReLU" in repr(module) and "Linear(in_features=3, out_features=4" in repr(module)
