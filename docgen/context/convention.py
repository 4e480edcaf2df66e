"""The convention-cadre, as signed or consolidated after avenants: data for convention.docx."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from .. import derive
from ..model import Avenant, Convention
from ..model.avenant import SupprimerFiche, SupprimerSecteur
from ..model.case import Case
from ..resolve import resolve
from ..templating import Outline
from .common import commun, programme, reference_avenant, signataires


def consolidation(avenants: Sequence[Avenant], numero: int) -> dict[str, Any]:
    """The avenants a consolidated version integrates (which provisions each amended is computed
    from the renderings: see provisions.py and Documents.consolidee)."""
    applied = [a for a in sorted(avenants, key=lambda a: a.numero) if a.numero <= numero]
    return {"avenants": [reference_avenant(a) for a in applied]}


def originaux(case: Case, numero: int) -> list[dict[str, Any]]:
    """In a consolidated version, in place of the signatures: the acts it integrates as they
    were signed — the convention, then each avenant up to numero —, each with its place, day,
    mode and signatories (who signed for each party that day)."""
    terr = case.territoire
    actes: list[tuple[int, Convention | Avenant]] = [(0, case.convention)]
    actes += [(a.numero, a) for a in sorted(case.avenants, key=lambda a: a.numero)
              if a.numero <= numero]
    out = []
    for n, acte in actes:
        jour = acte.signature.date or acte.date_edition
        _, blocs = signataires(terr, acte.signataires, jour)
        out.append({"numero": n, "lieu": acte.signature.lieu, "date": acte.signature.date,
                    "electronique": acte.signature.mode == "electronique",
                    "signataires": blocs})
    return out


def fiches_supprimees(case: Case, numero: int, conv: Convention) -> list[dict[str, Any]]:
    """The fiches an avenant up to numero deleted and none re-added: each with its number, its
    last title and the avenant that deleted it (a consolidated version names them at their
    place, so that the numbering has no unexplained gap)."""
    etats = resolve(case.convention, case.avenants)
    en_vigueur = {f.numero for f in conv.fiches_actions}
    out: dict[int, dict[str, Any]] = {}
    for av in etats.avenants:
        if av.numero > numero:
            break
        avant = {f.numero: f for f in etats.apres(av.numero - 1).fiches_actions}
        for op in av.modifications:
            if isinstance(op, SupprimerFiche) and op.numero in avant:
                out[op.numero] = {"numero": op.numero, "intitule": avant[op.numero].intitule,
                                  "supprimee": reference_avenant(av)}
    return [out[n] for n in sorted(out) if n not in en_vigueur]


def secteurs_retires(case: Case, numero: int, conv: Convention,
                     en_vigueur: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The annex of secteurs of a consolidated version: those in force (`en_vigueur`, as
    programme() gives them) and, at its place (after the secteur that preceded it when it was
    removed), each secteur an avenant up to numero removed and none added again, with the
    avenant that removed it (« secteur retiré par l'avenant n° 2 du … »)."""
    etats = resolve(case.convention, case.avenants)
    communes = {c.id: c.nom for c in case.territoire.territoire.communes}
    out: list[dict[str, Any]] = [{**s, "retire": None} for s in en_vigueur]
    actuels = {s.id for s in conv.secteurs}
    for av in etats.avenants:
        if av.numero > numero:
            break
        avant = list(etats.apres(av.numero - 1).secteurs)
        for op in av.modifications:
            if not isinstance(op, SupprimerSecteur) or op.id in actuels:
                continue
            i = next((k for k, s in enumerate(avant) if s.id == op.id), None)
            if i is None:
                continue
            s = avant[i]
            out = [x for x in out if x["id"] != s.id]  # removed, added, removed again: once
            entry = {"id": s.id, "nom": s.nom, "commune": communes.get(s.commune, s.commune),
                     "retire": reference_avenant(av)}
            ids = [x["id"] for x in out]
            prev = next((ids.index(p.id) for p in reversed(avant[:i]) if p.id in ids), -1)
            out.insert(prev + 1, entry)
    return out


def jour_etat(case: Case, numero: int) -> dt.date:
    """The day the convention's state after avenant `numero` (0: as signed) took effect: the
    act's signature, else its edition date."""
    if numero:
        av = next(a for a in case.avenants if a.numero == numero)
        return av.signature.date or av.date_edition
    return case.convention.signature.date or case.convention.date_edition


def convention_context(case: Case, outline: Outline, projet: bool,
                       conv: Convention | None = None,
                       consolide: dict[str, Any] | None = None,
                       etat: int | None = None) -> dict[str, Any]:
    """The convention as signed, or (conv + consolide) a consolidated state after avenants, or
    (conv + etat) the state after avenant `etat`, unmarked."""
    conv = conv or case.convention
    ctx = commun(case, conv, outline, projet)
    numero = consolide["avenants"][-1]["numero"] if consolide and consolide["avenants"] else 0
    ctx.update(programme(case.territoire, conv, case.perimetres, case.fonds,
                         jour_etat(case, etat if etat is not None else numero)))
    signature_date = conv.signature.date
    supprimees = fiches_supprimees(case, numero, conv) if numero else []
    ctx.update({
        "consolidee": consolide["avenants"] if consolide else [],
        # informative, never signable: no « Fait à » nor signature block, where and by whom the
        # originals were signed instead (a consolidated version; the redline's two sides)
        "informatif": consolide is not None,
        "originaux": originaux(case, numero) if consolide is not None else [],
        # the avenant a redline compares before and after (pipeline.Documents.comparaison):
        # its two sides are headed as a comparison, not as a consolidated version
        "comparaison": None,
        # the annex of fiches: those in force and, in a consolidated version, those deleted
        "annexe_fiches": sorted([*({**f, "supprimee": None} for f in ctx["fiches"]), *supprimees],
                                key=lambda f: f["numero"]),
        # the annex of secteurs: likewise, those removed named at their place
        "annexe_secteurs": (secteurs_retires(case, numero, conv, ctx["secteurs"]) if numero
                            else [{**s, "retire": None} for s in ctx["secteurs"]]),
        "textes": conv.textes,
        "duree_ans": conv.duree_ans,
        "date_fin": derive.fin_de_duree(signature_date, conv.duree_ans) if signature_date else None,
        "axes": list(conv.axes),
    })
    return ctx
