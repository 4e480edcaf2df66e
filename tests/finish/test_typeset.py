"""Every example DOCX typesets: PDF/A-2b, tagged in French, fonts embedded, fields empty and
named, same bytes twice; a DOCX re-saved by LibreOffice still typesets; fields can be signed."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from docgen.finish.docx_reader import read_docx
from docgen.finish.parity import compare
from docgen.finish.pdf import docx_to_pdf, expected_fields
from docgen.finish.typeset import markup


@pytest.fixture(scope="session")
def example_pdfs(example_docx: dict[str, bytes]) -> dict[str, bytes]:
    return {name: docx_to_pdf(data, name) for name, data in example_docx.items()}


def test_every_example_docx_typesets(example_docx: dict[str, bytes],
                                     example_pdfs: dict[str, bytes]) -> None:
    assert {"convention.docx", "adhesion.docx", "avenant-01.docx",
            "convention-consolidee-01.docx"} <= set(example_pdfs)
    assert any(n.endswith("compte-rendu.docx") for n in example_pdfs)
    assert any(n.endswith("convocation.docx") for n in example_pdfs)
    for name, pdf in example_pdfs.items():
        assert pdf.startswith(b"%PDF-"), name


def _fonts(doc: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    out = []
    for page in doc.pages:
        for font in page.resources.get("/Font", {}).values():
            out.extend(font.get("/DescendantFonts", [font]))
    return out


def test_pdfa_tagged_french_fonts_embedded(example_pdfs: dict[str, bytes]) -> None:
    for name, pdf in example_pdfs.items():
        with pikepdf.open(io.BytesIO(pdf)) as doc:
            xmp = doc.open_metadata()
            assert xmp.get("pdfaid:part") == "2" and xmp.get("pdfaid:conformance") == "B", name
            assert "/StructTreeRoot" in doc.Root, name
            assert str(doc.Root.Lang).lower().startswith("fr"), name
            assert str(xmp.get("pdf:Producer", "")) == str(doc.docinfo.get("/Producer", "")), name
            fonts = _fonts(doc)
            assert fonts, name
            for font in fonts:
                desc = font.FontDescriptor
                assert "/FontFile2" in desc or "/FontFile3" in desc, (name, font.BaseFont)
                assert "Liberation" in str(font.BaseFont), (name, font.BaseFont)
            names = doc.Root.get("/Names")
            assert names is None or "/EmbeddedFiles" not in names, name
            assert "/OpenAction" not in doc.Root and "/JavaScript" not in (names or {}), name


def _fields(pdf: bytes) -> list[tuple[str, pikepdf.Object]]:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        acro = doc.Root.get("/AcroForm")
        if acro is None:
            return []
        out = []
        for f in acro.Fields:
            rect = [float(v) for v in f.Rect]
            out.append((str(f.T), f.get("/FT"), f.get("/V"), f.get("/Lock"), rect,
                        doc.pages.index(f.P) if "/P" in f else -1, len(doc.pages)))
        return out


def test_fields_empty_named_on_the_signature_page(example_docx: dict[str, bytes],
                                                   example_pdfs: dict[str, bytes]) -> None:
    for name, pdf in example_pdfs.items():
        fields = _fields(pdf)
        assert [f[0] for f in fields] == expected_fields(example_docx[name]), name
        pages = {f[5] for f in fields}  # the signature page (five blocks may need two)
        assert not pages or max(pages) - min(pages) <= 1, (name, pages)
        for title, ft, value, lock, rect, _, _ in fields:
            assert ft == "/Sig" and value is None and lock is None, (name, title)
            width_cm = (rect[2] - rect[0]) / 72 * 2.54
            height_cm = (rect[3] - rect[1]) / 72 * 2.54
            assert width_cm >= 6 and height_cm >= 2.5, (name, title, width_cm, height_cm)
    assert [f[0] for f in _fields(example_pdfs["convention.docx"])] == [  # the parties' order
        "Signature_Commune_Argentiere", "Signature_EPCI", "Signature_Etat", "Signature_Departement"]
    assert _fields(example_pdfs["convention-consolidee-01.docx"]) == []


def test_same_bytes_twice(convention_docx: bytes, signed_ready: bytes) -> None:
    assert docx_to_pdf(convention_docx, "convention.docx") == signed_ready


def test_user_text_is_never_markup(convention_docx: bytes) -> None:
    from tests.finish import hostile as h

    evil = '#import "/etc/passwd" ] ) \\" #{ panic() } <sig> @ref $x$ * _ `'
    data = h.replace(convention_docx, "word/document.xml", "Convention-cadre Petites Villes",
                     evil.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                     + " Petites Villes")
    pdf = docx_to_pdf(data, "convention.docx")
    assert compare(read_docx(data, "c.docx"), pdf) == []
    assert b"#import" not in markup(read_docx(data, "c.docx")).split(b'"', 1)[0]


def test_parity_failure_names_paragraph_and_words(convention_docx: bytes,
                                                  signed_ready: bytes) -> None:
    from tests.finish import hostile as h

    altered = h.replace(convention_docx, "word/document.xml", ">Département des Hautes-Alpes<",
                        ">Département des Basses-Alpes<")  # the words, not a logo's alt text
    problems = compare(read_docx(altered, "c.docx"), signed_ready)
    assert problems
    assert any("corps du document, paragraphe 5" in p and "Basses" in p for p in problems), problems


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice absent")
def test_docx_resaved_by_libreoffice_typesets(convention_docx: bytes, tmp_path: Path) -> None:
    src = tmp_path / "in" / "convention.docx"
    src.parent.mkdir()
    src.write_bytes(convention_docx)
    out = tmp_path / "out"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(src)],
                   check=True, capture_output=True, timeout=180)
    resaved = (out / "convention.docx").read_bytes()
    pdf = docx_to_pdf(resaved, "convention.docx")
    assert [f[0] for f in _fields(pdf)] == expected_fields(convention_docx)


def test_anchor_positions_agree_with_typst_query(convention_docx: bytes) -> None:
    """Fields are placed from the hidden bookmarks of one layout; typst.query, from a second
    layout, must report the same places."""
    from docgen.finish.fields import INSET, read_anchors
    from docgen.finish.pdf import FONTS
    from docgen.finish.typeset import compile_pdf, query_anchors

    doc = read_docx(convention_docx, "c.docx")
    pdf, prefix, source = compile_pdf(doc, FONTS)
    with pikepdf.open(io.BytesIO(pdf)) as opened:
        boxes = {b.name: b for b in read_anchors(opened, prefix)}
        height = float(opened.pages[0].mediabox[3])
    queried = query_anchors(source, FONTS)
    assert [a["name"] for a in queried] == list(boxes) == expected_fields(convention_docx)
    for a in queried:
        box = boxes[str(a["name"])]
        assert box.page == int(a["page"]) - 1
        assert abs(box.box[0] - float(a["x"])) <= 1
        assert abs(box.box[3] + INSET - (height - float(a["y"]))) <= 1  # just below the anchor


def test_no_anchor_bookmark_left(signed_ready: bytes) -> None:
    with pikepdf.open(io.BytesIO(signed_ready)) as doc:
        titles = []
        stack = [doc.Root.Outlines]
        while stack:
            item = stack.pop().get("/First")
            while item is not None:
                titles.append(str(item.Title))
                stack.append(item)
                item = item.get("/Next")
    assert "Préambule" in titles and any(t.startswith("Article\xa01") for t in titles)
    assert not any("docgen-champ" in t for t in titles)


def test_pyhanko_writer_gives_the_same_fields(convention_docx: bytes, signed_ready: bytes) -> None:
    other = docx_to_pdf(convention_docx, "convention.docx", field_writer="pyhanko")
    assert [f[:5] for f in _fields(other)] == [f[:5] for f in _fields(signed_ready)]
    with pikepdf.open(io.BytesIO(other)) as doc:
        assert str(doc.open_metadata().get("pdf:Producer", "")) == str(doc.docinfo.get("/Producer", ""))


@pytest.mark.parametrize("writer", ["pikepdf", "pyhanko"])
def test_every_field_can_be_signed_and_validates(writer: str, convention_docx: bytes) -> None:
    signed_ready = docx_to_pdf(convention_docx, "convention.docx", field_writer=writer)
    import datetime as dt

    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import signers
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Essai docgen")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(1)
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, True, False, False, False, True, False, False, False),
                           critical=True)
            .sign(key, hashes.SHA256()))
    a_cert = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    a_key = asn1_keys.PrivateKeyInfo.load(key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    signer = signers.SimpleSigner(signing_cert=a_cert, signing_key=a_key,
                                  cert_registry=SimpleCertificateStore.from_certs([a_cert]))
    names = [f[0] for f in _fields(signed_ready)]
    pdf = signed_ready
    for field in names:
        out = io.BytesIO()
        signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False),
                         signers.PdfSignatureMetadata(field_name=field), signer=signer, output=out)
        pdf = out.getvalue()
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    assert [s.field_name for s in reader.embedded_signatures] == names
    context = ValidationContext(trust_roots=[a_cert])
    for sig in reader.embedded_signatures:
        status = validate_pdf_signature(sig, context)
        assert status.intact and status.valid, status.pretty_print_details()


def test_several_docx_in_one_call(example_docx: dict[str, bytes],
                                  example_pdfs: dict[str, bytes]) -> None:
    from docgen.finish.pdf import docx_to_pdfs

    names = ["adhesion.docx", "convention.docx", "avenant-01.docx"]
    out = list(docx_to_pdfs((example_docx[n], n) for n in names))
    assert [n for n, _ in out] == names
    assert all(pdf == example_pdfs[n] for n, pdf in out)


def test_batch_stops_at_a_refused_docx(example_docx: dict[str, bytes]) -> None:
    from docgen.finish.package import DocxRefused
    from docgen.finish.pdf import docx_to_pdfs
    from tests.finish.test_reader_hostile import CASES

    bad = CASES["vanish-footer"][0](example_docx["convention.docx"])
    got = []
    with pytest.raises(DocxRefused):
        for name, _ in docx_to_pdfs([(example_docx["adhesion.docx"], "adhesion.docx"),
                                     (bad, "convention.docx")]):
            got.append(name)
    assert got == []  # the refusal comes before the previous file's parity is even read


def test_parallel_batch_gives_the_same_bytes(example_docx: dict[str, bytes],
                                             example_pdfs: dict[str, bytes]) -> None:
    from docgen.finish.pdf import docx_to_pdfs

    names = ["adhesion.docx", "convention.docx", "avenant-01.docx"]
    out = list(docx_to_pdfs(((example_docx[n], n) for n in names), jobs=2))
    assert [n for n, _ in out] == names
    assert all(pdf == example_pdfs[n] for n, pdf in out)


FOOTNOTES = (
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> Voir '
    '</w:t></w:r><w:hyperlink r:id="rIdN"><w:r><w:t>le site du programme</w:t></w:r></w:hyperlink>'
    '<w:r><w:t>.</w:t></w:r></w:p></w:footnote></w:footnotes>')


def test_footnote_with_a_web_link_typesets(convention_docx: bytes) -> None:
    from tests.finish import hostile as h

    data = h.add_part(convention_docx, "word/footnotes.xml", FOOTNOTES.encode(),
                      "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml")
    data = h.add_rel(data, "rIdF", "footnotes", "footnotes.xml", False)
    data = h.add_part(data, "word/_rels/footnotes.xml.rels", (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rIdN" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/hyperlink" Target="https://agence-cohesion-territoires'
        '.gouv.fr/" TargetMode="External"/></Relationships>').encode())
    data = h.replace(data, "word/document.xml", "Petites Villes de Demain</w:t></w:r>",
                     'Petites Villes de Demain</w:t></w:r><w:r><w:rPr><w:vertAlign '
                     'w:val="superscript"/></w:rPr><w:footnoteReference w:id="1"/></w:r>')
    pdf = docx_to_pdf(data, "convention.docx")
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        uris = [str(a.A.URI) for p in doc.pages for a in p.get("/Annots", []) if "/A" in a]
    assert uris == ["https://agence-cohesion-territoires.gouv.fr/"]


def test_example_pdfs_link_nowhere_local(example_pdfs: dict[str, bytes]) -> None:
    for name, pdf in example_pdfs.items():
        with pikepdf.open(io.BytesIO(pdf)) as doc:
            for page in doc.pages:
                for annot in page.get("/Annots", []):
                    action = annot.get("/A")
                    if action is not None:
                        assert str(action.get("/S")) == "/URI", name
                        assert str(action.URI).startswith(("http://", "https://", "mailto:")), name


def test_a_docx_not_made_from_our_templates(tmp_path: Path) -> None:
    """python-docx's own template: theme fonts, list numbering, merged cells, a picture,
    justified text, a landscape section."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    from tests.finish.hostile import png

    d = Document()
    d.core_properties.title = "Essai inédit"
    d.add_heading("Titre de niveau un", level=1)
    p = d.add_paragraph("Un paragraphe avec du ")
    p.add_run("gras").bold = True
    p.add_run(", des ligatures (efficace, affiner) et 12\u00a0000\u00a0€.")
    for text in ("premier point", "deuxième point"):
        d.add_paragraph(text, style="List Bullet")
    for text in ("étape une", "étape deux"):
        d.add_paragraph(text, style="List Number")
    t = d.add_table(rows=3, cols=3)
    t.style = d.styles["Table Grid"]
    for i, row in enumerate(t.rows):
        for j, cell in enumerate(row.cells):
            cell.text = f"cellule {i}-{j} avec quelques mots pour remplir la colonne"
    t.cell(1, 0).merge(t.cell(2, 0)).text = "fusion verticale"
    image = tmp_path / "i.png"
    image.write_bytes(png(8, 8))
    d.add_picture(str(image), width=Cm(2))
    d.add_paragraph("Ce texte justifié est assez long pour être coupé en fin de ligne ; "
                    "anticonstitutionnellement, intergouvernementalisation. " * 6).alignment = 3
    d.add_page_break()
    section = d.add_section()
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    d.add_paragraph("Section en paysage.")
    path = tmp_path / "inedit.docx"
    d.save(str(path))
    pdf = docx_to_pdf(path.read_bytes(), "inedit.docx")
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) == 2
        first, second = doc.pages[0].mediabox, doc.pages[1].mediabox
        assert float(second[2]) > float(second[3]) and float(first[2]) < float(first[3])
    assert expected_fields(path.read_bytes()) == []
