"""Reading one input's bytes without trusting it: regular files only, bounded, links judged.

The checks, in order:
1. a symbolic link is resolved (a loop or a dangling link is `unreadable`) and must point
   inside the input root unless links out are allowed (`symlink_outside`);
2. the target must be a regular file by `stat` *before* it is opened, so a FIFO, socket or
   device is never opened at all (`not_a_file`);
3. it is opened with O_NONBLOCK | O_NOFOLLOW | O_NOCTTY, and `fstat` of the open descriptor
   must still be the same regular file (nothing was swapped in between);
4. a file larger than the limit is refused by its size, and at most limit + 1 bytes are ever
   read, so a file that grows while it is read cannot exhaust memory (`too_large`).
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from newslens.ingest import reasons

_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
               | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Opened:
    """The bytes of an input, or why they were not read (a reason code and a detail)."""

    data: bytes | None
    reason: str | None = None
    detail: str = ""


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return "not a regular file"


def _os_error(exc: OSError) -> Opened:
    if exc.errno == errno.ELOOP:
        return Opened(None, reasons.UNREADABLE, "OSError: symbolic link loop (too many levels)")
    return Opened(None, reasons.UNREADABLE, f"{type(exc).__name__}: {exc.strerror or exc}")


def inside(path: str, root: str) -> bool:
    """True when the resolved `path` lies in the resolved folder `root` (or is it)."""
    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:
        return False


def _target(path: Path, root: Path, allow_outside: bool) -> tuple[str | None, Opened | None]:
    """The real path to open, or the reject for a link that must not be followed."""
    raw = os.fsencode(path)
    if not os.path.islink(raw):
        return os.fsdecode(raw), None
    try:
        real = os.path.realpath(raw, strict=True)
    except OSError as exc:
        return None, _os_error(exc)
    root_real = os.path.realpath(os.fsencode(root))
    if not allow_outside and not inside(real, root_real):
        return None, Opened(None, reasons.SYMLINK_OUTSIDE,
                            "symbolic link to a path outside the input folder; not followed "
                            "(set follow_symlinks_outside_input to allow)")
    return os.fsdecode(real), None


def _read_at_most(fd: int, limit: int) -> bytes:
    """Up to `limit` bytes from `fd` (stops early at end of file)."""
    parts: list[bytes] = []
    have = 0
    while have < limit:
        chunk = os.read(fd, min(_CHUNK, limit - have))
        if not chunk:
            break
        parts.append(chunk)
        have += len(chunk)
    return b"".join(parts)


def read_input_bytes(path: Path, *, root: Path, max_bytes: int,
                     allow_symlinks_outside: bool = False) -> Opened:
    """The bytes of one input file, or the reason they were not read (never raises OSError)."""
    target, refused = _target(Path(path), Path(root), allow_symlinks_outside)
    if refused is not None:
        return refused
    try:
        before = os.stat(target, follow_symlinks=False)
        if not stat.S_ISREG(before.st_mode):
            return Opened(None, reasons.NOT_A_FILE, f"{_kind(before.st_mode)}, not a regular file; not opened")
        if before.st_size > max_bytes:
            return Opened(None, reasons.TOO_LARGE, f"{before.st_size} bytes, over the limit of {max_bytes}")
        fd = os.open(target, _OPEN_FLAGS)
    except OSError as exc:
        return _os_error(exc)
    try:
        now = os.fstat(fd)
        if not stat.S_ISREG(now.st_mode) or (now.st_dev, now.st_ino) != (before.st_dev, before.st_ino):
            return Opened(None, reasons.NOT_A_FILE, "the file was replaced while it was opened")
        data = _read_at_most(fd, max_bytes + 1)
    except OSError as exc:
        return _os_error(exc)
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        return Opened(None, reasons.TOO_LARGE,
                      f"more than {max_bytes} bytes (it grew while read); the rest was not read")
    return Opened(data)
