"""The register of acts: the life of the adhésion, the convention and each avenant, from projet
to relu (a reviewed DOCX turned into the signature PDF), signé (the signed original imported and
verified, or the paper signature recorded) and transmis.

The register lives in the territory folder (`actes/registre.yaml`, with the files it records in
`actes/<acte>/`): the output folder stays disposable. Once an act is signed, the version docgen
issued (and the signed original, once imported) is its text of record: a build never writes
another version of it, and stops when the case or a template would now change its text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import messages as msg
from .act_codes import act_model, acts_of, agreement, code_of, own_file, title
from .errors import DocgenError
from .load.registre import DOSSIER, FICHIER, load_registre, registre_path
from .model.case import Case
from .model.registre import (
    Acte,
    Attendu,
    Confiance,
    Emission,
    Mode,
    Origine,
    Piece,
    Presentation,
    Registre,
    Signature,
    Signe,
    Transmission,
)
from .version import __version__

ACT_KINDS = ("adhesion", "convention", "avenant")  # kinds.py: the kinds that are acts


class SignedActChanged(DocgenError):
    """A build would change the text of a signed act."""


def expected_signatories(case: Case, code: str) -> list[Attendu]:
    """Who signs act `code`, field by field, as its signature blocks print them."""
    from .context.common import entrees_par_avenant, signataires
    from .model.convention import Convention

    doc = act_model(case, code)
    jour = doc.signature.date or doc.date_edition
    jours = entrees_par_avenant(case, doc) if isinstance(doc, Convention) else {}
    _, blocs = signataires(case.territoire, doc.signataires, jour, jours)
    return [Attendu(champ=b["champ"], nom=b["nom"], pour=b["pour"]) for b in blocs]


# ------------------------------------------------------------------ what is frozen


@dataclass(frozen=True)
class Frozen:
    """A signed act's text of record: the DOCX issued, and the PDF to hand out (the signed
    original when one was imported, the issued PDF otherwise)."""

    code: str
    docx: bytes
    pdf: bytes
    signed: bool  # the PDF handed out is the signed original (electronic, imported)


def is_frozen(case: Case, code: str, acte: Acte | None) -> bool:
    """Signed (recorded so, or dated in the case) and issued: its text is of record."""
    if acte is None or acte.emis is None:
        return False
    return acte.etat in ("signe", "transmis") or act_model(case, code).signature.date is not None


def frozen_acts(case: Case, registre: Registre) -> dict[str, Frozen]:
    """The acts of the case whose text is of record, with their files (checked by the loader)."""
    base = Path(case.folder) / DOSSIER
    out: dict[str, Frozen] = {}
    for code, _ in acts_of(case):
        acte = registre.actes.get(code)
        if not is_frozen(case, code, acte):
            continue
        assert acte is not None and acte.emis is not None
        s = acte.signature
        original = s.original if s is not None and s.mode == "electronique" else None
        out[code] = Frozen(code, (base / acte.emis.docx).read_bytes(),
                           (base / (original or acte.emis.pdf)).read_bytes(), original is not None)
    return out


def changed_provisions(signed_docx: bytes, rendered_docx: bytes) -> list[str]:
    """The provisions whose text differs between an act's text of record and a rendering of it
    today (signatures included), by their headings, in the order of the text of record."""
    from .provisions import children_of, provisions

    def texts(docx: bytes) -> dict[str, tuple[str, str]]:
        provs = provisions(docx)
        titles = {p.id: p.titre for p in provs}
        out = {}
        for p in provs:
            kids = [c for c in children_of(provs, p.id) if c.kind == "tableau"]
            text = p.own_text(kids) if p.kind == "article" else p.text
            name = p.titre
            if p.kind == "tableau" and p.parent:  # « Article 4 – …, tableau 1 (Maquette…) »
                head = titles.get(p.parent, "").split(" – ")[0] or p.parent
                name = msg.ACTE_TABLEAU.format(article=head, n=p.numero or 1, titre=(
                    f" ({p.titre})" if p.titre else ""))
            out[p.id] = (" ".join((name or msg.ACTE_PARTIES_TITRE.get(p.kind, p.id)).split()),
                         text)
        return out

    before, after = texts(signed_docx), texts(rendered_docx)
    names = [before[k][0] for k in before if k not in after or after[k][1] != before[k][1]]
    names += [after[k][0] for k in after if k not in before]
    return names


def check_unchanged(case: Case, code: str, frozen: Frozen, rendered_docx: bytes) -> None:
    """Stop (SignedActChanged) when today's rendering of a signed act differs from its text of
    record: name the act, the provisions, and the way on (an avenant)."""
    names = changed_provisions(frozen.docx, rendered_docx)
    if not names:
        return
    folder = Path(case.folder)
    snapshot = folder / DOSSIER / code / "dossier.yaml"
    own = own_file(case, code)
    cause = msg.ACTE_CAUSE_MODELE
    if snapshot.is_file() and own is not None and own.is_file() and (
            snapshot.read_bytes() != own.read_bytes()):
        cause = msg.ACTE_CAUSE_DOSSIER.format(fichier=own.name)
    advice = (msg.ACTE_CONSEIL_AVENANT.format(
        ancien=snapshot, nouveau=own, sortie=folder / "avenants" / f"{len(case.avenants) + 1:02d}"
        "-modification.yaml") if code == "convention" and snapshot.is_file() and own is not None
        else msg.ACTE_CONSEIL_REVENIR)
    raise SignedActChanged(msg.ACTE_SIGNE_CHANGERAIT.format(
        acte=title(code), signe=agreement(code), case=case.name, cause=cause,
        dispositions="\n".join(f"  – {n}" for n in names[:20])
        + (msg.ACTE_DISPOSITIONS_EN_PLUS.format(n=len(names) - 20) if len(names) > 20 else ""),
        conseil=advice))


# ------------------------------------------------------------------ a COPIL's slides, as presented


def copil_code(day: dt.date) -> str:
    return f"copil-{day.isoformat()}"


def presented_slides(case: Case, registre: Registre) -> dict[tuple[int, str], bytes]:
    """The slides of each COPIL held, as last produced before its meeting, by (COPIL number,
    kind): what a build hands out instead of making them again."""
    base = Path(case.folder) / DOSSIER
    out: dict[tuple[int, str], bytes] = {}
    for cp in case.copils:
        shown = registre.copils.get(copil_code(cp.date))
        if cp.tenu and shown is not None:
            for kind, piece in shown.pieces.items():
                out[(cp.numero, kind)] = (base / piece.fichier).read_bytes()
    return out


def record_presented(case: Case, registre: Registre, slides: dict[tuple[int, str], tuple[str,
                     bytes]], today: dt.date) -> tuple[Registre, dict[str, bytes]]:
    """The register once the slides just made for COPILs not held yet are recorded (the last
    version before the meeting is the one presented); unchanged slides change nothing."""
    days = {cp.numero: cp.date for cp in case.copils if not cp.tenu}
    copils = dict(registre.copils)
    files: dict[str, bytes] = {}
    for numero in sorted({n for n, _ in slides}):
        if numero not in days:
            continue
        code = copil_code(days[numero])
        pieces = {kind: Piece(fichier=f"{code}/{kind}{ext}", sha256=sha(data))
                  for (n, kind), (ext, data) in sorted(slides.items()) if n == numero}
        old = copils.get(code)
        if old is not None and old.pieces == pieces:
            continue
        copils[code] = Presentation(produit_le=today, pieces=pieces)
        files |= {pieces[kind].fichier: data for (n, kind), (_, data) in slides.items()
                  if n == numero}
    if not files:
        return registre, {}
    return registre.model_copy(update={"copils": dict(sorted(copils.items()))}), files


# ------------------------------------------------------------------ writing the register


def dump(registre: Registre) -> bytes:
    """The register as YAML: a header, then each act in the order of the case."""
    import yaml

    data = registre.model_dump(exclude_none=True)
    if not data.get("copils"):  # no COPIL's slides kept yet: no empty section
        data.pop("copils", None)
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return (msg.REGISTRE_ENTETE + text).encode("utf-8")


def save(case_folder: Path, registre: Registre, files: dict[str, bytes]) -> None:
    """Write the files of the register (actes/<acte>/…), then the register itself, each
    atomically: a crash leaves the previous register, which names only files that exist."""
    from .output import write_file

    base = Path(case_folder) / DOSSIER
    _check_folders(Path(case_folder), [base, *((base / rel).parent for rel in files)])
    for rel, data in files.items():
        target = base / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.is_symlink() and target.is_file() and target.read_bytes() == data:
            continue
        write_file(target, data)  # a link in its place is replaced, never written through
    base.mkdir(parents=True, exist_ok=True)
    write_file(base / FICHIER, dump(registre))


def _check_folders(case_folder: Path, folders: list[Path]) -> None:
    """Before a byte is written: each folder the register writes in (actes/, actes/<acte>/) is,
    when it exists, a folder of the territory folder — never a file, never a link leading out of
    it (the files of an act would be written elsewhere)."""
    from .load.reading import Outside, confined, shown_path

    for folder in dict.fromkeys(folders):
        if not folder.exists() and not folder.is_symlink():
            continue
        try:
            confined(folder, case_folder)
        except (Outside, OSError, RuntimeError):  # RuntimeError: a loop of links
            raise DocgenError(msg.REGISTRE_DOSSIER_HORS.format(
                dossier=shown_path(folder))) from None
        if not folder.is_dir():
            raise DocgenError(msg.REGISTRE_PAS_UN_DOSSIER.format(dossier=shown_path(folder)))


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def issue(case: Case, registre: Registre, code: str, docx: bytes, pdf: bytes, origine: Origine,
          today: dt.date) -> tuple[Registre, dict[str, bytes]]:
    """The register once act `code` is issued (its DOCX and signature PDF recorded), and the
    files to write: relu when it is not dated yet, signé (on paper, original not imported, or
    electronically, awaiting its original) when the case gives its signature date."""
    model = act_model(case, code)
    own = own_file(case, code)
    files = {f"{code}/texte.docx": docx, f"{code}/emis.pdf": pdf}
    if own is not None and own.is_file():
        files[f"{code}/dossier.yaml"] = own.read_bytes()
    emis = Emission(date=today, origine=origine, docx=f"{code}/texte.docx", docx_sha256=sha(docx),
                    pdf=f"{code}/emis.pdf", pdf_sha256=sha(pdf), pdf_octets=len(pdf),
                    dossier=f"{code}/dossier.yaml" if f"{code}/dossier.yaml" in files else None,
                    signataires=expected_signatories(case, code), docgen=__version__)
    signed = model.signature.date
    acte = Acte(etat="signe" if signed else "relu", emis=emis, signature=Signature(
        date=signed, mode=model.signature.mode) if signed else None)
    return _with(case, registre, code, acte), files


def record_signature(case: Case, registre: Registre, code: str, date: dt.date, mode: Mode,
                     original: bytes, signatures: Sequence[Signe], confiance: Confiance,
                     today: dt.date) -> tuple[Registre, dict[str, bytes]]:
    """The register once the signed original of act `code` is imported."""
    acte = registre.actes[code]
    rel = f"{code}/original.pdf" if mode == "electronique" else f"{code}/original-papier.pdf"
    signature = Signature(date=date, mode=mode, original=rel, original_sha256=sha(original),
                          importe_le=today, confiance=confiance, signatures=list(signatures))
    new = acte.model_copy(update={"etat": "transmis" if acte.etat == "transmis" else "signe",
                                  "signature": signature})
    return _with(case, registre, code, new), {rel: original}


def record_transmission(case: Case, registre: Registre, code: str, id_acte: str,
                        received: dt.date, accuse: bytes, stamped: bytes | None,
                        today: dt.date) -> tuple[Registre, dict[str, bytes]]:
    """The register once act `code` is acknowledged by the prefecture (transmis): IDActe, the
    date of receipt, the acknowledgement itself and, if given, the stamped act — a derived copy;
    the signed original stays the reference."""
    acte = registre.actes[code]
    files = {f"{code}/accuse-reception.xml": accuse}
    if stamped is not None:
        files[f"{code}/acte-tamponne.pdf"] = stamped
    transmission = Transmission(
        date=received, id_acte=id_acte, accuse=f"{code}/accuse-reception.xml",
        accuse_sha256=sha(accuse),
        tamponne=f"{code}/acte-tamponne.pdf" if stamped is not None else None,
        tamponne_sha256=sha(stamped) if stamped is not None else None, importe_le=today)
    new = acte.model_copy(update={"etat": "transmis", "transmission": transmission})
    return _with(case, registre, code, new), files


def _with(case: Case, registre: Registre, code: str, acte: Acte) -> Registre:
    actes = dict(registre.actes)
    actes[code] = acte
    order = [c for c, _ in acts_of(case)]
    ranked = sorted(actes, key=lambda c: (order.index(c) if c in order else len(order), c))
    return Registre(actes={c: actes[c] for c in ranked})


# ------------------------------------------------------------------ the commands' operations

MAX_ORIGINAL = 150 * 1024 * 1024  # a signed original or a scan: the ACTES limit of a whole act


@dataclass(frozen=True)
class Reviewed:
    """What `docgen relu` did: the act, where its signature PDF is, what differs from the case."""

    code: str
    pdf: Path
    etat: str
    differences: list[str]  # provisions the reviewed text changes against the DOCX produced


def record_reviewed(case_folder: Path, code: str, source: Path, out: Path,
                    limit: float | None, today: dt.date) -> Reviewed:
    """A reviewed DOCX of act `code` turned into its signature PDF and recorded as the version
    issued for signature (relu; signé when the case already dates the signature). Refused for
    an act already signed: its text of record is never replaced."""
    from .load import load_case
    from .reviewed import typeset_reviewed

    case = load_case(case_folder)
    act_model(case, code)
    registre = case.registre
    if is_frozen(case, code, registre.actes.get(code)):
        raise DocgenError(msg.RELU_DEJA_SIGNE.format(acte=title(code), case=case.name,
                                                     signe=agreement(code)))
    docx, pdf = typeset_reviewed(source, limit)  # the stamp's frame: the DOCX's own
    produced = out / case.name / _produced_name(code)
    differences = (changed_provisions(produced.read_bytes(), docx) if produced.is_file() else [])
    registre, files = issue(case, registre, code, docx, pdf, "relecture", today)
    save(case.folder, registre, files)
    acte = registre.actes[code]
    assert acte.emis is not None
    return Reviewed(code, Path(case.folder) / DOSSIER / acte.emis.pdf, acte.etat, differences)


def _produced_name(code: str) -> str:
    from .kinds import KINDS

    kind, _, n = code.partition("-")
    return KINDS[kind].file(int(n or 0))


@dataclass(frozen=True)
class Imported:
    code: str
    mode: Mode
    date: dt.date
    signatures: list[Signe]
    confiance: Confiance


def import_signed(case_folder: Path, code: str, source: Path, *, papier: bool,
                  date: dt.date | None, authorities: Sequence[Path], accept: Sequence[str],
                  today: dt.date) -> Imported:
    """Record the signed original of act `code`: a PDF signed electronically, verified first
    (signed.py: every field signed, intact, the issued PDF its first revision, only signatures
    after it, the expected signers), or the scan of a paper original with its date. Anything
    refused leaves the register as it was."""
    from .load import load_case

    case = load_case(case_folder)
    model = act_model(case, code)
    registre = case.registre
    acte = registre.actes.get(code)
    if acte is None or acte.emis is None:
        raise DocgenError(msg.IMPORT_SANS_EMISSION.format(acte=title(code), case=case.name))
    mode: Mode = "papier" if papier else "electronique"
    if model.signature.mode != mode:
        raise DocgenError(msg.IMPORT_MODE_DIFFERENT.format(
            acte=title(code), mode=msg.ST_MODE[model.signature.mode], fichier=own_file(case, code),
            importe=msg.ST_MODE[mode], signe=agreement(code)))
    data = read_input(source, MAX_ORIGINAL)
    if not data.startswith(b"%PDF-"):
        raise DocgenError(msg.IMPORT_PAS_PDF.format(path=source))
    s = acte.signature
    if s is not None and s.original is not None:
        if s.original_sha256 == sha(data):
            raise DocgenError(msg.IMPORT_DEJA_FAIT.format(acte=title(code)))
        raise DocgenError(msg.IMPORT_AUTRE_ORIGINAL.format(acte=title(code)))
    if papier:
        if date is None:
            raise DocgenError(msg.IMPORT_PAPIER_SANS_DATE)
        signatures: list[Signe] = []
        confiance: Confiance = "sans_objet"
        signed_on = date
    else:
        from .signed import Expected, verify_signed

        cas = [Expected(a.champ, a.nom, a.pour) for a in acte.emis.signataires]
        roots = [p.read_bytes() for p in authorities]
        found = verify_signed(data, source.name, acte.emis.pdf_sha256, acte.emis.pdf_octets,
                              cas, accept, roots)
        signatures = [Signe(champ=f.field, nom=f.signataire, attendu=f.attendu, accepte=f.accepte,
                            date=f.date) for f in found]
        confiance = "verifiee" if roots else "non_verifiee"
        days = [french_day(f.date) for f in found if f.date is not None]
        signed_on = date or (max(days) if days else today)
    expected_day = model.signature.date
    if expected_day is not None and expected_day != signed_on and not papier:
        from .formatting import date_longue

        raise DocgenError(msg.IMPORT_DATE_DIFFERENTE.format(
            acte=title(code), date=date_longue(signed_on), attendu=date_longue(expected_day),
            fichier=own_file(case, code), signe=agreement(code)))
    registre, files = record_signature(case, registre, code, signed_on, mode, data, signatures,
                                       confiance, today)
    save(case.folder, registre, files)
    return Imported(code, mode, signed_on, signatures, confiance)


def record_acknowledgement(case_folder: Path, code: str, source: Path, stamped: Path | None,
                           today: dt.date) -> Any:
    """The prefecture's acknowledgement of act `code` (ARActe, accuse.py) read back: it must be
    about this act (its number and date as the hand-off sent them), the act signed and not yet
    transmitted; then its IDActe and date of receipt are recorded (transmis), with the
    acknowledgement and, if given, the stamped act as a derived copy. Anything refused leaves
    the register as it was."""
    from .accuse import MAX_ACCUSE, read_accuse
    from .formatting import date_longue
    from .load import load_case
    from .remise import act_date, numero_acte

    case = load_case(case_folder)
    act_model(case, code)
    registre = case.registre
    acte = registre.actes.get(code)
    if acte is None or acte.signature is None or acte.etat not in ("signe", "transmis"):
        raise DocgenError(msg.AR_PAS_SIGNE.format(acte=title(code)))
    if acte.transmission is not None:
        raise DocgenError(msg.AR_DEJA_TRANSMIS.format(acte=title(code),
                                                      id=acte.transmission.id_acte))

    data = read_input(source, MAX_ACCUSE)
    ar = read_accuse(data, source.name)
    expected, day = numero_acte(case, code), act_date(act_model(case, code))  # as handed over
    if ar.numero != expected or ar.date_acte != day:
        raise DocgenError(msg.AR_AUTRE_ACTE.format(
            nom=source.name, numero=ar.numero, date=date_longue(ar.date_acte),
            acte=title(code), attendu=expected, attendu_date=date_longue(day)))
    tampon = None
    if stamped is not None:
        tampon = read_input(stamped, MAX_ORIGINAL)
        if not tampon.startswith(b"%PDF-"):
            raise DocgenError(msg.AR_TAMPON_PAS_PDF.format(nom=stamped.name))
    registre, files = record_transmission(case, registre, code, ar.id_acte, ar.recu_le, data,
                                          tampon, today)
    save(case.folder, registre, files)
    return ar


def read_input(path: Path, limit: int) -> bytes:
    """A file given on the command line or uploaded: a regular file of at most `limit` bytes
    (never blocking on a FIFO), else a French error naming it."""
    from .load.reading import NotRegular, read_regular

    try:
        data = read_regular(path, limit)
    except (OSError, NotRegular):
        raise DocgenError(msg.IMPORT_ILLISIBLE.format(path=path)) from None
    if len(data) > limit:
        raise DocgenError(msg.IMPORT_TROP_GROS.format(path=path, limit=limit >> 20))
    return data


def french_day(moment: dt.datetime) -> dt.date:
    """The day a signature was made, in France (a signature at 00:30 is not of the day before)."""
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo("Europe/Paris")).date() if moment.tzinfo else moment.date()


def read(case_folder: Path) -> Registre:
    """The register as it is on disk now (the case's own copy was read with the case)."""
    return load_registre(case_folder)


__all__ = ["ACT_KINDS", "Frozen", "SignedActChanged", "acts_of", "changed_provisions",
           "check_unchanged", "code_of", "dump", "expected_signatories", "frozen_acts", "issue",
           "is_frozen", "read", "record_signature", "registre_path", "save", "title"]
