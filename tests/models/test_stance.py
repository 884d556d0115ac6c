"""Zero-shot stance: only mentioned targets, three hypotheses per pair, aggregation, lineage."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from newslens.models.classify import softmax
from newslens.models.engines import get_classifier
from newslens.models.options import ClassifierOptions
from newslens.models.loading import resolve
from newslens.models.stance import aggregate_stance, entailment_index, stance_label, stance_mention_rows
from newslens.schema import STANCE, STANCE_MENTIONS
from newslens.text.targets import Target, find_mentions

TEMPLATES = {"favor": "This text is in favor of {target}.",
             "against": "This text is against {target}.",
             "neutral": "This text is neutral about {target}."}
TARGETS = [Target("russia", "Russia", {"it": ("Russia",), "en": ("Russia",), "ru": ("Росси+",)}),
           Target("nato", "NATO", {"it": ("NATO",), "en": ("NATO",), "ru": ("НАТО",)})]


def _sentences() -> pd.DataFrame:
    return pd.DataFrame({
        "article_id": ["a", "a", "a", "b", "c"],
        "sent_idx": [0, 1, 2, 0, 0],
        "text": ["La Russia ha criticato la NATO.", "Il governo ha discusso.",
                 "Mosca ha respinto l'accordo.", "Il ministro ha accolto le sanzioni.",
                 "Москва отвергла соглашение."],
        "lang": ["it", "it", "it", "it", "ru"],
        "text_en": ["Russia criticised NATO.", None, "Russia rejected the agreement.",
                    "The minister welcomed the sanctions.", "Russia rejected the agreement."],
        "published_month": ["2024-05", "2024-05", "2024-05", "2024-06", "unknown"],
    })


class _Recorder:
    """Wraps a classifier and records what it was asked."""

    def __init__(self, inner):
        self.inner, self.calls = inner, []
        self.model_id, self.revision, self.id2label = inner.model_id, inner.revision, inner.id2label

    def predict_logits(self, texts, text_pairs=None, *, group_size=1):
        self.calls.append((list(texts), list(text_pairs), group_size))
        return self.inner.predict_logits(texts, text_pairs, group_size=group_size)


def test_entailment_index_by_name():
    assert entailment_index({0: "entailment", 1: "neutral", 2: "contradiction"}) == 0
    assert entailment_index({0: "CONTRADICTION", 1: "NEUTRAL", 2: "ENTAILMENT"}) == 2
    with pytest.raises(ValueError):
        entailment_index({0: "negative", 1: "positive"})


def test_mention_rows_three_hypotheses_per_pair(tiny_nli_dir):
    clf = _Recorder(get_classifier(resolve(str(tiny_nli_dir)), ClassifierOptions(max_batch_tokens=128)))
    sentences = _sentences()
    mentions = find_mentions(sentences, TARGETS)
    out = stance_mention_rows(sentences, mentions, TARGETS, clf, TEMPLATES, run_id="run-7")
    # a/0 names Russia and NATO; a/2 and c/0 only in English (Mosca/Москва are not aliases here);
    # b never names a target, so it gets no row.
    keys = set(zip(out["article_id"], out["sent_idx"], out["target_id"], out["matched_on"]))
    assert keys == {("a", 0, "russia", "original"), ("a", 0, "nato", "original"),
                    ("a", 2, "russia", "english"), ("c", 0, "russia", "english")}
    (premises, hyps, group), = clf.calls
    assert group == 3 and len(premises) == 3 * len(out)
    assert hyps[:3] == ["This text is in favor of Russia.", "This text is against Russia.",
                        "This text is neutral about Russia."]
    assert hyps[3:6] == [h.replace("Russia", "NATO") for h in hyps[:3]]
    assert premises[0] == premises[2] == "La Russia ha criticato la NATO."  # original text
    assert premises[6] == "Russia rejected the agreement."  # found only on the translation
    # Probabilities: softmax over the three entailment logits, as HF zero-shot does.
    logits = clf.inner.predict_logits(premises, hyps, group_size=3)
    expected = softmax(logits[:, 0].reshape(-1, 3), axis=1)
    np.testing.assert_allclose(out[["p_favor", "p_against", "p_neutral"]].to_numpy(), expected, atol=1e-5)
    assert list(out["label"]) == [("favor", "against", "neutral")[i] for i in expected.argmax(1)]
    assert list(out.columns) == [*STANCE_MENTIONS.names, "published_month"]
    assert out["model"].eq("tiny/mdeberta-nli").all() and out["model_revision"].notna().all()
    assert out["run_id"].eq("run-7").all() and out["published_month"].notna().all()
    pa.Table.from_pandas(out.drop(columns="published_month"), schema=STANCE_MENTIONS,
                         preserve_index=False)


def test_article_rows_only_for_mentioned_targets(tiny_nli_dir):
    clf = get_classifier(resolve(str(tiny_nli_dir)))
    sentences = _sentences()
    mentions = stance_mention_rows(sentences, find_mentions(sentences, TARGETS), TARGETS, clf,
                                   TEMPLATES, run_id="r")
    art = aggregate_stance(mentions, TARGETS)
    assert set(zip(art["article_id"], art["target_id"])) == {("a", "russia"), ("a", "nato"),
                                                             ("c", "russia")}
    row = art[(art["article_id"] == "a") & (art["target_id"] == "russia")].iloc[0]
    assert row["n_mentions"] == 2 and row["target_name"] == "Russia"
    assert row["model"] == "tiny/mdeberta-nli" and row["run_id"] == "r"
    assert list(art.columns) == [*STANCE.names, "published_month"]
    pa.Table.from_pandas(art.drop(columns="published_month"), schema=STANCE, preserve_index=False)
    empty = stance_mention_rows(sentences, find_mentions(sentences.iloc[1:2], TARGETS), TARGETS,
                                clf, TEMPLATES, run_id="r")
    assert empty.empty and aggregate_stance(empty, TARGETS).empty


def _mentions(rows: list[tuple[int, float, float, float]], article="a", target="russia"):
    return pd.DataFrame([{"article_id": article, "sent_idx": s, "target_id": target,
                          "p_favor": f, "p_against": g, "p_neutral": n, "model": "m",
                          "model_revision": "r1", "run_id": "run", "published_month": "2024-01"}
                         for s, f, g, n in rows])


def test_aggregate_weights_by_decisiveness():
    rows = [(0, 0.7, 0.1, 0.2),   # diff +0.6, weight 0.8
            (3, 0.1, 0.5, 0.4),   # diff -0.4, weight 0.6
            (5, 0.05, 0.05, 0.9),  # diff 0.0, weight 0.1
            (7, 0.3, 0.2, 0.5)]   # diff +0.1, weight 0.5
    row = aggregate_stance(_mentions(rows), TARGETS).iloc[0]
    expected = (0.6 * 0.8 - 0.4 * 0.6 + 0.0 * 0.1 + 0.1 * 0.5) / (0.8 + 0.6 + 0.1 + 0.5)
    assert row["score"] == pytest.approx(expected)  # 0.145: inside the dead zone
    assert row["label"] == "neutral"
    assert row["confidence"] == pytest.approx((0.7 + 0.5 + 0.9 + 0.5) / 4)
    assert row["n_mentions"] == 4 and row["target_name"] == "Russia"
    assert list(row["evidence_sent_idx"]) == [0, 3, 7]  # |diff| 0.6, 0.4, 0.1
    assert row["model_revision"] == "r1" and row["published_month"] == "2024-01"
    # A narrower dead zone turns the same score into favor.
    assert aggregate_stance(_mentions(rows), TARGETS, dead_zone=0.1).iloc[0]["label"] == "favor"


def test_aggregate_falls_back_to_plain_mean_and_orders_evidence():
    all_neutral = [(2, 0.0, 0.0, 1.0), (1, 0.0, 0.0, 1.0)]
    row = aggregate_stance(_mentions(all_neutral), TARGETS).iloc[0]
    assert row["score"] == pytest.approx(0.0) and row["label"] == "neutral"
    assert list(row["evidence_sent_idx"]) == [1, 2]  # ties: earlier sentence first
    against = [(4, 0.1, 0.8, 0.1), (9, 0.2, 0.7, 0.1)]
    row = aggregate_stance(_mentions(against), TARGETS).iloc[0]
    assert row["label"] == "against" and row["score"] == pytest.approx(-0.6)
    assert list(row["evidence_sent_idx"]) == [4, 9]
    assert stance_label(0.15) == "favor" and stance_label(-0.149) == "neutral"
