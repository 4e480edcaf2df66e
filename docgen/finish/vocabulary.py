"""Shared by the strict DOCX reader's modules: what it ignores and refuses by element name,
and how it counts places for its messages."""

from __future__ import annotations

from lxml import etree

from .. import messages as msg

CONTENT_IGNORED = {"proofErr", "permStart", "permEnd", "lastRenderedPageBreak", "bookmarkEnd",
                   "separator", "continuationSeparator", "footnoteRef", "endnoteRef",
                   "softHyphen", "customXmlPr"}
REFUSED_ELEMENTS = msg.REFUSED_ELEMENTS


def _unknown(el: etree._Element) -> str:
    qn = etree.QName(el)
    prefix = el.prefix or qn.namespace or ""
    return msg.ELEMENT_NON_PRIS_CHARGE.format(prefix=prefix, localname=qn.localname)


class _Counter:
    """Where we are, in the user's words: « pied de page de la section 2, paragraphe 3 »."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.paragraphs = 0
        self.tables = 0
        self.bookmarks: list[str] = []
        self.section_break: etree._Element | None = None

    def place(self) -> str:
        return msg.PLACE_PARAGRAPH.format(prefix=self.prefix, paragraphs=self.paragraphs)

    def next_place(self) -> str:
        return msg.PLACE_AFTER_PARAGRAPH.format(
            prefix=self.prefix, paragraphs=self.paragraphs) if self.paragraphs \
            else msg.PLACE_START.format(prefix=self.prefix)
