"""Running one checked query with a time limit, a row cap and a clean Ctrl-C.

The query runs in a worker thread that streams the result chunk by chunk and stops after
`max_rows + 1` rows, so a huge result never lands in memory; the calling thread waits for it
and calls `con.interrupt()` when the time is up or when Ctrl-C (KeyboardInterrupt) arrives.
"""

from __future__ import annotations

import threading
import time
import warnings
from dataclasses import dataclass

import duckdb
import pandas as pd

_VECTORS_PER_CHUNK = 8  # DuckDB vectors of 2,048 rows fetched per step
_POLL_SECONDS = 0.05


class QueryStoppedError(RuntimeError):
    """A query that was stopped before it finished (time limit or interrupt)."""


class QueryTimeoutError(QueryStoppedError):
    """The query ran longer than its time limit and was interrupted."""


class QueryInterruptedError(QueryStoppedError):
    """The user pressed Ctrl-C while the query ran; it was interrupted."""


@dataclass
class QueryResult:
    """The (possibly cut) result frame and whether rows beyond `max_rows` were dropped."""

    frame: pd.DataFrame
    truncated: bool = False
    max_rows: int | None = None


def _fetch_capped(con: duckdb.DuckDBPyConnection, sql: str, max_rows: int | None) -> QueryResult:
    """Execute and fetch at most max_rows + 1 rows, streaming."""
    result = con.execute(sql)
    if result is None or result.description is None:
        return QueryResult(pd.DataFrame())
    chunks: list[pd.DataFrame] = []
    have = 0
    with warnings.catch_warnings():  # duckdb's own pandas calls warn on newer pandas
        warnings.simplefilter("ignore")
        while max_rows is None or have <= max_rows:
            chunk = result.fetch_df_chunk(_VECTORS_PER_CHUNK, date_as_object=True)
            if len(chunk) == 0:
                if not chunks:
                    chunks.append(chunk)
                break
            chunks.append(chunk)
            have += len(chunk)
    frame = pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]
    if max_rows is not None and len(frame) > max_rows:
        return QueryResult(frame.iloc[:max_rows].reset_index(drop=True), True, max_rows)
    return QueryResult(frame, False, max_rows)


def run_bounded(con: duckdb.DuckDBPyConnection, sql: str, *, timeout: float | None,
                max_rows: int | None, cancel: threading.Event | None = None) -> QueryResult:
    """Run `sql` on `con` in a worker thread; interrupt it on timeout, on Ctrl-C, or once
    `cancel` is set (the CLI sets it from its SIGINT handler: a KeyboardInterrupt raised while
    DuckDB itself checks for signals can be swallowed there, a set event cannot).

    DuckDB errors from the query are re-raised unchanged in the calling thread.
    """
    if timeout is not None and timeout <= 0:
        raise ValueError(f"timeout must be > 0 seconds, got {timeout}")
    if max_rows is not None and max_rows < 0:
        raise ValueError(f"max_rows must be >= 0, got {max_rows}")
    box: dict[str, object] = {}

    def work() -> None:
        try:
            box["result"] = _fetch_capped(con, sql, max_rows)
        except BaseException as exc:  # noqa: BLE001 - handed to the calling thread
            box["error"] = exc

    worker = threading.Thread(target=work, name="newslens-sql", daemon=True)
    deadline = None if timeout is None else time.monotonic() + timeout
    if cancel is not None and cancel.is_set():  # Ctrl-C during set-up: do not start
        raise QueryInterruptedError("query interrupted (Ctrl-C); nothing was changed")
    worker.start()
    try:
        while worker.is_alive():
            worker.join(_POLL_SECONDS)
            if cancel is not None and cancel.is_set() and worker.is_alive():
                raise KeyboardInterrupt
            if deadline is not None and time.monotonic() >= deadline and worker.is_alive():
                con.interrupt()
                worker.join()
                raise QueryTimeoutError(f"query stopped after {timeout:g} s (the time limit, "
                                        "--timeout); narrow it or allow more time")
    except KeyboardInterrupt:
        con.interrupt()
        worker.join()
        raise QueryInterruptedError("query interrupted (Ctrl-C); nothing was changed") from None
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["result"]  # type: ignore[return-value]
