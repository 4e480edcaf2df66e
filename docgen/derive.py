"""DERIVE: pure computations on a validated case — totals, rates, groupings, numbering, dates.

No I/O, no templates, no clock: every function takes models and returns plain values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .model import Convention, DossierTerritoire, FicheAction

ZERO = Decimal(0)


@dataclass(frozen=True)
class Financement:
    """What a financing plan adds up to, against the cost of its action."""

    cout: Decimal
    acquis: Decimal
    sollicite: Decimal

    @property
    def total(self) -> Decimal:
        return self.acquis + self.sollicite

    @property
    def reste(self) -> Decimal:
        return max(self.cout - self.total, ZERO)


def financement(fiche: FicheAction) -> Financement:
    acquis = sum((r.montant for r in fiche.plan_de_financement if r.statut == "acquis"), ZERO)
    sollicite = sum((r.montant for r in fiche.plan_de_financement if r.statut == "sollicite"), ZERO)
    return Financement(fiche.cout.montant, acquis, sollicite)


def part(montant: Decimal, total: Decimal) -> Decimal | None:
    """Share of a total in percent, None when the total is zero."""
    return montant * 100 / total if total else None


@dataclass(frozen=True)
class GroupeAxe:
    axe_id: str
    fiches: tuple[FicheAction, ...]
    cout: Decimal


def par_axe(conv: Convention, fiches: Sequence[FicheAction] | None = None) -> list[GroupeAxe]:
    """Actions grouped by axe, in the order the axes are declared; empty axes are kept."""
    fiches = list(conv.fiches_actions if fiches is None else fiches)
    out = []
    for axe in conv.axes:
        mine = tuple(sorted((f for f in fiches if f.axe == axe.id), key=lambda f: f.numero))
        out.append(GroupeAxe(axe.id, mine, sum((f.cout.montant for f in mine), ZERO)))
    return out


@dataclass(frozen=True)
class LigneFinanceur:
    financeur_id: str
    acquis: Decimal
    sollicite: Decimal

    @property
    def total(self) -> Decimal:
        return self.acquis + self.sollicite


def par_financeur(terr: DossierTerritoire, fiches: Iterable[FicheAction]) -> list[LigneFinanceur]:
    """Amounts per financeur over the given actions, in the order of territoire.yaml."""
    acquis: dict[str, Decimal] = {}
    sollicite: dict[str, Decimal] = {}
    for fiche in fiches:
        for row in fiche.plan_de_financement:
            bucket = acquis if row.statut == "acquis" else sollicite
            bucket[row.financeur] = bucket.get(row.financeur, ZERO) + row.montant
    return [
        LigneFinanceur(f.id, acquis.get(f.id, ZERO), sollicite.get(f.id, ZERO))
        for f in terr.financeurs
        if f.id in acquis or f.id in sollicite
    ]


def cout_total(fiches: Iterable[FicheAction]) -> Decimal:
    return sum((f.cout.montant for f in fiches), ZERO)


def bases(fiches: Iterable[FicheAction]) -> set[str]:
    """HT, TTC or both: a total over mixed bases must say so."""
    return {f.cout.base for f in fiches}


def numeroter(cles: Sequence[str]) -> dict[str, int]:
    """Number items 1, 2, … in the order given (articles, annexes: the template's own order)."""
    out: dict[str, int] = {}
    for cle in cles:
        if cle not in out:
            out[cle] = len(out) + 1
    return out


def ajouter_annees(jour: dt.date, annees: int) -> dt.date:
    """Same day N years later (28 February for a 29 February start)."""
    try:
        return jour.replace(year=jour.year + annees)
    except ValueError:
        return jour.replace(year=jour.year + annees, day=28)


def ajouter_mois(jour: dt.date, mois: int) -> dt.date:
    """Same day N months later, clipped to the end of a shorter month."""
    index = jour.month - 1 + mois
    year, month = jour.year + index // 12, index % 12 + 1
    for day in (jour.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise ValueError(jour)  # pragma: no cover
