"""Prefect task wrappers around the core stages: retries for I/O, none for model work.

Each task is the core function itself, wrapped; nothing here holds logic. Models never travel
as task arguments (they are looked up in per-process caches), and task inputs are never
hashed for caching (NO_CACHE): inputs are whole tables.
"""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.tasks import exponential_backoff

from newslens.lake.catalog import refresh_catalog
from newslens.lake.writer import write_table
from newslens.pipeline.ingest_step import ingest
from newslens.pipeline.model_steps import plan_models, sentiment_batch, stance_batch, translate_batch
from newslens.pipeline.runner import write_batch

IO_RETRIES = dict(retries=3, retry_delay_seconds=exponential_backoff(backoff_factor=1),
                  retry_jitter_factor=0.5, cache_policy=NO_CACHE)
MODEL_TASK = dict(retries=0, cache_policy=NO_CACHE)

ingest_task = task(ingest, name="ingest", **IO_RETRIES)
plan_models_task = task(plan_models, name="plan-models", **MODEL_TASK)
translate_task = task(translate_batch, name="translate", **MODEL_TASK)
sentiment_task = task(sentiment_batch, name="sentiment", **MODEL_TASK)
stance_task = task(stance_batch, name="stance", **MODEL_TASK)
write_batch_task = task(write_batch, name="write", **IO_RETRIES)
write_table_task = task(write_table, name="write-table", **IO_RETRIES)
refresh_catalog_task = task(refresh_catalog, name="refresh-catalog", **IO_RETRIES)

# Stage names used by newslens.pipeline.runner -> the task that runs them.
TASKS = {
    "ingest": ingest_task,
    "plan-models": plan_models_task,
    "translate": translate_task,
    "sentiment": sentiment_task,
    "stance": stance_task,
    "write": write_batch_task,
    "write-rejects": write_table_task,
    "write-boilerplate": write_table_task,  # issue 10: learned boilerplate lines
    "record-run": write_table_task,
    "record-files": write_table_task,
    "refresh-catalog": refresh_catalog_task,
}
