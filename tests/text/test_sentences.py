"""Sentence splitting: quotes, abbreviations, numbers, lines, scripts, and span invariants."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from newslens.text.sentences import sentence_texts, split_sentences

# (lang, text, expected sentences)
CASES: dict[str, tuple[str | None, str, list[str]]] = {
    # Quotes and brackets: the closing mark stays with the sentence it ends.
    "guillemets": ("it", "Lui disse: «Andiamo.» Poi se ne andò.",
                   ["Lui disse: «Andiamo.»", "Poi se ne andò."]),
    "guillemets_spaced": ("fr", "Il a dit\u00a0: «\u00a0Nous partons.\u00a0» Puis il est parti.",
                          ["Il a dit\u00a0: «\u00a0Nous partons.\u00a0»", "Puis il est parti."]),
    "single_guillemets": ("fr", "Il répond ‹Oui.› Puis il part.",
                          ["Il répond ‹Oui.›", "Puis il part."]),
    "period_after_quote": ("it", "contro le manovre imperialiste”. Kcna ha riferito.",
                           ["contro le manovre imperialiste”.", "Kcna ha riferito."]),
    "ascii_quotes": ("en", '"Yes." He left.', ['"Yes."', "He left."]),
    "quote_then_lowercase": ("en", "“Really?” she asked. “No!” He ran.",
                             ["“Really?” she asked.", "“No!”", "He ran."]),
    "german_quotes": ("de", "Er sagte: „Wir gehen.“ Dann ging er.",
                      ["Er sagte: „Wir gehen.“", "Dann ging er."]),
    "brackets": ("en", "He agreed (see above.) Then he left.",
                 ["He agreed (see above.)", "Then he left."]),
    "elision": ("it", "era stato ”amichevole (…) Le misure”, ha detto. Poi basta.",
                ["era stato ”amichevole (…) Le misure”, ha detto.", "Poi basta."]),
    # Abbreviations, per language.
    "en_abbrev": ("en", "Mr. Smith met Dr. Jones in the U.S. capital on Jan. 5. They spoke, "
                  "e.g. about trade, i.e. money, etc. and more. Gen. Lee and Sen. Reed saw "
                  "St. Louis vs. Boston. No. 5 won.",
                  ["Mr. Smith met Dr. Jones in the U.S. capital on Jan. 5.",
                   "They spoke, e.g. about trade, i.e. money, etc. and more.",
                   "Gen. Lee and Sen. Reed saw St. Louis vs. Boston.", "No. 5 won."]),
    "en_etc_ends": ("en", "Apples, pears etc. The next day he left.",
                    ["Apples, pears etc.", "The next day he left."]),
    "it_abbrev": ("it", "Il sig. Rossi e il dott. Bianchi a pag. 5, ecc. Poi l’on. Verdi e "
                  "il prof. Neri parlarono.",
                  ["Il sig. Rossi e il dott. Bianchi a pag. 5, ecc.",
                   "Poi l’on. Verdi e il prof. Neri parlarono."]),
    "fr_abbrev": ("fr", "M. Dupont et Mme. Martin, p. ex. le maire, etc. Ils sont partis.",
                  ["M. Dupont et Mme. Martin, p. ex. le maire, etc.", "Ils sont partis."]),
    "de_abbrev": ("de", "Dr. Müller kam z. B. am 9. Mai bzw. ca. 300 Leute, Nr. 5 usw. "
                  "Danach ging er. Im 19. Jahrhundert war es so.",
                  ["Dr. Müller kam z. B. am 9. Mai bzw. ca. 300 Leute, Nr. 5 usw.",
                   "Danach ging er.", "Im 19. Jahrhundert war es so."]),
    "de_ordinal_unknown_lang": (None, "Am 9. Mai kam er. Dann ging er.",
                                ["Am 9. Mai kam er.", "Dann ging er."]),
    "es_abbrev": ("es", "El Sr. García y la Sra. López viajaron a EE. UU. para reunirse. "
                  "Luego volvieron.",
                  ["El Sr. García y la Sra. López viajaron a EE. UU. para reunirse.",
                   "Luego volvieron."]),
    "ru_abbrev": ("ru", "Президент В. В. Путин заявил, т. е. сказал, что на ул. Мира им. "
                  "Ленина 5 млн. рублей и т. д. Потом он ушёл. В 2024 г. было 3 млрд. "
                  "долларов. Он живёт в г. Москва.",
                  ["Президент В. В. Путин заявил, т. е. сказал, что на ул. Мира им. Ленина "
                   "5 млн. рублей и т. д.", "Потом он ушёл.",
                   "В 2024 г. было 3 млрд. долларов.", "Он живёт в г. Москва."]),
    "ru_year_ends": ("ru", "Это случилось в 2022 г. Потом всё изменилось.",
                     ["Это случилось в 2022 г.", "Потом всё изменилось."]),
    "uk_initials": ("uk", "В. Зеленський заявив, що Україна переможе. Це сталося у 2022 р. "
                    "Потім було важко.",
                    ["В. Зеленський заявив, що Україна переможе.", "Це сталося у 2022 р.",
                     "Потім було важко."]),
    "latin_initials": ("en", "George W. Bush and J. R. R. Tolkien met. They spoke.",
                       ["George W. Bush and J. R. R. Tolkien met.", "They spoke."]),
    # Numbers.
    "decimals": ("en", "It cost 3.5 billion, or 3,5 in Europe. The end.",
                 ["It cost 3.5 billion, or 3,5 in Europe.", "The end."]),
    "number_then_number": ("en", "He was born in 1990. 25 years later he died.",
                           ["He was born in 1990.", "25 years later he died."]),
    "numbered_lines": ("en", "Steps:\n1. Open the box.\n2. Remove the lid.\n3. Done",
                       ["Steps:", "1. Open the box.", "2. Remove the lid.", "3. Done"]),
    "numbered_inline": ("en", "Steps: 1. Open the box. 2. Remove the lid.",
                        ["Steps: 1. Open the box.", "2. Remove the lid."]),
    "bullets": ("en", "They agreed on:\n- a ceasefire\n• talks in May",
                ["They agreed on:", "- a ceasefire", "• talks in May"]),
    # Ellipses and ?! runs.
    "ellipsis": ("en", "Well... maybe not. Wait... He came back. Oh… and then… Done.",
                 ["Well... maybe not.", "Wait...", "He came back.", "Oh… and then…", "Done."]),
    # English informal writing starts sentences in lowercase after ? and ! (issue 10).
    "question_bang": ("en", "What?! Really?? Yes!!! ok then. ¿Qué? ¡Nada!",
                      ["What?!", "Really??", "Yes!!!", "ok then.", "¿Qué?", "¡Nada!"]),
    "question_bang_other_lang": ("it", "Davvero?! sì, certo. Basta!",
                                 ["Davvero?! sì, certo.", "Basta!"]),
    # Lines and paragraphs.
    "paragraphs": ("en", "First line\ncontinues here.\n\nNo full stop here\n\n  Third.  ",
                   ["First line\ncontinues here.", "No full stop here", "Third."]),
    "paragraph_lowercase": ("en", "it ends here\n\nand starts again", ["it ends here",
                                                                        "and starts again"]),
    "line_with_terminal": ("en", "The first ends.\nThe second too.",
                           ["The first ends.", "The second too."]),
    "heading": ("en", "Breaking News\nThe president spoke. Then\nhe left.",
                ["Breaking News", "The president spoke.", "Then\nhe left."]),
    "wrapped_line": ("en", "The president of the United States said on Monday that the talks\n"
                     "would continue next week in Geneva.",
                     ["The president of the United States said on Monday that the talks\n"
                      "would continue next week in Geneva."]),
    # Other scripts.
    "cyrillic": ("ru", "Министр обороны завершил визит. Он встретился с президентом! "
                 "Что дальше? переговоры продолжатся… Итоги подведут позже.",
                 ["Министр обороны завершил визит.", "Он встретился с президентом!",
                  "Что дальше? переговоры продолжатся…", "Итоги подведут позже."]),
    "greek": ("el", "Τι κάνεις; Καλά είμαι. Εσύ;", ["Τι κάνεις;", "Καλά είμαι.", "Εσύ;"]),
    "greek_unknown_lang": (None, "Τι κάνεις; Καλά.", ["Τι κάνεις;", "Καλά."]),
    "semicolon_not_greek": ("en", "Talks with NATO; Russia objected. Done.",
                            ["Talks with NATO; Russia objected.", "Done."]),
    "cjk": ("zh", "我们走吧。然后他们离开了！真的吗？是的。",
            ["我们走吧。", "然后他们离开了！", "真的吗？", "是的。"]),
    "cjk_quote": ("zh", "他说：“我们走。”然后离开了。", ["他说：“我们走。”", "然后离开了。"]),
    "cjk_then_latin": ("zh", "他走了。iPad卖完了。", ["他走了。", "iPad卖完了。"]),
    "japanese": ("ja", "今日は雨です。明日は晴れるでしょう！", ["今日は雨です。", "明日は晴れるでしょう！"]),
    "arabic": ("ar", "هل أنت بخير؟ نعم أنا بخير. شكرا", ["هل أنت بخير؟", "نعم أنا بخير.", "شكرا"]),
    "devanagari": ("hi", "यह एक वाक्य है। यह दूसरा है।", ["यह एक वाक्य है।", "यह दूसरा है।"]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_splits(name: str) -> None:
    lang, text, expected = CASES[name]
    spans = split_sentences(text, lang)
    assert [text[s:e] for s, e in spans] == expected
    # Offsets round-trip: each expected sentence sits exactly where its span says.
    cursor = 0
    for (s, e), sentence in zip(spans, expected):
        at = text.index(sentence, cursor)
        assert (s, e) == (at, at + len(sentence))
        cursor = e


def test_exact_spans() -> None:
    text = "  Hi there.  Bye now!\n"
    assert split_sentences(text) == [(2, 11), (13, 21)]
    assert split_sentences("") == [] and split_sentences(" \n\t ") == []
    assert split_sentences("one") == [(0, 3)]


def test_language_picks_abbreviations() -> None:
    text = "Ha parlato l'on. Verdi oggi."
    assert sentence_texts(text, "it") == [text]
    assert sentence_texts("The lights were on. Then it ended.", None) == [
        "The lights were on.", "Then it ended."]


def test_seed_article(seed_article: Path) -> None:
    text = seed_article.read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n\n") if p.strip()][:6]
    sentences = sentence_texts("\n\n".join(paragraphs), "it")
    assert any(s.endswith("contro le manovre egemoniche imperialiste”.") and
               s.startswith("Kim ha incontrato Belousov") for s in sentences)
    assert any(s.startswith("Il ministro della Difesa russo Andrei Belousov") and
               s.endswith("riporta il Korea Jongaang Daily.") for s in sentences)
    # The bracketed elision inside the quotation does not cut it in two.
    assert not any(s.startswith("Le recenti misure") for s in sentences)
    assert 6 <= len(sentences) <= 12
    for s in sentences:
        assert s == s.strip() and len(s) > 20


_PIECES = [
    "Mr.", "Dr.", "etc.", "z. B.", "т. е.", "В.", "U.S.", "3.5", "3,5", "9.", "1.", "...", "…",
    "?!", "?", "!", ".", ";", "。", "！", "؟", "।", "«", "»", "“", "”", "„", '"', "'", "(", ")",
    "(…)", "word", "Word", "слово", "Слово", "λέξη", "Λέξη", "中文", "كلمة", "शब्द", "42", "-",
    " ", " ", " ", "  ", "\n", "\n\n", "\n \n", "\t", "\u00a0", "\u202f",
]


def _random_text(rng: random.Random) -> str:
    return "".join(rng.choice(_PIECES) + rng.choice(["", " ", " ", "\n"])
                   for _ in range(rng.randint(0, 60)))


@pytest.mark.parametrize("lang", [None, "en", "de", "ru", "el", "zh"])
def test_spans_cover_every_visible_character_once(lang: str | None) -> None:
    rng = random.Random(f"newslens-{lang}")
    for _ in range(400):
        text = _random_text(rng)
        spans = split_sentences(text, lang)
        owner = [0] * len(text)
        previous_end = 0
        for s, e in spans:
            assert previous_end <= s < e <= len(text)
            assert not text[s].isspace() and not text[e - 1].isspace()
            for i in range(s, e):
                owner[i] += 1
            previous_end = e
        assert all(count <= 1 for count in owner)
        assert all(owner[i] == 1 for i, ch in enumerate(text) if not ch.isspace()), (text, spans)
