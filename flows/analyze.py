"""The `analyze-articles` flow: one newslens run, each stage a Prefect task.

Parameters are the only run configuration; everything else comes from `newslens.config`.
Works without a Prefect server (ephemeral mode) and under a deployment alike.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, runtime
from prefect.artifacts import (create_markdown_artifact, create_progress_artifact,
                               create_table_artifact, update_progress_artifact)
from prefect.task_runners import ThreadPoolTaskRunner

from newslens.config import STAGES, load_settings
from newslens.pipeline.report import summary_markdown, summary_table
from newslens.pipeline.runner import RunSummary, run_pipeline
from newslens.threads import limit_threads
from newslens.lake.location import bind
from newslens.flows.runners import api_for_workers, check_runner_options, cluster_slots, make_task_runner
from newslens.tasks.shards import TaskRunnerShards
from newslens.tasks.stages import TASKS


def _call(name: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
    return TASKS[name](*args, **kwargs)


def log_shards(logger: Any, runner: str, reports: list[dict[str, Any]]) -> None:
    """One line per worker process: shards, articles, threads and its model loads."""
    by_worker: dict[str, dict[str, Any]] = {}
    for r in reports:
        w = by_worker.setdefault(r["worker"], {"shards": 0, "articles": 0})
        w["shards"] += 1
        w["articles"] += r["articles"]
        w["threads"], w["loads"] = r["threads"], r["loads"]
    for name, w in sorted(by_worker.items()):
        logger.info("%s worker %s: %d shards, %d articles, %d threads, model loads %s", runner,
                    name, w["shards"], w["articles"], w["threads"], w["loads"])


@flow(name="analyze-articles", log_prints=True,
      task_runner=ThreadPoolTaskRunner(max_workers=1))  # stages run in order; torch owns the cores
def analyze_articles(input: str, lake: str | None = None, limit: int | None = None,
                     stages: list[str] = list(STAGES), reprocess: list[str] | None = None,
                     models_dir: str | None = None, incremental: bool = False,
                     runner: str = "local", address: str | None = None, workers: int | None = None,
                     shard_articles: int | None = None) -> dict[str, Any]:
    """Ingest `input` (file or folder), run the chosen stages, and write the lake.

    `incremental` (the nightly inbox run) skips files whose content a completed run already read.
    `runner` dask or ray runs the model stages over shards of `shard_articles` articles on a
    cluster: an existing one at `address`, else one of `workers` processes started for the run.
    """
    logger = get_run_logger()
    unknown = sorted(set(stages) - set(STAGES))
    if unknown:
        raise ValueError(f"unknown stages {unknown}; choose from {list(STAGES)}")
    check_runner_options(runner, address, workers, shard_articles)
    settings = load_settings(lake=lake, models_dir=models_dir,
                             batch_articles=shard_articles)
    bind(settings.lake, settings.lake_catalog, settings.lake_data)  # NEWSLENS_LAKE_CATALOG/_DATA
    threads = limit_threads(settings.torch_threads)
    logger.info("newslens run of %s into %s (stages %s, %d threads)", input, settings.lake,
                ",".join(stages), threads)
    progress_id = create_progress_artifact(progress=0.0, key="newslens-progress",
                                           description="Articles through the model stages")

    def progress(done: int, total: int) -> None:
        update_progress_artifact(artifact_id=progress_id, progress=100.0 * done / max(total, 1))

    def run(shards: Any = None) -> RunSummary:
        return run_pipeline(
            Path(input), settings, stages=stages, limit=limit, reprocess=reprocess or [],
            incremental=incremental,
            call=_call, log=logger, progress=progress,
            flow_run_id=str(runtime.flow_run.id) if runtime.flow_run.id else None,
            **({"shards": shards} if shards else {}))

    reports: list[dict[str, Any]] = []
    if runner == "local":
        summary = run()
    else:
        with api_for_workers(), make_task_runner(runner, address, workers) as task_runner:
            shards = TaskRunnerShards(task_runner, in_flight=2 * cluster_slots(task_runner))
            summary = run(shards)
        reports = shards.reports
        log_shards(logger, runner, reports)
    update_progress_artifact(artifact_id=progress_id, progress=100.0)
    create_table_artifact(key="newslens-run-summary", table=summary_table(summary),
                          description=f"Counts of run {summary.run_id}")
    create_markdown_artifact(key="newslens-run-report", markdown=summary_markdown(summary),
                             description=f"Report of run {summary.run_id}")
    # A run on workers also says where each shard ran (worker, threads, its model loads).
    return summary.__dict__ if runner == "local" else {**summary.__dict__, "shards": reports}
