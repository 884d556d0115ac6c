"""The metrics of one evaluation from its per-item outputs, and which model each subset measured.

- translation: BLEU and chrF over all items, and per source language when there are several
  (each language has its own model); COMET when available;
- sentiment: accuracy, macro-F1, per-class F1 and the confusion matrix;
- stance: accuracy, macro-F1 over favor/against (`f1_favor_against`, SemEval-2016's F_avg),
  macro-F1 over all three (`macro_f1`), per-class F1, the confusion matrix, and per target the
  accuracy and favor/against F1.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from newslens.evaluate.labels import SENTIMENT_LABELS, STANCE_LABELS
from newslens.evaluate.metrics import MetricValue, classification_metrics, confusion_values
from newslens.evaluate.mt_metrics import comet_scores, corpus_scores, sentence_chrf


@dataclass
class Scores:
    """Metric values, the model (id, revision) behind each subset, and notes for the reader."""

    metrics: list[MetricValue]
    lineage: dict[str, tuple[str | None, str | None]]
    notes: list[str] = field(default_factory=list)


def _joined(values: pd.Series) -> str | None:
    present = sorted({str(v) for v in values.dropna()})
    return ",".join(present) if present else None


def _lineage(outputs: pd.DataFrame) -> tuple[str | None, str | None]:
    return _joined(outputs["model"]), _joined(outputs["model_revision"])


def score_translation(outputs: pd.DataFrame, *, n_boot: int, seed: int,
                      comet_model: str | None = None) -> Scores:
    hyps, refs = outputs["hypothesis"].tolist(), outputs["reference"].tolist()
    metrics = corpus_scores(hyps, refs, n_boot=n_boot, seed=seed)
    lineage = {"all": _lineage(outputs)}
    langs = sorted(outputs["lang"].unique())
    if len(langs) > 1:
        for lang in langs:
            part = outputs[outputs["lang"] == lang]
            subset = f"lang={lang}"
            metrics += corpus_scores(part["hypothesis"].tolist(), part["reference"].tolist(),
                                     subset=subset, n_boot=n_boot, seed=seed)
            lineage[subset] = _lineage(part)
    comet, note = comet_scores(outputs["source"].tolist(), hyps, refs, comet_model)
    return Scores(metrics + comet, lineage, [note] if note else [])


def score_sentiment(outputs: pd.DataFrame, *, n_boot: int, seed: int) -> Scores:
    gold, pred = outputs["label"].tolist(), outputs["predicted"].tolist()
    metrics = classification_metrics(gold, pred, SENTIMENT_LABELS,
                                     macro_sets={"macro_f1": SENTIMENT_LABELS},
                                     n_boot=n_boot, seed=seed)
    metrics += confusion_values(gold, pred, SENTIMENT_LABELS)
    return Scores(metrics, {"all": _lineage(outputs)})


def score_stance(outputs: pd.DataFrame, *, n_boot: int, seed: int) -> Scores:
    gold, pred = outputs["label"].tolist(), outputs["predicted"].tolist()
    sets = {"f1_favor_against": ("favor", "against"), "macro_f1": STANCE_LABELS}
    metrics = classification_metrics(gold, pred, STANCE_LABELS, macro_sets=sets,
                                     n_boot=n_boot, seed=seed)
    metrics += confusion_values(gold, pred, STANCE_LABELS)
    for target in sorted(outputs["target_id"].unique()):
        part = outputs[outputs["target_id"] == target]
        metrics += classification_metrics(
            part["label"].tolist(), part["predicted"].tolist(), STANCE_LABELS,
            macro_sets={"f1_favor_against": ("favor", "against")}, subset=f"target={target}",
            per_class=False, n_boot=n_boot, seed=seed)
    return Scores(metrics, {"all": _lineage(outputs)})


def score(task: str, outputs: pd.DataFrame, *, n_boot: int, seed: int,
          comet_model: str | None = None) -> Scores:
    if task == "translation":
        return score_translation(outputs, n_boot=n_boot, seed=seed, comet_model=comet_model)
    if task == "sentiment":
        return score_sentiment(outputs, n_boot=n_boot, seed=seed)
    return score_stance(outputs, n_boot=n_boot, seed=seed)


def with_item_scores(task: str, outputs: pd.DataFrame) -> pd.DataFrame:
    """Per-item outputs plus what helps a reader find the errors (chrF, or right/wrong)."""
    out = outputs.copy()
    if task == "translation":
        out["chrf"] = sentence_chrf(out["hypothesis"].tolist(), out["reference"].tolist())
    else:
        out["correct"] = out["label"] == out["predicted"]
    return out
