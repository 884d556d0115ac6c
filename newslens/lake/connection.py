"""The one place DuckDB is opened: the DuckLake catalog attached for writing or read-only.

Extensions come from the PyPI wheels pinned to this DuckDB release (`duckdb-extension-ducklake`,
`-sqlite-scanner`, ...) and are loaded by path with unsigned extensions disallowed, so DuckDB
checks their signatures and nothing is downloaded. A lake folder bound to a remote location
(newslens.lake.location: a PostgreSQL catalog, data in S3) also loads httpfs and
postgres_scanner, and takes its commit lock in PostgreSQL instead of a local file. Every session turns off two optimizer rules
that trust DuckLake's table-level column statistics: in this release those statistics go wrong
once a data file holds only NULLs in a column, and then filters and sorts return wrong rows
(see `tests/lake/test_connection.py::test_all_null_file_does_not_corrupt_reads`).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import socket
from pathlib import Path

import duckdb

from newslens.files import write_atomically
from newslens.lake.extensions import extension_path
from newslens.lake.location import Location, locate, mask, remote_lake_ready, s3_secret_sql
from newslens.lake.lock import commit_lock
from newslens.lake.names import (ALIAS, CATALOG_NAME, DATA_DIR, DISABLED_OPTIMIZERS,  # noqa: F401
                                 TEMP_DIR, catalog_path, data_path)
from newslens.lake.names import sql_quote as _quote

_BUSY = re.compile(r"database is locked|could not set lock|conflicting lock|database is busy", re.I)


class LakeNotFoundError(FileNotFoundError):
    """The lake folder (or its catalog) does not exist; reading never creates one."""


class LakeBusyError(RuntimeError):
    """Another client holds the catalog locked longer than we were willing to wait."""


class LakeCompactingError(LakeBusyError):
    """A compaction committed during every attempt of a read, so none could be trusted."""


def lake_exists(lake: Path) -> bool:
    """A local catalog file, or a remote catalog holding every newslens table."""
    location = locate(lake)
    if location is None:
        return catalog_path(lake).is_file()
    from newslens.schema import TABLES

    return remote_lake_ready(location, list(TABLES))


def lake_name(lake: Path) -> str:
    """How messages name a lake: its folder, or its catalog and data path (never a password)."""
    location = locate(lake)
    return os.path.abspath(lake) if location is None else f"{location.catalog} (data {location.data_path})"


def catalog_identity(lake: Path) -> str:
    """A string that changes when the lake's catalog is replaced (a new file, another database)."""
    location = locate(lake)
    if location is None:
        return f"{os.path.abspath(lake)} {catalog_path(lake).stat().st_ino}"
    return location.identity()


def _metadata(lake: Path, location: Location | None) -> str:
    if location is None:
        return "ducklake:sqlite:" + str(catalog_path(lake))
    return "ducklake:postgres:" + location.libpq()


def _base_connection(temp_dir: str | None, location: Location | None = None) -> duckdb.DuckDBPyConnection:
    config = {"allow_unsigned_extensions": False, "autoinstall_known_extensions": False,
              "autoload_known_extensions": False}
    con = duckdb.connect(":memory:", config=config)
    try:
        remote = ("httpfs", "postgres_scanner") if location is not None else ()
        for name in ("sqlite_scanner", "ducklake", *remote):
            con.execute(f"LOAD {_quote(str(extension_path(name)))}")
        if location is not None and location.data_path.startswith("s3://"):
            con.execute(s3_secret_sql())  # from the AWS_* variables; DuckDB redacts it
        con.execute(f"SET disabled_optimizers = {_quote(DISABLED_OPTIMIZERS)}")
        if temp_dir is None:
            con.execute("SET max_temp_directory_size = '0B'")  # no spilling anywhere
        else:
            con.execute(f"SET temp_directory = {_quote(temp_dir)}")
        con.execute("SET sqlite_all_varchar = false")
    except BaseException:
        con.close()
        raise
    return con


def _attach(con: duckdb.DuckDBPyConnection, lake: Path, options: list[str]) -> None:
    location = locate(lake)
    sql = f"ATTACH {_quote(_metadata(lake, location))} AS {ALIAS} ({', '.join(options)})"
    try:
        con.execute(sql)
    except duckdb.Error as exc:
        if _BUSY.search(str(exc)):
            raise LakeBusyError(f"the lake catalog {catalog_path(lake)} is held by another process "
                                "(locked); try again when it has finished") from exc
        if location is not None:
            raise ConnectionError(f"cannot attach the lake {lake_name(lake)}: "
                                  f"{mask(str(exc)).strip()}") from None
        raise
    con.execute(f"USE {ALIAS}")


def _create_catalog(con: duckdb.DuckDBPyConnection, lake: Path, options: list[str]) -> None:
    """Create the catalog whole, with every declared table, then move it into place, so nobody
    ever attaches a half-made one. It is a SQLite file in WAL mode: readers then never block a commit, nor a commit a
    reader. Call under the commit lock."""
    import sqlite3
    import uuid

    if lake_exists(lake):
        return
    def create(tmp: Path) -> None:
        try:
            db = sqlite3.connect(tmp)
            try:
                mode = db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            finally:
                db.close()
            if mode != "wal":
                raise RuntimeError(f"cannot put the lake catalog in WAL mode (got {mode})")
            # Attached under the lake's own alias so the declared tables are created in it before
            # it is moved into place: a reader never sees a lake without its tables.
            from newslens.lake.tables import ensure_tables  # tables imports this module; late

            con.execute(f"ATTACH {_quote('ducklake:sqlite:' + str(tmp))} AS {ALIAS} "
                        f"({', '.join(options)})")
            try:
                ensure_tables(con)
            finally:
                con.execute("USE memory")
                con.execute(f"DETACH {ALIAS}")
            leftover = Path(f"{tmp}-wal")
            if leftover.exists() and leftover.stat().st_size:
                raise RuntimeError(f"the new catalog's WAL {leftover} was not checkpointed")
        finally:
            for path in (Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
                path.unlink(missing_ok=True)

    write_atomically(catalog_path(lake), create)


def _create_remote(con: duckdb.DuckDBPyConnection, lake: Path, options: list[str]) -> None:
    """Create a remote lake's catalog and every declared table (one transaction), under the
    commit lock; a reader sees no lake until all its tables are there (`lake_exists`)."""
    from newslens.lake.tables import ensure_tables

    _attach(con, lake, options)
    try:
        ensure_tables(con)
    finally:
        con.execute("USE memory")
        con.execute(f"DETACH {ALIAS}")


def open_writer(lake: Path) -> duckdb.DuckDBPyConnection:
    """A read-write session on the lake, creating the folder and catalog on first use."""
    lake = Path(os.path.abspath(lake))
    location = locate(lake)
    if location is None:
        data_path(lake).mkdir(parents=True, exist_ok=True)
    (lake / TEMP_DIR).mkdir(parents=True, exist_ok=True)
    con = _base_connection(str(lake / TEMP_DIR), location)
    root = str(data_path(lake)) + "/" if location is None else location.data_path
    options = [f"DATA_PATH {_quote(root)}", "DATA_INLINING_ROW_LIMIT 0"]
    try:
        if location is not None:
            if not lake_exists(lake):
                with commit_lock(lake):  # two first writers on any hosts: one creates it
                    if not lake_exists(lake):
                        _create_remote(con, lake, options)
            _attach(con, lake, options)
        elif lake_exists(lake):
            _attach(con, lake, options)
        else:
            with commit_lock(lake):  # two first writers must not both create the catalog
                _create_catalog(con, lake, options)
            _attach(con, lake, options)
    except BaseException:
        con.close()
        raise
    return con


def open_reader(lake: Path, at: str | int | None = None, *, views: bool = True) -> duckdb.DuckDBPyConnection:
    """A read-only session: catalog attached READ_ONLY (as of `at` when given),
    newslens' views created fresh, and file access confined to the lake folder."""
    from newslens.lake.views import create_views  # views need the tables module; import late

    lake = Path(os.path.abspath(lake))
    location = locate(lake) if lake.is_dir() else None
    if not lake.is_dir() or not lake_exists(lake):
        where = catalog_path(lake) if location is None else lake_name(lake)
        raise LakeNotFoundError(f"no lake at {lake} (expected {where}); "
                                "`newslens run` creates one")
    con = _base_connection(None, location)
    try:
        options = ["READ_ONLY"]
        if at is not None:
            options.append(f"SNAPSHOT_VERSION {int(resolve_at(lake, at))}")
        _attach(con, lake, options)  # one attach: Ctrl-C during set-up stays quick and clean
        if views:
            create_views(con)
        con.execute("SET enable_progress_bar = false")  # it prints to stdout, spoiling --format json
        con.execute("SET enable_progress_bar_print = false")
        allowed = [str(lake) + "/"] + ([location.data_path] if location is not None else [])
        con.execute("SET allowed_directories = ?", [allowed])
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con


def resolve_at(lake: Path, at: str | int) -> int:
    """The snapshot id `--at` names: a run id (the snapshot it committed), a snapshot number,
    or a timestamp (the last snapshot at or before it)."""
    con = _base_connection(None, locate(lake))
    try:
        _attach(con, lake, ["READ_ONLY"])
        text = str(at).strip()
        if text.isdigit():
            found = con.execute("SELECT snapshot_id FROM lake.snapshots() WHERE snapshot_id = ?",
                                [int(text)]).fetchone()
            if found:
                return int(found[0])
        if con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND "
                       "table_name = 'runs'", [ALIAS]).fetchone()[0]:
            row = con.execute("SELECT snapshot_id, status FROM lake.runs WHERE run_id = ?",
                              [text]).fetchone()
            if row is not None:
                if row[0] is None:
                    raise ValueError(f"run {text} ({row[1]}) recorded no snapshot")
                return int(row[0])
        try:
            when = dt.datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"--at {text!r} is neither a run id of this lake, a snapshot id, "
                             "nor an ISO timestamp") from None
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.timezone.utc)
        row = con.execute("SELECT max(snapshot_id) FROM lake.snapshots() WHERE snapshot_time <= ?",
                          [when]).fetchone()
        if row is None or row[0] is None:
            raise ValueError(f"the lake has no snapshot at or before {when.isoformat()}")
        return int(row[0])
    finally:
        con.close()


def current_snapshot(con: duckdb.DuckDBPyConnection) -> int:
    return int(con.execute(f"SELECT id FROM {ALIAS}.current_snapshot()").fetchone()[0])


def this_host() -> str:
    return socket.gethostname()
