"""Full-size random-weight models of the three production architectures, built once and cached.

Speed does not depend on the weights, so the benchmark builds models with the sizes of the
real checkpoints (DESIGN.md, "Architecture sizes") and random weights, saves them with
`save_pretrained` in the newslens models-folder layout, and lets newslens load them through
its own loading code. Tokenizers are trained here on the benchmark corpus with vocabularies
sized so that a word costs about as many tokens as with the real checkpoints (~1.3-1.5);
all their ids lie inside the models' vocabularies. Marian's vocabulary is padded with filler
pieces to the full 80,035 entries because CTranslate2 checks that the sizes agree.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from newslens.config import Settings
from newslens.models.loading import folder_name, read_metadata, write_metadata
from newslens.models.model_size import (FULL_DEBERTA, FULL_MARIAN, FULL_XLMR, deberta_config,
                                        marian_config, marian_vocab, spm_pieces, train_spm,
                                        xlmr_config)

from bench.corpus import training_sentences
from bench.lexicon import LEXICONS

BUILD_VERSION = "bench-full-2"
MARIAN_ID = "Helsinki-NLP/opus-mt-it-en"
MARIAN_VOCAB = FULL_MARIAN.vocab_size
# Tokenizer vocabularies, chosen for about 1.4-1.5 tokens per corpus word, as real ones give
# (FULL_MARIAN.pieces and FULL_XLMR.pieces, 2,200: the source side and the encoders).
TARGET_PIECES = 600
TRAIN_PER_LANGUAGE = 1_000
SENTIMENT_LABELS = {0: "negative", 1: "neutral", 2: "positive"}
NLI_LABELS = {0: "entailment", 1: "neutral", 2: "contradiction"}
# Random heads give near-uniform probabilities; scaling the last layer spreads the logits the
# way a trained head does, so label agreement between precisions means something.
HEAD_SCALE = 25.0


def _train_spm(sentences: list[str], vocab_size: int) -> bytes:
    """A BPE sentencepiece model: on a small corpus BPE reaches the wanted vocabulary size,
    where unigram training stops at about a thousand pieces."""
    return train_spm(sentences, vocab_size, model_type="bpe")


def write_marian_tokenizer(out_dir: Path, vocab_size: int) -> dict[str, int]:
    """Train source/target sentencepiece models on the benchmark corpus, save an it->en
    MarianTokenizer into `out_dir`, and return its vocabulary (padded to `vocab_size`)."""
    from transformers import MarianTokenizer

    sents = training_sentences(per_language=TRAIN_PER_LANGUAGE)
    english = training_sentences(per_language=TRAIN_PER_LANGUAGE, languages=("en",))
    source, target = _train_spm(sents, FULL_MARIAN.pieces), _train_spm(english, TARGET_PIECES)
    vocab = marian_vocab(source, target, vocab_size)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        files = [Path(tmp) / n for n in ("source.spm", "target.spm", "vocab.json")]
        files[0].write_bytes(source)
        files[1].write_bytes(target)
        files[2].write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
        MarianTokenizer(*map(str, files), source_lang="it", target_lang="en",
                        model_max_length=512).save_pretrained(str(out_dir))
    return vocab


def build_marian(out_dir: Path, model_id: str = MARIAN_ID, seed: int = 0) -> Path:
    """opus-mt-it-en's architecture: d_model 512, 6+6 layers, 8 heads, FFN 2048, vocab 80,035."""
    import torch
    from transformers import GenerationConfig, MarianMTModel

    vocab = write_marian_tokenizer(out_dir, MARIAN_VOCAB)
    pad, eos = vocab["<pad>"], vocab["</s>"]
    config = marian_config(FULL_MARIAN, vocab)
    torch.manual_seed(seed)
    model = MarianMTModel(config).eval()
    # The real checkpoint's generation settings (beam 4, up to 512 tokens, never <pad>).
    model.generation_config = GenerationConfig(
        max_length=512, num_beams=4, bad_words_ids=[[pad]], pad_token_id=pad,
        eos_token_id=eos, decoder_start_token_id=pad, forced_eos_token_id=eos)
    model.save_pretrained(str(out_dir), safe_serialization=True)
    write_metadata(out_dir, model_id, BUILD_VERSION, role="translation", random_weights=True)
    return out_dir


def _unigram_vocab(specials: list[str], size: int) -> list[tuple[str, float]]:
    """A unigram vocabulary (piece, log-probability) that segments like a BPE model: the BPE
    pieces, scored by how often BPE uses each on the training corpus."""
    import math

    import sentencepiece as spm

    sents = training_sentences(per_language=TRAIN_PER_LANGUAGE)
    proc = spm.SentencePieceProcessor(model_proto=_train_spm(sents, size))
    counts = dict.fromkeys(spm_pieces(proc.serialized_model_proto()), 0.1)
    for pieces in proc.encode(sents, out_type=str):
        for piece in pieces:
            counts[piece] = counts.get(piece, 0.1) + 1
    total = sum(counts.values())
    return [(s, 0.0) for s in specials] + [(p, math.log(c / total)) for p, c in counts.items()]


def _scale_head(linear, factor: float) -> None:
    import torch

    with torch.no_grad():
        linear.weight.mul_(factor)


def build_xlmr(out_dir: Path, model_id: str, seed: int = 1) -> Path:
    """XLM-RoBERTa base: vocab 250,002, hidden 768, 12 layers, 12 heads, FFN 3072, 3 labels."""
    import torch
    from transformers import XLMRobertaForSequenceClassification, XLMRobertaTokenizer

    vocab = _unigram_vocab(["<s>", "<pad>", "</s>", "<unk>"], FULL_XLMR.pieces) + [("<mask>", 0.0)]
    tokenizer = XLMRobertaTokenizer(vocab=vocab, model_max_length=512)
    config = xlmr_config(FULL_XLMR, len(vocab), SENTIMENT_LABELS)
    torch.manual_seed(seed)
    model = XLMRobertaForSequenceClassification(config).eval()
    _scale_head(model.classifier.out_proj, HEAD_SCALE)
    return _save(model, tokenizer, out_dir, model_id, "sentiment")


def build_mdeberta(out_dir: Path, model_id: str, seed: int = 2) -> Path:
    """mDeBERTa-v3 base: vocab 251,000, hidden 768, 12 layers, 12 heads, FFN 3072, relative
    attention (256 buckets, p2c+c2p, shared keys), entailment/neutral/contradiction."""
    import torch
    from transformers import DebertaV2ForSequenceClassification, DebertaV2Tokenizer

    vocab = _unigram_vocab(["[PAD]", "[CLS]", "[SEP]", "[UNK]"], FULL_DEBERTA.pieces) + [("[MASK]", 0.0)]
    tokenizer = DebertaV2Tokenizer(vocab=vocab, model_max_length=512)
    config = deberta_config(FULL_DEBERTA, len(vocab), NLI_LABELS)
    torch.manual_seed(seed)
    model = DebertaV2ForSequenceClassification(config).eval()
    _scale_head(model.classifier, HEAD_SCALE)
    return _save(model, tokenizer, out_dir, model_id, "stance")


def _save(model, tokenizer, out_dir: Path, model_id: str, role: str) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out_dir), safe_serialization=True)
    tokenizer.save_pretrained(str(out_dir))
    write_metadata(out_dir, model_id, BUILD_VERSION, role=role, random_weights=True)
    return out_dir


def bench_settings(models_dir: Path, **overrides: object) -> Settings:
    """Settings that send every corpus language to the one full-size Marian."""
    routes = {lang: MARIAN_ID for lang in LEXICONS if lang != "en"}
    return Settings(models_dir=models_dir, translation_routes=routes,
                    translation_fallback=MARIAN_ID, **overrides)  # type: ignore[arg-type]


def _current(folder: Path) -> bool:
    return read_metadata(folder).get("revision") == BUILD_VERSION and any(folder.glob("*.safetensors"))


def ensure_full_models(models_dir: Path, log=print) -> Path:
    """Build (or reuse) the three full-size models under `models_dir`; returns it."""
    base = Settings()
    plan = [(MARIAN_ID, build_marian), (base.sentiment_model, build_xlmr),
            (base.stance_model, build_mdeberta)]
    for model_id, builder in plan:
        folder = Path(models_dir) / folder_name(model_id)
        if _current(folder):
            continue
        log(f"building full-size {model_id} (random weights) in {folder}")
        if folder.exists():
            shutil.rmtree(folder)
        scratch = folder.with_name(folder.name + ".building")
        shutil.rmtree(scratch, ignore_errors=True)
        builder(scratch, model_id)
        scratch.rename(folder)
    return Path(models_dir)
