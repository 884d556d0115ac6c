"""Evaluation predictions are the nightly stages' outputs for the same text (tiny models)."""

from __future__ import annotations

import pandas as pd
import pytest

from newslens.config import Settings
from newslens.evaluate.predict import output_settings, plan_for, predict
from newslens.pipeline.model_steps import plan_models, sentiment_batch, stance_batch

TEXTS = ["NATO allies pledged more air defence for Kyiv.",
         "Prices rose again, and families are angry about the Kremlin."]


def nightly_sentences(texts: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"article_id": ["a1"] * len(texts), "sent_idx": range(len(texts)),
                         "text": texts, "lang": "en", "text_en": texts,
                         "published_month": "2025-01"})


@pytest.fixture(scope="module")
def settings(tiny_models_dir):
    return Settings(models_dir=tiny_models_dir)


def test_stance_scores_equal_the_nightly_stage_where_an_alias_matches(settings):
    plan = plan_models(["stance"], {"en"}, settings)
    mentions, _ = stance_batch(nightly_sentences(TEXTS), plan, settings, run_id="night")
    assert {"nato", "ukraine", "russia"} <= set(mentions["target_id"])
    items = pd.DataFrame({"line": range(1, len(mentions) + 1),
                          "text": [TEXTS[i] for i in mentions["sent_idx"]],
                          "target_id": mentions["target_id"].tolist(), "label": "none",
                          "lang": "en"})
    got = predict("stance", items, plan_for("stance", items, settings), settings, run_id="eval")
    assert got["p_favor"].tolist() == pytest.approx(mentions["p_favor"].tolist(), abs=1e-6)
    assert got["p_none"].tolist() == pytest.approx(mentions["p_neutral"].tolist(), abs=1e-6)
    expected = mentions["label"].replace({"neutral": "none"}).tolist()
    assert got["predicted"].tolist() == expected


def test_stance_asks_about_a_target_the_text_never_names(settings):
    items = pd.DataFrame({"line": [1], "text": ["Weather forecasts predict rain."],
                          "target_id": ["china"], "label": ["none"], "lang": [None]})
    got = predict("stance", items, plan_for("stance", items, settings), settings, run_id="eval")
    assert len(got) == 1
    assert got[["p_favor", "p_against", "p_none"]].sum(axis=1).iloc[0] == pytest.approx(1, abs=1e-5)


def test_sentiment_probabilities_equal_the_nightly_stage(settings):
    plan = plan_models(["sentiment"], {"en"}, settings)
    night = sentiment_batch(nightly_sentences(TEXTS), plan, settings, run_id="night")
    night = night[night["level"] == "sentence"]
    items = pd.DataFrame({"line": [1, 2], "text": TEXTS, "label": "neutral", "lang": "en"})
    got = predict("sentiment", items, plan_for("sentiment", items, settings), settings,
                  run_id="eval")
    assert got["p_positive"].tolist() == pytest.approx(night["p_positive"].tolist(), abs=1e-6)
    assert got["predicted"].tolist() == night["label"].tolist()


def test_recorded_settings_name_the_resolved_precision_not_auto(settings):
    chosen = output_settings("stance", settings)
    assert chosen["classifier_precision"] in ("fp32", "bf16", "int8", "onnx-int8", "onnx-fp32")
    assert "translation_backend" in output_settings("translation", settings)
    assert "stance_templates" not in output_settings("sentiment", settings)


def test_sentiment_on_english_translates_first_as_the_nightly_run_does(tiny_models_dir):
    # Guard off: it rightly flags the tiny model's gibberish, and a flagged translation is
    # scored on its original (tests/pipeline/test_guard_steps.py); here the route is under test.
    settings = Settings(models_dir=tiny_models_dir, sentiment_source="english",
                        translation_guard=False)
    items = pd.DataFrame({"line": [1, 2], "text": ["Il raccolto è eccellente.", "Good news."],
                          "label": "positive", "lang": ["it", "en"]})
    plan = plan_for("sentiment", items, settings)
    assert set(plan.translation) == {"Helsinki-NLP/opus-mt-it-en"}
    got = predict("sentiment", items, plan, settings, run_id="eval")
    assert got["text_source"].tolist() == ["english", "english"]
    assert got["text_en"].iloc[1] == "Good news." and got["text_en"].iloc[0]
    assert output_settings("sentiment", settings)["translation_backend"] == "ctranslate2"
