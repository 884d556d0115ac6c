"""What the lake robustness tests compare: table snapshots, duplicate keys, stray files.

A snapshot is every table read through `newslens.lake.read_table`, sorted by primary key,
without the columns that differ from run to run by design (run ids, timestamps). Two lakes
built from the same input must give equal snapshots however their runs were interrupted.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd

from newslens import schema
from newslens.lake import read_table

# Tables whose rows are the same whichever runs produced them (`runs` records the runs).
CONTENT_TABLES = tuple(t for t in schema.TABLES if t != "runs")
FLOAT_ATOL = 1e-5


def volatile(column: str) -> bool:
    """Columns that name a run or a moment, not content."""
    return (column in ("run_id", "flow_run_id", "first_seen", "last_seen")
            or column.endswith("_at") or column.endswith("_run_id"))


def snapshot(lake: Path, tables: tuple[str, ...] = CONTENT_TABLES,
             keep_volatile: bool = False) -> dict[str, pd.DataFrame]:
    """Each table's rows sorted by key (run ids and timestamps dropped unless asked for)."""
    out: dict[str, pd.DataFrame] = {}
    for table in tables:
        frame = read_table(lake, table)
        if not keep_volatile:
            frame = frame[[c for c in frame.columns if not volatile(c)]]
        key = [k for k in schema.PRIMARY_KEY[table] if k in frame.columns]
        out[table] = frame.sort_values(key, na_position="first", kind="stable").reset_index(drop=True)
    return out


def duplicate_keys(snap: dict[str, pd.DataFrame]) -> dict[str, int]:
    """Tables holding a primary key more than once, with the number of extra rows."""
    found = {}
    for table, frame in snap.items():
        key = [k for k in schema.PRIMARY_KEY[table] if k in frame.columns]
        extra = int(frame.duplicated(key).sum()) if len(frame) else 0
        if extra:
            found[table] = extra
    return found


def _keys(frame: pd.DataFrame, table: str) -> set[tuple]:
    key = [k for k in schema.PRIMARY_KEY[table] if k in frame.columns]
    return {tuple(None if pd.isna(v) else v for v in row)
            for row in frame[key].astype(object).itertuples(index=False)}


def _cell(v: object) -> object:
    if isinstance(v, (list, tuple, np.ndarray)):
        return tuple(_cell(x) for x in v)
    if v is None or (not isinstance(v, (str, bytes)) and pd.isna(v)):
        return None
    return v


def _column_differs(a: pd.Series, b: pd.Series) -> int:
    """How many rows differ (floats within FLOAT_ATOL count as equal)."""
    if pd.api.types.is_float_dtype(a) and pd.api.types.is_float_dtype(b):
        x, y = a.to_numpy(float), b.to_numpy(float)
        same = np.isclose(x, y, atol=FLOAT_ATOL, rtol=0) | (np.isnan(x) & np.isnan(y))
        return int((~same).sum())
    return sum(_cell(x) != _cell(y) for x, y in zip(a.astype(object), b.astype(object)))


def differences(got: dict[str, pd.DataFrame], want: dict[str, pd.DataFrame],
                ignore: tuple[str, ...] = ()) -> list[str]:
    """Human-readable differences between two snapshots; empty when they agree."""
    problems = []
    for table in want:
        g, w = got.get(table), want[table]
        if g is None:
            problems.append(f"{table}: table missing")
            continue
        dups = duplicate_keys({table: g})
        if dups:
            problems.append(f"{table}: {dups[table]} duplicate key row(s)")
        gk, wk = _keys(g, table), _keys(w, table)
        if gk != wk:
            problems.append(f"{table}: {len(wk - gk)} key(s) missing, {len(gk - wk)} extra; "
                            f"e.g. missing {sorted(wk - gk, key=str)[:2]}, extra {sorted(gk - wk, key=str)[:2]}")
            continue
        if dups:
            continue
        for col in w.columns:
            if col in ignore:
                continue
            if col not in g.columns:
                problems.append(f"{table}.{col}: column missing")
                continue
            n = _column_differs(g[col], w[col])
            if n:
                problems.append(f"{table}.{col}: {n} of {len(w)} row(s) differ")
    return problems


def row_counts(snap: dict[str, pd.DataFrame]) -> dict[str, int]:
    return {t: len(f) for t, f in snap.items()}


# --- files --------------------------------------------------------------------------------

def _sqlite_files(lake: Path) -> list[Path]:
    found = []
    for path in Path(lake).rglob("*"):
        if path.is_file() and path.stat().st_size >= 16:
            with open(path, "rb") as fh:
                if fh.read(16) == b"SQLite format 3\x00":
                    found.append(path)
    return found


def _catalog_rows(catalog: Path, sql: str) -> list[tuple]:
    con = sqlite3.connect(f"file:{catalog}?mode=ro", uri=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def catalog_files(catalog: Path) -> tuple[Path, set[Path]]:
    """The data path of a DuckLake SQLite catalog and every file it references (any snapshot,
    including deletion files and files scheduled for deletion)."""
    (data_path,), = _catalog_rows(catalog, "SELECT value FROM ducklake_metadata WHERE key = 'data_path'")
    root = Path(data_path) if Path(data_path).is_absolute() else catalog.parent / data_path
    schemas = dict(_catalog_rows(catalog, "SELECT schema_id, path FROM ducklake_schema"))
    tables = {tid: (sid, p) for tid, sid, p in
              _catalog_rows(catalog, "SELECT table_id, schema_id, path FROM ducklake_table")}

    def resolve(table_id: int, path: str, relative: int | bool) -> Path:
        if not relative:
            return Path(path)
        sid, tpath = tables[table_id]
        return root / (schemas.get(sid) or "") / (tpath or "") / path

    refs = set()
    for kind in ("ducklake_data_file", "ducklake_delete_file"):
        for tid, path, rel in _catalog_rows(catalog, f"SELECT table_id, path, path_is_relative FROM {kind}"):
            refs.add(resolve(tid, path, rel).resolve())
    for path, rel in _catalog_rows(catalog, "SELECT path, path_is_relative FROM "
                                            "ducklake_files_scheduled_for_deletion"):
        refs.add((root / path if rel else Path(path)).resolve())
    return root.resolve(), refs


# Files a lake may hold besides the Parquet files its catalog references.
LAKE_FILES = ("catalog.sqlite", "catalog.sqlite-wal", "catalog.sqlite-shm", ".commit.lock")


def stray_files(lake: Path) -> list[str]:
    """Everything in the lake folder that is neither the catalog, the commit lock, nor a file
    the catalog references: orphaned Parquet, temp and spill files, journals."""
    lake = Path(lake)
    catalogs = _sqlite_files(lake)
    known: set[Path] = {p.resolve() for p in catalogs} | {(lake / n).resolve() for n in LAKE_FILES}
    roots = []
    for catalog in catalogs:
        try:
            root, refs = catalog_files(catalog)
        except sqlite3.Error:
            continue  # a SQLite file that is not a DuckLake catalog
        roots.append(root)
        known |= refs
    problems = [] if roots else [f"no DuckLake catalog found under {lake}"]
    for root in [lake.resolve(), *(r for r in roots if not r.is_relative_to(lake.resolve()))]:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            if path.resolve() not in known:
                kind = "Parquet file the catalog does not reference" if path.suffix == ".parquet" else "stray file"
                problems.append(f"{kind}: {path}")
    return problems


def referenced_files_missing(lake: Path) -> list[str]:
    """Files the catalog's live snapshot needs that are not on disk."""
    missing = []
    for catalog in _sqlite_files(lake):
        try:
            root, _ = catalog_files(catalog)
            rows = _catalog_rows(catalog, "SELECT table_id, path, path_is_relative FROM "
                                          "ducklake_data_file WHERE end_snapshot IS NULL")
        except sqlite3.Error:
            continue
        schemas = dict(_catalog_rows(catalog, "SELECT schema_id, path FROM ducklake_schema"))
        tables = {tid: (sid, p) for tid, sid, p in
                  _catalog_rows(catalog, "SELECT table_id, schema_id, path FROM ducklake_table")}
        for tid, path, rel in rows:
            sid, tpath = tables[tid]
            full = root / (schemas.get(sid) or "") / (tpath or "") / path if rel else Path(path)
            if not full.exists():
                missing.append(str(full))
    return missing
