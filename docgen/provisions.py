"""The provisions of a rendered convention, and what an avenant amends between two of them.

A convention is a sequence of provisions with stable identities, read from its rendered DOCX:
the parties block (``parties``), the preamble (``preambule``), each article (``article:4``), each
table of an article (``article:6/tableau:2``), each annex (``annexe:1``) and each fiche action
(``fiche:12``). Every provision whose text differs between the convention before an avenant and
after it is amended by one article of that avenant, which quotes the new text verbatim (the XML of
the after-rendering, spliced into the avenant); the consolidated version is the after-rendering
with a mark on exactly the provisions amended so far.

Pure: bytes or XML in, values out. The wording of the amending articles and of the marks lives in
the templates (avenant.docx, commun/libelles.j2).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from markupsafe import Markup

from .render.package import pack, parse_xml, part, parts, xml_bytes

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
MARK_BOOKMARK = "_Modification"  # hidden bookmark that tells a consolidated mark from the text
# the consolidated version's notice of a fiche an avenant deleted (convention.docx writes it at
# the fiche's place): a mark too, so never part of a provision's text, but of no provision
DELETION_BOOKMARK = MARK_BOOKMARK + "Suppression"
_DOCXTPL_MARKERS = re.compile(r"\{_\{|\}_\}|\{_%|%_\}")

HEADINGS = {"Titresection": "preambule", "Titrearticle": "article", "Titreannexe": "annexe",
            "Titrefiche": "fiche", "Faita": "signatures"}
_NUMBER = re.compile(r"(?:Article|Annexe|n°)\s*(\d+)")


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _style(p: Any) -> str:
    st = p.find(f"{w('pPr')}/{w('pStyle')}")
    return st.get(w("val")) if st is not None else ""


def _ptext(el: Any) -> str:
    return "".join(t.text or "" for t in el.iter(w("t")))


def block_text(block: Any) -> str:
    """A paragraph's text; a table's rows, cells separated by « | »."""
    if block.tag == w("tbl"):
        return "\n".join(" | ".join(_ptext(tc) for tc in tr.findall(w("tc")))
                         for tr in block.findall(w("tr")))
    return _ptext(block)


def is_mark(block: Any) -> bool:
    """A « Modifié par l'avenant n° k » paragraph of a consolidated version (or its notice of a
    deleted fiche)."""
    return block.tag == w("p") and any(
        (b.get(w("name")) or "").startswith(MARK_BOOKMARK) for b in block.iter(w("bookmarkStart")))


def is_deletion_notice(block: Any) -> bool:
    """« Fiche action n° 7 – … : supprimée par l'avenant n° 2 du … », in a consolidated version."""
    return block.tag == w("p") and any(
        (b.get(w("name")) or "").startswith(DELETION_BOOKMARK)
        for b in block.iter(w("bookmarkStart")))


def _blank(block: Any) -> bool:
    """A paragraph with neither text nor picture (a map is content, though it has no text)."""
    return not _ptext(block).strip() and next(block.iter(w("drawing")), None) is None


def _page_break_only(block: Any) -> bool:
    return (block.tag == w("p") and _blank(block)
            and any(br.get(w("type")) == "page" for br in block.iter(w("br"))))


def _layout_only(block: Any) -> bool:
    """A paragraph without words (a spacer, a page break, a picture) or a consolidated mark:
    not the text that « word for word » compares (a picture is still quoted)."""
    return block.tag == w("p") and (is_mark(block) or not _ptext(block).strip())


@dataclass
class Provision:
    """One provision: its identity, kind, number, heading and blocks (heading included)."""

    id: str
    kind: str  # parties | preambule | article | tableau | annexe | fiche | signatures | cadre
    numero: int | None
    titre: str
    blocks: list[Any] = field(default_factory=list)
    parent: str | None = None

    def own_text(self, children: Sequence[Provision] = ()) -> str:
        """The provision's text, each child (table of an article) by a placeholder only."""
        inner = {id(b): c.id for c in children for b in c.blocks}
        lines = []
        for b in self.blocks:
            if _layout_only(b):
                continue
            lines.append(f"[{inner[id(b)]}]" if id(b) in inner else block_text(b))
        return "\n".join(lines)

    @property
    def text(self) -> str:
        return "\n".join(block_text(b) for b in self.blocks if not _layout_only(b))


def body_of(docx: bytes) -> Any:
    return parse_xml(part(docx, "word/document.xml")).find(w("body"))


def split(body: Any) -> list[Provision]:
    """The provisions of a convention body, in document order (tables after their article)."""
    out: list[Provision] = []
    current: Provision | None = None
    annexe: Provision | None = None
    article: Provision | None = None
    subtitle = ""
    tables = 0
    for block in body:
        if block.tag == w("sectPr") or is_mark(block):
            continue
        kind = HEADINGS.get(_style(block)) if block.tag == w("p") else None
        if current is None and block.tag == w("p") and _style(block) == "Liaison":
            current = Provision("parties", "parties", None, "")
            out.append(current)
        elif (current is not None and current.kind == "parties" and block.tag == w("p")
              and _ptext(block).startswith("IL EST CONVENU")):
            current = Provision("convenu", "cadre", None, "")  # the frame: never amended
            out.append(current)
        if kind:
            title = _ptext(block)
            m = _NUMBER.search(title)
            numero = int(m.group(1)) if m else None
            if kind == "article" and numero is None and title.startswith("Article 1er"):
                numero = 1
            pid = {"preambule": "preambule", "signatures": "signatures"}.get(kind) or f"{kind}:{numero}"
            parent = annexe.id if kind == "fiche" and annexe is not None else None
            current = Provision(pid, kind, numero, title, [], parent)
            out.append(current)
            annexe = current if kind == "annexe" else (annexe if kind == "fiche" else None)
            article = current if kind == "article" else None
            tables, subtitle = 0, ""
        if current is None:
            continue  # the title block
        if article is not None and block.tag == w("tbl"):
            tables += 1
            out.append(Provision(f"{article.id}/tableau:{tables}", "tableau", tables,
                                 subtitle, [block], article.id))
        elif article is not None and _style(block) == "Sous-titrearticle":
            subtitle = _ptext(block)
        current.blocks.append(block)
    return out


def provisions(docx: bytes) -> list[Provision]:
    return split(body_of(docx))


def children_of(provs: Sequence[Provision], pid: str) -> list[Provision]:
    return [p for p in provs if p.parent == pid]


# ------------------------------------------------------------------ amendments


@dataclass
class Amendement:
    """One amending article: what it does to which provision, and the new text to quote."""

    action: str  # remplace | ajoute | supprime
    provision: Provision  # the provision after the avenant (before, when it is deleted)
    parent: Provision | None  # the article of a table, the annex of a fiche
    children: list[Provision] = field(default_factory=list)  # the tables of a whole article

    @property
    def id(self) -> str:
        return self.provision.id

    def context(self) -> dict[str, Any]:
        p = self.provision
        return {
            "action": self.action,
            "id": p.id,
            "nature": p.kind,
            "numero": p.numero,
            "titre": _strip_number(p.titre),
            "parent": ({"nature": self.parent.kind, "numero": self.parent.numero,
                        "titre": _strip_number(self.parent.titre)} if self.parent else None),
            "xml": Markup("") if self.action == "supprime" else quoted(p, table_only=p.kind == "tableau"),
            "texte": p.text,
        }


def _strip_number(title: str) -> str:
    """« Article 4 – Plan d'action » → « Plan d'action »."""
    return title.split(" – ", 1)[1] if " – " in title else title


def amendements(before: Sequence[Provision], after: Sequence[Provision]) -> list[Amendement]:
    """Every provision whose text changes, once, at the highest level that changed: an article
    whose own text changed is replaced whole; otherwise each changed table of it is replaced; a
    fiche is replaced, added or deleted."""
    old = {p.id: p for p in before}
    new = {p.id: p for p in after}
    out: list[Amendement] = []
    replaced: set[str] = set()
    for p in after:
        if p.kind in ("signatures", "cadre"):
            continue  # the signatures of the convention are not amended: each act has its own
        if p.parent in replaced:
            continue
        q = old.get(p.id)
        parent = new.get(p.parent) if p.parent else None
        if q is None:
            kids = [c for c in children_of(after, p.id) if c.kind == "tableau"]
            out.append(Amendement("ajoute", p, parent, kids))
            if p.kind == "article":
                replaced.add(p.id)
            continue
        if p.kind in ("article", "annexe", "parties", "preambule"):
            mine = [c for c in children_of(after, p.id) if c.kind == "tableau"]
            theirs = [c for c in children_of(before, p.id) if c.kind == "tableau"]
            if p.own_text(mine) != q.own_text(theirs):
                out.append(Amendement("remplace", p, None, mine))
                if p.kind == "article":  # its tables are in its text; an annex's fiches are not
                    replaced.add(p.id)
        elif p.text != q.text:
            out.append(Amendement("remplace", p, parent))
    for q in before:
        if q.id not in new and q.kind not in ("signatures", "cadre") and q.parent not in replaced and (
                q.parent is None or q.parent in new):
            out.append(Amendement("supprime", q, new.get(q.parent) if q.parent else None))
    order = {p.id: i for i, p in enumerate(after)}
    pos = {q.id: i for i, q in enumerate(before)}

    def where(a: Amendement) -> tuple[float, int]:
        if a.id in order:
            return (order[a.id], 0)
        # a deleted provision: just after the provision that preceded it and still exists
        prev = [x.id for x in before[: pos[a.id]] if x.id in order]
        return ((order[prev[-1]] if prev else -1) + 0.5, pos[a.id])

    return sorted(out, key=where)


def texts(provs: Sequence[Provision]) -> dict[str, str]:
    """Each provision's text (an article's own text, its tables by placeholder), by identity:
    what « word for word » compares."""
    out = {}
    for p in provs:
        if p.kind in ("signatures", "cadre"):
            continue
        kids = [c for c in children_of(provs, p.id) if c.kind == "tableau"]
        out[p.id] = p.own_text(kids) if p.kind == "article" else p.text
    return out


def apply_texts(before: Sequence[Provision], amended: Sequence[Amendement],
                after_order: Sequence[str]) -> dict[str, str]:
    """The texts of the provisions once the amendments are applied to the previous ones (the
    tests prove with it that the consolidated version is the previous one with those amendments,
    and nothing else)."""
    result = texts(before)
    for a in amended:
        for k in [k for k in result if k == a.id or (a.provision.kind == "article"
                                                     and k.startswith(a.id + "/"))]:
            del result[k]
        if a.action != "supprime":
            p = a.provision
            result[a.id] = p.own_text(a.children) if p.kind == "article" else p.text
            for c in a.children:
                result[c.id] = c.text
    return {k: result[k] for k in after_order if k in result} | {
        k: v for k, v in result.items() if k not in after_order}


# ------------------------------------------------------------------ quoting and marking


def _run(text: str) -> Any:
    r = etree.Element(w("r"))
    t = etree.SubElement(r, w("t"))
    t.text = text
    t.set(XML_SPACE, "preserve")
    return r


def _paragraph(text: str, style: str) -> Any:
    p = etree.Element(w("p"))
    ppr = etree.SubElement(p, w("pPr"))
    etree.SubElement(ppr, w("pStyle")).set(w("val"), style)
    if text:
        p.append(_run(text))
    return p


QUOTE_HEADINGS = {"Titrearticle", "Titreannexe", "Titrefiche", "Titresection"}


REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
QUOTED_ID = "cite-"  # relationship ids of quoted blocks, resolved against the quoted document


def quoted(p: Provision, table_only: bool = False) -> Markup:
    """The provision's blocks as body XML to splice into the avenant: headings restyled as
    sub-headings (they are quoted, not the avenant's own), the text between « and »; a table
    alone is given as it is."""
    blocks = [copy.deepcopy(b) for b in p.blocks if not _page_break_only(b) and not is_mark(b)]
    for b in blocks:
        for bs in list(b.iter(w("bookmarkStart"), w("bookmarkEnd"))):
            bs.getparent().remove(bs)
        for el in b.iter():  # pictures and links point into the convention's own parts: the
            for attr, value in el.attrib.items():  # avenant copies them (render/media.py)
                if attr.startswith(f"{{{REL}}}"):
                    el.set(attr, QUOTED_ID + value)
        if b.tag == w("p") and _style(b) in QUOTE_HEADINGS:
            b.find(f"{w('pPr')}/{w('pStyle')}").set(w("val"), "Sous-titrearticle")
    if not table_only and blocks:
        first = blocks[0]
        ppr = first.find(w("pPr"))
        (ppr.addnext(_run("«\u00a0")) if ppr is not None else first.insert(0, _run("«\u00a0")))
        last = blocks[-1]
        if last.tag == w("p") and _ptext(last).strip():
            last.append(_run("\u00a0»"))
        else:
            while blocks and blocks[-1].tag == w("p") and _blank(blocks[-1]):
                blocks.pop()  # the spacer after a table
            if blocks[-1].tag == w("p") and _ptext(blocks[-1]).strip():
                blocks[-1].append(_run("\u00a0»"))
            else:  # after a table or a picture
                blocks.append(_paragraph("»", "Corps"))
    xml = "".join(etree.tostring(b, encoding="unicode") for b in blocks)
    # a case value's docxtpl marker was escaped at the first rendering: keep it escaped
    xml = _DOCXTPL_MARKERS.sub(lambda m: m.group(0).replace("_", "&#95;"), xml)
    return Markup(xml)


def unquote(text: str) -> str:
    """The quoted text without the « » the avenant puts around it."""
    if text.startswith("«\u00a0\n"):  # a table: « and » on lines of their own
        text = text[3:]
    elif text.startswith("«\u00a0"):
        text = text[2:]
    if text.endswith("\n»"):
        text = text[:-2]
    elif text.endswith("\u00a0»"):
        text = text[:-2]
    return text


def marks_after(history: Sequence[tuple[dict[str, Any], Sequence[Amendement]]]
                ) -> dict[str, list[dict[str, Any]]]:
    """Which avenants amended each provision still in force, from the amendments of avenants
    1…n in order: a provision replaced whole loses the marks of its tables."""
    marks: dict[str, list[dict[str, Any]]] = {}
    for ref, amended in history:
        for a in amended:
            if a.action == "supprime":
                for k in [k for k in marks if k == a.id or k.startswith(a.id + "/")]:
                    del marks[k]
                continue
            if a.provision.kind in ("article", "annexe"):
                for k in [k for k in marks if k.startswith(a.id + "/")]:
                    del marks[k]
            entry = {"avenant": ref, "ajout": a.action == "ajoute"}
            marks.setdefault(a.id, []).append(entry)
    return marks


def mark_document(docx: bytes, marks: dict[str, list[dict[str, Any]]],
                  wording: Callable[[str, list[dict[str, Any]]], str]) -> bytes:
    """The consolidated DOCX: a « Mention » paragraph after the heading of every amended
    provision (before an amended table or the parties block), kept with what follows it (never
    the last line of a page), worded by the template's macro."""
    content = parts(docx)
    root = parse_xml(content["word/document.xml"])
    body = root.find(w("body"))
    n = 0
    for p in split(body):
        refs = marks.get(p.id)
        if not refs:
            continue
        mark = _paragraph(wording(p.kind, refs), "Mention")
        n += 1
        start = etree.Element(w("bookmarkStart"))
        start.set(w("id"), str(20_000 + n))
        start.set(w("name"), f"{MARK_BOOKMARK}{n}")
        end = etree.Element(w("bookmarkEnd"))
        end.set(w("id"), str(20_000 + n))
        mark.find(w("pPr")).addnext(start)
        mark.append(end)
        # it precedes what it marks (or the text under the heading it follows): kept with it
        mark.find(w("pPr")).append(etree.Element(w("keepNext")))
        anchor = p.blocks[0]
        (anchor.addprevious(mark) if p.kind in ("tableau", "parties") else anchor.addnext(mark))
    return pack({**content, "word/document.xml": xml_bytes(root)})


def marked(docx: bytes) -> dict[str, str]:
    """The marks a consolidated DOCX carries, by provision (what the tests compare)."""
    body = body_of(docx)
    out: dict[str, str] = {}
    blocks = [b for b in body if b.tag != w("sectPr")]
    plain = split(body)
    where = {id(b): p for p in plain for b in p.blocks[:1]}
    for i, b in enumerate(blocks):
        if not is_mark(b) or is_deletion_notice(b):
            continue
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        prev = blocks[i - 1]
        target = where.get(id(nxt)) if nxt is not None else None
        if target is None or target.kind not in ("tableau", "parties"):
            target = where.get(id(prev))
        if target is not None:
            out[target.id] = _ptext(b)
    return out
