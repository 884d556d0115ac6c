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
from newslens.models.model_size import TINY_ENCODER, ModelSize, deberta_config, xlmr_config
from newslens.models.tiny_corpus import corpus_sentences

# As in the public configs: cardiffnlp's names are capitalised, MoritzLaurer's lower case.
SENTIMENT_LABELS = {0: "Negative", 1: "Neutral", 2: "Positive"}
NLI_LABELS = {0: "entailment", 1: "neutral", 2: "contradiction"}
XLMR_SPM_FILE = "sentencepiece.bpe.model"
DEBERTA_SPM_FILE = "spm.model"


def _train_spm(pieces: int, **special_ids: object) -> bytes:
    """A Unigram sentencepiece model of the tiny corpus, serialised; `special_ids` set the
    trainer's unk/bos/eos/pad ids and pieces, as each real checkpoint's spm file has them.

    sentencepiece (one thread) rather than the `tokenizers` trainer: the latter orders its
    low-score pieces differently from run to run, so token ids would change between builds.
    """
    import sentencepiece as spm

    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(corpus_sentences()), model_writer=buf, model_type="unigram",
        vocab_size=pieces, hard_vocab_limit=False, character_coverage=1.0, num_threads=1,
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


def build_tiny_xlmr_sentiment(out_dir: Path, *, model_id: str | None = None, seed: int = 0,
                              size: ModelSize = TINY_ENCODER) -> Path:
    """An XLMRobertaForSequenceClassification (2 layers at the TINY size) with cardiffnlp's
    three sentiment labels."""
    from transformers import XLMRobertaForSequenceClassification, XLMRobertaTokenizer

    # XLM-R's fixed ids: <s>=0, <pad>=1, </s>=2, <unk>=3; <mask> comes last. Its
    # sentencepiece.bpe.model has the sentencepiece defaults (<unk>=0, <s>=1, </s>=2), and
    # the tokenizer shifts piece ids by one (fairseq's layout), so the ids below match it.
    spm_model = _train_spm(size.pieces)
    vocab = _vocab(spm_model, ["<s>", "<pad>", "</s>", "<unk>"]) + [("<mask>", 0.0)]
    tokenizer = XLMRobertaTokenizer(vocab=vocab, model_max_length=512)
    config = xlmr_config(size, len(vocab), SENTIMENT_LABELS)
    model = _init(XLMRobertaForSequenceClassification, config, seed)
    out = _save(model, tokenizer, Path(out_dir), model_id or "tiny/xlm-roberta-sentiment")
    (out / XLMR_SPM_FILE).write_bytes(spm_model)  # the file the public checkpoint ships
    return out


def build_tiny_deberta_nli(out_dir: Path, *, model_id: str | None = None, seed: int = 0,
                           size: ModelSize = TINY_ENCODER) -> Path:
    """A DebertaV2ForSequenceClassification (2 layers at the TINY size) with mDeBERTa-v3's
    relative attention settings and the entailment/neutral/contradiction label map of the
    xnli checkpoint."""
    from transformers import DebertaV2ForSequenceClassification, DebertaV2Tokenizer

    # mDeBERTa-v3's ids: [PAD]=0, [CLS]=1, [SEP]=2, [UNK]=3, held in spm.model itself;
    # [MASK] is an added token after the pieces.
    spm_model = _train_spm(size.pieces, pad_id=0, pad_piece="[PAD]", bos_id=1, bos_piece="[CLS]",
                           eos_id=2, eos_piece="[SEP]", unk_id=3, unk_piece="[UNK]")
    vocab = _vocab(spm_model, ["[PAD]", "[CLS]", "[SEP]", "[UNK]"]) + [("[MASK]", 0.0)]
    tokenizer = DebertaV2Tokenizer(vocab=vocab, model_max_length=512)
    config = deberta_config(size, len(vocab), NLI_LABELS)
    model = _init(DebertaV2ForSequenceClassification, config, seed)
    out = _save(model, tokenizer, Path(out_dir), model_id or "tiny/mdeberta-nli")
    (out / DEBERTA_SPM_FILE).write_bytes(spm_model)
    return out
