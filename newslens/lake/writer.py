"""The one module that writes Parquet into the lake: validated, atomic, idempotent writes.

Every file appears whole or not at all (temp file, fsync, rename); writers take an exclusive
lock on the lake so appends and replaces never interleave. Appends skip rows whose primary key
is already stored, so re-running a batch writes nothing twice; replaces swap all rows of some
articles for new ones (reprocessing after a model change).
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from newslens import schema
from newslens.lake.paths import is_partition_value, lake_lock, partition_dir, table_dir, table_files
from newslens.lake.reader import read_partition


@dataclass
class WriteResult:
    """What one write did to one table."""

    table: str
    rows_written: int
    rows_skipped: int
    files: list[Path] = field(default_factory=list)
    rows_removed: int = 0


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
    declared = schema.TABLES[table]
    part = schema.PARTITION_COLUMN[table]
    if not isinstance(data, (pd.DataFrame, pa.Table)):
        raise TypeError(f"write_table expects a pandas DataFrame or a pyarrow Table, not {type(data).__name__}")
    given = [str(c) for c in (data.columns if isinstance(data, pd.DataFrame) else data.column_names)]
    if len(set(given)) != len(given):
        raise ValueError(f"{table}: duplicate column names in the data")
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


def _keys(tbl: pa.Table, key: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """Primary-key tuples of every row; None compares equal to None, as the lake wants."""
    cols = [tbl.column(k).to_pylist() if k in tbl.column_names else [None] * tbl.num_rows for k in key]
    return list(zip(*cols))


def _write_parquet(tbl: pa.Table, sink: BinaryIO) -> None:
    """Encode a table as zstd-compressed Parquet into an open file."""
    pq.write_table(tbl, sink, compression="zstd")


def _atomic_write(folder: Path, name: str, tbl: pa.Table) -> Path:
    """Write `tbl` to folder/name so the file appears complete or not at all."""
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / name
    tmp = folder / f".{name}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        with open(tmp, "wb") as fh:
            _write_parquet(tbl, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, final)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return final


def _file_name(run_id: str) -> str:
    """`part-<run_id>-<short uuid>.parquet`, with characters unsafe in a file name replaced."""
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", run_id) or "run"
    return f"part-{safe}-{uuid.uuid4().hex[:8]}.parquet"


def _split(tbl: pa.Table, part: str) -> dict[str, pa.Table]:
    """Rows by partition value, with the partition column removed (it lives in the folder name)."""
    out: dict[str, pa.Table] = {}
    for value in sorted(tbl.column(part).unique().to_pylist()):
        rows = tbl.filter(pc.equal(tbl.column(part), value))
        out[value] = rows.drop_columns([part])
    return out


def _drop_repeats(tbl: pa.Table, key: tuple[str, ...], seen: set[tuple[Any, ...]]) -> pa.Table:
    """Keep the first row of each key not already in `seen` (which is updated)."""
    keep = []
    for k in _keys(tbl, key):
        keep.append(k not in seen)
        seen.add(k)
    return tbl.filter(pa.array(keep, pa.bool_())) if tbl.num_rows else tbl


def _append(lake: Path, table: str, new: pa.Table, run_id: str) -> WriteResult:
    """Add rows whose key is neither stored in their partition nor repeated in the data."""
    key, part = schema.PRIMARY_KEY[table], schema.PARTITION_COLUMN[table]
    existing = table_files(lake, table)
    result = WriteResult(table, 0, 0)
    for value, rows in _split(new, part).items():
        seen: set[tuple[Any, ...]] = set()
        if value in existing:
            seen.update(_keys(read_partition(existing[value], table, list(key)), key))
        kept = _drop_repeats(rows, key, seen)
        result.rows_skipped += rows.num_rows - kept.num_rows
        if kept.num_rows:
            folder = partition_dir(lake, table, value)
            result.files.append(_atomic_write(folder, _file_name(run_id), kept.cast(schema.TABLES[table])))
            result.rows_written += kept.num_rows
    return result


def _replace(lake: Path, table: str, new: pa.Table, run_id: str, articles: set[str]) -> WriteResult:
    """Swap every stored row of `articles` for the new rows, compacting each touched partition."""
    key, part = schema.PRIMARY_KEY[table], schema.PARTITION_COLUMN[table]
    strays = sorted(set(new.column("article_id").to_pylist()) - articles)
    if strays:
        raise ValueError(f"{table}: rows for article(s) not listed in replace_articles: {strays[:5]}")
    seen: set[tuple[Any, ...]] = set()
    deduped = _drop_repeats(new, key, seen)
    result = WriteResult(table, 0, new.num_rows - deduped.num_rows)
    incoming = _split(deduped, part)
    ids = pa.array(sorted(articles), pa.string())
    existing = table_files(lake, table)
    touched = set(incoming)
    for value, files in existing.items():
        if read_partition(files, table, ["article_id"], articles).num_rows:
            touched.add(value)
    declared = schema.TABLES[table]
    for value in sorted(touched):
        old_files = existing.get(value, [])
        pieces: list[pa.Table] = []
        if old_files:
            old = read_partition(old_files, table)
            stay = old.filter(pc.invert(pc.is_in(old.column("article_id"), value_set=ids)))
            result.rows_removed += old.num_rows - stay.num_rows
            pieces.append(stay.cast(declared))
        if value in incoming:
            pieces.append(incoming[value].cast(declared))
            result.rows_written += incoming[value].num_rows
        merged = pa.concat_tables(pieces) if pieces else declared.empty_table()
        if merged.num_rows:
            folder = partition_dir(lake, table, value)
            result.files.append(_atomic_write(folder, _file_name(run_id), merged))
        for f in old_files:
            f.unlink()
    return result


def write_table(lake: Path, table: str, data: pd.DataFrame | pa.Table, *, run_id: str,
                replace_articles: Collection[str] | None = None) -> WriteResult:
    """Write rows to a lake table: append new keys only, or replace all rows of some articles.

    `data` holds the table's columns plus its partition column. Append mode (the default) is
    idempotent; replace mode (article tables only) leaves exactly `data`'s rows for the listed
    articles and rewrites each touched partition as a single file.
    """
    table_dir(lake, table)  # validates the table name
    if not run_id:
        raise ValueError("write_table needs a run_id")
    if replace_articles is not None:
        if table not in schema.ARTICLE_TABLES:
            raise ValueError(f"replace_articles only applies to article tables, not {table!r}")
        if isinstance(replace_articles, str):
            raise TypeError("replace_articles must be a collection of article ids, not one string")
    new = conform(table, data)
    with lake_lock(lake, exclusive=True):
        if replace_articles is None:
            return _append(lake, table, new, run_id)
        return _replace(lake, table, new, run_id, {str(a) for a in replace_articles})
