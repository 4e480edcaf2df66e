"""WRITE: staging folder, atomic moves, manifest.json, hand-edit guard, one build at a time."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .errors import OutputError, display_path

MANIFEST = "manifest.json"
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
        raise OutputError(f"{display_path(path)} : manifeste illisible ({exc}) ; supprimez-le "
                          "ou relancez avec --force.") from None
    data.setdefault("outputs", {})
    data.setdefault("templates", {})
    data.setdefault("inputs", {})
    return data


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """One build per output folder at a time: a second one stops with a clear message."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / LOCK).open("a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise OutputError(f"{display_path(folder)} : une autre construction de ce dossier est "
                              "en cours ; attendez qu'elle se termine.") from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


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
    manifest = read_manifest(folder)
    edited = []
    for rel in files:
        target = folder / rel
        if not target.exists():
            continue
        known = manifest["outputs"].get(rel, {}).get("sha256")
        if known is None or sha256_file(target) != known:
            edited.append(target)
    if edited and not force:
        names = "\n".join(f"  {display_path(p)}" for p in edited)
        raise OutputError(
            "ces fichiers ont été modifiés à la main depuis leur génération (ou n'ont pas été "
            f"produits par docgen) ; rien n'a été écrit :\n{names}\n"
            "Renommez-les pour garder vos modifications, ou relancez avec --force : docgen en "
            "gardera une copie « .modifie » à côté."
        )
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
            target = folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if target not in edited and target.exists() and (
                manifest["outputs"].get(rel, {}).get("sha256") == sha256(data)
            ):
                result.unchanged.append(target)
                continue
            os.replace(staging / rel, target)
            result.written.append(target)
        for rel, data in files.items():
            manifest["outputs"][rel] = {"sha256": sha256(data), **meta.get(rel, {})}
        manifest["docgen"] = __version__
        manifest["templates"].update(templates)
        manifest["inputs"] = inputs
        manifest["outputs"] = dict(sorted(manifest["outputs"].items()))
        text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        tmp = staging / MANIFEST
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, folder / MANIFEST)
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
        errno.ENOSPC: "disque plein",
        errno.EACCES: "écriture refusée (droits)",
        errno.EROFS: "dossier en lecture seule",
        errno.EDQUOT: "quota disque dépassé",
    }.get(exc.errno or 0, exc.strerror or str(exc))
    return OutputError(f"{display_path(folder)} : impossible d'écrire les documents ({reason}) ; "
                       "les documents précédents sont intacts.")
