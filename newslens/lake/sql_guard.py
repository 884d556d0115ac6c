"""Deciding whether a piece of SQL is one read, by DuckDB's own parse (never by keywords).

A statement may run only if DuckDB parses it as exactly one statement of type SELECT that
`json_serialize_sql` can serialise (DuckDB serialises SELECT trees only, so PRAGMA, CALL,
PIVOT-as-CREATE and anything with a data-changing part fail there), or an EXPLAIN whose inner
statement passes the same test. Anything DuckDB cannot parse is refused too: what cannot be
parsed cannot be shown to be a read.
"""

from __future__ import annotations

import json
import re

import duckdb


class ReadOnlyQueryError(ValueError):
    """A statement that could change the lake or reach outside it was refused."""


_EXPLAIN = re.compile(r"^\s*explain\s+(analyze\s+)?(\([^)]*\)\s*)?", re.IGNORECASE)


def refusal(kind: str) -> ReadOnlyQueryError:
    """The refusal of a statement of the given kind (its DuckDB statement type)."""
    return ReadOnlyQueryError(f"newslens sql is read-only: {kind} statements are refused; "
                              "the lake is only written by `newslens run`.")


def parse_statements(con: duckdb.DuckDBPyConnection, sql: str) -> list:
    """DuckDB's statements for `sql`; a parse failure is a refusal naming DuckDB's message."""
    try:
        return con.extract_statements(sql)
    except duckdb.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        what = "SQL syntax error" if isinstance(exc, duckdb.ParserException) else "DuckDB could not parse it"
        raise ReadOnlyQueryError(f"refused: {what} ({first}), so it cannot be shown to be a read") from exc


# Functions that run SQL text they are given (so their SQL escapes this check) or that reach
# a PostgreSQL server directly: a remote lake's catalog session would run what they carry,
# even a COMMIT followed by a write (postgres_execute).
_SQL_RUNNING = frozenset({"query", "json_execute_serialized_sql"})
_SQL_RUNNING_PREFIXES = ("postgres_",)  # postgres_execute, postgres_query, postgres_scan, ...
# The S3 secret of a remote lake is redacted by DuckDB, but its key id and endpoint need not show.
_SECRET_LISTING = frozenset({"duckdb_secrets", "which_secret"})


def _select_tree(con: duckdb.DuckDBPyConnection, sql: str) -> dict | None:
    """DuckDB's serialised SELECT tree of `sql`, or None when it is not exactly one SELECT."""
    try:
        raw = con.execute("SELECT json_serialize_sql(?)", [sql]).fetchone()[0]
        tree = json.loads(raw)
    except (duckdb.Error, ValueError, TypeError):
        return None
    ok = not tree.get("error", True) and len(tree.get("statements", [])) == 1
    return tree if ok else None


def called_functions(node: object) -> set[str]:
    """Every function name the serialised tree calls (scalar, aggregate or table function)."""
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            name = item.get("function_name")
            if isinstance(name, str):
                found.add(name.lower())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _check_one(con: duckdb.DuckDBPyConnection, stmt, depth: int = 0) -> None:
    """Raise unless `stmt` (an extracted statement) is a read."""
    if stmt.type == duckdb.StatementType.EXPLAIN and depth == 0:
        inner = parse_statements(con, _EXPLAIN.sub("", stmt.query, count=1))
        if len(inner) != 1:
            raise refusal("EXPLAIN")
        try:
            _check_one(con, inner[0], depth + 1)
        except ReadOnlyQueryError:
            raise refusal(f"EXPLAIN {inner[0].type.name}") from None
        return
    if stmt.type != duckdb.StatementType.SELECT:
        raise refusal(stmt.type.name)
    tree = _select_tree(con, stmt.query)
    if tree is None:
        raise refusal("SELECT-shaped (PRAGMA/CALL-like, not serialisable as a plain query)")
    running = sorted(f for f in called_functions(tree)
                     if f in _SQL_RUNNING or f.startswith(_SQL_RUNNING_PREFIXES))
    if running:
        raise ReadOnlyQueryError(f"refused: {', '.join(running)}() runs SQL this check cannot see "
                                 "(or reaches the catalog server directly); query the lake's tables")
    listing = sorted(called_functions(tree) & _SECRET_LISTING)
    if listing:
        raise ReadOnlyQueryError(f"refused: {', '.join(listing)}() would show the session's credentials")


def check_read_only(sql: str) -> list[str]:
    """Return `[statement]` if `sql` is exactly one read; raise ReadOnlyQueryError otherwise.

    A list is returned for compatibility with callers that loop over statements.
    """
    with duckdb.connect(":memory:") as parser:
        # Parsing alone can touch files (IMPORT DATABASE reads schema.sql while parsed), so
        # the parser is confined too: it may read nothing at all.
        parser.execute("SET enable_progress_bar = false")
        parser.execute("SET enable_external_access = false")
        parser.execute("SET lock_configuration = true")
        statements = parse_statements(parser, sql)
        if not statements:
            raise ReadOnlyQueryError("refused: no SQL statement given")
        for stmt in statements:  # name a write first: it is the more useful message
            _check_one(parser, stmt)
        if len(statements) > 1:
            raise ReadOnlyQueryError(f"refused: one statement at a time, got {len(statements)}; "
                                     "run them one by one")
        return [statements[0].query]
