"""Reading lake tables back into pandas (for the pipeline and tests), through DuckLake."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from newslens import schema
from newslens.lake.connection import LakeCompactingError, lake_exists
from newslens.lake.consistency import READ_ATTEMPTS, latest_snapshot, read_consistently, settled
from newslens.lake.tables import check_table, qualified, quote_ident, storage_schema

_INT_DTYPES = {
    pa.int8(): pd.Int8Dtype(), pa.int16(): pd.Int16Dtype(), pa.int32(): pd.Int32Dtype(),
    pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype(),
}


def _columns(table: str, columns: Sequence[str] | None) -> list[str]:
    known = storage_schema(table).names
    if columns is None:
        return list(known)
    unknown = [c for c in columns if c not in known]
    if unknown:
        raise ValueError(f"table {table!r} has no column(s) {', '.join(map(repr, unknown))}")
    return list(columns)


def to_pandas(table: pa.Table) -> pd.DataFrame:
    """Convert to pandas keeping integer columns integer (nullable Int dtypes, not float)."""
    return table.to_pandas(types_mapper=_INT_DTYPES.get)


def select_table(con: duckdb.DuckDBPyConnection, table: str, columns: Sequence[str] | None = None,
                 article_ids: Collection[str] | None = None, where: str | None = None) -> pa.Table:
    """Rows of a table from an open session, typed as declared (absent table: no rows)."""
    cols = _columns(table, columns)
    want = storage_schema(table)
    exists = con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = 'lake' AND "
                         "schema_name = 'main' AND table_name = ?", [table]).fetchone()[0]
    if not exists:
        return pa.schema([want.field(c) for c in cols]).empty_table()
    stored = {r[0] for r in con.execute("SELECT column_name FROM duckdb_columns() WHERE "
                                        "database_name = 'lake' AND table_name = ?", [table]).fetchall()}
    exprs = [quote_ident(c) if c in stored else f"NULL AS {quote_ident(c)}" for c in cols]
    sql = f"SELECT {', '.join(exprs)} FROM {qualified(table)}"
    conds, params = [], []
    if article_ids is not None:
        conds.append("list_contains(?, article_id)")
        params.append(sorted({str(a) for a in article_ids}))
    if where:
        conds.append(f"({where})")
    if conds:
        sql += " WHERE " + " AND ".join(conds)
    got = _read_between_compactions(con, sql, params)
    return got.cast(pa.schema([want.field(c) for c in cols]))


def _read_between_compactions(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> pa.Table:
    """One SELECT, run again if a compaction committed while it read: in DuckLake 1.5.5 such a
    statement can silently miss rows (consistency.read_consistently). This guards the reads a
    run makes on its writer session (stored fingerprints, rows to reprocess) outside the
    commit lock, which a concurrent `lake compact` holds only while it merges."""
    for _ in range(READ_ATTEMPTS):
        done, got = settled(con, latest_snapshot(con), lambda: con.execute(sql, params).to_arrow_table())
        if done:
            return got  # type: ignore[return-value]
    raise LakeCompactingError(f"the lake was compacted during each of {READ_ATTEMPTS} attempts "
                              "to read it; try again")


def read_table(lake: Path, table: str, columns: Sequence[str] | None = None,
               article_ids: Collection[str] | None = None) -> pd.DataFrame:
    """Read a table (optionally some columns, some articles) as a DataFrame with its partition column.

    The partition column comes last unless `columns` places it; a lake or table that does not
    exist yet gives an empty frame with the declared column types.
    """
    check_table(table)
    if article_ids is not None and "article_id" not in schema.TABLES[table].names:
        raise ValueError(f"table {table!r} has no article_id column to filter on")
    part = schema.PARTITION_COLUMN[table]
    order = list(columns) if columns is not None else list(schema.TABLES[table].names)
    if part not in order:
        order.append(part)
    if not lake_exists(lake):
        _columns(table, order)
        return to_pandas(pa.schema([storage_schema(table).field(c) for c in order]).empty_table())
    got = read_consistently(lake, lambda con: select_table(con, table, order, article_ids), views=False)
    return to_pandas(got)


def table_row_counts(lake: Path) -> dict[str, int]:
    """Rows per table at the current snapshot; 0 for tables not created yet."""
    counts = {t: 0 for t in schema.TABLES}
    if not lake_exists(lake):
        return counts

    def count(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
        found = dict(counts)
        for table in schema.TABLES:
            if con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = 'lake' "
                           "AND table_name = ?", [table]).fetchone()[0]:
                found[table] = int(con.execute(f"SELECT count(*) FROM {qualified(table)}").fetchone()[0])
        return found

    return read_consistently(lake, count, views=False)
