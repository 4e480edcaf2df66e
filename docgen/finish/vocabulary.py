"""Shared by the strict DOCX reader's modules: what it ignores and refuses by element name,
and how it counts places for its messages."""

from __future__ import annotations

from lxml import etree

CONTENT_IGNORED = {"proofErr", "permStart", "permEnd", "lastRenderedPageBreak", "bookmarkEnd",
                   "separator", "continuationSeparator", "footnoteRef", "endnoteRef",
                   "softHyphen", "customXmlPr"}
REFUSED_ELEMENTS = {
    "AlternateContent": "contenu alternatif (mc:AlternateContent)", "pict": "forme ou zone de "
    "texte (VML)", "object": "objet incorporé (OLE)", "altChunk": "contenu importé (altChunk)",
    "subDoc": "sous-document", "txbxContent": "zone de texte", "oMath": "formule mathématique",
    "oMathPara": "formule mathématique", "customXml": "balisage XML personnalisé",
    "smartTag": "balise active (smartTag)", "sym": "symbole d'une police décorative",
    "ruby": "texte ruby", "contentPart": "encre manuscrite", "embeddedFont": "police incorporée",
    "dayShort": "date automatique", "dayLong": "date automatique", "monthShort": "date "
    "automatique", "monthLong": "date automatique", "yearShort": "date automatique",
    "yearLong": "date automatique", "pgNum": "numéro de page (ancien format)",
}


def _unknown(el: etree._Element) -> str:
    qn = etree.QName(el)
    prefix = el.prefix or qn.namespace or ""
    return f"élément non pris en charge ({prefix}:{qn.localname})"


class _Counter:
    """Where we are, in the user's words: « pied de page de la section 2, paragraphe 3 »."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.paragraphs = 0
        self.tables = 0
        self.bookmarks: list[str] = []
        self.section_break: etree._Element | None = None

    def place(self) -> str:
        return f"{self.prefix}, paragraphe {self.paragraphs}"

    def next_place(self) -> str:
        return f"{self.prefix}, après le paragraphe {self.paragraphs}" if self.paragraphs \
            else f"{self.prefix}, début"
