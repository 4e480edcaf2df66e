"""READ the register of acts (`actes/registre.yaml`) as any input: YAML within bounds, the model
strictly, then what only the files can say — every file it names is in the register's folder,
a regular file, and has the SHA-256 recorded. A register that fails is refused at its line,
never repaired."""

from __future__ import annotations

from pathlib import Path

from .. import messages as msg
from ..errors import CaseInvalid, Issue
from ..model.registre import Acte, Registre
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
    """Each file named is in the folder of its act (or COPIL), regular, of the SHA-256 recorded."""
    for where, rel, digest in named:
        if not rel.startswith(code + "/"):
            report.add(f, here + where, msg.REGISTRE_FICHIER_AILLEURS.format(fichier=rel, acte=code))
            continue
        if not files:
            continue
        import hashlib

        target = case_folder / DOSSIER / rel
        try:
            data = read_regular(confined(target, case_folder), MAX_PIECE, follow=False)
        except FileNotFoundError:
            report.add(f, here + where, msg.REGISTRE_FICHIER_ABSENT.format(fichier=rel))
            continue
        except (NotRegular, Outside, OSError, ValueError):
            report.add(f, here + where, msg.REGISTRE_FICHIER_ILLISIBLE.format(fichier=rel))
            continue
        if digest is not None and hashlib.sha256(data).hexdigest() != digest:
            report.add(f, here + where, msg.REGISTRE_FICHIER_MODIFIE.format(fichier=rel))
