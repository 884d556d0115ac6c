"""The torch backend: `model.generate` on the transformers checkpoint itself.

The fallback when CTranslate2 cannot be used (an architecture it cannot convert, a device
it does not support) and the reference the CTranslate2 output is checked against.
"""

from __future__ import annotations

import torch

from newslens.models.batching import token_batches
from newslens.models.loading import ResolvedModel, load_seq2seq
from newslens.models.options import TranslatorOptions
from newslens.models.translation import SplittingTranslator
from newslens.models.translation_guard import SAFE_BEAM_SIZE, SAFE_NO_REPEAT_NGRAM, safe_length_cap


class TorchTranslator(SplittingTranslator):
    """Greedy or beam decoding with transformers, batched by a padded-token budget."""

    backend = "torch"

    def __init__(self, resolved: ResolvedModel, options: TranslatorOptions) -> None:
        super().__init__(resolved, options)
        if options.threads:
            # Process-wide, as torch has no per-model setting (newslens.threads sets the same
            # knob once per run). Set once here: flipping it per call thrashes OpenMP pools.
            torch.set_num_threads(options.threads)
        self.device = options.device
        self.model = load_seq2seq(str(resolved.path), options.device)
        config = self.model.config
        self.pad_id = config.pad_token_id
        self.start_id = config.decoder_start_token_id
        eos = self.model.generation_config.eos_token_id
        if eos is None:
            eos = config.eos_token_id
        self.eos_ids = set(eos) if isinstance(eos, list) else {eos}

    def _forward(self, source_ids: list[list[int]], safe: bool = False) -> list[list[int]]:
        if safe:  # the guard's retry: one sentence at a time, each with its own length cap
            out = []
            for ids in source_ids:
                cap = safe_length_cap(len(ids) - self.special_tokens, self.max_decode)
                out += self.generate([ids], num_beams=max(SAFE_BEAM_SIZE, self.beam_size),
                                     max_length=cap + 1, no_repeat_ngram_size=SAFE_NO_REPEAT_NGRAM)
            return out
        outputs: list[list[int]] = [[] for _ in source_ids]
        for batch in token_batches([len(ids) for ids in source_ids], self.max_batch_tokens):
            for i, row in zip(batch, self.generate([source_ids[i] for i in batch])):
                outputs[i] = row
        return outputs

    def generate(self, batch: list[list[int]], **options: object) -> list[list[int]]:
        """Decode one batch of source ids; `options` go to `model.generate` over the defaults
        (the configured beams, greedy, the model's length cap). Lengths count the decoder
        start token. No forced end token: the CTranslate2 backend has none either."""
        width = max(len(ids) for ids in batch)
        input_ids = torch.full((len(batch), width), self.pad_id, dtype=torch.long)
        mask = torch.zeros((len(batch), width), dtype=torch.long)
        for row, ids in enumerate(batch):
            input_ids[row, : len(ids)] = torch.tensor(ids, dtype=torch.long)
            mask[row, : len(ids)] = 1
        kwargs = dict(num_beams=self.beam_size, do_sample=False, max_length=self.max_decode + 1,
                      forced_eos_token_id=None)
        kwargs.update(options)
        with torch.inference_mode():
            generated = self.model.generate(input_ids=input_ids.to(self.device),
                                            attention_mask=mask.to(self.device), **kwargs)
        return [self._clean(row) for row in generated.tolist()]

    def _clean(self, row: list[int]) -> list[int]:
        """Drop the start token, and everything from the first end token on."""
        out: list[int] = []
        for token in row[1:] if row and row[0] == self.start_id else row:
            if token in self.eos_ids or token == self.pad_id:
                break
            out.append(token)
        return out
