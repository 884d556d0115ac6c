"""The versioned cleaning stage for stored articles: body, title, credits and sentences
derived again from `raw_text` with today's rules (newslens.ingest.reclean).

New articles are cleaned by ingest itself; this step runs for stored articles whose cleaning
fingerprint (the rules version, `rules.CLEANING_RULES_VERSION`) differs from the current one,
or under `--reprocess clean`. Their ids never change (ids come from the raw text). The
translations of the re-cleaned articles are cleared here: the translate stage, which reads
the sentences, is stale in turn and fills them again in the same run when it is requested.
"""

from __future__ import annotations

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


def reclean_batch(articles: pd.DataFrame, lake: Path, settings: Any, *,
                  run_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Re-clean stored `articles` rows; returns the updated rows and their new sentences.

    Lines learned as boilerplate for each article's outlet (as ingest keys them) are dropped
    again, as ingest drops them."""
    limits = text_limits(settings)
    records = articles.to_dict("records")
    keys = [source_key(_text(r.get("source")), _text(r.get("url")), _text(r.get("source_uri")))
            for r in records]
    learned = learned_hashes(load_counts(lake, set(keys)), []) if keys and lake_exists(lake) else {}
    rows, sentences = [], []
    for row, key in zip(records, keys):
        again = reclean_row(row, learned=learned.get(key, frozenset()), limits=limits)
        rows.append({**row, **again.article_fields(), "title_en": None, "translation_model": None,
                     "translation_model_revision": None})
        sentences += span_rows(row["article_id"], again.body, row.get("lang"),
                               row["published_month"], again.sentences, run_id=run_id)
    return pd.DataFrame(rows, columns=articles.columns), sentence_frame(sentences)
