"""The redline marks a map by the secteur it shows, never by its place: an unchanged map stays
unmarked, an added secteur's map is inserted, a map whose content changed is deleted (the old
picture, still shown) and inserted (the new one); accepting every change gives the new version's
pictures, rejecting every change the old one's."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import overlay_case

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _build(case: Path, out: Path) -> Path:
    from docgen.pipeline import build
    from docgen.plan import BuildOptions

    build(case, BuildOptions(out=out, kinds=("convention", "avenant"), pdf=False))
    return out / case.name


def _maps(path: Path, resolve: str | None = None) -> list[tuple[str, str, str]]:
    """Each picture of the body, in order: (name, mark, sha-256 of its image), where mark is
    « ins », « del » or « » (unchanged). With resolve « accept » or « reject », the pictures left
    after accepting (rejecting) every tracked change, as Word would."""
    with zipfile.ZipFile(path) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
        rels = etree.fromstring(zf.read("word/_rels/document.xml.rels"))
        targets = {r.get("Id", ""): r.get("Target", "") for r in rels.iter(f"{PKG}Relationship")}
        out: list[tuple[str, str, str]] = []
        for drawing in root.iter(f"{W}drawing"):
            marks = {etree.QName(a).localname for a in drawing.iterancestors(f"{W}ins", f"{W}del")}
            mark = "".join(sorted(marks))
            if resolve == "accept" and mark == "del" or resolve == "reject" and mark == "ins":
                continue
            blip, props = drawing.find(f".//{A}blip"), drawing.find(f".//{WP}docPr")
            assert blip is not None and props is not None
            image = zf.read("word/" + targets[blip.get(f"{R}embed", "")])
            name = props.get("name", "")
            out.append((name, "" if resolve else mark, hashlib.sha256(image).hexdigest()))
    return out


def _redline_maps(folder: Path) -> dict[str, list[str]]:
    """Each map of the redline by name: its marks, in order (« » for an unchanged picture)."""
    out: dict[str, list[str]] = {}
    for name, mark, _ in _maps(folder / "redline-avenant-01.docx"):
        out.setdefault(name, []).append(mark)
    return out


def test_example_redline_marks_each_map_by_its_secteur(example_copy: Path, tmp_path: Path) -> None:
    """Avenant n° 1 adds the Quartier de la Gare: its map is inserted; La Bessée's map, which
    shows the same thing, is unchanged; the overview (and the centre-bourg's map, which now
    draws the gare as its neighbour) changed: the old picture deleted, the new one inserted."""
    folder = _build(example_copy, tmp_path / "out")
    marks = _redline_maps(folder)
    assert marks["carte-quartier-gare"] == ["ins"]
    assert marks["carte-la-bessee"] == [""]
    assert marks["carte-secteurs"] == ["del", "ins"]
    changed = {n for n, m in marks.items() if m == ["del", "ins"]}
    for name in ("carte-secteurs", "carte-centre-bourg", "carte-la-bessee"):
        old = [h for n, _, h in _maps(folder / "convention.docx") if n == name]
        new = [h for n, _, h in _maps(folder / "convention-consolidee-01.docx") if n == name]
        assert (name in changed) == (old != new), name  # marked changed exactly when it changed
    # accepting every change gives the consolidated version's maps, rejecting them the signed one's
    redline = folder / "redline-avenant-01.docx"
    assert _maps(redline, "accept") == _maps(folder / "convention-consolidee-01.docx", "accept")
    assert _maps(redline, "reject") == _maps(folder / "convention.docx", "reject")


def _square(x: float, y: float, d: float) -> str:
    ring = [[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]
    return json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [ring]}}]})


CENTRE = ("  - {id: centre, nom: Centre-bourg, commune: bourg, centre_ville: true, "
          "delimitation: Place de la Halle et rues adjacentes}\n")
SECTEURS = (
    "  - {id: centre, nom: Centre-bourg, commune: bourg, centre_ville: true, "
    "delimitation: Place de la Halle et rues adjacentes, perimetre: assets/perimetres/centre.geojson}\n"
    "  - {id: moulin, nom: Quartier du Moulin, commune: bourg, "
    "delimitation: Le moulin et ses abords, perimetre: assets/perimetres/moulin.geojson}\n")
AVENANT = """numero: 1
date_edition: 2024-06-01
signature: {lieu: Bourg-d'Essai, date: 2024-06-01}
objet: agrandir le secteur du Quartier du Moulin
motifs: [Le secteur du moulin est étendu aux berges.]
signataires:
  - partie: etat
  - partie: cc-essai
    deliberation: {numero: "2024-10", date: 2024-05-10}
  - partie: commune-bourg
    deliberation: {numero: "2024-11", date: 2024-05-12}
modifications:
  - operation: modifier_secteur
    id: moulin
    champs:
      perimetre: assets/perimetres/moulin-2.geojson
      delimitation: Le moulin, ses abords et les berges
"""


def _moulin_case(tmp_path: Path) -> Path:
    """Two secteurs far apart, each with its perimeter; avenant n° 1 enlarges the second."""
    case = overlay_case(tmp_path / "moulin", None)
    conv = case / "convention.yaml"
    conv.write_text(conv.read_text(encoding="utf-8").replace(CENTRE, SECTEURS), encoding="utf-8")
    geo = case / "assets" / "perimetres"
    geo.mkdir(parents=True)
    (geo / "centre.geojson").write_text(_square(6.55, 44.79, 0.004), encoding="utf-8")
    (geo / "moulin.geojson").write_text(_square(6.62, 44.83, 0.003), encoding="utf-8")
    (geo / "moulin-2.geojson").write_text(_square(6.62, 44.83, 0.006), encoding="utf-8")
    (case / "avenants").mkdir()
    (case / "avenants" / "01-moulin.yaml").write_text(AVENANT, encoding="utf-8")
    return case


def test_a_changed_second_secteur_is_marked_and_not_the_first(tmp_path: Path) -> None:
    """The avenant enlarges the second secteur: its map and the overview are marked changed;
    the first secteur's map, which shows the same thing, carries no mark."""
    folder = _build(_moulin_case(tmp_path), tmp_path / "out")
    marks = _redline_maps(folder)
    assert marks == {"carte-secteurs": ["del", "ins"], "carte-centre": [""],
                     "carte-moulin": ["del", "ins"]}
    redline = folder / "redline-avenant-01.docx"
    assert _maps(redline, "accept") == _maps(folder / "convention-consolidee-01.docx", "accept")
    assert _maps(redline, "reject") == _maps(folder / "convention.docx", "reject")


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdfimages") is None,
                    reason="LibreOffice is installed by make test")
def test_libreoffice_shows_the_deleted_map_too(tmp_path: Path) -> None:
    """The old pictures carried into the redline are real parts of it: LibreOffice prints every
    map, the deleted ones (crossed out) as well as the inserted ones."""
    folder = _build(_moulin_case(tmp_path), tmp_path / "out")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/p",
                    "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(folder / "redline-avenant-01.docx")], check=True, capture_output=True,
                   timeout=240)
    listed = subprocess.run(["pdfimages", "-list", str(tmp_path / "redline-avenant-01.pdf")],
                            check=True, capture_output=True, text=True).stdout
    images = [line for line in listed.splitlines()[2:] if line.split()[2:3] == ["image"]]
    assert len(images) == len(_maps(folder / "redline-avenant-01.docx")) == 5
