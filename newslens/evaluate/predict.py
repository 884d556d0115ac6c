"""Model outputs for evaluation items, through the very stage functions a nightly run calls.

Each item becomes a one-sentence "article" so `translate_batch`, `sentiment_batch` and
`score_stance_pairs` (the stance stage's scorer) see the frames they see at night: same
translator per language, same batching, same precision choice. Stance asks about the labelled
target directly, whether or not the text names one of its aliases.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from newslens.config import Settings
from newslens.models.classify import resolve_precision
from newslens.pipeline.lineage import LineageInputs
from newslens.pipeline.model_steps import (ModelPlan, plan_models, score_stance_pairs,
                                           sentiment_batch, translate_batch)

ITEM_PREFIX = "item-"


def stages_for(task: str, settings: Settings) -> list[str]:
    """The run stages whose models an evaluation of `task` needs."""
    if task == "translation":
        return ["translate"]
    if task == "sentiment":
        return (["translate"] if settings.sentiment_source == "english" else []) + ["sentiment"]
    if task == "stance":
        return ["stance"]
    raise ValueError(f"unknown task {task!r}; choose translation, sentiment or stance")


def plan_for(task: str, items: pd.DataFrame, settings: Settings) -> ModelPlan:
    """Resolve the models before any work: a missing one stops the evaluation early."""
    langs = {x for x in items["lang"].dropna().unique()} if "lang" in items else set()
    return plan_models(stages_for(task, settings), langs, settings)


def _frames(items: pd.DataFrame, text_column: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    ids = [f"{ITEM_PREFIX}{i}" for i in range(len(items))]
    langs = items["lang"].fillna("und").tolist() if "lang" in items else ["und"] * len(items)
    sentences = pd.DataFrame({"article_id": ids, "sent_idx": 0,
                              "text": items[text_column].tolist(), "lang": langs,
                              "text_en": None, "published_month": None})
    articles = pd.DataFrame({"article_id": ids, "title": None, "lang": langs})
    return articles, sentences


def predict_translation(items: pd.DataFrame, plan: ModelPlan, settings: Settings) -> pd.DataFrame:
    """hypothesis, model, model_revision per item, in item order."""
    articles, sentences = _frames(items, "source")
    _, done = translate_batch(articles, sentences, plan, settings)
    return pd.DataFrame({"hypothesis": done["text_en"].fillna("").tolist(),
                         "model": done["translation_model"].tolist(),
                         "model_revision": done["translation_model_revision"].tolist()})


def predict_sentiment(items: pd.DataFrame, plan: ModelPlan, settings: Settings, *,
                      run_id: str) -> pd.DataFrame:
    """predicted label and the three probabilities per item, in item order."""
    articles, sentences = _frames(items, "text")
    if settings.sentiment_source == "english":
        _, sentences = translate_batch(articles, sentences, plan, settings)
    rows = sentiment_batch(sentences, plan, settings, run_id=run_id)
    rows = rows[rows["level"] == "sentence"].set_index("article_id").loc[sentences["article_id"]]
    out = rows[["label", "p_negative", "p_neutral", "p_positive", "text_source", "model",
                "model_revision"]].reset_index(drop=True)
    if settings.sentiment_source == "english":
        out.insert(1, "text_en", sentences["text_en"].tolist())
    return out.rename(columns={"label": "predicted"})


def predict_stance(items: pd.DataFrame, plan: ModelPlan, settings: Settings, *,
                   run_id: str) -> pd.DataFrame:
    """predicted favor / against / none and the three probabilities per item, in item order."""
    _, sentences = _frames(items, "text")
    pairs = pd.DataFrame({"article_id": sentences["article_id"], "sent_idx": 0,
                          "target_id": items["target_id"].tolist(), "matched_alias": None,
                          "matched_on": "original"})
    rows = score_stance_pairs(sentences, pairs, plan, settings, run_id=run_id)
    rows = rows.set_index("article_id").loc[sentences["article_id"]].reset_index(drop=True)
    return pd.DataFrame({
        "predicted": rows["label"].replace({"neutral": "none"}).tolist(),
        "p_favor": rows["p_favor"].tolist(), "p_against": rows["p_against"].tolist(),
        "p_none": rows["p_neutral"].tolist(),
        "model": rows["model"].tolist(), "model_revision": rows["model_revision"].tolist()})


def predict(task: str, items: pd.DataFrame, plan: ModelPlan, settings: Settings, *,
            run_id: str) -> pd.DataFrame:
    """The items with the model's outputs beside them (one row per item)."""
    if task == "translation":
        out = predict_translation(items, plan, settings)
    elif task == "sentiment":
        out = predict_sentiment(items, plan, settings, run_id=run_id)
    else:
        out = predict_stance(items, plan, settings, run_id=run_id)
    return pd.concat([items.reset_index(drop=True), out], axis=1)


def output_settings(task: str, settings: Settings, plan: ModelPlan | None = None) -> dict[str, Any]:
    """The settings that change what the models output (batch sizes and threads do not); with
    the evaluation's plan, the classifier precision it really ran (`auto` as measured)."""
    out: dict[str, Any] = {"device": settings.device}
    if "translate" in stages_for(task, settings):
        out["translation_backend"] = settings.translation_backend
        if settings.translation_backend == "ctranslate2":
            out["ct2_compute_type"] = settings.ct2_compute_type
        out["translation_beam_size"] = settings.translation_beam_size
        if settings.translation_decode_policy is not None:
            out["translation_decode_policy"] = settings.translation_decode_policy
    if task in ("sentiment", "stance"):
        model = None if plan is None else (plan.sentiment if task == "sentiment" else plan.stance)
        out["classifier_precision"] = LineageInputs(settings, plan).precision(model) \
            if plan is not None else resolve_precision(settings.classifier_precision, settings.device)
    if task == "sentiment":
        out["sentiment_source"] = settings.sentiment_source
    if task == "stance":
        out["stance_templates"] = dict(sorted(settings.stance_templates.items()))
    return out
