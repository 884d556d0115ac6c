"""write_atomically: the target is the old file or the whole new one, never a half, with the
mode a plain open() gives; locked: one holder at a time."""

from __future__ import annotations

import pytest

import os
import subprocess
import sys

from newslens.files import locked, write_atomically


def test_replaces_the_target_whole_and_leaves_no_temp_file(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    write_atomically(target, lambda tmp: tmp.write_text("new"), fsync=True)
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_a_failed_write_keeps_the_old_file_and_removes_the_temp_file(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")

    def half_then_fail(tmp):
        tmp.write_text("ha")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomically(target, half_then_fail)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_the_new_file_gets_the_umask_mode_not_owner_only(tmp_path):
    target = tmp_path / "shared.txt"
    old = os.umask(0o022)
    try:
        write_atomically(target, lambda tmp: tmp.write_text("x"))
        assert target.stat().st_mode & 0o777 == 0o644  # readable by the group and others
        os.umask(0o077)
        write_atomically(target, lambda tmp: tmp.write_text("y"))
        assert target.stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(old)


def test_locked_excludes_another_process_until_released(tmp_path):
    lock = tmp_path / "sub" / "x.lock"
    probe = ("import fcntl, os, sys; fd = os.open(sys.argv[1], os.O_RDWR); "
             "fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)")
    with locked(lock):
        held = subprocess.run([sys.executable, "-c", probe, str(lock)], capture_output=True)
        assert held.returncode != 0 and b"BlockingIOError" in held.stderr
    free = subprocess.run([sys.executable, "-c", probe, str(lock)], capture_output=True)
    assert free.returncode == 0
