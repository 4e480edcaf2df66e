"""Where docgen's own templates and fonts are (package data, read through importlib.resources):
a module of its own so that typesetting a reviewed DOCX does not load the template machinery."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

PACKAGE = Path(str(resources.files("docgen").joinpath("templates")))  # the defaults
FONTS = PACKAGE / "fonts"
OVERRIDES = "templates"  # <case>/templates/<kind>/<name> overrides PACKAGE/<kind>/<name>
