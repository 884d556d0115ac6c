"""Reads that a concurrent compaction cannot spoil: redone when one committed meanwhile.

DuckLake 1.5.5 does not isolate a reader from `ducklake_merge_adjacent_files` (see
`read_consistently`); everything that reads the lake goes through these helpers.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import duckdb

from newslens.lake.connection import ALIAS, LakeCompactingError, lake_name, open_reader

T = TypeVar("T")

# Snapshot changes of `newslens lake compact` that rewrite files a reader may be reading.
COMPACTION_CHANGES = frozenset({"merge_adjacent"})
READ_ATTEMPTS = 4


def latest_snapshot(con: duckdb.DuckDBPyConnection) -> int:
    """The newest snapshot in the catalog now (whatever snapshot the session is pinned to)."""
    return int(con.execute(f"SELECT max(snapshot_id) FROM {ALIAS}.snapshots()").fetchone()[0])


def compacted_since(con: duckdb.DuckDBPyConnection, snapshot: int) -> bool:
    """Whether a compaction has committed a snapshot after `snapshot` (the catalog as it is now,
    even in a session pinned to an older snapshot)."""
    rows = con.execute(f"SELECT changes FROM {ALIAS}.snapshots() WHERE snapshot_id > ?",
                       [snapshot]).fetchall()
    return any(COMPACTION_CHANGES.intersection(changes or {}) for (changes,) in rows)


def settled(con: duckdb.DuckDBPyConnection, since: int, read: Callable[[], T]) -> tuple[bool, T | None]:
    """Run `read()`; (True, result) if no compaction committed after snapshot `since`, else
    (False, None), the result (or DuckDB error) thrown away. An error without a compaction
    is raised."""
    try:
        result = read()
    except duckdb.Error:
        if compacted_since(con, since):
            return False, None
        raise
    return (False, None) if compacted_since(con, since) else (True, result)


def read_consistently(lake: Path, work: Callable[[duckdb.DuckDBPyConnection], T], *,
                      at: str | int | None = None, views: bool = True) -> T:
    """`work(con)` on a fresh read session, redone when a compaction committed meanwhile.

    DuckLake 1.5.5 does not isolate a reader from `ducklake_merge_adjacent_files`: a statement
    that was already reading when the merge committed can miss whole files' rows without any
    error, or fail on a file the clean-up then deleted
    (tests/lake/robust/test_kill.py::test_a_read_spanning_a_compaction_is_redone).
    Each attempt notes the newest snapshot before it reads; if a
    compaction committed after that, the result (or error) is thrown away and the work is
    done again. Work must be a pure read.
    """
    for _ in range(READ_ATTEMPTS):
        con = open_reader(lake, at=at, views=views)
        try:
            done, result = settled(con, latest_snapshot(con), lambda: work(con))
            if done:
                return result  # type: ignore[return-value]
        finally:
            con.close()
    raise LakeCompactingError(f"the lake at {lake_name(lake)} was compacted during each of "
                              f"{READ_ATTEMPTS} attempts of this read; try again")
