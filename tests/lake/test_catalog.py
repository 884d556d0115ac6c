"""The DuckDB catalog: views per table, typed empty views, article_overview."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from newslens import schema
from newslens.lake import catalog_path, read_table, refresh_catalog, write_table
from newslens.lake.catalog import duckdb_type
from tests.lake.frames import articles_frame


def _types(con: duckdb.DuckDBPyConnection, view: str) -> dict[str, str]:
    return {r[0]: r[1] for r in con.execute(f"DESCRIBE {view}").fetchall()}


def test_views_match_read_table(filled_lake: Path) -> None:
    path = refresh_catalog(filled_lake)
    assert path == catalog_path(filled_lake) and path.is_file()
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")]  # no temp left
    with duckdb.connect(str(path), read_only=True) as con:  # a plain client, no newslens code
        for table in schema.TABLES:
            n = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            assert n == len(read_table(filled_lake, table)), table
        months = con.execute("SELECT published_month FROM articles ORDER BY 1").fetchall()
        assert months == [("2024-12",), ("2025-01",), ("unknown",)]
        types = _types(con, "stance")
        assert types["published_month"] == "VARCHAR"
        assert types["evidence_sent_idx"] == "INTEGER[]" and types["score"] == "FLOAT"
        assert list(types) == [*schema.STANCE.names, "published_month"]


def test_new_files_show_without_refresh(filled_lake: Path) -> None:
    path = refresh_catalog(filled_lake)
    more = articles_frame().assign(article_id=["b1", "b2", "b3"])
    write_table(filled_lake, "articles", more, run_id="r2")
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 6


def test_empty_lake_has_typed_views(lake: Path) -> None:
    path = refresh_catalog(lake)
    with duckdb.connect(str(path), read_only=True) as con:
        for table, declared in schema.TABLES.items():
            assert con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] == 0
            types = _types(con, table)
            want = {f.name: duckdb_type(f.type).replace("TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE") for f in declared}
            assert types == {**want,
                             schema.PARTITION_COLUMN[table]: "VARCHAR"}
        runs = _types(con, "runs")
        assert runs["started_at"] == "TIMESTAMP WITH TIME ZONE" and runs["stages"] == "VARCHAR[]"
        assert con.execute("SELECT count(*) FROM article_overview").fetchone()[0] == 0


def test_type_mapping() -> None:
    import pyarrow as pa

    assert duckdb_type(pa.list_(pa.int32())) == "INTEGER[]"
    assert duckdb_type(pa.timestamp("us", tz="UTC")) == "TIMESTAMPTZ"
    assert duckdb_type(pa.date32()) == "DATE"
    with pytest.raises(ValueError, match="no DuckDB type"):
        duckdb_type(pa.dictionary(pa.int8(), pa.string()))


def test_article_overview_shape(filled_lake: Path) -> None:
    path = refresh_catalog(filled_lake)
    with duckdb.connect(str(path), read_only=True) as con:
        assert list(_types(con, "article_overview").items()) == [
            ("article_id", "VARCHAR"), ("published", "DATE"), ("published_month", "VARCHAR"),
            ("lang", "VARCHAR"), ("source", "VARCHAR"), ("title", "VARCHAR"), ("title_en", "VARCHAR"),
            ("sentiment_label", "VARCHAR"), ("sentiment_score", "FLOAT"),
            ("stance", "MAP(VARCHAR, FLOAT)"), ("stance_labels", "MAP(VARCHAR, VARCHAR)"),
            ("n_stance_targets", "INTEGER")]
        rows = con.execute("SELECT article_id, sentiment_label, sentiment_score, stance, stance_labels, "
                           "n_stance_targets FROM article_overview ORDER BY article_id").fetchall()
    assert rows == [
        ("a1", "positive", 0.5, {"russia": -0.5, "ukraine": 0.75}, {"russia": "against", "ukraine": "favor"}, 2),
        ("a2", "negative", -0.25, {"nato": 0.0}, {"nato": "neutral"}, 1),
        ("a3", None, None, {}, {}, 0),
    ]
