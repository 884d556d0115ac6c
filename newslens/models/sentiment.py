"""Sentence and article sentiment from a three-class classifier (negative / neutral / positive).

Sentences are scored by the shared `Classifier`; an article's row is the character-length
weighted mean of its sentences, so a long paragraph of criticism outweighs a short greeting.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from newslens.models.classify import Classifier
from newslens.schema import SENTIMENT

LABELS = ("negative", "neutral", "positive")
PROB_COLUMNS = ["p_negative", "p_neutral", "p_positive"]
COLUMNS = [*SENTIMENT.names, "published_month"]
_FLOATS = [*PROB_COLUMNS, "score", "share_negative", "share_positive"]
# cardiffnlp-style configs name their labels LABEL_0.. in this order.
_GENERIC = {"label_0": "negative", "label_1": "neutral", "label_2": "positive"}


def label_columns(id2label: Mapping[int, str]) -> list[int]:
    """Model output positions of negative, neutral, positive, found by label name."""
    by_name: dict[str, int] = {}
    for idx, raw in id2label.items():
        name = str(raw).strip().lower()
        by_name[_GENERIC.get(name, name)] = int(idx)
    missing = [lab for lab in LABELS if lab not in by_name]
    if missing:
        raise ValueError(f"sentiment model labels {dict(id2label)} lack {missing}; "
                         "expected negative/neutral/positive or LABEL_0..LABEL_2")
    return [by_name[lab] for lab in LABELS]


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    """Columns in schema order with dtypes that convert cleanly to the Arrow schema."""
    for col in COLUMNS:
        if col not in df.columns:
            df[col] = None
    df = df[COLUMNS].copy()
    for col in _FLOATS:
        df[col] = pd.to_numeric(df[col]).astype("float32")
    for col in ("sent_idx", "n_sentences"):
        df[col] = pd.to_numeric(df[col]).astype("Int32")
    return df.reset_index(drop=True)


def aggregate_sentiment(sentence_rows: pd.DataFrame, lengths: Sequence[int]) -> pd.DataFrame:
    """Article rows from sentence rows, weighting each sentence by its character length.

    Probabilities and score are weighted means (an article whose sentences all have zero
    length falls back to equal weights); the label is the argmax of the weighted
    probabilities; shares count sentences by their own label. Columns the sentence rows carry
    besides the numbers (lineage, run_id, text_source, published_month) are copied from the
    article's first sentence.
    """
    if len(lengths) != len(sentence_rows):
        raise ValueError("one length per sentence row is needed")
    df = sentence_rows.reset_index(drop=True)
    weights = np.asarray(lengths, dtype=np.float64).clip(min=0)
    carried = [c for c in ("text_source", "model", "model_revision", "run_id", "published_month")
               if c in df.columns]
    rows = []
    for article_id, idx in df.groupby("article_id", sort=False).indices.items():
        part = df.iloc[idx]
        w = weights[idx]
        w = w / w.sum() if w.sum() > 0 else np.full(len(idx), 1.0 / len(idx))
        probs = part[PROB_COLUMNS].to_numpy(dtype=np.float64).T @ w
        labels = part["label"].to_numpy()
        row = {"article_id": article_id, "level": "article", "sent_idx": None,
               "label": LABELS[int(np.argmax(probs))],
               **dict(zip(PROB_COLUMNS, probs)),
               "score": float(part["score"].to_numpy(dtype=np.float64) @ w),
               "share_negative": float(np.mean(labels == "negative")),
               "share_positive": float(np.mean(labels == "positive")),
               "n_sentences": len(idx)}
        row.update({c: part[c].iloc[0] for c in carried})
        rows.append(row)
    return _typed(pd.DataFrame(rows))


def _texts(sentences: pd.DataFrame, text_source: str) -> tuple[list[str], list[str]]:
    """Text scored per sentence and the source it actually came from.

    With `english`, a sentence lacking a translation (an English original, a failed
    translation) is scored on its original text, and says so in `text_source`.
    """
    original = sentences["text"].fillna("").astype(str).tolist()
    if text_source == "original":
        return original, ["original"] * len(original)
    if text_source != "english":
        raise ValueError(f"text_source must be 'original' or 'english', not {text_source!r}")
    english = (sentences["text_en"] if "text_en" in sentences.columns
               else pd.Series([None] * len(sentences)))
    texts, sources = [], []
    for orig, en in zip(original, english.tolist()):
        usable = isinstance(en, str) and en.strip() != ""
        texts.append(en if usable else orig)
        sources.append("english" if usable else "original")
    return texts, sources


def sentiment_rows(sentences: pd.DataFrame, classifier: Classifier, *,
                   text_source: str = "original", run_id: str) -> pd.DataFrame:
    """SENTIMENT rows (plus published_month): one per sentence and one per article."""
    if sentences.empty:
        return _typed(pd.DataFrame(columns=COLUMNS))
    texts, sources = _texts(sentences, text_source)
    proba = classifier.predict_proba(texts)
    probs = proba[:, label_columns(classifier.id2label)]
    month = sentences["published_month"].tolist() if "published_month" in sentences.columns else None
    sent = pd.DataFrame({
        "article_id": sentences["article_id"].tolist(),
        "level": "sentence",
        "sent_idx": sentences["sent_idx"].tolist(),
        "label": [LABELS[i] for i in probs.argmax(axis=1)],
        "p_negative": probs[:, 0], "p_neutral": probs[:, 1], "p_positive": probs[:, 2],
        "score": probs[:, 2] - probs[:, 0],
        "text_source": sources,
        "model": classifier.model_id, "model_revision": classifier.revision,
        "run_id": run_id, "published_month": month,
    })
    articles = aggregate_sentiment(sent, [len(t) for t in texts])
    articles["text_source"] = text_source  # what was asked for; sentences say what was used
    return _typed(pd.concat([_typed(sent), articles], ignore_index=True))
