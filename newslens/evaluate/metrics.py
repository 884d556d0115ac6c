"""Classification metrics with bootstrap intervals: pure functions of gold and predicted labels.

Conventions: the confusion matrix is indexed [gold, predicted] in the order of the label set;
a class's precision (recall) is 0 when nothing was predicted (is gold) as it, and its F1 is 0
when both are 0 (scikit-learn's `zero_division=0`). Macro-F1 is the unweighted mean of the F1
of the classes named. Values are fractions in [0, 1].

Intervals are percentile bootstrap 95% intervals: items resampled with replacement `n_boot`
times from a generator seeded with `seed`, the metric recomputed on each resample.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

DEFAULT_BOOTSTRAP = 1000
DEFAULT_SEED = 12345


@dataclass(frozen=True)
class MetricValue:
    """One number of an evaluation, as stored in the `evaluations` table."""

    metric: str
    value: float
    n: int
    subset: str = "all"
    ci_low: float | None = None
    ci_high: float | None = None
    signature: str | None = None


def bootstrap_signature(n_boot: int, seed: int) -> str:
    return f"bootstrap:percentile95|n={n_boot}|seed={seed}"


def encode(labels: Sequence[str], classes: Sequence[str]) -> np.ndarray:
    """Label names as positions in `classes`; an unknown name is a ValueError."""
    index = {c: i for i, c in enumerate(classes)}
    try:
        return np.array([index[x] for x in labels], dtype=np.int64)
    except KeyError as exc:
        raise ValueError(f"label {exc.args[0]!r} is not one of {list(classes)}") from None


def confusion_matrix(gold: Sequence[str], pred: Sequence[str], classes: Sequence[str]) -> np.ndarray:
    """Counts [gold, predicted] over `classes`."""
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold labels but {len(pred)} predictions")
    k = len(classes)
    codes = encode(gold, classes) * k + encode(pred, classes)
    return np.bincount(codes, minlength=k * k).reshape(k, k)


def f1_per_class(cm: np.ndarray) -> np.ndarray:
    """F1 of each class from a confusion matrix (or a stack of them, last two axes)."""
    tp = np.diagonal(cm, axis1=-2, axis2=-1).astype(np.float64)
    predicted = cm.sum(axis=-2).astype(np.float64)
    actual = cm.sum(axis=-1).astype(np.float64)
    precision = np.divide(tp, predicted, out=np.zeros_like(tp), where=predicted > 0)
    recall = np.divide(tp, actual, out=np.zeros_like(tp), where=actual > 0)
    total = precision + recall
    return np.divide(2 * precision * recall, total, out=np.zeros_like(tp), where=total > 0)


def accuracy_of(cm: np.ndarray) -> np.ndarray:
    n = cm.sum(axis=(-2, -1)).astype(np.float64)
    return np.diagonal(cm, axis1=-2, axis2=-1).sum(axis=-1) / np.maximum(n, 1)


def macro_f1_of(cm: np.ndarray, over: Sequence[int]) -> np.ndarray:
    return f1_per_class(cm)[..., list(over)].mean(axis=-1)


def resampled_confusions(gold: np.ndarray, pred: np.ndarray, k: int, n_boot: int,
                         seed: int) -> np.ndarray:
    """`n_boot` confusion matrices (n_boot, k, k) of bootstrap resamples of the items."""
    n = len(gold)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, n, size=(n_boot, n))
    codes = (gold[idx] * k + pred[idx]) + (np.arange(n_boot)[:, None] * k * k)
    return np.bincount(codes.ravel(), minlength=n_boot * k * k).reshape(n_boot, k, k)


def percentile_interval(samples: np.ndarray) -> tuple[float, float]:
    low, high = np.percentile(np.asarray(samples, dtype=np.float64), [2.5, 97.5])
    return float(low), float(high)


def classification_metrics(gold: Sequence[str], pred: Sequence[str], classes: Sequence[str], *,
                           macro_sets: dict[str, Sequence[str]], subset: str = "all",
                           per_class: bool = True, n_boot: int = DEFAULT_BOOTSTRAP,
                           seed: int = DEFAULT_SEED) -> list[MetricValue]:
    """Accuracy, each named macro-F1 and (optionally) each class's F1, with intervals."""
    k = len(classes)
    g, p = encode(gold, classes), encode(pred, classes)
    cm = confusion_matrix(gold, pred, classes)
    boot = resampled_confusions(g, p, k, n_boot, seed) if n_boot > 0 else None
    sig = bootstrap_signature(n_boot, seed)
    named: list[tuple[str, Callable[[np.ndarray], np.ndarray]]] = [("accuracy", accuracy_of)]
    for name, members in macro_sets.items():
        positions = [classes.index(c) for c in members]
        named.append((name, lambda m, pos=positions: macro_f1_of(m, pos)))
    if per_class:
        for i, c in enumerate(classes):
            named.append((f"f1_{c}", lambda m, i=i: f1_per_class(m)[..., i]))
    out = []
    for name, fn in named:
        low, high = percentile_interval(fn(boot)) if boot is not None else (None, None)
        out.append(MetricValue(name, float(fn(cm)), len(g), subset, low, high, sig))
    return out


def confusion_values(gold: Sequence[str], pred: Sequence[str],
                     classes: Sequence[str]) -> list[MetricValue]:
    """The confusion matrix as metric rows `confusion:GOLD>PRED` (counts, no interval)."""
    cm = confusion_matrix(gold, pred, classes)
    return [MetricValue(f"confusion:{g}>{p}", float(cm[i, j]), int(cm.sum()))
            for i, g in enumerate(classes) for j, p in enumerate(classes)]


def format_confusion(cm: np.ndarray, classes: Sequence[str]) -> str:
    """A small text table: rows are gold labels, columns predictions."""
    width = max(8, *(len(c) for c in classes)) + 1
    lines = ["gold \\ pred".ljust(width + 3) + "".join(c.rjust(width) for c in classes)]
    for i, c in enumerate(classes):
        lines.append(c.ljust(width + 3) + "".join(str(int(v)).rjust(width) for v in cm[i]))
    return "\n".join(lines)
