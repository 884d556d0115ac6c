"""Text a person reads after an evaluation, and the history of every metric across runs."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

import numpy as np
import pandas as pd

from newslens.evaluate.labels import task_labels
from newslens.evaluate.metrics import format_confusion

CONFUSION = "confusion:"


def _num(value: object, digits: int = 4) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "-"
    return f"{float(value):.{digits}f}"


def _digits(task: str) -> int:
    return 2 if task == "translation" else 4  # BLEU/chrF on 0-100, the others in [0, 1]


def metric_lines(rows: pd.DataFrame, task: str) -> list[str]:
    """`subset metric value [low, high] n=N` for every metric but the confusion counts."""
    d = _digits(task)
    keep = rows[~rows["metric"].str.startswith(CONFUSION)]
    lines = [f"{'subset':<22} {'metric':<18} {'value':>9}  {'95% interval':<21} n"]
    for r in keep.itertuples():
        interval = f"[{_num(r.ci_low, d)}, {_num(r.ci_high, d)}]"
        lines.append(f"{r.subset:<22} {r.metric:<18} {_num(r.value, d):>9}  {interval:<21} {r.n}")
    return lines


def confusion_from_rows(rows: pd.DataFrame, classes: Sequence[str]) -> np.ndarray | None:
    part = rows[rows["metric"].str.startswith(CONFUSION)]
    if part.empty:
        return None
    cm = np.zeros((len(classes), len(classes)), dtype=np.int64)
    for metric, value in zip(part["metric"], part["value"]):
        gold, pred = metric[len(CONFUSION):].split(">")
        cm[classes.index(gold), classes.index(pred)] = int(value)
    return cm


def summary_text(result) -> str:
    """What one evaluation found, with where its per-item outputs are."""
    rows = result.rows
    first = rows.iloc[0]
    out = [f"evaluation {result.run_id}: {result.task} on {result.dataset} "
           f"({result.n_items} items, sha256 {result.dataset_sha256[:12]})",
           f"model: {first['model']}  revision: {first['model_revision']}",
           f"settings: {json.dumps(result.settings, sort_keys=True)}",
           f"inference: {result.seconds:.1f} s", ""]
    out += metric_lines(rows, result.task)
    cm = confusion_from_rows(rows, list(task_labels(result.task)))
    if cm is not None:
        out += ["", "confusion matrix (rows: gold, columns: predicted)",
                format_confusion(cm, task_labels(result.task))]
    signatures = sorted({s for s in rows["signature"].dropna()})
    out += ["", *[f"signature: {s}" for s in signatures]]
    out += [f"note: {n}" for n in result.notes]
    out.append(f"per-item outputs: {result.items_path}")
    return "\n".join(out)


def settings_key(settings_json: str | None) -> str:
    return hashlib.sha256((settings_json or "").encode()).hexdigest()[:8]


def history_text(frame: pd.DataFrame, *, include_subsets: bool = False) -> str:
    """Each metric's value run after run (oldest first) with the change from the previous run.

    Grouped by task, dataset (and content hash), subset and metric; each line names the model,
    revision and a short key of the settings, spelled out once at the end.
    """
    if frame.empty:
        return "no evaluations in this lake yet (run `newslens evaluate`)"
    rows = frame[~frame["metric"].str.startswith(CONFUSION)]
    if not include_subsets:
        rows = rows[rows["subset"] == "all"]
    out: list[str] = []
    legend: dict[str, str] = {}
    groups = rows.groupby(["task", "dataset", "dataset_sha256", "subset", "metric"], sort=True)
    for (task, dataset, sha, subset, metric), part in groups:
        d = _digits(task)
        out.append(f"{task} / {dataset} (sha256 {str(sha)[:12]}) / {subset} / {metric}")
        previous = None
        for r in part.sort_values("evaluated_at", kind="stable").itertuples():
            key = settings_key(r.settings)
            legend[key] = r.settings or "{}"
            change = "" if previous is None else f"  {float(r.value) - previous:+.{d}f}"
            when = pd.Timestamp(r.evaluated_at).strftime("%Y-%m-%d %H:%M")
            model = f"{r.model}@{(r.model_revision or '-')[:12]}"
            out.append(f"  {when}  {model:<60} settings {key}  {_num(r.value, d):>8} "
                       f"[{_num(r.ci_low, d)}, {_num(r.ci_high, d)}] n={r.n}{change}")
            previous = float(r.value)
        out.append("")
    out.append("settings keys:")
    out += [f"  {k}: {v}" for k, v in sorted(legend.items())]
    return "\n".join(out)
