"""The pieces a COPIL pack encloses, as the case may name them again in its own « pièces
jointes » (compared casefolded, apostrophes straight): listed once, not twice."""

from __future__ import annotations

PIECES_DU_PACK = frozenset({"diaporama", "diaporama présenté en séance", "feuille d'émargement"})
PIECE_PROJET_AVENANT = r"^(?:le )?projet d'avenant\s*n\s*[°o.]?\s*(\d+)\b"
