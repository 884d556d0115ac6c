"""JSONL and CSV inputs: one article per record, each record judged on its own.

A bad line or row becomes a Reject with its number, and the good records around it still
load, because one broken export line should not cost the rest of a feed.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator, Mapping
from typing import Any

from newslens.ingest import reasons
from newslens.ingest.model import Document, Reject
from newslens.ingest.bylines import credit_from_line
from newslens.ingest.clean import clean_text
from newslens.ingest.decode import normalize_text
from newslens.ingest.txt_article import (FIRST_SENTENCE, RECORD, BadDateError, first_sentence_title,
                                         parse_published)
from newslens.text.lang_tags import primary_language

TEXT_FIELDS = ("text", "body", "content")
DATE_FIELDS = ("published", "date", "published_at")
_ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "external_id": ("id", "external_id"),
    "url": ("url", "link"),
    "lang_hint": ("lang", "language"),
    "source": ("source",),
    "author": ("author",),
}
_DELIMITERS = (",", ";", "\t")

# Long article bodies exceed the csv module's 128 KiB default field limit.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

Item = Document | Reject


class _RecordError(Exception):
    """A record that cannot become an article: reason code and what was wrong."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason, self.detail = reason, detail


def _first(rec: Mapping[str, Any], names: tuple[str, ...]) -> tuple[str, Any]:
    """The first of the named fields that is present and not empty/null."""
    for name in names:
        value = rec.get(name)
        if value is not None and value != "":
            return name, value
    return names[0], None


def _as_str(rec: Mapping[str, Any], names: tuple[str, ...]) -> str | None:
    name, value = _first(rec, names)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _RecordError(reasons.INVALID_FIELD,
                           f"field {name!r} holds a {type(value).__name__}, not text")
    return str(value).strip() or None


def lang_code(value: str | None) -> str | None:
    """Lowercase ISO 639-1 code from forms like 'EN', 'en-US', 'pt_BR'; None if not one."""
    primary = primary_language(value)
    return primary if primary and len(primary) == 2 and primary.isalpha() and primary.isascii() else None


def record_to_document(rec: Mapping[str, Any], *, uri: str, record: int, fmt: str,
                       sha: str, min_body_chars: int) -> Document:
    """Map a record's fields onto a Document; raises _RecordError when it cannot."""
    rec = {str(k).strip().lower(): v for k, v in rec.items()}
    name, raw = _first(rec, TEXT_FIELDS)
    if raw is None:
        raise _RecordError(reasons.NO_TEXT, f"no non-empty field among {', '.join(TEXT_FIELDS)}")
    if not isinstance(raw, str):
        raise _RecordError(reasons.INVALID_FIELD,
                           f"field {name!r} holds a {type(raw).__name__}, not text")
    cleaned = clean_text(normalize_text(raw))
    body = cleaned.body
    if not body:
        raise _RecordError(reasons.NO_TEXT,
                           f"field {name!r} holds no article text (only whitespace/footer lines)")
    if len(body) < min_body_chars:
        raise _RecordError(reasons.BODY_TOO_SHORT,
                           f"body has {len(body)} characters, fewer than {min_body_chars}")
    published = precision = None
    date_name, date_value = _first(rec, DATE_FIELDS)
    if date_value is not None:
        if not isinstance(date_value, str):
            raise _RecordError(reasons.BAD_DATE, f"field {date_name!r} is not a string: {date_value!r}")
        try:
            published, precision = parse_published(date_value)
        except BadDateError as exc:
            raise _RecordError(reasons.BAD_DATE, f"field {date_name!r}: {exc}") from exc
    fields = {key: _as_str(rec, names) for key, names in _ALIASES.items()}
    author, credit = record_people(fields["author"], cleaned.author, cleaned.credit)
    title, title_source = fields["title"], RECORD
    if title is None:
        title = first_sentence_title(body)
        title_source = FIRST_SENTENCE if title else None
    return Document(
        source_uri=uri, source_record=record, source_format=fmt, file_sha256=sha,
        raw_text=raw, body=body, title=title, author=author, published=published,
        published_precision=precision, external_id=fields["external_id"], url=fields["url"],
        source=fields["source"], lang_hint=lang_code(fields["lang_hint"]), credit=credit,
        title_source=title_source, dropped=cleaned.dropped)


def record_people(declared: str | None, signed: str | None,
                  credited: str | None) -> tuple[str | None, str | None]:
    """(author, credit) of a record: a declared "author" that is an agency is a credit."""
    if declared and (agency := credit_from_line(declared)):
        return signed, credited or agency
    return declared or signed, credited


def _reject(uri: str, record: int | None, reason: str, detail: str, sha: str) -> Reject:
    stage = "read" if record is None else "parse"
    return Reject(uri, record, stage, reason, detail, sha)


def _judge(rec: Any, *, uri: str, record: int, where: str, fmt: str, sha: str,
           min_body_chars: int) -> Item:
    try:
        return record_to_document(rec, uri=uri, record=record, fmt=fmt, sha=sha,
                                  min_body_chars=min_body_chars)
    except _RecordError as exc:
        return _reject(uri, record, exc.reason, f"{where}: {exc.detail}", sha)


def parse_jsonl(text: str, *, uri: str, sha: str, min_body_chars: int) -> list[Item]:
    """One outcome per non-blank line, numbered by line; a file with none is one reject."""
    items: list[Item] = []
    # split on "\n" only: str.splitlines would also break at U+2028 etc. inside JSON strings
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"line {number}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            items.append(_reject(uri, number, reasons.INVALID_JSON,
                                 f"{where}: invalid JSON, {exc.msg} at column {exc.colno}", sha))
            continue
        except (ValueError, RecursionError) as exc:
            items.append(_reject(uri, number, reasons.INVALID_JSON, f"{where}: invalid JSON, {exc}", sha))
            continue
        if not isinstance(rec, dict):
            items.append(_reject(uri, number, reasons.NOT_AN_OBJECT,
                                 f"{where}: JSON {type(rec).__name__}, expected an object", sha))
            continue
        items.append(_judge(rec, uri=uri, record=number, where=where, fmt="jsonl", sha=sha,
                            min_body_chars=min_body_chars))
    return items or [_reject(uri, None, reasons.NO_RECORDS, "JSONL file has no non-blank lines", sha)]


def sniff_delimiter(header_line: str) -> str:
    """The delimiter among , ; tab that the header line uses most (a comma on a tie)."""
    return max(_DELIMITERS, key=lambda d: (header_line.count(d), d == ","))


def _rows(text: str, delimiter: str) -> Iterator[list[str]]:
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def parse_csv(text: str, *, uri: str, sha: str, min_body_chars: int) -> list[Item]:
    """One outcome per non-blank data row (numbered from 1 after the header)."""
    delimiter = sniff_delimiter(text.lstrip().partition("\n")[0])
    rows = _rows(text.lstrip("\r\n"), delimiter)
    items: list[Item] = []
    number = 0
    try:
        header = [h.strip().lower() for h in next(rows, [])]
        if not any(h in TEXT_FIELDS for h in header):
            shown = ", ".join(repr(h) for h in header[:8])
            return [_reject(uri, None, reasons.NO_TEXT_COLUMN,
                            f"CSV header ({shown}) has no {'/'.join(TEXT_FIELDS)} column", sha)]
        for row in rows:
            if not any(cell.strip() for cell in row):
                continue
            number += 1
            where = f"row {number}"
            if len(row) != len(header):
                items.append(_reject(uri, number, reasons.MALFORMED_ROW,
                                     f"{where}: {len(row)} fields, header has {len(header)}", sha))
                continue
            rec = dict(reversed(list(zip(header, row))))  # first of duplicate columns wins
            items.append(_judge(rec, uri=uri, record=number, where=where, fmt="csv", sha=sha,
                                min_body_chars=min_body_chars))
    except csv.Error as exc:
        items.append(_reject(uri, number + 1, reasons.MALFORMED_CSV,
                             f"row {number + 1}: {exc}; rows after it were not read", sha))
    return items or [_reject(uri, None, reasons.NO_RECORDS, "CSV file has a header but no data rows", sha)]
