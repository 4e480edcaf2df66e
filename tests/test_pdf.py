"""The signature-ready PDF: same words as the DOCX, PDF/A, one field per signatory that signs."""

from __future__ import annotations

import html
import io
import re
import subprocess
import zipfile
from pathlib import Path

import pikepdf
from docx import Document

from docgen.verify import signature_fields
from tests.signing import sign_in_turn, throwaway_signer, validate_all

FIELDS = ["Signature_Commune_Argentiere", "Signature_EPCI", "Signature_Etat",
          "Signature_Departement"]  # the parties' one order: communes, EPCI, État, others


def text_of(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                          check=True).stdout.decode("utf-8")


def test_one_empty_field_per_signatory_in_signing_order(built: Path) -> None:
    assert signature_fields((built / "convention.pdf").read_bytes()) == FIELDS
    assert signature_fields((built / "adhesion.pdf").read_bytes()) == [
        "Signature_Commune_Argentiere", "Signature_EPCI", "Signature_Etat", "Signature_Etat_2",
        "Signature_Departement"]  # the parties' one order


BLOCKS = {  # field → the block's first line and the signer's name printed under the space
    "Signature_Etat": ("Pour l’État,", "Dalila ZANE"),
    "Signature_Departement": ("Pour le Département,", "Jean-Marie BERNARD"),
    "Signature_EPCI": ("Pour la Communauté de communes,", "Cyrille DRUJON D’ASTROS"),
    "Signature_Commune_Argentiere": ("Pour la Commune,", "Alain SANCHEZ"),
}


def text_lines(pdf: Path, page: int) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Each text line of a page (0-based) with its box, y measured from the top, as pdftotext."""
    xml = subprocess.run(["pdftotext", "-f", str(page + 1), "-l", str(page + 1), "-bbox-layout",
                          str(pdf), "-"], capture_output=True, check=True).stdout.decode("utf-8")
    out = []
    for m in re.finditer(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                         r"(.*?)</line>", xml, re.S):
        words = [html.unescape(w) for w in re.findall(r">([^<]*)</word>", m.group(5))]
        out.append((" ".join(words), (float(m[1]), float(m[2]), float(m[3]), float(m[4]))))
    return out


def test_each_field_sits_in_the_signing_space_of_its_own_block(built: Path) -> None:
    pdf = pikepdf.open(built / "convention.pdf")
    pages = {p.objgen: i for i, p in enumerate(pdf.pages)}
    fields = {str(f.T): f for f in pdf.Root.AcroForm.Fields}
    assert sorted(fields) == sorted(BLOCKS)
    for name, (party, signer) in BLOCKS.items():
        field = fields[name]
        assert field.FT == "/Sig" and "/V" not in field, name  # a signature field, still empty
        page = pages[field.P.objgen]
        height = float(pdf.pages[page].MediaBox[3])
        x1, y1, x2, y2 = (float(v) for v in field.Rect)
        top, bottom = height - y2, height - y1  # as pdftotext measures
        lines = text_lines(built / "convention.pdf", page)
        label = next(box for text, box in lines if text == party)
        under = next(box for text, box in lines if text == signer)
        assert x2 - x1 > 150 and bottom - top > 50, name  # room to sign
        assert abs(x1 - label[0]) < 2 and abs(x1 - under[0]) < 2, name  # in the block's column
        assert label[3] <= top and bottom <= under[1], name  # below its party, above its signer
        for text, (lx1, ly1, lx2, ly2) in lines:  # and over no printed word
            assert lx2 <= x1 or lx1 >= x2 or ly2 <= top or ly1 >= bottom, (name, text)


def test_pdfa_identification_output_intent_fonts_and_no_encryption(built: Path) -> None:
    for name in ("convention.pdf", "adhesion.pdf"):
        pdf = pikepdf.open(built / name)
        assert not pdf.is_encrypted
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "B"  # PDF/A-2b
        intents = pdf.Root.OutputIntents
        assert intents[0].S == "/GTS_PDFA1" and "/DestOutputProfile" in intents[0]
        for page in pdf.pages:
            for font in page.Resources.get("/Font", {}).values():
                descendants = font.get("/DescendantFonts", [font])
                for f in descendants:
                    desc = f.FontDescriptor
                    assert any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")), name
        assert pdf.Root.Lang == "fr"
        assert "/StructTreeRoot" in pdf.Root  # tagged


def test_shipped_font_is_the_one_embedded(built: Path) -> None:
    pdf = pikepdf.open(built / "convention.pdf")
    names = {str(f.BaseFont) for p in pdf.pages for f in p.Resources.Font.values()}
    # Typst sees only docgen/templates/fonts/ (system fonts ignored): never a machine font.
    assert {n.split("+", 1)[1] for n in names} == {"LiberationSans", "LiberationSans-Bold"}, names


def test_info_and_xmp_metadata_agree_and_come_from_the_case(built: Path) -> None:
    pdf = pikepdf.open(built / "convention.pdf")
    info = pdf.docinfo
    meta = pdf.open_metadata()
    assert str(info.Title) == "Convention-cadre PVD valant ORT" == meta["dc:title"]
    assert str(info.Author) == "La Communauté de communes du Pays des Écrins"
    assert str(info.get("/Producer", "")) == str(meta.get("pdf:Producer", ""))
    assert str(info.CreationDate).startswith("D:20230414")
    assert meta["xmp:CreateDate"].startswith("2023-04-14")
    assert "Pays des Écrins" in str(info.Keywords)


def test_outline_has_every_article_and_annex(built: Path) -> None:
    pdf = pikepdf.open(built / "convention.pdf")
    with pdf.open_outline() as outline:
        titles = [item.title for item in outline.root]
    assert "Préambule" in titles
    for n in ["1er", *map(str, range(2, 15))]:
        assert any(t.startswith(f"Article\u00a0{n} –") for t in titles), n
    assert any(t.startswith("Annexe\u00a01") for t in titles)
    assert any(t.startswith("Annexe\u00a02") for t in titles)


def test_pdftotext_reads_articles_footer_and_page_numbers(built: Path) -> None:
    text = text_of(built / "convention.pdf")
    assert "Article 1er – Objet de la convention" in text.replace("\u00a0", " ")
    assert "Article 17 – Litiges" in text.replace("\u00a0", " ")
    pages = text.count("\f")
    assert f"Convention-cadre PVD valant ORT – L’Argentière-La Bessée – page 1 / {pages}" in text
    assert "Cadre réservé à l’accusé de réception" in text


def test_small_and_byte_identical(built: Path, rebuilt: Path) -> None:
    for name in ("convention.pdf", "adhesion.pdf"):
        data = (rebuilt / name).read_bytes()
        assert data == (built / name).read_bytes()
        assert len(data) < 800_000  # the maps of annex 1 drawn on the cadastre, in vectors


def test_verify_passes_on_a_fresh_build(built_copy: Path, run) -> None:
    result = run("verify", built_copy)
    assert result.code == 0, result.err
    assert result.err == ""


def test_verify_catches_a_tampered_pdf_and_a_docx_edited_after_its_pdf(built_copy: Path,
                                                                         run) -> None:
    """Both tamperings in one folder: verify reports each of them, in one pass."""
    pdf = built_copy / "convention.pdf"
    pdf.write_bytes(pdf.read_bytes().replace(b"/Title", b"/Titre", 1))
    docx = built_copy / "adhesion.docx"
    doc = Document(str(docx))
    target = next(p for p in doc.paragraphs if p.text.startswith("La présente convention prend effet"))
    target.runs[0].text = "La présente convention prend effet au 1er janvier 2099."
    for run_ in target.runs[1:]:
        run_.text = ""
    doc.save(str(docx))
    result = run("verify", built_copy)
    assert result.code == 1
    assert "convention.pdf : modifié depuis sa production" in result.err
    assert "adhesion.docx : modifié depuis sa production" in result.err
    assert "paragraphe 42 : le PDF diffère à partir de « au 1er janvier 2099. »" in result.err
    assert "convention.docx : modifié" not in result.err  # only what was touched


def test_reviewed_docx_is_typeset_with_the_change(built: Path, tmp_path: Path, run) -> None:
    reviewed = tmp_path / "convention-relue.docx"
    doc = Document(str(built / "convention.docx"))
    para = next(p for p in doc.paragraphs if p.text.startswith("Chaque partie peut mettre fin"))
    para.runs[0].text = "Chaque partie peut résilier la convention avec un préavis de six mois."
    for r in para.runs[1:]:
        r.text = ""
    doc.save(str(reviewed))
    result = run("pdf", reviewed)
    assert result.code == 0, result.err
    out = tmp_path / "convention-relue.pdf"
    assert "résilier la convention avec un préavis de six mois" in text_of(out)
    assert signature_fields(out.read_bytes()) == FIELDS
    again = run("pdf", reviewed)
    assert again.code == 1 and "existe déjà" in again.err
    assert run("pdf", reviewed, "--force").code == 0


def _with_tracked_change(source: Path, target: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(buf, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                text = re.sub(r"(<w:body>)", r'\1<w:p><w:ins w:id="1" w:author="Juriste" '
                              r'w:date="2026-01-01T00:00:00Z"><w:r><w:t>Ajout</w:t></w:r></w:ins></w:p>',
                              text, count=1)
                data = text.encode("utf-8")
            dst.writestr(item, data)
    target.write_bytes(buf.getvalue())


def test_docx_with_tracked_changes_is_refused(built: Path, tmp_path: Path, run) -> None:
    pending = tmp_path / "en-revision.docx"
    _with_tracked_change(built / "convention.docx", pending)
    result = run("pdf", pending)
    assert result.code == 1
    assert "modification suivie non acceptée (insertion)" in result.err
    assert "Accepter tout" in result.err
    assert not (tmp_path / "en-revision.pdf").exists()


def _throwaway_signer(tmp_path: Path | None = None):
    """The run's throwaway signer (kept under this name for the tests that import it)."""
    return throwaway_signer()


def test_every_field_signs_and_every_signature_stays_valid(built: Path) -> None:
    from pyhanko.sign.diff_analysis import ModificationLevel

    data = sign_in_turn((built / "convention.pdf").read_bytes(), FIELDS, throwaway_signer())
    results = validate_all(data, throwaway_signer())
    assert [name for name, _ in results] == FIELDS  # each field took its signature, in turn
    for name, status in results:
        assert status.intact and status.valid and status.trusted, (name, status.summary())
        assert status.docmdp_ok, (name, status.summary())
    # the earlier signatures see the later ones as form filling, the last sees nothing after it
    assert [status.modification_level for _, status in results] == [
        *[ModificationLevel.FORM_FILLING] * (len(FIELDS) - 1), ModificationLevel.NONE]
