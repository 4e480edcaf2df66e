"""Inline content of a paragraph: runs, links, fields, images, notes — checked one by one."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, NoReturn

from lxml import etree

from .. import messages as msg
from . import model as m
from .package import DocxRefused, R, W, check_link, check_svg, image_kind
from .styles import (
    Props,
    integer,
    local,
    ns_prefix,
    num,
    parse_rpr,
    q,
    refuse_revision,
    refuse_revisions_in,
    show,
    symbol_font,
)
from .vocabulary import CONTENT_IGNORED, REFUSED_ELEMENTS, _Counter, _unknown

if TYPE_CHECKING:
    from .walk import Walker as Reader

WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
ASVG = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
EMU = 12700
FIELDS_OK = {"PAGE", "NUMPAGES"}
FIELD_WORDS = msg.FIELD_WORDS


class _Run:
    """One paragraph's inline walk, with the paragraph style's run properties as base."""

    def __init__(self, reader: Reader, place: str, base: Props, shading: str, sid: str) -> None:
        self.r = reader
        self.place = place
        self.base = base
        self.shading = shading
        self.sid = sid
        self.field: dict[str, Any] | None = None
        self.link = ""

    def refuse(self, what: str, advice: str = "") -> NoReturn:
        raise DocxRefused(self.r.name, self.place, what, advice)

    def inline(self, el: etree._Element, bookmarks: list[str]) -> list[m.Inline]:
        name = local(el)
        if not name:
            return []
        if ns_prefix(el) != W:
            self.refuse(REFUSED_ELEMENTS.get(name) or _unknown(el))
        refuse_revision(el, self.r.pkg, self.place)
        if name == "r":
            return self.run(el)
        if name == "hyperlink":
            rid = el.get(f"{{{R}}}id", "")
            target = ""
            if rid:
                rel = self.r.rel(rid)
                if rel is None:
                    self.refuse(msg.LIEN_SANS_DESTINATION)
                reason = check_link(rel.target) if rel.external else \
                    msg.LIEN_RELATIF_VERS_FICHIER.format(url=rel.target)
                if reason:
                    self.refuse(reason)
                target = rel.target
            saved, self.link = self.link, target
            out: list[m.Inline] = []
            for child in el:
                out.extend(self.inline(child, bookmarks))
            self.link = saved
            return out
        if name == "fldSimple":
            instr = el.get(q("instr"), "")
            kind = self.check_field(instr)
            for child in el.iter():
                refuse_revision(child, self.r.pkg, self.place)
            self.r.consumed.extend(el.iter(q("t")))  # the cached result: we draw the number
            rpr = {}
            first = el.find(f"{q('r')}/{q('rPr')}")
            if first is not None:
                rpr = parse_rpr(first, self.r.pkg, self.place)
            return [m.PageField(kind, self.style(rpr, text=False))]
        if name == "bookmarkStart":
            bookmarks.append(el.get(q("name"), ""))
            return []
        if name == "sdt":
            content = el.find(q("sdtContent"))
            if el.find(f"{q('sdtPr')}/{q('dataBinding')}") is not None:
                self.refuse(msg.CONTROLE_CONTENU_LIE_DONNEES)
            out = []
            for child in (content if content is not None else []):
                out.extend(self.inline(child, bookmarks))
            return out
        if name in CONTENT_IGNORED:
            return []
        self.refuse(REFUSED_ELEMENTS.get(name) or _unknown(el))
        return []

    def check_field(self, instr: str) -> str:
        words = instr.strip().split()
        word = words[0].upper() if words else ""
        if word in FIELDS_OK:
            return word
        what = FIELD_WORDS.get(word, msg.CHAMP_SEULS_PAGE_NUMPAGES.format(value=word or 'vide'))
        target = next((w.strip('"') for w in words[1:] if not w.startswith("\\")), "")
        if target:
            what += msg.FIELD_TARGET_SUFFIX.format(target=target[:80])
        self.refuse(what)
        return ""

    def style(self, direct: Props, text: bool, content: str = "x") -> m.Style:
        props = dict(self.base)
        char = direct.get("rStyle", "")
        from_style = ""
        if char:
            props.update(self.r.styles.char(char))
            if self.r.styles.char(char).get("vanish"):
                from_style = self.r.styles.origin(char, "vanish")
        if self.base.get("vanish") and not from_style:
            from_style = self.r.styles.origin(self.sid or self.r.styles.default_para, "vanish")
        props.update(direct)
        visible = bool(content.strip())
        if props.get("vanish") and visible:
            how = msg.HIDDEN_BY_STYLE_SUFFIX.format(
                from_style=from_style) if from_style and "vanish" not in direct else ""
            self.refuse(msg.TEXTE_MASQUE_HOW.format(how=how))
        size = float(props.get("sz", 10.0))
        if visible and complex_script(content, props):
            size = self._script_size(content, props, size)
        position = float(props.get("position", 0.0))
        if not props.get("color") and _dark(self.ground(props)):
            props["color"] = "FFFFFF"  # Word draws automatic text white on a dark ground
        style = m.Style(bool(props.get("b")), bool(props.get("i")), bool(props.get("u")),
                        bool(props.get("strike")), props.get("vert", ""), bool(props.get("caps")),
                        bool(props.get("smallCaps")), props.get("color", ""),
                        props.get("highlight", ""), max(size, 1.0),
                        float(props.get("tracking", 0.0)), -position)
        if text and visible:
            props["sz"] = size
            self.check_visible(props, "")
            table_key, table_r = self.r.table_r
            if table_r.get("color") and "color" not in direct and not (
                    char and "color" in self.r.styles.char(char)):
                # Word lets a table style's colour win over the Normal style's: either may show
                alt = dict(props)
                alt["color"] = table_r["color"]
                self.check_visible(alt, "")
        return style

    def check_visible(self, props: Props, what: str) -> None:
        """What Word would hide or distort in text of this look is refused: its colour against
        the ground it is drawn on (highlight, run shading, paragraph, cell, table and page
        colours, in that order), a size under 4 pt, a character scale, a shift off its line,
        a fitted width, a symbol font."""
        suffix = msg.WHAT_SUFFIX.format(what=what) if what else ""
        ground = self.ground(props)
        color = props.get("color") or ("FFFFFF" if _dark(ground) else "000000")
        if _close(color, ground):
            self.refuse(msg.TEXTE_INVISIBLE_COULEUR_TEXTE + suffix)
        size = float(props.get("sz", 10.0))
        if float(props.get("tracking", 0.0)) < -0.2 * size:
            self.refuse(msg.CARACTERES_RESSERRES.format(
                tracking=f"{-float(props['tracking']):g}") + suffix)
        if size < 4:
            self.refuse(msg.TEXTE_INVISIBLE_TAILLE_POLICE.format(size=size) + suffix)
        if float(props.get("scale", 100.0)) != 100.0:
            self.refuse(msg.ECHELLE_CARACTERES.format(scale=f"{props['scale']:g}") + suffix)
        position = float(props.get("position", 0.0))
        if abs(position) > size / 2:
            self.refuse(msg.TEXTE_DECALE.format(position=f"{position:g}") + suffix)
        if props.get("fitText"):
            self.refuse(msg.TEXTE_AJUSTE_LARGEUR + suffix)
        font = symbol_font(props)
        if font:
            self.refuse(msg.POLICE_SYMBOLES.format(font=show(font)) + suffix)

    def ground(self, props: Props) -> str:
        """The colour text of this look is drawn on: highlight, run shading, then what the
        paragraph lies on (its shading, its cell's, the table's, the page's), else white."""
        return props.get("highlight") or props.get("shd", "") or self.shading or \
            self.r.background or "FFFFFF"

    def _script_size(self, content: str, props: Props, size: float) -> float:
        """Word sizes complex-script text (Arabic, Hebrew, Thai…) with w:szCs: a run entirely
        in such a script takes that size; one mixing it with Latin letters at another size is
        refused (the PDF draws a run at one size)."""
        cs_size = float(props.get("szCs", 10.0))
        if abs(cs_size - size) < 0.01:
            return size
        if props.get("cs") or props.get("rtl") or not any(
                c.isalpha() and not _is_complex(c) for c in content):
            if cs_size < 4:
                self.refuse(msg.TEXTE_INVISIBLE_TAILLE_POLICE.format(size=cs_size))
            return cs_size
        self.refuse(msg.TAILLES_SELON_ECRITURE.format(size=f"{size:g}", cs=f"{cs_size:g}"))
        return size

    def run(self, el: etree._Element) -> list[m.Inline]:
        rpr_el = el.find(q("rPr"))
        direct = parse_rpr(rpr_el, self.r.pkg, self.place)
        texts = "".join(t.text or "" for t in el.iter(q("t")))
        shown = any(el.find(q(tag)) is not None
                    for tag in ("drawing", "footnoteReference", "endnoteReference"))
        style = self.style(direct, True, texts or ("x" if shown else ""))
        out: list[m.Inline] = []
        for child in el:
            name = local(child)
            if not name or name == "rPr":
                continue
            if ns_prefix(child) != W:
                self.refuse(REFUSED_ELEMENTS.get(name) or _unknown(child))
            refuse_revision(child, self.r.pkg, self.place)
            if name == "fldChar":
                out.extend(self.fld_char(child, style))
                continue
            if name == "instrText":
                if self.field is None or self.field["phase"] != "instr":
                    self.refuse(msg.CODE_CHAMP_HORS_CHAMP)
                self.field["instr"] += child.text or ""
                continue
            if self.field is not None:
                if self.field["phase"] == "instr":
                    self.refuse(msg.CHAMP_MAL_FORME)
                if name == "t":
                    self.r.consumed.append(child)
                continue  # the field's last result: we draw PAGE/NUMPAGES ourselves
            if name == "t":
                self.r.consumed.append(child)
                if child.text:  # a line end inside w:t is a space for Word, never a break
                    text = child.text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
                    out.append(m.Text(text, style, self.link))
            elif name in ("tab", "ptab"):
                out.append(m.Tab(style))
            elif name == "br":
                kind = child.get(q("type"), "textWrapping")
                if kind == "page":
                    out.append(m.PageBreak())
                elif kind == "column":
                    self.refuse(msg.SAUT_COLONNE_NON_PRIS)
                else:
                    out.append(m.LineBreak())
            elif name == "cr":
                out.append(m.LineBreak())
            elif name == "noBreakHyphen":
                out.append(m.Text("\u2011", style, self.link))
            elif name == "drawing":
                out.append(self.drawing(child))
            elif name in ("footnoteReference", "endnoteReference"):
                if child.get(q("customMarkFollows")) not in (None, "0", "false", "off"):
                    self.refuse(msg.APPEL_NOTE_PERSONNALISE)
                out.append(self.note(child, name, style))
            else:
                if name not in CONTENT_IGNORED:
                    self.refuse(REFUSED_ELEMENTS.get(name) or _unknown(child))
        return out

    def fld_char(self, el: etree._Element, style: m.Style) -> list[m.Inline]:
        kind = el.get(q("fldCharType"), "")
        if kind == "begin":
            if self.field is not None:
                self.refuse(msg.CHAMP_IMBRIQUE_AUTRE_CHAMP)
            self.field = {"instr": "", "phase": "instr", "kind": ""}
            return []
        if self.field is None:
            self.refuse(msg.CHAMP_MAL_FORME)
            return []
        if kind == "separate":
            self.field["kind"] = self.check_field(self.field["instr"])
            self.field["phase"] = "result"
            return []
        if kind == "end":
            field_kind = self.field["kind"] or self.check_field(self.field["instr"])
            self.field = None
            return [m.PageField(field_kind, style)]
        self.refuse(msg.CHAMP_MAL_FORME)
        return []

    def drawing(self, el: etree._Element) -> m.Inline:
        inline = el.find(f"{{{WP}}}inline")
        if inline is None:
            if el.find(f"{{{WP}}}anchor") is not None:
                self.refuse(msg.IMAGE_FORME_FLOTTANTE_ANCREE)
            self.refuse(msg.DESSIN_NON_PRIS_CHARGE)
        extent = inline.find(f"{{{WP}}}extent")
        width = num(extent.get("cx"), 0, 0, 5000 * EMU, what="wp:extent/@cx") / EMU \
            if extent is not None else 0
        height = num(extent.get("cy"), 0, 0, 5000 * EMU, what="wp:extent/@cy") / EMU \
            if extent is not None else 0
        doc_pr = inline.find(f"{{{WP}}}docPr")
        alt = (doc_pr.get("descr") or doc_pr.get("title") or "") if doc_pr is not None else ""
        if doc_pr is not None and doc_pr.get("hidden") in ("1", "true"):
            self.refuse(msg.IMAGE_MASQUEE)
        data_el = inline.find(f"{{{A}}}graphic/{{{A}}}graphicData")
        if data_el is None:
            self.refuse(msg.DESSIN_SANS_CONTENU)
        uri = data_el.get("uri", "")
        if not uri.endswith("/picture"):
            what = (msg.ZONE_TEXTE_FORME if "wordprocessingShape" in uri else
                    msg.GROUPE_FORMES if "Group" in uri else msg.GRAPHIQUE if "chart" in uri else
                    "SmartArt" if "diagram" in uri else msg.OBJET_GRAPHIQUE_NON_PRIS)
            self.refuse(what)
        blip = data_el.find(f".//{{{A}}}blip")
        if blip is None:
            self.refuse(msg.IMAGE_SANS_CONTENU)
        self.picture_look(data_el, blip)
        if blip.get(f"{{{R}}}link"):
            self.refuse(msg.IMAGE_LIEE_EXTERNE_LIEU)
        svg = blip.find(f".//{{{ASVG}}}svgBlip")
        rid = (svg.get(f"{{{R}}}embed") if svg is not None else None) or blip.get(f"{{{R}}}embed", "")
        if svg is not None and svg.get(f"{{{R}}}link"):
            self.refuse(msg.IMAGE_LIEE_EXTERNE_LIEU)
        rel = self.r.rel(str(rid or ""))
        if rel is None or rel.external:
            self.refuse(msg.IMAGE_LIEE_EXTERNE_LIEU)
        data = self.r.pkg.read(rel.target)
        kind, _, _ = image_kind(data, self.r.name, self.place)
        if kind == "svg":
            check_svg(data, self.r.name, self.place)
        if width <= 0 or height <= 0 or width > 5000 or height > 5000:
            self.refuse(msg.IMAGE_DIMENSIONS_INVALIDES)
        return m.Image(data, kind, width, height, alt)

    def picture_look(self, data: etree._Element, blip: etree._Element) -> None:
        """A picture is printed whole, opaque, upright and rectangular, as its file holds it:
        a crop, a transparency or colour effect, a rotation, a flip or a shaped outline that
        Word would apply is refused rather than ignored."""
        pic = data.find(f"{{{PIC}}}pic")
        if pic is None:
            self.refuse(msg.OBJET_GRAPHIQUE_NON_PRIS)
        for el in pic.iter(f"{{{PIC}}}cNvPr"):
            if el.get("hidden") in ("1", "true"):
                self.refuse(msg.IMAGE_MASQUEE)
        for child in blip:
            if not isinstance(child.tag, str):
                continue
            if etree.QName(child).localname != "extLst":
                self.refuse(msg.IMAGE_EFFET.format(name=etree.QName(child).localname))
            for ext in child:
                if isinstance(ext.tag, str) and ext.get("uri", "").upper() not in BLIP_EXTENSIONS:
                    self.refuse(msg.IMAGE_EFFET.format(name=ext.get("uri", "?")[:40]))
        fill = pic.find(f"{{{PIC}}}blipFill")
        for child in (fill if fill is not None else []):
            name = etree.QName(child).localname if isinstance(child.tag, str) else ""
            if name == "srcRect":
                if any(integer(child.get(k), 0, -1_000_000, 1_000_000, f"a:srcRect/@{k}")
                       for k in ("l", "t", "r", "b")):
                    self.refuse(msg.IMAGE_ROGNEE)
            elif name == "tile":
                self.refuse(msg.IMAGE_EFFET.format(name="tile"))
            elif name not in ("", "blip", "stretch"):
                self.refuse(msg.IMAGE_EFFET.format(name=name))
        sp = pic.find(f"{{{PIC}}}spPr")
        for child in (sp if sp is not None else []):
            name = etree.QName(child).localname if isinstance(child.tag, str) else ""
            if name == "xfrm":
                if child.get("flipH") in ("1", "true") or child.get("flipV") in ("1", "true") \
                        or integer(child.get("rot"), 0, -21600000, 21600000, "a:xfrm/@rot") % 21600000:
                    self.refuse(msg.IMAGE_TOURNEE)
            elif name == "prstGeom":
                if child.get("prst") != "rect":
                    self.refuse(msg.IMAGE_DECOUPEE.format(shape=show(child.get("prst", "?"))))
            elif name not in ("", "noFill", "ln", "extLst", "solidFill"):
                self.refuse(msg.IMAGE_EFFET.format(name=name))

    def note(self, el: etree._Element, name: str, style: m.Style) -> m.Inline:
        kind = "footnotes" if name == "footnoteReference" else "endnotes"
        word = msg.NOTE_BAS_PAGE if kind == "footnotes" else msg.NOTE_FIN
        notes = self.r.notes.get(kind)
        if notes is None:
            part = self.r.target(kind)
            if part is None:
                self.refuse(msg.NOTE_INTROUVABLE.format(word=word))
            root = self.r.pkg.xml(part, f"{word}s")
            refuse_revisions_in(root, self.r.pkg, f"{word}s")
            notes = {n.get(q("id"), ""): n for n in root if local(n) in ("footnote", "endnote")}
            self.r.notes[kind] = notes
            self.r.note_parts[kind] = part
        note = notes.get(el.get(q("id"), ""))
        if note is None:
            self.refuse(msg.NOTE_INTROUVABLE.format(word=word))
        self.r.note_count += 1
        number = self.r.note_count
        counter = _Counter(f"{word} {number}")
        blocks: list[m.Block] = []
        with self.r.in_part(self.r.note_parts[kind]):
            for child in note:
                blocks.extend(self.r.content(child, counter, "", ()))
        self.r.all_read(note, f"{word} {number}")
        return m.NoteRef(number, tuple(blocks), style)


# Extensions of a picture that change nothing of what is drawn: the SVG original beside its
# PNG, and « use local DPI ».
BLIP_EXTENSIONS = {"{96DAC541-7B7A-43D3-8B79-37D633B846F1}", "{28A0092B-C50C-407E-A947-70E740481C1C}"}
# Scripts Word sizes with w:szCs (complex scripts): Hebrew, Arabic, Syriac, Thaana, N'Ko,
# Indic scripts, Thai, Lao, Tibetan, Myanmar, Khmer, and the Hebrew and Arabic presentation forms.
_COMPLEX = ((0x0590, 0x08FF), (0x0900, 0x0DFF), (0x0E00, 0x0FFF), (0x1000, 0x109F),
            (0x1780, 0x17FF), (0xFB1D, 0xFDFF), (0xFE70, 0xFEFF))


_COMPLEX_CHAR = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _COMPLEX) + "]")


def _is_complex(c: str) -> bool:
    return _COMPLEX_CHAR.match(c) is not None


def complex_script(content: str, props: Props) -> bool:
    """Complex-script text (one search of the whole run: it is read for every run of a DOCX)."""
    return bool(props.get("cs") or props.get("rtl")) or _COMPLEX_CHAR.search(content) is not None


def _luminance(hex6: str) -> float:
    """Relative luminance (WCAG 2.1)."""
    out = 0.0
    for i, weight in ((0, 0.2126), (2, 0.7152), (4, 0.0722)):
        c = int(hex6[i:i + 2], 16) / 255
        out += weight * (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    return out


def _dark(hex6: str) -> bool:
    """A ground on which Word draws automatic text in white."""
    return _luminance(hex6) < 0.18


MIN_CONTRAST = 1.5  # below this ratio of luminances (WCAG), text is all but invisible


def _close(a: str, b: str) -> bool:
    """Text of colour `a` cannot be told from a ground of colour `b`."""
    la, lb = _luminance(a), _luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05) < MIN_CONTRAST
