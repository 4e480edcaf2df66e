"""`docgen status CASE`: the register of acts, and for every document the case gives, whether
the file in the output folder is « à jour », « à refaire » (and because of what), « retouché à
la main », « signé » or « absent ». Reads only: nothing is built or written."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import acts
from . import messages as msg
from .formatting import date_longue
from .model.case import Case
from .model.registre import Acte, Presentation, Registre
from .stale import why

A_JOUR, A_REFAIRE, RETOUCHE, SIGNE, ABSENT, PRESENTE = (
    msg.ST_A_JOUR, msg.ST_A_REFAIRE, msg.ST_RETOUCHE, msg.ST_SIGNE, msg.ST_ABSENT, msg.ST_PRESENTE)
_NONE = Presentation(produit_le=dt.date(2000, 1, 1))


@dataclass(frozen=True)
class ActState:
    code: str
    titre: str
    etat: str  # projet, relu, signe, transmis (model/registre.py ETATS)
    detail: str  # in words: dates, mode, original


@dataclass(frozen=True)
class DocState:
    path: str  # relative to the territory's output folder
    etat: str  # A_JOUR, A_REFAIRE, RETOUCHE, SIGNE, ABSENT, PRESENTE
    raison: str = ""
    groupe: str = ""  # the act or COPIL it belongs to, in words (« L'avenant n° 1 »)
    titre: str = ""  # its own name and format (« Convention consolidée (PDF) »)


@dataclass(frozen=True)
class Status:
    case: Case
    folder: Path  # the territory's output folder
    acts: list[ActState]
    documents: list[DocState]


def act_states(case: Case, registre: Registre) -> list[ActState]:
    out = []
    for code, model in acts.acts_of(case):
        acte = registre.actes.get(code)
        etat, detail = _act_words(model, acte, msg.SIGNE_ACCORD[code.split("-")[0]])
        out.append(ActState(code, acts.title(code), etat, detail))
    return out


def _act_words(model: object, acte: Acte | None, signe: str) -> tuple[str, str]:
    """The state of an act and its sentence (« signé le 14 avril 2023 sur papier, … »)."""
    signature = getattr(model, "signature", None)
    dated = getattr(signature, "date", None)
    if acte is None or acte.emis is None:
        if dated is not None:
            return "projet", msg.ST_ACTE_DATE_NON_EMIS.format(date=date_longue(dated))
        return "projet", msg.ST_ACTE_PROJET
    emis = msg.ST_EMIS.format(date=date_longue(acte.emis.date), origine=msg.ST_ORIGINE[
        acte.emis.origine])
    s = acte.signature
    if s is None:
        return acte.etat, msg.ST_RELU.format(emis=emis)
    if s.original is None:
        original = msg.ST_ORIGINAL_ABSENT
    elif s.mode == "papier":
        original = msg.ST_ORIGINAL_PAPIER.format(date=date_longue(s.importe_le or s.date))
    else:
        original = msg.ST_ORIGINAL_VERIFIE.format(n=len(s.signatures), confiance=msg.ST_CONFIANCE[
            s.confiance])
    words = msg.ST_SIGNE_LE.format(signe=signe, date=date_longue(s.date), mode=msg.ST_MODE[s.mode],
                                   original=original, emis=emis)
    if acte.transmission is not None:
        words = msg.ST_TRANSMIS.format(date=date_longue(acte.transmission.date),
                                       id=acte.transmission.id_acte, signe=words)
    return acte.etat, words


def status(case_folder: Path, out: Path) -> Status:
    """What `docgen status` prints (pure reading of the case, its register, the output)."""
    from .load import load_case
    from .output import read_manifest, sha256_file
    from .pipeline import act_code, fingerprint
    from .plan import BuildOptions, outputs, plan

    case = load_case(case_folder)
    registre = case.registre
    folder = out / case.name
    options = BuildOptions()
    jobs = plan(case, options)
    manifest = read_manifest(folder) if folder.is_dir() else {"outputs": {}, "inputs": {},
                                                              "templates": {}}
    fp = fingerprint(case.folder, options)
    current_inputs = {str(p.relative_to(case.folder)): sha256_file(p) for p in case.files}
    frozen = {c for c, _ in acts.acts_of(case)
              if acts.is_frozen(case, c, registre.actes.get(c))}
    held = {cp.numero: cp for cp in case.copils if cp.tenu}
    presented = {(held_n, kind): piece.sha256 for held_n, cp in held.items()
                 for kind, piece in (registre.copils.get(acts.copil_code(cp.date)) or
                                     _NONE).pieces.items()}

    def state(rel: str, job: Any) -> DocState:
        path = folder / rel
        entry = manifest["outputs"].get(rel)
        code = act_code(job)
        if not path.is_file():
            return DocState(rel, ABSENT)
        digest = sha256_file(path)
        if code in frozen:
            kept = _registered(case.folder, registre.actes[code])
            return (DocState(rel, SIGNE) if digest in kept
                    else DocState(rel, A_REFAIRE, msg.ST_PAS_LE_SIGNE))
        shown = presented.get((job.numero, job.document)) if job.spec.presented else None
        if shown is not None:  # the slides of a COPIL held, as presented
            return (DocState(rel, PRESENTE) if digest == shown
                    else DocState(rel, A_REFAIRE, msg.ST_PAS_LE_PRESENTE))
        if entry is None:
            return DocState(rel, RETOUCHE, msg.ST_HORS_MANIFESTE)
        if entry.get("sha256") != digest:
            return DocState(rel, RETOUCHE)
        if entry.get("fingerprint") == fp:
            return DocState(rel, A_JOUR)
        return DocState(rel, A_REFAIRE, why(job, manifest, current_inputs))

    by_output = {o: j for j in jobs for o in outputs([j], True)}
    docs = [replace(state(rel, job), **named(case, job, rel)) for rel, job in by_output.items()]
    return Status(case, folder, act_states(case, registre), docs)


def named(case: Case, job: Any, rel: str) -> dict[str, str]:
    """The group and the name of one output of `job`, in words (msg.DOC_GROUPE, DOC_TITRE),
    from its kind and number, never from its file name."""
    family, n = job.kind, job.numero
    copil = next((c for c in case.copils if c.numero == n), None) if family == "copil" else None
    groupe = msg.DOC_GROUPE.get(family, family).format(
        n=n, date=date_longue(copil.date) if copil is not None else n)
    suffix = Path(rel).suffix
    form = (msg.DOC_PDF_A_SIGNER if suffix == ".pdf" and job.spec.signed and not job.projet
            and rel == job.pdf_output else msg.DOC_FORMAT.get(suffix, suffix.lstrip(".")))
    return {"groupe": groupe,
            "titre": f"{msg.DOC_TITRE.get(job.document, job.document).format(n=n)} ({form})"}


def _registered(case_folder: Path, acte: Acte) -> set[str]:
    """The SHA-256 of the files an act's register entry keeps (issued DOCX and PDF, original)."""
    out: set[str] = set()
    if acte.emis is not None:
        out |= {acte.emis.docx_sha256, acte.emis.pdf_sha256}
    if acte.signature is not None and acte.signature.original_sha256:
        out.add(acte.signature.original_sha256)
    return out


# ------------------------------------------------------------------ the register, exported

CSV_COLUMNS = ("acte", "titre", "etat", "emis_le", "origine", "emis_sha256", "signe_le", "mode",
               "original_sha256", "signataires", "id_acte", "recu_le")


def register_rows(case: Case) -> list[dict[str, object]]:
    """One row per act of the case, in the order of their lives: what the register says."""
    rows: list[dict[str, object]] = []
    for code, _ in acts.acts_of(case):
        acte = case.registre.actes.get(code)
        e = acte.emis if acte else None
        s = acte.signature if acte else None
        t = acte.transmission if acte else None
        signers = ([f"{x.nom} ({x.champ})" for x in s.signatures] if s and s.signatures else
                   [f"{x.nom}, pour {x.pour}" for x in (e.signataires if e else [])])
        rows.append({
            "acte": code, "titre": acts.title(code),
            "etat": msg.ST_ETATS[acte.etat] if acte else msg.ST_ETATS["projet"],
            "emis_le": e.date if e else None, "origine": msg.ST_ORIGINE[e.origine] if e else "",
            "emis_sha256": e.pdf_sha256 if e else "",
            "signe_le": s.date if s else None, "mode": msg.ST_MODE[s.mode] if s else "",
            "original_sha256": s.original_sha256 or "" if s else "",
            "signataires": " ; ".join(signers), "id_acte": t.id_acte if t else "",
            "recu_le": t.date if t else None})
    return rows


def register_csv(case: Case) -> str:
    """The register as CSV (UTF-8, « ; » as the French spreadsheets expect, dates ISO)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in register_rows(case):
        writer.writerow(["" if row[c] is None else str(row[c]) for c in CSV_COLUMNS])
    return out.getvalue()


def register_pdf(case: Case) -> bytes:
    """The register, printable (PDF/A), dated by its latest entry: the same register gives the
    same bytes."""
    import hashlib

    from .context.common import auteur
    from .finish.pdf_html import html_to_pdf
    from .render.html import render_html
    from .templating import SearchPath

    rows = register_rows(case)
    days = [d for r in rows for d in (r["emis_le"], r["signe_le"], r["recu_le"])
            if isinstance(d, dt.date)]
    search = SearchPath.of(case.folder)
    text = render_html("registre.html", {
        "territoire": case.territoire.territoire.nom, "auteur": auteur(case), "actes": rows,
        "date_edition": max(days, default=case.convention.date_edition)}, search)
    identifier = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32].encode()
    return html_to_pdf(text, identifier, "registre-des-actes.pdf", search)
