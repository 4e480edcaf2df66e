"""The acts of a case and their names: adhesion, convention, avenant-NN, the model and the YAML
file of each, and how a sentence names it. Below both the register (acts.py) and the hand-off
(remise.py), which use them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import messages as msg
from .errors import DocgenError
from .model.case import Case


def code_of(kind: str, numero: int = 0) -> str:
    """adhesion, convention, avenant-01…: an act's name in the register."""
    return f"avenant-{numero:02d}" if kind == "avenant" else kind


def acts_of(case: Case) -> list[tuple[str, Any]]:
    """Every act of the case, in the order of their lives: (code, its model)."""
    out: list[tuple[str, Any]] = []
    if case.adhesion is not None:
        out.append(("adhesion", case.adhesion))
    out.append(("convention", case.convention))
    out += [(code_of("avenant", a.numero), a) for a in case.avenants]
    return out


def act_model(case: Case, code: str) -> Any:
    """The model of act `code` in the case (DocgenError when the case has no such act)."""
    for c, model in acts_of(case):
        if c == code:
            return model
    raise DocgenError(msg.ACTE_INCONNU.format(
        acte=code, case=case.name, connus=", ".join(c for c, _ in acts_of(case))))


def title(code: str) -> str:
    """« la convention », « l'avenant n° 1 », « la convention d'adhésion »."""
    if code.startswith("avenant-"):
        return msg.TITRE_AVENANT.format(n=int(code.split("-")[1]))
    return msg.TITRE_ACTE[code]


def agreement(code: str) -> str:
    """« signée » (la convention, l'adhésion) or « signé » (l'avenant)."""
    return msg.SIGNE_ACCORD[code.split("-")[0]]


def own_file(case: Case, code: str) -> Path | None:
    """The YAML file of the case that holds act `code`."""
    folder = Path(case.folder)
    if code in ("convention", "adhesion"):
        return folder / f"{code}.yaml"
    n = int(code.split("-")[1])
    for path in sorted((folder / "avenants").glob("*.yaml")):
        if path.name.startswith(f"{n:02d}-"):
            return path
    return None
