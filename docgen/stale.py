"""Why a document must be made again: what changed since the build that made it (the case's
files, its templates, docgen itself), in words — for `docgen status` (« à refaire : … ») and for
`docgen build`, which says why it rewrites a document it had made."""

from __future__ import annotations

from typing import Any

from . import messages as msg
from .plan import Job


def why(job: Job, manifest: dict[str, Any], current: dict[str, str]) -> str:
    """What changed since the document was made: the case's files, its templates, docgen."""
    from .output import sha256_file

    before = manifest.get("inputs", {})
    family = job.kind
    reasons = []
    changed = sorted(k for k in set(before) | set(current) if before.get(k) != current.get(k))
    own = [k for k in changed if not k.startswith("copils/") or family == "copil"] or changed
    if own:
        reasons.append(msg.ST_SOURCES.format(fichiers=", ".join(own[:6]) + (
            " …" if len(own) > 6 else "")))
    templates = manifest.get("templates", {})
    moved = [t.name for t in job.templates if t.is_file()
             and templates.get(t.name) not in (None, sha256_file(t))]
    if moved:
        reasons.append(msg.ST_MODELES.format(modeles=", ".join(moved)))
    if manifest.get("docgen") and manifest.get("docgen") != _version():
        reasons.append(msg.ST_DOCGEN_VERSION.format(avant=manifest.get("docgen"), apres=_version()))
    return " ; ".join(reasons) or msg.ST_AUTRE_CHANGEMENT


def _version() -> str:
    from .version import __version__

    return __version__
