"""The acts of a territory in the workspace: their states in the words of `docgen status`, the
signed original imported and verified (as `docgen signature import`), the reviewed DOCX turned
into the PDF to sign (as `docgen relu`), the hand-off prepared (as `docgen remise`) and the
prefecture's acknowledgement read back (as `docgen remise ar`).

A file sent from the browser is written into a private scratch folder (mode 0700, removed on
every path), under a name made of safe characters only, and handed to the library, which reads
it within its own bounds; nothing of it reaches the territory folder unless the library records
it. The library's messages name that scratch file: they are shown with the user's file name.
These operations run outside the event loop (pyHanko's validation runs its own)."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from .. import messages as msg
from ..errors import DocgenError

T = TypeVar("T")

CODE = re.compile(r"^(adhesion|convention|avenant-[0-9]{2})$")
MAX_UPLOAD = 64 * 1024 * 1024  # a signed original or a scan (the command takes up to 150 Mo)
MAX_ACCUSE = 1024 * 1024  # an ARActe: as docgen remise ar reads it (accuse.MAX_ACCUSE)
_NAME_CHARS = re.compile(r"[^\w .()'-]+")


@dataclass
class ActRow:
    """One act on the territory page: its state as `docgen status` says it, and what may be
    done with it."""

    code: str
    titre: str
    etat: str  # projet, relu, signe, transmis
    detail: str
    emis: bool = False  # a version issued for signature is recorded
    original: bool = False  # its signed original (or the scan) is recorded
    fige: bool = False  # signed: its text is of record, never replaced (no reviewed DOCX)
    mode: str = "electronique"  # how the case says it is signed
    date_dossier: dt.date | None = None
    rapport: Report | None = None  # the verification of the original recorded
    remise: str = ""  # the name of the ZIP docgen remise wrote for it, if there is one


@dataclass
class Report:
    """What the verification of an original found, for the page."""

    code: str
    titre: str
    mode: str
    date: dt.date
    confiance: str
    signatures: list[dict[str, Any]] = field(default_factory=list)


def overview(folder: Path, out: Path) -> dict[str, Any] | None:
    """The acts and the documents of a territory as `docgen status` words them; None when the
    case cannot be read (the page shows the loader's errors instead)."""
    from .. import acts
    from ..status import status

    try:
        st = status(folder, out)
    except DocgenError:
        return None
    case = st.case
    rows = []
    for a in st.acts:
        entry = case.registre.actes.get(a.code)
        model = acts.act_model(case, a.code)
        row = ActRow(a.code, a.titre, a.etat, a.detail,
                     emis=entry is not None and entry.emis is not None,
                     fige=acts.is_frozen(case, a.code, entry),
                     mode=model.signature.mode, date_dossier=model.signature.date)
        handed = remise_zip(out / folder.name, a.code)
        row.remise = handed.name if handed is not None else ""
        s = entry.signature if entry is not None else None
        if s is not None and s.original is not None:
            row.original = True
            row.rapport = Report(a.code, a.titre, s.mode, s.date, s.confiance,
                                 [_signature(x, _for_whom(entry)) for x in s.signatures])
        rows.append(row)
    produced = [d for d in st.documents if d.etat != msg.ST_ABSENT]
    return {"actes": rows, "documents": st.documents if produced else [],
            "dossier": st.folder}


def _for_whom(entry: Any) -> dict[str, str]:
    """Each signature field of the issued PDF → the party it signs for (« la Commune »)."""
    if entry is None or entry.emis is None:
        return {}
    return {a.champ: a.pour for a in entry.emis.signataires}


def _signature(s: Any, pour: dict[str, str]) -> dict[str, Any]:
    from ..acts import french_day
    from ..formatting import date_longue

    return {"champ": s.champ, "pour": pour.get(s.champ, ""), "nom": s.nom,
            "attendu": s.attendu, "accepte": s.accepte,
            "date": date_longue(french_day(s.date)) if s.date else msg.WEB_ACTE_DATE_INCONNUE}


def report_of(folder: Path, done: Any) -> Report:
    """The report of an import (acts.Imported), in the page's terms."""
    from ..acts import title
    from ..load.registre import load_registre

    pour = _for_whom(load_registre(folder, files=False).actes.get(done.code))
    return Report(done.code, title(done.code), done.mode, done.date, done.confiance,
                  [_signature(s, pour) for s in done.signatures])


def reviewed_view(folder: Path, done: Any) -> dict[str, Any]:
    """What `docgen relu` prints (acts.Reviewed), the PDF named inside the territory folder."""
    pdf = Path(done.pdf)
    shown = pdf.relative_to(folder) if pdf.is_relative_to(folder) else Path(pdf.name)
    return {"etat": done.etat, "pdf": str(shown), "differences": list(done.differences)}


def upload_name(filename: str, suffix: str, default: str = "original") -> str:
    """The user's file name, kept readable (letters, digits, spaces, . - ( ) '), never a path
    nor a hidden name, with the expected suffix: the name the library's messages will show."""
    name = unicodedata.normalize("NFC", (filename or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = _NAME_CHARS.sub("-", name).strip(" .-")[:100]
    while len(name.encode("utf-8")) > 120:  # a file name has at most 255 bytes
        name = name[:-1]
    name = name.strip(" .-")
    if not name:
        name = default
    if not name.lower().endswith(suffix):
        name += suffix
    return name


def check_upload(data: bytes, name: str, kind: str) -> None:
    """Refuse at once what is empty, too large, or plainly not the expected kind of file (pdf,
    docx; xml: an acknowledgement, 1 Mio at most)."""
    if not data:
        raise DocgenError(msg.WEB_ACTE_CHOISIR)
    if kind == "xml" and len(data) > MAX_ACCUSE:
        raise DocgenError(msg.AR_TROP_GROS.format(nom=name))
    if len(data) > MAX_UPLOAD:
        raise DocgenError(msg.WEB_ACTE_TROP_GROS.format(nom=name, limite=MAX_UPLOAD >> 20))
    if kind == "pdf" and not data.startswith(b"%PDF-"):
        raise DocgenError(msg.WEB_ACTE_PAS_PDF.format(nom=name))
    if kind == "docx" and not data.startswith(b"PK"):
        raise DocgenError(msg.WEB_ACTE_PAS_DOCX.format(nom=name))
    if kind == "xml" and not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise DocgenError(msg.WEB_ACTE_PAS_XML.format(nom=name))


def parse_date(text: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise DocgenError(msg.WEB_ACTE_DATE.format(valeur=text[:40])) from None


def _in_scratch(data: bytes, name: str, operation: Callable[[Path], T]) -> T:
    """`operation` on the upload written as <private scratch folder>/<name>; its messages
    show the file by its name only; the folder is removed whatever happens."""
    return _all_in_scratch([(name, data)], lambda paths: operation(paths[0]))


def _all_in_scratch(uploads: list[tuple[str, bytes]],
                    operation: Callable[[list[Path]], T]) -> T:
    """`operation` on the uploads written as <private scratch folder>/<name> (names of
    distinct suffixes), as _in_scratch does it for one."""
    with tempfile.TemporaryDirectory(prefix="docgen-acte-") as tmp:
        paths = []
        for name, data in uploads:
            path = Path(tmp) / name
            try:
                path.write_bytes(data)
            except OSError:
                raise DocgenError(msg.WEB_ACTE_RECEPTION.format(nom=name)) from None
            paths.append(path)
        try:
            return operation(paths)
        except DocgenError as exc:
            raise DocgenError(exc.render().replace(str(Path(tmp)) + "/", "")) from None
        except Exception as exc:  # noqa: BLE001 - hostile bytes: said, never a traceback
            raise DocgenError(msg.WEB_ACTE_INATTENDU.format(
                nom=uploads[0][0], erreur=type(exc).__name__)) from None


def import_original(folder: Path, code: str, data: bytes, filename: str, *, papier: bool,
                    date: dt.date | None, accept: str, runner: Callable[..., Any]) -> Any:
    """acts.import_signed on the uploaded PDF, run by `runner` (the workspace's job pool:
    jobs.signature_task, in a worker killed at its limit; blocking: call it in a thread)."""
    name = upload_name(filename, ".pdf")
    check_upload(data, name, "pdf")
    if papier and date is None:
        raise DocgenError(msg.WEB_ACTE_DATE_PAPIER)
    accepted = (accept.strip(),) if accept.strip() else ()
    return _in_scratch(data, name, lambda path: runner(
        "signature", folder, code, path, papier, date, accepted, dt.date.today()))


def record_reviewed(folder: Path, code: str, data: bytes, filename: str, out: Path,
                    runner: Callable[..., Any]) -> Any:
    """acts.record_reviewed on the uploaded DOCX, run by `runner` (jobs.relu_task: the
    typesetting in a worker killed at its limit; blocking: call it in a thread)."""
    name = upload_name(filename, ".docx")
    check_upload(data, name, "docx")
    return reviewed_view(folder, _in_scratch(data, name, lambda path: runner(
        "relu", folder, code, path, out, dt.date.today())))


def issued_pdf(folder: Path, code: str) -> bytes | None:
    """The PDF issued for signature of act `code`, as the register records it (its SHA-256
    checked by the register's reader), or None."""
    from ..load.registre import load_registre

    try:
        entry = load_registre(folder).actes.get(code)
    except DocgenError:
        return None
    if entry is None or entry.emis is None:
        return None
    from ..load.reading import NotRegular, Outside, confined, read_regular
    from ..load.registre import DOSSIER, MAX_PIECE

    try:
        return read_regular(confined(folder / DOSSIER / entry.emis.pdf, folder), MAX_PIECE,
                            follow=False)
    except (OSError, NotRegular, Outside, ValueError):
        return None


def remise_zip(output: Path, code: str) -> Path | None:
    """The ZIP docgen remise wrote for act `code` (a code CODE accepted, never a name sent):
    <output of the case>/remise/<code>.zip, a regular file inside that folder, or None."""
    from ..remise import DOSSIER

    if not CODE.match(code):
        return None
    base = (output / DOSSIER).resolve()
    path = base / f"{code}.zip"
    try:
        if path.is_symlink() or not path.is_file() or path.resolve().parent != base:
            return None
    except OSError:
        return None
    return path


def hand_off(folder: Path, code: str, out: Path, runner: Callable[..., Any]) -> dict[str, Any]:
    """remise.write_remise of act `code`, never forced (a file of the hand-off edited by hand
    is refused, as the command does without --force), run by `runner` (jobs.remise_task, in a
    worker killed at its limit; blocking: call it in a thread); what `docgen remise` prints,
    the IDActe to expect and the ZIP's name, for the page."""
    from ..errors import OutputError
    from ..remise import id_acte, summary

    try:
        done = runner("remise", folder, code, out)
    except OutputError as exc:
        said = exc.render()
        if "--force" in said:  # the command's way out; the workspace never takes it
            raise OutputError(f"{said}\n{msg.WEB_REMISE_FORCE}") from None
        raise
    lines, notes = summary(done)
    return {"route": lines[0], "pieces": [line.strip() for line in lines[1:-1]],
            "ecrit": lines[-1], "notes": notes, "numero": done.bundle.fiche.numero,
            "id_acte": id_acte(done.bundle.fiche), "zip": done.zip.name}


def read_acknowledgement(folder: Path, code: str, data: bytes, filename: str, stamped: bytes,
                         stamped_name: str, runner: Callable[..., Any]) -> Any:
    """acts.record_acknowledgement on the uploaded ARActe (and the stamped act, when one is
    sent), run by `runner` (jobs.ar_task; blocking: call it in a thread): the Accuse read."""
    name = upload_name(filename, ".xml", "accuse")
    check_upload(data, name, "xml")
    uploads = [(name, data)]
    if stamped or stamped_name:
        tampon = upload_name(stamped_name, ".pdf", "tampon")
        if not stamped:
            raise DocgenError(msg.WEB_ACTE_VIDE.format(nom=tampon))
        check_upload(stamped, tampon, "pdf")
        uploads.append((tampon, stamped))
    return _all_in_scratch(uploads, lambda paths: runner(
        "ar", folder, code, paths[0], paths[1] if len(paths) > 1 else None, dt.date.today()))
