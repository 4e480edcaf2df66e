"""A tracked-changes DOCX between two renderings of the same template (before / after an avenant).

Paragraphs and tables are aligned in order; inside a changed paragraph the difference is made
word by word, in a table whole rows are inserted or deleted. Unchanged text is left as it is, so
accepting every change gives the new text and rejecting every change gives the old one.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import re
from typing import Any

from lxml import etree

from .render.package import pack, parse_xml, part, parts, xml_bytes

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


class _Marks:
    """Revision attributes: author, date and a unique id per mark."""

    def __init__(self, author: str, when: dt.date) -> None:
        self.author = author
        self.date = f"{when.isoformat()}T00:00:00Z"
        self.next_id = 10_000  # clear of the bookmark ids of our templates

    def make(self, kind: str) -> Any:
        el = etree.Element(w(kind))
        el.set(w("id"), str(self.next_id))
        el.set(w("author"), self.author)
        el.set(w("date"), self.date)
        self.next_id += 1
        return el


def _text(el: Any) -> str:
    return "".join(t.text or "" for t in el.iter(w("t")))


def _style(p: Any) -> str:
    st = p.find(f"{w('pPr')}/{w('pStyle')}")
    return st.get(w("val")) if st is not None else ""


def _key(block: Any) -> tuple[str, str, str]:
    if block.tag == w("p"):
        return ("p", _style(block), _text(block))
    if block.tag == w("tbl"):
        first = block.find(w("tr"))
        return ("tbl", "", _text(first) if first is not None else "")
    return ("other", "", etree.tostring(block, encoding="unicode"))


def _run(rpr: Any, text: str, deleted: bool = False) -> Any:
    r = etree.Element(w("r"))
    if rpr is not None:
        r.append(copy.deepcopy(rpr))
    t = etree.SubElement(r, w("delText" if deleted else "t"))
    t.text = text
    t.set(XML_SPACE, "preserve")
    return r


def _mark_paragraph(p: Any, kind: str, marks: _Marks) -> None:
    """Mark the paragraph mark itself as inserted or deleted."""
    ppr = p.find(w("pPr"))
    if ppr is None:
        ppr = etree.Element(w("pPr"))
        p.insert(0, ppr)
    rpr = ppr.find(w("rPr"))
    if rpr is None:
        rpr = etree.SubElement(ppr, w("rPr"))
    rpr.append(marks.make(kind))


def _wrap_runs(container: Any, kind: str, marks: _Marks) -> None:
    """Every run of a paragraph (or cell) inside a w:ins / w:del; deleted text as w:delText."""
    for p in container.iter(w("p")):
        for r in list(p.findall(w("r"))):
            if kind == "del":
                for t in r.findall(w("t")):
                    t.tag = w("delText")
            mark = marks.make(kind)
            r.addprevious(mark)
            mark.append(r)
        _mark_paragraph(p, kind, marks)


def _marked(block: Any, kind: str, marks: _Marks) -> Any:
    """A copy of a whole paragraph or table, entirely inserted ("ins") or deleted ("del")."""
    block = copy.deepcopy(block)
    if block.tag == w("tbl"):
        for tr in block.findall(w("tr")):
            _mark_row(tr, kind, marks)
    else:
        _wrap_runs(block, kind, marks)
    return block


def _mark_row(tr: Any, kind: str, marks: _Marks) -> None:
    trpr = tr.find(w("trPr"))
    if trpr is None:
        trpr = etree.Element(w("trPr"))
        prex = tr.find(w("tblPrEx"))
        (prex.addnext(trpr) if prex is not None else tr.insert(0, trpr))
    trpr.append(marks.make(kind))
    for tc in tr.findall(w("tc")):
        _wrap_runs(tc, kind, marks)


_TOKENS = re.compile(r"\s+|[^\s]+")


def _word_diff(old: Any, new: Any, marks: _Marks) -> Any:
    """The new paragraph, its text rebuilt as equal / deleted / inserted runs, word by word."""
    out = copy.deepcopy(new)
    first_run = new.find(f".//{w('r')}")
    rpr = first_run.find(w("rPr")) if first_run is not None else None
    for child in list(out):
        if child.tag != w("pPr"):
            out.remove(child)
    a, b = _TOKENS.findall(_text(old)), _TOKENS.findall(_text(new))
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(_run(rpr, "".join(b[j1:j2])))
            continue
        if i2 > i1:
            mark = marks.make("del")
            mark.append(_run(rpr, "".join(a[i1:i2]), deleted=True))
            out.append(mark)
        if j2 > j1:
            mark = marks.make("ins")
            mark.append(_run(rpr, "".join(b[j1:j2])))
            out.append(mark)
    return out


def _table_diff(old: Any, new: Any, marks: _Marks) -> Any:
    out = copy.deepcopy(new)
    for tr in out.findall(w("tr")):
        out.remove(tr)
    rows_old, rows_new = old.findall(w("tr")), new.findall(w("tr"))
    keys_old = [tuple(_text(tc) for tc in tr.findall(w("tc"))) for tr in rows_old]
    keys_new = [tuple(_text(tc) for tc in tr.findall(w("tc"))) for tr in rows_new]
    sm = difflib.SequenceMatcher(None, keys_old, keys_new, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            for tr in rows_new[j1:j2]:
                out.append(copy.deepcopy(tr))
            continue
        for tr in rows_old[i1:i2]:
            row = copy.deepcopy(tr)
            _mark_row(row, "del", marks)
            out.append(row)
        for tr in rows_new[j1:j2]:
            row = copy.deepcopy(tr)
            _mark_row(row, "ins", marks)
            out.append(row)
    return out


def _similar(a: str, b: str) -> bool:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.5


def diff_bodies(old_body: Any, new_body: Any, marks: _Marks) -> list[Any]:
    blocks_old = [b for b in old_body if b.tag != w("sectPr")]
    blocks_new = [b for b in new_body if b.tag != w("sectPr")]
    keys_old = [_key(b) for b in blocks_old]
    keys_new = [_key(b) for b in blocks_new]
    out: list[Any] = []
    sm = difflib.SequenceMatcher(None, keys_old, keys_new, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":  # same kind, style and first row: a table body may still differ
            for o, n in zip(blocks_old[i1:i2], blocks_new[j1:j2]):
                if n.tag == w("tbl") and _text(o) != _text(n):
                    out.append(_table_diff(o, n, marks))
                else:
                    out.append(copy.deepcopy(n))
            continue
        olds, news = blocks_old[i1:i2], blocks_new[j1:j2]
        # pair blocks of the same kind and style that still look alike: change them in place
        pairs = difflib.SequenceMatcher(
            None, [k[:2] for k in keys_old[i1:i2]], [k[:2] for k in keys_new[j1:j2]], autojunk=False
        ).get_opcodes()
        for sub, a1, a2, b1, b2 in pairs:
            if sub == "equal":
                for o, n in zip(olds[a1:a2], news[b1:b2]):
                    if n.tag == w("tbl"):
                        out.append(_table_diff(o, n, marks))
                    elif n.tag == w("p") and _similar(_text(o), _text(n)):
                        out.append(_word_diff(o, n, marks))
                    else:
                        out.append(_marked(o, "del", marks))
                        out.append(_marked(n, "ins", marks))
            else:
                out.extend(_marked(o, "del", marks) for o in olds[a1:a2])
                out.extend(_marked(n, "ins", marks) for n in news[b1:b2])
    return out


def redline(old_docx: bytes, new_docx: bytes, when: dt.date, author: str = "docgen") -> bytes:
    """The new DOCX, its body showing as tracked changes what differs from the old one."""
    marks = _Marks(author, when)
    old_root = parse_xml(part(old_docx, "word/document.xml"))
    content = parts(new_docx)
    new_root = parse_xml(content["word/document.xml"])
    old_body, new_body = old_root.find(w("body")), new_root.find(w("body"))
    # both are DOCX that docgen rendered from its templates: a w:document always has its w:body
    assert old_body is not None and new_body is not None
    blocks = diff_bodies(old_body, new_body, marks)
    sect = new_body.find(w("sectPr"))
    for child in list(new_body):
        new_body.remove(child)
    for block in blocks:
        new_body.append(block)
    if sect is not None:
        new_body.append(sect)
    return pack({**content, "word/document.xml": xml_bytes(new_root)})
