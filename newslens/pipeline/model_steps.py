"""The three model stages over one batch of articles.

Models are looked up through per-process caches (`get_translator`, `get_classifier`), never
passed around: a stage receives only tables, settings and the resolved model locations, and
maps the settings onto engine options once (`ClassifierOptions` / `TranslatorOptions`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from newslens.config import Settings
from newslens.models.engines import get_classifier, get_translator
from newslens.models.loading import HOW_TO_PROVIDE, ModelUnavailableError, ResolvedModel, resolve
from newslens.models.options import ClassifierOptions, TranslatorOptions
from newslens.models.sentiment import sentiment_rows
from newslens.models.stance import aggregate_stance, stance_mention_rows
from newslens.models.translation import route_model, translate_texts
from newslens.pipeline.guard_steps import guarded_lookup, sentence_flags, trusted_english
from newslens.text.targets import Target, find_mentions, load_targets


@dataclass(frozen=True)
class ModelPlan:
    """The models a run will use, resolved to local folders before anything is written."""

    translation: Mapping[str, ResolvedModel]   # model id -> resolved
    sentiment: ResolvedModel | None
    stance: ResolvedModel | None
    targets: tuple[Target, ...] = ()           # loaded with the plan: a bad file fails early

    def lineage(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {"translation": sorted(self.translation)}
        if self.sentiment:
            out["sentiment"] = [self.sentiment.model_id]
        if self.stance:
            out["stance"] = [self.stance.model_id]
        return out


class ModelsMissingError(RuntimeError):
    """One or more configured models are neither local nor reachable."""

    def __init__(self, errors: list[ModelUnavailableError]) -> None:
        self.errors = errors
        self.model_ids = [e.model_id for e in errors]
        lines = [f"  - {e.short}" for e in errors]
        super().__init__("\n".join([*lines, HOW_TO_PROVIDE]))


def needed_translation_models(langs: set[str], settings: Settings) -> set[str]:
    ids = {route_model(lang, settings.translation_routes, settings.translation_fallback)
           for lang in langs if lang not in ("und",)}
    return {i for i in ids if i}


def plan_models(stages: list[str], langs: set[str], settings: Settings) -> ModelPlan:
    """Resolve every model the stages need for these languages, or name all that are missing."""
    errors: list[ModelUnavailableError] = []

    def attempt(model_id: str, role: str) -> ResolvedModel | None:
        try:
            return resolve(model_id, settings.models_dir, role=role,
                           allow_download=settings.allow_download,
                           hub_timeout=settings.hub_timeout_s)
        except ModelUnavailableError as exc:
            errors.append(exc)
            return None

    translation: dict[str, ResolvedModel] = {}
    if "translate" in stages:
        for model_id in sorted(needed_translation_models(langs, settings)):
            found = attempt(model_id, "translation")
            if found:
                translation[model_id] = found
    sentiment = attempt(settings.sentiment_model, "sentiment") if "sentiment" in stages else None
    stance = attempt(settings.stance_model, "stance") if "stance" in stages else None
    if errors:
        raise ModelsMissingError(errors)
    targets = tuple(targets_from(settings)) if "stance" in stages else ()
    return ModelPlan(translation=translation, sentiment=sentiment, stance=stance, targets=targets)


def _translator_for(plan: ModelPlan, settings: Settings):
    options = TranslatorOptions.from_settings(settings)

    def lookup(lang: str):
        model_id = route_model(lang, settings.translation_routes, settings.translation_fallback)
        if model_id is None or model_id not in plan.translation:
            return None
        return get_translator(plan.translation[model_id], options)
    return lookup


def translate_batch(articles: pd.DataFrame, sentences: pd.DataFrame, plan: ModelPlan,
                    settings: Settings) -> tuple[pd.DataFrame, pd.DataFrame]:
    """English text for every sentence and title; returns new frames, inputs untouched.

    With the guard on, each sentence's remaining translation problems go to `mt_flags` and
    each article counts its flagged sentences in `mt_flagged`."""
    lookup, guards = guarded_lookup(_translator_for(plan, settings), settings)
    out_sent = sentences.copy()
    done = translate_texts(out_sent["text"].tolist(), out_sent["lang"].tolist(), lookup)
    out_sent["text_en"] = [d[0] for d in done]
    out_sent["mt_flags"] = sentence_flags(out_sent, guards)
    out_sent["translation_model"] = [d[1] for d in done]
    out_sent["translation_model_revision"] = [d[2] for d in done]
    out_art = articles.copy()
    titles = out_art["title"].fillna("").tolist()
    done = translate_texts(titles, out_art["lang"].tolist(), lookup)
    out_art["title_en"] = [d[0] if t else None for d, t in zip(done, titles)]
    models = out_sent.groupby("article_id")[["translation_model", "translation_model_revision"]].first()
    out_art["translation_model"] = out_art["article_id"].map(models["translation_model"])
    out_art["translation_model_revision"] = out_art["article_id"].map(
        models["translation_model_revision"])
    flagged = out_sent.groupby("article_id")["mt_flags"].agg(lambda f: sum(bool(x) for x in f))
    out_art["mt_flagged"] = out_art["article_id"].map(flagged).fillna(0).astype("int32")
    return out_art, out_sent


def sentiment_batch(sentences: pd.DataFrame, plan: ModelPlan, settings: Settings,
                    *, run_id: str) -> pd.DataFrame:
    classifier = get_classifier(plan.sentiment, ClassifierOptions.from_settings(settings))
    source = settings.sentiment_source
    if source == "english" and sentences["text_en"].isna().all():
        raise ValueError("sentiment_source='english' needs the translate stage in the same run")
    return sentiment_rows(trusted_english(sentences), classifier, text_source=source,
                          run_id=run_id)


def targets_from(settings: Settings) -> list[Target]:
    path = Path(settings.targets_file)  # resolved by Settings (relative: cwd, else the project)
    if not path.is_file():
        raise FileNotFoundError(f"targets file {path} not found (set NEWSLENS_TARGETS_FILE)")
    return load_targets(path, include_leaders=settings.stance_include_leaders)


def stance_batch(sentences: pd.DataFrame, plan: ModelPlan, settings: Settings,
                 *, run_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sentence-level NLI rows for every mention, and the per-article aggregate."""
    targets = list(plan.targets) or targets_from(settings)
    sentences = trusted_english(sentences)
    mentions = find_mentions(sentences, targets)
    rows = score_stance_pairs(sentences, mentions, plan, settings, run_id=run_id)
    return rows, aggregate_stance(rows, targets)


def score_stance_pairs(sentences: pd.DataFrame, pairs: pd.DataFrame, plan: ModelPlan,
                       settings: Settings, *, run_id: str) -> pd.DataFrame:
    """Stance rows for given (sentence, target) pairs, found by alias match or not.

    The nightly stage passes its alias mentions; evaluation passes every labelled pair, so a
    sentence naming no alias of its target is still asked about it. Columns of `pairs`:
    article_id, sent_idx, target_id, matched_alias, matched_on.
    """
    targets = list(plan.targets) or targets_from(settings)
    classifier = get_classifier(plan.stance, ClassifierOptions.from_settings(settings))
    return stance_mention_rows(sentences, pairs, targets, classifier,
                               settings.stance_templates, run_id=run_id)
