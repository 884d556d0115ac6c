"""Writing a file whole or not at all: the one temp-file-then-rename helper of newslens."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_atomically(target: Path, write: Callable[[Path], None], *, fsync: bool = False) -> None:
    """Call `write(tmp)` on a fresh temp file beside `target`, then rename it onto `target`.

    Readers see the old file or the new one, never half of one; the temp file is removed when
    `write` or the rename fails. `fsync` also flushes the new file and its folder to disk, for
    files that must survive a power cut once this returns. The folder must exist.
    """
    target = Path(target)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        if fsync:
            _fsync(tmp, os.O_RDONLY)
        os.replace(tmp, target)
        if fsync:
            _fsync(target.parent, os.O_RDONLY)
    finally:
        tmp.unlink(missing_ok=True)


def _fsync(path: Path, flags: int) -> None:
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
