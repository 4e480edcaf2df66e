"""`docgen verify` checks what a signer worries about: each threat is planted in a crafted PDF
(pikepdf), put in an output folder with its manifest, and must be reported in French."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pikepdf
import pytest

from docgen.pdfcheck import signer_problems, strip_unsafe_links

HELLO = b"BT /F1 12 Tf 72 720 Td (Bonjour) Tj ET"


def _pdf(content: bytes = HELLO, *, pdfa: bool = True, edit=None) -> bytes:  # type: ignore[no-untyped-def]
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font,
                                                Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    page = pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, 612, 792],
                              Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
                              Contents=pdf.make_stream(content))
    pdf.pages.append(pikepdf.Page(page))
    if pdfa:
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["pdfaid:part"] = "3"
            meta["pdfaid:conformance"] = "B"
        profile = pdf.make_stream(b"fake icc", N=3)
        pdf.Root.OutputIntents = pikepdf.Array([pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFA1,
            OutputConditionIdentifier=pikepdf.String("sRGB"), DestOutputProfile=profile)])
    if edit is not None:
        edit(pdf)
    out = __import__("io").BytesIO()
    pdf.save(out)
    return out.getvalue()


def _link(pdf: pikepdf.Pdf, action: pikepdf.Dictionary) -> None:
    annot = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Annot,
                                                 Subtype=pikepdf.Name.Link, Rect=[72, 700, 200, 730],
                                                 A=action))
    pdf.pages[0].obj.Annots = pikepdf.Array([annot])


def _action(kind: str, **extra: object) -> pikepdf.Dictionary:
    return pikepdf.Dictionary(Type=pikepdf.Name.Action, S=pikepdf.Name("/" + kind), **extra)


def _sig_field(pdf: pikepdf.Pdf, **extra: object) -> None:
    field = pdf.make_indirect(pikepdf.Dictionary(FT=pikepdf.Name.Sig, T=pikepdf.String("Maire"),
                                                 Type=pikepdf.Name.Annot,
                                                 Subtype=pikepdf.Name.Widget,
                                                 Rect=[72, 100, 272, 160], **extra))
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([field]))
    pdf.pages[0].obj.Annots = pikepdf.Array([field])


def _embed(pdf: pikepdf.Pdf) -> None:
    pdf.attachments["charge.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ...")


def _js_names(pdf: pikepdf.Pdf) -> None:
    script = _action("JavaScript", JS=pikepdf.String("app.alert(1)"))
    pdf.Root.Names = pikepdf.Dictionary(JavaScript=pikepdf.Dictionary(
        Names=pikepdf.Array([pikepdf.String("x"), script])))


CASES = {
    "javascript-names": (dict(edit=_js_names), "contient du JavaScript (scripts de document)"),
    "javascript-open": (dict(edit=lambda p: setattr(p.Root, "OpenAction", _action(
        "JavaScript", JS=pikepdf.String("app.alert(1)")))),
        "à l'ouverture du document : action interdite dans un document à signer : JavaScript."),
    "embedded-file": (dict(edit=_embed), "contient 1 fichier(s) intégré(s)"),
    "launch": (dict(edit=lambda p: _link(p, _action("Launch", F=pikepdf.String("calc.exe")))),
               "page 1 : action interdite dans un document à signer : lancement d'un programme"),
    "submit": (dict(edit=lambda p: _link(p, _action("SubmitForm", F=pikepdf.String(
        "https://collecte.example/")))), "envoi de formulaire (SubmitForm)"),
    "chained": (dict(edit=lambda p: _link(p, _action("URI", URI=pikepdf.String("https://ok.fr"),
                                                     Next=_action("ImportData")))),
                "import de données (ImportData)"),
    "file-link": (dict(edit=lambda p: _link(p, _action("URI", URI=pikepdf.String(
        "file:///etc/passwd")))), "page 1 : lien vers un fichier local ou un chemin "
        "(file:///etc/passwd)"),
    "javascript-link": (dict(edit=lambda p: _link(p, _action("URI", URI=pikepdf.String(
        "javascript:alert(1)")))), "ni web (http, https) ni courriel (javascript:alert(1))"),
    "render-mode-3": (dict(content=b"BT /F1 12 Tf 3 Tr 72 700 Td (cache) Tj ET"),
                      "page 1 : texte invisible (mode de rendu invisible) : 1 passage(s)."),
    "white-on-white": (dict(content=b"BT /F1 12 Tf 1 1 1 rg 72 700 Td (blanc) Tj ET"),
                       "page 1 : texte invisible (blanc sur fond blanc)"),
    "white-cmyk": (dict(content=b"BT /F1 12 Tf 0 0 0 0 k 72 700 Td (blanc) Tj ET"),
                   "texte invisible (blanc sur fond blanc)"),
    "clipped": (dict(content=b"q 0 0 10 10 re W n BT /F1 12 Tf 300 300 Td (coupe) Tj ET Q"),
                "page 1 : texte invisible (masqué par un découpage)"),
    "off-page": (dict(content=b"BT /F1 12 Tf 2000 -500 Td (ailleurs) Tj ET"),
                 "page 1 : texte invisible (hors de la page)"),
    "moved-off-by-cm": (dict(content=b"q 1 0 0 1 0 5000 cm BT /F1 12 Tf 72 72 Td (x) Tj ET Q"),
                        "texte invisible (hors de la page)"),
    "signed-field": (dict(edit=lambda p: _sig_field(p, V=pikepdf.Dictionary(
        Type=pikepdf.Name.Sig))), "le champ de signature « Maire » est déjà rempli (signé)"),
    "locked-field": (dict(edit=lambda p: _sig_field(p, Lock=pikepdf.Dictionary(
        Action=pikepdf.Name.All))), "le champ de signature « Maire » verrouille des champs"),
    "readonly-field": (dict(edit=lambda p: _sig_field(p, Ff=1)),
                       "le champ de signature « Maire » est en lecture seule"),
    "certified": (dict(edit=lambda p: setattr(p.Root, "Perms", pikepdf.Dictionary(
        DocMDP=pikepdf.Dictionary()))), "le document est verrouillé pour la signature"),
    "no-pdfa-claim": (dict(pdfa=False), "pas de déclaration PDF/A dans les métadonnées XMP"),
    "claim-without-intent": (dict(edit=lambda p: delattr(p.Root, "OutputIntents")),
                             "pas de profil de couleurs de sortie PDF/A (OutputIntent GTS_PDFA1)"),
}


def _folder(tmp_path: Path, pdf: bytes) -> Path:
    folder = tmp_path / "sortie" / "essai"
    folder.mkdir(parents=True)
    (folder / "diaporama.pdf").write_bytes(pdf)
    manifest = {"outputs": {"diaporama.pdf": {"sha256": hashlib.sha256(pdf).hexdigest()}}}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_threat_is_reported_in_french(name: str, tmp_path: Path, run,
                                           monkeypatch) -> None:
    kwargs, expected = CASES[name]
    folder = _folder(tmp_path, _pdf(**kwargs))
    monkeypatch.chdir(tmp_path)
    result = run("verify", folder)
    assert result.code == 1, result.err
    assert "sortie/essai/diaporama.pdf : " in result.err
    assert expected in result.err, result.err
    assert "Traceback" not in result.err


def test_a_clean_pdf_passes(tmp_path: Path, run) -> None:
    def edit(pdf: pikepdf.Pdf) -> None:
        _link(pdf, _action("URI", URI=pikepdf.String("https://www.petites-villes.fr")))
        _sig_field(pdf)

    assert signer_problems(_pdf(edit=edit)) == []
    # white text on a dark background is legitimate (table headers of the attendance sheet)
    dark = b"0.1 0.2 0.4 rg 60 690 200 30 re f BT /F1 12 Tf 1 1 1 rg 72 700 Td (titre) Tj ET"
    assert signer_problems(_pdf(content=dark)) == []
    result = run("verify", _folder(tmp_path, _pdf(edit=edit)))
    assert result.code == 0, result.err


def test_a_manifest_naming_files_outside_the_folder_is_reported(tmp_path: Path, run) -> None:
    folder = _folder(tmp_path, _pdf())
    (folder / "manifest.json").write_text(json.dumps(
        {"outputs": {"../../../etc/passwd": {"sha256": "0"}}}))
    result = run("verify", folder)
    assert result.code == 1
    assert "manifest.json nomme un fichier hors du dossier produit (../../../etc/passwd)" in result.err


def test_a_corrupt_manifest_is_reported_not_a_crash(tmp_path: Path, run) -> None:
    folder = _folder(tmp_path, _pdf())
    (folder / "manifest.json").write_text('{"outputs": {"diapo')
    result = run("verify", folder)
    assert result.code == 1
    assert "manifeste illisible" in result.err and "Traceback" not in result.err


def test_links_other_than_web_and_mail_never_stay_live() -> None:
    from docgen.finish.pdf_html import html_to_pdf

    html = ("<html lang='fr'><head><meta charset='utf-8'><title>t</title></head><body><p>"
            "<a href='javascript:alert(1)'>a</a> <a href='file:///etc/passwd'>b</a> "
            "<a href='https://www.petites-villes.fr'>c</a> <a href='mailto:x@y.fr'>d</a>"
            "</p></body></html>")
    pdf = html_to_pdf(html, b"0" * 32, "essai.pdf")
    with pikepdf.open(__import__("io").BytesIO(pdf)) as doc:
        uris = [str(a.A.URI) for a in doc.pages[0].obj.get("/Annots", []) if "/A" in a]
    assert sorted(uris) == ["https://www.petites-villes.fr", "mailto:x@y.fr"]
    assert signer_problems(pdf) == []
    assert strip_unsafe_links(pdf) == pdf  # nothing left to drop: bytes unchanged
