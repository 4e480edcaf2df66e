"""WRITE: staging folder, atomic moves, manifest.json, hand-edit guard, one build at a time."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import messages as msg
from .errors import OutputError, display_path
from .version import __version__

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


# Fault-injection seam: called with the name of each write step ("stage:<file>",
# "backup:<file>", "pending", "move:<file>", "manifest", "recover"). Tests set it to a function
# that raises (or kills the process) at one step, then check that nothing was lost.
fault_hook: Callable[[str], None] | None = None


def _step(name: str) -> None:
    if fault_hook is not None:
        fault_hook(name)


@dataclass
class Written:
    """What a build wrote, left unchanged and backed up."""

    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    backups: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. a corrupt manifest set aside
    kept: list[Path] = field(default_factory=list)  # edited by hand: left as they are


def _empty_manifest() -> dict[str, Any]:
    return {"docgen": __version__, "outputs": {}, "templates": {}, "inputs": {}}


def read_manifest(folder: Path) -> dict[str, Any]:
    """manifest.json of an output folder (empty when absent); OutputError when it is corrupt."""
    path = folder / MANIFEST
    if not path.exists():
        return _empty_manifest()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not all(
                isinstance(data.get(k, {}), dict) for k in ("outputs", "templates", "inputs")):
            raise ValueError(msg.STRUCTURE_INATTENDUE)
        if not all(isinstance(e, dict) and isinstance(e.get("sha256"), str)
                   for e in data.get("outputs", {}).values()):
            raise ValueError(msg.ENTREE_DOCUMENT_SANS_EMPREINTE)
    except (OSError, ValueError) as exc:
        detail = getattr(exc, "msg", None) or str(exc)
        raise OutputError(msg.MANIFEST_UNREADABLE.format(path=display_path(path),
                                                         detail=detail)) from None
    data.setdefault("outputs", {})
    data.setdefault("templates", {})
    data.setdefault("inputs", {})
    return data


def _read_pending(folder: Path) -> dict[str, Any]:
    try:
        data = json.loads((folder / PENDING).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and isinstance(data.get("outputs"), dict) else {}


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
        try:
            if sha256_file(path) != entry.get("sha256"):
                return False
        except OSError:  # unreadable: rebuilt, and the write says what is wrong
            return False
    return True


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """One build per output folder at a time, held from the start of the build to its end: a
    second one stops at once with a clear message."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = (folder / LOCK).open("a")
    except OSError as exc:
        raise io_error(folder, exc) from None
    handle.close()
    from filelock import FileLock, Timeout  # imported here: it loads asyncio (60 ms)

    lock = FileLock(str(folder / LOCK), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise OutputError(msg.BUSY.format(folder=display_path(folder))) from None
    except OSError as exc:
        raise io_error(folder, exc) from None
    try:
        yield
    finally:
        lock.release()


def recover(folder: Path, force: bool = False) -> tuple[dict[str, Any], list[str]]:
    """Bring manifest.json back in line with the files after a build that was interrupted (a
    manifest.json.pending left behind), before anything else is decided. A file whose bytes are
    those the pending manifest announced is ours: its entry is adopted. With force, a corrupt
    manifest is set aside (manifest.json.illisible…) and rebuilt from the files. Returns the
    manifest and notes for the user. Call with the lock held."""
    notes: list[str] = []
    try:
        manifest = read_manifest(folder)
    except OutputError:
        if not force:
            raise
        aside = _numbered(folder / MANIFEST, ".illisible")
        try:
            os.replace(folder / MANIFEST, aside)
        except OSError as exc:
            raise io_error(folder, exc) from None
        notes.append(msg.MANIFEST_SET_ASIDE.format(path=display_path(aside)))
        manifest = _empty_manifest()
    pending = _read_pending(folder)
    if not (folder / PENDING).exists():
        return manifest, notes
    for rel, entry in pending.get("outputs", {}).items():
        path = folder / rel
        if not isinstance(entry, dict) or not path.is_file():
            continue
        old = manifest["outputs"].get(rel, {})
        digest = sha256_file(path)
        if digest == entry.get("sha256") and digest != old.get("sha256"):
            manifest["outputs"][rel] = entry  # moved into place before the interruption
    _step("recover")
    _write_manifest(folder, manifest)
    try:
        (folder / PENDING).unlink(missing_ok=True)
    except OSError as exc:
        raise io_error(folder, exc) from None
    return manifest, notes


def _numbered(target: Path, tag: str) -> Path:
    """<stem><tag><suffix>, or <stem><tag>-2<suffix>, -3…: the first name not yet taken, so an
    earlier copy is never overwritten."""
    n = 1
    while True:
        name = f"{target.stem}{tag}{'' if n == 1 else f'-{n}'}{target.suffix}"
        candidate = target.with_name(name)
        if not candidate.exists() and not candidate.is_symlink():
            return candidate
        n += 1


def _twin(rel: str) -> str:
    """A document and the PDF typeset from it share this key (convention.docx, convention.pdf)."""
    return rel.rsplit(".", 1)[0] if rel.endswith((".docx", ".pdf")) else rel


def kept_message(kept: list[Path]) -> str:
    """What a build says of the documents it left as they were (edited by hand)."""
    return msg.HAND_EDITED.format(names="\n".join(f"  {display_path(p)}" for p in kept))


def backup_path(target: Path) -> Path:
    """Where the hand-edited copy of target goes: convention.modifie.docx, then
    convention.modifie-2.docx…"""
    return _numbered(target, ".modifie")


def _manifest_text(manifest: dict[str, Any]) -> bytes:
    manifest["outputs"] = dict(sorted(manifest["outputs"].items()))
    return (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def _write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    write_file(folder / MANIFEST, _manifest_text(manifest))


def write_outputs(
    folder: Path,
    files: dict[str, bytes],
    meta: dict[str, dict[str, Any]],
    templates: dict[str, str],
    inputs: dict[str, str],
    force: bool = False,
    keep_edited: bool = False,
) -> Written:
    """Write every file or none: stage, check for hand edits, then move into place. Call with
    the lock held (see locked()).

    Invariant at every instant, a kill included: each output on disk is either the old file
    (known to manifest.json) or the complete new one (announced in manifest.json.pending, which
    is written before the first move); recover() turns that into a consistent manifest."""
    result = Written()
    try:  # every step before staging reads or tidies the folder: a refusal is a user error
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob(".staging-*"):  # left by a build that was killed (lock held)
            shutil.rmtree(stale, ignore_errors=True)
        for stale in folder.glob(".*.tmp"):
            stale.unlink(missing_ok=True)
        manifest, result.notes = recover(folder, force)
        edited = []
        for rel in files:
            target = folder / rel
            if not target.exists():
                continue
            known = manifest["outputs"].get(rel, {}).get("sha256")
            if known is None or sha256_file(target) != known:
                edited.append(target)
    except OSError as exc:
        raise io_error(folder, exc) from None
    if edited and not force and not keep_edited:  # a set that stands together (a hand-off)
        raise OutputError(msg.HAND_EDITED_NOTHING.format(
            names="\n".join(f"  {display_path(p)}" for p in edited)))
    if edited and not force:  # a build: a hand-edited document blocks only itself (and its
        # twin: the PDF of an edited DOCX, the DOCX of an edited PDF); the others are written
        stems = {_twin(target.relative_to(folder).as_posix()) for target in edited}
        kept = [rel for rel in files if _twin(rel) in stems]
        result.kept = [folder / rel for rel in kept]
        files = {rel: data for rel, data in files.items() if rel not in kept}
        edited = []
    staging = folder / f".staging-{os.getpid()}"
    moved: list[Path] = []
    try:
        try:
            if staging.exists():
                shutil.rmtree(staging)
            for rel, data in files.items():
                _step(f"stage:{rel}")
                path = staging / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                with path.open("wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
            for target in edited:
                _step(f"backup:{target.relative_to(folder)}")
                backup = backup_path(target)
                shutil.copy2(target, backup)
                result.backups.append(backup)
            new = json.loads(json.dumps(manifest))
            for rel, data in files.items():
                new["outputs"][rel] = {"sha256": sha256(data), **meta.get(rel, {})}
            new["docgen"] = __version__
            new["templates"].update(templates)
            new["inputs"] = inputs
            _step("pending")
            write_file(folder / PENDING, _manifest_text(new))  # first say what is coming
            for rel, data in files.items():
                target = folder / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                if target not in edited and target.exists() and sha256_file(target) == sha256(data):
                    result.unchanged.append(target)
                    continue
                _step(f"move:{rel}")
                os.replace(staging / rel, target)  # atomic: the old file or the new one, never half
                moved.append(target)
                result.written.append(target)
            _step("manifest")
            os.replace(folder / PENDING, folder / MANIFEST)
        except OSError as exc:
            raise _partial_failure(folder, exc, files, moved, result.backups) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return result


def _partial_failure(folder: Path, exc: OSError, files: dict[str, bytes], moved: list[Path],
                     backups: list[Path]) -> OutputError:
    """The error after a failed write, saying which documents are new and which are old; the
    manifest is brought in line with the files when the disk allows it (else at the next build)."""
    error = io_error(folder, exc, intact=not moved)
    if not moved:
        with contextlib.suppress(OSError):  # none written: the next build finds none pending
            (folder / PENDING).unlink(missing_ok=True)
        return error
    try:
        recover(folder)
        again = msg.PARTIAL_AGAIN
    except (OSError, OutputError):
        again = msg.PARTIAL_PENDING  # the next build adopts the moved files from the pending manifest
    new = "\n".join(f"  {display_path(p)}" for p in moved)
    old = "\n".join(
        f"  {display_path(folder / rel)}" for rel, data in files.items()
        if folder / rel not in moved and (folder / rel).is_file()
        and _digest(folder / rel) != sha256(data))
    text = str(error) + "\n" + msg.PARTIAL_NEW.format(names=new)
    if old:
        text += "\n" + msg.PARTIAL_OLD.format(names=old)
    return OutputError(text + "\n" + again)


def _digest(path: Path) -> str | None:
    """sha256_file, or None when the file cannot be read (it is then not the new one)."""
    try:
        return sha256_file(path)
    except OSError:
        return None


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
        with contextlib.suppress(OSError):  # a folder we may not write in: nothing was made
            tmp.unlink(missing_ok=True)
        raise io_error(target.parent, exc) from None


def io_error(folder: Path, exc: OSError, intact: bool = True) -> OutputError:
    """The French error of a failed write in `folder`: its reason in words."""
    pattern = msg.CANNOT_WRITE if intact else msg.CANNOT_WRITE_PARTIAL
    return OutputError(pattern.format(folder=display_path(folder), reason=reason_of(exc.errno)))


def reason_of(code: int | None) -> str:
    """Why a write failed, in words, from its errno."""
    return {
        errno.ENOSPC: msg.DISK_FULL,
        errno.EACCES: msg.NO_PERMISSION,
        errno.EROFS: msg.READ_ONLY,
        errno.EDQUOT: msg.QUOTA,
        errno.EEXIST: msg.NOT_A_FOLDER,
        errno.ENOTDIR: msg.NOT_A_FOLDER,
        errno.EISDIR: msg.IS_A_FOLDER,
        errno.ENAMETOOLONG: msg.NAME_TOO_LONG,
        errno.EMFILE: msg.TOO_MANY_OPEN,
        errno.EIO: msg.IO_ERROR,
        errno.EPERM: msg.NO_PERMISSION,
    }.get(code or 0, msg.OTHER_OS_ERROR.format(code=errno.errorcode.get(code or 0, "?")))


def remove_outputs(folder: Path, rels: list[str]) -> list[Path]:
    """Remove outputs an earlier write made that the latest one no longer makes (a bundle whose
    file names changed): each one only while it is still the file docgen wrote (a file edited
    since is left where it is), its entry dropped from manifest.json first, so that a crash
    leaves at worst a file the manifest no longer lists. Call with the lock held, after the
    write. Returns the files removed."""
    try:
        manifest = read_manifest(folder)
        ours = [rel for rel in rels if (folder / rel).is_file()
                and sha256_file(folder / rel) == manifest["outputs"].get(rel, {}).get("sha256")]
        gone = [rel for rel in rels if rel in manifest["outputs"]
                and (rel in ours or not (folder / rel).exists())]
        if not gone:
            return []
        for rel in gone:
            del manifest["outputs"][rel]
        _write_manifest(folder, manifest)
        for rel in ours:
            (folder / rel).unlink(missing_ok=True)
    except OSError as exc:
        raise io_error(folder, exc) from None
    return [folder / rel for rel in ours]
