"""The parcels of a secteur d'intervention, computed from its perimeter and the commune's
cadastre (load/fond.py), and written in the cadastre's notation.

The rule the acts print: a parcel belongs to a secteur, for the whole of its area, when the
secteur's perimeter covers at least `seuil` % of its drawn area (50 % by default, settable per
commune: `fond.seuil`). A parcel the perimeter covers whole is « entièrement comprise » (within
TOLERANCE, the rounding of floating-point areas); one that belongs but is cut by the boundary is
listed apart (« coupée par le périmètre et comprise dans le secteur pour la totalité de sa
surface »). Parcels covered by less than the threshold are not the
secteur's. Pure: geometries in, values out; the same whatever the order of the layer's features.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from .formatting import nombre

TOLERANCE = 1e-9  # of a share: what floating-point areas may miss (never a surveyor's slack)


@dataclass(frozen=True)
class Rattachement:
    """A parcel of a secteur: which one, and the share of its area the secteur covers."""

    parcelle: Any  # load.fond.Parcelle
    part: float
    entiere: bool


_trees: dict[int, tuple[Any, Any]] = {}


def _tree(fond: Any) -> Any:
    """The spatial index of a commune's parcels (kept while the Fond lives)."""
    hit = _trees.get(id(fond))
    if hit is None or hit[0] is not fond:
        from shapely import STRtree

        if len(_trees) > 16:
            _trees.clear()
        hit = (fond, STRtree([p.geometrie for p in fond.parcelles]))
        _trees[id(fond)] = hit
    return hit[1]


_computed: dict[tuple[int, int], tuple[Any, Any, list[Rattachement]]] = {}


def du_secteur(fond: Any, geometrie: Any) -> list[Rattachement]:
    """The parcels of `fond` that belong to the secteur drawn by `geometrie` (metres), in the
    order of their ids (computed once per layer and perimeter: a build prints them many
    times)."""
    if not fond.parcelles or geometrie is None:
        return []
    key = (id(fond), id(geometrie))
    hit = _computed.get(key)
    if hit is None or hit[0] is not fond or hit[1] is not geometrie:
        if len(_computed) > 256:
            _computed.clear()
        hit = (fond, geometrie, _compute(fond, geometrie))
        _computed[key] = hit
    return list(hit[2])


def _compute(fond: Any, geometrie: Any) -> list[Rattachement]:
    import shapely

    seuil = fond.seuil / 100
    out = []
    for i in sorted(int(k) for k in _tree(fond).query(geometrie, predicate="intersects")):
        p = fond.parcelles[i]
        area = p.geometrie.area
        if area <= 0:
            continue
        part = shapely.intersection(p.geometrie, geometrie).area / area
        if part >= seuil - TOLERANCE:
            out.append(Rattachement(p, part, part >= 1 - TOLERANCE))
    return out


def touche(fond: Any, geometrie: Any) -> bool:
    """Whether any parcel of `fond` meets `geometrie` (a layer and a perimeter that overlap)."""
    return bool(fond.parcelles) and len(_tree(fond).query(geometrie, predicate="intersects")) > 0


def _section(p: Any) -> tuple[str, str]:
    return (p.prefixe, p.section)


def section_nom(prefixe: str, section: str) -> str:
    """« section AB », or with the prefix of an absorbed commune: « section 012 AB »."""
    return (f"section\u00a0{section}" if prefixe == "000"
            else f"section\u00a0{prefixe}\u00a0{section}")


def notation(parcelles: Sequence[Any]) -> str:
    """« section AB n° 12 à 18, 21 ; section AC n° 101 à 147 »: by section, numbers in order,
    a run of three or more consecutive numbers written « first à last » (every number of it is
    listed: a number the cadastre lacks breaks the run, so that the act never seems to include a
    parcel it does not list, whatever the extent of the layer)."""
    parts = []
    for key, group in groupby(sorted(parcelles, key=lambda p: (_section(p), p.numero)), _section):
        numeros = sorted({p.numero for p in group})
        runs: list[list[int]] = []
        for n in numeros:
            if runs and n == runs[-1][-1] + 1:
                runs[-1].append(n)
            else:
                runs.append([n])
        words = []
        for run in runs:
            if len(run) >= 3:
                words.append(f"{run[0]}\u00a0à\u00a0{run[-1]}")
            else:
                words.extend(str(n) for n in run)
        parts.append(f"{section_nom(*key)} n°\u00a0{', '.join(words)}")
    return "\u00a0; ".join(parts)


def contenance(m2: int) -> str:
    """A cadastral area: « 2 ha 45 a 12 ca », « 45 a 12 ca » under a hectare."""
    ha, rest = divmod(int(m2), 10_000)
    a, ca = divmod(rest, 100)
    head = f"{nombre(ha)}\u00a0ha\u00a0" if ha else ""
    return f"{head}{a:02d}\u00a0a\u00a0{ca:02d}\u00a0ca" if ha else f"{a}\u00a0a\u00a0{ca:02d}\u00a0ca"


def resume(fond: Any, geometrie: Any, commune: str) -> dict[str, Any] | None:
    """What an annex prints of a secteur's parcels, and the rows of the parcels' CSV."""
    if fond is None or not fond.parcelles or geometrie is None:
        return None
    liste = du_secteur(fond, geometrie)
    entieres = [r.parcelle for r in liste if r.entiere]
    partielles = [r.parcelle for r in liste if not r.entiere]
    return {
        "commune": commune,
        "code_insee": fond.code_insee,
        "source": fond.source,
        "seuil": fond.seuil,
        "nombre": len(liste),
        "contenance": contenance(sum(r.parcelle.contenance for r in liste)),
        "nombre_entieres": len(entieres),
        "entieres": notation(entieres),
        "nombre_partielles": len(partielles),
        "partielles": notation(partielles),
        "ids": [r.parcelle.id for r in liste],
        "lignes": [{"id": r.parcelle.id, "prefixe": r.parcelle.prefixe,
                    "section": r.parcelle.section, "numero": r.parcelle.numero,
                    "contenance": r.parcelle.contenance, "part": round(r.part * 100, 1),
                    "entiere": r.entiere} for r in liste],
    }


def difference(fond: Any, avant: Any, apres: Any) -> dict[str, Any] | None:
    """The parcels a change of perimeter adds to a secteur and removes from it (either geometry
    None: the secteur added or removed), in the cadastre's notation; None when none move."""
    if fond is None or not fond.parcelles:
        return None
    before = {r.parcelle.id: r.parcelle for r in du_secteur(fond, avant)}
    after = {r.parcelle.id: r.parcelle for r in du_secteur(fond, apres)}
    entrees = [p for k, p in after.items() if k not in before]
    sorties = [p for k, p in before.items() if k not in after]
    if not entrees and not sorties:
        return None
    return {"nombre_entrees": len(entrees), "entrees": notation(entrees),
            "nombre_sorties": len(sorties), "sorties": notation(sorties)}


def csv_bytes(secteurs: Sequence[dict[str, Any]]) -> bytes:
    """The parcels of each secteur (as programme() gives them), one row per parcel and secteur:
    UTF-8 with a byte order mark and « ; » between fields, as French spreadsheets open it."""
    import csv
    import io

    from . import messages as msg

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(msg.PARCELLES_CSV_COLONNES)
    for s in secteurs:
        p = s.get("parcelles")
        if not p:
            continue
        for r in p["lignes"]:
            writer.writerow([s["id"], _cell(s["nom"]), p["code_insee"], _cell(p["commune"]),
                             _cell(r["id"]), r["prefixe"], r["section"], r["numero"], r["contenance"],
                             f"{r['part']:.1f}".replace(".", ","),
                             msg.PARCELLES_CSV_ENTIERE if r["entiere"] else
                             msg.PARCELLES_CSV_PARTIELLE])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _cell(text: str) -> str:
    """A text cell a spreadsheet will not take for a formula (=, +, -, @ first)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
