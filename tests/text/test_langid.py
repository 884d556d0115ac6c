"""Language ID: the languages newslens reads, garbage in, batches, bounded cost."""

from __future__ import annotations

import random

import pytest

from newslens.config import DEFAULT_LANGUAGES
from newslens.text import langid
from newslens.text.langid import PREFIX_CHARS, bounded_prefix, detect_language, detect_languages

PARAGRAPHS = {
    "it": "Il ministro della Difesa ha concluso una visita di due giorni nella capitale, dove ha "
          "incontrato il presidente per discutere della cooperazione militare tra i due paesi.",
    "en": "The defence minister ended a two-day visit to the capital, where he met the president "
          "to discuss military cooperation between the two countries.",
    "fr": "Le ministre de la Défense a achevé une visite de deux jours dans la capitale, où il a "
          "rencontré le président pour discuter de la coopération militaire entre les deux pays.",
    "de": "Der Verteidigungsminister hat einen zweitägigen Besuch in der Hauptstadt beendet, wo er "
          "den Präsidenten traf, um über die militärische Zusammenarbeit zu sprechen.",
    "es": "El ministro de Defensa concluyó una visita de dos días a la capital, donde se reunió "
          "con el presidente para hablar de la cooperación militar entre los dos países.",
    "ru": "Министр обороны завершил двухдневный визит в столицу, где встретился с президентом, "
          "чтобы обсудить военное сотрудничество между двумя странами. Это было важно.",
    "uk": "Міністр оборони завершив дводенний візит до столиці, де зустрівся з президентом, щоб "
          "обговорити військову співпрацю між двома країнами. Це було важливо.",
}


@pytest.mark.parametrize("code", sorted(PARAGRAPHS))
def test_detects_each_language_among_the_default_set(code: str) -> None:
    found, confidence = detect_language(PARAGRAPHS[code], DEFAULT_LANGUAGES)
    assert found == code
    assert 0.5 < confidence <= 1.0


def test_tells_ukrainian_from_russian_in_a_news_paragraph() -> None:
    uk = ("Президент України Володимир Зеленський заявив, що Сили оборони відбили чергову атаку "
          "біля Покровська. За його словами, ворог зазнав значних втрат, а наші воїни "
          "утримують позиції. Він також подякував партнерам за нові пакети допомоги.")
    ru = ("Президент России Владимир Путин заявил, что вооружённые силы отразили очередную атаку "
          "у Белгорода. По его словам, противник понёс значительные потери, а наши военные "
          "удерживают позиции. Он также поблагодарил партнёров за новые поставки.")
    assert detect_language(uk, ["ru", "uk"])[0] == "uk"
    assert detect_language(ru, ["ru", "uk"])[0] == "ru"
    assert detect_language(uk, DEFAULT_LANGUAGES)[0] == "uk"
    assert detect_language(ru, DEFAULT_LANGUAGES)[0] == "ru"


@pytest.mark.parametrize("text", ["", "   \n\t", "12345 678,90", "!!! ??? ... ---", "ok", "a 1"])
def test_nothing_to_go_on_gives_none(text: str) -> None:
    assert detect_language(text, ["en", "it"]) == (None, 0.0)


def test_confidence_is_a_probability_and_code_is_lowercase() -> None:
    found, confidence = detect_language(PARAGRAPHS["fr"], ["EN", " Fr", "it"])
    assert found == "fr"
    assert 0.0 <= confidence <= 1.0


def test_unknown_codes_are_named_in_the_error() -> None:
    with pytest.raises(ValueError, match="xx.*zz"):
        detect_language("hello there", ["en", "xx", "zz"])
    with pytest.raises(ValueError):
        detect_languages(["hello there"], [])


def test_detector_is_built_once_per_language_set() -> None:
    detect_language(PARAGRAPHS["en"], ["en", "it", "de"])
    before = langid._detector.cache_info()
    detect_language(PARAGRAPHS["it"], ["de", "it", "en"])
    detect_languages([PARAGRAPHS["de"]], ["it", "EN", "de", "de"])
    after = langid._detector.cache_info()
    assert after.currsize == before.currsize
    assert after.hits == before.hits + 2


@pytest.mark.parametrize("repeat", [0, 2])  # below and above PARALLEL_MIN_BATCH
def test_batch_equals_one_by_one(repeat: int) -> None:
    texts = ["", PARAGRAPHS["ru"], "123", "ciao", *list(PARAGRAPHS.values()) * repeat]
    assert (len(texts) - 2 >= langid.PARALLEL_MIN_BATCH) == bool(repeat)
    batch = detect_languages(texts, DEFAULT_LANGUAGES)
    single = [detect_language(text, DEFAULT_LANGUAGES) for text in texts]
    assert len(batch) == len(texts)
    assert [code for code, _ in batch] == [code for code, _ in single]
    assert [conf for _, conf in batch] == pytest.approx([conf for _, conf in single])
    assert batch[0] == batch[2] == (None, 0.0)
    assert batch[1][0] == "ru"


def test_long_text_is_judged_on_a_bounded_prefix() -> None:
    # lingua scores distinct n-grams, so the Italian tail is shuffled words, not repeats:
    # classified whole, this text is Italian; its first PREFIX_CHARS are English.
    head = (PARAGRAPHS["en"] + " ") * (PREFIX_CHARS // len(PARAGRAPHS["en"]) + 1)
    words = (PARAGRAPHS["it"] + " " + PARAGRAPHS["es"]).split()
    rng = random.Random(7)
    tail = " ".join(rng.choice(words) for _ in range(8000))
    # (the tail mixes Italian and Spanish words: whichever of the two it is named, not English)
    assert detect_language(tail, ["en", "it"])[0] in ("it", "es")
    assert detect_language(head + tail, ["en", "it"])[0] == "en"


def test_bounded_prefix_cuts_at_whitespace() -> None:
    text = "parola " * 1000
    prefix = bounded_prefix(text)
    assert len(prefix) <= PREFIX_CHARS
    assert len(prefix) > PREFIX_CHARS - 10
    assert text.startswith(prefix) and prefix.endswith("parola")
    assert bounded_prefix("short text") == "short text"
    assert bounded_prefix("x" * 5000, 100) == "x" * 100


# --- issue 10: languages outside the configured set are named, not 'und' ---------------------

OUTSIDE = {
    "hi": "सरकार ने बुधवार को किसानों के लिए एक नई योजना की घोषणा की, जिसके तहत छोटे किसानों को "
          "सस्ती दरों पर कर्ज मिलेगा। कृषि मंत्री ने कहा कि योजना अगले महीने से लागू होगी।",
    "sw": "Serikali imetangaza mpango mpya wa kuwasaidia wakulima wadogo walioathirika na ukame "
          "katika mikoa ya kaskazini, na fedha zitaanza kutolewa mwezi ujao.",
    "id": "Pemerintah mengumumkan rencana baru untuk membantu petani kecil yang terdampak "
          "kekeringan di wilayah utara, dan dana akan mulai disalurkan bulan depan.",
}


@pytest.mark.parametrize("code", sorted(OUTSIDE))
def test_a_language_outside_the_set_is_named(code: str) -> None:
    assert code not in DEFAULT_LANGUAGES
    [found] = langid.explain_languages([OUTSIDE[code]], DEFAULT_LANGUAGES)
    assert (found.code, found.how) == (code, "all_languages")
    assert found.confidence > 0.5


def test_japanese_in_the_set_stays_a_first_pass_answer() -> None:
    text = "大阪で新しい地下鉄路線が開業し、朝から多くの利用者でにぎわった。市長は会見で喜びを語った。"
    [found] = langid.explain_languages([text], DEFAULT_LANGUAGES)
    assert (found.code, found.how) == ("ja", "configured")


def test_script_the_set_does_not_cover_goes_to_all_languages() -> None:
    assert langid.dominant_script(OUTSIDE["hi"]) == "Devanagari"
    assert langid.dominant_script("東京は晴れです。") == "Japanese"
    assert langid.dominant_script("北京今天下雨。") == "Han"
    assert langid.dominant_script("123 !!") is None
    [found] = langid.explain_languages([PARAGRAPHS["ru"]], ["en", "it"])  # Cyrillic, not covered
    assert found.code == "ru" and found.how == "all_languages"


def test_und_only_when_there_is_nothing_to_go_on() -> None:
    found = langid.explain_languages(["", "12 345", PARAGRAPHS["it"]], DEFAULT_LANGUAGES)
    assert [(f.code, f.how) for f in found] == [
        (None, langid.TOO_FEW_LETTERS), (None, langid.TOO_FEW_LETTERS), ("it", "configured")]
    assert "hi" in langid.lingua_codes() and "ja" in langid.lingua_codes()


def test_all_languages_detector_is_built_once() -> None:
    langid.explain_languages([OUTSIDE["sw"]], DEFAULT_LANGUAGES)
    before = langid._all_languages_detector.cache_info()
    langid.explain_languages([OUTSIDE["id"], OUTSIDE["hi"]], ["en", "de"])
    after = langid._all_languages_detector.cache_info()
    assert after.currsize == before.currsize == 1 and after.hits == before.hits + 1


def test_links_carry_no_language() -> None:
    links = " ".join(f"http://www.example.net/news/image/2005.09/{n}_big.html" for n in range(8))
    assert detect_language(links, DEFAULT_LANGUAGES) == (None, 0.0)
    assert detect_language(f"{links} {PARAGRAPHS['de']}", DEFAULT_LANGUAGES)[0] == "de"
