"""Keeping the lake small and tidy, and importing a lake of the old Parquet-folder layout.

`compact` merges the small files nightly batches leave into larger ones, expires snapshots
older than the retention (so `--at` reaches back that far, no further), deletes the files no
snapshot needs any more, and removes files no commit ever recorded (left by a killed writer).
Everything that writes data files runs under the commit lock, so no other newslens writer
has uncommitted files in flight while orphans are removed.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds

from newslens import schema
from newslens.lake.commit import commit_lock, transaction
from newslens.lake.connection import (ALIAS, LakeNotFoundError, data_path, lake_exists, lake_name,
                                      open_writer)
from newslens.lake.location import locate
from newslens.lake.tables import storage_schema

DEFAULT_RETENTION_DAYS = 30
_META = f"__ducklake_metadata_{ALIAS}"


def _require(lake: Path) -> None:
    if not lake_exists(lake):
        raise LakeNotFoundError(f"no lake at {lake_name(lake)}")


def _remote_objects(lake: Path) -> set[str] | None:
    """Every object under a remote lake's data path (None for a local lake)."""
    location = locate(lake)
    if location is None:
        return None
    from newslens import objectstore

    return set(objectstore.list_files(location.data_path)) if objectstore.is_remote(location.data_path) else set()


def _session(lake: Path, con: duckdb.DuckDBPyConnection | None) -> tuple[duckdb.DuckDBPyConnection, bool]:
    return (con, False) if con is not None else (open_writer(lake), True)


def catalog_files(lake: Path, con: duckdb.DuckDBPyConnection | None = None) -> set[Path] | set[str]:
    """Every data or delete file the catalog references (any unexpired snapshot, or awaiting
    deletion) that exists: paths for a local lake, `s3://` URLs for a remote one."""
    _require(lake)
    con, own = _session(lake, con)
    root = con.execute(f"SELECT value FROM {_META}.ducklake_metadata WHERE key = 'data_path'").fetchone()[0]
    try:
        rows = con.execute(f"""
            WITH t AS (
                SELECT t.table_id,
                       CASE WHEN t.path_is_relative THEN
                           (CASE WHEN s.path_is_relative THEN ? || s.path ELSE s.path END) || t.path
                       ELSE t.path END AS dir
                FROM {_META}.ducklake_table t JOIN {_META}.ducklake_schema s USING (schema_id)
            ), files AS (
                SELECT table_id, path, path_is_relative FROM {_META}.ducklake_data_file
                UNION ALL SELECT table_id, path, path_is_relative FROM {_META}.ducklake_delete_file
            )
            SELECT DISTINCT CASE WHEN f.path_is_relative THEN t.dir || f.path ELSE f.path END
            FROM files f JOIN t USING (table_id)
            UNION
            SELECT CASE WHEN path_is_relative THEN ? || path ELSE path END
            FROM {_META}.ducklake_files_scheduled_for_deletion""", [root, root]).fetchall()
    finally:
        if own:
            con.close()
    objects = _remote_objects(lake)
    if objects is not None:
        return {r[0] for r in rows if r[0] in objects}
    return {Path(os.path.abspath(r[0])) for r in rows if os.path.exists(r[0])}


def stray_files(lake: Path) -> list[Path] | list[str]:
    """Files under the data folder that the catalog does not reference (should be none)."""
    known = catalog_files(lake)
    objects = _remote_objects(lake)
    if objects is not None:
        return sorted(objects - known)
    return sorted(p for p in data_path(lake).rglob("*") if p.is_file() and p not in known)


def delete_orphaned_files(lake: Path, con: duckdb.DuckDBPyConnection | None = None) -> int:
    """Remove data files no commit recorded (a killed writer's), under the commit lock."""
    con, own = _session(lake, con)  # opened before the lock: opening may take it itself
    try:
        with commit_lock(lake):
            return len(con.execute(f"SELECT * FROM ducklake_delete_orphaned_files('{ALIAS}', "
                                   "cleanup_all => true)").fetchall())
    finally:
        if own:
            con.close()


def compact(lake: Path, retention_days: int = DEFAULT_RETENTION_DAYS) -> dict[str, Any]:
    """Merge small files, expire old snapshots, delete unneeded and orphaned files."""
    _require(lake)
    if retention_days < 0:
        raise ValueError("retention_days must be 0 or more")
    cutoff = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=retention_days)
    files_before = len(catalog_files(lake))
    con = open_writer(lake)
    try:
        with commit_lock(lake):
            merged = con.execute(f"SELECT * FROM ducklake_merge_adjacent_files('{ALIAS}')").fetchall()
            expired = con.execute(f"SELECT * FROM ducklake_expire_snapshots('{ALIAS}', older_than => ?)",
                                  [cutoff]).fetchall()
            cleaned = con.execute(f"SELECT * FROM ducklake_cleanup_old_files('{ALIAS}', "
                                  "cleanup_all => true)").fetchall()
        orphans = delete_orphaned_files(lake, con=con)
    finally:
        con.close()
    return {"files_before": files_before, "files_after": len(catalog_files(lake)),
            "merged": len(merged), "snapshots_expired": len(expired),
            "files_deleted": len(cleaned), "orphans_deleted": orphans}


def _old_partitions(old_dir: Path, table: str) -> list[tuple[str, list[Path]]]:
    """The old layout's `<table>/<partition col>=<value>/*.parquet` files, by partition value."""
    root = Path(old_dir) / table
    prefix = f"{schema.PARTITION_COLUMN[table]}="
    if not root.is_dir():
        return []
    out = []
    for folder in sorted(root.iterdir()):
        if folder.is_dir() and folder.name.startswith(prefix):
            files = sorted(folder.glob("[!.]*.parquet"))
            if files:
                out.append((folder.name[len(prefix):], files))
    return out


def read_old_table(old_dir: Path, table: str) -> pa.Table:
    """One table of an old-layout lake, conformed to today's schema, partition column added."""
    declared = schema.TABLES[table]
    part = schema.PARTITION_COLUMN[table]
    file_schema = pa.schema([f.with_nullable(True) for f in declared])
    pieces = []
    for value, files in _old_partitions(old_dir, table):
        got = ds.dataset([str(f) for f in files], schema=file_schema, format="parquet").to_table()
        pieces.append(got.append_column(part, pa.array([value] * got.num_rows, pa.string())))
    return pa.concat_tables(pieces) if pieces else storage_schema(table).empty_table()


def migrate(old_dir: Path, lake: Path) -> dict[str, int]:
    """Import an old-layout lake once, every table in one transaction; returns rows added per table.

    Rows keep their keys; a key already in the lake is not added twice, so migrating again
    adds nothing.
    """
    old_dir = Path(old_dir)
    if not old_dir.is_dir():
        raise FileNotFoundError(f"no old lake at {old_dir}")
    found = [t for t in schema.TABLES if _old_partitions(old_dir, t)]
    if not found:
        raise ValueError(f"{old_dir} holds no table in the old layout (<table>/<month col>=<value>/*.parquet)")
    if os.path.abspath(old_dir) == os.path.abspath(lake):
        raise ValueError("migrate into a new lake folder, not the old one")
    added: dict[str, int] = {}
    with transaction(lake, message=f"migrate {os.path.abspath(old_dir)}") as tx:
        for table in found:
            added[table] = tx.append(table, read_old_table(old_dir, table)).rows_written
    return added
