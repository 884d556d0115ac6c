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
    assert list(first.stage_counts) == ["clean"] and table_row_counts(settings.lake)["sentiment"] == 0
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


def test_a_cleaning_rule_change_recleans_stored_articles_and_the_models_follow(
        tmp_path, inbox, tiny_models_dir, monkeypatch):
    """Cleaning is a versioned stage: after a rule change, a run over the same files re-cleans
    the stored articles from raw_text (same ids), every model stage reading them is redone,
    and the lake equals one filled under the new rules from the start."""
    import newslens.ingest.reclean as reclean
    import newslens.ingest.rules as rules
    import newslens.pipeline.frames as frames
    from newslens.text.sentences import split_sentences

    settings = _settings(tmp_path, tiny_models_dir)
    run_pipeline(inbox, settings, stages=list(STAGES))
    before = read_table(settings.lake, "articles")
    sentences_before = len(read_table(settings.lake, "sentences"))

    def in_pairs(body, lang):  # the new rule: two sentences of the old rule make one
        spans = split_sentences(body, lang)
        return [(spans[i][0], spans[min(i + 1, len(spans) - 1)][1]) for i in range(0, len(spans), 2)]

    monkeypatch.setattr(reclean, "split_sentences", in_pairs)
    monkeypatch.setattr(frames, "split_sentences", in_pairs)
    monkeypatch.setattr(rules, "CLEANING_RULES_VERSION", "clean-test+split-pairs")

    again = run_pipeline(inbox, settings, stages=list(STAGES))
    n = len(before)
    assert again.n_new == 0
    for stage in ("clean", *MODEL_STAGES):
        c = again.stage_counts[stage]
        assert (c["stale"], c["computed"], c["failed"]) == (n, n, 0), (stage, c)
    assert again.reconciles()
    after = read_table(settings.lake, "articles")
    assert sorted(after["article_id"]) == sorted(before["article_id"])
    assert set(after["cleaning_version"]) == {"clean-test+split-pairs"}
    sentences = read_table(settings.lake, "sentences")
    assert len(sentences) < sentences_before and sentences["text_en"].notna().all()

    fresh = _settings(tmp_path / "fresh", tiny_models_dir)
    run_pipeline(inbox, fresh, stages=list(STAGES))
    assert _rows(settings.lake) == _rows(fresh.lake)
    third = run_pipeline(inbox, settings, stages=list(STAGES))
    assert all(c["up_to_date"] == n and c["computed"] == 0 for c in third.stage_counts.values())


def test_reprocess_clean_redoes_the_stages_that_read_the_text(tmp_path, inbox, tiny_models_dir):
    """`--reprocess clean` re-cleans without a rule change. The model stages of this run are
    redone for those articles; those it leaves out lose their records, so a later run fills
    them instead of trusting rows of the text before."""
    settings = _settings(tmp_path, tiny_models_dir)
    run_pipeline(inbox, settings, stages=list(STAGES))
    n = table_row_counts(settings.lake)["articles"]
    redo = run_pipeline(inbox, settings, stages=list(STAGES), reprocess=["clean"])
    assert redo.reconciles()
    for stage in ("clean", *MODEL_STAGES):
        assert redo.stage_counts[stage]["reprocessed"] == n, stage
    assert read_table(settings.lake, "sentences")["text_en"].notna().all()

    only = run_pipeline(inbox, settings, stages=["ingest"], reprocess=["clean"])
    assert list(only.stage_counts) == ["clean"] and only.stage_counts["clean"]["reprocessed"] == n
    records = read_table(settings.lake, "article_stages")
    assert set(records["stage"]) == {"clean"} and len(records) == n
    assert read_table(settings.lake, "sentences")["text_en"].isna().all()
    # and no model rows of the text before are left to be read as current
    counts = table_row_counts(settings.lake)
    assert (counts["sentiment"], counts["stance_mentions"], counts["stance"]) == (0, 0, 0)
    refill = run_pipeline(inbox, settings, stages=list(STAGES))
    for stage in MODEL_STAGES:
        c = refill.stage_counts[stage]
        assert (c["missing"], c["computed"]) == (n, n), (stage, c)
    assert read_table(settings.lake, "sentences")["text_en"].notna().all()
