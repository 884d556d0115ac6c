"""Stance toward targets by zero-shot NLI, per mentioning sentence and per article.

Each (sentence, target) pair is the premise of three hypotheses (in favour of, against, neutral
about the target). As in Hugging Face's single-label zero-shot pipeline, the three entailment
logits are soft-maxed against each other: the stance is whichever hypothesis the sentence
entails most. Only sentences that mention a target are scored, so a target an article never
names gets no row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from newslens.models.classify import Classifier, softmax
from newslens.schema import STANCE, STANCE_MENTIONS
from newslens.text.targets import Target

STANCES = ("favor", "against", "neutral")
MENTION_COLUMNS = [*STANCE_MENTIONS.names, "published_month"]
STANCE_COLUMNS = [*STANCE.names, "published_month"]
DEAD_ZONE = 0.15
MAX_EVIDENCE = 3


def entailment_index(id2label: Mapping[int, str]) -> int:
    """Output position of the entailment class, found by name."""
    for idx, name in id2label.items():
        if str(name).strip().lower().startswith("entail"):
            return int(idx)
    raise ValueError(f"NLI model labels {dict(id2label)} have no 'entailment' class")


def _typed_mentions(df: pd.DataFrame) -> pd.DataFrame:
    for col in MENTION_COLUMNS:
        if col not in df.columns:
            df[col] = None
    df = df[MENTION_COLUMNS].copy()
    df["sent_idx"] = pd.to_numeric(df["sent_idx"]).astype("int32")
    for col in ("p_favor", "p_against", "p_neutral"):
        df[col] = pd.to_numeric(df[col]).astype("float32")
    return df.reset_index(drop=True)


def _premise(text: object, text_en: object, matched_on: str) -> str:
    """The original sentence, or its translation when only the translation named the target."""
    if matched_on == "english" and isinstance(text_en, str) and text_en.strip():
        return text_en
    return text if isinstance(text, str) else ""


def stance_mention_rows(sentences: pd.DataFrame, mentions: pd.DataFrame, targets: Sequence[Target],
                        classifier: Classifier, templates: Mapping[str, str], *,
                        run_id: str) -> pd.DataFrame:
    """STANCE_MENTIONS rows (plus published_month): one per (mentioning sentence, target)."""
    if mentions.empty:
        return _typed_mentions(pd.DataFrame(columns=MENTION_COLUMNS))
    missing = [k for k in STANCES if k not in templates]
    if missing:
        raise ValueError(f"stance templates lack {missing}")
    names = {t.id: t.name for t in targets}
    keep = [c for c in ("article_id", "sent_idx", "text", "text_en", "published_month")
            if c in sentences.columns]
    joined = mentions.merge(sentences[keep], on=["article_id", "sent_idx"], how="left",
                            validate="many_to_one")
    text_en = joined["text_en"] if "text_en" in joined.columns else pd.Series([None] * len(joined))
    premises, hypotheses = [], []
    for text, en, on, tid in zip(joined["text"], text_en, joined["matched_on"], joined["target_id"]):
        premise = _premise(text, en, on)
        for stance in STANCES:  # the three hypotheses of a pair stay adjacent: one batch
            premises.append(premise)
            hypotheses.append(templates[stance].format(target=names.get(tid, tid)))
    logits = classifier.predict_logits(premises, hypotheses, group_size=len(STANCES))
    entail = logits[:, entailment_index(classifier.id2label)].reshape(-1, len(STANCES))
    probs = softmax(entail, axis=1)
    out = joined[["article_id", "sent_idx", "target_id", "matched_alias", "matched_on"]].copy()
    out["label"] = [STANCES[i] for i in probs.argmax(axis=1)]
    out["p_favor"], out["p_against"], out["p_neutral"] = probs[:, 0], probs[:, 1], probs[:, 2]
    out["model"], out["model_revision"] = classifier.model_id, classifier.revision
    out["run_id"] = run_id
    out["published_month"] = (joined["published_month"] if "published_month" in joined.columns
                              else None)
    return _typed_mentions(out)


def stance_label(score: float, dead_zone: float = DEAD_ZONE) -> str:
    """favor / against beyond the dead zone around zero, neutral inside it."""
    if score >= dead_zone:
        return "favor"
    if score <= -dead_zone:
        return "against"
    return "neutral"


def aggregate_stance(mention_rows: pd.DataFrame, targets: Sequence[Target], *,
                     dead_zone: float = DEAD_ZONE) -> pd.DataFrame:
    """STANCE rows (plus published_month): one per (article, mentioned target).

    score: mean of (p_favor - p_against) over mentions, each weighted by its decisiveness
    (1 - p_neutral), so sentences the model finds neutral count for little; plain mean when
    every mention is neutral (all weights near zero).
    confidence: mean over mentions of the winning probability, max(p_favor, p_against,
    p_neutral): how sure the model was of each sentence's label, not of the article's.
    evidence_sent_idx: up to three sentences with the largest |p_favor - p_against|, heaviest
    first (ties: earlier sentence first).
    """
    if mention_rows.empty:
        return _typed_stance(pd.DataFrame(columns=STANCE_COLUMNS))
    names = {t.id: t.name for t in targets}
    rows = []
    grouped = mention_rows.groupby(["article_id", "target_id"], sort=False).indices
    for (article_id, target_id), idx in grouped.items():
        part = mention_rows.iloc[idx]
        fav = part["p_favor"].to_numpy(dtype=np.float64)
        ag = part["p_against"].to_numpy(dtype=np.float64)
        neu = part["p_neutral"].to_numpy(dtype=np.float64)
        diff = fav - ag
        weights = 1.0 - neu
        score = float(diff @ weights / weights.sum()) if weights.sum() > 1e-6 else float(diff.mean())
        sent = part["sent_idx"].to_numpy()
        order = sorted(range(len(idx)), key=lambda i: (-abs(diff[i]), sent[i]))
        first = part.iloc[0]
        rows.append({
            "article_id": article_id, "target_id": target_id,
            "target_name": names.get(target_id, target_id),
            "label": stance_label(score, dead_zone), "score": score,
            "confidence": float(np.maximum(np.maximum(fav, ag), neu).mean()),
            "n_mentions": len(idx),
            "evidence_sent_idx": [int(sent[i]) for i in order[:MAX_EVIDENCE]],
            **{c: first.get(c) for c in ("model", "model_revision", "run_id", "published_month")},
        })
    return _typed_stance(pd.DataFrame(rows))


def _typed_stance(df: pd.DataFrame) -> pd.DataFrame:
    for col in STANCE_COLUMNS:
        if col not in df.columns:
            df[col] = None
    df = df[STANCE_COLUMNS].copy()
    for col in ("score", "confidence"):
        df[col] = pd.to_numeric(df[col]).astype("float32")
    df["n_mentions"] = pd.to_numeric(df["n_mentions"]).astype("int32")
    return df.reset_index(drop=True)
