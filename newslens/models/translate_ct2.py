"""The CTranslate2 backend (the CPU default) and its cache of converted models.

A transformers checkpoint is converted once per (model, weights, compute type) into
`<cache_dir>/ct2/<name>-<key>-<compute_type>/` and reused from then on. Tokenisation stays
with the Hugging Face tokenizer, so both backends see exactly the same token ids.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from newslens.models.cache_keys import cache_key
from newslens.models.loading import ResolvedModel, folder_name
from newslens.models.options import TranslatorOptions
from newslens.models.translation import SplittingTranslator
from newslens.threads import available_cores
from newslens.models.translation_guard import SAFE_BEAM_SIZE, SAFE_NO_REPEAT_NGRAM, safe_length_cap

CONVERTED_MARKER = "model.bin"
# Bumped on every conversion this process runs; tests use it to prove the cache is reused.
conversions = 0


def converted_dir(resolved: ResolvedModel, compute_type: str, cache_dir: Path) -> Path:
    """Where the converted copy of `resolved` lives (whether or not it exists yet)."""
    key = cache_key(resolved)
    return Path(cache_dir) / "ct2" / f"{folder_name(resolved.model_id)}-{key}-{compute_type}"


def ensure_converted(resolved: ResolvedModel, compute_type: str, cache_dir: Path) -> Path:
    """The converted model folder, converting first when it is not in the cache yet.

    Conversion writes into a temporary folder beside the target and renames it into place,
    so a reader never sees half a model and two racing processes both end with a whole one.
    """
    global conversions
    import ctranslate2

    target = converted_dir(resolved, compute_type, cache_dir)
    if (target / CONVERTED_MARKER).is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        quantization = None if compute_type in ("auto", "default") else compute_type
        converter = ctranslate2.converters.TransformersConverter(str(resolved.path))
        converter.convert(str(scratch / "model"), quantization=quantization)
        conversions += 1
        try:
            os.rename(scratch / "model", target)
        except OSError:
            if not (target / CONVERTED_MARKER).is_file():  # not a lost race: a real failure
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target


@contextmanager
def _keep_torch_threads() -> Iterator[None]:
    """Loading a CTranslate2 model resets the process's OpenMP thread count (seen with 4.8:
    torch then runs on `intra_threads`); put torch's setting back afterwards."""
    import torch

    before = torch.get_num_threads()
    try:
        yield
    finally:
        if torch.get_num_threads() != before:
            torch.set_num_threads(before)


def _device(device: str) -> tuple[str, int]:
    """`cuda:1` -> ("cuda", 1); `cpu` -> ("cpu", 0)."""
    name, _, index = device.partition(":")
    return name, int(index or 0)


def replica_layout(device: str, threads: int | None, inter_threads: int | None) -> tuple[int, int]:
    """(inter_threads, intra_threads) for a CTranslate2 translator.

    On CPU the default is one replica per core with one thread each: decoding a batch is a
    chain of small matrix products that one core keeps busy, so cores working on different
    sub-batches at once beat cores sharing one (measured on 2 AVX2 cores with a full-size
    Marian model: 742 against 429 output tokens/s, BENCHMARKS.md). On a GPU one replica owns
    the device."""
    cores = threads or available_cores()
    if _device(device)[0] != "cpu":
        return inter_threads or 1, 1
    inter = max(1, min(inter_threads or cores, cores))
    return inter, max(1, cores // inter)


class CT2Translator(SplittingTranslator):
    """Decoding with a converted CTranslate2 model; batching by tokens is CTranslate2's own."""

    backend = "ctranslate2"

    def __init__(self, resolved: ResolvedModel, options: TranslatorOptions) -> None:
        import ctranslate2

        super().__init__(resolved, options)
        self.model_dir = ensure_converted(resolved, options.compute_type, options.cache_dir)
        name, index = _device(options.device)
        self.replicas, intra = replica_layout(options.device, options.threads, options.inter_threads)
        with _keep_torch_threads():
            self.engine = ctranslate2.Translator(
                str(self.model_dir), device=name, device_index=index,
                compute_type=options.compute_type, inter_threads=self.replicas,
                intra_threads=intra)

    def batch_size(self, source_ids: list[list[int]]) -> int:
        """The token budget per sub-batch: the configured one, but with several replicas small
        enough that each gets about two sub-batches (one call's sub-batches run on the replicas
        side by side), and never below the longest source."""
        if self.replicas == 1:
            return self.max_batch_tokens
        total = sum(len(ids) for ids in source_ids)
        longest = max(len(ids) for ids in source_ids)
        share = -(-total // (2 * self.replicas))  # ceiling division
        return max(longest, min(self.max_batch_tokens, share))

    def _forward(self, source_ids: list[list[int]], safe: bool = False) -> list[list[int]]:
        tokens = [self.tokenizer.convert_ids_to_tokens(ids) for ids in source_ids]
        if safe:
            return [self.tokenizer.convert_tokens_to_ids(r.hypotheses[0])
                    for r in self._safe(tokens, source_ids)]
        results = self.engine.translate_batch(
            tokens, beam_size=self.beam_size, max_batch_size=self.batch_size(source_ids),
            batch_type="tokens", max_input_length=0,  # 0: never truncate (we split)
            max_decoding_length=self.max_decode, min_decoding_length=0)
        return [self.tokenizer.convert_tokens_to_ids(r.hypotheses[0]) for r in results]

    def _safe(self, tokens: list[list[str]], source_ids: list[list[int]]) -> list:
        """The guard's retry: beam search without repeated n-grams, each sentence capped in
        proportion to its source; sentences sharing a cap share a call (submitted together,
        so the replicas share them)."""
        groups: dict[int, list[int]] = {}
        for i, ids in enumerate(source_ids):
            cap = safe_length_cap(len(ids) - self.special_tokens, self.max_decode)
            groups.setdefault(cap, []).append(i)
        pending = [(members, self.engine.translate_batch(
            [tokens[i] for i in members], beam_size=max(SAFE_BEAM_SIZE, self.beam_size),
            no_repeat_ngram_size=SAFE_NO_REPEAT_NGRAM, max_input_length=0,
            max_decoding_length=cap, asynchronous=True)) for cap, members in groups.items()]
        results: list = [None] * len(tokens)
        for members, futures in pending:
            for i, future in zip(members, futures):
                results[i] = future.result()
        return results
