"""Reading the small files a command is pointed at: key files and accounts files.

A path on a command line can name anything: ``/dev/zero`` (reads until memory runs
out), a FIFO (waits forever for a writer), a file saved by an editor with a byte
order mark (which would travel as part of the key: a bare 401). These are read
bounded, only when they are regular files, decoded with any BOM dropped, and a key
file that other users can read gets a warning.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from .files import ExportRefused

MAX_BYTES = 64 * 1024  # far more than any key or accounts file; a bigger one is a mistake

Warn = Callable[[str], None]


def read_small(path: Path, what: str, *, secret: bool = False,
               warn: Warn | None = None) -> str:
    """The text of ``path`` (``what`` names it in errors), at most ``MAX_BYTES``; an
    ExportRefused of one line for anything else. With ``secret``, ``warn`` is told when
    the file is readable by its group or others."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO opens without a writer
    except OSError as exc:
        raise ExportRefused(f"cannot read {what} {path}: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        found = os.fstat(fd)
        if not stat.S_ISREG(found.st_mode):
            raise ExportRefused(f"{what} {path} is not a regular file")
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ExportRefused(f"{what} {path} is larger than {MAX_BYTES // 1024} KiB;"
                            " is it the right file?")
    if secret and warn is not None and found.st_mode & 0o077:
        warn(f"{what} {path} can be read by other users (mode"
             f" {stat.S_IMODE(found.st_mode):04o}); chmod 600 it")
    try:
        return data.decode("utf-8-sig")  # a BOM an editor saved is not part of the text
    except UnicodeDecodeError:
        raise ExportRefused(f"{what} {path} is not UTF-8 text") from None
