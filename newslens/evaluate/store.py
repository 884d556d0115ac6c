"""The one module of the evaluation harness that touches the lake.

Only the lake's public entry points are used (`write_table`, `read_table`), so this keeps
working when the lake's storage changes underneath.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from newslens.lake import read_table, write_table

TABLE = "evaluations"
PARTITION = "run_month"


def write_evaluations(lake: Path, rows: pd.DataFrame, *, run_id: str) -> int:
    """Append one evaluation's metric rows; returns rows written.

    The partition column (`run_month`, YYYY-MM of `evaluated_at` in UTC) is added here, the
    one place that knows how the lake partitions this table.
    """
    frame = rows.copy()
    stamps = pd.to_datetime(frame["evaluated_at"], utc=True)
    frame[PARTITION] = stamps.dt.strftime("%Y-%m")
    result = write_table(Path(lake), TABLE, frame, run_id=run_id)
    return int(getattr(result, "rows_written", len(frame)))


def read_evaluations(lake: Path, task: str | None = None) -> pd.DataFrame:
    """Every stored evaluation row (of one task, when given), oldest first."""
    frame = read_table(Path(lake), TABLE)
    if task:
        frame = frame[frame["task"] == task]
    return frame.sort_values(["evaluated_at", "run_id"], kind="stable").reset_index(drop=True)
