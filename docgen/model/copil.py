"""A COPIL file (`copils/AAAA-MM-JJ.yaml`): the meeting; its snapshot arrives with the COPIL issue."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from .base import Modele, Nom, Texte


class Copil(Modele):
    numero: int = Field(ge=1, le=99)
    date: dt.date
    heure: str | None = Field(default=None, pattern=r"^([01]?[0-9]|2[0-3])[:h][0-5][0-9]$", description="Heure de début (ex. « 14:30 » ou « 14h30 »).")
    lieu: Nom
    visio: Nom | None = None
    objet: Nom
    ordre_du_jour: list[Nom] = Field(default_factory=list)
    compte_rendu: list[Texte] = Field(default_factory=list)
