"""Engine options: built once from Settings, and the keys of the per-process engine caches."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from newslens.config import Settings
from newslens.models import engines
from newslens.models.engines import get_classifier, get_translator
from newslens.models.loading import resolve
from newslens.models.options import ClassifierOptions, TranslatorOptions


def test_options_come_from_settings_field_by_field(tmp_path: Path) -> None:
    settings = Settings(classifier_precision="int8", device="cpu", classifier_max_batch_tokens=123,
                        cache_dir=tmp_path, torch_threads=3, translation_backend="ctranslate2",
                        ct2_compute_type="float32", translation_beam_size=2,
                        translation_max_batch_tokens=456, ct2_inter_threads=2,
                        classifier_calibration=False)
    assert ClassifierOptions.from_settings(settings) == ClassifierOptions(
        precision="int8", max_batch_tokens=123, cache_dir=tmp_path, threads=3, calibration=False)
    assert TranslatorOptions.from_settings(settings) == TranslatorOptions(
        compute_type="float32", cache_dir=tmp_path, beam_size=2, max_batch_tokens=456,
        threads=3, inter_threads=2)
    torch_options = TranslatorOptions.from_settings(settings.model_copy(
        update={"translation_backend": "torch"}))
    # Torch has no compute type, conversion cache or replicas: those never split its cache.
    assert torch_options == TranslatorOptions(backend="torch", beam_size=2, max_batch_tokens=456,
                                              threads=3)
    hash(torch_options), hash(ClassifierOptions.from_settings(settings))


def test_relative_cache_dirs_are_pinned_when_the_options_are_built(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert ClassifierOptions(cache_dir=Path("c")).cache_dir == tmp_path / "c"
    assert ClassifierOptions(cache_dir=Path("c")) == ClassifierOptions(cache_dir=tmp_path / "c")


def test_classifier_cache_keys_on_every_option(tiny_sentiment_dir, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(engines, "_CLASSIFIERS", {})
    resolved = resolve(str(tiny_sentiment_dir))
    base = ClassifierOptions(precision="onnx-fp32", cache_dir=tmp_path / "a", threads=1)
    first = get_classifier(resolved, base)
    assert get_classifier(resolved, ClassifierOptions(precision="onnx-fp32",
                                                      cache_dir=tmp_path / "a", threads=1)) is first
    other_threads = get_classifier(resolved, dataclasses.replace(base, threads=2))
    other_cache = get_classifier(resolved, dataclasses.replace(base, cache_dir=tmp_path / "b"))
    assert other_threads is not first and other_cache is not first
    # Each engine really got its own options: threads of its session, its own export folder.
    assert other_threads.forward.session.get_session_options().intra_op_num_threads == 2
    assert first.forward.session.get_session_options().intra_op_num_threads == 1
    assert other_cache.forward.path.is_relative_to(tmp_path / "b")
    assert first.forward.path.is_relative_to(tmp_path / "a")
    assert len(engines._CLASSIFIERS) == 3


def test_auto_shares_the_engine_of_the_precision_it_resolves_to(tiny_sentiment_dir, tmp_path,
                                                                monkeypatch) -> None:
    from newslens.models.classify import resolve_precision

    monkeypatch.setattr(engines, "_CLASSIFIERS", {})
    resolved = resolve(str(tiny_sentiment_dir))
    picked = resolve_precision("auto")
    # The CPU-flag rule (an ONNX pick exports under tmp_path, not the checkout's data/cache).
    rule = ClassifierOptions(precision="auto", calibration=False, cache_dir=tmp_path)
    assert (get_classifier(resolved, rule)
            is get_classifier(resolved, dataclasses.replace(rule, precision=picked)))


def test_translator_cache_keys_on_options(tiny_marian_dir, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(engines, "_TRANSLATORS", {})
    resolved = resolve(str(tiny_marian_dir))
    base = TranslatorOptions(compute_type="float32", cache_dir=tmp_path, threads=1)
    first = get_translator(resolved, base)
    assert get_translator(resolved, dataclasses.replace(base)) is first
    assert get_translator(resolved, dataclasses.replace(base, beam_size=2)) is not first
    assert first.options == base and first.model_dir.is_relative_to(tmp_path)
    torch_one = get_translator(resolved, TranslatorOptions(backend="torch", threads=1,
                                                           cache_dir=tmp_path / "x"))
    assert get_translator(resolved, TranslatorOptions(backend="torch", threads=1,
                                                      compute_type="int8")) is torch_one
