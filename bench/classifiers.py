"""Sentiment and stance throughput per classifier precision, with agreement against fp32.

Each option runs newslens's own stage functions (`sentiment_rows`, `stance_mention_rows`) on
the same sentences, so the figures are the stages' throughput, batching included. The options
are the core's `classifier_precision` values: fp32 eager torch, bf16 weights, torch dynamic
int8, and ONNX Runtime int8 and fp32. The run reports which one `auto` picks here and which
agreeing option was fastest, so a machine where they differ shows up.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from newslens.config import Settings
from newslens.models import classify
from newslens.models.classify import Classifier
from newslens.models.engines import clear_classifiers, get_classifier
from newslens.models.options import ClassifierOptions
from newslens.models.loading import ResolvedModel
from newslens.models.sentiment import sentiment_rows
from newslens.models.stance import stance_mention_rows
from newslens.text.targets import Target, find_mentions

KNOB_OPTIONS = classify.PRECISIONS  # what Settings.classifier_precision accepts besides auto
SENTIMENT_PROBS = ["p_negative", "p_neutral", "p_positive"]
STANCE_PROBS = ["p_favor", "p_against", "p_neutral"]
MIN_AGREEMENT = 0.95  # an option below this against fp32 is not counted as fastest, however fast


def build_classifier(option: str, resolved: ResolvedModel, settings: Settings, threads: int) -> Classifier:
    """The stage's classifier for one option (ONNX options export once, into the cache)."""
    options = dataclasses.replace(ClassifierOptions.from_settings(settings), precision=option,
                                  threads=threads)
    return get_classifier(resolved, options)


Run = Callable[[Classifier, int], pd.DataFrame]  # a classifier and n: rows for the first n items


def _sentiment(sentences: pd.DataFrame) -> Run:
    def run(clf: Classifier, n: int) -> pd.DataFrame:
        rows = sentiment_rows(sentences.head(n), clf, text_source="original", run_id="bench")
        return rows[rows["level"] == "sentence"].reset_index(drop=True)
    return run


def _stance(sentences: pd.DataFrame, mentions: pd.DataFrame, targets: Sequence[Target],
            templates: dict[str, str]) -> Run:
    def run(clf: Classifier, n: int) -> pd.DataFrame:
        return stance_mention_rows(sentences, mentions.head(n), targets, clf, templates,
                                   run_id="bench")
    return run


def compare_options(resolved: ResolvedModel, settings: Settings, options: Sequence[str], run: Run,
                    prob_columns: list[str], n_items: int, threads: int,
                    caps: dict[str, int] | None = None) -> dict[str, dict[str, Any]]:
    """Items/s per option, and label agreement and largest |p - p_fp32| against fp32.

    `caps` limits slow options to their first items (compared with fp32 on those items)."""
    results: dict[str, dict[str, Any]] = {}
    reference: pd.DataFrame | None = None
    for option in ["fp32", *[o for o in options if o != "fp32"]]:
        n = min(n_items, (caps or {}).get(option, n_items))
        try:
            t0 = time.perf_counter()
            clf = build_classifier(option, resolved, settings, threads)
            setup = time.perf_counter() - t0
            run(clf, 2)  # warm-up: first-call costs stay out of the timing
            t0 = time.perf_counter()
            rows = run(clf, n)
            seconds = time.perf_counter() - t0
        except Exception as exc:  # an option this machine cannot run is reported, not fatal
            results[option] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
            continue
        finally:
            clf = None
            clear_classifiers()
        if reference is None:
            reference = rows
        ref = reference.head(len(rows))
        same = rows["label"].to_numpy() == ref["label"].to_numpy()
        diff = np.abs(rows[prob_columns].to_numpy(float) - ref[prob_columns].to_numpy(float))
        results[option] = {"per_s": n / seconds if seconds else 0.0, "seconds": seconds,
                           "setup_s": setup, "items": n,
                           "agreement": float(same.mean()) if len(rows) else 1.0,
                           "max_prob_diff": float(diff.max()) if len(rows) else 0.0}
    return results


def stage_workloads(sentences: pd.DataFrame, targets: Sequence[Target], settings: Settings,
                    n_sentiment: int, n_stance: int) -> dict[str, dict[str, Any]]:
    """The sentences each stage scores: the first n sentences, and the first n mentions."""
    mentions = find_mentions(sentences, targets).reset_index(drop=True)
    templates = dict(settings.stance_templates)
    return {
        "sentiment": {"run": _sentiment(sentences), "n": min(n_sentiment, len(sentences)),
                      "probs": SENTIMENT_PROBS, "model": settings.sentiment_model},
        "stance": {"run": _stance(sentences, mentions, targets, templates),
                   "n": min(n_stance, len(mentions)), "probs": STANCE_PROBS,
                   "model": settings.stance_model},
    }


def choose_precision(results: dict[str, dict[str, dict[str, Any]]], weights: dict[str, float]) -> str:
    """The precision with the least weighted time per item whose labels agree with fp32 on at
    least MIN_AGREEMENT of items for every stage."""
    best, best_cost = "fp32", float("inf")
    for option in KNOB_OPTIONS:
        entries = [results[stage].get(option, {}) for stage in weights]
        if any("per_s" not in e or e["agreement"] < MIN_AGREEMENT for e in entries):
            continue
        cost = sum(w / max(e["per_s"], 1e-9) for w, e in zip(weights.values(), entries))
        if cost < best_cost:
            best, best_cost = option, cost
    return best
