"""The `update-lake` flow: bring stored articles up to date with the configured models.

No input files: every article in the lake (or those published since a month, or the first
N) gets the stages it lacks and those whose model or settings changed.
"""

from __future__ import annotations

from typing import Any

from prefect import flow, get_run_logger, runtime
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.task_runners import ThreadPoolTaskRunner

from newslens.config import REDO_STAGES, load_settings
from newslens.pipeline.report import summary_markdown, summary_table
from newslens.pipeline.runner import update_lake
from newslens.threads import limit_threads
from newslens.lake.location import bind
from newslens.tasks.stages import TASKS


def _call(name: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
    return TASKS[name](*args, **kwargs)


@flow(name="update-lake", log_prints=True, task_runner=ThreadPoolTaskRunner(max_workers=1))
def update_lake_flow(lake: str | None = None, stages: list[str] = list(REDO_STAGES),
                     since: str | None = None, limit: int | None = None,
                     reprocess: list[str] | None = None, models_dir: str | None = None) -> dict[str, Any]:
    """Recompute what is missing or stale for the lake's articles (optionally a slice)."""
    logger = get_run_logger()
    unknown = sorted(set(stages) - set(REDO_STAGES))
    if unknown:
        raise ValueError(f"unknown stages {unknown}; choose from {list(REDO_STAGES)}")
    settings = load_settings(lake=lake, models_dir=models_dir)
    bind(settings.lake, settings.lake_catalog, settings.lake_data)  # NEWSLENS_LAKE_CATALOG/_DATA
    limit_threads(settings.torch_threads)
    summary = update_lake(settings, stages=stages, since=since, limit=limit, reprocess=reprocess or [],
                          call=_call, log=logger,
                          flow_run_id=str(runtime.flow_run.id) if runtime.flow_run.id else None)
    create_table_artifact(key="newslens-update-summary", table=summary_table(summary),
                          description=f"Counts of update {summary.run_id}")
    create_markdown_artifact(key="newslens-update-report", markdown=summary_markdown(summary),
                             description=f"Report of update {summary.run_id}")
    return summary.__dict__
