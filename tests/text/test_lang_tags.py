"""primary_language: the one reading of a language tag's primary subtag."""

from __future__ import annotations

import math

import pytest

from newslens.text.abbreviations import lookup
from newslens.text.lang_tags import primary_language
from newslens.text.sentences import split_sentences


@pytest.mark.parametrize("tag, primary", [
    ("pt-BR", "pt"), ("pt_BR", "pt"), (" PT ", "pt"), ("en", "en"), ("zh-Hant-TW", "zh"),
    (None, None), ("", None), ("   ", None), ("-", None), (math.nan, None),
])
def test_primary_language(tag, primary):
    assert primary_language(tag) == primary


def test_the_splitter_reads_regional_tags_as_their_language():
    text = "Il sig. Rossi è arrivato. Poi è partito."
    assert split_sentences(text, "it_IT") == split_sentences(text, "it") \
        == split_sentences(text, " IT-it ")
    assert lookup("de_AT") == lookup("de")
