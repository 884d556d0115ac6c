"""Fixtures of the scale tests: a small inbox, the local run to compare with, row snapshots."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from newslens.config import STAGES, Settings
from newslens.lake import read_table
from newslens.schema import TABLES

# Files of data/samples in the inbox: several languages, so each worker loads several models.
INBOX_FILES = 6
SHARD = 2
# Columns that differ between two runs of the same input (run ids and clocks).
VOLATILE = {"run_id", "ingested_at", "rejected_at", "recorded_at", "computed_at", "first_seen",
            "last_seen", "run_month"}
COMPARED = [t for t in TABLES if t not in ("runs", "input_files", "evaluations")]


@pytest.fixture(scope="session")
def scale_inbox(tmp_path_factory, repo_root: Path) -> Path:
    folder = tmp_path_factory.mktemp("scale-inbox")
    for src in sorted((repo_root / "data" / "samples").glob("*.txt"))[:INBOX_FILES]:
        shutil.copy(src, folder / src.name)
    return folder


def lake_rows(lake: Path, tables=COMPARED) -> dict[str, list[str]]:
    """Every compared table's rows, sorted, without the columns that differ between runs."""
    out = {}
    for table in tables:
        frame = read_table(lake, table)
        frame = frame.drop(columns=[c for c in frame.columns if c in VOLATILE])
        out[table] = sorted(map(repr, frame.astype(str).itertuples(index=False, name=None)))
    return out


@pytest.fixture(scope="session")
def local_run(tmp_path_factory, scale_inbox, tiny_models_dir):
    """The local runner's lake for the inbox: what every cluster run must equal."""
    from newslens.pipeline.runner import run_pipeline

    lake = tmp_path_factory.mktemp("local") / "lake"
    settings = Settings(lake=lake, models_dir=tiny_models_dir, torch_threads=1, batch_articles=SHARD)
    summary = run_pipeline(scale_inbox, settings, stages=list(STAGES))
    return lake, summary, lake_rows(lake)
