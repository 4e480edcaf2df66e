"""Reading an input file safely: a regular file only, never blocking, never beyond a limit."""

from __future__ import annotations

from pathlib import Path


class NotRegular(Exception):
    """What was opened is not a regular file (a FIFO, a device, a folder)."""


class Outside(Exception):
    """The path leads out of the folder it must stay in (a symbolic link, itself or a parent
    folder): nothing of it is read. Carries where it leads."""

    def __init__(self, target: Path) -> None:
        super().__init__(str(target))
        self.target = target


def confined(path: Path, root: Path) -> Path:
    """The real path of `path`, refused (Outside) unless it stays inside `root` once every
    link is followed; the caller then opens it without following a final link (read_regular
    with follow=False), so that the file opened is the one checked."""
    real = path.resolve()
    if not real.is_relative_to(root.resolve()):
        raise Outside(real)
    return real


def shown_path(path: Path) -> str:
    """The path as typed, relative to the working directory when possible, without following
    links: a file reached through a link is named by the link's path, the one the user must
    fix (never by its target's)."""
    import os

    from ..errors import display_path

    absolute = Path(os.path.abspath(path))
    if path.resolve() == absolute:  # no link on the way
        return display_path(path)
    try:
        return str(absolute.relative_to(Path(os.path.abspath(Path.cwd()))))
    except ValueError:
        return str(absolute)


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
