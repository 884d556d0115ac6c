"""Shared encoder inference for sentiment and stance: tokenise, batch, forward, normalise.

The wrapper follows the pipeline split of the house style: `preprocess` tokenises and packs
inputs into token-budget batches (longest first, so each batch pads little), a backend's
forward function runs one padded batch, `postprocess` turns logits into softmax probabilities
in the caller's order. The forward function is composed in, built by a backend
(`classify_torch`, `classify_onnx`); the engine cache (`engines.get_classifier`) picks it.
Precision is chosen once at build time (`classifier_precision`):

- fp32: the model as saved, torch eager;
- bf16: a copy of the model with bfloat16 weights (CPU or CUDA), logits back in fp32. Worth it
  only on hardware with native bf16 (AMX / AVX512-BF16 CPUs, GPUs): on an AVX2-only CPU
  emulated bf16 measured about 7x slower than fp32;
- int8: torch dynamic quantization of every `nn.Linear`, CPU only. 1.1-1.7x fp32 for XLM-R
  across two benchmark runs, but DeBERTa's disentangled-attention matmuls are not Linear
  layers: no faster, and labels disagreeing with fp32 on 20-25% of stance mentions;
- onnx-int8 / onnx-fp32: ONNX Runtime on CPU (`classify_onnx`), exported once into the cache;
- auto (the default): measured per machine and architecture (newslens.models.calibration,
  resolved in newslens.models.engines); with calibration off, `resolve_precision` below: bf16
  where the device computes it natively, else onnx-int8 on CPU, else fp32.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from newslens.models.batching import token_batches
from newslens.models.loading import ResolvedModel
from newslens.threads import cpu_flags

TORCH_PRECISIONS = ("fp32", "bf16", "int8")
PRECISIONS = (*TORCH_PRECISIONS, "onnx-int8", "onnx-fp32")
NATIVE_BF16_FLAGS = {"avx512_bf16", "amx_bf16"}

# One padded batch (int64 arrays by input name) -> float32 logits (rows, labels).
Forward = Callable[[dict[str, np.ndarray]], np.ndarray]


@dataclass(frozen=True)
class Batch:
    """Positions (in the caller's order) and the unpadded token features of one batch."""

    indices: list[int]
    features: dict[str, list[list[int]]]


class Classifier:
    """One sequence-classification model: its tokenizer, labels and a forward function."""

    def __init__(self, resolved: ResolvedModel, tokenizer, forward: Forward,
                 id2label: Mapping[int, str], *, precision: str, max_batch_tokens: int = 8192,
                 max_length: int = 256) -> None:
        if precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {PRECISIONS}, not {precision!r}")
        self.model_id: str = resolved.model_id
        self.revision: str | None = resolved.revision
        self.precision = precision
        self.forward = forward
        self.max_batch_tokens = max_batch_tokens
        limit = getattr(tokenizer, "model_max_length", None) or max_length
        self.max_length = min(max_length, limit) if limit < 10**6 else max_length
        self.tokenizer = tokenizer
        self.id2label: dict[int, str] = {int(k): str(v) for k, v in id2label.items()}
        self.num_labels = len(self.id2label)
        # Fast tokenizers refuse concurrent use; flows may call from several threads.
        self._lock = threading.Lock()

    # -- the three stages ---------------------------------------------------------------
    def preprocess(self, texts: Sequence[str], text_pairs: Sequence[str] | None = None,
                   group_size: int = 1) -> list[Batch]:
        """Tokenise without padding and pack into token-budget batches, longest first."""
        first = ["" if t is None else str(t) for t in texts]
        second = None if text_pairs is None else ["" if t is None else str(t) for t in text_pairs]
        if second is not None and len(second) != len(first):
            raise ValueError("texts and text_pairs differ in length")
        with self._lock:
            enc = self.tokenizer(first, second, truncation=True, max_length=self.max_length,
                                 padding=False)
        keys = [k for k in ("input_ids", "attention_mask", "token_type_ids") if k in enc]
        lengths = [len(ids) for ids in enc["input_ids"]]
        return [Batch(indices=idx, features={k: [enc[k][i] for i in idx] for k in keys})
                for idx in token_batches(lengths, self.max_batch_tokens, group_size=group_size)]

    def padded(self, features: dict[str, list[list[int]]]) -> dict[str, np.ndarray]:
        """Right-pad one batch into int64 arrays (pad token for ids, 0 elsewhere)."""
        width = max(len(row) for row in features["input_ids"])
        pad_values = {"input_ids": self.tokenizer.pad_token_id or 0}
        return {key: np.array([row + [pad_values.get(key, 0)] * (width - len(row)) for row in rows],
                              dtype=np.int64)
                for key, rows in features.items()}

    def _scatter(self, batches: Sequence[Batch], logits: Sequence[np.ndarray], n: int) -> np.ndarray:
        """Per-batch rows put back in the caller's order."""
        out = np.zeros((n, self.num_labels), dtype=np.float32)
        for batch, lg in zip(batches, logits):
            out[batch.indices] = lg
        return out

    def postprocess(self, batches: Sequence[Batch], logits: Sequence[np.ndarray], n: int) -> np.ndarray:
        """Softmax probabilities (n, num_labels) in the caller's order."""
        return softmax(self._scatter(batches, logits, n))

    # -- public entry ---------------------------------------------------------------------
    def _run(self, texts: Sequence[str], text_pairs: Sequence[str] | None,
             group_size: int) -> tuple[list[Batch], list[np.ndarray]]:
        batches = self.preprocess(texts, text_pairs, group_size)
        return batches, [self.forward(self.padded(b.features)) for b in batches]

    def predict_proba(self, texts: Sequence[str], text_pairs: Sequence[str] | None = None, *,
                      group_size: int = 1) -> np.ndarray:
        """Class probabilities (float32 softmax) for each text or text pair, in input order.

        `group_size` > 1 keeps each run of that many consecutive inputs in one batch.
        """
        if len(texts) == 0:
            return np.zeros((0, self.num_labels), dtype=np.float32)
        batches, logits = self._run(texts, text_pairs, group_size)
        return self.postprocess(batches, logits, len(texts))

    def predict_logits(self, texts: Sequence[str], text_pairs: Sequence[str] | None = None, *,
                       group_size: int = 1) -> np.ndarray:
        """Raw logits in input order, for callers that normalise across inputs (zero-shot NLI)."""
        if len(texts) == 0:
            return np.zeros((0, self.num_labels), dtype=np.float32)
        batches, logits = self._run(texts, text_pairs, group_size)
        return self._scatter(batches, logits, len(texts))


def softmax(logits: np.ndarray, axis: int = -1) -> np.ndarray:
    """Numerically stable softmax in float32."""
    z = logits.astype(np.float64) - logits.max(axis=axis, keepdims=True)
    e = np.exp(z)
    return (e / e.sum(axis=axis, keepdims=True)).astype(np.float32)


def native_bf16(device: str) -> bool:
    """Whether `device` computes bf16 in hardware (emulated bf16 is slower than fp32)."""
    if device.startswith("cuda"):
        import torch

        return bool(torch.cuda.is_available() and torch.cuda.is_bf16_supported())
    return bool(cpu_flags() & NATIVE_BF16_FLAGS)


def resolve_precision(precision: str, device: str = "cpu") -> str:
    """The concrete precision for a setting: `auto` becomes bf16 on hardware with native bf16,
    onnx-int8 on other CPUs (when ONNX Runtime is installed), else fp32."""
    if precision != "auto":
        if precision not in PRECISIONS:
            raise ValueError(f"classifier precision must be 'auto' or one of {PRECISIONS}, "
                             f"not {precision!r}")
        if precision.startswith("onnx") and not device.startswith("cpu"):
            raise ValueError(f"{precision} runs on CPU only; use fp32 or bf16 on {device}")
        if precision == "int8" and not device.startswith("cpu"):
            raise ValueError("int8 (dynamic quantization) runs on CPU only")
        return precision
    if native_bf16(device):
        return "bf16"
    if device.startswith("cpu"):
        try:
            import onnxruntime  # noqa: F401
        except ImportError:
            return "fp32"
        return "onnx-int8"
    return "fp32"
