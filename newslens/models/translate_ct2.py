"""The CTranslate2 backend (the CPU default) and its cache of converted models.

A transformers checkpoint is converted once per (model, weights, compute type) into
`<cache_dir>/ct2/<name>-<key>-<compute_type>/` and reused from then on. Tokenisation stays
with the Hugging Face tokenizer, so both backends see exactly the same token ids.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from newslens.models.loading import ResolvedModel, folder_name
from newslens.threads import available_cores
from newslens.models.translation import SplittingTranslator

CONVERTED_MARKER = "model.bin"
# Bumped on every conversion this process runs; tests use it to prove the cache is reused.
conversions = 0


def weights_key(path: Path) -> str:
    """A short digest of a model folder's config and weights: its identity when there is no
    commit revision to go by (local folders, tiny test models)."""
    digest = hashlib.blake2b(digest_size=6)
    files = [path / "config.json", *sorted(path.glob("*.safetensors")), path / "pytorch_model.bin"]
    for file in files:
        if file.is_file():
            digest.update(file.name.encode())
            with file.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
    return digest.hexdigest()


def converted_dir(resolved: ResolvedModel, compute_type: str, cache_dir: Path) -> Path:
    """Where the converted copy of `resolved` lives (whether or not it exists yet).

    A hub commit hash names the weights exactly; any other revision label (a branch,
    "tiny-random") does not, so the folder's content digest is used instead.
    """
    revision = resolved.revision or ""
    key = revision if re.fullmatch(r"[0-9a-f]{40}", revision) else weights_key(resolved.path)
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


class CT2Translator(SplittingTranslator):
    """Decoding with a converted CTranslate2 model; batching by tokens is CTranslate2's own."""

    def __init__(self, resolved: ResolvedModel, *, device: str = "cpu",
                 compute_type: str = "int8", cache_dir: Path = Path("data/cache"),
                 beam_size: int = 1, threads: int | None = None, **shared: object) -> None:
        import ctranslate2

        super().__init__(resolved, **shared)  # type: ignore[arg-type]
        self.model_dir = ensure_converted(resolved, compute_type, cache_dir)
        name, index = _device(device)
        self.beam_size = beam_size
        # One translation call at a time per process, so all threads go to that call.
        with _keep_torch_threads():
            self.engine = ctranslate2.Translator(
                str(self.model_dir), device=name, device_index=index,
                compute_type=compute_type, inter_threads=1,
                intra_threads=threads or available_cores())

    def _forward(self, source_ids: list[list[int]]) -> list[list[int]]:
        tokens = [self.tokenizer.convert_ids_to_tokens(ids) for ids in source_ids]
        if self.decode_length_ratio is None:
            return self._decode(tokens, self.max_decode, 0)
        # Benchmark mode: one call per output length, as min/max length apply per call.
        by_length: dict[int, list[int]] = {}
        for i, ids in enumerate(source_ids):
            by_length.setdefault(self.target_length(ids) or 1, []).append(i)
        outputs: list[list[int]] = [[] for _ in source_ids]
        for length, members in by_length.items():
            rows = self._decode([tokens[i] for i in members], length, length)
            for i, row in zip(members, rows):
                outputs[i] = row
        return outputs

    def _decode(self, tokens: list[list[str]], max_length: int, min_length: int) -> list[list[int]]:
        """One `translate_batch` call; CTranslate2 sorts by length and restores order itself."""
        results = self.engine.translate_batch(
            tokens, beam_size=self.beam_size, max_batch_size=self.max_batch_tokens,
            batch_type="tokens", max_input_length=0,  # 0: never truncate (we split instead)
            max_decoding_length=max_length, min_decoding_length=min_length)
        return [self.tokenizer.convert_tokens_to_ids(r.hypotheses[0]) for r in results]
