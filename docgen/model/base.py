"""Shared building blocks of the case model: strict base class and constrained types."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

MAX_NOM = 300  # a name, a title, an intitulé: longer is a paste accident, not a name
MAX_TEXTE = 20_000  # one paragraph of an article


class Modele(BaseModel):
    """Base of every case object: unknown keys refused, values frozen once validated."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


Identifiant = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9][a-z0-9-]*$",
        max_length=60,
        description="Identifiant court en minuscules, chiffres et tirets (ex. « cc-pays-des-ecrins »).",
    ),
]
Nom = Annotated[str, Field(min_length=1, max_length=MAX_NOM)]
Texte = Annotated[str, Field(min_length=1, max_length=MAX_TEXTE)]
Montant = Annotated[
    Decimal,
    Field(ge=0, max_digits=15, decimal_places=2, description="Montant en euros (« 150000 » ou « 4525.85 »)."),
]


CheminGeoJSON = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_NOM,
        description="Chemin d'un fichier GeoJSON, relatif au dossier du territoire, dans assets/ "
        "(ex. « assets/perimetres/centre-bourg.geojson »).",
    ),
]


class Deliberation(Modele):
    """Délibération qui autorise le représentant à signer."""

    numero: Nom = Field(description="Numéro de la délibération, tel qu'il figure sur l'acte.")
    date: dt.date = Field(description="Date de la délibération (AAAA-MM-JJ).")
    organe: Nom | None = Field(
        default=None,
        description="Organe qui a délibéré, nommé dans la comparution (« suivant délibération du "
        "conseil municipal n° … ») : sans article (« conseil municipal », « commission "
        "permanente ») ou, pour un autre organe, avec le sien (« le bureau de l'association ») ; "
        "vide : le conseil municipal, communautaire, départemental ou régional selon la partie.",
    )
