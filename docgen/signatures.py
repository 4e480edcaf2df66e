"""Signature fields are where a document's kind says its signatories sign: a document that is
never signed (kinds.py, `signed`) carries no signature bookmark, so that neither its PDF nor the
PDF of its reviewed DOCX (`docgen pdf`) gets an empty field, whatever its wording says."""

from __future__ import annotations

from lxml import etree

from .render.package import STORY, edit_xml

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PREFIX = "Signature_"  # the bookmarks the PDF turns into signature fields (finish/typeset.py)


def strip_signature_bookmarks(root: etree._Element) -> None:
    """Remove every Signature_* bookmark (its start and its end) of one XML part."""
    ids = set()
    for start in list(root.iter(f"{W}bookmarkStart")):
        if (start.get(f"{W}name") or "").startswith(PREFIX):
            ids.add(start.get(f"{W}id"))
            parent = start.getparent()
            assert parent is not None  # root is a story part (document, header…), not a bookmark
            parent.remove(start)
    for end in list(root.iter(f"{W}bookmarkEnd")):
        if end.get(f"{W}id") in ids:
            parent = end.getparent()
            assert parent is not None  # as above
            parent.remove(end)


def unsigned(docx: bytes) -> bytes:
    """The DOCX of a document that is never signed: without signature bookmarks."""
    return edit_xml(docx, STORY, strip_signature_bookmarks)
