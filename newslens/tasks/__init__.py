"""The Prefect task wrappers, importable as `newslens.tasks`.

In a checkout they live in the top-level tasks/ folder; this package points there. The wheel
installs that folder here in place of this file (pyproject.toml `package-dir`), so no top-level
`tasks` package is installed.
"""

from pathlib import Path

__path__ = [str(Path(__file__).resolve().parents[2] / "tasks")]
