"""Shards: batches of articles whose model stages run somewhere else (a Dask or Ray worker).

A shard is exactly a local batch. A worker runs `compute_shard` on it: the same
`compute_isolating_failures` a local run calls, in a fresh context holding only the
settings, the resolved models and the run's identity, and returns the tables with the
bookkeeping the driver needs (which articles failed, how the tallies moved, stage times).
The driver applies the result to its own context and commits the shard in one transaction,
as a local batch commits. A shard that failed for good (every retry) is applied as rejects
of all its articles, so the other shards still land.

Nothing here imports Prefect or a cluster library: the Prefect edge (tasks/shards.py) submits
`compute_shard` through a task runner; `local_shards` is the plain path.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import pandas as pd

from newslens.config import Settings
from newslens.pipeline.batches import Batch, compute_isolating_failures
from newslens.pipeline.context import RunContext
from newslens.pipeline.ingest_step import model_failure_rejects
from newslens.pipeline.model_steps import ModelPlan

Tables = dict[str, pd.DataFrame]
# (run context, batches) -> (batch, its computed tables) in any order, each batch once.
ShardSource = Callable[[RunContext, list[Batch]], Iterable[tuple[Batch, Tables]]]
TALLIES = ("n_new", "n_duplicate", "n_near_duplicate", "n_rejected")


@dataclass
class ShardResult:
    """What a worker sends back for one shard."""

    tables: Tables
    rejects: list[pd.DataFrame]
    failed_ids: set[str]
    tallies: dict[str, int]              # changes to the run's counts (articles that failed)
    seconds: dict[str, float]
    worker: str = ""                     # host:pid of the process that computed it
    threads: int = 0                     # torch threads it used
    loads: dict[str, int] = field(default_factory=dict)  # that process' model loads so far


def compute_shard(batch: Batch, plan: ModelPlan, settings: Settings, *, run_id: str,
                  started: dt.datetime) -> ShardResult:
    """Run the model stages over one shard in this (worker) process."""
    from newslens.models.loads import load_counts
    from newslens.quiet import quiet_model_libraries
    from newslens.scale.worker import prepare_worker

    quiet_model_libraries()  # a worker process loads its own models

    threads = prepare_worker(settings.torch_threads)
    local = settings.model_copy(update={"torch_threads": threads})
    wctx = RunContext(settings=local, stages=list(batch.stages), run_id=run_id, started=started,
                      plan=plan, kind="shard")
    shard = Batch(batch.articles, batch.sentences, batch.stages, batch.is_new,
                  learned=batch.learned)
    tables = compute_isolating_failures(wctx, shard)
    s = wctx.summary
    return ShardResult(tables=tables, rejects=shard.rejects, failed_ids=set(wctx.failed_ids),
                       tallies={k: getattr(s, k) for k in TALLIES}, seconds=dict(s.stage_seconds),
                       worker=f"{socket.gethostname()}:{os.getpid()}", threads=threads,
                       loads=load_counts())


def apply_result(ctx: RunContext, batch: Batch, result: ShardResult) -> Tables:
    """Fold a worker's result into the driver's context; returns the tables to commit."""
    batch.rejects.extend(result.rejects)
    ctx.failed_ids |= result.failed_ids
    for key, delta in result.tallies.items():
        setattr(ctx.summary, key, getattr(ctx.summary, key) + delta)
    for stage, seconds in result.seconds.items():
        ctx.add_time(stage, seconds)
    return result.tables


def apply_failure(ctx: RunContext, batch: Batch, error: BaseException) -> Tables:
    """A shard that failed for good: every article of it becomes a reject, nothing is written."""
    stage = getattr(error, "newslens_stage", "model")
    ctx.log.warning("shard of %d articles failed after its retries (%s: %s); its articles are "
                    "recorded as rejects", len(batch.articles), type(error).__name__, error)
    batch.rejects.append(model_failure_rejects(batch.articles, stage, error, run_id=ctx.run_id,
                                               now=ctx.started))
    for aid, dup in zip(batch.articles["article_id"], batch.articles["duplicate_of"]):
        if aid in ctx.failed_ids:
            continue
        ctx.failed_ids.add(aid)
        if batch.is_new:
            ctx.summary.article_failed(was_near_duplicate=not pd.isna(dup))
    return {}


def local_shards(ctx: RunContext, batches: list[Batch]) -> Iterator[tuple[Batch, Tables]]:
    """The plain path: each batch computed here, in order."""
    for batch in batches:
        yield batch, compute_isolating_failures(ctx, batch)
