"""The one place DuckDB is opened: signed extensions from the wheels, confinement, clean errors."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from newslens.lake import run_query, write_table
from newslens.lake.connection import (LakeBusyError, LakeNotFoundError, catalog_path, open_reader,
                                      open_writer)
from newslens.lake.extensions import extension_path
from tests.lake.frames import articles_frame


def test_extensions_load_from_the_wheels_with_signatures_checked(filled_lake: Path) -> None:
    assert extension_path("ducklake").is_file()
    assert f"v{duckdb.__version__}" in str(extension_path("sqlite_scanner"))
    con = open_writer(filled_lake)
    try:
        setting = con.execute("SELECT current_setting('allow_unsigned_extensions')").fetchone()[0]
        loaded = {r[0] for r in con.execute("SELECT extension_name FROM duckdb_extensions() WHERE loaded").fetchall()}
    finally:
        con.close()
    assert setting is False and {"ducklake", "sqlite_scanner"} <= loaded


def test_an_unsigned_extension_file_is_refused(tmp_path: Path) -> None:
    forged = tmp_path / "ducklake.duckdb_extension"
    forged.write_bytes(extension_path("ducklake").read_bytes()[:-300] + b"\0" * 300)  # signature gone
    con = duckdb.connect(":memory:", config={"allow_unsigned_extensions": False})
    with pytest.raises(duckdb.Error):
        con.execute(f"LOAD '{forged}'")


def test_all_null_file_does_not_corrupt_reads(lake: Path) -> None:
    """DuckLake 1.5.5 merges table statistics wrongly once a file holds only NULLs in a column;
    with the optimizer rules that trust them switched off, filters and sorts stay right."""
    first = pd.DataFrame({"article_id": ["a", "b"], "n_chars": [None, 1],
                          "published_month": ["2024-01", "2024-02"]})
    write_table(lake, "articles", first, run_id="r1")
    write_table(lake, "articles", pd.DataFrame({"article_id": ["c"], "n_chars": [7],
                                                "published_month": ["2024-02"]}), run_id="r2")
    assert run_query(lake, "SELECT article_id FROM articles WHERE n_chars = 1").article_id.tolist() == ["b"]
    got = run_query(lake, "SELECT article_id, n_chars FROM articles ORDER BY article_id")
    assert got.n_chars.tolist()[1:] == [1, 7]


def test_reader_is_read_only_confined_and_spills_nowhere(filled_lake: Path, tmp_path: Path) -> None:
    con = open_reader(filled_lake)
    try:
        with pytest.raises(duckdb.Error, match="read-only"):
            con.execute("INSERT INTO lake.runs (run_id, run_month) VALUES ('x', '2025-01')")
        with pytest.raises(duckdb.PermissionException):
            con.execute(f"SELECT * FROM read_text('{tmp_path}/../../etc/hostname')")
        assert con.execute("SELECT current_setting('max_temp_directory_size')").fetchone()[0] in ("0 bytes", "0B")
        with pytest.raises(duckdb.Error):
            con.execute("SET enable_external_access = true")
    finally:
        con.close()


def test_views_are_created_fresh_not_read_from_the_lake(filled_lake: Path) -> None:
    con = open_writer(filled_lake)  # a client that could write plants its own article_overview
    con.execute("CREATE VIEW lake.article_overview AS SELECT 'forged' AS article_id")
    con.close()
    got = run_query(filled_lake, "SELECT article_id FROM article_overview ORDER BY 1")
    assert got.article_id.tolist() == ["a1", "a2", "a3"]


def test_missing_lake_is_an_error_and_nothing_is_created(tmp_path: Path) -> None:
    with pytest.raises(LakeNotFoundError):
        open_reader(tmp_path / "nope")
    assert not (tmp_path / "nope").exists()


def test_a_new_catalog_appears_with_every_table(tmp_path: Path) -> None:
    """The catalog is moved into place with its tables already made: a reader attaching the
    moment it appears (a first run still starting) finds an empty lake, not a broken one."""
    from newslens import schema

    lake = tmp_path / "fresh"
    open_writer(lake).close()  # creates the catalog; no commit of any data
    con = open_reader(lake)  # builds the views, which read lake.articles, sentiment and stance
    try:
        tables = {r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'lake'").fetchall()}
        assert tables == set(schema.TABLES)
        assert con.execute("SELECT count(*) FROM article_overview").fetchone()[0] == 0
    finally:
        con.close()


def test_catalog_held_by_another_client_is_a_clean_error(filled_lake: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sqlite3, sys, time
        c = sqlite3.connect({str(catalog_path(filled_lake))!r}, isolation_level=None)
        c.execute("PRAGMA locking_mode=EXCLUSIVE")  # the catalog is in WAL mode: take it whole
        c.execute("BEGIN EXCLUSIVE"); c.execute("CREATE TABLE held (x)")
        print("locked", flush=True); sys.stdin.read(); c.execute("ROLLBACK")
    """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(LakeBusyError, match="held by another process"):
            open_reader(filled_lake)
        with pytest.raises(ValueError, match="held by another process"):
            run_query(filled_lake, "SELECT 1")
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert run_query(filled_lake, "SELECT count(*) AS n FROM articles").n[0] == 3


def test_a_read_is_given_up_when_every_attempt_meets_a_compaction(filled_lake: Path) -> None:
    from newslens.lake.connection import LakeCompactingError
    from newslens.lake.consistency import READ_ATTEMPTS, read_consistently

    attempts = []

    def compacted_each_time(con):
        attempts.append(1)
        for n in range(2):  # two more small files in one partition, then merged into one
            extra = articles_frame().iloc[[0]].assign(article_id=f"x{len(attempts)}-{n}")
            write_table(filled_lake, "articles", extra, run_id="r2")
        writer = open_writer(filled_lake)
        try:
            assert writer.execute("SELECT * FROM ducklake_merge_adjacent_files('lake')").fetchall()
        finally:
            writer.close()
        return con.execute("SELECT count(*) FROM lake.articles").fetchone()[0]

    with pytest.raises(LakeCompactingError, match="compacted during each"):
        read_consistently(filled_lake, compacted_each_time)
    assert len(attempts) == READ_ATTEMPTS


def test_a_failing_read_without_a_compaction_fails_once(filled_lake: Path) -> None:
    from newslens.lake.consistency import read_consistently

    attempts = []

    def bad(con):
        attempts.append(1)
        return con.execute("SELECT * FROM lake.no_such_table").fetchall()

    with pytest.raises(duckdb.CatalogException):
        read_consistently(filled_lake, bad)
    assert attempts == [1]


def test_time_travel_still_reads_after_a_compaction(filled_lake: Path) -> None:
    """A read `--at` an older snapshot is not redone for a compaction that came before it."""
    from newslens.lake.maintenance import compact

    before = run_query(filled_lake, "SELECT id FROM lake.current_snapshot()").iloc[0, 0]
    for n in range(2):
        write_table(filled_lake, "articles", articles_frame().iloc[[0]].assign(article_id=f"y{n}"),
                    run_id="r2")
    assert compact(filled_lake)["merged"]
    old = run_query(filled_lake, "SELECT count(*) AS n FROM articles", at=int(before))
    now = run_query(filled_lake, "SELECT count(*) AS n FROM articles")
    assert (int(old.n[0]), int(now.n[0])) == (3, 5)
