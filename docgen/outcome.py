"""What became of one territory built among others (a batch): built, unchanged or failed, with
the first error in French; made by the job runner's workers (jobs.py) and read by batch.py."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import messages as msg
from .errors import CaseInvalid, DocgenError
from .plan import BuildOptions


@dataclass(frozen=True)
class Outcome:
    """What became of one territory in a batch."""

    case: str
    status: str  # msg.STATUS_BUILT, STATUS_UNCHANGED or STATUS_FAILED
    written: int = 0
    message: str = ""
    warnings: tuple[str, ...] = ()


def build_outcome(folder: Path, options: BuildOptions) -> Outcome:
    """One territory, errors caught: a broken case never stops the others."""
    from .pipeline import build

    try:
        result = build(folder, options)
    except CaseInvalid as exc:
        first = exc.errors[0].format() if exc.errors else exc.render().splitlines()[0]
        return Outcome(folder.name, msg.STATUS_FAILED,
                       message=msg.BATCH_ERRORS.format(first=first, n=len(exc.errors)))
    except DocgenError as exc:
        return Outcome(folder.name, msg.STATUS_FAILED, message=exc.render().splitlines()[0])
    except Exception as exc:  # noqa: BLE001 — a bug in one territory must not stop the batch
        return Outcome(folder.name, msg.STATUS_FAILED,
                       message=msg.BATCH_INTERNAL.format(kind=type(exc).__name__, detail=exc))
    written = result.written
    if written.kept:  # the others written; these left as edited by hand
        from .output import kept_message

        return Outcome(folder.name, msg.STATUS_FAILED, len(written.written),
                       message=kept_message(written.kept).splitlines()[0],
                       warnings=tuple(w.format() for w in result.case.warnings))
    status = msg.STATUS_BUILT if written.written else msg.STATUS_UNCHANGED
    return Outcome(folder.name, status, len(written.written),
                   warnings=tuple(w.format() for w in result.case.warnings))
