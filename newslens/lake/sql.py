"""Read-only SQL over the lake through the DuckDB catalog, and text rendering of the results.

Two guards keep `newslens sql` from changing anything: statements are parsed first and only
SELECT-like ones (SELECT, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN of a SELECT) may run; and the
catalog is opened read-only with file access confined to the lake folder, so a SELECT cannot
read other files (`read_csv('/etc/passwd')`) or load extensions.
"""

from __future__ import annotations

import datetime
import json
import math
import os
import re
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from newslens.lake.catalog import catalog_is_current, refresh_catalog
from newslens.lake.paths import catalog_path

_ALLOWED = {duckdb.StatementType.SELECT}
_EXPLAIN = re.compile(r"^\s*explain\s+(analyze\s+)?(\([^)]*\)\s*)?", re.IGNORECASE)
_MAX_CELL = 60


class ReadOnlyQueryError(ValueError):
    """A statement that could change the lake or reach outside it was refused."""


def _refuse(kind: str) -> ReadOnlyQueryError:
    return ReadOnlyQueryError(f"newslens sql is read-only: {kind} statements are refused; "
                              "the lake is only written by `newslens run`.")


def _parse(con: duckdb.DuckDBPyConnection, sql: str) -> list[Any]:
    """Split SQL into statements; a syntax error becomes a ValueError with DuckDB's message."""
    try:
        return con.extract_statements(sql)
    except duckdb.Error as exc:
        raise ValueError(f"SQL syntax error: {exc}") from exc


def check_read_only(sql: str) -> list[str]:
    """Return the statements of `sql` if every one is a read; raise ReadOnlyQueryError otherwise."""
    with duckdb.connect(":memory:") as parser:
        statements = _parse(parser, sql)
        if not statements:
            raise ValueError("no SQL statement given")
        for stmt in statements:
            if stmt.type == duckdb.StatementType.EXPLAIN:
                inner = _parse(parser, _EXPLAIN.sub("", stmt.query, count=1))
                if len(inner) != 1 or inner[0].type not in _ALLOWED:
                    kind = inner[0].type.name if len(inner) == 1 else "EXPLAIN"
                    raise _refuse(f"EXPLAIN {kind}")
            elif stmt.type not in _ALLOWED:
                raise _refuse(stmt.type.name)
        return [s.query for s in statements]


def _open_locked(lake: Path) -> duckdb.DuckDBPyConnection:
    """Open the catalog read-only (rebuilding it first when missing or stale), then confine it."""
    path = catalog_path(lake)
    con = duckdb.connect(str(path), read_only=True) if path.exists() else None
    if con is None or not catalog_is_current(con, lake):
        if con is not None:
            con.close()
        refresh_catalog(lake)
        con = duckdb.connect(str(path), read_only=True)
    lake_dir = os.path.abspath(lake).rstrip("/") + "/"
    con.execute("SET allowed_directories = ?", [[lake_dir]])
    con.execute("SET enable_external_access = false")
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET autoload_known_extensions = false")
    con.execute("SET lock_configuration = true")
    return con


def run_query(lake: Path, sql: str) -> pd.DataFrame:
    """Run read-only SQL against the lake's views and return the last statement's result."""
    statements = check_read_only(sql)
    con = _open_locked(lake)
    try:
        result = None
        for stmt in statements:
            result = con.execute(stmt)
        return result.df(date_as_object=True) if result is not None else pd.DataFrame()
    except duckdb.PermissionException as exc:
        raise ReadOnlyQueryError(f"newslens sql can only read the lake's own files: {exc}") from exc
    except duckdb.ParserException as exc:
        raise ValueError(f"SQL syntax error: {exc}") from exc
    except duckdb.Error as exc:
        raise ValueError(f"query failed: {exc}") from exc
    finally:
        con.close()


def _plain(value: Any) -> Any:
    """A JSON-ready Python value: ISO strings for dates and times, None for missing values."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_plain(v) for v in value]
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        single = np.float32(value)
        if math.isfinite(value) and float(single) == value:
            return float(str(single))  # a FLOAT column: show 0.7, not 0.699999988079071
    if isinstance(value, bytes):
        return value.hex()
    return value


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    cols = [str(c) for c in df.columns]
    return [dict(zip(cols, (_plain(v) for v in row))) for row in df.itertuples(index=False, name=None)]


def _cell(value: Any) -> str:
    """Text for one cell: nested values as JSON, missing as empty, long text shortened."""
    value = _plain(value)
    if value is None:
        return ""
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else str(value)
    text = text.replace("\n", " ")
    return text if len(text) <= _MAX_CELL else text[: _MAX_CELL - 1] + "…"


def _table(df: pd.DataFrame) -> str:
    """Aligned plain-text table; numbers right-aligned, a row count underneath."""
    heads = [str(c) for c in df.columns]
    rows = [[_cell(v) for v in row] for row in df.itertuples(index=False, name=None)]
    numeric = [pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c]) for c in df.columns]
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(heads)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.rjust(w) if num else c.ljust(w) for c, w, num in zip(cells, widths, numeric)).rstrip()

    out = [line(heads), "  ".join("-" * w for w in widths)] + [line(r) for r in rows]
    out.append(f"({len(df)} row{'s' if len(df) != 1 else ''})")
    return "\n".join(out)


def format_result(df: pd.DataFrame, fmt: str = "table") -> str:
    """Render a query result as "table" (aligned text), "csv" or "json" (a list of records)."""
    if fmt == "table":
        return _table(df)
    if fmt == "csv":
        flat = pd.DataFrame({str(c): [_cell_csv(v) for v in df[c]] for c in df.columns}, columns=[str(c) for c in df.columns])
        return flat.to_csv(index=False)
    if fmt == "json":
        return json.dumps(_records(df), ensure_ascii=False, indent=2)
    raise ValueError(f"unknown output format {fmt!r}; use table, csv or json")


def _cell_csv(value: Any) -> Any:
    """CSV cell: like JSON values, with nested values encoded as JSON text."""
    value = _plain(value)
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else value
