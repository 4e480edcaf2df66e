"""The convention d'adhésion: data for adhesion.docx."""

from __future__ import annotations

from typing import Any

from .. import derive
from ..model.case import Case
from ..templating import Outline
from .common import commun


def adhesion_context(case: Case, outline: Outline, projet: bool) -> dict[str, Any]:
    adh = case.adhesion
    assert adh is not None
    financeurs = {f.id: f for f in case.territoire.financeurs}
    parties = {p.id: p for p in case.territoire.parties}
    ctx = commun(case, adh, outline, projet)
    signature_date = adh.signature.date
    ctx.update({
        "textes": adh.textes,
        "chef_de_projet": {
            **ctx["chef_de_projet"],  # employeur, intitule (« cheffe de projet »), feminin
            "recrutement": adh.chef_de_projet.recrutement,
            # « par l’Anah et la Banque des Territoires »: the party's designation, with its
            # article, when the financeur is a party
            "cofinanceurs": [parties[f.partie].designation if f.partie in parties else f.nom
                             for f in (financeurs[i] for i in adh.chef_de_projet.cofinanceurs)],
            "taux": adh.chef_de_projet.taux_cofinancement,
        },
        # partners only present (« en présence de »), none signing: no clause binds them, the
        # article on partners records their intentions
        "partenaires_associes": bool(ctx["en_presence_de"]) and not any(
            g["type"] == "partenaire" for g in ctx["parties_autre_part"]),
        "delai_mois": adh.delai_convention_cadre_mois,
        "echeance_convention_cadre": (
            derive.ajouter_mois(signature_date, adh.delai_convention_cadre_mois)
            if signature_date else None
        ),
    })
    return ctx
