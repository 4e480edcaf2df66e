"""Reading DOCX files back the way a reviewer sees them."""

from __future__ import annotations

import zipfile
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph


def body_texts(path: Path) -> list[str]:
    """Paragraph texts in body order, table cells included (one entry per cell paragraph)."""
    doc = Document(str(path))
    out: list[str] = []
    for block in doc.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append(Paragraph(block, doc).text)
        elif tag == "tbl":
            for row in Table(block, doc).rows:
                seen: list[object] = []  # the elements themselves: id() of lxml proxies is reused
                for cell in row.cells:
                    if any(cell._tc is s for s in seen):
                        continue
                    seen.append(cell._tc)
                    out.extend(p.text for p in cell.paragraphs)
    return out


def styled(path: Path, style: str) -> list[str]:
    """Texts of the paragraphs of a style in body order, table cells included (the signature
    blocks sit two per row in a table from four signatories)."""
    doc = Document(str(path))
    paras = (Paragraph(p, doc) for p in doc.element.body.iter(qn("w:p")))
    return [p.text for p in paras if p.style is not None and p.style.name == style]


def all_xml(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith(".xml") or n.endswith(".rels")}
