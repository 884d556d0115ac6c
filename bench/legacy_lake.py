"""The lake layout newslens used before DuckLake, kept only as the benchmark's baseline.

A condensed copy of the old `newslens/lake/` writer, paths, reader and catalog (see
`git show 836e611:newslens/lake/writer.py`): one folder per table, Hive-partitioned by month,
one Parquet file per write and partition (temp file, fsync, rename), appends that read every
stored key of the partitions they touch, a file lock per write, and a DuckDB catalog of views
over the files. The product never imports this module; `bench.lake_growth` times it against
the DuckLake lake in the same run so the two are compared on one machine.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from newslens import schema
from newslens.files import locked, write_atomically

# Frozen here so the baseline keeps its layout whatever newslens/schema.py becomes.
PARTITION_COLUMN = {"articles": "published_month", "sentences": "published_month",
                    "sentiment": "published_month", "stance_mentions": "published_month",
                    "stance": "published_month", "runs": "run_month", "rejects": "run_month",
                    "input_files": "run_month"}
PRIMARY_KEY = {"articles": ("article_id",), "sentences": ("article_id", "sent_idx"),
               "sentiment": ("article_id", "level", "sent_idx"),
               "stance_mentions": ("article_id", "sent_idx", "target_id"),
               "stance": ("article_id", "target_id"), "runs": ("run_id",)}
# Result tables first and `articles` last, as the old runner wrote a batch.
BATCH_ORDER = ("sentences", "sentiment", "stance_mentions", "stance", "articles")


def _declared(table: str) -> pa.Schema:
    """The table's stored columns: newslens's declaration minus any partition column in it."""
    part = PARTITION_COLUMN[table]
    fields = [f for f in schema.TABLES[table] if f.name != part]
    return pa.schema([f.with_nullable(True) for f in fields])


def _conform(table: str, frame: pd.DataFrame) -> pa.Table:
    """Declared columns in order (missing ones null) plus the partition column."""
    declared = _declared(table)
    arrays = [pa.array(frame[f.name], type=f.type, from_pandas=True) if f.name in frame
              else pa.nulls(len(frame), f.type) for f in declared]
    part = PARTITION_COLUMN[table]
    arrays.append(pa.array(frame[part], pa.string()))
    return pa.Table.from_arrays(arrays, schema=declared.append(pa.field(part, pa.string())))


def _partition_dir(lake: Path, table: str, value: str) -> Path:
    return lake / table / f"{PARTITION_COLUMN[table]}={value}"


def _atomic_write(folder: Path, tbl: pa.Table, run_id: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / f"part-{run_id}-{uuid.uuid4().hex[:8]}.parquet"
    write_atomically(final, lambda tmp: pq.write_table(tbl, tmp, compression="zstd"), fsync=True)


def _stored_keys(folder: Path, table: str) -> set[tuple[Any, ...]]:
    """Every key already in one partition: the read that made appends grow with the lake."""
    files = sorted(folder.glob("[!.]*.parquet")) if folder.is_dir() else []
    if not files:
        return set()
    key = PRIMARY_KEY[table]
    got = ds.dataset([str(f) for f in files], schema=_declared(table), format="parquet").to_table(
        columns=list(key))
    return set(zip(*(got.column(k).to_pylist() for k in key)))


def write_table(lake: Path, table: str, frame: pd.DataFrame, *, run_id: str) -> int:
    """Append the rows whose key is not stored yet; one new file per touched partition."""
    tbl = _conform(table, frame)
    part, key = PARTITION_COLUMN[table], PRIMARY_KEY[table]
    written = 0
    with locked(lake / ".lock"):
        for value in sorted(tbl.column(part).unique().to_pylist()):
            rows = tbl.filter(pc.equal(tbl.column(part), value)).drop_columns([part])
            folder = _partition_dir(lake, table, value)
            seen = _stored_keys(folder, table)
            keep = []
            for k in zip(*(rows.column(c).to_pylist() for c in key)):
                keep.append(k not in seen)
                seen.add(k)
            kept = rows.filter(pa.array(keep, pa.bool_()))
            if kept.num_rows:
                _atomic_write(folder, kept, run_id)
                written += kept.num_rows
    return written


def write_batch(lake: Path, tables: dict[str, pd.DataFrame], *, run_id: str) -> int:
    """One nightly batch as the old runner wrote it: one separate write per table."""
    return sum(write_table(lake, name, tables[name], run_id=run_id)
               for name in BATCH_ORDER if name in tables and len(tables[name]))


def catalog_path(lake: Path) -> Path:
    lake = Path(os.path.abspath(lake))
    return lake.parent / f"{lake.name}.duckdb"


def refresh_catalog(lake: Path) -> Path:
    """A DuckDB file of views, one per table with files, as the old `newslens sql` queried."""
    target = catalog_path(lake)
    target.unlink(missing_ok=True)
    con = duckdb.connect(str(target))
    try:
        for table, part in PARTITION_COLUMN.items():
            root = Path(os.path.abspath(lake)) / table
            if not any(root.glob("*/*.parquet")):
                continue
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{root}/*/*.parquet', "
                        f"hive_partitioning = true, union_by_name = true, "
                        f"hive_types = {{'{part}': 'VARCHAR'}})")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return target


def run_query(lake: Path, sql: str) -> pd.DataFrame:
    """A query on a fresh read-only connection to the catalog, as each `newslens sql` opened it."""
    con = duckdb.connect(str(catalog_path(lake)), read_only=True)
    try:
        con.execute("SET allowed_directories = ?", [[os.path.abspath(lake).rstrip("/") + "/"]])
        con.execute("SET enable_external_access = false")
        return con.execute(sql).df()
    finally:
        con.close()


def data_files(lake: Path) -> int:
    """Parquet files in the lake (temp files excluded)."""
    return sum(1 for _ in Path(lake).glob("*/*/[!.]*.parquet"))
