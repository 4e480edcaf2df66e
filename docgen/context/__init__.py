"""CONTEXT: for each document kind, the data its template prints (no sentences here).

CONTEXTS names, for kinds.py, how each kind's data is made from what a build has at hand
(`Sources`: the case, its resolved states, a template's outline, an avenant's amendments).
A new kind names one of these, or adds its own here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .adhesion import adhesion_context
from .avenant import avenant_context
from .common import bandeau, programme
from .convention import consolidation, convention_context
from .copil import copil_context

if TYPE_CHECKING:
    from ..model.case import Case
    from ..resolve import Resolved
    from ..templating import Outline


class Sources(Protocol):
    """What a build gives the builders (pipeline.Documents)."""

    @property
    def case(self) -> Case: ...

    @property
    def resolved(self) -> Resolved: ...

    def outline(self, template: Path) -> Outline: ...

    def amendements(self, numero: int, template: Path) -> list[Any]: ...

    def marks(self, numero: int, template: Path) -> dict[str, list[dict[str, Any]]]: ...

    def logos(self) -> list[dict[str, str]]: ...

    def memo(self, key: str, make: Callable[[], dict[str, Any]]) -> dict[str, Any]: ...


class Request(Protocol):
    """What a builder reads of the job (plan.Job)."""

    @property
    def numero(self) -> int: ...

    @property
    def projet(self) -> bool: ...

    @property
    def templates(self) -> tuple[Path, ...]: ...


def _acte(s: Sources, ctx: dict[str, Any]) -> dict[str, Any]:
    """An act's data, with the partners' band of its first page."""
    return {**ctx, "logos": bandeau(s.case, s.logos())}


def _convention(s: Sources, job: Request) -> dict[str, Any]:
    return _acte(s, convention_context(s.case, s.outline(job.templates[0]), job.projet))


def _consolidee(s: Sources, job: Request) -> dict[str, Any]:
    n = job.numero
    return _acte(s, convention_context(s.case, s.outline(job.templates[0]), False,
                                       s.resolved.apres(n), consolidation(s.case.avenants, n)))


def _etat(s: Sources, job: Request) -> dict[str, Any]:
    return _acte(s, convention_context(s.case, s.outline(job.templates[0]), False,
                                       s.resolved.apres(job.numero), etat=job.numero))


def _adhesion(s: Sources, job: Request) -> dict[str, Any]:
    return _acte(s, adhesion_context(s.case, s.outline(job.templates[0]), job.projet))


def _avenant(s: Sources, job: Request) -> dict[str, Any]:
    n, quoted = job.numero, job.templates[1]
    return _acte(s, avenant_context(s.case, s.resolved, n, s.outline(quoted), job.projet,
                                    s.amendements(n, quoted), s.marks(n - 1, quoted)))


def _parcelles(s: Sources, job: Request) -> dict[str, Any]:
    """The parcels of each secteur of the convention as signed, or in force after avenant n."""
    state = s.resolved.apres(job.numero) if job.numero else s.case.convention
    return {"secteurs": programme(s.case.territoire, state, s.case.perimetres,
                                  s.case.fonds)["secteurs"]}


def _copil(s: Sources, job: Request) -> dict[str, Any]:
    """One context for every piece of a COPIL (convocation, slides, sheet, minutes, pack)."""
    n = job.numero
    return s.memo(f"copil:{n}", lambda: copil_context(s.case, s.resolved, n, s.logos()))


CONTEXTS: dict[str, Callable[[Sources, Request], dict[str, Any]]] = {
    "convention": _convention, "consolidee": _consolidee, "etat": _etat,
    "adhesion": _adhesion, "avenant": _avenant, "copil": _copil,
    "parcelles": _parcelles, "parcelles-consolidee": _parcelles,
}

__all__ = ["CONTEXTS", "Request", "Sources", "adhesion_context", "avenant_context",
           "consolidation", "convention_context", "copil_context"]
