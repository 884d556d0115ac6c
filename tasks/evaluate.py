"""Prefect task wrappers around the evaluation steps; no logic here.

Reading and writing retry (I/O); model work does not. Inputs are whole tables, never hashed.
"""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from newslens.evaluate.items import write_items
from newslens.evaluate.predict import plan_for, predict
from newslens.evaluate.run import load_items
from newslens.evaluate.score import score
from newslens.evaluate.store import write_evaluations
from newslens.tasks.stages import IO_RETRIES, MODEL_TASK

# Step names used by newslens.evaluate.run -> the task that runs them.
EVAL_TASKS = {
    "eval-read": task(load_items, name="eval-read", retries=0, cache_policy=NO_CACHE),
    "plan-models": task(plan_for, name="plan-models", **MODEL_TASK),
    "eval-predict": task(predict, name="eval-predict", **MODEL_TASK),
    "eval-score": task(score, name="eval-score", **MODEL_TASK),
    "eval-write-items": task(write_items, name="eval-write-items", **IO_RETRIES),
    "eval-record": task(write_evaluations, name="eval-record", **IO_RETRIES),
}
