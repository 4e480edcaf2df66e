"""Every hostile construct is refused with a French message naming it and its place."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.errors import DocgenError
from docgen.finish.docx_reader import read_docx
from docgen.finish.package import DocxRefused, DocxTooLarge
from tests.finish import hostile as h

MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
REVIEW = "modification suivie non acceptée"


def fld(instr: str) -> str:
    return (f'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">'
            f'{instr}</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f'<w:r><w:t>x</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>')


CASES = {
    "vanish-body": (lambda d: h.in_body_run(d, "<w:vanish/>"),
                    "corps du document, paragraphe 2", "texte masqué"),
    "specvanish-body": (lambda d: h.in_body_run(d, "<w:specVanish/>"),
                        "corps du document, paragraphe 2", "texte masqué"),
    "vanish-style": (lambda d: h.replace(d, "word/styles.xml", 'w:styleId="Corps">',
                                         'w:styleId="Corps"><w:rPr><w:vanish/></w:rPr>'),
                     "corps du document, tableau 1, ligne 1, cellule 1, paragraphe",  # the frame
                     "texte masqué (par le style « Corps »)"),  # for the prefecture's stamp
    "vanish-inherited": (lambda d: h.replace(d, "word/styles.xml", 'w:styleId="Normal">',
                                             'w:styleId="Normal"><w:rPr><w:vanish/></w:rPr>'),
                         "corps du document, tableau 1, ligne 1, cellule 1, paragraphe 2",
                         "texte masqué (par le style « Normal »)"),
    "vanish-run-style": (lambda d: h.in_body_run(h.replace(
        d, "word/styles.xml", "</w:styles>", '<w:style w:type="character" w:styleId="Cache">'
        '<w:name w:val="Caché"/><w:rPr><w:vanish/></w:rPr></w:style></w:styles>'),
        '<w:rStyle w:val="Cache"/>'), "corps du document, paragraphe 2",
        "texte masqué (par le style « Caché »)"),
    "vanish-footer": (lambda d: h.in_footer(d, rpr="<w:vanish/>"),
                      "pied de page de la section 1, paragraphe 1", "texte masqué"),
    "alternate-content": (lambda d: h.in_body_paragraph(
        d, f'<mc:AlternateContent {MC}><mc:Choice Requires="w14"><w:r><w:t>a</w:t></w:r>'
        '</mc:Choice><mc:Fallback><w:r><w:t>b</w:t></w:r></mc:Fallback></mc:AlternateContent>'),
        "corps du document, paragraphe 2", "contenu alternatif"),
    "vml-textbox": (lambda d: h.in_body_paragraph(
        d, '<w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox>'
        '<w:txbxContent><w:p><w:r><w:t>caché</w:t></w:r></w:p></w:txbxContent></v:textbox>'
        '</v:shape></w:pict></w:r>'), "corps du document, paragraphe 2", "zone de texte"),
    "ole-object": (lambda d: h.in_body_paragraph(d, "<w:r><w:object/></w:r>"),
                   "corps du document, paragraphe 2", "objet incorporé"),
    "includetext-simple": (lambda d: h.in_body_paragraph(
        d, '<w:fldSimple w:instr=" INCLUDETEXT &quot;/etc/passwd&quot; "><w:r><w:t>x</w:t></w:r>'
        '</w:fldSimple>'), "corps du document, paragraphe 2", "champ INCLUDETEXT"),
    "includepicture-complex": (lambda d: h.in_body_paragraph(
        d, fld(' INCLUDEPICTURE "http://exemple.org/a.png" \\d ')),
        "corps du document, paragraphe 2", "champ INCLUDEPICTURE"),
    "hyperlink-field-file": (lambda d: h.in_footer(d, fld(' HYPERLINK "file:///etc/passwd" ')),
                             "pied de page de la section 1, paragraphe 1", "champ HYPERLINK"),
    "dde-field": (lambda d: h.in_body_paragraph(d, fld(' DDEAUTO excel "C:\\\\a.xls" ')),
                  "corps du document, paragraphe 2", "champ DDEAUTO"),
    "ins-body": (lambda d: h.in_body_paragraph(
        d, '<w:ins w:id="1" w:author="x"><w:r><w:t>ajout</w:t></w:r></w:ins>'),
        "corps du document, paragraphe 2", f"{REVIEW} (insertion)"),
    "del-body": (lambda d: h.in_body_paragraph(
        d, '<w:del w:id="1" w:author="x"><w:r><w:delText>retiré</w:delText></w:r></w:del>'),
        "corps du document, paragraphe 2", f"{REVIEW} (suppression)"),
    "ins-footer": (lambda d: h.in_footer(
        d, '<w:ins w:id="1" w:author="x"><w:r><w:t>ajout</w:t></w:r></w:ins>'),
        "pied de page de la section 1, paragraphe 1", f"{REVIEW} (insertion)"),
    "move-from": (lambda d: h.in_body_paragraph(
        d, '<w:moveFrom w:id="1" w:author="x"><w:r><w:t>ici</w:t></w:r></w:moveFrom>'),
        "corps du document, paragraphe 2", f"{REVIEW} (déplacement"),
    "rprchange-footer": (lambda d: h.in_footer(
        d, rpr='<w:b/><w:rPrChange w:id="1" w:author="x"><w:rPr/></w:rPrChange>'),
        "pied de page de la section 1, paragraphe 1", f"{REVIEW} (mise en forme du texte)"),
    "pprchange-body": (lambda d: h.replace(
        d, "word/document.xml", '<w:pStyle w:val="Titredocument"/>',
        '<w:pStyle w:val="Titredocument"/><w:pPrChange w:id="1" w:author="x"><w:pPr/></w:pPrChange>'),
        "corps du document, paragraphe 2", f"{REVIEW} (mise en forme du paragraphe)"),
    "sectprchange": (lambda d: h.replace(
        d, "word/document.xml", "<w:cols ", '<w:sectPrChange w:id="1" w:author="x"><w:sectPr/>'
        "</w:sectPrChange><w:cols "), "mise en page de la section 1", f"{REVIEW} (mise en page"),
    "tblprchange": (lambda d: h.replace(
        d, "word/document.xml", '<w:tblStyle w:val="TableGrid"/>', '<w:tblStyle w:val="TableGrid"/>'
        '<w:tblPrChange w:id="1" w:author="x"><w:tblPr/></w:tblPrChange>'),
        "corps du document, tableau 2", f"{REVIEW} (propriétés du tableau)"),
    "trprchange": (lambda d: h.replace(
        d, "word/document.xml", '<w:tblHeader w:val="true"/>', '<w:tblHeader w:val="true"/>'
        '<w:trPrChange w:id="1" w:author="x"><w:trPr/></w:trPrChange>'),
        "tableau 2, ligne 1", f"{REVIEW} (propriétés d'une ligne"),
    "tcprchange": (lambda d: h.replace(
        d, "word/document.xml", '<w:tcW w:type="dxa" w:w="567"/>', '<w:tcW w:type="dxa" w:w="567"/>'
        '<w:tcPrChange w:id="1" w:author="x"><w:tcPr/></w:tcPrChange>'),
        "tableau 2, ligne 1", f"{REVIEW} (propriétés d'une cellule)"),
    "numberingchange": (lambda d: h.replace(
        d, "word/numbering.xml", "<w:lvl ", '<w:numberingChange w:id="1" w:author="x"/><w:lvl '),
        "numérotation", f"{REVIEW} (numérotation)"),
    "comment-range": (lambda d: h.in_body_paragraph(d, '<w:commentRangeStart w:id="0"/>'),
                      "corps du document, paragraphe 2", "commentaire"),
    "comments-part": (lambda d: h.add_rel(h.add_part(
        d, "word/comments.xml", f'<w:comments {h.W_NS}><w:comment w:id="0"><w:p/></w:comment>'
        '</w:comments>'.encode()), "rIdC", "comments", "comments.xml", False),
        "commentaires du document", "commentaire"),
    "file-hyperlink": (lambda d: h.in_body_paragraph(h.add_rel(
        d, "rIdL", "hyperlink", "file:///etc/passwd", True),
        '<w:hyperlink r:id="rIdL"><w:r><w:t>lien</w:t></w:r></w:hyperlink>'),
        "relations de word/document.xml", "lien vers un fichier local"),
    "javascript-link": (lambda d: h.add_rel(d, "rIdL", "hyperlink", "javascript:alert(1)", True),
                        "relations", "lien exécutable"),
    "relative-link": (lambda d: h.in_body_paragraph(h.add_rel(
        d, "rIdL", "hyperlink", "annexe.docx", False),
        '<w:hyperlink r:id="rIdL"><w:r><w:t>lien</w:t></w:r></w:hyperlink>'),
        "corps du document, paragraphe 2", "lien relatif ou vers un fichier local"),
    "local-file-link": (lambda d: h.add_rel(d, "rIdL", "hyperlink", "C:/secret/budget.xlsx", True),
                        "relations", "lien"),
    "linked-image": (lambda d: h.add_rel(d, "rIdI", "image", "http://exemple.org/a.png", True),
                     "relations", "image liée (externe)"),
    "external-other": (lambda d: h.add_rel(d, "rIdX", "oleObject", "file:///x.xls", True),
                       "relations", "objet incorporé"),
    "macros": (lambda d: h.add_part(d, "word/vbaProject.bin", b"\0" * 10,
                                    "application/vnd.ms-office.vbaProject"), "vbaProject", "macros"),
    "alt-chunk": (lambda d: h.replace(d, "word/document.xml", "<w:body>",
                                      '<w:body><w:altChunk r:id="rId1"/>'),
                  "corps du document", "contenu importé (altChunk)"),
    "sub-document": (lambda d: h.add_rel(d, "rIdS", "subDocument", "autre.docx", False),
                     "relations", "sous-document"),
    "frame": (lambda d: h.replace(d, "word/document.xml", '<w:pStyle w:val="Titredocument"/>',
                                  '<w:pStyle w:val="Titredocument"/><w:framePr w:x="9000"/>'),
              "corps du document, paragraphe 2", "cadre"),
    "white-on-white": (lambda d: h.in_body_run(d, '<w:color w:val="FFFFFF"/>'),
                       "corps du document, paragraphe 2", "texte invisible"),
    "white-on-shading": (lambda d: h.in_body_run(
        d, '<w:color w:val="1F3A5F"/><w:shd w:val="clear" w:color="auto" w:fill="1F3A5F"/>'),
        "corps du document, paragraphe 2", "texte invisible"),
    "tiny-font": (lambda d: h.in_body_run(d, '<w:sz w:val="6"/>'),
                  "corps du document, paragraphe 2", "inférieure à 4 pt"),
    "unknown-element": (lambda d: h.in_body_paragraph(d, "<w:inconnu/>"),
                        "corps du document, paragraphe 2", "élément non pris en charge (w:inconnu)"),
    "dtd": (lambda d: h.replace(d, "word/footer1.xml", "<w:ftr ",
                                '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><w:ftr '),
            "pied de page de la section 1", "DTD"),
    "huge-image": (lambda d: h.inline_image(d, h.png(20000, 20000), "png"),
                   "corps du document, paragraphe 2", "millions de pixels"),
    "svg-fanout": (lambda d: h.inline_image(d, h.svg_fanout(), "svg"),
                   "corps du document, paragraphe 2", "<use>"),
    "svg-external": (lambda d: h.inline_image(d, h.SVG_EXTERNAL, "svg"),
                     "corps du document, paragraphe 2", "référence externe"),
    "svg-deep": (lambda d: h.inline_image(d, (b'<svg xmlns="http://www.w3.org/2000/svg">' + b"<g>" * 60
                                              + b"</g>" * 60 + b"</svg>"), "svg"),
                 "corps du document, paragraphe 2", "imbriquée"),
    "svg-many": (lambda d: h.inline_image(d, (b'<svg xmlns="http://www.w3.org/2000/svg">'
                                              + b"<rect/>" * 20_000 + b"</svg>"), "svg"),
                 "corps du document, paragraphe 2", "éléments"),
    "svg-script": (lambda d: h.inline_image(d, (b'<svg xmlns="http://www.w3.org/2000/svg">'
                                                b"<script>alert(1)</script></svg>"), "svg"),
                   "corps du document, paragraphe 2", "élément actif"),
    "gif-image": (lambda d: h.inline_image(d, b"GIF89a" + b"\0" * 20, "png"),
                  "corps du document, paragraphe 2", "format non pris en charge"),
    "anchored-image": (lambda d: h.in_body_paragraph(
        d, '<w:r><w:drawing><wp:anchor xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/'
        'wordprocessingDrawing"/></w:drawing></w:r>'), "corps du document, paragraphe 2",
        "image ou forme flottante"),
    "too-large": (lambda d: h.pack_stored({**h.parts(d), "word/media/gros.bin":
                                           b"\1" * (51 * 1024 * 1024)}),
                  "paquet", "au-delà de la limite de 50 Mo"),
    "zip-bomb": (lambda d: h.add_part(d, "word/media/bombe.bin", b"\0" * (60 * 1024 * 1024)),
                 "bombe.bin", "bombe de décompression"),
    "too-many-parts": (lambda d: h.pack({**h.parts(d), **{f"customXml/x{i}.xml": b"<a/>"
                                                          for i in range(600)}}),
                       "paquet", "parties"),
    "mail-merge": (lambda d: h.replace(d, "word/settings.xml", "<w:zoom ",
                                       '<w:mailMerge><w:mainDocumentType w:val="formLetters"/>'
                                       "</w:mailMerge><w:zoom "),
                   "paramètres du document", "publipostage"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_docx_is_refused(case: str, convention_docx: bytes) -> None:
    make, place, what = CASES[case]
    data = make(convention_docx)
    with pytest.raises(DocxRefused) as info:
        read_docx(data, "convention.docx")
    message = str(info.value)
    assert message.startswith("convention.docx : "), message
    assert place in message, message
    assert what in message, message
    assert isinstance(info.value, DocgenError) and info.value.exit_code == 1


def test_limits_are_their_own_class(convention_docx: bytes) -> None:
    with pytest.raises(DocxTooLarge):
        read_docx(CASES["huge-image"][0](convention_docx), "c.docx")


def test_nothing_written_on_refusal(convention_docx: bytes, tmp_path: Path) -> None:
    from docgen.finish.pdf import docx_to_pdf

    with pytest.raises(DocxRefused):
        docx_to_pdf(CASES["ins-footer"][0](convention_docx), "c.docx")
    assert list(tmp_path.iterdir()) == []


IGNORED = {
    "attached-template": lambda d: h.add_rel(h.replace(
        d, "word/settings.xml", "<w:zoom ", '<w:attachedTemplate r:id="rIdT"/><w:zoom '),
        "rIdT", "attachedTemplate", "file:///C:/modeles/Normal.dotm", True,
        part="word/_rels/settings.xml.rels") if "word/_rels/settings.xml.rels" in h.parts(d)
    else h.add_part(h.replace(d, "word/settings.xml", "<w:zoom ",
                              '<w:attachedTemplate r:id="rIdT"/><w:zoom '),
                    "word/_rels/settings.xml.rels",
                    b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                    b'package/2006/relationships"><Relationship Id="rIdT" Type="http://schemas.'
                    b'openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" '
                    b'Target="file:///C:/modeles/Normal.dotm" TargetMode="External"/>'
                    b"</Relationships>"),
    "mammoth-style-map": lambda d: h.add_part(
        d, "mammoth/style-map", b"p => a[href='file:///etc/passwd']:fresh\nr => a.attachment"),
    "web-link": lambda d: h.in_body_paragraph(h.add_rel(
        d, "rIdL", "hyperlink", "https://www.petitesvillesdedemain.fr/", True),
        '<w:hyperlink r:id="rIdL"><w:r><w:t>site</w:t></w:r></w:hyperlink>'),
    "small-png": lambda d: h.inline_image(d, h.png(4, 4), "png"),
    "small-svg": lambda d: h.inline_image(d, b'<svg xmlns="http://www.w3.org/2000/svg" width="10" '
                                          b'height="10"><defs><rect id="r" width="4" height="4"/>'
                                          b'</defs><use href="#r"/><use href="#r" x="5"/></svg>',
                                          "svg"),
}


@pytest.mark.parametrize("case", sorted(IGNORED))
def test_harmless_or_ignored_constructs_typeset(case: str, convention_docx: bytes) -> None:
    import io

    import pikepdf

    from docgen.finish.pdf import docx_to_pdf

    pdf = docx_to_pdf(IGNORED[case](convention_docx), "convention.docx")
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        names = doc.Root.get("/Names")
        assert names is None or "/EmbeddedFiles" not in names
        for page in doc.pages:
            for annot in page.get("/Annots", []):
                uri = str(annot.get("/A", {}).get("/URI", "")) if "/A" in annot else ""
                assert not uri.startswith("file:")


def test_new_path_imports_neither_weasyprint_nor_mammoth_nor_pyhanko(convention_docx: bytes,
                                                                     tmp_path: Path) -> None:
    import subprocess
    import sys

    src = tmp_path / "c.docx"
    src.write_bytes(convention_docx)
    code = ("import sys; from docgen.finish.pdf import docx_to_pdf; "
            f"docx_to_pdf(open({str(src)!r}, 'rb').read(), 'c.docx'); "
            "print(sorted(m for m in ('weasyprint', 'mammoth', 'pyhanko') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_refusal_names_its_paragraph_by_its_first_words(convention_docx: bytes) -> None:
    """Legal staff find the paragraph by what it says, not only by its rank: its first words
    (hidden ones included, control characters shown as « ? », at most 40 characters)."""
    data = h.in_body_run(convention_docx, "<w:vanish/>")
    with pytest.raises(DocxRefused) as info:
        read_docx(data, "convention.docx")
    message = str(info.value)
    assert "corps du document, paragraphe 2 (« Convention-cadre" in message, message
    start = message.split("(« ", 1)[1].split(" »)", 1)[0]
    assert len(start) <= 41 and start.endswith("…")
    assert info.value.place == "corps du document, paragraphe 2"  # the place itself, unchanged
    hostile = h.replace(data, "word/document.xml", "<w:t>Convention-cadre",
                        "<w:t>Convention\u202ecadre")  # a direction control in its words
    with pytest.raises(DocxRefused) as info:
        read_docx(hostile, "convention.docx")
    assert "(« Convention?cadre" in str(info.value) and "\u202e" not in str(info.value)
