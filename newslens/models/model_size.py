"""Sizes and configs of the random-weight models built from the real architectures.

One config builder per architecture (Marian, XLM-RoBERTa, mDeBERTa-v3), given a `ModelSize`:
the TINY sizes make the test and demo models (`newslens models tiny`, tests' fixtures), the
FULL sizes those of the public checkpoints, which the benchmark builds (bench/models.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class ModelSize:
    """Dimensions of one model. `vocab_size` None: as many embeddings as the tokenizer has
    pieces; `init_std` None: the architecture's own initializer; `pieces`: the sentencepiece
    vocabulary asked of the tokenizer trainer."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    max_positions: int
    pieces: int
    decoder_layers: int = 0
    vocab_size: int | None = None
    init_std: float | None = None
    dropout: float = 0.0


# Small enough to build and run in well under a second, big enough to be a real encoder-decoder
# (two encoder layers, one decoder layer, two heads). Random weights are drawn wider than the
# usual 0.02 so logits are well separated: outputs then depend on the input and do not flip
# between backends on rounding noise (0.7 gave the most distinct Marian outputs over seeds).
TINY_MARIAN = ModelSize(hidden=32, layers=2, decoder_layers=1, heads=2, ffn=64,
                        max_positions=512, pieces=300, init_std=0.7)
TINY_ENCODER = ModelSize(hidden=32, layers=2, heads=2, ffn=64, max_positions=514, pieces=1000,
                         init_std=0.5)  # pieces: an upper bound the small corpus stops below
# The public checkpoints: opus-mt-*-en (transformer base), XLM-R base, mDeBERTa-v3 base.
FULL_MARIAN = ModelSize(hidden=512, layers=6, decoder_layers=6, heads=8, ffn=2048,
                        max_positions=512, pieces=2_200, vocab_size=80_035, dropout=0.1)
FULL_XLMR = ModelSize(hidden=768, layers=12, heads=12, ffn=3072, max_positions=514,
                      pieces=2_200, vocab_size=250_002)
FULL_DEBERTA = replace(FULL_XLMR, max_positions=512, vocab_size=251_000)


def _init(size: ModelSize, key: str) -> dict[str, float]:
    return {} if size.init_std is None else {key: size.init_std}


def marian_config(size: ModelSize, vocab: Mapping[str, int]):
    """A MarianConfig of `size` over Marian's vocabulary layout (`</s>` 0, `<pad>` last)."""
    from transformers import MarianConfig

    pad, eos = vocab["<pad>"], vocab["</s>"]
    return MarianConfig(
        vocab_size=size.vocab_size or len(vocab), d_model=size.hidden,
        encoder_layers=size.layers, decoder_layers=size.decoder_layers,
        encoder_attention_heads=size.heads, decoder_attention_heads=size.heads,
        encoder_ffn_dim=size.ffn, decoder_ffn_dim=size.ffn,
        max_position_embeddings=size.max_positions, activation_function="swish",
        scale_embedding=True, dropout=size.dropout, pad_token_id=pad, eos_token_id=eos,
        decoder_start_token_id=pad, forced_eos_token_id=eos, **_init(size, "init_std"))


def _encoder(size: ModelSize, n_vocab: int, labels: Mapping[int, str]) -> dict[str, object]:
    return dict(vocab_size=size.vocab_size or n_vocab, hidden_size=size.hidden,
                num_hidden_layers=size.layers, num_attention_heads=size.heads,
                intermediate_size=size.ffn, max_position_embeddings=size.max_positions,
                hidden_act="gelu", num_labels=len(labels), id2label=dict(labels),
                label2id={v: k for k, v in labels.items()}, **_init(size, "initializer_range"))


def xlmr_config(size: ModelSize, n_vocab: int, labels: Mapping[int, str]):
    """An XLMRobertaConfig of `size`: XLM-R's fixed ids <s>=0, <pad>=1, </s>=2."""
    from transformers import XLMRobertaConfig

    return XLMRobertaConfig(bos_token_id=0, pad_token_id=1, eos_token_id=2, type_vocab_size=1,
                            **_encoder(size, n_vocab, labels))


def deberta_config(size: ModelSize, n_vocab: int, labels: Mapping[int, str]):
    """A DebertaV2Config of `size` with mDeBERTa-v3's relative attention settings."""
    from transformers import DebertaV2Config

    return DebertaV2Config(
        pad_token_id=0, type_vocab_size=0, relative_attention=True, position_buckets=256,
        max_relative_positions=-1, norm_rel_ebd="layer_norm", share_att_key=True,
        pos_att_type=["p2c", "c2p"], position_biased_input=False, layer_norm_eps=1e-7,
        pooler_hidden_size=size.hidden, **_encoder(size, n_vocab, labels))


def spm_pieces(model: bytes) -> list[str]:
    """The ordinary (non-control, non-unknown) pieces of a serialised sentencepiece model."""
    import sentencepiece as spm

    proc = spm.SentencePieceProcessor(model_proto=model)
    return [proc.id_to_piece(i) for i in range(proc.get_piece_size())
            if not (proc.is_control(i) or proc.is_unknown(i))]


def train_spm(sentences: list[str], vocab_size: int, model_type: str = "unigram") -> bytes:
    """A sentencepiece model with Marian's special ids (<unk> 0, </s> 1), serialised."""
    import io

    import sentencepiece as spm

    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(sentences), model_writer=buffer, vocab_size=vocab_size,
        model_type=model_type, character_coverage=1.0, hard_vocab_limit=False,
        unk_id=0, bos_id=-1, eos_id=1, pad_id=-1, num_threads=1, minloglevel=2)
    return buffer.getvalue()


def marian_vocab(source: bytes, target: bytes, size: int | None = None) -> dict[str, int]:
    """Marian's layout: `</s>` 0, `<unk>` 1, the pieces of both models, `<pad>` last; with
    `size`, filler pieces pad it to that many entries (CTranslate2 checks the sizes agree)."""
    tokens = ["</s>", "<unk>"]
    tokens += [p for p in dict.fromkeys(spm_pieces(source) + spm_pieces(target)) if p not in tokens]
    if size is not None:
        tokens += [f"▁filler{i}" for i in range(size - 1 - len(tokens))]
    tokens.append("<pad>")
    return {tok: i for i, tok in enumerate(tokens)}
