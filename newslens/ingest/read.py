"""Files to documents and rejects: the one entry point of ingest.

Nothing here raises on bad content: every input (a txt/html file, a JSONL line, a CSV row,
or a file that could not be read at all) ends as exactly one Document or Reject, so a run's
counts always reconcile.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import Any

from newslens.ingest import reasons
from newslens.ingest.decode import decode_bytes, normalize_text
from newslens.ingest.discover import SUPPORTED_SUFFIXES, Discovery, discover
from newslens.ingest.guard import guard_document, guard_reject
from newslens.ingest.names import escape_name, source_uri
from newslens import objectstore
from newslens.ingest.open_file import Opened, read_input_bytes
from newslens.ingest.html import extract_html
from newslens.ingest.model import Document, IngestResult, Reject
from newslens.ingest.records import parse_csv, parse_jsonl
from newslens.ingest.txt_article import BadDateError, parse_txt_article
from newslens.text.limits import TextLimits

MAX_FILE_BYTES = 10_000_000
MIN_BODY_CHARS = 40
_FORMATS = {".txt": "txt", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv",
            ".html": "html", ".htm": "html"}

Item = Document | Reject


def _fail(uri: str, reason: str, detail: str, sha: str | None = None) -> list[Item]:
    return [Reject(uri, None, "read", reason, detail, sha)]


def _check_body(uri: str, sha: str, body: str, min_body_chars: int) -> list[Item] | None:
    if not body:
        return _fail(uri, reasons.NO_BODY, "no body paragraphs after the title line (footer/signature lines do not count)", sha)
    if len(body) < min_body_chars:
        return _fail(uri, reasons.BODY_TOO_SHORT,
                     f"body has {len(body)} characters, fewer than {min_body_chars}", sha)
    return None


def _txt(uri: str, sha: str, text: str, min_body_chars: int) -> list[Item]:
    try:
        art = parse_txt_article(text)
    except BadDateError as exc:
        return _fail(uri, reasons.BAD_DATE, f"first line: {exc}", sha)
    if bad := _check_body(uri, sha, art.body, min_body_chars):
        return bad
    return [Document(uri, None, "txt", sha, text, art.body, art.title, art.author,
                     art.published, art.published_precision, credit=art.credit,
                     title_source=art.title_source, dropped=art.dropped)]


def _html(uri: str, sha: str, text: str, min_body_chars: int) -> list[Item]:
    page = extract_html(text)
    if page is None or not page.body:
        return _fail(uri, reasons.HTML_NO_CONTENT, "trafilatura found no main text in the page", sha)
    if len(page.body) < min_body_chars:
        return _fail(uri, reasons.BODY_TOO_SHORT,
                     f"extracted text has {len(page.body)} characters, fewer than {min_body_chars}", sha)
    return [Document(uri, None, "html", sha, text, page.body, page.title, page.author,
                     page.published, page.published_precision, url=page.url, source=page.source,
                     credit=page.credit, title_source=page.title_source, dropped=page.dropped)]


@dataclass(frozen=True)
class ReadLimits:
    """The per-input limits and link policy of one read (see README "Guarantees")."""

    max_file_bytes: int = MAX_FILE_BYTES
    min_body_chars: int = MIN_BODY_CHARS
    max_record_bytes: int | None = None
    text: TextLimits = field(default_factory=TextLimits)  # read applies the article/title caps
    follow_symlinks_outside: bool = False


def _read_remote(url: str, max_bytes: int) -> Opened:
    """The bytes of one object-store input, bounded like a local file's (never raises)."""
    try:
        data, size = objectstore.read_at_most(url, max_bytes)
    except OSError as exc:
        return Opened(None, reasons.UNREADABLE, f"{type(exc).__name__}: {exc}")
    if size > max_bytes or len(data) > max_bytes:
        return Opened(None, reasons.TOO_LARGE, f"{max(size, len(data))} bytes, over the limit of {max_bytes}")
    return Opened(data)


def _read_items(path: Path | str, root: Path, limits: ReadLimits,
                skip_sha256: Collection[str] = ()) -> list[Item]:
    """The outcomes of one file (a local path or an `s3://` URL), in record order."""
    remote = isinstance(path, str) and objectstore.is_remote(path)
    uri = path if remote else source_uri(path)
    fmt = _FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        return _fail(uri, reasons.UNSUPPORTED_FORMAT,
                     f"suffix {escape_name(Path(path).suffix) or '(none)'!r} is not one of "
                     f"{', '.join(sorted(SUPPORTED_SUFFIXES))}")
    opened = _read_remote(path, limits.max_file_bytes) if remote else read_input_bytes(
        path, root=root, max_bytes=limits.max_file_bytes,
        allow_symlinks_outside=limits.follow_symlinks_outside)
    if opened.data is None:
        return _fail(uri, opened.reason or reasons.UNREADABLE, opened.detail)
    data = opened.data
    sha = hashlib.sha256(data).hexdigest()
    if sha in skip_sha256:
        return []  # this exact content was handled by an earlier run
    if not data:
        return _fail(uri, reasons.EMPTY_FILE, "the file has 0 bytes", sha)
    if fmt in ("txt", "html") and limits.max_record_bytes is not None \
            and len(data) > limits.max_record_bytes:
        return _fail(uri, reasons.RECORD_TOO_LARGE, f"{len(data)} bytes in one {fmt} article, over "
                     f"max_record_bytes {limits.max_record_bytes}", sha)
    decoded = decode_bytes(data)
    if decoded.text is None:
        return _fail(uri, decoded.reason or reasons.UNDECODABLE, decoded.detail, sha)
    text = decoded.text
    if not normalize_text(text).strip():
        return _fail(uri, reasons.WHITESPACE_ONLY, f"{len(data)} bytes, all whitespace", sha)
    if fmt == "txt":
        return _txt(uri, sha, text, limits.min_body_chars)
    if fmt == "html":
        return _html(uri, sha, text, limits.min_body_chars)
    parse = parse_jsonl if fmt == "jsonl" else parse_csv
    return parse(text, uri=uri, sha=sha, min_body_chars=limits.min_body_chars)


def _guarded(items: list[Item], limits: ReadLimits) -> list[Item]:
    return [guard_document(item, max_record_bytes=limits.max_record_bytes, limits=limits.text)
            if isinstance(item, Document) else guard_reject(item) for item in items]


def read_file(path: Path, *, max_file_bytes: int = MAX_FILE_BYTES,
              min_body_chars: int = MIN_BODY_CHARS, **limits: Any) -> IngestResult:
    """Documents and rejects of one file; never raises on bad content.

    The file is named explicitly, so it may be a link to anywhere (as in `read_inputs`).
    Extra keyword arguments are ReadLimits fields (max_record_bytes, text, ...).
    """
    lim = ReadLimits(max_file_bytes=max_file_bytes, min_body_chars=min_body_chars, **limits)
    lim = replace(lim, follow_symlinks_outside=True)
    path = Path(path)
    return IngestResult.from_items(_guarded(_read_items(path, path.parent, lim), lim))


def _listing_rejects(found: Discovery) -> list[Item]:
    return [Reject(source_uri(folder), None, "read", reasons.UNREADABLE,
                   f"folder could not be listed, {type(exc).__name__}: {exc.strerror or exc}")
            for folder, exc in found.errors]


def read_inputs(path: Path, *, max_file_bytes: int = MAX_FILE_BYTES,
                min_body_chars: int = MIN_BODY_CHARS, limit: int | None = None,
                skip_sha256: Collection[str] = (), **limits: Any) -> IngestResult:
    """Documents and rejects of a file or folder, in sorted file order then record order.

    `limit` stops after that many inputs (documents plus rejects). Files whose SHA-256 is in
    `skip_sha256` are not inputs at all (incremental runs). A missing path raises
    FileNotFoundError: that is a mistake in the call, not bad input. A single file named
    explicitly may be a link to anywhere; inside a folder, links are judged against it.
    Extra keyword arguments are ReadLimits fields (max_record_bytes, text, ...).
    """
    if limit is not None and limit < 0:
        raise ValueError(f"limit must be >= 0, got {limit}")
    lim = ReadLimits(max_file_bytes=max_file_bytes, min_body_chars=min_body_chars, **limits)
    if objectstore.is_remote(path):  # s3://bucket/prefix: every object below it, sorted
        items = []
        for url in objectstore.list_files(objectstore.as_url(path)):
            if limit is not None and len(items) >= limit:
                break
            items.extend(_guarded(_read_items(url, Path("."), lim, skip_sha256), lim))
        return IngestResult.from_items(islice(items, limit))
    found = discover(Path(path))
    if not Path(path).is_dir():
        lim = replace(lim, follow_symlinks_outside=True)
    items: list[Item] = _listing_rejects(found)
    for file in found.files:
        if limit is not None and len(items) >= limit:
            break
        items.extend(_guarded(_read_items(file, found.root, lim, skip_sha256), lim))
    return IngestResult.from_items(islice(items, limit))


def text_limits(settings: Any) -> TextLimits:
    """The text caps of a Settings object."""
    return TextLimits(max_article_chars=settings.max_article_chars,
                      max_title_chars=settings.max_title_chars,
                      max_sentence_chars=settings.max_sentence_chars,
                      max_sentences_per_article=settings.max_sentences_per_article)


def read_limits(settings: Any) -> dict[str, Any]:
    """The ReadLimits keyword arguments of a Settings object (besides file bytes and body)."""
    return {"max_record_bytes": settings.max_record_bytes, "text": text_limits(settings),
            "follow_symlinks_outside": settings.follow_symlinks_outside_input}
