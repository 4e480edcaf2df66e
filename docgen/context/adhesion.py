"""The convention d'adhésion: data for adhesion.docx."""

from __future__ import annotations

import dataclasses
from typing import Any

from .. import derive
from ..model.case import Case
from ..templating import Outline
from .common import commun, numbering

# the parties whose commitments have their own articles (collectivités, État)
TYPES_ARTICLES_PROPRES = ("commune", "epci", "etat")


def adhesion_context(case: Case, outline: Outline, projet: bool) -> dict[str, Any]:
    adh = case.adhesion
    assert adh is not None
    financeurs = {f.id: f for f in case.territoire.financeurs}
    parties = {p.id: p for p in case.territoire.parties}
    ctx = commun(case, adh, outline, projet)
    signature_date = adh.signature.date
    signataires = {s.partie for s in adh.signataires}
    cofinanceurs = [financeurs[i] for i in adh.chef_de_projet.cofinanceurs]
    # partners only present (« en présence de »), none signing: no clause binds them, the
    # article on partners records their intentions
    associes = bool(ctx["en_presence_de"]) and not any(
        g["type"] == "partenaire" for g in ctx["parties_autre_part"])
    # each signing partner (Département, Région, …): its own commitments, else its type's usual
    # ones (the template's L.engagements_defaut), in the article on partners
    partenaires_signataires = [g for g in ctx["parties_autre_part"]
                               if g["type"] not in TYPES_ARTICLES_PROPRES]
    textes_partenaires = bool(adh.textes.engagements_partenaires)
    engagements_partenaires = bool(partenaires_signataires) or (textes_partenaires and not associes)
    intentions_associes = associes and textes_partenaires
    article_partenaires = engagements_partenaires or intentions_associes
    if not article_partenaires:  # never an empty article: the following ones move up
        ctx.update(numbering(dataclasses.replace(
            outline, articles=tuple(a for a in outline.articles if a != "partenaires"))))
    ctx.update({
        "textes": adh.textes,
        "chef_de_projet": {
            **ctx["chef_de_projet"],  # employeur, intitule (« cheffe de projet »), feminin
            "recrutement": adh.chef_de_projet.recrutement,
            # « par l’Anah et la Banque des Territoires »: the party's designation, with its
            # article, when the financeur is a party
            "cofinanceurs": [parties[f.partie].designation if f.partie in parties else f.nom
                             for f in cofinanceurs],
            # every cofinanceur signs: the act may say the post « est cofinancé » by them; else
            # it only « peut être cofinancé », by their rules and decisions
            "cofinanceurs_signataires": all(f.partie in signataires for f in cofinanceurs),
            "taux": adh.chef_de_projet.taux_cofinancement,
        },
        "partenaires_associes": associes,
        "partenaires_signataires": partenaires_signataires,
        "engagements_partenaires": engagements_partenaires,
        "intentions_associes": intentions_associes,
        "article_partenaires": article_partenaires,
        "delai_mois": adh.delai_convention_cadre_mois,
        "echeance_convention_cadre": (
            derive.ajouter_mois(signature_date, adh.delai_convention_cadre_mois)
            if signature_date else None
        ),
    })
    return ctx
