"""Turning parsed documents into the rows of the lake's tables (pure functions)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from newslens.ingest import Document, Reject
from newslens.ingest import rules
from newslens.lake.tables import month_partition
from newslens.schema import PARTITION_COLUMN, TABLES
from newslens.text.limits import TextLimits, limit_spans
from newslens.text.sentences import split_sentences


def columns_of(table: str) -> list[str]:
    """The declared columns of a table followed by its partition column."""
    return [*TABLES[table].names, PARTITION_COLUMN[table]]


def empty_frame(table: str) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype="object") for name in columns_of(table)})


def article_rows(documents: Sequence[Document], ids: Sequence[str], simhashes: Sequence[int],
                 duplicate_of: Sequence[str | None], langs: Sequence[tuple[str | None, float]],
                 *, run_id: str, now: dt.datetime) -> pd.DataFrame:
    """One `articles` row per document (sentence counts and translations come later)."""
    rows = []
    for doc, aid, sim, dup, (lang, conf) in zip(documents, ids, simhashes, duplicate_of, langs):
        rows.append({
            "article_id": aid, "source_uri": doc.source_uri, "source_record": doc.source_record,
            "source_format": doc.source_format, "external_id": doc.external_id, "url": doc.url,
            "source": doc.source, "published": doc.published,
            "published_precision": doc.published_precision, "title": doc.title, "title_en": None,
            "author": doc.author, "lang": lang, "lang_confidence": float(conf),
            "lang_hint": doc.lang_hint, "body": doc.body, "raw_text": doc.raw_text,
            "n_chars": len(doc.body), "n_sentences": 0, "simhash": sim, "duplicate_of": dup,
            "translation_model": None, "translation_model_revision": None, "run_id": run_id,
            "ingested_at": now, "truncation": list(doc.truncation),
            "published_month": month_partition(doc.published),
            "credit": doc.credit, "title_source": doc.title_source,
            "dropped_lines": [line for line, _ in doc.dropped],
            "dropped_reasons": [reason for _, reason in doc.dropped],
            "cleaning_version": rules.CLEANING_RULES_VERSION,  # read per call: tests patch it
        })
    return pd.DataFrame(rows, columns=columns_of("articles")) if rows else empty_frame("articles")


def choose_language(detected: str | None, confidence: float, hint: str | None,
                    min_confidence: float = 0.5) -> tuple[str, float]:
    """Trust the detector when it is sure; otherwise the declared language; else 'und'."""
    if detected and (confidence >= min_confidence or not hint):
        return detected, confidence
    if hint:
        return hint, confidence if detected == hint else 0.0
    return "und", 0.0


def sentence_rows(articles: pd.DataFrame, *, run_id: str) -> pd.DataFrame:
    """Split every article body; offsets index into `articles.body`."""
    return limited_sentence_rows(articles, run_id=run_id, limits=None)[0]


def limited_sentence_rows(articles: pd.DataFrame, *, run_id: str, limits: TextLimits | None
                          ) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """Split every body, then apply the sentence caps; also the cut notes per article id."""
    rows = []
    notes: dict[str, list[str]] = {}
    for art in articles.itertuples(index=False):
        spans = split_sentences(art.body, art.lang)
        if limits is not None:
            limited = limit_spans(art.body, spans, max_sentence_chars=limits.max_sentence_chars,
                                  max_sentences=limits.max_sentences_per_article)
            spans = limited.spans
            if limited.notes:
                notes[art.article_id] = limited.notes
        rows += span_rows(art.article_id, art.body, art.lang, art.published_month, spans,
                          run_id=run_id)
    return sentence_frame(rows), notes


def span_rows(article_id: str, body: str, lang: str | None, month: str,
              spans: Sequence[tuple[int, int]], *, run_id: str) -> list[dict]:
    """`sentences` rows (untranslated) for one article's sentence spans of `body`."""
    return [{
        "article_id": article_id, "sent_idx": idx, "char_start": start, "char_end": end,
        "text": body[start:end], "lang": lang, "text_en": None, "translation_model": None,
        "translation_model_revision": None, "run_id": run_id, "published_month": month,
        "mt_flags": None,  # set by the translate stage (an all-NaN column cannot be a list)
    } for idx, (start, end) in enumerate(spans)]


def sentence_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns_of("sentences")) if rows else empty_frame("sentences")


def reject_rows(rejects: Sequence[Reject], *, run_id: str, now: dt.datetime,
                article_ids: Sequence[str | None] | None = None) -> pd.DataFrame:
    ids = list(article_ids) if article_ids is not None else [None] * len(rejects)
    rows = [{
        "run_id": run_id, "source_uri": r.source_uri, "source_record": r.source_record,
        "stage": r.stage, "reason": r.reason, "detail": r.detail, "article_id": aid,
        "rejected_at": now, "run_month": now.strftime("%Y-%m"),
    } for r, aid in zip(rejects, ids)]
    return pd.DataFrame(rows, columns=columns_of("rejects")) if rows else empty_frame("rejects")
