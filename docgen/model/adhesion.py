"""The convention d'adhésion (`adhesion.yaml`): the first, shorter contract."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from .. import messages as msg
from .base import Identifiant, Modele, Nom, Texte
from .convention import Poste, Signataire, Signature


class ChefDeProjet(Poste):
    """Poste de chef de projet dont la convention d'adhésion ouvre le financement : son
    recrutement, ses cofinanceurs, et (Poste) son employeur et son intitulé."""

    recrutement: Texte = Field(description="Modalités ou date de recrutement.")
    cofinanceurs: list[Identifiant] = Field(default_factory=list, description="Ids des financeurs du poste.")
    taux_cofinancement: int | None = Field(default=None, ge=0, le=100)


class TextesAdhesion(Modele):
    preambule: list[Texte] = Field(min_length=1)
    engagements_collectivites: list[Texte] = Field(default_factory=list)
    engagements_etat: list[Texte] = Field(default_factory=list)
    engagements_partenaires: list[Texte] = Field(default_factory=list)


class Adhesion(Modele):
    """Fichier adhesion.yaml : la convention d'adhésion."""

    titre: Nom = msg.TITRE_ADHESION_PAR_DEFAUT
    communes: list[Identifiant] = Field(min_length=1)
    date_edition: dt.date
    signature: Signature
    delai_convention_cadre_mois: int = Field(default=18, ge=1, le=60)
    signataires: list[Signataire] = Field(min_length=1)
    en_presence_de: list[Identifiant] = Field(default_factory=list)
    chef_de_projet: ChefDeProjet
    textes: TextesAdhesion
