"""ONNX Runtime as a classifier backend: export once, quantise once, run in a session.

The CPU choice where torch has no fast low precision: on an AVX2 CPU without VNNI or bf16,
ONNX Runtime with int8 weights measured 1.65x (XLM-R sentiment) and 2.48x (mDeBERTa stance)
fp32 eager torch, labels agreeing on 100% and 97.5% of items (full run 1, BENCHMARKS.md),
while torch's own dynamic int8 gave 1.0-1.1x on stance and left a fifth of its labels
disagreeing.

A model is exported through torch's TorchScript exporter (the dynamo exporter needs
onnxscript) into `<cache_dir>/onnx/<model>-<key>/`, keyed like the CTranslate2 cache
(`cache_keys`), and written atomically so a reader never sees half a file. int8 is ONNX Runtime's dynamic
quantization of the weights; on CPUs without VNNI the weights use 7 bits (`reduce_range`),
as ONNX Runtime advises for its u8s8 kernels there to avoid saturation. Tokenising, batching
and post-processing are `Classifier`'s own; this module builds only the forward function
(`onnx_forward`), and the torch model is loaded only when an export is needed.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from newslens.files import write_atomically
from newslens.models.cache_keys import cache_key
from newslens.models.loading import ResolvedModel, folder_name, load_sequence_classifier
from newslens.threads import available_cores, cpu_flags

ONNX_PRECISIONS = ("onnx-int8", "onnx-fp32")
# Bumped on every export this process runs; tests use it to prove the cache is reused.
exports = 0


def has_vnni() -> bool:
    return bool(cpu_flags() & {"avx512_vnni", "avx_vnni", "amx_int8"})


def onnx_inputs(config) -> tuple[str, ...]:
    """The model inputs the export keeps: token types only where the model has several."""
    if (getattr(config, "type_vocab_size", 0) or 0) > 1:
        return ("input_ids", "attention_mask", "token_type_ids")
    return ("input_ids", "attention_mask")


def onnx_dir(resolved: ResolvedModel, cache_dir: Path) -> Path:
    return Path(cache_dir) / "onnx" / f"{folder_name(resolved.model_id)}-{cache_key(resolved)}"


def _export_fp32(resolved: ResolvedModel, target: Path) -> None:
    import torch

    model = load_sequence_classifier(str(resolved.path), "cpu")
    names = onnx_inputs(model.config)
    ids = torch.randint(5, 50, (2, 16))
    example = {"input_ids": ids, "attention_mask": torch.ones_like(ids),
               "token_type_ids": torch.zeros_like(ids)}
    axes = {name: {0: "batch", 1: "seq"} for name in names}

    def write(tmp: Path) -> None:
        with warnings.catch_warnings(), torch.inference_mode():
            warnings.simplefilter("ignore")
            torch.onnx.export(model, tuple(example[n] for n in names), str(tmp),
                              input_names=list(names), output_names=["logits"],
                              opset_version=17, dynamo=False,
                              dynamic_axes={**axes, "logits": {0: "batch"}})

    write_atomically(target, write)


def export_onnx(resolved: ResolvedModel, cache_dir: Path, precision: str = "onnx-int8") -> Path:
    """The model's ONNX file for `precision`, exported (and quantised) on first use.

    int8 is derived from an fp32 export; the fp32 file is kept only when fp32 itself is asked
    for, since for a 250k-token vocabulary it is over a gigabyte."""
    global exports
    if precision not in ONNX_PRECISIONS:
        raise ValueError(f"ONNX precision must be one of {ONNX_PRECISIONS}, not {precision!r}")
    base = onnx_dir(resolved, cache_dir)
    vnni = has_vnni()
    fp32 = base / "model.onnx"
    int8 = base / ("model-int8.onnx" if vnni else "model-int8-rr.onnx")
    wanted = fp32 if precision == "onnx-fp32" else int8
    if wanted.is_file():
        return wanted
    base.mkdir(parents=True, exist_ok=True)
    had_fp32 = fp32.is_file()
    if not had_fp32:
        _export_fp32(resolved, fp32)
        exports += 1
    if wanted is int8:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        def quantize(tmp: Path) -> None:
            root = logging.getLogger()
            level = root.level
            root.setLevel(logging.ERROR)  # a hint to pre-process first, logged on every call
            try:
                quantize_dynamic(str(fp32), str(tmp), weight_type=QuantType.QInt8,
                                 reduce_range=not vnni)
            finally:
                root.setLevel(level)

        write_atomically(int8, quantize)
        if not had_fp32:
            fp32.unlink(missing_ok=True)
    return wanted


@dataclass(frozen=True)
class OnnxForward:
    """Logits of one padded batch from an ONNX Runtime session on CPU."""

    path: Path
    threads: int | None = None
    session: Any = field(init=False, repr=False, compare=False)
    inputs: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = self.threads or available_cores()
        options.inter_op_num_threads = 1
        session = ort.InferenceSession(str(self.path), options, providers=["CPUExecutionProvider"])
        object.__setattr__(self, "session", session)
        object.__setattr__(self, "inputs", tuple(i.name for i in session.get_inputs()))

    def __call__(self, arrays: dict[str, np.ndarray]) -> np.ndarray:
        ids = arrays["input_ids"]
        # A tokenizer without token types leaves them to the model's default: all zeros.
        feeds = {key: arrays[key] if key in arrays else np.zeros_like(ids) for key in self.inputs}
        return self.session.run(["logits"], feeds)[0].astype(np.float32)


def onnx_forward(resolved: ResolvedModel, precision: str, cache_dir: Path,
                 threads: int | None = None) -> tuple[OnnxForward, Any]:
    """The forward function for an ONNX precision (exporting first if needed) and the model
    config; no torch model is kept."""
    from transformers import AutoConfig

    path = export_onnx(resolved, cache_dir, precision)
    config = AutoConfig.from_pretrained(str(resolved.path), trust_remote_code=False)
    return OnnxForward(path, threads), config
