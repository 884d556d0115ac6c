"""Shared classifier: batching, order restoration, caching and reduced precisions."""

from __future__ import annotations

import json

import numpy as np
import pytest

from newslens.models.batching import token_batches
from newslens.models.engines import get_classifier
from newslens.models.options import ClassifierOptions
from newslens.models.loading import read_metadata, resolve
from newslens.models.tiny_corpus import corpus_sentences

TEXTS = [
    "La Russia ha criticato le nuove sanzioni dell'Unione europea.",
    "NATO.",
    "Уряд підтримав нові санкції проти Росії після нападу на кордоні.",
    "The minister welcomed the trade deal with Beijing.",
    "Die Regierung verurteilte den Angriff an der Grenze und die Entscheidung des Gipfels.",
    "Ok",
    "El gobierno rechazó el acuerdo militar.",
]


def test_tiny_models_load_real_classes(tiny_sentiment_dir, tiny_nli_dir):
    from transformers import AutoTokenizer

    sent = get_classifier(resolve(str(tiny_sentiment_dir)))
    nli = get_classifier(resolve(str(tiny_nli_dir)))
    assert type(sent.forward.model).__name__ == "XLMRobertaForSequenceClassification"
    assert type(nli.forward.model).__name__ == "DebertaV2ForSequenceClassification"
    assert nli.forward.model.config.relative_attention
    assert type(AutoTokenizer.from_pretrained(tiny_sentiment_dir)).__name__ == "XLMRobertaTokenizer"
    assert type(AutoTokenizer.from_pretrained(tiny_nli_dir)).__name__ == "DebertaV2Tokenizer"
    assert sent.id2label == {0: "Negative", 1: "Neutral", 2: "Positive"}  # as cardiffnlp names them
    assert nli.id2label == {0: "entailment", 1: "neutral", 2: "contradiction"}
    assert sent.model_id == "tiny/xlm-roberta-sentiment" and sent.revision == "tiny-random"
    assert read_metadata(tiny_nli_dir)["tiny"] is True
    assert any(tiny_sentiment_dir.glob("*.safetensors"))


def test_build_is_deterministic_per_seed(tmp_path):
    from newslens.models.tiny_encoders import build_tiny_xlmr_sentiment
    from safetensors.numpy import load_file

    a = load_file(build_tiny_xlmr_sentiment(tmp_path / "a", seed=3) / "model.safetensors")
    b = load_file(build_tiny_xlmr_sentiment(tmp_path / "b", seed=3) / "model.safetensors")
    c = load_file(build_tiny_xlmr_sentiment(tmp_path / "c", seed=4) / "model.safetensors")
    key = "classifier.dense.weight"
    assert np.array_equal(a[key], b[key]) and not np.array_equal(a[key], c[key])
    # Same seed, same vocabulary and ids (the tokenizer trainer alone is not reproducible).
    assert ((tmp_path / "a" / "tokenizer.json").read_bytes()
            == (tmp_path / "b" / "tokenizer.json").read_bytes())
    meta = json.loads((tmp_path / "a" / "newslens-model.json").read_text())
    assert meta["model_id"] == "tiny/xlm-roberta-sentiment"


def test_batched_equals_one_by_one(tiny_sentiment_dir):
    # A small token budget forces several batches and reordering by length.
    clf = get_classifier(resolve(str(tiny_sentiment_dir)), ClassifierOptions(max_batch_tokens=64))
    batches = clf.preprocess(TEXTS)
    assert len(batches) > 1
    batched = clf.predict_proba(TEXTS)
    single = np.vstack([clf.predict_proba([t]) for t in TEXTS])
    assert batched.shape == (len(TEXTS), 3) and batched.dtype == np.float32
    np.testing.assert_allclose(batched, single, atol=1e-5)
    np.testing.assert_allclose(batched.sum(axis=1), 1.0, atol=1e-5)
    # Random weights must still tell inputs apart, or the other tests prove nothing.
    assert np.ptp(batched[:, 0]) > 0.05


def test_pairs_and_groups_stay_together(tiny_nli_dir):
    clf = get_classifier(resolve(str(tiny_nli_dir)), ClassifierOptions(max_batch_tokens=96))
    premises = [t for t in TEXTS for _ in range(3)]
    hyps = [f"This text is {s} Russia." for _ in TEXTS for s in ("in favor of", "against", "neutral about")]
    for batch in clf.preprocess(premises, hyps, group_size=3):
        assert len(batch.indices) % 3 == 0
        assert {i // 3 for i in batch.indices} == {i // 3 for i in batch.indices[::3]}
    together = clf.predict_logits(premises, hyps, group_size=3)
    alone = np.vstack([clf.predict_logits([p], [h]) for p, h in zip(premises, hyps)])
    np.testing.assert_allclose(together, alone, atol=1e-4)
    assert "token_type_ids" in clf.preprocess(premises[:1], hyps[:1])[0].features
    with pytest.raises(ValueError):
        clf.predict_proba(premises[:4], hyps[:4], group_size=3)


def test_token_batches_respect_budget():
    lengths = [5, 30, 12, 7, 30, 2]
    batches = token_batches(lengths, 60)
    assert sorted(i for b in batches for i in b) == list(range(6))
    for b in batches:
        assert len(b) == 1 or len(b) * max(lengths[i] for i in b) <= 60
    assert batches[0] == [1, 4]  # longest first, stable among equals
    assert token_batches([100], 10) == [[0]]  # too long still runs alone


def test_cached_per_process_and_empty_input(tiny_sentiment_dir):
    resolved = resolve(str(tiny_sentiment_dir))
    assert get_classifier(resolved) is get_classifier(resolved)
    assert get_classifier(resolved, ClassifierOptions(precision="bf16")) is not get_classifier(resolved)
    assert get_classifier(resolved).predict_proba([]).shape == (0, 3)
    with pytest.raises(ValueError):
        get_classifier(resolved, ClassifierOptions(precision="fp8"))


@pytest.mark.parametrize("precision", ["bf16", "int8"])
def test_reduced_precision_agrees_with_fp32(tiny_sentiment_dir, precision, capsys):
    import torch

    resolved = resolve(str(tiny_sentiment_dir))
    texts = corpus_sentences(per_language=12)
    ref = get_classifier(resolved).predict_proba(texts)
    low_clf = get_classifier(resolved, ClassifierOptions(precision=precision))
    low = low_clf.predict_proba(texts)
    if precision == "int8":
        modules = low_clf.forward.model.modules()
        assert any(isinstance(m, torch.ao.nn.quantized.dynamic.Linear) for m in modules)
    else:  # bf16 weights, not autocast over fp32 ones
        assert low_clf.forward.model.classifier.dense.weight.dtype == torch.bfloat16
    # The shared fp32 model is left untouched.
    fp32_dense = get_classifier(resolved).forward.model.classifier.dense
    assert isinstance(fp32_dense, torch.nn.Linear) and fp32_dense.weight.dtype == torch.float32
    np.testing.assert_allclose(low.sum(axis=1), 1.0, atol=1e-4)
    agreement = float((low.argmax(1) == ref.argmax(1)).mean())
    max_diff = float(np.abs(low - ref).max())
    with capsys.disabled():
        print(f"\n{precision}: argmax agreement with fp32 {agreement:.3f} "
              f"on {len(texts)} sentences, max |dp| {max_diff:.4f}")
    assert agreement >= 0.8
