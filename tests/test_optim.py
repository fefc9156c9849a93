"""Tests for micrograd_kr.optim: SGD and Adam update rules, checked by hand and against PyTorch."""

from __future__ import annotations

import math

import pytest

from micrograd_kr import Parameter, Value, is_grad_enabled, optim

START = [0.5, -1.2, 2.0, 0.0]


def loss_of(ps: list) -> Value:
    """A small non-quadratic loss whose gradient changes from step to step."""
    a, b, c, d = ps
    return (a - 1.0) ** 2 + (a * b).tanh() + 0.5 * c**4 / 10 + (d - 0.3).exp() + b * b * 0.1


def run_ours(make, steps: int = 6) -> list[list[float]]:
    ps = [Parameter(x) for x in START]
    opt = make(ps)
    trace = []
    for _ in range(steps):
        opt.zero_grad()
        loss_of(ps).backward()
        opt.step()
        trace.append([p.data for p in ps])
    return trace


def run_torch(make, steps: int = 6) -> list[list[float]]:
    torch = pytest.importorskip("torch")
    t = torch.tensor(START, dtype=torch.float64, requires_grad=True)
    opt = make([t])
    trace = []
    for _ in range(steps):
        opt.zero_grad()
        a, b, c, d = t[0], t[1], t[2], t[3]
        loss = (
            (a - 1.0) ** 2 + torch.tanh(a * b) + 0.5 * c**4 / 10 + torch.exp(d - 0.3) + b * b * 0.1
        )
        loss.backward()
        opt.step()
        trace.append(t.detach().tolist())
    return trace


def assert_same(ours: list[list[float]], theirs: list[list[float]]) -> None:
    for step, (a, b) in enumerate(zip(ours, theirs)):
        assert a == pytest.approx(b, rel=1e-12, abs=1e-14), f"step {step + 1}"


# --- by hand ---------------------------------------------------------------------------------


def test_sgd_is_gradient_descent() -> None:
    # seed 000: w <- w - eta * dloss/dw
    w = Parameter(2.0)
    opt = optim.SGD([w], lr=0.1)
    (w * w).backward()
    opt.step()
    assert w.data == pytest.approx(2.0 - 0.1 * 4.0)
    assert w.grad == 4.0  # step() leaves gradients alone; zero_grad() clears them
    opt.zero_grad()
    assert w.grad == 0.0
    assert opt.steps == 1


def test_sgd_momentum_and_weight_decay_by_hand() -> None:
    w = Parameter(1.0)
    opt = optim.SGD([w], lr=0.1, momentum=0.9, weight_decay=0.5)
    w.grad = 2.0
    opt.step()  # g = 2 + 0.5*1 = 2.5; buf = 2.5; w = 1 - 0.25
    assert w.data == pytest.approx(0.75)
    opt.step()  # g = 2 + 0.375 = 2.375; buf = 0.9*2.5 + 2.375 = 4.625
    assert w.data == pytest.approx(0.75 - 0.4625)


def test_adam_first_step_moves_by_lr() -> None:
    # after bias correction the first Adam step is lr * g/|g| (up to eps)
    w = Parameter(3.0)
    opt = optim.Adam([w], lr=0.01)
    w.grad = -42.0
    opt.step()
    assert w.data == pytest.approx(3.01, rel=1e-9)


def test_steps_build_no_graph() -> None:
    w = Parameter(1.0)
    opt = optim.Adam([w], lr=0.1)
    w.grad = 1.0
    opt.step()
    assert isinstance(w, Parameter) and w.is_leaf and is_grad_enabled()


def test_optimizer_argument_errors() -> None:
    with pytest.raises(ValueError, match="empty parameter list"):
        optim.SGD([], lr=0.1)
    with pytest.raises(TypeError, match="not one"):
        optim.SGD(Parameter(1.0), lr=0.1)
    with pytest.raises(TypeError, match=r"params\[1\]"):
        optim.SGD([Parameter(1.0), 2.0], lr=0.1)
    with pytest.raises(ValueError, match="more than once"):
        p = Parameter(1.0)
        optim.SGD([p, p], lr=0.1)
    with pytest.raises(ValueError, match="lr"):
        optim.SGD([Parameter(1.0)], lr=-1)
    with pytest.raises(ValueError, match="lr"):
        optim.Adam([Parameter(1.0)], lr=math.nan)
    with pytest.raises(ValueError, match="betas"):
        optim.Adam([Parameter(1.0)], betas=(0.9, 1.0))
    with pytest.raises(ValueError, match="nesterov"):
        optim.SGD([Parameter(1.0)], lr=0.1, nesterov=True)
    assert repr(optim.SGD([Parameter(1.0)], lr=0.1)) == "SGD(lr=0.1, 1 parameters)"


def test_generators_of_parameters_are_accepted() -> None:
    ps = [Parameter(1.0), Parameter(2.0)]
    opt = optim.SGD(iter(ps), lr=0.1)
    assert opt.params == ps


# --- against torch.optim -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"lr": 0.1},
        {"lr": 0.05, "momentum": 0.9},
        {"lr": 0.05, "momentum": 0.9, "weight_decay": 0.01},
        {"lr": 0.05, "momentum": 0.8, "dampening": 0.3},
        {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.1},
    ],
)
def test_sgd_matches_torch(kwargs: dict) -> None:
    torch = pytest.importorskip("torch")
    theirs = run_torch(lambda ps: torch.optim.SGD(ps, **kwargs))
    ours = run_ours(lambda ps: optim.SGD(ps, **kwargs))
    assert_same(ours, theirs)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"lr": 0.1},
        {"lr": 0.01, "betas": (0.8, 0.99), "eps": 1e-6},
        {"lr": 0.05, "weight_decay": 0.1},
    ],
)
def test_adam_matches_torch(kwargs: dict) -> None:
    torch = pytest.importorskip("torch")
    theirs = run_torch(lambda ps: torch.optim.Adam(ps, **kwargs), steps=10)
    ours = run_ours(lambda ps: optim.Adam(ps, **kwargs), steps=10)
    assert_same(ours, theirs)


def test_adamw_matches_torch() -> None:
    torch = pytest.importorskip("torch")
    kwargs = {"lr": 0.05, "weight_decay": 0.2}
    theirs = run_torch(lambda ps: torch.optim.AdamW(ps, **kwargs), steps=10)
    ours = run_ours(lambda ps: optim.AdamW(ps, **kwargs), steps=10)
    assert_same(ours, theirs)


def test_adam_refuses_a_zero_eps() -> None:
    with pytest.raises(ValueError, match="eps must be > 0"):
        optim.Adam([Value(1.0)], eps=0.0)


# --- a step that would write inf or nan is refused, and changes nothing (issue 12) ----------


def with_grads(values: list[float], grads: list[float]) -> list[Parameter]:
    ps = [Parameter(x, label=f"p{i}") for i, x in enumerate(values)]
    for p, g in zip(ps, grads):
        p.grad = g
    return ps


def refused(opt: optim.Optimizer, name: str) -> str:
    """step() must raise naming ``name`` and leave every parameter and the step count alone."""
    before = [p.data for p in opt.params]
    steps = opt.steps
    with pytest.raises(FloatingPointError) as info:
        opt.step()
    assert [p.data for p in opt.params] == before
    assert opt.steps == steps
    message = str(info.value)
    assert name in message and "lr" in message and "\n" not in message, message
    return message


def test_sgd_huge_lr_is_refused_and_no_parameter_changes() -> None:
    # p0: 0.5 - 1e308 * 1 = -1e308 is finite, p1: 0.5 - 1e308 * 10 overflows to -inf;
    # p0 comes first, so a step that wrote as it went would already have moved it
    ps = with_grads([0.5, 0.5], [1.0, 10.0])
    message = refused(optim.SGD(ps, lr=1e308), "params[1] ('p1')")
    assert "-inf" in message


def test_sgd_momentum_buffer_overflow_is_refused() -> None:
    ps = with_grads([1.0, 2.0], [1e308, 0.5])
    opt = optim.SGD(ps, lr=1e-300, momentum=0.9)
    opt.step()  # buffer = 1e308: fine; p0 moves by 1e-300 * 1e308 = 1e8
    assert ps[0].data == 1.0 - 1e8 and ps[1].data == 2.0 - 0.5e-300
    refused(opt, "params[0] ('p0')")  # buffer 0.9e308 + 1e308 overflows
    # the refused step left the buffers alone: a sane gradient continues from buffer 1e308
    ps[0].grad, ps[1].grad = 0.0, 0.0
    opt.step()
    assert ps[0].data == 1.0 - 1e8 - 1e-300 * (0.9 * 1e308)


def test_sgd_weight_decay_overflow_is_refused() -> None:
    ps = with_grads([1e10, 2e300], [0.0, 0.0])
    refused(optim.SGD(ps, lr=0.1, weight_decay=1e9), "params[1] ('p1')")  # 1e9 * 2e300


def test_adam_alternating_huge_gradients_are_refused_before_a_nan() -> None:
    ps = with_grads([0.5, -0.25], [0.1, 1.7e308])
    opt = optim.Adam(ps, lr=0.01)
    for step in range(4):  # the old step wrote nan into p1 on the second step
        ps[0].grad, ps[1].grad = 0.1, 1.7e308 * (-1) ** step
        with pytest.raises(FloatingPointError):
            opt.step()
        assert [p.data for p in ps] == [0.5, -0.25] and opt.steps == 0
    refused(opt, "params[1] ('p1')")
    # nothing of the refused steps stayed in the state: the next sane step is a first step,
    # which moves each parameter by lr * g / (|g| + eps) (m / sqrt(v) = g / |g| at t = 1)
    ps[0].grad, ps[1].grad = 0.1, -0.2
    opt.step()
    assert ps[0].data == pytest.approx(0.5 - 0.01 * 0.1 / (0.1 + 1e-8), rel=1e-14)
    assert ps[1].data == pytest.approx(-0.25 + 0.01 * 0.2 / (0.2 + 1e-8), rel=1e-14)


def test_adam_l2_weight_decay_overflow_is_refused() -> None:
    ps = with_grads([1.0, 1e300], [0.5, 0.5])
    refused(optim.Adam(ps, lr=0.01, weight_decay=1e10), "params[1] ('p1')")


def test_adamw_decoupled_decay_overflow_is_refused() -> None:
    # p * (1 - lr * wd) = 1e300 * (1 - 1e-3 * 1e12) overflows; p0 = 1 * (1 - 1e9) does not
    ps = with_grads([1.0, 1e300], [0.5, 0.5])
    refused(optim.AdamW(ps, lr=1e-3, weight_decay=1e12), "params[1] ('p1')")


def test_a_gradient_that_is_already_inf_or_nan_is_refused() -> None:
    for bad in (math.inf, math.nan):
        ps = with_grads([0.5, 0.5], [0.1, bad])
        refused(optim.SGD(ps, lr=0.1), "params[1] ('p1')")
        ps = with_grads([0.5, 0.5], [0.1, bad])
        refused(optim.Adam(ps), "params[1] ('p1')")


def test_a_model_instead_of_its_parameters_gets_a_hint() -> None:
    from micrograd_kr import nn

    with pytest.raises(TypeError, match=r"parameters\(\)"):
        optim.SGD(nn.MLP(2, [1]), lr=0.1)  # type: ignore[arg-type]


def test_a_value_computed_from_others_is_not_a_parameter() -> None:
    # updating y.data of y = 2x changes nothing the model computes: a silent no-op step
    x = Value(1.0)
    with pytest.raises(ValueError, match="leaf"):
        optim.SGD([x * 2.0], lr=0.1)
