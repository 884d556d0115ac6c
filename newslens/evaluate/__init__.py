"""Evaluation harness: how good the configured models are on labelled data, kept in the lake.

`run.run_evaluation` reads a data file (`datasets`), runs the nightly stage code on it
(`predict`), scores it (`metrics`, `mt_metrics`, `score`), writes per-item outputs (`items`)
and appends the numbers to the `evaluations` table (`store`, the only lake access).
"""

from newslens.evaluate.datasets import DataSpec
from newslens.evaluate.records import DataFormatError
from newslens.evaluate.run import TASKS, EvalRequest, EvalResult, run_evaluation

__all__ = ["TASKS", "DataFormatError", "DataSpec", "EvalRequest", "EvalResult", "run_evaluation"]
