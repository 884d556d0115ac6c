"""The Prefect flows, importable as `newslens.flows`.

In a checkout the flows live in the top-level flows/ folder (the layout prefect.yaml's
entrypoints name); this package points there. The wheel installs that folder here in place
of this file (pyproject.toml `package-dir`), so no top-level `flows` package is installed.
"""

from pathlib import Path

__path__ = [str(Path(__file__).resolve().parents[2] / "flows")]
