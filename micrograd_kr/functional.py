"""Functions on lists of Values: softmax and friends, one-hot encoding, and loss functions.

A *vector* here is a list of Values (or plain numbers); a *batch* is a list of vectors. Like
NumPy's ``axis=-1`` in seed 002, functions that work on a vector (``softmax``,
``log_softmax``, ``logsumexp``, ``argmax``) apply row by row when given a batch.

Every loss returns one Value, so ``loss.backward()`` works directly. By default a loss is the
mean over the samples (``reduction="mean"``); ``reduction="sum"`` gives the sum.
"""

from __future__ import annotations

import math
import numbers
import operator
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Union, overload

from .checks import arity_error
from .engine import Value, apply_op
from .messages import say
from .ops import define_row

__all__ = [
    "as_value",
    "zero_grad",
    "define_op",
    "softmax",
    "log_softmax",
    "logsumexp",
    "one_hot",
    "argmax",
    "maxout",
    "mse_loss",
    "cross_entropy",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "hinge_loss",
]


# --- Values, their gradients, your own ops ------------------------------------------------


def as_value(x: Value | float) -> Value:
    """``x`` itself if it is a Value, else a new leaf Value holding the number ``x``."""
    return x if isinstance(x, Value) else Value(x)


def zero_grad(values: Iterable[Value]) -> None:
    """Set ``.grad`` of every Value in ``values`` to 0.0."""
    for v in values:
        v.grad = 0.0


def define_op(
    name: str, forward: Callable[..., Any], derivatives: Sequence[Callable[..., Any]]
) -> Callable[..., Value]:
    """Add your own primitive to the derivative table, written like a row of ``ops.py``.

    ``forward(m, *xs)`` computes the output and ``derivatives`` lists one
    ``derivative(m, out, *xs)`` per input. Use ``m.`` functions (``m.exp``, ``m.abs``,
    ``m.where(m.gt(x, 0.0), a, b)``...) rather than ``math`` and ``if``: then the op also
    works with ``grad``/``hessian`` (the rules run on Values), ``compile`` and batches.

    >>> softsign = define_op(
    ...     "softsign_doc",
    ...     lambda m, x: x / (1.0 + m.abs(x)),
    ...     [lambda m, out, x: 1.0 / (1.0 + m.abs(x)) ** 2],
    ... )
    >>> y = softsign(Value(1.0))
    >>> y.backward()
    >>> y.data, y._prev[0].grad
    (0.5, 0.25)
    """
    row = define_row(name, forward, derivatives)
    arity = len(row.derivatives)

    def apply(*operands: Value | float) -> Value:
        if len(operands) != arity:
            raise arity_error(name, arity, len(operands))
        return apply_op(row, *operands)

    apply.__name__ = name
    apply.__qualname__ = name
    apply.__doc__ = f"The op {name!r} defined with define_op."
    return apply


Scalar = Union[Value, int, float]
Vector = Sequence[Scalar]

# binary_cross_entropy clamps log p and log(1 - p) below at -100, as PyTorch's BCELoss does:
# a saturated sigmoid (p exactly 0.0 or 1.0) gives a finite loss, and every p above e^-100
# still passes its gradient back. (Clamping p itself, at 1e-12, silently stopped learning for
# any logit below -27.6: the gradient went to the constant.)
BCE_LOG_MIN = -100.0
_LOG_FLOOR = 1e-300  # log(1e-300) = -690.8 < BCE_LOG_MIN: this only keeps log away from 0


def _bce_log(p: Value) -> Value:
    """max(log p, -100), defined at p = 0 too."""
    return p.maximum(_LOG_FLOOR).log().maximum(BCE_LOG_MIN)


# --- helpers ---------------------------------------------------------------------------------


def _is_scalar(x: object) -> bool:
    return isinstance(x, (Value, numbers.Real)) and not isinstance(x, bool)


def _is_batch(x: object) -> bool:
    """True for a non-empty list whose first element is itself a list (a batch of vectors)."""
    return (
        isinstance(x, Sequence)
        and not isinstance(x, (str, bytes))
        and len(x) > 0
        and isinstance(x[0], Sequence)
        and not isinstance(x[0], (str, bytes))
    )


def _vector(x: object, name: str) -> list[Value]:
    """``x`` as a non-empty list of Values, or a TypeError/ValueError saying what is wrong."""
    if isinstance(x, (str, bytes)) or not isinstance(x, Sequence):
        raise TypeError(say("functional.needs_list", name=name, kind=type(x).__name__))
    if len(x) == 0:
        raise ValueError(f"{name}: " + say("functional.empty"))
    out = []
    for i, v in enumerate(x):
        if not _is_scalar(v):
            element = say("functional.element", i=i, kind=type(v).__name__)
            raise TypeError(f"{name}: {element}")
        out.append(as_value(v))
    return out


def _data(x: Scalar) -> float:
    return x.data if isinstance(x, Value) else float(x)


def _reduce(terms: list[Value], reduction: str, name: str) -> Value:
    """Sum of ``terms`` as a single n-ary node, divided by their count for ``"mean"``."""
    if reduction not in ("mean", "sum"):
        raise ValueError(f"{name}: " + say("functional.reduction", reduction=reduction))
    total = terms[0] if len(terms) == 1 else apply_op("sum", *terms)
    return total / len(terms) if reduction == "mean" and len(terms) > 1 else total


def _scalars(x: object, name: str) -> list[Value]:
    """One Value per sample: a single scalar becomes a batch of one."""
    if _is_scalar(x):
        return [as_value(x)]  # type: ignore[arg-type]
    return _vector(x, name)


def _targets(y: object, n: int, name: str) -> list[float]:
    """Targets as floats, one per sample; the count must match the predictions."""
    if _is_scalar(y):
        return _check_count([_data(y)], n, name)  # type: ignore[arg-type]
    return _check_count([v.data for v in _vector(y, f"{name} target")], n, name)


def _check_count(ys: list[float], n: int, name: str) -> list[float]:
    if len(ys) != n:
        raise ValueError(f"{name}: " + say("functional.predictions_targets", n=n, m=len(ys)))
    return ys


def _class_index(y: object, classes: int, name: str) -> int:
    try:
        if isinstance(y, bool) or not isinstance(y, numbers.Integral):
            raise TypeError
        index = operator.index(y)
    except TypeError:
        raise TypeError(
            f"{name}: " + say("functional.label_int", kind=type(y).__name__, y=y)
        ) from None
    if not 0 <= index < classes:
        raise ValueError(f"{name}: " + say("functional.label_range", index=index, last=classes - 1))
    return int(index)


# --- softmax family --------------------------------------------------------------------------


def _shift(xs: list[Value]) -> Value:
    """max_i x_i as a node of the graph (the n-ary max of ops.py), not a plain number.

    Subtracting it keeps every exponent <= 0. Inside the graph, compiled code computes it per
    sample of a batch instead of freezing the traced sample's max; and since softmax does not
    change when a constant is subtracted, the gradient through the shift cancels.
    """
    return xs[0] if len(xs) == 1 else apply_op("max", *xs)


def _shifted_log_sum(xs: list[Value]) -> tuple[Value, Value]:
    """(m, log(sum e^(x_i - m))) with m = max x_i: logsumexp(x) is their sum.

    log(sum e^x_i) = m + log(sum e^(x_i - m)) for any m. With m = max x_i every exponent
    is <= 0 (no overflow) and the sum is >= 1 (no log(0)). Callers subtract m from the
    (large) x_i before adding the (small) log, as PyTorch does: at x = (-1000, -1000) the
    cross-entropy is then log 2 to the last bit, not log 2 + (-1000) - (-1000).
    """
    m = _shift(xs)
    exps = [(x - m).exp() for x in xs]
    total = exps[0] if len(exps) == 1 else apply_op("sum", *exps)
    return m, total.log()


def _logsumexp(xs: list[Value]) -> Value:
    m, log_total = _shifted_log_sum(xs)
    return log_total + m


@overload
def logsumexp(x: Vector) -> Value: ...
@overload
def logsumexp(x: Sequence[Vector]) -> list[Value]: ...
def logsumexp(x: Any) -> Any:
    """log(sum_i exp(x_i)) without overflow, for a vector (one Value) or a batch (a list).

    >>> round(logsumexp([1000.0, 1000.0]).data, 6)
    1000.693147
    """
    if _is_batch(x):
        return [_logsumexp(_vector(row, "logsumexp")) for row in x]
    return _logsumexp(_vector(x, "logsumexp"))


def _softmax(xs: list[Value]) -> list[Value]:
    # subtract the max first (seeds 002/003): e^(x_i - m) <= 1 never overflows
    m = _shift(xs)
    exps = [(x - m).exp() for x in xs]
    total = exps[0] if len(exps) == 1 else apply_op("sum", *exps)
    return [e / total for e in exps]


@overload
def softmax(x: Vector) -> list[Value]: ...
@overload
def softmax(x: Sequence[Vector]) -> list[list[Value]]: ...
def softmax(x: Any) -> Any:
    """exp(x_i) / sum_j exp(x_j): turns scores into probabilities that sum to 1.

    The max is subtracted before ``exp`` (seeds 002/003), so ``softmax([1000, 0])`` works.
    Given a batch (a list of vectors) it applies to each row, like ``axis=-1``.

    >>> [round(p.data, 6) for p in softmax([1.0, 2.0, 0.0])]
    [0.244728, 0.665241, 0.090031]
    """
    if _is_batch(x):
        return [_softmax(_vector(row, "softmax")) for row in x]
    return _softmax(_vector(x, "softmax"))


def _log_softmax(xs: list[Value]) -> list[Value]:
    m, log_total = _shifted_log_sum(xs)
    return [(x - m) - log_total for x in xs]


@overload
def log_softmax(x: Vector) -> list[Value]: ...
@overload
def log_softmax(x: Sequence[Vector]) -> list[list[Value]]: ...
def log_softmax(x: Any) -> Any:
    """log(softmax(x)) computed as x_i - logsumexp(x): finite even where softmax underflows.

    ``log_softmax([1000, 0])`` is ``[0, -1000]``, while ``log(softmax(...))`` would hit
    log(0). Applies row by row to a batch.
    """
    if _is_batch(x):
        return [_log_softmax(_vector(row, "log_softmax")) for row in x]
    return _log_softmax(_vector(x, "log_softmax"))


@overload
def argmax(x: Vector) -> int: ...
@overload
def argmax(x: Sequence[Vector]) -> list[int]: ...
def argmax(x: Any) -> Any:
    """Index of the largest element (the first one on a tie); a list of indices for a batch.

    >>> argmax([0.1, 0.7, 0.2]), argmax([[1, 0], [0, 1]])
    (1, [0, 1])
    """
    if _is_batch(x):
        return [argmax(row) for row in x]
    xs = [v.data for v in _vector(x, "argmax")]
    return max(range(len(xs)), key=xs.__getitem__)


@overload
def one_hot(labels: int, num_classes: int) -> list[float]: ...
@overload
def one_hot(labels: Sequence[int], num_classes: int) -> list[list[float]]: ...
def one_hot(labels: Any, num_classes: int) -> Any:
    """A class label as a vector with 1.0 at that index and 0.0 elsewhere (seed 003).

    >>> one_hot(2, 4)
    [0.0, 0.0, 1.0, 0.0]
    >>> one_hot([0, 1], 2)
    [[1.0, 0.0], [0.0, 1.0]]
    """
    if isinstance(num_classes, bool) or not isinstance(num_classes, int) or num_classes < 1:
        raise ValueError("one_hot: " + say("functional.num_classes", n=num_classes))
    if isinstance(labels, Sequence) and not isinstance(labels, (str, bytes)):
        return [one_hot(label, num_classes) for label in labels]
    index = _class_index(labels, num_classes, "one_hot")
    return [1.0 if i == index else 0.0 for i in range(num_classes)]


def maxout(pieces: Vector) -> Value:
    """The largest of several Values (seed 004's Maxout: max(w1·x + b1, w2·x + b2, ...)).

    One n-ary max node: the gradient flows to the largest piece, and k tied pieces get 1/k
    each (as ``torch.amax``).
    """
    xs = _vector(pieces, "maxout")
    return apply_op("max", *xs)


# --- losses ----------------------------------------------------------------------------------


def _flatten(x: object, name: str) -> list[Scalar]:
    if _is_scalar(x):
        return [x]  # type: ignore[list-item]
    if isinstance(x, (str, bytes)) or not isinstance(x, Sequence):
        raise TypeError(say("functional.number_or_list", name=name, x=x))
    out: list[Scalar] = []
    for item in x:
        out.extend(_flatten(item, name))
    return out


def mse_loss(pred: Any, target: Any, reduction: str = "mean") -> Value:
    """Mean squared error (1/N) sum_i (pred_i - target_i)^2 (seed 000).

    ``pred`` and ``target`` are scalars, lists, or lists of lists of the same total size;
    the mean is over every element, as in ``torch.nn.functional.mse_loss``. A target that is
    a Value gets a gradient too (the loss is symmetric in ``pred`` and ``target``).
    """
    ps = _flatten(pred, "mse_loss prediction")
    ts = _flatten(target, "mse_loss target")
    if not ps:
        raise ValueError("mse_loss: " + say("functional.no_predictions"))
    if len(ps) != len(ts):
        mismatch = say("functional.predictions_targets", n=len(ps), m=len(ts))
        raise ValueError(f"mse_loss: {mismatch}")
    terms = [(as_value(p) - t) ** 2 for p, t in zip(ps, ts)]
    return _reduce(terms, reduction, "mse_loss")


def check_class_scores(count: int, name: str = "cross_entropy") -> None:
    """Refuse fewer than two class scores per sample: softmax over one score is always 1.

    Shared by ``cross_entropy`` and ``fit(loss="cross_entropy")`` (eager and compiled), so
    all three say the same thing.
    """
    if count < 2:
        raise ValueError(f"{name}: " + say("functional.class_scores", count=count))


def _labels_for(logits: Any, target: Any) -> list[Any]:
    """One int class label per row of ``logits`` (a batch) or the one label of a vector."""
    if not _is_batch(logits):
        if isinstance(target, Sequence) and not isinstance(target, (str, bytes)):
            one_sample = say("functional.one_sample_list", n=len(target))
            hint = say("functional.probs_hint")
            raise ValueError(f"cross_entropy: {one_sample}; {hint}")
        return [target]
    if _is_scalar(target) or not isinstance(target, Sequence) or isinstance(target, str):
        raise TypeError("cross_entropy: " + say("functional.batch_needs_list"))
    if len(target) != len(logits):
        mismatch = say("functional.samples_targets", n=len(logits), m=len(target))
        raise ValueError(f"cross_entropy: {mismatch}")
    for i, t in enumerate(target):
        if isinstance(t, Sequence) and not isinstance(t, (str, bytes)):
            vector = say("functional.target_vector", i=i)
            raise TypeError(f"cross_entropy: {vector}; " + say("functional.probs_hint"))
    return list(target)


def _probability_vector(t: object, k: int, sample: int) -> list[float]:
    """A target probability vector: k finite numbers >= 0 that sum to 1."""
    probs = [_data(v) for v in _flatten(t, "cross_entropy probs")]
    if len(probs) != k:
        length = say("functional.probs_length", i=sample, k=k, n=len(probs))
        raise ValueError(f"cross_entropy: {length}")
    if not all(math.isfinite(p) and p >= 0.0 for p in probs) or abs(math.fsum(probs) - 1) > 1e-6:
        wrong = say("functional.probs_sum", i=sample, probs=_short(probs))
        raise ValueError(f"cross_entropy: {wrong}")
    return probs


def _short(values: list[float]) -> str:
    """``repr(values)`` cut to 80 characters, for messages."""
    text = repr(values)
    return text if len(text) <= 80 else text[:79] + "…"


def _cross_entropy_one(logits: list[Value], label: Any = None, probs: Any = None) -> Value:
    m, log_total = _shifted_log_sum(logits)
    if probs is None:
        # -log softmax(z)_y = logsumexp(z) - z_y = log(sum e^(z_i - m)) - (z_y - m): no log(0)
        return log_total - (logits[_class_index(label, len(logits), "cross_entropy")] - m)
    # a probability vector (soft label or one-hot): -sum_i t_i log softmax(z)_i
    terms = [(log_total - (z - m)) * t for z, t in zip(logits, probs) if t != 0.0]
    return terms[0] if len(terms) == 1 else apply_op("sum", *terms)


def cross_entropy(
    logits: Any, target: Any = None, reduction: str = "mean", *, probs: Any = None
) -> Value:
    """Cross-entropy of raw scores (logits) against class labels: -log softmax(logits)[y].

    ``logits`` is one vector (one sample) with ``target`` an int class label, or a batch
    (list of vectors, one row of class scores per sample) with ``target`` a list of int
    labels. Every sample needs at least two scores. Probability targets (soft labels, or
    ``one_hot(y, k)``) are asked for by name: ``cross_entropy(logits, probs=...)``, each a
    vector of numbers >= 0 summing to 1, the loss -sum_i t_i log softmax(z)_i (PyTorch's
    ``cross_entropy`` with float targets). Computed through ``log_softmax`` so it never
    takes log(0), even for logits like ``[1000, 0]``. Do not apply softmax first: pass raw
    scores, as in ``torch.nn.functional.cross_entropy``. Targets are constants: a target
    probability given as a Value gets no gradient (PyTorch would give it one).
    """
    if (target is None) == (probs is None):
        raise TypeError("cross_entropy: " + say("functional.target_or_probs"))
    rows = logits if _is_batch(logits) else [logits]
    vectors = [_vector(row, "cross_entropy logits") for row in rows]
    for row in vectors:
        check_class_scores(len(row))
    if probs is None:
        labels = _labels_for(logits, target)
        terms = [_cross_entropy_one(row, label=t) for row, t in zip(vectors, labels)]
    else:
        targets = probs if _is_batch(logits) else [probs]
        if _is_batch(logits) and (not _is_batch(probs) or len(probs) != len(vectors)):
            count = len(probs) if isinstance(probs, Sequence) else 1
            wanted = say("functional.probs_count", n=len(vectors), count=count)
            raise ValueError(f"cross_entropy: {wanted}")
        terms = [
            _cross_entropy_one(row, probs=_probability_vector(t, len(row), i))
            for i, (row, t) in enumerate(zip(vectors, targets))
        ]
    return _reduce(terms, reduction, "cross_entropy")


def _check_binary_targets(ys: list[float], name: str) -> None:
    for y in ys:
        if not 0.0 <= y <= 1.0:
            raise ValueError(f"{name}: " + say("functional.targets_unit", y=y))


def binary_cross_entropy(prob: Any, target: Any, reduction: str = "mean") -> Value:
    """-(y log p + (1 - y) log(1 - p)) for probabilities p (e.g. a sigmoid output).

    ``prob`` is one Value or a list (one per sample); targets are 0/1 (or in between).
    As in PyTorch, each log is clamped below at -100, so a saturated sigmoid (p exactly 0 or
    1) gives a finite loss. Prefer ``binary_cross_entropy_with_logits`` on raw scores: it is
    exact for any logit.
    Targets are constants: a target given as a Value gets no gradient.
    """
    ps = _scalars(prob, "binary_cross_entropy")
    ys = _targets(target, len(ps), "binary_cross_entropy")
    _check_binary_targets(ys, "binary_cross_entropy")
    terms = []
    for p, y in zip(ps, ys):
        if not 0.0 <= p.data <= 1.0:
            raise ValueError("binary_cross_entropy: " + say("functional.probs_unit", p=p.data))
        term = None
        if y != 0.0:
            term = -y * _bce_log(p)
        if y != 1.0:
            other = -(1.0 - y) * _bce_log(1.0 - p)
            term = other if term is None else term + other
        assert term is not None
        terms.append(term)
    return _reduce(terms, reduction, "binary_cross_entropy")


def binary_cross_entropy_with_logits(logit: Any, target: Any, reduction: str = "mean") -> Value:
    """Binary cross-entropy of raw scores z: -(y log sigmoid(z) + (1-y) log(1 - sigmoid(z))).

    Written as softplus(z) - y·z, which is exact and never overflows (z = ±1000 included).
    Targets are constants: a target given as a Value gets no gradient.
    """
    zs = _scalars(logit, "binary_cross_entropy_with_logits")
    ys = _targets(target, len(zs), "binary_cross_entropy_with_logits")
    _check_binary_targets(ys, "binary_cross_entropy_with_logits")
    terms = [z.softplus() - z * y if y != 0.0 else z.softplus() for z, y in zip(zs, ys)]
    return _reduce(terms, reduction, "binary_cross_entropy_with_logits")


def hinge_loss(scores: Any, target: Any, reduction: str = "mean", margin: float = 1.0) -> Value:
    """Max-margin (SVM) loss.

    Binary: ``scores`` is one Value per sample and the loss is relu(margin - y·score) with
    y = +1 or -1; labels 0/1 are accepted too (0 counts as -1), so the 0/1 labels of
    ``data.make_moons`` work directly.

    Multi-class: ``scores`` is a batch of vectors (or one vector with an int label) and the
    loss per sample is sum_{i != y} relu(margin - s_y + s_i) / k, the formula of
    ``torch.nn.MultiMarginLoss``.
    """
    single_multiclass = (
        not _is_scalar(scores)
        and _is_scalar(target)
        and isinstance(scores, Sequence)
        and len(scores) > 1
    )
    if _is_batch(scores) or single_multiclass:
        rows = scores if _is_batch(scores) else [scores]
        labels = target if isinstance(target, Sequence) else [target]
        if len(labels) != len(rows):
            mismatch = say("functional.samples_targets", n=len(rows), m=len(labels))
            raise ValueError(f"hinge_loss: {mismatch}")
        terms = []
        for i, (row, label) in enumerate(zip(rows, labels)):
            vec = _vector(row, "hinge_loss scores")
            if len(vec) < 2:
                scores = say("functional.hinge_scores", i=i, count=len(vec))
                raise ValueError(f"hinge_loss: {scores}")
            k = _class_index(label, len(vec), "hinge_loss")
            parts = [(vec[i] - vec[k] + margin).relu() for i in range(len(vec)) if i != k]
            total = parts[0] if len(parts) == 1 else apply_op("sum", *parts)
            terms.append(total / len(vec))
        return _reduce(terms, reduction, "hinge_loss")
    scalars = _scalars(scores, "hinge_loss")
    ys = _targets(target, len(scalars), "hinge_loss")
    terms = []
    for score, y in zip(scalars, ys):
        if y not in (-1.0, 0.0, 1.0):
            raise ValueError("hinge_loss: " + say("functional.binary_labels", y=repr(y)))
        sign = 1.0 if y > 0 else -1.0  # 0/1 labels: 0 means the negative class
        terms.append((margin - sign * score).relu())
    return _reduce(terms, reduction, "hinge_loss")
