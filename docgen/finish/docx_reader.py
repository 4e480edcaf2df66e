"""Strict DOCX reader: the package against an allow-list, into an immutable tree (model.py).

What Word shows is kept; what changes what is seen or reaches outside is refused with its place,
in French, before anything is written (hidden text, tracked changes, comments, text boxes,
embedded objects, fields other than PAGE/NUMPAGES, linked images, non-web links, macros…).
Ignored on purpose, never read: an attached template (never fetched), a `mammoth/style-map`
part (nothing in a DOCX chooses how it is converted), fonts embedded in the DOCX (the PDF uses
the fonts shipped with docgen only), custom XML data, the glossary, thumbnails.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from lxml import etree

from . import model as m
from .vocabulary import CONTENT_IGNORED, REFUSED_ELEMENTS, _Counter, _unknown
from .package import DocxRefused, Package, R, W, check_link
from .styles import (
    REVIEW_ADVICE,
    Numbering,
    Styles,
    local,
    ns_prefix,
    num,
    on,
    parse_ppr,
    q,
    refuse_revision,
)
from .. import messages as msg

CORE = {"dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/",
        "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"}

# Relationship types of the main part: used, ignored (never read), or refused.
RELS_USED = {"styles", "numbering", "header", "footer", "footnotes", "endnotes", "image",
             "hyperlink", "settings", "comments"}
RELS_IGNORED = {"stylesWithEffects", "webSettings", "fontTable", "theme", "customXml",
                "commentsExtended", "commentsIds", "commentsExtensible", "people",
                "glossaryDocument", "thumbnail", "attachedTemplate", "font", "printerSettings"}
RELS_REFUSED = msg.RELS_REFUSED
def read_docx(data: bytes, name: str) -> m.Document:
    """The DOCX as a tree of what Word shows; DocxRefused (exit 1) on anything else."""
    return Reader(data, name).document()


class Reader:
    def __init__(self, data: bytes, name: str) -> None:
        self.pkg = Package(data, name)
        self.name = name
        root_rels = self.pkg.rels("")
        main = next((r.target for r in root_rels.values() if r.type == "officeDocument"), None)
        if main is None or not self.pkg.has(main):
            raise DocxRefused(name, "", msg.FICHIER_PAS_DOCUMENT_WORD)
        kind = self.pkg.types.get(main, "")
        if kind and "wordprocessingml" not in kind:
            raise DocxRefused(name, "", msg.TYPE_DOCUMENT_NON_PRIS.format(kind=kind))
        self.main = main
        self.rels = self._check_rels(main)
        self.styles = Styles(self.pkg, self._target("styles"))
        self.numbering = Numbering(self.pkg, self._target("numbering"))
        self._check_settings()
        self._check_comments()
        self.notes: dict[str, dict[str, etree._Element]] = {}
        self.note_parts: dict[str, str] = {}
        self.note_count = 0
        self.background = ""

    # ---------------------------------------------------------------- package level
    def _target(self, kind: str) -> str | None:
        return next((r.target for r in self.rels.values() if r.type == kind and not r.external
                     and self.pkg.has(r.target)), None)

    def _check_rels(self, part: str) -> dict[str, Any]:
        rels = self.pkg.rels(part)
        for rel in rels.values():
            place = msg.PLACE_RELATIONSHIPS.format(part=part)
            if rel.type in RELS_REFUSED:
                raise DocxRefused(self.name, place, RELS_REFUSED[rel.type])
            if rel.external:
                if rel.type == "hyperlink":
                    reason = check_link(rel.target)
                    if reason:
                        raise DocxRefused(self.name, place, reason)
                elif rel.type == "image":
                    raise DocxRefused(self.name, place, msg.IMAGE_LIEE_EXTERNE.format(
                        target=rel.target[:80]))
                elif rel.type not in ("attachedTemplate",):
                    raise DocxRefused(self.name, place, msg.RESSOURCE_EXTERNE_LIEE.format(
                        type=rel.type, target=rel.target[:80]))
            elif rel.type not in RELS_USED | RELS_IGNORED:
                raise DocxRefused(self.name, place, msg.PARTIE_TYPE_NON_PRIS.format(type=rel.type))
        return rels

    def _check_settings(self) -> None:
        part = self._target("settings")
        if part is None:
            return
        self._check_rels(part)
        root = self.pkg.xml(part, msg.PARAMETRES_DOCUMENT)
        for el in root:
            if local(el) == "mailMerge":
                raise DocxRefused(self.name, msg.PARAMETRES_DOCUMENT,
                                  msg.PUBLIPOSTAGE_SOURCE_DONNEES_EXTERNE)
            if local(el) == "evenAndOddHeaders" and on(el):
                raise DocxRefused(self.name, msg.PARAMETRES_DOCUMENT, msg.TETES_DIFFERENTS_PAGES_PAIRES)
            # attachedTemplate: ignored, never fetched nor copied.

    def _check_comments(self) -> None:
        part = self._target("comments")
        if part and self.pkg.xml(part, "commentaires").find(q("comment")) is not None:
            raise DocxRefused(self.name, msg.COMMENTAIRES_DOCUMENT, msg.COMMENTAIRE, REVIEW_ADVICE)

    def meta(self) -> m.Meta:
        core = next((r.target for r in self.pkg.rels("").values()
                     if r.type == "core-properties" and self.pkg.has(r.target)), None)
        if core is None:
            return m.Meta(language=self._language())
        root = self.pkg.xml(core, msg.PROPRIETES_DOCUMENT)

        def get(tag: str) -> str:
            el = root.find(tag, CORE)
            return (el.text or "").strip() if el is not None else ""

        created = get("dcterms:created")[:10]
        if len(created) != 10 or created[4] != "-":
            created = ""
        return m.Meta(get("dc:title"), get("dc:subject"), get("dc:creator"), get("cp:keywords"),
                      created, (get("dc:language") or self._language()).split("-")[0] or "fr")

    def _language(self) -> str:
        return getattr(self.styles, "language", "") or "fr"

    # ---------------------------------------------------------------- document
    def document(self) -> m.Document:
        root = self.pkg.xml(self.main, msg.CORPS_DOCUMENT)
        body = root.find(q("body"))
        if body is None:
            raise DocxRefused(self.name, msg.CORPS_DOCUMENT, msg.DOCUMENT_SANS_CORPS)
        for el in root:
            if local(el) == "background":
                self.background = (el.get(q("color"), "") or "").upper()
                if self.background == "AUTO" or len(self.background) != 6:
                    self.background = ""
                if len(el):
                    raise DocxRefused(self.name, msg.ARRIERE_PLAN, msg.ARRIERE_PLAN_DESSINE_FORME)
            elif local(el) not in ("body",):
                raise DocxRefused(self.name, msg.CORPS_DOCUMENT, msg.ELEMENT_INCONNU.format(
                    tag=el.tag))
        sections: list[m.Section] = []
        blocks: list[m.Block] = []
        counter = _Counter(msg.CORPS_DOCUMENT)
        previous: dict[str, tuple[m.Block, ...] | None] = {}
        for el in body:
            if local(el) == "sectPr" and ns_prefix(el) == W:
                sections.append(self._section(el, tuple(blocks), len(sections) + 1, previous))
                blocks = []
                continue
            blocks.extend(self._content(el, counter, "", ()))
            pending = counter.section_break
            if pending is not None:
                counter.section_break = None
                sections.append(self._section(pending, tuple(blocks), len(sections) + 1, previous))
                blocks = []
        if blocks or not sections:
            sections.append(self._section(None, tuple(blocks), len(sections) + 1, previous))
        return m.Document(self.meta(), tuple(sections), self.background)

    def _section(self, sect: etree._Element | None, blocks: tuple[m.Block, ...], number: int,
                 previous: dict[str, tuple[m.Block, ...] | None]) -> m.Section:
        width, height, margins = 595.3, 841.9, [72.0, 72.0, 72.0, 72.0, 36.0, 36.0]
        landscape, title_pg = False, False
        refs: dict[str, tuple[m.Block, ...] | None] = dict(previous)
        where = msg.MISE_PAGE_SECTION.format(number=number)
        for el in (sect if sect is not None else []):
            name = local(el)
            refuse_revision(el, self.pkg, where)
            if name == "pgSz":
                width = num(el.get(q("w"), "11906")) / 20
                height = num(el.get(q("h"), "16838")) / 20
                landscape = el.get(q("orient")) == "landscape"
            elif name == "pgMar":
                margins = [abs(num(el.get(q(k), "1440"))) / 20 for k in
                           ("top", "right", "bottom", "left", "header", "footer")]
            elif name == "cols" and int(num(el.get(q("num"), "1"), 1)) > 1:
                raise DocxRefused(self.name, where, msg.TEXTE_PLUSIEURS_COLONNES_NON)
            elif name == "lnNumType":
                raise DocxRefused(self.name, where, msg.NUMEROTATION_LIGNES_NON_PRISE)
            elif name == "titlePg":
                title_pg = on(el)
            elif name in ("headerReference", "footerReference"):
                kind = el.get(q("type"), "default")
                rel = self.rels.get(el.get(f"{{{R}}}id", ""))
                if rel is None or rel.external or not self.pkg.has(rel.target):
                    raise DocxRefused(self.name, where, msg.TETE_PIED_PAGE_INTROUVABLE)
                label = (msg.HEADER if name == "headerReference" else msg.FOOTER)
                if kind == "first":
                    label += msg.FIRST_PAGE_SUFFIX
                refs[f"{name}:{kind}"] = self._part_blocks(
                    rel.target, msg.HEADER_FOOTER_OF_SECTION.format(label=label, number=number))
            elif name not in ("cols", "docGrid", "type", "pgNumType", "formProt", "vAlign",
                              "noEndnote", "bidi", "rtlGutter", "paperSrc", "printerSettings",
                              "pgBorders", "footnotePr", "endnotePr", "textDirection"):
                raise DocxRefused(self.name, where, msg.PROPRIETE_SECTION_INCONNUE_W.format(
                    name=name))
        previous.update(refs)
        top, right, bottom, left, header, footer = margins
        return m.Section(width, height, top, right, bottom, left, header, footer, landscape, blocks,
                         refs.get("headerReference:default") or (),
                         refs.get("footerReference:default") or (),
                         (refs.get("headerReference:first") or ()) if title_pg else None,
                         (refs.get("footerReference:first") or ()) if title_pg else None)

    def _part_blocks(self, part: str, place: str) -> tuple[m.Block, ...]:
        root = self.pkg.xml(part, place)
        counter = _Counter(place)
        out: list[m.Block] = []
        with self.in_part(part):
            for el in root:
                out.extend(self._content(el, counter, "", ()))
        return tuple(out)

    part_prefix = ""

    @contextmanager
    def in_part(self, part: str) -> Iterator[None]:
        """While walking a header, footer or notes part: its relationships (checked), not the
        body's, resolve its links and images."""
        rels = self._check_rels(part)
        saved = self.rels, self.part_prefix
        self.rels = {**self.rels, **{f"{part}#{k}": v for k, v in rels.items()}}
        self.part_prefix = f"{part}#"
        try:
            yield
        finally:
            self.rels, self.part_prefix = saved

    def _rel(self, rid: str) -> Any:
        return self.rels.get(self.part_prefix + rid) if self.part_prefix else self.rels.get(rid)

    # ---------------------------------------------------------------- block content
    def _content(self, el: etree._Element, counter: _Counter, shading: str,
                 pending: tuple[str, ...]) -> list[m.Block]:
        name = local(el)
        if not name:
            return []
        if ns_prefix(el) != W:
            raise DocxRefused(self.name, counter.next_place(), _unknown(el))
        refuse_revision(el, self.pkg, counter.next_place())
        if name == "p":
            counter.paragraphs += 1
            return [self._paragraph(el, counter, shading)]
        if name == "tbl":
            counter.tables += 1
            from .tables import read_table
            return [read_table(self, el, counter, shading)]
        if name == "sdt":
            for child in el:
                if local(child) == "sdtPr" and child.find(q("dataBinding")) is not None:
                    raise DocxRefused(self.name, counter.next_place(),
                                      msg.CONTROLE_CONTENU_LIE_DONNEES)
            content = el.find(q("sdtContent"))
            out: list[m.Block] = []
            for child in (content if content is not None else []):
                out.extend(self._content(child, counter, shading, pending))
            return out
        if name == "bookmarkStart":
            counter.bookmarks.append(el.get(q("name"), ""))
            return []
        if name in CONTENT_IGNORED or name in ("sectPr", "tcPr", "tblPr", "trPr"):
            return []
        raise DocxRefused(self.name, counter.next_place(), REFUSED_ELEMENTS.get(name) or _unknown(el))

    def _paragraph(self, el: etree._Element, counter: _Counter, shading: str) -> m.Paragraph:
        place = counter.place()
        ppr = el.find(q("pPr"))
        direct = parse_ppr(ppr, self.pkg, place) if ppr is not None else {}
        sid = direct.get("pStyle", "") or self.styles.default_para
        props, run_base = self.styles.para(sid)
        num_id = str(direct.get("numId", props.get("numId")) or "")
        if num_id:  # style < list level < direct formatting
            level = int(direct.get("ilvl", props.get("ilvl", 0)) or 0)
            props.update(self.numbering.indents.get((num_id, level), {}))
        props.update(direct)
        if ppr is not None and ppr.find(q("sectPr")) is not None:
            counter.section_break = ppr.find(q("sectPr"))
        ctx = _Run(self, place, run_base, props.get("shd", "") or shading, sid)
        bookmarks = list(counter.bookmarks)
        counter.bookmarks.clear()
        inlines: list[m.Inline] = []
        for child in el:
            if local(child) == "pPr":
                continue
            inlines.extend(ctx.inline(child, bookmarks))
        if ctx.field is not None:
            raise DocxRefused(self.name, place, msg.CHAMP_INCOMPLET_FLDCHAR_SANS)
        style_name = self.styles.name(sid) if sid else "Normal"
        level = self.styles.heading_level(sid) if sid else 0
        label = self.numbering.label(props.get("numId", ""), props.get("ilvl", 0)) \
            if props.get("numId") else ""
        line, exact = props.get("line", (1.0, 0.0))
        return m.Paragraph(
            style_name, tuple(_merge(inlines)), props.get("jc", "left"),
            props.get("before", 0.0), props.get("after", 0.0), line, exact,
            props.get("left", 0.0), props.get("right", 0.0), props.get("first", 0.0),
            bool(props.get("keepNext")), bool(props.get("keepLines")),
            bool(props.get("pageBreakBefore")), bool(props.get("contextualSpacing")),
            level, HEADINGS.get(style_name, level) in (1, 2) if level else False,
            tuple(bookmarks), label, props.get("shd", ""),
            float(props.get("mark_sz") or run_base.get("sz") or 10.0),
            props.get("border_top"), props.get("border_bottom"))


HEADINGS = {"Titre section": 1, "Titre article": 1, "Titre annexe": 1, "Titre fiche": 2,
            "Sous-titre article": 3}


def _merge(inlines: list[m.Inline]) -> list[m.Inline]:
    """Adjacent texts with the same look become one (Word splits runs at every edit)."""
    out: list[m.Inline] = []
    for i in inlines:
        last = out[-1] if out else None
        if isinstance(i, m.Text) and isinstance(last, m.Text) and last.style == i.style \
                and last.link == i.link:
            out[-1] = m.Text(last.text + i.text, i.style, i.link)
        else:
            out.append(i)
    return out


from .runs import _Run
