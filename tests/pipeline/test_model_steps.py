"""Planning the model stages: every model and the targets file checked before any write."""

from __future__ import annotations

import pytest

from newslens.config import Settings
from newslens.pipeline.model_steps import (ModelsMissingError, needed_translation_models,
                                           plan_models)


def test_only_the_languages_present_need_translation_models():
    settings = Settings()
    assert needed_translation_models({"en", "und"}, settings) == set()
    assert needed_translation_models({"it", "pt"}, settings) == {
        "Helsinki-NLP/opus-mt-it-en", "Helsinki-NLP/opus-mt-mul-en"}


def test_plan_names_every_missing_model(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    settings = Settings(models_dir=tmp_path)
    with pytest.raises(ModelsMissingError) as err:
        plan_models(["translate", "sentiment"], {"it", "fr"}, settings)
    assert sorted(err.value.model_ids) == sorted([
        "Helsinki-NLP/opus-mt-fr-en", "Helsinki-NLP/opus-mt-it-en", settings.sentiment_model])
    assert "newslens models pull" in str(err.value)


def test_plan_loads_targets_once_and_refuses_a_missing_file(tmp_path, tiny_models_dir):
    plan = plan_models(["stance"], {"it"}, Settings(models_dir=tiny_models_dir))
    assert {"russia", "ukraine", "nato"} <= {t.id for t in plan.targets}
    with pytest.raises(FileNotFoundError, match="targets file"):
        plan_models(["stance"], {"it"}, Settings(models_dir=tiny_models_dir,
                                                 targets_file=tmp_path / "nope.yaml"))

