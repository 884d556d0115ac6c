"""Issue 10 through the ingest stage: every language named, ids stable under new cleaning rules,
the cleaning stage versioned and re-derivable from raw_text. Articles written for these tests."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from newslens.config import Settings
from newslens.ingest.read import text_limits
from newslens.ingest.reclean import is_stale, reclean_row
from newslens.ingest.rules import CLEANING_RULES_VERSION
from newslens.lake import read_table
from newslens.pipeline.model_steps import needed_translation_models
from newslens.pipeline.report import summary_table
from newslens.pipeline.runner import run_pipeline

HINDI = ("मुंबई में भारी बारिश\n\n"
         "मुंबई में मंगलवार को हुई भारी बारिश के कारण कई इलाकों में पानी भर गया और लोकल ट्रेन "
         "सेवाएं कुछ घंटों के लिए रोक दी गईं। मौसम विभाग ने अगले दो दिनों के लिए चेतावनी जारी की है।\n\n"
         "नगर निगम के अधिकारियों ने बताया कि राहत कार्य जारी है और निचले इलाकों से लोगों को "
         "सुरक्षित स्थानों पर पहुंचाया जा रहा है।\n\nयह भी पढ़ें: दिल्ली में प्रदूषण का स्तर बढ़ा\n")
JAPANESE = ("大阪で新しい地下鉄路線が開業\n\n"
            "大阪市で二十日、新しい地下鉄路線が開業し、朝から多くの利用者でにぎわった。"
            "市によると、新路線は市の中心部と湾岸地区を約十五分で結ぶ。\n\n"
            "市長は記者会見で「街の発展に欠かせない一歩だ」と述べた。\n\n関連記事：万博の準備進む\n")
SWAHILI = ("Mvua kubwa yanyesha Nairobi\n\n"
           "Mvua kubwa iliyonyesha usiku wa kuamkia leo jijini Nairobi imesababisha mafuriko "
           "katika maeneo kadhaa, na wakazi wengi wamelazimika kuhama makazi yao kwa muda.\n\n"
           "Serikali ya kaunti imesema itatoa msaada wa chakula na mahema kwa familia zilizoathirika.\n")
ITALIAN = ("date 2025-02 Il comune approva il nuovo piano del traffico\n\n"
           "di Marco Bianchi\n\n"
           "Il consiglio comunale ha approvato nella notte il nuovo piano del traffico, che prevede "
           "più corsie preferenziali e una zona a traffico limitato allargata.\n\n"
           "Le prime modifiche entreranno in vigore a settembre, ha spiegato l'assessore.\n\n"
           "Seguici su Telegram: https://t.me/example_it\n")


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(lake=tmp_path / "lake")


def _write(folder, files: dict[str, str]):
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_mixed_folder_names_hindi_japanese_and_a_language_outside_the_set(tmp_path, settings):
    assert "hi" not in settings.languages and "sw" not in settings.languages
    inbox = _write(tmp_path / "in", {"hi.txt": HINDI, "ja.txt": JAPANESE, "sw.txt": SWAHILI,
                                     "it.txt": ITALIAN, "digits.txt": "12345\n\n" + "0987 654 321 " * 10})
    summary = run_pipeline(inbox, settings, stages=["ingest"])
    articles = read_table(settings.lake, "articles")
    lang = {name.rsplit("/", 1)[-1]: code for name, code in zip(articles["source_uri"], articles["lang"])}
    assert (lang["hi.txt"], lang["ja.txt"], lang["sw.txt"], lang["it.txt"]) == ("hi", "ja", "sw", "it")
    # only the text with no letters is und, and the summary says why
    assert lang["digits.txt"] == "und"
    assert summary.und_reasons == {"too_few_letters": 1}
    rows = {r["metric"].strip(): r["value"] for r in summary_table(summary)}
    assert rows["und because too_few_letters"] == 1
    # Hindi and Japanese sentences split on their own terminal marks; read-also lines cut
    sentences = read_table(settings.lake, "sentences")
    hi_id = articles[articles["lang"] == "hi"]["article_id"].iloc[0]
    assert len(sentences[sentences["article_id"] == hi_id]) == 3
    for body in articles["body"]:
        assert "यह भी पढ़ें" not in body and "関連記事" not in body and "t.me" not in body


def test_languages_without_a_dedicated_model_route_to_the_multilingual_fallback():
    settings = Settings()
    assert needed_translation_models({"hi", "ja"}, settings) == {settings.translation_fallback}
    assert needed_translation_models({"it"}, settings) == {"Helsinki-NLP/opus-mt-it-en"}


def test_stored_article_records_cleaning_version_credit_and_title_source(tmp_path, settings):
    inbox = _write(tmp_path / "in", {"it.txt": ITALIAN})
    run_pipeline(inbox, settings, stages=["ingest"])
    art = read_table(settings.lake, "articles").iloc[0]
    assert art["cleaning_version"] == CLEANING_RULES_VERSION and not is_stale(art)
    assert (art["author"], art["title_source"]) == ("Marco Bianchi", "headline")
    assert list(art["dropped_reasons"]) == ["byline", "social"]
    assert art["raw_text"] == ITALIAN


def test_reclean_row_rederives_what_ingest_stored(tmp_path, settings):
    record = {"author": "ANSA", "text": ITALIAN.split("\n\n", 1)[1]}
    inbox = _write(tmp_path / "in", {"hi.txt": HINDI, "it.txt": ITALIAN,
                                     "feed.jsonl": json.dumps(record) + "\n"})
    run_pipeline(inbox, settings, stages=["ingest"])
    articles = read_table(settings.lake, "articles")
    sentences = read_table(settings.lake, "sentences")
    assert len(articles) == 3
    for row in articles.to_dict("records"):
        again = reclean_row(row, limits=text_limits(settings))
        for column, value in again.article_fields().items():
            stored = row[column]
            if column.startswith("dropped"):
                stored = list(stored)
            elif not isinstance(stored, str) and pd.isna(stored):
                stored = None
            assert stored == value, column
        mine = sentences[sentences["article_id"] == row["article_id"]].sort_values("sent_idx")
        assert list(zip(mine["char_start"], mine["char_end"])) == list(again.sentences)


def test_reclean_applies_the_same_caps_as_ingest(tmp_path, settings):
    capped = settings.model_copy(update={"max_article_chars": 300, "max_sentence_chars": 60})
    long_it = ITALIAN.replace("Le prime modifiche", "Le prime modifiche " + "molto " * 60)
    inbox = _write(tmp_path / "in", {"it.txt": long_it})
    run_pipeline(inbox, capped, stages=["ingest"])
    row = read_table(settings.lake, "articles").to_dict("records")[0]
    assert len(row["body"]) <= 300 and list(row["truncation"])
    again = reclean_row(row, limits=text_limits(capped))
    assert again.body == row["body"]
    sentences = read_table(settings.lake, "sentences").sort_values("sent_idx")
    assert list(zip(sentences["char_start"], sentences["char_end"])) == list(again.sentences)
    assert reclean_row(row).body != row["body"]  # without the caps the body is the longer one


def test_reingest_after_a_cleaning_rule_change_keeps_every_article_id(tmp_path, settings,
                                                                      monkeypatch):
    inbox = _write(tmp_path / "in", {"hi.txt": HINDI, "ja.txt": JAPANESE, "it.txt": ITALIAN,
                                     "copy.txt": "\n" + ITALIAN})  # an exact duplicate
    first = run_pipeline(inbox, settings, stages=["ingest"])
    assert first.n_duplicate == 1
    before = read_table(settings.lake, "articles")[["source_uri", "article_id", "body"]]

    # A rule change: Telegram lines are no longer boilerplate, and the version moves on.
    import newslens.ingest.boilerplate as boilerplate
    import newslens.ingest.rules as rules
    from newslens.ingest import boilerplate_phrases

    social = tuple(p for p in boilerplate_phrases.PHRASES["social"] if p != "seguici")
    monkeypatch.setitem(boilerplate_phrases.PHRASES, "social", social)
    monkeypatch.setattr(boilerplate, "is_link_line", lambda line: False)
    boilerplate._compiled.cache_clear()
    monkeypatch.setattr(rules, "CLEANING_RULES_VERSION", "clean-test+split-test")
    try:
        lake2 = settings.model_copy(update={"lake": tmp_path / "lake2"})
        run_pipeline(inbox, lake2, stages=["ingest"])
        stored = read_table(lake2.lake, "articles")
        assert set(stored["cleaning_version"]) == {"clean-test+split-test"}
        assert all(is_stale(row) is False for row in stored.to_dict("records"))
        after = stored[["source_uri", "article_id", "body"]]
        merged = before.merge(after, on="source_uri", suffixes=("_old", "_new"))
        assert len(merged) == len(before) == 3
        assert (merged["article_id_old"] == merged["article_id_new"]).all()
        italian = merged[merged["body_old"].str.contains("consiglio comunale")].iloc[0]
        assert "t.me" in italian["body_new"] and "t.me" not in italian["body_old"]
        # the first lake's articles are stale under the new rules, and re-running the changed
        # rules over it finds every article already there (same ids)
        assert all(is_stale(row) for row in read_table(settings.lake, "articles").to_dict("records"))
        again = run_pipeline(inbox, settings, stages=["ingest"])
        assert again.n_new == 0 and again.n_duplicate == 4
    finally:
        boilerplate._compiled.cache_clear()


def test_recleaning_drops_the_lines_learned_for_the_outlet(tmp_path, settings):
    """The clean stage's worker-side step reads nothing: the learned lines come with the
    batch (read from the lake where the batch is made), keyed as ingest keys them."""
    from newslens.ingest.learned import line_hash, source_key
    from newslens.pipeline.clean_step import learned_for_articles, reclean_batch

    inbox = _write(tmp_path / "in", {"it.txt": ITALIAN})
    run_pipeline(inbox, settings, stages=["ingest"])
    stored = read_table(settings.lake, "articles")
    assert learned_for_articles(settings.lake, stored) == {}  # one article teaches nothing
    line = "Le prime modifiche entreranno in vigore a settembre, ha spiegato l'assessore."
    assert line in stored["body"].iloc[0]
    row = stored.iloc[0]
    outlet = source_key(row["source"] if isinstance(row["source"], str) else None,
                        row["url"] if isinstance(row["url"], str) else None, row["source_uri"])

    articles, sentences = reclean_batch(stored, {outlet: frozenset({line_hash(line)})}, settings,
                                        run_id="r-test")
    body = articles["body"].iloc[0]
    assert line not in body and "consiglio comunale" in body
    assert line in list(articles["dropped_lines"].iloc[0])
    assert all(body[s:e] == t for s, e, t in zip(sentences["char_start"], sentences["char_end"],
                                                 sentences["text"]))
    untouched, _ = reclean_batch(stored, {"another outlet": frozenset({line_hash(line)})},
                                 settings, run_id="r-test")
    assert untouched["body"].iloc[0] == stored["body"].iloc[0]
