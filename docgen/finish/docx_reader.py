"""Strict DOCX reader: the package against an allow-list, into an immutable tree (model.py).

What Word shows is kept; what changes what is seen or reaches outside is refused with its place,
in French, before anything is written (hidden text, tracked changes, comments, text boxes,
embedded objects, fields other than PAGE/NUMPAGES, linked images, non-web links, macros…).
Ignored on purpose, never read: an attached template (never fetched), a `mammoth/style-map`
part (nothing in a DOCX chooses how it is converted), fonts embedded in the DOCX (the PDF uses
the fonts shipped with docgen only), custom XML data, the glossary, thumbnails.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from lxml import etree

from .. import messages as msg
from . import model as m
from .package import DocxRefused, Package, R, W, check_link
from .runs import _Run
from .styles import (
    REVIEW_ADVICE,
    BadValue,
    Numbering,
    Styles,
    Theme,
    at,
    colour,
    integer,
    local,
    ns_prefix,
    num,
    on,
    parse_ppr,
    q,
    refuse_revision,
    show,
    symbol_font,
)
from .vocabulary import CONTENT_IGNORED, REFUSED_ELEMENTS, _Counter, _unknown

CORE = {"dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/",
        "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"}

# Relationship types of the main part: used, ignored (never read), or refused.
RELS_USED = {"styles", "numbering", "header", "footer", "footnotes", "endnotes", "image",
             "hyperlink", "settings", "comments"}
RELS_IGNORED = {"stylesWithEffects", "webSettings", "fontTable", "theme", "customXml",
                "commentsExtended", "commentsIds", "commentsExtensible", "people",
                "glossaryDocument", "thumbnail", "attachedTemplate", "font", "printerSettings"}
RELS_REFUSED = msg.RELS_REFUSED
# The languages a document may declare (dc:language, w:lang): anything else is read as French.
LANGUAGES = {"fr", "en", "de", "es", "it", "pt", "nl", "ca", "eu", "br", "co", "oc", "ar", "he",
             "el", "ru", "pl", "ro", "tr", "zh", "ja", "ko", "vi", "ty"}
FONT_PARTS = ("application/vnd.openxmlformats-officedocument.obfuscatedFont",
              "application/x-fontdata", "application/x-font-ttf", "application/vnd.ms-opentype",
              "application/x-font-otf", "font/ttf", "font/otf", "application/font-sfnt")


def language(value: str) -> str:
    """A language code from the closed list above (« fr-FR » → « fr »), French otherwise."""
    code = value.strip().split("-")[0].split("_")[0].lower()
    return code if code in LANGUAGES else "fr"


def read_docx(data: bytes, name: str) -> m.Document:
    """The DOCX as a tree of what Word shows; DocxRefused (exit 1) on anything else."""
    try:
        return Reader(data, name).document()
    except BadValue as exc:  # a value read outside any place (should not happen): still refused
        raise DocxRefused(name, "", exc.what) from None


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
        self.show_background = False  # settings: w:displayBackgroundShape
        self.rels = self._check_rels(main)
        self._check_fonts()
        settings = self.target("settings")
        theme = self.target("theme")
        with at(self.pkg, msg.THEME_DOCUMENT):
            self.pkg.theme = Theme.read(
                self.pkg.xml(theme, msg.THEME_DOCUMENT) if theme else None,
                self.pkg.xml(settings, msg.PARAMETRES_DOCUMENT) if settings else None)
        self.styles = Styles(self.pkg, self.target("styles"))
        self.numbering = Numbering(self.pkg, self.target("numbering"), self.styles)
        self._check_settings()
        self._check_comments()
        # Every w:t the walk reads (printed, or a PAGE field's cached result): what is left
        # over in a part once it is walked is text Word shows that the tree would lose.
        self.consumed: list[etree._Element] = []
        self.table_r: tuple[str, dict[str, Any]] = ("", {})
        self.depth = 0  # tables within tables
        self.notes: dict[str, dict[str, etree._Element]] = {}
        self.note_parts: dict[str, str] = {}
        self.note_count = 0
        self.background = ""

    # ---------------------------------------------------------------- package level
    def target(self, kind: str) -> str | None:
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
        part = self.target("settings")
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
            if local(el) == "displayBackgroundShape" and on(el):
                self.show_background = True
            if local(el) in ("embedTrueTypeFonts", "embedSystemFonts") and on(el):
                raise DocxRefused(self.name, msg.PARAMETRES_DOCUMENT, msg.POLICES_INCORPOREES,
                                  msg.POLICES_INCORPOREES_CONSEIL)
            # attachedTemplate: ignored, never fetched nor copied.

    def _check_fonts(self) -> None:
        """Fonts carried inside the DOCX are refused: Word draws the text with them (a « 9 »
        may be drawn as « 1 »), the PDF with docgen's own fonts."""
        for part, kind in self.pkg.types.items():
            if kind in FONT_PARTS or part.lower().startswith("word/fonts/") \
                    or part.lower().endswith((".odttf", ".ttf", ".otf", ".fntdata")):
                raise DocxRefused(self.name, msg.PLACE_PART.format(part=part),
                                  msg.POLICES_INCORPOREES, msg.POLICES_INCORPOREES_CONSEIL)
        for part in self.pkg.parts:
            if part.lower().startswith("word/fonts/") or \
                    part.lower().endswith((".odttf", ".ttf", ".otf", ".fntdata")):
                raise DocxRefused(self.name, msg.PLACE_PART.format(part=part),
                                  msg.POLICES_INCORPOREES, msg.POLICES_INCORPOREES_CONSEIL)
        table = self.target("fontTable")
        if table is not None:
            root = self.pkg.xml(table, msg.TABLE_POLICES)
            for el in root.iter():
                if isinstance(el.tag, str) and local(el).startswith("embed"):
                    raise DocxRefused(self.name, msg.TABLE_POLICES, msg.POLICES_INCORPOREES,
                                      msg.POLICES_INCORPOREES_CONSEIL)

    def _check_comments(self) -> None:
        part = self.target("comments")
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
        try:
            date.fromisoformat(created)
        except ValueError:
            created = ""
        return m.Meta(get("dc:title"), get("dc:subject"), get("dc:creator"), get("cp:keywords"),
                      created, language(get("dc:language") or self._language()))

    def _language(self) -> str:
        return language(self.styles.language or "fr")

    # ---------------------------------------------------------------- document
    def document(self) -> m.Document:
        root = self.pkg.xml(self.main, msg.CORPS_DOCUMENT)
        body = root.find(q("body"))
        if body is None:
            raise DocxRefused(self.name, msg.CORPS_DOCUMENT, msg.DOCUMENT_SANS_CORPS)
        for el in root:
            if local(el) == "background":
                with at(self.pkg, msg.ARRIERE_PLAN):
                    self.background = colour(el, self.pkg, msg.ARRIERE_PLAN, "color")
                if not self.show_background:  # Word shows a page colour only when asked to
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
            blocks.extend(self.content(el, counter, "", ()))
            pending = counter.section_break
            if pending is not None:
                counter.section_break = None
                sections.append(self._section(pending, tuple(blocks), len(sections) + 1, previous))
                blocks = []
        if blocks or not sections:
            sections.append(self._section(None, tuple(blocks), len(sections) + 1, previous))
        self.all_read(body, msg.CORPS_DOCUMENT)
        return m.Document(self.meta(), tuple(sections), self.background)

    def all_read(self, root: etree._Element, place: str) -> None:
        """Every text of `root` was read: a w:t the walk passed by (inside a construct it
        does not model) would be shown by Word and lost in the PDF; refused instead."""
        seen = {id(t) for t in self.consumed}
        for t in root.iter(q("t")):
            if t.text and id(t) not in seen:
                raise DocxRefused(self.name, place, msg.TEXTE_NON_LU.format(text=show(t.text)))

    def _section(self, sect: etree._Element | None, blocks: tuple[m.Block, ...], number: int,
                 previous: dict[str, tuple[m.Block, ...] | None]) -> m.Section:
        width, height, margins = 595.3, 841.9, [72.0, 72.0, 72.0, 72.0, 36.0, 36.0]
        landscape, title_pg = False, False
        refs: dict[str, tuple[m.Block, ...] | None] = dict(previous)
        where = msg.MISE_PAGE_SECTION.format(number=number)
        with at(self.pkg, where):
            return self._section_in(sect, blocks, number, previous, where, width, height,
                                    margins, landscape, title_pg, refs)

    def _section_in(self, sect: etree._Element | None, blocks: tuple[m.Block, ...], number: int,
                    previous: dict[str, tuple[m.Block, ...] | None], where: str, width: float,
                    height: float, margins: list[float], landscape: bool, title_pg: bool,
                    refs: dict[str, tuple[m.Block, ...] | None]) -> m.Section:
        for el in (sect if sect is not None else []):
            name = local(el)
            refuse_revision(el, self.pkg, where)
            if name == "pgSz":
                width = num(el.get(q("w")), 11906, 1440, 31680, per_point=20, what="w:pgSz/@w:w") / 20
                height = num(el.get(q("h")), 16838, 1440, 31680, per_point=20,
                             what="w:pgSz/@w:h") / 20
                landscape = el.get(q("orient")) == "landscape"
            elif name == "pgMar":
                margins = [abs(num(el.get(q(k)), 1440, -31680, 31680, per_point=20,
                                   what=f"w:pgMar/@w:{k}")) / 20
                           for k in ("top", "right", "bottom", "left", "header", "footer")]
            elif name == "cols" and integer(el.get(q("num")), 1, 0, 45, "w:cols/@w:num") > 1:
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
        if width - left - right < 72 or height - top - bottom < 72:  # less than an inch of text
            raise DocxRefused(self.name, where, msg.MARGES_SANS_PLACE_TEXTE)
        from .tables import least_height

        for kind, room, distance in (("headerReference", top, header),
                                     ("footerReference", bottom, footer)):
            for variant in ("default", "first"):
                blocks_ = refs.get(f"{kind}:{variant}") or ()
                # Word pushes the body away from a header (footer) taller than its margin; the
                # PDF keeps the margins: refused rather than printed over, or off, the page
                if blocks_ and distance + least_height(blocks_, width - left - right) > room + 1:
                    raise DocxRefused(self.name, where, msg.EN_TETE_DEPASSE_MARGE.format(
                        what=msg.HEADER if kind == "headerReference" else msg.FOOTER,
                        margin=f"{room / 72 * 2.54:.1f}".replace(".", ",")))
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
                out.extend(self.content(el, counter, "", ()))
        self.all_read(root, place)
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

    def rel(self, rid: str) -> Any:
        return self.rels.get(self.part_prefix + rid) if self.part_prefix else self.rels.get(rid)

    # ---------------------------------------------------------------- block content
    def content(self, el: etree._Element, counter: _Counter, shading: str,
                 pending: tuple[str, ...]) -> list[m.Block]:
        name = local(el)
        if not name:
            return []
        if ns_prefix(el) != W:
            raise DocxRefused(self.name, counter.next_place(), _unknown(el))
        refuse_revision(el, self.pkg, counter.next_place())
        if name == "p":
            counter.paragraphs += 1
            with at(self.pkg, counter.place()):
                return [self._paragraph(el, counter, shading)]
        if name == "tbl":
            counter.tables += 1
            if self.depth >= MAX_TABLE_DEPTH:
                raise DocxRefused(self.name, counter.next_place(), msg.TABLEAUX_TROP_IMBRIQUES.format(
                    max=MAX_TABLE_DEPTH))
            from .tables import read_table
            with at(self.pkg, msg.PLACE_TABLE.format(prefix=counter.prefix, n=counter.tables)):
                return [read_table(self, el, counter, shading)]
        if name == "sdt":
            for child in el:
                if local(child) == "sdtPr" and child.find(q("dataBinding")) is not None:
                    raise DocxRefused(self.name, counter.next_place(),
                                      msg.CONTROLE_CONTENU_LIE_DONNEES)
            content = el.find(q("sdtContent"))
            out: list[m.Block] = []
            for child in (content if content is not None else []):
                out.extend(self.content(child, counter, shading, pending))
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
        table_key, table_r = self.table_r
        props, run_base = self.styles.para(sid, table_r, table_key)
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
        try:
            for child in el:
                if local(child) == "pPr":
                    continue
                inlines.extend(ctx.inline(child, bookmarks))
        except DocxRefused as exc:  # refused in this paragraph: named by its first words too
            if exc.place != place:
                raise
            raise exc.beginning(first_words(el)) from None
        if ctx.field is not None:
            raise DocxRefused(self.name, place, msg.CHAMP_INCOMPLET_FLDCHAR_SANS,
                              start=first_words(el))
        for mark in bookmarks:  # a signature bookmark names a PDF field: a plain identifier
            if mark.startswith("Signature_") and not SIGNATURE_NAME.fullmatch(mark):
                raise DocxRefused(self.name, place, msg.SIGNET_SIGNATURE_INVALIDE.format(
                    name=show(mark)))
        style_name = self.styles.name(sid) if sid else "Normal"
        level = self.styles.heading_level(sid) if sid else 0
        label = self.numbering.label(props.get("numId", ""), props.get("ilvl", 0)) \
            if props.get("numId") else ""
        label_style = None
        if (props.get("mark") or {}).get("vanish") or run_base.get("vanish") and \
                "vanish" not in (props.get("mark") or {}):
            label = ""  # a hidden paragraph mark hides the number with it
        if label.strip():
            label_style = self._check_label(ctx, props, run_base)
        for key in ("left", "right"):
            if props.get(key, 0.0) < -MAX_NEGATIVE_INDENT:
                raise DocxRefused(self.name, place, msg.RETRAIT_HORS_PAGE.format(
                    value=f"{-props[key]:g}"))
        line, exact = props.get("line", (1.0, 0.0))
        if exact and props.get("line_rule") == "exact":
            self._check_exact_line(ctx, exact, inlines)
        return m.Paragraph(
            style_name, tuple(_merge(inlines)), props.get("jc", "left"),
            props.get("before", 0.0), props.get("after", 0.0), line, exact,
            props.get("left", 0.0), props.get("right", 0.0), props.get("first", 0.0),
            bool(props.get("keepNext")), bool(props.get("keepLines")),
            bool(props.get("pageBreakBefore")), bool(props.get("contextualSpacing")),
            level, HEADINGS.get(style_name, level) in (1, 2) if level else False,
            tuple(bookmarks), label, props.get("shd", ""),
            max(float(props.get("mark_sz") or run_base.get("sz") or 10.0), 1.0),
            props.get("border_top"), props.get("border_bottom"), label_style)

    def _check_label(self, ctx: _Run, props: dict[str, Any],
                     run_base: dict[str, Any]) -> m.Style:
        """A list number is drawn with the paragraph mark's look and its level's own run
        properties: hidden, invisible or in a symbol font, Word would not show these figures."""
        lvl = self.numbering.level(str(props.get("numId", "")), int(props.get("ilvl", 0) or 0))
        mark = dict(props.get("mark") or {})
        mark.update(lvl.rpr if lvl is not None else {})
        look = dict(run_base)
        look.update(mark)
        if symbol_font(look):
            if lvl is None or lvl.fmt != "bullet":
                ctx.refuse(msg.NUMERO_LISTE_POLICE_SYMBOLES.format(font=show(symbol_font(look))))
            look = {k: v for k, v in look.items() if not k.startswith("font_")}  # drawn « • »
        ctx.check_visible(look, msg.NUMERO_LISTE)
        direct = {k: v for k, v in mark.items() if k != "rStyle"}
        return ctx.style(direct, False)

    def _check_exact_line(self, ctx: _Run, exact: float, inlines: list[m.Inline]) -> None:
        """An exact line height cuts what does not fit in it: Word shows the bottom of letters
        taller than the line, and nothing of text moved below or above it."""
        for i in inlines:
            if isinstance(i, m.Text) and i.text.strip():
                size = i.style.size
                if exact < 0.8 * size or abs(i.style.baseline) > max(exact - 0.8 * size, 0) + 1:
                    ctx.refuse(msg.INTERLIGNE_EXACT_TROP_PETIT.format(
                        line=f"{exact:g}", size=f"{size:g}"))


MAX_TABLE_DEPTH = 8  # tables nested in tables
MAX_NEGATIVE_INDENT = 56.7  # points (2 cm): further out, the text leaves the page
SIGNATURE_NAME = re.compile(r"Signature_[A-Za-z0-9_]{1,40}")
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


FIRST_WORDS = 40  # characters of a paragraph's text that name it in a refusal


def first_words(el: etree._Element) -> str:
    """The beginning of a paragraph's text (every w:t of it, hidden or not), as a message may
    show it: without control characters, at most FIRST_WORDS characters."""
    text = " ".join("".join(t.text or "" for t in el.iter(q("t"))).split())
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text if len(text) <= FIRST_WORDS else text[:FIRST_WORDS].rstrip() + "…"
