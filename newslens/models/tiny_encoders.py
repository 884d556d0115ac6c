"""Tiny random-weight encoders of the real sentiment and stance architectures.

Machines here reach no model hub, so tests (and `newslens models tiny`) build small copies of
XLM-RoBERTa (sentiment) and mDeBERTa-v3 (NLI) with the real label maps and real tokenizer
classes, save them with `save_pretrained`, and load them through the product's own code path.
Weights are random but drawn with a wide initializer so that outputs still depend on the input.
"""

from __future__ import annotations

import io
from pathlib import Path

from newslens.models.loading import write_metadata
from newslens.models.tiny_corpus import corpus_sentences

SENTIMENT_LABELS = {0: "negative", 1: "neutral", 2: "positive"}
NLI_LABELS = {0: "entailment", 1: "neutral", 2: "contradiction"}
_VOCAB_SIZE = 1000  # an upper bound: the trainer stops earlier on the small corpus
_SIZES = dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
              max_position_embeddings=514, initializer_range=0.5)


def _train_unigram(specials: list[str]) -> list[tuple[str, float]]:
    """Train a Unigram vocabulary on the tiny corpus; `specials` take the first ids, in order.

    sentencepiece (one thread) rather than the `tokenizers` trainer: the latter orders its
    low-score pieces differently from run to run, so token ids would change between builds.
    """
    import sentencepiece as spm

    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(corpus_sentences()), model_writer=buf, model_type="unigram",
        vocab_size=_VOCAB_SIZE, hard_vocab_limit=False, character_coverage=1.0, num_threads=1,
        normalization_rule_name="identity", minloglevel=2)
    sp = spm.SentencePieceProcessor(model_proto=buf.getvalue())
    pieces = [(sp.id_to_piece(i), float(sp.get_score(i))) for i in range(sp.get_piece_size())
              if not (sp.is_control(i) or sp.is_unknown(i))]
    return [(tok, 0.0) for tok in specials] + pieces


def _init(model_cls, config, seed: int):
    """Build the model from `seed` without disturbing the caller's global RNG state."""
    import torch

    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return model_cls(config).eval()


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
    vocab = _train_unigram(["<s>", "<pad>", "</s>", "<unk>"]) + [("<mask>", 0.0)]
    tokenizer = XLMRobertaTokenizer(vocab=vocab, model_max_length=512)
    config = XLMRobertaConfig(
        vocab_size=len(vocab), bos_token_id=0, pad_token_id=1, eos_token_id=2,
        type_vocab_size=1, num_labels=3, id2label=dict(SENTIMENT_LABELS),
        label2id={v: k for k, v in SENTIMENT_LABELS.items()}, **_SIZES)
    model = _init(XLMRobertaForSequenceClassification, config, seed)
    return _save(model, tokenizer, Path(out_dir), model_id or "tiny/xlm-roberta-sentiment")


def build_tiny_deberta_nli(out_dir: Path, *, model_id: str | None = None, seed: int = 0) -> Path:
    """A 2-layer DebertaV2ForSequenceClassification with mDeBERTa-v3's relative attention
    settings and the entailment/neutral/contradiction label map of the xnli checkpoint."""
    from transformers import DebertaV2Config, DebertaV2ForSequenceClassification, DebertaV2Tokenizer

    # mDeBERTa-v3's ids: [PAD]=0, [CLS]=1, [SEP]=2, [UNK]=3; [MASK] comes last.
    vocab = _train_unigram(["[PAD]", "[CLS]", "[SEP]", "[UNK]"]) + [("[MASK]", 0.0)]
    tokenizer = DebertaV2Tokenizer(vocab=vocab, model_max_length=512)
    config = DebertaV2Config(
        vocab_size=len(vocab), pad_token_id=0, type_vocab_size=0, num_labels=3,
        id2label=dict(NLI_LABELS), label2id={v: k for k, v in NLI_LABELS.items()},
        relative_attention=True, position_buckets=256, max_relative_positions=-1,
        norm_rel_ebd="layer_norm", share_att_key=True, pos_att_type=["p2c", "c2p"],
        position_biased_input=False, layer_norm_eps=1e-7, **_SIZES)
    model = _init(DebertaV2ForSequenceClassification, config, seed)
    return _save(model, tokenizer, Path(out_dir), model_id or "tiny/mdeberta-nli")
