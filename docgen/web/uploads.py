"""Logos sent from the browser: checked before anything is written, by the loader itself.

A PNG or JPEG (what partners usually send) is held to the loader's limits (bytes, pixels),
decoded and written again as a PNG of its pixels only: no EXIF, no text, no colour profile
reaches the case folder or a document.

An SVG is first parsed here without entities, DTD or network; anything that could run or fetch
(scripts, event attributes, foreign objects, external references) is refused, and a <title> is
required (the slides are a tagged PDF: every image needs its description). Then the loader's own
check of an asset (`read_asset`, what `docgen check` runs on every file of assets/) reads it
from a private scratch folder: whatever it refuses (a filter effect, an SVG inside the SVG, too
many <use>…) is refused here with its very message, and the case folder is left untouched. Only
then is the file written, atomically, never over another.

A logo can also be removed from the workspace (the slides and the acts take every file of assets/logos/):
the file is kept in .sauvegardes/ (read by neither the loader nor a build), then unlinked."""

from __future__ import annotations

import os
import re
import secrets
import stat
import tempfile
import unicodedata
from pathlib import Path

from lxml import etree

from ..errors import Issue
from ..load.assets import LOGO_SUFFIXES
from ..load.yamlpos import MAX_FILE_BYTES

SVG_NS = "{http://www.w3.org/2000/svg}"
_FORBIDDEN = {"script", "foreignObject", "iframe", "embed", "object", "audio", "video"}
LOGOS = Path("assets") / "logos"
BACKUPS = ".sauvegardes"  # as store.BACKUPS: hidden, never read by the loader
MAX_BACKUP = 64 * 1024 * 1024  # a removed file larger than this is not kept


class Refused(Exception):
    """`code` names the reason; the template words it. `issue`, for a refusal of the loader,
    carries its own French message (and line, column); `file`, the case file in cause."""

    def __init__(self, code: str, issue: Issue | None = None, file: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.issue = issue
        self.file = file


def safe_name(filename: str, suffix: str = ".svg") -> str:
    stem = Path(filename or "").stem
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode().lower()
    stem = re.sub(r"[^a-z0-9]+", "-", stem).strip("-")[:60]
    if not stem:
        raise Refused("nom")
    return stem + suffix


def _picture_kind(data: bytes) -> str | None:
    """png or jpeg from the file's first bytes (never its name), svg for XML, else None."""
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if data[:3] == b"\xff\xd8\xff":
        return "jpeg"
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    return "svg" if head[:1] == b"<" else None


def checked_picture(folder: Path, filename: str, data: bytes) -> tuple[str, bytes]:
    """A PNG or JPEG logo: within the loader's limits (bytes, pixels), decoded and written again
    as a PNG without its metadata (load/assets.raster_logo): the name and bytes to store."""
    from ..load.assets import AssetProblem, raster_logo

    kind = _picture_kind(data)
    original = safe_name(filename, ".jpg" if kind == "jpeg" else ".png")
    loader_check(folder, LOGOS / original, data)
    try:
        png = raster_logo(Path(original), data)
    except AssetProblem as exc:
        raise Refused("chargeur", Issue(str(LOGOS / original), 1, 1, "",
                                        exc.issue.message)) from None
    return safe_name(filename, ".png"), png


def check_svg(data: bytes) -> None:
    if len(data) > MAX_FILE_BYTES:
        raise Refused("taille")
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise Refused("xml")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        raise Refused("xml") from None
    if root.tag not in (SVG_NS + "svg", "svg"):
        raise Refused("type")
    title = None
    for el in root.iter():
        if not isinstance(el.tag, str):
            raise Refused("script")  # processing instructions
        local = etree.QName(el).localname
        if local in _FORBIDDEN:
            raise Refused("script")
        if local == "title" and title is None and (el.text or "").strip():
            title = el.text
        for name, value in el.attrib.items():
            assert isinstance(value, str)  # lxml-stubs say str or bytes; lxml gives str
            attr = etree.QName(name).localname.lower()
            if attr.startswith("on"):
                raise Refused("script")
            if attr == "href" and not value.startswith("#") and not value.startswith("data:image/"):
                raise Refused("externe")
            if "url(" in value and not re.fullmatch(r"[^()]*url\(#[\w.-]+\)[^()]*", value):
                raise Refused("externe")
        if local == "style" and el.text and ("@import" in el.text or re.search(r"url\((?!#)", el.text)):
            raise Refused("externe")
    if title is None:
        raise Refused("titre")


def _files_under(folder: Path) -> int:
    """Files under a folder, as check_assets counts them (links and other non-folders
    included, folders not followed when they are links)."""
    count = 0
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as found:
                entries = list(found)
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
            else:
                count += 1
    return count


def loader_check(folder: Path, rel: Path, data: bytes) -> None:
    """Refused("chargeur", issue) when `docgen check` would refuse `data` written at
    <folder>/<rel>: the loader's read_asset run on a copy in a private scratch folder, and the
    loader's limit on the number of files of assets/."""
    from ..load.assets import MAX_ASSETS, AssetProblem, read_asset

    with tempfile.TemporaryDirectory(prefix="docgen-logo-") as tmp:
        scratch = Path(tmp)
        copy = scratch / rel
        copy.parent.mkdir(parents=True)
        copy.write_bytes(data)
        try:
            read_asset(scratch, copy)
        except AssetProblem as exc:
            found = exc.issue
            raise Refused("chargeur", Issue(str(rel), found.line, found.col, found.path,
                                            found.message, found.severity)) from None
    if _files_under(folder / "assets") + 1 > MAX_ASSETS:
        from .. import messages as msg

        raise Refused("chargeur", Issue("assets", 1, 1, "",
                                        msg.ASSET_TOO_MANY.format(limit=MAX_ASSETS)))


def _logos_dir(folder: Path) -> Path | None:
    """<case>/assets/logos/, when it is a folder inside the case (not a link out of it)."""
    target = folder / LOGOS
    if not target.is_dir() or not target.resolve().is_relative_to(folder.resolve()):
        return None
    return target


def save_logo(folder: Path, filename: str, data: bytes) -> Path:
    """Write a checked logo into <case>/assets/logos/, never over an existing file."""
    from ..output import write_file

    kind = _picture_kind(data)
    if kind is None:
        raise Refused("type")
    if kind == "svg":
        name = safe_name(filename)
        check_svg(data)
    else:  # a PNG or JPEG, as partners send them: kept as a PNG of its pixels only
        if len(data) > MAX_FILE_BYTES:
            raise Refused("taille")
        name, data = checked_picture(folder, filename, data)
    target_dir = folder / LOGOS
    target = target_dir / name
    if os.path.lexists(target):
        raise Refused("existe")
    loader_check(folder, LOGOS / name, data)
    existing = target_dir
    while not os.path.lexists(existing) and existing != folder:
        existing = existing.parent
    if not existing.resolve().is_relative_to(folder.resolve()):
        raise Refused("dossier")  # assets/ or assets/logos/ is a link out of the case
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
    except OSError:
        raise Refused("dossier") from None
    # written whole beside it under a hidden name, then linked to its name: atomic, and an
    # upload of the same name at the same moment gets "existe" instead of replacing this one
    scratch = target_dir / f".{name}.{secrets.token_hex(6)}.envoi"
    try:
        write_file(scratch, data)
        try:
            os.link(scratch, target)
        except FileExistsError:
            raise Refused("existe") from None
        except OSError:  # a file system without hard links: checked again, then renamed
            if os.path.lexists(target):
                raise Refused("existe") from None
            os.replace(scratch, target)
    finally:
        scratch.unlink(missing_ok=True)
    return target


def logo_files(folder: Path) -> list[str]:
    """Every entry of assets/logos/ a user may remove (everything but folders), by name."""
    target = _logos_dir(folder)
    if target is None:
        return []
    return sorted(e.name for e in os.scandir(target) if not e.is_dir(follow_symlinks=False))


def _references(folder: Path, name: str) -> str:
    """The first case file that names assets/logos/<name>, or ''."""
    wanted = f"logos/{name}"
    for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("avenants/*.yaml")) \
            + sorted(folder.glob("copils/*.yaml")):
        try:
            if wanted in path.read_text(encoding="utf-8", errors="replace"):
                return str(path.relative_to(folder))
        except OSError:
            continue
    return ""


_RANK = re.compile(r"^\d+[-_. ]*")  # the number a logo's file name starts with: its place


def move_logo(folder: Path, name: str, up: bool) -> list[str]:
    """Move the logo `name` one place up or down in the partners' band, whose order is the
    file names' (load/assets.logos): every logo renamed « 01-… », « 02-… » in the new order,
    its name otherwise kept (a party's id stays: the acts name that logo after the party).
    Refused when a case file names one of them (its link would break) or when a logo is not a
    plain file. Two passes of renames (under hidden names first): never two files one name.
    Returns the new names, in order."""
    target_dir = _logos_dir(folder)
    names = [n for n in logo_files(folder) if Path(n).suffix.lower() in LOGO_SUFFIXES]
    if target_dir is None or name not in names:
        raise Refused("introuvable")
    k = names.index(name)
    other = k - 1 if up else k + 1
    if not 0 <= other < len(names):
        return names  # already first (or last): nothing to move
    for n in names:
        if not stat.S_ISREG(os.lstat(target_dir / n).st_mode):
            raise Refused("introuvable")
        referenced = _references(folder, n)
        if referenced:
            raise Refused("reference", file=referenced)
    names[k], names[other] = names[other], names[k]
    final = [f"{rank:02d}-{_RANK.sub('', n) or n}" for rank, n in enumerate(names, 1)]
    hidden = [f".{f}.{secrets.token_hex(4)}.ordre" for f in final]
    done: list[tuple[str, str]] = []  # (from, to), undone in reverse should a rename fail
    try:
        for old, tmp in zip(names, hidden):
            os.rename(target_dir / old, target_dir / tmp)
            done.append((old, tmp))
        for tmp, new in zip(hidden, final):
            os.rename(target_dir / tmp, target_dir / new)
            done.append((tmp, new))
    except OSError:
        for src, dst in reversed(done):  # every logo back under its name: the band as it was
            try:
                os.rename(target_dir / dst, target_dir / src)
            except OSError:
                pass
        raise
    return final


def remove_logo(folder: Path, name: str) -> None:
    """Remove assets/logos/<name>: a name of the folder's listing exactly; refused when a case
    file still names it. A regular file is kept first in .sauvegardes/; a link or anything else
    that is not a file is unlinked without being opened."""
    from ..load.reading import NotRegular, read_regular

    target_dir = _logos_dir(folder)
    if target_dir is None or "/" in name or "\0" in name or name not in logo_files(folder):
        raise Refused("introuvable")
    referenced = _references(folder, name)
    if referenced:
        raise Refused("reference", file=referenced)
    path = target_dir / name
    info = os.lstat(path)
    if stat.S_ISREG(info.st_mode):
        try:
            data = read_regular(path, MAX_BACKUP, follow=False)
        except (OSError, NotRegular):
            data = None
        if data is not None and len(data) <= MAX_BACKUP:
            from .store import keep_copy

            keep_copy(folder, f"assets/logos/{name}", data)
    os.unlink(path)
