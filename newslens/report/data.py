"""What the report shows: every query's rows, the headline numbers, and what is missing.

`collect` runs the queries of `newslens.report.queries` (and nothing else) against the lake;
the rest of this module is pure: it turns result frames into JSON-ready rows and decides, from
the rows alone, which parts of the page have nothing to draw and why.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from newslens.report.lake_access import check_run, query_lake
from newslens.report.queries import QUERIES, Scope, render


@dataclass
class ReportData:
    """Rows of every report query (JSON-ready), plus what the page needs to explain them."""

    rows: dict[str, list[dict[str, Any]]]
    scope: Scope = field(default_factory=Scope)
    at: str | None = None
    target_names: dict[str, str] = field(default_factory=dict)  # every target to show, id -> name
    sql: dict[str, str] = field(default_factory=dict)

    @property
    def headline(self) -> dict[str, Any]:
        return self.rows["headline"][0] if self.rows.get("headline") else {}


def plain(value: Any) -> Any:
    """A JSON-ready value: ISO text for dates and times, None for missing numbers."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return [plain(v) for v in value]
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, (pd.Timestamp, dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """A result frame as a list of JSON-ready dicts."""
    cols = [str(c) for c in df.columns]
    return [dict(zip(cols, (plain(v) for v in row))) for row in df.itertuples(index=False, name=None)]


def collect(lake: Path, scope: Scope = Scope(), at: str | None = None,
            known_targets: dict[str, str] | None = None) -> ReportData:
    """Run every report query on the lake (as of run `at` when given)."""
    if at is not None:
        check_run(lake, at)
    sql = {q.name: render(q, scope) for q in QUERIES}
    rows = {name: records(query_lake(lake, text, at=at)) for name, text in sql.items()}
    return ReportData(rows=rows, scope=scope, at=at, sql=sql,
                      target_names=target_names(rows["stance_by_month"], scope, known_targets or {}))


def target_names(stance_rows: list[dict[str, Any]], scope: Scope,
                 known: dict[str, str]) -> dict[str, str]:
    """The targets the page has a place for: those with stance rows, plus those asked for.

    With `--targets`, exactly those (so one never mentioned still gets its "not mentioned" note);
    otherwise every target seen in the lake and every configured one.
    """
    seen = {r["target_id"]: r.get("target_name") or r["target_id"] for r in stance_rows}
    wanted = list(scope.targets) if scope.targets else sorted({*seen, *known})
    return {t: seen.get(t) or known.get(t) or t for t in wanted}


def _window_text(scope: Scope) -> str:
    if scope.since and scope.until:
        return f" published from {scope.since} to {scope.until}"
    if scope.since:
        return f" published in or after {scope.since}"
    if scope.until:
        return f" published in or before {scope.until}"
    return ""


def missing_notes(data: ReportData) -> list[str]:
    """Plain sentences naming each thing the page cannot show, and why."""
    head, rows, scope = data.headline, data.rows, data.scope
    notes: list[str] = []
    n_articles = int(head.get("articles") or 0)
    if not rows["runs"]:
        notes.append("No run is recorded in the lake: fill it with `newslens run INPUT` first.")
    if n_articles == 0:
        notes.append(f"The lake holds no articles{_window_text(scope)}, so there is nothing to "
                     "chart by month, language or source.")
        return notes
    undated = int(head.get("undated") or 0)
    if undated == n_articles:
        notes.append("No article has a publication date, so the charts by month have no time "
                     "axis; totals still count every article.")
    elif undated:
        notes.append(f"{undated} of {n_articles} articles have no publication date: they count "
                     "in totals and tables but are left off the time axes.")
    if not rows["sentiment_by_month"]:
        notes.append("No article sentiment: the sentiment stage has not run on these articles.")
    if not rows["stance_by_month"]:
        notes.append("No stance rows: the stance stage has not run, or no article mentions a target.")
    mentioned = {r["target_id"] for r in rows["stance_by_month"]}
    never = [name for tid, name in data.target_names.items() if tid not in mentioned]
    if never and rows["stance_by_month"]:
        notes.append(f"Never mentioned{_window_text(scope)}: {', '.join(never)}.")
    elif never and scope.targets:
        notes.append(f"No article mentions {', '.join(never)}.")
    if not rows["translation_coverage"]:
        notes.append("No non-English sentences, so there is no translation coverage to show.")
    if not rows["lineage"]:
        notes.append("No model-derived rows yet, so no model lineage to name.")
    return notes


def headline_numbers(data: ReportData) -> dict[str, Any]:
    """The few numbers the flow's artifact and the page's header lead with."""
    head, rows = data.headline, data.rows
    runs = rows["runs"]
    last = runs[-1] if runs else {}
    return {
        "articles": int(head.get("articles") or 0),
        "near_duplicates": int(head.get("near_duplicates") or 0),
        "languages": int(head.get("languages") or 0),
        "sources": int(head.get("sources") or 0),
        "undated": int(head.get("undated") or 0),
        "first_published": head.get("first_published"),
        "last_published": head.get("last_published"),
        "targets_mentioned": len({r["target_id"] for r in rows["stance_by_month"]}),
        "runs": len(runs),
        "last_run": last.get("run_id"),
        "last_run_status": last.get("status"),
        "rejects": sum(int(r["rejects"]) for r in rows["rejects_by_reason"]),
    }


def payload_json(data: ReportData, extra: dict[str, Any]) -> str:
    """The page's data island: JSON that is safe inside a <script> element."""
    body = {**data.rows, "targets": [{"id": k, "name": v} for k, v in data.target_names.items()],
            **extra}
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
