"""The partners' band on page 1 of every act (convention, avenant, adhésion): one picture per
logo of assets/logos/, in the case's order, named after the partner, above the title, within
the margins; the same pictures in the PDF; no band without logos; the same bytes twice."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest

from docgen.render.logos import HEIGHT_MM, MIN_HEIGHT_MM, SLACK_MM, layout, rows
from tests.conftest import overlay_case

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
EMU_PER_MM = 36_000

# the example's assets/logos/, in the order of their file names: the party's name when the file
# is named after a party of territoire.yaml (2-cc-pays-des-ecrins.svg), else the logo's <title>
PARTNERS = [
    "Commune – L’Argentière-La Bessée",
    "La Communauté de communes du Pays des Écrins",
    "Programme national – Petites Villes de Demain",
    "Le Département des Hautes-Alpes",
    "La Banque des Territoires (Caisse des Dépôts et Consignations)",
]


@pytest.fixture(scope="module")
def acts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's acts, DOCX and PDF, from a copy without its register of acts."""
    from docgen.pipeline import build
    from docgen.plan import BuildOptions
    from tests.conftest import EXAMPLE

    base = tmp_path_factory.mktemp("bandeau")
    case = overlay_case(base / "pays-des-ecrins", None, EXAMPLE)
    build(case, BuildOptions(out=base / "out", kinds=("convention", "avenant", "adhesion")))
    return base / "out" / "pays-des-ecrins"


def _first_page(path: Path) -> tuple[list[tuple[str, str, int, int]], list[list[int]], float]:
    """The pictures before the title (name, alternative text, width and height in EMU), their
    rows (widths), and the text width in mm; asserts nothing breaks the page before the title."""
    from lxml import etree

    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    body = root.find(f"{W}body")
    assert body is not None
    pictures: list[tuple[str, str, int, int]] = []
    widths: list[list[int]] = [[]]
    for block in body:
        style = block.find(f"{W}pPr/{W}pStyle")
        if style is not None and style.get(f"{W}val") == "Titredocument":
            break
        assert block.find(f".//{W}br[@{W}type='page']") is None
        assert block.find(f".//{W}sectPr") is None
        for el in block.iter(f"{W}br", f"{WP}inline"):
            if el.tag == f"{W}br":
                widths.append([])
                continue
            pr = el.find(f"{WP}docPr")
            extent = el.find(f"{WP}extent")
            assert pr is not None and extent is not None
            cx, cy = int(extent.get("cx", "0")), int(extent.get("cy", "0"))
            pictures.append((pr.get("name", ""), pr.get("descr", ""), cx, cy))
            widths[-1].append(cx)
    else:
        raise AssertionError("no title")
    sect = body.find(f"{W}sectPr")
    assert sect is not None
    size, margins = sect.find(f"{W}pgSz"), sect.find(f"{W}pgMar")
    assert size is not None and margins is not None
    text = (int(size.get(f"{W}w", "0")) - int(margins.get(f"{W}left", "0"))
            - int(margins.get(f"{W}right", "0"))) * 25.4 / 1440
    return pictures, [r for r in widths if r], text


@pytest.mark.parametrize("name", ["convention.docx", "avenant-01.docx", "adhesion.docx"])
def test_each_act_carries_the_partners_band_above_its_title(acts: Path, name: str) -> None:
    pictures, band_rows, text_mm = _first_page(acts / name)
    assert [descr for _, descr, _, _ in pictures] == PARTNERS
    assert all(n.startswith("logo-") for n, _, _, _ in pictures)
    assert [n for n, _, _, _ in pictures][1] == "logo-cc-pays-des-ecrins"
    heights = {cy for _, _, _, cy in pictures}
    assert len(heights) == 1  # one common height, each logo's ratio kept
    height = heights.pop() / EMU_PER_MM
    assert MIN_HEIGHT_MM <= height <= HEIGHT_MM
    gap = 12 * 25.4 / 72  # the em space between two logos
    for row in band_rows:  # never over the margins
        assert sum(row) / EMU_PER_MM + gap * (len(row) - 1) <= text_mm - SLACK_MM + 0.01
    with zipfile.ZipFile(acts / name) as z:
        doc = z.read("word/document.xml").decode("utf-8")
        logos = sorted(n for n in z.namelist() if re.fullmatch(r"word/media/logo\d+\.svg", n))
        assert len(logos) == len(PARTNERS)
        # the drawing itself, as checked when the case was loaded, in the shipped font
        assert b"Liberation Sans" in z.read(logos[0]) and b"Docgen Sans" not in z.read(logos[0])
    assert doc.index('name="logo-') < doc.index("Titredocument")


def _figures(pdf_path: Path) -> list[tuple[str, int]]:
    """The tagged PDF's figures: (alternative text, page index), in the structure's order."""
    import pikepdf

    out: list[tuple[str, int]] = []
    with pikepdf.open(pdf_path) as pdf:
        pages = {p.objgen: i for i, p in enumerate(pdf.pages)}

        def walk(node: object) -> None:
            if isinstance(node, pikepdf.Array):
                for child in node:
                    walk(child)
            elif isinstance(node, pikepdf.Dictionary):
                if node.get("/S") == "/Figure" and "/Alt" in node:
                    page = node.get("/Pg")
                    out.append((str(node.Alt), pages.get(page.objgen, -1) if page else -1))
                if "/K" in node:
                    walk(node.K)

        walk(pdf.Root.StructTreeRoot)
    return out


@pytest.mark.parametrize("name", ["convention.pdf", "avenant-01.pdf", "adhesion.pdf"])
def test_the_pdf_draws_the_band_on_its_first_page(acts: Path, name: str) -> None:
    """The logos are SVG: the PDF draws them as vectors (no image XObject to count), each a
    tagged figure with its alternative text, on page 1, in the DOCX's order."""
    import subprocess

    figures = _figures(acts / name)
    assert [alt for alt, page in figures if page == 0] == PARTNERS
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(acts / name), "-"],
                           capture_output=True, text=True, check=True).stdout
    assert "Banque des Territoires" in first and "Programme national" in first  # drawn text


def test_a_case_without_logos_has_no_band(tmp_path: Path) -> None:
    from docgen.pipeline import build
    from docgen.plan import BuildOptions

    case = overlay_case(tmp_path / "minimal", None)
    assert not (case / "assets" / "logos").exists()
    build(case, BuildOptions(out=tmp_path / "out", kinds=("convention",)))
    out = tmp_path / "out" / "minimal"
    pictures, _, _ = _first_page(out / "convention.docx")
    assert pictures == []
    with zipfile.ZipFile(out / "convention.docx") as z:
        doc = z.read("word/document.xml").decode("utf-8")
        assert not [n for n in z.namelist() if "logo" in n]
    assert "bandeau(" not in doc and "{%" not in doc
    # no paragraph left empty where the band would be: before the title, only text (or the frame)
    from lxml import etree

    body = etree.fromstring(doc.encode("utf-8")).find(f"{W}body")
    assert body is not None
    for block in body:
        style = block.find(f"{W}pPr/{W}pStyle")
        if style is not None and style.get(f"{W}val") == "Titredocument":
            break
        assert block.tag == f"{W}tbl" or "".join(block.itertext()).strip(), etree.tostring(block)


def test_same_case_same_bytes(tmp_path: Path, acts: Path) -> None:
    from docgen.pipeline import build
    from docgen.plan import BuildOptions
    from tests.conftest import EXAMPLE

    case = overlay_case(tmp_path / "pays-des-ecrins", None, EXAMPLE)
    build(case, BuildOptions(out=tmp_path / "out", kinds=("convention", "avenant", "adhesion")))
    again = tmp_path / "out" / "pays-des-ecrins"
    for name in ("convention.docx", "convention.pdf", "avenant-01.docx", "avenant-01.pdf",
                 "adhesion.docx", "adhesion.pdf"):
        assert (again / name).read_bytes() == (acts / name).read_bytes(), name


def test_logos_are_checked_as_every_asset(tmp_path: Path) -> None:
    """A logo that leaves the case (a link) is refused, never drawn."""
    from docgen.errors import DocgenError
    from docgen.pipeline import build
    from docgen.plan import BuildOptions

    outside = tmp_path / "ailleurs.svg"
    shutil.copy(Path(__file__).parent.parent / "cases" / "pays-des-ecrins" / "assets" / "logos"
                / "1-commune.svg", outside)
    case = overlay_case(tmp_path / "minimal", None)
    (case / "assets" / "logos").mkdir(parents=True)
    (case / "assets" / "logos" / "1-commune.svg").symlink_to(outside)
    with pytest.raises(DocgenError):
        build(case, BuildOptions(out=tmp_path / "out", kinds=("convention",), pdf=False))
    assert not (tmp_path / "out" / "minimal" / "convention.docx").exists()


def test_layout_one_row_when_it_fits_else_fewest_rows_at_a_common_height() -> None:
    square = [1.0] * 5  # five square logos: 5 × 15 mm and four gaps hold in 160 mm
    height, counts = layout(square, 160)
    assert height == HEIGHT_MM and counts == [5]
    wide = [520 / 120] * 5  # the example's: 65 mm wide at 15 mm
    height, counts = layout(wide, 160)
    assert counts == [3, 2] and MIN_HEIGHT_MM <= height < HEIGHT_MM
    assert rows(wide, 160 - SLACK_MM, height + 0.5) != counts  # as high as 2 rows allow
    height, counts = layout([20.0], 160)  # wider than the text alone: shrunk to fit
    assert counts == [1] and 20 * height <= 160 - SLACK_MM
