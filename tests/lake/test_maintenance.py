"""Compaction (merge, expire, clean up), stray-file detection, and migration of an old lake."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from newslens import schema
from newslens.lake import read_table, run_query, table_row_counts, write_table
from newslens.lake.maintenance import catalog_files, compact, migrate, stray_files
from newslens.lake.read import to_pandas
from newslens.lake.tables import conform
from tests.lake.frames import articles_frame, sentiment_frame, stance_frame


def _data_files(lake: Path) -> set[Path]:
    return {p for p in (lake / "data").rglob("*") if p.is_file()}


def test_compaction_merges_small_files_keeps_rows_and_drops_old_snapshots(lake: Path) -> None:
    frame = sentiment_frame()
    for i in range(6):  # six nightly batches into the same partitions
        write_table(lake, "sentiment", frame.assign(article_id=[f"n{i}-{a}" for a in frame.article_id]),
                    run_id=f"r{i}")
    rows = read_table(lake, "sentiment").sort_values(["article_id", "level", "sent_idx"], ignore_index=True)
    files_before = len(_data_files(lake))
    first_snapshot = 2
    assert run_query(lake, "SELECT count(*) AS n FROM sentiment", at=first_snapshot).n[0] >= 0
    result = compact(lake, retention_days=0)
    assert result["merged"] > 0 and result["snapshots_expired"] > 0
    assert len(_data_files(lake)) < files_before
    after = read_table(lake, "sentiment").sort_values(["article_id", "level", "sent_idx"], ignore_index=True)
    pd.testing.assert_frame_equal(after, rows)
    assert stray_files(lake) == [] and catalog_files(lake) == _data_files(lake)
    with pytest.raises(ValueError):
        run_query(lake, "SELECT count(*) FROM sentiment", at=first_snapshot)  # expired


def test_default_retention_keeps_history(filled_lake: Path) -> None:
    write_table(filled_lake, "stance", stance_frame().iloc[:0], run_id="r2", replace_articles=["a1"])
    compact(filled_lake)
    assert run_query(filled_lake, "SELECT count(*) AS n FROM stance", at=4).n[0] == 3  # before the replace
    assert run_query(filled_lake, "SELECT count(*) AS n FROM stance").n[0] == 1


def test_a_file_no_commit_recorded_is_stray_until_compaction(filled_lake: Path) -> None:
    folder = filled_lake / "data" / "main" / "stance" / "published_month=2024-12"
    orphan = folder / "ducklake-left-by-a-killed-writer.parquet"
    pq.write_table(pa.table({"x": [1]}), orphan)
    assert stray_files(filled_lake) == [orphan]
    assert compact(filled_lake)["orphans_deleted"] == 1
    assert stray_files(filled_lake) == [] and not orphan.exists()
    assert table_row_counts(filled_lake)["stance"] == 3


def _write_old_layout(old: Path, table: str, frame: pd.DataFrame, name: str) -> None:
    """The pre-DuckLake layout: <table>/<col>=<value>/part-*.parquet, partition only in the folder."""
    part = schema.PARTITION_COLUMN[table]
    tbl = conform(table, frame)
    for value in sorted(set(tbl.column(part).to_pylist())):
        rows = tbl.filter(pa.compute.equal(tbl.column(part), value)).drop_columns([part])
        folder = old / table / f"{part}={value}"
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(rows.cast(schema.TABLES[table]), folder / f"part-{name}.parquet")


def test_migrate_imports_an_old_lake_once_with_the_same_keys_and_rows(tmp_path: Path) -> None:
    old, lake = tmp_path / "old", tmp_path / "lake"
    _write_old_layout(old, "articles", articles_frame(), "r1")
    _write_old_layout(old, "sentiment", sentiment_frame().iloc[:2], "r1")
    _write_old_layout(old, "sentiment", sentiment_frame().iloc[2:], "r2")  # a second file per partition
    _write_old_layout(old, "stance", stance_frame(), "r1")
    (old / "stance" / "published_month=2024-12" / ".part-x.parquet.1234.tmp").write_bytes(b"half")
    added = migrate(old, lake)
    assert added == {"articles": 3, "sentiment": 4, "stance": 3}
    for table, frame in (("articles", articles_frame()), ("sentiment", sentiment_frame()), ("stance", stance_frame())):
        key = list(schema.PRIMARY_KEY[table])
        got = read_table(lake, table).sort_values(key, ignore_index=True)
        want = to_pandas(conform(table, frame)).sort_values(key, ignore_index=True)
        pd.testing.assert_frame_equal(got, want)  # same keys, same rows, same partition values
    assert migrate(old, lake) == {"articles": 0, "sentiment": 0, "stance": 0}  # once
    assert run_query(lake, "SELECT count(*) AS n FROM article_overview").n[0] == 3


def test_migrate_refuses_what_is_not_an_old_lake(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        migrate(tmp_path / "nope", tmp_path / "lake")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="no table in the old layout"):
        migrate(tmp_path / "empty", tmp_path / "lake")
    assert not (tmp_path / "lake").exists()
