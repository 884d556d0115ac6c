"""A tiny MarianMT model (random weights, real sentencepiece tokenizer) for tests and demos.

Machines here reach no model hub, so tests build a model of the same architecture as
`Helsinki-NLP/opus-mt-*-en` and save it the way `save_pretrained` does; the product then
loads it through the very same `from_pretrained` path as a real checkpoint. The weights are
random, so translations are gibberish, but they are deterministic for a seed, depend on the
input, and are several tokens long, which is what tests of batching and routing need.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from newslens.models.loading import write_metadata
from newslens.models.model_size import TINY_MARIAN, ModelSize, marian_config, marian_vocab, train_spm
from newslens.models.tiny_corpus import LANGUAGES, corpus_sentences

GEN_MAX_LENGTH = 64
# Multilingual opus-mt-tc source groups (the `quality` profile) and the corpus languages in them.
LANGUAGE_GROUPS = {"zle": ["ru", "uk"], "zlw": ["pl"]}
# Pushes the end-of-sentence logit down so greedy decoding produces a handful of tokens.
EOS_BIAS = -5.0


def _with_punctuation(sentences: list[str]) -> list[str]:
    """Add clause-joined variants so commas, dashes, digits etc. are in the vocabulary."""
    marks = [", ", "; ", ": ", " — ", " – ", "? ", "! ", " (2024) ", " 17, "]
    joined = [f"{a.rstrip('.')}{marks[i % len(marks)]}{b}"
              for i, (a, b) in enumerate(zip(sentences[:60], sentences[60:120]))]
    return sentences + joined


def _train_spm(sentences: list[str], vocab_size: int) -> bytes:
    """A unigram sentencepiece model of `sentences` and their punctuated variants."""
    return train_spm(_with_punctuation(sentences), vocab_size)


def build_tiny_marian(out_dir: Path, src_lang: str, *, model_id: str | None = None,
                      seed: int = 0, size: ModelSize = TINY_MARIAN) -> Path:
    """Write a loadable tiny MarianMT model translating `src_lang` (or "mul") to English."""
    import torch
    from transformers import GenerationConfig, MarianMTModel, MarianTokenizer

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    langs = ([lang for lang in LANGUAGES if lang != "en"] if src_lang == "mul"
             else LANGUAGE_GROUPS.get(src_lang, [src_lang]))
    source_spm = _train_spm(corpus_sentences(langs), 1000 if src_lang == "mul" else size.pieces)
    target_spm = _train_spm(corpus_sentences(["en"]), size.pieces)
    vocab = marian_vocab(source_spm, target_spm, size.vocab_size)

    with tempfile.TemporaryDirectory() as tmp:
        src_file, tgt_file, vocab_file = (Path(tmp) / n for n in
                                          ("source.spm", "target.spm", "vocab.json"))
        src_file.write_bytes(source_spm)
        tgt_file.write_bytes(target_spm)
        vocab_file.write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
        tokenizer = MarianTokenizer(str(src_file), str(tgt_file), str(vocab_file),
                                    source_lang=src_lang, target_lang="en",
                                    model_max_length=size.max_positions)
        tokenizer.save_pretrained(str(out_dir))

    pad_id, eos_id = vocab["<pad>"], vocab["</s>"]
    config = marian_config(size, vocab)
    with torch.random.fork_rng(devices=[]):  # seed locally; leave the caller's RNG alone
        torch.manual_seed(seed)
        model = MarianMTModel(config).eval()
    with torch.no_grad():
        model.final_logits_bias[0, eos_id] = EOS_BIAS
        # As in Marian itself, <pad> is never a valid output (CTranslate2 drops its row);
        # <unk> is ruled out too, as it decodes to nothing and would make outputs empty.
        model.final_logits_bias[0, pad_id] = -1e4
        model.final_logits_bias[0, vocab["<unk>"]] = -1e4
    model.generation_config = GenerationConfig(
        max_length=GEN_MAX_LENGTH, num_beams=1, do_sample=False, bad_words_ids=[[pad_id]],
        pad_token_id=pad_id, eos_token_id=eos_id, decoder_start_token_id=pad_id,
        forced_eos_token_id=eos_id,
    )
    model.save_pretrained(str(out_dir), safe_serialization=True)
    write_metadata(out_dir, model_id or f"tiny/opus-mt-{src_lang}-en", "tiny-random",
                   tiny=True, seed=seed)
    return out_dir
