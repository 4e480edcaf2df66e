"""The cadastre under the maps and the parcels of each secteur (issue 29): base layers read with
the perimeters' rules and refused in French at their field, naming the file and the feature;
the parcels of a secteur computed (half-in: partial), written in the cadastre's notation in the
annex and the CSV, identical whatever the order of the layer's features."""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

import pytest

from docgen import parcelles
from docgen.errors import CaseInvalid
from docgen.load import load_case
from tests.conftest import overlay_case

X0, Y0, SIDE = 980_000.0, 6_418_000.0, 20.0
LINE = ("  - {id: centre, nom: Centre-bourg, commune: bourg, centre_ville: true, "
        "delimitation: Place de la Halle et rues adjacentes}\n")
L93 = {"type": "name", "properties": {"name": "EPSG:2154"}}


def _square(x: float, y: float, w: float, h: float) -> list[list[list[float]]]:
    return [[[x, y], [x + w, y], [x + w, y + h], [x, y + h], [x, y]]]


def parcels(numbers: list[int] | None = None, commune: str = "05006") -> list[dict]:
    """A 4 × 4 grid of 20 m parcels, section AB, numbered by column: 1–4, 5–8, 9–12, 13–16."""
    out = []
    for col in range(4):
        for row in range(4):
            n = col * 4 + row + 1
            if numbers is not None and n not in numbers:
                continue
            out.append({"type": "Feature", "properties": {
                "id": f"05006000AB{n:04d}", "commune": commune, "prefixe": "000",
                "section": "AB", "numero": str(n), "contenance": 400},
                "geometry": {"type": "Polygon", "coordinates": _square(
                    X0 + col * SIDE, Y0 + row * SIDE, SIDE, SIDE)}})
    return out


def roads(name_key: str = "nom") -> list[dict]:
    return [{"type": "Feature", "properties": {name_key: "Rue de la Halle"},
             "geometry": {"type": "LineString", "coordinates": [[X0 - 5, Y0 - 5],
                                                                [X0 + 85, Y0 - 5]]}}]


def _write(path: Path, features: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"type": "FeatureCollection", "crs": L93, "features": features}),
                    encoding="utf-8")


def case_with_fond(tmp_path: Path, features: list[dict] | None = None,
                   voies: list[dict] | None = None, fond_extra: str = "") -> Path:
    """The minimal case whose commune has a cadastre, and whose secteur covers the grid's first
    two columns whole and half of the third (x from X0 to X0 + 50 m)."""
    case = overlay_case(tmp_path / "c", None)
    terr = case / "territoire.yaml"
    terr.write_text(terr.read_text(encoding="utf-8").replace(
        "      nom: Bourg-d'Essai\n",
        "      nom: Bourg-d'Essai\n      code_insee: \"05006\"\n      fond:\n"
        "        parcelles: assets/fond/parcelles.json\n        voies: assets/fond/voies.geojson\n"
        + fond_extra), encoding="utf-8")
    conv = case / "convention.yaml"
    conv.write_text(conv.read_text(encoding="utf-8").replace(
        LINE, LINE[:-2] + ", perimetre: assets/perimetres/centre.geojson}\n"), encoding="utf-8")
    _write(case / "assets" / "perimetres" / "centre.geojson", [{
        "type": "Feature", "properties": {},
        "geometry": {"type": "Polygon", "coordinates": _square(X0, Y0, 2.5 * SIDE, 4 * SIDE)}}])
    _write(case / "assets" / "fond" / "parcelles.json", parcels() if features is None else features)
    _write(case / "assets" / "fond" / "voies.geojson", roads() if voies is None else voies)
    return case


def _secteur(case: Path) -> dict:
    from docgen.context.common import programme

    c = load_case(case)
    return programme(c.territoire, c.convention, c.perimetres, c.fonds)["secteurs"][0]


def test_a_parcel_half_in_is_listed_as_partial(tmp_path: Path) -> None:
    p = _secteur(case_with_fond(tmp_path))["parcelles"]
    assert p["nombre"] == 12 and p["nombre_entieres"] == 8 and p["nombre_partielles"] == 4
    assert p["entieres"].replace(NB, " ") == "section AB n° 1 à 8"
    assert p["partielles"].replace(NB, " ") == "section AB n° 9 à 12"
    assert p["contenance"].replace(NB, " ") == "48 a 00 ca"  # 12 × 400 m², as recorded


def test_a_higher_threshold_leaves_the_half_in_parcels_out(tmp_path: Path) -> None:
    p = _secteur(case_with_fond(tmp_path, fond_extra="        seuil: 60\n"))["parcelles"]
    assert p["nombre"] == 8 and p["nombre_partielles"] == 0


def test_a_number_the_cadastre_lacks_breaks_a_run(tmp_path: Path) -> None:
    """« 1 à 8 » would seem to include AB 3 and AB 6, which the layer lacks: every number of a
    run is a parcel listed, whatever the extent of the layer."""
    numbers = [n for n in range(1, 17) if n not in (3, 6)]
    p = _secteur(case_with_fond(tmp_path, parcels(numbers)))["parcelles"]
    assert p["entieres"].replace(NB, " ") == "section AB n° 1, 2, 4, 5, 7, 8"


def test_ranges_by_section_and_prefix() -> None:
    from dataclasses import dataclass

    @dataclass
    class P:
        prefixe: str
        section: str
        numero: int

    every = [P("000", "AB", n) for n in range(1, 30)] + [P("000", "AC", n) for n in (101, 102,
                                                                                    103, 150)]
    every += [P("012", "A", 7)]
    chosen = [p for p in every if p.numero in (12, 13, 14, 15, 16, 17, 18, 21, 101, 102, 103, 7)
              or (p.section == "AB" and p.numero == 22)]
    assert parcelles.notation(chosen).replace("\u00a0", " ") == (
        "section AB n° 7, 12 à 18, 21, 22 ; section AC n° 101 à 103 ; section 012 A n° 7")


def test_the_list_is_the_same_with_the_features_shuffled(tmp_path: Path) -> None:
    first = _secteur(case_with_fond(tmp_path / "a"))["parcelles"]
    shuffled = parcels()
    random.Random(7).shuffle(shuffled)
    second = _secteur(case_with_fond(tmp_path / "b", shuffled))["parcelles"]
    assert first == second


def _error(case: Path) -> str:
    with pytest.raises(CaseInvalid) as exc:
        load_case(case)
    errors = [i for i in exc.value.errors if i.is_error]
    assert errors, exc.value.errors
    e = errors[0]
    assert e.file.endswith("territoire.yaml") and e.line > 1
    return f"{e.path}: {e.message}"


def test_a_parcel_layer_of_another_commune_is_refused(tmp_path: Path) -> None:
    error = _error(case_with_fond(tmp_path, parcels(commune="05023")))
    assert error.startswith("territoire.communes[0].fond.parcelles:")
    assert "« assets/fond/parcelles.json », entité n° 1 (features[0])" in error
    assert "05023" in error and "05006" in error


def test_a_duplicated_parcel_id_is_refused(tmp_path: Path) -> None:
    features = parcels()
    features[5]["properties"]["id"] = features[2]["properties"]["id"]
    error = _error(case_with_fond(tmp_path, features))
    assert "entité n° 6 (features[5])" in error and "05006000AB0003" in error
    assert "déjà l'entité n° 3" in error


def test_a_road_layer_without_the_name_property_is_refused(tmp_path: Path) -> None:
    error = _error(case_with_fond(tmp_path, voies=roads("name")))
    assert error.startswith("territoire.communes[0].fond.voies:")
    assert "« assets/fond/voies.geojson », entité n° 1 (features[0])" in error
    assert "« nom »" in error and "« name »" in error and "nom_voie" in error


def test_the_road_name_property_is_settable(tmp_path: Path) -> None:
    case = case_with_fond(tmp_path, voies=roads("name"), fond_extra="        nom_voie: name\n")
    assert _secteur(case)["fond"].voies[0].nom == "Rue de la Halle"


def test_parcels_need_the_commune_insee_code(tmp_path: Path) -> None:
    case = case_with_fond(tmp_path)
    terr = case / "territoire.yaml"
    terr.write_text(terr.read_text(encoding="utf-8").replace('      code_insee: "05006"\n', ""),
                    encoding="utf-8")
    error = _error(case)
    assert error.startswith("territoire.communes[0].code_insee:") and "code_insee" in error


@pytest.mark.parametrize(("prop", "value", "words"), [
    ("numero", "12b", "un numéro de 1 à 9999"),
    ("contenance", "grand", "une surface entière en m²"),
    ("section", "A-B", "une section"),
])
def test_a_malformed_parcel_property_is_refused_at_its_feature(tmp_path: Path, prop: str,
                                                              value: str, words: str) -> None:
    features = parcels()
    features[3]["properties"][prop] = value
    error = _error(case_with_fond(tmp_path, features))
    assert "entité n° 4 (features[3])" in error and f"« {prop} »" in error and words in error


def test_a_point_outside_france_is_named(tmp_path: Path) -> None:
    features = parcels()
    features[0]["geometry"]["coordinates"][0][2] = [80_000_000.0, 6_418_020.0]
    error = _error(case_with_fond(tmp_path, features))
    assert "entité n° 1 (features[0])" in error and "hors de France" in error
    assert "(8e+07 ; 6.41802e+06)" in error  # the point


def test_a_symbolic_link_layer_is_refused(tmp_path: Path) -> None:
    case = case_with_fond(tmp_path)
    target = case / "assets" / "fond" / "parcelles.json"
    outside = tmp_path / "ailleurs.json"
    target.rename(outside)
    target.symlink_to(outside)
    with pytest.raises(CaseInvalid) as exc:
        load_case(case)
    assert any("lien symbolique" in i.message and "parcelles.json" in i.file + i.message
               for i in exc.value.errors)


def test_the_csv_lists_the_parcels_and_defuses_formulas(tmp_path: Path) -> None:
    features = parcels()
    features[0]["properties"]["id"] = "=HYPERLINK(\"http://x\")"
    s = _secteur(case_with_fond(tmp_path, features))
    data = parcelles.csv_bytes([s])
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "secteur" and len(rows) == 13
    assert all(not r[4].startswith("=") for r in rows[1:])
    partial = [r for r in rows[1:] if r[10] == "coupée par le périmètre, comprise en totalité"]
    assert [r[7] for r in partial] == ["9", "10", "11", "12"] and partial[0][9] == "50,0"


# ------------------------------------------------------------------ the example, as built

NB = "\u00a0"


def _expand(notation: str, fond) -> set[tuple[str, int]]:
    """« section AB n° 12 à 18, 21 ; … » back to (section, number) pairs, a run meaning every
    parcel of the section's cadastre numbered within it."""
    import re

    numbers: dict[str, list[int]] = {}
    for p in fond.parcelles:
        numbers.setdefault(p.section, []).append(p.numero)
    out = set()
    for part in notation.replace(NB, " ").rstrip(".").split(" ; "):
        m = re.fullmatch(r"section (\w+) n° (.+)", part)
        assert m, part
        section = m.group(1)
        for item in m.group(2).split(", "):
            a, _, b = item.partition(" à ")
            lo, hi = int(a), int(b or a)
            assert all(n in numbers[section] for n in range(lo, hi + 1)), item  # no gap
            out |= {(section, n) for n in range(lo, hi + 1)}
    return out


def _annex_parcels(texts: list[str], fond) -> dict[str, set[tuple[str, int]]]:
    """The parcels each secteur of an annex 1 lists (entirely and partially), by secteur name."""
    out: dict[str, set[tuple[str, int]]] = {}
    current = None
    for t in texts:
        if t.startswith("Commune" + NB + ":"):
            current = previous
        previous = t
        if current and t.startswith(("Entièrement comprise", "Coupée")):
            out.setdefault(current, set()).update(_expand(t.split(NB + ": ", 1)[1], fond))
    return out


def test_the_example_annex_lists_each_secteur_s_parcels_as_the_csv_does(built: Path) -> None:
    from tests.conftest import EXAMPLE
    from tests.docx_helpers import body_texts

    fond = load_case(EXAMPLE).fonds["argentiere"]
    texts = body_texts(built / "convention.docx")
    annex = texts[texts.index(f"Annexe{NB}1 – Secteurs d’intervention"):]
    listed = _annex_parcels(annex, fond)
    assert set(listed) == {"Centre-bourg de L’Argentière", "Secteur de La Bessée"}
    assert all(len(v) > 100 for v in listed.values())
    assert any(t.startswith("Parcelles cadastrales comprises dans le secteur" + NB + ": ")
               and "contenance cadastrale totale de" in t for t in annex)
    rows = list(csv.reader(io.StringIO(
        (built / "convention-parcelles.csv").read_text(encoding="utf-8-sig")), delimiter=";"))
    from_csv: dict[str, set[tuple[str, int]]] = {}
    for r in rows[1:]:
        from_csv.setdefault(r[1].replace("'", "’"), set()).add((r[6], int(r[7])))
    assert from_csv == listed
    # the consolidated version after avenant n° 1: the Quartier de la Gare too, the same lists
    consolidated = body_texts(built / "convention-consolidee-01.docx")
    after = _annex_parcels(consolidated[consolidated.index(
        f"Annexe{NB}1 – Secteurs d’intervention"):], fond)
    assert set(after) == set(listed) | {"Quartier de la Gare"}
    assert all(after[k] == v for k, v in listed.items())


def test_the_avenant_adding_a_secteur_lists_the_parcels_it_adds(built: Path) -> None:
    from tests.conftest import EXAMPLE
    from tests.docx_helpers import body_texts

    fond = load_case(EXAMPLE).fonds["argentiere"]
    texts = body_texts(built / "avenant-01.docx")
    article_1 = texts[texts.index(f"Article{NB}1er – Objet de l’avenant"):]
    sentence = next(t for t in article_1 if t.startswith(
        f"Le secteur d’intervention «{NB}Quartier de la Gare{NB}», que le présent avenant "
        "ajoute, comprend "))
    added = _expand(sentence.split(NB + ": ", 1)[1], fond)
    consolidated = body_texts(built / "convention-consolidee-01.docx")
    annex = _annex_parcels(consolidated[consolidated.index(
        f"Annexe{NB}1 – Secteurs d’intervention"):], fond)
    assert added == annex["Quartier de la Gare"]
    assert f"comprend {len(added)} parcelles cadastrales" in sentence


def test_a_territory_signed_without_parcels_lists_them_from_the_next_avenant(
        tmp_path: Path, run) -> None:
    """`listes_depuis`: acts dated before it keep their text (no parcels); the first avenant
    after it replaces annex 1 by the one with the lists."""
    from tests.conftest import EXAMPLE
    from tests.docx_helpers import body_texts

    case = overlay_case(tmp_path / "pays-des-ecrins", None, EXAMPLE)
    terr = case / "territoire.yaml"
    terr.write_text(terr.read_text(encoding="utf-8").replace(
        "        voies: assets/fond/voies.geojson\n",
        "        voies: assets/fond/voies.geojson\n        listes_depuis: 2024-06-01\n"),
        encoding="utf-8")
    result = run("build", case, "--doc", "convention", "--doc", "avenant", "--no-pdf", "--out",
                 tmp_path / "o")
    assert result.code == 0, result.err
    out = tmp_path / "o" / "pays-des-ecrins"
    convention = "\n".join(body_texts(out / "convention.docx"))
    assert "Parcelles cadastrales" not in convention  # signed in 2023: as it was
    avenant = body_texts(out / "avenant-01.docx")
    amended = next(i for i, t in enumerate(avenant) if t.startswith(f"Article{NB}") and
                   "annexe" + NB + "1" in t)
    assert any(t.startswith("Parcelles cadastrales comprises") for t in avenant[amended:])
    assert any("Quartier de la Gare" in t and "que le présent avenant ajoute, comprend" in t
               for t in avenant)
    consolidated = "\n".join(body_texts(out / "convention-consolidee-01.docx"))
    assert consolidated.count("Parcelles cadastrales comprises dans le secteur") == 3


HOSTILE = "</text><script>alert(1)</script> & {{ x }} #import \"/etc/passwd\" ]]>"


def test_hostile_words_of_the_layers_stay_words_in_the_maps(tmp_path: Path, run) -> None:
    """The source of the layers (territoire.yaml) and a road's name (the GeoJSON) reach the
    maps' SVG, in the DOCX and the PDF: escaped, never markup."""
    import zipfile

    from lxml import etree

    bad_road = roads()
    bad_road[0]["properties"]["nom"] = HOSTILE
    case = case_with_fond(tmp_path, voies=bad_road,
                          fond_extra=f"        source: {json.dumps(HOSTILE)}\n")
    result = run("build", case, "--doc", "convention", "--out", tmp_path / "o")
    assert result.code == 0, result.err
    out = tmp_path / "o" / "c"
    with zipfile.ZipFile(out / "convention.docx") as z:
        svgs = [z.read(n) for n in z.namelist() if n.endswith(".svg") and "carte" in n]
    assert svgs
    for svg in svgs:
        root = etree.fromstring(svg)  # well-formed: nothing closed or opened by the words
        assert not root.findall(".//{http://www.w3.org/2000/svg}script")
        texts = "".join(root.itertext())
        assert "fond\u00a0: </text><script>alert(1)</script> & {{ x }} #import" in texts
    assert (out / "convention.pdf").stat().st_size > 0


def test_a_road_name_loses_its_control_and_direction_characters(tmp_path: Path) -> None:
    road = roads()
    road[0]["properties"]["nom"] = "Rue\u202e de\x00 la\u200b  Halle\x07" + "x" * 300
    nom = _secteur(case_with_fond(tmp_path, voies=road))["fond"].voies[0].nom
    assert nom.startswith("Rue de la Halle") and len(nom) == 120


def test_a_layer_that_misses_the_secteur_is_warned(tmp_path: Path) -> None:
    """Shifted 50 km (a layer of another place, or coordinates taken for others): the act would
    say « aucune parcelle » of a secteur full of them; the loader says so at the perimeter."""
    shifted = parcels()
    for feat in shifted:
        feat["geometry"]["coordinates"] = [[[x + 50_000, y] for x, y in ring]
                                           for ring in feat["geometry"]["coordinates"]]
    case = load_case(case_with_fond(tmp_path, shifted))
    warned = [w for w in case.warnings if "aucune parcelle" in w.message]
    assert warned and warned[0].path == "secteurs[0].perimetre"
    assert "« assets/fond/parcelles.json »" in warned[0].message


def test_one_number_one_parcel(tmp_path: Path) -> None:
    features = parcels()
    features[5]["properties"]["numero"] = "3"  # AB 3 under another id
    error = _error(case_with_fond(tmp_path, features))
    assert "entité n° 6 (features[5])" in error and "section" in error and "n°" in error
    assert "déjà l'entité n° 3" in error


def test_a_parcels_layer_over_5_mb_is_read(tmp_path: Path) -> None:
    """The 5 MB limit of pictures is not a cadastre's: a layer of 6 MB is checked and read."""
    features = parcels()
    features[0]["properties"]["note"] = "x" * (6 * 1024 * 1024)
    case = case_with_fond(tmp_path, features)
    assert (case / "assets" / "fond" / "parcelles.json").stat().st_size > 6 * 1024 * 1024
    assert _secteur(case)["parcelles"]["nombre"] == 12


def test_an_empty_fond_claims_no_base_map(tmp_path: Path) -> None:
    case = case_with_fond(tmp_path)
    terr = case / "territoire.yaml"
    text = terr.read_text(encoding="utf-8")
    text = text.replace("        parcelles: assets/fond/parcelles.json\n", "").replace(
        "        voies: assets/fond/voies.geojson\n", "").replace("      fond:\n", "      fond: {}\n")
    terr.write_text(text, encoding="utf-8")
    s = _secteur(case)
    assert s["fond"] is None and s["parcelles"] is None


def test_a_roads_only_fond_is_not_called_cadastral(tmp_path: Path, run) -> None:
    import zipfile

    case = case_with_fond(tmp_path)
    terr = case / "territoire.yaml"
    terr.write_text(terr.read_text(encoding="utf-8").replace(
        "        parcelles: assets/fond/parcelles.json\n", ""), encoding="utf-8")
    assert run("build", case, "--doc", "convention", "--no-pdf", "--out", tmp_path / "o").code == 0
    with zipfile.ZipFile(tmp_path / "o" / "c" / "convention.docx") as z:
        document = z.read("word/document.xml").decode("utf-8")
        svg = b"".join(z.read(n) for n in z.namelist() if n.endswith(".svg")).decode("utf-8")
    assert "sur le plan des voies" in document and "cadastral" not in document
    assert "fond\u00a0: voies" in svg and "cadastre" not in svg
