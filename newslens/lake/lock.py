"""The lake's commit lock: one writer at a time, on this host or (remote lakes) on any."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from newslens.files import locked
from newslens.lake.location import advisory_lock, locate

LOCK_NAME = ".commit.lock"


@contextmanager
def commit_lock(lake: Path) -> Iterator[None]:
    """Hold the lake's commit lock: one writer at a time between its first data file and its
    commit (released by the OS if the process dies). A remote lake's lock is a PostgreSQL
    advisory lock in its catalog, so it excludes writers on other hosts too."""
    location = locate(lake)
    if location is not None:
        with advisory_lock(location):
            yield
        return
    with locked(Path(os.path.abspath(lake)) / LOCK_NAME):
        yield
