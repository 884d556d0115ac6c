"""read_table and table_row_counts through DuckLake."""

from __future__ import annotations

from pathlib import Path

import pytest

from newslens.lake import read_table, table_row_counts, write_table
from newslens.lake.connection import open_writer
from newslens.lake.read import select_table
from tests.lake.frames import articles_frame


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


class _CompactsOnFirstRead:
    """A writer session whose first read of table rows is preceded by a compaction committed
    from another session, as when `lake compact` merges while a run reads what it needs."""

    def __init__(self, con, lake: Path) -> None:
        self.con, self.lake, self.reads = con, lake, 0

    def execute(self, sql, params=None):
        if sql.startswith("SELECT") and ' FROM lake."' in sql:  # rows of a table
            self.reads += 1
            if self.reads == 1:
                for n in range(2):  # two more small files in one partition, merged into one
                    extra = articles_frame().iloc[[0]].assign(article_id=f"x{n}")
                    write_table(self.lake, "articles", extra, run_id="r2")
                other = open_writer(self.lake)
                try:
                    assert other.execute("SELECT * FROM ducklake_merge_adjacent_files('lake')").fetchall()
                finally:
                    other.close()
        return self.con.execute(sql, params or [])


def test_a_writer_read_is_redone_when_a_compaction_commits_meanwhile(filled_lake: Path) -> None:
    con = open_writer(filled_lake)
    try:
        proxy = _CompactsOnFirstRead(con, filled_lake)
        got = select_table(proxy, "articles", ["article_id"])
    finally:
        con.close()
    assert proxy.reads == 2  # the first read met a compaction and was thrown away
    assert sorted(got.column("article_id").to_pylist()) == ["a1", "a2", "a3", "x0", "x1"]
