"""Runs bring every article up to date: missing stages filled, stale ones redone, nothing else."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from newslens.config import MODEL_STAGES, STAGES, Settings
from newslens.lake import read_table, run_query, table_row_counts
from newslens.pipeline.runner import run_pipeline, update_lake

ARTICLE_TABLES = ("articles", "sentences", "sentiment", "stance_mentions", "stance")


@pytest.fixture
def inbox(tmp_path: Path, repo_root: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for src in sorted((repo_root / "data" / "samples").glob("*.txt"))[:3]:
        shutil.copy(src, folder / src.name)
    return folder


def _settings(tmp_path: Path, models: Path, **extra) -> Settings:
    return Settings(lake=tmp_path / "lake", models_dir=models, **extra)


def _rows(lake: Path) -> dict[str, list[tuple]]:
    """Every article table's rows, sorted, without run ids and ingest times (which differ between runs)."""
    out = {}
    for table in ARTICLE_TABLES:
        frame = read_table(lake, table).drop(columns=["run_id", "ingested_at"], errors="ignore")
        out[table] = sorted(map(repr, frame.astype(str).itertuples(index=False, name=None)))
    return out


def test_ingest_only_then_full_run_fills_every_missing_stage(tmp_path, inbox, tiny_models_dir):
    settings = _settings(tmp_path, tiny_models_dir)
    first = run_pipeline(inbox, settings, stages=["ingest"])
    assert first.stage_counts == {} and table_row_counts(settings.lake)["sentiment"] == 0
    second = run_pipeline(inbox, settings, stages=list(STAGES))
    n = table_row_counts(settings.lake)["articles"]
    for stage in MODEL_STAGES:
        c = second.stage_counts[stage]
        assert (c["missing"], c["computed"], c["up_to_date"], c["failed"]) == (n, n, 0, 0), stage
    assert second.reconciles()
    sentences = read_table(settings.lake, "sentences")
    assert sentences["text_en"].notna().all()
    assert (read_table(settings.lake, "sentiment")["level"] == "sentence").sum() == len(sentences)
    assert len(read_table(settings.lake, "stance")) > 0
    # The same as a lake filled by one full run from the start.
    fresh = _settings(tmp_path / "fresh", tiny_models_dir)
    run_pipeline(inbox, fresh, stages=list(STAGES))
    assert _rows(settings.lake) == _rows(fresh.lake)
    third = run_pipeline(inbox, settings, stages=list(STAGES))
    assert all(c["up_to_date"] == n and c["computed"] == 0 for c in third.stage_counts.values())
    assert third.rows_written.get("sentiment", 0) == 0


def test_a_new_sentiment_model_makes_exactly_sentiment_stale(tmp_path, inbox, tiny_models_dir, monkeypatch):
    from newslens.models.tiny_encoders import build_tiny_xlmr_sentiment

    settings = _settings(tmp_path, tiny_models_dir)
    run_pipeline(inbox, settings, stages=list(STAGES))
    lake = settings.lake
    before_snapshot = int(run_query(lake, "SELECT max(snapshot_id) AS s FROM lake.snapshots()").s[0])
    before = _rows(lake)
    other = tmp_path / "other-sentiment"
    build_tiny_xlmr_sentiment(other, model_id="tiny/other-sentiment", seed=7)
    changed = _settings(tmp_path, tiny_models_dir, sentiment_model=str(other))
    summary = run_pipeline(inbox, changed, stages=list(STAGES))
    n = table_row_counts(lake)["articles"]
    assert summary.stage_counts["sentiment"]["stale"] == n
    assert summary.stage_counts["translate"]["up_to_date"] == n
    assert summary.stage_counts["stance"]["up_to_date"] == n
    after = _rows(lake)
    assert after["sentiment"] != before["sentiment"]
    assert {t: after[t] for t in after if t != "sentiment"} == {t: before[t] for t in before if t != "sentiment"}
    sentiment = read_table(lake, "sentiment")
    assert set(sentiment["model"]) == {str(other)} or set(sentiment["model"]) == {"tiny/other-sentiment"}
    assert not sentiment.duplicated(["article_id", "level", "sent_idx"]).any()
    old = run_query(lake, "SELECT DISTINCT model FROM sentiment", at=before_snapshot)
    assert str(other) not in old.model.tolist()  # the old rows stay reachable with --at
    # update (no input files) with the old model again: sentiment stale again, nothing else.
    redo = update_lake(settings, stages=list(MODEL_STAGES))
    assert redo.kind == "update" and redo.stage_counts["sentiment"]["stale"] == n
    assert redo.stage_counts["translate"]["computed"] == 0
    assert _rows(lake)["sentiment"] == before["sentiment"]


def test_update_slices_by_month_and_limit(tmp_path, inbox, tiny_models_dir):
    settings = _settings(tmp_path, tiny_models_dir)
    run_pipeline(inbox, settings, stages=["ingest"])
    months = read_table(settings.lake, "articles")["published_month"]
    latest = max(m for m in months if m != "unknown")
    sliced = update_lake(settings, stages=["sentiment"], since=latest)
    want = int(((months >= latest) & (months != "unknown")).sum())
    assert sliced.stage_counts["sentiment"]["missing"] == want
    limited = update_lake(settings, stages=["sentiment"], limit=1)
    assert limited.stage_counts["sentiment"]["computed"] == 1
    runs = read_table(settings.lake, "runs")
    assert sorted(runs["kind"]) == ["run", "update", "update"] and set(runs["status"]) == {"completed"}
