"""The `analyze-articles` flow: one newslens run, each stage a Prefect task.

Parameters are the only run configuration; everything else comes from `newslens.config`.
Works without a Prefect server (ephemeral mode) and under a deployment alike.
"""

from __future__ import annotations

import os
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
from tasks.stages import TASKS


def _call(name: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
    return TASKS[name](*args, **kwargs)


@flow(name="analyze-articles", log_prints=True,
      task_runner=ThreadPoolTaskRunner(max_workers=1))  # stages run in order; torch owns the cores
def analyze_articles(input: str, lake: str | None = None, limit: int | None = None,
                     stages: list[str] = list(STAGES), reprocess: list[str] | None = None,
                     models_dir: str | None = None, incremental: bool = False) -> dict[str, Any]:
    """Ingest `input` (file or folder), run the chosen stages, and write the lake.

    `incremental` (the nightly inbox run) skips files whose content a completed run already read.
    """
    logger = get_run_logger()
    unknown = sorted(set(stages) - set(STAGES))
    if unknown:
        raise ValueError(f"unknown stages {unknown}; choose from {list(STAGES)}")
    settings = load_settings(lake=lake, models_dir=models_dir or os.environ.get("NEWSLENS_MODELS_DIR"))
    threads = limit_threads(settings.torch_threads)
    logger.info("newslens run of %s into %s (stages %s, %d threads)", input, settings.lake,
                ",".join(stages), threads)
    progress_id = create_progress_artifact(progress=0.0, key="newslens-progress",
                                           description="Articles through the model stages")

    def progress(done: int, total: int) -> None:
        update_progress_artifact(artifact_id=progress_id, progress=100.0 * done / max(total, 1))

    summary: RunSummary = run_pipeline(
        Path(input), settings, stages=stages, limit=limit, reprocess=reprocess or [],
        incremental=incremental,
        call=_call, log=logger, progress=progress,
        flow_run_id=str(runtime.flow_run.id) if runtime.flow_run.id else None)
    update_progress_artifact(artifact_id=progress_id, progress=100.0)
    create_table_artifact(key="newslens-run-summary", table=summary_table(summary),
                          description=f"Counts of run {summary.run_id}")
    create_markdown_artifact(key="newslens-run-report", markdown=summary_markdown(summary),
                             description=f"Report of run {summary.run_id}")
    return summary.__dict__
