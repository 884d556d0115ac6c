"""Which files an input path stands for, in a fixed order."""

from __future__ import annotations

import os
from pathlib import Path

SUPPORTED_SUFFIXES = frozenset({".txt", ".jsonl", ".ndjson", ".csv", ".html", ".htm"})


def discover_files(path: Path) -> list[Path]:
    """A file gives itself; a folder gives every non-hidden file below it, sorted.

    Files of any suffix are returned, so unsupported ones are rejected visibly rather than
    skipped; hidden files and folders (".git", ".DS_Store") are tooling, not inputs.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"input path does not exist: {path}")
    if not path.is_dir():
        return [path]
    found: list[Path] = []
    for folder, dirs, files in os.walk(path):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(Path(folder, f) for f in files if not f.startswith("."))
    return sorted(found, key=lambda p: p.relative_to(path).parts)
