"""Fuzz the reviewed-DOCX path (issue 22): N mutated DOCX files, each read by the strict reader
and typeset by Typst (`docgen.finish.pdf.docx_to_pdf`) in a forked child killed at a time limit.

Every case takes one of the example's DOCX files (convention, avenant, adhésion, compte rendu…),
applies 1 to 3 random mutations to its XML parts (an attribute set to an extreme, malformed or
hostile value; a tricky element inserted; a relationship Id duplicated; an element deleted or
duplicated; a hostile document language or title; Typst markup as text or as a link target)
and repacks it. Outcomes:

    ok          a PDF came out, its text proven equal to the reader's model (parity.py)
    refused     DocxRefused or another DocgenError with exit code 1 (what the reader must do)
    template    a DocgenError with exit code 3 other than ParityError (typesetting failed)
    parity      ParityError: the PDF's text differs from the reader's model        <- finding
    internal    any other exception (exit 70 for a user: a bug)                    <- finding
    hang        killed at --limit-s                                                <- finding
    memory      MemoryError, or Rust's allocation failure, under RLIMIT_AS          <- finding
    crash       the child died of a signal or exited without a result             <- finding
    payload     a PDF came out and shows a hostile marker (QZXJ…) that is not in
                the reader's model (a payload was drawn)                           <- finding
    injection   a hostile value holding a quote, a backslash or a newline reached
                the Typst markup verbatim, i.e. unescaped (whatever the outcome)   <- finding
    unrefused   a tracked change inserted by the fuzz (tblGridChange,
                tblPrExChange) gave a PDF instead of a refusal                      (reported)

Each case's random generator is seeded with (--seed, case number): a case is the same whatever
--jobs or --count, and `--only 17,42` runs those cases again. The DOCX of every case that is
neither ok nor refused is saved in --findings as <class>-<n>.docx with a .txt beside it (the
mutations and the error); results.jsonl there lists every case. The exit status is 1 when a
finding (marked above) was met.

    .venv/bin/python benchmarks/fuzz_docx.py --count 10000 --jobs 2
"""

from __future__ import annotations

import argparse
import copy
import io
import json
import os
import random
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EXAMPLE = ROOT / "cases" / "pays-des-ecrins"
FINDINGS = ("parity", "internal", "hang", "memory", "crash", "payload", "injection")
CLASSES = ("ok", "refused", "template", "unrefused") + FINDINGS
MEMORY_LIMIT = 4 * 1024 ** 3  # RLIMIT_AS of every child

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
CORE = {"dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/",
        "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"}
SVG = "http://www.w3.org/2000/svg"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


# ------------------------------------------------------------------------------ hostile values

# Typst markup meant to escape a string literal, a length or a colour. Each carries a marker
# (QZXJ + a letter) that must never be printed unless the reader's model holds it as text.
TYPST_PAYLOADS = [
    'fr", fill: red) #show "1": "9" //',
    'fr", fill: red) #text("QZXJA") //',
    '"+"FFF',
    '"+"F0F',
    '000000") #place(text("QZXJB")) //',
    '1pt) #text("QZXJC") //',
    ']#text("QZXJD")[',
    '\\") #text("QZXJE") //',
    '#text("QZXJF")',
    '" + "QZXJG',
    '*QZXJH* _x_ $x^2$ <lbl> @ref',
    '\n#text("QZXJI")\n',
    '/* QZXJJ',
    '#set page(fill: red)',
    '#{"QZXJK"}',
    'x" } #text("QZXJL") #{ "',
    '\\u{51}ZXJM',
]

# Numbers and strings at the edges of what float(), int() and the emitters accept.
HOSTILE_VALUES = [
    "0", "-1", "1e12", "1e15", "99", "100000000", "nan", "inf", "-inf", "", "abc", '"+"FFF',
    "FFFFFF", "000000", "auto", "1.5", "0x10", "\uff11\uff12", "-0", "1e308", "-1e308",
    "1e-400", "2147483648", "-2147483649", "9223372036854775808", "0.0001", " 12 ", "true",
    "off", "none", "nil", "restart", "continue", "NaN", "Infinity", "+inf", "1_000",
    "\u0663", "%1%2%3%9", "%", "%0", "%10", "a\"b", "a)b", "#a", "a\\b", "a]b", "a\nb", "\t",
    "FFFFFF\"", "#FF0000", "rgb(0,0,0)", "-5000", "5000", "32767", "65536", "22", "x" * 300,
    "9" * 400, "A" * 5000, "é" * 200, "\u202e", "\u200b", "\U0001F600", "Signature_",
]
HOSTILE_VALUES += TYPST_PAYLOADS

# Attribute names worth setting on an element of the w: namespace, and on DrawingML ones.
W_ATTRS = ["val", "sz", "szCs", "w", "h", "position", "start", "ilvl", "numId", "abstractNumId",
           "gridSpan", "gridBefore", "vMerge", "line", "lineRule", "before", "after", "left",
           "right", "hanging", "firstLine", "top", "bottom", "header", "footer", "gutter",
           "color", "fill", "themeColor", "themeFill", "hRule", "type", "id", "name", "space",
           "styleId", "default", "orient", "ascii", "hAnsi", "char", "font", "instr",
           "fldCharType", "num", "code", "beforeLines", "afterLines", "eastAsia", "hint"]
PLAIN_ATTRS = ["cx", "cy", "l", "t", "r", "b", "amt", "x", "y", "id", "name", "descr",
               "title", "hidden", "uri", "prst", "rot", "flipH"]
SVG_ATTRS = ["font-size", "x", "y", "transform", "width", "height", "viewBox", "fill",
             "opacity", "style", "display", "visibility", "font-family", "fill-opacity",
             "text-anchor", "clip-path"]

# Elements whose attributes the reader or the emitter reads: preferred as targets.
INTERESTING = {
    "sz", "szCs", "w", "position", "spacing", "ind", "ilvl", "numId", "gridSpan", "gridBefore",
    "gridAfter", "vMerge", "trHeight", "tblW", "tcW", "gridCol", "pgSz", "pgMar", "shd",
    "color", "highlight", "jc", "lvlText", "numFmt", "start", "lvl", "abstractNum", "num",
    "abstractNumId", "lang", "extent", "ext", "off", "docPr", "blip", "rFonts", "pStyle",
    "rStyle", "basedOn", "outlineLvl", "tblInd", "tblCellMar", "top", "left", "bottom",
    "right", "insideH", "insideV", "pBdr", "fldSimple", "hyperlink", "bookmarkStart",
    "footnoteReference", "headerReference", "footerReference", "cols", "b", "i", "u", "caps",
    "smallCaps", "vanish", "vertAlign", "kern", "br", "tab", "style", "name", "vAlign",
    "tblHeader", "cantSplit", "tblStyle", "keepNext", "pageBreakBefore", "background",
    "tblLayout", "fldChar", "strike", "docGrid", "pgNumType", "titlePg", "wBefore", "wAfter",
    "tblCellSpacing", "tcMar", "lvlJc", "suff", "lvlRestart", "isLgl", "pgBorders",
}


def hostile(rng: random.Random) -> str:
    return rng.choice(HOSTILE_VALUES)


# ------------------------------------------------------------------------------ the package


class Docx:
    """A DOCX as parts; XML parts parsed on first use, serialised again by pack()."""

    PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)

    def __init__(self, data: bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            self.names = zf.namelist()
            self.files = {n: zf.read(n) for n in self.names}
        self.trees: dict[str, etree._Element] = {}
        self.payloads: list[str] = []  # hostile values put in, for the injection check
        self.must_refuse = False

    def tree(self, part: str) -> etree._Element:
        if part not in self.trees:
            self.trees[part] = etree.fromstring(self.files[part], self.PARSER)
        return self.trees[part]

    def parts(self, pattern: str) -> list[str]:
        return [n for n in self.names if re.fullmatch(pattern, n)]

    def pack(self) -> bytes:
        for part, root in self.trees.items():
            self.files[part] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                              standalone=True)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for name in self.names:
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, self.files[name])
        return buf.getvalue()


# Parts an attribute, deletion or duplication mutation picks from, with weights.
PART_WEIGHTS = [
    (r"word/document\.xml", 10), (r"word/styles\.xml", 4), (r"word/numbering\.xml", 3),
    (r"word/(header|footer)\d*\.xml", 2), (r"word/settings\.xml", 1), (r"word/media/.*\.svg", 1),
    (r"docProps/core\.xml", 1), (r"(.*/)?_rels/.*\.rels", 1), (r"\[Content_Types\]\.xml", 0.3),
]


def pick_part(doc: Docx, rng: random.Random) -> str | None:
    choices: list[tuple[str, float]] = []
    for pattern, weight in PART_WEIGHTS:
        found = doc.parts(pattern)
        for part in found:
            choices.append((part, weight / len(found)))
    if not choices:
        return None
    return rng.choices([c[0] for c in choices], [c[1] for c in choices])[0]


def elements(root: etree._Element) -> list[etree._Element]:
    return [el for el in root.iter() if isinstance(el.tag, str)]


def local(el: etree._Element) -> str:
    return etree.QName(el).localname


def short(el: etree._Element) -> str:
    qn = etree.QName(el)
    prefix = {W: "w", A: "a", WP: "wp", R: "r", SVG: "svg", PKG_REL: "", **{
        v: k for k, v in CORE.items()}}.get(qn.namespace or "", "?")
    return f"{prefix}:{qn.localname}" if prefix else qn.localname


def pick_element(root: etree._Element, rng: random.Random) -> etree._Element:
    every = elements(root)
    interesting = [el for el in every if local(el) in INTERESTING]
    if interesting and rng.random() < 0.6:
        return rng.choice(interesting)
    return rng.choice(every)


# ------------------------------------------------------------------------------ mutations
# Each takes (doc, rng) and returns a one-line description, or None when it does not apply.

Mutation = Callable[[Docx, random.Random], "str | None"]


def set_attribute(doc: Docx, rng: random.Random) -> str | None:
    part = pick_part(doc, rng)
    if part is None:
        return None
    root = doc.tree(part)
    el = pick_element(root, rng)
    ns = etree.QName(el).namespace or ""
    existing = list(el.attrib.keys())
    if existing and rng.random() < 0.7:
        attr = rng.choice(existing)
    elif ns == W:
        attr = w(rng.choice(W_ATTRS))
    elif ns == SVG:
        attr = rng.choice(SVG_ATTRS)
    elif part.endswith(".rels"):
        attr = rng.choice(["Id", "Type", "Target", "TargetMode"])
    else:
        attr = rng.choice(PLAIN_ATTRS)
    value = hostile(rng)
    if attr.endswith("}Type") or attr == "Type":
        value = rng.choice([value, REL_TYPE + "hyperlink", REL_TYPE + "image", REL_TYPE + "oleObject"])
    el.set(attr, value)
    doc.payloads.append(value)
    name = etree.QName(attr).localname
    return f"{part}: <{short(el)}> @{name} = {value!r:.80}"


def set_text(doc: Docx, rng: random.Random) -> str | None:
    """A w:t (body, header or footer) holding Typst markup or a hostile string: text that must
    print exactly as it is."""
    parts = doc.parts(r"word/(document|header\d*|footer\d*)\.xml")
    rng.shuffle(parts)
    for part in parts:
        texts = list(doc.tree(part).iter(w("t")))
        if texts:
            t = rng.choice(texts)
            value = rng.choice(TYPST_PAYLOADS + ["a\\b", 'a"b', "x" * 3000, "\u202e\u05d0abc"])
            t.text = value if rng.random() < 0.5 else (t.text or "") + value
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            return f"{part}: <w:t> text = {t.text!r:.80}"
    return None


def delete_element(doc: Docx, rng: random.Random) -> str | None:
    part = pick_part(doc, rng)
    if part is None:
        return None
    el = pick_element(doc.tree(part), rng)
    parent = el.getparent()
    if parent is None:
        return None
    parent.remove(el)
    return f"{part}: <{short(el)}> deleted (child of <{short(parent)}>)"


def duplicate_element(doc: Docx, rng: random.Random) -> str | None:
    part = pick_part(doc, rng)
    if part is None:
        return None
    el = pick_element(doc.tree(part), rng)
    if el.getparent() is None:
        return None
    el.addnext(copy.deepcopy(el))
    return f"{part}: <{short(el)}> duplicated"


def duplicate_rel_id(doc: Docx, rng: random.Random) -> str | None:
    parts = [p for p in doc.parts(r"(.*/)?_rels/.*\.rels")
             if len(doc.tree(p).findall(f"{{{PKG_REL}}}Relationship")) >= 2]
    if not parts:
        return None
    part = rng.choice(parts)
    rels = doc.tree(part).findall(f"{{{PKG_REL}}}Relationship")
    a, b = rng.sample(rels, 2)
    if rng.random() < 0.5:
        old = b.get("Id")
        b.set("Id", a.get("Id", ""))
        return f"{part}: Relationship {old} renamed {a.get('Id')} (two share it)"
    clone = copy.deepcopy(b)
    clone.set("Id", a.get("Id", ""))
    (a.addprevious if rng.random() < 0.5 else a.addnext)(clone)
    return f"{part}: a copy of {b.get('Id')} ({b.get('Target')}) given the Id {a.get('Id')}"


def core_hostile(doc: Docx, rng: random.Random) -> str | None:
    if "docProps/core.xml" not in doc.files:
        return None
    root = doc.tree("docProps/core.xml")
    tag = rng.choices(["dc:language", "dc:title", "dc:subject", "dc:creator", "cp:keywords",
                       "dcterms:created"], [6, 2, 1, 1, 1, 1])[0]
    prefix, name = tag.split(":")
    el = root.find(tag, CORE)
    if el is None:
        el = etree.SubElement(root, f"{{{CORE[prefix]}}}{name}")
    value = rng.choice(TYPST_PAYLOADS + ['fr", fill: red) #show "1": "9" //'] * 3
                       + HOSTILE_VALUES[:20] + ["2023-13-45T00:00:00Z", "0000-00-00", "9999-99-99"])
    el.text = value
    doc.payloads.append(value)
    return f"docProps/core.xml: <{tag}> = {value!r:.80}"


def style_language(doc: Docx, rng: random.Random) -> str | None:
    """The document language from styles.xml's defaults (used when core.xml has none)."""
    if "word/styles.xml" not in doc.files:
        return None
    root = doc.tree("word/styles.xml")
    rpr = root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")
    if rpr is None:
        return None
    lang = rpr.find(w("lang"))
    if lang is None:
        lang = etree.SubElement(rpr, w("lang"))
    value = rng.choice(TYPST_PAYLOADS[:4] + HOSTILE_VALUES[:12])
    lang.set(w("val"), value)
    doc.payloads.append(value)
    desc = f"word/styles.xml: docDefaults <w:lang> @val = {value!r:.80}"
    if "docProps/core.xml" in doc.files:
        core = doc.tree("docProps/core.xml")
        el = core.find("dc:language", CORE)
        if el is not None:
            el.getparent().remove(el)
            desc += " (dc:language removed)"
    return desc


def hostile_link(doc: Docx, rng: random.Random) -> str | None:
    """A hyperlink whose target holds a quote or Typst markup, around a body run."""
    rels = "word/_rels/document.xml.rels"
    if rels not in doc.files:
        return None
    runs = [r for r in doc.tree("word/document.xml").iter(w("r"))
            if r.getparent() is not None and r.getparent().tag == w("p")
            and r.find(w("t")) is not None]
    if not runs:
        return None
    target = rng.choice(['https://example.org/"+"x', 'https://example.org/") #text("QZXJN") //',
                         "https://example.org/a]b#c", "https://example.org/\n#text(\"QZXJO\")",
                         'mailto:a@b.c") #text("QZXJP', "https://" + "a" * 3000,
                         "https://example.org/%22%29%20%23text(%22QZXJQ%22)"])
    rel = etree.SubElement(doc.tree(rels), f"{{{PKG_REL}}}Relationship")
    rel.set("Id", "rIdFuzzLink")
    rel.set("Type", REL_TYPE + "hyperlink")
    rel.set("Target", target)
    rel.set("TargetMode", "External")
    run = rng.choice(runs)
    link = etree.Element(w("hyperlink"))
    link.set(f"{{{R}}}id", "rIdFuzzLink")
    run.addprevious(link)
    link.append(run)
    doc.payloads.append(target)
    return f"word/document.xml: a run wrapped in <w:hyperlink> to {target!r:.80}"


def hostile_bookmark(doc: Docx, rng: random.Random) -> str | None:
    """A bookmark name (signature field names come from Signature_* bookmarks)."""
    marks = list(doc.tree("word/document.xml").iter(w("bookmarkStart")))
    if not marks:
        return None
    mark = rng.choice(marks)
    value = rng.choice(["Signature_" + p for p in TYPST_PAYLOADS[:8]]
                       + ["Signature_" + "x" * 300, "Signature_", "Signature_\u202e",
                          "Signature_a b", "Signature_a/b", "Signature_é"])
    old = mark.get(w("name"))
    mark.set(w("name"), value)
    doc.payloads.append(value)
    return f"word/document.xml: bookmark {old!r} renamed {value!r:.80}"


# --- tricky constructs

def _first(root: etree._Element, tag: str, rng: random.Random, any_: bool) -> etree._Element | None:
    found = list(root.iter(tag))
    if not found:
        return None
    return rng.choice(found) if any_ else found[0]


def _child(parent: etree._Element, tag: str, first: bool = True) -> etree._Element:
    el = parent.find(tag)
    if el is None:
        el = etree.Element(tag)
        if first:
            parent.insert(0, el)
        else:
            parent.append(el)
    return el


def vmerge(doc: Docx, rng: random.Random) -> str | None:
    first_row = rng.random() < 0.6
    tc = None
    root = doc.tree("word/document.xml")
    if first_row:
        tr = _first(root, w("tr"), rng, any_=True)
        row = tr.getparent().find(w("tr")) if tr is not None else None
        tc = row.find(w("tc")) if row is not None else None
    else:
        tc = _first(root, w("tc"), rng, any_=True)
    if tc is None:
        return None
    pr = _child(tc, w("tcPr"))
    el = etree.SubElement(pr, w("vMerge"))
    value = rng.choice([None, "continue", "restart", hostile(rng)])
    if value is not None:
        el.set(w("val"), value)
    where = "first row" if first_row else "a cell"
    return f"word/document.xml: <w:vMerge val={value!r:.40}> in {where}"


def title_pg(doc: Docx, rng: random.Random) -> str | None:
    sect = _first(doc.tree("word/document.xml"), w("sectPr"), rng, any_=True)
    if sect is None:
        return None
    el = etree.SubElement(sect, w("titlePg"))
    value = rng.choice([None, "1", "0", hostile(rng)])
    if value is not None:
        el.set(w("val"), value)
    extra = ""
    ref = sect.find(w("headerReference"))
    if ref is not None and rng.random() < 0.5:
        first = copy.deepcopy(ref)
        first.set(w("type"), "first")
        ref.addprevious(first)
        extra = ", the default header also used as first-page header"
    return f"word/document.xml: <w:titlePg val={value!r:.40}> in a sectPr{extra}"


def lvl_override(doc: Docx, rng: random.Random) -> str | None:
    if "word/numbering.xml" not in doc.files:
        return None
    num = _first(doc.tree("word/numbering.xml"), w("num"), rng, any_=True)
    if num is None:
        return None
    over = etree.SubElement(num, w("lvlOverride"))
    ilvl = rng.choice(["0", "1", "8", "9", "-1", "1e12", hostile(rng)])
    over.set(w("ilvl"), ilvl)
    start = etree.SubElement(over, w("startOverride"))
    value = rng.choice(["0", "5", "-1", "1e12", "99999999", hostile(rng)])
    start.set(w("val"), value)
    if rng.random() < 0.3:
        lvl = etree.SubElement(over, w("lvl"))
        lvl.set(w("ilvl"), ilvl)
        etree.SubElement(lvl, w("numFmt")).set(w("val"), rng.choice(["upperRoman", "chicago",
                                                                       "bullet", hostile(rng)]))
        etree.SubElement(lvl, w("lvlText")).set(w("val"), rng.choice(["%1.", "%9", hostile(rng)]))
    return f"word/numbering.xml: <w:lvlOverride ilvl={ilvl!r:.30}><w:startOverride val={value!r:.30}>"


def _rpr(doc: Docx, rng: random.Random) -> tuple[str, etree._Element] | None:
    part = rng.choice(doc.parts(r"word/(document|styles|header\d*|footer\d*)\.xml"))
    runs = [r for r in doc.tree(part).iter(w("r"), w("style"), w("rPrDefault"))]
    if not runs:
        return None
    return part, _child(rng.choice(runs), w("rPr"))


def fit_text(doc: Docx, rng: random.Random) -> str | None:
    got = _rpr(doc, rng)
    if got is None:
        return None
    part, rpr = got
    el = etree.SubElement(rpr, w("fitText"))
    value = rng.choice(["1", "0", "-1", "1e12", hostile(rng)])
    el.set(w("val"), value)
    el.set(w("id"), rng.choice(["1", hostile(rng)]))
    return f"{part}: <w:fitText val={value!r:.40}> in a rPr"


def sym(doc: Docx, rng: random.Random) -> str | None:
    part = rng.choice(doc.parts(r"word/(document|header\d*|footer\d*)\.xml"))
    p = _first(doc.tree(part), w("p"), rng, any_=True)
    if p is None:
        return None
    r = etree.SubElement(p, w("r"))
    el = etree.SubElement(r, w("sym"))
    font = rng.choice(["Wingdings", "Symbol", "", hostile(rng)])
    char = rng.choice(["F0FC", "F04A", "0041", "FFFF", "D800", "110000", hostile(rng)])
    el.set(w("font"), font)
    el.set(w("char"), char)
    return f"{part}: <w:sym font={font!r:.30} char={char!r:.30}> in a paragraph"


def wingdings(doc: Docx, rng: random.Random) -> str | None:
    got = _rpr(doc, rng)
    if got is None:
        return None
    part, rpr = got
    fonts = _child(rpr, w("rFonts"))
    font = rng.choice(["Wingdings", "Symbol", "Webdings", "Zapf Dingbats", hostile(rng)])
    for a in ("ascii", "hAnsi", "cs"):
        fonts.set(w(a), font)
    if rng.random() < 0.3:
        fonts.set(w("hint"), "eastAsia")
    return f"{part}: <w:rFonts ascii={font!r:.40}> in a rPr"


def _blip(doc: Docx, rng: random.Random) -> etree._Element | None:
    return _first(doc.tree("word/document.xml"), f"{{{A}}}blip", rng, any_=True)


def src_rect(doc: Docx, rng: random.Random) -> str | None:
    blip = _blip(doc, rng)
    if blip is None:
        return None
    fill = blip.getparent()
    rect = etree.Element(f"{{{A}}}srcRect")
    values = {k: rng.choice(["50000", "-50000", "100000", "99999", "1e12", hostile(rng)])
              for k in rng.sample(["l", "t", "r", "b"], rng.randint(1, 4))}
    for k, v in values.items():
        rect.set(k, v)
    blip.addnext(rect)
    return f"word/document.xml: <a:srcRect {values!r:.80}> after a blip ({local(fill)})"


def alpha_mod_fix(doc: Docx, rng: random.Random) -> str | None:
    blip = _blip(doc, rng)
    if blip is None:
        return None
    el = etree.Element(f"{{{A}}}alphaModFix")
    value = rng.choice(["0", "1", "50000", "-1", hostile(rng)])
    el.set("amt", value)
    blip.insert(0, el)
    return f"word/document.xml: <a:alphaModFix amt={value!r:.40}> in a blip"


def tbl_grid_change(doc: Docx, rng: random.Random) -> str | None:
    grid = _first(doc.tree("word/document.xml"), w("tblGrid"), rng, any_=True)
    if grid is None:
        return None
    change = etree.SubElement(grid, w("tblGridChange"))
    change.set(w("id"), "9001")
    old = etree.SubElement(change, w("tblGrid"))
    for _ in range(rng.randint(1, 4)):
        etree.SubElement(old, w("gridCol")).set(w("w"), rng.choice(["1000", "0", hostile(rng)]))
    doc.must_refuse = True
    return "word/document.xml: <w:tblGridChange> (a tracked change) in a tblGrid"


def tbl_pr_ex_change(doc: Docx, rng: random.Random) -> str | None:
    tr = _first(doc.tree("word/document.xml"), w("tr"), rng, any_=True)
    if tr is None:
        return None
    ex = etree.Element(w("tblPrEx"))
    change = etree.SubElement(ex, w("tblPrExChange"))
    change.set(w("id"), "9002")
    change.set(w("author"), "fuzz")
    inner = etree.SubElement(change, w("tblPrEx"))
    etree.SubElement(inner, w("tblW")).set(w("w"), rng.choice(["0", "5000", hostile(rng)]))
    tr.insert(0, ex)
    doc.must_refuse = True
    return "word/document.xml: <w:tblPrEx><w:tblPrExChange> (a tracked change) in a row"


def background(doc: Docx, rng: random.Random) -> str | None:
    root = doc.tree("word/document.xml")
    bg = root.find(w("background"))
    if bg is None:
        bg = etree.Element(w("background"))
        root.insert(0, bg)
    value = rng.choice(["000000", "FFFFFF", "FF0000", "auto", hostile(rng)])
    bg.set(w("color"), value)
    doc.payloads.append(value)
    extra = ""
    if rng.random() < 0.3:
        bg.set(w("themeColor"), rng.choice(["text1", "background1", hostile(rng)]))
        extra = " with a themeColor"
    return f"word/document.xml: <w:background color={value!r:.40}>{extra}"


TRICKY: list[Mutation] = [vmerge, title_pg, lvl_override, fit_text, sym, wingdings, src_rect,
                          alpha_mod_fix, tbl_grid_change, tbl_pr_ex_change, background,
                          style_language]


def tricky(doc: Docx, rng: random.Random) -> str | None:
    return rng.choice(TRICKY)(doc, rng)


MUTATIONS: list[tuple[Mutation, float]] = [
    (set_attribute, 10), (tricky, 5), (delete_element, 2), (duplicate_element, 1.5),
    (duplicate_rel_id, 1), (core_hostile, 1.5), (set_text, 1), (hostile_link, 0.7),
    (hostile_bookmark, 0.7),
]


@dataclass
class Case:
    number: int
    seed_name: str
    data: bytes
    mutations: list[str]
    payloads: list[str]
    must_refuse: bool


def mutate(seed: bytes, rng: random.Random) -> tuple[bytes, list[str], list[str], bool]:
    """1 to 3 mutations of a DOCX: (new DOCX, descriptions, hostile values put in, whether the
    result must be refused)."""
    doc = Docx(seed)
    wanted = rng.randint(1, 3)
    done: list[str] = []
    tries = 0
    while len(done) < wanted and tries < 30:
        tries += 1
        op = rng.choices([m for m, _ in MUTATIONS], [wt for _, wt in MUTATIONS])[0]
        desc = op(doc, rng)
        if desc is not None:
            done.append(desc)
    return doc.pack(), done, doc.payloads, doc.must_refuse


def make_case(number: int, seed: int, seeds: list[tuple[str, bytes, float]]) -> Case:
    rng = random.Random(f"docgen-fuzz-docx:{seed}:{number}")
    name, data, _ = rng.choices(seeds, [s[2] for s in seeds])[0]
    out, done, payloads, must_refuse = mutate(data, rng)
    return Case(number, name, out, done, payloads, must_refuse)


# ------------------------------------------------------------------------------ seeds

SEED_WEIGHTS = {"convention": 3, "avenant": 2, "convention-consolidee": 1, "adhesion": 1,
                "compte-rendu": 1, "convocation": 0.5}


def load_seeds(folder: Path) -> list[tuple[str, bytes, float]]:
    """The DOCX files of a build of the example (redlines left out: they hold tracked changes,
    refused as a whole); at most one per kind of document."""
    out: list[tuple[str, bytes, float]] = []
    kinds: set[str] = set()
    for path in sorted(folder.rglob("*.docx")):
        if path.name.startswith("redline"):
            continue
        kind = re.sub(r"-\d+$", "", path.stem)
        if kind in kinds:
            continue
        kinds.add(kind)
        out.append((str(path.relative_to(folder)), path.read_bytes(), SEED_WEIGHTS.get(kind, 1)))
    if not out:
        raise SystemExit(f"no DOCX under {folder}")
    return out


def build_seeds() -> Path:
    """The example built once (DOCX only) into a temporary folder."""
    out = Path(tempfile.mkdtemp(prefix="docgen-fuzz-seeds-"))
    subprocess.run([sys.executable, "-m", "docgen", "build", str(EXAMPLE), "--no-pdf",
                    "--out", str(out)], check=True, capture_output=True, cwd=ROOT)
    return out


# ------------------------------------------------------------------------------ one case, in a child


def _spy_on_typst(sources: list[str]) -> None:
    """Every markup handed to the typst binding is kept, for the injection check."""
    import typst

    real = typst.Compiler

    def keep(value: Any) -> None:
        if isinstance(value, bytes):
            sources.append(value.decode("utf-8", "replace"))
        elif isinstance(value, str) and not os.path.exists(value[:4096]):
            sources.append(value)

    class Spy:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            if args:
                keep(args[0])
            if "input" in kwargs:
                keep(kwargs["input"])
            self._inner = real(*args, **kwargs)

        def compile(self, *args: Any, **kwargs: Any) -> Any:
            if "input" in kwargs:
                keep(kwargs["input"])
            return self._inner.compile(*args, **kwargs)

        def __getattr__(self, name: str) -> Any:
            return getattr(self._inner, name)

    typst.Compiler = Spy  # type: ignore[misc]
    for fn in ("compile", "query", "compile_with_warnings"):
        original = getattr(typst, fn, None)
        if original is None:
            continue

        def wrapped(*args: Any, _original: Any = original, **kwargs: Any) -> Any:
            if args:
                keep(args[0])
            return _original(*args, **kwargs)

        setattr(typst, fn, wrapped)


def _spy_on_parity() -> list[tuple[Any, str]]:
    """The (model, PDF text) pairs parity.compare_text is given: the payload check reads the
    same text again without a second pdftotext."""
    from docgen.finish import parity

    seen: list[tuple[Any, str]] = []
    real = getattr(parity, "compare_text", None)
    if real is None:
        return seen

    def compare_text(doc: Any, raw: str, *args: Any, **kwargs: Any) -> Any:
        seen.append((doc, raw))
        return real(doc, raw, *args, **kwargs)

    parity.compare_text = compare_text
    return seen


def _model_text(doc: Any) -> str:
    """Every text the reader's model shows (body, headers, footers, notes, list labels, the
    words of SVG drawings), whatever the model's exact shape."""
    from docgen.finish import model as m
    from docgen.finish.parity import svg_text

    out: list[str] = []
    seen: set[int] = set()

    def walk(obj: Any) -> None:
        if isinstance(obj, (str, bytes, int, float, bool)) or obj is None or id(obj) in seen:
            return
        seen.add(id(obj))
        if isinstance(obj, m.Text):
            out.append(obj.text)
        if isinstance(obj, m.Image) and getattr(obj, "kind", "") == "svg":
            try:
                out.extend(svg_text(obj.data))
            except Exception:  # noqa: BLE001 — the check only needs what can be read
                pass
        label = getattr(obj, "label", None)
        if isinstance(label, str):
            out.append(label)
        if isinstance(obj, (tuple, list)):
            for x in obj:
                walk(x)
        elif hasattr(obj, "__dataclass_fields__"):
            for name in obj.__dataclass_fields__:
                walk(getattr(obj, name, None))

    walk(doc)
    return "\n".join(out)


MARKERS = sorted(set(re.findall(r"QZXJ[A-Z]", " ".join(TYPST_PAYLOADS) + " QZXJN QZXJO QZXJP QZXJQ")))


def injected(payloads: list[str], sources: list[str]) -> list[str]:
    """The hostile values holding a quote, a backslash or a newline found verbatim in the
    markup (compared without case: a language code is lowered): escaped into a string literal,
    each of those would have gained a backslash. A value is also looked for from its first
    quote on (an emitter may keep only the start of a value, or cut it at a hyphen)."""
    lowered = [src.lower() for src in sources]
    hits = []
    for value in payloads:
        v = value.lower()
        if len(v) < 3 or not any(c in v for c in '"\\\n'):
            continue
        tail = v[v.index('"'):] if '"' in v[1:] else ""
        for src in lowered:
            if _unescaped(v, src) or (len(tail) >= 6 and _unescaped(tail, src)):
                hits.append(value)
                break
    return hits


def _unescaped(fragment: str, src: str) -> bool:
    """fragment in src, not right after a backslash (`\\u{51}` escaped is `\\\\u{51}`)."""
    at = src.find(fragment)
    while at >= 0:
        if at == 0 or src[at - 1] != "\\":
            return True
        at = src.find(fragment, at + 1)
    return False


def run_case(data: bytes, payloads: list[str], must_refuse: bool) -> dict[str, Any]:
    """In the child: docx_to_pdf, then the checks on what came out."""
    from docgen.errors import DocgenError
    from docgen.finish.pdf import ParityError, docx_to_pdf

    sources: list[str] = []
    _spy_on_typst(sources)
    compared = _spy_on_parity()
    result: dict[str, Any] = {}
    pdf = None
    try:
        pdf = docx_to_pdf(data, "fuzz.docx")
        result["class"] = "ok"
    except ParityError as exc:
        result.update({"class": "parity", "error": f"ParityError: {exc}"[:3000]})
    except DocgenError as exc:
        code = getattr(exc, "exit_code", None)
        cls = "refused" if code == 1 else "template" if code == 3 else "internal"
        result.update({"class": cls, "error": f"{type(exc).__name__} (exit {code}): {exc}"[:3000]})
    except MemoryError as exc:
        result.update({"class": "memory", "error": f"MemoryError: {exc}"[:3000],
                       **_where(exc)})
    except BaseException as exc:  # noqa: BLE001 — anything else is the finding
        result.update({"class": "internal", "error": f"{type(exc).__name__}: {exc}"[:3000],
                       **_where(exc)})
    if pdf is not None:
        from docgen.finish.docx_reader import read_docx
        from docgen.finish.parity import pdf_text, squash

        if compared:  # the model and the text the parity check had
            doc, raw = compared[-1]
        else:
            doc, raw = read_docx(data, "fuzz.docx"), pdf_text(pdf)
        shown = squash(raw)
        model = squash(_model_text(doc))
        drawn = [mk for mk in MARKERS if mk.lower() in shown and mk.lower() not in model]
        if drawn:
            result.update({"class": "payload", "error": f"PDF shows {drawn}, the model does not"})
        elif must_refuse:
            result.update({"class": "unrefused", "error": "a tracked change gave a PDF"})
    hits = injected(payloads, sources)
    if hits:
        result["outcome"] = result["class"]
        result["class"] = "injection"
        result["error"] = (f"unescaped in the Typst markup: {[h[:60] for h in hits]}"
                           f" (outcome: {result['outcome']}; {result.get('error', '')[:1500]})")
        first = hits[0].lower()
        mark = first[first.index('"'):] if '"' in first[1:] else first
        for src in sources:
            at = src.lower().find(first)
            at = at if at >= 0 else src.lower().find(mark)
            if at >= 0:
                result["markup"] = src[max(0, at - 300):at + len(first) + 200]
                break
    result["sources"] = len(sources)
    return result


def _where(exc: BaseException) -> dict[str, str]:
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return {}
    last = frames[-1]
    ours = [f for f in frames if "/docgen/" in f.filename]
    out = {"last_frame": f"{_rel(last.filename)}:{last.lineno} in {last.name}: {last.line}",
           "trace": "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))[-4000:]}
    if ours:
        f = ours[-1]
        out["docgen_frame"] = f"{_rel(f.filename)}:{f.lineno} in {f.name}: {f.line}"
    return out


def _rel(filename: str) -> str:
    try:
        return str(Path(filename).resolve().relative_to(ROOT))
    except ValueError:
        return filename


# ------------------------------------------------------------------------------ the pool of children


@dataclass
class Running:
    case: Case
    pid: int
    started: float
    out: Path
    err: Path


@dataclass
class Tally:
    results: list[tuple[Case, dict[str, Any]]] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)


def fork_case(case: Case, work: Path) -> Running:
    out = work / f"{case.number}.json"
    err = work / f"{case.number}.err"
    pid = os.fork()
    if pid == 0:  # the child: its own process group (pdftotext dies with it), limits, run
        code = 0
        try:
            os.setpgid(0, 0)
            resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
            fd = os.open(err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            result = run_case(case.data, case.payloads, case.must_refuse)
            tmp = out.with_suffix(".tmp")
            tmp.write_text(json.dumps(result))
            tmp.rename(out)
        except BaseException:  # noqa: BLE001
            traceback.print_exc()
            code = 2
        finally:
            os._exit(code)
    try:
        os.setpgid(pid, pid)
    except OSError:
        pass
    return Running(case, pid, time.monotonic(), out, err)


def collect(job: Running, status: int | None) -> dict[str, Any]:
    """The child's result, or what its end tells (killed, signal, no result)."""
    tail = job.err.read_text(errors="replace")[-2000:] if job.err.exists() else ""
    if status is None:
        result = {"class": "hang", "error": "killed at the time limit", "stderr": tail}
    elif job.out.exists():
        result = json.loads(job.out.read_text())
        if tail.strip():
            result["stderr"] = tail
    else:
        if os.WIFSIGNALED(status):
            how = f"killed by signal {signal.Signals(os.WTERMSIG(status)).name}"
        else:
            how = f"exited with status {os.WEXITSTATUS(status)} without a result"
        oom = "memory allocation of" in tail or "MemoryError" in tail or "Cannot allocate" in tail
        result = {"class": "memory" if oom else "crash", "error": how, "stderr": tail}
    for path in (job.out, job.err):
        path.unlink(missing_ok=True)
    return result


def run_all(cases: Any, jobs: int, limit: float, on_result: Callable[[Case, dict[str, Any]], None],
            work: Path, deadline: float | None = None) -> None:
    """Each case in a forked child, `jobs` at a time; no new case after `deadline`
    (time.monotonic()), those running are finished."""
    running: dict[int, Running] = {}
    pending = iter(cases)
    exhausted = False
    while True:
        if deadline is not None and time.monotonic() > deadline:
            exhausted = True
        while not exhausted and len(running) < jobs:
            case = next(pending, None)
            if case is None:
                exhausted = True
                break
            job = fork_case(case, work)
            running[job.pid] = job
        if not running:
            return
        pid, status = os.waitpid(-1, os.WNOHANG)
        if pid and pid in running:
            job = running.pop(pid)
            try:
                os.killpg(pid, signal.SIGKILL)  # a pdftotext left behind
            except OSError:
                pass
            on_result(job.case, collect(job, status))
            continue
        now = time.monotonic()
        for job in list(running.values()):
            if now - job.started > limit:
                try:
                    os.killpg(job.pid, signal.SIGKILL)
                except OSError:
                    pass
                os.waitpid(job.pid, 0)
                del running[job.pid]
                on_result(job.case, collect(job, None))
        time.sleep(0.005)


# ------------------------------------------------------------------------------ reporting


def signature(result: dict[str, Any], case: Case) -> str:
    """What tells two outcomes apart: for an exception, its type and where ours raised it;
    otherwise the class, the kind of message and the shape of the mutations."""
    cls = result["class"]
    error = result.get("error", "")
    if cls in ("internal", "memory") and (result.get("docgen_frame") or result.get("last_frame")):
        head = error.split(":", 1)[0]
        return f"{cls} | {head} | {result.get('docgen_frame') or result.get('last_frame', '')}"
    shapes = sorted({re.split(r" = | renamed | to '|[(']", m, maxsplit=1)[0][:60]
                     for m in case.mutations})
    if cls == "injection":
        kind = f"outcome {result.get('outcome')}"
    else:
        lines = [ln.strip() for ln in error.splitlines() if ln.strip()]
        kind = re.sub(r"«.*", "«…»", lines[min(1, len(lines) - 1)] if lines else "")
        kind = re.sub(r"\d+", "N", kind)[:100]
    return f"{cls} | {kind} | {' + '.join(shapes)}"


def save(case: Case, result: dict[str, Any], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{result['class']}-{case.number}.docx"
    path.write_bytes(case.data)
    lines = [f"case {case.number} from {case.seed_name}", "mutations:"]
    lines += [f"  {m}" for m in case.mutations]
    lines += [f"class: {result['class']}", f"error: {result.get('error', '')}"]
    for key in ("docgen_frame", "last_frame", "markup", "trace", "stderr"):
        if result.get(key):
            lines += [f"{key}:", str(result[key])]
    path.with_suffix(".txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def commit_info() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT, text=True,
                              capture_output=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "docgen"], cwd=ROOT,
                               text=True, capture_output=True).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        return f"unknown ({ROOT} is not a git checkout)"
    return head + (f" (+{len(dirty)} uncommitted file(s) under docgen/)" if dirty else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit-s", type=float, default=20.0, help="per case, in seconds")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seeds", type=Path, help="a folder of DOCX built from the example "
                        "(default: the example is built into a temporary folder)")
    parser.add_argument("--findings", type=Path, default=Path("/tmp/fuzz-findings"))
    parser.add_argument("--only", help="case numbers to run again, e.g. 17,42")
    parser.add_argument("--quiet", action="store_true", help="no line per finding while running")
    parser.add_argument("--max-minutes", type=float,
                        help="start no case after this long; the summary counts what ran")
    parser.add_argument("--label", help="the tree this runs on, printed instead of git's commit "
                        "(for a copy of a working tree outside git)")
    args = parser.parse_args(argv)

    # imported once, before the children fork (none of them starts a thread)
    import docgen.finish.pdf  # noqa: F401
    for name in ("typst", "pikepdf", "docgen.finish.fields", "docgen.finish.parity",
                 "docgen.finish.chunks"):
        try:
            __import__(name)
        except ImportError:
            pass
    from docgen.parallel import _single_threaded

    if not _single_threaded():
        raise SystemExit("fuzz_docx: another thread runs in this process; forking is unsafe")
    seeds = load_seeds(args.seeds or build_seeds())
    numbers = ([int(n) for n in args.only.split(",")] if args.only else range(args.count))
    work = Path(tempfile.mkdtemp(prefix="docgen-fuzz-docx-"))
    args.findings.mkdir(parents=True, exist_ok=True)
    commit = args.label or commit_info()
    print(f"fuzz_docx: {len(numbers)} cases, seed {args.seed}, jobs {args.jobs}, "
          f"limit {args.limit_s:g} s, commit {commit}")
    print("seeds: " + ", ".join(f"{n} ({len(d) // 1024} KiB)" for n, d, _ in seeds))

    # The seeds as they are: each must give a PDF, or the fuzz measures nothing.
    baseline: dict[str, str] = {}

    def on_seed(case: Case, result: dict[str, Any]) -> None:
        baseline[case.seed_name] = result["class"] + (
            f": {result.get('error', '')[:300]}" if result["class"] != "ok" else "")

    run_all((Case(-1 - i, n, d, ["(unmutated)"], [], False) for i, (n, d, _) in enumerate(seeds)),
            args.jobs, args.limit_s * 3, on_seed, work)
    for name, outcome in baseline.items():
        print(f"  unmutated {name}: {outcome}")
    if any(not v.startswith("ok") for v in baseline.values()):
        print("fuzz_docx: an unmutated seed gives no PDF; its mutations measure little")

    tally = Tally()
    log = (args.findings / "results.jsonl").open("w", encoding="utf-8")
    start = time.monotonic()

    def on_result(case: Case, result: dict[str, Any]) -> None:
        cls = result["class"]
        tally.counts[cls] += 1
        tally.results.append((case, result))
        saved = ""
        if cls not in ("ok", "refused"):
            saved = str(save(case, result, args.findings))
        log.write(json.dumps({"case": case.number, "seed": case.seed_name, "class": cls,
                              "mutations": case.mutations, "error": result.get("error", "")[:500],
                              "where": result.get("docgen_frame", ""), "saved": saved}) + "\n")
        log.flush()
        if cls in FINDINGS and not args.quiet:
            print(f"  [{case.number}] {cls}: {result.get('error', '')[:160]!r} "
                  f"{result.get('docgen_frame', '')}", flush=True)
        done = sum(tally.counts.values())
        if done % 500 == 0:
            rate = done / (time.monotonic() - start)
            print(f"  … {done} cases, {rate:.2f} cases/s, " + ", ".join(
                f"{k} {v}" for k, v in sorted(tally.counts.items())), flush=True)

    cases = (make_case(n, args.seed, seeds) for n in numbers)
    deadline = start + 60 * args.max_minutes if args.max_minutes else None
    run_all(cases, args.jobs, args.limit_s, on_result, work, deadline)
    elapsed = time.monotonic() - start
    log.close()

    total = sum(tally.counts.values())
    if total < len(numbers):
        print(f"\nstopped after {args.max_minutes:g} min: {total} of {len(numbers)} cases ran")
    print()
    print(f"{'class':<11} {'cases':>7} {'share':>7}")
    for cls in CLASSES:
        n = tally.counts.get(cls, 0)
        mark = "  <- finding" if cls in FINDINGS and n else ""
        print(f"{cls:<11} {n:>7} {100 * n / max(total, 1):>6.1f}%{mark}")
    print(f"{'total':<11} {total:>7}   in {elapsed:.0f} s, {total / max(elapsed, 1e-9):.2f} cases/s "
          f"({args.jobs} jobs)")

    groups: dict[str, list[tuple[Case, dict[str, Any]]]] = {}
    for case, result in tally.results:
        if result["class"] not in ("ok", "refused"):
            groups.setdefault(signature(result, case), []).append((case, result))
    if groups:
        print("\ndistinct outcomes other than ok/refused (first case of each):")
        order = sorted(groups.items(), key=lambda kv: (kv[0].split(" | ")[0] not in FINDINGS,
                                                       kv[0]))
        for sig, members in order:
            case, result = members[0]
            path = args.findings / f"{result['class']}-{case.number}.docx"
            print(f"- {sig}  ×{len(members)}")
            print(f"    case {case.number} ({case.seed_name}): {' ; '.join(case.mutations)[:300]}")
            print(f"    {result.get('error', '')[:300]!r}")
            print(f"    {path}")
    print(f"\nfindings folder: {args.findings} (results.jsonl lists every case)")
    return 1 if any(tally.counts.get(c) for c in FINDINGS) else 0


if __name__ == "__main__":
    raise SystemExit(main())
