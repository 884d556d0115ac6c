"""Partition names and the fixed places of the lake's files."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from newslens import schema
from newslens.lake import catalog_path, month_partition, table_dir


def test_month_partition() -> None:
    assert month_partition(datetime.date(2024, 12, 31)) == "2024-12"
    assert month_partition(datetime.date(2025, 1, 1)) == "2025-01"
    assert month_partition(datetime.datetime(2023, 3, 4, 5, 6)) == "2023-03"
    assert month_partition(None) == schema.UNKNOWN_PARTITION == "unknown"


def test_table_dir_and_catalog_path(tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    assert table_dir(lake, "stance") == lake / "stance"
    assert catalog_path(lake) == tmp_path / "lake.duckdb"
    with pytest.raises(ValueError, match="unknown lake table 'nope'"):
        table_dir(lake, "nope")
