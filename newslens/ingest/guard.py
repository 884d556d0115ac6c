"""The last look at every outcome before it leaves read: storable strings, bounded sizes.

Parsers hand over what the input held. Two things in it can still sink a run or a model:
lone UTF-16 surrogates (JSON allows `"\\ud800"`; no Parquet string can hold one) and sheer
size. A record whose text is over `max_record_bytes` becomes a `record_too_large` reject; a
body or title over its character cap is cut, and each cut is noted on the document.
"""

from __future__ import annotations

import dataclasses
import re

from newslens.ingest import reasons
from newslens.ingest.model import Document, Reject
from newslens.text.limits import TextLimits, cut_text

_SURROGATE = re.compile("[\ud800-\udfff]")
_TEXT_FIELDS = ("raw_text", "body", "title", "author", "external_id", "url", "source", "lang_hint")


def storable(text: str | None) -> tuple[str | None, int]:
    """`text` with lone surrogates replaced by U+FFFD, and how many there were."""
    if text is None:
        return None, 0
    return _SURROGATE.subn("\ufffd", text)


def _record_bytes(doc: Document) -> int:
    return sum(len(v.encode("utf-8", "surrogatepass")) for v in (doc.raw_text, doc.title or ""))


def guard_document(doc: Document, *, max_record_bytes: int | None,
                   limits: TextLimits) -> Document | Reject:
    """The document made storable and cut to the caps, or a reject when it is too large."""
    if max_record_bytes is not None and doc.source_record is not None \
            and (size := _record_bytes(doc)) > max_record_bytes:
        return Reject(doc.source_uri, doc.source_record, "parse", reasons.RECORD_TOO_LARGE,
                      f"record {doc.source_record}: {size} bytes of text, over max_record_bytes "
                      f"{max_record_bytes}", doc.file_sha256)
    changes: dict[str, str | None] = {}
    replaced = 0
    for name in _TEXT_FIELDS:
        value, n = storable(getattr(doc, name))
        if n:
            changes[name] = value
            replaced += n
    notes = list(doc.truncation)
    if replaced:
        notes.append(f"{reasons.REPLACED_SURROGATES}: replaced {replaced} lone surrogate(s) with U+FFFD")
    body, body_note = cut_text(changes.get("body", doc.body), limits.max_article_chars)
    if body_note:
        changes["body"] = body
        notes.append(f"{reasons.CUT_ARTICLE_CHARS}: body {body_note}")
    title = changes.get("title", doc.title)
    if title is not None:
        title, title_note = cut_text(title, limits.max_title_chars)
        if title_note:
            changes["title"] = title
            notes.append(f"{reasons.CUT_TITLE_CHARS}: title {title_note}")
    if not changes:
        return doc
    return dataclasses.replace(doc, **changes, truncation=tuple(notes))


def guard_reject(rej: Reject) -> Reject:
    """The reject with storable text (a detail may quote a bad field)."""
    detail, n = storable(rej.detail)
    uri, m = storable(rej.source_uri)
    return dataclasses.replace(rej, detail=detail, source_uri=uri) if n or m else rej
