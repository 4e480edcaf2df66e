"""Perimeters of the secteurs: the broken-GeoJSON corpus is refused with French messages naming
the file and the feature, hostile files are refused before they are read, areas are right."""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path

import pytest

from docgen.errors import CaseInvalid
from docgen.load import geo, load_case
from docgen.perimetres import echelle, etendue, hectares
from tests.conftest import EXAMPLE, INVALID, overlay_case

GEO = sorted(p.name for p in INVALID.iterdir() if p.is_dir() and p.name.startswith("geo-"))
LINE = ("  - {id: centre, nom: Centre-bourg, commune: bourg, centre_ville: true, "
        "delimitation: Place de la Halle et rues adjacentes}\n")


def test_corpus_covers_every_kind_of_broken_file() -> None:
    assert len(GEO) >= 15


@pytest.mark.parametrize("name", GEO)
def test_broken_geojson_is_refused_naming_file_and_feature(name: str, tmp_path: Path, run, golden,
                                                          monkeypatch) -> None:
    overlay_case(tmp_path / name, INVALID / name)
    monkeypatch.chdir(tmp_path)
    result = run("check", name)
    assert result.code == 1
    assert "Traceback" not in result.err
    first = next(line for line in result.err.splitlines() if ": avertissement :" not in line)
    assert first.startswith(f"{name}/"), first
    assert "perimetre" in first or "délimité" in first
    if name not in ("geo-non-delimite", "geo-chemin-hors-dossier"):
        assert ".geojson »" in first  # the file is named
    golden(f"invalid/{name}.txt", result.err)


@pytest.mark.parametrize("name", ["geo-type-point", "geo-auto-intersection", "geo-sans-geometrie"])
def test_the_feature_at_fault_is_the_second(name: str, tmp_path: Path) -> None:
    case = overlay_case(tmp_path / name, INVALID / name)
    with pytest.raises(CaseInvalid) as exc:
        load_case(case)
    assert "entité n° 2 (features[1])" in exc.value.errors[0].message


def _with_perimetre(tmp_path: Path, make) -> Path:
    """The minimal case whose secteur points at assets/perimetres/centre.geojson, made by make."""
    case = overlay_case(tmp_path / "c", None)
    conv = case / "convention.yaml"
    conv.write_text(conv.read_text(encoding="utf-8").replace(
        LINE, LINE[:-2] + ", perimetre: assets/perimetres/centre.geojson}\n"), encoding="utf-8")
    (case / "assets" / "perimetres").mkdir(parents=True)
    make(case / "assets" / "perimetres" / "centre.geojson")
    return case


def _errors(case: Path) -> list[str]:
    with pytest.raises(CaseInvalid) as exc:
        load_case(case)
    return [i.message for i in exc.value.errors]


def test_symlink_out_of_the_case_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "dehors.geojson"
    outside.write_text(json.dumps(_square(6.55, 44.79)), encoding="utf-8")
    case = _with_perimetre(tmp_path, lambda p: p.symlink_to(outside))
    assert any("lien symbolique" in m for m in _errors(case))


def test_symlinked_folder_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "ailleurs"
    real.mkdir()
    (real / "centre.geojson").write_text(json.dumps(_square(6.55, 44.79)), encoding="utf-8")

    def make(p: Path) -> None:
        p.parent.rmdir()
        p.parent.symlink_to(real, target_is_directory=True)

    assert any("lien symbolique" in m for m in _errors(_with_perimetre(tmp_path, make)))


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    case = _with_perimetre(tmp_path, lambda p: os.mkfifo(p))
    assert any("n'est pas un fichier ordinaire" in m for m in _errors(case))


def test_file_too_large_is_refused_before_reading(tmp_path: Path) -> None:
    def make(p: Path) -> None:
        with p.open("wb") as fh:
            fh.truncate(geo.MAX_BYTES + 1)  # sparse: nothing written, nothing read

    messages = _errors(_with_perimetre(tmp_path, make))
    assert any("trop volumineux" in m and "centre.geojson" in m for m in messages)


def test_too_many_vertices(tmp_path: Path) -> None:
    import math

    n = geo.MAX_VERTICES + 10
    ring = [[6.55 + 0.01 * math.cos(2 * math.pi * k / n), 44.79 + 0.01 * math.sin(2 * math.pi * k / n)]
            for k in range(n)]
    ring.append(ring[0])
    doc = {"type": "Polygon", "coordinates": [[[round(x, 7), round(y, 7)] for x, y in ring]]}
    case = _with_perimetre(tmp_path, lambda p: p.write_text(json.dumps(doc), encoding="utf-8"))
    assert any("trop de sommets" in m for m in _errors(case))


def test_json_nesting_bomb_is_refused(tmp_path: Path) -> None:
    case = _with_perimetre(tmp_path, lambda p: p.write_text("[" * 100_000, encoding="utf-8"))
    assert any("trop profonde" in m for m in _errors(case))


def _square(x: float, y: float, d: float = 0.004) -> dict:
    ring = [[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]
    return {"type": "FeatureCollection",
            "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "Polygon",
                                                                           "coordinates": [ring]}}]}


def test_wgs84_and_lambert93_give_the_same_perimeter(tmp_path: Path) -> None:
    import pyproj

    wgs = _square(6.55, 44.79)
    t = pyproj.Transformer.from_crs(4326, 2154, always_xy=True)
    l93 = json.loads(json.dumps(wgs))
    ring = l93["features"][0]["geometry"]["coordinates"][0]
    l93["features"][0]["geometry"]["coordinates"][0] = [list(t.transform(*p)) for p in ring]
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "a.geojson").write_text(json.dumps(wgs), encoding="utf-8")
    (tmp_path / "assets" / "b.geojson").write_text(json.dumps(l93), encoding="utf-8")
    a = geo.read_perimetre(tmp_path, "assets/a.geojson")
    b = geo.read_perimetre(tmp_path, "assets/b.geojson")
    assert (a.source_epsg, b.source_epsg, a.epsg, b.epsg) == (4326, 2154, 2154, 2154)
    assert a.geometrie.symmetric_difference(b.geometrie).area < 1.0  # m²
    assert 10 < a.geometrie.area / 1e4 < 25  # 0.004° × 0.004° at 44.8° N ≈ 14 ha


def test_overseas_perimeter_uses_its_local_projection(tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "r.geojson").write_text(json.dumps(_square(55.45, -20.88)), encoding="utf-8")
    p = geo.read_perimetre(tmp_path, "assets/r.geojson")
    assert p.epsg == 2975  # RGR92 / UTM 40S, La Réunion


def test_projection_works_offline() -> None:
    import pyproj.network

    geo._pyproj()
    assert not pyproj.network.is_network_enabled()


def test_example_perimeters_are_loaded_in_lambert93() -> None:
    case = load_case(EXAMPLE)
    assert set(case.perimetres) == {
        "assets/perimetres/centre-bourg.geojson", "assets/perimetres/la-bessee.geojson",
        "assets/perimetres/quartier-gare.geojson", "assets/perimetres/commune-argentiere.geojson"}
    bessee = case.perimetres["assets/perimetres/la-bessee.geojson"]
    assert bessee.source_epsg == 2154  # declared by its crs member
    centre = case.perimetres["assets/perimetres/centre-bourg.geojson"]
    assert centre.source_epsg == 4326  # detected from its coordinates
    x0, y0, x1, y1 = centre.geometrie.bounds  # Lambert-93 metres, L'Argentière-La Bessée
    assert 960_000 < x0 < x1 < 990_000 and 6_410_000 < y0 < y1 < 6_430_000


def test_example_geojson_say_they_are_illustrative() -> None:
    for path in (EXAMPLE / "assets" / "perimetres").glob("*.geojson"):
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert "illustrati" in doc["name"], path.name
        assert all("ILLUSTRATIF" in f["properties"]["statut"] for f in doc["features"])


def test_check_example_passes_with_its_perimeters(run) -> None:
    result = run("check", EXAMPLE)
    assert result.code == 0, result.err


def test_hectares_and_helpers() -> None:
    from shapely.geometry import box

    assert hectares(box(0, 0, 100, 250)) == Decimal("2.5")
    assert hectares(box(0, 0, 333, 333)) == Decimal("11.1")
    assert echelle(3000) == 500 and echelle(11000) == 2000 and echelle(900) == 100
    x0, y0, x1, y1 = etendue([box(0, 0, 10, 10)])
    assert x1 - x0 >= 400 and y1 - y0 >= 400


def test_schema_describes_the_perimeter_fields(run) -> None:
    schema = json.loads(run("schema", "--kind", "convention").out)
    secteur = schema["$defs"]["Secteur"]["properties"]
    assert "GeoJSON" in secteur["perimetre"]["description"]
    assert "Lambert-93" in secteur["perimetre"]["description"]
    assert "rues" in secteur["delimitation"]["description"]
    terr = json.loads(run("schema", "--kind", "territoire").out)
    assert "GeoJSON" in terr["$defs"]["Commune"]["properties"]["perimetre"]["description"]


def test_overlapping_secteurs_get_a_warning(tmp_path: Path) -> None:
    case = _with_perimetre(tmp_path, lambda p: p.write_text(json.dumps(_square(6.55, 44.79)),
                                                            encoding="utf-8"))
    (case / "assets" / "perimetres" / "gare.geojson").write_text(
        json.dumps(_square(6.552, 44.792)), encoding="utf-8")
    conv = case / "convention.yaml"
    conv.write_text(conv.read_text(encoding="utf-8").replace(
        "fiches_actions:\n", "  - {id: gare, nom: Gare, commune: bourg, "
        "perimetre: assets/perimetres/gare.geojson}\nfiches_actions:\n"), encoding="utf-8")
    loaded = load_case(case)
    assert any("se chevauchent" in w.message and "« Centre-bourg » et « Gare »" in w.message
               for w in loaded.warnings)


@pytest.mark.parametrize("text, deep", [
    ("[" * 65 + "]" * 65, True),
    ("[" * 64 + "]" * 64, False),
    ("[" * 100_000, True),  # never closed
    ("[{" * 40 + "}]" * 40, True),
    ("[" + "[]," * 10_000 + "[]]", False),  # wide, not deep
    ('{"a": "]]]]]]]]]]]]", "b": ' + "[" * 70 + "]" * 70 + "}", True),  # a string hides nothing
    ('{"a": "\\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\""}', False),
    ('"\\\\"' + "[[" * 40 + "]]" * 40, True),  # an escaped backslash ends its string
    ("[" + "[[]]," * 50 + "[" * 64 + "]" * 64 + "]", True),
    ("[[1, 2]", False),  # unbalanced, shallow: json.loads says where
])
def test_json_depth_is_measured_outside_strings(text: str, deep: bool) -> None:
    assert geo.depth_exceeds(text, 64) is deep


@pytest.mark.parametrize("pos", [[True, 44.8], [6.5, False], [6.5, 44.8, None], ["6.5", 44.8],
                                 [10 ** 400, 44.8], [6.5], {"x": 6.5, "y": 44.8}])
def test_a_position_that_is_not_numbers_is_refused_in_french(pos) -> None:
    with pytest.raises(geo.GeoProblem, match="position .* invalide"):
        geo.positions("anneau n° 1", [[6.5, 44.8], pos])
