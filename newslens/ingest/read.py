"""Files to documents and rejects: the one entry point of ingest.

Nothing here raises on bad content: every input (a txt/html file, a JSONL line, a CSV row,
or a file that could not be read at all) ends as exactly one Document or Reject, so a run's
counts always reconcile.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from itertools import islice
from pathlib import Path

from newslens.ingest import reasons
from newslens.ingest.decode import decode_bytes, normalize_text
from newslens.ingest.discover import SUPPORTED_SUFFIXES, discover_files
from newslens.ingest.html import extract_html
from newslens.ingest.model import Document, IngestResult, Reject
from newslens.ingest.records import parse_csv, parse_jsonl
from newslens.ingest.txt_article import BadDateError, parse_txt_article

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
                     art.published, art.published_precision)]


def _html(uri: str, sha: str, text: str, min_body_chars: int) -> list[Item]:
    page = extract_html(text)
    if page is None or not page.body:
        return _fail(uri, reasons.HTML_NO_CONTENT, "trafilatura found no main text in the page", sha)
    if len(page.body) < min_body_chars:
        return _fail(uri, reasons.BODY_TOO_SHORT,
                     f"extracted text has {len(page.body)} characters, fewer than {min_body_chars}", sha)
    return [Document(uri, None, "html", sha, text, page.body, page.title, page.author,
                     page.published, page.published_precision, url=page.url, source=page.source)]


def _read_items(path: Path, max_file_bytes: int, min_body_chars: int,
                skip_sha256: Collection[str] = ()) -> list[Item]:
    """The outcomes of one file, in record order."""
    uri = str(Path(path).absolute())
    fmt = _FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        return _fail(uri, reasons.UNSUPPORTED_FORMAT,
                     f"suffix {Path(path).suffix or '(none)'!r} is not one of "
                     f"{', '.join(sorted(SUPPORTED_SUFFIXES))}")
    try:
        size = path.stat().st_size
        if size > max_file_bytes:
            return _fail(uri, reasons.TOO_LARGE, f"{size} bytes, over the limit of {max_file_bytes}")
        data = path.read_bytes()
    except OSError as exc:
        return _fail(uri, reasons.UNREADABLE, f"{type(exc).__name__}: {exc.strerror or exc}")
    sha = hashlib.sha256(data).hexdigest()
    if sha in skip_sha256:
        return []  # this exact content was handled by an earlier run
    if not data:
        return _fail(uri, reasons.EMPTY_FILE, "the file has 0 bytes", sha)
    if len(data) > max_file_bytes:  # grew between stat and read
        return _fail(uri, reasons.TOO_LARGE, f"{len(data)} bytes, over the limit of {max_file_bytes}", sha)
    decoded = decode_bytes(data)
    if decoded.text is None:
        return _fail(uri, decoded.reason or reasons.UNDECODABLE, decoded.detail, sha)
    text = decoded.text
    if not normalize_text(text).strip():
        return _fail(uri, reasons.WHITESPACE_ONLY, f"{len(data)} bytes, all whitespace", sha)
    if fmt == "txt":
        return _txt(uri, sha, text, min_body_chars)
    if fmt == "html":
        return _html(uri, sha, text, min_body_chars)
    parse = parse_jsonl if fmt == "jsonl" else parse_csv
    return parse(text, uri=uri, sha=sha, min_body_chars=min_body_chars)


def read_file(path: Path, *, max_file_bytes: int = MAX_FILE_BYTES,
              min_body_chars: int = MIN_BODY_CHARS) -> IngestResult:
    """Documents and rejects of one file; never raises on bad content."""
    return IngestResult.from_items(_read_items(Path(path), max_file_bytes, min_body_chars))


def read_inputs(path: Path, *, max_file_bytes: int = MAX_FILE_BYTES,
                min_body_chars: int = MIN_BODY_CHARS, limit: int | None = None,
                skip_sha256: Collection[str] = ()) -> IngestResult:
    """Documents and rejects of a file or folder, in sorted file order then record order.

    `limit` stops after that many inputs (documents plus rejects). Files whose SHA-256 is in
    `skip_sha256` are not inputs at all (incremental runs). A missing path raises
    FileNotFoundError: that is a mistake in the call, not bad input.
    """
    if limit is not None and limit < 0:
        raise ValueError(f"limit must be >= 0, got {limit}")
    items: list[Item] = []
    for file in discover_files(Path(path)):
        if limit is not None and len(items) >= limit:
            break
        items.extend(_read_items(file, max_file_bytes, min_body_chars, skip_sha256))
    return IngestResult.from_items(islice(items, limit))
