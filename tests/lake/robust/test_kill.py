"""SIGKILL at random moments: after each kill and a re-run, the lake equals an uninterrupted run's.

Three harnesses, each `--trials N` kills (default 10, seeded, one moment drawn in each N-th
of the uninterrupted duration): a run of data/samples into an empty lake, a `--reprocess` of
every model stage over a full lake, and `newslens lake compact` over a lake with 60 days of history.
After each kill the same command runs again to its end; then every table must equal the
reference run's (same keys, no duplicates, nothing missing, same content), the lake folder
must hold nothing the catalog does not reference, every referenced file must exist, and a
killed run must be in `runs` as `killed`. A reader polls the lake throughout and must never
see a batch in part (tests/lake/robust/probe.py lists what it checks).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from newslens.lake import read_table
from tests.lake.robust import lakecheck, probe
from tests.lake.robust.conftest import clone_lake, polling, run_samples
from tests.lake.robust.procs import (SAMPLES, direct_run_cmd, kill_moments, newslens_cmd, run,
                                     run_and_kill)

pytestmark = pytest.mark.slow

# Translation and sentiment: every replaceable table is rewritten (articles, sentences,
# sentiment, article_stages) without the cost of the stance stage.
REPROCESS_STAGES = "translate,sentiment"
# Errors a reader may get before the first commit creates the lake; anything else fails.
TOLERATED_READ_ERRORS = ("LakeNotFoundError", "no lake at ")


def _run_statuses(lake: Path) -> dict[str, str]:
    if not (lake / "catalog.sqlite").exists():
        return {}
    runs = read_table(lake, "runs", columns=["run_id", "status"])
    return dict(zip(runs["run_id"], runs["status"]))


def _lake_checks(lake: Path, want: dict[str, pd.DataFrame]) -> list[str]:
    """Everything a lake must satisfy after a completed re-run; empty when it does."""
    from newslens.lake.maintenance import stray_files

    problems = lakecheck.differences(lakecheck.snapshot(lake), want)
    problems += lakecheck.stray_files(lake)
    problems += [f"newslens reports a stray file: {p}" for p in stray_files(lake)]
    problems += [f"catalog references a missing file: {p}" for p in lakecheck.referenced_files_missing(lake)]
    return problems


def _untraced_rows(lake: Path, runs: dict[str, str]) -> list[str]:
    """Rows (right after a kill) whose run has no `runs` row: a run records itself before it
    commits anything."""
    if not runs and not (lake / "catalog.sqlite").exists():
        return []
    problems = []
    for table in ("articles", "sentences", "sentiment", "stance_mentions", "stance"):
        ids = set(read_table(lake, table, columns=["run_id"])["run_id"].dropna())
        if ids - set(runs):
            problems.append(f"{table} holds rows of run(s) missing from runs: {sorted(ids - set(runs))}")
    return problems


def _ledger_checks(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """The killed run is recorded as killed, and nothing is left `running`."""
    problems = []
    was_running = [r for r, s in before.items() if s == "running"]
    for run_id in was_running:
        if after.get(run_id) != "killed":
            problems.append(f"killed run {run_id} has status {after.get(run_id)!r}, not 'killed'")
    still = [r for r, s in after.items() if s not in ("completed", "killed")]
    if still:
        problems.append(f"runs not completed or killed after the re-run: {still}")
    return problems


def _reader_problems(polls: list[dict], min_polls: int) -> list[str]:
    problems = [f"reader saw a partial batch: {p}" for p in probe.violations(polls)[:5]]
    errors = [p["error"] for p in polls if "error" in p
              and not any(e in p["error"] for e in TOLERATED_READ_ERRORS)]
    problems += [f"reader error: {e}" for e in errors[:5]]
    seen = sum(1 for p in polls if "seen" in p)
    if seen < min_polls:
        problems.append(f"the reader saw the lake only {seen} times (expected at least {min_polls})")
    return problems


def _kill_trials(env, tmp_path: Path, moments: list[float], cmd_for, prepare, want,
                 *, complete: bool = True) -> tuple[list[str], int, list[dict]]:
    """For each moment: prepare a lake, start the command, kill it then, re-run it to its end,
    check the lake. Returns the problems, the number of kills that hit a live process and the
    reader's polls."""
    pointer = tmp_path / "lake-pointer"
    problems: list[str] = []
    landed = 0
    with polling(env, f"@{pointer}", complete=complete) as polls:
        for i, at in enumerate(moments):
            lake = prepare(tmp_path / f"lake-{i:03d}")
            pointer.write_text(str(lake))
            killed = run_and_kill(cmd_for(lake), env.vars, env.log(f"killed-{i}"), at)
            landed += killed.killed
            before = _run_statuses(lake)
            untraced = _untraced_rows(lake, before)
            run(cmd_for(lake), env.vars, env.log(f"rerun-{i}"))
            found = untraced + _lake_checks(lake, want) + _ledger_checks(before, _run_statuses(lake))
            problems += [f"kill {i} at {at:.2f} s ({'mid-run' if killed.killed else 'after the end'}): {p}"
                         for p in found]
        pointer.write_text("")
    return problems, landed, polls


def test_kill_during_run(robust_env, reference, kill_trials, tmp_path):
    """Kills while `newslens run` fills an empty lake."""
    moments = kill_moments(reference.seconds, kill_trials, seed=9001)

    def cmd(lake: Path) -> list[str]:
        return direct_run_cmd(str(SAMPLES), "--lake", str(lake))

    def prepare(lake: Path) -> Path:
        return lake

    problems, landed, polls = _kill_trials(robust_env, tmp_path, moments, cmd, prepare,
                                           reference.snap)
    problems += _reader_problems(polls, min_polls=kill_trials)
    assert landed >= len(moments) // 2, f"only {landed} of {len(moments)} kills hit a live run"
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def reprocessed(robust_env, reference, tmp_path_factory):
    """An uninterrupted `--reprocess` of every model stage over a copy of the reference lake:
    its duration, and the lake it leaves (which must still equal the reference)."""
    lake = clone_lake(reference.lake, tmp_path_factory.mktemp("reprocessed") / "lake")
    done = run_samples(robust_env, lake, "--reprocess", REPROCESS_STAGES, name="reprocess-ref")
    problems = _lake_checks(lake, reference.snap)
    assert not problems, "\n".join(problems)
    summary = done.json_tail()
    assert summary["n_reprocessed"] == 20, summary
    return lake, done.seconds


def test_kill_during_reprocess(robust_env, reference, reprocessed, kill_trials, tmp_path):
    """Kills while `--reprocess` replaces every article's model rows."""
    _, seconds = reprocessed
    moments = kill_moments(seconds, kill_trials, seed=9002)

    def cmd(lake: Path) -> list[str]:
        return direct_run_cmd(str(SAMPLES), "--lake", str(lake), "--reprocess", REPROCESS_STAGES)

    def prepare(lake: Path) -> Path:
        return clone_lake(reference.lake, lake)

    problems, landed, polls = _kill_trials(robust_env, tmp_path, moments, cmd, prepare,
                                           reference.snap)
    problems += _reader_problems(polls, min_polls=kill_trials)
    assert landed >= len(moments) // 2, f"only {landed} of {len(moments)} kills hit a live run"
    assert not problems, "\n".join(problems)


def _age_history(lake: Path, days: int) -> None:
    """Date every snapshot but the latest `days` back, as in a lake with months of history."""
    import sqlite3

    con = sqlite3.connect(lake / "catalog.sqlite")
    try:
        when = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days)).strftime("%Y-%m-%d %H:%M:%S.%f+00")
        con.execute("UPDATE ducklake_snapshot SET snapshot_time = ? WHERE snapshot_id < "
                    "(SELECT max(snapshot_id) FROM ducklake_snapshot)", (when,))
        con.commit()
    finally:
        con.close()


def test_kill_during_compact(robust_env, reference, reprocessed, kill_trials, tmp_path):
    """Kills while `newslens lake compact` (default retention) merges files, expires the
    snapshots older than the retention and deletes their files. The lake's history is dated
    60 days back except its latest snapshot, which readers are reading, as after a nightly run."""
    base = clone_lake(reprocessed[0], tmp_path / "aged")
    _age_history(base, days=60)
    cli = lambda lake: newslens_cmd("lake", "compact", "--lake", str(lake))
    startup = run(newslens_cmd("lake", "compact", "--lake", str(tmp_path / "absent")),
                  robust_env.vars, robust_env.log("compact-startup"), check=False)
    assert startup.returncode != 0 and not (tmp_path / "absent").exists()
    first = clone_lake(base, tmp_path / "compact-ref")
    files_before = len(lakecheck.catalog_files(first / "catalog.sqlite")[1])
    done = run(cli(first), robust_env.vars, robust_env.log("compact-ref"))
    assert not _lake_checks(first, reference.snap)
    files_after = len(lakecheck.catalog_files(first / "catalog.sqlite")[1])
    assert files_after < files_before, (files_before, files_after, done.output[-2000:])
    # Moments after the interpreter start-up, where compaction does its work.
    span = max(done.seconds - startup.seconds, 0.2)
    moments = [startup.seconds * 0.8 + m for m in kill_moments(span, kill_trials, seed=9003)]
    counts = lakecheck.row_counts(reference.snap)

    problems, landed, polls = _kill_trials(robust_env, tmp_path, moments, cli,
                                           lambda lake: clone_lake(base, lake), reference.snap)
    problems += _reader_problems(polls, min_polls=kill_trials)
    for p in polls:  # compaction never changes what a reader sees
        if "seen" in p:
            seen = {t: p["seen"][f"rows_{t}"] for t in counts}
            if seen != counts:
                problems.append(f"reader saw {seen} during compaction, not {counts}")
                break
    assert landed >= len(moments) // 2, f"only {landed} of {len(moments)} kills hit a live compaction"
    assert not problems, "\n".join(problems)


def test_a_read_spanning_a_compaction_is_redone(reprocessed, reference, tmp_path):
    """The reader's side of the compaction race, made deterministic: a read session counts one
    table, a compaction commits, then it counts every table. On this lake DuckLake 1.5.5 lets
    such a session miss rows without an error; `read_consistently` notices the compaction's
    snapshot and redoes the read, so what it returns is the whole lake."""
    from newslens.lake.connection import open_writer
    from newslens.lake.consistency import read_consistently
    from newslens.lake.tables import qualified

    lake = clone_lake(reprocessed[0], tmp_path / "lake")
    counts = lakecheck.row_counts(reference.snap)
    calls = []

    def count_around_a_compaction(con):
        con.execute("BEGIN")
        con.execute(f"SELECT count(*) FROM {qualified('articles')}").fetchall()
        if not calls:  # the first attempt only: the compaction commits mid-read
            writer = open_writer(lake)
            try:
                merged = writer.execute("SELECT * FROM ducklake_merge_adjacent_files('lake')").fetchall()
            finally:
                writer.close()
            assert merged, "nothing to merge: the lake must hold several files per table"
        seen = {t: con.execute(f"SELECT count(*) FROM {qualified(t)}").fetchone()[0] for t in counts}
        con.execute("COMMIT")
        calls.append(seen)
        return seen

    assert read_consistently(lake, count_around_a_compaction, views=False) == counts
    assert len(calls) == 2, calls
