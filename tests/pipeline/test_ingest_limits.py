"""The limits from config reach a real ingest run: caps applied, cuts recorded, counts kept."""

from __future__ import annotations

import json
from pathlib import Path

from newslens.config import Settings
from newslens.lake import read_table
from newslens.pipeline.runner import run_pipeline

SENTENCE = "The harbour reopened on Sunday after a week of storms closed it to all shipping traffic. "
OTHER = "Ministers met in Brussels on Tuesday to discuss a new package of air defence systems. "


def test_configured_limits_cut_and_record(tmp_path: Path, monkeypatch) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "long.txt").write_text("date 2024-06-01 Harbour\n\n" + SENTENCE * 40 + "x" * 500 + "\n")
    records = [{"title": "Big", "text": SENTENCE * 200}, {"title": "Small", "text": OTHER * 2}]
    (inbox / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    monkeypatch.setenv("NEWSLENS_MAX_SENTENCE_CHARS", "60")  # read from the environment, like a run
    monkeypatch.setenv("NEWSLENS_MAX_SENTENCES_PER_ARTICLE", "30")
    monkeypatch.setenv("NEWSLENS_MAX_RECORD_BYTES", "10000")
    settings = Settings(lake=tmp_path / "lake")
    summary = run_pipeline(inbox, settings, stages=["ingest"])
    assert (summary.n_inputs, summary.n_new, summary.n_rejected) == (3, 2, 1)
    rejects = read_table(settings.lake, "rejects")
    assert rejects["reason"].tolist() == ["record_too_large"] and rejects["source_record"].tolist() == [1]
    sentences = read_table(settings.lake, "sentences")
    assert sentences["text"].str.len().max() <= 60
    articles = read_table(settings.lake, "articles").set_index("title")
    long = articles.loc["Harbour"]
    assert long["n_sentences"] == 30
    assert [t.split(":")[0] for t in long["truncation"]] == ["sentence_chars", "sentences_per_article"]
    assert list(articles.loc["Small", "truncation"]) == ["sentence_chars: 2 sentence(s) over 60 characters "
                                                         "split into pieces; 4 sentence(s) now"]
    for art in articles.reset_index().itertuples():
        rows = sentences[sentences["article_id"] == art.article_id]
        assert all(art.body[s:e] == t for s, e, t in zip(rows["char_start"], rows["char_end"], rows["text"]))
