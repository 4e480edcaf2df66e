"""Maps over the base layers (issue 29): the cadastre's parcels and buildings and the named roads
drawn under the secteurs, only what shows in the frame, the roads' names along them, apart,
never upside down; the same bytes whatever the order of the layers; the overview framed on the
secteurs, not on the whole commune."""

from __future__ import annotations

import math
import random
import re
import time
import xml.etree.ElementTree as ET
from itertools import combinations
from types import SimpleNamespace

import pytest
from shapely import affinity
from shapely.geometry import LineString, Point, Polygon, box
from shapely.ops import unary_union

from docgen.formatting import francais
from docgen.load.fond import Fond, Parcelle, Voie
from docgen.render import maps

SVG = "{http://www.w3.org/2000/svg}"
X0, Y0 = 980000.0, 6416000.0  # Lambert-93 metres, near L'Argentière-La Bessée
STREETS = ["Rue des Écoles", "Rue du Moulin", "Rue de la Gare", "Rue Jean Jaurès",
           "Rue du Pont", "Rue des Vignes", "Rue de l'Église", "Rue Victor Hugo",
           "Rue des Alpes", "Rue du Lavoir", "Chemin de la Croix", "Rue Pasteur",
           "Rue des Mines", "Rue de la Durance", "Impasse des Lilas", "Rue du Stade"]
AVENUES = ["Avenue de la République", "Boulevard du Général de Gaulle", "Route de Vallouise",
           "Avenue des Thermes", "Rue Émile Zola", "Avenue du 8 Mai 1945", "Rue du Fournel",
           "Chemin des Aires", "Rue du Château", "Rue des Fusillés"]


def ville(nx: int = 16, ny: int = 10, lot: tuple[float, float] = (26.0, 34.0), angle: float = 12.0,
          pas: float = 120.0, origine: tuple[float, float] = (X0, Y0), seed: int = 1,
          commune: str = "argentiere", nommer: list[str] | None = None) -> Fond:
    """A synthetic town: a grid of streets (turned by `angle`, each street cut into one feature
    per block), a winding main road, the blocks cut into lots (the parcels, numbered by
    section), a building in most lots."""
    rnd = random.Random(seed)
    ox, oy = origine
    w, h = nx * pas, ny * pas
    rot = lambda g: affinity.rotate(g, angle, origin=(ox, oy))  # noqa: E731
    voies: list[Voie] = []
    for j in range(ny + 1):  # the streets across (east–west), a feature per block
        nom = (nommer or STREETS)[j % len(nommer or STREETS)]
        for i in range(nx):
            seg = LineString([(ox + i * pas, oy + j * pas), (ox + (i + 1) * pas, oy + j * pas)])
            voies.append(Voie(nom, rot(seg)))
    for i in range(0, nx + 1):  # the streets along (north–south)
        nom = AVENUES[i % len(AVENUES)] if i % 2 == 0 else None  # every other unnamed
        for j in range(ny):
            seg = LineString([(ox + i * pas, oy + j * pas), (ox + i * pas, oy + (j + 1) * pas)])
            voies.append(Voie(nom, rot(seg)))
    main = LineString([(ox + w * 0.45 + 90 * math.sin(t / 6), oy - 40 + t * (h + 80) / 60)
                       for t in range(61)])  # the winding road through the town
    voies.append(Voie("Route Nationale 94", rot(main)))
    roads = unary_union([v.geometrie for v in voies]).buffer(5.0)
    parcelles: list[Parcelle] = []
    batiments = []
    lx, ly = lot
    for i in range(int(w // lx)):
        for j in range(int(h // ly)):
            cell = rot(box(ox + i * lx, oy + j * ly, ox + (i + 1) * lx, oy + (j + 1) * ly))
            cell = cell.difference(roads)
            if cell.is_empty or cell.area < 40:
                continue
            polys = [cell] if cell.geom_type == "Polygon" else list(cell.geoms)
            for k, p in enumerate(polys):
                if p.area < 40:
                    continue
                section = f"A{chr(65 + (i // 8) % 26)}"
                numero = (j * 100 + i) * 4 + k + 1
                parcelles.append(Parcelle(f"05006000{section}{numero:04d}", "000", section,
                                          numero, round(p.area), p))
                if rnd.random() < 0.7 and p.area > 300:
                    c = p.representative_point()
                    b = affinity.rotate(box(c.x - 5, c.y - 4, c.x + 5, c.y + 4), angle,
                                        origin=c)
                    if p.contains(b):
                        batiments.append(b)
    return Fond(commune, "05006", 2154, tuple(parcelles), tuple(batiments), tuple(voies),
                None, 50)


def secteur(ident: str, nom: str, geom, fond: Fond | None, commune: str = "argentiere",
            contour=None) -> dict:
    return {"id": ident, "nom": nom, "commune": commune, "hectares": None,
            "perimetre": SimpleNamespace(geometrie=geom, epsg=2154), "fond": fond,
            "contour_commune": None if contour is None else SimpleNamespace(geometrie=contour)}


@pytest.fixture(scope="module")
def fond() -> Fond:
    return ville()


def _secteurs(fond: Fond | None) -> list[dict]:
    a = Point(X0 + 700, Y0 + 500).buffer(220, 6)
    b = affinity.rotate(box(X0 + 1100, Y0 + 850, X0 + 1500, Y0 + 1150), 12, origin=(X0, Y0))
    return [secteur("centre", "Centre-bourg", a, fond),
            secteur("gare", "Quartier de la Gare", b, fond)]


def _draw(secteurs, focus=None) -> str:
    return maps.draw(secteurs, "Titre", "Source", focus=focus, communes=maps.contours(secteurs),
                     fonds=maps.fonds(secteurs))


def _paths(svg: str) -> dict[str, ET.Element]:
    return {p.get("class"): p for p in ET.fromstring(svg).iter(SVG + "path")
            if p.get("class") in ("parcelles", "batiments", "voies", "voies-bord")}


def _road_names(svg: str) -> list[tuple[str, str, float, Polygon]]:
    out = []
    for g in ET.fromstring(svg).iter(SVG + "g"):
        if g.get("class") == "voie-nom":
            v = [float(x) for x in g.get("data-boite").split()]
            text = next(g.iter(SVG + "text")).text
            out.append((g.get("data-voie"), text, float(g.get("data-angle")),
                        Polygon(list(zip(v[0::2], v[1::2])))))
    return out


def _secteur_boxes(svg: str) -> list[Polygon]:
    out = []
    for g in ET.fromstring(svg).iter(SVG + "g"):
        if g.get("class") == "etiquette":
            out.append(box(*(float(v) for v in g.get("data-boite").split())))
    return out


def _points(d: str) -> list[tuple[float, float]]:
    nums = [float(v) for v in re.sub("[MLZ]", " ", d).split()]
    return list(zip(nums[0::2], nums[1::2]))


@pytest.mark.parametrize("focus", [None, "centre", "gare"])
def test_base_layers_are_drawn_under_the_secteurs(fond, focus) -> None:
    svg = _draw(_secteurs(fond), focus)
    clip = next(g for g in ET.fromstring(svg).iter(SVG + "g") if g.get("clip-path"))
    classes = [p.get("class") for p in clip.iter(SVG + "path")]
    # parcels, buildings, the roads (their edge, then their white), then the secteurs on top
    assert classes[:4] == ["parcelles", "batiments", "voies-bord", "voies"]
    assert set(classes[4:]) == {"secteur"}
    paths = _paths(svg)
    assert paths["parcelles"].get("fill") == maps.PARCELLE_FOND
    assert float(paths["parcelles"].get("stroke-width")) > 0
    edge, white = (float(paths[c].get("stroke-width")) for c in ("voies-bord", "voies"))
    assert edge > white
    # the secteurs let the parcels show through
    for p in ET.fromstring(svg).iter(SVG + "path"):
        if p.get("class") == "secteur":
            assert float(p.get("fill-opacity")) <= 0.2
    # the parcels inside the focused (or first) secteur are drawn there, each its own ring
    ident = focus or "centre"
    outline = next(Polygon(_points(p.get("d"))) for p in clip.iter(SVG + "path")
                   if p.get("data-secteur") == ident)
    rings = [Polygon(_points("M" + r)) for r in paths["parcelles"].get("d").split("M")[1:]]
    assert sum(1 for r in rings if outline.contains(r)) >= 20
    assert _legend(svg) == ["Parcelles cadastrales", "Bâtiments", "Voies"]


def _legend(svg: str) -> list[str]:
    return [t.text for g in ET.fromstring(svg).iter(SVG + "g")
            if g.get("class") == "legende-fond" for t in g.iter(SVG + "text")]


def test_the_legend_lists_only_the_layers_drawn(fond) -> None:
    parcels_only = Fond(fond.commune, fond.code_insee, 2154, fond.parcelles, (), (), None, 50)
    svg = _draw(_secteurs(parcels_only))
    assert _legend(svg) == ["Parcelles cadastrales"]
    assert set(_paths(svg)) == {"parcelles"}
    roads_only = Fond(fond.commune, fond.code_insee, 2154, (), (), fond.voies, None, 50)
    assert _legend(_draw(_secteurs(roads_only))) == ["Voies"]


def test_layers_in_another_crs_are_drawn_in_the_map_s(fond) -> None:
    """A commune's layers in another metric CRS (UTM 31N) land where the Lambert-93 ones do."""
    import numpy as np
    import pyproj
    import shapely

    t = pyproj.Transformer.from_crs(2154, 32631, always_xy=True)

    def utm(g):
        return shapely.transform(g, lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))

    moved = Fond(fond.commune, fond.code_insee, 32631,
                 tuple(Parcelle(p.id, p.prefixe, p.section, p.numero, p.contenance,
                                utm(p.geometrie)) for p in fond.parcelles),
                 tuple(utm(b) for b in fond.batiments),
                 tuple(Voie(v.nom, utm(v.geometrie)) for v in fond.voies), None, 50)
    a, b = _draw(_secteurs(fond), "centre"), _draw(_secteurs(moved), "centre")
    pa, pb = (_points(_paths(x)["parcelles"].get("d")) for x in (a, b))
    assert abs(len(pa) - len(pb)) < 0.02 * len(pa)
    xa, ya = zip(*pa)
    xb, yb = zip(*pb)
    assert abs(sum(xa) / len(xa) - sum(xb) / len(xb)) < 1.0  # SVG units
    assert abs(sum(ya) / len(ya) - sum(yb) / len(yb)) < 1.0


def test_only_what_shows_in_the_frame_is_written(fond) -> None:
    secteurs = _secteurs(fond)
    svg = _draw(secteurs, "centre")
    d = _paths(svg)["parcelles"].get("d")
    x0, y0, x1, y1 = maps.FRAME
    pts = _points(d)
    assert all(x0 - 8 <= x <= x1 + 8 and y0 - 8 <= y <= y1 + 8 for x, y in pts)
    # as many rings as parcels meeting the window (give or take those cut in two), far fewer
    # than the commune has
    rings = d.count("M")
    view = maps._View(maps.calc.etendue([secteurs[0]["perimetre"].geometrie], marge=0.25))
    window = view.window(6)
    meeting = sum(1 for p in fond.parcelles if p.geometrie.intersects(window))
    assert meeting * 0.9 <= rings <= meeting * 1.2
    assert rings < len(fond.parcelles) / 3
    for cls in ("batiments", "voies"):
        assert all(x0 - 8 <= x <= x1 + 8 and y0 - 8 <= y <= y1 + 8
                   for x, y in _points(_paths(svg)[cls].get("d")))


def test_a_layer_out_of_sight_is_neither_drawn_nor_in_the_legend(fond) -> None:
    far = ville(nx=3, ny=3, origine=(X0 + 20000, Y0 + 20000))
    svg = _draw(_secteurs(far))
    assert not _paths(svg)
    assert 'class="legende-fond"' not in svg and 'class="voie-nom"' not in svg
    # the secteurs then as without base layers
    assert svg == _draw(_secteurs(None))


@pytest.mark.parametrize("focus", [None, "centre", "gare"])
def test_road_names_are_apart_upright_and_in_the_frame(fond, focus) -> None:
    svg = _draw(_secteurs(fond), focus)
    names = _road_names(svg)
    assert len(names) >= 4
    polys = [p for *_, p in names]
    for a, b in combinations(polys, 2):
        assert a.intersection(b).area < 1e-6
    for p in polys:
        for s in _secteur_boxes(svg):
            assert p.intersection(s).area < 1e-6
    frame = box(*maps.FRAME)
    furniture = []  # the north arrow's and the scale bar's backgrounds
    for r in ET.fromstring(svg).iter(SVG + "rect"):
        if r.get("fill-opacity") == "0.85":
            x, y, w, h = (float(r.get(k)) for k in ("x", "y", "width", "height"))
            furniture.append(box(x, y, x + w, y + h))
    assert len(furniture) == 2
    for p in polys:
        assert frame.contains(p)
        assert all(p.intersection(f).area < 1e-6 for f in furniture)
    for nom, text, angle, p in names:
        assert -90 < angle <= 90
        assert text == francais(nom)
        # the box is as long as the text (Liberation Sans) and turned as the text is
        (ax, ay), (bx, by) = list(p.exterior.coords)[:2]
        assert math.isclose(math.degrees(math.atan2(by - ay, bx - ax)), angle, abs_tol=0.5)
        assert math.dist((ax, ay), (bx, by)) >= maps.text_width(text, maps.VOIE_TAILLE)
    assert len({n for n, *_ in names}) == len(names)  # each road named once


def test_road_names_sit_on_their_road(fond) -> None:
    svg = _draw(_secteurs(fond))
    view = maps._View(maps.calc.etendue([s["perimetre"].geometrie for s in _secteurs(fond)],
                                        marge=0.12))
    for nom, _, _, p in _road_names(svg):
        road = unary_union([view.shape(v.geometrie) for v in fond.voies if v.nom == nom])
        centre = p.centroid
        assert road.distance(centre) < 4.0, nom  # centred on its line
        assert road.intersection(p).length >= 0.9 * math.dist(*list(p.exterior.coords)[:2])


def test_a_road_turned_any_way_is_never_upside_down() -> None:
    frame = maps.Box(20, 64, 700, 660)
    for deg in range(0, 360, 15):
        t = math.radians(deg)
        line = LineString([(360 - 200 * math.cos(t), 360 - 200 * math.sin(t)),
                           (360 + 200 * math.cos(t), 360 + 200 * math.sin(t))])
        (n,) = maps.place_road_names([("Rue du Moulin", line)], frame, [])
        assert -90 < n.angle <= 90
        assert math.isclose((n.angle - deg) % 180, 0, abs_tol=0.2) or \
            math.isclose((n.angle - deg) % 180, 180, abs_tol=0.2)


def test_a_road_without_room_stays_unnamed() -> None:
    frame = maps.Box(20, 64, 700, 660)
    short = LineString([(300, 300), (330, 300)])  # shorter than its name
    bent = LineString([(300, 300), (360, 300), (360, 360), (300, 360), (300, 420)])  # no straight
    assert maps.place_road_names([("Rue du Moulin", short), ("Rue du Pont", bent)], frame, []) == []
    # a road under a reserved box: no name either
    line = LineString([(300, 300), (500, 300)])
    under = [maps.Box(280, 280, 520, 320)]
    assert maps.place_road_names([("Rue du Moulin", line)], frame, under) == []
    # two roads over one another: the longer named, the other not over it
    a, b = LineString([(100, 300), (600, 300)]), LineString([(310, 303), (390, 303)])
    (n,) = maps.place_road_names([("Rue B", b), ("Rue A", a)], frame, [])
    assert n.nom == "Rue A"


def test_shuffled_layers_give_the_same_bytes(fond) -> None:
    rnd = random.Random(7)
    parcelles, batiments, voies = list(fond.parcelles), list(fond.batiments), list(fond.voies)
    rnd.shuffle(parcelles)
    rnd.shuffle(batiments)
    rnd.shuffle(voies)
    shuffled = Fond(fond.commune, fond.code_insee, fond.epsg, tuple(parcelles), tuple(batiments),
                    tuple(voies), fond.source, fond.seuil)
    for focus in (None, "centre"):
        assert _draw(_secteurs(fond), focus) == _draw(_secteurs(shuffled), focus)


def test_road_names_are_escaped() -> None:
    nom = 'Rue <des> "Prés" & Champs'
    fond = ville(nx=8, ny=6, nommer=[nom])
    svg = _draw(_secteurs(fond))
    root = ET.fromstring(svg)  # well-formed
    names = _road_names(svg)
    assert any(n == nom and t == francais(nom) for n, t, *_ in names)
    assert "&lt;des&gt;" in svg and "&amp; Champs" in svg and "<des>" not in svg
    assert root is not None


def test_each_commune_s_layers_once(fond) -> None:
    secteurs = _secteurs(fond)
    other = ville(nx=3, ny=3, origine=(X0 + 5000, Y0), commune="autre")
    secteurs.append(secteur("loin", "Loin", box(X0 + 5100, Y0 + 100, X0 + 5200, Y0 + 200), other,
                            commune="autre"))
    assert maps.fonds(secteurs) == [fond, other]
    assert maps.fonds([{**s, "fond": None} for s in secteurs]) == []


def test_without_base_layers_the_map_is_as_before(fond) -> None:
    svg = _draw(_secteurs(None))
    assert not _paths(svg) and "legende-fond" not in svg and "voie-nom" not in svg
    for p in ET.fromstring(svg).iter(SVG + "path"):
        if p.get("class") == "secteur":
            assert p.get("fill-opacity") == "0.35"


def test_overview_frames_the_secteurs_not_the_commune(fond) -> None:
    """The overview zooms on the secteurs: a commune ten kilometres wide is cut to the frame,
    the secteurs fill it."""
    commune = box(X0 - 5000, Y0 - 5000, X0 + 5000, Y0 + 5000)
    secteurs = [{**s, "contour_commune": SimpleNamespace(geometrie=commune)}
                for s in _secteurs(fond)]
    svg = _draw(secteurs)
    xs, ys = [], []
    for p in ET.fromstring(svg).iter(SVG + "path"):
        if p.get("class") == "secteur":
            for x, y in _points(p.get("d")):
                xs.append(x)
                ys.append(y)
    x0, y0, x1, y1 = maps.FRAME
    # the secteurs span most of the frame (one side at least)
    assert (max(xs) - min(xs)) / (x1 - x0) > 0.6 or (max(ys) - min(ys)) / (y1 - y0) > 0.6


def test_drawing_time_and_size_over_a_large_cadastre(capsys) -> None:
    big = ville(nx=28, ny=18, origine=(X0 - 1000, Y0 - 600))  # some 10 000 parcels
    assert len(big.parcelles) > 9000
    secteurs = _secteurs(big)
    t0 = time.perf_counter()
    svg = _draw(secteurs)
    t1 = time.perf_counter()
    with capsys.disabled():
        print(f"\n  carte sur {len(big.parcelles)} parcelles : SVG {1000 * (t1 - t0):.0f} ms, "
              f"{len(svg.encode()) // 1024} Kio")
    assert t1 - t0 < 3.0
    assert len(svg.encode()) < 1_500_000
