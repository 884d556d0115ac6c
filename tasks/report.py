"""Prefect task wrapper around the report builder (no logic here)."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from newslens.report.build import build_report

build_report_task = task(build_report, name="build-report", retries=1, retry_delay_seconds=5,
                         cache_policy=NO_CACHE)
