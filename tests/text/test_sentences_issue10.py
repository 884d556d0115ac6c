"""The sentence-split classes of issue 10, each on sentences written for these tests."""

from __future__ import annotations

import pytest

from newslens.text.sentences import split_sentences

CASES: dict[str, tuple[str, str, list[str]]] = {
    # Abbreviations before a name or a number.
    "pl_gen": ("pl", "List trafił do gen. Tadeusza Nowaka w piątek. Odpowiedź przyszła szybko.",
               ["List trafił do gen. Tadeusza Nowaka w piątek.", "Odpowiedź przyszła szybko."]),
    "pl_mec": ("pl", "Obrońca, mec. Jan Wiśniewski, złożył wniosek. Sąd go odrzucił.",
               ["Obrońca, mec. Jan Wiśniewski, złożył wniosek.", "Sąd go odrzucił."]),
    "pl_art": ("pl", "Zgodnie z art. 12 ust. 3 ustawy termin mija w maju. Tak twierdzą prawnicy.",
               ["Zgodnie z art. 12 ust. 3 ustawy termin mija w maju.", "Tak twierdzą prawnicy."]),
    "pl_proc": ("pl", "Aż 38 proc. Polaków popiera ten pomysł. Reszta jest przeciw.",
                ["Aż 38 proc. Polaków popiera ten pomysł.", "Reszta jest przeciw."]),
    "pl_year": ("pl", "W 2019 r. Sejm przyjął ustawę. Weszła w życie w 2020 r. Potem ją zmieniono.",
                ["W 2019 r. Sejm przyjął ustawę.", "Weszła w życie w 2020 r.",
                 "Potem ją zmieniono."]),
    "en_fr": ("en", "Mass was said by Fr. Michael Byrne at noon. The church was full.",
              ["Mass was said by Fr. Michael Byrne at noon.", "The church was full."]),
    "de_st": ("de", "Die Delegation flog nach St. Gallen weiter. Dort wurde verhandelt.",
              ["Die Delegation flog nach St. Gallen weiter.", "Dort wurde verhandelt."]),
    "bg_chl": ("bg", "Според чл. 84 от Конституцията парламентът решава. Така е записано.",
               ["Според чл. 84 от Конституцията парламентът решава.", "Така е записано."]),
    "bg_year_opening": ("bg", "През 2023 г. София домакинства срещата. Тя мина спокойно.",
                        ["През 2023 г. София домакинства срещата.", "Тя мина спокойно."]),
    "bg_year_end": ("bg", "Законът беше приет от парламента през 2021 г. Сега се обсъждат промени.",
                    ["Законът беше приет от парламента през 2021 г.",
                     "Сега се обсъждат промени."]),
    "ru_ok": ("ru", "Собор построен ок. 1450 года. Его часто посещают туристы.",
              ["Собор построен ок. 1450 года.", "Его часто посещают туристы."]),
    "hi_initials": ("hi", "विदेश मंत्री एस. के. वर्मा ने बैठक की अध्यक्षता की। बैठक दो घंटे चली।",
                    ["विदेश मंत्री एस. के. वर्मा ने बैठक की अध्यक्षता की।", "बैठक दो घंटे चली।"]),
    "hi_dr": ("hi", "डॉ. मीना शर्मा ने रिपोर्ट पेश की। रिपोर्ट में कई सुझाव हैं।",
              ["डॉ. मीना शर्मा ने रिपोर्ट पेश की।", "रिपोर्ट में कई सुझाव हैं।"]),
    "hi_acronym": ("hi", "बी.जे.पी. और अन्य दलों ने बहस में हिस्सा लिया। चर्चा देर रात तक चली।",
                   ["बी.जे.पी. और अन्य दलों ने बहस में हिस्सा लिया।", "चर्चा देर रात तक चली।"]),
    # A subhead without final punctuation, on its own line, is a sentence of its own.
    "subhead_long": ("en", "The talks ended late on Friday.\nWhat the negotiators agreed on the gas "
                     "transit question this week\nBoth sides said the deal would hold.",
                     ["The talks ended late on Friday.",
                      "What the negotiators agreed on the gas transit question this week",
                      "Both sides said the deal would hold."]),
    "subhead_ru": ("ru", "Переговоры завершились поздно вечером.\nЧто решили по транзиту\n"
                   "Стороны заявили, что договорённость сохранится.",
                   ["Переговоры завершились поздно вечером.", "Что решили по транзиту",
                    "Стороны заявили, что договорённость сохранится."]),
    # No space after the period.
    "glued_it": ("it", "La regione resta indietro nello sviluppo.Gli investimenti sono pochi.",
                 ["La regione resta indietro nello sviluppo.", "Gli investimenti sono pochi."]),
    "glued_fr": ("fr", "Le coût dépasse les deux millions.Nous attendons la facture.",
                 ["Le coût dépasse les deux millions.", "Nous attendons la facture."]),
    "glued_ru": ("ru", "Так считает профессор Смирнов.Как он объяснил, рост продолжится.",
                 ["Так считает профессор Смирнов.", "Как он объяснил, рост продолжится."]),
    "glued_not_email_or_acronym": (
        "en", "Write to anna.Berg@example.org or see the U.S.Army page today. It helps.",
        ["Write to anna.Berg@example.org or see the U.S.Army page today.", "It helps."]),
    # A spaced ellipsis is one mark.
    "spaced_ellipsis": ("en", "He hesitated . . . Then he signed. It was . . . quite a day.",
                        ["He hesitated . . .", "Then he signed.", "It was . . . quite a day."]),
    # A period after an ordinary word ends the sentence even before a lowercase word.
    "lowercase_start": ("it", "Il vertice si è chiuso con un rinvio. a Bruxelles nessuno commenta.",
                        ["Il vertice si è chiuso con un rinvio.", "a Bruxelles nessuno commenta."]),
    "lowercase_after_abbrev": ("it", "Sono arrivati in molti, ecc. e poi tutti a casa.",
                               ["Sono arrivati in molti, ecc. e poi tutti a casa."]),
    # Japanese ends sentences on its own marks, no spaces needed.
    "japanese": ("ja", "首相は会見を開いた。質問は三十分続いた！次はいつか？",
                 ["首相は会見を開いた。", "質問は三十分続いた！", "次はいつか？"]),
    # A mark before a closing bracket never ends a sentence on its own.
    "closer_after_space": ("uk", "Це було несподівано ( і дуже вчасно ! ) для всіх. Потім стало тихо.",
                           ["Це було несподівано ( і дуже вчасно ! ) для всіх.",
                            "Потім стало тихо."]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_issue10_class(name: str) -> None:
    lang, text, expected = CASES[name]
    spans = split_sentences(text, lang)
    assert [text[s:e] for s, e in spans] == expected
    for (s, e), sentence in zip(spans, expected):
        assert text[s:e] == sentence  # offsets exact
