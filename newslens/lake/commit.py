"""Writing the lake: one DuckLake transaction per batch, across every table it touches.

`transaction(lake)` opens a writer session, takes the lake's commit lock (one commit at a time,
so "is this key stored?" is answered against every earlier commit, including other runs'),
and yields a `Transaction` whose appends are idempotent on the primary keys (insert where
absent, in SQL) and whose replaces delete and insert in the same transaction. Nothing is
visible to readers until the transaction commits; a kill before that leaves the lake as it was.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from newslens import schema
from newslens.lake.connection import catalog_identity, current_snapshot, open_writer
from newslens.lake.lock import commit_lock
from newslens.lake.tables import conform, ensure_tables, qualified, quote_ident, schema_signature

REPLACEABLE = (*schema.ARTICLE_TABLES, "article_stages")


@dataclass
class WriteResult:
    """What one write did to one table."""

    table: str
    rows_written: int
    rows_skipped: int
    rows_removed: int = 0


def _key_match(key: tuple[str, ...], left: str, right: str) -> str:
    return " AND ".join(f"{left}.{quote_ident(k)} IS NOT DISTINCT FROM {right}.{quote_ident(k)}"
                        for k in key)


class Transaction:
    """An open DuckLake transaction on one lake; use through `transaction()`."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.results: dict[str, WriteResult] = {}
        self.snapshot_id: int | None = None

    def _register(self, table: str, data: pd.DataFrame | pa.Table) -> str:
        """Register conformed rows, first row of each key kept, as a temporary relation."""
        name = f"incoming_{uuid.uuid4().hex[:12]}"
        self.con.register(f"{name}_raw", conform(table, data))
        keys = ", ".join(quote_ident(k) for k in schema.PRIMARY_KEY[table])
        self.con.execute(
            f"CREATE TEMP TABLE {name} AS SELECT * EXCLUDE (__row) FROM "
            f"(SELECT *, row_number() OVER () AS __row FROM {name}_raw) "
            f"QUALIFY row_number() OVER (PARTITION BY {keys} ORDER BY __row) = 1")
        self.con.unregister(f"{name}_raw")
        return name

    def _partitions(self, table: str, name: str) -> str:
        part = quote_ident(schema.PARTITION_COLUMN[table])
        values = [r[0] for r in self.con.execute(f"SELECT DISTINCT {part} FROM {name}").fetchall()]
        return ", ".join("'" + v.replace("'", "''") + "'" for v in values) or "NULL"

    def _count(self, name: str) -> int:
        return int(self.con.execute(f"SELECT count(*) FROM {name}").fetchone()[0])

    def _note(self, table: str, written: int, skipped: int, removed: int = 0) -> WriteResult:
        prev = self.results.get(table, WriteResult(table, 0, 0, 0))
        self.results[table] = WriteResult(table, prev.rows_written + written,
                                          prev.rows_skipped + skipped, prev.rows_removed + removed)
        return WriteResult(table, written, skipped, removed)

    def append(self, table: str, data: pd.DataFrame | pa.Table) -> WriteResult:
        """Insert the rows whose primary key is not stored yet (nor repeated in `data`)."""
        name = self._register(table, data)
        try:
            given = len(data) if isinstance(data, pd.DataFrame) else data.num_rows
            part = quote_ident(schema.PARTITION_COLUMN[table])
            written = self.con.execute(
                f"INSERT INTO {qualified(table)} BY NAME SELECT * FROM {name} AS src WHERE NOT EXISTS "
                f"(SELECT 1 FROM {qualified(table)} AS dst WHERE dst.{part} IN ({self._partitions(table, name)}) "
                f"AND {_key_match(schema.PRIMARY_KEY[table], 'dst', 'src')})").fetchone()[0]
            return self._note(table, int(written), given - int(written))
        finally:
            self.con.execute(f"DROP TABLE {name}")

    def upsert(self, table: str, data: pd.DataFrame | pa.Table) -> WriteResult:
        """Store `data`'s rows, replacing any stored row with the same primary key."""
        name = self._register(table, data)
        try:
            removed = self.con.execute(
                f"DELETE FROM {qualified(table)} AS dst WHERE EXISTS (SELECT 1 FROM {name} AS src "
                f"WHERE {_key_match(schema.PRIMARY_KEY[table], 'dst', 'src')})").fetchone()[0]
            written = self.con.execute(f"INSERT INTO {qualified(table)} BY NAME SELECT * FROM {name}").fetchone()[0]
            return self._note(table, int(written), 0, int(removed))
        finally:
            self.con.execute(f"DROP TABLE {name}")

    def replace(self, table: str, data: pd.DataFrame | pa.Table, articles: Collection[str]) -> WriteResult:
        """Leave exactly `data`'s rows for the listed articles (delete, then insert)."""
        if table not in REPLACEABLE:
            raise ValueError(f"replace_articles only applies to article tables, not {table!r}")
        if isinstance(articles, str):
            raise TypeError("replace_articles must be a collection of article ids, not one string")
        wanted = {str(a) for a in articles}
        name = self._register(table, data)
        try:
            strays = [r[0] for r in self.con.execute(
                f"SELECT DISTINCT article_id FROM {name} WHERE NOT list_contains(?, article_id) "
                "ORDER BY 1 LIMIT 5", [sorted(wanted)]).fetchall()]
            if strays:
                raise ValueError(f"{table}: rows for article(s) not listed in replace_articles: {strays}")
            removed = self.con.execute(f"DELETE FROM {qualified(table)} WHERE list_contains(?, article_id)",
                                       [sorted(wanted)]).fetchone()[0]
            given = len(data) if isinstance(data, pd.DataFrame) else data.num_rows
            written = self.con.execute(f"INSERT INTO {qualified(table)} BY NAME SELECT * FROM {name}").fetchone()[0]
            return self._note(table, int(written), given - int(written), int(removed))
        finally:
            self.con.execute(f"DROP TABLE {name}")

    def delete_rows(self, table: str, articles: Collection[str], *, column: str | None = None,
                    values: Collection[str] = ()) -> int:
        """Delete the listed articles' rows (only those whose `column` is one of `values`, when
        given); returns how many."""
        if table not in REPLACEABLE:
            raise ValueError(f"delete_rows only applies to article tables, not {table!r}")
        sql = f"DELETE FROM {qualified(table)} WHERE list_contains(?, article_id)"
        params: list[Any] = [sorted({str(a) for a in articles})]
        if column is not None:
            if column not in schema.TABLES[table].names:
                raise ValueError(f"table {table!r} has no column {column!r}")
            sql += f" AND list_contains(?, {quote_ident(column)})"
            params.append(sorted({str(v) for v in values}))
        removed = int(self.con.execute(sql, params).fetchone()[0])
        self._note(table, 0, 0, removed)
        return removed

    def query(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        """A read inside the transaction (sees its own writes and every earlier commit)."""
        return self.con.execute(sql, params or []).df()


_ENSURED: set[tuple[str, str]] = set()  # catalogs whose tables this process checked


@contextmanager
def transaction(lake: Path, *, message: str | None = None,
                con: duckdb.DuckDBPyConnection | None = None) -> Iterator[Transaction]:
    """One atomic commit: everything written through the yielded object lands, or nothing.

    `con` reuses an open writer session (`open_writer`) instead of opening one for this commit.
    """
    lake = Path(os.path.abspath(lake))
    own = con is None
    con = open_writer(lake) if con is None else con
    try:
        with commit_lock(lake):
            marker = (catalog_identity(lake), schema_signature())
            if marker not in _ENSURED:
                ensure_tables(con)
                _ENSURED.add(marker)
            tx = Transaction(con)
            con.execute("BEGIN")
            try:
                yield tx
                if message:
                    con.execute("CALL lake.set_commit_message('newslens', ?)", [message])
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
            tx.snapshot_id = current_snapshot(con)
    finally:
        if own:
            con.close()


def write_table(lake: Path, table: str, data: pd.DataFrame | pa.Table, *, run_id: str,
                replace_articles: Collection[str] | None = None) -> WriteResult:
    """Write one table in one transaction: append new keys only, or replace some articles' rows."""
    if not run_id:
        raise ValueError("write_table needs a run_id")
    conform(table, data)  # validate before opening (and maybe creating) the lake
    with transaction(lake) as tx:
        if replace_articles is None:
            return tx.append(table, data)
        return tx.replace(table, data, replace_articles)
