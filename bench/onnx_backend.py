"""ONNX Runtime as a candidate classifier backend: export, int8 dynamic quantization, inference.

Measured against torch's own precisions so the benchmark can say which wins on a machine.
Exports go through torch's TorchScript exporter (the dynamo one needs onnxscript) and are
cached next to the benchmark models, keyed by the weights digest. Batching, tokenisation and
post-processing are newslens's own `Classifier`; only `_forward` runs in ONNX Runtime.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np

from newslens.models.classify import Batch, Classifier
from newslens.models.loading import ResolvedModel, folder_name, load_sequence_classifier, load_tokenizer
from newslens.models.translate_ct2 import weights_key

INPUTS = ("input_ids", "attention_mask")


def export_onnx(resolved: ResolvedModel, cache_dir: Path, quantize: bool) -> Path:
    """The model as ONNX (fp32, or int8 weights), exported once into `cache_dir/onnx`."""
    import torch

    base = Path(cache_dir) / "onnx" / f"{folder_name(resolved.model_id)}-{weights_key(resolved.path)}"
    fp32, int8 = base / "model.onnx", base / "model-int8.onnx"
    if not fp32.is_file():
        base.mkdir(parents=True, exist_ok=True)
        model = load_sequence_classifier(str(resolved.path), "cpu")
        ids = torch.randint(5, 50, (2, 16))
        mask = torch.ones_like(ids)
        tmp = base / f".model.{os.getpid()}.onnx"
        with warnings.catch_warnings(), torch.inference_mode():
            warnings.simplefilter("ignore")
            torch.onnx.export(model, (ids, mask), str(tmp), input_names=list(INPUTS),
                              output_names=["logits"], opset_version=17, dynamo=False,
                              dynamic_axes={"input_ids": {0: "batch", 1: "seq"},
                                            "attention_mask": {0: "batch", 1: "seq"},
                                            "logits": {0: "batch"}})
        os.replace(tmp, fp32)
    if quantize and not int8.is_file():
        from onnxruntime.quantization import QuantType, quantize_dynamic

        tmp = base / f".model-int8.{os.getpid()}.onnx"
        quantize_dynamic(str(fp32), str(tmp), weight_type=QuantType.QInt8)
        os.replace(tmp, int8)
    return int8 if quantize else fp32


class OnnxClassifier(Classifier):
    """newslens's `Classifier` with the forward pass in an ONNX Runtime session."""

    def __init__(self, resolved: ResolvedModel, onnx_path: Path, *, threads: int,
                 max_batch_tokens: int = 8192) -> None:
        import onnxruntime as ort

        path = str(resolved.path)
        super().__init__(resolved, load_tokenizer(path), load_sequence_classifier(path, "cpu"),
                         precision="fp32", max_batch_tokens=max_batch_tokens)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(onnx_path), options,
                                            providers=["CPUExecutionProvider"])

    def _forward(self, batch: Batch) -> np.ndarray:
        width = max(len(row) for row in batch.features["input_ids"])
        pad = {"input_ids": self.tokenizer.pad_token_id or 0}
        feeds = {}
        for key in INPUTS:
            rows = batch.features[key]
            fill = pad.get(key, 0)
            feeds[key] = np.array([row + [fill] * (width - len(row)) for row in rows], dtype=np.int64)
        return self.session.run(["logits"], feeds)[0].astype(np.float32)
