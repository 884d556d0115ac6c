"""Sentence and article sentiment: label mapping, aggregation arithmetic, rows and lineage."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from newslens.models.engines import get_classifier
from newslens.models.loading import resolve
from newslens.models.sentiment import aggregate_sentiment, label_columns, sentiment_rows
from newslens.schema import SENTIMENT


def _sentence_rows(probs: list[tuple[float, float, float]], article: str = "a1") -> pd.DataFrame:
    p = np.array(probs)
    labels = np.array(["negative", "neutral", "positive"])[p.argmax(1)]
    return pd.DataFrame({"article_id": article, "level": "sentence", "sent_idx": range(len(p)),
                         "label": labels, "p_negative": p[:, 0], "p_neutral": p[:, 1],
                         "p_positive": p[:, 2], "score": p[:, 2] - p[:, 0]})


def test_label_columns_by_name_and_generic():
    assert label_columns({0: "Negative", 1: "Neutral", 2: "Positive"}) == [0, 1, 2]
    assert label_columns({0: "positive", 1: "negative", 2: "neutral"}) == [1, 2, 0]
    assert label_columns({0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"}) == [0, 1, 2]
    with pytest.raises(ValueError):
        label_columns({0: "entailment", 1: "neutral", 2: "contradiction"})


def test_aggregate_is_length_weighted():
    rows = _sentence_rows([(0.7, 0.2, 0.1), (0.1, 0.3, 0.6), (0.2, 0.6, 0.2)])
    out = aggregate_sentiment(rows, [100, 50, 50])  # weights 0.5, 0.25, 0.25
    assert len(out) == 1
    art = out.iloc[0]
    assert art["level"] == "article" and pd.isna(art["sent_idx"])
    assert art["p_negative"] == pytest.approx(0.5 * 0.7 + 0.25 * 0.1 + 0.25 * 0.2)  # 0.425
    assert art["p_neutral"] == pytest.approx(0.5 * 0.2 + 0.25 * 0.3 + 0.25 * 0.6)  # 0.325
    assert art["p_positive"] == pytest.approx(0.5 * 0.1 + 0.25 * 0.6 + 0.25 * 0.2)  # 0.25
    assert art["score"] == pytest.approx(0.25 - 0.425)
    assert art["label"] == "negative"
    assert art["share_negative"] == pytest.approx(1 / 3)
    assert art["share_positive"] == pytest.approx(1 / 3)
    assert art["n_sentences"] == 3
    # Same sentences, weights flipped toward the positive one: the label follows the weight.
    flipped = aggregate_sentiment(rows, [10, 200, 10]).iloc[0]
    assert flipped["label"] == "positive" and flipped["score"] > 0
    # Zero lengths everywhere fall back to equal weights.
    equal = aggregate_sentiment(rows, [0, 0, 0]).iloc[0]
    assert equal["p_neutral"] == pytest.approx((0.2 + 0.3 + 0.6) / 3)


def test_aggregate_groups_by_article():
    rows = pd.concat([_sentence_rows([(0.8, 0.1, 0.1)], "a"),
                      _sentence_rows([(0.1, 0.1, 0.8), (0.1, 0.2, 0.7)], "b")], ignore_index=True)
    out = aggregate_sentiment(rows, [10, 10, 30]).set_index("article_id")
    assert out.loc["a", "label"] == "negative" and out.loc["a", "n_sentences"] == 1
    assert out.loc["b", "share_positive"] == 1.0 and out.loc["b", "n_sentences"] == 2
    with pytest.raises(ValueError):
        aggregate_sentiment(rows, [1, 2])


def _sentences() -> pd.DataFrame:
    return pd.DataFrame({
        "article_id": ["x", "x", "x", "y", "y"],
        "sent_idx": [0, 1, 2, 0, 1],
        "text": ["La Russia ha condannato l'attacco al confine.", "Il governo ha accolto l'accordo.",
                 "Gli analisti hanno discusso.", "Уряд засудив напад.", "Президент привітав угоду."],
        "text_en": ["Russia condemned the attack on the border.", None,
                    "Analysts discussed.", "The government condemned the attack.", None],
        "published_month": ["2024-05"] * 3 + ["unknown"] * 2,
    })


def test_sentiment_rows_shape_columns_and_lineage(tiny_sentiment_dir):
    clf = get_classifier(resolve(str(tiny_sentiment_dir)))
    out = sentiment_rows(_sentences(), clf, run_id="run-1")
    assert list(out.columns) == [*SENTIMENT.names, "published_month"]
    assert (out["level"] == "sentence").sum() == 5 and (out["level"] == "article").sum() == 2
    assert out["model"].eq("tiny/xlm-roberta-sentiment").all()
    assert out["model_revision"].notna().all() and out["run_id"].eq("run-1").all()
    sent = out[out["level"] == "sentence"]
    probs = sent[["p_negative", "p_neutral", "p_positive"]].to_numpy()
    np.testing.assert_allclose(probs.sum(1), 1.0, atol=1e-5)
    np.testing.assert_allclose(sent["score"], probs[:, 2] - probs[:, 0], atol=1e-6)
    assert list(sent["label"]) == [["negative", "neutral", "positive"][i] for i in probs.argmax(1)]
    assert sent[["share_negative", "n_sentences"]].isna().all().all()
    art = out[out["level"] == "article"].set_index("article_id")
    assert art.loc["x", "n_sentences"] == 3 and art.loc["y", "published_month"] == "unknown"
    # Matches the sentence-level numbers re-aggregated by hand.
    xs = sent[sent["article_id"] == "x"]
    w = np.array([len(t) for t in _sentences()["text"][:3]], dtype=float)
    assert art.loc["x", "score"] == pytest.approx(float(xs["score"] @ w / w.sum()), abs=1e-5)
    pa.Table.from_pandas(out.drop(columns="published_month"), schema=SENTIMENT, preserve_index=False)


def test_sentiment_rows_english_source(tiny_sentiment_dir):
    clf = get_classifier(resolve(str(tiny_sentiment_dir)))
    frame = _sentences()
    orig = sentiment_rows(frame, clf, run_id="r")
    eng = sentiment_rows(frame, clf, text_source="english", run_id="r")
    s_orig, s_eng = orig[orig["level"] == "sentence"], eng[eng["level"] == "sentence"]
    # Sentence 0 has a translation: different text, different probabilities.
    assert not np.allclose(s_orig.iloc[0][["p_negative", "p_positive"]].astype(float),
                           s_eng.iloc[0][["p_negative", "p_positive"]].astype(float))
    # Sentence 1 has none: scored on the original, and says so.
    assert s_eng.iloc[1]["text_source"] == "original"
    assert s_eng.iloc[1]["p_positive"] == pytest.approx(s_orig.iloc[1]["p_positive"], abs=1e-5)
    assert eng[eng["level"] == "article"]["text_source"].eq("english").all()
    with pytest.raises(ValueError):
        sentiment_rows(frame, clf, text_source="klingon", run_id="r")


def test_sentiment_rows_empty(tiny_sentiment_dir):
    clf = get_classifier(resolve(str(tiny_sentiment_dir)))
    out = sentiment_rows(_sentences().iloc[:0], clf, run_id="r")
    assert out.empty and list(out.columns) == [*SENTIMENT.names, "published_month"]
