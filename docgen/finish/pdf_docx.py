"""FINISH for Word-born documents: DOCX → semantic HTML (mammoth) → HTML shell → WeasyPrint →
signature fields → PDF/A bytes.

The PDF is typeset from the DOCX itself, so what is signed says exactly what was reviewed.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from xml.etree import ElementTree as ET

from markupsafe import Markup

from ..version import __version__
from .. import messages as msg
from ..errors import DocgenError
from ..templating import SearchPath
from .pdf_html import html_to_pdf

# Word paragraph styles → HTML: the only carrier of layout from DOCX to PDF.
STYLE_MAP = """
p[style-name='Titre document'] => h1.titre:fresh
p[style-name='Sous-titre document'] => p.sous-titre:fresh
p[style-name='Mention projet'] => p.projet:fresh
p[style-name='Liaison'] => p.liaison:fresh
p[style-name='Partie'] => p.partie:fresh
p[style-name='Titre section'] => h2.section:fresh
p[style-name='Titre article'] => h2.article:fresh
p[style-name='Sous-titre article'] => h3:fresh
p[style-name='Liste'] => p.liste:fresh
p[style-name='Fait a'] => p.fait-a:fresh
p[style-name='Signature partie'] => p.sig-partie:fresh
p[style-name='Signature qualite'] => p.sig-qualite:fresh
p[style-name='Signature nom'] => p.sig-nom:fresh
p[style-name='Titre annexe'] => h2.annexe:fresh
p[style-name='Titre fiche'] => h3.fiche:fresh
p[style-name='Tableau'] => p.t:fresh
p[style-name='Tableau montant'] => p.tm:fresh
p[style-name='Tableau entete'] => p.te:fresh
p[style-name='Tableau total'] => p.tt:fresh
p[style-name='Tableau total montant'] => p.ttm:fresh
p[style-name='Mention'] => p.mention:fresh
p[style-name='Expediteur'] => p.expediteur:fresh
p[style-name='Date lettre'] => p.date-lettre:fresh
p[style-name='Objet lettre'] => p.objet-lettre:fresh
p[style-name='Signature lettre'] => p.sig-lettre:fresh
p[style-name='Signature lettre nom'] => p.sig-lettre-nom:fresh
p[style-name='Corps'] => p:fresh
br[type='page'] => hr.saut-de-page
"""

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CORE = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dcterms": "http://purl.org/dc/terms/",
}


class ReviewPending(DocgenError):
    """A DOCX still holds tracked changes or comments."""


@dataclass(frozen=True)
class DocxMeta:
    title: str
    subject: str
    author: str
    keywords: str
    created: str  # YYYY-MM-DD
    footer: str
    header: str


def read_meta(docx: bytes) -> DocxMeta:
    """Title, author… from the DOCX core properties; running texts from its header and footer."""
    with zipfile.ZipFile(io.BytesIO(docx)) as zf:
        core = ET.fromstring(zf.read("docProps/core.xml"))
        footers = [n for n in zf.namelist() if re.match(r"word/footer\d*\.xml$", n)]
        headers = [n for n in zf.namelist() if re.match(r"word/header\d*\.xml$", n)]
        footer = _running_text(zf, footers)
        header = _running_text(zf, headers)

    def get(tag: str) -> str:
        el = core.find(tag, CORE)
        return (el.text or "").strip() if el is not None else ""

    footer = re.sub(r"\s*[–-]\s*page[\s\d/]*$", "", footer)  # the page fields are ours to draw
    return DocxMeta(
        title=get("dc:title"),
        subject=get("dc:subject"),
        author=get("dc:creator"),
        keywords=get("cp:keywords"),
        created=get("dcterms:created")[:10],
        footer=footer or get("dc:title"),
        header=header,
    )


def _running_text(zf: zipfile.ZipFile, parts: list[str]) -> str:
    texts = []
    for name in sorted(parts):
        root = ET.fromstring(zf.read(name))
        for p in root.iter(f"{W}p"):
            runs = [t.text or "" for t in p.iter(f"{W}t")
                    if not _inside_field(t, p)]
            text = "".join(runs).strip()
            if text:
                texts.append(text)
    return " ".join(dict.fromkeys(texts))


def _inside_field(t: ET.Element, p: ET.Element) -> bool:
    for fld in p.iter(f"{W}fldSimple"):
        if any(x is t for x in fld.iter(f"{W}t")):
            return True
    return False


def signable(meta: DocxMeta) -> bool:
    """A consolidated version is for information only: it gets no signature field."""
    return not meta.header.startswith("Version consolidée")


def refuse_pending_review(docx: bytes, name: str) -> None:
    """Tracked changes and comments must be accepted or removed before anything is signed."""
    with zipfile.ZipFile(io.BytesIO(docx)) as zf:
        document = zf.read("word/document.xml").decode("utf-8")
        names = zf.namelist()
        comments = zf.read("word/comments.xml").decode("utf-8") if "word/comments.xml" in names else ""
    problems = []
    changes = len(re.findall(r"<w:(?:ins|del|moveFrom|moveTo)\b", document))
    if changes:
        problems.append(msg.REVIEW_CHANGES.format(n=changes))
    if "<w:commentReference" in document or "<w:comment " in comments:
        problems.append(msg.REVIEW_COMMENTS)
    if problems:
        raise ReviewPending(msg.REVIEW_PENDING.format(name=name, what=" et ".join(problems)))


def docx_to_tree(docx: bytes) -> ET.Element:
    """The DOCX as semantic HTML elements (inside one <div>), signature blocks grouped.
    Converted once per content: typesetting and the parity check read the same tree."""
    return ET.fromstring(_docx_html(hashlib.sha256(docx).digest(), docx))


@lru_cache(maxsize=8)
def _docx_html(digest: bytes, docx: bytes) -> str:
    import mammoth

    result = mammoth.convert_to_html(io.BytesIO(docx), style_map=STYLE_MAP)
    tree = _group_signatures(ET.fromstring(f"<div>{result.value}</div>"))
    return ET.tostring(tree, encoding="unicode")


def _group_signatures(root: ET.Element) -> ET.Element:
    """Wrap « Fait à » and each signatory's paragraphs in blocks; mark where the field goes."""
    children = list(root)
    out = ET.Element("div")
    section: ET.Element | None = None
    blocs: ET.Element | None = None
    block: ET.Element | None = None
    for el in children:
        cls = el.get("class", "")
        if el.tag == "p" and cls == "fait-a":
            section = ET.SubElement(out, "section", {"class": "signatures"})
            section.append(el)
            blocs = ET.SubElement(section, "div", {"class": "blocs"})
            block = None
            continue
        if blocs is not None and el.tag == "p" and cls.startswith("sig-"):
            if cls == "sig-partie" or block is None:
                anchor = el.find("a")
                name = anchor.get("id", "") if anchor is not None else ""
                if anchor is not None:
                    el.remove(anchor)
                    el.text = (anchor.tail or "") + (el.text or "")
                block = ET.SubElement(blocs, "div", {"class": "signature", "data-champ": name})
            if cls == "sig-nom" and block is not None:
                champ = block.get("data-champ") or f"Signature_{len(list(blocs))}"
                block.set("data-champ", champ)
                ET.SubElement(block, "div", {"class": "sig-espace", "id": f"champ-{champ}"})
            block.append(el)
            continue
        section = blocs = block = None
        out.append(el)
    return out


def _css_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def typeset(docx: bytes, name: str = "document.docx") -> bytes:
    """The signature-ready PDF of a DOCX: PDF/A-3b, fonts embedded, one field per signatory."""
    refuse_pending_review(docx, name)
    meta = read_meta(docx)
    tree = docx_to_tree(docx)
    order = [d.get("data-champ", "") for d in tree.iter("div") if d.get("class") == "signature"]
    if not signable(meta):
        order = []
    body = ET.tostring(tree, encoding="unicode", method="html")[len("<div>"): -len("</div>")]
    html_text = SearchPath.of(None).environment().get_template("html/document.html").render(
        doc=meta,
        body=Markup(body),
        version=__version__,
        footer_css=Markup(_css_string(meta.footer)),
        header_css=Markup(_css_string(meta.header)),
        stamp=bool(order),  # only an act to be signed goes to the contrôle de légalité
    )
    identifier = hashlib.sha256(docx).hexdigest()[:32].encode()
    return html_to_pdf(html_text, identifier, name, order)


