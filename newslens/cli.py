"""The `newslens` command."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import typer

# Offline machines: keep the ephemeral Prefect server from phoning home (and logging failures).
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# The ephemeral API server can take longer than Prefect's default 20 s to start on a busy box.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")

from newslens.cli_common import EXIT_MODELS_MISSING, OFFLINE_OPTIONS, _models_dir, _stage_list  # noqa: F401
from newslens.cli_location import bind_lake, catalog_option, data_path_option, lake_option
from newslens.cli_sql import sql_command
from newslens.config import MODEL_STAGES, REDO_STAGES, STAGES, load_settings

app = typer.Typer(help="newslens: multilingual news in, translations, sentiment and stance out, "
                       "as Parquet tables DuckDB queries.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
models_app = typer.Typer(help="The models newslens uses: list, pull, or make tiny ones.",
                         no_args_is_help=True)
app.add_typer(models_app, name="models")
from newslens.cli_lake import lake_app, update  # noqa: E402  (issue 9: update, lake compact/migrate)

app.add_typer(lake_app, name="lake")
app.command()(update)

def skipped_model_stages(stages: list[str], reprocess: list[str]) -> list[str]:
    """The model stages a run leaves out (their lake tables stay empty for its articles)."""
    asked = set(stages) | set(reprocess)
    return [s for s in MODEL_STAGES if s not in asked]


@app.command()
def run(input: Path = typer.Argument(..., help="An article file or a folder (searched recursively), "
                                             "or an s3://bucket/prefix."),
        lake: Optional[Path] = lake_option(),
        catalog: Optional[str] = catalog_option(),
        data_path: Optional[str] = data_path_option(),
        limit: Optional[int] = typer.Option(None, help="Stop after this many inputs."),
        stages: str = typer.Option(",".join(STAGES), help="Stages to run, comma-separated."),
        reprocess: Optional[str] = typer.Option(
            None, help="Recompute these stages (clean,translate,sentiment,stance) for the input's "
                       "articles already in the lake, replacing their rows."),
        models: Optional[Path] = typer.Option(None, "--models",
                                              help="Folder of models (`models pull --to`, `models tiny`)."),
        incremental: bool = typer.Option(False, help="Skip files whose content a completed run "
                                                    "already read (the nightly inbox mode)."),
        summary: bool = typer.Option(False, help="Also print counts per language and example queries."),
        runner: str = typer.Option("local", help="Where the model stages run: local (this process), "
                                                  "dask or ray (shards on workers)."),
        address: Optional[str] = typer.Option(None, help="An existing Dask scheduler (tcp://HOST:8786) "
                                                         "or Ray cluster (ray://HOST:10001, auto)."),
        workers: Optional[int] = typer.Option(None, help="Worker processes of the cluster started for "
                                                         "the run (default: one per core)."),
        shard_articles: Optional[int] = typer.Option(None, help="Articles per shard (and per commit; "
                                                                "default NEWSLENS_BATCH_ARTICLES, 64)."),
        progress: Optional[bool] = typer.Option(None, "--progress/--no-progress",
                                                help="Show per-stage progress (default: only when "
                                                     "stderr is a terminal, never under CI)."),
        ) -> None:
    """Analyse articles into the lake (a Prefect flow; no server needed)."""
    from newslens.flows.analyze import analyze_articles
    from newslens.flows.runners import RunnerOptionError, check_runner_options
    from newslens.pipeline.model_steps import ModelsMissingError
    from newslens.pipeline.report import summary_table
    from newslens.pipeline.runner import RunSummary
    from newslens.progress import cli_display
    from newslens.quiet import failures_off_console

    from newslens import objectstore

    stage_list = _stage_list(stages, STAGES, "--stages") or list(STAGES)
    redo = _stage_list(reprocess, REDO_STAGES, "--reprocess")
    try:
        check_runner_options(runner, address, workers, shard_articles)
    except RunnerOptionError as exc:
        raise typer.BadParameter(str(exc), param_hint="--runner/--address/--workers/--shard-articles")
    remote_input = objectstore.is_remote(input)
    if not remote_input and not input.exists():
        typer.echo(f"error: input {input} does not exist", err=True)
        raise typer.Exit(1)
    lake = bind_lake(lake, catalog, data_path, exit_code=1)
    source = objectstore.as_url(input) if remote_input else str(input)
    try:
        with failures_off_console(ModelsMissingError), cli_display(progress):
            result = analyze_articles(input=source, lake=str(lake), limit=limit, stages=stage_list,
                                      reprocess=redo, models_dir=_models_dir(models),
                                      incremental=incremental, runner=runner, address=address,
                                      workers=workers, shard_articles=shard_articles)
    except ModelsMissingError as exc:
        typer.echo(f"error: cannot run, {len(exc.errors)} model(s) missing; no article data was "
                   "written (the run is recorded as failed).",
                   err=True)
        typer.echo(str(exc), err=True)
        typer.echo(OFFLINE_OPTIONS, err=True)
        raise typer.Exit(EXIT_MODELS_MISSING)
    except ConnectionError as exc:  # a remote lake's catalog or store out of reach (masked)
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    outcome = RunSummary(**{k: v for k, v in result.items() if k != "shards"})
    typer.echo("")
    for row in summary_table(outcome):
        typer.echo(f"{row['metric']:<55} {row['value']}")
    skipped = skipped_model_stages(stage_list, redo)
    if skipped:
        typer.echo(f"\nmodel stages not run: {', '.join(skipped)} (--stages {','.join(stage_list)}), "
                   "so their tables, and the queries on them, have nothing for this run's articles; "
                   f"run them later with `newslens update --lake {lake}` (with `--models DIR` for "
                   "a models folder).")
    if summary:
        _print_examples(lake)


def _print_examples(lake: Path) -> None:
    from newslens.lake.sql import format_result, run_query
    from newslens.queries import EXAMPLE_QUERIES

    for title, sql in EXAMPLE_QUERIES:
        typer.echo(f"\n-- {title}\n{sql}")
        typer.echo(format_result(run_query(lake, sql), "table"))


# `newslens sql` (read-only, bounded in time and rows) lives in its own module.
app.command("sql")(sql_command)


@models_app.command("list")
def models_list(models: Optional[Path] = typer.Option(None, "--models", help="Models folder.")) -> None:
    """Roles, configured model ids, and whether each is available locally."""
    from newslens.models.inventory import list_models

    typer.echo(f"{'ROLE':<12} {'LOCAL':<5} {'MODEL':<62} WHERE")
    for st in list_models(load_settings(models_dir=_models_dir(models))):
        mark = "yes" if st.available else "no"
        typer.echo(f"{st.role:<12} {mark:<5} {st.model_id:<62} {st.where}")


@models_app.command("pull")
def models_pull(to: Optional[Path] = typer.Option(None, "--to",
                                                  help="Also copy into this self-contained folder.")) -> None:
    """Fetch every configured model (needs network)."""
    from newslens.models.inventory import pull_models

    statuses = pull_models(load_settings(), to)
    for st in statuses:
        typer.echo(f"{st.role:<12} {'ok ' if st.available else 'FAILED'} {st.model_id}  {st.where}")
    if not all(st.available for st in statuses):
        raise typer.Exit(EXIT_MODELS_MISSING)


@models_app.command("tiny")
def models_tiny(out_dir: Path = typer.Argument(..., help="Folder to write the tiny models into.")) -> None:
    """Write tiny random-weight models of the real architectures (offline smoke tests)."""
    from newslens.models.inventory import TINY_NOTICE, make_tiny_models

    for st in make_tiny_models(load_settings(), out_dir):
        typer.echo(f"{st.role:<12} {st.model_id:<62} {st.where}")
    typer.echo(f"\nNOTE: {TINY_NOTICE}\nUse them with: newslens run INPUT --models {out_dir}")


@app.command()
def serve(lake: Optional[Path] = lake_option(),
          models: Optional[Path] = typer.Option(None, "--models", help="Models folder."),
          ) -> None:
    """Serve the nightly run (02:00, NEWSLENS_TIMEZONE) against a running Prefect server."""
    from newslens.serve import ServerNotConfiguredError, serve_nightly

    try:
        serve_nightly(load_settings(lake=lake, models_dir=models))
    except ServerNotConfiguredError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1)


from newslens.cli_report import report as _report  # noqa: E402

app.command("report")(_report)


@app.command(add_help_option=False,
             context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def bench(ctx: typer.Context) -> None:
    """Throughput benchmark against the naive way (options: `newslens bench --help`)."""
    from newslens.cli_bench import bench_main

    raise typer.Exit(bench_main()(list(ctx.args)))


from newslens.cli_evaluate import evaluate as _evaluate  # noqa: E402  (issue 14)
app.command("evaluate")(_evaluate)
from newslens.cli_tune import tune as _tune  # noqa: E402  (issue 12)
app.command("tune")(_tune)


if __name__ == "__main__":
    app()
