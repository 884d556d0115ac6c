"""Two changes the core lacks, applied inside a benchmark worker to price them end to end.

- CTranslate2 with one thread per call and every call in flight: in benchmark mode the
  translate stage makes one `translate_batch` call per output length; the stage's engine
  gives each call all cores (inter_threads=1), and the calls run one after another. Here the
  engine runs `cores` calls side by side, one thread each, submitted asynchronously.
- ONNX Runtime int8 classifiers for sentiment and stance, in place of torch.

Both only replace how a model runs: batching, routing and every table stay newslens's own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def async_ct2(threads: int) -> None:
    """Make new CT2 translators run `threads` length groups at once, one thread each."""
    import ctranslate2

    from newslens.models import translate_ct2, translation

    cls = translate_ct2.CT2Translator
    original_init = cls.__init__

    def __init__(self, resolved, **kwargs: Any) -> None:
        original_init(self, resolved, **kwargs)
        name, index = translate_ct2._device(kwargs.get("device", "cpu"))
        self.engine = ctranslate2.Translator(
            str(self.model_dir), device=name, device_index=index,
            compute_type=kwargs.get("compute_type", "int8"), inter_threads=threads, intra_threads=1)

    def _forward(self, source_ids: list[list[int]]) -> list[list[int]]:
        tokens = [self.tokenizer.convert_ids_to_tokens(ids) for ids in source_ids]
        groups: dict[int, list[int]] = {}
        for i, ids in enumerate(source_ids):
            length = self.target_length(ids) if self.decode_length_ratio is not None else None
            groups.setdefault(length or 0, []).append(i)
        pending = []
        for length, members in groups.items():
            limit = length or self.max_decode
            results = self.engine.translate_batch(
                [tokens[i] for i in members], beam_size=self.beam_size,
                max_batch_size=self.max_batch_tokens, batch_type="tokens", max_input_length=0,
                max_decoding_length=limit, min_decoding_length=length, asynchronous=True)
            pending.append((members, results))
        outputs: list[list[int]] = [[] for _ in source_ids]
        for members, results in pending:
            for i, result in zip(members, results):
                outputs[i] = self.tokenizer.convert_tokens_to_ids(result.result().hypotheses[0])
        return outputs

    cls.__init__ = __init__
    cls._forward = _forward
    translation._build_translator.cache_clear()


def onnx_classifiers(cache_dir: Path, threads: int) -> None:
    """Make the sentiment and stance stages run their models in ONNX Runtime, int8."""
    from newslens.pipeline import model_steps

    from bench.onnx_backend import OnnxClassifier, export_onnx

    made: dict[Any, OnnxClassifier] = {}

    def get_classifier(resolved, *, precision: str = "fp32", device: str = "cpu",
                       max_batch_tokens: int = 8192, **_: Any) -> OnnxClassifier:
        if resolved not in made:
            path = export_onnx(resolved, Path(cache_dir) / "bench-models", quantize=True)
            made[resolved] = OnnxClassifier(resolved, path, threads=threads,
                                            max_batch_tokens=max_batch_tokens)
        return made[resolved]

    model_steps.get_classifier = get_classifier
