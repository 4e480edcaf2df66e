"""LOAD for the base layers of a commune's maps (`fond:` of a commune in territoire.yaml): the
cadastre's parcels and buildings (the national cadastre export, one feature per parcel with
`id`, `commune`, `prefixe`, `section`, `numero`, `contenance`) and the road centre-lines with
their names (exported from QGIS: BD TOPO, OpenStreetMap).

Read with the rules of the perimeters (geo.py: safe path under assets/, no symbolic link, size,
depth and vertex limits, CRS declared or detected, France boxes, valid geometries), plus: every
parcel of the commune whose INSEE code the territory gives, no parcel id twice, every road with
the name property (empty for an unnamed road). Every problem is a French sentence naming the
file, the feature and, where it applies, the point.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import messages as msg
from . import geo
from .assets import MAX_GEO_BYTES
from .files import CaseFile, Report
from .yamlpos import Path_

MAX_BYTES = MAX_GEO_BYTES  # the parcels of a commune of 20 000 inhabitants: ~15 MB
MAX_FEATURES = 60_000
MAX_VERTICES = 1_500_000


@dataclass(frozen=True)
class Parcelle:
    """One parcel of the cadastre, its geometry in metres (the commune's metric CRS)."""

    id: str  # « 05006000AB0012 »: INSEE code, prefix, section, number
    prefixe: str  # « 000 » but for an absorbed commune
    section: str  # « AB » (one letter sections without their leading zero: « A »)
    numero: int
    contenance: int  # m², as the cadastre records it (not the drawn area)
    geometrie: Any


@dataclass(frozen=True)
class Voie:
    """A road centre-line and its name (None when the layer names it not)."""

    nom: str | None
    geometrie: Any  # LineString or MultiLineString, in metres


@dataclass(frozen=True, eq=False)  # compared and hashed as itself: caches key on it
class Fond:
    """The base layers of one commune's maps, every geometry in `epsg` (metres)."""

    commune: str  # the commune's id in territoire.yaml
    code_insee: str | None
    epsg: int
    parcelles: tuple[Parcelle, ...]
    batiments: tuple[Any, ...]  # Polygon / MultiPolygon
    voies: tuple[Voie, ...]
    source: str | None  # who drew the layers, as the maps' source line credits them
    seuil: int  # % of a parcel's area a secteur must cover for the parcel to belong to it
    depuis: Any = None  # dt.date: acts dated before it list no parcels (signed without them)

    def listed(self, jour: Any) -> bool:
        """Whether an act (or a state of the convention) dated `jour` lists the parcels."""
        return self.depuis is None or (jour is not None and jour >= self.depuis)


@dataclass(frozen=True)
class _Couche:
    """One layer file as read (cached while unchanged): its features' properties and geometries
    in metres, before the checks that depend on territoire.yaml."""

    epsg: int
    entites: tuple[tuple[str, dict[str, Any], Any], ...]  # (where, properties, geometry)


def _parse(rel: str, data: bytes, lines: bool) -> _Couche:
    import numpy as np
    import shapely
    doc = geo.load_json(rel, data)
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        kind = doc.get("type") if isinstance(doc, dict) else type(doc).__name__
        raise geo.GeoProblem(msg.FOND_COLLECTION_ATTENDUE.format(rel=rel, kind=kind))
    features = doc.get("features")
    if not isinstance(features, list):
        raise geo.GeoProblem(msg.FEATURECOLLECTION_DOIT_AVOIR_LISTE.format(rel=rel))
    if not features:
        raise geo.GeoProblem(msg.FEATURECOLLECTION_CONTIENT_AUCUNE_ENTITE.format(rel=rel))
    if len(features) > MAX_FEATURES:
        raise geo.GeoProblem(msg.FOND_TROP_ENTITES.format(rel=rel, n=len(features),
                                                         max=MAX_FEATURES))
    rings: list[tuple[str, list[Any]]] = []
    props: list[dict[str, Any]] = []
    sommets = 0
    for i, feat in enumerate(features):
        where = msg.ENTITE_FEATURES.format(rel=rel, rang=i + 1, index=i)
        if not isinstance(feat, dict) or feat.get("type") != "Feature":
            raise geo.GeoProblem(msg.OBJET_TYPE_FEATURE_ATTENDU.format(where=where))
        p = feat.get("properties")
        if not isinstance(p, dict):
            raise geo.GeoProblem(msg.FOND_PROPRIETES_ABSENTES.format(where=where))
        shape = _lines(where, feat.get("geometry")) if lines else geo.polygons_of(
            where, feat.get("geometry"))
        sommets += sum(len(r) for part in shape for r in part)
        if sommets > MAX_VERTICES:
            raise geo.GeoProblem(msg.FOND_TROP_SOMMETS.format(where=where, max=MAX_VERTICES))
        rings.append((where, shape))
        props.append(p)
    source = geo.crs_of(rel, doc, rings)
    epsg = geo.zone_of(rel, source, rings)
    array = _geometries([shape for _, shape in rings], lines)
    bad = np.flatnonzero(~shapely.is_valid(array))
    if len(bad):
        from shapely.validation import explain_validity

        where = rings[int(bad[0])][0]
        raise geo.GeoProblem(msg.FOND_GEOMETRIE_INVALIDE.format(
            where=where, raison=geo.validity(explain_validity(array[int(bad[0])]))))
    if source != epsg:
        t = geo.transformer(source, epsg)
        array = shapely.transform(array, lambda xy: geo.apply(t, xy))
        folded = np.flatnonzero(~shapely.is_valid(array))
        for k in folded:  # a reprojection may fold a sliver
            array[k] = shapely.make_valid(array[k])
    return _Couche(epsg, tuple((w, p, g) for (w, _), p, g in zip(rings, props, array)))


def _geometries(shapes: list[list[list[list[list[float]]]]], lines: bool) -> Any:
    """Every feature's geometry made at once from flat coordinates and offsets
    (shapely.from_ragged_array, in C): a polygon's rings or a line's points, a feature of one
    part as that part (a Polygon, a LineString), of several as their Multi… geometry."""
    import numpy as np
    import shapely

    coords: list[list[float]] = []
    rings, parts, features = [0], [0], [0]
    for shape in shapes:
        for part in shape:
            for ring in part:
                coords.extend(ring)
                rings.append(len(coords))
            parts.append(len(rings) - 1)
        features.append(len(parts) - 1)
    xy = np.array(coords, dtype=np.float64).reshape(-1, 2)
    offsets: tuple[list[int], ...]
    if lines:  # each line is one « ring »: the line offsets, then the features'
        kind, offsets = shapely.GeometryType.MULTILINESTRING, (rings, features)
    else:
        kind, offsets = shapely.GeometryType.MULTIPOLYGON, (rings, parts, features)
    array = shapely.from_ragged_array(kind, xy, tuple(np.array(o, dtype=np.int64)
                                                      for o in offsets))
    single = np.diff(np.array(features)) == 1
    array[single] = shapely.get_geometry(array[single], 0)
    return array


def _parse_polygons(rel: str, data: bytes) -> _Couche:
    return _parse(rel, data, lines=False)


def _parse_lines(rel: str, data: bytes) -> _Couche:
    return _parse(rel, data, lines=True)


def _lines(where: str, geom: Any) -> list[list[list[list[float]]]]:
    """The lines of a LineString or MultiLineString, each as [[points]] (the shape of a
    polygon's rings, so that geo's CRS and zone checks read them alike)."""
    if geom is None:
        raise geo.GeoProblem(msg.PAS_GEOMETRIE_GEOMETRY_VIDE.format(where=where))
    if not isinstance(geom, dict) or not isinstance(geom.get("type"), str):
        raise geo.GeoProblem(msg.GEOMETRIE_DOIT_ETRE_OBJET.format(where=where))
    kind, coords = geom["type"], geom.get("coordinates")
    if kind == "LineString":
        lines = [coords]
    elif kind == "MultiLineString" and isinstance(coords, list) and coords:
        lines = coords
    else:
        raise geo.GeoProblem(msg.FOND_GEOMETRIE_VOIE.format(where=where, kind=kind))
    out = []
    for n, line in enumerate(lines):
        what = f"{where}, ligne n° {n + 1}"
        if not isinstance(line, list):
            raise geo.GeoProblem(msg.LISTE_POSITIONS_ATTENDUE.format(what=what))
        pts = geo.positions(what, line)
        if len({tuple(p) for p in pts}) < 2:
            raise geo.GeoProblem(msg.FOND_LIGNE_COURTE.format(what=what))
        out.append([pts])
    return out


# ------------------------------------------------------------------ the checks of territoire.yaml

_SECTION = re.compile(r"^0?((?!0+$)[0-9A-Z]{1,2})$")  # « 0A » is « A »; « 00 » is none


def parcelles_notation(prefixe: str, section: str, numero: int) -> str:
    from ..parcelles import section_nom

    return f"{section_nom(prefixe, section)} n°\u00a0{numero}"


def _parcelles(couche: _Couche, insee: str, commune: str) -> tuple[Parcelle, ...]:
    out: list[Parcelle] = []
    seen: dict[str, int] = {}
    numbered: dict[tuple[str, str, int], int] = {}
    for rang, (where, p, geom) in enumerate(couche.entites, 1):
        for prop in ("id", "commune", "prefixe", "section", "numero", "contenance"):
            if prop not in p:
                raise geo.GeoProblem(msg.FOND_PROPRIETE_MANQUANTE.format(
                    where=where, prop=prop, sens=msg.FOND_SENS[prop],
                    presentes=_keys(p)))
        ident = p["id"]
        if not isinstance(ident, str) or not 1 <= len(ident) <= 32 or not ident.isprintable():
            raise _invalid(where, "id", ident)
        if str(p["commune"]) != insee:
            raise geo.GeoProblem(msg.FOND_AUTRE_COMMUNE.format(
                where=where, valeur=_shown(p["commune"]),
                commune=commune, insee=insee))
        prefixe = str(p["prefixe"]) if p["prefixe"] is not None else ""
        if not re.fullmatch(r"[0-9]{3}", prefixe):
            raise _invalid(where, "prefixe", p["prefixe"])
        section = _SECTION.match(str(p["section"]).strip().upper()) if isinstance(
            p["section"], str) else None
        if section is None:
            raise _invalid(where, "section", p["section"])
        numero = p["numero"]
        if isinstance(numero, str) and re.fullmatch(r"[0-9]{1,4}", numero.strip()):
            numero = int(numero)
        if isinstance(numero, bool) or not isinstance(numero, int) or not 1 <= numero <= 9999:
            raise _invalid(where, "numero", p["numero"])
        contenance = p["contenance"]
        if (isinstance(contenance, bool) or not isinstance(contenance, (int, float))
                or contenance != int(contenance) or not 0 <= contenance <= 10**9):
            raise _invalid(where, "contenance", contenance)
        if ident in seen:
            raise geo.GeoProblem(msg.FOND_PARCELLE_DOUBLE.format(where=where, id=ident,
                                                                 premier=seen[ident]))
        seen[ident] = rang
        number = (prefixe, section.group(1), numero)
        if number in numbered:  # one number, one parcel: the act names parcels by it
            raise geo.GeoProblem(msg.FOND_NUMERO_DOUBLE.format(
                where=where, numero=parcelles_notation(*number), premier=numbered[number]))
        numbered[number] = rang
        out.append(Parcelle(ident, prefixe, section.group(1), numero, int(contenance), geom))
    return tuple(sorted(out, key=lambda x: x.id))


def _voies(couche: _Couche, nom_voie: str) -> tuple[Voie, ...]:
    out = []
    for where, p, geom in couche.entites:
        if nom_voie not in p:
            raise geo.GeoProblem(msg.FOND_PROPRIETE_MANQUANTE.format(
                where=where, prop=nom_voie, sens=msg.FOND_NOM_VOIE_SENS, presentes=_keys(p)))
        nom = p[nom_voie]
        if nom is not None and not isinstance(nom, str):
            raise _invalid(where, nom_voie, nom, "nom_voie")
        nom = _lisible(nom) if nom else None
        out.append(Voie(nom or None, geom))
    return tuple(sorted(out, key=lambda v: (v.nom or "", v.geometrie.bounds)))


def _lisible(nom: str) -> str:
    """A road's name as a map prints it: without control or format characters (a direction
    override would turn it around, a NUL is no text), spaces folded, at most 120 characters."""
    import unicodedata

    kept = "".join(c for c in nom if not unicodedata.category(c).startswith("C") or c.isspace())
    return " ".join(kept.split())[:120]


def _keys(props: dict[str, Any]) -> str:
    """The first property names of a feature, as a message lists them (printable, short)."""
    return ", ".join(f"« {_shown(k)} »" for k in list(props)[:12]) or "aucune"


def _shown(value: Any) -> str:
    """A property's value as a message quotes it (between « »): a text as it is, else JSON."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return "".join(c for c in text if c.isprintable())[:40]


def _invalid(where: str, prop: str, value: Any, attendu: str | None = None) -> geo.GeoProblem:
    return geo.GeoProblem(msg.FOND_PROPRIETE_INVALIDE.format(
        where=where, prop=prop, valeur=_shown(value),
        attendu=msg.FOND_ATTENDU[attendu or prop]))


def read_fond(folder: Path, commune: Any) -> Fond:
    """The base layers of one commune of territoire.yaml (its `fond`), read and checked;
    GeoProblem (with the field it is about, as `champ`) otherwise. The same layers read again
    (the copies of a case included) give the same Fond, checked once: the maps and parcel
    lists computed on it are reused."""
    spec = commune.fond
    if spec.parcelles is not None and commune.code_insee is None:
        raise _at("code_insee", geo.GeoProblem(msg.FOND_SANS_INSEE.format(
            commune=f"« {commune.nom} »")))
    read = {champ: _read(folder, rel, parse, champ) for champ, rel, parse in (
        ("parcelles", spec.parcelles, _parse_polygons), ("batiments", spec.batiments,
                                                         _parse_polygons),
        ("voies", spec.voies, _parse_lines)) if rel is not None}
    epsgs = {c.epsg for c in read.values()}
    if len(epsgs) > 1:
        raise _at("fond", geo.GeoProblem(msg.PERIMETRE_ETEND_DEUX_ZONES.format(
            where=", ".join(f"« {r} »" for r in (spec.parcelles, spec.batiments, spec.voies)
                            if r))))
    key = (commune.id, commune.code_insee, commune.nom, spec,
           *((champ, id(c)) for champ, c in read.items()))
    hit = _fonds.get(key)
    if hit is not None:
        return hit[1]
    couche = read.get("parcelles")
    parcelles = _checked(lambda: _parcelles(couche, commune.code_insee, commune.nom),
                         "parcelles") if couche is not None else ()
    couche = read.get("batiments")
    batiments = tuple(sorted((g for _, _, g in couche.entites), key=lambda g: g.bounds)
                      ) if couche is not None else ()
    couche = read.get("voies")
    voies = _checked(lambda: _voies(couche, spec.nom_voie), "voies") if couche is not None else ()
    fond = Fond(commune.id, commune.code_insee, epsgs.pop() if epsgs else 2154, parcelles,
                batiments, voies, spec.source, spec.seuil, spec.listes_depuis)
    if len(_fonds) > 8:
        _fonds.clear()
    _fonds[key] = (list(read.values()), fond)  # the key's layers kept alive with it
    return fond


_fonds: dict[tuple[Any, ...], tuple[list[Any], Fond]] = {}


def _read(folder: Path, rel: str, parse: Any, champ: str) -> _Couche:
    try:
        couche: _Couche = geo.read_cached(folder, rel, MAX_BYTES, parse)
    except geo.GeoProblem as exc:
        raise _at(champ, exc) from None
    return couche


def _checked(make: Any, champ: str) -> Any:
    try:
        return make()
    except geo.GeoProblem as exc:
        raise _at(champ, exc) from None


def _at(champ: str, exc: geo.GeoProblem) -> geo.GeoProblem:
    located = geo.GeoProblem(str(exc))
    located.champ = champ  # type: ignore[attr-defined]
    return located


def check(folder: Path, commune: Any, here: Path_, f: CaseFile, report: Report) -> Fond | None:
    """A commune's base layers, or None with the problem reported at its field."""
    try:
        return read_fond(folder, commune)
    except geo.GeoProblem as exc:
        champ = getattr(exc, "champ", "fond")
        path = here + (champ,) if champ == "code_insee" else here + ("fond",) + (
            (champ,) if champ != "fond" else ())
        report.add(f, path, str(exc))
        return None


def collect(folder: Path, territoire: Any) -> dict[str, Fond]:
    """The base layers of every commune that has some, by commune id (a valid case)."""
    return {c.id: read_fond(folder, c) for c in territoire.territoire.communes
            if c.fond is not None}


def fichiers(territoire: Any) -> list[str]:
    """The layer files territoire.yaml points at (the files a build depends on)."""
    return [rel for c in territoire.territoire.communes if c.fond is not None
            for rel in (c.fond.parcelles, c.fond.batiments, c.fond.voies) if rel]


def check_covers(folder: Path, territoire: Any, secteur: Any, here: Path_, f: CaseFile,
                 report: Report) -> None:
    """A warning when the parcels of a secteur's commune and its perimeter do not meet (a
    layer of another place, or in coordinates taken for others): the act would otherwise say
    « aucune parcelle » of a secteur full of them."""
    commune = next((c for c in territoire.territoire.communes if c.id == secteur.commune), None)
    if (commune is None or commune.fond is None or not commune.fond.parcelles
            or not getattr(secteur, "perimetre", None)):
        return
    try:
        layers = read_fond(folder, commune)
        perimetre = geo.read_perimetre(folder, secteur.perimetre)
    except geo.GeoProblem:
        return  # reported at its own field
    from ..parcelles import touche

    if layers.epsg != perimetre.epsg or not touche(layers, perimetre.geometrie):
        report.add(f, here, msg.FOND_SANS_PARCELLE.format(rel=commune.fond.parcelles,
                                                         nom=secteur.nom), warn=True)
