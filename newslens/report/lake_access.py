"""The report's one door into the lake: read-only SQL, optionally as of an earlier run.

`query_lake` passes `at` to `newslens.lake.run_query` when the lake's reader takes it (the
DuckLake lake reads a snapshot per run). Where it does not, it reads the lake "as of" a run by
keeping only rows written by that run or by runs that started before it: every table of the
report is shadowed by a CTE filtered on `run_id`. That fallback cannot bring back rows a later
run replaced (`--reprocess`); such articles then show as if the later run's stages had not run.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pandas as pd

from newslens.lake import run_query

# Tables the report reads that carry a `run_id` column.
_RUN_TABLES = ("articles", "sentences", "sentiment", "stance_mentions", "stance", "runs", "rejects")
_RUN_ID = re.compile(r"^[A-Za-z0-9_.:+-]+$")


class UnknownRunError(ValueError):
    """`--at` named a run the lake has no record of."""


def _takes_at() -> bool:
    try:
        return "at" in inspect.signature(run_query).parameters
    except (TypeError, ValueError):
        return False


def _runs_up_to(run_id: str) -> str:
    return ("(SELECT r.run_id FROM main.runs r WHERE r.started_at <= "
            f"(SELECT started_at FROM main.runs WHERE run_id = '{run_id}'))")


def as_of_run(sql: str, run_id: str) -> str:
    """`sql` rewritten to see only rows from `run_id` and the runs started before it."""
    if not _RUN_ID.match(run_id):
        raise UnknownRunError(f"not a run id: {run_id!r}")
    earlier = _runs_up_to(run_id)
    shadows = ",\n".join(f"{t} AS (SELECT * FROM main.{t} WHERE run_id IN {earlier})"
                         for t in _RUN_TABLES)
    body = sql.strip()
    if body[:4].upper() == "WITH" and body[4:5].isspace():
        return f"WITH {shadows},\n{body[5:]}"
    return f"WITH {shadows}\n{body}"


def check_run(lake: Path, run_id: str) -> None:
    """Raise UnknownRunError unless the lake's `runs` table records `run_id`."""
    if not _RUN_ID.match(run_id):
        raise UnknownRunError(f"not a run id: {run_id!r}")
    found = run_query(lake, f"SELECT count(*) AS n FROM runs WHERE run_id = '{run_id}'")
    if int(found["n"].iloc[0]) == 0:
        raise UnknownRunError(f"the lake has no run {run_id!r}; list them with "
                              "`newslens sql \"SELECT run_id, started_at FROM runs\"`")


def query_lake(lake: Path, sql: str, at: str | None = None) -> pd.DataFrame:
    """Run one read-only report query, as of run `at` when given."""
    if at is None:
        return run_query(lake, sql)
    if _takes_at():
        return run_query(lake, sql, at=at)  # type: ignore[call-arg]
    return run_query(lake, as_of_run(sql, at))
