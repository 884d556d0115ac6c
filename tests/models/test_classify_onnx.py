"""The ONNX Runtime classifier backend and the `auto` precision, on the tiny real architectures."""

from __future__ import annotations

import numpy as np
import pytest

from newslens.models import classify, classify_onnx, engines
from newslens.models.classify import resolve_precision
from newslens.models.classify_onnx import OnnxForward
from newslens.models.engines import get_classifier
from newslens.models.options import ClassifierOptions
from newslens.models.loading import resolve
from newslens.models.tiny_corpus import corpus_sentences

HYPOTHESES = ("in favor of", "against", "neutral about")


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    """An empty export cache and an empty in-process classifier cache."""
    monkeypatch.setattr(engines, "_CLASSIFIERS", {})
    return tmp_path / "cache"


@pytest.mark.parametrize("model", ["sentiment", "nli"])
def test_onnx_matches_torch_fp32_and_int8_agrees(model, tiny_sentiment_dir, tiny_nli_dir,
                                                  fresh_cache, capsys):
    resolved = resolve(str(tiny_sentiment_dir if model == "sentiment" else tiny_nli_dir))
    premises = corpus_sentences(per_language=6)
    pairs = None if model == "sentiment" else [f"This text is {h} Russia."
                                                for _, h in zip(premises, HYPOTHESES * 99)]
    ref = get_classifier(resolved).predict_proba(premises, pairs)
    fp32 = get_classifier(resolved, ClassifierOptions(precision="onnx-fp32", cache_dir=fresh_cache))
    int8 = get_classifier(resolved, ClassifierOptions(precision="onnx-int8", cache_dir=fresh_cache,
                                                      threads=1))
    assert isinstance(fp32.forward, OnnxForward)  # no torch model kept
    assert int8.id2label == get_classifier(resolved).id2label
    np.testing.assert_allclose(fp32.predict_proba(premises, pairs), ref, atol=1e-4)
    low = int8.predict_proba(premises, pairs)
    agreement = float((low.argmax(1) == ref.argmax(1)).mean())
    with capsys.disabled():
        print(f"\nonnx-int8 {model}: argmax agreement with fp32 {agreement:.3f} on "
              f"{len(premises)} inputs, max |dp| {np.abs(low - ref).max():.4f}")
    assert agreement >= 0.8
    assert not np.allclose(low, ref, atol=1e-6)  # really quantised, not the fp32 graph


def test_export_happens_once_and_int8_keeps_no_fp32_copy(tiny_sentiment_dir, fresh_cache,
                                                         monkeypatch):
    resolved = resolve(str(tiny_sentiment_dir))
    before = classify_onnx.exports
    options = ClassifierOptions(precision="onnx-int8", cache_dir=fresh_cache)
    first = get_classifier(resolved, options)
    assert classify_onnx.exports == before + 1
    path = first.forward.path
    assert path.parent.parent == fresh_cache.absolute() / "onnx"
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # fp32 and temps gone
    stamp = path.stat().st_mtime_ns
    monkeypatch.setattr(engines, "_CLASSIFIERS", {})  # a new process, as far as loading goes
    again = get_classifier(resolved, options)
    assert again is not first and again.forward.path == path
    assert classify_onnx.exports == before + 1 and path.stat().st_mtime_ns == stamp
    texts = corpus_sentences(per_language=2)
    np.testing.assert_array_equal(again.predict_proba(texts), first.predict_proba(texts))


def test_int8_uses_seven_bit_weights_without_vnni(tiny_sentiment_dir, fresh_cache, monkeypatch):
    resolved = resolve(str(tiny_sentiment_dir))
    monkeypatch.setattr(classify_onnx, "cpu_flags", lambda: {"avx2"})
    assert classify_onnx.export_onnx(resolved, fresh_cache).name == "model-int8-rr.onnx"
    monkeypatch.setattr(classify_onnx, "cpu_flags", lambda: {"avx2", "avx512_vnni"})
    assert classify_onnx.export_onnx(resolved, fresh_cache).name == "model-int8.onnx"


def test_auto_precision_follows_the_hardware(monkeypatch):
    monkeypatch.setattr(classify, "cpu_flags", lambda: {"avx2", "fma"})
    assert resolve_precision("auto", "cpu") == "onnx-int8"
    monkeypatch.setattr(classify, "cpu_flags", lambda: {"avx512f", "amx_bf16"})
    assert resolve_precision("auto", "cpu") == "bf16"
    assert resolve_precision("int8", "cpu") == "int8"  # an explicit choice stands
    with pytest.raises(ValueError, match="CPU only"):
        resolve_precision("onnx-int8", "cuda")
    with pytest.raises(ValueError, match="auto"):
        resolve_precision("fp8", "cpu")


def test_sentiment_stage_runs_the_configured_precision(tiny_sentiment_dir, fresh_cache):
    import pandas as pd

    from newslens.config import Settings
    from newslens.pipeline.model_steps import ModelPlan, sentiment_batch

    sentences = pd.DataFrame({"article_id": ["x", "x", "y"], "sent_idx": [0, 1, 0],
                              "text": corpus_sentences(per_language=1)[:3],
                              "text_en": [None, None, None]})
    plan = ModelPlan(translation={}, sentiment=resolve(str(tiny_sentiment_dir)), stance=None)
    scores = {}
    # auto resolves by hardware (bf16 on AMX/AVX512-BF16, else onnx-int8); run that one too so
    # the comparison below never looks up a precision that did not run on this CPU.
    auto_pick = resolve_precision("auto")
    for precision in dict.fromkeys(("auto", "fp32", "onnx-int8", auto_pick)):
        settings = Settings(classifier_precision=precision, cache_dir=fresh_cache)
        rows = sentiment_batch(sentences, plan, settings, run_id="r")
        scores[precision] = rows[["p_negative", "p_neutral", "p_positive"]].to_numpy()
    used = {options.precision for _, options in engines._CLASSIFIERS}
    assert used == {"fp32", "onnx-int8", auto_pick}
    assert not np.allclose(scores["onnx-int8"], scores["fp32"], atol=1e-6)
    np.testing.assert_array_equal(scores["auto"], scores[auto_pick])
