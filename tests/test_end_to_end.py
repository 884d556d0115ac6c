"""The whole pipeline through the CLI and the Prefect flow, on data/samples with tiny models."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newslens.cli import app
from newslens.lake import read_table, table_row_counts
from newslens.lake.sql import run_query

pytestmark = pytest.mark.usefixtures("prefect_harness")
runner = CliRunner()

DATA_TABLES = ("articles", "sentences", "sentiment", "stance_mentions", "stance")


def _lake_files(lake: Path) -> list[str]:
    return sorted(str(p.relative_to(lake)) for p in lake.rglob("*.parquet"))


@pytest.fixture(scope="module")
def full_run(tmp_path_factory, tiny_models_dir, repo_root):
    """Two runs of the samples into one lake; returns the lake and both CLI results."""
    lake = tmp_path_factory.mktemp("e2e") / "lake"
    samples = repo_root / "data" / "samples"
    args = ["run", str(samples), "--lake", str(lake), "--models", str(tiny_models_dir)]
    first = runner.invoke(app, args)
    counts_first = table_row_counts(lake)
    second = runner.invoke(app, args)
    return lake, first, counts_first, second


def test_first_run_fills_every_table(full_run):
    lake, first, counts, _ = full_run
    assert first.exit_code == 0, first.output
    for table in (*DATA_TABLES, "runs"):
        assert counts[table] > 0, f"{table} is empty"
    runs = read_table(lake, "runs")
    run = runs.iloc[0]
    assert run["status"] == "completed"
    assert run["n_inputs"] == run["n_new"] + run["n_duplicate"] + run["n_rejected"]
    assert run["n_duplicate"] >= 2  # the samples hold one exact and one near duplicate
    articles = read_table(lake, "articles")
    assert articles["duplicate_of"].notna().sum() == 1  # the near duplicate is kept, marked
    assert {"it", "en", "fr", "de", "ru", "uk"} <= set(articles["lang"])


def test_translations_align_and_carry_lineage(full_run):
    lake = full_run[0]
    sentences = read_table(lake, "sentences")
    foreign = sentences[sentences["lang"] != "en"]
    english = sentences[sentences["lang"] == "en"]
    assert foreign["text_en"].notna().all() and (foreign["text_en"].str.len() > 0).all()
    assert foreign["translation_model"].notna().all()
    assert (english["text_en"] == english["text"]).all()
    assert english["translation_model"].isna().all()
    # one English sentence per original sentence, same index
    per_article = sentences.groupby("article_id")["sent_idx"].agg(["min", "max", "count"])
    assert (per_article["min"] == 0).all()
    assert (per_article["max"] + 1 == per_article["count"]).all()
    articles = read_table(lake, "articles")
    assert articles.loc[articles["lang"] != "en", "title_en"].notna().all()
    for table in ("sentiment", "stance_mentions", "stance"):
        frame = read_table(lake, table)
        assert frame["model"].notna().all(), table
        assert frame["model_revision"].notna().all(), table


def test_sentiment_and_stance_shapes(full_run):
    lake = full_run[0]
    sentences = read_table(lake, "sentences")
    sentiment = read_table(lake, "sentiment")
    sent_level = sentiment[sentiment["level"] == "sentence"]
    assert len(sent_level) == len(sentences)
    assert sentiment["score"].between(-1, 1).all()
    assert set(sentiment[sentiment["level"] == "article"]["article_id"]) == set(
        read_table(lake, "articles")["article_id"])
    mentions = read_table(lake, "stance_mentions")
    stance = read_table(lake, "stance")
    # every article-level stance row is backed by mentions of that target, and vice versa
    pairs_m = set(zip(mentions["article_id"], mentions["target_id"]))
    pairs_s = set(zip(stance["article_id"], stance["target_id"]))
    assert pairs_m == pairs_s
    assert {"russia", "ukraine"} <= set(stance["target_id"])
    assert stance["evidence_sent_idx"].map(lambda xs: 1 <= len(xs) <= 3).all()


def test_second_run_adds_nothing(full_run):
    lake, _, counts_first, second = full_run
    assert second.exit_code == 0, second.output
    counts = table_row_counts(lake)
    for table in (*DATA_TABLES, "rejects"):
        assert counts[table] == counts_first[table], table
    assert counts["runs"] == counts_first["runs"] + 1
    last = read_table(lake, "runs").sort_values("started_at").iloc[-1]
    assert last["n_new"] == 0 and last["n_inputs"] == last["n_duplicate"] + last["n_rejected"]


def test_sql_works_and_refuses_writes(full_run):
    lake = full_run[0]
    ok = runner.invoke(app, ["sql", "SELECT count(*) AS n FROM article_overview", "--lake", str(lake),
                             "--format", "csv"])
    assert ok.exit_code == 0, ok.output
    assert int(ok.output.strip().splitlines()[-1]) == table_row_counts(lake)["articles"]
    before = _lake_files(lake)
    refused = runner.invoke(app, ["sql", "DELETE FROM articles", "--lake", str(lake)])
    assert refused.exit_code != 0
    assert "read-only" in refused.output
    assert _lake_files(lake) == before
    assert len(run_query(lake, "SELECT * FROM articles")) == table_row_counts(lake)["articles"]


def test_missing_models_stop_before_writing(tmp_path, repo_root, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.delenv("NEWSLENS_MODELS_DIR", raising=False)
    lake = tmp_path / "lake"
    empty_models = tmp_path / "no-models"
    empty_models.mkdir()
    result = runner.invoke(app, ["run", str(repo_root / "data" / "samples"), "--lake", str(lake),
                                 "--models", str(empty_models)])
    assert result.exit_code == 2, result.output
    assert "Helsinki-NLP/opus-mt-" in result.output
    assert "newslens models pull" in result.output
    counts = table_row_counts(lake)
    assert all(counts[t] == 0 for t in counts if t != "runs")  # no article data at all
    [run] = read_table(lake, "runs").to_dict("records")  # but the failed run is on record
    assert run["status"] == "failed" and "ModelsMissingError" in run["error"]


def test_ingest_only_needs_no_models(tmp_path, repo_root, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    lake = tmp_path / "lake"
    result = runner.invoke(app, ["run", str(repo_root / "data" / "samples"), "--lake", str(lake),
                                 "--stages", "ingest", "--summary"])
    assert result.exit_code == 0, result.output
    counts = table_row_counts(lake)
    assert counts["articles"] > 0 and counts["sentences"] > 0 and counts["sentiment"] == 0
    assert "Articles per language and month" in result.output


def test_reprocess_replaces_rows_with_new_model(tmp_path, tiny_models_dir, repo_root, monkeypatch):
    """Switching the sentiment model and reprocessing leaves one row per sentence, all new."""
    from newslens.models.tiny_encoders import build_tiny_xlmr_sentiment

    lake = tmp_path / "lake"
    samples = tmp_path / "in"
    samples.mkdir()
    for src in sorted((repo_root / "data" / "samples").glob("*.txt"))[:3]:
        shutil.copy(src, samples / src.name)
    base = ["--lake", str(lake), "--models", str(tiny_models_dir)]
    assert runner.invoke(app, ["run", str(samples), *base]).exit_code == 0
    other = tmp_path / "other-sentiment"
    build_tiny_xlmr_sentiment(other, model_id="tiny/other-sentiment", seed=7)
    monkeypatch.setenv("NEWSLENS_SENTIMENT_MODEL", str(other))
    result = runner.invoke(app, ["run", str(samples), *base, "--reprocess", "sentiment"])
    assert result.exit_code == 0, result.output
    sentiment = read_table(lake, "sentiment")
    sentences = read_table(lake, "sentences")
    assert (sentiment["level"] == "sentence").sum() == len(sentences)
    assert set(sentiment["model"]) == {"tiny/other-sentiment"}
