"""`newslens report`: one self-contained HTML page with plots of the lake."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from newslens.cli_location import lake_option


def _target_list(value: str | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t.strip() for t in (value or "").split(",") if t.strip()))


def report(lake: Optional[Path] = lake_option(),
           out: Optional[Path] = typer.Option(None, help="HTML file to write (default: NEWSLENS_REPORT_OUT "
                                                           "or data/report.html)."),
           since: Optional[str] = typer.Option(None, help="First publication month, YYYY-MM."),
           until: Optional[str] = typer.Option(None, help="Last publication month, YYYY-MM."),
           targets: Optional[str] = typer.Option(None, help="Only these target ids, comma-separated "
                                                            "(e.g. russia,nato)."),
           at: Optional[str] = typer.Option(None, "--at", help="Read the lake as of this run id."),
           sql: bool = typer.Option(False, "--sql", help="Print the SQL behind each chart (with "
                                                         "these filters) instead of writing the page."),
           ) -> None:
    """Write one HTML page (opens offline) with stance, sentiment, volume and run-health charts."""
    from newslens.config import load_settings
    from newslens.report.build import LakeNotFoundError, build_report
    from newslens.report.lake_access import UnknownRunError
    from newslens.report.queries import Scope, rendered_queries

    try:
        scope = Scope(since=since, until=until, targets=_target_list(targets))
    except ValueError as exc:
        raise typer.BadParameter(str(exc))
    if sql:
        for name, text in rendered_queries(scope).items():
            typer.echo(f"-- {name}\n{text};\n")
        return
    try:
        settings = load_settings(lake=lake, report_out=out)
        result = build_report(settings.lake, settings.report_out, scope, at=at,
                              targets_file=settings.targets_file)
    except (LakeNotFoundError, UnknownRunError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1)
    h = result.headline
    typer.echo(f"wrote {result.path} ({result.bytes / 1e6:.1f} MB): {h['articles']} articles, "
               f"{h['languages']} languages, {h['targets_mentioned']} targets mentioned, "
               f"{h['runs']} runs")
    for note in result.missing:
        typer.echo(f"  missing: {note}")
