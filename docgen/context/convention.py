"""The convention-cadre, as signed or consolidated after avenants: data for convention.docx."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .. import derive
from ..load import Case
from ..model import Avenant, Convention
from ..templating import Outline
from .common import commun, programme, reference_avenant

# Which article of the convention each kind of change touches (keys of the Word template).
TOUCHES = {
    "ajouter_secteur": ("strategie", "secteurs"),
    "modifier_secteur": ("strategie", "secteurs"),
    "supprimer_secteur": ("strategie", "secteurs"),
    "ajouter_fiche": ("plan", "engagements"),
    "modifier_fiche": ("plan", "engagements"),
    "supprimer_fiche": ("plan", "engagements"),
    "ajouter_signataire": ("parties",),
    "retirer_signataire": ("parties",),
    "ajouter_partenaire": ("parties",),
    "retirer_partenaire": ("parties",),
    "prolonger_duree": ("duree",),
}
# The case's text blocks (convention.yaml: textes) and the article key that prints each.
TEXTE_ARTICLE = {
    "preambule": "preambule", "ambitions": "ambitions", "strategie": "strategie",
    "ingenierie": "ingenierie", "gouvernance": "gouvernance", "suivi_evaluation": "suivi",
    "resultats_attendus": "resultats",
}


def consolidation(avenants: Sequence[Avenant], numero: int) -> dict[str, Any]:
    """The avenants a consolidated version integrates, and which provisions each changed."""
    applied = [a for a in sorted(avenants, key=lambda a: a.numero) if a.numero <= numero]
    touched: dict[str, list[dict[str, Any]]] = {}
    fiches: dict[int, list[dict[str, Any]]] = {}
    for av in applied:
        ref = reference_avenant(av)
        for op in av.modifications:
            keys = TOUCHES.get(op.operation, ())
            if op.operation == "remplacer_texte":
                keys = (TEXTE_ARTICLE[op.article],)
            for key in keys:
                refs = touched.setdefault(key, [])
                if ref not in refs:
                    refs.append(ref)
            if op.operation in ("ajouter_fiche", "modifier_fiche"):
                n = op.fiche.numero if op.operation == "ajouter_fiche" else op.numero
                fiches.setdefault(n, []).append(
                    {"ajout": op.operation == "ajouter_fiche", "avenant": ref})
    return {"avenants": [reference_avenant(a) for a in applied], "modifie": touched,
            "fiches": fiches}


def convention_context(case: Case, outline: Outline, projet: bool,
                       conv: Convention | None = None,
                       consolide: dict[str, Any] | None = None) -> dict[str, Any]:
    """The convention as signed, or (conv + consolide) a consolidated state after avenants."""
    conv = conv or case.convention
    ctx = commun(case, conv, outline, projet)
    ctx.update(programme(case.territoire, conv, case.perimetres))
    modifie: dict[str, list[dict[str, Any]]] = {
        k: [] for k in (*outline.articles, *outline.annexes, "parties", "preambule")}
    if consolide:
        modifie.update(consolide["modifie"])
        for f in ctx["fiches"]:
            f["modifie"] = consolide["fiches"].get(f["numero"], [])
    signature_date = conv.signature.date
    ctx.update({
        "consolidee": consolide["avenants"] if consolide else [],
        "modifie": modifie,
        "textes": conv.textes,
        "duree_ans": conv.duree_ans,
        "date_fin": derive.ajouter_annees(signature_date, conv.duree_ans) if signature_date else None,
        "axes": list(conv.axes),
    })
    return ctx
