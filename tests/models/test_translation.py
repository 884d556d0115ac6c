"""Translation logic that needs no model: routing, splitting, batching, the stage function."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from newslens.models.batching import token_batches
from newslens.models.translation import route_model, split_long, translate_texts


@dataclass
class FakeTranslator:
    """Records its calls; 'translates' by reversing the text and tagging the model."""

    model_id: str
    revision: str | None = "rev1"
    calls: list[list[str]] = field(default_factory=list)

    def translate(self, texts: list[str]) -> list[str]:
        self.calls.append(list(texts))
        return [f"{self.model_id}:{t[::-1]}" for t in texts]


def words(text: str) -> int:
    return len(text.split())


def test_route_model_uses_own_route_then_fallback_and_skips_english() -> None:
    routes = {"it": "m-it", "pt-br": "m-pt-br"}
    assert route_model("it", routes, "m-mul") == "m-it"
    assert route_model("IT-it", routes, "m-mul") == "m-it"
    assert route_model("pt-BR", routes, "m-mul") == "m-pt-br"
    assert route_model("fr", routes, "m-mul") == "m-mul"
    assert route_model(None, routes, "m-mul") == "m-mul"
    assert route_model("en", routes, "m-mul") is None
    assert route_model("en-GB", routes, "m-mul") is None


def test_english_and_blank_text_never_reach_a_translator() -> None:
    asked: list[str | None] = []

    def translator_for(lang: str) -> FakeTranslator:
        asked.append(lang)
        return FakeTranslator("m")

    out = translate_texts(["Hello.", "  ", "", "Hi there", "\n"], ["en", "it", "fr", "en-US", None],
                          translator_for)
    assert out == [("Hello.", None, None), ("", None, None), ("", None, None),
                   ("Hi there", None, None), ("", None, None)]
    assert asked == []


def test_translate_texts_groups_by_model_and_keeps_input_order() -> None:
    mul, fr = FakeTranslator("mul", None), FakeTranslator("fr-en")
    table = {"it": mul, "de": mul, "fr": fr}
    texts = ["uno", "un", "eins", "Hello", "due", "uno", "deux"]
    langs = ["it", "fr", "de", "en", "it", "it", "fr"]
    out = translate_texts(texts, langs, table.get)
    for text, lang, (english, model, revision) in zip(texts, langs, out):
        if lang == "en":
            assert (english, model, revision) == (text, None, None)
        else:
            translator = table[lang]
            assert english == f"{translator.model_id}:{text[::-1]}"
            assert (model, revision) == (translator.model_id, translator.revision)
    # One call per model; languages sharing a model share the call; repeats go once.
    assert mul.calls == [["uno", "eins", "due"]]
    assert fr.calls == [["un", "deux"]]


def test_language_without_translator_is_marked_untranslated() -> None:
    out = translate_texts(["Merhaba", "ciao"], ["tr", "it"],
                          lambda lang: FakeTranslator("it-en") if lang == "it" else None)
    assert out == [(None, None, None), ("it-en:oaic", "it-en", "rev1")]


def test_translate_texts_rejects_misaligned_inputs() -> None:
    with pytest.raises(ValueError):
        translate_texts(["a", "b"], ["it"], lambda lang: None)


def test_split_long_cuts_at_the_strongest_boundary_first() -> None:
    text = "a b c; d e f, g h i j"
    pieces = split_long(text, words, 4)
    assert pieces == ["a b c;", "d e f,", "g h i j"]
    assert " ".join(pieces) == text


def test_split_long_packs_short_clauses_and_falls_back_to_spaces() -> None:
    text = "a, b, c, d e f g h"
    assert split_long(text, words, 4) == ["a, b, c,", "d e f g", "h"]
    assert split_long("short one", words, 4) == ["short one"]
    assert split_long("   ", words, 4) == []


def test_split_long_hard_cuts_text_without_boundaries() -> None:
    pieces = split_long("x" * 25, len, 10)
    assert pieces == ["x" * 10, "x" * 10, "x" * 5]


def test_token_batches_respect_budget_and_groups() -> None:
    lengths = [3, 10, 5, 10, 1, 7, 7]
    groups = [0, 0, 0, 0, 0, 1, 1]
    batches = token_batches(lengths, 20, groups=groups)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    for batch in batches:
        assert len(batch) * max(lengths[i] for i in batch) <= 20
        assert len({groups[i] for i in batch}) == 1
        assert [lengths[i] for i in batch] == sorted((lengths[i] for i in batch), reverse=True)
    assert [1, 3] in batches  # the two longest share a batch exactly at the budget
    # A single row longer than the budget still gets a batch of its own.
    assert token_batches([50, 2], 20) == [[0], [1]]
