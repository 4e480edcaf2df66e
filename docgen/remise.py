"""The hand-off of an act (docgen remise): one folder, and its ZIP, that Pastell's « glaneur »,
i-Parapheur and the contrôle de légalité take as they are — the act's PDF (the signed original
when the register has one, else the version issued for signature) and its annexes, the glaneur
`manifest.xml` (`actes-automatique`), the i-Parapheur PREMIS, the ACTES `Acte` message
(`actesv1_1.xsd`) and `remise.json` (the same fields, every file's SHA-256).

Everything is gathered and checked against the operators' rules first (load/remise.py: number,
object, classification, piece types; 150 Mo in all; every PDF read by pdfinfo), then built with
lxml from typed values, then written once (output.py). Same inputs, same bytes: no clock, fixed
ZIP dates, sorted entries.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from lxml import etree

from . import messages as msg
from .act_codes import act_model as act_of
from .act_codes import own_file
from .act_codes import title as title_of
from .errors import DocgenError, display_path
from .load.remise import (
    classification_codes,
    classification_problem,
    departement_actes,
    expand_numero,
    numero_problem,
    objet_problem,
    text_problem,
    type_piece_problem,
)
from .model.case import Case
from .model.territoire import NumerosActes, Remise
from .package_data import PACKAGE
from .version import __version__

NATURE = 4  # ACTES CodeNatureActe: « Contrats, conventions et avenants »
NATURE_ABREGE = "CC"  # its abbreviation in an IDActe
MAX_PIECES = 150 * 1024 * 1024  # the act and its annexes, in all (@ctes; Pastell's threshold_size)
PDFINFO_SECONDS = 30.0  # a PDF pdfinfo cannot read in this time is refused
DOSSIER = "remise"  # output/<case>/remise/<acte>/ and <acte>.zip beside it

NS_ACTES = "http://www.interieur.gouv.fr/ACTES#v1.1-20040216"
NS_PREMIS = "http://www.loc.gov/premis/v3"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_ACTES = PACKAGE / "actes" / "actesv1_1.xsd"

MANIFESTE = "manifest.xml"  # the glaneur's default manifest name
PREMIS = "iparapheur_premis.xml"
ACTES = "actes_acte.xml"
TYPOLOGIE = "type_piece.json"  # Pastell's type_piece_fichier
RESUME = "remise.json"


class Refused(DocgenError):
    """The act breaks an operator's rule: nothing was written."""


@dataclass(frozen=True)
class Piece:
    """A PDF of the hand-off: the act (first) or an annex, with its type in the préfecture's
    typology and where it came from (for messages)."""

    nom: str
    role: str  # "acte" or "annexe"
    type_piece: str
    data: bytes
    source: str


@dataclass(frozen=True)
class Fiche:
    """The metadata of one act, typed, as Pastell, i-Parapheur and @ctes name them."""

    code: str
    numero: str
    objet: str
    objet_source: str  # the case fields the object is made of (for messages)
    date: dt.date
    classification: str
    classification_libelle: str | None
    classification_date: dt.date
    type_acte: str
    type_pj: tuple[str, ...]
    envoi_signature: bool
    envoi_tdt: bool
    iparapheur_type: str
    iparapheur_sous_type: str
    siren: str
    departement: str
    nom_dossier: str


@dataclass(frozen=True)
class Bundle:
    """What docgen remise writes for an act: the folder's files, in order, and the ZIP."""

    code: str
    fiche: Fiche
    pieces: tuple[Piece, ...]
    files: dict[str, bytes]
    zip: bytes
    source: str  # the register's file the act's PDF is
    original: bool  # that file is the signed original (else the version issued for signature)
    notes: list[str] = field(default_factory=list)

    def files_of(self, role: str) -> list[str]:
        """The names of the pieces of a role (acte, annexe), in order."""
        return [p.nom for p in self.pieces if p.role == role]


# ------------------------------------------------------------------ the act's values


def act_date(model: Any) -> dt.date:
    """The act's date for the operators: its signature, or until then its edition date."""
    day: dt.date = model.signature.date or model.date_edition
    return day


# acts.py reads an act's number from here (numero_acte), so this module does not import
# acts.py: the few facts it needs of an act are read from the case and the messages directly.


def numero_acte(case: Case, code: str) -> str:
    """The number act `code` is handed over with: the settings' pattern (the default one when
    territoire.yaml has no `remise` section) filled with the year of the act's date and, for an
    avenant, its number. The acknowledgement read back must carry this number (acts.py)."""
    year = act_date(act_of(case, code)).year
    numeros = case.territoire.remise.numeros if case.territoire.remise else NumerosActes()
    if code.startswith("avenant-"):
        return expand_numero(numeros.avenant, year, int(code.split("-")[1]))
    return expand_numero(getattr(numeros, code), year)


def fiche_of(case: Case, code: str, reglages: Remise, annexes: int, signed: bool) -> Fiche:
    """The metadata of act `code`: its number from the settings' pattern and its year, its
    object from the act, the codes from the settings. Pure; checked by problems()."""
    model = act_of(case, code)
    day = act_date(model)
    terr = case.territoire.territoire.nom
    own = own_file(case, code)
    here = own.relative_to(case.folder).as_posix() if own is not None else "avenants/"
    numero = numero_acte(case, code)
    if code.startswith("avenant-"):
        n = int(code.split("-")[1])
        objet = msg.REMISE_OBJET_AVENANT.format(n=n, territoire=terr, objet=model.objet)
        source = f"{here} (objet), territoire.yaml (territoire.nom)"
        nom = msg.REMISE_NOM_AVENANT.format(n=n)
    else:
        objet = msg.REMISE_OBJET_ACTE.format(titre=model.titre, territoire=terr)
        source = f"{here} (titre), territoire.yaml (territoire.nom)"
        nom = msg.REMISE_NOM_ACTE[code]
    return Fiche(
        code=code, numero=numero, objet=objet, objet_source=source, date=day,
        classification=reglages.classification,
        classification_libelle=reglages.classification_libelle,
        classification_date=reglages.classification_date,
        type_acte=reglages.type_piece_acte, type_pj=(reglages.type_piece_annexe,) * annexes,
        envoi_signature=reglages.envoi_signature and not signed, envoi_tdt=reglages.envoi_tdt,
        iparapheur_type=reglages.iparapheur_type,
        iparapheur_sous_type=reglages.iparapheur_sous_type,
        siren=reglages.siren, departement=reglages.departement,
        nom_dossier=msg.REMISE_NOM_DOSSIER.format(numero=numero, nom=nom, territoire=terr))


def piece_names(numero: str, annexes: int) -> list[str]:
    """ASCII, no space, numbered: 01_acte_<numero>.pdf, 02_annexe_<numero>.pdf…"""
    return [f"01_acte_{numero}.pdf"] + [f"{i + 2:02d}_annexe_{numero}.pdf"
                                         for i in range(annexes)]


def id_acte(f: Fiche) -> str:
    """The IDActe the operator will give the act: département, SIREN, date, number, nature."""
    return "-".join((departement_actes(f.departement), f.siren, f.date.strftime("%Y%m%d"),
                     f.numero, NATURE_ABREGE))


# ------------------------------------------------------------------ the rules


def pieces_size(pieces: Sequence[Piece]) -> int:
    return sum(len(p.data) for p in pieces)


def problems(f: Fiche, pieces: Sequence[Piece]) -> list[str]:
    """Every operator rule the act breaks, each naming its field (pdfinfo apart: pdf_problems)."""
    found: list[str] = []

    def rule(champ: str, problem: str | None, source: str | None = None) -> None:
        if problem is None:
            return
        name = msg.REMISE_CHAMPS[champ]
        found.append(msg.REMISE_REFUS_SOURCE.format(champ=name, source=source, regle=problem)
                     if source else msg.REMISE_REFUS.format(champ=name, regle=problem))

    rule("numero_de_lacte", numero_problem(f.numero))
    rule("objet", objet_problem(f.objet), f.objet_source)
    rule("classification", classification_problem(f.classification))
    if f.classification_libelle is not None:
        rule("classification_libelle", text_problem(f.classification_libelle))
    rule("type_acte", type_piece_problem(f.type_acte))
    for code in dict.fromkeys(f.type_pj):
        rule("type_pj", type_piece_problem(code))
    rule("iparapheur_type", text_problem(f.iparapheur_type))
    rule("iparapheur_sous_type", text_problem(f.iparapheur_sous_type))
    total = pieces_size(pieces)
    if total > MAX_PIECES:
        found.append(msg.REMISE_TROP_GROS.format(
            taille=f"{total / 2**20:.1f}".replace(".", ","), limite=MAX_PIECES // 2**20))
    return found


def pdf_problems(pieces: Sequence[Piece], seconds: float = PDFINFO_SECONDS) -> list[str]:
    """Each PDF as the operators check it: pdfinfo (poppler-utils) reads it, within `seconds`;
    run on the very bytes that will be handed over, without a shell."""
    found: list[str] = []
    with tempfile.TemporaryDirectory(prefix="docgen-remise-") as tmp:
        for i, p in enumerate(pieces):
            path = Path(tmp) / f"{i:02d}.pdf"
            path.write_bytes(p.data)
            try:
                done = subprocess.run(["pdfinfo", str(path)], capture_output=True,
                                      timeout=seconds, check=False, stdin=subprocess.DEVNULL)
            except FileNotFoundError:
                raise DocgenError(msg.REMISE_PDFINFO_ABSENT) from None
            except subprocess.TimeoutExpired:
                found.append(msg.REMISE_PDF_LENT.format(fichier=p.source, secondes=f"{seconds:g}"))
                continue
            if done.returncode != 0:
                lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
                detail = (lines[-1] if lines else f"code {done.returncode}").replace(tmp, "…")
                found.append(msg.REMISE_PDF_ILLISIBLE.format(fichier=p.source,
                                                             detail=_one_line(detail)))
    return found


def _one_line(text: str) -> str:
    """A tool's message as ours quotes it: printable, short."""
    text = "".join(c if c.isprintable() else " " for c in text).strip()
    return text if len(text) <= 120 else text[:119] + "…"


# ------------------------------------------------------------------ the files


def _checkbox(value: bool) -> str:
    """A Pastell checkbox: « on » when ticked, empty otherwise (any other text is true in PHP)."""
    return "on" if value else ""


def classification_text(f: Fiche) -> str:
    """Pastell's classification value: « 8.5 - Politique de la ville-habitat-logement »."""
    if f.classification_libelle:
        return f"{f.classification} - {f.classification_libelle}"
    return f.classification


def pastell_data(f: Fiche) -> list[tuple[str, str]]:
    """The `data` entries of the glaneur manifest, in the order of Pastell's own fixture."""
    return [
        ("acte_nature", str(NATURE)),
        ("numero_de_lacte", f.numero),
        ("objet", f.objet),
        ("date_de_lacte", f.date.isoformat()),
        ("classification", classification_text(f)),
        ("type_acte", f.type_acte),
        ("type_pj", json.dumps(list(f.type_pj), separators=(",", ":"))),
        ("type_piece", msg.REMISE_TYPE_PIECE_NOMBRE.format(n=1 + len(f.type_pj))),
        ("envoi_signature", _checkbox(f.envoi_signature)),
        ("envoi_signature_check", _checkbox(f.envoi_signature)),
        ("envoi_tdt", _checkbox(f.envoi_tdt)),
        ("iparapheur_type", f.iparapheur_type),
        ("iparapheur_sous_type", f.iparapheur_sous_type),
    ]


def _xml(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def glaneur_manifest(f: Fiche, pieces: Sequence[Piece]) -> bytes:
    """Pastell's glaneur manifest: <flux type="actes-automatique">, a <data name value> per
    field, <files name> with a <file content> per file (arrete: the act; autre_document_attache:
    the annexes; type_piece_fichier: the typology)."""
    root = etree.Element("flux", type="actes-automatique")
    for name, value in pastell_data(f):
        etree.SubElement(root, "data", name=name, value=value)
    groups = [("arrete", [p.nom for p in pieces if p.role == "acte"]),
              ("autre_document_attache", [p.nom for p in pieces if p.role == "annexe"]),
              ("type_piece_fichier", [TYPOLOGIE])]
    for name, names in groups:
        if names:
            files = etree.SubElement(root, "files", name=name)
            for n in names:
                etree.SubElement(files, "file", content=n)
    return _xml(root)


def typologie(pieces: Sequence[Piece]) -> bytes:
    """Pastell's type_piece_fichier: each file and its type, as Pastell writes it itself when
    the typology's labels are not at hand (the code stands for its label)."""
    rows = [{"filename": p.nom, "typologie": p.type_piece} for p in pieces]
    return (json.dumps(rows, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def premis(f: Fiche, pieces: Sequence[Piece]) -> bytes:
    """i-Parapheur v5's folder description (PREMIS v3): the type and sub-type of the folder,
    its name, and each file, the act marked as the main document."""
    # the default namespace's key is None, which lxml-stubs do not allow for
    nsmap = cast("dict[str, str]", {None: NS_PREMIS, "xsi": NS_XSI})
    root = etree.Element(f"{{{NS_PREMIS}}}premis", nsmap=nsmap, version="3.0")
    root.set(f"{{{NS_XSI}}}schemaLocation",
             f"{NS_PREMIS} http://www.loc.gov/standards/premis/v3/premis.xsd")

    def obj(kind: str, props: list[tuple[str, str]], name: str) -> None:
        o = etree.SubElement(root, f"{{{NS_PREMIS}}}object")
        o.set(f"{{{NS_XSI}}}type", kind)
        for key, value in props:
            sp = etree.SubElement(o, f"{{{NS_PREMIS}}}significantProperties")
            etree.SubElement(sp, f"{{{NS_PREMIS}}}significantPropertiesType").text = key
            etree.SubElement(sp, f"{{{NS_PREMIS}}}significantPropertiesValue").text = value
        etree.SubElement(o, f"{{{NS_PREMIS}}}originalName").text = name

    obj("intellectualEntity", [("i_Parapheur_reserved_type", f.iparapheur_type),
                               ("i_Parapheur_reserved_subtype", f.iparapheur_sous_type)],
        f.nom_dossier)
    for p in pieces:
        obj("file", [("i_Parapheur_reserved_mainDocument",
                      "true" if p.role == "acte" else "false")], p.nom)
    return _xml(root)


def acte_xml(f: Fiche, pieces: Sequence[Piece]) -> bytes:
    """The ACTES `Acte` message (actesv1_1.xsd): date, number, nature, matière codes, object,
    classification version, the act's file and its annexes, no paper document."""
    def q(name: str) -> str:
        return f"{{{NS_ACTES}}}{name}"

    root = etree.Element(q("Acte"), nsmap={"actes": NS_ACTES})
    root.set(q("Date"), f.date.isoformat())
    root.set(q("NumeroInterne"), f.numero)
    root.set(q("CodeNatureActe"), str(NATURE))
    for i, code in enumerate(classification_codes(f.classification), start=1):
        etree.SubElement(root, q(f"CodeMatiere{i}")).set(q("CodeMatiere"), str(code))
    etree.SubElement(root, q("Objet")).text = f.objet
    etree.SubElement(root, q("ClassificationDateVersion")).text = f.classification_date.isoformat()
    document = etree.SubElement(root, q("Document"))
    etree.SubElement(document, q("NomFichier")).text = next(
        p.nom for p in pieces if p.role == "acte")
    annexes = [p for p in pieces if p.role == "annexe"]
    group = etree.SubElement(root, q("Annexes"))
    group.set(q("Nombre"), str(len(annexes)))
    for p in annexes:
        etree.SubElement(etree.SubElement(group, q("Annexe")), q("NomFichier")).text = p.nom
    etree.SubElement(root, q("DocumentPapier")).text = "N"
    return _xml(root)


def actes_schema() -> etree.XMLSchema:
    """The ACTES schema shipped with docgen (its imports beside it), read without network."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(SCHEMA_ACTES), parser))


def resume(f: Fiche, case_name: str, source: str, files: dict[str, bytes],
           pieces: Sequence[Piece]) -> bytes:
    """remise.json: the same fields as the manifest, typed, the IDActe to expect, and the
    SHA-256 of every file of the folder."""
    roles: dict[str, tuple[str, str | None]] = {p.nom: (p.role, p.type_piece) for p in pieces}
    kinds = {MANIFESTE: "manifeste_pastell", PREMIS: "premis_iparapheur", ACTES: "acte_actes",
             TYPOLOGIE: "typologie_pastell"}
    data = {
        "docgen": __version__,
        "territoire": case_name,
        "acte": f.code,
        "source": source,
        "donnees": {
            "acte_nature": NATURE,
            "numero_de_lacte": f.numero,
            "objet": f.objet,
            "date_de_lacte": f.date.isoformat(),
            "classification": f.classification,
            "classification_libelle": f.classification_libelle,
            "classification_date": f.classification_date.isoformat(),
            "type_acte": f.type_acte,
            "type_pj": list(f.type_pj),
            "envoi_signature": f.envoi_signature,
            "envoi_tdt": f.envoi_tdt,
            "iparapheur_type": f.iparapheur_type,
            "iparapheur_sous_type": f.iparapheur_sous_type,
            "siren": f.siren,
            "departement": f.departement,
        },
        "id_acte_attendu": id_acte(f),
        "fichiers": [
            {"nom": name, "role": roles.get(name, (kinds.get(name, ""), None))[0],
             **({"type_piece": roles[name][1]} if name in roles else {}),
             "octets": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for name, data in files.items()],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def build(f: Fiche, pieces: Sequence[Piece], case_name: str, source: str) -> dict[str, bytes]:
    """Every file of the folder, in order (the pieces, then the descriptions, remise.json
    last); the ACTES message is checked against the shipped schema."""
    files = {p.nom: p.data for p in pieces}
    files[MANIFESTE] = glaneur_manifest(f, pieces)
    files[PREMIS] = premis(f, pieces)
    files[ACTES] = acte_xml(f, pieces)
    schema = actes_schema()
    if not schema.validate(etree.fromstring(files[ACTES])):  # a bug of ours, never the user's
        raise RuntimeError(f"{ACTES}: {schema.error_log}")
    files[TYPOLOGIE] = typologie(pieces)
    files[RESUME] = resume(f, case_name, source, files, pieces)
    return files


def zipped(files: dict[str, bytes]) -> bytes:
    """The folder as a ZIP: its files at the root (where the glaneur looks for manifest.xml),
    sorted, fixed dates and attributes."""
    from .render.package import pack

    return pack(dict(sorted(files.items())))


# ------------------------------------------------------------------ the command


def prepare(case_folder: Path, code: str, annexes: Sequence[Path] = ()) -> Bundle:
    """The bundle of act `code`, every rule checked; Refused (nothing written) otherwise."""
    from .load import load_case
    from .load.reading import NotRegular, read_regular
    from .load.registre import DOSSIER as REGISTRE

    case = load_case(case_folder)
    model = act_of(case, code)  # an act of this case, or its French error
    reglages = case.territoire.remise
    if reglages is None:
        raise DocgenError(msg.REMISE_SANS_REGLAGES.format(case=case.name))
    acte = case.registre.actes.get(code)
    if acte is None or acte.emis is None:
        raise DocgenError(msg.REMISE_SANS_EMISSION.format(case=case.name, acte=title_of(code)))
    s = acte.signature
    original = s.original if s is not None else None
    rel = original or acte.emis.pdf
    # signed: recorded so, or dated in the case (the next build records it); as acts.is_frozen
    signed = acte.etat in ("signe", "transmis") or model.signature.date is not None
    f = fiche_of(case, code, reglages, len(annexes), signed)
    names = piece_names(f.numero, len(annexes))
    source = f"{REGISTRE}/{rel}"
    pieces = [Piece(names[0], "acte", f.type_acte,
                    (Path(case.folder) / REGISTRE / rel).read_bytes(), source)]
    found: list[str] = []
    for i, path in enumerate(annexes):
        try:
            data = read_regular(path, MAX_PIECES)
        except (OSError, NotRegular):
            found.append(msg.REMISE_ANNEXE_ILLISIBLE.format(fichier=display_path(path)))
            continue
        if not data.startswith(b"%PDF-"):
            found.append(msg.REMISE_ANNEXE_PAS_PDF.format(fichier=display_path(path)))
            continue
        pieces.append(Piece(names[i + 1], "annexe", f.type_pj[i], data, display_path(path)))
    found += problems(f, pieces) + pdf_problems(pieces)
    if found:
        raise Refused(msg.REMISE_REFUSEE.format(case=case.name, acte=title_of(code),
                                                problemes="\n".join(f"  – {p}" for p in found)))
    notes = []
    if reglages.envoi_signature and signed:
        notes.append(msg.REMISE_DEJA_SIGNE.format(acte=_capital(title_of(code)),
                                                  signe=msg.SIGNE_ACCORD[code.split("-")[0]]))
    if f.envoi_tdt and not f.envoi_signature and original is None:
        notes.append(msg.REMISE_SANS_ORIGINAL.format(acte=_capital(title_of(code))))
    files = build(f, pieces, case.name, source)
    return Bundle(code, f, tuple(pieces), files, zipped(files), source, original is not None,
                  notes)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class HandOff:
    """What docgen remise wrote: the act's folder and ZIP, from this bundle; whether anything
    changed on disk, and the copies kept of files edited by hand (--force)."""

    folder: Path
    zip: Path
    bundle: Bundle
    changed: bool
    backups: list[Path]


def write_remise(case_folder: Path, code: str, out: Path, annexes: Sequence[Path] = (),
                 force: bool = False) -> HandOff:
    """docgen remise: the bundle of act `code` checked, then written in one go under
    <out>/<case>/remise/ (the folder <acte>/ and <acte>.zip), with its manifest.json; files a
    previous remise of the act made and this one does not are removed."""
    from .errors import OutputError
    from .output import locked, read_manifest, remove_outputs, sha256, write_outputs

    bundle = prepare(case_folder, code, annexes)
    folder = out / Path(case_folder).resolve().name / DOSSIER
    files = {f"{code}/{name}": data for name, data in bundle.files.items()}
    files[f"{code}.zip"] = bundle.zip
    meta: dict[str, dict[str, Any]] = {rel: {"acte": code} for rel in files}
    act_pdf = f"{code}/{bundle.files_of('acte')[0]}"
    if bundle.original:  # verified at its import; its signatures are no DOCX's words
        meta[act_pdf]["original"] = True
    for name in bundle.files_of("annexe"):  # handed over as given, never typeset by docgen
        meta[f"{code}/{name}"]["original"] = True
    with locked(folder):
        try:
            earlier = read_manifest(folder)
        except OutputError:
            earlier = {"outputs": {}, "inputs": {}}
        inputs = dict(earlier.get("inputs", {}))
        inputs[f"{code}:{bundle.source}"] = sha256(files[act_pdf])
        done = write_outputs(folder, files, meta, {}, dict(sorted(inputs.items())), force=force)
        stale = sorted(rel for rel in earlier.get("outputs", {})
                       if rel.startswith(f"{code}/") and rel not in files)
        removed = remove_outputs(folder, stale)
    return HandOff(folder / code, folder / f"{code}.zip", bundle,
                   bool(done.written or removed), done.backups)


def summary(w: HandOff) -> tuple[list[str], list[str]]:
    """What docgen remise says: the route and the pieces, then the folder written (stdout);
    and the notes (stderr)."""
    b, f = w.bundle, w.bundle.fiche
    lines = [msg.REMISE_ROUTE.format(numero=f.numero, acte=title_of(b.code),
                                     vers=msg.REMISE_VERS[(f.envoi_signature, f.envoi_tdt)])]
    for i, p in enumerate(b.pieces, start=1):
        role = (msg.REMISE_ORIGINAL if b.original else msg.REMISE_EMIS) if p.role == "acte" \
            else msg.REMISE_ROLES[p.role]
        lines.append(msg.REMISE_PIECE.format(n=i, nom=p.nom, role=role))
    done = msg.REMISE_FAITE if w.changed else msg.REMISE_INCHANGEE
    lines.append(done.format(acte=_capital(title_of(b.code)), dossier=display_path(w.folder),
                             zip=display_path(w.zip)))
    return lines, list(b.notes) + [msg.BACKUP.format(path=display_path(p)) for p in w.backups]
