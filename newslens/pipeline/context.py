"""The run context: everything one run (or update) knows and accumulates, in one object.

Stages, commits and the ledger all take the context instead of long parameter lists, and the
summary's tallies change only through its methods, so they always reconcile.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from newslens.config import Settings
from newslens.lake.commit import Transaction, transaction
from newslens.lake.connection import open_writer
from newslens.pipeline.model_steps import ModelPlan
from newslens.progress import RunObserver, current_observer

StageCall = Callable[..., Any]
Progress = Callable[[int, int], None]
STAGE_COUNT_KEYS = ("new", "missing", "stale", "reprocessed", "computed", "up_to_date", "failed")


def direct_call(name: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return fn(*args, **kwargs)


def new_run_id(now: dt.datetime) -> str:
    """Sortable and unique: UTC time plus a random suffix."""
    return f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


@dataclass
class RunSummary:
    run_id: str
    status: str
    n_inputs: int = 0
    n_new: int = 0
    n_duplicate: int = 0
    n_near_duplicate: int = 0
    n_rejected: int = 0
    n_sentences: int = 0
    n_reprocessed: int = 0
    n_mt_flagged: int = 0  # sentences whose translation the guard still flagged after a retry
    counts_by_lang: dict[str, int] = field(default_factory=dict)
    und_reasons: dict[str, int] = field(default_factory=dict)  # why new articles are 'und'
    stage_seconds: dict[str, float] = field(default_factory=dict)
    models: dict[str, list[str]] = field(default_factory=dict)
    rows_written: dict[str, int] = field(default_factory=dict)
    error: str | None = None
    kind: str = "run"
    snapshot_id: int | None = None
    # stage -> {new, missing, stale, reprocessed, computed, up_to_date, failed}
    stage_counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def reconciles(self) -> bool:
        inputs_ok = self.n_inputs == self.n_new + self.n_duplicate + self.n_rejected
        stages_ok = all(c["computed"] == c["new"] + c["missing"] + c["stale"] + c["reprocessed"]
                        for c in self.stage_counts.values())
        return inputs_ok and stages_ok

    def add_rows(self, written: dict[str, int]) -> None:
        for table, n in written.items():
            self.rows_written[table] = self.rows_written.get(table, 0) + n

    def article_failed(self, was_near_duplicate: bool) -> None:
        """A new (or near-duplicate) article a model stage could not process ends rejected."""
        if was_near_duplicate:
            self.n_duplicate -= 1
            self.n_near_duplicate -= 1
        else:
            self.n_new -= 1
        self.n_rejected += 1

    def became_duplicate(self, was_near_duplicate: bool, now_near: bool) -> None:
        """The commit found another run had stored this article (or its original) meanwhile."""
        if not was_near_duplicate:
            self.n_new -= 1
            self.n_duplicate += 1
            self.n_near_duplicate += int(now_near)
        elif not now_near:
            self.n_near_duplicate -= 1


@dataclass
class RunContext:
    """One run: its settings, identity, hooks, models, accumulated summary and lake session."""

    settings: Settings
    stages: list[str]
    reprocess: list[str] = field(default_factory=list)
    kind: str = "run"
    input: str | None = None
    call: StageCall = direct_call
    log: logging.Logger = field(default_factory=lambda: logging.getLogger("newslens"))
    progress: Progress | None = None
    # hears the stages advance (the CLI's display); does nothing unless a command installed one
    observer: RunObserver = field(default_factory=current_observer)
    flow_run_id: str | None = None
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    plan: ModelPlan = field(default_factory=lambda: ModelPlan(translation={}, sentiment=None, stance=None))
    failed_ids: set[str] = field(default_factory=set)
    # boilerplate_lines rows ingest learned, per new article; each is committed with the batch
    # that stores its article as new, so a duplicate decided at commit time teaches nothing
    learned_lines: pd.DataFrame | None = None
    run_id: str = ""
    summary: RunSummary = field(init=False)
    _writer: duckdb.DuckDBPyConnection | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.run_id = self.run_id or new_run_id(self.started)
        self.summary = RunSummary(run_id=self.run_id, status="running", kind=self.kind)

    @property
    def lake(self) -> Path:
        return Path(self.settings.lake)

    def add_time(self, stage: str, seconds: float) -> None:
        timings = self.summary.stage_seconds
        timings[stage] = round(timings.get(stage, 0.0) + seconds, 3)

    def stage(self, name: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run one stage through the hook, timing it and tagging a failure with its name."""
        t0 = time.perf_counter()
        try:
            return self.call(name, fn, *args, **kwargs)
        except Exception as exc:
            if not hasattr(exc, "newslens_stage"):
                exc.newslens_stage = name  # type: ignore[attr-defined]
            raise
        finally:
            self.add_time(name, time.perf_counter() - t0)

    def writer(self) -> duckdb.DuckDBPyConnection:
        """The run's read-write lake session, opened on first use."""
        if self._writer is None:
            self._writer = open_writer(self.lake)
        return self._writer

    @contextmanager
    def commit(self, message: str) -> Iterator[Transaction]:
        """One transaction on the run's session; the run's snapshot moves to its commit."""
        with transaction(self.lake, con=self.writer(), message=f"{self.run_id}: {message}") as tx:
            yield tx
        self.summary.snapshot_id = tx.snapshot_id
        self.summary.add_rows({t: r.rows_written for t, r in tx.results.items()})

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None
