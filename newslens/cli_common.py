"""What the `newslens` commands share: exit codes, the offline advice, option parsing."""

from __future__ import annotations

from pathlib import Path

import typer

EXIT_MODELS_MISSING = 2
OFFLINE_OPTIONS = ("Offline, without these models: `--stages ingest` stores the articles now (the "
                   "model stages later, with `newslens update`); `make demo` runs every stage on tiny "
                   "random models; `--models DIR` uses a folder made by `newslens models pull --to DIR` "
                   "elsewhere or `newslens models tiny DIR`.")


def _stage_list(value: str | None, allowed: tuple[str, ...], option: str) -> list[str]:
    if not value:
        return []
    items = [s.strip() for s in value.split(",") if s.strip()]
    unknown = [s for s in items if s not in allowed]
    if unknown:
        raise typer.BadParameter(f"unknown stage(s) {unknown}; choose from {', '.join(allowed)}",
                                 param_hint=option)
    return items


def _models_dir(value: Path | None) -> str | None:
    """--models as a flow parameter; unset stays None, so NEWSLENS_MODELS_DIR (Settings) applies."""
    return str(value) if value else None
