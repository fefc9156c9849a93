"""Matplotlib pictures of training: the loss curve, a 2-D decision boundary, a 1-D fit.

matplotlib is optional (``pip install "micrograd_kr[plot]"``) and imported only when a
function here is called. The figures are made with ``matplotlib.figure.Figure`` and the Agg
canvas, never ``pyplot``, so calling these functions does not change the global backend of a
script or notebook. In a notebook, pass ``ax=`` from your own ``plt.subplots()`` to draw
inline, or ``display(fig)`` the returned figure.

Titles, axis labels and legends are Korean (English with ``MICROGRAD_KR_LANG=en``), drawn with
the NanumGothic font that the package depends on (see ``micrograd_kr.fonts``), so Hangul shows
on a machine without a Korean font.
The font is used inside ``matplotlib.rc_context``: the learner's global rcParams stay as they
were. ``use_korean_font()`` sets it globally for the learner's own figures.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from . import fonts
from .engine import Value, no_grad
from .messages import one_language, say
from .serialize import check_write_target
from .train import predict_classes

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "loss_curve",
    "decision_boundary",
    "fit_curve",
    "use_korean_font",
    "korean_text",
    "PlotUnavailable",
    "INSTALL_HINT",
]

INSTALL_HINT = 'pip install "micrograd_kr[plot]"'

# colour-blind-friendly class colours (Okabe-Ito)
CLASS_COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")


class PlotUnavailable(ImportError):
    """matplotlib is not installed; the message says which extra to install."""


def _matplotlib() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise PlotUnavailable(say("plot.needs_matplotlib") + f": {INSTALL_HINT}") from None
    return matplotlib


def use_korean_font() -> str | None:
    """Draw Hangul in the learner's own matplotlib figures (``plt.plot``, ``plt.title``, ...).

    Registers the bundled NanumGothic with matplotlib and sets the global
    ``rcParams["font.family"]`` to DejaVu Sans (matplotlib's default) with NanumGothic as
    the fallback: matplotlib takes each character from the first font that has it, so Hangul
    comes from NanumGothic and the minus sign of tick labels from DejaVu Sans. Returns the
    Korean font's family name, or None (with a warning) when the font package is missing.
    The project's own plots do not need this call.
    """
    mpl = _matplotlib()
    rc = fonts.matplotlib_rc()
    if not rc:
        return None
    mpl.rcParams.update(rc)
    return str(rc["font.family"][-1])


@contextlib.contextmanager
def korean_text() -> Iterator[None]:
    """Text made (and saved) inside this block uses the bundled Hangul font, without changing
    the global rcParams: for adding Korean labels to a figure this module returned.

    Each Text object keeps the font it was made with, so the figure still shows Hangul when it
    is drawn later, outside the block.
    """
    mpl = _matplotlib()
    with mpl.rc_context(fonts.matplotlib_rc()):
        yield


_F = TypeVar("_F", bound=Callable[..., Any])


def _with_korean_text(fn: _F) -> _F:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with korean_text():
            return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _figure_and_axes(ax: Axes | None, size: tuple[float, float] = (5.0, 4.0)) -> tuple[Any, Any]:
    """``ax``'s figure, or a new Agg-backed figure with one axes (no pyplot involved)."""
    _matplotlib()
    if ax is not None:
        return ax.figure, ax
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, dpi=100)
    FigureCanvasAgg(fig)
    return fig, fig.add_subplot(1, 1, 1)


def _finish(fig: Any, path: str | os.PathLike[str] | None) -> Any:
    if path is not None:
        check_write_target(path)  # a FIFO would block savefig; never write into a device
        fig.savefig(os.fspath(path), bbox_inches="tight")
    return fig


def _series(history: Any, key: str) -> list[float]:
    """A per-epoch series from a History object, a mapping, or a plain list of numbers."""
    if isinstance(history, Mapping):
        values = history.get(key)
    elif key == "loss" and isinstance(history, Sequence) and not isinstance(history, str):
        values = history
    else:
        values = getattr(history, key, None)
    if values is None or any(v is None for v in values):
        return []  # e.g. accuracy of a regression: None every epoch
    return [float(v.data if isinstance(v, Value) else v) for v in values]


@_with_korean_text
def loss_curve(
    history: Any,
    path: str | os.PathLike[str] | None = None,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    log_scale: bool = False,
) -> Figure:
    """Loss per epoch (and accuracy on a second axis, when the history has it).

    ``history`` is what ``train.fit`` returns, a dict with ``"loss"``, or a list of numbers.
    Saves to ``path`` when given (format from the suffix) and returns the figure. The title
    defaults to "training loss" (in Korean unless ``MICROGRAD_KR_LANG=en``).
    """
    fig, ax = _figure_and_axes(ax)
    losses = _series(history, "loss")
    if not losses:
        raise ValueError(say("plot.no_loss"))
    epochs = range(1, len(losses) + 1)
    ax.plot(epochs, losses, color=CLASS_COLORS[0], label=one_language("plot.loss"))
    ax.set_xlabel(say("plot.epoch"))
    ax.set_ylabel(say("plot.loss"))
    if log_scale and min(losses) > 0:
        ax.set_yscale("log")
    accuracy = _series(history, "accuracy")
    if accuracy:
        ax2 = ax.twinx()
        label = one_language("plot.accuracy")
        ax2.plot(epochs, accuracy, color=CLASS_COLORS[1], linestyle="--", label=label)
        ax2.set_ylabel(say("plot.accuracy"))
        ax2.set_ylim(0.0, 1.05)
        lines = ax.get_lines() + ax2.get_lines()
        ax.legend(lines, [str(line.get_label()) for line in lines], loc="center right")
    ax.set_title(one_language("plot.loss_title") if title is None else title)
    ax.grid(alpha=0.3)
    return _finish(fig, path)


def _labels(y: Sequence[Any]) -> list[float]:
    out = []
    for v in y:
        if isinstance(v, (list, tuple)):  # one-hot rows
            v = max(range(len(v)), key=lambda i: float(v[i]))
        out.append(float(v.data if isinstance(v, Value) else v))
    return out


@_with_korean_text
def decision_boundary(
    model: Any,
    X: Sequence[Sequence[float]],
    y: Sequence[Any],
    path: str | os.PathLike[str] | None = None,
    *,
    ax: Axes | None = None,
    resolution: int = 120,
    margin: float = 0.5,
    title: str | None = None,
) -> Figure:
    """The class the model predicts over a grid around 2-D data, with the data on top.

    The title defaults to "decision boundary" (in Korean unless ``MICROGRAD_KR_LANG=en``).

    Each of ``resolution * resolution`` grid points is one forward pass (without a graph),
    so keep ``resolution`` modest for big models. The class of a grid point is what
    ``train.predict_classes`` says (argmax of several outputs; one output split at 0.5 for a
    sigmoid, else at 0), shown as its position among the sorted labels of ``y``.
    """
    import numpy as np

    if not X or len(X[0]) != 2:
        raise ValueError(say("plot.two_features"))
    if resolution < 2:
        raise ValueError(say("plot.resolution", resolution=resolution))
    fig, ax = _figure_and_axes(ax)
    from matplotlib.colors import ListedColormap

    labels = _labels(y)
    classes = sorted(set(labels))
    xs = np.array([[float(a), float(b)] for a, b in X])
    x_min, y_min = xs.min(axis=0) - margin
    x_max, y_max = xs.max(axis=0) + margin
    gx, gy = np.meshgrid(
        np.linspace(x_min, x_max, resolution), np.linspace(y_min, y_max, resolution)
    )
    points = [[float(a), float(b)] for a, b in zip(gx.ravel(), gy.ravel())]
    grid = predict_classes(model, points)
    # class index per grid point, so colours match the scatter below
    zz = np.array(grid, dtype=float).reshape(gx.shape)
    n = max(len(classes), max(grid) + 1)
    colors = [CLASS_COLORS[i % len(CLASS_COLORS)] for i in range(n)]
    ax.contourf(gx, gy, zz, levels=np.arange(n + 1) - 0.5, cmap=ListedColormap(colors), alpha=0.3)
    for i, c in enumerate(classes):
        mask = np.array([label == c for label in labels])
        ax.scatter(
            xs[mask, 0],
            xs[mask, 1],
            s=18,
            color=colors[i],
            edgecolors="black",
            linewidths=0.4,
            label=one_language("plot.class", label=f"{c:g}"),
        )
    ax.set_xlim(x_min, x_max)
    ax.set_ylim(y_min, y_max)
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    ax.legend(loc="best", fontsize="small")
    ax.set_title(one_language("plot.boundary_title") if title is None else title)
    return _finish(fig, path)


@_with_korean_text
def fit_curve(
    model: Any,
    X: Sequence[Any],
    y: Sequence[Any],
    path: str | os.PathLike[str] | None = None,
    *,
    ax: Axes | None = None,
    points: int = 200,
    title: str | None = None,
) -> Figure:
    """Data points of a 1-D regression and the model's curve through them.

    The title defaults to "the model's curve" (in Korean unless ``MICROGRAD_KR_LANG=en``).
    """
    import numpy as np

    xs = [float(x[0]) if isinstance(x, (list, tuple)) else float(x) for x in X]
    ys = [float(v.data if isinstance(v, Value) else v) for v in _flat(y)]
    if not xs:
        raise ValueError(say("plot.no_points"))
    fig, ax = _figure_and_axes(ax)
    grid = np.linspace(min(xs), max(xs), max(points, 2))
    with no_grad():
        preds = []
        for g in grid:
            out = model([float(g)])
            out = out[0] if isinstance(out, (list, tuple)) else out
            preds.append(float(out.data if isinstance(out, Value) else out))
    ax.scatter(xs, ys, s=14, color=CLASS_COLORS[0], label=one_language("plot.data"))
    ax.plot(grid, preds, color=CLASS_COLORS[1], linewidth=2, label=one_language("plot.model"))
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.legend(loc="best")
    ax.set_title(one_language("plot.fit_title") if title is None else title)
    ax.grid(alpha=0.3)
    return _finish(fig, path)


def _flat(y: Sequence[Any]) -> list[Any]:
    return [v[0] if isinstance(v, (list, tuple)) else v for v in y]
