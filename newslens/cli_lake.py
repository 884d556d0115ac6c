"""`newslens update` and the `newslens lake` commands (compact, migrate, files, setup-sql)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Optional

import typer

from newslens.cli_location import bind_lake, catalog_option, data_path_option, lake_option
from newslens.config import REDO_STAGES

lake_app = typer.Typer(help="Look after the lake: compact it, migrate an old one, list its files.",
                       no_args_is_help=True)
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _require_lake(lake: Path | None, catalog: str | None = None,
                  data_path: str | None = None) -> Path:
    """The lake folder (option, else NEWSLENS_LAKE, else data/lake); exit 1 when there is none."""
    from newslens.lake.connection import lake_exists

    lake = bind_lake(lake, catalog, data_path, exit_code=1)
    try:
        found = lake_exists(lake)
    except ConnectionError as exc:  # a remote catalog that cannot be reached (message masked)
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    if not found:
        typer.echo(f"error: no lake at {lake} (nothing was created)", err=True)
        raise typer.Exit(1)
    return lake


def update(lake: Optional[Path] = lake_option(),
           stages: str = typer.Option(",".join(REDO_STAGES), help="Stages to bring up to date (clean re-cleans from raw_text)."),
           since: Optional[str] = typer.Option(None, help="Only articles published in this month (YYYY-MM) or later."),
           limit: Optional[int] = typer.Option(None, help="At most this many articles (oldest months first)."),
           reprocess: Optional[str] = typer.Option(None, help="Recompute these stages even where up to date."),
           models: Optional[Path] = typer.Option(None, "--models", help="Folder of models."),
           ) -> None:
    """Bring the articles already in the lake up to date with the configured models (no input files)."""
    from newslens.flows.update import update_lake_flow
    from newslens.cli_common import EXIT_MODELS_MISSING, OFFLINE_OPTIONS, _models_dir, _stage_list
    from newslens.pipeline.model_steps import ModelsMissingError
    from newslens.pipeline.report import summary_table
    from newslens.pipeline.runner import RunSummary
    from newslens.progress import cli_display
    from newslens.quiet import failures_off_console

    stage_list = _stage_list(stages, REDO_STAGES, "--stages") or list(REDO_STAGES)
    redo = _stage_list(reprocess, REDO_STAGES, "--reprocess")
    if since is not None and not _MONTH.match(since):
        raise typer.BadParameter("use YYYY-MM", param_hint="--since")
    lake = _require_lake(lake)
    try:
        with failures_off_console(ModelsMissingError), cli_display(None):
            result = update_lake_flow(lake=str(lake), stages=stage_list, since=since, limit=limit,
                                      reprocess=redo, models_dir=_models_dir(models))
    except ModelsMissingError as exc:
        typer.echo(f"error: cannot update, {len(exc.errors)} model(s) missing; no article data was written.", err=True)
        typer.echo(str(exc), err=True)
        typer.echo(OFFLINE_OPTIONS, err=True)
        raise typer.Exit(EXIT_MODELS_MISSING)
    typer.echo("")
    for row in summary_table(RunSummary(**result)):
        typer.echo(f"{row['metric']:<55} {row['value']}")


@lake_app.command("compact")
def compact_cmd(lake: Optional[Path] = lake_option(),
                retention_days: int = typer.Option(30, help="Keep snapshots (for --at) this many days."),
                catalog: Optional[str] = catalog_option(),
                data_path: Optional[str] = data_path_option()) -> None:
    """Merge small files, expire snapshots older than the retention, delete unneeded files."""
    from newslens.lake.maintenance import compact

    lake = _require_lake(lake, catalog, data_path)
    for key, value in compact(lake, retention_days=retention_days).items():
        typer.echo(f"{key:<20} {value}")


@lake_app.command("migrate")
def migrate_cmd(old_dir: Path = typer.Argument(..., help="A lake in the old Parquet-folder layout."),
                lake: Optional[Path] = lake_option("The DuckLake lake to import into")) -> None:
    """Import a lake of the old layout (<table>/<month col>=<value>/*.parquet) once."""
    from newslens.config import load_settings
    from newslens.lake.maintenance import migrate

    try:
        added = migrate(old_dir, load_settings(lake=lake).lake)
    except (FileNotFoundError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1)
    for table, n in added.items():
        typer.echo(f"{table:<20} {n} rows added")


@lake_app.command("files")
def files_cmd(lake: Optional[Path] = lake_option(),
              stray: bool = typer.Option(False, help="List files the catalog does not reference instead."),
              catalog: Optional[str] = catalog_option(),
              data_path: Optional[str] = data_path_option()) -> None:
    """The data files the catalog references (or, with --stray, those it does not)."""
    from newslens.lake.maintenance import catalog_files, stray_files

    lake = _require_lake(lake, catalog, data_path)
    for path in (stray_files(lake) if stray else sorted(catalog_files(lake))):
        typer.echo(str(path))


@lake_app.command("setup-sql")
def setup_sql_cmd(lake: Optional[Path] = lake_option()) -> None:
    """SQL that attaches the lake read-only in any DuckDB client, with newslens' views."""
    from newslens.lake.views import setup_sql

    lake = _require_lake(lake)
    typer.echo(setup_sql(Path(os.path.abspath(lake))))
