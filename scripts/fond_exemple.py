#!/usr/bin/env python3
"""ILLUSTRATIVE base layers of the example commune, L'Argentière-La Bessée (INSEE 05006).

Writes, in cases/pays-des-ecrins/assets/fond/, three GeoJSON files in WGS 84 (lon/lat, 7
decimals) shaped like the national exports their real counterparts come from:

- cadastre-05006-parcelles.json: one Polygon per parcel, properties as the Etalab cadastre
  export (id, commune, prefixe, section, numero, contenance, arpente, created, updated);
- cadastre-05006-batiments.json: building footprints (type « 01 » / « 02 », nom, commune, …);
- voies.geojson: road centre-lines with their name (`nom`, null for a few lanes) and `nature`.

None of it is real: a plausible small Alpine town drawn around the example's three secteurs
(assets/perimetres/), with a margin of ~250 m, so that each secteur's map has parcels, buildings
and named streets to its edges. The real layers (DGFiP cadastre, IGN BD TOPO) replace them in a
real case folder.

The town is laid out in a frame along the valley (u: metres along the N94, southwards; v:
metres across, eastwards): hand-placed main roads, then lanes splitting the blocks that are too
big for their density, then parcels cut in each block with street access, then one building per
parcel in the centre and fewer outside. Deterministic (fixed seed, no set of strings, sorted
outputs): the same bytes every run. Run from the project's root:

    .venv/bin/python scripts/fond_exemple.py
"""

from __future__ import annotations

import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import pyproj
import shapely
from shapely.geometry import LineString, Point, Polygon
from shapely.geometry.polygon import orient
from shapely.ops import split, substring, unary_union

SEED = 5006
INSEE = "05006"
ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "cases" / "pays-des-ecrins" / "assets"
OUT = ASSETS / "fond"
SECTEURS = ("centre-bourg", "la-bessee", "quartier-gare")
MARGIN = 260.0  # m kept around each secteur
MIN_PARCEL = 160.0  # m²
CREATED, UPDATED = "2019-01-01", "2024-01-01"
DESCRIPTION = (
    "DONNÉES ILLUSTRATIVES générées par scripts/fond_exemple.py pour le dossier d'exemple : "
    "ce n'est pas le cadastre de L'Argentière-La Bessée (DGFiP) ni la BD TOPO (IGN)."
)

TO_WGS = pyproj.Transformer.from_crs(2154, 4326, always_xy=True)
TO_L93 = pyproj.Transformer.from_crs(4326, 2154, always_xy=True)

# The valley frame: origin at La Bessée, u along the valley (south-south-east), v across (east).
ORIGIN = np.array([980843.0, 6417962.0])
AXIS_U = np.array([599.0, -1905.0]) / math.hypot(599.0, -1905.0)
AXIS_V = np.array([-AXIS_U[1], AXIS_U[0]])
U_MIN, U_MAX, V_MIN, V_MAX = -800.0, 2800.0, -720.0, 800.0  # where roads and blocks are drawn

# Density cores (u, v, radius m, weight): the old centre, La Bessée, the station.
CORES = ((1250.0, -40.0, 340.0, 1.0), (0.0, 0.0, 270.0, 0.85), (2000.0, 80.0, 210.0, 0.6))


def xy(u: float, v: float) -> tuple[float, float]:
    p = ORIGIN + u * AXIS_U + v * AXIS_V
    return float(p[0]), float(p[1])


def uv(x: float, y: float) -> tuple[float, float]:
    d = np.array([x, y]) - ORIGIN
    return float(d @ AXIS_U), float(d @ AXIS_V)


def n94_v(u: float) -> float:
    """Where the N94 runs across the valley (v) at u: the control points below, linearly."""
    us = [p[0] for p in N94]
    vs = [p[1] for p in N94]
    return float(np.interp(u, us, vs))


def density(x: float, y: float) -> float:
    """0 (outskirts) … 1 (the old centre's heart)."""
    u, v = uv(x, y)
    d = 0.0
    for cu, cv, r, w in CORES:
        d = max(d, w * math.exp(-((u - cu) ** 2 + (v - cv) ** 2) / r**2))
    ribbon = 0.38 * math.exp(-(((v - n94_v(u)) / 110.0) ** 2))  # houses along the N94
    return max(d, ribbon)


def lerp_log(a: float, b: float, t: float) -> float:
    return math.exp(math.log(a) + (math.log(b) - math.log(a)) * t)


# --- main roads --------------------------------------------------------------------------------
# (name, nature, half-width m, control points (u, v)). Ends that meet another road overshoot it
# by ~15 m: the overshoot is noded away and trimmed from the output.

N94 = [(-900, -10), (-500, -30), (-150, -10), (200, 15), (600, 20), (950, 0), (1250, -25),
       (1550, -45), (1850, -95), (2150, -110), (2500, -70), (2900, -40)]

MAIN_ROADS: list[tuple[str, str, float, list[tuple[float, float]]]] = [
    ("N94", "", 6.0, N94),
    ("Chemin de la Durance", "Chemin", 4.0,
     [(-900, 470), (-400, 455), (200, 480), (800, 465), (1400, 450), (2000, 470), (2900, 460)]),
    ("Chemin des Îles", "Chemin", 4.0,
     [(-900, 665), (0, 650), (1000, 675), (2000, 655), (2900, 665)]),
    ("Rue du Pont", "Route à 1 chaussée", 5.0, [(80, -15), (90, 300), (100, 685)]),
    ("Chemin du Fournel", "Chemin", 4.0,
     [(-900, -480), (-400, -470), (100, -500), (600, -470), (1015, -465)]),
    ("Chemin des Vignes", "Chemin", 4.0,
     [(985, -470), (1300, -500), (1800, -540), (2300, -520), (2900, -530)]),
    ("Chemin des Écoles", "Chemin", 4.0, [(1010, -135), (1000, -300), (990, -480), (985, -640)]),
    ("Rue des Mines", "Route à 1 chaussée", 5.0, [(880, 15), (875, -150), (868, -318)]),
    ("Rue du Docteur Roux", "Route à 1 chaussée", 5.0,
     [(860, -145), (1100, -165), (1350, -150), (1560, -140), (1650, -120), (1690, -42)]),
    ("Rue du Rocher", "Route à 1 chaussée", 5.0,
     [(585, -300), (900, -310), (1300, -335), (1700, -305), (2100, -285), (2270, -230),
      (2340, -150), (2375, -62)]),
    ("Rue Jean Moulin", "Route à 1 chaussée", 5.0,
     [(600, -490), (610, -200), (600, 0), (590, 200), (600, 490)]),
    ("Avenue Charles de Gaulle", "Route à 1 chaussée", 5.0,
     [(585, 160), (900, 150), (1200, 165), (1450, 150), (1540, 140), (1600, 85)]),
    ("Avenue de la Gare", "Route à 1 chaussée", 6.0,
     [(1300, -45), (1450, 40), (1600, 110), (1800, 150), (1960, 160), (2060, 150)]),
    ("Place de la Gare", "Route à 1 chaussée", 11.0, [(2060, 150), (2065, 215)]),
    ("Rue des Écrins", "Route à 1 chaussée", 5.0,
     [(585, 310), (1000, 320), (1500, 300), (2000, 330), (2500, 310), (2900, 300)]),
    ("Rue des Martinets", "Route à 1 chaussée", 5.0,
     [(-470, 170), (-100, 160), (250, 180), (615, 170)]),
    ("Rue de la Chapelle", "Route à 1 chaussée", 5.0,
     [(-470, -150), (-200, -140), (100, -160), (350, -130), (615, -140)]),
    ("Chemin de la Gyronde", "Chemin", 4.0,
     [(-450, -495), (-455, -150), (-450, 0), (-460, 200), (-450, 490)]),
    ("Route de Vallouise", "Route à 1 chaussée", 5.0,
     [(-190, 20), (-230, -160), (-300, -350), (-380, -520), (-480, -800)]),
    ("Place de la Mairie", "Route à 1 chaussée", 10.0, [(1180, -5), (1175, -92)]),
]
RIVER = [(-900, 545), (-300, 530), (300, 555), (900, 540), (1500, 530), (2100, 550), (2900, 540)]
RIVER_HALF_WIDTH = 17.0

# The N94's names along the valley (u from, u to, name, nature).
N94_NAMES = ((-1e9, 870.0, "Route nationale 94", "Route à 2 chaussées"),
             (870.0, 1660.0, "Avenue de la République", "Route à 1 chaussée"),
             (1660.0, 1e9, "Route nationale 94", "Route à 2 chaussées"))

# Names for the lanes the blocks are split by: streets in town, chemins outside.
URBAN_NAMES = (
    "Rue de l'Église", "Rue du Four", "Rue de la Fontaine", "Rue du Château", "Rue Pasteur",
    "Rue Victor Hugo", "Rue de la Poste", "Rue des Fabriques", "Rue Jules Ferry",
    "Rue du Moulin", "Rue Saint-Jacques", "Rue des Alpes", "Rue du Pelvoux", "Rue de l'Usine",
    "Rue Sainte-Barbe", "Rue des Mineurs", "Rue de la Fonderie", "Rue du Marché",
    "Rue de la Halle", "Rue de la Forge", "Rue des Tisserands", "Rue Saint-Roch",
    "Rue du Commerce", "Rue Jean Jaurès", "Rue Gambetta", "Rue du 8 Mai 1945",
    "Rue de la Liberté", "Rue du Presbytère", "Rue des Remparts", "Rue de la Libération",
    "Rue du Général Leclerc", "Rue Émile Zola", "Rue de Freissinières", "Rue du Vieux Pont",
    "Rue Frédéric Mistral", "Rue Alphonse Daudet", "Rue Jean Giono", "Rue Marie Curie",
    "Rue Lamartine", "Rue de Verdun", "Rue du 11 Novembre", "Rue des Combattants",
    "Allée des Tilleuls", "Rue du Stade", "Rue des Mélèzes", "Rue des Jardins",
    "Rue des Lavandes", "Allée des Bouleaux", "Allée des Érables", "Allée des Sorbiers",
    "Allée des Peupliers", "Allée des Pins", "Allée des Cerisiers", "Allée des Noyers",
    "Allée des Chamois", "Allée des Gentianes", "Allée des Aulnes", "Allée des Saules",
)
RURAL_NAMES = (
    "Chemin de Pralong", "Chemin du Villaret", "Chemin des Prés", "Chemin de la Tour",
    "Chemin des Sagnes", "Chemin de Champcella", "Chemin de la Combe", "Chemin du Bois",
    "Chemin des Clots", "Chemin de la Roche", "Chemin du Serre", "Chemin des Granges",
    "Chemin du Pré Long", "Chemin des Aupillous", "Chemin de l'Adroit", "Chemin de l'Ubac",
    "Chemin du Colombier", "Chemin des Combes", "Chemin du Clapier", "Chemin du Cimetière",
    "Chemin de la Scierie", "Chemin du Canal", "Chemin de l'Iscle", "Chemin des Vernes",
    "Chemin du Riou", "Chemin des Chazals", "Chemin de la Blâche", "Chemin des Baumes",
    "Chemin de la Pinée", "Chemin des Aires", "Chemin du Plan", "Chemin des Traverses",
    "Chemin de la Salle", "Chemin de Saint-Jean", "Chemin des Oches", "Chemin de la Bâtie",
    "Chemin du Pré Clos", "Chemin de la Croix", "Chemin de l'Oratoire", "Chemin des Moulins",
    "Chemin du Béal", "Chemin du Grand Béal", "Chemin des Adrets", "Chemin du Collet",
    "Chemin des Rochas", "Chemin des Terres Blanches", "Chemin de la Condamine",
    "Chemin des Chaumettes", "Chemin de la Sapinière", "Chemin du Lauzet", "Chemin des Ribes",
    "Chemin de la Fruitière", "Chemin du Rif", "Chemin des Casses", "Chemin de la Lauze",
    "Chemin de la Tuilerie", "Chemin des Essarts", "Chemin du Puy", "Chemin des Fonts",
    "Chemin de la Draye", "Chemin de la Valette", "Chemin des Sablières",
    "Chemin du Gravier", "Chemin des Pâquerets", "Chemin du Chazelet",
    "Chemin des Vergers", "Chemin de la Gravière", "Chemin du Pas", "Chemin des Hermes",
    "Chemin des Bons Enfants", "Chemin de la Charrière", "Chemin des Chanaux",
    "Chemin du Pré de la Cure", "Chemin des Jonquilles", "Chemin de la Loubière",
    "Chemin des Rivaux", "Chemin du Grand Champ", "Chemin de la Pra", "Chemin des Eaux Vives",
    "Chemin du Crouzet", "Chemin de la Moutière", "Chemin des Ramées", "Chemin du Sapet",
    "Chemin de la Fayolle", "Chemin des Bessons", "Chemin du Mas", "Chemin des Roubines",
    "Chemin de la Pierre Grosse", "Chemin du Peyron", "Chemin des Fourches",
    "Chemin de la Clapière", "Chemin des Estaches", "Chemin du Plan de Phazy",
)
IMPASSE_NAMES = (
    "Impasse des Jardins", "Impasse du Lavoir", "Impasse des Forges", "Impasse des Lilas",
    "Impasse du Torrent", "Impasse des Edelweiss", "Impasse des Marmottes", "Impasse du Verger",
    "Impasse des Rosiers", "Impasse du Puits", "Impasse des Écureuils", "Impasse des Chalets",
    "Impasse du Soleil", "Impasse des Genêts",
)


def catmull_rom(points: list[tuple[float, float]], step: float = 6.0) -> list[tuple[float, float]]:
    """A smooth curve through the points (u, v), one vertex every ~`step` metres."""
    p = np.array(points, dtype=float)
    ext = np.vstack([2 * p[0] - p[1], p, 2 * p[-1] - p[-2]])
    out = []
    for i in range(1, len(ext) - 2):
        p0, p1, p2, p3 = ext[i - 1], ext[i], ext[i + 1], ext[i + 2]
        n = max(2, int(math.ceil(np.linalg.norm(p2 - p1) / step)))
        for t in np.linspace(0.0, 1.0, n, endpoint=False):
            t2, t3 = t * t, t * t * t
            q = 0.5 * ((2 * p1) + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t2
                       + (-p0 + 3 * p1 - 3 * p2 + p3) * t3)
            out.append((float(q[0]), float(q[1])))
    out.append((float(p[-1][0]), float(p[-1][1])))
    return out


def to_xy_line(points_uv: list[tuple[float, float]]) -> LineString:
    return LineString([xy(u, v) for u, v in catmull_rom(points_uv)])


class Road:
    def __init__(self, nom: str | None, nature: str, half_width: float, line: LineString,
                 main: bool) -> None:
        self.nom, self.nature, self.half_width, self.line, self.main = (
            nom, nature, half_width, line, main)


def main_roads(rng: np.random.Generator) -> list[Road]:
    roads = []
    for name, nature, hw, pts in MAIN_ROADS:
        # a little hand-drawn irregularity on the inner control points
        jittered = [pts[0]] + [(u + rng.normal(0, 6), v + rng.normal(0, 6))
                               for u, v in pts[1:-1]] + [pts[-1]]
        if name != "N94":
            roads.append(Road(name, nature, hw, to_xy_line(jittered), True))
            continue
        dense = catmull_rom(jittered)
        for lo, hi, nom, nat in N94_NAMES:  # one road per name, sharing the cut vertex
            part = [p for p in dense if lo <= p[0] <= hi]
            idx = [i for i, p in enumerate(dense) if lo <= p[0] <= hi]
            if idx and idx[-1] + 1 < len(dense):
                part.append(dense[idx[-1] + 1])
            roads.append(Road(nom, nat, hw, LineString([xy(u, v) for u, v in part]), True))
    return roads


# --- geometry helpers --------------------------------------------------------------------------

def polygons(g) -> list[Polygon]:
    if g.is_empty:
        return []
    if isinstance(g, Polygon):
        return [g]
    return [p for p in getattr(g, "geoms", []) if isinstance(p, Polygon)] + [
        q for p in getattr(g, "geoms", []) if not isinstance(p, Polygon)
        for q in polygons(p)]


def axes(p: Polygon) -> tuple[np.ndarray, float, np.ndarray, float, np.ndarray]:
    """The oriented bounding box: long axis, its length, short axis, its length, centre."""
    rect = np.array(p.minimum_rotated_rectangle.exterior.coords)[:4]
    e1, e2 = rect[1] - rect[0], rect[2] - rect[1]
    l1, l2 = float(np.linalg.norm(e1)), float(np.linalg.norm(e2))
    centre = rect.mean(axis=0)
    if l1 < 1e-9 or l2 < 1e-9:
        return np.array([1.0, 0.0]), l1 + l2, np.array([0.0, 1.0]), 0.0, centre
    if l1 >= l2:
        return e1 / l1, l1, e2 / l2, l2, centre
    return e2 / l2, l2, e1 / l1, l1, centre


def rotate(vec: np.ndarray, angle: float) -> np.ndarray:
    c, s = math.cos(angle), math.sin(angle)
    return np.array([c * vec[0] - s * vec[1], s * vec[0] + c * vec[1]])


def half_plane(origin: np.ndarray, along: np.ndarray, normal: np.ndarray, s: float) -> Polygon:
    """Points whose offset along `normal` from `origin` is at most s."""
    r = 3000.0
    o = origin + normal * s
    return Polygon([o + along * r, o - along * r, o - along * r - normal * r,
                    o + along * r - normal * r])


def chord(face: Polygon, centre: np.ndarray, direction: np.ndarray) -> LineString | None:
    """The piece of the line through `centre` along `direction` inside `face` nearest centre."""
    line = LineString([centre - direction * 3000, centre + direction * 3000])
    inter = face.intersection(line)
    pieces = [g for g in getattr(inter, "geoms", [inter]) if isinstance(g, LineString)
              and not g.is_empty]
    if not pieces:
        return None
    c = Point(centre)
    return min(pieces, key=lambda g: g.distance(c))


def extended(seg: LineString, by: float) -> LineString:
    a, b = np.array(seg.coords[0]), np.array(seg.coords[-1])
    d = (b - a) / np.linalg.norm(b - a)
    return LineString([a - d * by, b + d * by])


# --- blocks and lanes --------------------------------------------------------------------------

def split_faces(faces: list[Polygon], rng: np.random.Generator,
                dead_ends: list) -> tuple[list, list, list]:
    """Split each face bigger than its density allows by straight lanes; then a few impasses.
    No lane nor impasse comes near a main road that ends inside a face (a place, a dead end)."""
    blocked = unary_union(dead_ends) if dead_ends else None

    def clear(seg: LineString) -> bool:
        return blocked is None or seg.distance(blocked) > 18.0

    out, lanes = [], []
    stack = list(reversed(faces))
    while stack:
        f = stack.pop()
        c = f.centroid
        d = density(c.x, c.y)
        limit = lerp_log(40000.0, 6500.0, d) * float(rng.uniform(0.8, 1.25))
        a, length, b, width, centre = axes(f)
        if f.area <= limit or length < 90.0:
            out.append(f)
            continue
        done = False
        for _ in range(8):
            t = float(rng.uniform(-0.15, 0.15))
            angle = math.radians(float(rng.normal(0.0, 7.0 + 6.0 * d)))
            direction = rotate(b, angle)
            seg = chord(f, centre + a * t * length, direction)
            if seg is None or seg.length < 15.0 or not clear(seg):
                continue
            parts = [p for p in polygons(split(f, extended(seg, 0.5))) if p.area > 1.0]
            if len(parts) < 2 or min(p.area for p in parts) < 0.22 * f.area:
                continue
            if min(axes(p)[3] for p in parts) < 28.0:
                continue
            lanes.append((seg, d))
            stack.extend(reversed(parts))
            done = True
            break
        if not done:
            out.append(f)
    impasses = []
    for f in out:
        c = f.centroid
        d = density(c.x, c.y)
        a, length, b, width, centre = axes(f)
        if d < 0.2 or width < 70.0 or f.area < 5000.0 or rng.uniform() > 0.3:
            continue
        side = 1.0 if rng.uniform() < 0.5 else -1.0
        seg = chord(f, centre, b * side)
        if seg is None:
            continue
        pts = [np.array(q) for q in seg.coords]
        entry = max(pts, key=lambda q: float((q - centre) @ (b * side)))
        tip = centre - b * side * (0.08 * width)
        lane = LineString([entry, tip])
        if lane.length > 25.0 and f.buffer(0.01).contains(lane) and clear(lane):
            impasses.append((lane, d))
    return out, lanes, impasses


# --- parcels -----------------------------------------------------------------------------------

def frontage(p: Polygon, street: object) -> float:
    return float(p.boundary.intersection(street).length)


def cut_offset(p: Polygon, centre: np.ndarray, along: np.ndarray, normal: np.ndarray,
               lo: float, hi: float, share: float) -> float:
    """The offset along `normal` leaving `share` of p's area on the low side (bisection)."""
    total = p.area
    for _ in range(14):
        mid = 0.5 * (lo + hi)
        if p.intersection(half_plane(centre, along, normal, mid)).area < share * total:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def subdivide(block: Polygon, target: float, depth: float, rng: np.random.Generator,
              jitter_deg: float) -> list[Polygon]:
    street = block.boundary.buffer(0.05)
    out = []
    stack = [block]
    while stack:
        p = stack.pop()
        if p.area <= target * float(rng.uniform(1.1, 1.45)):
            out.append(p)
            continue
        n = max(2, int(round(p.area / target)))
        a, length, b, width, centre = axes(p)
        # wide pieces first back to back (two rows), then across their length
        options = [(a, b), (b, a)] if width > 2.1 * depth else [(b, a), (a, b)]
        parent_front = frontage(p, street) > 3.0
        done = False
        for along, normal0 in options:
            for _attempt in range(3):
                ang = math.radians(float(rng.normal(0.0, jitter_deg)))
                along_r = rotate(along, ang)
                normal = np.array([-along_r[1], along_r[0]])
                if normal @ normal0 < 0:
                    normal = -normal
                k = n // 2
                share = k / n + float(rng.uniform(-0.06, 0.06)) / n
                ext = 0.75 * (length if normal0 is a else width) + 5.0
                s = cut_offset(p, centre, along_r, normal, -ext, ext, share)
                o = centre + normal * s
                line = LineString([o - along_r * 3000, o + along_r * 3000])
                parts = [q for q in polygons(split(p, line)) if q.area > 0.5]
                if len(parts) < 2:
                    continue
                if min(q.area for q in parts) < max(0.35 * target, MIN_PARCEL):
                    continue
                if parent_front and any(frontage(q, street) < 4.0 for q in parts):
                    continue
                stack.extend(parts)
                done = True
                break
            if done:
                break
        if not done:
            out.append(p)
    return out


def clean(p: Polygon) -> Polygon:
    return Polygon(shapely.remove_repeated_points(p, 0.02).exterior.coords)


# --- buildings ---------------------------------------------------------------------------------

def building_row(p: Polygon, street: object, rng: np.random.Generator) -> Polygon | None:
    """A town house: the parcel's front strip, set back from its sides."""
    front = p.boundary.intersection(street)
    if front.length < 4.0:
        return None
    deep = float(rng.uniform(9.0, 15.0))
    inner = p.buffer(-float(rng.uniform(0.6, 1.2)), join_style="mitre")
    b = inner.intersection(front.buffer(deep, cap_style="flat", join_style="mitre"))
    parts = polygons(b)
    if not parts:
        return None
    b = max(parts, key=lambda q: q.area)
    b = b.simplify(0.3)
    if not isinstance(b, Polygon) or b.area < 25.0 or not b.is_valid:
        return None
    return Polygon(b.exterior.coords)


def rectangle(centre: np.ndarray, along: np.ndarray, w: float, h: float) -> Polygon:
    n = np.array([-along[1], along[0]])
    return Polygon([centre + along * w / 2 + n * h / 2, centre - along * w / 2 + n * h / 2,
                    centre - along * w / 2 - n * h / 2, centre + along * w / 2 - n * h / 2])


def front_direction(p: Polygon, street: object) -> np.ndarray:
    front = p.boundary.intersection(street)
    lines = [g for g in getattr(front, "geoms", [front]) if isinstance(g, LineString)]
    if lines:
        g = max(lines, key=lambda q: q.length)
        a, b = np.array(g.coords[0]), np.array(g.coords[-1])
        if np.linalg.norm(b - a) > 2.0:
            return (b - a) / np.linalg.norm(b - a)
    return axes(p)[0]


def building_villa(p: Polygon, street: object, rng: np.random.Generator) -> list[Polygon]:
    """A detached house in its garden, and now and then a shed."""
    inner = p.buffer(-3.0)
    if inner.is_empty or inner.area < 40.0:
        return []
    along = front_direction(p, street)
    c = inner.centroid
    centre = np.array([c.x, c.y]) if inner.contains(c) else np.array(
        inner.representative_point().coords[0])
    w, h = float(rng.uniform(9.0, 15.0)), float(rng.uniform(7.0, 11.0))
    scale = min(1.0, math.sqrt(0.3 * p.area / (w * h)))
    w, h = w * scale, h * scale
    house = None
    for _ in range(6):
        r = rectangle(centre, along, w, h)
        if inner.contains(r):
            house = r
            break
        w, h = w * 0.85, h * 0.85
    if house is None or house.area < 30.0:
        return []
    out = [house]
    if rng.uniform() < 0.18:
        room = inner.difference(house.buffer(4.0))
        if not room.is_empty and room.area > 40.0:
            q = room.representative_point()
            shed = rectangle(np.array(q.coords[0]), along, float(rng.uniform(3.0, 5.0)),
                             float(rng.uniform(2.5, 4.0)))
            if inner.contains(shed) and not shed.intersects(house):
                out.append(shed)
    return out


# --- output ------------------------------------------------------------------------------------

def wgs_ring(coords) -> list[list[float]]:
    arr = np.array(coords)
    lon, lat = TO_WGS.transform(arr[:, 0], arr[:, 1])
    out: list[list[float]] = []
    for x, y in zip(lon, lat):
        q = [round(float(x), 7), round(float(y), 7)]
        if not out or q != out[-1]:
            out.append(q)
    if out[0] != out[-1]:
        out.append(out[0])
    return out


def wgs_polygon(p: Polygon) -> list[list[list[float]]]:
    p = orient(p, 1.0)
    return [wgs_ring(p.exterior.coords)] + [wgs_ring(r.coords) for r in p.interiors]


def wgs_line(g: LineString) -> list[list[float]]:
    arr = np.array(g.coords)
    lon, lat = TO_WGS.transform(arr[:, 0], arr[:, 1])
    out: list[list[float]] = []
    for x, y in zip(lon, lat):
        q = [round(float(x), 7), round(float(y), 7)]
        if not out or q != out[-1]:
            out.append(q)
    return out


def l93(coords_ring: list[list[float]]) -> list[tuple[float, float]]:
    arr = np.array(coords_ring)
    x, y = TO_L93.transform(arr[:, 0], arr[:, 1])
    return list(zip(x.tolist(), y.tolist()))


def write_collection(path: Path, name: str, features: list[dict]) -> None:
    head = {"type": "FeatureCollection", "name": name, "description": DESCRIPTION}
    text = json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1]
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    text += ',"features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.write_text(text, encoding="utf-8")


def read_secteur(name: str) -> Polygon:
    data = json.loads((ASSETS / "perimetres" / f"{name}.geojson").read_text(encoding="utf-8"))
    coords = data["features"][0]["geometry"]["coordinates"][0]
    crs = json.dumps(data.get("crs", {}))
    if "2154" in crs:
        return Polygon(coords)
    return Polygon(l93(coords))


# --- the town ----------------------------------------------------------------------------------

def main() -> int:
    start = time.perf_counter()
    rng = np.random.default_rng(SEED)
    secteurs = {s: read_secteur(s) for s in SECTEURS}
    keep = unary_union([g.buffer(MARGIN) for g in secteurs.values()]).convex_hull

    # 1. main roads and the river, their faces
    roads = main_roads(rng)
    frame = Polygon([xy(U_MIN, V_MIN), xy(U_MAX, V_MIN), xy(U_MAX, V_MAX), xy(U_MIN, V_MAX)])
    river = to_xy_line(RIVER).buffer(RIVER_HALF_WIDTH, cap_style="flat")
    net = unary_union([r.line for r in roads] + [frame.exterior])
    faces = []
    for f in shapely.get_parts(shapely.polygonize(shapely.get_parts(net))):
        if frame.contains(f.representative_point()):
            faces.extend(p for p in polygons(f.difference(river)) if p.area > 200.0)
    trim_overshoots(roads)  # the faces were drawn with them: polygonize drops the dangles
    faces.sort(key=lambda f: (round(uv(f.centroid.x, f.centroid.y)[0], 3),
                              round(uv(f.centroid.x, f.centroid.y)[1], 3)))

    # 2. lanes through the blocks too big for their place, impasses into a few
    small_faces, lanes, impasses = split_faces(faces, rng, dead_ends(roads, frame))
    for seg, d in lanes:
        roads.append(Road(None, "", 4.0 if d > 0.3 else 3.5, seg, False))
    for seg, _d in impasses:
        roads.append(Road("impasse", "", 3.5, seg, False))

    corridor_geoms = corridors(roads)
    corridors_tree = shapely.STRtree(corridor_geoms)

    # 3. blocks (faces less the road corridors), their section, their parcels
    keep_zone = keep.buffer(60.0)
    blocks = []
    for f in small_faces:
        if not f.intersects(keep_zone):
            continue
        near = [corridor_geoms[i] for i in corridors_tree.query(f)]
        rest = f.difference(unary_union(near)) if near else f
        for b in polygons(rest):
            if b.area >= MIN_PARCEL:  # smaller: a verge, not in the cadastre
                blocks.append((b, section_code(b)))
    blocks.sort(key=lambda t: (round(uv(t[0].centroid.x, t[0].centroid.y)[0], 3),
                               round(uv(t[0].centroid.x, t[0].centroid.y)[1], 3)))

    parcels = []  # (polygon, section, block index, position along the block, block)
    for bi, (b, section) in enumerate(blocks):
        c = b.centroid
        d = density(c.x, c.y)
        target = lerp_log(1700.0, 270.0, d) * float(math.exp(rng.normal(0.0, 0.15)))
        depth = 24.0 + 32.0 * (1.0 - d)
        if b.area < 1.4 * target:
            lots = [b]
        else:
            lots = subdivide(b, target, depth, rng, 2.5 + 4.0 * (1.0 - d))
        start_pt = max(b.exterior.coords, key=lambda q: (-uv(*q)[0], uv(*q)[1]))
        ring = LineString(b.exterior.coords)
        s0 = ring.project(Point(start_pt))
        for lot in lots:
            lot = clean(lot)
            if not keep.contains(lot.centroid):
                continue
            pos = (ring.project(lot.centroid) - s0) % ring.length
            parcels.append((lot, section, bi, pos, b))

    # 4. numbers: sections in their order, blocks north to south, lots along their block
    parcels.sort(key=lambda t: (SECTION_ORDER.index(t[1]), t[2], round(t[3], 3)))
    numbered, current, numero = [], None, 0
    for lot, section, _bi, _pos, block in parcels:
        if section != current:
            current, numero = section, 0
        numero += 1 + (int(rng.integers(1, 3)) if rng.uniform() < 0.035 else 0)
        numbered.append((lot, section, numero, block))

    parcel_features, parcel_l93 = [], []
    for lot, section, numero, _block in numbered:
        coords = wgs_polygon(lot)
        back = Polygon(l93(coords[0]))
        ident = f"{INSEE}000{section.rjust(2, '0')}{numero:04d}"
        contenance = int(round(back.area * (1.0 + float(rng.uniform(-0.015, 0.015)))))
        parcel_features.append({
            "type": "Feature", "id": ident,
            "geometry": {"type": "Polygon", "coordinates": coords},
            "properties": {"id": ident, "commune": INSEE, "prefixe": "000", "section": section,
                           "numero": str(numero), "contenance": contenance, "arpente": False,
                           "created": CREATED, "updated": UPDATED}})
        parcel_l93.append((ident, back, contenance, Polygon(coords[0]), section))

    # 5. buildings
    building_features, building_l93 = [], []
    for lot, _section, _numero, block in numbered:
        c = lot.centroid
        d = density(c.x, c.y)
        street = block.boundary.buffer(0.05)
        if rng.uniform() > 0.45 + 0.5 * d:
            continue
        found: list[tuple[Polygon, str]] = []
        if d > 0.5 and lot.area < 900.0:
            b = building_row(lot, street, rng)
            if b is not None:
                found.append((b, "01" if rng.uniform() < 0.95 else "02"))
        if not found:
            houses = building_villa(lot, street, rng)
            found = [(h, "01" if i == 0 else "02") for i, h in enumerate(houses)]
        for b, kind in found:
            coords = wgs_polygon(b)
            building_features.append({
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": coords},
                "properties": {"type": kind, "nom": None, "commune": INSEE,
                               "created": CREATED, "updated": UPDATED}})
            building_l93.append((Polygon(l93(coords[0])), lot))

    # 6. roads: names, split at crossings like the BD TOPO's sections, trimmed to the area
    name_roads(roads, rng, keep.buffer(40.0))
    road_features, road_l93 = road_sections(roads, keep.buffer(40.0))

    checks(parcel_l93, building_l93, road_l93, secteurs)

    OUT.mkdir(parents=True, exist_ok=True)
    write_collection(OUT / "cadastre-05006-parcelles.json",
                     "Parcelles cadastrales de L'Argentière-La Bessée (05006), ILLUSTRATIVES",
                     parcel_features)
    write_collection(OUT / "cadastre-05006-batiments.json",
                     "Bâtiments du cadastre de L'Argentière-La Bessée (05006), ILLUSTRATIFS",
                     building_features)
    write_collection(OUT / "voies.geojson",
                     "Voies de L'Argentière-La Bessée (axes nommés), ILLUSTRATIVES",
                     road_features)
    report(parcel_l93, building_features, road_features, secteurs, time.perf_counter() - start)
    return 0


# Sections: (u bounds, side of the N94) → code, numbered north to south, west then east; the
# east bank of the Durance is the old one-letter section B.
SECTION_BANDS = (-250.0, 250.0, 750.0, 1250.0, 1700.0, 2150.0)
SECTION_CODES = (("AB", "AC"), ("AD", "AE"), ("AH", "AI"), ("AK", "AL"), ("AM", "AN"),
                 ("AO", "AP"), ("AS", "AT"))
SECTION_ORDER = ["B"] + [c for pair in SECTION_CODES for c in pair]


def section_code(f: Polygon) -> str:
    """The section of a block: by where its centroid lies along the valley, west or east of
    the N94 (sections are unions of whole blocks, so their limits follow the roads)."""
    p = f.centroid if f.contains(f.centroid) else f.representative_point()
    u, v = uv(p.x, p.y)
    if v > float(np.interp(u, [q[0] for q in RIVER], [q[1] for q in RIVER])):
        return "B"
    band = int(np.searchsorted(SECTION_BANDS, u))
    return SECTION_CODES[band][0 if v < n94_v(u) else 1]


def name_roads(roads: list[Road], rng: np.random.Generator, zone) -> None:
    """Lanes that continue one another across a road (ends ≤ 16 m apart, within 25° of each
    other) make one street with one name; the centre's streets are named first; a few lanes in
    the outskirts stay unnamed."""
    lanes = [r for r in roads if not r.main and r.nom is None and r.line.intersects(zone)]
    ends = []  # (lane, point, outward direction)
    for i, r in enumerate(lanes):
        c = np.array(r.line.coords)
        for p, q in ((c[0], c[1]), (c[-1], c[-2])):
            ends.append((i, p, (p - q) / np.linalg.norm(p - q)))
    parent = list(range(len(lanes)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    cos_max = math.cos(math.radians(25.0))
    for k, (i, p, d) in enumerate(ends):
        for j, q, e in ends[k + 1:]:
            if i != j and np.linalg.norm(p - q) <= 16.0 and float(d @ -e) >= cos_max:
                parent[root(j)] = root(i)
    chains: dict[int, list[Road]] = {}
    for i, r in enumerate(lanes):
        chains.setdefault(root(i), []).append(r)
    order = sorted(chains.values(), key=lambda ch: -max(
        density(r.line.centroid.x, r.line.centroid.y) for r in ch))
    urban, rural = iter(URBAN_NAMES), iter(RURAL_NAMES)
    for chain in order:
        d = max(density(r.line.centroid.x, r.line.centroid.y) for r in chain)
        if d < 0.2 and rng.uniform() < 0.1:
            nom = None
        elif d >= 0.3:
            nom = next(urban, None) or next(rural, None)
        else:
            nom = next(rural, None) or next(urban, None)
        if nom is None:
            nature = "Chemin" if rng.uniform() < 0.75 else "Route empierrée"
        elif nom.startswith("Chemin"):
            nature = "Chemin" if rng.uniform() < 0.6 else "Route à 1 chaussée"
        else:
            nature = "Route à 1 chaussée"
        for r in chain:
            r.nom, r.nature = nom, nature
    impasses = [r for r in roads if r.nom == "impasse"]
    impasses.sort(key=lambda r: -density(r.line.centroid.x, r.line.centroid.y))
    inames = iter(IMPASSE_NAMES)
    for r in impasses:
        r.nom, r.nature = next(inames, None), "Route à 1 chaussée"
    for r in roads:
        if not r.main and r.nature == "":
            r.nom, r.nature = None, "Chemin"  # outside the area: clipped away


def corridors(roads: list[Road]) -> list:
    """Each road's corridor: flat at an end that meets another road (a disc no wider than the
    narrower of the two there, so that a wide place does not bite into the blocks across the
    road), round at a dead end."""
    lines = [r.line for r in roads]
    tree = shapely.STRtree(lines)
    out = []
    for i, r in enumerate(roads):
        g = r.line.buffer(r.half_width, cap_style="flat")
        for end in (Point(r.line.coords[0]), Point(r.line.coords[-1])):
            met = [roads[j].half_width for j in tree.query(end.buffer(0.5)) if j != i
                   and lines[j].distance(end) < 0.5]
            radius = min([r.half_width] + met)
            g = g.union(end.buffer(radius))
        out.append(g)
    return out


def dead_ends(roads: list[Road], frame: Polygon) -> list:
    """The main roads that end inside the drawn area without meeting another road."""
    lines = [r.line for r in roads]
    out = []
    for i, r in enumerate(roads):
        others = unary_union([g for j, g in enumerate(lines) if j != i])
        for end in (Point(r.line.coords[0]), Point(r.line.coords[-1])):
            if others.distance(end) > 0.5 and frame.buffer(-1.0).contains(end):
                out.append(r.line)
                break
    return out


def crossings(line: LineString, others: list) -> list[float]:
    """Where `line` meets the others, as distances along it, with its two ends."""
    cuts = {0.0, round(line.length, 6)}
    for o in others:
        for g in shapely.get_parts(line.intersection(o)):
            if g.is_empty:
                continue
            ends = [g] if g.geom_type == "Point" else [Point(g.coords[0]), Point(g.coords[-1])]
            for q in ends:
                cuts.add(round(line.project(q), 6))
    return sorted(cuts)


def trim_overshoots(roads: list[Road]) -> None:
    """The main roads' ends drawn past the road they meet (< 35 m beyond the last crossing,
    touching nothing) cut back to the crossing, before the corridors are drawn."""
    lines = [r.line for r in roads]
    tree = shapely.STRtree(lines)
    trimmed = []
    for i, r in enumerate(roads):
        others = [lines[j] for j in tree.query(r.line.buffer(1.0)) if j != i]
        stops = crossings(r.line, others)
        near = unary_union(others) if others else None
        lo, hi = stops[0], stops[-1]
        if len(stops) > 2 and stops[1] - lo < 35.0 and (
                near is None or near.distance(Point(r.line.coords[0])) > 0.5):
            lo = stops[1]
        if len(stops) > 2 and hi - stops[-2] < 35.0 and (
                near is None or near.distance(Point(r.line.coords[-1])) > 0.5):
            hi = stops[-2]
        trimmed.append(substring(r.line, lo, hi) if (lo, hi) != (stops[0], stops[-1])
                       else r.line)
    for r, line in zip(roads, trimmed):
        r.line = line


def road_sections(roads: list[Road], zone) -> tuple[list[dict], list]:
    """Each road cut at its crossings with the others, like the BD TOPO's sections, and clipped
    to the zone."""
    lines = [r.line for r in roads]
    tree = shapely.STRtree(lines)
    features, kept = [], []
    for i, r in enumerate(roads):
        others = [lines[j] for j in tree.query(r.line.buffer(1.0)) if j != i]
        stops = crossings(r.line, others)
        pieces = [substring(r.line, a, b) for a, b in zip(stops, stops[1:]) if b - a > 0.3]
        for p in pieces:
            clipped = p.intersection(zone)
            for g in shapely.get_parts(clipped):
                if g.geom_type == "LineString" and g.length > 5.0:
                    kept.append((r.nom, g))
                    features.append({
                        "type": "Feature",
                        "geometry": {"type": "LineString", "coordinates": wgs_line(g)},
                        "properties": {"nom": r.nom, "nature": r.nature}})
    return features, kept


def checks(parcels, buildings, roads, secteurs) -> None:
    problems = []
    ids = [p[0] for p in parcels]
    if len(set(ids)) != len(ids):
        problems.append("identifiants en double")
    geoms = [p[1] for p in parcels]
    for ident, g, contenance, wgs, _s in parcels:
        if not g.is_valid or not wgs.is_valid:
            problems.append(f"{ident} invalide")
        if abs(contenance - g.area) > 0.03 * g.area:
            problems.append(f"{ident} contenance {contenance} pour {g.area:.0f} m²")
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    for i, j in zip(left.tolist(), right.tolist()):
        if i < j:
            a = geoms[i].intersection(geoms[j]).area
            if a > 0.5:
                problems.append(f"{ids[i]} et {ids[j]} se chevauchent ({a:.2f} m²)")
    for _nom, line in roads:
        for i in tree.query(line, predicate="intersects").tolist():
            problems.append(f"la voie {_nom} traverse {ids[i]}")
    for b, lot in buildings:
        if not b.is_valid or b.difference(lot).area > 0.5:
            problems.append("bâtiment hors de sa parcelle ou invalide")
    for name, s in secteurs.items():
        inside = sum(1 for g in geoms if s.contains(g))
        cut = sum(1 for g in geoms if s.intersects(g) and not s.contains(g)
                  and s.intersection(g).area > 1.0)
        if inside < 30 or cut < 2:
            problems.append(f"{name}: {inside} parcelles dedans, {cut} coupées")
    if problems:
        sys.exit("\n".join(problems[:40]))


def report(parcels, buildings, roads, secteurs, seconds) -> None:
    from collections import Counter

    sections = Counter(p[4] for p in parcels)
    print(f"parcelles: {len(parcels)}; bâtiments: {len(buildings)}; voies: {len(roads)}")
    print("sections: " + ", ".join(f"{s} {sections[s]}" for s in SECTION_ORDER if s in sections))
    areas = np.array([p[1].area for p in parcels])
    print(f"surfaces: min {areas.min():.0f}, médiane {np.median(areas):.0f}, "
          f"max {areas.max():.0f} m²")
    for name, s in secteurs.items():
        inside = sum(1 for p in parcels if s.contains(p[1]))
        cut = sum(1 for p in parcels if s.intersects(p[1]) and not s.contains(p[1])
                  and s.intersection(p[1]).area > 1.0)
        print(f"{name}: {inside} parcelles entières, {cut} coupées")
    for f in sorted(OUT.iterdir()):
        print(f"{f.name}: {f.stat().st_size} octets")
    print(f"{seconds:.1f} s")


if __name__ == "__main__":
    raise SystemExit(main())
