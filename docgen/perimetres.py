"""Pure computations on the secteurs' perimeters (shapely geometries in metres, Lambert-93 in
metropolitan France): areas, extents, label anchors. No file, no clock, no projection here."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

HECTARE = 10_000  # m²


def hectares(geometrie: Any, decimales: int = 1) -> Decimal:
    """The area in hectares, rounded (half-even) to `decimales` places: what the annex prints."""
    exact = Decimal(repr(float(geometrie.area))) / HECTARE
    return exact.quantize(Decimal(1).scaleb(-decimales), rounding=ROUND_HALF_EVEN)


def etendue(geometries: list[Any], marge: float = 0.12, minimum: float = 400.0
            ) -> tuple[float, float, float, float]:
    """The box (xmin, ymin, xmax, ymax) that shows these geometries with a margin (a share of
    the larger side), at least `minimum` metres wide so that a tiny secteur stays legible."""
    xs0, ys0, xs1, ys1 = zip(*(g.bounds for g in geometries))
    x0, y0, x1, y1 = min(xs0), min(ys0), max(xs1), max(ys1)
    side = max(x1 - x0, y1 - y0, minimum)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    w = max(x1 - x0, minimum) / 2 + side * marge
    h = max(y1 - y0, minimum) / 2 + side * marge
    return (cx - w, cy - h, cx + w, cy + h)


def ancre(geometrie: Any) -> tuple[float, float]:
    """A point inside the geometry where its label goes first (inside, unlike a centroid)."""
    p = geometrie.representative_point()
    return (p.x, p.y)


def echelle(largeur_m: float) -> int:
    """A round length (1, 2 or 5 × 10ⁿ metres) near a fifth of the map's width."""
    target = max(largeur_m / 5, 1.0)
    n = 1
    while n * 10 <= target:
        n *= 10
    for k in (5, 2, 1):
        if k * n <= target:
            return k * n
    return n
