"""Where things live in the lake: partition names, table folders, the catalog file, the lock.

The lake is a folder of Hive-partitioned Parquet tables (`<lake>/<table>/<col>=<value>/*.parquet`).
Everything that needs a path derives it here so the layout is written down once.
"""

from __future__ import annotations

import datetime
import fcntl
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from newslens import schema

LOCK_NAME = ".lock"
_PARTITION_VALUE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def month_partition(d: datetime.date | None) -> str:
    """The partition value for a date: `YYYY-MM`, or the unknown partition when there is no date."""
    if d is None:
        return schema.UNKNOWN_PARTITION
    return f"{d.year:04d}-{d.month:02d}"


def is_partition_value(value: object) -> bool:
    """True for a value that may name a partition folder (`YYYY-MM` or `unknown`)."""
    return isinstance(value, str) and (value == schema.UNKNOWN_PARTITION or bool(_PARTITION_VALUE.match(value)))


def table_dir(lake: Path, table: str) -> Path:
    """The folder holding one table's partitions."""
    if table not in schema.TABLES:
        raise ValueError(f"unknown lake table {table!r}; known tables: {', '.join(schema.TABLES)}")
    return Path(lake) / table


def partition_dir(lake: Path, table: str, value: str) -> Path:
    """The Hive-style folder of one partition of a table."""
    return table_dir(lake, table) / f"{schema.PARTITION_COLUMN[table]}={value}"


def partition_value(folder: Path, table: str) -> str | None:
    """The partition value a folder name encodes, or None when it is not this table's partition."""
    prefix = f"{schema.PARTITION_COLUMN[table]}="
    return folder.name[len(prefix):] if folder.name.startswith(prefix) else None


def table_files(lake: Path, table: str) -> dict[str, list[Path]]:
    """The visible Parquet files of a table, by partition value (hidden temp files never match)."""
    root = table_dir(lake, table)
    found: dict[str, list[Path]] = {}
    if not root.is_dir():
        return found
    for folder in sorted(root.iterdir()):
        value = partition_value(folder, table)
        if value is None or not folder.is_dir():
            continue
        files = sorted(folder.glob("[!.]*.parquet"))
        if files:
            found[value] = files
    return found


def catalog_path(lake: Path) -> Path:
    """The DuckDB catalog file kept next to the lake folder (`<parent>/<lake name>.duckdb`)."""
    lake = Path(os.path.abspath(lake))
    return lake.parent / f"{lake.name}.duckdb"


def lock_path(lake: Path) -> Path:
    """The file whose fcntl lock serialises writers of one lake."""
    return Path(lake) / LOCK_NAME


@contextmanager
def lake_lock(lake: Path, *, exclusive: bool) -> Iterator[None]:
    """Hold the lake lock: exclusive for writers, shared for readers wanting a stable snapshot.

    A shared lock is skipped when the lake has never been written (no lock file), so reading
    never creates anything.
    """
    path = lock_path(lake)
    if exclusive:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    elif path.exists():
        fd = os.open(path, os.O_RDONLY)
    else:
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
