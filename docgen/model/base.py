"""Shared building blocks of the case model: strict base class and constrained types."""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

MAX_NOM = 300  # a name, a title, an intitulé: longer is a paste accident, not a name
MAX_TEXTE = 20_000  # one paragraph of an article


_MONTANT = re.compile(r"^\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d{1,2})?$|^\d+(?:[.,]\d{1,2})?$")
_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def montant_saisi(value: Any) -> Any:
    """An amount as people type it: « 240 550 € », « 4525,85 », « 4 525,85 € » (spaces between
    thousands, a decimal comma, the euro sign) as well as « 240550 » or « 4525.85 ». Anything
    else is left as it is, for the loader to word what is wrong."""
    if not isinstance(value, str):
        return value
    text = value.strip().removesuffix("€").strip()
    if not _MONTANT.match(text):
        return value
    try:
        return Decimal(re.sub(r"[ \u00a0\u202f]", "", text).replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return value


def date_saisie(value: Any) -> Any:
    """A date as people type it, « 12/06/2026 » (day, month, year), as well as 2026-06-12;
    anything else is left as it is (« 31/02/2026 » gets the loader's message)."""
    if not isinstance(value, str):
        return value
    found = _DATE.match(value.strip())
    if not found:
        return value
    day, month, year = (int(g) for g in found.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return value


def _takes_date(annotation: Any) -> bool:
    if annotation is dt.date:
        return True
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(_takes_date(a) for a in typing.get_args(annotation))
    return False


class Modele(BaseModel):
    """Base of every case object: unknown keys refused, values frozen once validated; a date
    typed « 12/06/2026 » read as the 12th of June."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)

    @model_validator(mode="before")
    @classmethod
    def _dates_saisies(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        dates = {k: date_saisie(v) for k, v in data.items() if isinstance(v, str)
                 and k in cls.model_fields and _takes_date(cls.model_fields[k].annotation)}
        return {**data, **dates} if dates else data


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
    BeforeValidator(montant_saisi),
    Field(ge=0, max_digits=15, decimal_places=2,
          description="Montant en euros (« 150000 », « 240 550 € », « 4525,85 » ou « 4525.85 »)."),
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
