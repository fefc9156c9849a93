"""Tests of the matplotlib helpers (micrograd_kr.plot)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

matplotlib = pytest.importorskip("matplotlib")

from micrograd_kr import data, nn, plot, train  # noqa: E402

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _texts(fig: object) -> list[str]:
    out = []
    for ax in fig.axes:  # type: ignore[attr-defined]
        out += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
        legend = ax.get_legend()
        if legend is not None:
            out += [t.get_text() for t in legend.get_texts()]
    return out


def test_loss_curve_from_history_list_and_dict(tmp_path: Path) -> None:
    model = nn.MLP(2, [3, 1], seed=0)
    X, y = data.make_moons(12, seed=0)
    history = train.fit(model, X, y, epochs=3, progress=False)
    fig = plot.loss_curve(history, tmp_path / "loss.png")
    assert (tmp_path / "loss.png").read_bytes().startswith(PNG_MAGIC)
    assert len(fig.axes) == 2  # loss and accuracy
    assert all(text.isascii() for text in _texts(fig))
    assert len(plot.loss_curve([3.0, 2.0, 1.0], log_scale=True).axes) == 1
    assert len(plot.loss_curve({"loss": [1.0, 0.5], "accuracy": [None, None]}).axes) == 1
    with pytest.raises(ValueError):
        plot.loss_curve([])


def test_does_not_touch_pyplot_or_backend() -> None:
    backend = matplotlib.get_backend()
    had_pyplot = "matplotlib.pyplot" in sys.modules
    plot.loss_curve([1.0, 0.5])
    assert matplotlib.get_backend() == backend
    assert ("matplotlib.pyplot" in sys.modules) == had_pyplot


def test_draws_into_a_given_axes() -> None:
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.add_subplot(1, 1, 1)
    assert plot.loss_curve([1.0, 0.5], ax=ax) is fig
    assert ax.get_lines()


@pytest.mark.parametrize("sizes", [[4, 1], [4, 3]])
def test_decision_boundary_binary_and_multiclass(tmp_path: Path, sizes: list[int]) -> None:
    if sizes[-1] == 1:
        X, y = data.make_moons(20, seed=0)
    else:
        X, y = data.make_spiral(6, seed=0)
    model = nn.MLP(2, sizes, seed=0)
    fig = plot.decision_boundary(model, X, y, tmp_path / "b.png", resolution=12)
    assert (tmp_path / "b.png").read_bytes().startswith(PNG_MAGIC)
    assert all(text.isascii() for text in _texts(fig))
    legend = fig.axes[0].get_legend()
    assert len(legend.get_texts()) == len(set(y))


def _boundary_x(fig: object) -> tuple[float, float]:
    """Right edge of the class-0 region and left edge of the class-1 region, in x1."""
    regions = fig.axes[0].collections[0].get_paths()  # type: ignore[attr-defined]
    assert len(regions) == 2 and all(len(r.vertices) for r in regions)
    return regions[0].vertices[:, 0].max(), regions[1].vertices[:, 0].min()


@pytest.mark.parametrize("out_activation", ["sigmoid", "linear"])
def test_decision_boundary_sits_where_the_model_changes_its_mind(out_activation: str) -> None:
    # 4 x1 - 1.32 > 0 exactly when x1 > 0.33: a sigmoid output crosses 0.5 there (so its
    # threshold must be 0.5, not 0), a linear score crosses 0; labels -1/+1 or 0/1
    X, y = data.make_moons(10, seed=0)
    model = nn.MLP(2, [1], out_activation=out_activation, seed=0)
    w1, w2, b = model.parameters()
    w1.data, w2.data, b.data = 4.0, 0.0, -1.32
    labels = y if out_activation == "sigmoid" else [2 * t - 1 for t in y]
    fig = plot.decision_boundary(model, X, labels, resolution=41)
    spacing = (max(x[0] for x in X) - min(x[0] for x in X) + 1.0) / 40
    right_of_0, left_of_1 = _boundary_x(fig)
    assert abs(right_of_0 - 0.33) <= spacing and abs(left_of_1 - 0.33) <= spacing
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == (
        ["class 0", "class 1"] if out_activation == "sigmoid" else ["class -1", "class 1"]
    )


def test_decision_boundary_needs_2d() -> None:
    X, y = data.make_parabola(5, seed=0)
    with pytest.raises(ValueError, match="2-D"):
        plot.decision_boundary(nn.MLP(1, [2, 1]), X, y)
    X2, y2 = data.make_moons(4, seed=0)
    with pytest.raises(ValueError, match="resolution"):
        plot.decision_boundary(nn.MLP(2, [2, 1]), X2, y2, resolution=1)


def test_fit_curve(tmp_path: Path) -> None:
    X, y = data.make_parabola(10, seed=0)
    fig = plot.fit_curve(nn.MLP(1, [4, 1], activation="tanh", seed=0), X, y, tmp_path / "f.png")
    assert (tmp_path / "f.png").read_bytes().startswith(PNG_MAGIC)
    assert all(text.isascii() for text in _texts(fig))
    with pytest.raises(ValueError):
        plot.fit_curve(nn.MLP(1, [1]), [], [])


def test_missing_matplotlib_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # makes `import matplotlib` fail
    with pytest.raises(plot.PlotUnavailable, match=r'pip install "micrograd_kr\[plot\]"'):
        plot.loss_curve([1.0])
