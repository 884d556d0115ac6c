"""Build the DuckDB catalog next to the lake: one view per table, plus `article_overview`.

The catalog holds no data, only views over the Parquet files, so any DuckDB client
(`duckdb data/lake.duckdb`) can query the lake. It is rebuilt in a temp file and renamed into
place so no client ever opens a half-built catalog.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import duckdb
import pyarrow as pa

from newslens import schema
from newslens.lake.paths import catalog_path, table_dir, table_files

INFO_TABLE = "newslens.catalog_info"

_SIMPLE_TYPES: dict[pa.DataType, str] = {
    pa.string(): "VARCHAR",
    pa.large_string(): "VARCHAR",
    pa.bool_(): "BOOLEAN",
    pa.int8(): "TINYINT",
    pa.int16(): "SMALLINT",
    pa.int32(): "INTEGER",
    pa.int64(): "BIGINT",
    pa.float32(): "FLOAT",
    pa.float64(): "DOUBLE",
    pa.date32(): "DATE",
    pa.binary(): "BLOB",
}

OVERVIEW_SQL = """
CREATE VIEW article_overview AS
WITH a AS (
    SELECT * FROM articles
    QUALIFY row_number() OVER (PARTITION BY article_id ORDER BY run_id DESC NULLS LAST) = 1
), s AS (
    SELECT article_id, label, score FROM sentiment WHERE level = 'article'
    QUALIFY row_number() OVER (PARTITION BY article_id ORDER BY run_id DESC NULLS LAST) = 1
), t AS (
    SELECT * FROM stance
    QUALIFY row_number() OVER (PARTITION BY article_id, target_id ORDER BY run_id DESC NULLS LAST) = 1
), st AS (
    SELECT article_id,
           MAP(list(target_id ORDER BY target_id), list(CAST(score AS FLOAT) ORDER BY target_id)) AS stance,
           MAP(list(target_id ORDER BY target_id), list(label ORDER BY target_id)) AS stance_labels,
           count(*) AS n
    FROM t GROUP BY article_id
)
SELECT a.article_id, a.published, a.published_month, a.lang, a.source, a.title, a.title_en,
       s.label AS sentiment_label, CAST(s.score AS FLOAT) AS sentiment_score,
       COALESCE(st.stance, MAP()::MAP(VARCHAR, FLOAT)) AS stance,
       COALESCE(st.stance_labels, MAP()::MAP(VARCHAR, VARCHAR)) AS stance_labels,
       CAST(COALESCE(st.n, 0) AS INTEGER) AS n_stance_targets
FROM a LEFT JOIN s ON s.article_id = a.article_id LEFT JOIN st ON st.article_id = a.article_id
"""


def duckdb_type(t: pa.DataType) -> str:
    """The DuckDB type name for a pyarrow type used in the schema."""
    if t in _SIMPLE_TYPES:
        return _SIMPLE_TYPES[t]
    if pa.types.is_timestamp(t):
        return "TIMESTAMPTZ" if t.tz else "TIMESTAMP"
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return f"{duckdb_type(t.value_type)}[]"
    raise ValueError(f"no DuckDB type mapping for pyarrow type {t}")


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quote_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _typed_empty(table: str) -> str:
    """A zero-row SELECT with every declared column (and the partition column) typed."""
    cols = [f"CAST(NULL AS {duckdb_type(f.type)}) AS {_quote_ident(f.name)}" for f in schema.TABLES[table]]
    cols.append(f"CAST(NULL AS VARCHAR) AS {_quote_ident(schema.PARTITION_COLUMN[table])}")
    return f"SELECT {', '.join(cols)} WHERE false"


def view_sql(lake: Path, table: str, has_files: bool) -> str:
    """The CREATE VIEW statement for one table (typed empty when it has no files yet).

    The files are unioned by name with the typed empty relation so every declared column is
    present in declared order and type, even if older files lack one.
    """
    part = schema.PARTITION_COLUMN[table]
    empty = _typed_empty(table)
    if not has_files:
        return f"CREATE VIEW {_quote_ident(table)} AS {empty}"
    pattern = f"{Path(os.path.abspath(table_dir(lake, table)))}/*/*.parquet"
    scan = (f"SELECT * FROM read_parquet({_quote_str(pattern)}, hive_partitioning = true, "
            f"union_by_name = true, hive_types = {{{_quote_str(part)}: 'VARCHAR'}})")
    names = ", ".join(_quote_ident(n) for n in [*schema.TABLES[table].names, part])
    return f"CREATE VIEW {_quote_ident(table)} AS SELECT {names} FROM ({scan} UNION ALL BY NAME {empty})"


def lake_state(lake: Path) -> dict[str, bool]:
    """Which tables have at least one file; the catalog must be rebuilt when this changes."""
    return {t: bool(table_files(lake, t)) for t in schema.TABLES}


def catalog_is_current(con: duckdb.DuckDBPyConnection, lake: Path) -> bool:
    """True when an open catalog was built for this lake, schema version and set of tables."""
    try:
        rows = con.execute(f"SELECT table_name, has_files, lake, schema_version FROM {INFO_TABLE}").fetchall()
    except duckdb.Error:
        return False
    want = lake_state(lake)
    lake_abs = os.path.abspath(lake)
    if not rows or any(r[2] != lake_abs or r[3] != schema.SCHEMA_VERSION for r in rows):
        return False
    return {r[0]: r[1] for r in rows} == want


def refresh_catalog(lake: Path) -> Path:
    """(Re)build the DuckDB catalog for the lake and return its path."""
    lake = Path(os.path.abspath(lake))
    target = catalog_path(lake)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.{uuid.uuid4().hex[:8]}.tmp"
    state = lake_state(lake)
    try:
        con = duckdb.connect(str(tmp))
        try:
            for table, has_files in state.items():
                con.execute(view_sql(lake, table, has_files))
            con.execute(OVERVIEW_SQL)
            con.execute("CREATE SCHEMA newslens")
            con.execute(f"CREATE TABLE {INFO_TABLE} (table_name VARCHAR, has_files BOOLEAN, "
                        "lake VARCHAR, schema_version INTEGER)")
            con.executemany(f"INSERT INTO {INFO_TABLE} VALUES (?, ?, ?, ?)",
                            [(t, h, str(lake), schema.SCHEMA_VERSION) for t, h in state.items()])
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)
    return target
