"""WRITE: staging folder, atomic moves, manifest.json, hand-edit guard, one build at a time."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from .version import __version__
from . import messages as msg
from .errors import OutputError, display_path

MANIFEST = "manifest.json"
PENDING = "manifest.json.pending"
LOCK = ".docgen.lock"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass
class Written:
    """What a build wrote, left unchanged and backed up."""

    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    backups: list[Path] = field(default_factory=list)


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    if not path.exists():
        return {"docgen": __version__, "outputs": {}, "templates": {}, "inputs": {}}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise OutputError(msg.MANIFEST_UNREADABLE.format(path=display_path(path), detail=exc)) from None
    data.setdefault("outputs", {})
    data.setdefault("templates", {})
    data.setdefault("inputs", {})
    return data


def _read_pending(folder: Path) -> dict[str, Any]:
    try:
        return json.loads((folder / PENDING).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def fresh(folder: Path, outputs: list[str], fingerprint: str) -> bool:
    """True when every output exists, is the file docgen wrote, and was made from inputs with
    this fingerprint (case files, templates, docgen's own code, build options)."""
    if (folder / PENDING).exists():
        return False
    manifest = read_manifest(folder)
    for rel in outputs:
        entry = manifest["outputs"].get(rel)
        path = folder / rel
        if entry is None or entry.get("fingerprint") != fingerprint or not path.exists():
            return False
        if sha256_file(path) != entry.get("sha256"):
            return False
    return True


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """One build per output folder at a time: a second one stops with a clear message."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = (folder / LOCK).open("a")
    except OSError as exc:
        raise _io_error(folder, exc) from None
    handle.close()
    lock = FileLock(str(folder / LOCK), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise OutputError(msg.BUSY.format(folder=display_path(folder))) from None
    try:
        yield
    finally:
        lock.release()


def write_outputs(
    folder: Path,
    files: dict[str, bytes],
    meta: dict[str, dict[str, Any]],
    templates: dict[str, str],
    inputs: dict[str, str],
    force: bool = False,
) -> Written:
    """Write every file or none: stage, check for hand edits, then move into place."""
    result = Written()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _io_error(folder, exc) from None
    for stale in folder.glob(".staging-*"):  # left by a build that was killed (we hold the lock)
        shutil.rmtree(stale, ignore_errors=True)
    manifest = read_manifest(folder)
    # A build killed while moving files into place leaves its manifest as .pending: the files it
    # had already moved are ours too, not hand edits.
    pending = _read_pending(folder)
    edited = []
    for rel in files:
        target = folder / rel
        if not target.exists():
            continue
        known = {manifest["outputs"].get(rel, {}).get("sha256"),
                 pending.get("outputs", {}).get(rel, {}).get("sha256")} - {None}
        if not known or sha256_file(target) not in known:
            edited.append(target)
    if edited and not force:
        names = "\n".join(f"  {display_path(p)}" for p in edited)
        raise OutputError(msg.HAND_EDITED.format(names=names))
    staging = folder / f".staging-{os.getpid()}"
    try:
        if staging.exists():
            shutil.rmtree(staging)
        for rel, data in files.items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        for target in edited:
            backup = target.with_name(f"{target.stem}.modifie{target.suffix}")
            shutil.copy2(target, backup)
            result.backups.append(backup)
        for rel, data in files.items():
            manifest["outputs"][rel] = {"sha256": sha256(data), **meta.get(rel, {})}
        manifest["docgen"] = __version__
        manifest["templates"].update(templates)
        manifest["inputs"] = inputs
        manifest["outputs"] = dict(sorted(manifest["outputs"].items()))
        text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        write_file(folder / PENDING, text.encode("utf-8"))  # first say what is coming
        for rel, data in files.items():
            target = folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if target not in edited and target.exists() and sha256_file(target) == sha256(data):
                result.unchanged.append(target)
                continue
            os.replace(staging / rel, target)  # atomic: the old file or the new one, never half
            result.written.append(target)
        os.replace(folder / PENDING, folder / MANIFEST)
    except OSError as exc:
        raise _io_error(folder, exc) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return result


def write_file(target: Path, data: bytes) -> None:
    """One file, atomically: a temporary file beside it, then a rename."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _io_error(target.parent, exc) from None


def _io_error(folder: Path, exc: OSError) -> OutputError:
    reason = {
        errno.ENOSPC: msg.DISK_FULL,
        errno.EACCES: msg.NO_PERMISSION,
        errno.EROFS: msg.READ_ONLY,
        errno.EDQUOT: msg.QUOTA,
    }.get(exc.errno or 0, exc.strerror or str(exc))
    return OutputError(msg.CANNOT_WRITE.format(folder=display_path(folder), reason=reason))
