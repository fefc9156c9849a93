"""Tests of the matplotlib helpers (micrograd_kr.plot)."""

from __future__ import annotations

import io
import logging
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest

matplotlib = pytest.importorskip("matplotlib")

from micrograd_kr import data, nn, plot, train  # noqa: E402

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _has_hangul(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _draw_strictly(fig: Any) -> None:
    """Draw ``fig`` to PNG and PDF; a missing glyph (a box instead of Hangul) fails the test.

    matplotlib reports it as a warning ("Glyph 49552 ... missing from font(s)"), or for
    mathtext such as log-scale ticks as a log record ("Font 'default' does not have a glyph").
    """
    records = _Records()
    logger = logging.getLogger("matplotlib")
    logger.addHandler(records)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            fig.savefig(io.BytesIO(), format="png")
            fig.savefig(io.BytesIO(), format="pdf")
    finally:
        logger.removeHandler(records)
    if records.messages:
        raise UserWarning("; ".join(records.messages))


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
    texts = " ".join(_texts(fig))
    assert "손실" in texts and "에폭" in texts and "정확도" in texts
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
    assert all(_has_hangul(text) for text in _texts(fig) if text not in ("x1", "x2"))
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
        ["클래스 0", "클래스 1"] if out_activation == "sigmoid" else ["클래스 -1", "클래스 1"]
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
    assert "데이터" in _texts(fig) and "모델" in _texts(fig)
    with pytest.raises(ValueError):
        plot.fit_curve(nn.MLP(1, [1]), [], [])


def test_missing_matplotlib_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # makes `import matplotlib` fail
    with pytest.raises(plot.PlotUnavailable, match=r'pip install "micrograd_kr\[plot\]"'):
        plot.loss_curve([1.0])


# --- Hangul with the bundled font (issue 13) -------------------------------------------------


def _project_figures() -> list[Any]:
    X, y = data.make_moons(16, seed=0)
    model = nn.MLP(2, [3, 1], seed=0)
    history = train.fit(model, X, y, epochs=2, progress=False)
    Xr, yr = data.make_parabola(8, seed=0)
    return [
        plot.loss_curve(history),
        plot.loss_curve([1.0, 0.1, 0.01], log_scale=True),  # mathtext ticks: 10^{-2}
        plot.decision_boundary(model, X, y, resolution=6),
        plot.fit_curve(nn.MLP(1, [3, 1], seed=0), Xr, yr, points=5),
    ]


def test_project_plots_draw_hangul_with_the_bundled_font() -> None:
    from matplotlib import font_manager

    before = dict(matplotlib.rcParams)
    figures = _project_figures()
    # the learner's global settings are untouched
    assert dict(matplotlib.rcParams) == before
    for fig in figures:
        # drawn later, outside the plot functions (as a notebook displays a figure)
        _draw_strictly(fig)
        title = fig.axes[0].title
        assert _has_hangul(title.get_text())
        # Hangul comes from the bundled file (matplotlib falls back along the family list)
        families = title.get_fontproperties().get_family()
        found = [font_manager.findfont(f, fallback_to_default=False) for f in families]
        assert "NanumGothic.ttf" in [Path(f).name for f in found]


def test_a_plain_figure_has_no_hangul_font_but_use_korean_font_gives_one() -> None:
    from matplotlib.figure import Figure

    with matplotlib.rc_context():
        matplotlib.rcParams["font.family"] = ["DejaVu Sans"]
        plain = Figure()
        plain.add_subplot(1, 1, 1).set_title("손실")
        with pytest.raises(UserWarning, match="missing from font"):
            _draw_strictly(plain)  # the check below can fail: no Korean font on the system
        assert plot.use_korean_font() == "NanumGothic"
        fig = Figure()
        ax = fig.add_subplot(1, 1, 1)
        ax.plot([-2.0, 1.0], [-1.0, 3.0])  # negative ticks: the minus sign comes from DejaVu
        ax.set_yscale("symlog")  # mathtext tick labels: 10^{-1}
        ax.set_title("손실 곡선")
        ax.set_xlabel("에폭")
        _draw_strictly(fig)


def _grid_classes(model: Any, X: list[list[float]], y: list[int]) -> tuple[list[Any], list[int]]:
    """The grid points decision_boundary predicts on and the class it colours each with."""
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.add_subplot(1, 1, 1)
    seen: dict[str, Any] = {}
    contourf = ax.contourf

    def recording_contourf(gx: Any, gy: Any, zz: Any, *args: Any, **kwargs: Any) -> Any:
        seen.update(gx=gx, gy=gy, zz=zz)
        return contourf(gx, gy, zz, *args, **kwargs)

    ax.contourf = recording_contourf  # type: ignore[method-assign]
    plot.decision_boundary(model, X, y, ax=ax, resolution=9, margin=1.0)
    points = [[float(a), float(b)] for a, b in zip(seen["gx"].ravel(), seen["gy"].ravel())]
    return points, [int(v) for v in seen["zz"].ravel()]


@pytest.mark.parametrize(
    "make",
    [
        lambda: nn.Neuron(2, "sigmoid", seed=3),
        lambda: nn.Layer(2, 1, "sigmoid", seed=3),
        lambda: nn.Layer(2, 1, "linear", seed=3),
    ],
    ids=["sigmoid-neuron", "sigmoid-layer", "linear-layer"],
)
def test_decision_boundary_colours_what_predict_classes_says(make: Any) -> None:
    model = make()
    X = [[-1.0, -1.0], [1.0, 1.0], [1.0, -1.0], [-1.0, 1.0]]
    y = [0, 1, 1, 0]
    points, classes = _grid_classes(model, X, y)
    assert classes == train.predict_classes(model, points)
    # by hand: one sigmoid/linear unit says class 1 exactly where w·x + b > 0
    neuron = model if isinstance(model, nn.Neuron) else model.neurons[0]
    *weights, b = [p.data for p in neuron.parameters()]  # w0, w1, b
    by_hand = [int(sum(wi * xi for wi, xi in zip(weights, x)) + b > 0) for x in points]
    assert classes == by_hand
    assert 0 < sum(classes) < len(classes)  # the boundary crosses the grid
