"""The signature-ready PDF: same words as the DOCX, PDF/A, one field per signatory that signs."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest
from docx import Document

from docgen.verify import signature_fields
from tests.conftest import EXAMPLE

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


def test_each_field_sits_on_the_page_of_its_signature_block(built: Path) -> None:
    pdf = pikepdf.open(built / "convention.pdf")
    pages = {p.objgen: i for i, p in enumerate(pdf.pages)}
    texts = text_of(built / "convention.pdf").split("\f")
    for field in pdf.Root.AcroForm.Fields:
        page = pages[field.P.objgen]
        assert "Pour l'État," in texts[page] and "Alain SANCHEZ" in texts[page]
        x1, y1, x2, y2 = (float(v) for v in field.Rect)
        assert x2 - x1 > 150 and y2 - y1 > 50  # sized to the block's signing space
        assert field.V is None if "/V" in field else True  # empty


def test_pdfa_identification_output_intent_fonts_and_no_encryption(built: Path) -> None:
    for name in ("convention.pdf", "adhesion.pdf"):
        pdf = pikepdf.open(built / name)
        assert not pdf.is_encrypted
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "3" and meta["pdfaid:conformance"] == "B"
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
    # "Docgen Sans" is only declared by @font-face on docgen/fonts/: never a machine font.
    assert {n.split("+", 1)[1] for n in names} == {"Docgen-Sans", "Docgen-Sans-Bold"}, names


def test_info_and_xmp_metadata_agree_and_come_from_the_case(built: Path) -> None:
    pdf = pikepdf.open(built / "convention.pdf")
    info = pdf.docinfo
    meta = pdf.open_metadata()
    assert str(info.Title) == "Convention-cadre PVD valant ORT" == meta["dc:title"]
    assert str(info.Author) == "La Communauté de communes du Pays des Écrins"
    assert str(info.Producer) == meta["pdf:Producer"]
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
    assert "Article 14 – Litiges" in text.replace("\u00a0", " ")
    pages = text.count("\f")
    assert f"Convention-cadre PVD valant ORT – L'Argentière-La Bessée – page 1 / {pages}" in text
    assert "Cadre réservé à l'accusé de réception" in text


def test_small_and_byte_identical(built: Path, tmp_path: Path) -> None:
    from docgen.pipeline import build
    from docgen.plan import BuildOptions

    build(EXAMPLE, BuildOptions(out=tmp_path))
    for name in ("convention.pdf", "adhesion.pdf"):
        data = (tmp_path / "pays-des-ecrins" / name).read_bytes()
        assert data == (built / name).read_bytes()
        assert len(data) < 500_000


def test_verify_passes_then_catches_tampering(built: Path, tmp_path: Path, run) -> None:
    import shutil

    copy = tmp_path / "copie"
    shutil.copytree(built, copy)
    assert run("verify", copy).code == 0
    pdf = copy / "convention.pdf"
    pdf.write_bytes(pdf.read_bytes().replace(b"/Title", b"/Titre", 1))
    result = run("verify", copy)
    assert result.code == 1
    assert "convention.pdf : modifié depuis sa production" in result.err


def test_verify_reports_a_docx_edited_after_the_pdf(built: Path, tmp_path: Path, run) -> None:
    import shutil

    copy = tmp_path / "copie"
    shutil.copytree(built, copy)
    docx = copy / "adhesion.docx"
    doc = Document(str(docx))
    target = next(p for p in doc.paragraphs if p.text.startswith("La présente convention prend effet"))
    target.runs[0].text = "La présente convention prend effet au 1er janvier 2099."
    for run_ in target.runs[1:]:
        run_.text = ""
    doc.save(str(docx))
    result = run("verify", copy)
    assert result.code == 1
    assert "adhesion.docx : modifié depuis sa production" in result.err
    assert "paragraphe du DOCX absent du PDF" in result.err and "1er janvier 2099" in result.err


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
    assert "modification(s) suivie(s) non acceptée(s)" in result.err
    assert "Accepter tout" in result.err
    assert not (tmp_path / "en-revision.pdf").exists()


def _throwaway_signer(tmp_path: Path):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID
    from pyhanko.sign import signers

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Signataire d'essai docgen")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=True, crl_sign=True,
                                         encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    (tmp_path / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    (tmp_path / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    signer = signers.SimpleSigner.load(str(tmp_path / "key.pem"), str(tmp_path / "cert.pem"))
    return signer


def test_every_field_signs_and_every_signature_stays_valid(built: Path, tmp_path: Path) -> None:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import signers
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    signer = _throwaway_signer(tmp_path)
    data = (built / "convention.pdf").read_bytes()
    vc = ValidationContext(trust_roots=[signer.signing_cert], allow_fetching=False)
    for count, field in enumerate(FIELDS, start=1):
        writer = IncrementalPdfFileWriter(io.BytesIO(data))
        out = signers.sign_pdf(writer, signers.PdfSignatureMetadata(field_name=field),
                               signer=signer, existing_fields_only=True)
        data = out.getvalue()
        reader = PdfFileReader(io.BytesIO(data))
        sigs = reader.embedded_signatures
        assert [s.field_name for s in sigs] == FIELDS[:count]
        for sig in sigs:  # the earlier signatures survive the later ones
            status = validate_pdf_signature(sig, vc)
            assert status.intact and status.valid and status.trusted, (field, sig.field_name)
