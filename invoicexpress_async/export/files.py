"""Files an export writes, opened so that nothing planted beside them is followed.

Every file is created with ``O_EXCL | O_NOFOLLOW`` (a symlink at the name makes it
fail, its target untouched); the state is written to an unpredictable temporary
name in the same directory and renamed over (a rename replaces a symlink, never
what it points at); the output appears under its final name only by a rename of
the finished ``.part``. One exclusive ``flock`` per output keeps two exports from
writing the same file.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_MODE = 0o644


class ExportRefused(ValueError):
    """The export cannot start (or resume) safely; the message says why and what to do."""


class ExportLocked(ExportRefused):
    """Another export is writing the same output."""


def part_of(path: Path) -> Path:
    return path.with_name(path.name + ".part")


def create(path: Path) -> IO[bytes]:
    """A new file at ``path``; refused when anything (a file, a symlink) is there."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, _MODE)
    except FileExistsError:
        raise ExportRefused(f"{path} appeared while the export started; remove it or use"
                            " --force") from None
    return os.fdopen(fd, "wb")


def reopen(path: Path, size: int) -> IO[bytes]:
    """The partial file of an interrupted export, cut back to ``size`` bytes.

    A file shorter than ``size`` lost data since the checkpoint: refused, never padded.
    """
    try:
        fd = os.open(path, os.O_RDWR | _NOFOLLOW)
    except FileNotFoundError:
        raise ExportRefused(f"--resume refused: {path} is missing, so the pages it held are"
                            " lost; start over with --force") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ExportRefused(f"--resume refused: {path} is a symbolic link") from None
        raise
    handle = os.fdopen(fd, "r+b")
    found = os.fstat(fd)
    if not stat.S_ISREG(found.st_mode):
        handle.close()
        raise ExportRefused(f"--resume refused: {path} is not a regular file")
    if found.st_size < size:
        handle.close()
        raise ExportRefused(f"--resume refused: {path} holds {found.st_size:,} bytes but"
                            f" {size:,} were written before the interruption; start over"
                            " with --force")
    handle.truncate(size)
    handle.seek(size)
    return handle


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` whole: a temporary file beside it, then a rename."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def remove(path: Path) -> None:
    """Remove ``path`` (a symlink itself, never its target) when it is there."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def exists(path: Path) -> bool:
    """Whether anything is at ``path``, a dangling symlink included."""
    return os.path.lexists(path)


@contextlib.contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold ``<out>.lock`` exclusively while the export runs; fail at once if taken."""
    lock = out.with_name(out.name + ".lock")
    fd = os.open(lock, os.O_RDWR | os.O_CREAT | _NOFOLLOW, _MODE)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ExportLocked(f"another export is writing {out} (it holds {lock});"
                               " wait for it or choose another --out") from None
        try:
            yield
        finally:
            remove(lock)
    finally:
        os.close(fd)
