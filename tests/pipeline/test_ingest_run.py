"""The ingest stage through `run_pipeline` (no Prefect): bad input, reconciliation, the seed."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from newslens.config import Settings
from newslens.lake import read_table, table_row_counts
from newslens.pipeline.frames import choose_language
from newslens.pipeline.runner import run_pipeline

GOOD_IT = ("date 2025-03-14 Il governo italiano ha discusso le nuove sanzioni contro la Russia.\n\n"
           "Il ministro degli Esteri ha detto che l'Italia sostiene l'Ucraina e che la pressione "
           "su Mosca deve restare alta finché non ci saranno negoziati seri.\n\n"
           "Secondo fonti diplomatiche, la riunione di Bruxelles ha mostrato un ampio consenso "
           "tra i partner europei sulla necessità di nuove misure.\n")
GOOD_EN = ("Allies weigh new air defence package\n\n"
           "Defence ministers from several NATO countries met in Brussels on Tuesday to discuss "
           "a new package of air defence systems for Ukraine, officials said.\n\n"
           "A senior diplomat said the talks were constructive but that no final decision had "
           "been taken on the number of systems to be delivered this year.\n")


def _bad_inputs(folder: Path) -> dict[str, str]:
    """One file per kind of bad input; returns file name -> expected reason code."""
    cases = {
        "empty.txt": (b"", "empty_file"),
        "blank.txt": (b"  \n\t \n", "whitespace_only"),
        "binary.txt": (bytes(range(256)) * 8, "binary_file"),
        "huge.txt": (b"x" * 3000, "too_large"),
        "title_only.txt": ("date 2025-01 Solo un titolo senza corpo.\n".encode(), "no_body"),
        "short.txt": (b"Headline\n\nToo short.", "body_too_short"),
        "notes.docx": (b"PK\x03\x04 not an article", "unsupported_format"),
        "bad_date.txt": (("date 2025-13 Titolo con data impossibile.\n\n" + "Testo. " * 30).encode(),
                         "bad_date"),
        "header_only.csv": (b"title,text\n", "no_records"),
        "page.html": (b"<html><head><title>x</title></head><body></body></html>", "html_no_content"),
    }
    for name, (data, _) in cases.items():
        (folder / name).write_bytes(data)
    return {name: reason for name, (_, reason) in cases.items()}


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(lake=tmp_path / "lake")


def test_bad_inputs_are_rejected_with_reasons_and_counts_reconcile(tmp_path, settings):
    inbox = tmp_path / "in"
    inbox.mkdir()
    expected = _bad_inputs(inbox)
    (inbox / "good_it.txt").write_text(GOOD_IT, encoding="utf-8")
    (inbox / "good_en.txt").write_text(GOOD_EN, encoding="utf-8")
    (inbox / "copy_en.txt").write_text("\n" + GOOD_EN, encoding="utf-8")  # exact duplicate
    records = [
        json.dumps({"title": "Record one", "published": "2025-02-01",
                    "text": "Officials in Washington said on Monday that talks with Beijing on "
                            "export controls would resume next month after a pause of a year."}),
        "{not json",
        json.dumps(["a list"]),
        json.dumps({"title": "No text here"}),
    ]
    (inbox / "feed.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
    (inbox / "feed.csv").write_text("title,text\nNo body,\n", encoding="utf-8")
    (inbox / "cp1252.txt").write_bytes(("Élections en France\n\n" + "Le président a déclaré "
                                        "que la coopération européenne était essentielle. " * 3)
                                       .encode("cp1252"))

    settings = settings.model_copy(update={"max_file_bytes": 2048})
    summary = run_pipeline(inbox, settings, stages=["ingest"])

    assert summary.status == "completed" and summary.reconciles()
    rejects = read_table(settings.lake, "rejects")
    by_file = {Path(u).name: r for u, r in zip(rejects["source_uri"], rejects["reason"])
               if not Path(u).name.startswith("feed.")}
    for name, reason in expected.items():
        assert by_file.get(name) == reason, name
    record_reasons = sorted(rejects[rejects["source_uri"].str.endswith(("feed.jsonl", "feed.csv"))]["reason"])
    assert record_reasons == ["invalid_json", "no_text", "no_text", "not_an_object"]
    assert summary.n_rejected == len(rejects) == len(expected) + 4
    assert summary.n_new == 4  # it, en, the JSONL record (its own body), the cp1252 French file
    assert summary.n_duplicate == 1
    assert summary.n_inputs == summary.n_new + summary.n_duplicate + summary.n_rejected
    run = read_table(settings.lake, "runs").iloc[0]
    assert (run["n_inputs"], run["n_new"], run["n_duplicate"], run["n_rejected"]) == (
        summary.n_inputs, summary.n_new, summary.n_duplicate, summary.n_rejected)
    articles = read_table(settings.lake, "articles")
    assert sorted(articles["lang"]) == ["en", "en", "fr", "it"]
    assert "é" in articles[articles["lang"] == "fr"]["body"].iloc[0]


def test_second_run_writes_no_data_rows(tmp_path, settings, repo_root):
    summary = run_pipeline(repo_root / "data" / "samples", settings, stages=["ingest"])
    before = table_row_counts(settings.lake)
    again = run_pipeline(repo_root / "data" / "samples", settings, stages=["ingest"])
    after = table_row_counts(settings.lake)
    assert summary.n_new > 0 and again.n_new == 0 and again.reconciles()
    assert {t: n for t, n in after.items() if t != "runs"} == {
        t: n for t, n in before.items() if t != "runs"}
    assert after["runs"] == before["runs"] + 1


def test_seed_article_lands_as_expected(tmp_path, settings, seed_article):
    inbox = tmp_path / "seed"
    inbox.mkdir()
    shutil.copy(seed_article, inbox / "renamed.txt")
    run_pipeline(inbox, settings, stages=["ingest"])
    art = read_table(settings.lake, "articles").iloc[0]
    assert art["lang"] == "it" and art["lang_confidence"] > 0.5
    assert art["published"] == dt.date(2024, 12, 1) and art["published_precision"] == "month"
    assert art["published_month"] == "2024-12"
    assert art["author"] == "Tommaso Dal Passo"
    assert art["title"].startswith("La Russia ha invitato le truppe nordcoreane")
    assert art["title"].endswith("l’anno prossimo.")
    for junk in ("t.me", "http", "Segui", "blogspot", "Tommaso Dal Passo"):
        assert junk not in art["body"]
    sentences = read_table(settings.lake, "sentences")
    for s in sentences.itertuples():
        assert art["body"][s.char_start:s.char_end] == s.text


def test_choose_language_prefers_a_confident_detector_then_the_hint():
    assert choose_language("it", 0.9, "en") == ("it", 0.9)
    assert choose_language("it", 0.2, "en") == ("en", 0.0)
    assert choose_language(None, 0.0, "de") == ("de", 0.0)
    assert choose_language(None, 0.0, None) == ("und", 0.0)
