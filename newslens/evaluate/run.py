"""One evaluation: read the data, resolve the models, predict, score, keep the numbers.

Steps go through `call(name, fn, *args)` like the nightly runner's stages, so the `evaluate`
flow can run each as a Prefect task while the core stays free of Prefect.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from newslens.config import Settings
from newslens.evaluate.datasets import (DataSpec, content_hash, read_sentiment, read_stance,
                                        read_translation)
from newslens.evaluate.items import default_items_path, write_items
from newslens.evaluate.metrics import DEFAULT_BOOTSTRAP, DEFAULT_SEED
from newslens.evaluate.predict import output_settings, plan_for, predict
from newslens.evaluate.score import Scores, score, with_item_scores
from newslens.evaluate.store import write_evaluations
from newslens.pipeline.model_steps import targets_from

TASKS: tuple[str, ...] = ("translation", "sentiment", "stance")
StepCall = Callable[..., Any]


def direct_call(name: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return fn(*args, **kwargs)


@dataclass(frozen=True)
class EvalRequest:
    """What to evaluate and how (the CLI's and the flow's parameters)."""

    task: str
    data: DataSpec
    name: str | None = None
    n_boot: int = DEFAULT_BOOTSTRAP
    seed: int = DEFAULT_SEED
    out: Path | None = None
    comet_model: str | None = None

    @property
    def dataset(self) -> str:
        return self.name or self.data.path.name


@dataclass
class EvalResult:
    """What one evaluation measured and where it put things."""

    run_id: str
    task: str
    dataset: str
    dataset_sha256: str
    n_items: int
    seconds: float
    settings: dict[str, Any]
    rows: pd.DataFrame
    items_path: str
    notes: list[str] = field(default_factory=list)


def new_eval_run_id(now: dt.datetime) -> str:
    return "eval-" + now.strftime("%Y%m%dT%H%M%S%fZ")


def load_items(task: str, spec: DataSpec, settings: Settings) -> pd.DataFrame:
    """The items of a data file for one task (DataFormatError naming the line on bad input)."""
    if task == "translation":
        return read_translation(spec)
    if task == "sentiment":
        return read_sentiment(spec)
    if task == "stance":
        return read_stance(spec, targets_from(settings))
    raise ValueError(f"unknown task {task!r}; choose one of {', '.join(TASKS)}")


def metric_rows(request: EvalRequest, scores: Scores, *, run_id: str, sha: str,
                settings: dict[str, Any], seconds: float, items_path: str,
                now: dt.datetime) -> pd.DataFrame:
    """Rows of the `evaluations` table for one evaluation."""
    config = json.dumps(settings, sort_keys=True)
    rows = []
    for m in scores.metrics:
        model, revision = scores.lineage.get(m.subset, scores.lineage["all"])
        rows.append({"run_id": run_id, "task": request.task, "dataset": request.dataset,
                     "dataset_sha256": sha, "subset": m.subset, "metric": m.metric,
                     "value": m.value, "ci_low": m.ci_low, "ci_high": m.ci_high, "n": m.n,
                     "model": model, "model_revision": revision, "settings": config,
                     "signature": m.signature, "seconds": seconds, "items_path": items_path,
                     "evaluated_at": now})
    return pd.DataFrame(rows)


def run_evaluation(request: EvalRequest, settings: Settings, *, call: StepCall = direct_call,
                   now: dt.datetime | None = None) -> EvalResult:
    """Evaluate the configured model for `request.task` and append the metrics to the lake."""
    if request.task not in TASKS:
        raise ValueError(f"unknown task {request.task!r}; choose one of {', '.join(TASKS)}")
    now = now or dt.datetime.now(dt.timezone.utc)
    run_id = new_eval_run_id(now)
    items = call("eval-read", load_items, request.task, request.data, settings)
    plan = call("plan-models", plan_for, request.task, items, settings)
    started = time.perf_counter()
    outputs = call("eval-predict", predict, request.task, items, plan, settings, run_id=run_id)
    seconds = time.perf_counter() - started
    scores = call("eval-score", score, request.task, outputs, n_boot=request.n_boot,
                  seed=request.seed, comet_model=request.comet_model)
    path = request.out or default_items_path(settings.lake, run_id, request.task, request.dataset)
    written = call("eval-write-items", write_items, path, with_item_scores(request.task, outputs))
    sha = content_hash(items)
    chosen = output_settings(request.task, settings, plan)
    rows = metric_rows(request, scores, run_id=run_id, sha=sha, settings=chosen,
                       seconds=seconds, items_path=str(written), now=now)
    call("eval-record", write_evaluations, settings.lake, rows, run_id=run_id)
    return EvalResult(run_id=run_id, task=request.task, dataset=request.dataset,
                      dataset_sha256=sha, n_items=len(items), seconds=seconds, settings=chosen,
                      rows=rows, items_path=str(written), notes=scores.notes)
