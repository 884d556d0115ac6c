"""Target aliases: loading, word boundaries, inflections, acronyms, leaders, English fallback."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from newslens.text.targets import Target, compile_matchers, find_mentions, load_targets

DEFAULT = Path(__file__).resolve().parents[2] / "data" / "targets.yaml"
REQUIRED = {"russia", "ukraine", "united_states", "nato", "european_union", "china",
            "north_korea", "israel"}


@pytest.fixture(scope="module")
def targets() -> list[Target]:
    return load_targets(DEFAULT)


def _hits(targets, text: str, lang: str, text_en: str | None = None) -> dict[str, tuple[str, str]]:
    frame = pd.DataFrame([{"article_id": "a", "sent_idx": 0, "text": text, "lang": lang,
                           "text_en": text_en}])
    out = find_mentions(frame, targets)
    return {r.target_id: (r.matched_alias, r.matched_on) for r in out.itertuples()}


def test_default_file_covers_targets_and_languages(targets):
    ids = {t.id for t in targets}
    assert REQUIRED <= ids
    for t in targets:
        if t.id in REQUIRED:
            assert {"en", "it", "fr", "de", "es", "ru", "uk"} <= set(t.aliases), t.id
    assert {t.id: t.name for t in targets}["russia"] == "Russia"
    assert set(compile_matchers(targets)) >= {"en", "it", "ru", "uk"}


@pytest.mark.parametrize("text, lang, expected", [
    ("Russian troops crossed the border.", "en", {"russia"}),
    ("The Prussian king ruled Prussia.", "en", set()),
    ("USAF jets flew over the base.", "en", set()),
    ("The USA and Russia's envoy met.", "en", {"united_states", "russia"}),
    ("Beijing-backed talks and anti-Russian protests.", "en", {"china", "russia"}),
    ("Le forze ucraine e i russi.", "it", {"ukraine", "russia"}),
    ("Prussiani e ucrainofoni.", "it", set()),
])
def test_word_boundaries(targets, text, lang, expected):
    assert set(_hits(targets, text, lang)) == expected


@pytest.mark.parametrize("text, alias", [
    ("Il sostegno dell'Ucraina è cruciale.", "Ucraina"),
    ("Bruxelles guarda all’Ucraina.", "Ucraina"),
    ("L'Ucraina resiste.", "Ucraina"),
    ("L'esercito ucraino avanza.", "ucraino"),
])
def test_italian_elision_and_demonyms_ukraine(targets, text, alias):
    assert _hits(targets, text, "it")["ukraine"] == (alias, "original")


@pytest.mark.parametrize("word", ["russo", "russa", "russi", "russe", "Russia"])
def test_italian_demonym_gender_number(targets, word):
    assert _hits(targets, f"Il punto di vista {word} è chiaro.", "it")["russia"][0] == word


def test_italian_elided_acronym(targets):
    assert _hits(targets, "Il governo ha chiesto all'UE nuovi fondi.", "it")["european_union"][0] == "UE"


@pytest.mark.parametrize("word", ["Россия", "России", "Россию", "Россией", "российский",
                                  "российская", "российского", "русские", "Москвой", "Кремлём"])
def test_russian_case_endings(targets, word):
    assert _hits(targets, f"Об этом сообщает {word} сегодня.", "ru")["russia"][0] == word


@pytest.mark.parametrize("text, target", [
    ("Переговоры с Украиной.", "ukraine"), ("Армия Украины.", "ukraine"),
    ("Помощь Украине.", "ukraine"), ("Поддержка Украину.", "ukraine"),
    ("Власти Соединенных Штатов.", "united_states"), ("Саммит в Киеве.", "ukraine"),
])
def test_russian_other_targets(targets, text, target):
    assert target in _hits(targets, text, "ru")


@pytest.mark.parametrize("word, target", [
    ("Росія", "russia"), ("Росії", "russia"), ("Росією", "russia"), ("російська", "russia"),
    ("Україна", "ukraine"), ("України", "ukraine"), ("Україні", "ukraine"),
    ("Україну", "ukraine"), ("Києва", "ukraine"),
])
def test_ukrainian_case_endings(targets, word, target):
    assert _hits(targets, f"Заява щодо {word} сьогодні.", "uk")[target][0] == word


def test_russian_surname_is_not_russia(targets):
    # "Росси+" needs an ending: the Italian surname Rossi in Cyrillic stays unmatched.
    assert _hits(targets, "Паоло Росси забил гол.", "ru") == {}


@pytest.mark.parametrize("text, lang, target, hit", [
    ("NATO leaders met.", "en", "nato", True), ("a nato summit", "it", "nato", False),
    ("Il vertice NATO.", "it", "nato", True),
    ("L'OTAN se réunit.", "fr", "nato", True), ("l'otan", "fr", "nato", False),
    ("Саммит НАТО.", "ru", "nato", True), ("саммит нато", "ru", "nato", False),
    ("США и ЕС.", "ru", "united_states", True), ("сша", "ru", "united_states", False),
    ("США и ЕС.", "ru", "european_union", True), ("Рішення ЄС.", "uk", "european_union", True),
    ("The EU said.", "en", "european_union", True), ("eu", "en", "european_union", False),
    ("the usa", "en", "united_states", False),
    ("Una mosca vola.", "it", "russia", False), ("Mosca risponde.", "it", "russia", True),
])
def test_acronyms_and_exact_case(targets, text, lang, target, hit):
    assert (target in _hits(targets, text, lang)) is hit


def test_leaders_toggle():
    with_leaders = load_targets(DEFAULT)
    without = load_targets(DEFAULT, include_leaders=False)
    text = "Putin ha incontrato Zelensky e Xi Jinping."
    assert set(_hits(with_leaders, text, "it")) == {"russia", "ukraine", "china"}
    assert _hits(without, text, "it") == {}
    assert "Зеленского" == _hits(with_leaders, "Встреча Зеленского.", "ru")["ukraine"][0]


def test_english_translation_matching(targets):
    # Portuguese has no aliases: only the translation can find the target.
    assert _hits(targets, "A Rússia atacou.", "pt", "Russia attacked.") == {"russia": ("Russia", "english")}
    # A hit on the original wins over the translation.
    assert _hits(targets, "La Russia attacca.", "it", "Russia attacks.")["russia"][1] == "original"
    # Italian aliases are not applied to the English text ("china" is only Italian for a slope).
    assert _hits(targets, "A Mosca.", "it", "In Moscow.")["russia"] == ("Mosca", "original")
    assert _hits(targets, "Una china ripida.", "it", "A steep china slope.")["china"][1] == "english"


def test_one_row_per_sentence_and_target(targets):
    frame = pd.DataFrame({"article_id": ["a", "a", "b"], "sent_idx": [0, 1, 0],
                          "text": ["Russia, Russia and Moscow.", "Nothing here.", "Kyiv and NATO."],
                          "lang": ["en", "en", "en"], "text_en": [None, None, None]})
    out = find_mentions(frame, targets)
    assert list(out.columns) == ["article_id", "sent_idx", "target_id", "matched_alias", "matched_on"]
    assert list(zip(out["article_id"], out["sent_idx"], out["target_id"])) == [
        ("a", 0, "russia"), ("b", 0, "ukraine"), ("b", 0, "nato")]
    assert find_mentions(frame.iloc[1:2], targets).empty


def test_load_targets_validates(tmp_path):
    bad = tmp_path / "t.yaml"
    bad.write_text("targets:\n  - id: x\n    aliases: {en: [X]}\n  - id: x\n", encoding="utf-8")
    with pytest.raises(ValueError, match="twice"):
        load_targets(bad)
    bad.write_text("targets:\n  - id: y\n    aliases: {en: 5}\n", encoding="utf-8")
    with pytest.raises(ValueError):
        load_targets(bad)
    good = tmp_path / "g.yaml"
    good.write_text("targets:\n  - id: z\n    aliases: {en: [Zed]}\n    leaders: {en: [Zorro]}\n",
                    encoding="utf-8")
    (z,) = load_targets(good)
    assert z.name == "z" and z.aliases == {"en": ("Zed", "Zorro")}
    assert load_targets(good, include_leaders=False)[0].aliases == {"en": ("Zed",)}
