"""What each engine is built from: one frozen options object per engine kind.

Settings are mapped onto engine arguments here and nowhere else (`from_settings`). The
objects are hashable and compare by value, so they are also the keys of the per-process
engine caches (`newslens.models.engines`): equal options share one engine, any difference
(threads and the cache folder included) builds another.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newslens.config import Settings

BACKENDS: tuple[str, ...] = ("ctranslate2", "torch")
# A decode policy replaces a translator's own decoding (stopping at the end token) for normal
# calls: policy(translator, source_ids) -> generated ids per source. The guard's retry
# decoding is never replaced.
DecodePolicy = Callable[[Any, list[list[int]]], list[list[int]]]


@dataclass(frozen=True)
class ClassifierOptions:
    """How a sequence classifier runs: precision (`auto` resolves at build time, measured when
    `calibration` is on: newslens.models.calibration), device, batching, the cache folder of
    ONNX exports and calibration tables, and the thread count."""

    precision: str = "fp32"
    device: str = "cpu"
    max_batch_tokens: int = 8192
    max_length: int = 256
    cache_dir: Path = Path("data/cache")
    threads: int | None = None
    calibration: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "cache_dir", Path(self.cache_dir).absolute())

    @classmethod
    def from_settings(cls, settings: Settings) -> ClassifierOptions:
        return cls(precision=settings.classifier_precision, device=settings.device,
                   max_batch_tokens=settings.classifier_max_batch_tokens,
                   cache_dir=Path(settings.cache_dir), threads=settings.torch_threads,
                   calibration=settings.classifier_calibration)


@dataclass(frozen=True)
class TranslatorOptions:
    """How a translator runs. Torch has no compute type, converted-model cache or replicas:
    those fields are blanked for it, so options differing only there are equal.

    `max_input_tokens` overrides the model's input limit (tests use a small one to exercise
    splitting). `decode_policy` is a `DecodePolicy` or the import path of one,
    "package.module:attribute" (how the benchmark, configured through the environment,
    fixes output lengths: NEWSLENS_TRANSLATION_DECODE_POLICY=bench.fixed_length:policy).
    """

    backend: str = "ctranslate2"
    device: str = "cpu"
    compute_type: str = "int8"
    cache_dir: Path = Path("data/cache")
    beam_size: int = 1
    max_batch_tokens: int = 4096
    threads: int | None = None
    inter_threads: int | None = None
    max_input_tokens: int | None = None
    decode_policy: str | DecodePolicy | None = None

    def __post_init__(self) -> None:
        if self.backend not in BACKENDS:
            raise ValueError(f"unknown translation backend {self.backend!r}; choose one of {BACKENDS}")
        if self.backend == "torch":
            for name, blank in (("compute_type", ""), ("cache_dir", None), ("inter_threads", None)):
                object.__setattr__(self, name, blank)
        else:
            object.__setattr__(self, "cache_dir", Path(self.cache_dir).absolute())

    @classmethod
    def from_settings(cls, settings: Settings) -> TranslatorOptions:
        return cls(backend=settings.translation_backend, device=settings.device,
                   compute_type=settings.ct2_compute_type, cache_dir=Path(settings.cache_dir),
                   beam_size=settings.translation_beam_size,
                   max_batch_tokens=settings.translation_max_batch_tokens,
                   threads=settings.torch_threads, inter_threads=settings.ct2_inter_threads,
                   decode_policy=settings.translation_decode_policy)


def load_decode_policy(policy: str | DecodePolicy | None) -> DecodePolicy | None:
    """The policy itself: an import path "module:attribute" is imported, a callable kept."""
    if policy is None or callable(policy):
        return policy
    module, sep, attribute = str(policy).partition(":")
    if not sep or not module or not attribute:
        raise ValueError(f"decode policy {policy!r} is not of the form 'package.module:attribute'")
    try:
        found = getattr(importlib.import_module(module), attribute)
    except (ImportError, AttributeError) as exc:
        raise ValueError(f"decode policy {policy!r} cannot be imported: {exc}") from exc
    if not callable(found):
        raise ValueError(f"decode policy {policy!r} is not callable")
    return found
