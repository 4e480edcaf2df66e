"""Template contexts: arranges case data and derived figures for each document kind."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from typing import Any

from . import derive
from .formatting import ordinal_article
from .loading import Case, representant_at
from .model import Adhesion, Convention, DossierTerritoire, Partie
from .model.convention import Signataire
from .templates import Outline

STATUTS = {
    "en_projet": "En projet",
    "engagee": "Engagée",
    "en_cours": "En cours",
    "realisee": "Réalisée",
    "abandonnee": "Abandonnée",
    "reportee": "Reportée",
}
TYPES = {"etude": "Étude", "travaux": "Travaux", "animation": "Animation"}
MATURITES = {"mature": "Mature", "en_maturation": "En maturation"}
COLLECTIVITES_PORTEUSES = ("commune", "epci")


def numbering(outline: Outline) -> dict[str, Any]:
    """`article.x` → « Article 1er », `cf.x` → « article 1er », same for annexes."""
    arts = derive.numeroter(outline.articles)
    anns = derive.numeroter(outline.annexes)
    return {
        "article": {k: f"Article\u00a0{ordinal_article(n)}" for k, n in arts.items()},
        "cf": {k: f"article\u00a0{ordinal_article(n)}" for k, n in arts.items()},
        "annexe": {k: f"Annexe\u00a0{n}" for k, n in anns.items()},
        "cf_annexe": {k: f"annexe\u00a0{n}" for k, n in anns.items()},
    }


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


def _signataires(terr: DossierTerritoire, signataires: tuple[Signataire, ...] | list[Signataire],
                 jour: dt.date) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Parties block entries (grouped by party) and signature blocks (one per signatory)."""
    parties = {p.id: p for p in terr.parties}
    blocs: list[dict[str, Any]] = []
    groupes: dict[str, dict[str, Any]] = {}
    champs: set[str] = set()
    for s in signataires:
        p = parties[s.partie]
        r = representant_at(p, jour, s.representant)
        assert not isinstance(r, str), r  # the loader has checked it
        personne = {
            "civilite": r.civilite,
            "nom": r.nom,
            "fonction": r.fonction,
            "article_fonction": "La" if r.civilite == "Mme" else "Le",
            "delegation": r.par_delegation_de,
        }
        groupe = groupes.get(p.id)
        if groupe is None:
            groupe = groupes[p.id] = {
                "id": p.id,
                "type": p.type,
                "nom": p.nom,
                "designation": p.designation,
                "represente": "représentée" if p.feminin else "représenté",
                "designe": "désignée" if p.feminin else "désigné",
                "representants": [],
                "deliberation": s.deliberation,
                "autorise": "autorisée" if r.civilite == "Mme" else "autorisé",
                "porteuse": p.type in COLLECTIVITES_PORTEUSES,
            }
        groupe["representants"].append(personne)
        blocs.append({
            "pour": p.designation,
            **personne,
            "champ": champ_signature(p, champs),
        })
    return list(groupes.values()), blocs


def _commun(case: Case, doc: Convention | Adhesion, outline: Outline, projet: bool) -> dict[str, Any]:
    terr = case.territoire
    communes = {c.id: c for c in terr.territoire.communes}
    parties = {p.id: p for p in terr.parties}
    jour = doc.signature.date or doc.date_edition
    groupes, blocs = _signataires(terr, doc.signataires, jour)
    noms_communes = [communes[c].nom for c in doc.communes]
    epci = parties[terr.epci]
    signature = doc.signature
    papier = signature.mode == "papier"
    return {
        **numbering(outline),
        "projet": projet,
        "titre": doc.titre,
        "communes": noms_communes,
        "epci": {"nom": epci.nom, "designation": epci.designation},
        "territoire": terr.territoire,
        "parties_une_part": [g for g in groupes if g["porteuse"]],
        "parties_autre_part": [g for g in groupes if not g["porteuse"]],
        "en_presence_de": [parties[i].nom for i in doc.en_presence_de],
        "signature": {
            "lieu": signature.lieu,
            "date": None if projet else signature.date,
            "papier": papier,
            "exemplaires": (signature.exemplaires or len(blocs)) if papier else None,
        },
        "signataires": blocs,
        "date_edition": doc.date_edition,
    }


def convention_context(case: Case, outline: Outline, projet: bool) -> dict[str, Any]:
    conv = case.convention
    terr = case.territoire
    ctx = _commun(case, conv, outline, projet)
    parties = {p.id: p for p in terr.parties}
    communes = {c.id: c for c in terr.territoire.communes}
    axes = {a.id: a for a in conv.axes}
    secteurs = {s.id: s for s in conv.secteurs}
    financeurs = {f.id: f for f in terr.financeurs}
    fiches = sorted(conv.fiches_actions, key=lambda f: f.numero)
    total = derive.cout_total(fiches)

    def fiche_ctx(f: Any) -> dict[str, Any]:
        fin = derive.financement(f)
        return {
            "numero": f.numero,
            "intitule": f.intitule,
            "axe": axes[f.axe].intitule,
            "type": TYPES[f.type],
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
            "financement": [
                {
                    "financeur": financeurs[r.financeur].nom,
                    "dispositif": r.dispositif,
                    "montant": r.montant,
                    "statut": "Acquis" if r.statut == "acquis" else "Sollicité",
                }
                for r in f.plan_de_financement
            ],
            "acquis": fin.acquis,
            "sollicite": fin.sollicite,
            "finance": fin.total,
            "reste": fin.reste,
            "statut": STATUTS[f.statut],
            "maturite": MATURITES[f.maturite],
            "indicateurs": list(f.indicateurs),
        }

    fiches_ctx = {f.numero: fiche_ctx(f) for f in fiches}
    plan = [
        {
            "axe": axes[g.axe_id].intitule,
            "transversal": axes[g.axe_id].transversal,
            "fiches": [fiches_ctx[f.numero] for f in g.fiches],
            "cout": g.cout,
        }
        for g in derive.par_axe(conv, fiches)
        if g.fiches
    ]
    lignes_financeurs = derive.par_financeur(terr, fiches)
    bases = derive.bases(fiches)
    signature_date = conv.signature.date
    ctx.update({
        "textes": conv.textes,
        "duree_ans": conv.duree_ans,
        "date_fin": derive.ajouter_annees(signature_date, conv.duree_ans) if signature_date else None,
        "axes": list(conv.axes),
        "secteurs": [
            {
                "nom": s.nom,
                "commune": communes[s.commune].nom,
                "centre_ville": s.centre_ville,
                "description": s.description,
            }
            for s in conv.secteurs
        ],
        "plan": plan,
        "fiches": list(fiches_ctx.values()),
        "nombre_fiches": len(fiches),
        "maquette": {
            "total": total,
            "base": " / ".join(sorted(bases)),
            "acquis": sum((f["acquis"] for f in fiches_ctx.values()), Decimal(0)),
            "sollicite": sum((f["sollicite"] for f in fiches_ctx.values()), Decimal(0)),
            "finance": sum((f["finance"] for f in fiches_ctx.values()), Decimal(0)),
            "reste": sum((f["reste"] for f in fiches_ctx.values()), Decimal(0)),
            "financeurs": [
                {
                    "nom": financeurs[l.financeur_id].nom,
                    "acquis": l.acquis,
                    "sollicite": l.sollicite,
                    "total": l.total,
                }
                for l in lignes_financeurs
            ],
        },
        "pied_de_page": f"Convention-cadre PVD valant ORT – {', '.join(ctx['communes'])}",
    })
    return ctx


def adhesion_context(case: Case, outline: Outline, projet: bool) -> dict[str, Any]:
    adh = case.adhesion
    assert adh is not None
    terr = case.territoire
    ctx = _commun(case, adh, outline, projet)
    financeurs = {f.id: f for f in terr.financeurs}
    signature_date = adh.signature.date
    ctx.update({
        "textes": adh.textes,
        "chef_de_projet": {
            "recrutement": adh.chef_de_projet.recrutement,
            "cofinanceurs": [financeurs[i].nom for i in adh.chef_de_projet.cofinanceurs],
            "taux": adh.chef_de_projet.taux_cofinancement,
        },
        "delai_mois": adh.delai_convention_cadre_mois,
        "echeance_convention_cadre": (
            derive.ajouter_mois(signature_date, adh.delai_convention_cadre_mois)
            if signature_date else None
        ),
        "pied_de_page": f"Convention d'adhésion Petites Villes de Demain – {', '.join(ctx['communes'])}",
    })
    return ctx


def core_properties(case: Case, doc: Convention | Adhesion, titre: str) -> dict[str, Any]:
    """DOCX metadata from the case: never through Jinja (see render/docx.py)."""
    parties = {p.id: p for p in case.territoire.parties}
    epci = parties[case.territoire.epci]
    return {
        "title": titre,
        "subject": doc.titre,
        "author": epci.nom[:1].upper() + epci.nom[1:],
        "keywords": "Petites Villes de Demain; ORT; " + case.territoire.territoire.nom,
        "category": "Convention",
        "created": doc.date_edition,
    }
