"""What every contract shares: numbering, parties, signature blocks, fiches and the programme.

Data only (names, dates, numbers, flags, lists): the sentences are in the templates.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from .. import derive, parcelles
from .. import perimetres as perimetres_calc
from ..formatting import francais, majuscule_initiale
from ..model import Adhesion, Avenant, Convention, DossierTerritoire, Partie
from ..model.avenant import AjouterSignataire
from ..model.case import Case
from ..model.convention import Signataire
from ..model.representation import representant
from ..templating import Outline

COLLECTIVITES_PORTEUSES = ("commune", "epci")
ORDRE_PARTIES = {"commune": 0, "epci": 1, "etat": 2}  # then every other party, as listed


def numbering(outline: Outline) -> dict[str, Any]:
    """`article.x` and `cf.x`: the number of article x (the template writes « Article 1er »),
    `annexe.y` and `cf_annexe.y`: the number of annex y, all in the template's own order."""
    arts = derive.numeroter(outline.articles)
    anns = derive.numeroter(outline.annexes)
    return {"article": arts, "cf": arts, "annexe": anns, "cf_annexe": anns}


def champ_signature(partie: Partie, deja: set[str]) -> str:
    """Signature_Etat, Signature_Departement, Signature_Cc_Pays_Des_Ecrins… unique in a document."""
    ascii_id = unicodedata.normalize("NFKD", partie.id).encode("ascii", "ignore").decode()
    base = {"etat": "Etat", "epci": "EPCI", "departement": "Departement", "region": "Region"}.get(
        partie.type
    ) or "_".join(w.capitalize() for w in re.split(r"[^A-Za-z0-9]+", ascii_id) if w)
    name, n = f"Signature_{base}", 2
    while name in deja:
        name, n = f"Signature_{base}_{n}", n + 1
    deja.add(name)
    return name


def auteur(case: Case) -> str:
    """The EPCI issues the documents: its name, capitalised, is their author."""
    epci = {p.id: p for p in case.territoire.parties}[case.territoire.epci]
    return epci.nom[:1].upper() + epci.nom[1:]


def signataires(terr: DossierTerritoire, liste: tuple[Signataire, ...] | list[Signataire],
                jour: dt.date, jours: dict[str, dt.date] | None = None,
                ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Parties block entries (grouped by party) and signature blocks (one per signatory), in
    the one order of the title, the parties block and the signatures: the communes, the EPCI,
    then the État and the other signatories as the case lists them. Each signatory is the
    person in office on jour, or on jours[party] for a party that signed later (one an avenant
    added: the day of that avenant)."""
    jours = jours or {}
    parties = {p.id: p for p in terr.parties}
    liste = sorted(liste, key=lambda s: ORDRE_PARTIES.get(parties[s.partie].type, 3))
    blocs: list[dict[str, Any]] = []
    groupes: dict[str, dict[str, Any]] = {}
    champs: set[str] = set()
    for s in liste:
        p = parties[s.partie]
        r = representant(p, jours.get(p.id, jour), s.representant)  # the loader has checked it
        personne = {
            "civilite": r.civilite,
            "nom": r.nom,
            "fonction": r.fonction,
            "feminin": r.civilite == "Mme",
            "delegation": r.par_delegation_de,
            "arrete": r.arrete_delegation.model_dump() if r.arrete_delegation else None,
        }
        groupe = groupes.get(p.id)
        if groupe is None:
            groupe = groupes[p.id] = {
                "id": p.id,
                "type": p.type,
                "nom": p.nom,
                "designation": p.designation,
                "feminin": p.feminin,
                "representants": [],
                "deliberation": s.deliberation,
                "autorise_feminin": r.civilite == "Mme",
                "porteuse": p.type in COLLECTIVITES_PORTEUSES,
                "engagements": list(s.engagements),
            }
        groupe["representants"].append(personne)
        blocs.append({"pour": p.designation, **personne, "champ": champ_signature(p, champs),
                      "rang": len(blocs) + 1})
    return list(groupes.values()), blocs


def commun(case: Case, doc: Convention | Adhesion | Avenant, outline: Outline, projet: bool,
           communes_ids: list[str] | None = None) -> dict[str, Any]:
    """Title block, parties, signature: the frame of every contract."""
    terr = case.territoire
    communes = {c.id: c for c in terr.territoire.communes}
    parties = {p.id: p for p in terr.parties}
    jour = doc.signature.date or doc.date_edition
    jours = entrees_par_avenant(case, doc) if isinstance(doc, Convention) else {}
    groupes, blocs = signataires(terr, doc.signataires, jour, jours)
    epci = parties[terr.epci]
    signature = doc.signature
    papier = signature.mode == "papier"
    return {
        **numbering(outline),
        "projet": projet,
        "consolidee": [],
        "titre": getattr(doc, "titre", case.convention.titre),
        "communes": [communes[c].nom for c in (communes_ids or (
            case.convention.communes if isinstance(doc, Avenant) else doc.communes))],
        "epci": {"nom": epci.nom, "designation": epci.designation},
        "territoire": terr.territoire,
        "cadre_accuse_reception": terr.cadre_accuse_reception,  # page 1, acts only
        "parties_une_part": [g for g in groupes if g["porteuse"]],
        "parties_autre_part": [g for g in groupes if not g["porteuse"]],
        "en_presence_de": [parties[i].nom for i in getattr(doc, "en_presence_de", [])],
        "signature": {
            "lieu": signature.lieu,
            "date": None if projet else signature.date,
            "papier": papier,
            "exemplaires": (signature.exemplaires or len(blocs)) if papier else None,
        },
        "signataires": blocs,
        "date_edition": doc.date_edition,
        "auteur": auteur(case),
        "chef_de_projet": chef_de_projet(case, doc),
        **cadre_legal(case, doc),
    }


def chef_de_projet(case: Case, doc: Convention | Adhesion | Avenant) -> dict[str, Any]:
    """Who employs the chef de projet and what the case calls the post (« cheffe de projet »):
    the act's own statement, else the convention's, else the adhésion's."""
    poste: Any = doc.chef_de_projet if isinstance(doc, (Adhesion, Convention)) else None
    if poste is None and not isinstance(doc, Adhesion):
        poste = case.convention.chef_de_projet
    if poste is None and case.adhesion is not None:
        poste = case.adhesion.chef_de_projet
    intitule = poste.intitule if poste is not None else "chef"
    employeur = poste.employeur if poste is not None else None
    parties = {p.id: p for p in case.territoire.parties}
    return {"employeur": employeur, "intitule": intitule, "feminin": intitule == "cheffe",
            "employeur_designation": parties[employeur].designation if employeur in parties else None}


def cadre_legal(case: Case, doc: Convention | Adhesion | Avenant) -> dict[str, Any]:
    """What art. L. 303-2 CCH and the programme ask a convention to state beyond its articles'
    texts: the operators the actions may be delegated to, the extension of the eighteen-month
    deadline after the convention d'adhésion."""
    if not isinstance(doc, Convention):
        return {"operateurs": [], "prorogation": None}
    adh = case.adhesion
    p = doc.prorogation_delai
    return {
        "operateurs": list(doc.operateurs),
        "prorogation": ({"date": p.date, "reference": p.reference,
                         "delai_mois": adh.delai_convention_cadre_mois if adh else 18,
                         "adhesion": adh.signature.date if adh else None} if p else None),
    }


def entrees_par_avenant(case: Case, conv: Convention) -> dict[str, dt.date]:
    """In a state of the convention after avenants: the parties an avenant made signatories,
    each with the day of that avenant (its signatory is whoever signed it for the party then,
    as the loader checked it; the convention's own signatories signed on its date)."""
    out: dict[str, dt.date] = {}
    for s in conv.signataires:
        if any(x is s for x in case.convention.signataires):
            continue
        for av in sorted(case.avenants, key=lambda a: a.numero, reverse=True):
            adds = any(isinstance(op, AjouterSignataire) and op.partie == s.partie
                       for op in av.modifications)
            if adds and any(x is s or x == s for x in av.signataires):
                out[s.partie] = av.signature.date or av.date_edition
                break
    return out


def fiche(terr: DossierTerritoire, conv: Convention, f: Any) -> dict[str, Any]:
    """One fiche action: every field, names resolved, financing summed."""
    parties = {p.id: p for p in terr.parties}
    axes = {a.id: a for a in conv.axes}
    secteurs = {s.id: s for s in conv.secteurs}
    financeurs = {x.id: x for x in terr.financeurs}
    fin = derive.financement(terr, f)
    propres = derive.autofinances(terr, f)
    return {
        "numero": f.numero,
        "intitule": f.intitule,
        "axe": axes[f.axe].intitule,
        "type": f.type,
        "maitre_ouvrage": parties[f.maitre_ouvrage].nom,
        "maitre_ouvrage_court": parties[f.maitre_ouvrage].designation,
        "partenaires": list(f.partenaires),
        "secteur": secteurs[f.secteur].nom if f.secteur else None,
        "localisation": f.localisation,
        "description": f.description,
        "objectifs": list(f.objectifs),
        "calendrier": f.calendrier,
        "cout": f.cout.montant,
        "base": f.cout.base,
        # the partners' lines, then the maître d'ouvrage's own (shares: the template's, of cout)
        "financement": [
            {"financeur": financeurs[r.financeur].nom, "dispositif": r.dispositif,
             "montant": r.montant, "statut": r.statut}
            for r in f.plan_de_financement if r.financeur not in propres
        ],
        "autofinancement_lignes": [
            {"financeur": financeurs[r.financeur].nom, "dispositif": r.dispositif,
             "montant": r.montant}
            for r in f.plan_de_financement if r.financeur in propres
        ],
        "autofinancement": fin.autofinancement,
        "acquis": fin.acquis,
        "sollicite": fin.sollicite,
        "financement_partenaires": fin.partenaires,
        "finance": fin.total,
        "reste": fin.reste,
        "statut": f.statut,
        "maturite": f.maturite,
        "indicateurs": list(f.indicateurs),
    }


def delimitation(terr: DossierTerritoire, s: Any, perimetres: dict[str, Any],
                 fonds: dict[str, Any] | None = None, jour: dt.date | None = None
                 ) -> dict[str, Any]:
    """geo: a secteur's delimitation text, its perimeter (geometry in metres), its area in
    hectares, its commune's boundary and base layers, and its parcels (or None each: none in
    a state dated `jour` before the commune's `listes_depuis`); maps are drawn by the render
    stage."""
    p = perimetres.get(s.perimetre) if s.perimetre else None
    commune = next((c for c in terr.territoire.communes if c.id == s.commune), None)
    contour = perimetres.get(commune.perimetre) if commune and commune.perimetre else None
    fond = (fonds or {}).get(s.commune)
    if fond is not None and not (fond.parcelles or fond.batiments or fond.voies):
        fond = None  # `fond: {}`: nothing to draw, nothing to claim
    return {"delimitation": s.delimitation, "perimetre": p, "contour_commune": contour,
            "hectares": perimetres_calc.hectares(p.geometrie) if p else None, "fond": fond,
            "parcelles": parcelles.resume(fond, p.geometrie if p else None,
                                          commune.nom if commune else s.commune)
            if fond is not None and fond.listed(jour) else None}


def plages(numeros: Sequence[int]) -> list[tuple[int, int]]:
    """Action numbers compressed into runs, for « actions n° 1, 3 à 5 et 8 »: each run of
    three or more consecutive numbers is one (first, last) pair; others stand alone (n, n)."""
    out: list[tuple[int, int]] = []
    for n in sorted(set(numeros)):
        if out and n == out[-1][1] + 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    split: list[tuple[int, int]] = []
    for a, b in out:  # « 3 et 4 », not « 3 à 4 »
        split.extend([(a, a), (b, b)] if b == a + 1 else [(a, b)])
    return split


def programme(terr: DossierTerritoire, conv: Convention,
              perimetres: dict[str, Any] | None = None,
              fonds: dict[str, Any] | None = None, jour: dt.date | None = None
              ) -> dict[str, Any]:
    """Secteurs, plan d'action by axe, fiches and maquette of one state of the convention
    (dated `jour`: the day it took effect, for what its acts list)."""
    communes = {c.id: c for c in terr.territoire.communes}
    axes = {a.id: a for a in conv.axes}
    financeurs = {x.id: x for x in terr.financeurs}
    fiches = sorted(conv.fiches_actions, key=lambda f: f.numero)
    fiches_ctx = {f.numero: fiche(terr, conv, f) for f in fiches}
    zero = Decimal(0)
    lignes = derive.par_financeur(terr, fiches)

    def somme(cle: str) -> Decimal:
        return sum((f[cle] for f in fiches_ctx.values()), zero)

    bases = derive.bases(fiches)
    return {
        "secteurs": [
            {"id": s.id, "nom": s.nom, "commune": communes[s.commune].nom,
             "centre_ville": s.centre_ville, "description": s.description,
             # the actions conducted in it (art. L. 303-2 CCH: their distribution among the
             # secteurs), as runs of numbers
             "actions": plages([f.numero for f in fiches if f.secteur == s.id]),
             **delimitation(terr, s, perimetres or {}, fonds, jour)}  # geo
            for s in conv.secteurs
        ],
        # the actions outside every secteur d'intervention, likewise
        "hors_secteur": plages([f.numero for f in fiches if not f.secteur]),
        "plan": [
            {"axe": axes[g.axe_id].intitule, "transversal": axes[g.axe_id].transversal,
             "fiches": [fiches_ctx[f.numero] for f in g.fiches], "cout": g.cout}
            for g in derive.par_axe(conv, fiches)
            if g.fiches
        ],
        "fiches": list(fiches_ctx.values()),
        "nombre_fiches": len(fiches),
        "maquette": {
            "total": derive.cout_total(fiches),
            "base": " / ".join(sorted(bases)),
            "bases_multiples": len(bases) > 1,  # then each action's cost says HT or TTC
            "autofinancement": somme("autofinancement"),
            "acquis": somme("acquis"),
            "sollicite": somme("sollicite"),
            "financement_partenaires": somme("financement_partenaires"),
            "finance": somme("finance"),
            "reste": somme("reste"),
            "financeurs": [
                {"nom": financeurs[x.financeur_id].nom, "acquis": x.acquis,
                 "sollicite": x.sollicite, "total": x.total}
                for x in lignes
            ],
        },
    }


def reference_avenant(av: Avenant) -> dict[str, Any]:
    """What a template needs to name an avenant: « l'avenant n° 1 du … »."""
    return {"numero": av.numero, "date": av.signature.date}


def bandeau(case: Case, logos: Sequence[dict[str, str]]) -> list[dict[str, str]]:
    """The partners' band of an act, in the order of the files (assets/logos/, load/assets.py):
    each logo named, for its alternative text, after the party whose id its file name gives
    (« 2-cc-pays-des-ecrins.svg » → the party `cc-pays-des-ecrins`, an ordering prefix left
    out), else by the drawing's own title; `ident` names the picture."""
    parties = {p.id: p for p in case.territoire.parties}
    out = []
    for logo in logos:
        stem = logo.get("fichier", "").rsplit(".", 1)[0]
        ident = re.sub(r"^\d+[-_. ]*", "", stem) or stem
        partie = parties.get(ident) or parties.get(stem)
        nom = majuscule_initiale(partie.nom) if partie is not None else logo["nom"]
        out.append({"src": logo["src"], "nom": francais(nom),
                    "ident": re.sub(r"[^A-Za-z0-9_-]+", "-", ident)})
    return out
