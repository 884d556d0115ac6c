"""Fixtures of the lake robustness tests: one environment and one reference run per session.

The reference is an uninterrupted run of data/samples into an empty lake; every killed,
concurrent or staged run is compared with it.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pandas as pd
import pytest

from tests.lake.robust import lakecheck, probe
from tests.lake.robust.procs import (SAMPLES, Finished, direct_run_cmd, newslens_env, run,
                                     start)

CATALOG = "catalog.sqlite"


@dataclass
class Env:
    """Where the session's subprocesses run: their environment and a folder for logs and lakes."""

    vars: dict[str, str]
    home: Path
    models: Path
    _n: int = 0

    def log(self, name: str) -> Path:
        self._n += 1
        return self.home / "logs" / f"{self._n:03d}-{name}.log"


@dataclass
class Reference:
    lake: Path
    snap: dict[str, pd.DataFrame]
    summary: dict
    seconds: float


@pytest.fixture(scope="session")
def robust_env(tmp_path_factory, tiny_models_dir) -> Env:
    home = tmp_path_factory.mktemp("robust")
    (home / "logs").mkdir()
    return Env(newslens_env(tiny_models_dir, home), home, tiny_models_dir)


@contextmanager
def polling(env: Env, lake: Path | str, *, complete: bool = True) -> Iterator[list[dict]]:
    """A reader process polling `lake` (or the lake named in a pointer file) until the block
    ends; the list it yields is filled with its polls afterwards."""
    out = env.log("probe").with_suffix(".jsonl")
    stop = out.with_suffix(".stop")
    cmd = [*probe_cmd(), str(lake), str(out), str(stop), *(["--complete"] if complete else [])]
    proc = start(cmd, env.vars, out.with_suffix(".log"))
    polls: list[dict] = []
    try:
        yield polls
    finally:
        stop.touch()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        polls.extend(probe.read_polls(out))


def probe_cmd() -> list[str]:
    import sys
    return [sys.executable, "-m", "tests.lake.robust.probe"]


def run_samples(env: Env, lake: Path, *extra: str, name: str = "run", check: bool = True) -> Finished:
    return run(direct_run_cmd(str(SAMPLES), "--lake", str(lake), *extra), env.vars, env.log(name),
               check=check)


@pytest.fixture(scope="session")
def reference(robust_env) -> Reference:
    """One uninterrupted run of the samples (with a reader polling, as the trials have)."""
    lake = robust_env.home / "reference-lake"
    with polling(robust_env, lake) as polls:
        done = run_samples(robust_env, lake, name="reference")
    bad = probe.violations(polls)
    assert not bad, f"a reader saw an inconsistent lake during the reference run: {bad[:3]}"
    snap = lakecheck.snapshot(lake)
    assert len(snap["articles"]) == 20 and len(snap["sentiment"]) > 0 and len(snap["stance"]) > 0
    return Reference(lake, snap, done.json_tail(), done.seconds)


def clone_lake(src: Path, dst: Path) -> Path:
    """A copy of a lake that reads and writes only its own files.

    DuckLake stores file paths relative to the catalog's data path, which is absolute; the copy
    gets its own data path, and nothing of the source is referenced afterwards.
    """
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns(".commit.lock"))
    con = sqlite3.connect(dst / CATALOG)
    try:
        (old,), = con.execute("SELECT value FROM ducklake_metadata WHERE key = 'data_path'").fetchall()
        new = str(dst.resolve() / Path(old).relative_to(src.resolve())) + ("/" if old.endswith("/") else "")
        con.execute("UPDATE ducklake_metadata SET value = ? WHERE key = 'data_path'", (new,))
        con.commit()
    finally:
        con.close()
    root, refs = lakecheck.catalog_files(dst / CATALOG)
    assert root.is_relative_to(dst.resolve()) and all(p.is_relative_to(dst.resolve()) for p in refs)
    return dst
