"""Text article parsing: first-line styles, byline and footer removal, the real seed article."""

from __future__ import annotations

import datetime

import pytest

from newslens.ingest import parse_txt_article, read_file
from newslens.ingest.txt_article import BadDateError, author_from_line, is_footer_line

PARA1 = "The council met on Tuesday to discuss the budget for the coming year and its priorities."
PARA2 = "Members agreed to spend more on schools, while the opposition asked for lower taxes."


def test_seed_article_parses_date_title_author_and_drops_footer(seed_article):
    raw = seed_article.read_text(encoding="utf-8")
    art = parse_txt_article(raw)
    first_line = raw.lstrip().split("\n", 1)[0]
    assert art.published == datetime.date(2024, 12, 1)
    assert art.published_precision == "month"
    assert art.title == first_line.split(" ", 2)[2].strip()
    assert art.title.startswith("La Russia ha invitato")
    assert art.author == "Tommaso Dal Passo"
    assert "Tommaso Dal Passo" not in art.body
    for leftover in ("http", "t.me", "blogspot", "Segui", "Spigolature"):
        assert leftover not in art.body
    assert art.title not in art.body
    assert art.body.startswith("Il ministro della Difesa russo Andrei Belousov")
    assert art.body.endswith("possibile visita di Kim a Mosca.")
    assert "\r" not in art.body and "\n\n\n" not in art.body


def test_seed_article_read_as_file(seed_article):
    result = read_file(seed_article)
    assert result.rejects == []
    [doc] = result.documents
    assert doc.source_format == "txt" and doc.source_record is None
    assert doc.raw_text.startswith(" date 2024-12")
    assert doc.author == "Tommaso Dal Passo" and "https://" not in doc.body


def test_day_precision_date_line():
    art = parse_txt_article(f"date 2023-07-14 Storm hits the coast\n\n{PARA1}\n\n{PARA2}\n")
    assert (art.published, art.published_precision) == (datetime.date(2023, 7, 14), "day")
    assert art.title == "Storm hits the coast"
    assert art.body == f"{PARA1}\n\n{PARA2}"
    assert art.author is None


def test_headline_without_date_and_crlf_bom_zero_width():
    text = f"\ufeff\r\n  Budget talks resume\r\n\r\n{PARA1}\u200b\r\n\r\n\r\n{PARA2}\r\n"
    art = parse_txt_article(text)
    assert art.published is None and art.published_precision is None
    assert art.title == "Budget talks resume"
    assert art.body == f"{PARA1}\n\n{PARA2}"


def test_nfc_normalisation():
    decomposed = "Cafe\u0301 owners protest new rules in the city centre this week"
    art = parse_txt_article(f"Title\n\n{decomposed}")
    assert "Café" in art.body and "\u0301" not in art.body


def test_impossible_date_raises_bad_date():
    with pytest.raises(BadDateError):
        parse_txt_article(f"date 2024-13 Lead sentence here\n\n{PARA1}")


def test_english_byline_and_follow_us_footer():
    text = (f"Budget talks resume\n\n{PARA1}\n\n{PARA2}\n\nBy Jane Roe\n\n"
            "Follow us on Telegram: https://t.me/citynews\nSubscribe to our newsletter")
    art = parse_txt_article(text)
    assert art.author == "Jane Roe"
    assert art.body == f"{PARA1}\n\n{PARA2}"
    assert art.removed_tail == ("By Jane Roe", "Follow us on Telegram: https://t.me/citynews",
                                "Subscribe to our newsletter")


def test_russian_author_and_footer():
    p1 = "Правительство утвердило новый план поддержки экономики на следующий год."
    p2 = "Эксперты считают, что меры помогут малому бизнесу в регионах."
    text = (f"date 2024-03-02 Новый план поддержки\n\n{p1}\n\n{p2}\n\nАвтор: Иван Петров\n\n"
            "Подписывайтесь на наш канал в Telegram: https://t.me/novosti")
    art = parse_txt_article(text)
    assert art.author == "Иван Петров"
    assert art.body == f"{p1}\n\n{p2}"


def test_plain_name_signature_after_footer_and_copyright():
    text = (f"Headline\n\n{PARA1}\n\n{PARA2}\n\n© 2024 City News. All rights reserved.\n\n"
            "Maria Rossi")
    art = parse_txt_article(text)
    assert art.author == "Maria Rossi"
    assert art.body == f"{PARA1}\n\n{PARA2}"


def test_ordinary_last_paragraph_is_kept():
    text = f"Headline\n\n{PARA1}\n\nThe vote is expected on Friday"
    art = parse_txt_article(text)
    assert art.author is None
    assert art.body.endswith("The vote is expected on Friday")


def test_url_inside_long_paragraph_is_not_footer():
    long_para = ("The full report, published by the ministry on Monday and covering five years of "
                 "data, is at https://example.org/report and runs to three hundred pages.")
    assert not is_footer_line(long_para)
    art = parse_txt_article(f"Headline\n\n{PARA1}\n\n{long_para}")
    assert art.body.endswith(long_para)


@pytest.mark.parametrize("line, author", [
    ("Tommaso Dal Passo", "Tommaso Dal Passo"),
    ("Di Marco Bianchi", "Marco Bianchi"),
    ("Par Claire Dubois", "Claire Dubois"),
    ("Von Hans Müller", "Hans Müller"),
    ("— Anna Kowalska", "Anna Kowalska"),
    ("The meeting ended.", None),
    ("by the end of the week", None),
    ("Reuters", None),
])
def test_author_from_line(line, author):
    assert author_from_line(line) == author


def test_long_first_line_without_date_stays_in_body():
    long_first = PARA1 + " " + PARA2 + " " + PARA1 + " " + PARA2
    art = parse_txt_article(f"{long_first}\n\n{PARA1}")
    # issue 10: the title falls back to the first sentence, and says so
    assert art.title == PARA1 and art.title_source == "first_sentence"
    assert art.body.startswith(long_first)
