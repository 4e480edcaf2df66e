"""Messages of rendering: slides (PPTX), maps and charts."""

from __future__ import annotations

# ------------------------------------------------------------------ render/pptx.py
PPTX_DIAPORAMA_YAML_TYPE = "pptx/diaporama.yaml: type de diapositive inconnu « {kind} »"

# ------------------------------------------------------------------ render/raster.py
DESSIN_PNG_ECHEC = "{name} : le dessin n’a pas pu être rendu en image PNG ({detail})."
