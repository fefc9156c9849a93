"""micrograd's nn as a learner types it: ``nonlin=``, NumPy rows as input.

karpathy/micrograd spells a linear neuron ``Neuron(nin, nonlin=False)`` and feeds models rows
of NumPy arrays. The expected numbers here are computed independently from the weights: with
plain float arithmetic, NumPy matrix products and central differences.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from micrograd_kr import Value, nn
from micrograd_kr.nn import MLP, Layer, Neuron

X = np.array([[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]])


def weights(layer: Layer) -> tuple[np.ndarray, np.ndarray]:
    """The layer as a matrix W (nout x nin) and a bias vector b, read from its Parameters."""
    W = np.array([[p.data for p in n.w] for n in layer.neurons])
    b = np.array([n.b.data for n in layer.neurons])
    return W, b


def numpy_forward(model: MLP, x: np.ndarray) -> np.ndarray:
    """relu(W x + b) for hidden layers, W x + b for the last: micrograd's MLP."""
    for i, layer in enumerate(model.layers):
        W, b = weights(layer)
        x = W @ x + b
        if i < len(model.layers) - 1:
            x = np.maximum(x, 0.0)
    return x


def test_linear_neuron_with_nonlin_false() -> None:
    n = Neuron(3, nonlin=False)
    x = [2.0, 3.0, -1.0]
    out = n(x)
    expected = math.fsum(w.data * xi for w, xi in zip(n.w, x)) + n.b.data
    assert n.activation == "linear"
    assert out.data == pytest.approx(expected, rel=1e-15, abs=1e-15)
    out.backward()  # d(w·x + b)/dw_i = x_i, d/db = 1
    assert [w.grad for w in n.w] == x and n.b.grad == 1.0


@pytest.mark.parametrize(
    "make", [lambda: Neuron(3, nonlin=True), lambda: Neuron(3), lambda: Neuron(3, True)]
)
def test_nonlin_true_is_relu_as_in_micrograd(make) -> None:
    n = make()
    assert n.activation == "relu"
    for row in X:
        z = math.fsum(w.data * xi for w, xi in zip(n.w, row)) + n.b.data
        assert n(row).data == pytest.approx(max(0.0, z), rel=1e-15, abs=1e-15)


def test_micrograds_positional_nonlin() -> None:
    assert Neuron(3, False).activation == "linear"  # micrograd: Neuron(nin, nonlin=True)
    assert Layer(3, 2, False).activation == "linear"


def test_layer_with_nonlin_false_is_w_x_plus_b() -> None:
    layer = Layer(3, 2, nonlin=False)
    assert [n.activation for n in layer.neurons] == ["linear", "linear"]
    W, b = weights(layer)
    for row in X:
        out = layer(row)
        np.testing.assert_allclose([v.data for v in out], W @ row + b, rtol=1e-14, atol=1e-15)
    relu_layer = Layer(3, 4, nonlin=True, seed=5)
    W, b = weights(relu_layer)
    got = [v.data for v in relu_layer(X[0])]
    np.testing.assert_allclose(got, np.maximum(W @ X[0] + b, 0.0), rtol=1e-14, atol=1e-15)


def test_mlp_on_numpy_rows_matches_numpy() -> None:
    model = MLP(3, [4, 4, 1])  # micrograd's MLP(nin, nouts): ReLU hidden layers, linear last
    assert [layer.activation for layer in model.layers] == ["relu", "relu", "linear"]
    for dtype in (np.float64, np.float32, np.int64):
        rows = X.astype(dtype)
        for row in rows:
            expected = numpy_forward(model, row.astype(np.float64))[0]
            assert model(row).data == pytest.approx(expected, rel=1e-13, abs=1e-14)


def test_the_lecture_loop_on_numpy_rows() -> None:
    # the lecture: ypred = [n(x) for x in xs]; loss = sum((yout - ygt)**2 ...); backward
    model = MLP(3, [4, 4, 1], seed=1)
    ys = [1.0, -1.0, -1.0, 1.0]
    ypred = [model(x) for x in X]
    loss = sum((yout - ygt) ** 2 for ygt, yout in zip(ys, ypred))
    expected = sum((numpy_forward(model, x)[0] - y) ** 2 for x, y in zip(X, ys))
    assert loss.data == pytest.approx(expected, rel=1e-13)
    # gradient of the loss with respect to one weight, against central differences
    p = model.layers[0].neurons[1].w[2]
    loss.backward()
    h, original = 1e-6, p.data
    p.data = original + h
    plus = sum((numpy_forward(model, x)[0] - y) ** 2 for x, y in zip(X, ys))
    p.data = original - h
    minus = sum((numpy_forward(model, x)[0] - y) ** 2 for x, y in zip(X, ys))
    p.data = original
    assert p.grad == pytest.approx((plus - minus) / (2 * h), rel=1e-6, abs=1e-8)


def test_inputs_as_values_from_a_numpy_row() -> None:
    # micrograd's demo: inputs = [list(map(Value, xrow)) for xrow in Xb]
    model = MLP(3, [4, 1], seed=2)
    xs = list(map(Value, X[1]))
    model(xs).backward()
    W1, b1 = weights(model.layers[0])
    W2, _ = weights(model.layers[1])
    active = (W1 @ X[1] + b1) > 0  # d out / d x = W2 · diag(relu'(z1)) · W1
    expected = (W2 * active) @ W1
    np.testing.assert_allclose([x.grad for x in xs], expected[0], rtol=1e-14, atol=1e-15)


def test_other_sequences_of_numbers() -> None:
    n = Neuron(3, nonlin=False, seed=4)
    expected = n([2.0, 3.0, -1.0]).data
    for row in ((2.0, 3.0, -1.0), range(2, 5), (v for v in [2.0, 3.0, -1.0])):
        if isinstance(row, range):
            exp = math.fsum(w.data * xi for w, xi in zip(n.w, row)) + n.b.data
            assert n(row).data == pytest.approx(exp, rel=1e-15)
        else:
            assert n(row).data == expected


def test_a_batch_is_refused_with_a_clear_message() -> None:
    model = MLP(3, [4, 1])
    with pytest.raises(ValueError, match=r"one sample at a time.*\(4, 3\)"):
        model(X)
    for bad in ({1.0, 2.0, 3.0}, {"a": 1.0, "b": 2.0, "c": 3.0}, "abc"):
        with pytest.raises(TypeError, match="expects a list of 3 numbers"):
            model(bad)
    with pytest.raises(ValueError, match="expects 3 input"):
        model(X[0][:2])


def test_nonlin_and_activation_together_or_a_bad_nonlin_are_errors() -> None:
    with pytest.raises(ValueError, match="not both"):
        Neuron(3, "tanh", nonlin=False)
    with pytest.raises(ValueError, match="not both"):
        Layer(3, 2, activation="sigmoid", nonlin=True)
    with pytest.raises(TypeError, match="nonlin must be True"):
        Neuron(3, nonlin="yes")  # type: ignore[arg-type]


def test_a_nonlin_model_saves_and_loads(tmp_path) -> None:
    layer = Layer(3, 2, nonlin=False, seed=3)
    layer.save(tmp_path / "layer.json")
    copy = nn.load(tmp_path / "layer.json")
    assert isinstance(copy, Layer) and copy.activation == "linear"
    assert [v.data for v in copy(X[2])] == [v.data for v in layer(X[2])]
