"""HTML pages: main text and metadata through trafilatura, cleaned like any other body."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from newslens.ingest.clean import clean_text
from newslens.ingest.txt_article import (FIRST_SENTENCE, HTML, BadDateError, first_sentence_title,
                                         parse_published)

# Only dates the page states in its metadata/markup; the extensive search guesses from
# stray numbers in the text, which would put articles in the wrong month.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


@dataclass(frozen=True)
class HtmlArticle:
    """What a page yields: body (paragraphs joined by blank lines) and its metadata."""

    body: str
    title: str | None
    author: str | None
    published: datetime.date | None
    published_precision: str | None
    url: str | None
    source: str | None
    credit: str | None = None
    title_source: str | None = None
    dropped: tuple[tuple[str, str], ...] = ()


def _clean(value: object) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None


def extract_html(html: str) -> HtmlArticle | None:
    """The page's article, or None when trafilatura finds no main text in it."""
    import trafilatura  # imported here: it is slow to import and only HTML inputs need it

    try:
        doc = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, include_tables=True,
            date_extraction_params=_DATE_PARAMS)
    except Exception:  # noqa: BLE001 - a malformed page must become a reject, not a crash
        return None
    text = _clean(getattr(doc, "text", None)) if doc is not None else None
    if text is None:
        return None
    title = _clean(doc.title)
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if title and lines and lines[0] == title:
        lines = lines[1:]  # trafilatura puts the <h1> headline at the top of the text
    cleaned = clean_text("\n\n".join(lines))
    body, signed_by = cleaned.body, cleaned.author
    title_source = HTML if title else None
    if title is None and (title := first_sentence_title(body)):
        title_source = FIRST_SENTENCE
    published = precision = None
    if date_text := _clean(doc.date):
        try:
            published, precision = parse_published(date_text)
        except BadDateError:
            published = precision = None  # an unreadable meta date is not worth the article
    return HtmlArticle(body=body, title=title, author=_clean(doc.author) or signed_by,
                       published=published, published_precision=precision,
                       url=_clean(doc.url), source=_clean(doc.sitename), credit=cleaned.credit,
                       title_source=title_source, dropped=cleaned.dropped)
