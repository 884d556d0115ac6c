"""The SQL door: `newslens sql` refuses every way out of its sandbox with exit 2, and the lake
(files and row counts) is the same afterwards. Also its limits: timeout, row cap, Ctrl-C,
progress output, a missing lake, a catalog held by another process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from newslens.cli import app
from newslens.lake import catalog_path, run_query, table_row_counts
from tests.lake.frames import listing

REPO = Path(__file__).resolve().parents[2]
runner = CliRunner()
SLOW_QUERY = "SELECT sum(hash(a.range * b.range)) FROM range(1000000) a, range(1000000) b"


@pytest.fixture
def lake_outside(filled_lake: Path) -> tuple[Path, Path]:
    """The filled lake with its catalog built, and a file beside it that must stay unreadable."""
    run_query(filled_lake, "SELECT 1")
    secret = filled_lake.parent / "secret.csv"
    secret.write_text("user,password\nroot,hunter2\n")
    return filled_lake, secret


def _state(lake: Path) -> tuple[object, object]:
    return listing(lake.parent), table_row_counts(lake)


PROBES = [
    ("delete", "DELETE FROM articles"),
    ("insert", "INSERT INTO articles (article_id) VALUES ('x')"),
    ("update", "UPDATE articles SET title = 'x'"),
    ("drop view", "DROP VIEW articles"),
    ("drop table", "DROP TABLE newslens.catalog_info"),
    ("create table", "CREATE TABLE t AS SELECT 1"),
    ("create view", "CREATE VIEW article_overview2 AS SELECT 1"),
    ("create or replace view", "CREATE OR REPLACE VIEW article_overview AS SELECT 'forged' AS article_id"),
    ("create macro", "CREATE MACRO m() AS 1"),
    ("create secret", "CREATE SECRET s (TYPE s3, KEY_ID 'k', SECRET 's')"),
    ("alter", "ALTER VIEW articles RENAME TO a2"),
    ("copy to", "COPY articles TO 'out.csv'"),
    ("copy query to", "COPY (SELECT * FROM articles) TO '/tmp/newslens-probe.parquet'"),
    ("copy from", "COPY articles FROM '/etc/passwd'"),
    ("export", "EXPORT DATABASE '/tmp/newslens-probe-export'"),
    ("import", "IMPORT DATABASE '/tmp'"),
    ("attach", "ATTACH 'other.duckdb' AS other"),
    ("attach memory", "ATTACH ':memory:' AS scratch"),
    ("detach", "DETACH newslens"),
    ("use", "USE memory"),
    ("install", "INSTALL httpfs"),
    ("load", "LOAD httpfs"),
    ("set", "SET enable_external_access = true"),
    ("set allowed", "SET allowed_directories = ['/']"),
    ("reset", "RESET threads"),
    ("pragma", "PRAGMA enable_profiling"),
    ("call", "CALL pragma_version()"),
    ("checkpoint", "CHECKPOINT"),
    ("vacuum", "VACUUM"),
    ("begin", "BEGIN TRANSACTION"),
    ("pivot statement", "PIVOT articles ON lang"),
    ("cte delete", "WITH x AS (DELETE FROM articles RETURNING *) SELECT * FROM x"),
    ("cte insert", "WITH x AS (INSERT INTO articles (article_id) VALUES ('x') RETURNING *) SELECT 1"),
    ("subquery delete", "SELECT * FROM (DELETE FROM articles RETURNING *)"),
    ("query() of a write", "SELECT * FROM query('DELETE FROM articles')"),
    ("query() in a subquery", "SELECT (SELECT count(*) FROM query('SELECT 1')) AS n"),
    ("executing serialised sql", "SELECT * FROM json_execute_serialized_sql(json_serialize_sql('SELECT 1'))"),
    ("postgres_execute", "SELECT * FROM postgres_execute('__ducklake_metadata_lake', 'COMMIT; DROP TABLE x')"),
    ("postgres_scan", "SELECT * FROM postgres_scan('dbname=other', 'public', 't')"),
    ("secrets listing", "SELECT * FROM duckdb_secrets()"),
    ("two statements", "SELECT 1; SELECT 2"),
    ("read then write", "SELECT 1; DROP VIEW stance"),
    ("explain analyze write", "EXPLAIN ANALYZE DELETE FROM articles"),
    ("explain write", "EXPLAIN DROP VIEW articles"),
    ("read_csv outside", "SELECT * FROM read_csv('{secret}')"),
    ("read_text", "SELECT * FROM read_text('/etc/passwd')"),
    ("read_blob", "SELECT * FROM read_blob('/etc/hostname')"),
    ("glob", "SELECT * FROM glob('/etc/*')"),
    ("sniff_csv", "SELECT * FROM sniff_csv('/etc/passwd')"),
    ("read_json proc", "SELECT * FROM read_json_auto('/proc/self/environ')"),
    ("read_parquet escape", "SELECT * FROM read_parquet('{lake}/../secret.csv')"),
    ("syntax error", "SELEC 1"),
    ("empty", " ; "),
]


@pytest.mark.parametrize("sql", [p[1] for p in PROBES], ids=[p[0] for p in PROBES])
def test_probe_is_refused_with_exit_2_and_the_lake_is_untouched(lake_outside, sql: str) -> None:
    lake, secret = lake_outside
    before = _state(lake)
    result = runner.invoke(app, ["sql", sql.format(secret=secret, lake=lake), "--lake", str(lake)])
    assert result.exit_code == 2, result.output
    assert "hunter2" not in result.output and "root:" not in result.output
    assert result.output.startswith("error: ")
    assert _state(lake) == before
    assert not Path("/tmp/newslens-probe.parquet").exists()
    assert len(run_query(lake, "SELECT * FROM article_overview")) == 3


def test_reads_still_work(lake_outside) -> None:
    lake, _ = lake_outside
    for sql in ("SELECT count(*) AS n FROM articles", "DESCRIBE stance", "SHOW TABLES",
                "SUMMARIZE articles", "EXPLAIN SELECT * FROM articles", "FROM articles",
                "SELECT * FROM articles PIVOT (count(*) FOR lang IN ('de'))",
                "WITH x AS (SELECT 1 AS a) SELECT * FROM x"):
        assert runner.invoke(app, ["sql", sql, "--lake", str(lake)]).exit_code == 0, sql


def test_missing_lake_is_an_error_and_is_not_created(tmp_path: Path) -> None:
    lake = tmp_path / "no" / "such" / "lake"
    result = runner.invoke(app, ["sql", "SELECT 1", "--lake", str(lake)])
    assert result.exit_code == 2 and "no lake at" in result.output
    assert not (tmp_path / "no").exists() and list(tmp_path.iterdir()) == []


def test_progress_bar_is_off(lake_outside) -> None:
    lake, _ = lake_outside
    df = run_query(lake, "SELECT current_setting('enable_progress_bar') AS bar, "
                         "current_setting('enable_progress_bar_print') AS printed")
    assert df.to_dict("records") == [{"bar": False, "printed": False}]


def _cli(*args: str, **kw) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-m", "newslens.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, **kw)


def test_slow_query_output_is_pure_json(lake_outside) -> None:
    """A query of several seconds (DuckDB's progress bar shows after 2 s) prints only JSON."""
    lake, _ = lake_outside
    sql = ("SELECT count(*) AS n FROM range(10000) a, range(10000) b "
           "WHERE hash(a.range * b.range) % 7 = 0")
    proc = _cli("sql", sql, "--lake", str(lake), "--format", "json")
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert json.loads(out)[0]["n"] > 0


def test_timeout_stops_the_query_with_exit_3(lake_outside) -> None:
    lake, _ = lake_outside
    before = _state(lake)
    result = runner.invoke(app, ["sql", SLOW_QUERY, "--lake", str(lake), "--timeout", "1"])
    assert result.exit_code == 3
    assert result.output.strip().count("\n") == 0 and "--timeout" in result.output
    assert _state(lake) == before


def test_row_cap_cuts_and_says_so(lake_outside) -> None:
    lake, _ = lake_outside
    result = runner.invoke(app, ["sql", "SELECT * FROM range(10000000)", "--lake", str(lake),
                                 "--format", "json", "--max-rows", "1000"])
    assert result.exit_code == 0
    assert "note: result cut at 1000 rows (--max-rows)" in result.stderr
    assert len(json.loads(result.stdout)) == 1000
    whole = runner.invoke(app, ["sql", "SELECT * FROM range(1000)", "--lake", str(lake),
                                "--format", "json", "--max-rows", "1000"])
    assert whole.exit_code == 0 and "note:" not in whole.stderr and len(json.loads(whole.stdout)) == 1000


def _wait_until_catalog_open(proc: subprocess.Popen, catalog: Path, limit_s: float = 120) -> None:
    """Block until the process has the catalog open (it opens it just before the query)."""
    import psutil

    deadline = time.monotonic() + limit_s
    watched = psutil.Process(proc.pid)
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if any(f.path == str(catalog) for f in watched.open_files()):
                return
        except psutil.Error:
            pass
        time.sleep(0.1)
    raise AssertionError("the sql process never opened the catalog")


def test_ctrl_c_ends_the_query_with_one_line(lake_outside) -> None:
    lake, _ = lake_outside
    proc = _cli("sql", SLOW_QUERY, "--lake", str(lake))
    _wait_until_catalog_open(proc, catalog_path(lake))
    time.sleep(1.0)  # the query is running now
    assert proc.poll() is None
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert out == "" and err.strip() == "error: query interrupted (Ctrl-C); nothing was changed"


def test_catalog_held_by_another_process_is_a_clean_error(lake_outside) -> None:
    lake, _ = lake_outside
    # The catalog is SQLite (WAL mode): a client holding it exclusively shuts everyone else out.
    holder = subprocess.Popen([sys.executable, "-c", "import sqlite3, sys, time; "
                               f"c = sqlite3.connect({str(catalog_path(lake))!r}, isolation_level=None); "
                               "c.execute('PRAGMA locking_mode=EXCLUSIVE'); c.execute('BEGIN EXCLUSIVE'); "
                               "c.execute('CREATE TABLE held (x)'); print('ok', flush=True); "
                               "time.sleep(60)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ok"
        result = runner.invoke(app, ["sql", "SELECT count(*) FROM articles", "--lake", str(lake)])
        assert result.exit_code == 2
        assert "held by another process" in result.output and "Traceback" not in result.output
    finally:
        holder.kill()
        holder.wait()


def test_a_forged_view_is_not_served(lake_outside) -> None:
    """A client with write access plants its own `article_overview` in the catalog; newslens
    creates its views afresh in every session and serves its own."""
    from newslens.lake.connection import open_writer

    lake, _ = lake_outside
    con = open_writer(lake)
    con.execute("CREATE OR REPLACE VIEW lake.article_overview AS SELECT 'forged' AS article_id")
    con.close()
    df = run_query(lake, "SELECT article_id FROM article_overview ORDER BY 1")
    assert df["article_id"].tolist() == ["a1", "a2", "a3"]


def test_the_temp_folder_beside_the_lake_is_not_readable(lake_outside) -> None:
    """Sessions of `newslens sql` never spill (so create no temp folder anywhere), writers
    spill inside the lake, and a folder beside the lake (the old catalog's temp) is unreadable."""
    lake, _ = lake_outside
    beside = sorted(p.name for p in lake.parent.iterdir())
    assert runner.invoke(app, ["sql", "SELECT count(*) FROM articles", "--lake", str(lake)]).exit_code == 0
    assert sorted(p.name for p in lake.parent.iterdir()) == beside
    assert run_query(lake, "SELECT current_setting('max_temp_directory_size') AS m").m[0] in ("0 bytes", "0B")
    temp = lake.parent / f"{lake.name}.duckdb.tmp"
    temp.mkdir(exist_ok=True)
    (temp / "x.csv").write_text("a,b\n1,2\n")
    result = runner.invoke(app, ["sql", f"SELECT * FROM read_csv('{temp}/x.csv')", "--lake", str(lake)])
    assert result.exit_code == 2


def test_a_set_cancel_event_stops_the_query_before_and_while_it_runs() -> None:
    """The CLI's Ctrl-C handler only sets an event (a KeyboardInterrupt raised while DuckDB
    checks for signals can be lost inside it): set before the query, the query never starts;
    set while it runs, it is interrupted at the next poll."""
    import threading

    import duckdb

    from newslens.lake.sql_run import QueryInterruptedError, run_bounded

    con = duckdb.connect()
    cancel = threading.Event()
    cancel.set()
    started = time.monotonic()
    with pytest.raises(QueryInterruptedError):
        run_bounded(con, SLOW_QUERY, timeout=30, max_rows=None, cancel=cancel)
    later = threading.Event()
    threading.Timer(0.5, later.set).start()
    with pytest.raises(QueryInterruptedError):
        run_bounded(con, SLOW_QUERY, timeout=30, max_rows=None, cancel=later)
    assert time.monotonic() - started < 20  # neither ran to its 30 s limit
    assert run_bounded(con, "SELECT 42 AS x", timeout=30, max_rows=None,
                       cancel=threading.Event()).frame["x"].tolist() == [42]


def test_ctrl_c_during_set_up_still_ends_with_one_line(lake_outside) -> None:
    lake, _ = lake_outside
    proc = _cli("sql", SLOW_QUERY, "--lake", str(lake))
    _wait_until_catalog_open(proc, catalog_path(lake))
    proc.send_signal(signal.SIGINT)  # at once: the session is still being set up
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert out == "" and err.strip() == "error: query interrupted (Ctrl-C); nothing was changed"
