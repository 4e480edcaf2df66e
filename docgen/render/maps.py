"""Maps of the secteurs d'intervention, drawn offline as vector SVG (no tiles, no network).

The drawing is data-driven: the secteurs (their names, areas, geometries in metres), and the
words of the map (title, source line, north letter, description) passed in by the template.
The same SVG goes into the slides (HTML) and, rendered to PNG, into the Word documents.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Sequence
from dataclasses import dataclass
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
    """Metres → SVG units, north up, one scale in x and y, the extent centred in the frame."""

    def __init__(self, extent: tuple[float, float, float, float]) -> None:
        x0, y0, x1, y1 = extent
        fx0, fy0, fx1, fy1 = FRAME
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

        fx0, fy0, fx1, fy1 = FRAME
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


def draw(secteurs: Sequence[dict[str, Any]], titre: str, source: str, *, focus: str | None = None,
         nord: str = "N", communes: Sequence[Any] = ()) -> str:
    """The SVG of a map: every secteur with a perimeter, each in its colour (its rank in the
    list, so the same secteur has the same colour on every map), labelled, in the legend;
    `focus` zooms on one secteur (the others stay, faded); the commune boundaries when given."""
    colours = {s["id"]: OKABE_ITO[i % len(OKABE_ITO)] for i, s in enumerate(secteurs)}
    shown = [s for s in secteurs if s.get("perimetre") is not None]
    bounds = [c.geometrie for c in communes]
    if focus is not None:
        target = [s for s in shown if s["id"] == focus]
        extent = calc.etendue([s["perimetre"].geometrie for s in target], marge=0.25)
    else:
        extent = calc.etendue([s["perimetre"].geometrie for s in shown] + bounds, marge=0.04)
    from shapely.geometry import box as sbox

    if focus is not None:  # neighbours: only what shows in the frame
        window = sbox(*extent)
        shown = [s for s in shown if s["id"] == focus or s["perimetre"].geometrie.intersects(window)]
        visible = {s["id"]: s["perimetre"].geometrie.intersection(window) for s in shown}
    else:
        visible = {s["id"]: s["perimetre"].geometrie for s in shown}
    view = _View(extent)
    frame = Box(*FRAME)
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
                   f'fill-opacity="{"0.15" if faded else "0.35"}" stroke="{col}" '
                   f'stroke-width="{"1.2" if faded else "2.5"}" stroke-linejoin="round"/>')
    out.append("</g>")

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
    epsg = shown[0]["perimetre"].epsg if shown else 2154
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
    for s, (ax, ay, w, h), lines, b in zip(labelled, anchors, texts, boxes):
        faded = focus is not None and s["id"] != focus
        cx, cy = (b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2
        group = [f'<g class="etiquette" data-secteur="{escape(s["id"])}" '
                 f'data-boite="{_f(b.x0)} {_f(b.y0)} {_f(b.x1)} {_f(b.y1)}">']
        if not (b.x0 <= ax <= b.x1 and b.y0 <= ay <= b.y1):  # moved: a leader to its place
            ex = min(max(ax, b.x0), b.x1)
            ey = min(max(ay, b.y0), b.y1)
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

    # legend: one swatch per secteur shown, its name and area; then the commune boundary
    ly = frame.y0 + 6
    out.append('<g class="legende">')
    for s in shown:
        col = colours[s["id"]]
        faded = focus is not None and s["id"] != focus
        lines = _wrap(s["nom"], 17, WIDTH - LEGEND_X - 46, bold=not faded)
        out.append(f'<rect x="{_f(LEGEND_X)}" y="{_f(ly)}" width="26" height="18" fill="{col}" '
                   f'fill-opacity="{"0.15" if faded else "0.35"}" stroke="{col}" stroke-width="2"/>')
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
        for i, line in enumerate(_wrap(c.nom, 17, WIDTH - LEGEND_X - 46)):
            out.append(f'<text x="{_f(LEGEND_X + 36)}" y="{_f(ly + 15 + i * 20)}" font-size="17" '
                       f'fill="#1a1a1a">{_text(line)}</text>')
    out.append("</g>")

    # source line, under the frame
    for i, line in enumerate(_wrap(source, 15, WIDTH - 40)[:2]):
        out.append(f'<text class="source" x="20" y="{_f(frame.y1 + 24 + 19 * i)}" font-size="15" '
                   f'fill="#333">{_text(line)}</text>')
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
        return data_uri(draw(secteurs, _plain(titre), _plain(source), nord=_plain(nord),
                             communes=contours(secteurs)))

    @staticmethod
    def secteur(secteurs: Sequence[dict[str, Any]], ident: str, titre: str, source: str,
                nord: str = "N") -> str:
        return data_uri(draw(secteurs, _plain(titre), _plain(source), focus=ident,
                             nord=_plain(nord), communes=contours(secteurs)))

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
        svg = draw(secteurs, _plain(titre), _plain(source), nord=_plain(nord),
                   communes=contours(secteurs))
        return self._picture(svg, _plain(description), "carte-secteurs")

    def secteur(self, secteurs: Sequence[dict[str, Any]], ident: str, titre: Any, source: Any,
                description: Any, nord: Any = "N") -> Any:
        svg = draw(secteurs, _plain(titre), _plain(source), focus=ident, nord=_plain(nord),
                   communes=contours(secteurs))
        return self._picture(svg, _plain(description), f"carte-{ident}")

    def _picture(self, svg: str, description: str, name: str) -> Any:
        from docx.shared import Mm

        return inline_picture(self._tpl, svg.encode("utf-8"), _png_cached(svg), description,
                              name, "carte", Mm(self.WIDTH_MM), None)


def inline_picture(tpl: Any, svg: bytes, png: bytes, description: str, name: str, media: str,
                   width: Any, height: Any) -> Any:
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
    # the vector drawing too, as Word 2016+ stores an SVG: the PNG stays the fallback
    svg_part = Part(part.package.next_partname(f"/word/media/{media}%d.svg"), "image/svg+xml",
                    svg, part.package)
    rid = part.relate_to(svg_part, RT.IMAGE)
    ext = ('<a:extLst><a:ext uri="{96DAC541-7B7A-43D3-8B79-37D633B846F1}">'
           '<asvg:svgBlip xmlns:asvg="http://schemas.microsoft.com/office/drawing/2016/SVG/main" '
           f'r:embed="{rid}"/></a:ext></a:extLst>')
    xml = re.sub(r"(<a:blip\b[^>]*?)\s*/>", lambda m: m.group(1) + ">" + ext + "</a:blip>", xml,
                 count=1)
    attrs = f' name="{escape(name)}" descr="{escape(description)}"'
    xml = re.sub(r'(<wp:docPr\b[^>]*?)\s+name="[^"]*"', lambda m: m.group(1) + attrs, xml,
                 count=1)
    xml = re.sub(r'(<pic:cNvPr\b[^>]*?)\s+name="[^"]*"', lambda m: m.group(1) + attrs, xml,
                 count=1)
    return Markup(f'</w:t></w:r><w:r><w:drawing>{xml}</w:drawing></w:r><w:r>'
                  '<w:t xml:space="preserve">')
