"""The recurring-line step of ingest: learn each source's boilerplate lines, cut them.

Counts come from the new articles of this batch (near-duplicates would teach a story's own
lines) plus what the lake already learned; every kept article of a source then loses the
lines that reached the minimum. The rows for `boilerplate_lines` are returned, not written:
the runner writes them with the rest of the run.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from newslens.ingest import Document
from newslens.ingest.clean import RECURRING
from newslens.ingest.learned import (count_lines, count_rows, drop_lines, learned_hashes,
                                     load_counts, source_key)


def doc_source(doc: Document) -> str:
    return source_key(doc.source, doc.url, doc.source_uri)


def _lines(body: str) -> list[str]:
    return [line for line in body.split("\n") if line.strip()]


def drop_learned(doc: Document, learned: frozenset[str]) -> Document:
    """The document without the learned lines of its source (recorded as `recurring`)."""
    body, dropped = drop_lines(doc.body, doc.dropped, learned, RECURRING)
    return doc if body is doc.body else dataclasses.replace(doc, body=body, dropped=dropped)


def learn_and_drop(docs: Sequence[Document], ids: Sequence[str], is_new: Sequence[bool], lake: Path,
                   *, run_id: str, now: dt.datetime) -> tuple[list[Document], pd.DataFrame]:
    """The documents with learned lines cut, and this batch's `boilerplate_lines` rows."""
    sources = [doc_source(d) for d in docs]
    new_lines = [(i, s, _lines(d.body)) for i, s, d, new in zip(ids, sources, docs, is_new) if new]
    batch = count_lines((s, lines) for _, s, lines in new_lines)
    known = load_counts(lake, set(sources)) if docs else {}
    learned = learned_hashes(known, batch)
    cleaned = [drop_learned(d, learned.get(s, frozenset())) for d, s in zip(docs, sources)]
    return cleaned, count_rows(new_lines, run_id=run_id, now=now)
