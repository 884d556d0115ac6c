"""`newslens evaluate`: measure the configured models on labelled data, or show the history."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from newslens.cli_common import EXIT_MODELS_MISSING  # noqa: F401  (tests read it here)
from newslens.cli_location import lake_option

EXIT_BAD_DATA = 1


def evaluate(
        task: Optional[str] = typer.Option(None, "--task", help="translation | sentiment | stance"),
        data: Optional[Path] = typer.Option(None, "--data", help="CSV, TSV or JSONL file; or the "
                                            "source side of a line-aligned plain-text pair."),
        data_ref: Optional[Path] = typer.Option(None, "--data-ref", help="English references, "
                                                "one per line of --data (FLORES-200, WMT)."),
        lang: Optional[str] = typer.Option(None, "--lang", help="Source language of every item "
                                           "(e.g. it, or a FLORES code such as ita_Latn)."),
        limit: Optional[int] = typer.Option(None, "--limit", min=1, help="First N items only."),
        name: Optional[str] = typer.Option(None, "--name", help="Data set name (default: file name)."),
        models: Optional[Path] = typer.Option(None, "--models", help="Folder of models."),
        lake: Optional[Path] = lake_option(),
        columns: Optional[str] = typer.Option(None, "--columns", help="ROLE=COLUMN,... when the "
                                              "column names differ (roles: source, reference, "
                                              "text, label, target, lang)."),
        stance_columns: Optional[str] = typer.Option(
            None, "--stance-columns", help="Wide stance files: TARGET_COLUMN:LABEL_COLUMN,... "
                                           "(a TARGET may also be a target id or name)."),
        labels: Optional[str] = typer.Option(None, "--labels", help="Label of 0,1,2,... for numeric "
                                             "labels, e.g. negative,neutral,positive."),
        label_map: Optional[str] = typer.Option(None, "--label-map", help="RAW=LABEL,... e.g. "
                                                "FAVOR=favor,AGAINST=against,NONE=none."),
        bootstrap: int = typer.Option(1000, "--bootstrap", min=0, help="Bootstrap resamples (0: none)."),
        seed: int = typer.Option(12345, "--seed", help="Bootstrap seed."),
        out: Optional[Path] = typer.Option(None, "--out", help="Per-item outputs file (JSONL); "
                                           "default <lake parent>/evaluations/."),
        comet_model: Optional[str] = typer.Option(None, "--comet-model", help="COMET checkpoint "
                                                  "(needs the unbabel-comet package)."),
        history: bool = typer.Option(False, "--history", help="Print how each metric moved "
                                     "across models and settings, then exit."),
        subsets: bool = typer.Option(False, "--subsets", help="With --history: per language and "
                                     "per target too."),
) -> None:
    """Evaluate the configured models on labelled data; the numbers go to the `evaluations` table."""
    if history:
        from newslens.config import load_settings
        from newslens.evaluate.report import history_text
        from newslens.evaluate.store import read_evaluations

        lake = load_settings(lake=lake).lake
        typer.echo(history_text(read_evaluations(lake, task), include_subsets=subsets))
        return
    from newslens.evaluate.run import TASKS

    if task not in TASKS:
        raise typer.BadParameter(f"choose one of {', '.join(TASKS)}", param_hint="--task")
    if data is None:
        raise typer.BadParameter("a data file is needed", param_hint="--data")
    from newslens.flows.evaluate import evaluate_models
    from newslens.evaluate.report import summary_text
    from newslens.pipeline.model_steps import ModelsMissingError

    try:
        result = evaluate_models(
            task=task, data=str(data), data_ref=str(data_ref) if data_ref else None, lang=lang,
            limit=limit, name=name, lake=str(lake) if lake else None,
            models_dir=str(models) if models else None,
            columns=columns, stance_columns=stance_columns, labels=labels, label_map=label_map,
            bootstrap=bootstrap, seed=seed, out=str(out) if out else None, comet_model=comet_model)
    except ModelsMissingError as exc:
        typer.echo(f"error: cannot evaluate, {len(exc.errors)} model(s) missing; nothing was "
                   "written.", err=True)
        typer.echo(str(exc), err=True)
        raise typer.Exit(EXIT_MODELS_MISSING)
    except (ValueError, FileNotFoundError) as exc:  # DataFormatError names file and line
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_BAD_DATA)
    typer.echo(summary_text(result))
