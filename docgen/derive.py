"""DERIVE: pure computations on a validated case — totals, rates, groupings, numbering, dates.

No I/O, no templates, no clock: every function takes models and returns plain values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .model import Convention, DossierTerritoire, FicheAction
from .model.copil import LigneInstantane

ZERO = Decimal(0)


@dataclass(frozen=True)
class Financement:
    """What a financing plan adds up to, against the cost of its action: the maître d'ouvrage's
    own money (autofinancement) apart from the partners' financings, acquired apart from
    requested, and what no line covers yet."""

    cout: Decimal
    autofinancement: Decimal
    acquis: Decimal  # partners' financings acquired (autofinancement never counts here)
    sollicite: Decimal  # partners' financings requested, not acquired yet

    @property
    def partenaires(self) -> Decimal:
        return self.acquis + self.sollicite

    @property
    def total(self) -> Decimal:
        """Every line of the plan: autofinancement and partners' financings."""
        return self.autofinancement + self.partenaires

    @property
    def reste(self) -> Decimal:
        return max(self.cout - self.total, ZERO)


def autofinances(terr: DossierTerritoire, fiche: FicheAction) -> set[str]:
    """The financeurs whose lines are the maître d'ouvrage's own money in this fiche's plan: those
    marked autofinancement, and the maître d'ouvrage itself when it is a financeur."""
    return {f.id for f in terr.financeurs
            if f.autofinancement or (f.partie is not None and f.partie == fiche.maitre_ouvrage)}


def financement(terr: DossierTerritoire, fiche: FicheAction) -> Financement:
    propres = autofinances(terr, fiche)
    rows = fiche.plan_de_financement
    auto = sum((r.montant for r in rows if r.financeur in propres), ZERO)
    acquis = sum((r.montant for r in rows if r.financeur not in propres and r.statut == "acquis"),
                 ZERO)
    sollicite = sum((r.montant for r in rows
                     if r.financeur not in propres and r.statut == "sollicite"), ZERO)
    return Financement(fiche.cout.montant, auto, acquis, sollicite)


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
    """One financeur's amounts: acquired and still solicited (over a plan, or on a COPIL's day)."""

    financeur_id: str
    acquis: Decimal
    sollicite: Decimal

    @property
    def total(self) -> Decimal:
        return self.acquis + self.sollicite


def par_financeur(terr: DossierTerritoire, fiches: Iterable[FicheAction]) -> list[LigneFinanceur]:
    """The partners' financings per financeur over the given actions, in the order of
    territoire.yaml; a maître d'ouvrage's own money (autofinancement) is not a partner's."""
    acquis: dict[str, Decimal] = {}
    sollicite: dict[str, Decimal] = {}
    for fiche in fiches:
        propres = autofinances(terr, fiche)
        for row in fiche.plan_de_financement:
            if row.financeur in propres:
                continue
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


def fin_de_duree(debut: dt.date, annees: int) -> dt.date:
    """The last day of a duration of N years from debut: a convention signed on 14 April 2023
    for six years runs until 13 April 2029 inclusive."""
    return ajouter_annees(debut, annees) - dt.timedelta(days=1)


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


# ------------------------------------------------------------------ COPIL indicators

STATUTS_ORDRE = ("en_projet", "engagee", "en_cours", "realisee", "reportee", "abandonnee")


@dataclass(frozen=True)
class Indicateurs:
    """Figures of one COPIL: a snapshot of its date, never derived from another date."""

    nombre_actions: int
    par_statut: tuple[tuple[str, int], ...]
    par_axe: tuple[tuple[str, tuple[tuple[str, int], ...], Decimal], ...]
    par_maitre_ouvrage: tuple[tuple[str, int, Decimal], ...]
    investissements: Decimal
    obtenu: Decimal
    obtenu_par_financeur: tuple[tuple[str, Decimal], ...]
    etudes_nombre: int
    etudes_cout: Decimal
    etudes_finance: Decimal

    @property
    def taux_financement(self) -> Decimal | None:
        return part(self.obtenu, self.investissements)

    @property
    def etudes_taux(self) -> Decimal | None:
        return part(self.etudes_finance, self.etudes_cout)


def indicateurs(terr: DossierTerritoire, state: Convention,
                instantane: Sequence[LigneInstantane]) -> Indicateurs:
    """Actions by status, axe and maître d'ouvrage; money programmed and obtained; studies.

    Obtained amounts count subsidies only (autofinancement is the owner's own money)."""
    self_funded = {f.id for f in terr.financeurs if f.autofinancement}
    rows = {r.fiche: r for r in instantane}
    fiches = sorted(state.fiches_actions, key=lambda f: f.numero)

    def statut(f: FicheAction) -> str:
        row = rows.get(f.numero)
        return row.statut if row is not None else f.statut

    def obtenu(f: FicheAction) -> list[tuple[str, Decimal]]:
        row = rows.get(f.numero)
        if row is None:
            return []
        return [(o.financeur, o.montant) for o in row.obtenu if o.financeur not in self_funded]

    def cout(f: FicheAction) -> Decimal:
        row = rows.get(f.numero)
        constate = row.cout if row is not None else None
        return constate if constate is not None else f.cout.montant

    vivantes = [f for f in fiches if statut(f) != "abandonnee"]

    def count(items: Iterable[FicheAction]) -> tuple[tuple[str, int], ...]:
        items = list(items)
        return tuple((s, sum(1 for f in items if statut(f) == s)) for s in STATUTS_ORDRE)

    par_financeur: dict[str, Decimal] = {}
    for f in fiches:
        for fid, amount in obtenu(f):
            par_financeur[fid] = par_financeur.get(fid, ZERO) + amount
    etudes = [f for f in vivantes if f.type == "etude"]
    owners: list[str] = []
    for f in fiches:
        if f.maitre_ouvrage not in owners:
            owners.append(f.maitre_ouvrage)
    return Indicateurs(
        nombre_actions=len(fiches),
        par_statut=count(fiches),
        par_axe=tuple(
            (a.id, count(f for f in fiches if f.axe == a.id),
             sum((f.cout.montant for f in vivantes if f.axe == a.id), ZERO))
            for a in state.axes
        ),
        par_maitre_ouvrage=tuple(
            (o, sum(1 for f in fiches if f.maitre_ouvrage == o),
             sum((f.cout.montant for f in vivantes if f.maitre_ouvrage == o), ZERO))
            for o in owners
        ),
        investissements=sum((f.cout.montant for f in vivantes), ZERO),
        obtenu=sum(par_financeur.values(), ZERO),
        obtenu_par_financeur=tuple((f.id, par_financeur[f.id]) for f in terr.financeurs
                                   if f.id in par_financeur),
        etudes_nombre=len(etudes),
        etudes_cout=sum((cout(f) for f in etudes), ZERO),
        etudes_finance=sum((a for f in etudes for _, a in obtenu(f)), ZERO),
    )


# ------------------------------------------------------------------ COPIL slides (issue 16)
# Kept apart from the indicators above: what the slides of one COPIL draw, at its date.


def plan_au(state: Convention, draft: bool, instantane: Sequence[LigneInstantane]) -> Convention:
    """The action plan as it stood on a COPIL's day. Before the convention's signature the
    plan was a draft: only the fiches the COPIL's snapshot lists existed then (none at a
    diagnostic COPIL); once signed, every fiche of the convention in force."""
    if not draft:
        return state
    listed = {r.fiche for r in instantane}
    return state.model_copy(update={"fiches_actions": [
        f for f in state.fiches_actions if f.numero in listed]})


def financeurs_au(terr: DossierTerritoire, state: Convention,
                  instantane: Sequence[LigneInstantane]) -> list[LigneFinanceur]:
    """Subsidies per financeur on a COPIL's day, autofinancement excluded, abandoned actions out.

    Acquis: what the snapshot records as obtained; where an action has no snapshot row, the
    plan's rows marked acquis. Sollicité: what the plan expects from that financeur for the
    action and is not acquired yet (never negative)."""
    self_funded = {f.id for f in terr.financeurs if f.autofinancement}
    rows = {r.fiche: r for r in instantane}
    acquis: dict[str, Decimal] = {}
    sollicite: dict[str, Decimal] = {}
    for f in state.fiches_actions:
        row = rows.get(f.numero)
        if (row.statut if row is not None else f.statut) == "abandonnee":
            continue
        planned: dict[str, Decimal] = {}
        for p in f.plan_de_financement:
            planned[p.financeur] = planned.get(p.financeur, ZERO) + p.montant
        got: dict[str, Decimal] = {}
        if row is not None:
            for o in row.obtenu:
                got[o.financeur] = got.get(o.financeur, ZERO) + o.montant
        else:
            for p in f.plan_de_financement:
                if p.statut == "acquis":
                    got[p.financeur] = got.get(p.financeur, ZERO) + p.montant
        for fid in set(planned) | set(got):
            if fid in self_funded:
                continue
            acquis[fid] = acquis.get(fid, ZERO) + got.get(fid, ZERO)
            sollicite[fid] = sollicite.get(fid, ZERO) + max(planned.get(fid, ZERO) - got.get(fid, ZERO), ZERO)
    return [LigneFinanceur(f.id, acquis.get(f.id, ZERO), sollicite.get(f.id, ZERO))
            for f in terr.financeurs
            if acquis.get(f.id, ZERO) or sollicite.get(f.id, ZERO)]


@dataclass(frozen=True)
class BarreCalendrier:
    """One action on the timeline: its calendar and its status on the COPIL's day."""

    numero: int
    intitule: str
    debut: dt.date
    fin: dt.date
    statut: str


def calendrier(state: Convention, instantane: Sequence[LigneInstantane]) -> list[BarreCalendrier]:
    """The actions of the plan in force, by number, with their start, end and status."""
    rows = {r.fiche: r.statut for r in instantane}
    return [BarreCalendrier(f.numero, f.intitule, f.calendrier.debut, f.calendrier.fin,
                            rows.get(f.numero, f.statut))
            for f in sorted(state.fiches_actions, key=lambda f: f.numero)]


def bornes_calendrier(barres: Sequence[BarreCalendrier], jour: dt.date) -> tuple[int, int]:
    """First and last year the timeline shows: every action and the COPIL's day fit in."""
    years = [jour.year] + [b.debut.year for b in barres] + [b.fin.year for b in barres]
    return min(years), max(years)


def lignes_vierges(invites: int) -> int:
    """Blank rows of an attendance sheet, for people who were not expected: at least five, or
    a fifth of the invitees when that is more."""
    return max(5, -(-invites // 5))
