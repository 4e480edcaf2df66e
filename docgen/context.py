"""Template contexts: arranges case data and derived figures for each document kind."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from typing import Any

from . import derive
from collections.abc import Sequence

from .formatting import date_longue, montant, ordinal_article
from .loading import Case, representant_at
from .model import Adhesion, Avenant, Convention, DossierTerritoire, Partie
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


def _commun(case: Case, doc: Convention | Adhesion | Avenant, outline: Outline, projet: bool,
            titre: str | None = None, communes_ids: list[str] | None = None) -> dict[str, Any]:
    terr = case.territoire
    communes = {c.id: c for c in terr.territoire.communes}
    parties = {p.id: p for p in terr.parties}
    jour = doc.signature.date or doc.date_edition
    groupes, blocs = _signataires(terr, doc.signataires, jour)
    noms_communes = [communes[c].nom for c in (communes_ids or doc.communes)]
    epci = parties[terr.epci]
    signature = doc.signature
    papier = signature.mode == "papier"
    return {
        **numbering(outline),
        "projet": projet,
        "consolidee": "",
        "titre": titre or doc.titre,
        "communes": noms_communes,
        "epci": {"nom": epci.nom, "designation": epci.designation},
        "territoire": terr.territoire,
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
    }


def _fiche(terr: DossierTerritoire, conv: Convention, f: Any) -> dict[str, Any]:
    parties = {p.id: p for p in terr.parties}
    axes = {a.id: a for a in conv.axes}
    secteurs = {s.id: s for s in conv.secteurs}
    financeurs = {x.id: x for x in terr.financeurs}
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
        "modifie": "",
    }


def _programme(terr: DossierTerritoire, conv: Convention) -> dict[str, Any]:
    """Plan d'action, fiches and maquette of one state of the convention."""
    communes = {c.id: c for c in terr.territoire.communes}
    axes = {a.id: a for a in conv.axes}
    financeurs = {x.id: x for x in terr.financeurs}
    fiches = sorted(conv.fiches_actions, key=lambda f: f.numero)
    fiches_ctx = {f.numero: _fiche(terr, conv, f) for f in fiches}
    zero = Decimal(0)
    return {
        "secteurs": [
            {"id": s.id, "nom": s.nom, "commune": communes[s.commune].nom,
             "centre_ville": s.centre_ville, "description": s.description}
            for s in conv.secteurs
        ],
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
            "base": " / ".join(sorted(derive.bases(fiches))),
            "acquis": sum((f["acquis"] for f in fiches_ctx.values()), zero),
            "sollicite": sum((f["sollicite"] for f in fiches_ctx.values()), zero),
            "finance": sum((f["finance"] for f in fiches_ctx.values()), zero),
            "reste": sum((f["reste"] for f in fiches_ctx.values()), zero),
            "financeurs": [
                {"nom": financeurs[x.financeur_id].nom, "acquis": x.acquis,
                 "sollicite": x.sollicite, "total": x.total}
                for x in derive.par_financeur(terr, fiches)
            ],
        },
    }


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
TEXTE_ARTICLE = {
    "preambule": "preambule", "ambitions": "ambitions", "strategie": "strategie",
    "ingenierie": "ingenierie", "gouvernance": "gouvernance", "suivi_evaluation": "suivi",
    "resultats_attendus": "resultats",
}


def designation_avenant(av: Avenant) -> str:
    """« l'avenant n° 1 du 28 novembre 2024 » (or « le projet d'avenant n° 1 »)."""
    if av.signature.date is None:
        return f"le projet d'avenant n°\u00a0{av.numero}"
    return f"l'avenant n°\u00a0{av.numero} du {date_longue(av.signature.date)}"


def consolidation(avenants: Sequence[Avenant], numero: int) -> dict[str, Any]:
    """The mention, and the notes « modifié par l'avenant … » of a consolidated version."""
    applied = [a for a in sorted(avenants, key=lambda a: a.numero) if a.numero <= numero]
    touched: dict[str, list[Avenant]] = {}
    fiches: dict[int, list[tuple[str, Avenant]]] = {}
    for av in applied:
        for op in av.modifications:
            keys = TOUCHES.get(op.operation, ())
            if op.operation == "remplacer_texte":
                keys = (TEXTE_ARTICLE[op.article],)
            for key in keys:
                touched.setdefault(key, [])
                if av not in touched[key]:
                    touched[key].append(av)
            if op.operation in ("ajouter_fiche", "modifier_fiche"):
                n = op.fiche.numero if op.operation == "ajouter_fiche" else op.numero
                verbe = "Ajoutée" if op.operation == "ajouter_fiche" else "Modifiée"
                fiches.setdefault(n, []).append((verbe, av))

    def note(avs: list[Avenant], verbe: str = "Modifié") -> str:
        return f"{verbe} par " + " et ".join(designation_avenant(a) for a in avs) + "."

    mention = "Version consolidée à titre informatif intégrant " + " et ".join(
        designation_avenant(a) for a in applied)
    return {
        "consolidee": mention,
        "modifie": {k: note(v) for k, v in touched.items()},
        "fiches": {n: " ; ".join(f"{verbe} par {designation_avenant(a)}" for verbe, a in v) + "."
                   for n, v in fiches.items()},
    }


def convention_context(case: Case, outline: Outline, projet: bool,
                       conv: Convention | None = None,
                       consolide: dict[str, Any] | None = None) -> dict[str, Any]:
    """The convention as signed, or (conv + consolide) a consolidated state after avenants."""
    conv = conv or case.convention
    terr = case.territoire
    ctx = _commun(case, conv, outline, projet)
    ctx.update(_programme(terr, conv))
    modifie = {k: "" for k in (*outline.articles, *outline.annexes, "parties", "preambule")}
    if consolide:
        modifie.update(consolide["modifie"])
        for f in ctx["fiches"]:
            f["modifie"] = consolide["fiches"].get(f["numero"], "")
    signature_date = conv.signature.date
    ctx.update({
        "consolidee": consolide["consolidee"] if consolide else "",
        "modifie": modifie,
        "textes": conv.textes,
        "duree_ans": conv.duree_ans,
        "date_fin": derive.ajouter_annees(signature_date, conv.duree_ans) if signature_date else None,
        "axes": list(conv.axes),
        "pied_de_page": ("Version consolidée – " if consolide else "")
        + f"Convention-cadre PVD valant ORT – {', '.join(ctx['communes'])}",
    })
    return ctx


LIBELLES = {
    "intitule": ("l'intitulé", "texte"), "axe": ("l'axe", "texte"), "type": ("le type d'action", "texte"),
    "maitre_ouvrage": ("le maître d'ouvrage", "texte"), "partenaires": ("les partenaires", "texte"),
    "secteur": ("le secteur d'intervention", "texte"), "localisation": ("la localisation", "texte"),
    "description": ("la description", "texte"), "objectifs": ("les objectifs", "annexe"),
    "calendrier": ("le calendrier", "texte"), "cout": ("le coût prévisionnel", "montant"),
    "plan_de_financement": ("le plan de financement", "annexe"), "statut": ("le statut", "texte"),
    "maturite": ("la maturité", "texte"), "indicateurs": ("les indicateurs", "annexe"),
}


def _changements(before: dict[str, Any], after: dict[str, Any], champs: Any) -> list[dict[str, Any]]:
    """What a modifier_fiche operation changes, as (libellé, avant, après) in print form."""
    out = []
    for key in type(champs).model_fields:
        if getattr(champs, key) is None:
            continue
        libelle, nature = LIBELLES[key]
        if key == "cout":
            avant = f"{montant(before['cout'])} {before['base']}"
            apres = f"{montant(after['cout'])} {after['base']}"
        elif key == "calendrier":
            avant = f"du {date_longue(before['calendrier'].debut)} au {date_longue(before['calendrier'].fin)}"
            apres = f"du {date_longue(after['calendrier'].debut)} au {date_longue(after['calendrier'].fin)}"
        elif key == "secteur":
            avant = before["secteur"] or "hors secteur d'intervention"
            apres = after["secteur"] or "hors secteur d'intervention"
        elif key == "partenaires":
            avant, apres = ", ".join(before[key]) or "—", ", ".join(after[key]) or "—"
        elif nature == "annexe":
            avant = apres = ""
        else:
            avant, apres = before[key] or "—", after[key] or "—"
        if nature != "annexe" and avant == apres:
            continue
        out.append({"libelle": libelle, "nature": nature, "avant": avant, "apres": apres})
    return out


def avenant_context(case: Case, numero: int, convention_outline: Outline, projet: bool) -> dict[str, Any]:
    """Avenant n°: parties with their new délibérations, visas, one article per change, annexes."""
    from .timeline import apply, state_after

    av = next(a for a in case.avenants if a.numero == numero)
    terr = case.territoire
    parties = {p.id: p for p in terr.parties}
    communes = {c.id: c for c in terr.territoire.communes}
    state = state_after(case.convention, case.avenants, numero - 1)
    ctx = _commun(case, av, Outline((), ()), projet, titre=f"Avenant n° {numero}",
                  communes_ids=list(case.convention.communes))
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
            m.update(titre="Périmètre de l'Opération de Revitalisation de Territoire",
                     secteur={"nom": s_after.nom, "commune": communes[s_after.commune].nom,
                              "description": s_after.description})
            if op.operation == "modifier_secteur":
                s_before = next(x for x in state.secteurs if x.id == sid)
                m["nom"] = s_before.nom
                m["changements"] = [
                    {"libelle": {"nom": "le nom", "commune": "la commune", "description": "la description",
                                 "centre_ville": "la qualité de centre-ville", "carte": "la carte"}[k],
                     "avant": str(getattr(s_before, k) or "—"), "apres": str(getattr(s_after, k) or "—")}
                    for k in type(op.champs).model_fields if getattr(op.champs, k) is not None
                ]
            annexe_secteurs.append(m["secteur"])
        elif op.operation == "supprimer_secteur":
            m.update(titre="Périmètre de l'Opération de Revitalisation de Territoire",
                     nom=next(x.nom for x in state.secteurs if x.id == op.id))
        elif op.operation in ("ajouter_fiche", "modifier_fiche", "supprimer_fiche"):
            money_moved = True
            n = op.fiche.numero if op.operation == "ajouter_fiche" else op.numero
            m["numero"] = n
            m["titre"] = f"Fiche action n°\u00a0{n}"
            if op.operation == "ajouter_fiche":
                f_after = _fiche(terr, after, op.fiche)
                m.update(intitule=f_after["intitule"], cout=f_after["cout"], base=f_after["base"])
                annexe_fiches.append(n)
            elif op.operation == "modifier_fiche":
                f_before = _fiche(terr, state, next(x for x in state.fiches_actions if x.numero == n))
                f_after = _fiche(terr, after, next(x for x in after.fiches_actions if x.numero == n))
                m.update(intitule=f_before["intitule"],
                         changements=_changements(f_before, f_after, op.champs))
                annexe_fiches.append(n)
            else:
                m["intitule"] = next(x.intitule for x in state.fiches_actions if x.numero == n)
        elif op.operation in ("ajouter_signataire", "retirer_signataire"):
            m.update(titre="Parties à la convention", nom=parties[op.partie].nom)
        elif op.operation in ("ajouter_partenaire", "retirer_partenaire"):
            m.update(titre="Partenaires associés", nom=parties[op.partie].nom)
        elif op.operation == "remplacer_texte":
            key = TEXTE_ARTICLE[op.article]
            m.update(titre="Modification de la convention", cf=conv_numbers["cf"].get(key, "article"),
                     preambule=key == "preambule", texte=list(op.texte))
        elif op.operation == "prolonger_duree":
            signed = case.convention.signature.date
            m.update(titre="Durée de la convention", avant=state.duree_ans, apres=op.duree_ans,
                     date_fin=derive.ajouter_annees(signed, op.duree_ans) if signed else None)
        modifications.append(m)
        state = after
    before_total = derive.cout_total(state_after(case.convention, case.avenants, numero - 1).fiches_actions)
    n_article = 2
    for m in modifications:
        m["article"] = f"Article\u00a0{n_article}"
        n_article += 1
    programme = _programme(terr, state)
    maquette = None
    if money_moved:
        maquette = {"article": f"Article\u00a0{n_article}", "avant": before_total,
                    "apres": programme["maquette"]["total"]}
        n_article += 1
    annexes = []
    if annexe_secteurs:
        annexes.append("secteurs")
    if annexe_fiches:
        annexes.append("fiches")
    annexe_num = {k: f"annexe\u00a0{i}" for i, k in enumerate(annexes, start=1)}
    for m in modifications:
        if m["type"] in ("ajouter_secteur", "modifier_secteur"):
            m["annexe"] = annexe_num["secteurs"]
        if m["type"] in ("ajouter_fiche", "modifier_fiche"):
            m["annexe"] = annexe_num["fiches"]
    previous = [a for a in sorted(case.avenants, key=lambda a: a.numero) if a.numero < numero]
    ctx.update(programme)
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
        "article_final": f"Article\u00a0{n_article}",
        "annexe_secteurs": {"titre": annexe_num["secteurs"].capitalize(), "secteurs": annexe_secteurs}
        if annexe_secteurs else None,
        "annexe_fiches": annexe_num.get("fiches", "").capitalize(),
        "fiches_annexe": [f for f in programme["fiches"] if f["numero"] in annexe_fiches],
        "pied_de_page": f"Avenant n° {numero} à la convention-cadre PVD valant ORT – "
        + ", ".join(communes[c].nom for c in case.convention.communes),
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


def core_properties(case: Case, doc: Convention | Adhesion | Avenant, titre: str) -> dict[str, Any]:
    """DOCX metadata from the case: never through Jinja (see render/docx.py)."""
    parties = {p.id: p for p in case.territoire.parties}
    epci = parties[case.territoire.epci]
    return {
        "title": titre,
        "subject": getattr(doc, "titre", case.convention.titre),
        "author": epci.nom[:1].upper() + epci.nom[1:],
        "keywords": "Petites Villes de Demain; ORT; " + case.territoire.territoire.nom,
        "category": "Convention",
        "created": doc.date_edition,
    }


# ------------------------------------------------------------------ COPIL pack

ETATS_PRESENCE = {"present": "Présent", "excuse": "Excusé", "represente": "Représenté"}


def _personne(i: Any) -> str:
    return " ".join(x for x in (i.civilite, i.prenom, i.nom) if x)


def _chiffres(case: Case, cp: Any) -> tuple[dict[str, Any], derive.Indicateurs, Convention, bool]:
    from .timeline import state_at_date

    state, draft = state_at_date(case.convention, case.avenants, cp.date)
    ind = derive.indicateurs(case.territoire, state, cp.instantane)
    axes = {a.id: a.intitule for a in state.axes}
    parties = {p.id: p for p in case.territoire.parties}
    financeurs = {f.id: f.nom for f in case.territoire.financeurs}
    data = {
        "nombre_actions": ind.nombre_actions,
        "par_statut": [{"statut": STATUTS[s], "nombre": n} for s, n in ind.par_statut if n],
        "par_axe": [
            {"axe": axes[a], "statuts": [{"statut": STATUTS[s], "nombre": n} for s, n in st if n],
             "cout": cost}
            for a, st, cost in ind.par_axe
        ],
        "par_maitre_ouvrage": [
            {"nom": parties[o].designation, "nombre": n, "cout": cost}
            for o, n, cost in ind.par_maitre_ouvrage
        ],
        "par_financeur": [{"nom": financeurs[f], "montant": m} for f, m in ind.obtenu_par_financeur],
        "investissements": ind.investissements,
        "obtenu": ind.obtenu,
        "taux": ind.taux_financement,
        "etudes": {"nombre": ind.etudes_nombre, "cout": ind.etudes_cout,
                   "finance": ind.etudes_finance, "taux": ind.etudes_taux},
    }
    return data, ind, state, draft


def copil_context(case: Case, numero: int, logos: Sequence[dict[str, str]] = ()) -> dict[str, Any]:
    """Everything the convocation, the slides, the attendance sheet and the minutes print.
    The figures are computed once here and quoted by every piece."""
    from babel.dates import format_date

    copils = sorted(case.copils, key=lambda c: c.date)
    cp = next(c for c in copils if c.numero == numero)
    before = [c for c in copils if c.date < cp.date]
    terr = case.territoire
    parties = {p.id: p for p in terr.parties}
    chiffres, ind, state, draft = _chiffres(case, cp)
    evolution = None
    if before:
        _, prev, _, _ = _chiffres(case, before[-1])
        evolution = {
            "depuis": before[-1].date,
            "numero": before[-1].numero,
            "investissements": ind.investissements - prev.investissements,
            "obtenu": ind.obtenu - prev.obtenu,
            "etudes_finance": ind.etudes_finance - prev.etudes_finance,
            "realisees": dict(ind.par_statut)["realisee"] - dict(prev.par_statut)["realisee"],
        }

    def representant(pid: str) -> dict[str, Any]:
        r = representant_at(parties[pid], cp.date_edition, None)
        if isinstance(r, str):  # several in office (e.g. préfet and sous-préfète): the first
            r = next(x for x in parties[pid].representants if x.en_fonction(cp.date_edition))
        return {"nom": r.nom, "civilite": r.civilite, "fonction": r.fonction,
                "article": "La" if r.civilite == "Mme" else "Le"}

    presences = {p.invite: p for p in cp.presences}
    structures: dict[str, list[dict[str, Any]]] = {}
    for inv in cp.invites:
        pr = presences.get(inv.id)
        structures.setdefault(inv.structure, []).append({
            "nom": inv.nom, "prenom": inv.prenom or "", "fonction": inv.fonction or "",
            "personne": _personne(inv), "email": inv.email or "",
            "etat": pr.etat if pr else "absent",
            "represente_par": pr.represente_par if pr else None,
        })
    par_structure = [{"structure": k, "invites": v} for k, v in structures.items()]

    def filtre(etat: str) -> list[dict[str, Any]]:
        return [{"structure": g["structure"], "invites": [i for i in g["invites"] if i["etat"] == etat]}
                for g in par_structure if any(i["etat"] == etat for i in g["invites"])]

    points = [
        {"numero": i, "id": p.id, "titre": p.titre, "compte_rendu": list(p.compte_rendu),
         "decisions": [d.texte for d in cp.decisions if d.point == p.id]}
        for i, p in enumerate(cp.ordre_du_jour, start=1)
    ]
    titres = {p.id: p.titre for p in cp.ordre_du_jour}
    communes = {c.id: c.nom for c in terr.territoire.communes}
    heure = (cp.heure or "").replace(":", "h").replace("h", "\u00a0h\u00a0") if cp.heure else ""
    signataires = [parties[s.partie].nom for s in state.signataires]
    axes_slides = [
        {"axe": g["axe"], "transversal": g["transversal"],
         "fiches": [{"numero": f["numero"], "intitule": f["intitule"],
                     "maitre_ouvrage": f["maitre_ouvrage_court"],
                     "statut": STATUTS[next((r.statut for r in cp.instantane if r.fiche == f["numero"]),
                                            next(x.statut for x in state.fiches_actions
                                                 if x.numero == f["numero"]))]}
                    for f in g["fiches"]]}
        for g in _programme(terr, state)["plan"]
    ]
    from .render import charts

    charts_ctx = {
        "statuts": charts.statuts_par_axe(
            [a["axe"] for a in chiffres["par_axe"]],
            [(STATUTS[s], [dict((x, n) for x, n in st)[s] for _, st, _ in ind.par_axe])
             for s in derive.STATUTS_ORDRE]),
        "financeurs": charts.financeurs([(r["nom"], r["montant"]) for r in chiffres["par_financeur"]])
        if chiffres["par_financeur"] else "",
        "programme": charts.programme_finance([
            ("Programme", ind.investissements, ind.obtenu),
            ("Études", ind.etudes_cout, ind.etudes_finance)]),
    }
    ordinal = "1er" if cp.numero == 1 else f"{cp.numero}e"
    return {
        "copil": {
            "numero": cp.numero, "ordinal": ordinal, "date": cp.date,
            "jour": format_date(cp.date, format="EEEE d MMMM y", locale="fr_FR").replace(
                " 1 ", " 1er "),
            "heure": heure, "lieu": cp.lieu, "visio": cp.visio, "objet": cp.objet,
        },
        "date_edition": cp.date_edition,
        "lieu_edition": communes[next(c.id for c in terr.territoire.communes if c.ville_principale)],
        "territoire": terr.territoire,
        "emetteurs": [representant(p) for p in cp.convoquent],
        "emetteurs_parties": [parties[p].nom for p in cp.convoquent],
        "preside": {**representant(cp.preside), "partie": parties[cp.preside].nom},
        "redacteur": cp.redacteur,
        "pieces_jointes": list(cp.pieces_jointes),
        "invites_par_structure": par_structure,
        "nombre_invites": len(cp.invites),
        "presents": filtre("present"),
        "excuses": filtre("excuse"),
        "representes": filtre("represente"),
        "ordre_du_jour": points,
        "decisions": [{"point": titres[d.point], "texte": d.texte} for d in cp.decisions],
        "actions": [{"action": a.action, "responsable": a.responsable, "echeance": a.echeance}
                    for a in cp.actions_a_suivre],
        "vigilance": list(cp.points_de_vigilance),
        "etapes": [{"texte": e.texte, "echeance": e.echeance} for e in cp.prochaines_etapes],
        "chiffres": chiffres,
        "evolution": evolution,
        "programme": {
            "projet": draft,
            "signature": None if draft else case.convention.signature.date,
            "signataires": signataires,
            "axes": [{"intitule": a.intitule, "transversal": a.transversal} for a in state.axes],
            "nombre_actions": len(state.fiches_actions),
            "secteurs": [s.nom for s in state.secteurs],
            "avenants": [{"numero": a.numero, "date": a.signature.date} for a in case.avenants
                         if a.signature.date is not None and a.signature.date <= cp.date],
        },
        "axes_slides": axes_slides,
        "charts": charts_ctx,
        "logos": list(logos),
        "projet": False,
        "consolidee": "",
        "pied_de_page": f"{ordinal} comité de pilotage Petites Villes de Demain – "
        + date_longue(cp.date),
    }
