"""The `lake-maintenance` flow: compact the lake (merge small files, expire old snapshots)."""

from __future__ import annotations

from typing import Any

from prefect import flow, get_run_logger

from newslens.config import load_settings
from newslens.lake.maintenance import DEFAULT_RETENTION_DAYS, compact
from newslens.lake.location import bind


@flow(name="lake-maintenance", log_prints=True)
def compact_lake(lake: str | None = None, retention_days: int = DEFAULT_RETENTION_DAYS) -> dict[str, Any]:
    """Merge small files and expire snapshots older than `retention_days`."""
    settings = load_settings(lake=lake)
    bind(settings.lake, settings.lake_catalog, settings.lake_data)  # NEWSLENS_LAKE_CATALOG/_DATA
    result = compact(settings.lake, retention_days=retention_days)
    get_run_logger().info("compacted %s: %s", settings.lake, result)
    return result
