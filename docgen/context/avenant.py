"""An avenant: parties with their new délibérations, visas, one article per change, annexes.

Each change is data (its kind, the values before and after); avenant.docx words it.
"""

from __future__ import annotations

from typing import Any

from .. import derive
from ..load import Case
from ..resolve import Resolved, apply
from ..templating import Outline
from .common import commun, delimitation, fiche, numbering, programme
from .convention import TEXTE_ARTICLE

# Fields of a fiche that an avenant replaces by reference to its annex, whatever they were.
CHAMPS_ANNEXE = ("objectifs", "plan_de_financement", "indicateurs")


def _imprime(f: dict[str, Any], champ: str) -> Any:
    """The part of a fiche's field that the avenant prints (the calendar's phases are not)."""
    if champ == "cout":
        return {"montant": f["cout"], "base": f["base"]}
    if champ == "calendrier":
        return {"debut": f["calendrier"].debut, "fin": f["calendrier"].fin}
    if champ == "plan_de_financement":
        return None
    return f[champ]


def changements(before: dict[str, Any], after: dict[str, Any], champs: Any) -> list[dict[str, Any]]:
    """What a modifier_fiche operation changes, field by field, as printed before and after."""
    out = []
    for champ in type(champs).model_fields:
        if getattr(champs, champ) is None:
            continue
        nature = ("montant" if champ == "cout" else "annexe" if champ in CHAMPS_ANNEXE
                  else "texte")
        avant, apres = _imprime(before, champ), _imprime(after, champ)
        if nature != "annexe" and avant == apres:
            continue
        out.append({"champ": champ, "nature": nature,
                    "avant": None if nature == "annexe" else avant,
                    "apres": None if nature == "annexe" else apres})
    return out


def avenant_context(case: Case, resolved: Resolved, numero: int, convention_outline: Outline,
                    projet: bool) -> dict[str, Any]:
    av = next(a for a in case.avenants if a.numero == numero)
    terr = case.territoire
    parties = {p.id: p for p in terr.parties}
    communes = {c.id: c for c in terr.territoire.communes}
    state = resolved.apres(numero - 1)
    ctx = commun(case, av, Outline((), ()), projet, communes_ids=list(case.convention.communes))
    conv_numbers = numbering(convention_outline)
    modifications = []
    annexe_secteurs: list[dict[str, Any]] = []
    annexe_fiches: list[int] = []
    money_moved = False
    for op in av.modifications:
        after = apply(state, op, av.signataires)
        m: dict[str, Any] = {"type": op.operation}
        if op.operation in ("ajouter_secteur", "modifier_secteur"):
            sid = op.secteur.id if op.operation == "ajouter_secteur" else op.id
            s_after = next(x for x in after.secteurs if x.id == sid)
            m["secteur"] = {"id": s_after.id, "nom": s_after.nom,
                            "commune": communes[s_after.commune].nom,
                            "description": s_after.description,
                            **delimitation(terr, s_after, case.perimetres)}  # geo
            if op.operation == "modifier_secteur":
                s_before = next(x for x in state.secteurs if x.id == sid)
                m["nom"] = s_before.nom

                def shown(s: Any, k: str) -> Any:
                    return communes[s.commune].nom if k == "commune" else getattr(s, k)

                m["changements"] = [
                    {"champ": k, "avant": shown(s_before, k), "apres": shown(s_after, k)}
                    for k in type(op.champs).model_fields if getattr(op.champs, k) is not None
                ]
            annexe_secteurs.append(m["secteur"])
        elif op.operation == "supprimer_secteur":
            m["nom"] = next(x.nom for x in state.secteurs if x.id == op.id)
        elif op.operation in ("ajouter_fiche", "modifier_fiche", "supprimer_fiche"):
            money_moved = True
            n = op.fiche.numero if op.operation == "ajouter_fiche" else op.numero
            m["numero"] = n
            if op.operation == "ajouter_fiche":
                f_after = fiche(terr, after, op.fiche)
                m.update(intitule=f_after["intitule"], cout=f_after["cout"], base=f_after["base"])
                annexe_fiches.append(n)
            elif op.operation == "modifier_fiche":
                f_before = fiche(terr, state, next(x for x in state.fiches_actions if x.numero == n))
                f_after = fiche(terr, after, next(x for x in after.fiches_actions if x.numero == n))
                m.update(intitule=f_before["intitule"],
                         changements=changements(f_before, f_after, op.champs))
                annexe_fiches.append(n)
            else:
                m["intitule"] = next(x.intitule for x in state.fiches_actions if x.numero == n)
        elif op.operation in ("ajouter_signataire", "retirer_signataire",
                              "ajouter_partenaire", "retirer_partenaire"):
            m["nom"] = parties[op.partie].nom
        elif op.operation == "remplacer_texte":
            key = TEXTE_ARTICLE[op.article]
            m.update(cf=conv_numbers["cf"].get(key), preambule=key == "preambule",
                     texte=list(op.texte))
        elif op.operation == "prolonger_duree":
            signed = case.convention.signature.date
            m.update(avant=state.duree_ans, apres=op.duree_ans,
                     date_fin=derive.ajouter_annees(signed, op.duree_ans) if signed else None)
        modifications.append(m)
        state = after
    before_total = derive.cout_total(resolved.apres(numero - 1).fiches_actions)
    n_article = 2
    for m in modifications:
        m["article"] = n_article
        n_article += 1
    prog = programme(terr, state, case.perimetres)
    maquette = None
    if money_moved:
        maquette = {"article": n_article, "avant": before_total, "apres": prog["maquette"]["total"]}
        n_article += 1
    annexes = (["secteurs"] if annexe_secteurs else []) + (["fiches"] if annexe_fiches else [])
    annexe_num = {k: i for i, k in enumerate(annexes, start=1)}
    for m in modifications:
        if m["type"] in ("ajouter_secteur", "modifier_secteur"):
            m["annexe"] = annexe_num["secteurs"]
        if m["type"] in ("ajouter_fiche", "modifier_fiche"):
            m["annexe"] = annexe_num["fiches"]
    previous = [a for a in resolved.avenants if a.numero < numero]
    ctx.update(prog)
    ctx.update({
        "numero": numero,
        "objet": av.objet,
        "motifs": list(av.motifs),
        "convention": {"date": case.convention.signature.date, "titre": case.convention.titre},
        "avenants_precedents": [{"numero": a.numero, "date": a.signature.date} for a in previous],
        "cf_convention": conv_numbers["cf"],
        "copil": av.approuve_par_copil,
        "modifications": modifications,
        "maquette_avenant": maquette,
        "article_final": n_article,
        "annexe_secteurs": {"numero": annexe_num["secteurs"], "secteurs": annexe_secteurs}
        if annexe_secteurs else None,
        "annexe_fiches": annexe_num.get("fiches"),
        "fiches_annexe": [f for f in prog["fiches"] if f["numero"] in annexe_fiches],
    })
    return ctx
