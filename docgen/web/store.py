"""The case files as the workspace reads and writes them: ruamel.yaml round trip (comments, key
order and flow style kept), validation by the loader itself on a scratch copy of the folder,
atomic save with a backup, and refusal to overwrite a file changed on disk since it was read."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import tempfile
import threading
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.representer import RoundTripRepresenter

from ..errors import CaseInvalid, Issue
from ..load import Case, load_case
from ..load.reading import NotRegular, read_regular
from ..load.yamlpos import MAX_FILE_BYTES
from ..output import write_file

BACKUPS = ".sauvegardes"  # hidden: neither read by the loader nor part of a build's fingerprint
MAX_COPIED = 64 * 1024 * 1024  # more than any file the loader accepts (it refuses it unread)
_locks: dict[Path, threading.Lock] = {}
_locks_guard = threading.Lock()


def _decimal(rep: RoundTripRepresenter, value: Decimal) -> Any:
    text = format(value, "f")
    tag = "tag:yaml.org,2002:int" if "." not in text else "tag:yaml.org,2002:float"
    return rep.represent_scalar(tag, text)


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096  # never re-wrap a long line the user wrote on one line
    y.indent(mapping=2, sequence=4, offset=2)
    y.Representer.add_representer(Decimal, _decimal)
    return y


def version(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Stale(Exception):
    """The file changed on disk since the form was opened."""


class TooLarge(Exception):
    pass


@dataclass
class Loaded:
    tree: Any
    version: str


def read(path: Path) -> Loaded:
    raw = path.read_bytes()
    if len(raw) > MAX_FILE_BYTES:
        raise TooLarge(str(path))
    return Loaded(_yaml().load(raw.decode("utf-8")), version(raw))


def dump(tree: Any) -> str:
    buf = io.StringIO()
    _yaml().dump(tree, buf)
    return buf.getvalue()


@dataclass
class Check:
    """What the loader says of the folder with one file replaced: its errors and warnings, with
    file names as the user sees them (relative to the territory folder)."""

    issues: list[Issue]
    case: Case | None

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.is_error]


def check_with(folder: Path, replaced: dict[str, str]) -> Check:
    """load_case on a scratch copy of `folder` where each relative path of `replaced` holds the
    given text: the very messages of `docgen check`, nothing written in the folder."""
    with tempfile.TemporaryDirectory(prefix="docgen-web-") as tmp:
        scratch = Path(tmp) / folder.name
        _mirror(folder, scratch)
        for rel, text in replaced.items():
            target = scratch / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        try:
            case = load_case(scratch)
            issues, result = list(case.warnings), case
        except CaseInvalid as exc:
            issues, result = list(exc.issues), None
        prefix = str(scratch.resolve())
        fixed = [Issue(_short(i.file, prefix), i.line, i.col, i.path, i.message, i.severity)
                 for i in issues]
    return Check(fixed, result)


def _mirror(folder: Path, scratch: Path) -> None:
    """A copy of `folder` the loader judges as it judges the folder itself: links stay links (a
    link out of the case is refused in the copy too; one into the case by an absolute path is
    pointed into the copy), a FIFO or a device stays something that is not a file (never
    opened), every other file is copied. Hidden entries of the top level (.sauvegardes, .git)
    are left out: the loader reads none of them. Nothing is followed or read but regular
    files, so no entry can make the copy hang or fail."""
    root = folder.resolve()
    copy_root = scratch
    scratch.mkdir()
    stack = [(folder, scratch, True)]
    while stack:
        source, target, top = stack.pop()
        with os.scandir(source) as entries:
            for entry in entries:
                if top and entry.name.startswith("."):
                    continue
                src, dst = Path(entry.path), target / entry.name
                if entry.is_symlink():
                    link = os.readlink(src)
                    if os.path.isabs(link):
                        real = Path(link).resolve()
                        if real.is_relative_to(root):
                            link = str(copy_root.resolve() / real.relative_to(root))
                    os.symlink(link, dst)
                elif entry.is_dir(follow_symlinks=False):
                    dst.mkdir()
                    stack.append((src, dst, False))
                elif entry.is_file(follow_symlinks=False):
                    try:
                        dst.write_bytes(read_regular(src, MAX_COPIED, follow=False))
                    except (OSError, NotRegular):  # swapped, or unreadable: not a file to it
                        os.mkfifo(dst)
                else:
                    os.mkfifo(dst)


def _short(shown: str, prefix: str) -> str:
    p = str(Path(shown).resolve()) if shown else shown
    if p.startswith(prefix + "/"):
        return p[len(prefix) + 1:]
    return shown


def check_folder(folder: Path) -> Check:
    return check_with(folder, {})


def lock_for(path: Path) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(path.resolve(), threading.Lock())


def save(path: Path, text: str, expected_version: str | None) -> Path | None:
    """Write `text` to `path` atomically, after a backup of the current file; refuse (Stale)
    when the file is not the version the form was made from. Returns the backup's path."""
    with lock_for(path):
        backup = None
        if path.exists():
            current = path.read_bytes()
            if expected_version is not None and version(current) != expected_version:
                raise Stale(str(path))
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            folder = _case_root(path) / BACKUPS
            rel = path.relative_to(_case_root(path))
            backup = folder / f"{str(rel).replace('/', '__')}.{stamp}"
            folder.mkdir(exist_ok=True)
            write_file(backup, current)
        elif expected_version is not None:
            raise Stale(str(path))
        write_file(path, text.encode("utf-8"))
        return backup


def _case_root(path: Path) -> Path:
    p = path.parent
    while p.name in ("avenants", "copils"):
        p = p.parent
    return p
