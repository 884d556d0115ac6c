"""Benchmark mode's fixed output lengths, through newslens's public decode-policy seam."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import torch

from bench import fixed_length
from bench.fixed_length import FixedLength
from newslens.config import Settings
from newslens.models.options import TranslatorOptions, load_decode_policy
from newslens.models.tiny_marian import build_tiny_marian
from newslens.pipeline.guard_steps import guarded_lookup
from tests.models.test_translation_backends import BACKENDS, LONG, SENTENCES, translator


@pytest.fixture(scope="module")
def eager_eos_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny model that ends every sentence at once: its end-token logit is pushed up."""
    from transformers import AutoModelForSeq2SeqLM

    folder = build_tiny_marian(tmp_path_factory.mktemp("eager-eos") / "m", "it", seed=1)
    model = AutoModelForSeq2SeqLM.from_pretrained(str(folder))
    with torch.no_grad():
        model.final_logits_bias[0, model.config.eos_token_id] = 50.0
    model.save_pretrained(str(folder))
    return folder


@pytest.mark.parametrize("backend", BACKENDS)
def test_fixed_length_policy_fixes_output_length(backend: str, eager_eos_dir: Path,
                                                 translation_cache_dir: Path) -> None:
    normal = translator(eager_eos_dir, translation_cache_dir, backend)
    assert normal.translate(SENTENCES[:2]) == ["", ""]  # stops at the first step by itself
    tr = translator(eager_eos_dir, translation_cache_dir, backend,
                    decode_policy=FixedLength(0.5), max_batch_tokens=64)
    ids, _ = tr.preprocess(SENTENCES)
    wanted = [max(1, round(0.5 * (len(x) - 1))) for x in ids]  # -1: the end token
    assert len(set(wanted)) > 2
    assert [len(row) for row in tr.decode(ids)] == wanted
    assert all(tr.translate(SENTENCES))
    assert tr.decode(ids, safe=True) == normal.decode(ids, safe=True)  # the retry is untouched


def test_backends_agree_under_the_policy(tiny_marian_dir: Path,
                                         translation_cache_dir: Path) -> None:
    fixed = {b: translator(tiny_marian_dir, translation_cache_dir, b, decode_policy=FixedLength(0.7))
             for b in BACKENDS}
    assert fixed["torch"].translate(SENTENCES) == fixed["ctranslate2"].translate(SENTENCES)


@pytest.mark.parametrize("beam_size", [1, 2])
def test_fixed_lengths_hold_across_sub_batches_and_replicas(
        beam_size: int, eager_eos_dir: Path, translation_cache_dir: Path) -> None:
    # Greedy search stops each sentence through the callback, beam search through one call
    # per length; both must give every sentence its own length whatever the sub-batching.
    tr = translator(eager_eos_dir, translation_cache_dir, "ctranslate2", threads=2,
                    inter_threads=2, decode_policy=FixedLength(0.8), max_batch_tokens=48,
                    beam_size=beam_size)
    order = list(range(len(SENTENCES)))
    random.Random(3).shuffle(order)
    texts = [SENTENCES[i] for i in order] + [LONG]
    ids, _ = tr.preprocess(texts)
    wanted = [min(tr.max_decode, max(1, round(0.8 * (len(x) - 1)))) for x in ids]
    assert len(set(wanted)) > 3 and max(wanted) == tr.max_decode  # LONG meets the model's cap
    assert [len(row) for row in tr.decode(ids)] == wanted


def test_the_environment_switches_the_stage_to_the_policy(monkeypatch) -> None:
    env = fixed_length.env(0.5)
    assert env["NEWSLENS_TRANSLATION_DECODE_POLICY"] == "bench.fixed_length:policy"
    monkeypatch.setattr(fixed_length, "policy", FixedLength(0.5))
    settings = Settings(translation_decode_policy=env["NEWSLENS_TRANSLATION_DECODE_POLICY"])
    options = TranslatorOptions.from_settings(settings)
    assert load_decode_policy(options.decode_policy) == FixedLength(0.5)
    lookup = lambda lang: None  # noqa: E731
    assert guarded_lookup(lookup, settings) == (lookup, {})  # no guard over fixed lengths
    with pytest.raises(ValueError, match="module:attribute"):
        load_decode_policy("bench.fixed_length")
    with pytest.raises(ValueError, match="cannot be imported"):
        load_decode_policy("bench.fixed_length:nothing")
    with pytest.raises(ValueError, match="positive"):
        fixed_length.env(0)
