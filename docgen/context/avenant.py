"""An avenant: parties with their new délibérations, visas, one amending article per provision
whose text changes (its new text quoted verbatim from the rendered convention), signatures.

The amendments are computed from the renderings of the convention before and after the avenant
(provisions.py); this module gives each its data, avenant.docx words it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .. import derive
from ..model.case import Case
from ..provisions import Amendement
from ..resolve import Resolved
from ..templating import Outline
from .common import commun, numbering


def avenant_context(case: Case, resolved: Resolved, numero: int, convention_outline: Outline,
                    projet: bool, amendements: Sequence[Amendement] = (),
                    historique: Mapping[str, list[dict[str, Any]]] | None = None,
                    ) -> dict[str, Any]:
    """historique: which earlier avenants added or amended each provision in force before this
    one (Documents.marks(numero - 1)), so that an amending article cites « l'article 5 de la
    convention, modifié par l'avenant n° 1 du … »."""
    av = next(a for a in case.avenants if a.numero == numero)
    before, after = resolved.apres(numero - 1), resolved.apres(numero)
    ctx = commun(case, av, Outline((), ()), projet, communes_ids=list(case.convention.communes))
    conv_numbers = numbering(convention_outline)
    previous = [a for a in resolved.avenants if a.numero < numero]
    cout_avant = derive.cout_total(before.fiches_actions)
    cout_apres = derive.cout_total(after.fiches_actions)
    bases = " / ".join(sorted(derive.bases(after.fiches_actions)))
    avant = {f.numero: f for f in before.fiches_actions}
    apres = {f.numero: f for f in after.fiches_actions}
    couts_fiches = [
        {"numero": n, "intitule": apres[n].intitule, "ajout": n not in avant,
         "avant": avant[n].cout.montant if n in avant else None, "apres": apres[n].cout.montant,
         "base": apres[n].cout.base}
        for n in sorted(apres)
        if n not in avant or avant[n].cout.montant != apres[n].cout.montant]
    articles = []
    for i, a in enumerate(amendements, start=2):
        articles.append({"article": i, **a.context(), "historique": (historique or {}).get(a.id, [])})
    deliberations = [
        {"partie": g["nom"], "designation": g["designation"], "feminin": g["feminin"],
         "type": g["type"],
         **g["deliberation"].model_dump()}
        for g in (*ctx["parties_une_part"], *ctx["parties_autre_part"]) if g["deliberation"]]
    ctx.update({
        "numero": numero,
        "objet": av.objet,
        "motifs": list(av.motifs),
        "convention": {"date": case.convention.signature.date, "titre": case.convention.titre},
        "avenants_precedents": [{"numero": a.numero, "date": a.signature.date} for a in previous],
        "cf_convention": conv_numbers["cf"],
        "copil": av.approuve_par_copil,
        "deliberations": deliberations,
        "amendements": articles,
        "cout": ({"avant": cout_avant, "apres": cout_apres, "base": bases}
                 if cout_avant != cout_apres else None),
        "couts_fiches": couts_fiches,
        "duree": ({"avant": before.duree_ans, "apres": after.duree_ans,
                   "fin": derive.fin_de_duree(case.convention.signature.date, after.duree_ans)
                   if case.convention.signature.date else None}
                  if before.duree_ans != after.duree_ans else None),
        "article_final": len(articles) + 2,
    })
    return ctx
