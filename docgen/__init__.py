"""docgen — documents Petites Villes de Demain (conventions ORT, avenants, COPIL) from case files."""

from __future__ import annotations

from .errors import CaseInvalid, DocgenError, Issue
from .loading import Case, load_case

__version__ = "0.1.0"

__all__ = ["Case", "CaseInvalid", "DocgenError", "Issue", "__version__", "load_case"]
