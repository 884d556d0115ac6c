"""run_query's read-only guard and format_result's renderings."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from newslens.lake import ReadOnlyQueryError, format_result, run_query, table_row_counts, write_table
from tests.lake.frames import articles_frame, listing


def test_select_answers(filled_lake: Path) -> None:
    df = run_query(filled_lake, "SELECT lang, count(*) AS n FROM articles GROUP BY lang ORDER BY lang")
    assert df.to_dict("records") == [{"lang": "de", "n": 1}, {"lang": "fr", "n": 1}, {"lang": "it", "n": 1}]
    assert len(run_query(filled_lake, "DESCRIBE stance")) == 12
    assert not run_query(filled_lake, "EXPLAIN SELECT * FROM articles").empty


def test_missing_lake_is_an_error_and_is_not_created(lake: Path) -> None:
    with pytest.raises(ValueError, match="no lake at"):
        run_query(lake, "SELECT 1")
    assert not lake.exists()
    write_table(lake, "articles", articles_frame(), run_id="r")
    assert run_query(lake, "SELECT count(*) AS n FROM articles").n[0] == 3
    assert run_query(lake, "SELECT count(*) AS n FROM sentences").n[0] == 0  # every table exists


def test_several_statements_are_refused(filled_lake: Path) -> None:
    with pytest.raises(ReadOnlyQueryError, match="one statement at a time, got 2"):
        run_query(filled_lake, "SELECT 1 AS x; SELECT article_id FROM articles ORDER BY 1 LIMIT 1")
    df = run_query(filled_lake, "SELECT article_id FROM articles ORDER BY 1 LIMIT 1")
    assert df.to_dict("records") == [{"article_id": "a1"}]


@pytest.mark.parametrize(("sql", "kind"), [
    ("DELETE FROM articles", "DELETE"),
    ("INSERT INTO articles (article_id) VALUES ('x')", "INSERT"),
    ("DROP VIEW articles", "DROP"),
    ("COPY articles TO 'out.csv'", "COPY"),
    ("ATTACH 'other.duckdb' AS other", "ATTACH"),
    ("CREATE TABLE t AS SELECT 1", "CREATE"),
    ("SET enable_external_access = true", "SET"),
    ("EXPLAIN ANALYZE DELETE FROM articles", "EXPLAIN DELETE"),
    ("SELECT 1; DROP VIEW stance; SELECT 2", "DROP"),
])
def test_writes_are_refused_and_lake_unchanged(filled_lake: Path, sql: str, kind: str) -> None:
    run_query(filled_lake, "SELECT 1")
    before_files, before_counts = listing(filled_lake.parent), table_row_counts(filled_lake)
    with pytest.raises(ReadOnlyQueryError, match=f"read-only: {kind} statements are refused"):
        run_query(filled_lake, sql)
    assert listing(filled_lake.parent) == before_files
    assert table_row_counts(filled_lake) == before_counts
    assert len(run_query(filled_lake, "SELECT * FROM stance")) == 3


def test_select_cannot_read_outside_the_lake(filled_lake: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text("a,b\n1,2\n")
    with pytest.raises(ReadOnlyQueryError, match="only read the lake"):
        run_query(filled_lake, f"SELECT * FROM read_csv('{secret}')")
    inside = run_query(filled_lake, f"SELECT count(*) AS n FROM read_parquet('{filled_lake}/data/main/stance/*/*.parquet')")
    assert inside.n[0] == 3


def test_errors_are_value_errors(filled_lake: Path) -> None:
    with pytest.raises(ValueError, match="syntax error"):
        run_query(filled_lake, "SELEC 1")
    with pytest.raises(ValueError, match="nope"):
        run_query(filled_lake, "SELECT * FROM nope")
    with pytest.raises(ValueError, match="no SQL"):
        run_query(filled_lake, " ; ")


def test_format_result(filled_lake: Path) -> None:
    df = run_query(filled_lake, "SELECT article_id, published, sentiment_score, stance FROM article_overview "
                                "ORDER BY article_id")
    table = format_result(df).splitlines()
    assert table[0].split() == ["article_id", "published", "sentiment_score", "stance"]
    assert set(table[1]) == {"-", " "} and table[-1] == "(3 rows)"
    assert len({line.index("2024-12-03") for line in table if "2024-12-03" in line}) == 1
    assert '{"russia": -0.5, "ukraine": 0.75}' in table[2]
    csv = format_result(df, "csv").splitlines()
    assert csv[0] == "article_id,published,sentiment_score,stance"
    assert csv[1].startswith("a1,2024-12-03,0.5,")
    records = json.loads(format_result(df, "json"))
    assert records[0] == {"article_id": "a1", "published": "2024-12-03", "sentiment_score": 0.5,
                          "stance": {"russia": -0.5, "ukraine": 0.75}}
    assert records[2]["published"] is None and records[2]["stance"] == {}
    with pytest.raises(ValueError, match="unknown output format"):
        format_result(df, "xml")


def test_format_json_timestamps_and_empty() -> None:
    df = pd.DataFrame({"at": pd.to_datetime(["2025-01-02T03:04:05Z"]), "n": [1]})
    assert json.loads(format_result(df, "json")) == [{"at": "2025-01-02T03:04:05+00:00", "n": 1}]
    assert format_result(df.iloc[:0]).splitlines()[-1] == "(0 rows)"
