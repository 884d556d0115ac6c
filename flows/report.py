"""The `build-report` flow: write the report page for a lake and publish its headline numbers.

Run after each nightly `analyze-articles` run (the `report` deployment of prefect.yaml), or
directly: `newslens report` builds the same page without Prefect.
"""

from __future__ import annotations

from typing import Any

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact

from newslens.config import load_settings
from newslens.report.build import result_markdown
from newslens.report.queries import Scope
from newslens.tasks.report import build_report_task


@flow(name="build-report", log_prints=True)
def build_report_flow(lake: str | None = None, out: str | None = None, since: str | None = None,
                      until: str | None = None, targets: list[str] | None = None,
                      at: str | None = None) -> dict[str, Any]:
    """Write the self-contained HTML report of `lake` to `out`; returns its headline numbers."""
    logger = get_run_logger()
    settings = load_settings(lake=lake, report_out=out)
    scope = Scope(since=since, until=until, targets=tuple(targets or ()))
    result = build_report_task(settings.lake, settings.report_out, scope, at=at,
                               targets_file=settings.targets_file)
    logger.info("report of %s written to %s (%d articles)", settings.lake, result.path,
                result.headline["articles"])
    create_markdown_artifact(key="newslens-report", markdown=result_markdown(result),
                             description=f"newslens report written to {result.path}")
    return {"path": str(result.path), "bytes": result.bytes, **result.headline,
            "missing": result.missing}
