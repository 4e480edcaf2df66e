"""Vector charts for the COPIL slides, drawn as plain SVG, labelled in French, deterministic.

Every label is measured with the font the slide prints (Liberation Sans) and placed only where
its box fits: a value that does not fit inside its bar goes after it, or is left to the legend.
Each chart keeps its label boxes so that a test can check that none overlaps another.
The slides' plan (docgen/slides.py) passes every word and number; this module draws the bars
the PDF shows and says which labels it printed, so that the PowerPoint's native chart prints the
same ones.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from ..formatting import francais, montant, nombre
from ..templating import FONTS

# One colour per status, the same on every slide and every COPIL (Okabe–Ito, colour-blind safe),
# with the text colour readable on it.
PALETTE: dict[str, tuple[str, str]] = {
    "en_projet": ("#BBBBBB", "#1b1b1b"),
    "engagee": ("#56B4E9", "#1b1b1b"),
    "en_cours": ("#E69F00", "#1b1b1b"),
    "realisee": ("#009E73", "#1b1b1b"),
    "reportee": ("#CC79A7", "#1b1b1b"),
    "abandonnee": ("#D55E00", "#1b1b1b"),
}
# Dark text only, on fills light enough for it (contrast 4.4:1 or more): a label is never white.
ACQUIS = ("#3A9AD9", "#1b1b1b")
SOLLICITE = ("#BFE1F6", "#1b1b1b")
PROGRAMME = ("#C9D6E6", "#1b1b1b")
INK = "#1b1b1b"

WIDTH, HEIGHT = 1000, 470
SIZE = 22  # label size in SVG units: about 14 pt once the chart fills the slide's width
PAD = 8


@lru_cache(maxsize=2)
def _font(bold: bool) -> Any:
    from fontTools.ttLib import TTFont

    font = TTFont(FONTS / ("LiberationSans-Bold.ttf" if bold else "LiberationSans-Regular.ttf"))
    return font["head"].unitsPerEm, font.getBestCmap(), font["hmtx"].metrics


def largeur(texte: str, size: float = SIZE, bold: bool = False) -> float:
    """The printed width of a text, from the font's own advance widths."""
    per_em, cmap, metrics = _font(bold)
    units = 0
    for ch in texte:
        glyph = cmap.get(ord(ch)) or cmap.get(ord("?"))
        units += metrics[glyph][0]
    return units * size / per_em


def couper(texte: str, place: float, size: float = SIZE, bold: bool = False) -> str:
    """The text, shortened with an ellipsis until it fits the place."""
    if largeur(texte, size, bold) <= place:
        return texte
    while texte and largeur(texte + "…", size, bold) > place:
        texte = texte[:-1]
    return texte.rstrip() + "…"


@dataclass(frozen=True)
class Boite:
    texte: str
    x: float
    y: float
    w: float
    h: float

    def chevauche(self, o: Boite) -> bool:
        return (self.x < o.x + o.w and o.x < self.x + self.w
                and self.y < o.y + o.h and o.y < self.y + self.h)


@dataclass
class Dessin:
    """An SVG canvas that remembers where each label went."""

    name: str
    description: str
    width: float = WIDTH
    height: float = HEIGHT
    parts: list[str] = field(default_factory=list)
    boites: list[Boite] = field(default_factory=list)
    etiquettes: list[str] = field(default_factory=list)  # value labels printed, bar by bar
    categories: list[str] = field(default_factory=list)  # row names as printed
    totaux: list[tuple[float, float]] = field(default_factory=list)  # where each total starts
    # bars: left edge, top, length of the longest, row step, bar height, longest value
    zone: tuple[float, float, float, float, float, float] = (0, 0, 0, 0, 0, 0)

    def rect(self, x: float, y: float, w: float, h: float, fill: str, stroke: str = "") -> None:
        extra = f' stroke="{stroke}" stroke-width="1.5"' if stroke else ""
        self.parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" '
                          f'height="{h:.1f}" fill="{fill}"{extra}/>')

    def line(self, x1: float, y1: float, x2: float, y2: float, stroke: str, width: float = 1,
             dash: str = "") -> None:
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                          f'stroke="{stroke}" stroke-width="{width}"{extra}/>')

    def text(self, x: float, y: float, texte: str, size: float = SIZE, anchor: str = "start",
             fill: str = INK, bold: bool = False) -> Boite:
        """y is the middle of the line; the box is the text's advance width by its em height."""
        w = largeur(texte, size, bold)
        left = x - w if anchor == "end" else x - w / 2 if anchor == "middle" else x
        box = Boite(texte, left, y - size / 2, w, size)
        self.boites.append(box)
        weight = ' font-weight="bold"' if bold else ""
        self.parts.append(
            f'<text x="{x:.1f}" y="{y + size * 0.35:.1f}" font-size="{size}" text-anchor="{anchor}"'
            f' fill="{fill}"{weight}>{escape(francais(texte))}</text>')
        return box

    def svg(self) -> str:
        return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.width} {self.height}" '
                f'width="{self.width}" height="{self.height}" font-family="Docgen Sans">'
                f'<title>{escape(francais(self.description))}</title>'
                + "".join(self.parts) + "</svg>")

    def uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg().encode()).decode("ascii")


def _legende(d: Dessin, items: Sequence[tuple[str, str]], y: float) -> None:
    """One line of swatches and names, centred at the bottom; a second line if it is too long."""
    widths = [SIZE + 8 + largeur(t) + 28 for t, _ in items]
    lines: list[list[int]] = [[]]
    used = 0.0
    for i, w in enumerate(widths):
        if lines[-1] and used + w > d.width:
            lines.append([])
            used = 0.0
        lines[-1].append(i)
        used += w
    y -= (len(lines) - 1) * (SIZE + 10)
    for line in lines:
        x = (d.width - sum(widths[i] for i in line) + 28) / 2
        for i in line:
            texte, fill = items[i]
            d.rect(x, y - SIZE / 2, SIZE, SIZE, fill, stroke="#ffffff")
            d.text(x + SIZE + 8, y, texte)
            x += widths[i]
        y += SIZE + 10


def _legend_height(items: Sequence[str], width: float = WIDTH) -> float:
    total = sum(SIZE + 8 + largeur(t) + 28 for t in items)
    lines = max(1, int(total // width) + (1 if total % width else 0))
    return lines * (SIZE + 10) + 10


def _deux_lignes(texte: str, place: float) -> list[str]:
    """A row name on one line, or on two cut at a space, each shortened to fit the place."""
    if largeur(texte) <= place:
        return [texte]
    words = texte.split()
    for k in range(len(words) - 1, 0, -1):
        head = " ".join(words[:k])
        if largeur(head) <= place:
            return [head, couper(" ".join(words[k:]), place)]
    return [couper(texte, place)]


def _segments(d: Dessin, x0: float, y: float, h: float, scale: float,
              values: Sequence[tuple[float, tuple[str, str], str]]) -> float:
    """Stacked bar segments; a value is printed inside its segment only when it fits (the
    labels printed are kept in d.etiquettes, in order)."""
    x = x0
    for value, (fill, ink), label in values:
        shown = ""
        if value > 0:
            w = value * scale
            d.rect(x, y, w, h, fill, stroke="#ffffff")
            if label and largeur(label) + 2 * PAD <= w:
                d.text(x + w / 2, y + h / 2, label, anchor="middle", fill=ink)
                shown = label
            x += w
        d.etiquettes.append(shown)
    return x


def _barres(name: str, description: str, labels: Sequence[str],
            rows: Sequence[Sequence[tuple[float, tuple[str, str], str]]],
            totals: Sequence[str], legend: Sequence[tuple[str, str]],
            height: float = HEIGHT, ecrire_totaux: bool = True) -> Dessin:
    """Horizontal stacked bars, one per row: name on the left, total after the bar (or, with
    ecrire_totaux False, only its place kept in d.totaux: a slide writes it)."""
    legend_h = _legend_height([t for t, _ in legend]) if legend else 0
    # rows are never closer than one label's height: a long list makes the drawing taller
    height = max(height, 10 + len(rows) * (SIZE + 8) + legend_h)
    d = Dessin(name, description, height=height)
    bottom = d.height - legend_h
    two_lines = (bottom - 10) / max(len(rows), 1) >= 2 * (SIZE + 2) + 8
    lines = [_deux_lignes(t, d.width * 0.36) if two_lines else [couper(t, d.width * 0.36)]
             for t in labels]
    left = max((largeur(x) for ls in lines for x in ls), default=0) + 2 * PAD
    tail = max((largeur(t) for t in totals), default=0) + 2 * PAD
    span = d.width - left - PAD - tail
    biggest = max((sum(v for v, _, _ in r) for r in rows), default=0) or 1
    scale = span / biggest
    step = min((bottom - 10) / max(len(rows), 1), 76)
    h = min(step * 0.68, 44)
    d.categories = [" ".join(ls) for ls in lines]
    for i, (_, row, total) in enumerate(zip(labels, rows, totals)):
        y = 10 + i * step + (step - h) / 2
        for k, part in enumerate(lines[i]):
            d.text(left - PAD, y + h / 2 + (k - (len(lines[i]) - 1) / 2) * (SIZE + 2), part,
                   anchor="end")
        end = _segments(d, left + PAD, y, h, scale, row)
        if total and ecrire_totaux:
            d.text(end + PAD, y + h / 2, total, bold=True)
        d.totaux.append((end + PAD, y + h / 2))
    d.zone = (left + PAD, 10.0, span, step, h, biggest)
    d.line(left + PAD, 6, left + PAD, 10 + len(rows) * step, INK, 1.5)
    if legend:
        _legende(d, legend, d.height - (SIZE + 10) / 2 - 4)
    return d


def dessin_plan(categories: Sequence[str],
                series: Sequence[tuple[str, tuple[str, str], Sequence[float], bool]],
                totaux: Sequence[str], fmt: str, w: float, h: float,
                description: str) -> tuple[Dessin, list[list[str]], tuple[str, ...]]:
    """A slide's bar chart (slides.py): horizontal stacked bars, one per category, the series'
    segments labelled where the label fits, each total after its bar; drawn for a box of
    w × h points. Returns the drawing, the labels printed (series by series, category by
    category; "" where none) and the categories as printed."""

    def label(v: float, shown: bool) -> str:
        if not shown or not v:
            return ""
        return montant(Decimal(str(v)).quantize(Decimal("0.01"))) if fmt == "montant" \
            else nombre(int(round(v)))

    rows = []
    for i in range(len(categories)):
        # a bar of one segment: its total, after it, says its value; not twice
        alone = sum(1 for _, _, vals, _ in series if vals[i]) == 1 and bool(totaux[i])
        rows.append([(float(vals[i]), (f"#{fill}", f"#{ink}"), label(vals[i], shown and not alone))
                     for _, (fill, ink), vals, shown in series])
    legend = [(nom, f"#{fill}") for nom, (fill, _), _, _ in series]
    d = _barres("plan", description, categories, rows, totaux, legend,
                height=WIDTH * h / w, ecrire_totaux=False)
    n = len(series)
    printed = [[d.etiquettes[i * n + k] for i in range(len(categories))] for k in range(n)]
    return d, printed, tuple(d.categories)


__all__ = ["PALETTE", "Boite", "Dessin", "dessin_plan", "largeur"]
