"""A tracked-changes DOCX between two renderings of the same template (before / after an avenant).

Paragraphs and tables are aligned in order; inside a changed paragraph the difference is made
word by word (an amount, in figures or in words, or a percentage counting as one word), in a
table whole rows are inserted or deleted. Unchanged text is left as it is, so
accepting every change gives the new text and rejecting every change gives the old one.

Pictures (the annexes' maps) are aligned by what they show, never by their place: a picture is
known by its name (`docPr`, « carte-<secteur> » for docgen's maps) unless the name is one a
program gives any picture (« Picture 3 »), else by its description (alternative text) or title,
else by the heading it stands under. The same picture showing the same thing (image parts,
description, size) is left unchanged; the same picture whose content changed (an overview map
that now draws one more secteur) is deleted and inserted again, so the reader sees it changed;
a picture only one side has is deleted or inserted whole. A deleted picture keeps its image:
the parts it points to are carried over from the old document.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import hashlib
import posixpath
import re
from collections import Counter
from typing import Any

from lxml import etree

from .render.package import CONTENT_TYPES, pack, parse_xml, parts, xml_bytes

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
RELS = "word/_rels/document.xml.rels"
IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
CARRIED = "redline-"  # prefix of the relationships (and parts) carried over from the old text


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


# -- pictures ---------------------------------------------------------------------------------
# A name any program gives a picture it inserts: it says nothing of what the picture shows.
_AUTO_NAME = re.compile(r"(?i)(?:picture|image|imagen|grafik|bild|immagine|drawing|dessin|figure"
                        r"|graphic|graphique|chart|object|objet|shape|forme)?[\s_-]*\d*")
_HEADING = re.compile(r"(?i)titre|heading|title")


def _pictures(el: Any) -> list[Any]:
    """The pictures of a block: DrawingML drawings and legacy VML pictures."""
    return list(el.iter(w("drawing"), w("pict")))


def _identity(picture: Any, heading: str) -> str:
    """What a picture is, whatever its place: its name, else its description or title, else the
    heading it stands under."""
    props = next(picture.iter(f"{{{WP}}}docPr"), None)
    attrs = props.attrib if props is not None else {}
    name = (attrs.get("name") or "").strip()
    if name and not _AUTO_NAME.fullmatch(name):
        return "nom\0" + name
    for attr in ("descr", "title"):
        value = (attrs.get(attr) or "").strip()
        if value:
            return f"{attr}\0{value}"
    return "sous\0" + heading


def _is_heading(p: Any) -> bool:
    ppr = p.find(w("pPr"))
    return bool(_HEADING.search(_style(p))) or (
        ppr is not None and ppr.find(w("outlineLvl")) is not None)


class _Package:
    """One of the two documents, as parts: what a picture of its body points to."""

    def __init__(self, content: dict[str, bytes]) -> None:
        self.content = content
        rels = parse_xml(content[RELS]) if RELS in content else etree.Element(f"{{{PKG}}}Relationships")
        self.rels_root = rels
        self.rels: dict[str, Any] = {r.get("Id", ""): r for r in rels.iter(f"{{{PKG}}}Relationship")}

    @staticmethod
    def part_name(target: str) -> str:
        if target.startswith("/"):
            return target.lstrip("/")
        return posixpath.normpath(posixpath.join("word", target))

    def target(self, rid: str) -> bytes:
        """The bytes a relationship of the body leads to (an external one: its address)."""
        rel = self.rels.get(rid)
        if rel is None:
            return b""
        if rel.get("TargetMode") == "External":
            return (rel.get("Target") or "").encode("utf-8")
        return self.content.get(self.part_name(rel.get("Target") or ""), b"")

    def fingerprint(self, picture: Any) -> str:
        """What a picture shows: the parts it points to, its description, title and size."""
        digest = hashlib.sha256()
        for el in picture.iter():
            if el.tag == f"{{{WP}}}docPr":
                for attr in ("descr", "title"):
                    digest.update((el.get(attr) or "").encode("utf-8") + b"\0")
            elif el.tag == f"{{{WP}}}extent":
                digest.update(f"{el.get('cx')}x{el.get('cy')}\0".encode())
            for key, value in el.attrib.items():
                if key.startswith(f"{{{R}}}"):
                    digest.update(hashlib.sha256(self.target(value)).digest())
        return digest.hexdigest()


def _keys(blocks: list[Any]) -> list[tuple[Any, ...]]:
    """Each block's alignment key: kind, style, text, and the identities of its pictures (the
    n-th picture of one identity in the document: (identity, n))."""
    seen: Counter[str] = Counter()
    heading = last = ""
    out: list[tuple[Any, ...]] = []
    for block in blocks:
        idents = []
        for picture in _pictures(block):
            ident = _identity(picture, heading or last)
            seen[ident] += 1
            idents.append((ident, seen[ident]))
        if block.tag == w("p"):
            text = _text(block)
            out.append(("p", _style(block), text, tuple(idents)))
            if text.strip():
                last = text
                if _is_heading(block):
                    heading = text
        elif block.tag == w("tbl"):
            first = block.find(w("tr"))
            out.append(("tbl", "", _text(first) if first is not None else "", tuple(idents)))
        else:
            out.append(("other", "", etree.tostring(block, encoding="unicode"), ()))
    return out


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


# The units of the word diff. An amount is one unit, so that a changed amount is deleted whole
# and inserted whole (accepting one change alone never gives a wrong amount): in figures, its
# digits with their no-break spaces, decimals, « € » and « HT »/« TTC » (« 2 918 550 € HT »), or a
# percentage (« 11,7 % »); in words, the run of number words up to « euros » (« deux millions
# neuf cent dix-huit mille cinq cent cinquante euros »). An opening parenthesis is a unit of its
# own, so that « (2 918 550 € HT) » is not read as one word. Otherwise: a word, or spaces.
_NUMBER_WORD = (r"(?:zéro|une?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize"
                r"|quatorze|quinze|seize|vingts?|trente|quarante|cinquante|soixante|cents?|mille"
                r"|millions?|milliards?)")
_COMPOUND = rf"{_NUMBER_WORD}(?:-(?:et-)?{_NUMBER_WORD})*"
_IN_WORDS = (rf"(?<![\w-]){_COMPOUND}(?:\s+(?:et\s+)?{_COMPOUND})*\s+(?:d['’])?euros(?!\w)")
_IN_FIGURES = (r"(?<![\w,])\d+(?:[\u00a0\u202f]\d{3})*(?:,\d+)?"
               r"(?:\s?€(?:\s(?:HT|TTC)(?!\w))?|\s?%)?")
_TOKENS = re.compile(rf"(?i:{_IN_WORDS})|{_IN_FIGURES}|\s+|\(|[^\s(]+")


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


def _similar(a: str, b: str) -> bool:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.5


class _Diff:
    """The new body, marked against the old one; what a deleted block of the old text points to
    (a map's image) carried over into the new package."""

    def __init__(self, old: _Package, new: _Package, new_root: Any, marks: _Marks) -> None:
        self.old, self.new, self.marks = old, new, marks
        self.carried: dict[str, str] = {}  # old relationship id → its id in the new package
        ids = [int(d.get("id", "")) for d in new_root.iter(f"{{{WP}}}docPr")
               if (d.get("id") or "").isdigit()]
        self.next_picture = max(ids, default=0) + 1  # the ids of the old pictures carried over

    # -- blocks of the old text, placed in the new package ---------------------------------
    def deleted(self, block: Any) -> Any:
        """A copy of a block of the old text, marked deleted, its relationships carried over."""
        return self.carry(_marked(block, "del", self.marks))

    def carry(self, el: Any) -> Any:
        for node in el.iter():
            for key, value in list(node.attrib.items()):
                if key.startswith(f"{{{R}}}"):
                    node.set(key, self._relationship(value))
            if node.tag == f"{{{WP}}}docPr":  # a picture's id is unique in its document
                node.set("id", str(self.next_picture))
                self.next_picture += 1
        return el

    def _relationship(self, rid: str) -> str:
        if rid in self.carried:
            return self.carried[rid]
        rel = self.old.rels.get(rid)
        if rel is None:
            return rid
        kind, target = rel.get("Type", ""), rel.get("Target", "")
        external = rel.get("TargetMode") == "External"
        for other_id, other in self.new.rels.items():  # the same part, or not a picture
            if other.get("Type") == kind and other.get("Target") == target and (
                    external or kind != IMAGE or self.new.target(other_id) == self.old.target(rid)):
                self.carried[rid] = other_id
                return other_id
        new_id = f"{CARRIED}{len(self.carried) + 1}"
        while new_id in self.new.rels:
            new_id += "x"
        new = etree.SubElement(self.new.rels_root, f"{{{PKG}}}Relationship", Id=new_id, Type=kind,
                               Target=target)
        self.new.rels[new_id] = new
        self.carried[rid] = new_id
        if external:
            new.set("TargetMode", "External")
            return new_id
        source = self.old.part_name(target)
        name = posixpath.basename(source)
        copy_name = f"media/{CARRIED}{name}"
        while self.new.part_name(copy_name) in self.new.content:
            copy_name = f"media/{CARRIED}x{name}"
            name = "x" + name
        new.set("Target", copy_name)
        self.new.content[self.new.part_name(copy_name)] = self.old.content.get(source, b"")
        self._content_type(source, self.new.part_name(copy_name))
        return new_id

    def _content_type(self, source: str, copy_name: str) -> None:
        """The carried part's content type, as the old package declared it."""
        old_types = parse_xml(self.old.content[CONTENT_TYPES])
        types = parse_xml(self.new.content[CONTENT_TYPES])
        ext = copy_name.rsplit(".", 1)[-1].lower()
        override = next((o for o in old_types.iter(f"{{{CT}}}Override")
                         if o.get("PartName", "").lower() == "/" + source.lower()), None)
        known = {d.get("Extension", "").lower() for d in types.iter(f"{{{CT}}}Default")}
        default = next((d for d in old_types.iter(f"{{{CT}}}Default")
                        if d.get("Extension", "").lower() == ext), None)
        if override is not None:
            etree.SubElement(types, f"{{{CT}}}Override", PartName="/" + copy_name,
                             ContentType=override.get("ContentType", ""))
        elif default is not None and ext not in known:
            etree.SubElement(types, f"{{{CT}}}Default", Extension=ext,
                             ContentType=default.get("ContentType", ""))
        else:
            return
        self.new.content[CONTENT_TYPES] = xml_bytes(types)

    # -- comparison ------------------------------------------------------------------------
    def _same_pictures(self, old: Any, new: Any) -> bool:
        return [self.old.fingerprint(p) for p in _pictures(old)] == [
            self.new.fingerprint(p) for p in _pictures(new)]

    def _row_key(self, tr: Any, side: _Package) -> tuple[str, ...]:
        return tuple(_text(tc) for tc in tr.findall(w("tc"))) + tuple(
            side.fingerprint(p) for p in _pictures(tr))

    def table(self, old: Any, new: Any) -> Any:
        out = copy.deepcopy(new)
        for tr in out.findall(w("tr")):
            out.remove(tr)
        rows_old, rows_new = old.findall(w("tr")), new.findall(w("tr"))
        keys_old = [self._row_key(tr, self.old) for tr in rows_old]
        keys_new = [self._row_key(tr, self.new) for tr in rows_new]
        sm = difflib.SequenceMatcher(None, keys_old, keys_new, autojunk=False)
        for op, i1, i2, j1, j2 in sm.get_opcodes():
            if op == "equal":
                for tr in rows_new[j1:j2]:
                    out.append(copy.deepcopy(tr))
                continue
            for tr in rows_old[i1:i2]:
                row = copy.deepcopy(tr)
                _mark_row(row, "del", self.marks)
                out.append(self.carry(row))
            for tr in rows_new[j1:j2]:
                row = copy.deepcopy(tr)
                _mark_row(row, "ins", self.marks)
                out.append(row)
        return out

    def pair(self, o: Any, n: Any, pictures: bool) -> list[Any]:
        """Two blocks aligned with each other: the new one, its changes marked."""
        if n.tag == w("tbl"):
            if _text(o) == _text(n) and self._same_pictures(o, n):
                return [copy.deepcopy(n)]
            return [self.table(o, n)]
        if pictures:  # a picture is the same, or replaced: never rebuilt word by word
            if _text(o) == _text(n) and self._same_pictures(o, n):
                return [copy.deepcopy(n)]
            return [self.deleted(o), _marked(n, "ins", self.marks)]
        if n.tag == w("p") and _text(o) == _text(n):
            return [copy.deepcopy(n)]
        if n.tag == w("p") and _similar(_text(o), _text(n)):
            return [_word_diff(o, n, self.marks)]
        return [self.deleted(o), _marked(n, "ins", self.marks)]

    def bodies(self, old_body: Any, new_body: Any) -> list[Any]:
        blocks_old = [b for b in old_body if b.tag != w("sectPr")]
        blocks_new = [b for b in new_body if b.tag != w("sectPr")]
        keys_old, keys_new = _keys(blocks_old), _keys(blocks_new)
        out: list[Any] = []
        sm = difflib.SequenceMatcher(None, keys_old, keys_new, autojunk=False)
        for op, i1, i2, j1, j2 in sm.get_opcodes():
            if op == "equal":  # same kind, style, text (a table: first row) and pictures
                for o, n, k in zip(blocks_old[i1:i2], blocks_new[j1:j2], keys_new[j1:j2]):
                    if n.tag == w("tbl") or k[3]:
                        out.extend(self.pair(o, n, bool(k[3])))
                    else:
                        out.append(copy.deepcopy(n))
                continue
            olds, news = blocks_old[i1:i2], blocks_new[j1:j2]
            # pair blocks of the same kind, style and pictures: change them in place
            pairs = difflib.SequenceMatcher(
                None, [(k[0], k[1], k[3]) for k in keys_old[i1:i2]],
                [(k[0], k[1], k[3]) for k in keys_new[j1:j2]], autojunk=False).get_opcodes()
            for sub, a1, a2, b1, b2 in pairs:
                if sub == "equal":
                    for o, n, k in zip(olds[a1:a2], news[b1:b2], keys_new[j1 + b1:j1 + b2]):
                        out.extend(self.pair(o, n, bool(k[3])))
                else:
                    out.extend(self.deleted(o) for o in olds[a1:a2])
                    out.extend(_marked(n, "ins", self.marks) for n in news[b1:b2])
        return out


def redline(old_docx: bytes, new_docx: bytes, when: dt.date, author: str = "docgen") -> bytes:
    """The new DOCX, its body showing as tracked changes what differs from the old one."""
    marks = _Marks(author, when)
    old = _Package(parts(old_docx))
    new = _Package(parts(new_docx))
    old_root = parse_xml(old.content["word/document.xml"])
    new_root = parse_xml(new.content["word/document.xml"])
    old_body, new_body = old_root.find(w("body")), new_root.find(w("body"))
    # both are DOCX that docgen rendered from its templates: a w:document always has its w:body
    assert old_body is not None and new_body is not None
    diff = _Diff(old, new, new_root, marks)
    blocks = diff.bodies(old_body, new_body)
    sect = new_body.find(w("sectPr"))
    for child in list(new_body):
        new_body.remove(child)
    for block in blocks:
        new_body.append(block)
    if sect is not None:
        new_body.append(sect)
    content = {**new.content, "word/document.xml": xml_bytes(new_root)}
    if diff.carried:
        content[RELS] = xml_bytes(new.rels_root)
    return pack(content)
