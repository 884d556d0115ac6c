"""Read-only SQL over the lake (DuckLake, attached read-only), and text rendering of the results.

Two guards keep `newslens sql` from changing anything: the SQL is parsed first by DuckDB and
only one read may run (a SELECT tree, incl. DESCRIBE/SHOW/SUMMARIZE, or EXPLAIN of one; see
sql_guard); and the catalog is attached read-only with file access confined to the lake folder
(newslens.lake.connection.open_reader, which also creates newslens' views afresh),
so a SELECT cannot read other files (`read_csv('/etc/passwd')`) or load extensions. The query
itself runs bounded in time and rows (sql_run), with DuckDB's progress bar off so stdout only
ever holds the result.
"""

from __future__ import annotations

import datetime
import json
import math
import threading
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from newslens.lake.connection import LakeBusyError, LakeNotFoundError
from newslens.lake.consistency import read_consistently
from newslens.lake.sql_guard import ReadOnlyQueryError, check_read_only
from newslens.lake.sql_run import (QueryInterruptedError, QueryResult, QueryStoppedError,
                                   QueryTimeoutError, run_bounded)

__all__ = ["QueryInterruptedError", "QueryResult", "QueryStoppedError", "QueryTimeoutError",
           "ReadOnlyQueryError", "check_read_only", "format_result", "query_lake", "run_query"]

_MAX_CELL = 60


def query_lake(lake: Path, sql: str, *, timeout: float | None = None,
               max_rows: int | None = None, at: str | int | None = None,
               cancel: threading.Event | None = None) -> QueryResult:
    """Run one read-only statement; stop it after `timeout` s; keep at most `max_rows` rows.

    The lake is attached read-only (as of `at`), views fresh, confined (connection.open_reader),
    and the statement is run again if a compaction committed while it read
    (consistency.read_consistently). Raises ReadOnlyQueryError (a refusal: also a missing lake
    or a catalog held elsewhere), QueryTimeoutError / QueryInterruptedError (stopped) or
    ValueError (the query itself failed).
    """
    statement = check_read_only(sql)[0]
    try:
        return read_consistently(
            lake, lambda con: run_bounded(con, statement, timeout=timeout, max_rows=max_rows,
                                          cancel=cancel), at=at)
    except (LakeNotFoundError, LakeBusyError, ConnectionError) as exc:  # also an unreachable catalog
        raise ReadOnlyQueryError(f"refused: {exc}") from None
    except duckdb.PermissionException as exc:
        raise ReadOnlyQueryError(f"newslens sql can only read the lake's own files: {exc}") from exc
    except duckdb.ParserException as exc:  # e.g. query('DELETE ...') parsed when it runs
        raise ReadOnlyQueryError(f"refused: SQL syntax error inside the query, {exc}") from exc
    except duckdb.Error as exc:
        raise ValueError(f"query failed: {exc}") from exc


def run_query(lake: Path, sql: str, at: str | int | None = None, *, timeout: float | None = None,
              max_rows: int | None = None) -> pd.DataFrame:
    """Run one read-only statement against the lake's views and return its result.

    When `max_rows` cut the result, `frame.attrs["truncated_at"]` holds the cap.
    """
    result = query_lake(lake, sql, timeout=timeout, max_rows=max_rows, at=at)
    if result.truncated:
        result.frame.attrs["truncated_at"] = result.max_rows
    return result.frame


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
