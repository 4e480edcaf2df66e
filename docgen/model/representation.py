"""Who represents a party on a date: a typed answer — the Representant, or SansRepresentant
saying why nobody does, with the French message the loader reports at the line that asked —
never a string a caller has to interpret. The loader asks representant_at and
representant_copil_at; the later stages (context) ask representant and representant_copil,
which raise RepresentantIntrouvable on a case the loader should have refused."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from .. import formatting as fmt
from .. import messages as msg
from .territoire import Partie, Representant


@dataclass(frozen=True)
class SansRepresentant:
    """Why nobody represents a party on a date: the French message the loader reports at the
    line that asked (a signatory, a COPIL's convener), never a string a caller interprets."""

    partie: str  # the party's id
    jour: dt.date
    motif: Literal["inconnu", "hors_fonction", "personne", "plusieurs"]
    message: str
    en_fonction: tuple[Representant, ...] = ()  # those in office that day (« plusieurs »)


class RepresentantIntrouvable(LookupError):
    """A build stage asked who represents a party on a date the loader let through: a bug of
    the loader, never a user's error (the loader refuses such a case at its line)."""

    def __init__(self, absence: SansRepresentant) -> None:
        super().__init__(absence.message)
        self.absence = absence


def representant_at(p: Partie, jour: dt.date, nom: str | None) -> Representant | SansRepresentant:
    """The person who signs for a party on a date (the one named, or the only one in office),
    or why none does."""
    in_office = tuple(r for r in p.representants if r.en_fonction(jour))
    if nom is not None:
        named = [r for r in p.representants if r.nom == nom]
        if not named:
            known = ", ".join(r.nom for r in p.representants) or "aucun"
            return SansRepresentant(p.id, jour, "inconnu", msg.PAS_REPRESENTANT_CONNUS.format(
                nom=nom, partie=p.nom, known=known), in_office)
        held = [r for r in named if r.en_fonction(jour)]
        if not held:
            return SansRepresentant(p.id, jour, "hors_fonction", msg.PAS_FONCTION.format(
                nom=nom, jour=fmt.date_longue(jour), periode=periode(named[0])), in_office)
        return held[0]
    if len(in_office) == 1:
        return in_office[0]
    if not in_office:
        return SansRepresentant(p.id, jour, "personne", msg.PERSONNE_REPRESENTE_AJOUTEZ_REPRESENTANT
                                .format(nom=p.nom, jour=fmt.date_longue(jour), known=connus(p)))
    names = ", ".join(r.nom for r in in_office)
    return SansRepresentant(p.id, jour, "plusieurs", msg.PLUSIEURS_REPRESENTANTS_FONCTION_PRECISEZ
                            .format(nom=p.nom, jour=fmt.date_longue(jour), names=names), in_office)


def representant(p: Partie, jour: dt.date, nom: str | None) -> Representant:
    """representant_at for a stage after the loader: the person, or RepresentantIntrouvable."""
    r = representant_at(p, jour, nom)
    if isinstance(r, SansRepresentant):
        raise RepresentantIntrouvable(r)
    return r


def representant_copil_at(p: Partie, jour: dt.date) -> Representant | SansRepresentant:
    """Who speaks for a party that convenes or chairs a COPIL, on the day its documents are
    issued: the one in office, or the first listed of several (the préfet before the
    sous-préfète); nobody in office is refused by the loader at the convener's line."""
    in_office = tuple(r for r in p.representants if r.en_fonction(jour))
    if in_office:
        return in_office[0]
    return SansRepresentant(p.id, jour, "personne", msg.COPIL_PERSONNE_REPRESENTE.format(
        nom=p.nom, jour=fmt.date_longue(jour), known=connus(p)))


def representant_copil(p: Partie, jour: dt.date) -> Representant:
    """representant_copil_at for a stage after the loader: the person, or RepresentantIntrouvable."""
    r = representant_copil_at(p, jour)
    if isinstance(r, SansRepresentant):
        raise RepresentantIntrouvable(r)
    return r


def connus(p: Partie) -> str:
    """Every representative of a party with their periods (« aucun représentant »)."""
    return "; ".join(f"{r.nom} {periode(r)}" for r in p.representants) or msg.AUCUN_REPRESENTANT


def periode(r: Representant) -> str:
    """« du 1er mars 2022 au 30 juin 2022 », « en fonction depuis le 1er juillet 2022 »."""
    if r.au is None:
        return msg.FONCTION_DEPUIS.format(du=fmt.date_longue(r.du))
    return msg.PERIODE_DU_AU.format(du=fmt.date_longue(r.du), au=fmt.date_longue(r.au))


def delegant_at(p: Partie, r: Representant, jour: dt.date) -> Representant | None:
    """Who delegates their signature to r on a day: the party's other representative in office
    that day whose fonction is the authority r signs for (« par_delegation_de: le Préfet des
    Hautes-Alpes » names the fonction « Préfet des Hautes-Alpes », or « Préfète … »), the latest
    to take office if several; None when territoire.yaml lists nobody in that office that day
    (or r signs in their own name)."""
    if r.par_delegation_de is None:
        return None
    autorite = _mots(r.par_delegation_de)
    found = [x for x in p.representants
             if x is not r and x.en_fonction(jour) and _meme_fonction(autorite, _mots(x.fonction))]
    return max(found, key=lambda x: x.du) if found else None


_ARTICLES = {"le", "la", "l", "les", "m", "mme", "monsieur", "madame"}


def _mots(text: str) -> list[str]:
    """A fonction as bare words: no accent, no capital, no punctuation, no leading article or
    title (« le Préfet des Hautes-Alpes » → préfet des hautes alpes, unaccented)."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text.casefold())
                    if not unicodedata.combining(c))
    words = re.findall(r"[a-z0-9]+", plain)
    while words and words[0] in _ARTICLES:
        words = words[1:]
    return words


def _meme_fonction(autorite: list[str], fonction: list[str]) -> bool:
    """The same office, whatever the holder's gender (préfet / préfète, président /
    présidente, secrétaire général / générale, directeur / directrice), the authority possibly
    shorter than the fonction (« le Préfet » for « Préfet des Hautes-Alpes »)."""
    return (bool(autorite) and len(autorite) <= len(fonction)
            and all(_meme_mot(x, y) for x, y in zip(autorite, fonction, strict=False)))


def _meme_mot(a: str, b: str) -> bool:
    if a == b or a + "e" == b or b + "e" == a:
        return True
    return any(x.endswith("teur") and y == x[:-4] + "trice" for x, y in ((a, b), (b, a)))
