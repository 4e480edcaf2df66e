"""READ the register of acts (`actes/registre.yaml`) as any input: YAML within bounds, the model
strictly, then what only the files can say — every file it names is in the register's folder,
a regular file, and has the SHA-256 recorded. A register that fails is refused at its line,
never repaired."""

from __future__ import annotations

from pathlib import Path

from .. import messages as msg
from ..errors import CaseInvalid, Issue
from ..model.registre import Acte, Presentation, Registre
from .files import CaseFile, Report
from .reading import NotRegular, Outside, confined, read_regular, shown_path
from .validate import _validate
from .yamlpos import YamlProblem, read_yaml

DOSSIER = "actes"  # the register's folder, in the territory folder
FICHIER = "registre.yaml"
MAX_PIECE = 200_000_000  # one file of the register (a scanned original may be large)


def registre_path(case_folder: Path) -> Path:
    return Path(case_folder) / DOSSIER / FICHIER


def load_registre(case_folder: Path, *, files: bool = True) -> Registre:
    """The register of a territory folder (empty when it has none). With files, every file it
    names is read and its SHA-256 checked."""
    case_folder = Path(case_folder)
    path = registre_path(case_folder)
    if not path.exists() and not path.is_symlink():
        return Registre()
    f = CaseFile(path, shown_path(path))
    report = Report()
    try:
        f.data, f.positions = read_yaml(path, f.shown, root=case_folder)
    except YamlProblem as exc:
        raise CaseInvalid(exc.issues) from None
    value = _validate(Registre, f, report)
    if isinstance(value, Registre):
        for code, acte in value.actes.items():
            _check_acte(case_folder, code, acte, f, report, files)
        for code, shown in value.copils.items():
            _check_files(case_folder, code, ("copils", code), [
                (("pieces", name, "fichier"), p.fichier, p.sha256)
                for name, p in shown.pieces.items()], f, report, files)
            _check_slides(case_folder, code, shown, f, report, files)
    errors = [i for i in report.issues if i.is_error]
    if errors or not isinstance(value, Registre):
        raise CaseInvalid(errors or [Issue(f.shown, 1, 1, "", msg.REGISTRE_ILLISIBLE)])
    return value


def _check_acte(case_folder: Path, code: str, acte: Acte, f: CaseFile, report: Report,
                files: bool) -> None:
    here = ("actes", code)
    if acte.etat != "projet" and acte.emis is None:
        report.add(f, here + ("etat",), msg.REGISTRE_SANS_EMISSION.format(etat=acte.etat))
    if acte.etat in ("signe", "transmis") and acte.signature is None:
        report.add(f, here + ("etat",), msg.REGISTRE_SANS_SIGNATURE.format(etat=acte.etat))
    if acte.etat == "transmis" and acte.transmission is None:
        report.add(f, here + ("etat",), msg.REGISTRE_SANS_TRANSMISSION)
    named: list[tuple[tuple[str, ...], str, str | None]] = []
    if acte.emis is not None:
        e = acte.emis
        named += [(("emis", "docx"), e.docx, e.docx_sha256), (("emis", "pdf"), e.pdf, e.pdf_sha256)]
        if e.dossier is not None:
            named.append((("emis", "dossier"), e.dossier, None))
    s = acte.signature
    if s is not None and (s.original is None) != (s.original_sha256 is None):
        report.add(f, here + ("signature", "original"), msg.REGISTRE_ORIGINAL_INCOMPLET)
    elif s is not None and s.original is not None:
        named.append((("signature", "original"), s.original, s.original_sha256))
    t = acte.transmission
    if t is not None:
        for field, digest in (("accuse", t.accuse_sha256), ("tamponne", t.tamponne_sha256)):
            rel = getattr(t, field)
            if (rel is None) != (digest is None):
                report.add(f, here + ("transmission", field), msg.REGISTRE_ORIGINAL_INCOMPLET)
            elif rel is not None:
                named.append((("transmission", field), rel, digest))
    _check_files(case_folder, code, here, named, f, report, files)


def _check_files(case_folder: Path, code: str, here: tuple[str, ...],
                 named: list[tuple[tuple[str, ...], str, str | None]], f: CaseFile,
                 report: Report, files: bool) -> None:
    """Each file named is in the folder of its act (or COPIL), regular, within MAX_PIECE (its
    size known before a byte is read), of the SHA-256 recorded, and of its kind: a Word file
    docgen can read back (the text of record), a PDF."""
    import hashlib
    import os

    for where, rel, digest in named:
        if not rel.startswith(code + "/"):
            report.add(f, here + where, msg.REGISTRE_FICHIER_AILLEURS.format(fichier=rel, acte=code))
            continue
        if not files:
            continue
        target = case_folder / DOSSIER / rel
        try:
            real = confined(target, case_folder)
            if os.lstat(real).st_size > MAX_PIECE:
                report.add(f, here + where, msg.REGISTRE_FICHIER_TROP_GROS.format(
                    fichier=rel, limite=MAX_PIECE // 1_000_000))
                continue
            data = read_regular(real, MAX_PIECE, follow=False)
        except FileNotFoundError:
            report.add(f, here + where, msg.REGISTRE_FICHIER_ABSENT.format(fichier=rel))
            continue
        except (NotRegular, Outside, OSError, RuntimeError, ValueError):  # RuntimeError: a loop
            report.add(f, here + where, msg.REGISTRE_FICHIER_ILLISIBLE.format(fichier=rel))
            continue
        if len(data) > MAX_PIECE:  # grew while it was read
            report.add(f, here + where, msg.REGISTRE_FICHIER_TROP_GROS.format(
                fichier=rel, limite=MAX_PIECE // 1_000_000))
        elif digest is not None and hashlib.sha256(data).hexdigest() != digest:
            report.add(f, here + where, msg.REGISTRE_FICHIER_MODIFIE.format(fichier=rel))
        elif not _of_its_kind(rel, data):
            report.add(f, here + where, msg.REGISTRE_FICHIER_PAS_DU_TYPE.format(
                fichier=rel, type=msg.REGISTRE_TYPES[rel.rsplit(".", 1)[1]]))


def _check_slides(case_folder: Path, code: str, shown: Presentation, f: CaseFile,
                  report: Report, files: bool) -> None:
    """The slides a COPIL keeps as presented are handed out again, and a PDF one is laid out
    three to a page and merged into the COPIL's pack: each is of its kind (kinds.py), and a PDF
    opens, with a page, as the build will open it."""
    from ..kinds import KINDS

    for name, piece in shown.pieces.items():
        kind = KINDS.get(name)
        if kind is None or not kind.presented:
            continue  # never handed out
        where = ("copils", code, "pieces", name, "fichier")
        suffix = Path(kind.output).suffix
        if not piece.fichier.endswith(suffix):
            report.add(f, where, msg.REGISTRE_FICHIER_PAS_DU_TYPE.format(
                fichier=piece.fichier, type=msg.REGISTRE_TYPES[suffix[1:]]))
        elif files and suffix == ".pdf" and not any(
                i.is_error and i.path[:len(where)] == where for i in report.issues) \
                and not _opens_as_pdf(case_folder / DOSSIER / piece.fichier):
            report.add(f, where, msg.REGISTRE_FICHIER_PAS_DU_TYPE.format(
                fichier=piece.fichier, type=msg.REGISTRE_TYPES["pdf"]))


def _opens_as_pdf(path: Path) -> bool:
    """The PDF opens (pikepdf, as the COPIL's handout and pack open it) and has a page."""
    import pikepdf

    try:
        with pikepdf.open(path) as pdf:
            return len(pdf.pages) > 0
    except (pikepdf.PdfError, pikepdf.PasswordError, OSError, ValueError, RuntimeError):
        return False


MAX_TEXTE_DEPLIE = 200 * 1024 * 1024  # what an issued DOCX may expand to (zip bombs)


def _of_its_kind(rel: str, data: bytes) -> bool:
    """A file of the register is what its name says: a PDF begins as one; an issued DOCX is an
    archive of bounded size whose body docgen reads back (acts.changed_provisions compares it
    with each new rendering). The YAML, XML and PPTX kept are only handed out, never parsed."""
    if rel.endswith(".pdf"):
        return data.startswith(b"%PDF-")
    if not rel.endswith(".docx"):
        return True
    import io
    import zipfile
    import zlib

    from lxml import etree

    from ..render.package import parse_xml

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if sum(i.file_size for i in zf.infolist()) > MAX_TEXTE_DEPLIE:
                return False
            body = parse_xml(zf.read("word/document.xml"))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, zlib.error, EOFError, ValueError,
            NotImplementedError, RuntimeError, etree.XMLSyntaxError):
        return False
    return body.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}body") \
        is not None
