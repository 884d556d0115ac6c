"""Recurring-line learning: lines a source repeats verbatim across articles are boilerplate.

A poll teaser, a form notice or a donation appeal that one outlet appends to many articles is
no part of any of them. The learning is pure (line counts in, decisions out); the lake keeps
what was learned in the `boilerplate_lines` table, one row per (source, line hash, article)
committed with the batch that stores the article as new, so an article stored twice (a re-run
after a kill, two runs at once) never counts twice, and totals are sums over rows. The
functions at the bottom are the only lake I/O, through `newslens.lake.read_table`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

TABLE = "boilerplate_lines"
# A line is boilerplate of a source once this many distinct articles of it carry it.
MIN_ARTICLES = 3
# Lines outside these lengths are never learned: fragments, or whole paragraphs of prose.
MIN_LINE_CHARS = 12
MAX_LINE_CHARS = 400
_EDGE = " \t\"'“”„‚‘’«»‹›()[]-–—|·•*_:;,.!?"


def normalise_line(line: str) -> str:
    """NFC, casefolded, whitespace collapsed, edge punctuation off: what "verbatim" compares."""
    return " ".join(unicodedata.normalize("NFC", line).casefold().split()).strip(_EDGE)


def line_hash(line: str) -> str:
    """16 hex characters identifying a normalised line."""
    return hashlib.sha256(normalise_line(line).encode("utf-8")).hexdigest()[:16]


def learnable(line: str) -> bool:
    return MIN_LINE_CHARS <= len(normalise_line(line)) <= MAX_LINE_CHARS


def source_key(source: str | None, url: str | None, source_uri: str | None) -> str:
    """Which outlet an article belongs to: its declared source, else the URL's host, else the
    folder it was read from (one folder per feed is how inputs usually arrive)."""
    if source and source.strip():
        return source.strip().casefold()
    if url and (host := urlsplit(url).hostname):
        return host.casefold().removeprefix("www.")
    if source_uri:
        return "folder:" + str(Path(source_uri).parent)
    return "unknown"


@dataclass(frozen=True)
class LineCount:
    """How many articles of one source carried one line (and one example of it)."""

    source: str
    line_hash: str
    count: int
    example: str


def count_lines(articles: Iterable[tuple[str, Iterable[str]]]) -> list[LineCount]:
    """Per (source, line hash): the number of distinct articles carrying the line.

    `articles` yields (source key, the article's lines); a line repeated inside one article
    counts once, so an article cannot teach its own quirks.
    """
    counts: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], str] = {}
    for source, lines in articles:
        seen: set[str] = set()
        for line in lines:
            if not learnable(line) or (h := line_hash(line)) in seen:
                continue
            seen.add(h)
            counts[(source, h)] += 1
            examples.setdefault((source, h), line.strip())
    return [LineCount(s, h, n, examples[(s, h)]) for (s, h), n in counts.items()]


def learned_hashes(known: Mapping[tuple[str, str], int], batch: Iterable[LineCount],
                   min_articles: int = MIN_ARTICLES) -> dict[str, frozenset[str]]:
    """Per source: the line hashes whose total count (lake plus batch) reaches the minimum."""
    total: Counter[tuple[str, str]] = Counter(known)
    for item in batch:
        total[(item.source, item.line_hash)] += item.count
    out: dict[str, set[str]] = {}
    for (source, h), n in total.items():
        if n >= min_articles:
            out.setdefault(source, set()).add(h)
    return {s: frozenset(hs) for s, hs in out.items()}


def count_rows(articles: Iterable[tuple[str, str, Iterable[str]]], *, run_id: str,
               now: dt.datetime) -> pd.DataFrame:
    """`boilerplate_lines` rows for the new articles one run saw: one row (count 1) per
    (source, line hash, article), so storing the same article twice (a re-run after a kill, two
    runs at once) never counts its lines twice; a source's total is the number of rows."""
    rows = []
    for article_id, source, lines in articles:
        for c in count_lines([(source, lines)]):
            rows.append({"source": c.source, "line_hash": c.line_hash, "article_id": article_id,
                         "run_id": run_id, "count": 1, "example": c.example[:MAX_LINE_CHARS],
                         "first_seen": now, "last_seen": now, "run_month": now.strftime("%Y-%m")})
    columns = ["source", "line_hash", "article_id", "run_id", "count", "example", "first_seen",
               "last_seen", "run_month"]
    return pd.DataFrame(rows, columns=columns)


def totals(rows: pd.DataFrame) -> dict[tuple[str, str], int]:
    """(source, line hash) -> total count over stored rows."""
    if not len(rows):
        return {}
    summed = rows.groupby(["source", "line_hash"])["count"].sum()
    return {key: int(n) for key, n in summed.items()}


def drop_lines(body: str, dropped: tuple[tuple[str, str], ...], learned: frozenset[str],
               reason: str = "recurring") -> tuple[str, tuple[tuple[str, str], ...]]:
    """`body` without its lines whose hash is in `learned`, and `dropped` with them added.

    A body that would lose every line is returned unchanged: an article is never cut to
    nothing by what other articles taught.
    """
    if not learned:
        return body, dropped
    paragraphs, cut = [], []
    for para in body.split("\n\n"):
        kept = []
        for line in para.split("\n"):
            if line.strip() and line_hash(line) in learned:
                cut.append((line, reason))
            else:
                kept.append(line)
        if any(line.strip() for line in kept):
            paragraphs.append("\n".join(kept))
    if not cut or not paragraphs:
        return body, dropped
    return "\n\n".join(paragraphs), (*dropped, *cut)


# --- lake I/O: the only two functions here that touch storage -------------------------------

def load_counts(lake: Path, sources: Iterable[str]) -> dict[tuple[str, str], int]:
    """Stored totals for the given sources (empty for a lake without the table yet)."""
    from newslens.lake import read_table

    wanted = set(sources)
    stored = read_table(lake, TABLE, columns=["source", "line_hash", "count"])
    return totals(stored[stored["source"].isin(wanted)]) if len(stored) else {}


def learned_for_source(lake: Path, source: str) -> frozenset[str]:
    """The line hashes learned for one source: what a re-clean of its articles should drop."""
    return learned_hashes(load_counts(lake, [source]), []).get(source, frozenset())
