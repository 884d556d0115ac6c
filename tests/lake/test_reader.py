"""read_table and table_row_counts."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from newslens import schema
from newslens.lake import read_table, table_row_counts


def test_read_restores_partition_and_types(filled_lake: Path) -> None:
    df = read_table(filled_lake, "articles").sort_values("article_id")
    assert list(df.columns) == [*schema.ARTICLES.names, "published_month"]
    assert list(df.published_month) == ["2024-12", "2025-01", "unknown"]
    assert df.published.iloc[0] == datetime.date(2024, 12, 3)
    assert str(df.n_chars.dtype) == "Int32"  # nulls do not turn integers into floats
    stance = read_table(filled_lake, "stance").sort_values(["article_id", "target_id"])
    assert [list(v) for v in stance.evidence_sent_idx] == [[0, 1], [1], []]


def test_filters_by_columns_and_articles(filled_lake: Path) -> None:
    df = read_table(filled_lake, "sentiment", columns=["sent_idx", "article_id"], article_ids={"a2"})
    assert list(df.columns) == ["sent_idx", "article_id", "published_month"]
    assert list(df.article_id) == ["a2"] and df.sent_idx.isna().all()
    assert read_table(filled_lake, "sentiment", article_ids=[]).empty
    with pytest.raises(ValueError, match="no column.*'bogus'"):
        read_table(filled_lake, "articles", columns=["bogus"])


def test_empty_lake_gives_typed_empty_frame(lake: Path) -> None:
    df = read_table(lake, "stance")
    assert df.empty and list(df.columns) == [*schema.STANCE.names, "published_month"]
    assert str(df.n_mentions.dtype) == "Int32"
    assert not lake.exists()  # reading creates nothing


def test_row_counts(filled_lake: Path) -> None:
    counts = table_row_counts(filled_lake)
    assert counts == {t: {"articles": 3, "sentiment": 4, "stance": 3}.get(t, 0) for t in schema.TABLES}
