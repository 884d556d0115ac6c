"""One run of newslens, start to finish, with no orchestration framework in sight.

A run brings every article it reads up to date: new articles get every requested stage,
stored ones the stages they lack or whose lineage (model, settings) changed, and nothing else.
`update_lake` does the same for articles already in the lake, without input files.

Every stage goes through the context's `call` hook: called plainly it is the direct path
(benchmarks, tests), and the Prefect flows pass a hook that runs each stage as a task. Either
way the same code decides what happens, so the two paths cannot drift apart.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from newslens.config import CLEAN_STAGE, MODEL_STAGES, REDO_STAGES, Settings
from newslens.lake.connection import current_snapshot, lake_exists
from newslens.lake.read import select_table, to_pandas
from newslens.lake.state import StagePlan, plan_stages, stored_fingerprints
from newslens.pipeline import lineage  # noqa: F401  (declares the model stages)
from newslens.pipeline.batches import Batch, commit_batch
from newslens.pipeline.clean_step import learned_for_articles
from newslens.pipeline.context import (STAGE_COUNT_KEYS, Progress, RunContext, RunSummary, StageCall,
                                       direct_call, new_run_id)
from newslens.pipeline.ingest_step import IngestOutcome, ingest
from newslens.pipeline.ledger import finish_run, start_run
from newslens.pipeline.lineage import LineageInputs
from newslens.pipeline.model_steps import plan_models
from newslens.pipeline.shards import ShardSource, local_shards
from newslens.quiet import quiet_model_libraries

__all__ = ["RunSummary", "direct_call", "new_run_id", "run_pipeline", "update_lake"]


def _considered(new: pd.DataFrame, stored: pd.DataFrame) -> pd.DataFrame:
    frames = [new[["article_id", "lang"]].assign(is_new=True),
              stored[["article_id", "lang"]].assign(is_new=False)]
    return pd.concat([f for f in frames if len(f)], ignore_index=True) if any(len(f) for f in frames) \
        else pd.DataFrame({"article_id": [], "lang": [], "is_new": []})


def _plan(ctx: RunContext, considered: pd.DataFrame) -> dict[str, StagePlan]:
    """Resolve the models (before anything is written) and decide each stage per article."""
    asked = set(ctx.stages) | set(ctx.reprocess)
    models = [s for s in MODEL_STAGES if s in asked]
    # Every run ingests, so it also brings the cleaning of the stored articles it touches up to
    # date; an update cleans when asked to (its default stages include it).
    clean = [CLEAN_STAGE] if ctx.kind == "run" or CLEAN_STAGE in asked else []
    if not (models or clean) or not len(considered):
        return {}
    if models:
        quiet_model_libraries()
        langs = set(considered["lang"].dropna())
        ctx.plan = ctx.stage("plan-models", plan_models, models, langs, ctx.settings)
        ctx.summary.models = ctx.plan.lineage()
    wanted = clean + models
    # Re-cleaning clears an article's translations and renumbers its sentences: whatever the
    # fingerprints say, the model stages run again for the articles it redoes.
    forced = set(ctx.reprocess) | (set(models) if CLEAN_STAGE in ctx.reprocess else set())
    stored_ids = considered.loc[~considered["is_new"].astype(bool), "article_id"]
    stored = stored_fingerprints(ctx.writer(), stored_ids) if len(stored_ids) else {}
    return plan_stages(considered, wanted, LineageInputs(ctx.settings, ctx.plan), stored,
                       reprocess=forced)


def _stored_batches(ctx: RunContext, plans: dict[str, StagePlan], new_ids: set[str]) -> list[Batch]:
    """Stored articles grouped by the stages they need, with their rows read from the lake."""
    need: dict[str, list[str]] = {}
    for name, plan in plans.items():
        for aid in plan.to_compute():
            if aid not in new_ids:
                need.setdefault(aid, []).append(name)
    groups: dict[tuple[str, ...], list[str]] = {}
    for aid, stages in need.items():
        groups.setdefault(tuple(stages), []).append(aid)
    size = max(1, ctx.settings.batch_articles)
    batches = []
    for stages, ids in groups.items():
        for start in range(0, len(ids), size):
            chunk = ids[start:start + size]
            arts = to_pandas(select_table(ctx.writer(), "articles", article_ids=chunk))
            sents = to_pandas(select_table(ctx.writer(), "sentences", article_ids=chunk))
            sents = sents.sort_values(["article_id", "sent_idx"], ignore_index=True)
            learned = learned_for_articles(ctx.lake, arts) if CLEAN_STAGE in stages else {}
            batches.append(Batch(arts, sents, stages, is_new=False, learned=learned))
    return batches


def _new_batches(ctx: RunContext, outcome: IngestOutcome, plans: dict[str, StagePlan]) -> list[Batch]:
    stages = tuple(plans)
    ids = outcome.articles["article_id"].tolist()
    size = max(1, ctx.settings.batch_articles)
    out = []
    for start in range(0, len(ids), size):
        chunk = set(ids[start:start + size])
        out.append(Batch(outcome.articles[outcome.articles["article_id"].isin(chunk)],
                         outcome.sentences[outcome.sentences["article_id"].isin(chunk)], stages, is_new=True))
    return out


def _process(ctx: RunContext, batches: list[Batch], plans: dict[str, StagePlan], since: int,
             shards: ShardSource) -> list[pd.DataFrame]:
    """Compute every batch (here, or as shards on workers) and commit each in one transaction."""
    total = sum(len(b.articles) for b in batches)
    _announce(ctx, batches)
    done = 0
    rejects: list[pd.DataFrame] = []
    for batch, tables in shards(ctx, batches):
        ctx.call("write", commit_batch, ctx, batch, tables, plans, since=since)
        rejects += batch.rejects
        done += len(batch.articles)
        _report_batch(ctx, batch)
        if ctx.progress and total:
            ctx.progress(done, total)
    ctx.summary.counts_by_lang = dict(sorted(ctx.summary.counts_by_lang.items()))
    return rejects


def _announce(ctx: RunContext, batches: list[Batch]) -> None:
    """Tell the observer how many articles (and sentences) each stage has to do."""
    totals: dict[str, list[int]] = {}
    for batch in batches:
        for stage in batch.stages:
            t = totals.setdefault(stage, [0, 0])
            t[0] += len(batch.articles)
            t[1] += len(batch.sentences)
    for stage, (articles, sentences) in totals.items():
        ctx.observer.stage_started(stage, articles, sentences)


def _report_batch(ctx: RunContext, batch: Batch) -> None:
    """A committed batch: its articles are done with each of its stages, or failed them."""
    ok = ~batch.articles["article_id"].isin(ctx.failed_ids)
    articles = int(ok.sum())
    sentences = int(batch.sentences["article_id"].isin(set(batch.articles.loc[ok, "article_id"])).sum())
    for stage in batch.stages:
        ctx.observer.stage_advanced(stage, articles, sentences, failed=len(ok) - articles)


def _count_stages(ctx: RunContext, plans: dict[str, StagePlan]) -> None:
    for name, plan in plans.items():
        counts = dict.fromkeys(STAGE_COUNT_KEYS, 0)
        for aid, verdict in plan.verdicts.items():
            if verdict != "up_to_date" and aid in ctx.failed_ids:
                counts["failed"] += 1
            else:
                counts[verdict] += 1
        counts["computed"] = counts["new"] + counts["missing"] + counts["stale"] + counts["reprocessed"]
        ctx.summary.stage_counts[name] = counts
    ctx.summary.n_reprocessed = len({a for p in plans.values() for a, v in p.verdicts.items()
                                     if v in ("stale", "reprocessed") and a not in ctx.failed_ids})


def _lake_snapshot(ctx: RunContext) -> int:
    """The snapshot this run starts from (0 for a lake not created yet; nothing is created)."""
    return current_snapshot(ctx.writer()) if lake_exists(ctx.lake) else 0


def _files_done(files: pd.DataFrame | None, model_rejects: list[pd.DataFrame]) -> pd.DataFrame:
    if files is None:
        return pd.DataFrame()
    failed = set().union(*(set(r["source_uri"]) for r in model_rejects)) if model_rejects else set()
    return files[~files["source_uri"].isin(failed)]


def _finish(ctx: RunContext, rejects: list[pd.DataFrame], files: pd.DataFrame | None) -> None:
    """Record rejects and (only for a run that got this far) the files it has fully read."""
    frames = [r for r in rejects if len(r)]
    done = _files_done(files, [r for r in rejects if "article_id" in r and r["article_id"].notna().any()])
    if not frames and not len(done):
        return
    with ctx.commit("rejects and input files") as tx:
        if frames:
            tx.append("rejects", pd.concat(frames, ignore_index=True))
        if len(done):
            tx.append("input_files", done)


def _run(ctx: RunContext, body) -> RunSummary:
    """Record the run as running, run `body`, record how it ended (failed runs too), re-raise."""
    try:
        start_run(ctx)
        body(ctx)
        finish_run(ctx, "completed")
    except Exception as exc:
        ctx.summary.error = f"{type(exc).__name__}: {exc}"
        if ctx.summary.status == "running":
            finish_run(ctx, "failed")
        raise
    finally:
        ctx.close()
        ctx.observer.run_finished()
    return ctx.summary


def run_pipeline(input_path: Path, settings: Settings, *, stages: Sequence[str],
                 limit: int | None = None, reprocess: Sequence[str] = (),
                 incremental: bool = False,
                 call: StageCall = direct_call, log: logging.Logger | None = None,
                 progress: Progress | None = None, flow_run_id: str | None = None,
                 shards: ShardSource = local_shards) -> RunSummary:
    """Ingest `input_path`, bring every article it holds up to date, record the run.

    `shards` computes the batches: here, one after the other (the default), or on the
    workers of a cluster (tasks/shards.py); either way each batch commits here."""
    ctx = RunContext(settings=settings, stages=list(stages), reprocess=list(reprocess), kind="run",
                     input=str(input_path), call=call, log=log or logging.getLogger("newslens"),
                     progress=progress, flow_run_id=flow_run_id)

    def body(ctx: RunContext) -> None:
        since = _lake_snapshot(ctx)
        ctx.observer.stage_started("ingest", None, None)
        outcome: IngestOutcome = ctx.stage("ingest", ingest, Path(input_path), settings,
                                           run_id=ctx.run_id, now=ctx.started, limit=limit,
                                           incremental=incremental)
        ctx.observer.stage_advanced("ingest", len(outcome.articles), len(outcome.sentences),
                                    failed=outcome.n_rejected)
        s = ctx.summary
        s.n_inputs, s.n_new, s.n_rejected = outcome.n_inputs, outcome.n_new, outcome.n_rejected
        s.n_duplicate, s.n_near_duplicate = outcome.n_duplicate, outcome.n_near_duplicate
        s.und_reasons = dict(outcome.und_reasons)
        ctx.learned_lines = outcome.boilerplate
        ctx.log.info("ingest: %d inputs, %d new, %d duplicate (%d near), %d rejected", outcome.n_inputs,
                     outcome.n_new, outcome.n_duplicate, outcome.n_near_duplicate, outcome.n_rejected)
        stored = to_pandas(select_table(ctx.writer(), "articles", ["article_id", "lang"],
                                        article_ids=outcome.duplicate_ids)) \
            if outcome.duplicate_ids else pd.DataFrame({"article_id": [], "lang": []})
        plans = _plan(ctx, _considered(outcome.articles, stored))
        new_ids = set(outcome.articles["article_id"])
        batches = _new_batches(ctx, outcome, plans) + _stored_batches(ctx, plans, new_ids)
        rejects = _process(ctx, batches, plans, since, shards)
        _count_stages(ctx, plans)
        _finish(ctx, [outcome.rejects, *rejects], outcome.files)

    return _run(ctx, body)


def update_lake(settings: Settings, *, stages: Sequence[str] = REDO_STAGES, since: str | None = None,
                limit: int | None = None, reprocess: Sequence[str] = (), call: StageCall = direct_call,
                log: logging.Logger | None = None, progress: Progress | None = None,
                flow_run_id: str | None = None, shards: ShardSource = local_shards) -> RunSummary:
    """Bring stored articles (all, those published since a month, or the first `limit`) up to date."""
    ctx = RunContext(settings=settings, stages=list(stages), reprocess=list(reprocess), kind="update",
                     input=None, call=call, log=log or logging.getLogger("newslens"),
                     progress=progress, flow_run_id=flow_run_id)

    def body(ctx: RunContext) -> None:
        snap = _lake_snapshot(ctx)
        where = "published_month >= ? AND published_month <> 'unknown'" if since else None
        sql_where = where.replace("?", "'" + since.replace("'", "''") + "'") if where and since else None
        stored = to_pandas(select_table(ctx.writer(), "articles", ["article_id", "lang", "published_month"],
                                        where=sql_where))
        stored = stored.sort_values(["published_month", "article_id"], ignore_index=True)
        if limit is not None:
            stored = stored.head(limit)
        ctx.summary.n_inputs = 0
        plans = _plan(ctx, _considered(stored.iloc[0:0], stored))
        rejects = _process(ctx, _stored_batches(ctx, plans, set()), plans, snap, shards)
        _count_stages(ctx, plans)
        _finish(ctx, rejects, None)

    return _run(ctx, body)
