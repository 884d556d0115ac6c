"""Bylines (people) and credits (agencies) leave the body; titles fall back to the first sentence.

Every article here was written for these tests.
"""

from __future__ import annotations

import json

import pytest

from newslens.ingest import read_file
from newslens.ingest.bylines import byline_author, credit_from_line, signature_author
from newslens.ingest.txt_article import FALLBACK_TITLE_CHARS, parse_txt_article

BODY_EN = ("The port authority said on Monday that container traffic had fallen for a third "
           "month as shipping lines avoided the strait.\n\nAnalysts expect the slump to last "
           "until the insurance rates come down again.")
BODY_BG = ("Министерството на земеделието обяви нова програма за подпомагане на "
           "животновъдите в Северозападна България.\n\nСредствата ще бъдат изплатени до края "
           "на годината, съобщиха от ведомството.")
BODY_IT = ("Il consiglio comunale ha approvato il nuovo piano per il traffico dopo una lunga "
           "seduta notturna.\n\nLe prime modifiche entreranno in vigore a settembre.")


@pytest.mark.parametrize("line, author", [
    ("By Jonathan Cook, The Unz Review:", "Jonathan Cook"),
    ("by Maria Santos | Coastal Herald", "Maria Santos"),
    ("di Marco Bianchi", "Marco Bianchi"),
    ("von Hans Müller", "Hans Müller"),
    ("Par Claire Dubois, envoyée spéciale", "Claire Dubois"),
    ("Автор: Иван Петров", "Иван Петров"),
    ("Autor: Katarzyna Nowak", "Katarzyna Nowak"),
    ("By Reuters", None),
    ("by the end of the week", None),
    ("By Monday, officials hope to reopen the road.", None),
    ("By Monday, officials hope to reopen the road and the bridge", None),
])
def test_byline_author(line: str, author: str | None) -> None:
    assert byline_author(line) == author


@pytest.mark.parametrize("line, credit", [
    ("Източник БТА", "БТА"),
    ("Source: BTA", "BTA"),
    ("(ANSA)", "ANSA"),
    ("ASSOCIATED PRESS", "ASSOCIATED PRESS"),
    ("Reuters", "Reuters"),
    ("— AFP", "AFP"),
    ("Fonte: ANSA, AGI", "ANSA, AGI"),
    ("Источник: ТАСС", "ТАСС"),
    ("स्रोत: PTI", "PTI"),
    ("Quelle: Ministerium für Verkehr", "Ministerium für Verkehr"),
    ("The meeting ended.", None),
    ("Tommaso Dal Passo", None),
    ("Sources said the talks would resume", None),
    ("Источник в правительстве сообщил об этом", None),
])
def test_credit_from_line(line: str, credit: str | None) -> None:
    assert credit_from_line(line) == credit


@pytest.mark.parametrize("line, author", [
    ("Tommaso Dal Passo", "Tommaso Dal Passo"),
    ("— Anna Kowalska", "Anna Kowalska"),
    ("ПП", "ПП"),
    ("(J.R.)", "J.R."),
    ("Reuters", None),
    ("The vote is on Friday", None),
])
def test_signature_author(line: str, author: str | None) -> None:
    assert signature_author(line) == author


def test_top_byline_with_outlet_leaves_the_body() -> None:
    art = parse_txt_article(f"Shipping slump deepens\n\nBy Jonathan Cook, The Unz Review:\n\n{BODY_EN}")
    assert art.author == "Jonathan Cook" and art.credit is None
    assert art.body == BODY_EN
    assert art.dropped == (("By Jonathan Cook, The Unz Review:", "byline"),)


def test_agency_credit_is_not_an_author_and_leaves_the_body() -> None:
    art = parse_txt_article(f"Помощ за животновъдите\n\n{BODY_BG}\n\nИзточник БТА")
    assert art.author is None and art.credit == "БТА"
    assert art.body == BODY_BG
    art = parse_txt_article(f"Shipping slump deepens\n\n{BODY_EN}\n\nASSOCIATED PRESS")
    assert art.author is None and art.credit == "ASSOCIATED PRESS"


def test_leading_agency_and_closing_initials_signature() -> None:
    art = parse_txt_article(f"Помощ за животновъдите\n\n(БТА)\n\n{BODY_BG}\n\nПП")
    assert art.credit == "БТА" and art.author == "ПП"
    assert art.body == BODY_BG
    assert [r for _, r in art.dropped] == ["credit", "signature"]


def test_signature_then_credit_then_footer() -> None:
    art = parse_txt_article(f"Traffico, via libera al piano\n\n{BODY_IT}\n\nGiulia Neri\n(ANSA)\n\n"
                            "Seguici su Telegram: https://t.me/example")
    assert (art.author, art.credit) == ("Giulia Neri", "ANSA")
    assert art.body == BODY_IT


def test_record_author_that_is_an_agency_becomes_the_credit(tmp_path) -> None:
    rec = {"title": "Port traffic falls", "author": "Reuters", "text": BODY_EN}
    (tmp_path / "feed.jsonl").write_text(json.dumps(rec) + "\n", encoding="utf-8")
    [doc] = read_file(tmp_path / "feed.jsonl").documents
    assert (doc.author, doc.credit, doc.title_source) == (None, "Reuters", "record")


def test_long_hindi_first_line_gives_a_first_sentence_title() -> None:
    first = ("केंद्र सरकार ने बुधवार को संसद में एक नया विधेयक पेश किया जिसके तहत छोटे किसानों को "
             "सस्ती दरों पर कर्ज मिलेगा और फसल बीमा की प्रक्रिया सरल की जाएगी। " * 3).strip()
    rest = "विपक्ष ने विधेयक पर विस्तृत चर्चा की मांग की है।"
    art = parse_txt_article(f"{first}\n\n{rest}")
    assert art.title_source == "first_sentence"
    assert art.title and len(art.title) <= FALLBACK_TITLE_CHARS
    assert first.startswith(art.title) and not art.title.endswith(" ")
    assert first[len(art.title)] == " "  # cut at a word boundary
    assert art.body.startswith(first[:40])


@pytest.mark.parametrize("text, title, source", [
    (f"Shipping slump deepens\n\n{BODY_EN}", "Shipping slump deepens", "headline"),
    (f"date 2024-05 Shipping slump deepens\n\n{BODY_EN}", "Shipping slump deepens", "headline"),
    (f"date 2024-05\n\n{BODY_EN}",
     "The port authority said on Monday that container traffic had fallen for a third month "
     "as shipping lines avoided the strait.", "first_sentence"),
])
def test_title_source(text: str, title: str, source: str) -> None:
    art = parse_txt_article(text)
    assert (art.title, art.title_source) == (title, source)


def test_record_without_title_falls_back_too(tmp_path) -> None:
    (tmp_path / "feed.jsonl").write_text(json.dumps({"text": BODY_IT}) + "\n", encoding="utf-8")
    [doc] = read_file(tmp_path / "feed.jsonl").documents
    assert doc.title_source == "first_sentence"
    assert doc.title == ("Il consiglio comunale ha approvato il nuovo piano per il traffico "
                         "dopo una lunga seduta notturna.")
