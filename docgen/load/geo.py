"""LOAD for the perimeters of the secteurs d'intervention: GeoJSON files under the case's
assets/, read safely, checked (structure, geometry type, validity, CRS, France, size) and
projected to metres (Lambert-93 in metropolitan France, the local UTM overseas).

Every problem is a French sentence naming the file and the feature; the rules report it at
the YAML field (`perimetre`) that points at the file.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from .. import messages as msg
from .files import CaseFile, Report
from .yamlpos import Path_

MAX_BYTES = 5 * 1024 * 1024  # a commune's outline exported by QGIS is ~1 MB at most
MAX_VERTICES = 50_000  # a schematic map needs far fewer; beyond, simplify in QGIS
MAX_FEATURES = 1_000
MAX_DEPTH = 64  # JSON nesting: a GeoJSON needs 7

# (name, lon min, lat min, lon max, lat max, EPSG code of the metric CRS used for areas)
ZONES = (
    ("France métropolitaine", -5.8, 41.2, 10.0, 51.3, 2154),      # Lambert-93
    ("Guadeloupe", -61.9, 15.8, -60.9, 16.6, 5490),               # RGAF09 / UTM 20N
    ("Martinique", -61.3, 14.3, -60.7, 14.95, 5490),
    ("Guyane", -54.7, 2.0, -51.5, 6.0, 2972),                     # RGFG95 / UTM 22N
    ("La Réunion", 55.1, -21.5, 56.0, -20.8, 2975),               # RGR92 / UTM 40S
    ("Mayotte", 44.9, -13.1, 45.4, -12.5, 4471),                  # RGM04 / UTM 38S
    ("Saint-Pierre-et-Miquelon", -56.6, 46.7, -56.0, 47.2, 4467), # RGSPM06 / UTM 21N
)
# Lambert-93 coordinates of metropolitan France (with a margin): how EPSG:2154 is detected.
L93_BOX = (-400_000.0, 6_000_000.0, 1_400_000.0, 7_200_000.0)

_CRS_NAMES = {
    "EPSG:4326": 4326, "URN:OGC:DEF:CRS:EPSG::4326": 4326, "URN:OGC:DEF:CRS:OGC:1.3:CRS84": 4326,
    "URN:OGC:DEF:CRS:OGC::CRS84": 4326, "CRS84": 4326, "OGC:CRS84": 4326, "WGS84": 4326,
    "EPSG:2154": 2154, "URN:OGC:DEF:CRS:EPSG::2154": 2154, "IGNF:LAMB93": 2154,
}

_VALIDITY = msg.GEOS_REASONS


@dataclass(frozen=True)
class Perimetre:
    """A checked perimeter: its shapely geometry in metres and what it was read from."""

    fichier: str  # as written in the YAML (relative to the case folder)
    geometrie: Any  # shapely Polygon or MultiPolygon, in the metric CRS below
    epsg: int  # 2154 (Lambert-93) in metropolitan France, a UTM zone overseas
    source_epsg: int  # 4326 or 2154, as declared or detected
    entites: int
    sommets: int


class GeoProblem(Exception):
    """One reason a perimeter file is refused (a French sentence)."""


_cache: dict[tuple[Any, ...], Any] = {}
_cached_bytes = 0
CACHE_BYTES = 192 * 1024 * 1024  # what the cached readings were read from, at most


def _pyproj() -> Any:
    import pyproj
    import pyproj.network

    pyproj.network.set_network_enabled(False)  # no grid download: the bundled proj.db only
    return pyproj


def read_perimetre(folder: Path, rel: str) -> Perimetre:
    """Open <folder>/<rel> safely and check it; raise GeoProblem with the reason."""
    return read_cached(folder, rel, MAX_BYTES, _parse)


def read_cached(folder: Path, rel: str, limit: int, parse: Any) -> Any:
    """parse(rel, bytes) of the file <folder>/<rel> (under assets/, no symbolic link, a regular
    file of at most `limit` bytes), kept while the file is unchanged; GeoProblem otherwise."""
    target = safe_path(folder, rel)
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        raise GeoProblem(msg.FICHIER_INTROUVABLE_DOSSIER_TERRITOIRE.format(rel=rel)) from None
    except OSError as exc:
        raise GeoProblem(msg.FICHIER_ILLISIBLE.format(rel=rel, strerror=exc.strerror)) from None
    if stat.S_ISLNK(st.st_mode):
        raise GeoProblem(msg.LIEN_SYMBOLIQUE_COPIEZ_FICHIER.format(rel=rel))
    if not stat.S_ISREG(st.st_mode):
        raise GeoProblem(msg.PAS_FICHIER_ORDINAIRE.format(rel=rel))
    if st.st_size > limit:
        raise GeoProblem(msg.FICHIER_TROP_VOLUMINEUX_KO.format(
            rel=rel, st_size=st.st_size // 1024, MAX_BYTES=limit // 1024 // 1024))
    global _cached_bytes
    data = read_bytes(target, rel, limit)
    # by content: the copies of a case (a test's, the workspace's) share their reading
    key = (hashlib.sha256(data).digest(), rel, parse)
    hit = _cache.get(key)
    if hit is None:
        try:
            hit = parse(rel, data)
        except GeoProblem as exc:
            hit = exc
        if len(_cache) > 256 or _cached_bytes + len(data) > CACHE_BYTES:
            _cache.clear()
            _cached_bytes = 0
        _cache[key] = hit
        _cached_bytes += len(data)
    if isinstance(hit, GeoProblem):
        raise GeoProblem(str(hit))
    return hit


def safe_path(folder: Path, rel: str) -> Path:
    pure = PurePosixPath(rel)
    if pure.is_absolute() or "\\" in rel or ":" in rel.split("/")[0]:
        raise GeoProblem(msg.INDIQUEZ_CHEMIN_RELATIF_DOSSIER.format(rel=rel))
    if ".." in pure.parts:
        raise GeoProblem(msg.SORT_DOSSIER_TERRITOIRE_REFUSE.format(rel=rel))
    if not pure.parts or pure.parts[0] != "assets":
        raise GeoProblem(msg.PERIMETRES_PLACENT_DOSSIER_ASSETS.format(rel=rel))
    if pure.suffix.lower() not in (".geojson", ".json"):
        raise GeoProblem(msg.FICHIER_GEOJSON_GEOJSON_ATTENDU.format(rel=rel))
    here = Path(folder)
    # no component may be a symbolic link (a linked folder would lead out of the case)
    for part in pure.parts[:-1]:
        here = here / part
        try:
            if stat.S_ISLNK(os.lstat(here).st_mode):
                raise GeoProblem(msg.DOSSIER_LIEN_SYMBOLIQUE_COPIEZ.format(rel=rel, part=part))
        except FileNotFoundError:
            raise GeoProblem(msg.FICHIER_INTROUVABLE_DOSSIER_TERRITOIRE.format(rel=rel)) from None
    return here / pure.parts[-1]


def read_bytes(target: Path, rel: str, limit: int = MAX_BYTES) -> bytes:
    from .reading import NotRegular, read_regular

    try:
        data = read_regular(target, limit, follow=False)  # the file opened is the one checked
    except NotRegular:
        raise GeoProblem(msg.PAS_FICHIER_ORDINAIRE.format(rel=rel)) from None
    except OSError as exc:
        raise GeoProblem(msg.FICHIER_ILLISIBLE.format(rel=rel, strerror=exc.strerror)) from None
    if len(data) > limit:
        raise GeoProblem(msg.FICHIER_TROP_VOLUMINEUX_PLUS.format(
            rel=rel, MAX_BYTES=limit // 1024 // 1024))
    return data


def reject_constant(name: str) -> Any:
    raise ValueError(name)


def refused(exc: ValueError) -> str:
    """The value json.loads refused, as a message names it: NaN or Infinity (reject_constant),
    or a number too long for Python (its own message is English)."""
    text = str(exc)
    return text if text in ("NaN", "Infinity", "-Infinity") else msg.NOMBRE_TROP_LONG


def load_json(rel: str, data: bytes) -> Any:
    """The JSON value of a GeoJSON file's bytes: UTF-8, bounded nesting, no NaN or Infinity;
    GeoProblem with the reason (and the line and column of a syntax error) otherwise."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise GeoProblem(msg.PAS_TEXTE_UTF_PAS.format(rel=rel)) from None
    if depth_exceeds(text, MAX_DEPTH):
        raise GeoProblem(msg.STRUCTURE_JSON_TROP_PROFONDE.format(rel=rel, MAX_DEPTH=MAX_DEPTH))
    try:
        return json.loads(text, parse_constant=reject_constant)
    except json.JSONDecodeError as exc:
        raise GeoProblem(msg.PAS_FICHIER_JSON_VALIDE.format(
            rel=rel, lineno=exc.lineno, colno=exc.colno)) from None
    except ValueError as exc:
        raise GeoProblem(msg.VALEUR_REFUSEE_GEOJSON.format(rel=rel, exc=refused(exc))) from None


def _parse(rel: str, data: bytes) -> Perimetre:
    doc = load_json(rel, data)
    if not isinstance(doc, dict) or not isinstance(doc.get("type"), str):
        raise GeoProblem(msg.JSON_MAIS_PAS_GEOJSON.format(rel=rel))
    kind = doc["type"]
    if kind == "FeatureCollection":
        features = doc.get("features")
        if not isinstance(features, list):
            raise GeoProblem(msg.FEATURECOLLECTION_DOIT_AVOIR_LISTE.format(rel=rel))
        if not features:
            raise GeoProblem(msg.FEATURECOLLECTION_CONTIENT_AUCUNE_ENTITE.format(rel=rel))
        if len(features) > MAX_FEATURES:
            raise GeoProblem(msg.ENTITES_PLUS.format(
                rel=rel, features=len(features), MAX_FEATURES=MAX_FEATURES))
        geometries = []
        for i, feat in enumerate(features):
            where = msg.ENTITE_FEATURES.format(rel=rel, rang=i + 1, index=i)
            if not isinstance(feat, dict) or feat.get("type") != "Feature":
                raise GeoProblem(msg.OBJET_TYPE_FEATURE_ATTENDU.format(where=where))
            geometries.append((where, feat.get("geometry")))
    elif kind == "Feature":
        geometries = [(msg.ENTITE_UNIQUE.format(rel=rel), doc.get("geometry"))]
    elif kind in ("Polygon", "MultiPolygon", "Point", "MultiPoint", "LineString",
                  "MultiLineString", "GeometryCollection"):
        geometries = [(f"« {rel} »", doc)]
    else:
        raise GeoProblem(msg.TYPE_GEOJSON_INCONNU_ATTENDU.format(rel=rel, kind=kind))

    rings: list[tuple[str, list[list[list[list[float]]]]]] = []  # (where, polygons)
    sommets = 0
    for where, geom in geometries:
        polygons = polygons_of(where, geom)
        sommets += sum(len(r) for p in polygons for r in p)
        if sommets > MAX_VERTICES:
            raise GeoProblem(msg.TROP_SOMMETS_PLUS.format(
                where=where, MAX_VERTICES=MAX_VERTICES).replace("_", " ")
                             + msg.SIMPLIFIEZ_PERIMETRE_LOGICIEL_SIG)
        rings.append((where, polygons))

    source = crs_of(rel, doc, rings)
    epsg = zone_of(rel, source, rings)
    return _build(rel, rings, source, epsg, sommets)


_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')  # a JSON string, its escapes included
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def depth_exceeds(text: str, limit: int) -> bool:
    """True when brackets nest deeper than limit (json.loads would recurse that deep). The
    strings taken out, then everything but the brackets, the innermost pairs are removed once
    per level: at most `limit` passes of the C string functions over what is left, never a
    Python step per character. Unbalanced brackets (json.loads refuses them, saying where) are
    too deep only when more than `limit` of them open in a row."""
    nest = _NOT_BRACKET.sub("", _STRING.sub("", text))
    too_deep = re.compile(r"[\[{]{" + str(limit + 1) + "}")
    for _ in range(limit):  # a nesting of depth d is gone after exactly d passes
        if not nest:
            return False
        if too_deep.search(nest):
            return True
        shorter = nest.replace("[]", "").replace("{}", "")
        if len(shorter) == len(nest):
            return False  # unbalanced, and not deep: a syntax error json.loads reports
        nest = shorter
    return bool(nest)


def polygons_of(where: str, geom: Any) -> list[list[list[list[float]]]]:
    """The polygons of one Polygon or MultiPolygon, each a list of rings of [x, y]."""
    if geom is None:
        raise GeoProblem(msg.PAS_GEOMETRIE_GEOMETRY_VIDE.format(where=where))
    if not isinstance(geom, dict) or not isinstance(geom.get("type"), str):
        raise GeoProblem(msg.GEOMETRIE_DOIT_ETRE_OBJET.format(where=where))
    kind = geom["type"]
    coords = geom.get("coordinates")
    if kind == "Polygon":
        polys = [coords]
    elif kind == "MultiPolygon":
        if not isinstance(coords, list) or not coords:
            raise GeoProblem(msg.COORDINATES_MULTIPOLYGON_LISTE_POLYGONES.format(where=where))
        polys = coords
    else:
        raise GeoProblem(msg.GEOMETRIE_TYPE_PERIMETRE_SURFACE.format(where=where, kind=kind))
    out = []
    for p, poly in enumerate(polys):
        if not isinstance(poly, list) or not poly:
            raise GeoProblem(msg.POLYGONE_SANS_ANNEAU_COORDONNEES.format(where=where, p=p + 1))
        rings = []
        for r, ring in enumerate(poly):
            what = f"{where}, polygone n° {p + 1}, anneau n° {r + 1}"
            if not isinstance(ring, list):
                raise GeoProblem(msg.LISTE_POSITIONS_ATTENDUE.format(what=what))
            pts = positions(what, ring)
            if len(pts) < 4:
                raise GeoProblem(msg.POSITION_ANNEAU_DEMANDE_MOINS.format(what=what, pts=len(pts)))
            if pts[0] != pts[-1]:
                raise GeoProblem(msg.ANNEAU_NON_FERME_DERNIER.format(what=what))
            rings.append(pts)
        out.append(rings)
    return out


def positions(what: str, seq: list[Any]) -> list[list[float]]:
    """The [x, y] of a list of GeoJSON positions (a ring, a line), each checked: two or three
    finite numbers (int or float as JSON gives them; never a boolean)."""
    pts: list[list[float]] = []
    append, finite = pts.append, math.isfinite
    for pos in seq:
        if type(pos) is list and len(pos) >= 2:
            x, y = pos[0], pos[1]
            tx, ty = type(x), type(y)
            try:  # an integer of 400 digits overflows a float: invalid as well
                if ((tx is float or tx is int) and (ty is float or ty is int)
                        and (len(pos) == 2 or type(pos[2]) in _NUMBER)
                        and finite(x) and finite(y)):
                    append([float(x), float(y)])
                    continue
            except OverflowError:
                pass
        raise GeoProblem(msg.POSITION_INVALIDE_ATTENDU_NOMBRES.format(
            what=what, pos=json.dumps(pos)[:60]))
    return pts


_NUMBER = (int, float)  # exactly: bool is a subclass of int, and no coordinate


def crs_of(rel: str, doc: dict[str, Any], rings: list[Any]) -> int:
    """4326 or 2154: from the (2008) `crs` member when present, else from the coordinates."""
    declared = doc.get("crs")
    if declared is not None:
        name = None
        if isinstance(declared, dict):
            props = declared.get("properties")
            if isinstance(props, dict):
                name = props.get("name") or (
                    f"EPSG:{props['code']}" if "code" in props else None)
        code = _CRS_NAMES.get(str(name).strip().upper()) if name else None
        if code is None:
            shown = json.dumps(declared, ensure_ascii=False)[:120]
            raise GeoProblem(msg.SYSTEME_COORDONNEES_INCONNU_ATTENDUS.format(rel=rel, shown=shown))
        return code
    xs = [pt[0] for _, polys in rings for p in polys for r in p for pt in r]
    ys = [pt[1] for _, polys in rings for p in polys for r in p for pt in r]
    if all(-180 <= x <= 180 for x in xs) and all(-90 <= y <= 90 for y in ys):
        return 4326
    x0, y0, x1, y1 = L93_BOX
    if all(x0 <= x <= x1 for x in xs) and all(y0 <= y <= y1 for y in ys):
        return 2154
    raise GeoProblem(msg.SYSTEME_COORDONNEES_INCONNU_NI.format(rel=rel, xs=point(xs[0], ys[0])))


def point(x: float, y: float) -> str:
    return f"({x:.6g} ; {y:.6g})"


def zone_of(rel: str, source: int, rings: list[Any]) -> int:
    """The metric CRS of the zone of France every point lies in; refuse points outside."""
    if source == 2154:
        x0, y0, x1, y1 = L93_BOX
        for where, polys in rings:
            for p in polys:
                for r in p:
                    for x, y in r:
                        if not (x0 <= x <= x1 and y0 <= y <= y1):
                            hint = (msg.DEGRES_FICHIER_DECLARE_POURTANT
                                    if abs(x) <= 180 and abs(y) <= 90 else "")
                            raise GeoProblem(msg.POINT_HORS_FRANCE_METROPOLITAINE.format(
                                where=where, x=point(x, y), hint=hint))
        return 2154
    found: int | None = None
    for where, polys in rings:
        for p in polys:
            for r in p:
                for x, y in r:
                    zone = next((z for z in ZONES if z[1] <= x <= z[3] and z[2] <= y <= z[4]), None)
                    if zone is None:
                        swapped = any(z[1] <= y <= z[3] and z[2] <= x <= z[4] for z in ZONES)
                        hint = (msg.LONGITUDE_LATITUDE_SEMBLENT_INVERSEES if swapped else "")
                        raise GeoProblem(msg.POINT_LONGITUDE_LATITUDE_HORS.format(
                            where=where, x=point(x, y), hint=hint))
                    if found is None:
                        found = zone[5]
                    elif zone[5] != found:
                        raise GeoProblem(msg.PERIMETRE_ETEND_DEUX_ZONES.format(where=where))
    assert found is not None
    return found


def _build(rel: str, rings: list[Any], source: int, epsg: int, sommets: int) -> Perimetre:
    import shapely
    from shapely.geometry import MultiPolygon, Polygon
    from shapely.validation import explain_validity

    parts = []
    for where, polys in rings:
        shapes = [Polygon(p[0], p[1:]) for p in polys]
        geom = shapes[0] if len(shapes) == 1 else MultiPolygon(shapes)
        if not geom.is_valid:
            raise GeoProblem(msg.GEOMETRIE_INVALIDE_CORRIGEZ_LOGICIEL.format(
                where=where, geom=validity(explain_validity(geom))))
        if geom.area <= 0:
            raise GeoProblem(f"{where} : surface nulle.")
        parts.append(geom)
    merged = shapely.union_all(parts) if len(parts) > 1 else parts[0]
    if source != epsg:
        t = transformer(source, epsg)
        merged = shapely.transform(merged, lambda xy: apply(t, xy))
    if not merged.is_valid:  # a reprojection may fold a sliver
        merged = shapely.make_valid(merged)
    if merged.geom_type not in ("Polygon", "MultiPolygon"):
        merged = shapely.union_all([g for g in getattr(merged, "geoms", [merged])
                                    if g.geom_type in ("Polygon", "MultiPolygon")])
    return Perimetre(rel, merged, epsg, source, len(rings), sommets)


def validity(reason: str) -> str:
    """« Self-intersection[6.55 44.79] » → « le contour se recoupe près du point (6.55 ; 44.79) »."""
    head, _, rest = reason.partition("[")
    french = _VALIDITY.get(head.strip(), head.strip())
    nums = rest.rstrip("]").split()
    if len(nums) >= 2:
        try:
            return msg.PRES_POINT.format(french=french, nums=point(float(nums[0]), float(nums[1])))
        except ValueError:
            pass
    return french


_transformers: dict[tuple[int, int], Any] = {}


def transformer(source: int, target: int) -> Any:
    key = (source, target)
    if key not in _transformers:
        pyproj = _pyproj()
        _transformers[key] = pyproj.Transformer.from_crs(source, target, always_xy=True)
    return _transformers[key]


def apply(transformer: Any, xy: Any) -> Any:
    import numpy as np

    x, y = transformer.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])


def to_lonlat(geometry: Any, epsg: int) -> Any:
    """A metric geometry back in WGS 84 degrees (for the maps' graticule-free north check)."""
    import shapely

    t = transformer(epsg, 4326)
    return shapely.transform(geometry, lambda xy: apply(t, xy))


# ------------------------------------------------------------------ checks called by rules.py

def check_secteur(folder: Path, secteur: Any, here: Path_, f: CaseFile, report: Report,
                  *, require: bool = True) -> None:
    """A secteur is delimited by a perimeter file and/or a text; its file is checked."""
    perimetre = getattr(secteur, "perimetre", None)
    if require and perimetre is None and getattr(secteur, "delimitation", None) is None:
        report.add(f, here, msg.SECTEUR_PAS_DELIMITE_AJOUTEZ.format(nom=secteur.nom))
    if perimetre is not None:
        check_file(folder, perimetre, here + ("perimetre",), f, report)


def check_file(folder: Path, rel: str, here: Path_, f: CaseFile, report: Report) -> Perimetre | None:
    try:
        return read_perimetre(folder, rel)
    except GeoProblem as exc:
        report.add(f, here, str(exc))
        return None


def collect(folder: Path, territoire: Any, secteurs: list[Any]) -> dict[str, Perimetre]:
    """Every perimeter file a valid case points at, by the path written in the YAML."""
    out: dict[str, Perimetre] = {}
    rels = [c.perimetre for c in territoire.territoire.communes if c.perimetre]
    rels += [s.perimetre for s in secteurs if getattr(s, "perimetre", None)]
    for rel in rels:
        if rel not in out:
            out[rel] = read_perimetre(folder, rel)
    return out


def check_overlaps(folder: Path, secteurs: list[Any], here: Path_, f: CaseFile,
                   report: Report) -> None:
    """Two secteurs whose perimeters overlap (more than 1 m²): a warning, not an error."""
    shapes = []
    for s in secteurs:
        if getattr(s, "perimetre", None):
            try:
                shapes.append((s, read_perimetre(folder, s.perimetre).geometrie))
            except GeoProblem:
                continue  # already reported on its field
    for i, (a, ga) in enumerate(shapes):
        for b, gb in shapes[i + 1:]:
            if ga.intersects(gb):
                common = ga.intersection(gb).area
                if common > 1.0:
                    ha = f"{common / 10_000:.2f}".replace(".", ",")
                    report.add(f, here, msg.PERIMETRES_SECTEURS_CHEVAUCHENT_HA.format(
                        nom=a.nom, nom2=b.nom, ha=ha), warn=True)
