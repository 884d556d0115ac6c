"""newslens end to end: the `analyze-articles` flow and the direct `run_pipeline` path.

Run in a worker process whose environment carries the benchmark's `NEWSLENS_*` settings, so
the flow (which reads its settings itself) and the direct path share one configuration.
Models load during a warm-up run on one short article per language, and Prefect warms up on
empty flow runs; timed runs each write a fresh lake, since a lake that already holds an
article skips it.
"""

from __future__ import annotations

import math
import os
import shutil
import time
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from newslens.config import STAGES, load_settings
from newslens.models.engines import loaded_classifiers
from newslens.pipeline.runner import direct_call, run_pipeline
from newslens.threads import limit_threads


WARM_ARTICLES = 2


def time_direct(input_path: Path, lake: Path, limit: int | None) -> dict[str, Any]:
    """`run_pipeline(..., call=direct_call)` on the input; seconds and the run's tallies."""
    settings = load_settings(lake=str(lake))
    t0 = time.perf_counter()
    summary = run_pipeline(Path(input_path), settings, stages=list(STAGES), limit=limit,
                           call=direct_call)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "articles": summary.n_new, "sentences": summary.n_sentences,
            "stage_seconds": dict(summary.stage_seconds), "status": summary.status}


def time_flow(input_path: Path, lake: Path, limit: int | None) -> dict[str, Any]:
    """One `analyze-articles` flow run (defaults otherwise); seconds and the run's tallies."""
    from newslens.flows.analyze import analyze_articles

    t0 = time.perf_counter()
    summary = analyze_articles(input=str(input_path), lake=str(lake), limit=limit)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "articles": summary["n_new"], "sentences": summary["n_sentences"],
            "stage_seconds": dict(summary["stage_seconds"]), "status": summary["status"]}


@task(name="bench-noop", cache_policy=NO_CACHE)
def _noop(i: int) -> int:
    return i


@flow(name="bench-noop-flow")
def _noop_flow(n: int) -> float:
    """Seconds spent inside the flow running `n` no-op tasks."""
    t0 = time.perf_counter()
    for i in range(n):
        _noop(i)
    return time.perf_counter() - t0


def prefect_costs(n_tasks: int = 25, repeats: int = 2) -> dict[str, float]:
    """Prefect's fixed costs here: an empty flow run (best of a few) and one task run,
    timed inside a flow so the flow's own start and end stay out of it."""
    _noop_flow(1)  # warm
    empty = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        _noop_flow(0)
        empty.append(time.perf_counter() - t0)
    per_task = min(_noop_flow(n_tasks) for _ in range(repeats)) / n_tasks
    return {"flow_run_s": min(empty), "task_run_s": per_task}


def flow_task_count(articles: int, batch_articles: int) -> int:
    """Task runs of one analyze-articles run: ingest, plan, four per batch, ledger, catalog."""
    return 2 + 4 * max(1, math.ceil(articles / max(1, batch_articles))) + 2


ONE_ARTICLE_SUFFIXES = (".txt", ".html", ".htm")


def split_input(source: Path, total: int, parts: int, work: Path) -> list[tuple[Path, int | None]]:
    """The first `total` articles as `parts` folders of whole files (hard links or copies),
    when every file holds one article; otherwise the input once, as (folder, limit)."""
    files = sorted(p for p in Path(source).rglob("*") if p.is_file())[:total]
    if (parts <= 1 or len(files) < total
            or any(p.suffix.lower() not in ONE_ARTICLE_SUFFIXES for p in files)):
        return [(Path(source), total)]
    size = math.ceil(total / parts)
    chunks: list[tuple[Path, int | None]] = []
    for i in range(0, total, size):
        folder = work / f"chunk-{len(chunks)}"
        folder.mkdir(parents=True, exist_ok=True)
        for file in files[i:i + size]:
            target = folder / f"{len(chunks)}-{file.name}"
            try:
                os.link(file, target)
            except OSError:
                shutil.copy2(file, target)
        chunks.append((folder, None))
    return chunks


def _combine(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """One figure for several runs: seconds, articles, sentences and stage seconds summed."""
    stages: dict[str, float] = {}
    for run in runs:
        for name, seconds in run["stage_seconds"].items():
            stages[name] = round(stages.get(name, 0.0) + seconds, 3)
    status = {run["status"] for run in runs}
    return {"seconds": sum(r["seconds"] for r in runs), "articles": sum(r["articles"] for r in runs),
            "sentences": sum(r["sentences"] for r in runs), "stage_seconds": stages,
            "status": status.pop() if len(status) == 1 else "mixed", "runs": len(runs),
            "per_run_seconds": [round(r["seconds"], 3) for r in runs]}


def direct_and_flow(chunks: list[tuple[Path, int | None]], work: Path) -> tuple[dict, dict]:
    """The direct path and the flow over the same chunks, alternating A B B A ..., so that a
    drift in the machine's speed (a shared host, a neighbour's load) falls on both alike."""
    runs: dict[str, list[dict[str, Any]]] = {"direct": [], "flow": []}
    for i, (path, limit) in enumerate(chunks):
        for kind in (("direct", "flow") if i % 2 == 0 else ("flow", "direct")):
            timer = time_direct if kind == "direct" else time_flow
            runs[kind].append(timer(path, work / f"{kind}-{i}", limit))
    return _combine(runs["direct"]), _combine(runs["flow"])


def run_newslens(spec: dict[str, Any]) -> dict[str, Any]:
    """Warm up, then: the flow on the naive subset, then the direct path and the flow on all
    articles, interleaved over `e2e_chunks` parts of the input."""
    work = Path(spec["work"])
    source = Path(spec["input"])
    settings = load_settings()
    threads = limit_threads(settings.torch_threads)
    out: dict[str, Any] = {"threads": threads, "precision": settings.classifier_precision,
                           "ct2_compute_type": settings.ct2_compute_type}
    warm = Path(spec["warm_input"]) if spec.get("warm_input") else source
    t0 = time.perf_counter()
    if spec.get("warm_on_input"):  # small runs: first-seen tensor shapes would favour run two
        time_direct(source, work / "warm-direct", spec["articles"])
    else:
        time_direct(warm, work / "warm-direct", None if spec.get("warm_input") else WARM_ARTICLES)
    out["warm_direct_s"] = time.perf_counter() - t0  # loads every model the run needs
    loaded = loaded_classifiers()  # what `auto` became for each classifier, after the warm-up
    out["precision_in_use"] = {stage: "+".join(loaded.get(model, ["not loaded"]))
                               for stage, model in (("sentiment", settings.sentiment_model),
                                                    ("stance", settings.stance_model))}
    out["prefect_costs"] = prefect_costs()  # also starts Prefect's client (and any server)
    out["warm_flow_s"] = time_flow(warm, work / "warm-flow", 1)["seconds"]
    subset, total = spec["naive_articles"], spec["articles"]
    if subset < total:
        out["subset_flow"] = time_flow(source, work / "subset-flow", subset)
    chunks = split_input(source, total, spec.get("e2e_chunks", 1), work / "chunks")
    out["direct"], out["flow"] = direct_and_flow(chunks, work)
    if subset >= total:
        out["subset_flow"] = out["flow"]
    per_chunk = math.ceil(out["flow"]["articles"] / len(chunks))
    out["flow_tasks"] = len(chunks) * flow_task_count(per_chunk, settings.batch_articles)
    return out
