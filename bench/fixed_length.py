"""Benchmark mode's decoding: every sentence decodes exactly round(ratio x source tokens).

Random-weight benchmark models would stop at arbitrary points; fixing each output length
makes their decoding cost realistic and the same on every path. This is a newslens decode
policy (`TranslatorOptions.decode_policy`): a translator calls it as
`policy(translator, source_ids)` instead of its own decoding. Workers get it through the
environment, as every other setting:

    NEWSLENS_TRANSLATION_DECODE_POLICY=bench.fixed_length:policy
    NEWSLENS_BENCH_DECODE_RATIO=1.0

CTranslate2 with greedy search decodes the whole call at once, each sentence stopped at its
own length by the per-token callback (so batches stay as large as in production); with beam
search (no callback there) one call per output length, all submitted before any is awaited
so the replicas share them. Torch batches by tokens within each output length.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from newslens.models.batching import token_batches

RATIO_ENV = "NEWSLENS_BENCH_DECODE_RATIO"
POLICY_PATH = "bench.fixed_length:policy"


@dataclass(frozen=True)
class FixedLength:
    """Decode round(ratio x source tokens) per sentence, at least 1, at most the model's cap."""

    ratio: float

    def __post_init__(self) -> None:
        if not self.ratio > 0:
            raise ValueError(f"decode ratio must be positive, not {self.ratio!r}")

    def length(self, translator: Any, source_ids: Sequence[int]) -> int:
        wanted = round(self.ratio * (len(source_ids) - translator.special_tokens))
        return min(max(1, wanted), translator.max_decode)

    def lengths(self, translator: Any, source_ids: Sequence[Sequence[int]]) -> list[int]:
        return [self.length(translator, ids) for ids in source_ids]

    def __call__(self, translator: Any, source_ids: list[list[int]]) -> list[list[int]]:
        lengths = self.lengths(translator, source_ids)
        if translator.backend == "ctranslate2":
            tokens = [translator.tokenizer.convert_ids_to_tokens(ids) for ids in source_ids]
            options = dict(beam_size=translator.beam_size, batch_type="tokens",
                           max_batch_size=translator.batch_size(source_ids), max_input_length=0)
            decode = _ct2_callback if translator.beam_size == 1 else _ct2_per_length
            results = decode(translator.engine, tokens, lengths, options)
            return [translator.tokenizer.convert_tokens_to_ids(r.hypotheses[0]) for r in results]
        return _torch(translator, source_ids, lengths)


def _ct2_callback(engine: Any, tokens: list[list[str]], lengths: list[int], options: dict) -> list:
    """One call; the end token is held off for the longest length and the callback stops
    each sentence (batch_id is the position in `tokens`, sub-batches included)."""
    longest = max(lengths)
    return engine.translate_batch(
        tokens, max_decoding_length=longest, min_decoding_length=longest,
        callback=lambda step: step.step + 1 >= lengths[step.batch_id], **options)


def _ct2_per_length(engine: Any, tokens: list[list[str]], lengths: list[int],
                    options: dict) -> list:
    """One call per output length, all submitted before any is awaited."""
    groups: dict[int, list[int]] = {}
    for i, n in enumerate(lengths):
        groups.setdefault(n, []).append(i)
    pending = [(members, engine.translate_batch(
        [tokens[i] for i in members], max_decoding_length=n, min_decoding_length=n,
        asynchronous=True, **options)) for n, members in groups.items()]
    results: list = [None] * len(tokens)
    for members, futures in pending:
        for i, future in zip(members, futures):
            results[i] = future.result()
    return results


def _torch(translator: Any, source_ids: list[list[int]], lengths: list[int]) -> list[list[int]]:
    """Batches by tokens, one output length per batch; min_length keeps the end token out."""
    outputs: list[list[int]] = [[] for _ in source_ids]
    for batch in token_batches([len(ids) for ids in source_ids], translator.max_batch_tokens,
                               groups=lengths):
        n = lengths[batch[0]]
        rows = translator.generate([source_ids[i] for i in batch], max_length=n + 1,
                                   min_length=n + 1)
        for i, row in zip(batch, rows):
            outputs[i] = row
    return outputs


def env(ratio: float) -> dict[str, str]:
    """The variables that put a worker's translate stage in benchmark mode."""
    FixedLength(ratio)  # checked here, before a worker starts
    return {"NEWSLENS_TRANSLATION_DECODE_POLICY": POLICY_PATH, RATIO_ENV: repr(float(ratio))}


# The policy NEWSLENS_TRANSLATION_DECODE_POLICY names; its ratio comes from the environment.
policy = FixedLength(float(os.environ.get(RATIO_ENV, "1.0")))
