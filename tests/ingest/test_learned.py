"""Recurring-line learning: pure counting and decisions, then a small corpus of one outlet.

The corpus is written for these tests: five short German articles of one outlet, each with a
donation appeal and a reader-poll teaser the outlet appends, lines the block rules do not know.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from newslens.ingest.learned import (MIN_ARTICLES, count_lines, count_rows, drop_lines,
                                     learned_hashes, line_hash, normalise_line, source_key, totals)

APPEAL = "Unabhängiger Lokaljournalismus kostet Geld – danke, dass Sie den Stadtboten möglich machen!"
TEASER = "Heute im Stadtboten-Check: Wie zufrieden sind Sie mit dem Nahverkehr?"
STORIES = [
    "Der Stadtrat hat am Dienstag den Haushalt für das kommende Jahr beschlossen. "
    "Mehr Geld fließt in Schulen und Radwege.",
    "Die Bibliothek am Marktplatz bleibt wegen Bauarbeiten bis Ende Mai geschlossen. "
    "Ausleihen sind in der Zweigstelle möglich.",
    "Ein Brand in einer Lagerhalle im Gewerbegebiet hat in der Nacht hohen Schaden angerichtet. "
    "Verletzt wurde niemand.",
    "Der Sportverein feiert sein hundertjähriges Bestehen mit einem Fest im Stadtpark. "
    "Erwartet werden mehrere tausend Gäste.",
    "Die Buslinie 7 fährt ab Montag wieder im Zehn-Minuten-Takt. "
    "Die Umleitung über die Nordstraße entfällt.",
]


def _article(i: int) -> str:
    return f"{STORIES[i]}\n\n{TEASER}\n\n{APPEAL}"


def test_normalised_line_ignores_case_spacing_and_edge_punctuation() -> None:
    assert normalise_line("  Heute   im CHECK: ") == "heute im check"
    assert line_hash("„Danke für Ihre Unterstützung!“") == line_hash("danke für ihre unterstützung")
    assert line_hash("Danke für Ihre Unterstützung") != line_hash("Danke für Ihre Hilfe")


def test_a_line_repeated_inside_one_article_counts_once() -> None:
    counts = count_lines([("stadtbote", [TEASER, TEASER, STORIES[0]])])
    assert {c.line_hash: c.count for c in counts}[line_hash(TEASER)] == 1


def test_lines_become_boilerplate_at_the_minimum_per_source_only() -> None:
    two = count_lines(("stadtbote", _article(i).split("\n\n")) for i in range(MIN_ARTICLES - 1))
    assert learned_hashes({}, two) == {}
    three = count_lines(("stadtbote", _article(i).split("\n\n")) for i in range(MIN_ARTICLES))
    learned = learned_hashes({}, three)
    assert learned["stadtbote"] == {line_hash(APPEAL), line_hash(TEASER)}
    # the same lines in another outlet's articles teach that outlet nothing
    other = count_lines([("kurier", [APPEAL, TEASER])])
    assert "kurier" not in learned_hashes({}, other)


def test_stored_counts_and_batch_counts_add_up() -> None:
    now = dt.datetime(2025, 1, 2, tzinfo=dt.timezone.utc)
    first = count_rows([(f"a{i}", "stadtbote", _article(i).split("\n\n")) for i in range(2)],
                       run_id="r1", now=now)
    known = totals(first)
    # the same article stored again (a re-run, a concurrent run) adds rows with the same keys,
    # which the lake's idempotent append skips, so it never counts twice
    again = count_rows([("a0", "stadtbote", _article(0).split("\n\n"))], run_id="r2", now=now)
    assert set(map(tuple, again[["source", "line_hash", "article_id"]].to_numpy())) <= \
        set(map(tuple, first[["source", "line_hash", "article_id"]].to_numpy()))
    assert known[("stadtbote", line_hash(APPEAL))] == 2
    later = count_lines([("stadtbote", _article(2).split("\n\n"))])
    assert line_hash(APPEAL) in learned_hashes(known, later)["stadtbote"]
    assert set(first.columns) >= {"source", "line_hash", "count", "example", "first_seen",
                                  "last_seen", "run_id", "article_id"}


def test_drop_lines_records_them_and_never_empties_an_article() -> None:
    learned = frozenset({line_hash(APPEAL), line_hash(TEASER)})
    body, dropped = drop_lines(_article(0), (), learned)
    assert body == STORIES[0]
    assert dropped == ((TEASER, "recurring"), (APPEAL, "recurring"))
    assert drop_lines(APPEAL, (), learned) == (APPEAL, ())


def test_source_key_prefers_source_then_host_then_folder() -> None:
    assert source_key("Stadtbote", "https://www.x.de/a", "/in/a.txt") == "stadtbote"
    assert source_key(None, "https://www.stadtbote.de/a/b", "/in/a.txt") == "stadtbote.de"
    assert source_key(None, None, "/in/stadtbote/a.txt") == "folder:/in/stadtbote"


def test_corpus_of_one_source_through_two_runs(tmp_path) -> None:
    """Run 1 sees two articles (nothing learned yet); run 2 sees three more and, with the
    lake's counts, cuts the appeal and the teaser from all three."""
    from newslens.config import Settings
    from newslens.lake import read_table
    from newslens.pipeline.runner import run_pipeline

    settings = Settings(lake=tmp_path / "lake")
    first, second = tmp_path / "in1" / "stadtbote", tmp_path / "in2" / "stadtbote"
    for folder, numbers in ((first, range(2)), (second, range(2, 5))):
        folder.mkdir(parents=True)
        for i in numbers:
            (folder / f"{i}.txt").write_text(f"Meldung {i}\n\n{_article(i)}\n", encoding="utf-8")
    # both folders are named for the outlet; the source is the folder, so pin it to one name
    run_pipeline(first, settings, stages=["ingest"])
    articles = read_table(settings.lake, "articles")
    assert all(APPEAL in body for body in articles["body"])

    lines = read_table(settings.lake, "boilerplate_lines")
    assert int(lines[lines["line_hash"] == line_hash(APPEAL)]["count"].sum()) == 2

    # the second folder is another path, so give its articles the same source key
    import newslens.pipeline.learn_step as learn_step

    real = learn_step.doc_source
    learn_step.doc_source = lambda doc: "folder:" + str(first)
    try:
        run_pipeline(second, settings, stages=["ingest"])
    finally:
        learn_step.doc_source = real
    articles = read_table(settings.lake, "articles").set_index("source_uri")
    new = articles[articles.index.str.contains("in2")]
    assert len(new) == 3
    for body, dropped, reasons in zip(new["body"], new["dropped_lines"], new["dropped_reasons"]):
        assert APPEAL not in body and TEASER not in body
        assert list(dropped) == [TEASER, APPEAL] and list(reasons) == ["recurring"] * 2
    lines = read_table(settings.lake, "boilerplate_lines")
    assert int(lines[lines["line_hash"] == line_hash(APPEAL)]["count"].sum()) == 5
    assert isinstance(lines, pd.DataFrame) and lines["example"].str.contains("Lokaljournalismus").any()
