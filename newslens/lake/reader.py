"""Read lake tables back into pandas, with the partition column restored from the folder names.

Reads take the shared lake lock so they never observe a replace half-way (new file written,
old files not yet deleted).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from newslens import schema
from newslens.lake.paths import lake_lock, table_dir, table_files

_INT_DTYPES = {
    pa.int8(): pd.Int8Dtype(),
    pa.int16(): pd.Int16Dtype(),
    pa.int32(): pd.Int32Dtype(),
    pa.int64(): pd.Int64Dtype(),
    pa.bool_(): pd.BooleanDtype(),
}


def storage_schema(table: str) -> pa.Schema:
    """The declared schema of a table, all fields nullable, as used to scan files leniently."""
    declared = schema.TABLES[table]
    return pa.schema([f.with_nullable(True) for f in declared])


def read_partition(files: Sequence[Path], table: str, columns: Sequence[str] | None = None,
                   article_ids: Collection[str] | None = None) -> pa.Table:
    """Read files of one partition, conformed to the declared columns (missing ones come back null)."""
    scan = ds.dataset([str(f) for f in files], schema=storage_schema(table), format="parquet")
    flt = None
    if article_ids is not None:
        flt = pc.field("article_id").isin(pa.array(sorted(article_ids), pa.string()))
    return scan.to_table(columns=list(columns) if columns is not None else None, filter=flt)


def _check_columns(table: str, columns: Sequence[str] | None) -> tuple[list[str], str]:
    """Split requested columns into stored ones and the partition column; reject unknown names."""
    part = schema.PARTITION_COLUMN[table]
    names = schema.TABLES[table].names
    if columns is None:
        return list(names), part
    unknown = [c for c in columns if c != part and c not in names]
    if unknown:
        raise ValueError(f"table {table!r} has no column(s) {', '.join(map(repr, unknown))}")
    return [c for c in columns if c != part], part


def _to_pandas(table: pa.Table) -> pd.DataFrame:
    """Convert to pandas keeping integer columns integer (nullable Int dtypes, not float)."""
    return table.to_pandas(types_mapper=_INT_DTYPES.get)


def read_table(lake: Path, table: str, columns: Sequence[str] | None = None,
               article_ids: Collection[str] | None = None) -> pd.DataFrame:
    """Read a table (optionally some columns, some articles) as a DataFrame with its partition column.

    The partition column comes last unless `columns` places it; an absent table gives an empty
    frame with the declared column types.
    """
    table_dir(lake, table)  # validates the table name
    stored, part = _check_columns(table, columns)
    if article_ids is not None and "article_id" not in schema.TABLES[table].names:
        raise ValueError(f"table {table!r} has no article_id column to filter on")
    pieces: list[pa.Table] = []
    with lake_lock(lake, exclusive=False):
        for value, files in table_files(lake, table).items():
            got = read_partition(files, table, stored, article_ids)
            pieces.append(got.append_column(part, pa.array([value] * got.num_rows, pa.string())))
    if pieces:
        result = pa.concat_tables(pieces)
    else:
        empty = storage_schema(table).empty_table().select(stored)
        result = empty.append_column(part, pa.array([], pa.string()))
    order = list(columns) if columns is not None else [*stored]
    if part not in order:
        order.append(part)
    return _to_pandas(result.select(order))


def table_row_counts(lake: Path) -> dict[str, int]:
    """Rows per table from the Parquet footers (no data read); 0 for tables with no files."""
    counts: dict[str, int] = {}
    with lake_lock(lake, exclusive=False):
        for table in schema.TABLES:
            files = [f for fs in table_files(lake, table).values() for f in fs]
            counts[table] = sum(pq.read_metadata(f).num_rows for f in files)
    return counts
