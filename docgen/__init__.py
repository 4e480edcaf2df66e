"""docgen — documents Petites Villes de Demain (conventions ORT, avenants, COPIL) from case files.

The public API: load a case, build its documents, verify an output folder.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import CaseInvalid, DocgenError, Issue
from .version import __version__

if TYPE_CHECKING:
    from .load import load_case
    from .model.case import Case
    from .pipeline import BuildResult, build
    from .plan import BuildOptions
    from .verify import verify

_LAZY = {"Case": "model.case", "load_case": "load", "BuildResult": "pipeline", "build": "pipeline",
         "BuildOptions": "plan", "verify": "verify"}


def __getattr__(name: str) -> Any:
    """The API's heavier parts are imported when first used (`docgen pdf` needs none of them)."""
    if name not in _LAZY:
        raise AttributeError(name)
    import importlib

    value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    globals()[name] = value
    return value

__all__ = ["BuildOptions", "BuildResult", "Case", "CaseInvalid", "DocgenError", "Issue",
           "__version__", "build", "load_case", "verify"]
