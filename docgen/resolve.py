"""RESOLVE: the convention and its avenants applied in order give the state at any avenant.

Pure: models in, models out. An operation that does not fit the state raises Inapplicable
with a French message; the loader reports it at the operation's line. `resolve` computes every
state once, as an immutable value that every later stage reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from . import messages as msg
from .model import Avenant, Convention
from .model.avenant import (
    AjouterAxe,
    AjouterFiche,
    AjouterPartenaire,
    AjouterSecteur,
    AjouterSignataire,
    ModifierAxe,
    ModifierFiche,
    ModifierSecteur,
    ProlongerDuree,
    RemplacerTexte,
    RetirerPartenaire,
    RetirerSignataire,
    SupprimerAxe,
    SupprimerFiche,
    SupprimerSecteur,
)
from .model.convention import Signataire


class Inapplicable(Exception):
    """An operation refers to something the convention does not hold at that avenant."""


def _changes(champs: Any) -> dict[str, Any]:
    return {k: getattr(champs, k) for k in type(champs).model_fields if getattr(champs, k) is not None}


def apply(conv: Convention, op: Any, signataires: Sequence[Signataire] = ()) -> Convention:
    """The convention after one operation."""
    fiches = {f.numero: f for f in conv.fiches_actions}
    secteurs = {s.id: s for s in conv.secteurs}
    if isinstance(op, AjouterSecteur):
        if op.secteur.id in secteurs:
            raise Inapplicable(msg.SECTEUR_EXISTE_DEJA.format(id=op.secteur.id))
        return conv.model_copy(update={"secteurs": [*conv.secteurs, op.secteur]})
    if isinstance(op, ModifierSecteur):
        if op.id not in secteurs:
            raise Inapplicable(msg.SECTEUR_ABSENT_SECTEURS.format(
                id=op.id, items=', '.join(secteurs)))
        new = secteurs[op.id].model_copy(update=_changes(op.champs))
        return conv.model_copy(update={"secteurs": [new if s.id == op.id else s for s in conv.secteurs]})
    if isinstance(op, SupprimerSecteur):
        if op.id not in secteurs:
            raise Inapplicable(msg.SECTEUR_ABSENT.format(id=op.id))
        users = [f.numero for f in conv.fiches_actions if f.secteur == op.id]
        if users:
            raise Inapplicable(msg.SECTEUR_ENCORE_CELUI_FICHES.format(
                id=op.id, items=', '.join(map(str, users))))
        return conv.model_copy(update={"secteurs": [s for s in conv.secteurs if s.id != op.id]})
    if isinstance(op, AjouterFiche):
        if op.fiche.numero in fiches:
            raise Inapplicable(msg.FICHE_ACTION_EXISTE_DEJA.format(
                numero=op.fiche.numero, suivant=max(fiches, default=0) + 1))
        return conv.model_copy(update={"fiches_actions": [*conv.fiches_actions, op.fiche]})
    if isinstance(op, ModifierFiche):
        if op.numero not in fiches:
            raise Inapplicable(msg.FICHE_ABSENTE_A_MODIFIER.format(numero=op.numero))
        fiche = fiches[op.numero].model_copy(update=_changes(op.champs))
        return conv.model_copy(update={"fiches_actions": [
            fiche if f.numero == op.numero else f for f in conv.fiches_actions]})
    if isinstance(op, SupprimerFiche):
        if op.numero not in fiches:
            raise Inapplicable(msg.FICHE_ABSENTE_A_SUPPRIMER.format(numero=op.numero))
        return conv.model_copy(update={"fiches_actions": [
            f for f in conv.fiches_actions if f.numero != op.numero]})
    if isinstance(op, AjouterSignataire):
        if op.partie in {s.partie for s in conv.signataires}:
            raise Inapplicable(msg.DEJA_SIGNATAIRE.format(partie=op.partie))
        entry = next((s for s in signataires if s.partie == op.partie), Signataire(partie=op.partie))
        return conv.model_copy(update={
            "signataires": [*conv.signataires, entry],
            "en_presence_de": [p for p in conv.en_presence_de if p != op.partie],
        })
    if isinstance(op, RetirerSignataire):
        if op.partie not in {s.partie for s in conv.signataires}:
            raise Inapplicable(msg.PAS_SIGNATAIRE_DATE.format(partie=op.partie))
        return conv.model_copy(update={"signataires": [
            s for s in conv.signataires if s.partie != op.partie]})
    if isinstance(op, AjouterPartenaire):
        if op.partie in conv.en_presence_de:
            raise Inapplicable(msg.DEJA_PARTENAIRE_ASSOCIE.format(partie=op.partie))
        return conv.model_copy(update={"en_presence_de": [*conv.en_presence_de, op.partie]})
    if isinstance(op, RetirerPartenaire):
        if op.partie not in conv.en_presence_de:
            raise Inapplicable(msg.PAS_PARTENAIRE_ASSOCIE_DATE.format(partie=op.partie))
        return conv.model_copy(update={"en_presence_de": [
            p for p in conv.en_presence_de if p != op.partie]})
    if isinstance(op, RemplacerTexte):
        textes = conv.textes.model_copy(update={op.article: list(op.texte)})
        return conv.model_copy(update={"textes": textes})
    if isinstance(op, ProlongerDuree):
        if op.duree_ans == conv.duree_ans:
            raise Inapplicable(msg.DUREE_DEJA_ANS.format(duree_ans=op.duree_ans))
        return conv.model_copy(update={"duree_ans": op.duree_ans})
    axes = {a.id: a for a in conv.axes}
    if isinstance(op, AjouterAxe):
        if op.axe.id in axes:
            raise Inapplicable(msg.AXE_EXISTE_DEJA.format(id=op.axe.id))
        return conv.model_copy(update={"axes": [*conv.axes, op.axe]})
    if isinstance(op, ModifierAxe):
        if op.id not in axes:
            raise Inapplicable(msg.AXE_ABSENT_AXES.format(id=op.id, items=', '.join(axes)))
        new_axe = axes[op.id].model_copy(update=_changes(op.champs))
        return conv.model_copy(update={"axes": [new_axe if a.id == op.id else a for a in conv.axes]})
    if isinstance(op, SupprimerAxe):
        if op.id not in axes:
            raise Inapplicable(msg.AXE_ABSENT.format(id=op.id))
        users = [f.numero for f in conv.fiches_actions if f.axe == op.id]
        if users:
            raise Inapplicable(msg.AXE_ENCORE_CELUI_FICHES.format(
                id=op.id, items=', '.join(map(str, users))))
        return conv.model_copy(update={"axes": [a for a in conv.axes if a.id != op.id]})
    raise TypeError(op)  # pragma: no cover


def apply_all(conv: Convention, ops: Iterable[Any], signataires: Sequence[Signataire] = ()) -> Convention:
    for op in ops:
        conv = apply(conv, op, signataires)
    return conv


def state_after(conv: Convention, avenants: Sequence[Avenant], numero: int) -> Convention:
    """The convention once avenants 1…numero have applied (numero 0: as signed)."""
    for av in sorted(avenants, key=lambda a: a.numero):
        if av.numero > numero:
            break
        conv = apply_all(conv, av.modifications, av.signataires)
    return conv


def state_at_date(conv: Convention, avenants: Sequence[Avenant], day: dt.date) -> tuple[Convention, bool]:
    """The convention in force on a day, and whether it was still a draft then (not yet signed:
    its fiches are read as projected). Avenants count from their signature."""
    signed = conv.signature.date
    if signed is None or day < signed:
        return conv, True
    for av in sorted(avenants, key=lambda a: a.numero):
        if av.signature.date is None or av.signature.date > day:
            break
        conv = apply_all(conv, av.modifications, av.signataires)
    return conv, False


@dataclass(frozen=True)
class Resolved:
    """The convention as signed (index 0) and after each avenant (index n), computed once."""

    etats: tuple[Convention, ...]
    avenants: tuple[Avenant, ...]

    def apres(self, numero: int) -> Convention:
        """The convention once avenants 1…numero have applied (0: as signed)."""
        return self.etats[numero]

    def en_vigueur(self, day: dt.date) -> tuple[Convention, bool]:
        """The convention in force on a day, and whether it was still a draft then (not yet
        signed: its fiches are read as projected). Avenants count from their signature."""
        signed = self.etats[0].signature.date
        if signed is None or day < signed:
            return self.etats[0], True
        n = 0
        for av in self.avenants:
            if av.signature.date is None or av.signature.date > day:
                break
            n = av.numero
        return self.etats[n], False


def resolve(conv: Convention, avenants: Sequence[Avenant]) -> Resolved:
    """Every state of the convention, in avenant order."""
    ordered = tuple(sorted(avenants, key=lambda a: a.numero))
    etats = [conv]
    for av in ordered:
        etats.append(apply_all(etats[-1], av.modifications, av.signataires))
    return Resolved(tuple(etats), ordered)
