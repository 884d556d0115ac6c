"""Tiny random-weight encoders of the real sentiment and stance architectures.

Machines here reach no model hub, so tests (and `newslens models tiny`) build small copies of
XLM-RoBERTa (sentiment) and mDeBERTa-v3 (NLI) with the real label maps and real tokenizer
classes, save them with `save_pretrained`, and load them through the product's own code path.
Weights are random but drawn with a wide initializer so that outputs still depend on the input.
"""

from __future__ import annotations

import json
from pathlib import Path

from newslens.models.loading import write_metadata
from newslens.models.tiny_corpus import corpus_sentences

SENTIMENT_LABELS = {0: "negative", 1: "neutral", 2: "positive"}
NLI_LABELS = {0: "entailment", 1: "neutral", 2: "contradiction"}
_VOCAB_SIZE = 1000  # an upper bound: the trainer stops earlier on the small corpus
_SIZES = dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
              max_position_embeddings=514, initializer_range=0.5)


def _train_unigram(specials: list[str], unk: str) -> list[tuple[str, float]]:
    """Train a Unigram vocabulary on the tiny corpus; specials first, in the order given."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers

    tok = Tokenizer(models.Unigram())
    tok.normalizer = normalizers.NFKC()
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    trainer = trainers.UnigramTrainer(vocab_size=_VOCAB_SIZE, special_tokens=specials,
                                      unk_token=unk, show_progress=False)
    tok.train_from_iterator(corpus_sentences(), trainer=trainer)
    vocab = json.loads(tok.to_str())["model"]["vocab"]
    return [(str(piece), float(score)) for piece, score in vocab]


def _seeded(seed: int) -> None:
    import torch

    torch.manual_seed(seed)


def _save(model, tokenizer, out_dir: Path, model_id: str) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out_dir, safe_serialization=True)
    tokenizer.save_pretrained(out_dir)
    write_metadata(out_dir, model_id, "tiny-random", tiny=True)
    return out_dir


def build_tiny_xlmr_sentiment(out_dir: Path, *, model_id: str | None = None, seed: int = 0) -> Path:
    """A 2-layer XLMRobertaForSequenceClassification with cardiffnlp's three sentiment labels."""
    from transformers import XLMRobertaConfig, XLMRobertaForSequenceClassification, XLMRobertaTokenizer

    # XLM-R's fixed ids: <s>=0, <pad>=1, </s>=2, <unk>=3; <mask> comes last.
    vocab = _train_unigram(["<s>", "<pad>", "</s>", "<unk>"], "<unk>") + [("<mask>", 0.0)]
    tokenizer = XLMRobertaTokenizer(vocab=vocab, model_max_length=512)
    config = XLMRobertaConfig(
        vocab_size=len(vocab), bos_token_id=0, pad_token_id=1, eos_token_id=2,
        type_vocab_size=1, num_labels=3, id2label=dict(SENTIMENT_LABELS),
        label2id={v: k for k, v in SENTIMENT_LABELS.items()}, **_SIZES)
    _seeded(seed)
    model = XLMRobertaForSequenceClassification(config).eval()
    return _save(model, tokenizer, Path(out_dir), model_id or "tiny/xlm-roberta-sentiment")


def build_tiny_deberta_nli(out_dir: Path, *, model_id: str | None = None, seed: int = 0) -> Path:
    """A 2-layer DebertaV2ForSequenceClassification with mDeBERTa-v3's relative attention
    settings and the entailment/neutral/contradiction label map of the xnli checkpoint."""
    from transformers import DebertaV2Config, DebertaV2ForSequenceClassification, DebertaV2Tokenizer

    # mDeBERTa-v3's ids: [PAD]=0, [CLS]=1, [SEP]=2, [UNK]=3; [MASK] comes last.
    vocab = _train_unigram(["[PAD]", "[CLS]", "[SEP]", "[UNK]"], "[UNK]") + [("[MASK]", 0.0)]
    tokenizer = DebertaV2Tokenizer(vocab=vocab, model_max_length=512)
    config = DebertaV2Config(
        vocab_size=len(vocab), pad_token_id=0, type_vocab_size=0, num_labels=3,
        id2label=dict(NLI_LABELS), label2id={v: k for k, v in NLI_LABELS.items()},
        relative_attention=True, position_buckets=256, max_relative_positions=-1,
        norm_rel_ebd="layer_norm", share_att_key=True, pos_att_type=["p2c", "c2p"],
        position_biased_input=False, layer_norm_eps=1e-7, **_SIZES)
    _seeded(seed)
    model = DebertaV2ForSequenceClassification(config).eval()
    return _save(model, tokenizer, Path(out_dir), model_id or "tiny/mdeberta-nli")
