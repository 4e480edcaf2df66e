"""An avenant file (`avenants/NN-slug.yaml`): its identity; typed changes arrive with the avenant issue."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from .base import Modele, Nom, Texte
from .convention import Signataire


class Avenant(Modele):
    numero: int = Field(ge=1, le=99)
    date: dt.date | None = Field(default=None, description="Date de signature ; vide pour un projet.")
    date_edition: dt.date
    approuve_par_copil: dt.date | None = Field(default=None, description="Date du COPIL qui l'a approuvé.")
    objet: Nom
    motifs: list[Texte] = Field(min_length=1)
    signataires: list[Signataire] = Field(default_factory=list)
