"""The run ledger: a `runs` row for every run, and runs killed outright marked `killed` later."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from newslens.config import Settings
from newslens.lake import read_table, write_table
from newslens.lake.connection import this_host
from newslens.lake.maintenance import stray_files
from newslens.pipeline.ledger import is_alive, process_started_at
from newslens.pipeline.runner import run_pipeline


def _running_row(run_id: str, host: str, pid: int, started: dt.datetime | None) -> pd.DataFrame:
    return pd.DataFrame([{"run_id": run_id, "status": "running", "host": host, "pid": pid,
                          "process_started_at": started, "run_month": "2025-01"}])


def test_liveness_uses_host_pid_and_start_time() -> None:
    me = os.getpid()
    assert is_alive(this_host(), me, process_started_at(me))
    assert not is_alive(this_host(), me, process_started_at(me) - dt.timedelta(hours=1))  # pid reused
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    assert not is_alive(this_host(), int(done.stdout), None)
    assert is_alive("some-other-host", 1, None)  # cannot tell: left alone


def test_a_run_starting_marks_dead_running_rows_killed(tmp_path: Path, repo_root: Path) -> None:
    lake = tmp_path / "lake"
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    me = os.getpid()
    write_table(lake, "runs", pd.concat([
        _running_row("dead", this_host(), int(gone.stdout), dt.datetime.now(dt.timezone.utc)),
        _running_row("alive", this_host(), me, process_started_at(me)),
        _running_row("elsewhere", "some-other-host", 1, None)]), run_id="setup")
    summary = run_pipeline(repo_root / "data" / "samples" / "01_it_mosca_pyongyang_manovre.txt",
                           Settings(lake=lake), stages=["ingest"])
    runs = read_table(lake, "runs").set_index("run_id")
    assert runs.loc["dead", "status"] == "killed" and "no longer running" in runs.loc["dead", "error"]
    assert runs.loc["alive", "status"] == "running" and runs.loc["elsewhere", "status"] == "running"
    assert runs.loc[summary.run_id, "status"] == "completed"
    assert runs.loc[summary.run_id, "snapshot_id"] >= 1 and runs.loc[summary.run_id, "pid"] == me


@pytest.mark.slow
def test_a_sigkilled_run_is_on_record_as_killed_and_leaves_no_stray_files(tmp_path: Path, repo_root: Path) -> None:
    lake = tmp_path / "lake"
    script = textwrap.dedent(f"""
        import time
        import newslens.pipeline.batches as batches
        from newslens.config import Settings
        from newslens.pipeline.runner import run_pipeline

        real = batches.Transaction.append
        def append_then_hang(self, table, data):
            result = real(self, table, data)   # data files written, transaction not committed
            print("mid-commit", flush=True)
            time.sleep(600)
            return result
        batches.Transaction.append = append_then_hang
        run_pipeline({str(repo_root / "data" / "samples")!r}, Settings(lake={str(lake)!r}), stages=["ingest"])
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(repo_root)})
    try:
        assert proc.stdout.readline().strip() == "mid-commit"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    killed = read_table(lake, "runs")
    assert killed["status"].tolist() == ["running"] and len(read_table(lake, "articles")) == 0
    time.sleep(0.1)
    again = run_pipeline(repo_root / "data" / "samples", Settings(lake=lake), stages=["ingest"])
    runs = read_table(lake, "runs").set_index("run_id")
    assert runs.loc[killed["run_id"][0], "status"] == "killed"
    assert runs.loc[again.run_id, "status"] == "completed" and again.n_new + again.n_near_duplicate == len(read_table(lake, "articles"))
    assert stray_files(lake) == []


def test_start_time_from_proc_agrees_with_ps():
    """/proc (Linux) and `ps -o lstart=` (the fallback) name the same start, to the second."""
    import shutil

    from newslens.pipeline.ledger import _ps_started_at

    if not Path("/proc/stat").is_file() or shutil.which("ps") is None:
        pytest.skip("needs /proc and ps")
    me = os.getpid()
    assert abs(process_started_at(me).timestamp() - _ps_started_at(me)) <= 1.0
    assert process_started_at(2**22 + 7) is None  # above Linux's pid_max: no such process
