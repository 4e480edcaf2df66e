"""The reviewed DOCX, second round: what Word hides or distorts is refused naming it, what Word
shows is read, every number is bounded — each construct as a crafted DOCX."""

from __future__ import annotations

import io
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from docgen.finish.docx_reader import read_docx
from docgen.finish.package import DocxRefused
from docgen.finish.parity import word_text
from tests.finish import hostile as h

BODY = "<w:r><w:t>Un paragraphe témoin.</w:t></w:r>"
CELL = "<w:r><w:t>c00</w:t></w:r>"
MARK = '<w:pPr><w:pStyle w:val="ListNumber"/></w:pPr>'


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A small DOCX made by python-docx: a paragraph, a numbered paragraph, a 2 × 2 table with
    the « Table Grid » style, a picture."""
    from docx import Document
    from docx.shared import Cm

    d = Document()
    d.add_paragraph("Un paragraphe témoin.")
    d.add_paragraph("premier", style="List Number")
    t = d.add_table(rows=2, cols=2)
    t.style = d.styles["Table Grid"]
    for i, row in enumerate(t.rows):
        for j, cell in enumerate(row.cells):
            cell.text = f"c{i}{j}"
    image = tmp_path_factory.mktemp("img") / "i.png"
    image.write_bytes(h.png(8, 8))
    d.add_picture(str(image), width=Cm(2))
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def run(rpr: str, text: str = "Texte") -> str:
    return f'<w:r><w:rPr>{rpr}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'


def body(d: bytes, xml: str) -> bytes:
    return h.replace(d, "word/document.xml", BODY, BODY + xml)


def table_style(d: bytes, inner: str) -> bytes:
    """The table's style replaced by one carrying `inner` (rPr, tcPr, tblStylePr…)."""
    style = (f'<w:style w:type="table" w:styleId="Hostile"><w:name w:val="Hostile"/>{inner}'
             "</w:style></w:styles>")
    d = h.replace(d, "word/styles.xml", "</w:styles>", style)
    return h.replace(d, "word/document.xml", '<w:tblStyle w:val="TableGrid"/>',
                     '<w:tblStyle w:val="Hostile"/>')


REFUSED = {
    # 2. colours: six hexadecimal digits or nothing
    "colour-injection": (lambda d: body(d, run('<w:color w:val="&quot;+&quot;FFF"/>')),
                         "couleur « \"+\"FFF » illisible"),
    "shading-injection": (lambda d: body(d, run('<w:shd w:val="clear" w:fill="&quot;)#x"/>')),
                          "illisible"),
    "background-injection": (lambda d: h.replace(d, "word/document.xml", "<w:body>",
                                                 '<w:background w:color="&quot;+&quot;FFF"/><w:body>'),
                             "arrière-plan"),
    # 3. fonts carried inside the DOCX
    "embedded-font-part": (lambda d: h.add_part(d, "word/fonts/font1.odttf", b"\0" * 64,
                                                "application/vnd.openxmlformats-officedocument."
                                                "obfuscatedFont"), "polices incorporées"),
    "embedded-font-setting": (lambda d: h.replace(d, "word/settings.xml", "</w:settings>",
                                                  "<w:embedTrueTypeFonts/></w:settings>"),
                              "polices incorporées"),
    "embedded-font-table": (lambda d: h.replace(
        d, "word/fontTable.xml", "</w:fonts>",
        '<w:font w:name="Faux"><w:embedRegular xmlns:r="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships" r:id="rId1" w:fontKey="{00000000-0000-0000-0000-'
        '000000000000}"/></w:font></w:fonts>'), "polices incorporées"),
    # 4. what Word hides
    "table-style-white-text": (lambda d: table_style(d, '<w:rPr><w:color w:val="FFFFFF"/></w:rPr>'),
                               "texte invisible"),
    "table-style-black-cell": (lambda d: table_style(
        d, '<w:rPr><w:color w:val="000000"/></w:rPr>'
        '<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="000000"/></w:tcPr>'),
        "texte invisible"),
    "table-style-conditional": (lambda d: table_style(
        d, '<w:tblStylePr w:type="firstRow"><w:rPr><w:color w:val="FFFFFF"/></w:rPr>'
        "</w:tblStylePr>"), "mise en forme conditionnelle"),
    "list-label-white": (lambda d: h.replace(d, "word/document.xml", MARK,
                                             '<w:pPr><w:pStyle w:val="ListNumber"/><w:rPr>'
                                             '<w:color w:val="FFFFFF"/></w:rPr></w:pPr>'),
                         "numéro de liste"),
    "list-level-tiny": (lambda d: h.replace(d, "word/numbering.xml", '<w:lvlText w:val="%1."/>',
                                            '<w:lvlText w:val="%1."/><w:rPr><w:sz w:val="2"/>'
                                            "</w:rPr>", 99), "numéro de liste"),
    "picture-cropped": (lambda d: h.replace(d, "word/document.xml", "<a:stretch>",
                                            '<a:srcRect l="20000" r="30000"/><a:stretch>'),
                        "image rognée"),
    "picture-transparent": (lambda d: h.replace(d, "word/document.xml", 'r:embed="rId9"/>',
                                                'r:embed="rId9"><a:alphaModFix amt="0"/></a:blip>'),
                            "transparence"),
    "picture-rotated": (lambda d: h.replace(d, "word/document.xml", "<a:xfrm>",
                                            '<a:xfrm rot="10800000">'), "tournée"),
    "char-scale": (lambda d: body(d, run('<w:w w:val="1"/>')), "échelle de 1 %"),
    "complex-script-tiny": (lambda d: body(d, run('<w:szCs w:val="2"/>', "نص عربي")),
                            "taille de police de 1 pt"),
    "position-far-below": (lambda d: body(d, run('<w:position w:val="-200"/>')), "décalé"),
    "exact-line-too-small": (lambda d: h.replace(d, "word/document.xml", "<w:p>" + BODY,
                                                 '<w:p><w:pPr><w:spacing w:line="20" '
                                                 'w:lineRule="exact"/></w:pPr>' + BODY),
                             "interligne exact"),
    "row-exact-1-twip": (lambda d: h.replace(d, "word/document.xml", "<w:tr>",
                                             '<w:tr><w:trPr><w:trHeight w:val="1" '
                                             'w:hRule="exact"/></w:trPr>'), "hauteur exacte"),
    "shading-solid-black": (lambda d: body(d, run('<w:color w:val="101010"/><w:shd w:val="solid" '
                                                  'w:color="000000" w:fill="FFFFFF"/>')),
                            "texte invisible"),
    "theme-colour-wins": (lambda d: body(d, run('<w:color w:val="000000" '
                                                'w:themeColor="background1"/>')),
                          "texte invisible"),
    "theme-mapping-swapped": (lambda d: body(h.replace(
        d, "word/settings.xml", '<w:clrSchemeMapping w:bg1="light1" w:t1="dark1"',
        '<w:clrSchemeMapping w:bg1="dark1" w:t1="light1"'),
        run('<w:color w:val="000000" w:themeColor="text1"/>')), "texte invisible"),
    "fit-text": (lambda d: body(d, run('<w:fitText w:val="100" w:id="1"/>')), "ajusté"),
    "symbol-font": (lambda d: body(d, run('<w:rFonts w:ascii="Wingdings" w:hAnsi="Wingdings"/>')),
                    "police de symboles"),
    "white-highlight-over-black": (lambda d: body(d, run(
        '<w:color w:val="FFFFFF"/><w:highlight w:val="white"/>'
        '<w:shd w:val="clear" w:fill="000000"/>')), "texte invisible"),
    "patterned-shading": (lambda d: body(d, run('<w:shd w:val="horzStripe" w:color="000000" '
                                                'w:fill="FFFFFF"/>')), "motif"),
    # 5. shown by Word, never silently lost: refused when not modelled
    "merged-cell-text-hidden": (lambda d: h.replace(h.replace(
        d, "word/document.xml", '<w:tcW w:type="dxa" w:w="4320"/></w:tcPr><w:p><w:r><w:t>c10',
        '<w:tcW w:type="dxa" w:w="4320"/><w:vMerge/></w:tcPr><w:p><w:r><w:t>c10'),
        "word/document.xml", '<w:tcW w:type="dxa" w:w="4320"/></w:tcPr><w:p><w:r><w:t>c00',
        '<w:tcW w:type="dxa" w:w="4320"/><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r>'
        "<w:t>c00"), "cellule fusionnée"),
    "duplicate-relationship": (lambda d: h.add_rel(d, "rId3", "image", "media/x.png", False),
                               "même identifiant"),
    "duplicate-style": (lambda d: h.replace(d, "word/styles.xml", "</w:styles>",
                                            '<w:style w:type="paragraph" w:styleId="Normal">'
                                            '<w:name w:val="Autre"/></w:style></w:styles>'),
                        "défini deux fois"),
    # 6. every tracked change
    "tracked-grid-change": (lambda d: h.replace(d, "word/document.xml", "</w:tblGrid>",
                                                '<w:tblGridChange w:id="1"><w:tblGrid><w:gridCol '
                                                'w:w="100"/></w:tblGrid></w:tblGridChange>'
                                                "</w:tblGrid>"), "modification suivie"),
    "tracked-row-exception": (lambda d: h.replace(d, "word/document.xml", "<w:tr>",
                                                  '<w:tr><w:tblPrEx><w:tblPrExChange w:id="1" '
                                                  'w:author="x"><w:tblPrEx/></w:tblPrExChange>'
                                                  "</w:tblPrEx>"), "modification suivie"),
    # 7. numbers out of range
    "start-1e12-roman": (lambda d: h.replace(h.replace(
        d, "word/numbering.xml", '<w:numFmt w:val="decimal"/>', '<w:numFmt w:val="upperRoman"/>',
        99), "word/numbering.xml", '<w:start w:val="1"/>', '<w:start w:val="1e12"/>', 99),
        "hors des limites"),
    "start-1e15-letters": (lambda d: h.replace(h.replace(
        d, "word/numbering.xml", '<w:numFmt w:val="decimal"/>', '<w:numFmt w:val="lowerLetter"/>',
        99), "word/numbering.xml", '<w:start w:val="1"/>', '<w:start w:val="1000000000000000"/>',
        99), "hors des limites"),
    "gridspan-1e8": (lambda d: h.replace(d, "word/document.xml", '<w:tcW w:type="dxa" w:w="4320"/>',
                                         '<w:tcW w:type="dxa" w:w="4320"/><w:gridSpan '
                                         'w:val="100000000"/>'), "hors des limites"),
    "gridbefore-1e8": (lambda d: h.replace(d, "word/document.xml", "<w:tr>",
                                           '<w:tr><w:trPr><w:gridBefore w:val="100000000"/>'
                                           "</w:trPr>"), "hors des limites"),
    "ilvl-99": (lambda d: h.replace(d, "word/document.xml", MARK,
                                    '<w:pPr><w:pStyle w:val="ListNumber"/><w:numPr><w:ilvl '
                                    'w:val="99"/><w:numId w:val="5"/></w:numPr></w:pPr>'),
                "hors des limites"),
    "table-without-cells": (lambda d: body(d, "</w:p><w:tbl><w:tblPr/><w:tblGrid/></w:tbl><w:p>"),
                            "tableau sans aucune cellule"),
    "size-nan": (lambda d: body(d, run('<w:sz w:val="nan"/>')), "illisible"),
    "size-inf": (lambda d: body(d, run('<w:sz w:val="inf"/>')), "illisible"),
    "size-huge": (lambda d: body(d, run('<w:sz w:val="1e300"/>')), "hors des limites"),
    "page-width-nan": (lambda d: h.replace(d, "word/document.xml", '<w:pgSz w:w="12240"',
                                           '<w:pgSz w:w="nan"'), "illisible"),
    "margins-eat-page": (lambda d: h.replace(d, "word/document.xml", 'w:right="1800"',
                                             'w:right="30000"'), "marges"),
    # found by a hostile review of the above
    "hidden-note-call": (lambda d: body(d, '<w:r><w:rPr><w:vanish/></w:rPr>'
                                          '<w:footnoteReference w:id="1"/></w:r>'), "texte masqué"),
    "custom-note-mark": (lambda d: body(d, '<w:r><w:footnoteReference w:customMarkFollows="1" '
                                          'w:id="1"/><w:t>*</w:t></w:r>'), "appel de note"),
    "indent-off-page": (lambda d: h.replace(d, "word/document.xml", "<w:p>" + BODY,
                                            '<w:p><w:pPr><w:ind w:left="-30000"/></w:pPr>' + BODY),
                        "retrait négatif"),
    "table-indent-off-page": (lambda d: h.replace(d, "word/document.xml", "<w:tblPr>",
                                                  '<w:tblPr><w:tblInd w:w="-20000" w:type="dxa"/>'),
                              "retrait négatif"),
    "overlapping-letters": (lambda d: body(d, run('<w:spacing w:val="-100"/>')), "resserrés"),
    "yellow-on-white": (lambda d: body(d, run('<w:color w:val="FFFF00"/>')), "texte invisible"),
    "exact-row-wrapped": (lambda d: h.replace(h.replace(
        d, "word/document.xml", "<w:tr>", '<w:tr><w:trPr><w:trHeight w:val="700" '
        'w:hRule="exact"/></w:trPr>'), "word/document.xml", CELL,
        f'<w:r><w:t>{"mot " * 120}</w:t></w:r>'), "hauteur exacte"),
    "huge-list-pattern": (lambda d: h.replace(d, "word/numbering.xml", '<w:lvlText w:val="%1."/>',
                                              f'<w:lvlText w:val="%1.{"x" * 300}"/>'),
                          "w:lvlText"),
    "tables-nested-too-deep": (lambda d: h.replace(
        d, "word/document.xml", CELL,
        CELL + "</w:p>" + "<w:tbl><w:tblGrid><w:gridCol w:w='100'/></w:tblGrid><w:tr><w:tc>" * 9
        + "<w:p/>" + "</w:tc></w:tr></w:tbl>" * 9 + "<w:p>"), "imbriqués"),
    "style-chain-too-deep": (lambda d: h.replace(h.replace(
        d, "word/styles.xml", "</w:styles>", "".join(
            f'<w:style w:type="character" w:styleId="C{k}"><w:name w:val="C{k}"/>'
            + (f'<w:basedOn w:val="C{k - 1}"/>' if k else "") + "</w:style>"
            for k in range(150)) + "</w:styles>"), "word/document.xml", BODY,
        BODY + run('<w:rStyle w:val="C149"/>')), "plus de 100 niveaux"),
    "signature-bookmark-name": (lambda d: h.replace(
        d, "word/document.xml", BODY, '<w:bookmarkStart w:id="9" w:name="Signature_a&quot;)#x"/>'
        + BODY), "signet de signature"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_refused_with_its_message(base: bytes, case: str) -> None:
    make, expected = REFUSED[case]
    docx = make(base)
    started = time.monotonic()
    with pytest.raises(DocxRefused) as info:
        read_docx(docx, "relu.docx")
    assert expected in str(info.value), str(info.value)
    assert str(info.value).startswith("relu.docx : ")
    assert time.monotonic() - started < 20  # refused at once, never after a long loop


def test_base_is_accepted(base: bytes) -> None:
    """The crafted cases above differ from a document that is read (so each refusal is its own)."""
    doc = read_docx(base, "base.docx")
    _, every, _ = word_text(doc)
    assert "Un paragraphe témoin." in every and any("c11" in t for t in every)


def test_automatic_colour_on_a_dark_ground_is_drawn_white(base: bytes) -> None:
    """Word draws automatic text in white on a dark shading: read so (it was refused, and
    would have been printed black on black)."""
    from docgen.finish import model as m

    doc = read_docx(body(base, run('<w:shd w:val="clear" w:color="auto" w:fill="000000"/>',
                                   "blanc")), "x.docx")
    first = doc.sections[0].blocks[0]
    assert isinstance(first, m.Paragraph)
    assert [i.style.color for i in first.inlines if isinstance(i, m.Text) and i.text == "blanc"] \
        == ["FFFFFF"]


def test_a_hidden_paragraph_mark_hides_its_number(base: bytes) -> None:
    from docgen.finish import model as m

    docx = h.replace(base, "word/document.xml", MARK,
                     '<w:pPr><w:pStyle w:val="ListNumber"/><w:rPr><w:vanish/></w:rPr></w:pPr>')
    labels = [p.label for p in read_docx(docx, "x.docx").sections[0].blocks
              if isinstance(p, m.Paragraph) and p.text == "premier"]
    assert labels == [""]


def test_a_page_colour_word_does_not_display_is_not_painted(base: bytes) -> None:
    docx = h.replace(base, "word/document.xml", "<w:body>",
                     '<w:background w:color="404040"/><w:body>')
    assert read_docx(docx, "x.docx").background == ""
    shown = h.replace(docx, "word/settings.xml", "</w:settings>",
                      "<w:displayBackgroundShape/></w:settings>")
    assert read_docx(shown, "x.docx").background == "404040"


def test_merged_cell_with_nothing_above_is_read(base: bytes) -> None:
    """A « continue » cell in the first row has no cell to merge with: Word shows it, and so
    its text is read (it was dropped)."""
    docx = h.replace(base, "word/document.xml",
                     '<w:tcW w:type="dxa" w:w="4320"/></w:tcPr><w:p><w:r><w:t>c00',
                     '<w:tcW w:type="dxa" w:w="4320"/><w:vMerge/></w:tcPr><w:p><w:r><w:t>c00')
    _, every, _ = word_text(read_docx(docx, "x.docx"))
    assert any("c00" in t for t in every)


def test_theme_shade_is_resolved(base: bytes) -> None:
    """A theme colour with a shade is drawn as Word computes it (luminance), not as w:val."""
    from docgen.finish import model as m

    docx = body(base, run('<w:color w:val="FF0000" w:themeColor="background1" '
                          'w:themeShade="80"/>', "gris"))
    doc = read_docx(docx, "x.docx")
    first = doc.sections[0].blocks[0]
    assert isinstance(first, m.Paragraph)
    grey = [i for i in first.inlines if isinstance(i, m.Text) and i.text == "gris"]
    assert grey and grey[0].style.color == "808080"


def shared_lists(base: bytes) -> bytes:
    """Two more lists on the abstract definition of « List Number »: one continues it, one
    restarts it at 7 (w:startOverride); and a first-row cell marked « continue » (w:vMerge)."""
    import re

    numbering = h.parts(base)["word/numbering.xml"].decode()
    num5 = re.search(r'<w:num w:numId="5"><w:abstractNumId w:val="(\d+)"/></w:num>', numbering)
    assert num5
    extra = (f'<w:num w:numId="90"><w:abstractNumId w:val="{num5.group(1)}"/></w:num>'
             f'<w:num w:numId="91"><w:abstractNumId w:val="{num5.group(1)}"/>'
             '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="7"/></w:lvlOverride></w:num>')
    docx = h.replace(base, "word/numbering.xml", "</w:numbering>", extra + "</w:numbering>")

    def item(num: str, text: str) -> str:
        return (f'<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr>'
                f"</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>")

    docx = h.replace(docx, "word/document.xml", "<w:tbl>",
                     item("90", "deux") + item("91", "sept") + item("91", "huit") + "<w:tbl>")
    return h.replace(docx, "word/document.xml",
                     '<w:tcW w:type="dxa" w:w="4320"/></w:tcPr><w:p><w:r><w:t>c00',
                     '<w:tcW w:type="dxa" w:w="4320"/><w:vMerge/></w:tcPr><w:p><w:r><w:t>c00')


def test_lists_sharing_an_abstract_list_continue_and_restart(base: bytes) -> None:
    """Two lists of one abstract definition continue each other (Word: 1., 2.), and a list
    with w:startOverride restarts at its value (Word: 7., 8.)."""
    from docgen.finish import model as m

    doc = read_docx(shared_lists(base), "x.docx")
    labels = {p.text: p.label for p in doc.sections[0].blocks if isinstance(p, m.Paragraph)}
    assert labels["premier"] == "1." and labels["deux"] == "2."
    assert labels["sept"] == "7." and labels["huit"] == "8."


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by make test")
def test_libreoffice_reads_the_same_numbers_and_cells(base: bytes, tmp_path: Path) -> None:
    """LibreOffice, standing in for Word, numbers the shared lists and shows the lone merged
    cell as the reader does."""
    from docgen.finish.parity import inline_text

    src = tmp_path / "listes.docx"
    src.write_bytes(shared_lists(base))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/p",
                    "--convert-to", "txt:Text", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=180)
    theirs = " ".join((tmp_path / "listes.txt").read_text(encoding="utf-8-sig").split())
    doc = read_docx(src.read_bytes(), "listes.docx")
    from docgen.finish import model as m

    for p in doc.sections[0].blocks:
        if isinstance(p, m.Paragraph) and p.text.strip():
            assert " ".join(inline_text(p).split()) in theirs
    _, every, _ = word_text(doc)
    assert "c00" in every and "c00" in theirs


def test_first_page_footer_is_printed(base: bytes) -> None:
    """w:titlePg with a first-page footer: Word prints it on page 1, and so does the PDF."""
    from docgen.finish.pdf import docx_to_pdf
    from docgen.finish.parity import pdf_text

    footer = ('<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
              "<w:p><w:r><w:t>Pied de la première page</w:t></w:r></w:p></w:ftr>").encode()
    docx = h.add_part(base, "word/footer9.xml", footer,
                      "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml")
    docx = h.add_rel(docx, "rIdF9", "footer", "footer9.xml", False)
    docx = h.replace(docx, "word/document.xml", '<w:pgSz w:w="12240"',
                     '<w:footerReference xmlns:r="http://schemas.openxmlformats.org/'
                     'officeDocument/2006/relationships" w:type="first" r:id="rIdF9"/>'
                     '<w:titlePg/><w:pgSz w:w="12240"')
    text = pdf_text(docx_to_pdf(docx, "x.docx"))
    assert "Pied de la première page" in text


def test_page_one_header_kept_under_the_stamp(convention_docx: bytes) -> None:
    """A signature PDF keeps a page-1 header (« PROJET – NE PAS SIGNER ») and still has the
    acknowledgement frame (the DOCX's own, at the top of its text, under the header)."""
    from docgen.finish.pdf import docx_to_pdf
    from docgen.finish.parity import pdf_text

    docx = h.replace(convention_docx, "word/header1.xml", '<w:t xml:space="preserve"/>',
                     '<w:t xml:space="preserve">PROJET – NE PAS SIGNER</w:t>')
    text = pdf_text(docx_to_pdf(docx, "convention.docx"))
    page1 = text.split("\f")[0]
    assert "PROJET – NE PAS SIGNER" in page1
    assert "accusé de réception" in page1


HOSTILE_LANGUAGES = ['fr", fill: red) #show "1": "9" //', "fr\"\n#set page(fill: black)",
                     "xx", "", "fr-FR", "EN-gb", "ar"]


@pytest.mark.parametrize("value", HOSTILE_LANGUAGES)
def test_language_comes_from_a_closed_list(convention_docx: bytes, value: str) -> None:
    """dc:language and w:lang reach Typst only as a code of the closed list (else fr)."""
    from xml.sax.saxutils import escape

    from docgen.finish.typeset import Emitter
    from docgen.finish.values import LANGUAGES

    docx = h.replace(convention_docx, "docProps/core.xml", "</cp:coreProperties>",
                     f"<dc:language>{escape(value)}</dc:language></cp:coreProperties>")
    doc = read_docx(docx, "convention.docx")
    assert doc.meta.language in LANGUAGES
    source = Emitter(doc).document()
    assert f'lang: "{doc.meta.language}"' in source
    assert "#show \"1\"" not in source.replace('\\"', "")


def test_language_payload_changes_nothing_in_the_pdf(convention_docx: bytes) -> None:
    """The payload of issue 22 (a picture of « 9 000 000 € » over the amount) through the
    document's language: the PDF is the one of a French document, byte for byte."""
    from docgen.finish.pdf import docx_to_pdf

    payload = 'fr") #show "1 000 000": "9 000 000" #text("'
    from xml.sax.saxutils import escape

    docx = h.replace(convention_docx, "docProps/core.xml", "</cp:coreProperties>",
                     f"<dc:language>{escape(payload)}</dc:language></cp:coreProperties>")
    french = h.replace(convention_docx, "docProps/core.xml", "</cp:coreProperties>",
                       "<dc:language>fr</dc:language></cp:coreProperties>")
    assert docx_to_pdf(docx, "c.docx") != b""
    a, b = docx_to_pdf(docx, "c.docx"), docx_to_pdf(french, "c.docx")
    # the /ID is derived from the DOCX bytes, which differ: compare the rest
    import pikepdf

    pa, pb = pikepdf.open(io.BytesIO(a)), pikepdf.open(io.BytesIO(b))
    assert [p.Contents.read_bytes() if not isinstance(p.Contents, pikepdf.Array) else b""
            for p in pa.pages] == [p.Contents.read_bytes()
                                   if not isinstance(p.Contents, pikepdf.Array) else b""
                                   for p in pb.pages]


def test_unicode_digits_and_units_in_numbers(base: bytes) -> None:
    """A size written with a unit (« 12pt ») is read as Word reads it; fullwidth digits are not
    a number."""
    from docgen.finish import model as m

    doc = read_docx(body(base, run('<w:sz w:val="24"/>', "douze")), "x.docx")
    first = doc.sections[0].blocks[0]
    assert isinstance(first, m.Paragraph)
    assert any(isinstance(i, m.Text) and i.style.size == 12 for i in first.inlines)
    with pytest.raises(DocxRefused, match="illisible"):
        read_docx(body(base, run('<w:sz w:val="２４"/>')), "x.docx")


def test_every_refusal_names_the_file(tmp_path: Path, base: bytes, run) -> None:  # noqa: ANN001
    """Through the command line: exit 1 with the file's name and the value's place, never 70."""
    src = tmp_path / "relu.docx"
    src.write_bytes(REFUSED["gridspan-1e8"][0](base))
    result = run("pdf", src)
    assert result.code == 1, result.err
    assert "relu.docx" in result.err and "w:gridSpan" in result.err and "tableau 1" in result.err
    assert not (tmp_path / "relu.pdf").exists()


# -- running headers: wrapped, or taller than their margin ---------------------------------

LONG_HEADER = ("Convention-cadre Petites Villes de Demain valant opération de revitalisation de "
               "territoire entre la commune, la communauté de communes et l’État, projet relu "
               "par le service juridique")


def test_a_header_wrapped_on_two_lines_is_printed_whole(convention_docx: bytes) -> None:
    """A header paragraph too long for one line wraps, in Word as in the PDF; parity still
    recognises it on every page (it is not body text)."""
    from docgen.finish.parity import pdf_text
    from docgen.finish.pdf import docx_to_pdf

    docx = h.replace(convention_docx, "word/header1.xml", '<w:t xml:space="preserve"/>',
                     f'<w:t xml:space="preserve">{LONG_HEADER}</w:t>')
    pages = pdf_text(docx_to_pdf(docx, "convention.docx")).split("\f")
    second = " ".join(pages[1].split())
    assert "Convention-cadre Petites Villes de Demain" in second
    assert "par le service juridique" in second
    assert len([ln for ln in pages[1].splitlines()[:4] if "Convention" in ln
                or "juridique" in ln]) >= 2  # really on two lines


def test_a_header_taller_than_its_margin_is_refused(convention_docx: bytes) -> None:
    """Word pushes the page's text down under a header taller than the top margin; the PDF
    keeps its margins and would cut the header off the page: refused, named."""
    docx = h.replace(convention_docx, "word/header1.xml", '<w:t xml:space="preserve"/>',
                     f'<w:t xml:space="preserve">{"x" * 3000}</w:t>')
    with pytest.raises(DocxRefused, match="en-tête plus haut que sa marge"):
        read_docx(docx, "convention.docx")


def test_a_map_label_drawn_twice_on_the_same_spot_counts_once(convention_docx: bytes) -> None:
    """Two identical <text> on one spot print as one label (pdftotext folds them): the
    reader's model counts it once, so parity holds."""
    import re

    from docgen.finish.pdf import docx_to_pdf

    svg = h.parts(convention_docx)["word/media/carte2.svg"].decode()
    label = re.search(r"<text[^>]*>[^<]+</text>", svg).group(0)
    docx = h.replace(convention_docx, "word/media/carte2.svg", label, label + label)
    assert docx_to_pdf(docx, "convention.docx").startswith(b"%PDF")


# -- rows shorter or wider than the table's grid --------------------------------------------

C01 = '<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="4320"/></w:tcPr><w:p><w:r><w:t>c01</w:t></w:r></w:p></w:tc>'


def _c01(d: bytes) -> str:
    import re

    xml = h.parts(d)["word/document.xml"].decode()
    return re.search(r"<w:tc>(?:(?!<w:tc>).)*?c01</w:t>.*?</w:tc>", xml, re.S).group(0)


def test_a_short_row_ends_where_word_ends_it(base: bytes) -> None:
    """A row with fewer cells than the grid: Word leaves the rest of the row empty; the next
    row's cells stay on their own line (they used to flow into the short row)."""
    from docgen.finish.pdf import docx_to_pdf

    docx = h.replace(base, "word/document.xml", _c01(base), "")
    shown = subprocess.run(["pdftotext", "-layout", "-", "-"], input=docx_to_pdf(docx, "x.docx"),
                           capture_output=True, check=True).stdout.decode()
    lines = [ln.split() for ln in shown.splitlines()]
    assert ["c00"] in lines and ["c10", "c11"] in lines


def test_a_row_wider_than_the_grid_is_refused(base: bytes) -> None:
    cell = _c01(base)
    docx = h.replace(base, "word/document.xml", cell, cell + cell.replace("c01", "c02"))
    with pytest.raises(DocxRefused, match="ligne de 3 colonnes dans un tableau qui n'en a que 2"):
        read_docx(docx, "x.docx")


def test_page_one_without_its_header_keeps_a_paragraph_worded_like_the_header(
        convention_docx: bytes) -> None:
    """w:titlePg without a first-page header: page 1 prints no header; its first paragraph,
    worded like the header of the other pages, is body text that parity must find (it used to
    be taken for the header and reported missing)."""
    import re

    from docgen.finish.pdf import docx_to_pdf

    doc = read_docx(convention_docx, "convention.docx")
    first = next(b.text for b in doc.sections[0].blocks if getattr(b, "text", "").strip())
    docx = h.replace(convention_docx, "word/header1.xml", '<w:t xml:space="preserve"/>',
                     f'<w:t xml:space="preserve">{first}</w:t>')
    xml = h.parts(docx)["word/document.xml"].decode()
    sect = re.findall(r"<w:pgSz ", xml)
    assert sect
    docx = h.replace(docx, "word/document.xml", "<w:pgSz ", "<w:titlePg/><w:pgSz ", count=len(sect))
    assert docx_to_pdf(docx, "convention.docx").startswith(b"%PDF")


def test_a_line_end_inside_a_text_is_a_space(base: bytes) -> None:
    """Word and LibreOffice show a line end inside w:t as a space (never a line break)."""
    docx = h.replace(base, "word/document.xml", BODY,
                     '<w:r><w:t xml:space="preserve">un\ndeux\r\ntrois</w:t></w:r>')
    doc = read_docx(docx, "x.docx")
    assert doc.sections[0].blocks[0].text == "un deux trois"


def test_a_first_paragraph_worded_like_the_header_is_body_text(convention_docx: bytes) -> None:
    """Page 1 prints the header and, under it, a paragraph with the same words: parity takes
    the header once and finds the paragraph."""
    from docgen.finish.pdf import docx_to_pdf

    doc = read_docx(convention_docx, "convention.docx")
    first = next(b.text for b in doc.sections[0].blocks if getattr(b, "text", "").strip())
    docx = h.replace(convention_docx, "word/header1.xml", '<w:t xml:space="preserve"/>',
                     f'<w:t xml:space="preserve">{first}</w:t>')
    assert docx_to_pdf(docx, "convention.docx").startswith(b"%PDF")
