"""Files shared safely: written whole or not at all (the one temp-file-then-rename helper),
and an exclusive lock file held across processes."""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
        # mkstemp makes the file owner-only; the result gets the mode a plain open() would
        # (0666 less the umask), so a shared lake or a served report stays readable.
        os.chmod(tmp, 0o666 & ~_umask())
        write(tmp)
        if fsync:
            _fsync(tmp, os.O_RDONLY)
        os.replace(tmp, target)
        if fsync:
            _fsync(target.parent, os.O_RDONLY)
    finally:
        tmp.unlink(missing_ok=True)


def _umask() -> int:
    """The process umask, read without changing it where Linux shows it (setting it to read it
    would race with other threads creating files)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync(path: Path, flags: int) -> None:
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive `flock` on `path` (created if absent, with its folder) for the block;
    the OS releases it if the process dies."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
