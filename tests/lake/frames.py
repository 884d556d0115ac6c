"""Small lake tables and helpers shared by the lake tests."""

from __future__ import annotations

import datetime
from pathlib import Path

import pandas as pd

from newslens.lake import month_partition


def articles_frame() -> pd.DataFrame:
    """Three articles: two dated in different months, one undated."""
    published = [datetime.date(2024, 12, 3), datetime.date(2025, 1, 2), None]
    return pd.DataFrame({
        "article_id": ["a1", "a2", "a3"],
        "published": published,
        "title": ["Uno", "Zwei", "Trois"],
        "title_en": ["One", "Two", "Three"],
        "lang": ["it", "de", "fr"],
        "source": ["Corriere", None, "Le Monde"],
        "published_month": [month_partition(d) for d in published],
    })


def sentiment_frame() -> pd.DataFrame:
    """Article-level rows (sent_idx null) and sentence rows for a1 and a2."""
    return pd.DataFrame({
        "article_id": ["a1", "a1", "a1", "a2"],
        "level": ["article", "sentence", "sentence", "article"],
        "sent_idx": [None, 0, 1, None],
        "label": ["positive", "neutral", "positive", "negative"],
        "score": [0.5, 0.0, 0.75, -0.25],
        "published_month": ["2024-12", "2024-12", "2024-12", "2025-01"],
    })


def stance_frame() -> pd.DataFrame:
    """Two targets for a1, one for a2; none for a3."""
    return pd.DataFrame({
        "article_id": ["a1", "a1", "a2"],
        "target_id": ["russia", "ukraine", "nato"],
        "label": ["against", "favor", "neutral"],
        "score": [-0.5, 0.75, 0.0],
        "evidence_sent_idx": [[0, 1], [1], []],
        "published_month": ["2024-12", "2024-12", "2025-01"],
    })


def listing(lake: Path) -> list[str]:
    """Every file under the lake, relative, sorted (to compare before/after)."""
    return sorted(str(p.relative_to(lake)) for p in lake.rglob("*") if p.is_file())
