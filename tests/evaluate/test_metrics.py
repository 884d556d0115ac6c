"""Metric arithmetic against hand-worked values, and sacreBLEU called directly."""

from __future__ import annotations

import numpy as np
import pytest
import sacrebleu
from sacrebleu.metrics import BLEU, CHRF

from newslens.evaluate.metrics import (classification_metrics, confusion_matrix, confusion_values,
                                       resampled_confusions, encode)
from newslens.evaluate.mt_metrics import bootstrap_samples, comet_scores, corpus_scores

SENT = ("negative", "neutral", "positive")
STANCE = ("favor", "against", "none")
# Ten sentiment items; the matrix below was counted by hand from these two lists.
GOLD = ["negative", "negative", "negative", "neutral", "neutral",
        "positive", "positive", "positive", "positive", "neutral"]
PRED = ["negative", "neutral", "negative", "neutral", "positive",
        "positive", "positive", "negative", "positive", "neutral"]
HAND_MATRIX = [[2, 1, 0],   # gold negative: 2 right, 1 called neutral
               [0, 2, 1],   # gold neutral: 2 right, 1 called positive
               [1, 0, 3]]   # gold positive: 3 right, 1 called negative


def by_name(values, subset="all"):
    return {m.metric: m for m in values if m.subset == subset}


def test_confusion_matrix_matches_the_hand_count():
    assert confusion_matrix(GOLD, PRED, SENT).tolist() == HAND_MATRIX
    rows = {m.metric: m.value for m in confusion_values(GOLD, PRED, SENT)}
    assert rows["confusion:negative>neutral"] == 1 and rows["confusion:positive>negative"] == 1
    assert sum(rows.values()) == 10


def test_sentiment_accuracy_and_f1_by_hand():
    got = by_name(classification_metrics(GOLD, PRED, SENT, macro_sets={"macro_f1": SENT},
                                         n_boot=0))
    assert got["accuracy"].value == pytest.approx(7 / 10)
    # negative: P = 2/3, R = 2/3; neutral: P = 2/3, R = 2/3; positive: P = 3/4, R = 3/4
    assert got["f1_negative"].value == pytest.approx(2 / 3)
    assert got["f1_neutral"].value == pytest.approx(2 / 3)
    assert got["f1_positive"].value == pytest.approx(3 / 4)
    assert got["macro_f1"].value == pytest.approx(25 / 36)
    assert got["accuracy"].n == 10 and got["accuracy"].ci_low is None


def test_stance_f1_over_favor_against_and_over_all_three_by_hand():
    gold = ["favor", "favor", "against", "against", "none", "none"]
    pred = ["favor", "favor", "against", "none", "none", "favor"]
    got = by_name(classification_metrics(
        gold, pred, STANCE, macro_sets={"f1_favor_against": ("favor", "against"),
                                        "macro_f1": STANCE}, n_boot=0))
    # favor: P = 2/3, R = 1 -> 4/5; against: P = 1, R = 1/2 -> 2/3; none: P = 1/2, R = 1/2
    assert got["f1_favor"].value == pytest.approx(4 / 5)
    assert got["f1_against"].value == pytest.approx(2 / 3)
    assert got["f1_none"].value == pytest.approx(1 / 2)
    assert got["f1_favor_against"].value == pytest.approx(11 / 15)
    assert got["macro_f1"].value == pytest.approx(59 / 90)
    assert got["accuracy"].value == pytest.approx(4 / 6)


def test_a_class_never_seen_nor_predicted_scores_zero():
    got = by_name(classification_metrics(["favor", "none"], ["favor", "none"], STANCE,
                                         macro_sets={"f1_favor_against": ("favor", "against")},
                                         n_boot=0))
    assert got["f1_against"].value == 0.0
    assert got["f1_favor_against"].value == pytest.approx(0.5)


def test_unknown_labels_are_refused():
    with pytest.raises(ValueError, match="'maybe'"):
        confusion_matrix(["favor"], ["maybe"], STANCE)


def test_each_bootstrap_resample_is_the_matrix_of_those_items():
    g, p = encode(GOLD, SENT), encode(PRED, SENT)
    boot = resampled_confusions(g, p, 3, 50, seed=7)
    idx = np.random.default_rng(7).integers(0, len(GOLD), size=(50, len(GOLD)))
    for b in (0, 17, 49):
        expected = confusion_matrix([GOLD[i] for i in idx[b]], [PRED[i] for i in idx[b]], SENT)
        assert (boot[b] == expected).all()
    assert (boot.sum(axis=(1, 2)) == len(GOLD)).all()


def test_bootstrap_interval_is_seeded_and_brackets_the_value():
    kwargs = dict(macro_sets={"macro_f1": SENT}, n_boot=400)
    first = by_name(classification_metrics(GOLD * 3, PRED * 3, SENT, seed=1, **kwargs))
    again = by_name(classification_metrics(GOLD * 3, PRED * 3, SENT, seed=1, **kwargs))
    other = by_name(classification_metrics(GOLD * 3, PRED * 3, SENT, seed=2, **kwargs))
    acc = first["accuracy"]
    assert (acc.ci_low, acc.ci_high) == (again["accuracy"].ci_low, again["accuracy"].ci_high)
    assert (acc.ci_low, acc.ci_high) != (other["accuracy"].ci_low, other["accuracy"].ci_high)
    assert acc.ci_low < acc.value < acc.ci_high
    assert "n=400" in acc.signature and "seed=1" in acc.signature


HYPS = ["The government approved the gas law.", "Moscow answered the sanctions of Europe.",
        "Kyiv asks for more air defence.", "Prices of energy fell in September.",
        "The summit is in Geneva next week.", "Nobody said anything."]
REFS = ["The government approved the gas law.", "Moscow responded to the European sanctions.",
        "Kyiv is asking for new air defence supplies.", "Energy prices fell in September.",
        "The summit will be held in Geneva next week.", "The minister declined to comment."]


def test_bleu_and_chrf_equal_sacrebleu_called_directly():
    got = by_name(corpus_scores(HYPS, REFS, n_boot=0))
    bleu = sacrebleu.corpus_bleu(HYPS, [REFS])
    chrf = sacrebleu.corpus_chrf(HYPS, [REFS])
    assert got["bleu"].value == pytest.approx(bleu.score)
    assert got["chrf"].value == pytest.approx(chrf.score)
    assert got["bleu"].signature.startswith("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp")
    assert got["chrf"].signature.startswith("nrefs:1|case:mixed|eff:yes|nc:6|nw:0")
    assert got["bleu"].n == len(HYPS)


def test_translation_bootstrap_scores_are_corpus_scores_of_the_resamples():
    samples = bootstrap_samples(BLEU(), HYPS, REFS, 20, seed=3)
    chrf_samples = bootstrap_samples(CHRF(), HYPS, REFS, 20, seed=3)
    idx = np.random.default_rng(3).integers(0, len(HYPS), size=(20, len(HYPS)))
    for b in (0, 9, 19):
        hyps, refs = [HYPS[i] for i in idx[b]], [REFS[i] for i in idx[b]]
        assert samples[b] == pytest.approx(sacrebleu.corpus_bleu(hyps, [refs]).score)
        assert chrf_samples[b] == pytest.approx(sacrebleu.corpus_chrf(hyps, [refs]).score)
    got = by_name(corpus_scores(HYPS, REFS, n_boot=200, seed=3))
    assert got["bleu"].ci_low <= got["bleu"].value <= got["bleu"].ci_high


def test_comet_is_skipped_with_a_note_when_it_cannot_run(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "comet" else real(name, *a))
    values, note = comet_scores(["a"], ["b"], ["c"], "Unbabel/wmt22-comet-da")
    assert values == [] and "unbabel-comet package is not installed" in note


def test_comet_glue_passes_triples_and_keeps_the_system_score(monkeypatch, tmp_path):
    """The unbabel-comet API as its documentation gives it, stood in for (no COMET model here)."""
    import importlib.util
    import sys
    import types

    seen = {}

    class Scorer:
        def predict(self, data, batch_size, gpus, progress_bar):
            seen["data"], seen["gpus"] = data, gpus
            return types.SimpleNamespace(system_score=0.8123, scores=[0.8] * len(data))

    def load_from_checkpoint(path):
        seen["checkpoint"] = path
        return Scorer()

    fake = types.ModuleType("comet")
    fake.load_from_checkpoint = load_from_checkpoint
    fake.download_model = lambda name: pytest.fail("a local checkpoint must not be downloaded")
    monkeypatch.setitem(sys.modules, "comet", fake)
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: object() if name == "comet" else real(name, *a))
    folder = tmp_path / "wmt22-comet-da"
    (folder / "checkpoints").mkdir(parents=True)
    values, note = comet_scores(["Ciao."], ["Hello."], ["Hi."], str(folder))
    assert note is None
    assert seen["checkpoint"] == str(folder / "checkpoints" / "model.ckpt")
    assert seen["data"] == [{"src": "Ciao.", "mt": "Hello.", "ref": "Hi."}] and seen["gpus"] == 0
    assert [(v.metric, v.value, v.n) for v in values] == [("comet", 0.8123, 1)]
