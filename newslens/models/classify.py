"""Shared encoder inference for sentiment and stance: one loaded sequence classifier per process.

The wrapper follows the pipeline split of the house style: `preprocess` tokenises and packs
inputs into token-budget batches (longest first, so each batch pads little), `_forward` runs one
batch, `postprocess` turns logits into softmax probabilities in the caller's order. Precision
is chosen once at load time (`classifier_precision`):

- fp32: the model as saved, torch eager;
- bf16: `torch.autocast` to bfloat16 around the forward pass (CPU or CUDA), logits back in fp32.
  Worth it only on hardware with native bf16 (AMX / AVX512-BF16 CPUs, GPUs): on an AVX2-only
  CPU it measured about 7x slower than fp32;
- int8: torch dynamic quantization of every `nn.Linear`, CPU only. 1.1-1.7x fp32 for XLM-R
  across two benchmark runs, but DeBERTa's disentangled-attention matmuls are not Linear layers: no faster, and
  labels disagreeing with fp32 on 20-25% of stance mentions in the benchmark;
- onnx-int8 / onnx-fp32: ONNX Runtime on CPU (`classify_onnx`), exported once into the cache;
- auto (the default): bf16 where the device computes it natively, else onnx-int8 on CPU, else
  fp32. The benchmark measures every option on a machine and says whether auto chose well.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from newslens.models.loading import ResolvedModel, load_sequence_classifier, load_tokenizer
from newslens.models.loads import record_load
from newslens.threads import cpu_flags

TORCH_PRECISIONS = ("fp32", "bf16", "int8")
PRECISIONS = (*TORCH_PRECISIONS, "onnx-int8", "onnx-fp32")
NATIVE_BF16_FLAGS = {"avx512_bf16", "amx_bf16"}


@dataclass(frozen=True)
class Batch:
    """Positions (in the caller's order) and the unpadded token features of one batch."""

    indices: list[int]
    features: dict[str, list[list[int]]]


def _quantize_int8(model):
    """A copy of `model` with int8 dynamic-quantized Linear layers (the loaded model is shared)."""
    import torch

    try:
        from torch.ao.quantization import quantize_dynamic
    except ImportError as exc:  # removed from a future torch
        raise RuntimeError("int8 precision needs torch.ao.quantization.quantize_dynamic, "
                           "which this torch build lacks; use fp32 or bf16") from exc
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch flags the eager API as deprecated
        return quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8, inplace=False).eval()


def pack_batches(lengths: Sequence[int], max_batch_tokens: int, group_size: int = 1) -> list[list[int]]:
    """Split item positions into batches whose padded size (rows x longest row) fits the budget.

    Items are taken in groups of `group_size` consecutive positions that always share a batch
    (stance keeps the three hypotheses of one premise together); groups go longest first.
    A group larger than the budget still gets a batch of its own.
    """
    n = len(lengths)
    if n % group_size:
        raise ValueError(f"{n} inputs do not split into groups of {group_size}")
    groups = [list(range(g, g + group_size)) for g in range(0, n, group_size)]
    group_len = [max(lengths[i] for i in grp) for grp in groups]
    order = sorted(range(len(groups)), key=lambda g: -group_len[g])  # stable for ties
    batches: list[list[int]] = []
    current: list[int] = []
    width = 0  # longest row of the current batch: that of its first group, as lengths fall
    for g in order:
        if current and (len(current) + group_size) * width > max_batch_tokens:
            batches.append(current)
            current = []
        if not current:
            width = group_len[g]
        current.extend(groups[g])
    if current:
        batches.append(current)
    return batches


class Classifier:
    """One sequence-classification model with its tokenizer, ready for batched inference."""

    def __init__(self, resolved: ResolvedModel, tokenizer, model, *, precision: str = "fp32",
                 device: str = "cpu", max_batch_tokens: int = 8192, max_length: int = 256,
                 config=None) -> None:
        if precision not in TORCH_PRECISIONS:
            raise ValueError(f"precision must be one of {TORCH_PRECISIONS}, not {precision!r}")
        if precision == "int8" and not device.startswith("cpu"):
            raise ValueError("int8 (dynamic quantization) runs on CPU only")
        self.model_id: str = resolved.model_id
        self.revision: str | None = resolved.revision
        self.precision = precision
        self.device = device
        self.max_batch_tokens = max_batch_tokens
        limit = getattr(tokenizer, "model_max_length", None) or max_length
        self.max_length = min(max_length, limit) if limit < 10**6 else max_length
        self.tokenizer = tokenizer
        self.model = _quantize_int8(model) if precision == "int8" else model
        config = config if config is not None else model.config
        self.id2label: dict[int, str] = {int(k): str(v) for k, v in config.id2label.items()}
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
        out = []
        for idx in pack_batches(lengths, self.max_batch_tokens, group_size):
            out.append(Batch(indices=idx, features={k: [enc[k][i] for i in idx] for k in keys}))
        return out

    def padded(self, features: dict[str, list[list[int]]]) -> dict[str, np.ndarray]:
        """Right-pad one batch into int64 arrays (pad token for ids, 0 elsewhere)."""
        width = max(len(row) for row in features["input_ids"])
        pad_values = {"input_ids": self.tokenizer.pad_token_id or 0}
        return {key: np.array([row + [pad_values.get(key, 0)] * (width - len(row)) for row in rows],
                              dtype=np.int64)
                for key, rows in features.items()}

    def _pad(self, features: dict[str, list[list[int]]]):
        """Right-pad one batch into tensors on the model's device."""
        import torch

        return {key: torch.from_numpy(array).to(self.device)
                for key, array in self.padded(features).items()}

    def _forward(self, batch: Batch) -> np.ndarray:
        """Logits (float32) of one batch, in the batch's own order."""
        import torch

        inputs = self._pad(batch.features)
        device_type = torch.device(self.device).type
        with torch.inference_mode():
            if self.precision == "bf16":
                with torch.autocast(device_type=device_type, dtype=torch.bfloat16):
                    logits = self.model(**inputs).logits
            else:
                logits = self.model(**inputs).logits
        return logits.float().cpu().numpy()

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
        return batches, [self._forward(b) for b in batches]

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

    def label_index(self, name: str) -> int | None:
        """Position of a label by name (case-insensitive), or None when the model lacks it."""
        for i, label in self.id2label.items():
            if label.lower() == name.lower():
                return i
        return None


def softmax(logits: np.ndarray, axis: int = -1) -> np.ndarray:
    """Numerically stable softmax in float32."""
    z = logits.astype(np.float64) - logits.max(axis=axis, keepdims=True)
    e = np.exp(z)
    return (e / e.sum(axis=axis, keepdims=True)).astype(np.float32)


_CACHE: dict[tuple, Classifier] = {}
_CACHE_LOCK = threading.Lock()


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


def get_classifier(resolved: ResolvedModel, *, precision: str = "fp32", device: str = "cpu",
                   max_batch_tokens: int = 8192, max_length: int = 256,
                   cache_dir: Path = Path("data/cache"), threads: int | None = None) -> Classifier:
    """The process-wide classifier for a model and settings, loaded (and quantised) once.

    `cache_dir` holds ONNX exports; `threads` sizes the ONNX Runtime session (torch's own
    thread count is set once per run by `newslens.threads`)."""
    precision = resolve_precision(precision, device)
    key = (resolved, precision, device, max_batch_tokens, max_length)
    with _CACHE_LOCK:
        if key not in _CACHE:
            record_load(f"classifier-{precision}", resolved.model_id)
            path = str(resolved.path)
            if precision.startswith("onnx"):
                from newslens.models.classify_onnx import OnnxClassifier

                _CACHE[key] = OnnxClassifier(resolved, precision=precision, cache_dir=cache_dir,
                                             threads=threads, max_batch_tokens=max_batch_tokens,
                                             max_length=max_length)
            else:
                _CACHE[key] = Classifier(resolved, load_tokenizer(path),
                                         load_sequence_classifier(path, device),
                                         precision=precision, device=device,
                                         max_batch_tokens=max_batch_tokens, max_length=max_length)
        return _CACHE[key]
