"""Route profiles: fast keeps the base models, quality routes to transformer-big ones."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from newslens.config import DEFAULT_TRANSLATION_ROUTES, Settings
from newslens.models.routes import FAST_ROUTES, QUALITY_ROUTES, routes_for
from newslens.models.translation import route_model


def test_fast_is_todays_default_and_quality_upgrades_where_published():
    assert Settings().translation_routes == DEFAULT_TRANSLATION_ROUTES == FAST_ROUTES
    quality = Settings(translation_profile="quality")
    assert quality.translation_routes == QUALITY_ROUTES
    assert route_model("it", quality.translation_routes, quality.translation_fallback) == \
        "Helsinki-NLP/opus-mt-tc-big-it-en"
    # one multilingual East Slavic model for both ru and uk: pulled once
    assert quality.translation_routes["ru"] == quality.translation_routes["uk"]
    ids = quality.model_ids(["translate"])["translation"]
    assert ids.count("Helsinki-NLP/opus-mt-tc-big-zle-en") == 1
    assert route_model("de", quality.translation_routes, quality.translation_fallback) == \
        "Helsinki-NLP/opus-mt-de-en"  # no transformer-big card verified: base model kept


def test_profile_comes_from_the_environment_and_explicit_routes_win(monkeypatch):
    monkeypatch.setenv("NEWSLENS_TRANSLATION_PROFILE", "quality")
    monkeypatch.setenv("NEWSLENS_TRANSLATION_ROUTES", '{"fr": "my-org/fr-en"}')
    settings = Settings()
    assert settings.translation_routes["fr"] == "my-org/fr-en"
    assert settings.translation_routes["it"] == QUALITY_ROUTES["it"]


def test_unknown_profiles_are_refused():
    with pytest.raises(ValidationError):
        Settings(translation_profile="best")
    with pytest.raises(ValueError, match="fast"):
        routes_for("best")


def test_tiny_models_exist_for_the_quality_profile(tmp_path):
    from transformers import AutoTokenizer

    from newslens.models.inventory import _source_language
    from newslens.models.tiny_marian import build_tiny_marian

    model_id = QUALITY_ROUTES["ru"]
    folder = build_tiny_marian(tmp_path / "zle", _source_language(model_id), model_id=model_id)
    tok = AutoTokenizer.from_pretrained(folder)
    ids = tok("Правительство поддержало новые санкции.")["input_ids"]
    assert tok.unk_token_id not in ids  # trained on the group's languages, not on English
