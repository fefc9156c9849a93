"""Issue 20, round 3: cross-entropy on one output, non-finite toy data, writes over FIFOs and
devices, gradcheck's kink verdict, hinge_loss on one score per sample."""

from __future__ import annotations

import math
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import micrograd_kr
from micrograd_kr import GradcheckError, Value, data, draw_dot, gradcheck, nn
from micrograd_kr import functional as F
from micrograd_kr.serialize import ModelFileError
from micrograd_kr.train import evaluate, fit

ROOT = Path(micrograd_kr.__file__).resolve().parent.parent  # the checkout under test

# --- 1. cross-entropy needs class scores: two or more per sample ---------------------------


def test_cross_entropy_refuses_int_labels_for_one_vector() -> None:
    # three samples of one output each, read before as one probability vector [0, 1, 1]
    z = [Value(0.1), Value(0.2), Value(0.3)]
    with pytest.raises(ValueError, match="one vector of logits is one sample"):
        F.cross_entropy(z, [0, 1, 1])
    with pytest.raises(ValueError, match="at least two outputs per sample"):
        F.cross_entropy([[v] for v in z], [0, 1, 1])


def test_cross_entropy_probability_targets_are_asked_for_by_name() -> None:
    z = [0.3, -1.2, 2.0]
    with pytest.raises(ValueError, match=r"probs="):
        F.cross_entropy(z, F.one_hot(1, 3))
    with pytest.raises(TypeError, match=r"probs="):
        F.cross_entropy([z, z], [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    # closed form: -log softmax(z)_1 = log(sum e^z) - z_1
    expected = math.log(sum(math.exp(v) for v in z)) - z[1]
    assert F.cross_entropy(z, probs=F.one_hot(1, 3)).data == pytest.approx(expected, rel=1e-14)
    assert F.cross_entropy(z, 1).data == pytest.approx(expected, rel=1e-14)
    with pytest.raises(ValueError, match="sum to 1"):
        F.cross_entropy(z, probs=[0.5, 0.6, 0.0])
    with pytest.raises(ValueError, match="sum to 1"):
        F.cross_entropy(z, probs=[1.5, -0.5, 0.0])
    with pytest.raises(TypeError, match="exactly one of target"):
        F.cross_entropy(z, 1, probs=F.one_hot(1, 3))


@pytest.mark.parametrize("compiled", [False, True])
def test_fit_refuses_cross_entropy_on_one_output_with_one_message(compiled: bool) -> None:
    if compiled:
        pytest.importorskip("numpy")
    X, y = data.make_moons(20, seed=0)
    model = nn.MLP(2, [4, 1], seed=0)
    before = [p.data for p in model.parameters()]
    with pytest.raises(ValueError) as info:
        fit(model, X, y, loss="cross_entropy", epochs=3, progress=False, compiled=compiled)
    message = str(info.value)
    assert message.startswith("loss='cross_entropy': 클래스 점수")
    assert "class scores need at least two outputs per sample" in message and "got 1" in message
    assert [p.data for p in model.parameters()] == before  # refused before any step
    with pytest.raises(ValueError, match="at least two outputs per sample"):
        evaluate(model, X, y, loss="cross_entropy")


def test_fit_cross_entropy_with_two_outputs_still_trains() -> None:
    X, y = data.make_moons(20, seed=0)
    history = fit(nn.MLP(2, [4, 2], seed=0), X, y, loss="cross_entropy", epochs=5, progress=False)
    assert history.loss[-1] < history.loss[0]


# --- 2. toy data: finite numbers only, clear TypeErrors --------------------------------------


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: data.make_linear(w=math.nan), "w must be a finite number"),
        (lambda: data.make_linear(w=[1.0, math.inf]), "w[1] must be a finite number"),
        (lambda: data.make_linear(b=math.inf), "b must be a finite number"),
        (lambda: data.make_linear(x_range=(-1e308, 1e308)), "x_range is too wide"),
        (lambda: data.make_linear(w=1e308, x_range=(-10, 10)), "y = w·x + b overflows"),
        (lambda: data.make_parabola(x_range=(1e200, 1e201)), "y = x² overflows"),
        (lambda: data.make_moons(noise=1e308), "noise overflows"),
        (lambda: data.make_circles(noise=1e308), "noise overflows"),
        (lambda: data.make_spiral(noise=1e308), "noise overflows"),
    ],
)
def test_generators_refuse_what_would_be_inf_or_nan(call, words: str) -> None:
    with pytest.raises(ValueError) as info:
        call()
    message = str(info.value)
    assert words in message
    assert any("\uac00" <= ch <= "\ud7a3" for ch in message.split(" (")[0])  # Korean first


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: data.make_circles(factor="a"), "factor"),
        (lambda: data.make_linear(x_range=None), "x_range"),
        (lambda: data.make_parabola(x_range=("a", 1)), "x_range[0]"),
        (lambda: data.make_linear(w="a"), "w"),
        (lambda: data.make_linear(w=[1.0, None]), "w[1]"),
        (lambda: data.make_linear(b="1"), "b"),
        (lambda: data.make_spiral(turns="a"), "turns"),
        (lambda: data.make_moons("a"), "n"),
        (lambda: data.make_moons(noise="a"), "noise"),
        (lambda: data.make_moons(shuffle="no"), "shuffle"),
        (lambda: data.train_test_split([[0.0], [1.0]], [0, 1], test_fraction="a"), "test_fraction"),
    ],
)
def test_generators_give_a_clear_type_error(call, name: str) -> None:
    with pytest.raises(TypeError) as info:
        call()
    message = str(info.value)
    assert message.startswith(name) and f"({name} must be" in message
    assert any("\uac00" <= ch <= "\ud7a3" for ch in message)  # Korean first


def test_generated_data_is_finite_at_the_edges_that_still_fit() -> None:
    X, y = data.make_parabola(10, x_range=(1e150, 1e151))  # x² <= 1e302 fits
    assert all(math.isfinite(v) for v in y) and all(1e150 <= x[0] <= 1e151 for x in X)


# --- 3. writes never replace a FIFO or a device ------------------------------------------------


@pytest.fixture
def specials(tmp_path: Path) -> dict[str, Path]:
    if not hasattr(os, "mkfifo"):
        pytest.skip("needs FIFOs")
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    null = tmp_path / "null.json"
    null.symlink_to(os.devnull)  # as root, a rename over /dev/null would replace the device
    return {"fifo": fifo, "null": null}


def _unchanged(paths: dict[str, Path]) -> None:
    assert stat.S_ISFIFO(os.lstat(paths["fifo"]).st_mode)
    assert paths["null"].is_symlink() and stat.S_ISCHR(os.stat(paths["null"]).st_mode)
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


@pytest.mark.parametrize("kind", ["fifo", "null"])
def test_module_save_refuses_a_fifo_or_device(specials: dict[str, Path], kind: str) -> None:
    model = nn.MLP(2, [2, 1], seed=0)
    with pytest.raises(ModelFileError, match="not a regular file"):
        model.save(specials[kind])
    _unchanged(specials)
    assert sorted(p.name for p in specials["fifo"].parent.iterdir()) == ["null.json", "pipe.json"]


def test_save_through_a_symlink_to_a_file_writes_the_file(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    link = tmp_path / "link.json"
    link.symlink_to(real)
    model = nn.MLP(2, [2, 1], seed=0)
    model.save(link)
    assert link.is_symlink() and real.is_file()
    assert nn.load(real).state_dict() == model.state_dict()


@pytest.mark.parametrize("kind", ["fifo", "null"])
def test_diagram_and_animation_saves_refuse_a_fifo_or_device(
    specials: dict[str, Path], kind: str
) -> None:
    from micrograd_kr.viz.files import atomic_write

    target = specials[kind]
    with pytest.raises(ValueError, match="not a regular file"):
        atomic_write(target, b"x")
    dot = target.with_name(f"{kind}.dot")
    dot.symlink_to(target)
    y = Value(2.0) * Value(3.0)
    with pytest.raises(ValueError, match="not a regular file"):
        draw_dot(y).save(dot)
    _unchanged(specials)


def test_plot_save_refuses_a_fifo(specials: dict[str, Path]) -> None:
    pytest.importorskip("matplotlib")
    from micrograd_kr import plot

    target = specials["fifo"].with_name("loss.png")
    os.mkfifo(target)  # savefig would wait for a reader for ever
    with pytest.raises(ValueError, match="not a regular file"):
        plot.loss_curve([1.0, 0.5], path=target)
    assert stat.S_ISFIFO(os.lstat(target).st_mode)


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("MICROGRAD_KR_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "micrograd_kr", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize("kind", ["fifo", "null"])
def test_train_save_force_refuses_a_fifo_or_device(specials: dict[str, Path], kind: str) -> None:
    target = specials[kind]
    done = _cli(
        "train", "--epochs", "1", "--no-progress", "--save", str(target), "--force",
        cwd=target.parent,
    )  # fmt: skip
    assert done.returncode == 2, done.stdout
    assert "not a regular file" in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""  # refused before training
    _unchanged(specials)


# --- 4. gradcheck: a kink only where the one-sided slopes really differ ----------------------


def _finding(f, xs: list[float], **kwargs):
    with pytest.raises(GradcheckError) as info:
        gradcheck(f, xs, **kwargs)
    [finding] = info.value.findings
    return finding, str(info.value)


def test_sin_at_1e7_is_a_step_too_large_not_a_kink() -> None:
    finding, message = _finding(lambda x: x.sin(), [1e7])
    assert finding.kind == "step_too_large" and "kink" not in message.replace("not a kink", "")
    assert finding.analytic == math.cos(1e7)  # backward is right
    assert "미분이 정의되지 않습니다" not in message
    # the eps it names works
    assert gradcheck(lambda x: x.sin(), [1e7], eps=finding.eps)


def test_abs_near_zero_is_a_step_too_large_not_a_kink() -> None:
    finding, message = _finding(lambda x: abs(x), [1e-300])
    assert finding.kind == "step_too_large" and finding.analytic == 1.0
    assert "the step is too large" in message and "derivative undefined" not in message
    assert gradcheck(lambda x: abs(x), [1e-300], eps=finding.eps)


@pytest.mark.parametrize(
    ("f", "x", "left", "right"),
    [
        (lambda x: abs(x), 0.0, -1.0, 1.0),
        (lambda x: x.relu(), 0.0, 0.0, 1.0),
        (lambda x: x.maximum(1.0), 1.0, 0.0, 1.0),
        (lambda x: abs(x) + 1e7 * x * x, 0.0, -1.0, 1.0),  # a kink under strong curvature
    ],
)
def test_kinks_are_kinks_in_the_library(f, x: float, left: float, right: float) -> None:
    finding, message = _finding(f, [x])
    assert finding.kind == "kink"
    assert finding.left == pytest.approx(left, abs=1e-4)
    assert finding.right == pytest.approx(right, abs=1e-4)
    assert "derivative undefined at a kink" in message


def test_a_step_too_small_names_a_larger_eps() -> None:
    finding, message = _finding(lambda x: x.sin(), [1.0], eps=1e-14)
    assert finding.kind == "step_too_small" and "rounding error dominates" in message
    assert finding.eps > 1e-14
    assert gradcheck(lambda x: x.sin(), [1.0], eps=finding.eps)


@pytest.mark.parametrize(
    ("f", "xs"),
    [
        (lambda x: x.sin(), [1.0]),
        (lambda x: (x * 1000).sin(), [0.3]),
        (lambda x: x.exp(), [20.0]),
        (lambda x: abs(x), [0.5]),
        (lambda x, y: x.relu() * y + (x * y).tanh(), [0.7, -1.3]),
    ],
)
def test_normal_points_pass(f, xs: list[float]) -> None:
    assert gradcheck(f, xs)


@pytest.mark.parametrize(
    ("args", "verdict", "phrase"),
    [
        (["sin(x)", "x=1e7"], "간격이 큼 (step too large)", "the step is too large"),
        (["abs(x)", "x=1e-300"], "간격이 큼 (step too large)", "the step is too large"),
        (["abs(x)", "x=0"], "미분 불가 (not differentiable)", "derivative undefined at a kink"),
        (["relu(x)", "x=0"], "미분 불가 (not differentiable)", "derivative undefined at a kink"),
        (["maximum(x, 1)", "x=1"], "미분 불가 (not differentiable)", "derivative undefined"),
    ],
)
def test_the_command_line_says_what_the_library_says(
    tmp_path: Path, args: list[str], verdict: str, phrase: str
) -> None:
    done = _cli("gradcheck", *args, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert verdict in done.stdout and phrase in done.stdout
    if "step too large" in verdict:
        assert "정의되지 않습니다" not in done.stdout and "관례" not in done.stdout
        eps = done.stdout.split("--eps ")[1].split("이면")[0]
        again = _cli("gradcheck", *args, "--eps", eps, cwd=tmp_path)
        assert again.returncode == 0, again.stdout
        assert "모든 기울기가 일치합니다" in again.stdout


def test_the_command_line_passes_normal_points(tmp_path: Path) -> None:
    done = _cli("gradcheck", "sin(x) * y", "x=1", "y=2", cwd=tmp_path)
    assert done.returncode == 0, done.stdout
    assert "모든 기울기가 일치합니다" in done.stdout


# --- 5. hinge_loss with one score per sample in a batch -----------------------------------------


def test_hinge_loss_with_one_score_rows_names_the_shape() -> None:
    v, w = Value(0.5), Value(-0.2)
    with pytest.raises(ValueError) as info:
        F.hinge_loss([[v], [w]], [0, 0])
    message = str(info.value)
    assert message.startswith("hinge_loss: 샘플 0의 점수가 1개입니다")
    assert "at least two scores per sample" in message and "one score per sample" in message
    # the binary form it points to works: relu(1 - y·s) with 0 counted as -1
    loss = F.hinge_loss([v, w], [0, 0])
    assert loss.data == pytest.approx(((1 + 0.5) + (1 - 0.2)) / 2)
