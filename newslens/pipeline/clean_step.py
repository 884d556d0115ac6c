"""The versioned cleaning stage for stored articles: body, title, credits and sentences
derived again from `raw_text` with today's rules (newslens.ingest.reclean).

New articles are cleaned by ingest itself; this step runs for stored articles whose cleaning
fingerprint (the rules version, `rules.CLEANING_RULES_VERSION`) differs from the current one,
or under `--reprocess clean`. Their ids never change (ids come from the raw text). The
translations of the re-cleaned articles are cleared here; the runner redoes the run's model
stages for them and drops the records of those it leaves out (newslens.pipeline.batches).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from newslens.ingest.learned import learned_hashes, load_counts, source_key
from newslens.ingest.read import text_limits
from newslens.ingest.reclean import reclean_row
from newslens.lake.connection import lake_exists
from newslens.pipeline.frames import sentence_frame, span_rows


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _outlet(row: Mapping[str, Any]) -> str:
    """The key ingest learns an article's lines under (`learned.source_key`)."""
    return source_key(_text(row.get("source")), _text(row.get("url")), _text(row.get("source_uri")))


def learned_for_articles(lake: Path, articles: pd.DataFrame) -> dict[str, frozenset[str]]:
    """Per outlet of these stored articles, the line hashes learned as boilerplate so far."""
    keys = {_outlet(r) for r in articles.to_dict("records")}
    if not keys or not lake_exists(lake):
        return {}
    return learned_hashes(load_counts(lake, keys), [])


def reclean_batch(articles: pd.DataFrame, learned: Mapping[str, frozenset[str]], settings: Any,
                  *, run_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Re-clean stored `articles` rows; returns the updated rows and their new sentences.

    `learned` (`learned_for_articles`) holds each outlet's learned boilerplate lines, dropped
    again as ingest drops them. Pure: it reads nothing, so it runs on any worker."""
    limits = text_limits(settings)
    rows, sentences = [], []
    for row in articles.to_dict("records"):
        again = reclean_row(row, learned=learned.get(_outlet(row), frozenset()), limits=limits)
        rows.append({**row, **again.article_fields(), "title_en": None, "translation_model": None,
                     "translation_model_revision": None})
        sentences += span_rows(row["article_id"], again.body, row.get("lang"),
                               row["published_month"], again.sentences, run_id=run_id)
    return pd.DataFrame(rows, columns=articles.columns), sentence_frame(sentences)
