"""An avenant: parties with their new délibérations, visas, one amending article per provision
whose text changes (its new text quoted verbatim from the rendered convention), signatures.

The amendments are computed from the renderings of the convention before and after the avenant
(provisions.py); this module gives each its data, avenant.docx words it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .. import derive, parcelles
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
        "parcelles_secteurs": parcelles_secteurs(case, before.secteurs, after.secteurs,
                                                 av.signature.date or av.date_edition),
        "duree": ({"avant": before.duree_ans, "apres": after.duree_ans,
                   "fin": derive.fin_de_duree(case.convention.signature.date, after.duree_ans)
                   if case.convention.signature.date else None}
                  if before.duree_ans != after.duree_ans else None),
        "article_final": len(articles) + 2,
    })
    return ctx


def parcelles_secteurs(case: Case, avant: Sequence[Any], apres: Sequence[Any],
                       jour: Any) -> list[dict[str, Any]]:
    """geo: for each secteur the avenant adds, removes or redraws, the parcels of the cadastre
    that enter it or leave it (parcelles.difference), in the order of the secteurs after it,
    the removed ones last; none when the commune has no parcels layer."""
    before = {s.id: s for s in avant}
    after = {s.id: s for s in apres}

    def shape(s: Any) -> Any:
        p = case.perimetres.get(s.perimetre) if s is not None and s.perimetre else None
        return p.geometrie if p is not None else None

    out = []
    for ident in [*after, *(k for k in before if k not in after)]:
        a, b = before.get(ident), after.get(ident)
        s = b if b is not None else a
        assert s is not None
        if a is not None and b is not None and a.perimetre == b.perimetre and a.commune == b.commune:
            continue
        if a is not None and b is not None and a.commune != b.commune:
            continue  # another commune's cadastre: the annex lists them, nothing to compare
        fond = case.fonds.get(s.commune)
        if fond is None or not fond.listed(jour):
            continue
        d = parcelles.difference(fond, shape(a), shape(b))
        if d is not None:
            communes = {c.id: c.nom for c in case.territoire.territoire.communes}
            out.append({"nom": s.nom, "commune": communes.get(s.commune, s.commune),
                        "ajoute": a is None, "retire": b is None, "parcelles": d})
    return out
