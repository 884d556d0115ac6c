"""`newslens sql`: one read-only query over the lake, bounded in time and rows.

Exit codes (documented in README "Guarantees"):
  0  the result was printed (when --max-rows cut it, a note goes to stderr)
  1  the query ran and failed (unknown table, type error, ...)
  2  refused: not exactly one read, outside the lake's files, no lake, catalog held elsewhere
  3  stopped at the time limit (--timeout)
  130  interrupted with Ctrl-C
Only the result is written to stdout; every message goes to stderr as one line.
"""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from typing import Optional

import typer

from newslens.cli_location import bind_lake, catalog_option, data_path_option, lake_option

EXIT_QUERY_FAILED = 1
EXIT_REFUSED = 2
EXIT_TIMEOUT = 3
EXIT_INTERRUPTED = 130
DEFAULT_TIMEOUT_S = 60.0
DEFAULT_MAX_ROWS = 100_000


def _fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def sql_command(
        query: str = typer.Argument(..., help="One read-only SQL statement over the lake's views."),
        lake: Optional[Path] = lake_option("Lake folder, which must exist"),
        catalog: Optional[str] = catalog_option(),
        data_path: Optional[str] = data_path_option(),
        format: str = typer.Option("table", "--format", "-f", help="table | csv | json"),
        timeout: float = typer.Option(DEFAULT_TIMEOUT_S, "--timeout",
                                      help="Stop the query after this many seconds (exit 3)."),
        max_rows: int = typer.Option(DEFAULT_MAX_ROWS, "--max-rows",
                                     help="Print at most this many rows (a note says when cut)."),
        at: Optional[str] = typer.Option(None, "--at", help="Query the lake as it was after this run "
                                                           "id, snapshot id or ISO timestamp."),
) -> None:
    """Query the lake with DuckDB (read-only)."""
    from newslens.lake.sql import (QueryInterruptedError, QueryTimeoutError, ReadOnlyQueryError,
                                   format_result, query_lake)

    if format not in ("table", "csv", "json"):
        raise typer.BadParameter("choose table, csv or json", param_hint="--format")
    if timeout <= 0:
        raise typer.BadParameter("must be more than 0 seconds", param_hint="--timeout")
    if max_rows < 0:
        raise typer.BadParameter("must be 0 or more", param_hint="--max-rows")
    lake = bind_lake(lake, catalog, data_path, exit_code=EXIT_REFUSED)
    if not lake.is_dir():
        raise _fail(f"refused: no lake at {lake} (nothing was created); run `newslens run` "
                    "first or pass --lake", EXIT_REFUSED)
    stop = threading.Event()  # Ctrl-C sets it; the query is interrupted at its next poll
    main = threading.current_thread() is threading.main_thread()  # handlers live only there
    previous = signal.signal(signal.SIGINT, lambda *_: stop.set()) if main else None
    try:
        result = query_lake(lake, query, timeout=timeout, max_rows=max_rows, at=at, cancel=stop)
    except ReadOnlyQueryError as exc:
        raise _fail(str(exc), EXIT_REFUSED) from None
    except QueryTimeoutError as exc:
        raise _fail(str(exc), EXIT_TIMEOUT) from None
    except (QueryInterruptedError, KeyboardInterrupt):
        raise _fail("query interrupted (Ctrl-C); nothing was changed", EXIT_INTERRUPTED) from None
    except ValueError as exc:
        if stop.is_set():  # interrupted inside DuckDB during set-up: it says so its own way
            raise _fail("query interrupted (Ctrl-C); nothing was changed", EXIT_INTERRUPTED) from None
        raise _fail(str(exc), EXIT_QUERY_FAILED) from None
    finally:
        if main:
            signal.signal(signal.SIGINT, previous)
    if stop.is_set():  # Ctrl-C after the rows were in: they are not printed
        raise _fail("query interrupted (Ctrl-C); nothing was changed", EXIT_INTERRUPTED)
    typer.echo(format_result(result.frame, format))
    if result.truncated:
        typer.echo(f"note: result cut at {result.max_rows} rows (--max-rows); more rows matched",
                   err=True)
