"""Article structure in plain text: the date/title first line, then the body, cleaned.

The outlets feeding newslens write `date YYYY-MM[-DD] <lead>` or a bare headline on the first
line, then paragraphs, often with a byline, credits, a signature and "follow us" footers.
Those lines are not the article: left in, they would be translated, scored and counted as
news. Cleaning itself lives in newslens.ingest.clean; this module reads the first line.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection
from dataclasses import dataclass

from newslens.ingest.boilerplate import boilerplate_kind
from newslens.ingest.bylines import author_from_line
from newslens.ingest.clean import clean_paragraphs, clean_text, split_paragraphs
from newslens.ingest.decode import normalize_text
from newslens.text.sentences import split_sentences

__all__ = ["BadDateError", "ParsedArticle", "author_from_line", "clean_body", "first_sentence_title",
           "is_footer_line", "make_date", "parse_published", "parse_txt_article", "split_paragraphs"]

_DATE_LINE = re.compile(r"date\s+(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?:\s+(.*))?", re.IGNORECASE)
_ISO_MONTH = re.compile(r"(\d{4})-(\d{2})")
_MAX_TITLE_CHARS = 300
# A title taken from the first sentence is cut (at a word boundary) to at most this long.
FALLBACK_TITLE_CHARS = 160

HEADLINE, FIRST_SENTENCE, RECORD, HTML = "headline", "first_sentence", "record", "html"


class BadDateError(ValueError):
    """A date was given but is not a real calendar date in a form ingest reads."""


@dataclass(frozen=True)
class ParsedArticle:
    """A text article split into its parts; `body` excludes the title, byline and footer."""

    title: str | None
    body: str
    author: str | None
    published: datetime.date | None
    published_precision: str | None
    credit: str | None = None
    title_source: str | None = None
    dropped: tuple[tuple[str, str], ...] = ()  # (line, reason) cut from the body, in order

    @property
    def removed_tail(self) -> tuple[str, ...]:
        """The lines cleaning cut (kept under this name for older callers)."""
        return tuple(line for line, _ in self.dropped)


def make_date(year: int, month: int, day: int | None) -> tuple[datetime.date, str]:
    """A date and its precision; month precision becomes the first day of the month."""
    try:
        if day is None:
            return datetime.date(year, month, 1), "month"
        return datetime.date(year, month, day), "day"
    except ValueError as exc:
        raise BadDateError(f"{year:04d}-{month:02d}{'' if day is None else f'-{day:02d}'}: {exc}") from exc


def parse_published(value: str) -> tuple[datetime.date, str]:
    """Read YYYY-MM (month), an ISO date or an ISO datetime (day: the date as written)."""
    text = value.strip()
    if m := _ISO_MONTH.fullmatch(text):
        return make_date(int(m[1]), int(m[2]), None)
    try:
        if len(text) == 10:
            return datetime.date.fromisoformat(text), "day"
        return datetime.datetime.fromisoformat(text).date(), "day"
    except ValueError as exc:
        raise BadDateError(f"{value!r} is not an ISO date, ISO datetime or YYYY-MM") from exc


def is_footer_line(line: str) -> bool:
    """A promotional/link/copyright line of the kind outlets append after an article."""
    return boilerplate_kind(line) is not None


def first_sentence_title(body: str, limit: int = FALLBACK_TITLE_CHARS) -> str | None:
    """The body's first sentence as a title, cut at the last word boundary within `limit`."""
    spans = split_sentences(body)
    if not spans:
        return None
    start, end = spans[0]
    sentence = " ".join(body[start:end].split())
    if len(sentence) <= limit:
        return sentence
    cut = sentence[:limit + 1].rsplit(" ", 1)[0] if " " in sentence[:limit + 1] else sentence[:limit]
    return cut.rstrip(",;:–—-") or None


def clean_body(text: str, *, learned: Collection[str] = ()) -> tuple[str, str | None, tuple[str, ...]]:
    """Normalised body with boilerplate, byline and signature removed; also the author found
    and the lines cut (see `clean_text` in newslens.ingest.clean for credit and reasons)."""
    found = clean_text(normalize_text(text), learned=learned)
    return found.body, found.author, tuple(line for line, _ in found.dropped)


def parse_txt_article(text: str, *, learned: Collection[str] = ()) -> ParsedArticle:
    """Split a text article into title, date, body, author and credit. Raises BadDateError on
    an impossible date in the first line (e.g. `date 2024-13`).

    A first line longer than a headline stays in the body, and the title falls back to the
    first sentence (`title_source` says which). `learned` holds the source's recurring lines.
    """
    text = normalize_text(text).lstrip()
    first, _, rest = text.partition("\n")
    first = first.strip()
    published: datetime.date | None = None
    precision: str | None = None
    title: str | None = first or None
    if m := _DATE_LINE.fullmatch(first):
        published, precision = make_date(int(m[1]), int(m[2]), int(m[3]) if m[3] else None)
        title = (m[4] or "").strip() or None
        if title and len(title) > _MAX_TITLE_CHARS:
            title, rest = None, f"{title}\n\n{rest}"  # a lead paragraph after the date
    elif len(first) > _MAX_TITLE_CHARS:
        title, rest = None, text  # a paragraph, not a headline: keep it in the body
    paragraphs = split_paragraphs(rest)
    if title and paragraphs and paragraphs[0] == title:
        paragraphs = paragraphs[1:]  # some feeds repeat the headline under itself
    cleaned = clean_paragraphs(paragraphs, learned=learned)
    source = HEADLINE if title else None
    if title is None and (title := first_sentence_title(cleaned.body)):
        source = FIRST_SENTENCE
    return ParsedArticle(title=title, body=cleaned.body, author=cleaned.author,
                         published=published, published_precision=precision,
                         credit=cleaned.credit, title_source=source, dropped=cleaned.dropped)
