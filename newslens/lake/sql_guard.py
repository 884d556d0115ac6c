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


def _serialises_as_select(con: duckdb.DuckDBPyConnection, sql: str) -> bool:
    """True when DuckDB's parser serialises `sql` as a SELECT tree without error."""
    try:
        raw = con.execute("SELECT json_serialize_sql(?)", [sql]).fetchone()[0]
        tree = json.loads(raw)
    except (duckdb.Error, ValueError, TypeError):
        return False
    return not tree.get("error", True) and len(tree.get("statements", [])) == 1


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
    if not _serialises_as_select(con, stmt.query):
        raise refusal("SELECT-shaped (PRAGMA/CALL-like, not serialisable as a plain query)")


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
