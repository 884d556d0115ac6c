"""One run of newslens, start to finish, with no orchestration framework in sight.

`run_pipeline` takes a `call` hook through which every stage is invoked; called plainly it is
the direct path (benchmarks, tests), and the Prefect flow passes a hook that runs each stage as
a task. Either way the same code decides what happens, so the two paths cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from newslens.config import MODEL_STAGES, Settings
from newslens.lake.catalog import refresh_catalog
from newslens.lake.reader import read_table
from newslens.lake.writer import write_table
from newslens.pipeline.frames import columns_of
from newslens.pipeline.guard_steps import count_flagged
from newslens.pipeline.ingest_step import IngestOutcome, ingest, model_failure_rejects
from newslens.pipeline.model_steps import (ModelPlan, plan_models, sentiment_batch, stance_batch,
                                           translate_batch)
from newslens.schema import SCHEMA_VERSION

StageCall = Callable[..., Any]
Progress = Callable[[int, int], None]


def direct_call(name: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return fn(*args, **kwargs)


def new_run_id(now: dt.datetime) -> str:
    """Sortable and unique: UTC time plus a random suffix."""
    return f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


@dataclass
class RunSummary:
    run_id: str
    status: str
    n_inputs: int = 0
    n_new: int = 0
    n_duplicate: int = 0
    n_near_duplicate: int = 0
    n_rejected: int = 0
    n_sentences: int = 0
    n_reprocessed: int = 0
    n_mt_flagged: int = 0  # sentences whose translation the guard still flagged after a retry
    counts_by_lang: dict[str, int] = field(default_factory=dict)
    und_reasons: dict[str, int] = field(default_factory=dict)  # why new articles are 'und'
    stage_seconds: dict[str, float] = field(default_factory=dict)
    models: dict[str, list[str]] = field(default_factory=dict)
    rows_written: dict[str, int] = field(default_factory=dict)
    error: str | None = None

    def reconciles(self) -> bool:
        return self.n_inputs == self.n_new + self.n_duplicate + self.n_rejected


@dataclass
class BatchResult:
    tables: dict[str, pd.DataFrame]
    rejects: pd.DataFrame | None = None
    n_failed_new: int = 0
    n_failed_near: int = 0


def _staged(stage: str, fn: Callable[..., Any], call: StageCall, timer, *args: Any, **kw: Any) -> Any:
    """Run one stage through the hook, timing it and tagging any failure with the stage name."""
    t0 = time.perf_counter()
    try:
        return call(stage, fn, *args, **kw)
    except Exception as exc:
        if not hasattr(exc, "newslens_stage"):
            exc.newslens_stage = stage  # type: ignore[attr-defined]
        raise
    finally:
        timer(stage, time.perf_counter() - t0)


def process_batch(articles: pd.DataFrame, sentences: pd.DataFrame, stages: Sequence[str],
                  plan: ModelPlan, settings: Settings, *, run_id: str, call: StageCall,
                  timer: Callable[[str, float], None]) -> dict[str, pd.DataFrame]:
    """Run the requested model stages over one batch; returns the tables to write."""
    out: dict[str, pd.DataFrame] = {"articles": articles, "sentences": sentences}
    if "translate" in stages:
        out["articles"], out["sentences"] = _staged("translate", translate_batch, call, timer,
                                                    articles, sentences, plan, settings)
    if "sentiment" in stages:
        out["sentiment"] = _staged("sentiment", sentiment_batch, call, timer, out["sentences"],
                                   plan, settings, run_id=run_id)
    if "stance" in stages:
        out["stance_mentions"], out["stance"] = _staged("stance", stance_batch, call, timer,
                                                        out["sentences"], plan, settings,
                                                        run_id=run_id)
    return out


def write_batch(lake: Path, tables: dict[str, pd.DataFrame], *, run_id: str,
                replace: Sequence[str] | None = None) -> dict[str, int]:
    """Write result tables first and `articles` last: an article row means its results are in."""
    written: dict[str, int] = {}
    order = [t for t in ("sentences", "sentiment", "stance_mentions", "stance", "articles") if t in tables]
    for table in order:
        frame = tables[table]
        replace_ids = sorted(set(replace)) if replace is not None else None
        if not len(frame) and replace_ids is None:
            continue
        result = write_table(lake, table, frame, run_id=run_id, replace_articles=replace_ids)
        written[table] = result.rows_written
    return written


def _isolate_failures(articles, sentences, stages, plan, settings, *, run_id, call, timer, now):
    """After a batch failed, run each article alone so one bad article cannot sink the rest."""
    good: list[dict[str, pd.DataFrame]] = []
    rejects: list[pd.DataFrame] = []
    failed_new = failed_near = 0
    for aid in articles["article_id"]:
        art = articles[articles["article_id"] == aid]
        sent = sentences[sentences["article_id"] == aid]
        try:
            good.append(process_batch(art, sent, stages, plan, settings, run_id=run_id, call=call,
                                      timer=timer))
        except Exception as exc:  # recorded as a reject with its stage; the run goes on
            if len(articles) > 1 and len(rejects) == len(articles) - 1 and not good:
                # Every article failed: a broken model or setting, not bad input. Fail the
                # run so nothing is marked as read and the next run retries the files.
                raise
            stage = getattr(exc, "newslens_stage", "model")
            rejects.append(model_failure_rejects(art, stage, exc, run_id=run_id, now=now))
            if art["duplicate_of"].isna().all():
                failed_new += 1
            else:
                failed_near += 1
    tables = {name: pd.concat([g[name] for g in good], ignore_index=True)
              for name in (good[0] if good else {})}
    return BatchResult(tables=tables, rejects=pd.concat(rejects, ignore_index=True) if rejects else None,
                       n_failed_new=failed_new, n_failed_near=failed_near)


def run_pipeline(input_path: Path, settings: Settings, *, stages: Sequence[str],
                 limit: int | None = None, reprocess: Sequence[str] = (),
                 incremental: bool = False,
                 call: StageCall = direct_call, log: logging.Logger | None = None,
                 progress: Progress | None = None, flow_run_id: str | None = None) -> RunSummary:
    """Ingest `input_path`, run the model stages, write the lake, record the run."""
    log = log or logging.getLogger("newslens")
    lake = Path(settings.lake)
    started = dt.datetime.now(dt.timezone.utc)
    run_id = new_run_id(started)
    summary = RunSummary(run_id=run_id, status="running")
    timings = summary.stage_seconds

    def timer(stage: str, seconds: float) -> None:
        timings[stage] = round(timings.get(stage, 0.0) + seconds, 3)

    model_stages = [s for s in MODEL_STAGES if s in stages]
    t0 = time.perf_counter()
    outcome: IngestOutcome = call("ingest", ingest, Path(input_path), lake, settings,
                                  run_id=run_id, now=started, limit=limit,
                                  incremental=incremental)
    timer("ingest", time.perf_counter() - t0)
    summary.und_reasons = dict(outcome.und_reasons)
    log.info("ingest: %d inputs, %d new, %d duplicate (%d near), %d rejected", outcome.n_inputs,
             outcome.n_new, outcome.n_duplicate, outcome.n_near_duplicate, outcome.n_rejected)
    redo = [s for s in MODEL_STAGES if s in reprocess]
    old_articles = old_sentences = None
    if redo and outcome.duplicate_ids:
        old_articles = read_table(lake, "articles", article_ids=outcome.duplicate_ids)
        old_sentences = read_table(lake, "sentences", article_ids=outcome.duplicate_ids)
    langs = set(outcome.articles["lang"])
    if old_articles is not None:
        langs |= set(old_articles["lang"])
    plan = ModelPlan(translation={}, sentiment=None, stance=None)
    wanted = sorted(set(model_stages) | set(redo))
    if wanted and (len(outcome.articles) or old_articles is not None):
        plan = call("plan-models", plan_models, wanted, langs, settings)  # raises before any write
    summary.models = plan.lineage()
    failed = (0, 0)
    try:
        extra_rejects, failed = _process_all(outcome, model_stages, plan, settings, lake, summary,
                                             run_id=run_id, call=call, timer=timer, now=started,
                                             log=log, progress=progress)
        if old_articles is not None:
            _reprocess(old_articles, old_sentences, redo, plan, settings, lake, summary,
                       run_id=run_id, call=call, timer=timer, log=log)
        rejects = pd.concat([outcome.rejects, *extra_rejects], ignore_index=True)
        if len(rejects):
            call("write-rejects", write_table, lake, "rejects", rejects, run_id=run_id)
        if outcome.boilerplate is not None and len(outcome.boilerplate):  # issue 10: learned lines
            call("write-boilerplate", write_table, lake, "boilerplate_lines", outcome.boilerplate,
                 run_id=run_id)
        files = _files_done(outcome.files, extra_rejects)
        if len(files):
            # Only a run that got this far marks its files as read, and only files none of
            # whose articles failed a model stage: the rest are picked up again next time.
            call("record-files", write_table, lake, "input_files", files, run_id=run_id)
        summary.status = "completed"
    except Exception as exc:
        summary.status = "failed"
        summary.error = f"{type(exc).__name__}: {exc}"
        raise
    finally:
        # Articles a model stage could not process were counted new (or near-duplicate) by
        # ingest; they end as rejected instead, so the tallies still add up.
        failed_new, failed_near = failed
        summary.n_inputs = outcome.n_inputs
        summary.n_new = outcome.n_new - failed_new
        summary.n_duplicate = outcome.n_duplicate - failed_near
        summary.n_near_duplicate = outcome.n_near_duplicate - failed_near
        summary.n_rejected = outcome.n_rejected + failed_new + failed_near
        _record_run(lake, summary, settings, started, input_path, stages, flow_run_id, call)
    return summary


def _files_done(files: pd.DataFrame | None, model_rejects: list[pd.DataFrame]) -> pd.DataFrame:
    if files is None:
        return pd.DataFrame()
    failed = set().union(*(set(r["source_uri"]) for r in model_rejects)) if model_rejects else set()
    return files[~files["source_uri"].isin(failed)]


def _process_all(outcome, stages, plan, settings, lake, summary, *, run_id, call, timer, now,
                 log, progress) -> tuple[list[pd.DataFrame], tuple[int, int]]:
    articles, sentences = outcome.articles, outcome.sentences
    ids = articles["article_id"].tolist()
    size = max(1, settings.batch_articles)
    extra: list[pd.DataFrame] = []
    failed_new = failed_near = 0
    for start in range(0, len(ids), size):
        chunk = set(ids[start:start + size])
        art = articles[articles["article_id"].isin(chunk)]
        sent = sentences[sentences["article_id"].isin(chunk)]
        try:
            tables = process_batch(art, sent, stages, plan, settings, run_id=run_id, call=call,
                                   timer=timer)
        except Exception as exc:
            log.warning("batch of %d articles failed (%s); retrying one by one", len(art), exc)
            result = _isolate_failures(art, sent, stages, plan, settings, run_id=run_id,
                                       call=call, timer=timer, now=now)
            tables = result.tables
            if result.rejects is not None:
                extra.append(result.rejects)
            failed_new += result.n_failed_new
            failed_near += result.n_failed_near
        t0 = time.perf_counter()
        if tables:
            for table, n in call("write", write_batch, lake, tables, run_id=run_id).items():
                summary.rows_written[table] = summary.rows_written.get(table, 0) + n
            summary.n_sentences += len(tables.get("sentences", []))
            summary.n_mt_flagged += count_flagged(tables.get("sentences"))
            new = tables["articles"]
            for lang, n in new[new["duplicate_of"].isna()]["lang"].value_counts().items():
                summary.counts_by_lang[lang] = summary.counts_by_lang.get(lang, 0) + int(n)
        timer("write", time.perf_counter() - t0)
        if progress:
            progress(min(start + size, len(ids)), len(ids))
    summary.counts_by_lang = dict(sorted(summary.counts_by_lang.items()))
    return extra, (failed_new, failed_near)


def _reprocess(articles, sentences, stages, plan, settings, lake, summary, *, run_id, call,
               timer, log) -> None:
    """Recompute `stages` for articles already in the lake, replacing their old rows."""
    log.info("reprocessing %s for %d articles", ",".join(stages), len(articles))
    tables = process_batch(articles, sentences, stages, plan, settings, run_id=run_id, call=call,
                           timer=timer)
    if "translate" not in stages:
        tables = {k: v for k, v in tables.items() if k not in ("articles", "sentences")}
    written = call("write", write_batch, lake, tables, run_id=run_id,
                   replace=articles["article_id"].tolist())
    for table, n in written.items():
        summary.rows_written[table] = summary.rows_written.get(table, 0) + n
    summary.n_reprocessed = len(articles)


def _record_run(lake, summary, settings, started, input_path, stages, flow_run_id, call) -> None:
    finished = dt.datetime.now(dt.timezone.utc)
    row = {
        "run_id": summary.run_id, "flow_run_id": flow_run_id, "started_at": started,
        "finished_at": finished, "status": summary.status, "input": str(input_path),
        "stages": list(stages), "n_inputs": summary.n_inputs, "n_new": summary.n_new,
        "n_duplicate": summary.n_duplicate, "n_rejected": summary.n_rejected,
        "n_sentences": summary.n_sentences, "counts_by_lang": json.dumps(summary.counts_by_lang),
        "stage_seconds": json.dumps(summary.stage_seconds), "models": json.dumps(summary.models),
        "config": settings.model_dump_json(), "error": summary.error,
        "schema_version": SCHEMA_VERSION, "run_month": started.strftime("%Y-%m"),
    }
    call("record-run", write_table, lake, "runs", pd.DataFrame([row], columns=columns_of("runs")),
         run_id=summary.run_id)
    call("refresh-catalog", refresh_catalog, lake)
