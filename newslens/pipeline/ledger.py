"""The run ledger: the `runs` row of every run, from `running` to completed, failed or killed.

A run writes its row as `running` (with host, pid and the process' start time) before it
commits any data, and rewrites it when it ends, with the snapshot holding its data. A run
killed outright cannot do the second write; the next run that starts finds a `running` row
whose process is gone from this host and marks it `killed`, and deletes any data files a
killed writer had written but never committed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import duckdb
import pandas as pd

from newslens import objectstore
from newslens.lake.commit import transaction
from newslens.lake.connection import this_host
from newslens.lake.read import select_table, to_pandas
from newslens.pipeline.context import RunContext
from newslens.pipeline.frames import columns_of
from newslens.schema import SCHEMA_VERSION

ALIVE_SLACK_SECONDS = 2.0


def _linux_started_at(pid: int) -> float | None:
    """Start time (epoch seconds) from /proc: boot time plus field 22 of /proc/<pid>/stat."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    # Fields after the command name, which is in parentheses and may hold spaces; the state is
    # field 3, so the start time (clock ticks after boot) is the 20th of these.
    ticks = int(stat[stat.rindex(")") + 1:].split()[19])
    return _boot_time() + ticks / os.sysconf("SC_CLK_TCK")


def _boot_time() -> float:
    for line in Path("/proc/stat").read_text().splitlines():
        if line.startswith("btime "):
            return float(line.split()[1])
    raise OSError("no btime line in /proc/stat")


def _ps_started_at(pid: int) -> float | None:
    """Start time from `ps -o lstart=` (macOS, BSD): local time to the second."""
    import subprocess

    out = subprocess.run(["ps", "-o", "lstart=", "-p", str(pid)], capture_output=True, text=True,
                         env={**os.environ, "LC_ALL": "C"})  # English day and month names
    text = " ".join(out.stdout.split())
    if out.returncode != 0 or not text:
        return None
    return dt.datetime.strptime(text, "%a %b %d %H:%M:%S %Y").timestamp()


def process_started_at(pid: int) -> dt.datetime | None:
    """When process `pid` of this host started (UTC); None when there is no such process."""
    started = _linux_started_at(pid) if Path("/proc/stat").is_file() else _ps_started_at(pid)
    return None if started is None else dt.datetime.fromtimestamp(started, dt.timezone.utc)


def is_alive(host: str | None, pid: int | None, started: dt.datetime | None) -> bool:
    """Whether the process that wrote a `running` row still runs (unknown hosts count as alive)."""
    if host != this_host() or pid is None or pd.isna(pid):
        return True
    now_started = process_started_at(int(pid))
    if now_started is None:
        return False
    if started is None or pd.isna(started):
        return True
    return abs((now_started - pd.Timestamp(started).to_pydatetime()).total_seconds()) <= ALIVE_SLACK_SECONDS


def _input(given: str | None) -> str | None:
    """The run's input as given: an `s3://` URL stays one (a Path on the way folds its //)."""
    return objectstore.as_url(given) if given and objectstore.is_remote(given) else given


def run_row(ctx: RunContext, status: str, finished: dt.datetime | None) -> dict:
    s = ctx.summary
    return {
        "run_id": ctx.run_id, "flow_run_id": ctx.flow_run_id, "started_at": ctx.started,
        "finished_at": finished, "status": status, "input": _input(ctx.input), "stages": list(ctx.stages),
        "n_inputs": s.n_inputs, "n_new": s.n_new, "n_duplicate": s.n_duplicate,
        "n_rejected": s.n_rejected, "n_sentences": s.n_sentences,
        "counts_by_lang": json.dumps(s.counts_by_lang), "stage_seconds": json.dumps(s.stage_seconds),
        "models": json.dumps(s.models), "config": ctx.settings.model_dump_json(), "error": s.error,
        "schema_version": SCHEMA_VERSION, "kind": ctx.kind, "snapshot_id": s.snapshot_id,
        "host": this_host(), "pid": os.getpid(), "process_started_at": process_started_at(os.getpid()),
        "stage_counts": json.dumps(s.stage_counts), "n_reprocessed": s.n_reprocessed,
        "run_month": ctx.started.strftime("%Y-%m"),
    }


def mark_killed(lake: Path, con: duckdb.DuckDBPyConnection | None = None) -> list[str]:
    """Mark `running` rows whose process is gone as `killed`; drop their uncommitted files."""
    with transaction(lake, con=con, message="mark killed runs") as tx:
        rows = to_pandas(select_table(tx.con, "runs", where="status = 'running'"))
        alive = [is_alive(h, p, t) for h, p, t in zip(rows["host"], rows["pid"], rows["process_started_at"])]
        dead = rows.loc[~pd.Series(alive, index=rows.index, dtype=bool)]
        if len(dead):
            dead = dead.assign(status="killed",
                               error=[f"killed: process {p} on {h} is no longer running"
                                      for p, h in zip(dead["pid"], dead["host"])])
            tx.upsert("runs", dead)
    return dead["run_id"].tolist()


def start_run(ctx: RunContext) -> None:
    """Record the run as `running`, after settling what killed runs left: their `running` rows
    become `killed`, and data files no commit recorded are deleted (safe under the commit lock:
    every writer holds it while its files are uncommitted)."""
    from newslens.lake.maintenance import delete_orphaned_files

    killed = mark_killed(ctx.lake, ctx.writer())
    if killed:
        ctx.log.warning("runs killed before they finished: %s", ", ".join(killed))
    delete_orphaned_files(ctx.lake, con=ctx.writer())
    with ctx.commit("run started") as tx:
        tx.upsert("runs", pd.DataFrame([run_row(ctx, "running", None)], columns=columns_of("runs")))


def finish_run(ctx: RunContext, status: str) -> None:
    """Rewrite the run's row with its outcome; the snapshot recorded is its last data commit."""
    ctx.summary.status = status
    row = run_row(ctx, status, dt.datetime.now(dt.timezone.utc))
    with transaction(ctx.lake, con=ctx.writer(), message=f"{ctx.run_id}: run {status}") as tx:
        tx.upsert("runs", pd.DataFrame([row], columns=columns_of("runs")))
