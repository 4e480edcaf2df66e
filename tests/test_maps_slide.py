"""The map of a COPIL slide (issue 28): drawn for its size on the slide (its viewBox exactly the
given aspect), the secteurs filling the map, every text legible (14 pt or more as shown, the
source 12 pt), none over another, the legend on the right or under the map, no title, no
« fond : aucun »; the same bytes twice; the Word maps left as they were."""

from __future__ import annotations

import base64
import math
import re
import xml.etree.ElementTree as ET
from itertools import combinations

import pytest
from shapely import affinity
from shapely.geometry import Point, Polygon, box

from docgen.context import copil_context
from docgen.load import load_case
from docgen.render import maps
from docgen.resolve import resolve
from tests import test_maps_fond as fond_tests
from tests.conftest import EXAMPLE

SVG = "{http://www.w3.org/2000/svg}"
SOURCE = "Fond : parcelles et bâtiments du cadastre, voies"
SLIDE = (860.0, 360.0)  # the map's place on a 960 × 540 pt slide


@pytest.fixture(scope="module")
def secteurs():
    """The secteurs as the last COPIL's context hands them to the slides (programme.perimetres:
    perimeters, commune boundary, base layers)."""
    case = load_case(EXAMPLE)
    ctx = copil_context(case, resolve(case.convention, case.avenants), len(case.copils))
    out = ctx["programme"]["perimetres"]
    assert all(s["perimetre"] is not None and s["fond"] is not None for s in out)
    return out


@pytest.fixture(scope="module")
def sans_fond(secteurs):
    return [{**s, "fond": None} for s in secteurs]


# -- reading the drawing ---------------------------------------------------------------------

def _transform(spec: str | None):
    """An SVG transform list of translate() and rotate() as a function of a point."""
    steps = re.findall(r"(translate|rotate)\(([^)]*)\)", spec or "")

    def apply(x: float, y: float) -> tuple[float, float]:
        for kind, args in reversed(steps):  # the rightmost applies first
            v = [float(a) for a in args.replace(",", " ").split()]
            if kind == "translate":
                x, y = x + v[0], y + (v[1] if len(v) > 1 else 0.0)
            else:
                t = math.radians(v[0])
                x, y = x * math.cos(t) - y * math.sin(t), x * math.sin(t) + y * math.cos(t)
        return x, y

    return apply


def _texts(svg: str) -> list[dict]:
    """Every <text>: its words, size, class, and its box as drawn (Liberation Sans' advance
    widths, ascent 0.905 em, descent 0.212 em), through its groups' transforms."""
    out: list[dict] = []

    def walk(el: ET.Element, chain: list) -> None:
        chain = [*chain, _transform(el.get("transform"))] if el.get("transform") else chain
        for child in el:
            if child.tag == SVG + "text":
                size = float(child.get("font-size"))
                text = child.text or ""
                w = maps.text_width(text, size, child.get("font-weight") == "bold")
                x, y = float(child.get("x")), float(child.get("y"))
                anchor = child.get("text-anchor", "start")
                x0 = x - w / 2 if anchor == "middle" else x - w if anchor == "end" else x
                corners = [(x0, y - 0.905 * size), (x0 + w, y - 0.905 * size),
                           (x0 + w, y + 0.212 * size), (x0, y + 0.212 * size)]
                for f in reversed(chain):
                    corners = [f(*c) for c in corners]
                out.append({"text": text, "size": size, "class": child.get("class"),
                            "box": Polygon(corners)})
            else:
                walk(child, chain)

    walk(ET.fromstring(svg), [])
    return out


def _viewbox(svg: str) -> tuple[float, float, float, float]:
    return tuple(float(v) for v in ET.fromstring(svg).get("viewBox").split())


def _frame(svg: str) -> tuple[float, float, float, float]:
    r = next(e for e in ET.fromstring(svg).iter(SVG + "rect") if e.get("class") == "cadre")
    x, y, w, h = (float(r.get(k)) for k in ("x", "y", "width", "height"))
    return x, y, x + w, y + h


def _secteurs_box(svg: str) -> tuple[float, float, float, float]:
    pts = [(float(a), float(b)) for p in ET.fromstring(svg).iter(SVG + "path")
           if p.get("class") == "secteur"
           for a, b in re.findall(r"(-?[\d.]+) (-?[\d.]+)", p.get("d"))]
    xs, ys = zip(*pts)
    return min(xs), min(ys), max(xs), max(ys)


def _check(svg: str, largeur: float, hauteur: float, source: str) -> list[dict]:
    """What every slide map must be; its texts, for more."""
    vx, vy, vw, vh = _viewbox(svg)
    root = ET.fromstring(svg)
    # the aspect given, shown at the size given
    assert (vx, vy) == (0, 0)
    assert math.isclose(vw / vh, largeur / hauteur, rel_tol=1e-12)
    assert root.get("width") == f"{largeur:g}pt" and root.get("height") == f"{hauteur:g}pt"
    unit = largeur / vw  # points per unit of the drawing
    texts = _texts(svg)
    for t in texts:  # legible: 14 pt at least, the source 12
        least = 12 if t["class"] == "source" else 14
        assert t["size"] * unit >= least - 1e-9, t
    # no title: the slide has one
    assert root.find(SVG + "title") is None
    assert not [t for t in texts if t["class"] == "titre"]
    # nothing outside the drawing, no text over another
    whole = box(0, 0, vw, vh)
    for t in texts:
        assert whole.contains(t["box"]), t["text"]
    for a, b in combinations(texts, 2):
        assert a["box"].intersection(b["box"]).area < 0.01, (a["text"], b["text"])
    # the secteurs fill the map: 70 % of its width or of its height at least
    fx0, fy0, fx1, fy1 = _frame(svg)
    sx0, sy0, sx1, sy1 = _secteurs_box(svg)
    assert (sx1 - sx0) >= 0.7 * (fx1 - fx0) or (sy1 - sy0) >= 0.7 * (fy1 - fy0)
    # the source line: only the one given, in the bottom corner; never « aucun »
    words = " ".join(t["text"] for t in texts)
    assert "aucun" not in words.lower()
    lines = [t for t in texts if t["class"] == "source"]
    if source:
        assert " ".join(t["text"] for t in lines) == maps.francais(source)
        bottom = max(t["box"].bounds[3] for t in lines)
        assert bottom >= vh - 6
        assert all(t["box"].bounds[1] >= fy1 or t["box"].bounds[0] >= fx1 for t in lines)
    else:
        assert not lines
    return texts


def _legend(texts: list[dict]) -> list[str]:
    return [t["text"] for t in texts if t["class"] in ("legende-secteur", "surface")]


# -- the example -----------------------------------------------------------------------------

@pytest.mark.parametrize("size", [SLIDE, (960.0, 540.0), (420.0, 360.0), (600.0, 250.5)])
def test_the_slide_map_of_the_example(secteurs, size) -> None:
    largeur, hauteur = size
    svg = maps.diapositive(secteurs, largeur, hauteur, SOURCE)
    texts = _check(svg, largeur, hauteur, SOURCE)
    # each secteur labelled on the map and listed in the legend with its area
    root = ET.fromstring(svg)
    labelled = {g.get("data-secteur") for g in root.iter(SVG + "g") if g.get("class") == "etiquette"}
    assert labelled == {s["id"] for s in secteurs}
    legend = " ".join(_legend(texts))
    for s in secteurs:
        assert maps.francais(s["nom"]).split()[0] in legend
        assert maps.francais(f"{maps.nombre(s['hectares'], 1)}\u00a0ha") in legend
    # the base layers under the secteurs, the roads' names at 14 pt
    assert 'class="parcelles"' in svg and 'class="batiments"' in svg and 'class="voies"' in svg
    assert any(t["size"] >= 14 for t in texts if t["text"].startswith(("Rue", "Chemin", "Route")))


def test_the_example_s_tall_secteurs_get_the_legend_on_the_right(secteurs) -> None:
    svg = maps.diapositive(secteurs, *SLIDE, SOURCE)
    fx0, fy0, fx1, fy1 = _frame(svg)
    legend = [t for t in _texts(svg) if t["class"] in ("legende-secteur", "surface", "source")]
    assert legend and all(t["box"].bounds[0] >= fx1 for t in legend)
    assert fy1 - fy0 >= SLIDE[1] - 4  # the map as high as the slide gives
    # zoomed on the secteurs, not on the commune they lie in
    sx0, sy0, sx1, sy1 = _secteurs_box(svg)
    assert (sy1 - sy0) >= 0.85 * (fy1 - fy0)


def test_without_base_layers(sans_fond) -> None:
    svg = maps.diapositive(sans_fond, *SLIDE, "")
    texts = _check(svg, *SLIDE, "")
    for layer in ("parcelles", "batiments", "voies", "voies-noms"):
        assert f'class="{layer}"' not in svg
    assert "source" not in {t["class"] for t in texts}
    assert len([t for t in texts if t["class"] == "surface"]) == len(sans_fond)


def test_same_bytes_twice_and_cached(secteurs) -> None:
    kw = {"communes": maps.contours(secteurs), "fonds": maps.fonds(secteurs)}
    a = maps.draw_diapositive(secteurs, *SLIDE, SOURCE, **kw)
    assert a == maps.draw_diapositive(secteurs, *SLIDE, SOURCE, **kw)
    assert maps.diapositive(secteurs, *SLIDE, SOURCE) == a
    assert maps.diapositive(secteurs, *SLIDE, SOURCE) is maps.diapositive(secteurs, *SLIDE, SOURCE)


def test_templates_get_a_data_uri(secteurs) -> None:
    from markupsafe import Markup

    uri = maps.CartesHTML.diapositive(secteurs, 860, 360, Markup("Fond : cadastre &amp; voies"),
                                      nord="Nord")
    assert uri.startswith("data:image/svg+xml;base64,")
    svg = base64.b64decode(uri.split(",", 1)[1]).decode("utf-8")
    assert svg == maps.diapositive(secteurs, 860.0, 360.0, "Fond : cadastre & voies", nord="Nord")
    assert ">Nord</text>" in svg and "cadastre &amp; voies" in svg


def test_the_png_renders(secteurs) -> None:
    png = maps.png(maps.diapositive(secteurs, *SLIDE, SOURCE), width=480)
    assert png.startswith(b"\x89PNG")


def test_the_word_maps_are_not_the_slide_s(secteurs) -> None:
    """The acts' maps keep their frame, title and source line under the frame."""
    svg = maps.drawn(secteurs, "Titre", "Source")
    assert 'viewBox="0 0 1000 720"' in svg and 'class="titre"' in svg and 'class="source"' in svg


# -- secteurs spread east–west: the legend under the map ---------------------------------------

def _wide() -> list[dict]:
    x0, y0 = fond_tests.X0, fond_tests.Y0
    f = fond_tests.ville(nx=24, ny=8)
    commune = box(x0 - 300, y0 - 300, x0 + 2800, y0 + 1300)  # its east side in sight
    out = [fond_tests.secteur("a", "Centre-bourg", Point(x0 + 400, y0 + 500).buffer(220, 6), f,
                              contour=commune),
           fond_tests.secteur("b", "Quartier de la Gare et des anciennes usines",
                              affinity.rotate(box(x0 + 1500, y0 + 350, x0 + 2000, y0 + 650), 12,
                                              origin=(x0, y0)), f, contour=commune),
           fond_tests.secteur("c", "Les Aires", box(x0 + 2400, y0 + 600, x0 + 2700, y0 + 900), f,
                              contour=commune)]
    for s, ha in zip(out, (15.2, 14.0, 9.0)):
        s["hectares"] = ha
    return out


def test_wide_secteurs_get_the_legend_under_the_map() -> None:
    secteurs = _wide()
    svg = maps.diapositive(secteurs, *SLIDE, SOURCE)
    texts = _check(svg, *SLIDE, SOURCE)
    fx0, fy0, fx1, fy1 = _frame(svg)
    legend = [t for t in texts if t["class"] in ("legende-secteur", "surface", "source")]
    assert all(t["box"].bounds[1] >= fy1 for t in legend)
    assert fx1 - fx0 >= SLIDE[0] - 4  # the map as wide as the slide gives
    assert len([t for t in texts if t["class"] == "surface"]) == 3
    # the commune boundary, near the secteurs, drawn and in the legend
    assert 'class="commune"' in svg
    assert [t["text"] for t in texts if t["class"] == "legende-commune"] == ["argentiere"]


def test_many_secteurs_stay_legible() -> None:
    x0, y0 = fond_tests.X0, fond_tests.Y0
    f = fond_tests.ville(nx=20, ny=14)
    names = ["Centre ancien et faubourg Saint-Jacques", "Quartier de la Gare", "Les Aires",
             "Zone d'activités du Pont", "Le Moulin", "Cité ouvrière des Mines", "Bord de Durance"]
    secteurs = []
    for i, nom in enumerate(names):
        s = fond_tests.secteur(f"s{i}", nom, Point(x0 + 300 + (i % 4) * 550,
                                                   y0 + 400 + (i // 4) * 700).buffer(180 + 20 * i),
                               f)
        s["hectares"] = 10.0 + i
        secteurs.append(s)
    for size in (SLIDE, (960.0, 540.0), (500.0, 400.0)):
        texts = _check(maps.diapositive(secteurs, *size, SOURCE), *size, SOURCE)
        assert len([t for t in texts if t["class"] == "surface"]) == len(names)
