"""The guard inside the translate stage: flags land in `sentences.mt_flags` and
`articles.mt_flagged`, the run summary counts them, and classifiers read the original text
of a flagged sentence even when set to read English."""

from __future__ import annotations

import pandas as pd
import pytest

from newslens.config import Settings
from newslens.models.loading import resolve
from newslens.pipeline.frames import columns_of
from newslens.pipeline.guard_steps import count_flagged, trusted_english
from newslens.pipeline.model_steps import ModelPlan, sentiment_batch, translate_batch
from newslens.pipeline.report import summary_table
from newslens.pipeline.runner import RunSummary
from tests.models.test_translation_guard import _rigged

SILENT_ID = "tiny/silent-it-en"


def _frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    sent = pd.DataFrame([
        {"article_id": "a1", "sent_idx": 0, "text": "Il governo ha criticato le nuove sanzioni.", "lang": "it"},
        {"article_id": "a1", "sent_idx": 1, "text": "La Russia ha respinto l'accordo militare.", "lang": "it"},
        {"article_id": "b2", "sent_idx": 0, "text": "NATO welcomed the peace talks in Geneva.", "lang": "en"},
    ], columns=columns_of("sentences"))
    sent["published_month"] = "2024-01"
    art = pd.DataFrame([{"article_id": "a1", "title": "Sanzioni", "lang": "it", "duplicate_of": None},
                        {"article_id": "b2", "title": "Talks", "lang": "en", "duplicate_of": None}],
                       columns=columns_of("articles"))
    return art, sent


@pytest.fixture(scope="module")
def silent_plan(tmp_path_factory):
    folder = _rigged(tmp_path_factory.mktemp("silent-stage"), "silent", {"</s>": 50.0})
    resolved = resolve(str(folder))
    return ModelPlan(translation={SILENT_ID: resolved}, sentiment=None, stance=None)


def _settings(tmp_path, **kw) -> Settings:
    return Settings(translation_routes={"it": SILENT_ID}, cache_dir=tmp_path,
                    translation_backend="ctranslate2", ct2_compute_type="float32", **kw)


def test_flags_reach_sentences_articles_and_the_summary(silent_plan, tmp_path):
    art, sent = _frames()
    out_art, out_sent = translate_batch(art, sent, silent_plan, _settings(tmp_path))
    assert out_sent["mt_flags"].tolist() == [["empty"], ["empty"], []]
    assert dict(zip(out_art["article_id"], out_art["mt_flagged"])) == {"a1": 2, "b2": 0}
    assert sent.columns.equals(_frames()[1].columns) and sent["mt_flags"].isna().all()  # input untouched
    assert count_flagged(out_sent) == 2
    summary = RunSummary(run_id="r", status="completed", n_mt_flagged=count_flagged(out_sent))
    assert {"metric": "translations flagged (sentences.mt_flags)", "value": 2} in summary_table(summary)


def test_guard_off_leaves_no_flags(silent_plan, tmp_path):
    art, sent = _frames()
    _, out_sent = translate_batch(art, sent, silent_plan, _settings(tmp_path, translation_guard=False))
    assert out_sent["mt_flags"].tolist() == [[], [], []]


def test_classifiers_read_the_original_of_a_flagged_sentence(silent_plan, tmp_path, tiny_sentiment_dir):
    art, sent = _frames()
    sent["text_en"] = ["The government criticised the sanctions.", "Looping looping looping looping",
                       "NATO welcomed the peace talks in Geneva."]
    sent["mt_flags"] = [[], ["repeat"], []]
    trusted = trusted_english(sent)
    assert trusted["text_en"].isna().tolist() == [False, True, False]
    assert sent["text_en"].notna().all()  # the caller's frame is left alone
    plan = ModelPlan(translation={}, sentiment=resolve(str(tiny_sentiment_dir)), stance=None)
    rows = sentiment_batch(sent, plan, _settings(tmp_path, sentiment_source="english",
                                                 classifier_precision="fp32"), run_id="r")
    per_sentence = rows[rows["level"] == "sentence"]
    assert per_sentence["text_source"].tolist() == ["english", "original", "english"]
