"""Maps of the secteurs d'intervention, drawn offline as vector SVG (no tiles, no network).

The drawing is data-driven: the secteurs (their names, areas, geometries in metres), and the
words of the map (title, source line, north letter, description) passed in by the template.
The same SVG goes, rendered to PNG too, into the Word documents; a COPIL slide has its own,
drawn for its size on the slide (diapositive).
"""

from __future__ import annotations

import base64
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from typing import Any

from .. import perimetres as calc
from ..formatting import francais, nombre

# Okabe & Ito (2008), distinguishable with every common colour-vision deficiency; yellow last
# (weak on white), black kept for the commune boundary.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442")
COMMUNE = "#000000"
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"

WIDTH, HEIGHT = 1000, 720
FRAME = (20.0, 64.0, 700.0, 660.0)  # x0, y0, x1, y1 of the map itself
LEGEND_X = 720.0

# Advance widths of Liberation Sans (metric-compatible with Arial), in 1/1000 em.
_W_REGULAR = {191: "'", 222: "ijl’", 260: "|", 278: " !,./:;I[\\]ftÎÏîï", 333: "()-`r",
              334: "{}", 355: '"', 389: "*", 469: "^", 500: "Jcksvxyzç",
              556: "#$0123456789?L_abdeghnopquàâäéèêëôöùûü«»–", 584: "+<=>~", 611: "FTZ",
              667: "&ABEKPSVXYÀÂÄÉÈÊË", 722: "CDHNRUwÇÙÛÜ", 778: "GOQÔÖ", 833: "Mm", 889: "%",
              944: "Wœ", 1000: "Œ—…", 1015: "@"}
_W_BOLD = {238: "'", 278: " ,./I\\ijlÎÏîï’", 280: "|", 333: "!()-:;[]`ft", 389: "*r{}", 474: '"',
           500: "z", 556: "#$0123456789J_aceksvxyàâäçéèêë«»–", 584: "+<=>^~",
           611: "?FLTZbdghnopquôöùûü", 667: "EPSVXYÉÈÊË", 722: "&ABCDHKNRUÀÂÄÇÙÛÜ",
           778: "GOQwÔÖ", 833: "M", 889: "%m", 944: "Wœ", 975: "@", 1000: "Œ—…"}
_WIDTHS = {False: {c: w for w, cs in _W_REGULAR.items() for c in cs} | {"\u00a0": 278},
           True: {c: w for w, cs in _W_BOLD.items() for c in cs} | {"\u00a0": 278}}


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of a line of text in SVG units (unknown characters count as a wide letter)."""
    table = _WIDTHS[bold]
    return sum(table.get(c, 667) for c in text) * size / 1000


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box, gap: float = 0.0) -> bool:
        return not (self.x1 + gap <= other.x0 or other.x1 + gap <= self.x0
                    or self.y1 + gap <= other.y0 or other.y1 + gap <= self.y0)

    def inside(self, other: Box) -> bool:
        return (self.x0 >= other.x0 and self.y0 >= other.y0 and self.x1 <= other.x1
                and self.y1 <= other.y1)


def _text(value: str) -> str:
    """Text content of an SVG element, with the French typography of every printed value
    (typographic apostrophe, no-break spaces)."""
    return escape(francais(value), quote=False)


def _f(v: float) -> str:
    """Fixed precision: the same drawing gives the same bytes."""
    s = f"{v:.1f}"
    return "0.0" if s == "-0.0" else s


def _wrap(text: str, size: float, width: float, bold: bool = False) -> list[str]:
    words, lines, line = text.split(), [], ""
    for w in words:
        probe = f"{line} {w}".strip()
        if line and text_width(probe, size, bold) > width:
            lines.append(line)
            line = w
        else:
            line = probe
    if line:
        lines.append(line)
    return lines or [""]


class _View:
    """Metres → SVG units, north up, one scale in x and y, the extent centred in the frame (the
    Word maps' FRAME unless given)."""

    def __init__(self, extent: tuple[float, float, float, float],
                 frame: tuple[float, float, float, float] = FRAME) -> None:
        x0, y0, x1, y1 = extent
        self.frame = frame
        fx0, fy0, fx1, fy1 = frame
        self.k = min((fx1 - fx0) / (x1 - x0), (fy1 - fy0) / (y1 - y0))
        self.cx, self.cy = (x0 + x1) / 2, (y0 + y1) / 2
        self.fx, self.fy = (fx0 + fx1) / 2, (fy0 + fy1) / 2

    def xy(self, x: float, y: float) -> tuple[float, float]:
        return self.fx + (x - self.cx) * self.k, self.fy - (y - self.cy) * self.k

    def shape(self, geom: Any) -> Any:
        """The geometry in SVG units (for label collisions)."""
        import numpy as np
        import shapely

        def to_svg(xy: Any) -> Any:
            return np.column_stack([self.fx + (xy[:, 0] - self.cx) * self.k,
                                    self.fy - (xy[:, 1] - self.cy) * self.k])

        return shapely.transform(geom, to_svg)

    def window(self, margin: float) -> Any:
        """The frame, `margin` SVG units wider on each side, in metres (what can show)."""
        from shapely.geometry import box as sbox

        fx0, fy0, fx1, fy1 = self.frame
        half_w, half_h = (fx1 - fx0) / 2 + margin, (fy1 - fy0) / 2 + margin
        return sbox(self.cx - half_w / self.k, self.cy - half_h / self.k,
                    self.cx + half_w / self.k, self.cy + half_h / self.k)

    def lines(self, geom: Any) -> str:
        """Open lines (a boundary cut to the frame): no closing segment."""
        parts = []
        stack = [geom]
        while stack:
            g = stack.pop(0)
            if hasattr(g, "geoms"):
                stack[:0] = list(g.geoms)
            elif g.geom_type in ("LineString", "LinearRing") and not g.is_empty:
                pts = [self.xy(x, y) for x, y in g.coords]
                parts.append("M" + " L".join(f"{_f(a)} {_f(b)}" for a, b in pts))
        return " ".join(parts)

    def path(self, geom: Any) -> str:
        parts = []
        for poly in getattr(geom, "geoms", [geom]):
            for ring in [poly.exterior, *poly.interiors]:
                pts = [self.xy(x, y) for x, y in ring.coords]
                parts.append("M" + " L".join(f"{_f(a)} {_f(b)}" for a, b in pts[:-1]) + " Z")
        return " ".join(parts)


@lru_cache(maxsize=16)
def _transformers(epsg: int) -> tuple[Any, Any]:
    import pyproj
    import pyproj.network

    pyproj.network.set_network_enabled(False)  # the bundled proj.db only
    return (pyproj.Transformer.from_crs(epsg, 4326, always_xy=True),
            pyproj.Transformer.from_crs(4326, epsg, always_xy=True))


def _convergence(x: float, y: float, epsg: int) -> float:
    """Angle (degrees, clockwise from the map's up) of true north at (x, y)."""
    try:
        inv, fwd = _transformers(epsg)
        lon, lat = inv.transform(x, y)
        x2, y2 = fwd.transform(lon, lat + 0.01)
        return math.degrees(math.atan2(x2 - x, y2 - y))
    except Exception:  # pragma: no cover - a map without its exact convergence is still a map
        return 0.0


def _candidates(ax: float, ay: float, w: float, h: float) -> list[tuple[float, float]]:
    """Top-left corners of a w×h label around an anchor: centred first, then further out."""
    out = [(ax - w / 2, ay - h / 2)]
    for r in (1, 2, 3, 4, 6, 8, 11, 15):
        d = 14.0 * r
        for dx, dy in ((0, -1), (0, 1), (1, 0), (-1, 0), (1, -1), (-1, -1), (1, 1), (-1, 1)):
            cx = ax + dx * (d + (w / 2 if dx else 0))
            cy = ay + dy * (d + (h / 2 if dy else 0))
            out.append((cx - w / 2, cy - h / 2))
    return out


def place_labels(anchors: Sequence[tuple[float, float, float, float]], frame: Box,
                 reserved: Sequence[Box], shapes: Sequence[Any] = ()) -> list[Box]:
    """One box per (anchor x, anchor y, width, height), none overlapping another, none over a
    reserved area, inside the frame. A label sits on its anchor when it fits inside its own
    shape (shapes[i], in SVG units) without touching another; otherwise it goes to the first
    candidate around the anchor clear of every shape (a leader line then joins them), and
    failing that to the first free place of the frame."""
    from shapely.geometry import box as sbox

    placed: list[Box] = []
    for i, (ax, ay, w, h) in enumerate(anchors):
        own = shapes[i] if i < len(shapes) else None
        others = [g for j, g in enumerate(shapes) if j != i]

        def free(b: Box) -> bool:
            return b.inside(frame) and not any(b.overlaps(o, 3) for o in [*placed, *reserved])

        chosen = None
        for k, (x, y) in enumerate(_candidates(ax, ay, w, h)):
            b = Box(x, y, x + w, y + h)
            if not free(b):
                continue
            rect = sbox(b.x0, b.y0, b.x1, b.y1)
            if k == 0:
                if own is not None and own.contains(rect) and not any(rect.intersects(g) for g in others):
                    chosen = b
                    break
                continue
            if not any(rect.intersects(g) for g in shapes):
                chosen = b
                break
        if chosen is None:  # crowded: the free place nearest to the anchor, shapes or not
            grid = [Box(x, y, x + w, y + h)
                    for y in range(int(frame.y0) + 2, int(frame.y1 - h) - 1, 8)
                    for x in range(int(frame.x0) + 2, int(frame.x1 - w) - 1, 8)]
            ok = [b for b in grid if free(b)]
            if ok:
                chosen = min(ok, key=lambda b: (b.x0 + w / 2 - ax) ** 2 + (b.y0 + h / 2 - ay) ** 2)
            else:  # pragma: no cover - more labels than room: overlap rather than vanish
                chosen = Box(frame.x0 + 4, frame.y0 + 4, frame.x0 + 4 + w, frame.y0 + 4 + h)
        placed.append(chosen)
    return placed


# Base layers (the cadastre and the roads of the secteurs' communes, load/fond.py): drawn under
# the secteurs, cut to the frame, light enough for the secteurs to stay the subject.
PARCELLE_FOND, PARCELLE_TRAIT = "#efefea", "#b3b3b3"
BATI_FOND, BATI_TRAIT = "#d9d9d9", "#c4c4c4"
VOIE_BORD, VOIE_FOND = "#9a9a9a", "#ffffff"
VOIE_NOM = "#3a3a3a"
VOIE_TAILLE = 13.0  # font size of a road's name
_SIMPLIFIE = 0.3  # SVG units: the detail finer than this is not written


@dataclass(frozen=True)
class NomDeVoie:
    """A road's name as placed: its text, centre, angle (degrees, in (-90, 90]: never upside
    down), its box's size and the box itself (4 corners, SVG units)."""

    nom: str
    cx: float
    cy: float
    angle: float
    largeur: float
    hauteur: float
    coins: tuple[tuple[float, float], ...]


@dataclass
class _Couches:
    """What the base layers draw in one map's window, as SVG path data (each layer one path)."""

    parcelles: str = ""
    batiments: str = ""
    voies: str = ""
    # each named road: (its name, its lines in the frame, SVG units)
    noms: list[tuple[str, Any]] = field(default_factory=list)
    largeur_voie: float = 4.0

    @property
    def vide(self) -> bool:
        return not (self.parcelles or self.batiments or self.voies)


def fonds(secteurs: Sequence[dict[str, Any]]) -> list[Any]:
    """The base layers (load/fond.py `Fond`) of the communes of these secteurs, each once, when
    the case gives them."""
    seen: dict[str, Any] = {}
    for s in secteurs:
        f = s.get("fond")
        if f is not None and s["commune"] not in seen and all(f is not g for g in seen.values()):
            seen[s["commune"]] = f
    return list(seen.values())


def _array(geoms: Sequence[Any]) -> Any:
    import numpy as np

    arr = np.empty(len(geoms), dtype=object)
    arr[:] = list(geoms)
    return arr


@lru_cache(maxsize=16)
def _reprojection(source: int, cible: int) -> Any:
    import pyproj
    import pyproj.network

    pyproj.network.set_network_enabled(False)
    return pyproj.Transformer.from_crs(source, cible, always_xy=True)


def _in_crs(geoms: Any, source: int, cible: int) -> Any:
    """The geometries (an array) in the map's CRS, should a commune's layers be in another."""
    if source == cible or not len(geoms):
        return geoms
    import numpy as np
    import shapely

    t = _reprojection(source, cible)

    def fwd(xy: Any) -> Any:
        x, y = t.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geoms, fwd)


def _visible(geoms: Any, rect: tuple[float, float, float, float]
             ) -> list[tuple[int, tuple[float, ...], Any]]:
    """The geometries (an array) whose box meets `rect`: (index, box, the geometry cut to
    `rect`; one wholly inside is kept as it is), a bounding-box query, then clipping."""
    import numpy as np
    import shapely

    if not len(geoms):
        return []
    x0, y0, x1, y1 = rect
    b = shapely.bounds(geoms)
    meets = (b[:, 0] <= x1) & (b[:, 2] >= x0) & (b[:, 1] <= y1) & (b[:, 3] >= y0)
    idx = np.nonzero(meets)[0]
    out = geoms[idx].copy()
    bi = b[idx]
    cut = ~((bi[:, 0] >= x0) & (bi[:, 2] <= x1) & (bi[:, 1] >= y0) & (bi[:, 3] <= y1))
    if cut.any():
        out[cut] = shapely.clip_by_rect(out[cut], x0, y0, x1, y1)
    keep = ~shapely.is_empty(out)
    return list(zip(idx[keep].tolist(), map(tuple, bi[keep].tolist()), out[keep]))


def _sorted(items: list[Any], key: Any) -> list[Any]:
    """Sorted by `key`; items of the same key (twin boxes) by their geometry's WKB, last."""
    import shapely

    items = sorted(items, key=key)
    out, i = [], 0
    while i < len(items):
        j = i + 1
        while j < len(items) and key(items[j]) == key(items[i]):
            j += 1
        run = items[i:j]
        out.extend(run if len(run) == 1 else sorted(run, key=lambda t: shapely.to_wkb(t[-1])))
        i = j
    return out


def _tenths(v: Any) -> list[str]:
    """Integers of tenths written as _f writes a coordinate."""
    return [f"{q / 10:.1f}" for q in v.tolist()]


def _path_data(geoms: Any, closed: bool) -> str:
    """One path's data for every polygon ring (closed) or line (open) of these geometries, in
    SVG units, at _f's precision, points that fall on the previous one dropped."""
    import numpy as np
    import shapely

    if not len(geoms):
        return ""
    parts = shapely.get_parts(geoms)
    if closed:
        parts = parts[shapely.get_type_id(parts) == 3]  # polygons (a cut may leave lines)
        lines = shapely.get_rings(parts)
    else:
        lines = parts[np.isin(shapely.get_type_id(parts), (1, 2))]
    if not len(lines):
        return ""
    xy, which = shapely.get_coordinates(lines, return_index=True)
    q = np.rint(xy * 10).astype(np.int64)
    if closed:  # a ring's last point is its first: Z closes it
        last = np.r_[which[1:] != which[:-1], True]
        q, which = q[~last], which[~last]
    same = np.r_[False, (which[1:] == which[:-1]) & np.all(q[1:] == q[:-1], axis=1)]
    q, which = q[~same], which[~same]
    xs, ys = _tenths(q[:, 0]), _tenths(q[:, 1])
    starts = np.r_[0, np.nonzero(which[1:] != which[:-1])[0] + 1, len(which)]
    need = 3 if closed else 2
    out = []
    for a, b in zip(starts[:-1].tolist(), starts[1:].tolist()):
        if b - a < need:
            continue
        d = "M" + " L".join(f"{xs[i]} {ys[i]}" for i in range(a, b))
        out.append(d + " Z" if closed else d)
    return " ".join(out)


def _couches(fonds_: Sequence[Any], view: _View, epsg: int, frame: Box) -> _Couches:
    """The base layers in the window of this map: the parcels (by id), buildings (by their
    box) and roads (by name, then box) that show, each cut to the frame, in SVG units."""
    import shapely

    shows = view.window(6).bounds  # metres: a little beyond the frame, its clip hides the cut
    to_svg = view.shape
    parcelles: list[Any] = []
    batiments: list[tuple[Any, Any]] = []
    voies: list[tuple[str, Any, Any]] = []
    for f in fonds_:
        ps, vs = f.parcelles, f.voies
        geoms = _in_crs(_array([p.geometrie for p in ps]), f.epsg, epsg)
        parcelles += [(ps[i].id, b, g) for i, b, g in _visible(geoms, shows)]
        geoms = _in_crs(_array(f.batiments), f.epsg, epsg)
        batiments += [(b, g) for _, b, g in _visible(geoms, shows)]
        geoms = _in_crs(_array([v.geometrie for v in vs]), f.epsg, epsg)
        voies += [((vs[i].nom or "").strip(), b, g) for i, b, g in _visible(geoms, shows)]
    # the order of the input never shows: by id, by box, by name and box (WKB for a tie)
    parcelles = _sorted(parcelles, lambda t: (t[0], t[1]))
    batiments = _sorted(batiments, lambda t: t[0])
    voies = _sorted(voies, lambda t: (t[0], t[1]))

    def svg(geoms: list[Any]) -> Any:
        arr = to_svg(_array(geoms))
        return shapely.simplify(arr, _SIMPLIFIE) if len(arr) else arr

    out = _Couches()
    out.parcelles = _path_data(svg([g for _, _, g in parcelles]), True)
    out.batiments = _path_data(svg([g for _, g in batiments]), True)
    lines = svg([g for _, _, g in voies])
    out.voies = _path_data(lines, False)
    # a street some 8 m wide, drawn no thinner than reads at 16 cm (an overview's streets would
    # otherwise bury its blocks), no wider than a focus map's parcels allow
    out.largeur_voie = round(min(6.0, max(2.0, 8.0 * view.k)), 1)
    # named roads: each name's pieces merged into lines, cut to the frame (a label stays in it)
    inner = shapely.box(frame.x0, frame.y0, frame.x1, frame.y1)
    named: dict[str, list[Any]] = {}
    for (nom, _, _), g in zip(voies, lines):
        if nom:
            named.setdefault(nom, []).append(g)
    for nom, gs in named.items():
        merged = shapely.line_merge(shapely.intersection(shapely.union_all(_array(gs)), inner))
        if not merged.is_empty:
            out.noms.append((nom, merged))
    return out


def _stretches(line: Any, length: float, step: float) -> list[tuple[float, float, float, float,
                                                                    float, float]]:
    """The straight-enough stretches of a line (SVG units) long enough for a label: (deviation,
    distance of its middle to the line's middle, x0, y0, x1, y1 of its chord), best first."""
    import numpy as np

    pts = np.asarray(line.coords, dtype=float)
    if len(pts) < 2:
        return []
    seg = np.hypot(*np.diff(pts, axis=0).T)
    cum = np.r_[0.0, np.cumsum(seg)]
    total = float(cum[-1])
    if total < length:
        return []
    n = int((total - length) // step)
    slack = total - length - n * step
    starts = slack / 2 + step * np.arange(n + 1)  # centred on the line's middle

    def at(s: Any) -> Any:
        return np.column_stack([np.interp(s, cum, pts[:, 0]), np.interp(s, cum, pts[:, 1])])

    a, b = at(starts), at(starts + length)
    chord = b - a
    clen = np.hypot(chord[:, 0], chord[:, 1])
    tol = 0.3 * VOIE_TAILLE
    out = []
    for k in range(len(starts)):
        if clen[k] < 0.96 * length:
            continue
        inside = (cum > starts[k]) & (cum < starts[k] + length)
        if inside.any():
            v = pts[inside] - a[k]
            dev = float(np.max(np.abs(v[:, 0] * chord[k, 1] - v[:, 1] * chord[k, 0])) / clen[k])
        else:
            dev = 0.0
        if dev > tol:
            continue
        mid = abs(starts[k] + length / 2 - total / 2)
        out.append((round(dev), mid, *a[k].tolist(), *b[k].tolist()))
    out.sort(key=lambda t: (t[0], t[1]))
    return out


def _rotated(cx: float, cy: float, angle: float, w: float, h: float
             ) -> tuple[tuple[float, float], ...]:
    t = math.radians(angle)
    ux, uy, nx, ny = math.cos(t), math.sin(t), -math.sin(t), math.cos(t)
    return tuple((cx + sx * ux * w / 2 + sy * nx * h / 2, cy + sx * uy * w / 2 + sy * ny * h / 2)
                 for sx, sy in ((-1, -1), (1, -1), (1, 1), (-1, 1)))


def place_road_names(noms: Sequence[tuple[str, Any]], frame: Box, reserved: Sequence[Box],
                     size: float = VOIE_TAILLE, avoid: Any = None, spacing: float = 24.0,
                     obstacles: Sequence[Any] = ()) -> list[NomDeVoie]:
    """Each road's name (lines in SVG units) once, centred on a straight-enough stretch of it,
    along it, never upside down, inside the frame, clear of the reserved boxes and `spacing`
    away from every other name (parallel streets are not named in a stack); a stretch whose
    name would cross `avoid` (the secteurs' outlines) only when no other fits; `obstacles`
    (shapes in SVG units: the secteurs' leader lines) kept clear. The longest roads first (ties
    by name); a road with no such place stays unnamed."""
    from shapely.geometry import Polygon
    from shapely.geometry import box as sbox

    inner = sbox(frame.x0, frame.y0, frame.x1, frame.y1)
    taken: list[tuple[Any, float]] = [(sbox(b.x0, b.y0, b.x1, b.y1), 3.0) for b in reserved]
    taken += [(g, 3.0) for g in obstacles]
    bounds: list[tuple[float, float, float, float]] = [g.bounds for g, _ in taken]

    def free(poly: Any) -> bool:
        if not inner.contains(poly):
            return False
        x0, y0, x1, y1 = poly.bounds
        for (a0, b0, a1, b1), (g, gap) in zip(bounds, taken):
            if x0 - gap <= a1 and a0 <= x1 + gap and y0 - gap <= b1 and b0 <= y1 + gap \
                    and g.distance(poly) < gap:
                return False
        return True

    order = sorted(noms, key=lambda t: (-round(t[1].length, 1), t[0]))
    placed: list[NomDeVoie] = []
    h = size * 1.3
    for nom, lines in order:
        text = francais(nom)
        w = text_width(text, size) + size * 0.6
        pieces = sorted([g for g in getattr(lines, "geoms", [lines])
                         if g.geom_type == "LineString" and g.length >= w],
                        key=lambda g: (-round(g.length, 1), g.bounds))
        options = []  # every piece's stretches, best first
        for piece in pieces:
            for _, _, x0, y0, x1, y1 in _stretches(piece, w, max(4.0, w / 8)):
                angle = math.degrees(math.atan2(y1 - y0, x1 - x0))
                if angle > 90:
                    angle -= 180
                elif angle <= -90:
                    angle += 180
                angle = round(angle, 1)
                if angle <= -90:
                    angle = 90.0
                cx, cy = round((x0 + x1) / 2, 1), round((y0 + y1) / 2, 1)
                options.append((cx, cy, angle))
        found = None
        for crossing in (False, True):  # clear of the secteurs' outlines first
            for cx, cy, angle in options:
                coins = _rotated(cx, cy, angle, w, h)
                poly = Polygon(coins)
                if avoid is not None and poly.intersects(avoid) != crossing:
                    continue
                if free(poly):
                    found = NomDeVoie(nom, cx, cy, angle, w, h, coins)
                    break
            if found is not None or avoid is None:
                break
        if found is not None:
            placed.append(found)
            poly = Polygon(found.coins)
            taken.append((poly, spacing))
            bounds.append(poly.bounds)
    return placed

_drawn: dict[tuple[Any, ...], tuple[tuple[Any, ...], str]] = {}


def _couches_svg(base: _Couches, parcelle: float, bati: float, bord: float) -> list[str]:
    """The base layers under the secteurs: parcels, buildings, roads with their casing (the
    stroke widths: the acts' maps and the slide's map differ only there)."""
    out = []
    if base.parcelles:
        out.append(f'<path class="parcelles" d="{base.parcelles}" fill="{PARCELLE_FOND}" '
                   f'fill-rule="evenodd" stroke="{PARCELLE_TRAIT}" stroke-width="{parcelle:g}" '
                   'stroke-linejoin="round"/>')
    if base.batiments:
        out.append(f'<path class="batiments" d="{base.batiments}" fill="{BATI_FOND}" '
                   f'fill-rule="evenodd" stroke="{BATI_TRAIT}" stroke-width="{bati:g}"/>')
    if base.voies:
        w = base.largeur_voie
        for cls, col, width in (("voies-bord", VOIE_BORD, w + bord), ("voies", VOIE_FOND, w)):
            out.append(f'<path class="{cls}" d="{base.voies}" fill="none" stroke="{col}" '
                       f'stroke-width="{_f(width)}" stroke-linecap="round" '
                       'stroke-linejoin="round"/>')
    return out


def drawn(secteurs: Sequence[dict[str, Any]], titre: str, source: str, *,
          focus: str | None = None, nord: str = "N") -> str:
    """draw() with the commune boundaries and base layers of these secteurs, once per build:
    an act, its states and its redline show the same maps many times. The key holds what each
    secteur's drawing depends on (its name, area, and the geometry objects themselves, kept
    alive by the cache so that their identities are never reused)."""
    objects = tuple(o for s in secteurs for o in (s.get("perimetre"), s.get("contour_commune"),
                                                  s.get("fond")))
    key = (tuple((s["id"], s["nom"], s.get("hectares")) for s in secteurs),
           tuple(id(o) for o in objects), titre, source, focus, nord)
    hit = _drawn.get(key)
    if hit is None:
        if len(_drawn) > 64:
            _drawn.clear()
        hit = (objects, draw(secteurs, titre, source, focus=focus, nord=nord,
                             communes=contours(secteurs), fonds=fonds(secteurs)))
        _drawn[key] = hit
    return hit[1]


def draw(secteurs: Sequence[dict[str, Any]], titre: str, source: str, *, focus: str | None = None,
         nord: str = "N", communes: Sequence[Any] = (), fonds: Sequence[Any] = ()) -> str:
    """The SVG of a map: every secteur with a perimeter, each in its colour (its rank in the
    list, so the same secteur has the same colour on every map), labelled, in the legend;
    `focus` zooms on one secteur (the others stay, faded), the overview on the secteurs; the
    commune boundaries when given, cut to the frame; under them the base layers (`fonds`, the
    communes' load/fond.py `Fond`): parcels, buildings, roads and their names."""
    colours = {s["id"]: OKABE_ITO[i % len(OKABE_ITO)] for i, s in enumerate(secteurs)}
    shown = [s for s in secteurs if s.get("perimetre") is not None]
    bounds = [c.geometrie for c in communes]
    if focus is not None:
        target = [s for s in shown if s["id"] == focus]
        extent = calc.etendue([s["perimetre"].geometrie for s in target], marge=0.25)
    else:  # the secteurs, not the whole commune: its boundary stays, cut to the frame
        extent = calc.etendue([s["perimetre"].geometrie for s in shown] or bounds, marge=0.12)
    from shapely.geometry import box as sbox

    if focus is not None:  # neighbours: only what shows in the frame
        window = sbox(*extent)
        shown = [s for s in shown if s["id"] == focus or s["perimetre"].geometrie.intersects(window)]
        visible = {s["id"]: s["perimetre"].geometrie.intersection(window) for s in shown}
    else:
        visible = {s["id"]: s["perimetre"].geometrie for s in shown}
    view = _View(extent)
    frame = Box(*FRAME)
    epsg = shown[0]["perimetre"].epsg if shown else 2154
    base = _couches(fonds, view, epsg, frame) if fonds else _Couches()
    fill, fill_faded = ("0.35", "0.15") if base.vide else ("0.2", "0.1")
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
           f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{FONT}" role="img">',
           f"<title>{_text(titre)}</title>",
           f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
           f'<defs><clipPath id="cadre"><rect x="{_f(frame.x0)}" y="{_f(frame.y0)}" '
           f'width="{_f(frame.x1 - frame.x0)}" height="{_f(frame.y1 - frame.y0)}"/></clipPath>'
           "</defs>"]
    # title: one line, or two smaller ones
    lines = _wrap(titre, 24, WIDTH - 40, bold=True)
    tsize, ys = (24.0, [42.0]) if len(lines) == 1 else (19.0, [26.0, 50.0])
    for y, line in zip(ys, _wrap(titre, tsize, WIDTH - 40, bold=True)[:2]):
        out.append(f'<text class="titre" x="20" y="{_f(y)}" font-size="{tsize:g}" '
                   f'font-weight="bold" fill="#1a1a1a">{_text(line)}</text>')
    out.append(f'<rect x="{_f(frame.x0)}" y="{_f(frame.y0)}" width="{_f(frame.x1 - frame.x0)}" '
               f'height="{_f(frame.y1 - frame.y0)}" fill="#f7f7f4" stroke="#555" stroke-width="1"/>')
    out.append('<g clip-path="url(#cadre)">')
    out += _couches_svg(base, parcelle=0.6, bati=0.4, bord=1.6)
    shows = view.window(12)  # a boundary reaching far beyond a zoomed map is cut to it: its
    for c in communes:       # thousands of dashes out of sight cost every renderer time
        d = (view.path(c.geometrie) if shows.contains(c.geometrie)
             else view.lines(c.geometrie.boundary.intersection(shows)))
        if d:
            out.append(f'<path class="commune" d="{d}" fill="none" '
                       f'stroke="{COMMUNE}" stroke-width="1.6" stroke-dasharray="9 4 2 4"/>')
    order = sorted(shown, key=lambda s: s["id"] == focus)  # the focused secteur on top
    for s in order:
        faded = focus is not None and s["id"] != focus
        col = colours[s["id"]]
        out.append(f'<path class="secteur" data-secteur="{escape(s["id"])}" '
                   f'd="{view.path(s["perimetre"].geometrie)}" fill="{col}" '
                   f'fill-opacity="{fill_faded if faded else fill}" stroke="{col}" '
                   f'stroke-width="{"1.2" if faded else "2.5"}" stroke-linejoin="round"/>')
    out.append("</g>")
    names_at = len(out)  # the roads' names: over the secteurs, placed after their labels

    # furniture: north arrow (top right), scale bar (bottom left): reserved for labels
    nx, ny = frame.x1 - 40, frame.y0 + 18
    north = Box(nx - 22, ny - 6, nx + 22, ny + 62)
    width_m = (frame.x1 - frame.x0) / view.k
    metres = calc.echelle(width_m)
    bar = metres * view.k
    sx, sy = frame.x0 + 16, frame.y1 - 22
    scale_label = (f"{nombre(metres // 1000)}\u00a0km" if metres >= 1000
                   else f"{nombre(metres)}\u00a0m")
    scale = Box(sx - 6, sy - 26, sx + bar + 6 + text_width(scale_label, 16), sy + 14)
    angle = _convergence(view.cx, view.cy, epsg)
    out.append(f'<rect x="{_f(north.x0)}" y="{_f(north.y0)}" width="{_f(north.x1 - north.x0)}" '
               f'height="{_f(north.y1 - north.y0)}" fill="#ffffff" fill-opacity="0.85"/>')
    out.append(f'<g class="nord" transform="translate({_f(nx)} {_f(ny + 34)}) rotate({angle:.1f})">'
               '<path d="M0 -26 L10 8 L0 2 L-10 8 Z" fill="#1a1a1a"/>'
               f'<text x="0" y="24" font-size="16" font-weight="bold" text-anchor="middle" '
               f'fill="#1a1a1a">{_text(nord)}</text></g>')
    out.append(f'<rect x="{_f(scale.x0)}" y="{_f(scale.y0)}" width="{_f(scale.x1 - scale.x0)}" '
               f'height="{_f(scale.y1 - scale.y0)}" fill="#ffffff" fill-opacity="0.85"/>')
    half = bar / 2
    out.append(f'<g class="echelle" data-metres="{metres}" data-longueur="{_f(bar)}">'
               f'<rect x="{_f(sx)}" y="{_f(sy)}" width="{_f(half)}" height="6" fill="#1a1a1a"/>'
               f'<rect x="{_f(sx + half)}" y="{_f(sy)}" width="{_f(half)}" height="6" '
               'fill="#ffffff" stroke="#1a1a1a" stroke-width="1"/>'
               f'<text x="{_f(sx)}" y="{_f(sy - 6)}" font-size="16" fill="#1a1a1a">0</text>'
               f'<text x="{_f(sx + bar)}" y="{_f(sy - 6)}" font-size="16" text-anchor="middle" '
               f'fill="#1a1a1a">{_text(scale_label)}</text></g>')

    # labels: at a point inside each secteur, moved off when they would collide
    size = 18.0
    labelled = [s for s in shown if focus is None or s["id"] == focus] + [
        s for s in shown if focus is not None and s["id"] != focus]
    anchors, texts, shapes = [], [], []
    for s in labelled:
        ax, ay = view.xy(*calc.ancre(visible[s["id"]]))
        shapes.append(view.shape(visible[s["id"]]))
        lines = _wrap(s["nom"], size, 240, bold=True)
        w = max(text_width(line, size, True) for line in lines) + 8
        h = len(lines) * size * 1.2 + 6
        anchors.append((ax, ay, w, h))
        texts.append(lines)
    boxes = place_labels(anchors, Box(frame.x0 + 2, frame.y0 + 2, frame.x1 - 2, frame.y1 - 2),
                         [north, scale], shapes)
    leaders = []
    for s, (ax, ay, w, h), lines, b in zip(labelled, anchors, texts, boxes):
        faded = focus is not None and s["id"] != focus
        cx, cy = (b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2
        group = [f'<g class="etiquette" data-secteur="{escape(s["id"])}" '
                 f'data-boite="{_f(b.x0)} {_f(b.y0)} {_f(b.x1)} {_f(b.y1)}">']
        if not (b.x0 <= ax <= b.x1 and b.y0 <= ay <= b.y1):  # moved: a leader to its place
            ex = min(max(ax, b.x0), b.x1)
            ey = min(max(ay, b.y0), b.y1)
            leaders.append(((ax, ay), (ex, ey)))
            group.append(f'<line x1="{_f(ax)}" y1="{_f(ay)}" x2="{_f(ex)}" y2="{_f(ey)}" '
                         'stroke="#333" stroke-width="1"/>'
                         f'<circle cx="{_f(ax)}" cy="{_f(ay)}" r="2.5" fill="#333"/>')
        group.append(f'<rect x="{_f(b.x0)}" y="{_f(b.y0)}" width="{_f(w)}" height="{_f(h)}" '
                     f'rx="3" fill="#ffffff" fill-opacity="0.88" stroke="{colours[s["id"]]}" '
                     'stroke-width="1"/>')
        top = cy - (len(lines) - 1) * size * 1.2 / 2 + size * 0.35
        for i, line in enumerate(lines):
            group.append(f'<text x="{_f(cx)}" y="{_f(top + i * size * 1.2)}" font-size="{size:g}" '
                         f'font-weight="bold" text-anchor="middle" '
                         f'fill="{"#555555" if faded else "#1a1a1a"}">{_text(line)}</text>')
        group.append("</g>")
        out.extend(group)

    # the roads' names: along them, clear of the secteurs' labels and the furniture
    if base.noms:
        import shapely

        outlines = shapely.union_all(_array(
            [view.shape(g).boundary for g in visible.values()]))
        names = place_road_names(base.noms, Box(frame.x0 + 2, frame.y0 + 2, frame.x1 - 2,
                                                frame.y1 - 2), [north, scale, *boxes],
                                 avoid=outlines, obstacles=[
                                     shapely.LineString(ab).buffer(2.5) for ab in leaders])
        group = ['<g class="voies-noms">']
        for n in names:
            coins = " ".join(f"{_f(x)} {_f(y)}" for x, y in n.coins)
            group.append(f'<g class="voie-nom" data-voie="{escape(n.nom)}" '
                         f'data-angle="{n.angle:.1f}" data-boite="{coins}" '
                         f'transform="translate({_f(n.cx)} {_f(n.cy)}) rotate({n.angle:.1f})">'
                         f'<rect x="{_f(-n.largeur / 2)}" y="{_f(-n.hauteur / 2)}" '
                         f'width="{_f(n.largeur)}" height="{_f(n.hauteur)}" rx="2" '
                         'fill="#ffffff" fill-opacity="0.8"/>'
                         f'<text x="0" y="{_f(VOIE_TAILLE * 0.35)}" font-size="{VOIE_TAILLE:g}" '
                         f'text-anchor="middle" fill="{VOIE_NOM}">{_text(n.nom)}</text></g>')
        group.append("</g>")
        if names:
            out[names_at:names_at] = group

    # legend: one swatch per secteur shown, its name and area; then the commune boundary
    ly = frame.y0 + 6
    out.append('<g class="legende">')
    for s in shown:
        col = colours[s["id"]]
        faded = focus is not None and s["id"] != focus
        lines = _wrap(s["nom"], 17, WIDTH - LEGEND_X - 46, bold=not faded)
        out.append(f'<rect x="{_f(LEGEND_X)}" y="{_f(ly)}" width="26" height="18" fill="{col}" '
                   f'fill-opacity="{fill_faded if faded else fill}" stroke="{col}" '
                   'stroke-width="2"/>')
        weight = "normal" if faded else "bold"
        for i, line in enumerate(lines):
            out.append(f'<text class="legende-secteur" data-secteur="{escape(s["id"])}" '
                       f'x="{_f(LEGEND_X + 36)}" y="{_f(ly + 15 + i * 20)}" font-size="17" '
                       f'font-weight="{weight}" fill="#1a1a1a">{_text(line)}</text>')
        ha = s.get("hectares")
        if ha is not None:
            out.append(f'<text class="surface" data-secteur="{escape(s["id"])}" '
                       f'x="{_f(LEGEND_X + 36)}" y="{_f(ly + 15 + len(lines) * 20)}" '
                       f'font-size="16" fill="#333">{_text(nombre(ha, 1))}\u00a0ha</text>')
            ly += 20
        ly += 20 * len(lines) + 16
    window = sbox(*extent)
    for c in [c for c in communes if c.geometrie.boundary.intersects(window)][:1]:
        out.append(f'<line x1="{_f(LEGEND_X)}" y1="{_f(ly + 9)}" x2="{_f(LEGEND_X + 26)}" '
                   f'y2="{_f(ly + 9)}" stroke="{COMMUNE}" stroke-width="1.6" '
                   'stroke-dasharray="9 4 2 4"/>')
        lines = _wrap(c.nom, 17, WIDTH - LEGEND_X - 46)
        for i, line in enumerate(lines):
            out.append(f'<text x="{_f(LEGEND_X + 36)}" y="{_f(ly + 15 + i * 20)}" font-size="17" '
                       f'fill="#1a1a1a">{_text(line)}</text>')
        ly += 20 * len(lines) + 16
    # the base layers drawn in this window, each with a small swatch
    drawn = [(label, kind) for label, kind, d in (
        ("Parcelles cadastrales", "parcelles", base.parcelles),
        ("Bâtiments", "batiments", base.batiments), ("Voies", "voies", base.voies)) if d]
    for label, kind in drawn:
        if kind == "parcelles":
            swatch = (f'<rect x="{_f(LEGEND_X + 1)}" y="{_f(ly + 1)}" width="24" height="16" '
                      f'fill="{PARCELLE_FOND}" stroke="{PARCELLE_TRAIT}" stroke-width="1"/>')
        elif kind == "batiments":
            swatch = (f'<rect x="{_f(LEGEND_X + 5)}" y="{_f(ly + 3)}" width="16" height="12" '
                      f'fill="{BATI_FOND}" stroke="{BATI_TRAIT}" stroke-width="0.6"/>')
        else:
            swatch = "".join(
                f'<line x1="{_f(LEGEND_X + 3)}" y1="{_f(ly + 9)}" x2="{_f(LEGEND_X + 23)}" '
                f'y2="{_f(ly + 9)}" stroke="{col}" stroke-width="{_f(width)}" '
                'stroke-linecap="round"/>'
                for col, width in ((VOIE_BORD, base.largeur_voie + 1.6),
                                   (VOIE_FOND, base.largeur_voie)))
        out.append(f'<g class="legende-fond" data-couche="{kind}">{swatch}<text '
                   f'x="{_f(LEGEND_X + 36)}" y="{_f(ly + 15)}" font-size="17" '
                   f'fill="#1a1a1a">{_text(label)}</text></g>')
        ly += 28
    out.append("</g>")

    # source line, under the frame
    for i, line in enumerate(_wrap(source, 15, WIDTH - 40)[:2]):
        out.append(f'<text class="source" x="20" y="{_f(frame.y1 + 24 + 19 * i)}" font-size="15" '
                   f'fill="#333">{_text(line)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


# The map of a COPIL slide (issue 28): drawn for its place on the slide, one unit of the drawing
# one point as shown, every text legible from the back of a meeting room; no title (the slide
# has its own), the secteurs filling the frame, the legend beside or under the map.
D_ETIQUETTE = 16.0  # a secteur's label on the map (bold)
D_LEGENDE = 15.0  # a name in the legend (a secteur's bold)
D_TEXTE = 14.0  # areas, the scale, the north letter, the roads' names: never smaller
D_SOURCE = 12.0  # the source line
_D_MARGE = 0.05  # around the secteurs' union, a share of its larger side
_D_BORD = 1.0  # between the drawing's edge and what it draws
_D_ECART = 16.0  # between the map and its legend
_D_NOM, _D_SURFACE, _D_SOURCE = 18.0, 17.0, 14.5  # line heights
_D_PASTILLE = 32.0  # a legend entry's swatch and the gap after it


def _lignes(text: str, size: float, width: float, bold: bool = False) -> list[str]:
    """The text in French typography, wrapped at its ordinary spaces (a no-break space holds)."""
    words, lines, line = [w for w in francais(text).split(" ") if w], [], ""
    for w in words:
        probe = f"{line} {w}" if line else w
        if line and text_width(probe, size, bold) > width:
            lines.append(line)
            line = w
        else:
            line = probe
    if line:
        lines.append(line)
    return lines or [""]


def _n(v: float) -> str:
    """A size as given (the viewBox keeps the exact aspect)."""
    return format(float(v), ".10g")


@dataclass(frozen=True)
class _Entree:
    """One entry of the slide map's legend: a secteur (its colour, name, area) or the commune
    boundary; its name's lines as wrapped."""

    kind: str
    ident: str
    colour: str
    nom: str
    surface: str | None
    lignes: tuple[str, ...] = ()

    def wrapped(self, width: float) -> _Entree:
        bold = self.kind == "secteur"
        return _Entree(self.kind, self.ident, self.colour, self.nom, self.surface,
                       tuple(_lignes(self.nom, D_LEGENDE, width, bold)))

    @property
    def largeur(self) -> float:
        bold = self.kind == "secteur"
        w = max(text_width(x, D_LEGENDE, bold) for x in self.lignes)
        if self.surface:
            w = max(w, text_width(self.surface, D_TEXTE))
        return _D_PASTILLE + w

    @property
    def hauteur(self) -> float:
        return 13 + (len(self.lignes) - 1) * _D_NOM + (_D_SURFACE if self.surface else 0) + 5


@dataclass(frozen=True)
class _Mise:
    """A layout of the slide map: the map's frame, each legend entry's top-left corner, the
    source's lines and the baseline of its first."""

    cadre: Box
    entrees: tuple[tuple[_Entree, float, float], ...]
    source: tuple[str, ...]
    source_xy: tuple[float, float]


def _mises(entrees: Sequence[_Entree], source: str, largeur: float, hauteur: float
           ) -> list[_Mise]:
    """Every layout that fits: the legend in 1 to 3 columns on the right (the source under it,
    or across the bottom), or in a band at the bottom (the source its last lines)."""
    out: list[_Mise] = []
    b = _D_BORD
    natural = max([text_width(francais(e.nom), D_LEGENDE, e.kind == "secteur") for e in entrees]
                  + [text_width(e.surface, D_TEXTE) for e in entrees if e.surface] + [60.0])
    for cols in (1, 2, 3):
        gap = 12.0
        text_w = min(natural, (0.4 * largeur - cols * _D_PASTILLE - (cols - 1) * gap) / cols)
        if text_w < 90:
            continue
        wrapped = [e.wrapped(text_w) for e in entrees]
        col_w = max([e.largeur for e in wrapped] + [_D_PASTILLE + 60])
        legend_w = cols * col_w + (cols - 1) * gap
        x_legend = largeur - b - 2 - legend_w  # a little room: renderers round
        for under in (True, False):  # the source under the legend, or across the bottom
            lines = (_lignes(source, D_SOURCE, legend_w if under else largeur - 2 * b)
                     if source else [])
            source_h = len(lines) * _D_SOURCE + (6 if lines else 0)
            bottom = hauteur - b - (0 if under else source_h)
            limit = bottom - (source_h if under else 0)
            placed, col, y = [], 0, b
            for e in wrapped:
                if y > b and y + e.hauteur > limit:
                    col, y = col + 1, b
                placed.append((e, x_legend + col * (col_w + gap), y))
                y += e.hauteur + 8
            if col >= cols or y - 8 > limit:
                continue
            frame = Box(b, b, x_legend - _D_ECART, bottom)
            if under:
                sx, sy = x_legend, hauteur - b - 4 - (len(lines) - 1) * _D_SOURCE
            else:
                sx, sy = b, hauteur - b - 4 - (len(lines) - 1) * _D_SOURCE
            out.append(_Mise(frame, tuple(placed), tuple(lines), (sx, sy)))
    n = len(entrees)
    for per_row in range(n, 0, -1):  # the band: entries in rows of equal cells
        gap = 16.0
        cell = (largeur - 2 * b - (per_row - 1) * gap) / per_row
        if cell - _D_PASTILLE < 90:
            continue
        wrapped = [e.wrapped(cell - _D_PASTILLE) for e in entrees]
        rows = [wrapped[i:i + per_row] for i in range(0, n, per_row)]
        heights = [max(e.hauteur for e in r) for r in rows]
        lines = _lignes(source, D_SOURCE, largeur - 2 * b) if source else []
        band = sum(heights) + 8 * (len(rows) - 1) + len(lines) * _D_SOURCE + (4 if lines else 0)
        top = hauteur - b - band
        if top - _D_ECART < 0.4 * hauteur:
            continue
        placed, y = [], top
        for r, h in zip(rows, heights):
            placed += [(e, b + i * (cell + gap), y) for i, e in enumerate(r)]
            y += h + 8
        out.append(_Mise(Box(b, b, largeur - b, top - _D_ECART), tuple(placed), tuple(lines),
                         (b, hauteur - b - 4 - (len(lines) - 1) * _D_SOURCE)))
        break  # the most entries per row: the lowest band
    if not out:  # pragma: no cover - more secteurs than a slide holds: the band, overflowing
        lines = _lignes(source, D_SOURCE, largeur - 2 * b) if source else []
        out.append(_Mise(Box(b, b, largeur - b, hauteur / 2), tuple(
            (e.wrapped(largeur / 3), b + (i % 3) * largeur / 3, hauteur / 2 + 16 + (i // 3) * 40)
            for i, e in enumerate(entrees)), tuple(lines), (b, hauteur - b - 4)))
    return out


_diapositives: dict[tuple[Any, ...], tuple[tuple[Any, ...], str]] = {}


def diapositive(secteurs: Sequence[dict[str, Any]], largeur_pt: float, hauteur_pt: float,
                source: str, nord: str = "N") -> str:
    """The SVG of the secteurs' map for a slide, to be shown `largeur_pt` × `hauteur_pt` points
    (its viewBox, one unit a point): draw_diapositive() with the commune boundaries and base
    layers of these secteurs, once per build (the key as drawn()'s)."""
    objects = tuple(o for s in secteurs for o in (s.get("perimetre"), s.get("contour_commune"),
                                                  s.get("fond")))
    key = (tuple((s["id"], s["nom"], s.get("hectares")) for s in secteurs),
           tuple(id(o) for o in objects), float(largeur_pt), float(hauteur_pt), source, nord)
    hit = _diapositives.get(key)
    if hit is None:
        if len(_diapositives) > 16:
            _diapositives.clear()
        hit = (objects, draw_diapositive(secteurs, largeur_pt, hauteur_pt, source, nord=nord,
                                         communes=contours(secteurs), fonds=fonds(secteurs)))
        _diapositives[key] = hit
    return hit[1]


def draw_diapositive(secteurs: Sequence[dict[str, Any]], largeur_pt: float, hauteur_pt: float,
                     source: str, *, nord: str = "N", communes: Sequence[Any] = (),
                     fonds: Sequence[Any] = ()) -> str:
    """The map of a slide: the secteurs (colours as in draw()) filling the map's frame, the
    commune boundaries cut to it, the base layers under them; the legend (each secteur's swatch,
    name and area, then the commune boundary) on the right or in a band at the bottom, whichever
    leaves the map larger; the north arrow and the scale bar in corners clear of the secteurs;
    `source` (nothing when empty) at 12 pt in the bottom corner. Every other text 14 pt or more
    as shown, no text over another; no title."""
    import shapely
    from shapely.geometry import box as sbox

    W, H = float(largeur_pt), float(hauteur_pt)
    colours = {s["id"]: OKABE_ITO[i % len(OKABE_ITO)] for i, s in enumerate(secteurs)}
    shown = [s for s in secteurs if s.get("perimetre") is not None]
    geoms = [s["perimetre"].geometrie for s in shown] or [c.geometrie for c in communes]
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(W)}pt" height="{_n(H)}pt" '
           f'viewBox="0 0 {_n(W)} {_n(H)}" font-family="{FONT}" role="img">',
           f'<rect class="fond-diapositive" width="{_n(W)}" height="{_n(H)}" fill="#ffffff"/>']
    if not geoms:  # pragma: no cover - nothing to map (the template asks disponible() first)
        return "\n".join([*out, "</svg>"]) + "\n"
    extent = calc.etendue(geoms, marge=_D_MARGE)
    ew, eh = extent[2] - extent[0], extent[3] - extent[1]
    entrees = [_Entree("secteur", s["id"], colours[s["id"]], s["nom"],
                       None if s.get("hectares") is None
                       else francais(f"{nombre(s['hectares'], 1)}\u00a0ha")) for s in shown]

    def scale(m: _Mise) -> float:
        c = m.cadre
        return min((c.x1 - c.x0) / ew, (c.y1 - c.y0) / eh)

    def layout(entries: list[_Entree]) -> tuple[_Mise, _View]:
        m = max(_mises(entries, source, W, H), key=scale)  # the first of the largest
        c = m.cadre
        return m, _View(extent, (c.x0, c.y0, c.x1, c.y1))

    mise, view = layout(entrees)
    # the commune boundary in the legend when it shows; the legend with it leaves a little less
    # room to the map: the boundary listed only if it still shows
    bounded = [c for c in communes if c.geometrie.boundary.intersects(view.window(0))][:1]
    if bounded:
        c = bounded[0]
        mise2, view2 = layout([*entrees, _Entree("commune", c.nom, COMMUNE, c.nom, None)])
        if not c.geometrie.boundary.intersects(view2.window(0)):
            mise2 = _Mise(mise2.cadre, tuple(e for e in mise2.entrees if e[0].kind != "commune"),
                          mise2.source, mise2.source_xy)
        mise, view = mise2, view2
    frame = mise.cadre
    visible = {s["id"]: s["perimetre"].geometrie for s in shown}
    epsg = shown[0]["perimetre"].epsg if shown else 2154
    base = _couches(fonds, view, epsg, frame) if fonds else _Couches()
    # a street some 8 m wide, between 1 and 3 points on the slide
    base.largeur_voie = round(min(3.0, max(1.0, 8.0 * view.k)), 1)
    fill = "0.35" if base.vide else "0.22"
    out.append(f'<defs><clipPath id="cadre-diapositive"><rect x="{_f(frame.x0)}" '
               f'y="{_f(frame.y0)}" width="{_f(frame.x1 - frame.x0)}" '
               f'height="{_f(frame.y1 - frame.y0)}"/></clipPath></defs>')
    out.append(f'<rect class="cadre" x="{_f(frame.x0)}" y="{_f(frame.y0)}" '
               f'width="{_f(frame.x1 - frame.x0)}" height="{_f(frame.y1 - frame.y0)}" '
               'fill="#f7f7f4" stroke="#555" stroke-width="0.8"/>')
    out.append('<g clip-path="url(#cadre-diapositive)">')
    out += _couches_svg(base, parcelle=0.4, bati=0.3, bord=1.0)  # finer at slide size
    shows = view.window(12)
    for c in communes:
        d = (view.path(c.geometrie) if shows.contains(c.geometrie)
             else view.lines(c.geometrie.boundary.intersection(shows)))
        if d:
            out.append(f'<path class="commune" d="{d}" fill="none" stroke="{COMMUNE}" '
                       'stroke-width="1.4" stroke-dasharray="8 3.5 2 3.5"/>')
    for s in shown:
        col = colours[s["id"]]
        out.append(f'<path class="secteur" data-secteur="{escape(s["id"])}" '
                   f'd="{view.path(s["perimetre"].geometrie)}" fill="{col}" '
                   f'fill-opacity="{fill}" stroke="{col}" stroke-width="2" '
                   'stroke-linejoin="round"/>')
    out.append("</g>")
    names_at = len(out)

    # furniture: the north arrow and the scale bar, each in the first corner clear of the
    # secteurs (the north top right first, the scale bottom left first)
    shapes = [view.shape(visible[s["id"]]) for s in shown]
    covered = shapely.union_all(_array(shapes)) if shapes else None
    inset = 6.0

    def corner(w: float, h: float, order: str, taken: Sequence[Box]) -> Box:
        spots = {"tr": (frame.x1 - inset - w, frame.y0 + inset),
                 "tl": (frame.x0 + inset, frame.y0 + inset),
                 "br": (frame.x1 - inset - w, frame.y1 - inset - h),
                 "bl": (frame.x0 + inset, frame.y1 - inset - h)}
        boxes = [Box(x, y, x + w, y + h) for x, y in (spots[k] for k in order.split())]
        for b in boxes:
            clear = covered is None or not covered.intersects(sbox(b.x0, b.y0, b.x1, b.y1))
            if clear and not any(b.overlaps(t, 4) for t in taken):
                return b
        return next((b for b in boxes if not any(b.overlaps(t, 4) for t in taken)), boxes[0])

    north = corner(32.0, 54.0, "tr tl br bl", [])
    nx, ny = (north.x0 + north.x1) / 2, north.y0 + 26
    angle = _convergence(view.cx, view.cy, epsg)
    out.append(f'<rect x="{_f(north.x0)}" y="{_f(north.y0)}" width="{_f(north.x1 - north.x0)}" '
               f'height="{_f(north.y1 - north.y0)}" fill="#ffffff" fill-opacity="0.85"/>')
    out.append(f'<g class="nord" transform="translate({_f(nx)} {_f(ny)}) rotate({angle:.1f})">'
               '<path d="M0 -22 L8 6 L0 1 L-8 6 Z" fill="#1a1a1a"/>'
               f'<text x="0" y="22" font-size="{D_TEXTE:g}" font-weight="bold" '
               f'text-anchor="middle" fill="#1a1a1a">{_text(nord)}</text></g>')
    metres = calc.echelle((frame.x1 - frame.x0) / view.k)

    def label(m: int) -> str:
        return francais(f"{nombre(m // 1000)}\u00a0km" if m >= 1000 else f"{nombre(m)}\u00a0m")

    # long enough for « 0 » and its length apart
    while metres * view.k < (text_width("0", D_TEXTE) + text_width(label(metres), D_TEXTE)) / 2 + 8:
        metres = calc.echelle(metres * 12.5)
    bar = metres * view.k
    tail = text_width(label(metres), D_TEXTE) / 2
    scale_box = corner(bar + tail + 12, 34.0, "bl br tl tr", [north])
    sx, sy = scale_box.x0 + 6, scale_box.y1 - 11
    out.append(f'<rect x="{_f(scale_box.x0)}" y="{_f(scale_box.y0)}" '
               f'width="{_f(scale_box.x1 - scale_box.x0)}" '
               f'height="{_f(scale_box.y1 - scale_box.y0)}" fill="#ffffff" fill-opacity="0.85"/>')
    half = bar / 2
    out.append(f'<g class="echelle" data-metres="{metres}" data-longueur="{_f(bar)}">'
               f'<rect x="{_f(sx)}" y="{_f(sy)}" width="{_f(half)}" height="5" fill="#1a1a1a"/>'
               f'<rect x="{_f(sx + half)}" y="{_f(sy)}" width="{_f(half)}" height="5" '
               'fill="#ffffff" stroke="#1a1a1a" stroke-width="0.8"/>'
               f'<text x="{_f(sx)}" y="{_f(sy - 5)}" font-size="{D_TEXTE:g}" '
               f'text-anchor="middle" fill="#1a1a1a">0</text>'
               f'<text x="{_f(sx + bar)}" y="{_f(sy - 5)}" font-size="{D_TEXTE:g}" '
               f'text-anchor="middle" fill="#1a1a1a">{escape(label(metres), quote=False)}</text>'
               '</g>')

    # labels: at a point inside each secteur, moved off (a leader line) when they collide
    size = D_ETIQUETTE
    anchors, texts = [], []
    for s in shown:
        ax, ay = view.xy(*calc.ancre(visible[s["id"]]))
        lines = _lignes(s["nom"], size, 240, bold=True)
        w = max(text_width(line, size, True) for line in lines) + 10
        h = len(lines) * size * 1.2 + 6
        anchors.append((ax, ay, w, h))
        texts.append(lines)
    inner = Box(frame.x0 + 2, frame.y0 + 2, frame.x1 - 2, frame.y1 - 2)
    boxes = place_labels(anchors, inner, [north, scale_box], shapes)
    leaders = []
    for s, (ax, ay, w, h), lines, b in zip(shown, anchors, texts, boxes):
        cx, cy = (b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2
        group = [f'<g class="etiquette" data-secteur="{escape(s["id"])}" '
                 f'data-boite="{_f(b.x0)} {_f(b.y0)} {_f(b.x1)} {_f(b.y1)}">']
        if not (b.x0 <= ax <= b.x1 and b.y0 <= ay <= b.y1):
            ex, ey = min(max(ax, b.x0), b.x1), min(max(ay, b.y0), b.y1)
            leaders.append(((ax, ay), (ex, ey)))
            group.append(f'<line x1="{_f(ax)}" y1="{_f(ay)}" x2="{_f(ex)}" y2="{_f(ey)}" '
                         'stroke="#333" stroke-width="1"/>'
                         f'<circle cx="{_f(ax)}" cy="{_f(ay)}" r="2.5" fill="#333"/>')
        group.append(f'<rect x="{_f(b.x0)}" y="{_f(b.y0)}" width="{_f(w)}" height="{_f(h)}" '
                     f'rx="3" fill="#ffffff" fill-opacity="0.9" stroke="{colours[s["id"]]}" '
                     'stroke-width="1.2"/>')
        top = cy - (len(lines) - 1) * size * 1.2 / 2 + size * 0.35
        for i, line in enumerate(lines):
            group.append(f'<text x="{_f(cx)}" y="{_f(top + i * size * 1.2)}" '
                         f'font-size="{size:g}" font-weight="bold" text-anchor="middle" '
                         f'fill="#1a1a1a">{escape(line, quote=False)}</text>')
        group.append("</g>")
        out.extend(group)

    # the roads' names: along them, clear of the labels and the furniture
    if base.noms:
        outlines = shapely.union_all(_array([g.boundary for g in shapes]))
        names = place_road_names(base.noms, inner, [north, scale_box, *boxes], size=D_TEXTE,
                                 avoid=outlines, obstacles=[
                                     shapely.LineString(ab).buffer(2.5) for ab in leaders])
        group = ['<g class="voies-noms">']
        for nm in names:
            coins = " ".join(f"{_f(x)} {_f(y)}" for x, y in nm.coins)
            group.append(f'<g class="voie-nom" data-voie="{escape(nm.nom)}" '
                         f'data-angle="{nm.angle:.1f}" data-boite="{coins}" '
                         f'transform="translate({_f(nm.cx)} {_f(nm.cy)}) rotate({nm.angle:.1f})">'
                         f'<rect x="{_f(-nm.largeur / 2)}" y="{_f(-nm.hauteur / 2)}" '
                         f'width="{_f(nm.largeur)}" height="{_f(nm.hauteur)}" rx="2" '
                         'fill="#ffffff" fill-opacity="0.8"/>'
                         f'<text x="0" y="{_f(D_TEXTE * 0.35)}" font-size="{D_TEXTE:g}" '
                         f'text-anchor="middle" fill="{VOIE_NOM}">{_text(nm.nom)}</text></g>')
        group.append("</g>")
        if names:
            out[names_at:names_at] = group

    # the legend
    out.append('<g class="legende">')
    for e, x, y in mise.entrees:
        if e.kind == "secteur":
            out.append(f'<rect x="{_f(x + 1)}" y="{_f(y + 1)}" width="22" height="15" '
                       f'fill="{e.colour}" fill-opacity="{fill}" stroke="{e.colour}" '
                       'stroke-width="2"/>')
        else:
            out.append(f'<line x1="{_f(x)}" y1="{_f(y + 8.5)}" x2="{_f(x + 24)}" '
                       f'y2="{_f(y + 8.5)}" stroke="{COMMUNE}" stroke-width="1.4" '
                       'stroke-dasharray="8 3.5 2 3.5"/>')
        bold = e.kind == "secteur"
        weight = ' font-weight="bold"' if bold else ""
        cls = "legende-secteur" if bold else "legende-commune"
        for i, line in enumerate(e.lignes):
            out.append(f'<text class="{cls}" data-secteur="{escape(e.ident)}" '
                       f'x="{_f(x + _D_PASTILLE)}" y="{_f(y + 13 + i * _D_NOM)}" '
                       f'font-size="{D_LEGENDE:g}"{weight} fill="#1a1a1a">'
                       f'{escape(line, quote=False)}</text>')
        if e.surface:
            out.append(f'<text class="surface" data-secteur="{escape(e.ident)}" '
                       f'x="{_f(x + _D_PASTILLE)}" '
                       f'y="{_f(y + 13 + (len(e.lignes) - 1) * _D_NOM + _D_SURFACE)}" '
                       f'font-size="{D_TEXTE:g}" fill="#333">{escape(e.surface, quote=False)}'
                       '</text>')
    out.append("</g>")
    sx, sy = mise.source_xy
    for i, line in enumerate(mise.source):
        out.append(f'<text class="source" x="{_f(sx)}" y="{_f(sy + i * _D_SOURCE)}" '
                   f'font-size="{D_SOURCE:g}" fill="#333">{escape(line, quote=False)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


@dataclass(frozen=True)
class Contour:
    """A commune boundary as the maps draw it: its name (legend) and its geometry in metres."""

    nom: str
    geometrie: Any


def contours(secteurs: Sequence[dict[str, Any]]) -> list[Contour]:
    """The boundaries of the communes of these secteurs (each once), when the case gives them."""
    seen: dict[str, Contour] = {}
    for s in secteurs:
        c = s.get("contour_commune")
        if c is not None and s["commune"] not in seen:
            seen[s["commune"]] = Contour(s["commune"], c.geometrie)
    return list(seen.values())


def png(svg: str, width: int = 900) -> bytes:
    """The SVG rendered to PNG (for DOCX readers without SVG), offline (raster.py)."""
    from .raster import svg_to_png

    return svg_to_png(svg.encode("utf-8"), "carte", width=width)


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


class CartesHTML:
    """What an HTML template (COPIL slides) may draw: `<img src="{{ carte.ensemble(…) }}">`."""

    @staticmethod
    def ensemble(secteurs: Sequence[dict[str, Any]], titre: str, source: str,
                 nord: str = "N") -> str:
        return data_uri(drawn(secteurs, _plain(titre), _plain(source), nord=_plain(nord)))

    @staticmethod
    def secteur(secteurs: Sequence[dict[str, Any]], ident: str, titre: str, source: str,
                nord: str = "N") -> str:
        return data_uri(drawn(secteurs, _plain(titre), _plain(source), focus=ident,
                              nord=_plain(nord)))

    @staticmethod
    def diapositive(secteurs: Sequence[dict[str, Any]], largeur_pt: float, hauteur_pt: float,
                    source: str, nord: str = "N") -> str:
        """The map drawn for a slide, shown `largeur_pt` × `hauteur_pt` points (diapositive())."""
        return data_uri(diapositive(secteurs, float(largeur_pt), float(hauteur_pt),
                                    _plain(source), nord=_plain(nord)))

    @staticmethod
    def disponible(secteurs: Sequence[dict[str, Any]]) -> bool:
        return any(s.get("perimetre") is not None for s in secteurs)


def _plain(text: Any) -> str:
    """Template words arrive as Markup (already XML-escaped): back to plain text."""
    from markupsafe import Markup

    return text.unescape() if isinstance(text, Markup) else str(text)


@lru_cache(maxsize=32)
def _png_cached(svg: str) -> bytes:
    return png(svg)


class CartesDocx:
    """What a Word template may draw: `{{ carte.ensemble(secteurs, titre, source, description) }}`
    and `{{ carte.secteur(secteurs, id, titre, source, description) }}` in a paragraph of their
    own; each is a picture 16 cm wide, with its description as alternative text: the SVG itself
    (as Word 2016+ stores one) and its PNG rendering as the fallback every reader shows."""

    WIDTH_MM = 160

    def __init__(self, tpl: Any) -> None:
        self._tpl = tpl

    def disponible(self, secteurs: Sequence[dict[str, Any]]) -> bool:
        return any(s.get("perimetre") is not None for s in secteurs)

    def ensemble(self, secteurs: Sequence[dict[str, Any]], titre: Any, source: Any,
                 description: Any, nord: Any = "N") -> Any:
        svg = drawn(secteurs, _plain(titre), _plain(source), nord=_plain(nord))
        return self._picture(svg, _plain(description), "carte-secteurs")

    def secteur(self, secteurs: Sequence[dict[str, Any]], ident: str, titre: Any, source: Any,
                description: Any, nord: Any = "N") -> Any:
        svg = drawn(secteurs, _plain(titre), _plain(source), focus=ident, nord=_plain(nord))
        return self._picture(svg, _plain(description), f"carte-{ident}")

    def _picture(self, svg: str, description: str, name: str) -> Any:
        from docx.shared import Mm

        return inline_picture(self._tpl, svg.encode("utf-8"), _png_cached(svg), description,
                              name, "carte", Mm(self.WIDTH_MM), None)


def inline_picture(tpl: Any, svg: bytes | None, png: bytes, description: str, name: str,
                   media: str, width: Any, height: Any) -> Any:
    """A drawing in a Word template's paragraph, « aligné sur le texte »: its PNG (what every
    reader shows, `width` × `height`, one of them None to keep the ratio) and the SVG itself as
    Word 2016+ stores one (part /word/media/<media>N.svg), `name` and `description` (the
    alternative text) on the picture. The markup closes the tag's run and opens another."""
    import io
    import re

    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.part import Part
    from markupsafe import Markup

    part = tpl.current_rendering_part
    inline = part.new_pic_inline(io.BytesIO(png), width, height)
    xml = inline.xml
    if svg is not None:  # the vector drawing too, as Word 2016+ stores an SVG: the PNG stays
        svg_part = Part(part.package.next_partname(f"/word/media/{media}%d.svg"),  # the fallback
                        "image/svg+xml", svg, part.package)
        rid = part.relate_to(svg_part, RT.IMAGE)
        ext = ('<a:extLst><a:ext uri="{96DAC541-7B7A-43D3-8B79-37D633B846F1}">'
               '<asvg:svgBlip xmlns:asvg="http://schemas.microsoft.com/office/drawing/2016/SVG/main" '
               f'r:embed="{rid}"/></a:ext></a:extLst>')
        xml = re.sub(r"(<a:blip\b[^>]*?)\s*/>", lambda m: m.group(1) + ">" + ext + "</a:blip>",
                     xml, count=1)
    attrs = f' name="{escape(name)}" descr="{escape(description)}"'
    xml = re.sub(r'(<wp:docPr\b[^>]*?)\s+name="[^"]*"', lambda m: m.group(1) + attrs, xml,
                 count=1)
    xml = re.sub(r'(<pic:cNvPr\b[^>]*?)\s+name="[^"]*"', lambda m: m.group(1) + attrs, xml,
                 count=1)
    return Markup(f'</w:t></w:r><w:r><w:drawing>{xml}</w:drawing></w:r><w:r>'
                  '<w:t xml:space="preserve">')
