"""The torch classifier backend: a forward function over a transformers model.

fp32 runs the loaded model as saved. bf16 runs a copy loaded with bfloat16 weights, so the
matrix products read half the memory and use the CPU's bf16 instructions directly (autocast
over fp32 weights would cast every weight on every call); logits come back as float32.
int8 is a dynamically quantised copy of the fp32 model (the loaded model is shared).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from newslens.models.classify import TORCH_PRECISIONS
from newslens.models.loading import ResolvedModel, load_sequence_classifier


@dataclass(frozen=True)
class TorchForward:
    """Logits of one padded batch from a torch model on `device`."""

    model: Any
    device: str = "cpu"

    def __call__(self, arrays: dict[str, np.ndarray]) -> np.ndarray:
        import torch

        inputs = {key: torch.from_numpy(array).to(self.device) for key, array in arrays.items()}
        with torch.inference_mode():
            logits = self.model(**inputs).logits
        return logits.float().cpu().numpy()


def quantize_int8(model):
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


def torch_forward(resolved: ResolvedModel, precision: str, device: str = "cpu") -> tuple[TorchForward, Any]:
    """The forward function for a torch precision, and the model config (labels, sizes)."""
    if precision not in TORCH_PRECISIONS:
        raise ValueError(f"torch precision must be one of {TORCH_PRECISIONS}, not {precision!r}")
    path = str(resolved.path)
    if precision == "bf16":
        model = load_sequence_classifier(path, device, "bfloat16")
    else:
        model = load_sequence_classifier(path, device)
        if precision == "int8":
            model = quantize_int8(model)
    return TorchForward(model, device), model.config
