"""Boilerplate lines: each kind in many languages, closing blocks, lone lines mid-body, prose kept.

Every line here was written for these tests.
"""

from __future__ import annotations

import pytest

from newslens.ingest.boilerplate import boilerplate_kind
from newslens.ingest.clean import clean_text
from newslens.ingest.txt_article import parse_txt_article

KIND_LINES = [
    ("social", "it", "Seguici su Telegram per restare sempre aggiornato"),
    ("social", "en", "Follow us on X and Mastodon for live updates"),
    ("social", "ru", "Подписывайтесь на наш канал, чтобы не пропустить главное"),
    ("social", "hi", "ताज़ा ख़बरों के लिए हमसे जुड़ें"),
    ("subscribe", "fr", "Abonnez-vous à notre chaîne pour ne rien manquer"),
    ("subscribe", "uk", "Підпишіться на оновлення нашого видання"),
    ("subscribe", "bg", "Абонирайте се за нашия канал в YouTube"),
    ("newsletter", "en", "Sign up for our newsletter and get the day's stories every morning"),
    ("newsletter", "en", "To unsubscribe from these emails, click here"),
    ("newsletter", "de", "Melden Sie sich für unseren Newsletter an"),
    ("newsletter", "en", "Newsletter"),
    ("donate", "de", "Jetzt spenden und unabhängigen Journalismus sichern"),
    ("donate", "pl", "Wesprzyj nas – każda złotówka się liczy"),
    ("donate", "es", "Apóyanos con una pequeña aportación mensual"),
    ("read_more", "es", "Lee también: el Gobierno aprueba los presupuestos"),
    ("read_more", "pt", "Leia também: Inflação recua pelo terceiro mês"),
    ("read_more", "hi", "यह भी पढ़ें: राजधानी में भारी बारिश से जनजीवन प्रभावित"),
    ("read_more", "ja", "関連記事：首相が記者会見"),
    ("most_read", "pl", "Najczęściej czytane"),
    ("most_read", "it", "I più letti della settimana"),
    ("most_read", "ru", "Самое читаемое"),
    ("poll", "ru", "Примите участие в опросе: доверяете ли вы прогнозам погоды?"),
    ("poll", "en", "Take our poll: should the council ban cars from the old town?"),
    ("most_read", "en", "Most popular"),
    ("comment", "uk", "Залиште коментар під цим матеріалом"),
    ("comment", "en", "Post a comment"),
    ("comment", "fr", "Laisser un commentaire"),
    ("image_credit", "bg", "Снимка: архив на редакцията"),
    ("image_credit", "en", "Photo: Maria Lopez for City News"),
    ("image_credit", "de", "Bild: Stadtarchiv"),
    ("form_notice", "en", "Please enter a valid email address."),
    ("form_notice", "ja", "この項目は必須項目です"),
    ("copyright", "it", "© Riproduzione riservata"),
    ("copyright", "en", "This article may be reproduced with a link to the original."),
    ("site_promo", "en", "Visit our site at https://example.org for more stories"),
    ("site_promo", "fr", "Visitez notre site pour plus d'analyses"),
    ("link", "en", "Telegram: https://t.me/example_channel"),
    ("link", "en", "Facebook | Instagram | YouTube"),
]

PROSE = [
    "Telegram founder Pavel Durov was questioned by investigators in Paris on Saturday.",
    "The ministry said it would donate 500 tonnes of grain to the region.",
    "Il governo ha pubblicato un sondaggio sulla fiducia nelle istituzioni.",
    "Die Zeitung berichtete, der Newsletter der Partei sei gehackt worden, und die Polizei ermittelt.",
    "Москва и Пекин договорились о новом маршруте поставок газа через Монголию.",
    "प्रधानमंत्री ने कहा कि सरकार किसानों की मदद के लिए नई योजना लाएगी।",
    "政府は来年度の予算案を閣議決定した。",
    "He is the most popular politician in the state.",
    "“Those who support us will not be forgotten,” the minister said.",
    "We will follow our plan, the mayor said.",
    "The newsletter was hacked.",
    "I più letti sono i romanzi gialli, dice la bibliotecaria.",
]

P1 = ("The regional council approved a new water plan on Tuesday after months of debate "
      "between farmers and the city over how much the river can give.")
P2 = ("Officials said the first works would start in spring and that prices for households "
      "would not rise before the end of next year.")


@pytest.mark.parametrize("kind, lang, line", KIND_LINES)
def test_each_kind_is_recognised(kind: str, lang: str, line: str) -> None:
    assert boilerplate_kind(line) == kind, (lang, line)


@pytest.mark.parametrize("line", PROSE)
def test_prose_about_the_same_topics_is_not_boilerplate(line: str) -> None:
    assert boilerplate_kind(line) is None


def test_closing_block_with_teasers_ends_the_article() -> None:
    text = (f"{P1}\n\n{P2}\n\nSeguici su Telegram: https://t.me/example\n"
            "Leggi anche\nIl sindaco lascia dopo dieci anni\nNuovo stadio, via libera dalla giunta\n"
            "© Riproduzione riservata")
    cleaned = clean_text(text)
    assert cleaned.body == f"{P1}\n\n{P2}"
    assert [reason for _, reason in cleaned.dropped] == [
        "social", "read_more", "teaser", "teaser", "copyright"]


def test_teaser_shaped_line_before_the_footer_stays() -> None:
    short_end = "The vote is expected on Friday"
    cleaned = clean_text(f"{P1}\n\n{short_end}\n\nFollow us on Telegram: https://t.me/x")
    assert cleaned.body == f"{P1}\n\n{short_end}"


def test_link_block_and_author_bio_after_it_are_cut() -> None:
    text = (f"{P1}\n\n{P2}\n\nYouTube: https://youtube.com/@example\n"
            "Twitter: https://twitter.com/example\nFacebook: https://facebook.com/example\n\n"
            "Jane Roe is a freelance journalist based in Lisbon who covers energy and climate.")
    cleaned = clean_text(text)
    assert cleaned.body == f"{P1}\n\n{P2}"
    assert [r for _, r in cleaned.dropped] == ["link", "link", "link", "author_bio"]


def test_lone_boilerplate_mid_body_goes_alone() -> None:
    text = (f"{P1}\n\nЧитайте также: В Москве открылся новый мост\n\n{P2}\n\n"
            "Please enter a valid email address.\n\nThe plan will be reviewed in June, "
            "officials added, once the first reports from the works are in.")
    cleaned = clean_text(text)
    assert "Читайте также" not in cleaned.body and "valid email" not in cleaned.body
    assert cleaned.body.startswith(P1) and P2 in cleaned.body
    assert cleaned.body.endswith("once the first reports from the works are in.")
    assert [r for _, r in cleaned.dropped] == ["read_more", "form_notice"]


def test_a_link_to_a_source_mid_body_stays_a_social_link_goes() -> None:
    source = "The full report is at https://example.org/water-plan.pdf"
    text = f"{P1}\n\n{source}\n\nTelegram: https://t.me/citynews\n\n{P2}"
    cleaned = clean_text(text)
    assert cleaned.body == f"{P1}\n\n{source}\n\n{P2}"
    assert cleaned.dropped == (("Telegram: https://t.me/citynews", "link"),)


def test_subscribe_line_followed_by_a_teaser_in_hindi() -> None:
    body = ("दिल्ली सरकार ने बुधवार को प्रदूषण से निपटने के लिए नई योजना की घोषणा की। "
            "अधिकारियों ने कहा कि निर्माण कार्यों पर रोक अगले सप्ताह तक जारी रहेगी।")
    text = f"प्रदूषण पर नई योजना\n\n{body}\n\nहमारे चैनल को सब्सक्राइब करें\nमुंबई में मेट्रो की नई लाइन शुरू"
    art = parse_txt_article(text)
    assert art.body == body
    assert [r for _, r in art.dropped] == ["subscribe", "teaser"]


def test_nothing_is_lost_raw_text_stays_and_dropped_lines_are_exact(tmp_path) -> None:
    from newslens.ingest import read_file

    raw = f"Water plan approved\n\n{P1}\n\nPost a comment\n\n{P2}\n\nI più letti\n"
    (tmp_path / "a.txt").write_text(raw, encoding="utf-8")
    [doc] = read_file(tmp_path / "a.txt").documents
    assert doc.raw_text == raw
    assert doc.dropped == (("Post a comment", "comment"), ("I più letti", "most_read"))
    for line, _ in doc.dropped:
        assert line in doc.raw_text and line not in doc.body
