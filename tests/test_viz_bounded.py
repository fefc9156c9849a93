"""Every render is bounded: worker processes with a time limit, Ctrl-C, bitmap size, arguments.

No test here measures time: a slow layout is one that never finishes in practice (a DOT
text whose layout runs for minutes), and the tests check that it is stopped.
"""

from __future__ import annotations

import math
import os
import shutil
import signal
import struct
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from renderers import HAS_DOT, HAS_PYGRAPHVIZ, needs_pygraphviz, needs_renderer
from viz_graphs import reused_along_a_chain

from micrograd_kr import Value, animate_backward, cli, draw_dot, viz
from micrograd_kr.viz import Diagram, RenderError

CLI = [sys.executable, "-m", "micrograd_kr"]


def endless_layout() -> str:
    """DOT whose layout runs for minutes: one node joined to every link of a long chain,
    each edge with a label (Graphviz 2.43 took over 60 s; that is all we need to know)."""
    lines = ["digraph g {", "  node [shape=box];"]
    lines += [f"  n{k} -> n{k + 1};" for k in range(150)]
    lines += [f'  x -> n{k} [label="1"];' for k in range(1, 150)]
    lines += [f'  x -> n{k} [dir=back, label="1"];' for k in range(1, 150)]
    return "\n".join(lines) + "\n}\n"


def only_bundled_engine(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir(exist_ok=True)
    monkeypatch.setenv("PATH", str(empty))


def fake_dot(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, body: str) -> None:
    bin_dir = tmp_path / "fake-bin"
    bin_dir.mkdir()
    script = bin_dir / "dot"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")


# --- time limits ----------------------------------------------------------------------------


@needs_pygraphviz
def test_the_bundled_engine_is_stopped_at_the_time_limit(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    only_bundled_engine(monkeypatch, tmp_path)
    diagram = Diagram(endless_layout(), renderer="pygraphviz", timeout=1)
    with pytest.raises(viz.LayoutTimeoutError) as info:
        diagram.svg()
    message = str(info.value)
    assert "\n" not in message and "1초" in message and "pygraphviz" in message
    assert isinstance(info.value, RenderError)  # old handlers still catch it


@pytest.mark.skipif(not HAS_DOT, reason="the dot program is not installed")
def test_the_dot_program_is_stopped_at_the_time_limit() -> None:
    with pytest.raises(viz.LayoutTimeoutError, match="did not finish"):
        Diagram(endless_layout(), renderer="dot", timeout=1).png()


def test_a_time_out_in_the_cli_is_one_korean_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sleep = shutil.which("sleep")
    if sleep is None:
        pytest.skip("no sleep program")
    fake_dot(monkeypatch, tmp_path, f"exec {sleep} 30")
    monkeypatch.setattr(cli, "LAYOUT_TIMEOUT", 0.5)
    status = cli.main(["graph", "x*x", "x=2", "-o", str(tmp_path / "g.svg")])
    err = capsys.readouterr().err.strip()
    assert status == 2 and len(err.splitlines()) == 1
    assert err.startswith("오류: 그림을 그릴 수 없습니다 (cannot render): 그래프 배치가 0.5초 안에")
    assert not (tmp_path / "g.svg").exists()


def worker_of(pid: int) -> int | None:
    """The first child process of ``pid`` (Linux /proc), or None."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    children = path.read_text().split() if path.exists() else []
    return int(children[0]) if children else None


@needs_pygraphviz
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_ctrl_c_stops_the_bundled_layout_and_its_worker(tmp_path: Path) -> None:
    (tmp_path / "heavy.dot").write_text(endless_layout())
    script = (
        "from micrograd_kr.viz import Diagram\n"
        "source = open('heavy.dot').read()\n"
        "Diagram(source, renderer='pygraphviz', timeout=None).svg()\n"
    )
    env = {**os.environ, "PATH": str(Path(sys.executable).parent)}
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        worker = None
        for _ in range(600):  # the layout never ends, so the worker stays once it started
            worker = worker_of(proc.pid)
            if worker is not None or proc.poll() is not None:
                break
            time.sleep(0.05)
        assert worker is not None, "the layout did not run in a worker process"
        time.sleep(0.3)  # let the worker reach the C layout
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)  # a guard against a hang, not a measurement
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode != 0 and b"KeyboardInterrupt" in err
    state = Path(f"/proc/{worker}/stat")
    assert not state.exists() or state.read_text().split(") ")[1][0] == "Z"


# --- what makes a layout expensive --------------------------------------------------------------


@needs_renderer
@pytest.mark.parametrize("terms", [99, 150])
@pytest.mark.parametrize("suffix", [".svg", ".png"])
def test_cli_draws_a_value_reused_at_every_depth(tmp_path: Path, terms: int, suffix: str) -> None:
    # 99 terms took 35 s of layout, 150 terms 19 minutes as PNG
    out = tmp_path / f"g{suffix}"
    done = subprocess.run(
        [*CLI, "graph", "+".join(["x"] * terms), "x=1", "-o", out.name],
        cwd=tmp_path,
        capture_output=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert f"x     1   {terms}" in done.stdout.decode()  # d/dx of terms * x
    data = out.read_bytes()
    if suffix == ".svg":
        root = ET.fromstring(data)
        copies = [g for g in root.iter() if "copy" in (g.get("class") or "").split()]
        assert len(copies) == terms - 3  # ops 3 .. terms-1 are far from x's first use
    else:
        width, height = struct.unpack(">II", data[16:24])
        assert data.startswith(b"\x89PNG") and max(width, height) <= 8000


@needs_renderer
def test_a_png_of_a_long_chain_is_scaled_to_a_bounded_bitmap() -> None:
    # at 144 dpi the 150-term chain was 32767 x 6545 pixels (640 MB while painting)
    png = draw_dot(reused_along_a_chain(150), max_nodes=None).png()
    width, height = struct.unpack(">II", png[16:24])
    assert max(width, height) <= 8000
    small = draw_dot(reused_along_a_chain(3)).png()
    assert max(struct.unpack(">II", small[16:24])) < 2000  # small drawings keep their size


def test_cli_refuses_an_animation_too_large_to_lay_out(tmp_path: Path) -> None:
    done = subprocess.run(
        [*CLI, "graph", "+".join(["x"] * 150), "x=1", "-o", "g.html"],
        cwd=tmp_path,
        capture_output=True,
        timeout=600,
    )
    err = done.stderr.decode().strip()
    assert done.returncode == 2 and len(err.splitlines()) == 1 and "너무 커서" in err
    assert not (tmp_path / "g.html").exists()


# --- arguments --------------------------------------------------------------------------------

BAD_DRAW_ARGS: list[tuple[dict[str, Any], type[Exception], str]] = [
    ({"precision": 2.5}, TypeError, "precision"),
    ({"precision": True}, TypeError, "precision"),
    ({"precision": -1}, ValueError, "precision"),
    ({"precision": 40}, ValueError, "precision"),
    ({"max_nodes": 0}, ValueError, "max_nodes"),
    ({"max_nodes": 2.5}, TypeError, "max_nodes"),
    ({"max_nodes": "10"}, TypeError, "max_nodes"),
    ({"rankdir": "XY"}, ValueError, "rankdir"),
    ({"rankdir": None}, ValueError, "rankdir"),
    ({"show": "all"}, ValueError, "show"),
    ({"edge_labels": "full"}, ValueError, "edge_labels"),
    ({"legend": "yes"}, TypeError, "legend"),
    ({"title": 3}, TypeError, "title"),
    ({"renderer": "neato"}, ValueError, "renderer"),
    ({"timeout": -1}, ValueError, "timeout"),
    ({"timeout": math.nan}, ValueError, "timeout"),
    ({"timeout": "5"}, TypeError, "timeout"),
    ({"format": "jpg"}, ValueError, "format"),
]


@pytest.mark.parametrize(("kwargs", "error", "name"), BAD_DRAW_ARGS)
def test_draw_dot_arguments_are_checked_up_front(
    kwargs: dict[str, Any], error: type[Exception], name: str
) -> None:
    with pytest.raises(error) as info:
        draw_dot(reused_along_a_chain(2), **kwargs)
    message = str(info.value)
    # one line, Korean first, naming the argument and the value given
    assert "\n" not in message and message.startswith(name) and "(" in message
    assert repr(next(iter(kwargs.values())))[:3] in message


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"precision": 2.5}, TypeError),
        ({"interval_ms": 0}, ValueError),
        ({"interval_ms": 0.5}, TypeError),
        ({"rankdir": "up"}, ValueError),
        ({"max_nodes": -3}, ValueError),
        ({"timeout": 0}, ValueError),
        ({"renderer": "neato"}, ValueError),
    ],
)
def test_animate_backward_arguments_are_checked_up_front(
    kwargs: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error, match=next(iter(kwargs))):
        animate_backward(reused_along_a_chain(2), **kwargs)


def test_numpy_integers_are_accepted_as_precision() -> None:
    np = pytest.importorskip("numpy")
    source = draw_dot(reused_along_a_chain(2), precision=np.int64(2)).source
    assert "data 1<" in source and "grad 2<" in source


def test_an_input_used_many_times_by_one_op_is_one_arrow_pair_with_its_multiplicity() -> None:
    from micrograd_kr.engine import apply_op

    x, w = Value(1.5, label="x"), Value(2.0, label="w")
    y = apply_op("sum", *([x] * 12 + [w] * 3))
    z = y * x
    z.backward()
    # by hand: y = 12x + 3w = 24, z = y x; dz/dy = x = 1.5, each use of x in the sum
    # receives 1 × 1.5, twelve of them 18; w: 3 × 1 × 1.5 = 4.5
    lines = draw_dot(z).source.splitlines()
    x_to_sum = [ln for ln in lines if ln.startswith("  v0:") and "-> op2 " in ln]
    w_to_sum = [ln for ln in lines if ln.startswith("  v1:") and "-> op2 " in ln]
    assert len(x_to_sum) == len(w_to_sum) == 2  # one blue, one red each
    assert 'label="×12"' in x_to_sum[0] and 'label="12 × 1 × 1.5 = 18"' in x_to_sum[1]
    assert 'label="×3"' in w_to_sum[0] and 'label="3 × 1 × 1.5 = 4.5"' in w_to_sum[1]
    value_mode = draw_dot(z, edge_labels="value").source
    assert 'label="18 (×12)"' in value_mode
    assert "grad 42<" in draw_dot(z).source  # 24 + 12 × 1.5
    frames = animate_backward(z).frames if (HAS_DOT or HAS_PYGRAPHVIZ) else []
    assert all(f["caption"] for f in frames)


def test_values_reused_by_subgraphs_far_apart_are_drawn_again() -> None:
    # x*y + x*y + ... (37 terms): every product is used once, by the sum at its own depth,
    # so the products sit next to the sums and x and y would need edges across the whole
    # chain (dot ran past 10 s). Counted by hand from the root: the products of terms
    # 1..3 are at most one level right of x's leftmost use; terms 4..37 (34) get copies
    # of both x and y.
    x, y = Value(1.0, label="x"), Value(2.0, label="y")
    total = x * y
    for _ in range(36):
        total = total + x * y
    total.backward()
    copies = [ln for ln in draw_dot(total).source.splitlines() if 'class="copy"' in ln]
    assert sum("<B>x</B>" in ln for ln in copies) == sum("<B>y</B>" in ln for ln in copies) == 34
    assert len(copies) == 68


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs Linux /proc")
def test_ctrl_c_in_the_cli_stops_the_dot_program(tmp_path: Path) -> None:
    sleep = shutil.which("sleep")
    if sleep is None:
        pytest.skip("no sleep program")
    bin_dir = tmp_path / "fake-bin"
    bin_dir.mkdir()
    (bin_dir / "dot").write_text(f"#!/bin/sh\necho $$ > {tmp_path}/dot.pid\nexec {sleep} 60\n")
    (bin_dir / "dot").chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    proc = subprocess.Popen(
        [*CLI, "graph", "x*x", "x=2", "-o", "g.svg"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    pid_file = tmp_path / "dot.pid"
    try:
        for _ in range(600):
            if (pid_file.exists() and pid_file.read_text().strip()) or proc.poll() is not None:
                break
            time.sleep(0.05)
        dot_pid = int(pid_file.read_text())
        proc.send_signal(signal.SIGINT)  # to the CLI only: it must stop its `dot` itself
        _, err = proc.communicate(timeout=60)  # a guard against a hang, not a measurement
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == 130 and "중단되었습니다" in err.decode()
    state = Path(f"/proc/{dot_pid}/stat")
    assert not state.exists() or state.read_text().split(") ")[1][0] == "Z"
    assert not (tmp_path / "g.svg").exists()


def test_a_merged_arrow_label_checks_by_hand() -> None:
    from micrograd_kr.engine import apply_op

    # y = x + x + x (one op), z = y * c with c = 0.50095: dz/dy = c, each use of x gets
    # 1 × c, three of them 1.50285. With 4 significant digits c shows as 0.501 and
    # 3 × 1 × 0.501 = 1.503 by hand (4 decimals gave "3 × 1 × 0.501 = 1.5029")
    x, c = Value(1.0, label="x"), Value(0.50095, label="c")
    z = apply_op("sum", x, x, x) * c
    z.backward()
    source = draw_dot(z).source
    assert 'label="3 × 1 × 0.501 = 1.503"' in source
    assert 'label="1.503 (×3)"' in draw_dot(z, edge_labels="value").source


@needs_renderer
def test_each_candidate_of_rankdir_auto_is_drawn_with_the_time_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import re

    from micrograd_kr.viz import animation, diagram
    from micrograd_kr.viz.render import render as real_render

    calls: list[tuple[str, float | None]] = []

    def recording_render(
        source: str, fmt: str, renderer: Any, dpi: float | None, timeout: float | None
    ) -> tuple[bytes, str]:
        direction = re.search(r"rankdir=(\w+)", source)
        assert direction is not None
        calls.append((direction.group(1), timeout))
        data, used = real_render(source, fmt, renderer, dpi, timeout)
        if direction.group(1) == "LR":  # pretend left to right is too wide to fit
            data = re.sub(rb'(<svg[^>]*\swidth=")[\d.]+pt', rb"\g<1>5000pt", data, count=1)
        return data, used

    monkeypatch.setattr(diagram, "render", recording_render)
    monkeypatch.setattr(animation, "render", recording_render)
    d = draw_dot(reused_along_a_chain(3), timeout=7.5)
    d.svg()
    assert calls == [("LR", 7.5), ("TB", 7.5)] and "rankdir=TB" in d.source
    calls.clear()
    animate_backward(reused_along_a_chain(3), timeout=8.5)
    assert calls == [("LR", 8.5), ("TB", 8.5)]
