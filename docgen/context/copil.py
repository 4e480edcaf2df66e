"""A COPIL: everything the convocation, the slides, the attendance sheet and the minutes print.
The figures are computed once (derive) and quoted by every piece."""

from __future__ import annotations

import re
from typing import Any

from .. import derive
from .. import messages as msg
from ..model import Convention
from ..model.avenant import (
    AjouterFiche,
    AjouterPartenaire,
    AjouterSecteur,
    AjouterSignataire,
    ModifierFiche,
    ModifierSecteur,
    ProlongerDuree,
    RemplacerTexte,
    RetirerPartenaire,
    RetirerSignataire,
    SupprimerFiche,
    SupprimerSecteur,
)
from ..model.case import Case
from ..model.representation import representant_copil
from ..resolve import Resolved
from .common import auteur, programme


def _personne(i: Any) -> str:
    nom = " ".join(x for x in (i.prenom, i.nom) if x)  # no break after « M. » / « Mme »
    return f"{i.civilite}\u00a0{nom}" if i.civilite else nom


def chiffres(case: Case, resolved: Resolved, cp: Any) -> tuple[dict[str, Any], derive.Indicateurs,
                                                                 Convention, bool]:
    """The COPIL's figures on its date, and the convention in force then."""
    state, draft = resolved.en_vigueur(cp.date)
    state = derive.plan_au(state, draft, cp.instantane)
    ind = derive.indicateurs(case.territoire, state, cp.instantane)
    axes = {a.id: a.intitule for a in state.axes}
    parties = {p.id: p for p in case.territoire.parties}
    financeurs = {f.id: f.nom for f in case.territoire.financeurs}
    data = {
        "nombre_actions": ind.nombre_actions,
        "par_statut": [{"statut": s, "nombre": n} for s, n in ind.par_statut if n],
        "statuts": list(derive.STATUTS_ORDRE),
        "par_axe": [
            {"axe": axes[a], "statuts": [{"statut": s, "nombre": n} for s, n in st if n],
             "comptes": dict(st), "cout": cost}
            for a, st, cost in ind.par_axe
        ],
        "par_maitre_ouvrage": [
            {"nom": parties[o].designation, "nombre": n, "cout": cost}
            for o, n, cost in ind.par_maitre_ouvrage
        ],
        "par_financeur": [{"nom": financeurs[f], "montant": m} for f, m in ind.obtenu_par_financeur],
        "financeurs": [{"nom": financeurs[x.financeur_id], "acquis": x.acquis,
                        "sollicite": x.sollicite, "total": x.total}
                       for x in derive.financeurs_au(case.territoire, state, cp.instantane)],
        "investissements": ind.investissements,
        "obtenu": ind.obtenu,
        "taux": ind.taux_financement,
        "etudes": {"nombre": ind.etudes_nombre, "cout": ind.etudes_cout,
                   "finance": ind.etudes_finance, "taux": ind.etudes_taux},
    }
    return data, ind, state, draft


def calendrier(day: Any, state: Convention, instantane: Any) -> dict[str, Any] | None:
    """The timeline of the actions (Gantt): one bar per action, the COPIL's day marked."""
    barres = derive.calendrier(state, instantane)
    if not barres:
        return None
    first, last = derive.bornes_calendrier(barres, day)
    return {"jour": day, "debut": first, "fin": last,
            "barres": [{"numero": b.numero, "intitule": b.intitule, "debut": b.debut,
                        "fin": b.fin, "statut": b.statut,
                        # its planned end is past and it is neither done nor given up
                        "retard": b.fin < day and b.statut not in ("realisee", "abandonnee")}
                       for b in barres]}


def avenants_joints(case: Case, day: Any) -> list[int]:
    """The avenants submitted to this COPIL (approved on its day, not signed before it): their
    draft is attached to the pack and listed among the minutes' pièces jointes."""
    return [av.numero for av in case.avenants if av.approuve_par_copil == day
            and (av.signature.date is None or av.signature.date > day)]


_PROJET_AVENANT = re.compile(msg.PIECE_PROJET_AVENANT)


def pieces_en_plus(pieces: Any, avenants: list[int]) -> list[str]:
    """The pièces jointes the case adds to the pack's own (slides, attendance sheet, the draft
    avenants submitted): one that names a piece the pack already encloses (« Projet d'avenant
    n° 1 ») is listed once, not twice; so is a piece written twice."""
    out: list[str] = []
    seen: set[str] = set()
    for p in pieces:
        key = " ".join(p.casefold().replace("’", "'").split()).rstrip(" .")
        found = _PROJET_AVENANT.match(key)
        if key in seen or key in msg.PIECES_DU_PACK or (found and int(found.group(1)) in avenants):
            continue
        seen.add(key)
        out.append(p)
    return out


def changements_avenant(case: Case, resolved: Resolved, numero: int) -> dict[str, Any]:
    """What an avenant changes, operation by operation, as data the slide words (the avenant's
    own legal wording is avenant.docx's)."""
    from ..resolve import apply

    av = next(a for a in case.avenants if a.numero == numero)
    communes = {c.id: c.nom for c in case.territoire.territoire.communes}
    parties = {p.id: p.nom for p in case.territoire.parties}
    state = resolved.apres(numero - 1)
    before_total = derive.cout_total(state.fiches_actions)
    out = []
    money = False
    for op in av.modifications:
        after = apply(state, op, av.signataires)
        m: dict[str, Any] = {"type": op.operation}
        if isinstance(op, AjouterSecteur):
            m["secteur"] = {"nom": op.secteur.nom, "commune": communes[op.secteur.commune]}
        elif isinstance(op, (ModifierSecteur, SupprimerSecteur)):
            m["nom"] = next(x.nom for x in state.secteurs if x.id == op.id)
            if isinstance(op, ModifierSecteur):
                m["changements"] = [{"champ": k} for k in _champs(op.champs)]
        elif isinstance(op, AjouterFiche):
            money = True
            m.update(numero=op.fiche.numero, intitule=op.fiche.intitule,
                     cout=op.fiche.cout.montant, base=op.fiche.cout.base)
        elif isinstance(op, (ModifierFiche, SupprimerFiche)):
            money = True
            before = next(x for x in state.fiches_actions if x.numero == op.numero)
            m.update(numero=op.numero, intitule=before.intitule)
            if isinstance(op, ModifierFiche):
                now = next(x for x in after.fiches_actions if x.numero == op.numero)
                m["changements"] = [
                    {"champ": k, "nature": "montant" if k == "cout" else "autre",
                     "avant": {"montant": before.cout.montant, "base": before.cout.base}
                     if k == "cout" else None,
                     "apres": {"montant": now.cout.montant, "base": now.cout.base}
                     if k == "cout" else None}
                    for k in _champs(op.champs)]
        elif isinstance(op, (AjouterSignataire, RetirerSignataire, AjouterPartenaire,
                             RetirerPartenaire)):
            m["nom"] = parties[op.partie]
        elif isinstance(op, RemplacerTexte):
            m["cf"] = None
        elif isinstance(op, ProlongerDuree):
            signed = case.convention.signature.date
            m.update(avant=state.duree_ans, apres=op.duree_ans,
                     date_fin=derive.fin_de_duree(signed, op.duree_ans) if signed else None)
        out.append(m)
        state = after
    maquette = ({"avant": before_total, "apres": derive.cout_total(state.fiches_actions)}
                if money else None)
    return {"modifications": out, "maquette": maquette}


def _champs(champs: Any) -> list[str]:
    """The fields an operation's « champs » writes (the others stay as they were)."""
    return [k for k in type(champs).model_fields if getattr(champs, k) is not None]


def avenants_du_copil(case: Case, resolved: Resolved, day: Any,
                      previous: Any) -> list[dict[str, Any]]:
    """Avenants signed since the previous COPIL (up to this one's day), or proposed to this one
    (approved on its day, not signed before it): what each changes."""
    out = []
    for av in case.avenants:
        signed = av.signature.date
        recent = signed is not None and signed <= day and (previous is None or signed > previous)
        proposed = av.approuve_par_copil == day and (signed is None or signed > day)
        if not (recent or proposed):
            continue
        out.append({"numero": av.numero, "signe": signed if recent else None,
                    "objet": av.objet, **changements_avenant(case, resolved, av.numero)})
    return out


def copil_context(case: Case, resolved: Resolved, numero: int,
                  logos: list[dict[str, str]] | tuple[()] = ()) -> dict[str, Any]:
    copils = sorted(case.copils, key=lambda c: c.date)
    cp = next(c for c in copils if c.numero == numero)
    before = [c for c in copils if c.date < cp.date]
    terr = case.territoire
    parties = {p.id: p for p in terr.parties}
    data, ind, state, draft = chiffres(case, resolved, cp)
    evolution = None
    prev = chiffres(case, resolved, before[-1])[1] if before else None
    if prev is not None and prev.nombre_actions:  # against a COPIL without a plan: no change
        evolution = {
            "depuis": before[-1].date,
            "numero": before[-1].numero,
            "investissements": ind.investissements - prev.investissements,
            "obtenu": ind.obtenu - prev.obtenu,
            "etudes_finance": ind.etudes_finance - prev.etudes_finance,
            "realisees": dict(ind.par_statut)["realisee"] - dict(prev.par_statut)["realisee"],
        }

    def representant(pid: str) -> dict[str, Any]:
        r = representant_copil(parties[pid], cp.date_edition)  # the loader has checked it
        return {"nom": r.nom, "civilite": r.civilite, "fonction": r.fonction,
                "feminin": r.civilite == "Mme"}

    presences = {p.invite: p for p in cp.presences}
    structures: dict[str, list[dict[str, Any]]] = {}
    for inv in cp.invites:
        pr = presences.get(inv.id)
        structures.setdefault(inv.structure, []).append({
            "nom": inv.nom, "prenom": inv.prenom or "", "fonction": inv.fonction or "",
            "feminin": inv.civilite == "Mme",
            "personne": _personne(inv), "email": inv.email or "",
            "etat": pr.etat if pr else "absent",
            "represente_par": pr.represente_par if pr else None,
        })
    par_structure: list[dict[str, Any]] = [{"structure": k, "invites": v}
                                           for k, v in structures.items()]

    def filtre(etat: str) -> list[dict[str, Any]]:
        return [{"structure": g["structure"], "invites": [i for i in g["invites"] if i["etat"] == etat]}
                for g in par_structure if any(i["etat"] == etat for i in g["invites"])]

    precedent = {"date": before[-1].date, "numero": before[-1].numero} if before else None
    points = [
        {"numero": i, "id": p.id, "titre": p.titre, "compte_rendu": list(p.compte_rendu),
         "decisions": [{"texte": d.texte, "modalite": d.modalite, "proposition": d.proposition}
                      for d in cp.decisions if d.point == p.id],
         "intervenants": list(p.intervenants),
         "approbation": p.approbation_compte_rendu}
        for i, p in enumerate(cp.ordre_du_jour, start=1)
    ]
    for p in points:  # the minutes say so of an item where nothing was recorded
        p["vide"] = not (p["compte_rendu"] or p["decisions"] or p["approbation"])
    titres = {p.id: p.titre for p in cp.ordre_du_jour}
    presidence = [representant(p) for p in (cp.convoquent if cp.copresidence else [cp.preside])]
    communes = {c.id: c.nom for c in terr.territoire.communes}
    statut_du_jour = {r.fiche: r.statut for r in cp.instantane}
    axes_slides = [
        {"axe": g["axe"], "transversal": g["transversal"],
         "fiches": [{"numero": f["numero"], "intitule": f["intitule"],
                     "maitre_ouvrage": f["maitre_ouvrage_court"],
                     "statut": statut_du_jour.get(f["numero"], f["statut"])}
                    for f in g["fiches"]]}
        for g in programme(terr, state)["plan"]
    ]
    return {
        "copil": {"numero": cp.numero, "date": cp.date, "heure": cp.heure, "lieu": cp.lieu,
                  "visio": cp.visio, "objet": cp.objet},
        "date_edition": cp.date_edition,
        "lieu_edition": communes[next(c.id for c in terr.territoire.communes if c.ville_principale)],
        "territoire": terr.territoire,
        "auteur": auteur(case),
        "communes": [communes[c] for c in case.convention.communes],
        "epci": parties[terr.epci].nom,
        "emetteurs": [representant(p) for p in cp.convoquent],
        "emetteurs_parties": [parties[p].nom for p in cp.convoquent],
        "preside": {**representant(cp.preside), "partie": parties[cp.preside].nom},
        "presidence": presidence,
        "copresidence": len(presidence) > 1,
        "precedent": precedent,
        "redacteur": cp.redacteur,
        "pieces_jointes": pieces_en_plus(cp.pieces_jointes, avenants_joints(case, cp.date)),
        "avenants_joints": avenants_joints(case, cp.date),
        "a_un_plan": data["nombre_actions"] > 0,
        "invites_par_structure": par_structure,
        "nombre_invites": len(cp.invites),
        "lignes_vierges": derive.lignes_vierges(len(cp.invites)),
        "presents": filtre("present"),
        "excuses": filtre("excuse"),
        "representes": filtre("represente"),
        "ordre_du_jour": points,
        "decisions": [{"point": titres[d.point], "texte": d.texte, "modalite": d.modalite,
                       "proposition": d.proposition} for d in cp.decisions],
        "approbations": [{"point": p["titre"], "approbation": p["approbation"]}
                         for p in points if p["approbation"]],
        "absents": filtre("absent"),
        "calendrier": calendrier(cp.date, state, cp.instantane),
        "avenants_du_copil": avenants_du_copil(case, resolved, cp.date,
                                               before[-1].date if before else None),
        "actions": [{"action": a.action, "responsable": a.responsable, "echeance": a.echeance}
                    for a in cp.actions_a_suivre],
        "vigilance": list(cp.points_de_vigilance),
        "etapes": [{"texte": e.texte, "echeance": e.echeance} for e in cp.prochaines_etapes],
        "chiffres": data,
        "evolution": evolution,
        "programme": {
            "projet": draft,
            "signature": None if draft else case.convention.signature.date,
            "signataires": [parties[s.partie].nom for s in state.signataires],
            "axes": [{"intitule": a.intitule, "transversal": a.transversal} for a in state.axes],
            "nombre_actions": len(state.fiches_actions),
            "secteurs": [s.nom for s in state.secteurs],
            "perimetres": programme(terr, state, case.perimetres, case.fonds)["secteurs"],  # geo: the map
            "avenants": [{"numero": a.numero, "date": a.signature.date} for a in case.avenants
                         if a.signature.date is not None and a.signature.date <= cp.date],
        },
        "axes_slides": axes_slides,
        "logos": list(logos),
        "projet": False,
        "consolidee": [],
    }
