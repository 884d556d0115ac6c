"""The `--catalog` / `--data-path` options that point a lake folder at a remote lake.

Given (or set as NEWSLENS_LAKE_CATALOG / NEWSLENS_LAKE_DATA), they bind the folder to that
PostgreSQL catalog and S3 data path (newslens.lake.location); without them a folder is what it
was: a local lake, or the remote lake it was bound to before.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

CATALOG_HELP = ("PostgreSQL catalog of a shared lake, postgresql://user@host:port/db (default: "
                "NEWSLENS_LAKE_CATALOG; the password from PGPASSWORD or ~/.pgpass).")
DATA_HELP = "Data path of a shared lake, s3://bucket/prefix (default: NEWSLENS_LAKE_DATA)."


def catalog_option() -> Optional[str]:
    return typer.Option(None, "--catalog", help=CATALOG_HELP, show_default=False)


def data_path_option() -> Optional[str]:
    return typer.Option(None, "--data-path", help=DATA_HELP, show_default=False)


def lake_option(help: str = "Lake folder") -> Optional[Path]:
    """--lake, unset by default: NEWSLENS_LAKE, else data/lake (newslens.config)."""
    return typer.Option(None, "--lake", help=f"{help} (default: NEWSLENS_LAKE or data/lake).",
                        show_default=False)


def bind_lake(lake: Path | None, catalog: str | None, data_path: str | None,
              exit_code: int = 2) -> Path:
    """The lake folder (given, or from the environment), bound to the remote location given (or
    in the environment); a clear error if not usable."""
    from newslens.config import load_settings
    from newslens.lake.location import LakeLocationError, bind

    settings = load_settings(lake=lake, lake_catalog=catalog, lake_data=data_path)
    try:
        bind(settings.lake, settings.lake_catalog, settings.lake_data)
    except LakeLocationError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(exit_code) from None
    return settings.lake
