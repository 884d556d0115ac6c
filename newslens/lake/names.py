"""Names every lake module agrees on, with nothing below them: the files of a lake folder,
the catalog's alias in a session, the optimizer rules each session turns off, SQL quoting."""

from __future__ import annotations

import os
from pathlib import Path

CATALOG_NAME = "catalog.sqlite"
DATA_DIR = "data"
TEMP_DIR = ".tmp"
ALIAS = "lake"
# Optimizer rules that read DuckLake's (unreliable) table-level statistics; see
# newslens.lake.connection.
DISABLED_OPTIMIZERS = "statistics_propagation,compressed_materialization"


def catalog_path(lake: Path) -> Path:
    return Path(os.path.abspath(lake)) / CATALOG_NAME


def data_path(lake: Path) -> Path:
    return Path(os.path.abspath(lake)) / DATA_DIR


def sql_quote(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"
