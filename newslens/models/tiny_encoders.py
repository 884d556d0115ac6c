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

# As in the public configs: cardiffnlp's names are capitalised, MoritzLaurer's lower case.
SENTIMENT_LABELS = {0: "Negative", 1: "Neutral", 2: "Positive"}
NLI_LABELS = {0: "entailment", 1: "neutral", 2: "contradiction"}
XLMR_SPM_FILE = "sentencepiece.bpe.model"
DEBERTA_SPM_FILE = "spm.model"
_VOCAB_SIZE = 1000  # an upper bound: the trainer stops earlier on the small corpus
_SIZES = dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
              max_position_embeddings=514, initializer_range=0.5)


def _train_spm(**special_ids: object) -> bytes:
    """A Unigram sentencepiece model of the tiny corpus, serialised; `special_ids` set the
    trainer's unk/bos/eos/pad ids and pieces, as each real checkpoint's spm file has them.

    sentencepiece (one thread) rather than the `tokenizers` trainer: the latter orders its
    low-score pieces differently from run to run, so token ids would change between builds.
    """
    import sentencepiece as spm

    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(corpus_sentences()), model_writer=buf, model_type="unigram",
        vocab_size=_VOCAB_SIZE, hard_vocab_limit=False, character_coverage=1.0, num_threads=1,
        normalization_rule_name="identity", minloglevel=2, **special_ids)
    return buf.getvalue()


def _vocab(model: bytes, specials: list[str]) -> list[tuple[str, float]]:
    """`specials` (ids 0..k-1) then the model's ordinary pieces, in the model's order."""
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=model)
    pieces = [(sp.id_to_piece(i), float(sp.get_score(i))) for i in range(sp.get_piece_size())
              if not (sp.is_control(i) or sp.is_unknown(i)) and sp.id_to_piece(i) not in specials]
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

    # XLM-R's fixed ids: <s>=0, <pad>=1, </s>=2, <unk>=3; <mask> comes last. Its
    # sentencepiece.bpe.model has the sentencepiece defaults (<unk>=0, <s>=1, </s>=2), and
    # the tokenizer shifts piece ids by one (fairseq's layout), so the ids below match it.
    spm_model = _train_spm()
    vocab = _vocab(spm_model, ["<s>", "<pad>", "</s>", "<unk>"]) + [("<mask>", 0.0)]
    tokenizer = XLMRobertaTokenizer(vocab=vocab, model_max_length=512)
    config = XLMRobertaConfig(
        vocab_size=len(vocab), bos_token_id=0, pad_token_id=1, eos_token_id=2,
        type_vocab_size=1, num_labels=3, id2label=dict(SENTIMENT_LABELS),
        label2id={v: k for k, v in SENTIMENT_LABELS.items()}, **_SIZES)
    model = _init(XLMRobertaForSequenceClassification, config, seed)
    out = _save(model, tokenizer, Path(out_dir), model_id or "tiny/xlm-roberta-sentiment")
    (out / XLMR_SPM_FILE).write_bytes(spm_model)  # the file the public checkpoint ships
    return out


def build_tiny_deberta_nli(out_dir: Path, *, model_id: str | None = None, seed: int = 0) -> Path:
    """A 2-layer DebertaV2ForSequenceClassification with mDeBERTa-v3's relative attention
    settings and the entailment/neutral/contradiction label map of the xnli checkpoint."""
    from transformers import DebertaV2Config, DebertaV2ForSequenceClassification, DebertaV2Tokenizer

    # mDeBERTa-v3's ids: [PAD]=0, [CLS]=1, [SEP]=2, [UNK]=3, held in spm.model itself;
    # [MASK] is an added token after the pieces.
    spm_model = _train_spm(pad_id=0, pad_piece="[PAD]", bos_id=1, bos_piece="[CLS]",
                           eos_id=2, eos_piece="[SEP]", unk_id=3, unk_piece="[UNK]")
    vocab = _vocab(spm_model, ["[PAD]", "[CLS]", "[SEP]", "[UNK]"]) + [("[MASK]", 0.0)]
    tokenizer = DebertaV2Tokenizer(vocab=vocab, model_max_length=512)
    config = DebertaV2Config(
        vocab_size=len(vocab), pad_token_id=0, type_vocab_size=0, num_labels=3,
        id2label=dict(NLI_LABELS), label2id={v: k for k, v in NLI_LABELS.items()},
        relative_attention=True, position_buckets=256, max_relative_positions=-1,
        norm_rel_ebd="layer_norm", share_att_key=True, pos_att_type=["p2c", "c2p"],
        position_biased_input=False, layer_norm_eps=1e-7, **_SIZES)
    model = _init(DebertaV2ForSequenceClassification, config, seed)
    out = _save(model, tokenizer, Path(out_dir), model_id or "tiny/mdeberta-nli")
    (out / DEBERTA_SPM_FILE).write_bytes(spm_model)
    return out
