"""DuckLake tables created and evolved from `newslens.schema`, and frames conformed to them.

schema.py is the one declaration: a table it declares is created (partitioned by its month
column), a column it adds becomes `ALTER TABLE ... ADD COLUMN`. A column whose declared type
no longer matches the stored one is an error, never a silent rewrite.
"""

from __future__ import annotations

import datetime
import re

import duckdb
import pandas as pd
import pyarrow as pa

from newslens import schema
from newslens.lake.names import ALIAS

_SIMPLE_TYPES: dict[pa.DataType, str] = {
    pa.string(): "VARCHAR", pa.large_string(): "VARCHAR", pa.bool_(): "BOOLEAN",
    pa.int8(): "TINYINT", pa.int16(): "SMALLINT", pa.int32(): "INTEGER", pa.int64(): "BIGINT",
    pa.float32(): "FLOAT", pa.float64(): "DOUBLE", pa.date32(): "DATE", pa.binary(): "BLOB",
}
_PARTITION_VALUE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def duckdb_type(t: pa.DataType) -> str:
    """The DuckDB type name for a pyarrow type used in the schema."""
    if t in _SIMPLE_TYPES:
        return _SIMPLE_TYPES[t]
    if pa.types.is_timestamp(t):
        return "TIMESTAMP WITH TIME ZONE" if t.tz else "TIMESTAMP"
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return f"{duckdb_type(t.value_type)}[]"
    raise ValueError(f"no DuckDB type mapping for pyarrow type {t}")


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def qualified(table: str) -> str:
    return f"{ALIAS}.{quote_ident(table)}"


def month_partition(d: datetime.date | None) -> str:
    """The partition value for a date: `YYYY-MM`, or the unknown partition when there is no date."""
    if d is None:
        return schema.UNKNOWN_PARTITION
    return f"{d.year:04d}-{d.month:02d}"


def is_partition_value(value: object) -> bool:
    return isinstance(value, str) and (value == schema.UNKNOWN_PARTITION or bool(_PARTITION_VALUE.match(value)))


def check_table(table: str) -> None:
    if table not in schema.TABLES:
        raise ValueError(f"unknown lake table {table!r}; known tables: {', '.join(schema.TABLES)}")


def declared_columns(table: str) -> list[tuple[str, str, bool]]:
    """(name, DuckDB type, nullable) of every column, the partition column last."""
    cols = [(f.name, duckdb_type(f.type), f.nullable) for f in schema.TABLES[table]]
    return [*cols, (schema.PARTITION_COLUMN[table], "VARCHAR", False)]


def schema_signature() -> str:
    """A short text naming every declared table and column (changes when schema.py does)."""
    return repr([(t, declared_columns(t)) for t in schema.TABLES])


def stored_columns(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    """Column name -> DuckDB type of a stored table ({} when it does not exist yet)."""
    rows = con.execute("SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = ? "
                       "AND schema_name = 'main' AND table_name = ? ORDER BY column_index",
                       [ALIAS, table]).fetchall()
    return {name: kind for name, kind in rows}


def evolution_statements(table: str, stored: dict[str, str]) -> list[str]:
    """The DDL that brings one stored table (or none) to its declaration."""
    declared = declared_columns(table)
    if not stored:
        cols = ", ".join(f"{quote_ident(n)} {t}{'' if nullable else ' NOT NULL'}"
                         for n, t, nullable in declared)
        return [f"CREATE TABLE {qualified(table)} ({cols})",
                f"ALTER TABLE {qualified(table)} SET PARTITIONED BY "
                f"({quote_ident(schema.PARTITION_COLUMN[table])})"]
    out = []
    for name, kind, _ in declared:
        if name not in stored:
            out.append(f"ALTER TABLE {qualified(table)} ADD COLUMN {quote_ident(name)} {kind}")
        elif stored[name] != kind:
            raise ValueError(f"lake table {table}.{name} is stored as {stored[name]} but declared "
                             f"as {kind}; migrate the lake rather than change a column's type")
    return out


def ensure_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Create or ALTER every declared table inside one transaction; returns the DDL it ran."""
    todo = [stmt for table in schema.TABLES
            for stmt in evolution_statements(table, stored_columns(con, table))]
    if todo:
        con.execute("BEGIN")
        try:
            for stmt in todo:
                con.execute(stmt)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return todo


def _column(data: pd.DataFrame | pa.Table, name: str, target: pa.DataType, table: str) -> pa.Array:
    """One input column cast to its declared type; a clear ValueError when that cannot be done."""
    try:
        if isinstance(data, pd.DataFrame):
            return pa.array(data[name], type=target, from_pandas=True)
        return data.column(name).combine_chunks().cast(target, safe=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, TypeError, ValueError,
            OverflowError) as exc:
        raise ValueError(f"{table}.{name}: cannot cast values to {target}: {exc}") from exc


def conform(table: str, data: pd.DataFrame | pa.Table) -> pa.Table:
    """Validate `data` against the table's schema plus partition column and cast it.

    Missing nullable columns become nulls; unknown columns, missing required columns, nulls in
    required columns and malformed partition values raise ValueError naming them.
    """
    check_table(table)
    declared = schema.TABLES[table]
    part = schema.PARTITION_COLUMN[table]
    if not isinstance(data, (pd.DataFrame, pa.Table)):
        raise TypeError(f"write_table expects a pandas DataFrame or a pyarrow Table, not {type(data).__name__}")
    given = [str(c) for c in (data.columns if isinstance(data, pd.DataFrame) else data.column_names)]
    unknown = [c for c in given if c != part and c not in declared.names]
    if unknown:
        raise ValueError(f"{table}: unknown column(s) {', '.join(unknown)}")
    required = [f.name for f in declared if not f.nullable] + [part]
    missing = [c for c in required if c not in given]
    if missing:
        raise ValueError(f"{table}: missing required column(s) {', '.join(missing)}")
    n_rows = len(data) if isinstance(data, pd.DataFrame) else data.num_rows
    arrays = []
    for f in [*declared, pa.field(part, pa.string(), nullable=False)]:
        arrays.append(_column(data, f.name, f.type, table) if f.name in given else pa.nulls(n_rows, f.type))
        if not f.nullable and arrays[-1].null_count:
            raise ValueError(f"{table}.{f.name}: {arrays[-1].null_count} null value(s) in a required column")
    bad = sorted({v for v in arrays[-1].unique().to_pylist() if not is_partition_value(v)})
    if bad:
        raise ValueError(f"{table}.{part}: partition values must be YYYY-MM or "
                         f"{schema.UNKNOWN_PARTITION!r}, got {bad[:5]}")
    return pa.Table.from_arrays(arrays, schema=pa.schema([*declared, pa.field(part, pa.string())]))


def storage_schema(table: str) -> pa.Schema:
    """The declared schema plus the partition column, every field nullable (for reading back)."""
    fields = [f.with_nullable(True) for f in schema.TABLES[table]]
    return pa.schema([*fields, pa.field(schema.PARTITION_COLUMN[table], pa.string())])
