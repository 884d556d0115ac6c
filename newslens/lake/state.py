"""What produced each article's rows, per stage, and whether they are up to date.

A stage is declared once (`declare_stage`): the tables holding its rows for an article, a
function giving its lineage for an article (model id and revision, and every setting that
changes the output), and the stages whose output it reads. The lineage's fingerprint is
stored per article and stage in `article_stages`; a stage whose stored fingerprint differs
from the one the current configuration gives is stale. A new stage (say, cleaning with a
rules version) needs nothing but a `declare_stage` call.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from newslens.lake.read import select_table

VERDICTS = ("new", "missing", "stale", "reprocessed", "up_to_date")
Lineage = dict[str, Any]


def _no_upstream(_: Any) -> tuple[str, ...]:
    return ()


@dataclass(frozen=True)
class StageSpec:
    """One versioned stage: its tables, its lineage per article language, what it reads."""

    name: str
    tables: tuple[str, ...]
    lineage: Callable[[Any, str | None], Lineage]
    upstream: Callable[[Any], tuple[str, ...]] = _no_upstream


STAGES: dict[str, StageSpec] = {}


def declare_stage(spec: StageSpec) -> StageSpec:
    """Register a stage (in pipeline order); declaring a name again replaces it."""
    STAGES[spec.name] = spec
    return spec


def fingerprint(lineage: Mapping[str, Any]) -> str:
    """A stable hash of a lineage (keys sorted, so dict order never matters)."""
    text = json.dumps(lineage, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Expected:
    """The lineage a stage should have for one article, and its fingerprint."""

    lineage: Lineage
    fingerprint: str


@dataclass
class StagePlan:
    """For one stage: every considered article's verdict and its expected lineage."""

    stage: str
    verdicts: dict[str, str] = field(default_factory=dict)
    expected: dict[str, Expected] = field(default_factory=dict)

    def to_compute(self) -> list[str]:
        return [a for a, v in self.verdicts.items() if v != "up_to_date"]

    def counts(self) -> dict[str, int]:
        return {v: sum(1 for x in self.verdicts.values() if x == v) for v in VERDICTS}


def stored_fingerprints(con: duckdb.DuckDBPyConnection, article_ids: Iterable[str]) -> dict[tuple[str, str], str]:
    """(article_id, stage) -> stored fingerprint, for the given articles."""
    ids = list(article_ids)
    if not ids:
        return {}
    rows = select_table(con, "article_stages", ["article_id", "stage", "fingerprint"], ids)
    return {(a, s): f for a, s, f in zip(*(rows.column(c).to_pylist() for c in rows.column_names))}


def plan_stages(articles: pd.DataFrame, stages: Sequence[str], inputs: Any,
                stored: Mapping[tuple[str, str], str], *, reprocess: Iterable[str] = ()) -> dict[str, StagePlan]:
    """Decide, per requested stage (in declared order) and article, what to do.

    `articles` has `article_id`, `lang` and `is_new` (not in the lake before this run).
    A stage reading another stage's output folds that stage's fingerprint into its own
    lineage: the one it will have after this run, so redoing a translation makes the stages
    reading English stale too.
    """
    forced = set(reprocess)
    wanted = [s for s in STAGES if s in stages]
    unknown = sorted(set(stages) - set(STAGES))
    if unknown:
        raise ValueError(f"no declared stage(s) {unknown}; declared: {list(STAGES)}")
    after: dict[tuple[str, str], str | None] = dict(stored)
    plans: dict[str, StagePlan] = {}
    rows = list(zip(articles["article_id"], articles["lang"], articles["is_new"]))
    for name in wanted:
        spec = STAGES[name]
        plan = StagePlan(name)
        ups = spec.upstream(inputs)
        for aid, lang, is_new in rows:
            lineage = dict(spec.lineage(inputs, None if pd.isna(lang) else lang))
            if ups:
                lineage["upstream"] = {u: after.get((aid, u)) for u in ups}
            exp = Expected(lineage, fingerprint(lineage))
            have = stored.get((aid, name))
            if is_new:
                verdict = "new"
            elif have is None:
                verdict = "missing"
            elif have != exp.fingerprint:
                verdict = "stale"
            elif name in forced:
                verdict = "reprocessed"
            else:
                verdict = "up_to_date"
            plan.verdicts[aid] = verdict
            plan.expected[aid] = exp
            if verdict != "up_to_date":
                after[(aid, name)] = exp.fingerprint
        plans[name] = plan
    return plans


def state_rows(plan: StagePlan, article_ids: Iterable[str], months: Mapping[str, str], *,
               run_id: str, now: dt.datetime) -> pd.DataFrame:
    """`article_stages` rows recording that `plan.stage` was computed for these articles."""
    rows = [{"article_id": a, "stage": plan.stage, "fingerprint": plan.expected[a].fingerprint,
             "lineage": json.dumps(plan.expected[a].lineage, sort_keys=True, default=str),
             "run_id": run_id, "computed_at": now, "published_month": months[a]}
            for a in article_ids]
    cols = ["article_id", "stage", "fingerprint", "lineage", "run_id", "computed_at", "published_month"]
    return pd.DataFrame(rows, columns=cols)
