"""VALIDATE the hand-off settings (`remise:` of territoire.yaml) with the operators' own rules,
and the rules themselves: pure functions of a value that return what is wrong, in French, or
None. docgen/remise.py applies the same functions to the values of an act (its number, its
object) before anything is written."""

from __future__ import annotations

import re

from .. import messages as msg
from ..model.territoire import DossierTerritoire, Remise
from .files import CaseFile, Report
from .yamlpos import Path_

MAX_NUMERO = 15  # ACTES NumeroInterne; Pastell numero_de_lacte
MAX_OBJET = 499  # ACTES Objet is 500 at most; Pastell and S²low take 499
NUMERO = re.compile(r"[0-9A-Z_]+")
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
WIDTHS = {"annee": 4, "numero": 2}  # {annee}: 2025; {numero}: 01…99
CLASSIFICATION = re.compile(r"[1-9][0-9]?(?:\.[1-9][0-9]?){1,4}")
MATIERE = re.compile(r"[1-9][0-9]?")
TYPE_PIECE = re.compile(r"[0-9]{2}_[A-Z]{2}")
SIREN = re.compile(r"[0-9]{9}")
DEPARTEMENT = re.compile(r"0[1-9]|[1-8][0-9]|9[0-5]|2A|2B|97[1-8]")


def shown(value: str, limit: int = 60) -> str:
    """A value as a message quotes it: control characters escaped (never sent to a terminal as
    they are), shortened when long."""
    text = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _line_or_control(value: str) -> str | None:
    """A value that goes into an XML attribute or a one-line field: no line break, no control
    character (XML 1.0 cannot hold most of them, and S²low wants one line)."""
    if "\n" in value or "\r" in value or "\u2028" in value or "\u2029" in value:
        return msg.RG_LIGNE.format(valeur=shown(value))
    bad = next((c for c in value if not c.isprintable() and c != "\t"), None)
    if bad is None and "\t" in value:
        bad = "\t"
    if bad is not None:
        return msg.RG_CONTROLE.format(valeur=shown(value), code=f"U+{ord(bad):04X}")
    return None


def numero_problem(value: str, shown_as: str | None = None) -> str | None:
    """An act's number as @ctes and S²low take it: 1 to 15 of [0-9A-Z_], no _ at either end."""
    if not value:
        return msg.RG_NUMERO_VIDE
    if not NUMERO.fullmatch(value):
        wrong = sorted({c for c in value if not NUMERO.fullmatch(c)})
        return msg.RG_NUMERO_CARACTERES.format(
            valeur=shown(shown_as if shown_as is not None else value),
            caracteres=", ".join(f"« {shown(c)} »" for c in wrong))
    if len(value) > MAX_NUMERO:
        return msg.RG_NUMERO_LONG.format(valeur=value, n=len(value))
    if value.startswith("_") or value.endswith("_"):
        return msg.RG_NUMERO_SOULIGNE.format(valeur=value)
    return None


def expand_numero(pattern: str, annee: int, numero: int = 0) -> str:
    """A number pattern filled in: {annee} the year, {numero} the avenant's number (01…99)."""
    return pattern.replace("{annee}", f"{annee:04d}").replace("{numero}", f"{numero:02d}")


def numero_pattern_problem(pattern: str, avenant: bool) -> str | None:
    """A number pattern gives, for any year and avenant, a number the operators accept."""
    names = PLACEHOLDER.findall(pattern)
    literal = PLACEHOLDER.sub("", pattern)
    if any(n not in WIDTHS for n in names) or "{" in literal or "}" in literal:
        return msg.RG_MODELE_ACCOLADE.format(valeur=shown(pattern))
    if avenant and "numero" not in names:
        return msg.RG_MODELE_SANS_NUMERO.format(valeur=shown(pattern))
    if not avenant and "numero" in names:
        return msg.RG_MODELE_NUMERO_ICI.format(valeur=shown(pattern))
    example = expand_numero(pattern, 2025, 1)
    if not example or not NUMERO.fullmatch(example):
        return numero_problem(literal, pattern)
    if len(example) > MAX_NUMERO:
        return msg.RG_MODELE_LONG.format(valeur=pattern, n=len(example), exemple=example)
    return None if numero_problem(example) is None else msg.RG_NUMERO_SOULIGNE.format(
        valeur=pattern)


def objet_problem(value: str) -> str | None:
    """An act's object: 1 to 499 characters on one line, nothing XML cannot hold."""
    if not value.strip():
        return msg.RG_OBJET_VIDE
    if len(value) > MAX_OBJET:
        return msg.RG_OBJET_LONG.format(n=len(value))
    return _line_or_control(value)


def text_problem(value: str) -> str | None:
    """A free value written into the XML (parapheur type, a label): one line, printable."""
    if not value.strip():
        return msg.RG_TEXTE_VIDE
    return _line_or_control(value)


def classification_problem(value: str) -> str | None:
    """At least the matière and a sous-matière (ACTES CodeMatiere1 and 2 are required), five
    levels at most, each a number from 1 to 99."""
    if CLASSIFICATION.fullmatch(value):
        return None
    if MATIERE.fullmatch(value):
        return msg.RG_CLASSIFICATION_UNE.format(valeur=shown(value))
    return msg.RG_CLASSIFICATION.format(valeur=shown(value))


def classification_codes(value: str) -> tuple[int, ...]:
    """The matière codes of a classification already checked: « 7.4.2 » → (7, 4, 2)."""
    return tuple(int(part) for part in value.split("."))


def type_piece_problem(value: str) -> str | None:
    """A piece type of the préfecture's typology: two digits, _, two capitals (« 99_CO »)."""
    return None if TYPE_PIECE.fullmatch(value) else msg.RG_TYPE_PIECE.format(valeur=shown(value))


def siren_problem(value: str) -> str | None:
    """Nine digits whose Luhn key is right (INSEE's rule for SIREN numbers)."""
    if not SIREN.fullmatch(value):
        return msg.RG_SIREN.format(valeur=shown(value))
    total = 0
    for i, c in enumerate(reversed(value)):
        d = int(c) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return None if total % 10 == 0 else msg.RG_SIREN_CLE.format(valeur=value)


def departement_problem(value: str) -> str | None:
    return None if DEPARTEMENT.fullmatch(value) else msg.RG_DEPARTEMENT.format(
        valeur=shown(value))


def departement_actes(value: str) -> str:
    """The département as ACTES writes it, on three characters: 05 → 005, 2A → 02A."""
    return value if len(value) == 3 else "0" + value


def settings_problems(r: Remise) -> list[tuple[Path_, str]]:
    """Every rule the settings break, with the field (under `remise`) each is about."""
    checks: list[tuple[Path_, str | None]] = [
        (("siren",), siren_problem(r.siren)),
        (("departement",), departement_problem(r.departement)),
        (("classification",), classification_problem(r.classification)),
        (("type_piece_acte",), type_piece_problem(r.type_piece_acte)),
        (("type_piece_annexe",), type_piece_problem(r.type_piece_annexe)),
        (("iparapheur_type",), text_problem(r.iparapheur_type)),
        (("iparapheur_sous_type",), text_problem(r.iparapheur_sous_type)),
    ]
    if r.classification_libelle is not None:
        checks.append((("classification_libelle",), text_problem(r.classification_libelle)))
    for kind in ("adhesion", "convention", "avenant"):
        checks.append((("numeros", kind), numero_pattern_problem(
            getattr(r.numeros, kind), avenant=kind == "avenant")))
    if r.numeros.adhesion == r.numeros.convention:  # signed the same year: the same number
        checks.append((("numeros", "convention"), msg.RG_MODELE_DOUBLE.format(
            valeur=shown(r.numeros.convention))))
    return [(path, problem) for path, problem in checks if problem is not None]


def check_remise(t: DossierTerritoire, f: CaseFile, report: Report) -> None:
    """The `remise` section of territoire.yaml, when there is one, field by field."""
    if t.remise is None:
        return
    for path, problem in settings_problems(t.remise):
        report.add(f, ("remise",) + path, problem)
