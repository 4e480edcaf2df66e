"""What a signer notices on the page (issue 25, item 7): the names of a row of signature blocks
level whatever the lines above them, tables inside the margins, a table's total never alone at
the top of a page nor its header alone at the foot, a heading (and a map's title) never last on
a page, a superscript « 1er » within its line, and the frame for the prefecture's stamp shown
alike in the DOCX and the PDF, as the territory chooses."""

from __future__ import annotations

import html
import io
import re
import subprocess
import tempfile
from pathlib import Path

import pikepdf
import pytest

from docgen.finish import model as m
from docgen.finish.docx_reader import read_docx
from docgen.finish.typeset import compile_pdf
from docgen.package_data import FONTS
from docgen.pipeline import build
from docgen.plan import BuildOptions
from tests.conftest import MINIMAL, overlay_case
from tests.docx_helpers import body_texts

_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                   r"([^<]*)</word>")
FRAME = "Cadre réservé à l’accusé de réception"


def words(pdf: bytes) -> list[list[tuple[str, tuple[float, float, float, float]]]]:
    """Every printed word of each page with its box (points, top-left origin), by pdftotext."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "d.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True,
                             capture_output=True, text=True).stdout
    return [[(html.unescape(w.group(5)), tuple(float(w.group(k)) for k in range(1, 5)))  # type: ignore[misc]
             for w in _WORD.finditer(page)] for page in out.split("<page ")[1:]]


def lines(pdf: bytes) -> list[list[str]]:
    """Each page's lines of text (pdftotext), blank lines left out."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "d.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                             capture_output=True, text=True).stdout
    return [[" ".join(x.split()) for x in page.splitlines() if x.strip()]
            for page in out.split("\f") if page.strip()]


def fields(pdf: bytes) -> list[tuple[str, tuple[float, float, float, float]]]:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return [(str(f.T), tuple(float(v) for v in f.Rect))  # type: ignore[misc]
                for f in doc.Root.AcroForm.Fields]


def signature_rows(docx: bytes) -> list[list[m.Cell]]:
    """The rows of the signature table (the table whose cells hold « Signature … » paragraphs)."""
    doc = read_docx(docx, "acte.docx")
    for block in (b for sec in doc.sections for b in sec.blocks):
        if isinstance(block, m.Table) and any(
                isinstance(b, m.Paragraph) and b.style_name.startswith("Signature")
                for r in block.rows for c in r.cells for b in c.blocks):
            return [list(r.cells) for r in block.rows]
    raise AssertionError("no signature table")


def names_of(cell: m.Cell) -> list[str]:
    return [b.text for b in cell.blocks
            if isinstance(b, m.Paragraph) and b.style_name == "Signature nom"]


@pytest.fixture(scope="module")
def example_acts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's acts as the templates make them today (a copy without its register)."""
    from tests.conftest import EXAMPLE

    tmp = tmp_path_factory.mktemp("layout")
    case = overlay_case(tmp / "pays-des-ecrins", None, EXAMPLE)
    result = build(case, BuildOptions(out=tmp / "out", kinds=("convention", "adhesion",
                                                               "avenant")))
    return result.folder


@pytest.mark.parametrize("name", ["convention", "adhesion", "avenant-01"])
def test_names_level_across_a_row_in_docx_and_pdf(example_acts: Path, name: str) -> None:
    """Titles of different lengths in a row (in the convention and the avenant, the État signs
    by delegation beside a party that does not): in the DOCX the names sit in a row of their
    own, first in their cells; in the PDF their baselines and the fields above them are level."""
    docx = (example_acts / f"{name}.docx").read_bytes()
    rows = signature_rows(docx)
    named = [r for r in rows if any(names_of(c) for c in r)]
    assert named
    for row in named:  # a row of names holds nothing else: nothing above a name in its row
        for cell in row:
            assert all(isinstance(b, m.Paragraph) and (b.style_name == "Signature nom"
                                                       or not b.text.strip())
                       for b in cell.blocks), [b.text for b in cell.blocks
                                               if isinstance(b, m.Paragraph)]
    titles = [" ".join(b.text for b in c.blocks if isinstance(b, m.Paragraph))
              for r in rows for c in r]
    if name != "adhesion":  # the example's État signs there by delegation, beside another party
        assert any("par délégation" in t for t in titles)
    pdf = (example_acts / f"{name}.pdf").read_bytes()
    found = fields(pdf)
    pages = words(pdf)
    page = next(p for p in pages if any(w == "Fait" for w, _ in p))
    for row in named:
        row_names = [names_of(c)[0] for c in row if names_of(c)]
        baselines = []
        for full in row_names:
            first = full.split()[0]
            boxes = [b for w, b in page if w == first]
            assert boxes, full
            baselines.append(boxes[-1][3])  # the last: the names close the page
        assert max(baselines) - min(baselines) < 0.5, (row_names, baselines)
    per_row = 2 if len(found) >= 4 else 1
    for k in range(0, len(found), per_row):
        row_fields = [rect for _, rect in found[k:k + per_row]]
        for other in row_fields[1:]:  # bottoms and tops level
            assert (other[1], other[3]) == pytest.approx((row_fields[0][1], row_fields[0][3]),
                                                         abs=0.5), row_fields


@pytest.mark.parametrize("name", ["convention", "avenant-01"])
def test_every_table_inside_the_margins(example_acts: Path, name: str) -> None:
    """Nothing is drawn in the side margins of any page (the plan and financeur tables used to
    overhang them by about 5 mm): dark pixels of a 72 dpi rendering, page by page."""
    from PIL import Image

    pdf = example_acts / f"{name}.pdf"
    doc = read_docx((example_acts / f"{name}.docx").read_bytes(), name)
    sec = doc.sections[0]
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-gray", "-r", "72", "-png", str(pdf), f"{tmp}/p"],
                       check=True, capture_output=True)
        images = sorted(Path(tmp).glob("p-*.png"))
        assert images
        for image in images:
            with Image.open(image) as opened:
                im = opened.convert("L")
                width, height = im.size
                # the signature table's text starts at the margin, its cells 5.4 pt before it
                left, right = int(sec.margin_left - 7), int(width - sec.margin_right + 1.5)
                for side in ((0, 0, left, height), (right, 0, width, height)):
                    darkest, _ = im.crop(side).getextrema()
                    assert darkest >= 160, (image.name, side)  # type: ignore[operator]


# ---------------------------------------------------------------- tables and pages (typesetter)
PLAIN = m.Style(size=10.0)


def _par(text: str, **kw: object) -> m.Paragraph:
    return m.Paragraph("Corps", (m.Text(text, PLAIN),), **kw)  # type: ignore[arg-type]


def _cell(text: str) -> m.Cell:
    return m.Cell((_par(text),))


def _doc(blocks: tuple[m.Block, ...]) -> m.Document:
    section = m.Section(595.0, 400.0, 50.0, 50.0, 50.0, 50.0, 20.0, 20.0, False, blocks)
    return m.Document(m.Meta(title="essai"), (section,))


def _financial(before: int, rows: int = 8, header: bool = True) -> m.Document:
    body = [m.Row((_cell("Financeur"), _cell("Montant")), header=header)]
    body += [m.Row((_cell(f"Ligne {k}"), _cell(f"{k} €"))) for k in range(1, rows + 1)]
    body.append(m.Row((_cell("Total"), _cell("36 €"))))
    table = m.Table((240.0, 240.0), tuple(body), tuple(m.Border(0.5) for _ in range(6)),
                    align="center")
    return _doc(tuple(_par(f"Paragraphe {k}") for k in range(before))
                + (table, _par("Après le tableau.")))


def _pages(document: m.Document) -> list[list[str]]:
    pdf, _, _ = compile_pdf(document, FONTS)
    return lines(pdf)


@pytest.mark.parametrize("header", [True, False])
def test_a_total_never_alone_nor_a_header_at_the_foot(header: bool) -> None:
    """A table of eight lines and a total after 0 to 29 paragraphs: wherever the page breaks,
    the page the table continues on never starts with the total alone (with the header
    repeated above it, the last line goes with the total), and the table never starts at the
    foot of a page with its header and fewer than two lines."""
    seen_break = False
    for before in range(30):
        pages = _pages(_financial(before, header=header))
        table_pages = [k for k, p in enumerate(pages) if any(x.startswith(("Ligne", "Total",
                                                                           "Financeur"))
                                                             for x in p)]
        if len(table_pages) < 2:
            continue
        seen_break = True
        first, nxt = pages[table_pages[0]], pages[table_pages[1]]
        # a first row not marked as a header may well be one: it has two lines under it too
        rows_first = [x for x in first if x.startswith(("Ligne", "Total"))]
        assert len(rows_first) >= 2 or not rows_first, (before, first[-3:])
        rows_next = [x for x in nxt if x.startswith(("Ligne", "Total"))]
        assert len(rows_next) >= 2, (before, nxt[:3])
        if header and rows_first:  # the header repeated where the table goes on
            assert nxt[0].startswith("Financeur"), (before, nxt[:3])
    assert seen_break


def test_a_heading_is_never_last_on_a_page_and_a_map_stays_under_its_title() -> None:
    """A secteur's heading (keep with next, as the templates style it), its lines and its map
    never part; a heading whose style does not say « keep with next » is not left last on a
    page either."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (136, 170, 204)).save(buffer, format="PNG")
    for before in range(0, 26):
        blocks = tuple(_par(f"Paragraphe {k}") for k in range(before))
        blocks += (m.Paragraph("Titre 2", (m.Text("Secteur du Centre", PLAIN),), heading=2,
                               keep_next=True),
                   _par("Commune : Bourg", keep_next=True),
                   m.Paragraph("Carte", (m.Image(buffer.getvalue(), "png", 200.0, 150.0,
                                                 "carte"),)),
                   m.Paragraph("Titre 2", (m.Text("Secteur suivant", PLAIN),), heading=2),
                   _par("Texte du secteur suivant."))
        pdf, _, _ = compile_pdf(_doc(blocks), FONTS)
        with pikepdf.open(io.BytesIO(pdf)) as doc:
            with_image = [k for k, page in enumerate(doc.pages) if page.get_images()]
        pages = lines(pdf)
        heading = next(k for k, p in enumerate(pages) if "Secteur du Centre" in p)
        assert with_image == [heading], before
        following = next(k for k, p in enumerate(pages) if "Secteur suivant" in p)
        assert "Texte du secteur suivant." in pages[following], before


def test_a_superscript_stays_within_its_line() -> None:
    """« 1er » in a table row and in a paragraph: the rows and lines keep their regular
    height, and the raised « er » does not climb above the line's letters (onto the border
    of the row above)."""
    sup = m.Style(size=9.0, vertical="superscript")
    small = m.Style(size=9.0)

    def row(text: str, raised: bool) -> m.Row:
        inlines = ((m.Text("Du 1", small), m.Text("er", sup), m.Text(" mai 2023", small))
                   if raised else (m.Text(text, small),))
        return m.Row((m.Cell((m.Paragraph("Corps", inlines, size=9.0),)),))

    table = m.Table((300.0,), (row("Statut En cours", False), row("", True),
                               row("Coût 24 000 €", False)),
                    tuple(m.Border(0.5) for _ in range(6)))
    para = m.Paragraph("Corps", (m.Text("mot " * 40 + "le 1", PLAIN),
                                 m.Text("er", m.Style(size=10.0, vertical="superscript")),
                                 m.Text(" octobre " + "mot " * 60, PLAIN)), line=1.1)
    pdf, _, _ = compile_pdf(_doc((table, para)), FONTS)
    (page, *_) = words(pdf)
    tops = {w: box for w, box in page if w in ("Statut", "Du", "Coût")}
    assert tops["Du"][3] - tops["Statut"][3] == pytest.approx(tops["Coût"][3] - tops["Du"][3],
                                                              abs=0.2)
    raised = [box for w, box in page if w == "er"]
    ones = [box for w, box in page if w in ("1", "Du")]
    assert raised and ones
    assert raised[0][1] >= ones[0][1] - 1.0  # hardly above the line's letters (2 pt before)
    baselines = sorted({round(box[3], 1) for w, box in page if w == "mot"})
    gaps = [b - a for a, b in zip(baselines, baselines[1:])]
    assert len(gaps) >= 4 and max(gaps) - min(gaps) < 0.3, gaps


# ---------------------------------------------------------------- the frame for the stamp
@pytest.mark.parametrize("setting, shown", [(None, True), (True, True), (False, False)])
def test_the_stamp_frame_is_the_territorys_choice_in_docx_and_pdf(
        tmp_path: Path, setting: bool | None, shown: bool) -> None:
    """mise_en_page.cadre_accuse_reception: the frame is on page 1 of both the DOCX and its
    PDF, or of neither (by default, for a territory without hand-off settings: shown)."""
    case = overlay_case(tmp_path / "minimal", None, MINIMAL)
    if setting is not None:
        terr = case / "territoire.yaml"
        terr.write_text(terr.read_text(encoding="utf-8") + "mise_en_page:\n"
                        f"  cadre_accuse_reception: {'true' if setting else 'false'}\n",
                        encoding="utf-8")
    result = build(case, BuildOptions(out=tmp_path / "out", kinds=("convention",)))
    texts = body_texts(result.folder / "convention.docx")
    first_page = lines((result.folder / "convention.pdf").read_bytes())[0]
    assert (FRAME in texts[:3]) is shown
    assert any(FRAME in x for x in first_page[:3]) is shown
    assert sum(FRAME in x for p in lines((result.folder / "convention.pdf").read_bytes())
               for x in p) == (1 if shown else 0)
