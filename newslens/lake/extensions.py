"""DuckDB extensions from their PyPI wheels, pinned to the running DuckDB and loaded by path."""

from __future__ import annotations

import importlib
from pathlib import Path

import duckdb

_EXTENSIONS = {"sqlite_scanner": "duckdb_extension_sqlite_scanner",
               "ducklake": "duckdb_extension_ducklake",
               "httpfs": "duckdb_extension_httpfs",
               "postgres_scanner": "duckdb_extension_postgres_scanner"}


def extension_path(name: str) -> Path:
    """The `.duckdb_extension` file of one extension wheel built for the running DuckDB."""
    try:
        package = importlib.import_module(_EXTENSIONS[name])
    except ImportError as exc:
        raise RuntimeError(f"the DuckDB extension {name!r} is not installed: pip install "
                           f"{_EXTENSIONS[name].replace('_', '-')}=={duckdb.__version__}") from exc
    path = (Path(package.__path__[0]) / "extensions" / f"v{duckdb.__version__}"
            / f"{name}.duckdb_extension")
    if not path.is_file():
        raise RuntimeError(f"{path} is missing: the {name} wheel does not match duckdb "
                           f"{duckdb.__version__}")
    return path
