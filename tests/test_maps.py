"""Maps of the secteurs: every secteur labelled and in the legend, labels apart, areas printed
as shapely computes them, pictures with alt text in the convention, the avenant and the
consolidated version, the same bytes twice, nothing fetched from a network."""

from __future__ import annotations

import re
import time
import zipfile
import xml.etree.ElementTree as ET
from decimal import Decimal
from itertools import combinations
from pathlib import Path

import pytest

from docgen.context.common import programme
from docgen.load import load_case
from docgen.perimetres import hectares
from docgen.render import maps
from docgen.resolve import resolve
from tests.conftest import EXAMPLE
from tests.docx_helpers import body_texts

SVG = "{http://www.w3.org/2000/svg}"
NAMES = {"centre-bourg": "Centre-bourg de L’Argentière", "la-bessee": "Secteur de La Bessée",
         "quartier-gare": "Quartier de la Gare"}


@pytest.fixture(scope="module")
def case():
    return load_case(EXAMPLE)


@pytest.fixture(scope="module")
def secteurs(case):
    """The secteurs after avenant n° 1, as the context hands them to the templates."""
    state = resolve(case.convention, case.avenants).apres(1)
    return programme(case.territoire, state, case.perimetres)["secteurs"]


@pytest.fixture(scope="module")
def docx_out(tmp_path_factory):
    """The example's DOCX (no PDF), built once for this module."""
    from docgen.pipeline import build
    from docgen.plan import BuildOptions

    out = tmp_path_factory.mktemp("cartes")
    build(EXAMPLE, BuildOptions(out=out, pdf=False, kinds=("convention", "avenant")))
    return out / "pays-des-ecrins"


def _labels(svg: str) -> dict[str, list[str]]:
    root = ET.fromstring(svg)
    out: dict[str, list[str]] = {}
    for g in root.iter(SVG + "g"):
        if g.get("class") == "etiquette":
            out[g.get("data-secteur")] = [t.text for t in g.iter(SVG + "text")]
    return out


def _boxes(svg: str) -> list[tuple[float, ...]]:
    """Each label's box as drawn: its background rectangle."""
    root = ET.fromstring(svg)
    boxes = []
    for g in root.iter(SVG + "g"):
        if g.get("class") == "etiquette":
            r = next(g.iter(SVG + "rect"))
            x, y, w, h = (float(r.get(k)) for k in ("x", "y", "width", "height"))
            boxes.append((x, y, x + w, y + h))
    return boxes


def _draw(secteurs, focus=None):
    return maps.draw(secteurs, "Titre", "Source", focus=focus, communes=maps.contours(secteurs))


def test_overview_labels_every_secteur_and_lists_it_in_the_legend(secteurs) -> None:
    svg = _draw(secteurs)
    labels = _labels(svg)
    assert set(labels) == set(NAMES)
    for ident, name in NAMES.items():
        assert " ".join(labels[ident]) == name
    legend: dict[str, list[str]] = {}
    for t in ET.fromstring(svg).iter(SVG + "text"):
        if t.get("class") == "legende-secteur":
            legend.setdefault(t.get("data-secteur"), []).append(t.text)
    assert {k: " ".join(v) for k, v in legend.items()} == NAMES
    assert list(legend) == list(NAMES)  # in the order of the convention
    # the overview frames the secteurs, not the commune (issue 29): the example's boundary,
    # kilometres away from them, is out of the frame, so neither drawn nor in the legend
    assert 'class="commune"' not in svg


@pytest.mark.parametrize("focus", list(NAMES))
def test_each_secteur_map_labels_it(secteurs, focus: str) -> None:
    labels = _labels(_draw(secteurs, focus))
    assert " ".join(labels[focus]) == NAMES[focus]


@pytest.mark.parametrize("focus", [None, *NAMES])
def test_labels_do_not_overlap_each_other_nor_the_furniture(secteurs, focus) -> None:
    svg = _draw(secteurs, focus)
    boxes = _boxes(svg)
    for a, b in combinations(boxes, 2):
        assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    x0, y0, x1, y1 = maps.FRAME
    for b in boxes:
        assert x0 <= b[0] and b[2] <= x1 and y0 <= b[1] and b[3] <= y1


def test_label_text_fits_its_box_at_real_font_metrics(secteurs) -> None:
    root = ET.fromstring(_draw(secteurs))
    for g in root.iter(SVG + "g"):
        if g.get("class") == "etiquette":
            r = next(g.iter(SVG + "rect"))
            for t in g.iter(SVG + "text"):
                w = maps.text_width(t.text, float(t.get("font-size")), bold=True)
                assert w <= float(r.get("width")), t.text


def test_crowded_labels_are_moved_apart() -> None:
    anchors = [(300.0, 300.0, 200.0, 24.0)] * 6  # six labels on the same spot
    boxes = maps.place_labels(anchors, maps.Box(*maps.FRAME), [])
    for a, b in combinations(boxes, 2):
        assert not a.overlaps(b)


def test_palette_is_okabe_ito_and_colours_are_distinct(secteurs) -> None:
    svg = _draw(secteurs)
    fills = re.findall(r'class="secteur" data-secteur="([^"]+)" d="[^"]*" fill="(#[0-9A-F]{6})"', svg)
    colours = [c for _, c in fills]
    assert len(set(colours)) == len(colours) == 3
    assert all(c in maps.OKABE_ITO for c in colours)


def test_scale_bar_is_true_to_lambert93_metres(secteurs) -> None:
    svg = _draw(secteurs, "centre-bourg")
    m = re.search(r'class="echelle" data-metres="(\d+)" data-longueur="([\d.]+)"', svg)
    metres, length = int(m.group(1)), float(m.group(2))
    # the same ratio as the drawn secteur: its width in SVG units over its width in metres
    geom = next(s for s in secteurs if s["id"] == "centre-bourg")["perimetre"].geometrie
    view = maps._View(maps.calc.etendue([geom], marge=0.25))
    assert abs(length - metres * view.k) < 0.1
    assert 'class="nord"' in svg and ">N</text>" in svg


def test_map_words_come_from_the_caller(secteurs) -> None:
    svg = maps.draw(secteurs, "Un titre & <autre>", "Source : quelqu'un", nord="Nord")
    # the caller's words, escaped, in French typography (no-break space, apostrophe)
    assert "Un titre &amp; &lt;autre&gt;" in svg and "Source\u00a0: quelqu’un" in svg
    assert ">Nord</text>" in svg


def test_maps_fetch_nothing(secteurs) -> None:
    svg = _draw(secteurs)
    assert not re.search(r"(href|src)=", svg)
    assert svg.count("http") == 1  # the SVG namespace only


def test_same_map_same_bytes(secteurs) -> None:
    assert _draw(secteurs) == _draw(secteurs)
    assert maps.png(_draw(secteurs)) == maps.png(_draw(secteurs))


def test_map_drawing_time(secteurs, capsys) -> None:
    t0 = time.perf_counter()
    svg = _draw(secteurs)
    t1 = time.perf_counter()
    maps.png(svg)
    t2 = time.perf_counter()
    with capsys.disabled():
        print(f"\n  carte : SVG {1000 * (t1 - t0):.0f} ms, PNG {1000 * (t2 - t1):.0f} ms")
    assert t1 - t0 < 1.0


def _printed_areas(path: Path) -> dict[str, Decimal]:
    texts = body_texts(path)
    out, current = {}, None
    for t in texts:
        if t in NAMES.values():
            current = t
        m = re.match(r"Superficie\s*:\s*([\d  ,]+)\s*ha", t)
        if m and current:
            out[current] = Decimal(m.group(1).replace("\u00a0", "").replace(" ", "").replace(",", "."))
    return out


def test_printed_areas_match_shapely(docx_out: Path, case) -> None:
    expected = {}
    for rel, p in case.perimetres.items():
        if "commune" not in rel:
            expected[p.fichier] = hectares(p.geometrie)
    byname = {"Centre-bourg de L’Argentière": "assets/perimetres/centre-bourg.geojson",
              "Secteur de La Bessée": "assets/perimetres/la-bessee.geojson",
              "Quartier de la Gare": "assets/perimetres/quartier-gare.geojson"}
    conv = _printed_areas(docx_out / "convention.docx")
    assert set(conv) == {"Centre-bourg de L’Argentière", "Secteur de La Bessée"}
    cons = _printed_areas(docx_out / "convention-consolidee-01.docx")
    assert set(cons) == set(byname)
    aven = _printed_areas(docx_out / "avenant-01.docx")
    assert set(aven) == set(byname)  # the new annex 1, quoted whole
    for printed in (conv, cons, aven):
        for name, value in printed.items():
            geom = case.perimetres[byname[name]].geometrie
            assert value == hectares(geom)
            assert abs(float(value) - geom.area / 10_000) <= 0.05


def _pictures(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        doc = z.read("word/document.xml").decode("utf-8")
        media = [n for n in z.namelist() if n.startswith("word/media/")]
    named = re.findall(r'<wp:docPr [^>]*name="([^"]*)" descr="([^"]*)"', doc)
    pictures = [d for n, d in named if n.startswith("carte-")]
    logos = [d for n, d in named if n.startswith("logo-")]  # the partners' band, counted apart
    assert len(pictures) + len(logos) == len(named)
    # each map (and logo) twice: its PNG (what every reader shows) and its SVG (Word 2016+)
    assert len([n for n in media if n.endswith(".png")]) == len(named)
    assert len([n for n in media if n.endswith(".svg") and "carte" in n]) == len(pictures)
    assert len([n for n in media if n.endswith(".svg") and "logo" in n]) == len(logos)
    assert doc.count("<asvg:svgBlip ") == len(named)
    return pictures


def test_convention_avenant_and_consolidated_carry_their_maps(docx_out: Path) -> None:
    conv = _pictures(docx_out / "convention.docx")
    assert len(conv) == 3  # overview + one per secteur
    assert conv[0].startswith("Carte des secteurs d’intervention sur fond cadastral")
    assert "Quartier de la Gare" not in " ".join(conv)
    cons = _pictures(docx_out / "convention-consolidee-01.docx")
    assert len(cons) == 4 and "Quartier de la Gare" in cons[0]
    aven = _pictures(docx_out / "avenant-01.docx")
    assert aven == cons  # the avenant quotes the new annex 1 verbatim, its maps included
    for d in conv + cons + aven:
        assert "ha" in d  # the alt text gives the areas


def test_delimitation_text_is_printed_in_the_annex(docx_out: Path) -> None:
    texts = body_texts(docx_out / "convention.docx")
    assert any(t.startswith("Délimitation") and "RN 94" in t for t in texts)
    texts = body_texts(docx_out / "avenant-01.docx")
    assert any(t.startswith("Délimitation") and "avenue de la Gare" in t for t in texts)


def test_slides_can_draw_the_map(secteurs) -> None:
    uri = maps.CartesHTML.ensemble(secteurs, "Périmètre", "Source")
    assert uri.startswith("data:image/svg+xml;base64,")
    assert maps.CartesHTML.disponible(secteurs)


def test_copil_context_exposes_the_secteurs_for_a_map(case) -> None:
    from docgen.context import copil_context

    ctx = copil_context(case, resolve(case.convention, case.avenants), 4, [])
    rows = ctx["programme"]["perimetres"]
    assert {r["id"] for r in rows} == set(NAMES)
    assert all(r["perimetre"] is not None and r["hectares"] for r in rows)


def test_the_copil_slides_show_the_perimeter_map(built: Path) -> None:
    """A slide of the COPIL held after the avenant maps its three secteurs, labelled."""
    import subprocess

    text = subprocess.run(["pdftotext", str(built / "copil-2026-01-16/diaporama.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    slide = next(p for p in text.split("\f") if p.lstrip().startswith("Secteurs d’intervention"))
    flat = " ".join(slide.split())
    for name in ("Centre-bourg de L’Argentière", "Secteur de La Bessée", "Quartier de la Gare"):
        assert name in flat, name
    assert "ha" in flat.split() and "aucun" not in flat  # areas in the legend; no internal word
    assert "&#39;" not in slide  # the template's words, unescaped once


def _commune_paths(svg: str) -> list[str]:
    return [p.get("d") for p in ET.fromstring(svg).iter(SVG + "path")
            if p.get("class") == "commune"]


@pytest.mark.parametrize("focus", ["centre-bourg", None])
def test_a_zoomed_map_draws_only_the_boundary_it_shows(secteurs, focus) -> None:
    """A commune boundary kilometres beyond a zoomed map is cut to the frame (its dashes out of
    sight cost the renderers time): where it crosses the frame it is drawn, open, within the
    frame; where it passes far away it is not drawn at all. The overview, framed on the
    secteurs since issue 29, cuts it the same way; a boundary wholly in the frame stays whole."""
    from types import SimpleNamespace

    from shapely.geometry import box

    target = next(s for s in secteurs if s["id"] == "centre-bourg")
    x = target["perimetre"].geometrie.centroid.x  # a boundary through the secteur's middle
    crossing = box(x, -1e7, x + 1e7, 1e7)
    moved = [{**s, "contour_commune": SimpleNamespace(geometrie=crossing)} for s in secteurs]
    (d,) = _commune_paths(_draw(moved, focus))
    assert "Z" not in d
    coords = [float(v) for v in d.replace("M", " ").replace("L", " ").split()]
    xs, ys = coords[0::2], coords[1::2]
    x0, y0, x1, y1 = maps.FRAME
    assert all(x0 - 13 <= v <= x1 + 13 for v in xs) and all(y0 - 13 <= v <= y1 + 13 for v in ys)
    assert any(x0 < v < x1 for v in xs)  # it does cross the frame
    far = box(x + 1e6, -1e7, x + 2e6, 1e7)
    moved = [{**s, "contour_commune": SimpleNamespace(geometrie=far)} for s in secteurs]
    assert _commune_paths(_draw(moved, focus)) == []
    if focus is None:  # a boundary around the secteurs, in the frame: drawn whole
        around = target["perimetre"].geometrie.buffer(100)
        moved = [{**s, "contour_commune": SimpleNamespace(geometrie=around)} for s in secteurs]
        (d,) = _commune_paths(_draw(moved, focus))
        assert d.endswith("Z")
