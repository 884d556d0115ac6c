"""The `evaluate` flow: one evaluation of the configured models on a labelled data file.

Parameters are the only configuration besides `newslens.config`; the models, batching and
precision are those of the nightly run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact
from prefect.task_runners import ThreadPoolTaskRunner

from newslens.config import load_settings
from newslens.evaluate.datasets import DataSpec, parse_columns, parse_pairs
from newslens.evaluate.metrics import DEFAULT_BOOTSTRAP, DEFAULT_SEED
from newslens.evaluate.report import summary_text
from newslens.evaluate.run import EvalRequest, EvalResult, run_evaluation
from newslens.threads import limit_threads
from newslens.tasks.evaluate import EVAL_TASKS


def _call(name: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
    return EVAL_TASKS[name](*args, **kwargs)


@flow(name="evaluate", log_prints=True, task_runner=ThreadPoolTaskRunner(max_workers=1))
def evaluate_models(task: str, data: str, data_ref: str | None = None, lang: str | None = None,
                    limit: int | None = None, name: str | None = None,
                    lake: str | None = None, models_dir: str | None = None,
                    columns: str | None = None, stance_columns: str | None = None,
                    labels: str | None = None, label_map: str | None = None,
                    bootstrap: int = DEFAULT_BOOTSTRAP, seed: int = DEFAULT_SEED,
                    out: str | None = None, comet_model: str | None = None) -> EvalResult:
    """Evaluate the configured `task` model on `data` and append the metrics to the lake."""
    logger = get_run_logger()
    settings = load_settings(lake=lake, models_dir=models_dir)
    limit_threads(settings.torch_threads)
    spec = DataSpec(path=Path(data), ref_path=Path(data_ref) if data_ref else None, lang=lang,
                    limit=limit, columns=parse_columns(columns, task),
                    stance_pairs=parse_pairs(stance_columns), labels=labels, label_map=label_map)
    request = EvalRequest(task=task, data=spec, name=name, n_boot=bootstrap, seed=seed,
                          out=Path(out) if out else None, comet_model=comet_model)
    logger.info("evaluating %s on %s into %s", task, data, settings.lake)
    result = run_evaluation(request, settings, call=_call)
    create_markdown_artifact(key="newslens-evaluation", markdown=f"```\n{summary_text(result)}\n```",
                             description=f"Evaluation {result.run_id}")
    return result
