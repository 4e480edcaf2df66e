"""Typography a Word template cannot express around a value: ordinals in superscript (« 1er »,
« 1re », « 2e ») wherever they are printed, the text itself unchanged.

Pure: DOCX bytes in, DOCX bytes out.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from lxml import etree

from .render.package import STORY, edit_xml

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
ORDINAL = re.compile(r"(?<![\w-])(\d{1,2})(er|re|e)(?![\w-])")


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _run(template: Any, text: str, superscript: bool) -> Any:
    r = etree.Element(w("r"))
    rpr = template.find(w("rPr"))
    rpr = copy.deepcopy(rpr) if rpr is not None else None
    if superscript:
        if rpr is None:
            rpr = etree.Element(w("rPr"))
        va = rpr.find(w("vertAlign"))
        if va is None:
            va = etree.SubElement(rpr, w("vertAlign"))
        va.set(w("val"), "superscript")
    if rpr is not None:
        r.append(rpr)
    t = etree.SubElement(r, w("t"))
    t.text = text
    t.set(XML_SPACE, "preserve")
    return r


def superscript_ordinals(root: Any) -> None:
    for r in list(root.iter(w("r"))):
        ts = r.findall(w("t"))
        if len(ts) != 1 or len(r) > 2 or not ORDINAL.search(ts[0].text or ""):
            continue
        text, pieces, last = ts[0].text or "", [], 0
        for m in ORDINAL.finditer(text):
            pieces.append((text[last:m.start(2)], False))
            pieces.append((m.group(2), True))
            last = m.end()
        pieces.append((text[last:], False))
        for piece, sup in pieces:
            if piece:
                r.addprevious(_run(r, piece, sup))
        r.getparent().remove(r)


def exposants(docx: bytes) -> bytes:
    """The DOCX with every ordinal of its body, headers and footers in superscript."""
    return edit_xml(docx, STORY, superscript_ordinals)
