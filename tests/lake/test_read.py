"""read_table and table_row_counts through DuckLake."""

from __future__ import annotations

from pathlib import Path

import pytest

from newslens.lake import read_table, table_row_counts


def test_read_restores_partition_and_types(filled_lake: Path) -> None:
    got = read_table(filled_lake, "sentiment").sort_values(["article_id", "level", "sent_idx"])
    assert got.columns[-1] == "published_month"
    assert str(got["sent_idx"].dtype) == "Int32"
    assert got["published_month"].tolist() == ["2024-12", "2024-12", "2024-12", "2025-01"]
    stance = read_table(filled_lake, "stance").set_index("target_id")
    assert list(stance.loc["russia", "evidence_sent_idx"]) == [0, 1]


def test_filters_by_columns_and_articles(filled_lake: Path) -> None:
    got = read_table(filled_lake, "articles", columns=["published_month", "article_id"], article_ids=["a2", "zz"])
    assert got.to_dict("records") == [{"published_month": "2025-01", "article_id": "a2"}]
    with pytest.raises(ValueError, match="no column"):
        read_table(filled_lake, "articles", columns=["nope"])
    with pytest.raises(ValueError, match="no article_id column"):
        read_table(filled_lake, "runs", article_ids=["a"])
    with pytest.raises(ValueError, match="unknown lake table"):
        read_table(filled_lake, "nope")


def test_missing_lake_gives_typed_empty_frame_and_creates_nothing(lake: Path) -> None:
    got = read_table(lake, "sentences")
    assert len(got) == 0 and got.columns[-1] == "published_month"
    assert table_row_counts(lake)["articles"] == 0
    assert not lake.exists()


def test_row_counts(filled_lake: Path) -> None:
    counts = table_row_counts(filled_lake)
    assert (counts["articles"], counts["sentiment"], counts["stance"], counts["runs"]) == (3, 4, 3, 0)
