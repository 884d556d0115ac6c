"""The lake's commit lock: one writer at a time, on this host or (remote lakes) on any."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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
    path = Path(os.path.abspath(lake)) / LOCK_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
