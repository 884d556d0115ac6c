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

# Classes added to reach the segmentation goal of issue 10 (bench/segmentation.py).
CASES |= {
    # A capital after a semicolon starts a sentence in the Romance languages...
    "semicolon_capital_es": ("es", "El Gobierno aprobó el plan ayer por la tarde; La oposición lo "
                             "rechazó en bloque.",
                             ["El Gobierno aprobó el plan ayer por la tarde;",
                              "La oposición lo rechazó en bloque."]),
    "semicolon_lowercase_fr": ("fr", "Le maire a signé le décret hier soir ; les travaux commencent "
                               "lundi.", ["Le maire a signé le décret hier soir ; les travaux "
                                          "commencent lundi."]),
    # ...but not between the short items of a list.
    "semicolon_list_it": ("it", "Voti ottenuti: Rossi, 120; Bianchi, 95; Verdi, 40. Affluenza bassa.",
                          ["Voti ottenuti: Rossi, 120; Bianchi, 95; Verdi, 40.", "Affluenza bassa."]),
    "semicolon_capital_not_en": ("en", "The plan passed on Monday morning; Critics called it rushed "
                                 "and vague.", ["The plan passed on Monday morning; Critics called "
                                                "it rushed and vague."]),
    # Italian and Bulgarian: a capital after a colon; a one-word label does not count.
    "colon_capital_it": ("it", "Il ministro è stato molto chiaro: Nessuno resterà indietro.",
                         ["Il ministro è stato molto chiaro:", "Nessuno resterà indietro."]),
    "colon_label_it": ("it", "Fonte: Istat ha diffuso i dati. Il calo continua.",
                       ["Fonte: Istat ha diffuso i dati.", "Il calo continua."]),
    "colon_lowercase_it": ("it", "Il motivo è semplice: mancano i fondi.",
                           ["Il motivo è semplice: mancano i fondi."]),
    "colon_capital_bg": ("bg", "Министърът беше категоричен пред журналистите: Няма да има нови данъци.",
                         ["Министърът беше категоричен пред журналистите:",
                          "Няма да има нови данъци."]),
    # Portuguese: direct speech in guillemets after a colon.
    "colon_quote_pt": ("pt", "O ministro foi claro: «Não haverá aumento de impostos.» A reunião "
                       "terminou cedo.", ["O ministro foi claro:",
                                          "«Não haverá aumento de impostos.»",
                                          "A reunião terminou cedo."]),
    # Web and e-mail text.
    "emoticon": ("en", "Great service and kind staff :) We will come back soon.",
                 ["Great service and kind staff :)", "We will come back soon."]),
    "mail_stamp": ("en", "Anna Berg 03/14/2001 09:15 AM Here is the draft you asked for.",
                   ["Anna Berg", "03/14/2001 09:15 AM", "Here is the draft you asked for."]),
    "stamp_after_preposition": ("en", "The note was sent on 03/14/2001 09:15 AM by the clerk.",
                                ["The note was sent on 03/14/2001 09:15 AM by the clerk."]),
    "url_end": ("en", "Details are at https://example.org/plan Registration closes on Friday.",
                ["Details are at https://example.org/plan", "Registration closes on Friday."]),
    "bare_domain_end": ("en", "Order the book from shop.example.com Delivery takes two days.",
                        ["Order the book from shop.example.com", "Delivery takes two days."]),
    "separator": ("en", "Thanks for reading ---- Next week we look at prices.",
                  ["Thanks for reading", "----", "Next week we look at prices."]),
    "letter_greeting": ("en", "Dear Maria, Thank you for the quick reply. Best regards, Tom",
                        ["Dear Maria,", "Thank you for the quick reply.", "Best regards,", "Tom"]),
    # English run-on sentences of informal text, but not titles of works.
    "run_on_en": ("en", "we only have one free day What should we visit first",
                  ["we only have one free day", "What should we visit first"]),
    "title_of_work_en": ("en", "She starred in the show This Is Us for six seasons.",
                         ["She starred in the show This Is Us for six seasons."]),
    "lowercase_short_word_en": ("en", "just call me. they know the way.",
                                ["just call me.", "they know the way."]),
    # A unit after a number ends a sentence before a capital, except where nouns are capitalised.
    "unit_pl": ("pl", "Zupę gotuje się jeszcze 5-7 min. Potem dodaje się sól.",
                ["Zupę gotuje się jeszcze 5-7 min.", "Potem dodaje się sól."]),
    "unit_ru": ("ru", "Глубина ямы составила 40 см. Рядом нашли ещё одну.",
                ["Глубина ямы составила 40 см.", "Рядом нашли ещё одну."]),
    "unit_after_magnitude_uk": ("uk", "Щороку збирають близько 11 млн т. Тому бракує складів.",
                                ["Щороку збирають близько 11 млн т.", "Тому бракує складів."]),
    "unit_de_noun": ("de", "Wir nahmen gern 3 Std. Fahrt in Kauf.",
                     ["Wir nahmen gern 3 Std. Fahrt in Kauf."]),
    # Polish ordinals: a capital after "3." ends the sentence; a lowercase noun does not.
    "ordinal_capital_pl": ("pl", "Wniosek składa się w trybie ust. 3. Termin wynosi dwa tygodnie.",
                           ["Wniosek składa się w trybie ust. 3.", "Termin wynosi dwa tygodnie."]),
    "ordinal_lowercase_pl": ("pl", "Zawodnik zajął 3. miejsce w wyścigu. Był zadowolony.",
                             ["Zawodnik zajął 3. miejsce w wyścigu.", "Był zadowolony."]),
    "century_pl": ("pl", "Największe zmiany przyniósł dopiero koniec XX w. Potem przyszła "
                   "transformacja.", ["Największe zmiany przyniósł dopiero koniec XX w.",
                                      "Potem przyszła transformacja."]),
    "year_number_sign_uk": ("uk", "Розпорядження Кабінету Міністрів від 21 грудня 2016 р. № 991 "
                            "набуло чинності.", ["Розпорядження Кабінету Міністрів від 21 грудня "
                                                 "2016 р. № 991 набуло чинності."]),
    "article_number_it": ("it", "Il testo è breve. 1021. Norme generali sulle servitù.",
                          ["Il testo è breve.", "1021. Norme generali sulle servitù."]),
    "score_bg": ("bg", "Мачът между двата отбора завърши 2: 2. Реваншът е в неделя.",
                 ["Мачът между двата отбора завърши 2: 2.", "Реваншът е в неделя."]),
    # Not abbreviations: a quoted or bracketed word; initials: dotted capitals.
    "quoted_word_uk": ("uk", "Він обрав коротке слово „ген“. Потім пояснив чому.",
                       ["Він обрав коротке слово „ген“.", "Потім пояснив чому."]),
    "dotted_capitals_pt": ("pt", "A empresa J.B. Duarte foi multada ontem.",
                           ["A empresa J.B. Duarte foi multada ontem."]),
    "abbrev_before_bracket_en": ("en", "The call is at 10 a.m. (CST) in the main hall.",
                                 ["The call is at 10 a.m. (CST) in the main hall."]),
    "garbled_mark_en": ("en", "Direct Dial:? 555 0100 Fax:? 555 0101",
                        ["Direct Dial:? 555 0100 Fax:? 555 0101"]),
    "glued_domain_en": ("en", "Posted via Newsfeed.Com today.", ["Posted via Newsfeed.Com today."]),
    # A spaced closing quote and punctuation after the mark: the sentence ends after them.
    "spaced_quote_ru": ("ru", "Он громко сказал: `` Хватит! ``. Все замолчали.",
                        ["Он громко сказал: `` Хватит! ``.", "Все замолчали."]),
    # Hindi has no letter case: a conjunction after ? continues the sentence.
    "continuation_hi": ("hi", "क्या यह सच है? या केवल अफवाह है। सब चुप रहे।",
                        ["क्या यह सच है? या केवल अफवाह है।", "सब चुप रहे।"]),
    # News English: a capitalised opener after a determiner, a preposition or a verb of saying
    # is a name or a quote, and a greeting word followed by a clause is no letter closing.
    "name_after_determiner_en": ("en", "Crowds visited the Hope diamond on Monday.",
                                 ["Crowds visited the Hope diamond on Monday."]),
    "band_name_en": ("en", "Fans of the band Yes said the concert was sold out.",
                     ["Fans of the band Yes said the concert was sold out."]),
    "quoted_greeting_en": ("en", "The minister said Hi to the crowd and left.",
                           ["The minister said Hi to the crowd and left."]),
    "thanks_in_a_clause_en": ("en", "Thanks, Obama wrote in a post, to all volunteers.",
                              ["Thanks, Obama wrote in a post, to all volunteers."]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_issue10_class(name: str) -> None:
    lang, text, expected = CASES[name]
    spans = split_sentences(text, lang)
    assert [text[s:e] for s, e in spans] == expected
    for (s, e), sentence in zip(spans, expected):
        assert text[s:e] == sentence  # offsets exact
