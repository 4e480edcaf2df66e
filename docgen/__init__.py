"""docgen — documents Petites Villes de Demain (conventions ORT, avenants, COPIL) from case files.

The public API: load a case, build its documents, verify an output folder.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import CaseInvalid, DocgenError, Issue  # noqa: E402
from .load import Case, load_case  # noqa: E402
from .pipeline import BuildResult, build  # noqa: E402
from .plan import BuildOptions  # noqa: E402
from .verify import verify  # noqa: E402

__all__ = ["BuildOptions", "BuildResult", "Case", "CaseInvalid", "DocgenError", "Issue",
           "__version__", "build", "load_case", "verify"]
