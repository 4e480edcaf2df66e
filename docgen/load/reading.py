"""Reading an input file safely: a regular file only, never blocking, never beyond a limit."""

from __future__ import annotations

from pathlib import Path


class NotRegular(Exception):
    """What was opened is not a regular file (a FIFO, a device, a folder)."""


def read_regular(path: Path, limit: int, *, follow: bool = True) -> bytes:
    """At most limit + 1 bytes of a regular file (more than limit: the caller refuses it).
    Opened without blocking, so a FIFO or a device is never read, and without following a
    final symbolic link when follow is False; fstat checks the file that was opened. OSError
    (missing, unreadable) and NotRegular are the caller's to word."""
    import os
    import stat

    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegular(str(path))
        chunks, left = [], limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    return b"".join(chunks)
