"""Shards of a run on a Prefect task runner (Dask or Ray): submit, retry, collect.

`compute-shard` is `newslens.pipeline.shards.compute_shard` as a task with retries: a shard
that raises is run again (on any worker); a worker that dies mid-shard is the cluster's to
reschedule. `TaskRunnerShards` keeps a bounded number of shards in flight and hands each
result back to the runner as it completes; one that failed for good comes back as rejects.
"""

from __future__ import annotations

import queue
from collections.abc import Iterator
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE

from newslens.pipeline.batches import Batch
from newslens.pipeline.context import RunContext
from newslens.pipeline.shards import Tables, apply_failure, apply_result, compute_shard, local_shards

SHARD_RETRIES = 2
compute_shard_task = task(compute_shard, name="compute-shard", retries=SHARD_RETRIES,
                          retry_delay_seconds=1, cache_policy=NO_CACHE)


def _release(future: Any) -> None:
    """Let the cluster forget a consumed result (a lost worker must not recompute it)."""
    wrapped = getattr(future, "wrapped_future", None)
    release = getattr(wrapped, "release", None)
    if callable(release):
        release()


class TaskRunnerShards:
    """A `ShardSource` that computes shards on a started Prefect task runner."""

    def __init__(self, task_runner: Any, in_flight: int, shard_task: Any = compute_shard_task) -> None:
        self.task_runner = task_runner
        self.in_flight = max(1, in_flight)
        self.shard_task = shard_task
        # Where each shard ran, with what threads and that process' model loads (no tables).
        self.reports: list[dict[str, Any]] = []

    def _submit(self, ctx: RunContext, batch: Batch, done: queue.Queue) -> None:
        future = self.task_runner.submit(self.shard_task, parameters={
            # Workers never open the lake: its catalog URL (maybe with a password) stays here.
            "batch": batch, "plan": ctx.plan, "run_id": ctx.run_id,
            "settings": ctx.settings.model_copy(update={"lake_catalog": None, "lake_data": None}),
            "started": ctx.started})
        future.add_done_callback(lambda f, b=batch: done.put((f, b)))

    def __call__(self, ctx: RunContext, batches: list[Batch]) -> Iterator[tuple[Batch, Tables]]:
        # Batches with no model stage (an ingest-only run) have nothing to ship to a worker.
        yield from local_shards(ctx, [b for b in batches if not b.to_compute])
        batches = [b for b in batches if b.to_compute]
        done: queue.Queue = queue.Queue()
        todo = iter(batches)
        pending = 0
        for batch in todo:
            self._submit(ctx, batch, done)
            pending += 1
            if pending >= self.in_flight:
                break
        failures = 0
        while pending:
            future, batch = done.get()
            pending -= 1
            try:
                result = future.result()
            except Exception as exc:  # retries spent, or the cluster gave up on the shard
                failures += 1
                if failures == len(batches) and len(batches) > 1:
                    raise  # every shard failed: a broken model or cluster, not bad input
                tables = apply_failure(ctx, batch, exc)
            else:
                self.reports.append({"worker": result.worker, "threads": result.threads,
                                     "loads": result.loads, "articles": len(batch.articles)})
                tables = apply_result(ctx, batch, result)
            finally:
                _release(future)
            nxt = next(todo, None)
            if nxt is not None:
                self._submit(ctx, nxt, done)
                pending += 1
            yield batch, tables
