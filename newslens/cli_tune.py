"""`newslens tune`: measure which classifier precision `auto` should mean on this machine."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from newslens.cli_common import EXIT_MODELS_MISSING

ROLES = ("sentiment", "stance")


def _candidates(value: str | None) -> tuple[str, ...]:
    from newslens.models.calibration import DEFAULT_CANDIDATES
    from newslens.models.classify import PRECISIONS

    if not value:
        return DEFAULT_CANDIDATES
    items = tuple(dict.fromkeys(c.strip() for c in value.split(",") if c.strip()))
    unknown = [c for c in items if c not in PRECISIONS]
    if unknown or not items:
        raise typer.BadParameter(f"unknown precision(s) {unknown}; choose from {', '.join(PRECISIONS)}",
                                 param_hint="--candidates")
    return items


def table_lines(calibration) -> list[str]:
    """The measured table of one model, one line per candidate, the chosen one marked."""
    def num(value, fmt: str) -> str:
        return "-" if value is None else format(value, fmt)

    lines = [f"  {'precision':<10} {'items/s':>9} {'x fp32':>7} {'agreement':>9}  "
             f"{'qualified':<9}  note"]
    for r in calibration.rows:
        mark = "chosen" if r.precision == calibration.choice else ""
        note = "; ".join(x for x in (mark, r.reason) if x)
        lines.append(f"  {r.precision:<10} {num(r.items_per_s, '.1f'):>9} {num(r.ratio, '.2f'):>7} "
                     f"{num(r.agreement, '.3f'):>9}  {'yes' if r.qualified else 'no':<9}  {note}")
    return lines


def tune(models: Optional[Path] = typer.Option(None, "--models",
                                               help="Folder of models (`models pull --to`, `models tiny`)."),
         role: str = typer.Option("all", "--role", help="sentiment, stance or all."),
         force: bool = typer.Option(False, "--force", help="Measure again even when cached."),
         candidates: Optional[str] = typer.Option(
             None, "--candidates", help="Precisions to try, comma-separated (default "
                                        "fp32,bf16,int8,onnx-int8; fp32 is always measured)."),
         ) -> None:
    """Time each classifier precision on this machine, check its labels against fp32, and
    cache which one `auto` uses (see classifier_calibration)."""
    from newslens.config import load_settings
    from newslens.models.calibration import calibrate
    from newslens.models.engines import classifier_builder
    from newslens.models.options import ClassifierOptions
    from newslens.models.loading import HOW_TO_PROVIDE, ModelUnavailableError, resolve
    from newslens.threads import available_cores, limit_threads

    if role not in (*ROLES, "all"):
        raise typer.BadParameter("choose sentiment, stance or all", param_hint="--role")
    chosen = _candidates(candidates)
    settings = load_settings(models_dir=models)
    roles = ROLES if role == "all" else (role,)
    model_ids = {"sentiment": settings.sentiment_model, "stance": settings.stance_model}
    resolved, missing = {}, []
    for r in roles:
        try:
            resolved[r] = resolve(model_ids[r], settings.models_dir, role=r,
                                  allow_download=settings.allow_download,
                                  hub_timeout=settings.hub_timeout_s)
        except ModelUnavailableError as exc:
            missing.append(exc.model_id)
    if missing:
        typer.echo(f"error: cannot tune, model(s) missing: {', '.join(missing)}. {HOW_TO_PROVIDE}",
                   err=True)
        raise typer.Exit(EXIT_MODELS_MISSING)
    limit_threads(settings.torch_threads)  # as a run sets them: timings depend on it
    cache_dir = Path(settings.cache_dir)
    where = None
    for r, model in resolved.items():
        build = classifier_builder(model, ClassifierOptions.from_settings(settings))
        result = calibrate(model, device=settings.device, candidates=chosen, build=build,
                           cache_dir=cache_dir, threads=settings.torch_threads,
                           force=force)
        how = "cached" if result.reused else "measured now"
        load = "" if result.load_before is None else f", load {result.load_before:.2f}"
        typer.echo(f"{r}: {model.model_id}  [{result.entry}]")
        for line in table_lines(result):
            typer.echo(line)
        typer.echo(f"  auto = {result.choice}  ({how}, {result.measured_at}{load})")
        if result.load_before is not None and result.load_before > available_cores() / 2:
            typer.echo("  warning: measured while the machine was busy; timings may mislead. "
                       "Rerun with --force when it is quiet.")
        typer.echo("")
        where = result.cache_path
    typer.echo(f"cache: {where}")
    if settings.classifier_precision != "auto":
        typer.echo(f"note: classifier_precision is {settings.classifier_precision!r}, so runs use "
                   "that, not the choice above")
    elif not settings.classifier_calibration:
        typer.echo("note: classifier_calibration is off, so `auto` follows the CPU-flag rule")
