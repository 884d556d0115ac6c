"""Tables follow newslens/schema.py: created partitioned by month, a new column becomes an ALTER."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from newslens import schema
from newslens.lake import read_table, run_query, write_table
from newslens.lake.tables import declared_columns, duckdb_type, evolution_statements, month_partition
from tests.lake.frames import articles_frame


def test_type_mapping_and_month_partition() -> None:
    assert duckdb_type(pa.list_(pa.int32())) == "INTEGER[]"
    assert duckdb_type(pa.timestamp("us", tz="UTC")) == "TIMESTAMP WITH TIME ZONE"
    with pytest.raises(ValueError, match="no DuckDB type"):
        duckdb_type(pa.dictionary(pa.int8(), pa.string()))
    import datetime
    assert month_partition(datetime.date(2025, 3, 9)) == "2025-03"
    assert month_partition(None) == schema.UNKNOWN_PARTITION


def test_every_declared_table_is_created_with_its_columns_and_partitioning(filled_lake: Path) -> None:
    for table, declared in schema.TABLES.items():
        got = run_query(filled_lake, f"DESCRIBE {table}")
        assert got.column_name.tolist() == [*declared.names, schema.PARTITION_COLUMN[table]]
    parts = run_query(filled_lake, "SELECT t.table_name, c.column_name FROM "
                                   "__ducklake_metadata_lake.ducklake_partition_column p JOIN "
                                   "__ducklake_metadata_lake.ducklake_partition_info i USING (partition_id) "
                                   "JOIN __ducklake_metadata_lake.ducklake_table t ON t.table_id = i.table_id "
                                   "JOIN __ducklake_metadata_lake.ducklake_column c ON c.column_id = p.column_id "
                                   "AND c.table_id = i.table_id WHERE t.end_snapshot IS NULL "
                                   "AND c.end_snapshot IS NULL AND i.end_snapshot IS NULL")
    assert dict(zip(parts.table_name, parts.column_name)) == schema.PARTITION_COLUMN


def test_a_new_declared_column_becomes_an_alter(filled_lake: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stored = {n: t for n, t, _ in declared_columns("articles")}
    widened = schema.ARTICLES.append(pa.field("reading_minutes", pa.float32()))
    monkeypatch.setitem(schema.TABLES, "articles", widened)
    assert evolution_statements("articles", stored) == [
        'ALTER TABLE lake."articles" ADD COLUMN "reading_minutes" FLOAT']
    extra = articles_frame().iloc[:1].assign(article_id="a9", reading_minutes=2.5)
    write_table(filled_lake, "articles", extra, run_id="r2")
    got = read_table(filled_lake, "articles", columns=["article_id", "reading_minutes"]).sort_values("article_id")
    assert got.reading_minutes.isna().tolist() == [True, True, True, False]  # old rows: NULL
    assert run_query(filled_lake, "SELECT count(*) AS n FROM articles").n[0] == 4


def test_a_changed_column_type_is_refused() -> None:
    stored = {n: "VARCHAR" for n in schema.RUNS.names} | {"run_month": "VARCHAR"}
    with pytest.raises(ValueError, match="runs.started_at is stored as VARCHAR"):
        evolution_statements("runs", stored)
