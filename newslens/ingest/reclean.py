"""Re-deriving a stored article's cleaned fields and sentences from its `raw_text` (pure).

Cleaning and sentence splitting are a versioned stage (`rules.CLEANING_RULES_VERSION`, one
value per article in `articles.cleaning_version`). When the rules change, the `clean` stage
(newslens.pipeline.clean_step) calls `reclean_row` on each stale stored article and writes back
the fields and sentences it returns; the id stays, because ids come from the raw text, and the
model stages that read the body or the sentences become stale in turn.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from newslens.ingest.clean import clean_text
from newslens.ingest.decode import normalize_text
from newslens.ingest.records import record_people
from newslens.ingest import rules
from newslens.ingest.txt_article import (FIRST_SENTENCE, RECORD, first_sentence_title,
                                         parse_txt_article)
from newslens.ingest.learned import drop_lines
from newslens.text.limits import TextLimits, cut_text, limit_spans
from newslens.text.sentences import split_sentences


@dataclass(frozen=True)
class Recleaned:
    """Everything cleaning and splitting derive from one article's raw text."""

    body: str
    title: str | None
    title_source: str | None
    author: str | None
    credit: str | None
    dropped_lines: tuple[str, ...]
    dropped_reasons: tuple[str, ...]
    sentences: tuple[tuple[int, int], ...]   # (char_start, char_end) into `body`
    cleaning_version: str = field(default_factory=lambda: rules.CLEANING_RULES_VERSION)

    def article_fields(self) -> dict[str, Any]:
        """The `articles` columns this stage owns, ready to update a row with."""
        return {"body": self.body, "title": self.title, "title_source": self.title_source,
                "author": self.author, "credit": self.credit,
                "dropped_lines": list(self.dropped_lines),
                "dropped_reasons": list(self.dropped_reasons), "n_chars": len(self.body),
                "n_sentences": len(self.sentences), "cleaning_version": self.cleaning_version}


def reclean(raw_text: str, source_format: str, *, lang: str | None,
            record_title: str | None = None, record_author: str | None = None,
            record_credit: str | None = None, learned: Collection[str] = (),
            limits: TextLimits | None = None) -> Recleaned:
    """Clean `raw_text` as ingest would today and split the body into sentences.

    `record_title` / `record_author` / `record_credit` are what a JSONL/CSV record declared; `learned` holds the source's recurring line hashes
    (`newslens.ingest.learned.learned_for_source`); `limits` are the run's text caps
    (`newslens.ingest.read.text_limits(settings)`), applied in the order ingest applies them.
    """
    if source_format == "txt":
        art = parse_txt_article(raw_text)
        body, title, title_source = art.body, art.title, art.title_source
        author, credit, dropped = art.author, art.credit, art.dropped
    elif source_format == "html":
        from newslens.ingest.html import extract_html  # trafilatura is slow to import

        page = extract_html(raw_text)
        if page is None:
            raise ValueError("the stored HTML no longer yields any main text")
        body, title, title_source = page.body, page.title, page.title_source
        author, credit, dropped = page.author, page.credit, page.dropped
    else:  # jsonl, csv: raw_text is the record's text field
        found = clean_text(normalize_text(raw_text))
        body, dropped = found.body, found.dropped
        author, credit = record_people(record_author, found.author, found.credit)
        credit = credit or record_credit
        title, title_source = record_title, RECORD
        if title is None:
            title = first_sentence_title(body)
            title_source = FIRST_SENTENCE if title else None
    if limits is not None:  # as newslens.ingest.guard does at read time
        body = cut_text(body, limits.max_article_chars)[0]
        title = cut_text(title, limits.max_title_chars)[0] if title is not None else None
    if learned:
        body, dropped = drop_lines(body, dropped, frozenset(learned))
    spans = split_sentences(body, lang)
    if limits is not None:  # as the ingest stage's sentence caps do
        spans = limit_spans(body, spans, max_sentence_chars=limits.max_sentence_chars,
                            max_sentences=limits.max_sentences_per_article).spans
    return Recleaned(body=body, title=title, title_source=title_source, author=author,
                     credit=credit, dropped_lines=tuple(line for line, _ in dropped),
                     dropped_reasons=tuple(reason for _, reason in dropped),
                     sentences=tuple(spans))


def reclean_row(row: Mapping[str, Any], learned: Collection[str] = (),
                limits: TextLimits | None = None) -> Recleaned:
    """`reclean` for a stored `articles` row (a dict or pandas row): reads `raw_text`,
    `source_format`, `lang`, and the declared title/author where the input gave them."""
    def text(column: str) -> str | None:  # a missing value may read back as None or NaN
        value = row.get(column)
        return value if isinstance(value, str) and value else None

    fmt = text("source_format") or "txt"
    declared_title = text("title") if text("title_source") == RECORD else None
    # A record's declared author (or agency) is not stored apart from what its text named;
    # the stored values stand in for them.
    record = fmt in ("jsonl", "csv")
    return reclean(row["raw_text"], fmt, lang=text("lang"), record_title=declared_title,
                   record_author=text("author") if record else None,
                   record_credit=text("credit") if record else None, learned=learned,
                   limits=limits)


def is_stale(row: Mapping[str, Any]) -> bool:
    """Whether a stored article was cleaned by other rules than today's."""
    return row.get("cleaning_version") != rules.CLEANING_RULES_VERSION
