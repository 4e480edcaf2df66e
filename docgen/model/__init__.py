"""Pydantic models of case files, in the users' French vocabulary."""

from __future__ import annotations

from pydantic import BaseModel

from .adhesion import Adhesion
from .avenant import Avenant
from .convention import Convention, FicheAction, Signataire
from .copil import Copil
from .territoire import DossierTerritoire, Partie, Representant

KINDS: dict[str, type[BaseModel]] = {  # the model of each kind of case file
    "territoire": DossierTerritoire,
    "convention": Convention,
    "adhesion": Adhesion,
    "avenant": Avenant,
    "copil": Copil,
}

__all__ = [
    "KINDS",
    "Adhesion",
    "Avenant",
    "Convention",
    "Copil",
    "DossierTerritoire",
    "FicheAction",
    "Partie",
    "Representant",
    "Signataire",
]
