"""End-to-end tests of the ``micrograd-kr`` command, run as a real subprocess."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import os
import re
import subprocess
import sys
import unicodedata
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Union

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_expr import HOSTILE_EXPRESSIONS

from micrograd_kr import data, nn, no_grad, serialize
from micrograd_kr.cli import build_parser, main
from micrograd_kr.expr import ExprError, function_names, parse_expression

Arg = Union[str, bytes]

_SCRIPT = Path(sys.executable).with_name("micrograd-kr")
COMMAND: list[str] = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "micrograd_kr"]
HANG_GUARD = 60  # seconds; a hang guard only, never a timing assertion

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def run(
    args: Sequence[Arg],
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    command: Sequence[str] = COMMAND,
) -> subprocess.CompletedProcess[str]:
    """Run the command; stdout/stderr decoded as UTF-8 (bad bytes replaced)."""
    full_env = dict(os.environ)
    full_env.pop("MICROGRAD_KR_DEBUG", None)
    full_env.update(env or {})
    done = subprocess.run(
        [*command, *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        timeout=HANG_GUARD,
    )
    return subprocess.CompletedProcess(
        done.args,
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
    )


def assert_one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("오류: ")
    return lines[0]


# -- help ----------------------------------------------------------------------------------


@pytest.mark.parametrize("sub", [[], ["demo"], ["graph"], ["gradcheck"], ["train"]])
def test_help_is_korean(sub: list[str]) -> None:
    done = run([*sub, "--help"])
    assert done.returncode == 0, done.stderr
    assert "사용법: micrograd-kr" in done.stdout
    assert "이 도움말을 보여 주고 끝냅니다" in done.stdout
    assert done.stderr == ""


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@pytest.mark.parametrize("sub", [[], ["demo"], ["graph"], ["gradcheck"], ["train"]])
def test_help_fits_an_80_column_terminal_without_broken_words(sub: list[str]) -> None:
    done = run([*sub, "--help"], env={"COLUMNS": "80"})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    too_wide = [line for line in lines if display_width(line) > 80]
    assert not too_wide, too_wide
    text = " ".join(done.stdout.split())  # words joined across line ends
    if sub == ["graph"] or sub == ["gradcheck"]:
        for name in function_names():  # each name whole: never "l / og"
            assert re.search(rf"(?<![\w]){name}(?![\w])", done.stdout), name
    if sub == ["demo"]:
        assert "micrograd-kr-demo, micrograd-kr-demo-2," in text  # never "micro / grad-kr-"
    # argparse's English is gone
    for english in ("usage:", "options:", "positional arguments", "show this help"):
        assert english not in done.stdout


def test_python_dash_m_works() -> None:
    done = run(["--version"], command=[sys.executable, "-m", "micrograd_kr"])
    assert done.returncode == 0
    assert "micrograd-kr" in done.stdout


def test_no_command_is_a_usage_error_in_korean() -> None:
    line = assert_one_line_error(run([]))
    assert "명령이 없습니다" in line and "demo, graph, gradcheck, train" in line
    assert "the following arguments are required" not in line


@pytest.mark.parametrize(
    ("args", "korean", "suggestion"),
    [
        (["grahp"], "알 수 없는 명령 'grahp'", "혹시 'graph'?"),
        (["gradchek", "x", "x=1"], "알 수 없는 명령", "혹시 'gradcheck'?"),
        (["train", "--dataset", "mon"], "알 수 없는 값 'mon'", "혹시 'moons'?"),
        (["train", "--optimizer", "adma"], "알 수 없는 값 'adma'", "혹시 'adam'?"),
        (["graph", "sni(x)", "x=1"], "알 수 없는 함수 'sni'", "혹시 'sin'?"),
        (["gradcheck", "tahn(x)", "x=1"], "알 수 없는 함수 'tahn'", "혹시 'tanh'?"),
        (["graph", "x", "x=1", "--froce"], "알 수 없는 인자입니다", "혹시 '--force'?"),
        (["train", "--epoch", "3", "--ouput", "m.json"], "알 수 없는 인자입니다", None),
        (["train", "--epochs"], "값이 하나 필요합니다", None),
        (["train", "--epochs", "x"], "정수가 아닙니다", None),
    ],
)
def test_usage_errors_are_korean_first_with_did_you_mean(
    args: list[str], korean: str, suggestion: str | None
) -> None:
    line = assert_one_line_error(run(args))
    assert korean in line
    if suggestion is not None:
        assert suggestion in line and "(did you mean" in line
    for english in ("invalid choice: ", "choose from", "expected one argument'", "error:"):
        assert english not in line.split("(")[0]


@pytest.mark.parametrize(
    ("expression", "fixed"), [("3x + 1", "3*x"), ("2(x + 1)", "2*("), ("x * 2.5y", "2.5*y")]
)
def test_a_number_before_a_name_hints_the_missing_star(expression: str, fixed: str) -> None:
    line = assert_one_line_error(run(["graph", expression, "x=1", "y=1"]))
    assert f"'{fixed}'" in line and "곱셈은 *를 씁니다" in line


def test_scientific_notation_gets_no_star_hint() -> None:
    line = assert_one_line_error(run(["graph", "1e5 +", "x=1"]))
    assert "곱셈" not in line


# -- graph ---------------------------------------------------------------------------------


def test_graph_svg(tmp_path: Path) -> None:
    done = run(["graph", "tanh(w*x + b)", "x=2", "w=-3", "b=6.88", "-o", "g.svg"], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    # o = tanh(w x + b): do/dx = w (1 - o^2), do/dw = x (1 - o^2), do/db = 1 - o^2
    o = math.tanh(-3 * 2 + 6.88)
    local = 1 - o * o
    value = float(done.stdout.split("값: ")[1].split()[0])
    assert math.isclose(value, o, rel_tol=1e-9)
    rows = {line.split()[0]: line.split() for line in done.stdout.splitlines() if line}
    for name, x, grad in [("x", 2, -3 * local), ("w", -3, 2 * local), ("b", 6.88, local)]:
        assert float(rows[name][1]) == x
        assert math.isclose(float(rows[name][2]), grad, rel_tol=1e-9), (name, rows[name])
    assert "저장: g.svg" in done.stdout
    svg = (tmp_path / "g.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith(("<?xml", "<svg", "<!DOCTYPE"))
    assert 'stroke="blue"' in svg and 'stroke="red"' in svg


def test_graph_korean_names_png(tmp_path: Path) -> None:
    done = run(
        ["graph", "가중치 * 입력 + 1", "가중치=0.5", "입력=4", "-o", "그래프.png"], cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert "값: 3" in done.stdout
    table = {line.split()[0]: line.split()[1:] for line in done.stdout.splitlines() if line}
    assert table["가중치"] == ["0.5", "4"]
    assert table["입력"] == ["4", "0.5"]
    assert (tmp_path / "그래프.png").read_bytes().startswith(PNG_MAGIC)


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("g.pdf", lambda b: b.startswith(b"%PDF")),
        ("g.dot", lambda b: b"digraph" in b and b"blue" in b and b"red" in b),
        ("g.html", lambda b: b"<html" in b.lower() and b"<svg" in b),
    ],
)
def test_graph_other_formats(tmp_path: Path, name: str, check: object) -> None:
    done = run(["graph", "log(x) * y", "x=2", "y=3", "-o", name], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert callable(check) and check((tmp_path / name).read_bytes())


def test_graph_without_variables_and_without_output(tmp_path: Path) -> None:
    done = run(["graph", "1 + 2 * 3"], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "값: 7" in done.stdout
    assert list(tmp_path.iterdir()) == []


def test_graph_expression_starting_with_minus() -> None:
    done = run(["graph", "--", "-x", "x=2"])
    assert done.returncode == 0, done.stderr
    assert "값: -2" in done.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["graph", "-x**2", "x=3"],
        ["graph", "-x**2", "x=3", "-o", "g.dot"],
        ["graph", "-o", "g.dot", "-x**2", "x=3"],
        ["gradcheck", "-x**2", "x=3", "--eps", "1e-5"],
    ],
)
def test_an_expression_may_start_with_a_minus(tmp_path: Path, args: list[str]) -> None:
    done = run(args, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    # -x^2 at x = 3 is -9, its derivative -2x is -6
    assert "값: -9" in done.stdout
    row = next(line.split() for line in done.stdout.splitlines() if line.startswith("x "))
    assert float(row[2]) == -6
    assert ("-o" in args) == (tmp_path / "g.dot").exists()


def test_graph_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    mine = tmp_path / "g.dot"
    mine.write_text("my own file", encoding="utf-8")
    line = assert_one_line_error(run(["graph", "x*y", "x=1", "y=2", "-o", "g.dot"], cwd=tmp_path))
    assert "덮어쓰지 않습니다" in line and "--force" in line
    assert mine.read_text(encoding="utf-8") == "my own file"
    done = run(["graph", "x*y", "x=1", "y=2", "-o", "g.dot", "--force"], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert mine.read_text(encoding="utf-8").startswith("digraph")


def test_graph_too_large_to_render(tmp_path: Path) -> None:
    # dot's layout time grows steeply with size; the command refuses before printing
    expression = "+".join(f"tanh(x*{i})" for i in range(1, 60))
    done = run(["graph", expression, "x=0.1", "-o", "big.svg"], cwd=tmp_path)
    assert "graph too large" in assert_one_line_error(done)
    assert done.stdout == ""
    assert list(tmp_path.iterdir()) == []
    done = run(["graph", expression, "x=0.1", "-o", "big.dot"], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "big.dot").read_text(encoding="utf-8").startswith("digraph")


def test_graph_value_reused_along_a_long_chain_renders(tmp_path: Path) -> None:
    # 60 uses of x: dot's layout used to run into its 120 s timeout
    done = run(["graph", "+".join(["x"] * 60), "x=1", "-o", "g.svg"], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "g.svg").read_text(encoding="utf-8").count('class="edge backward"') == 118


@pytest.mark.parametrize("out", [".", "sub", "sub/"])
def test_graph_output_that_is_a_folder_says_so(tmp_path: Path, out: str) -> None:
    (tmp_path / "sub").mkdir()
    line = assert_one_line_error(run(["graph", "x", "x=1", "-o", out], cwd=tmp_path))
    assert "폴더입니다" in line


def test_graph_unknown_format_writes_nothing(tmp_path: Path) -> None:
    line = assert_one_line_error(run(["graph", "x", "x=1", "-o", "g.exe"], cwd=tmp_path))
    assert ".exe" in line
    assert list(tmp_path.iterdir()) == []


# -- gradcheck -----------------------------------------------------------------------------


def test_gradcheck_agrees() -> None:
    done = run(["gradcheck", "log(x) * 가중치 + x**2", "x=2", "가중치=0.5"])
    assert done.returncode == 0, done.stderr
    assert "역전파 (analytic)" in done.stdout and "수치 (numeric)" in done.stdout
    assert "4.25" in done.stdout
    assert "불일치" not in done.stdout


def test_gradcheck_disagreement_exits_1() -> None:
    # exp(x) at 10: rounding in f(x +- eps) leaves the central difference ~3e-7 off
    done = run(["gradcheck", "exp(x)", "x=10", "--atol", "0", "--rtol", "0"])
    assert done.returncode == 1, done.stderr
    assert "불일치 (mismatch)" in done.stdout
    assert "gradients disagree): x" in done.stdout
    assert "정의되지 않습니다" not in done.stdout  # a smooth function has no kink
    assert done.stderr == ""


@pytest.mark.parametrize(
    ("args", "left", "right"),
    [
        (["relu(x) + y", "x=0", "y=1"], 0.0, 1.0),  # relu: slope 0 left of 0, 1 right
        (["abs(x)", "x=0"], -1.0, 1.0),  # backward's 0 equals the central difference here
        (["leaky_relu(x) * 2", "x=0"], 0.2, 2.0),
        (["maximum(x, 1)", "x=1"], 0.0, 1.0),
    ],
)
def test_gradcheck_at_a_kink_says_the_derivative_is_undefined(
    args: list[str], left: float, right: float
) -> None:
    done = run(["gradcheck", *args])
    assert done.returncode == 1, done.stderr
    assert "미분이 정의되지 않습니다 (derivative undefined at a kink)" in done.stdout
    assert "미분 불가" in done.stdout and "모든 기울기가 일치합니다" not in done.stdout
    slopes = re.search(r"왼쪽 기울기 (\S+), 오른쪽 기울기 (\S+)\.", done.stdout)
    assert slopes is not None, done.stdout
    assert math.isclose(float(slopes.group(1)), left, abs_tol=1e-6)
    assert math.isclose(float(slopes.group(2)), right, abs_tol=1e-6)


@pytest.mark.parametrize("args", [["exp(x)", "x=20"], ["sin(1000*x)", "x=0.3"], ["relu(x)", "x=1"]])
def test_gradcheck_finds_no_kink_in_smooth_places(args: list[str]) -> None:
    done = run(["gradcheck", *args])
    assert done.returncode == 0, done.stdout
    assert "정의되지 않습니다" not in done.stdout


def test_gradcheck_tolerances_are_options() -> None:
    done = run(["gradcheck", "exp(x)", "x=10", "--atol", "0", "--rtol", "0"])
    assert done.returncode == 1
    done = run(["gradcheck", "exp(x)", "x=10", "--atol", "1e-3"])
    assert done.returncode == 0, done.stdout


def test_gradcheck_numeric_domain_error() -> None:
    line = assert_one_line_error(run(["gradcheck", "log(x)", "x=1e-7"]))
    assert "log" in line and "열 1" in line


# -- train ---------------------------------------------------------------------------------


def test_train_moons_save_and_plot(tmp_path: Path) -> None:
    done = run(
        [
            "train",
            "--dataset",
            "moons",
            "--hidden",
            "4",
            "--epochs",
            "5",
            "--samples",
            "20",
            "--save",
            "model.json",
            "--plot",
            "plots",
        ],
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "에폭 1/5" in done.stdout and "에폭 5/5" in done.stdout
    assert "최종 손실 (loss)" in done.stdout and "정확도 (accuracy)" in done.stdout
    assert "학습 (training)" in done.stderr  # the tqdm bar, Korean first
    document = json.loads((tmp_path / "model.json").read_text(encoding="utf-8"))
    assert document["architecture"]["sizes"] == [4, 1]
    model = nn.load(tmp_path / "model.json")
    assert model.num_parameters() == 4 * 3 + 5
    for name in ("loss.png", "decision_boundary.png"):
        assert (tmp_path / "plots" / name).read_bytes().startswith(PNG_MAGIC)


@pytest.mark.parametrize(
    ("dataset", "extra", "plot"),
    [
        ("spiral", ["--optimizer", "sgd", "--activation", "tanh"], "decision_boundary.png"),
        ("circles", ["--loss", "bce", "--lr", "0.02"], "decision_boundary.png"),
        ("parabola", ["--activation", "tanh"], "fit.png"),
        ("linear", [], "fit.png"),
    ],
)
def test_train_datasets(tmp_path: Path, dataset: str, extra: list[str], plot: str) -> None:
    args = ["train", "--dataset", dataset, "--hidden", "4", "--epochs", "3", "--samples", "12"]
    done = run([*args, *extra, "--no-progress", "--plot", "p"], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "최종 손실 (loss)" in done.stdout
    assert done.stderr == ""
    assert (tmp_path / "p" / plot).read_bytes().startswith(PNG_MAGIC)


def test_train_final_numbers_are_the_saved_model_s_numbers(tmp_path: Path) -> None:
    args = ["train", "--epochs", "40", "--samples", "60", "--hidden", "8", "--seed", "3"]
    done = run([*args, "--save", "m.json"], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    # the hinge loss and accuracy of the saved model on the same data, by hand
    X, y = data.make_moons(60, noise=0.1, seed=3)
    model = nn.load(tmp_path / "m.json")
    with no_grad():
        scores = [model(x).data for x in X]
    hinge = sum(max(0.0, 1 - (2 * t - 1) * s) for s, t in zip(scores, y)) / len(y)
    correct = sum((s > 0) == (t == 1) for s, t in zip(scores, y)) / len(y)
    final = re.search(r"최종 손실 \(loss\): (\S+), 정확도 \(accuracy\): (\S+)%", done.stdout)
    assert final is not None, done.stdout
    assert final.group(1) == f"{hinge:.4f}" and final.group(2) == f"{correct * 100:.1f}"
    assert "마지막 갱신 뒤" in done.stdout  # the final line says what it measured
    # the progress bar ends on the same numbers, labelled as final
    bar = re.findall(r"final_loss=(\S+), final_acc=(\d\.\d+)", done.stderr)
    assert bar and bar[-1] == (f"{hinge:.4f}", f"{correct:.3f}")
    # the per-epoch lines say they are means taken before the update
    last_epoch = next(line for line in done.stdout.splitlines() if "에폭 40/40" in line)
    assert "갱신 전" in last_epoch


def test_demo_reports_one_set_of_final_numbers(tmp_path: Path) -> None:
    done = run(["demo", "--out", "d", "--epochs", "30"], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    final = re.search(r"최종 손실 \(loss\): (\S+), 정확도 \(accuracy\): (\S+)%", done.stdout)
    bar = re.findall(r"final_loss=(\S+), final_acc=(\d\.\d+)", done.stderr)
    assert final is not None and bar, (done.stdout, done.stderr)
    assert bar[-1][0] == final.group(1)
    assert f"{float(bar[-1][1]) * 100:.1f}" == final.group(2)


@pytest.mark.parametrize(
    ("activation", "listed", "absent"),
    [
        ("relu", [], ["maxout_k", "slope", "alpha"]),
        ("tanh", [], ["maxout_k", "slope", "alpha"]),
        ("maxout", ["maxout_k=2"], ["slope", "alpha"]),
        ("leaky_relu", ["slope=0.1"], ["maxout_k", "alpha"]),
        ("elu", ["alpha=1.0"], ["maxout_k", "slope"]),
    ],
)
def test_model_description_lists_only_settings_that_apply(
    activation: str, listed: list[str], absent: list[str]
) -> None:
    args = ["train", "--epochs", "1", "--samples", "8", "--hidden", "3", "--no-progress"]
    done = run([*args, "--activation", activation])
    assert done.returncode == 0, done.stderr
    line = next(line for line in done.stdout.splitlines() if "모델:" in line)
    assert f"MLP 2-3-1 (activation={activation}" in line
    assert all(setting in line for setting in listed), line
    assert not any(setting in line for setting in absent), line


def _blocked_matplotlib(tmp_path: Path) -> dict[str, str]:
    """An environment where ``import matplotlib`` fails (a shim found before the real one)."""
    shim = tmp_path / "shim" / "matplotlib"
    shim.mkdir(parents=True)
    (shim / "__init__.py").write_text(
        'raise ImportError("matplotlib is blocked for this test")\n', encoding="utf-8"
    )
    return {
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(shim.parent), os.environ.get("PYTHONPATH")])
        )
    }


def test_train_plot_without_matplotlib_is_refused_before_training(tmp_path: Path) -> None:
    done = run(
        ["train", "--epochs", "2", "--plot", "p", "--save", "m.json"],
        cwd=tmp_path,
        env=_blocked_matplotlib(tmp_path),
    )
    line = assert_one_line_error(done)
    assert "matplotlib" in line and 'pip install "micrograd_kr[plot]"' in line
    assert done.stdout == ""  # nothing trained
    assert not (tmp_path / "m.json").exists() and not (tmp_path / "p").exists()


@pytest.mark.parametrize("existing", ["m.json", "p/loss.png", "p/decision_boundary.png"])
def test_train_refuses_to_overwrite_before_training(tmp_path: Path, existing: str) -> None:
    mine = tmp_path / existing
    mine.parent.mkdir(exist_ok=True)
    mine.write_text("my own file", encoding="utf-8")
    args = ["train", "--epochs", "2", "--samples", "8", "--hidden", "3", "--no-progress"]
    done = run([*args, "--save", "m.json", "--plot", "p"], cwd=tmp_path)
    line = assert_one_line_error(done)
    assert existing.split("/")[-1] in line and "--force" in line
    assert done.stdout == ""  # refused before training
    assert mine.read_text(encoding="utf-8") == "my own file"
    done = run([*args, "--save", "m.json", "--plot", "p", "--force"], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert mine.read_bytes() != b"my own file"


def test_train_regression_rejects_classification_loss() -> None:
    assert "mse" in assert_one_line_error(run(["train", "--dataset", "linear", "--loss", "hinge"]))


def test_train_spiral_with_a_wrong_loss_names_the_one_that_works() -> None:
    for loss in ("mse", "hinge", "bce"):
        line = assert_one_line_error(run(["train", "--dataset", "spiral", "--loss", loss]))
        assert "cross_entropy만" in line and "hinge" not in line.replace(f"--loss {loss}", "")


def test_train_save_to_a_folder_is_refused_before_training(tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    done = run(["train", "--epochs", "2", "--save", "models"], cwd=tmp_path)
    line = assert_one_line_error(done)
    assert "'models'" in line and "폴더" in line and ".tmp" not in line
    assert done.stdout == ""  # nothing trained


def test_train_save_error_names_the_file_not_a_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def denied(path: object, data: bytes, error: type[Exception] = ValueError) -> None:
        raise PermissionError(13, "Permission denied", str(tmp_path / ".model.json.1a2b.tmp"))

    monkeypatch.setattr(serialize, "atomic_write", denied)
    args = ["train", "--epochs", "1", "--samples", "8", "--hidden", "2", "--no-progress"]
    status = main([*args, "--save", str(tmp_path / "model.json")])
    line = capsys.readouterr().err.strip()
    assert status == 2 and "model.json'" in line and ".tmp" not in line, line
    assert "Permission denied" in line


def test_train_divergence_prints_short_numbers() -> None:
    args = ["train", "--optimizer", "sgd", "--lr", "1e308", "--activation", "tanh"]
    done = run([*args, "--epochs", "5", "--samples", "20", "--hidden", "3", "--no-progress"])
    # fit's warning that the loss exploded comes first, on a line of its own (issue 22)
    warning, _, done.stderr = done.stderr.partition("\n")
    assert warning.startswith("경고: 손실이")
    assert "diverged" in assert_one_line_error(done)
    assert "에폭 2/5" in done.stdout
    assert max(len(line) for line in done.stdout.splitlines()) < 200, done.stdout


# -- demo ------------------------------------------------------------------------------------

DEMO_FILES = ("neuron.svg", "backprop.html", "loss.png", "decision_boundary.png")


def test_demo_default_folder_and_no_overwrite(tmp_path: Path) -> None:
    done = run(["demo", "--no-progress"], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = tmp_path / "micrograd-kr-demo"
    for name in DEMO_FILES:
        assert f"저장: {out / name}" in done.stdout
    svg = (out / "neuron.svg").read_text(encoding="utf-8")
    assert 'stroke="blue"' in svg and 'stroke="red"' in svg
    html = (out / "backprop.html").read_text(encoding="utf-8")
    assert "<html" in html.lower() and "<svg" in html
    assert (out / "loss.png").read_bytes().startswith(PNG_MAGIC)
    assert (out / "decision_boundary.png").read_bytes().startswith(PNG_MAGIC)
    assert "최종 손실 (loss)" in done.stdout and "정확도 (accuracy)" in done.stdout

    # a second run never touches the first folder
    again = run(["demo", "--no-progress", "--epochs", "2"], cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "micrograd-kr-demo-2" / "neuron.svg").exists()


def test_demo_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    mine = tmp_path / "neuron.svg"
    mine.write_text("my own file", encoding="utf-8")
    line = assert_one_line_error(run(["demo", "--out", str(tmp_path)]))
    assert "--force" in line
    assert mine.read_text(encoding="utf-8") == "my own file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["neuron.svg"]

    done = run(["demo", "--out", str(tmp_path), "--force", "--epochs", "2", "--no-progress"])
    assert done.returncode == 0, done.stderr
    assert "stroke=" in mine.read_text(encoding="utf-8")


def test_demo_without_matplotlib_still_succeeds(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run(
        ["demo", "--out", str(out), "--epochs", "2", "--no-progress"],
        env=_blocked_matplotlib(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    assert 'pip install "micrograd_kr[plot]"' in done.stdout
    assert sorted(p.name for p in out.iterdir()) == ["backprop.html", "neuron.svg"]


# -- hostile input -----------------------------------------------------------------------------

ARG_MAX_ONE = 100_000  # Linux refuses a single argv string over 128 KiB


def _as_argv(expression: str) -> Arg | None:
    """The expression as a command-line argument, or None if no argv can carry it."""
    if "\x00" in expression:
        return None  # execve cannot pass a NUL byte; covered in-process by test_expr
    if len(expression) > ARG_MAX_ONE:
        expression = expression[:ARG_MAX_ONE]
    try:
        return expression.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return expression.encode("utf-8", "surrogatepass")  # invalid UTF-8 bytes


def _values_for(expression: str) -> list[Arg]:
    """NAME=0.5 for each variable, when the expression parses (so evaluation is reached)."""
    try:
        names = parse_expression(expression).variables
    except ExprError:
        return []
    return [f"{name}=0.5" for name in names]


HOSTILE_ARGV: list[list[Arg]] = [
    ["graph", "--", arg, *_values_for(e)]
    for e in HOSTILE_EXPRESSIONS
    if (arg := _as_argv(e)) is not None
]
HOSTILE_ARGV += [
    ["graph", "x", "x=nan"],
    ["graph", "x", "x=inf"],
    ["graph", "x", "x=1e999"],
    ["graph", "x", "x=0x10"],
    ["graph", "x", "x=1", "x=2"],
    ["graph", "x + y", "x=1"],
    ["graph", "x", "x=1", "y=2"],
    ["graph", "x", "x"],
    ["graph", "x", b"x=\xff"],
    ["graph", "x", b"\xff=1"],
    ["graph", "x", "__class__=1"],
    ["graph", "x", "exp=1", "x=1"],
    ["graph", "x", "x=" + "9" * 50_000],
    ["graph", "x", *[f"v{i}=1" for i in range(200)]],
    ["gradcheck", "1 + 2"],
    ["gradcheck", "sqrt(x)", "x=0"],
    ["graph", "--x", "x=1"],
    ["gradcheck", "x", "x=1", "--eps", "0"],
    ["gradcheck", "x", "x=1", "--atol", "-1"],
    ["gradcheck", "x", "x=1", "--rtol", "nan"],
    ["graph", "x", "x=1", "-o"],
    ["train", "--samples", "3"],
    ["train", "--activation", "sigmoidd"],
    ["train", "--optimizer", "rmsprop"],
    ["train", "--loss", "l1"],
    ["train", "--save", "/nonexistent-dir/m.json"],
    ["train", "--plot", "/dev/null"],
    ["demo", "--seed", "-1"],
    ["graph", "x", "x=1", "-o", "/nonexistent-dir/g.svg"],
    ["graph", "x", "x=1", "-o", "."],
    [b"\xff"],
    ["graph", b"\xff\xfe"],
    ["train", "--epochs", "-1"],
    ["train", "--epochs", "10**9"],
    ["train", "--hidden", "0"],
    ["train", "--hidden", "100000"],
    ["train", "--hidden", "1,1,1,1,1,1,1,1,1"],
    ["train", "--lr", "nan"],
    ["train", "--lr", "-1"],
    ["train", "--dataset", "evil"],
    ["train", "--dataset", "spiral", "--loss", "hinge"],
    ["train", "--seed", "x"],
    ["demo", "--epochs", "0"],
    ["demo", "--out", "/dev/null"],
    ["nonsense"],
]


def test_hostile_corpus_reaches_every_command_and_every_option_with_a_value() -> None:
    """Each command, and each option that takes a value, gets at least one bad input."""
    parser = build_parser()
    (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    for name, sub in commands.choices.items():
        used = [argv for argv in HOSTILE_ARGV if argv and argv[0] == name]
        assert used, f"no hostile input for the {name} command"
        for action in sub._actions:
            if action.option_strings and action.nargs != 0:
                assert any(o in argv for argv in used for o in action.option_strings), (
                    f"no hostile input for {name} {action.option_strings[-1]}"
                )


@pytest.fixture(scope="module")
def hostile_results(
    tmp_path_factory: pytest.TempPathFactory,
) -> list[tuple[subprocess.CompletedProcess[str], Path]]:
    """Every HOSTILE_ARGV run once, a few at a time (each in its own empty folder)."""
    folders = [tmp_path_factory.mktemp("hostile") for _ in HOSTILE_ARGV]
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        results = list(pool.map(lambda a, d: run(a, cwd=d), HOSTILE_ARGV, folders))
    return list(zip(results, folders))


@pytest.mark.parametrize(
    "index", range(len(HOSTILE_ARGV)), ids=lambda i: repr(HOSTILE_ARGV[i])[:60]
)
def test_hostile_argv_is_refused_with_one_line(
    index: int, hostile_results: list[tuple[subprocess.CompletedProcess[str], Path]]
) -> None:
    done, folder = hostile_results[index]
    line = assert_one_line_error(done)
    assert len(line) < 600
    assert re.search(r"[가-힣]", line.removeprefix("오류: ").split(" (")[0]), "Korean first"
    assert list(folder.iterdir()) == []  # nothing written


def test_error_line_survives_an_ascii_terminal() -> None:
    done = run(["graph", "가중치 +", "가중치=1"], env={"PYTHONIOENCODING": "ascii"})
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1
    assert "Traceback" not in done.stderr


def test_output_survives_an_ascii_terminal() -> None:
    done = run(["graph", "가중치 * 2", "가중치=1"], env={"PYTHONIOENCODING": "ascii"})
    assert done.returncode == 0, done.stderr
    assert "\\uac00" in done.stdout  # 가, escaped instead of crashing


# -- in-process: random argv never escapes main() -----------------------------------------------


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(["graph", "gradcheck"]),
    st.text(max_size=60),
    st.lists(st.text(max_size=15), max_size=4),
)
def test_main_random_arguments(command: str, expression: str, values: list[str]) -> None:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main([command, "--", expression, *values])
    assert status in (0, 1, 2)
    if status == 2:
        assert len(err.getvalue().splitlines()) == 1
