"""docgen — documents Petites Villes de Demain (conventions ORT, avenants, COPIL) from case files.

The public API: load a case, build its documents, verify an output folder.
"""

from __future__ import annotations

import os

# numpy (under shapely, for perimeters) would start a BLAS thread pool at import: docgen does
# no linear algebra, and a process without threads can fork its documents' work (parallel.py)
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

from .version import __version__
from .errors import CaseInvalid, DocgenError, Issue
from .load import Case, load_case
from .pipeline import BuildResult, build
from .plan import BuildOptions
from .verify import verify

__all__ = ["BuildOptions", "BuildResult", "Case", "CaseInvalid", "DocgenError", "Issue",
           "__version__", "build", "load_case", "verify"]
