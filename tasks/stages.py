"""Prefect task wrappers around the core stages: retries for I/O, none for model work.

Each task is the core function itself, wrapped; nothing here holds logic. Models never travel
as task arguments (they are looked up in per-process caches), and task inputs are never
hashed for caching (NO_CACHE): inputs are whole tables.
"""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.tasks import exponential_backoff

from newslens.pipeline.batches import commit_batch
from newslens.pipeline.clean_step import reclean_batch
from newslens.pipeline.ingest_step import ingest
from newslens.pipeline.model_steps import plan_models, sentiment_batch, stance_batch, translate_batch

IO_RETRIES = dict(retries=3, retry_delay_seconds=exponential_backoff(backoff_factor=1),
                  retry_jitter_factor=0.5, cache_policy=NO_CACHE)
MODEL_TASK = dict(retries=0, cache_policy=NO_CACHE)
# A commit is one transaction: a failed one left nothing behind, but its duplicate re-check
# already adjusted the run's tallies, so it is not retried blindly.
COMMIT_TASK = dict(retries=0, cache_policy=NO_CACHE)

ingest_task = task(ingest, name="ingest", **IO_RETRIES)
plan_models_task = task(plan_models, name="plan-models", **MODEL_TASK)
clean_task = task(reclean_batch, name="clean", **MODEL_TASK)  # pure: a failure is not transient
translate_task = task(translate_batch, name="translate", **MODEL_TASK)
sentiment_task = task(sentiment_batch, name="sentiment", **MODEL_TASK)
stance_task = task(stance_batch, name="stance", **MODEL_TASK)
commit_batch_task = task(commit_batch, name="write", **COMMIT_TASK)

# Stage names used by newslens.pipeline.runner -> the task that runs them.
TASKS = {
    "ingest": ingest_task,
    "plan-models": plan_models_task,
    "clean": clean_task,
    "translate": translate_task,
    "sentiment": sentiment_task,
    "stance": stance_task,
    "write": commit_batch_task,
}
