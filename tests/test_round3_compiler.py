"""Issue 20, compiled paths: non-finite inputs, the self-check's reach, parameter order,
generated source in linecache, and the errors of empty, ragged and non-numeric batches.

Witnesses: the eager engine (``backward()``, ``fit`` without ``compiled``) and hand-derived
numbers; messages are compared with what the eager path says for the same mistake.
"""

from __future__ import annotations

import gc
import linecache
import math
import re
import traceback
import tracemalloc
from typing import Any

import pytest

from micrograd_kr import DomainError, Parameter, TraceError, Value, compile, data, nn, optim
from micrograd_kr.train import fit

np = pytest.importorskip("numpy")
lift_module = pytest.importorskip("micrograd_kr.compiler")

LIFT = pytest.mark.parametrize("lift", [False, True], ids=["scalar", "lifted"])


def korean_first(message: str) -> bool:
    """Korean words come before the English in parentheses ("mse_loss: 예측과 ... (got ...)")."""
    return re.search("[\uac00-\ud7a3]", message.split("(")[0]) is not None


def engine_message(x: Any) -> str:
    """What the eager engine says of x as an input (Value(x) checks every number)."""
    with pytest.raises((TypeError, DomainError)) as info:
        Value(x)
    return str(info.value)


def relu_of_product(x: Value, y: Value) -> Value:
    return (x * y).relu()


# --- 1. non-finite inputs ---------------------------------------------------------------------


@LIFT
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_a_non_finite_input_in_a_later_batch_is_refused_naming_input_and_sample(
    lift: bool, bad: float
) -> None:
    c = compile(relu_of_product, [1.0, 2.0], lift=lift)
    xs, ys = np.array([1.0, 2.0, 3.0]), np.ones(3)
    c(xs, ys, reduce="mean")  # the first call (self-checked) is fine
    ys_bad = np.array([1.0, 1.0, bad])  # relu's where() would map NaN to 0 silently
    for reduce in (None, "sum", "mean"):
        with pytest.raises(DomainError) as info:
            c(xs, ys_bad, reduce=reduce)
        message = str(info.value)
        assert korean_first(message)
        assert "input 1" in message and "sample 2" in message
        assert engine_message(bad) in message  # the engine's own words for the number


@LIFT
def test_a_non_finite_scalar_input_or_parameter_is_refused(lift: bool) -> None:
    w = Parameter(0.5, label="w")
    c = compile(lambda x: (w * x).relu(), [1.0], lift=lift)
    assert c(2.0) == (1.0, (0.5, 2.0))
    with pytest.raises(DomainError, match="input 0"):
        c(math.nan)
    with pytest.raises(DomainError, match="parameter w"):
        c(2.0, params=[math.nan])
    with pytest.raises(DomainError, match="parameter w"):
        c(np.array([1.0, 2.0]), params=[math.inf], reduce="sum")


def test_lifted_step_refuses_non_finite_samples_and_parameters() -> None:
    model = nn.MLP(2, [3, 1], seed=0)
    c = compile(lambda a, b: model([a, b]), [0.5, -0.5], lift=True)
    X = np.array([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6], [0.7, 0.8]])
    loss, flat, _ = c.step(X)
    assert math.isfinite(loss) and flat.shape == (len(model.parameters()),)
    X[3, 0] = math.nan
    with pytest.raises(DomainError) as info:
        c.step(X)
    assert korean_first(str(info.value))
    assert "input 0" in str(info.value) and "sample 3" in str(info.value)
    P = np.array([p.data for p in model.parameters()])
    P[1] = math.inf
    with pytest.raises(DomainError, match=r"parameter L0\.n0\.w1"):
        c.step(np.ones((2, 2)), P)


def test_fit_compiled_refuses_a_nan_sample_naming_it() -> None:
    X, y = data.make_moons(12, noise=0.1, seed=0)
    X_bad = [list(row) for row in X]
    X_bad[5][1] = math.nan  # not the first row: the trace would not see it
    with pytest.raises(DomainError) as info:
        fit(nn.MLP(2, [4, 1], seed=0), X_bad, y, epochs=2, compiled=True, progress=False)
    assert korean_first(str(info.value)) and "X[5][1]" in str(info.value)
    y_bad = [float(t) for t in y]
    y_bad[7] = math.inf
    with pytest.raises(DomainError, match=r"y\[7\]"):
        fit(
            nn.MLP(2, [4, 1], seed=0), X, y_bad, loss="mse", epochs=2, compiled=True, progress=False
        )


# --- 2. how often the compiled code is checked ------------------------------------------------


def data_branch(x: Value) -> Value:
    return x * 2 if x.data < 5 else x * 3  # reads .data: the trace at 1.0 freezes x * 2


@LIFT
def test_the_default_check_is_the_first_call_only(lift: bool) -> None:
    c = compile(data_branch, [1.0], lift=lift)
    assert c.check == "first"
    assert c(1.0)[0] == 2.0
    # the documented trap: a later call on the other side of the branch is not checked
    assert c(10.0)[0] == 20.0  # the eager engine gives 30.0


@LIFT
def test_check_always_catches_a_later_call_with_both_numbers(lift: bool) -> None:
    c = compile(data_branch, [1.0], lift=lift, check="always")
    assert c(1.0)[0] == 2.0
    with pytest.raises(TraceError) as info:
        c(10.0)
    message = str(info.value)
    assert korean_first(message)
    assert "20.0" in message and "30.0" in message  # compiled and eager, as measured
    assert 'check="first"' in message and "first call only" in message
    with pytest.raises(TraceError, match="sample 1"):
        c(np.array([1.0, 10.0, 2.0]), reduce="sum")


def test_check_never_and_a_wrong_check_value() -> None:
    def f(x: Value) -> Value:
        return x * x.data

    with pytest.raises(TraceError):
        compile(f, [1.0])  # caught near the example by default
    c = compile(f, [1.0], check="never")
    assert c(3.0)[0] == 3.0  # no check: the frozen constant 1.0 is used (eager: 9.0)
    for wrong in ("sometimes", True, None):
        with pytest.raises(ValueError) as info:
            compile(lambda x: x * 2, [1.0], check=wrong)  # type: ignore[arg-type]
        assert korean_first(str(info.value)) and "'first', 'always' or 'never'" in str(info.value)


def test_the_trace_error_names_only_what_it_established() -> None:
    c = compile(lambda x: x * 2 if x.data > 0 else x * 3, [1.0])
    with pytest.raises(TraceError) as info:
        c(-1.0)
    message = str(info.value)
    assert "-2.0" in message and "-3.0" in message
    assert "probably" not in message  # reading .data is one possible cause, not a finding
    assert "Possible causes" in message and "bug of the compiler" in message


def test_fit_compiled_checks_its_first_step_against_the_eager_engine() -> None:
    w, b = Parameter(0.5, label="w"), Parameter(0.1, label="b")

    def model(x: list[Any]) -> Value:
        x0 = x[0] if isinstance(x[0], Value) else Value(x[0])
        return w * x0 + b if x0.data > 0 else w * x0 * 2.0 + b  # a .data branch

    X, y = [[1.0], [-1.0], [2.0]], [1.0, -2.0, 2.0]
    with pytest.raises(TraceError, match="sample 1"):
        fit(
            model,
            X,
            y,
            loss="mse",
            optimizer=optim.SGD([w, b], lr=0.1),
            epochs=3,
            compiled=True,
            progress=False,
        )


# --- 3. parameter order and names -------------------------------------------------------------


def eager_grads(model: nn.Module, xs: list[float]) -> list[float]:
    model.zero_grad()
    out = model(xs)
    (out[0] if isinstance(out, list) else out).backward()
    return [p.grad for p in model.parameters()]


@LIFT
@pytest.mark.parametrize(
    "make",
    [
        lambda: nn.MLP(1, [1], seed=0),
        lambda: nn.MLP(2, [3, 1], seed=1),
        lambda: nn.MLP(2, [2, 1], activation="maxout", seed=2),
    ],
    ids=["MLP(1,[1])", "MLP(2,[3,1])", "maxout"],
)
def test_gradients_come_in_model_parameters_order(lift: bool, make: Any) -> None:
    model = make()
    xs = [0.7, -0.3][: model.nin]

    def f(*v: Value) -> Value:
        out = model(list(v))
        return out[0] if isinstance(out, list) else out

    want = eager_grads(model, xs)
    labels = [p.label for p in model.parameters()]
    for params in (None, model, model.parameters()):
        c = compile(f, xs, params=params, lift=lift)
        assert c.params == model.parameters()
        assert c.param_names == labels
        _, grads = c(*xs)
        assert list(grads[len(xs) :]) == pytest.approx(want, rel=1e-12, abs=1e-15)


def test_param_names_fall_back_to_positions() -> None:
    a, b = Parameter(1.0), Parameter(2.0, label="k")
    k2 = Parameter(3.0, label="k")
    c = compile(lambda x: a * x + b * k2, [1.0])
    assert c.params == [a, b, k2]  # creation order
    assert c.param_names == ["params[0]", "params[1]", "params[2]"]  # none, "k" twice
    only = Parameter(1.0, label="w")
    assert compile(lambda x: only * x, [1.0]).param_names == ["w"]


def test_params_must_be_leaf_values_or_a_model() -> None:
    x0 = Value(1.0)
    for wrong in (5, "ab", [x0 * 2], [1.0]):
        with pytest.raises(TypeError) as info:
            compile(lambda x: x * 2, [1.0], params=wrong)
        assert korean_first(str(info.value)) and "params" in str(info.value)


# --- 4. generated source in linecache -----------------------------------------------------------


def micrograd_entries() -> set[str]:
    return {name for name in linecache.cache if name.startswith("<micrograd_kr")}


@LIFT
def test_linecache_holds_the_source_while_the_program_lives(lift: bool) -> None:
    c = compile(lambda x: x.log(), [1.0], lift=lift)
    name = c.fn.__code__.co_filename
    assert name in linecache.cache
    with pytest.raises(ValueError) as info:
        c.fn(-1.0)  # the raw generated function: math.log(-1.0) fails inside it
    text = "".join(traceback.format_exception(info.value))
    assert "log(v0)" in text  # the traceback shows the generated line
    del c, info
    gc.collect()
    assert name not in linecache.cache


def test_many_compiled_fits_do_not_grow_memory_or_linecache() -> None:
    X, y = data.make_moons(16, noise=0.1, seed=1)
    before = micrograd_entries()
    gc.collect()
    tracemalloc.start()
    try:
        for i in range(200):
            fit(nn.MLP(2, [4, 1], seed=i), X, y, epochs=1, compiled=True, progress=False)
            if i == 49:
                gc.collect()
                at_50 = tracemalloc.get_traced_memory()[0]
        gc.collect()
        at_200 = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    # kept for ever, each of the 150 fits added about 20 KB here (three programs' text)
    assert at_200 - at_50 < 150_000
    assert micrograd_entries() <= before


# --- 5. errors of the compiled paths ------------------------------------------------------------


@LIFT
def test_an_empty_batch_is_refused(lift: bool) -> None:
    c = compile(relu_of_product, [1.0, 2.0], lift=lift)
    for reduce in (None, "sum", "mean"):
        with pytest.raises(ValueError) as info:
            c(np.array([]), np.array([]), reduce=reduce)
        assert korean_first(str(info.value)) and "empty batch" in str(info.value)
        with pytest.raises(ValueError, match="empty batch"):
            c([], 1.0, reduce=reduce)


def test_lifted_step_refuses_an_empty_batch() -> None:
    c = compile(lambda x: x.tanh(), [0.5], lift=True)
    with pytest.raises(ValueError) as info:
        c.step(np.empty((0, 1)))
    assert korean_first(str(info.value)) and "empty batch" in str(info.value)


@LIFT
def test_strings_in_a_batch_get_the_engines_words(lift: bool) -> None:
    c = compile(relu_of_product, [1.0, 2.0], lift=lift)
    with pytest.raises(TypeError) as info:
        c(np.array([1.0, 2.0]), np.array(["1.5", "a"]), reduce="sum")
    message = str(info.value)
    assert korean_first(message) and "input 1" in message and "sample 0" in message
    assert engine_message("1.5") in message  # a numeric string is refused, as by Value
    with pytest.raises(TypeError) as info:
        c("a", 2.0)
    assert engine_message("a") in str(info.value) and "input 0" in str(info.value)


@LIFT
def test_a_ragged_or_mismatched_batch_is_refused(lift: bool) -> None:
    c = compile(relu_of_product, [1.0, 2.0], lift=lift)
    with pytest.raises(ValueError) as info:
        c([[1.0], [2.0, 3.0]], 1.0, reduce="sum")
    assert korean_first(str(info.value)) and "ragged" in str(info.value)
    with pytest.raises(ValueError) as info:
        c(np.ones(2), np.ones(3), reduce="sum")
    assert korean_first(str(info.value)) and "do not match" in str(info.value)


def eager_and_compiled_errors(*args: Any, **kwargs: Any) -> tuple[BaseException, BaseException]:
    errors = []
    for compiled in (False, True):
        with pytest.raises((TypeError, ValueError)) as info:
            fit(*args, **kwargs, epochs=1, progress=False, compiled=compiled)
        errors.append(info.value)
    return errors[0], errors[1]


@pytest.mark.parametrize(
    "X",
    [[[1.0, 2.0], [1.0]], [["a", "b"], [1.0, 2.0]], [[1.0, 2.0], ["1.5", 2.0]]],
    ids=["ragged", "strings", "numeric string"],
)
def test_fit_compiled_refuses_bad_samples_with_the_eager_words(X: Any) -> None:
    eager, compiled = eager_and_compiled_errors(nn.MLP(2, [1], seed=0), X, [1, 0])
    assert type(compiled) is type(eager)
    assert str(eager) in str(compiled) and korean_first(str(compiled))
    assert "sample" in str(compiled)


def test_fit_compiled_one_target_per_sample_for_two_outputs_says_what_eager_says() -> None:
    X, y = [[1.0, 2.0], [1.0, 3.0]], [1.0, 0.0]  # a 2-output model needs 2 numbers a sample
    eager, compiled = eager_and_compiled_errors(nn.MLP(2, [2], seed=0), X, y, loss="mse")
    assert str(compiled) == str(eager) and korean_first(str(compiled))
    eager, compiled = eager_and_compiled_errors(nn.MLP(2, [1], seed=0), X, ["a", 1])
    assert str(compiled) == str(eager) and korean_first(str(compiled))


def test_compile_refuses_what_is_not_a_function_or_a_flag() -> None:
    for lift in (False, True):
        with pytest.raises(TypeError) as info:
            compile("a", [1.0], lift=lift)  # type: ignore[arg-type]
        assert korean_first(str(info.value)) and "callable" in str(info.value)
    with pytest.raises(TypeError) as info:
        compile(lambda x: x * 2, [1.0], lift="a")  # type: ignore[arg-type]
    assert korean_first(str(info.value)) and "lift must be True or False" in str(info.value)
    with pytest.raises(TypeError) as info:
        lift_module.Lifted("a")  # type: ignore[arg-type]
    assert korean_first(str(info.value)) and "Trace" in str(info.value)
