"""A validated territory folder: what the loader gives the later stages (resolve, context,
plan…), which never import the loader itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Issue
from .adhesion import Adhesion
from .avenant import Avenant
from .convention import Convention
from .copil import Copil
from .registre import Registre
from .territoire import DossierTerritoire


@dataclass(frozen=True)
class Case:
    """A validated territory folder: every file, as models."""

    name: str
    folder: Path
    territoire: DossierTerritoire
    convention: Convention
    adhesion: Adhesion | None
    avenants: tuple[Avenant, ...]
    copils: tuple[Copil, ...]
    files: tuple[Path, ...]
    warnings: tuple[Issue, ...] = ()
    perimetres: dict[str, Any] = field(default_factory=dict)  # geo: path → geo.Perimetre
    fonds: dict[str, Any] = field(default_factory=dict)  # geo: commune id → fond.Fond
    registre: Registre = field(default_factory=Registre)  # actes/registre.yaml (docgen/acts.py)
