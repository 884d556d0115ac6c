"""The per-process engine caches: one classifier or translator per (model, options).

Models are looked up here, never passed around: a stage holds only a resolved model and an
options object built once from its settings (`newslens.models.options`). This is the one
module that imports the backends; the backends import nothing above them.
"""

from __future__ import annotations

import dataclasses
import gc
import threading
from collections.abc import Callable

from newslens.models.calibration import resolve_auto
from newslens.models.classify import Classifier, resolve_precision
from newslens.models.classify_onnx import onnx_forward
from newslens.models.classify_torch import torch_forward
from newslens.models.loading import ResolvedModel, load_tokenizer
from newslens.models.loads import record_load
from newslens.models.options import ClassifierOptions, TranslatorOptions
from newslens.models.translate_ct2 import CT2Translator
from newslens.models.translate_torch import TorchTranslator
from newslens.models.translation import SplittingTranslator

_CLASSIFIERS: dict[tuple[ResolvedModel, ClassifierOptions], Classifier] = {}
_TRANSLATORS: dict[tuple[ResolvedModel, TranslatorOptions], SplittingTranslator] = {}
_LOCK = threading.RLock()


def get_classifier(resolved: ResolvedModel, options: ClassifierOptions | None = None
                   ) -> Classifier:
    """The process-wide classifier for a model and options (default: `ClassifierOptions()`),
    loaded (and quantised) once. `auto` is resolved first, so it shares the engine of the
    precision it stands for."""
    options = options or ClassifierOptions()
    precision = effective_precision(resolved, options)
    # The key holds the concrete precision only: `auto` and what it chose share one engine.
    options = dataclasses.replace(options, precision=precision, calibration=True)
    key = (resolved, options)
    with _LOCK:
        if key not in _CLASSIFIERS:
            record_load(f"classifier-{precision}", resolved.model_id)
            if precision.startswith("onnx"):
                forward, config = onnx_forward(resolved, precision, options.cache_dir,
                                               options.threads)
            else:
                forward, config = torch_forward(resolved, precision, options.device)
            _CLASSIFIERS[key] = Classifier(
                resolved, load_tokenizer(str(resolved.path)), forward, config.id2label,
                precision=precision, max_batch_tokens=options.max_batch_tokens,
                max_length=options.max_length)
        return _CLASSIFIERS[key]


def classifier_builder(resolved: ResolvedModel, options: ClassifierOptions
                       ) -> Callable[[str], Classifier]:
    """`build(precision)`: the classifier with these options at a concrete precision."""
    def build(precision: str) -> Classifier:
        return get_classifier(resolved, dataclasses.replace(options, precision=precision))
    return build


def effective_precision(resolved: ResolvedModel, options: ClassifierOptions) -> str:
    """The concrete precision these options run `resolved` at: `auto` as measured (or by the
    CPU-flag rule with calibration off), any other value checked and kept. The lake's lineage
    records this, so rows say what really produced them."""
    if options.precision == "auto":
        return auto_precision(resolved, options)
    return resolve_precision(options.precision, options.device)


def auto_precision(resolved: ResolvedModel, options: ClassifierOptions) -> str:
    """What `auto` means for this model here: measured once per machine and architecture
    (cached in the cache folder) when calibration is on, else the CPU-flag rule. The
    candidates built only to be measured are dropped again, so they hold no memory."""
    if not options.calibration:
        return resolve_precision("auto", options.device)
    with _LOCK:
        before = set(_CLASSIFIERS)
    chosen = resolve_auto(resolved, device=options.device, cache_dir=options.cache_dir,
                          threads=options.threads, build=classifier_builder(resolved, options),
                          max_batch_tokens=options.max_batch_tokens,
                          max_length=options.max_length)
    with _LOCK:
        timed_only = [key for key in set(_CLASSIFIERS) - before
                      if key[0] == resolved and key[1].precision != chosen]
        for key in timed_only:
            del _CLASSIFIERS[key]
    if timed_only:
        gc.collect()
    return chosen


def get_translator(resolved: ResolvedModel, options: TranslatorOptions | None = None
                   ) -> SplittingTranslator:
    """The process-wide translator for a model and options (default: `TranslatorOptions()`),
    built (and converted) once."""
    options = options or TranslatorOptions()
    key = (resolved, options)
    with _LOCK:
        if key not in _TRANSLATORS:
            record_load(f"translation-{options.backend}", resolved.model_id)
            backend = TorchTranslator if options.backend == "torch" else CT2Translator
            _TRANSLATORS[key] = backend(resolved, options)
        return _TRANSLATORS[key]


def loaded_classifiers() -> dict[str, list[str]]:
    """Model id -> the precisions this process has loaded it at (what `auto` became)."""
    with _LOCK:
        out: dict[str, list[str]] = {}
        for resolved, options in _CLASSIFIERS:
            out.setdefault(resolved.model_id, []).append(options.precision)
        return {model: sorted(set(p)) for model, p in out.items()}


def clear_classifiers() -> None:
    """Drop the cached classifiers (the benchmark does, so each measurement starts alike)."""
    with _LOCK:
        _CLASSIFIERS.clear()
    gc.collect()
