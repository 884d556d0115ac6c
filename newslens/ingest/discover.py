"""Which files an input path stands for, in a fixed order, without trusting what is there.

Discovery only lists: it never opens a file and never follows a link into a folder, so a
symlink loop or a link to `/` cannot make it walk forever. Whatever is not a plain folder
(regular files, symlinks, FIFOs, sockets, devices) is listed, so that `read` can judge it and
every entry ends as an input with an outcome. Folders it cannot list are reported too.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

SUPPORTED_SUFFIXES = frozenset({".txt", ".jsonl", ".ndjson", ".csv", ".html", ".htm"})


@dataclass
class Discovery:
    """The entries below an input path (sorted) and the folders that could not be listed."""

    root: Path
    files: list[Path] = field(default_factory=list)
    errors: list[tuple[Path, OSError]] = field(default_factory=list)


def _sort_key(root: Path):
    def key(p: Path) -> tuple[bytes, ...]:
        return tuple(os.fsencode(part) for part in p.relative_to(root).parts)
    return key


def discover(path: Path) -> Discovery:
    """A file (or anything not a folder) gives itself; a folder gives every non-hidden entry
    below it that is not itself a folder, sorted by raw name bytes.

    Files of any suffix are returned, so unsupported ones are rejected visibly rather than
    skipped; hidden files and folders (".git", ".DS_Store") are tooling, not inputs. Links to
    folders are listed as entries (not walked). A missing path raises FileNotFoundError.
    """
    path = Path(path)
    if not os.path.lexists(path):
        raise FileNotFoundError(f"input path does not exist: {path}")
    if not path.is_dir():
        return Discovery(root=path.parent, files=[path])
    found = Discovery(root=path)

    def on_error(exc: OSError) -> None:
        found.errors.append((Path(exc.filename or path), exc))

    for folder, dirs, files in os.walk(path, onerror=on_error, followlinks=False):
        real_dirs = []
        for d in dirs:
            if d.startswith("."):
                continue
            if os.path.islink(os.path.join(folder, d)):
                found.files.append(Path(folder, d))  # judged (and refused) by read
            else:
                real_dirs.append(d)
        dirs[:] = real_dirs
        found.files.extend(Path(folder, f) for f in files if not f.startswith("."))
    found.files.sort(key=_sort_key(path))
    found.errors.sort(key=lambda e: os.fsencode(e[0]))
    return found


def discover_files(path: Path) -> list[Path]:
    """The entries `discover` finds (see there), without the listing errors."""
    return discover(path).files
