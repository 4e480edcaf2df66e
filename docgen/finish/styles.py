"""Paragraph and run properties against an allow-list, style inheritance, list numbering."""

from __future__ import annotations

import colorsys
import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from lxml import etree

from .. import messages as msg
from .package import DocxRefused, Package, W

Props = dict[str, Any]


_QNAMES: dict[str, str] = {}


def q(tag: str) -> str:
    """The Clark name of a WordprocessingML tag (cached: called for every element read)."""
    name = _QNAMES.get(tag)
    if name is None:
        name = _QNAMES[tag] = f"{{{W}}}{tag}"
    return name


def local(el: etree._Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag[tag.find("}") + 1:]


def ns_prefix(el: etree._Element) -> str:
    """The namespace URI of an element ('' when none)."""
    tag = el.tag
    return tag[1:tag.find("}")] if isinstance(tag, str) and tag.startswith("{") else ""


def wval(el: etree._Element, attr: str = "val") -> str:
    return el.get(q(attr), "")


def on(el: etree._Element) -> bool:
    return wval(el).lower() not in ("0", "false", "off", "none")


# Every number read from the XML is finite and within these bounds (in the attribute's own
# unit); anything else is refused with its place, never passed on (issue: NaN, 1e15…).
LIMIT = 1_000_000.0
# A number written with a unit (ST_UniversalMeasure: « 12pt », « 2.5cm »), in points per unit.
_UNITS = {"pt": 1.0, "pc": 12.0, "pi": 12.0, "in": 72.0, "mm": 72 / 25.4, "cm": 72 / 2.54}
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,3})?")


class BadValue(Exception):
    """A value of the XML out of its range or malformed: the reader turns it into DocxRefused
    with the place it was reading (see Reader), so no such value reaches the typesetter."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def show(value: str) -> str:
    """A value of the document as it may appear in a message: short, without control characters."""
    value = "".join(c if c.isprintable() else "?" for c in value)
    return value if len(value) <= 30 else value[:30] + "…"


def num(value: str | None, default: float = 0.0, lo: float = -LIMIT, hi: float = LIMIT,
        per_point: float = 0.0, what: str = "") -> float:
    """A number of the XML: `default` when absent or empty; refused (BadValue) when malformed,
    not finite or outside [lo, hi]. `per_point`: the attribute's units per point (20 for twips,
    2 for half-points), so that a value written with a unit (« 12pt ») is read too."""
    if value is None or value == "":
        return default
    text = value.strip()
    unit = text[-2:].lower()
    if per_point and unit in _UNITS and _NUMBER.fullmatch(text[:-2]):
        x = float(text[:-2]) * _UNITS[unit] * per_point
    elif _NUMBER.fullmatch(text):
        x = float(text)
    else:
        raise BadValue(msg.VALEUR_NUMERIQUE_ILLISIBLE.format(value=show(value), what=what or "?"))
    if not math.isfinite(x) or x < lo or x > hi:
        raise BadValue(msg.VALEUR_HORS_LIMITES.format(value=show(value), what=what or "?",
                                                      lo=f"{lo:g}", hi=f"{hi:g}"))
    return x


def integer(value: str | None, default: int, lo: int, hi: int, what: str) -> int:
    """An integer attribute (levels, counts, starts, spans) within [lo, hi]."""
    return int(num(value, default, lo, hi, what=what))


_HEX = re.compile(r"[0-9A-Fa-f]{6}")


def hex_color(value: str | None, what: str) -> str:
    """« RRGGBB » (upper case) or '' for automatic; anything else is refused: a colour is six
    hexadecimal digits, never text pasted into the typesetter."""
    if value is None or value == "" or value.lower() == "auto":
        return ""
    if not _HEX.fullmatch(value):
        raise BadValue(msg.COULEUR_ILLISIBLE.format(value=show(value), what=what))
    return value.upper()


# Tracked changes and comments, wherever they appear: the user's words for each.
REVISIONS = msg.REVISIONS
REVIEW_ADVICE = msg.REVIEW_ADVICE

# Run properties: what is kept, what is ignored because it does not change the words seen.
# Run properties ignored because they do not change the words seen (the others are read).
RPR_IGNORED = {"bCs", "iCs", "lang", "noProof", "kern", "eastAsianLayout", "em", "bdr",
               "snapToGrid", "oMath", "effect", "emboss", "imprint", "outline", "shadow",
               "specVanish"}
PPR_KEPT = {"pStyle", "keepNext", "keepLines", "pageBreakBefore", "numPr", "spacing", "ind", "jc",
            "outlineLvl", "contextualSpacing", "shd", "rPr", "sectPr"}
PPR_IGNORED = {"widowControl", "tabs", "suppressAutoHyphens", "snapToGrid", "adjustRightInd",
               "autoSpaceDE", "autoSpaceDN", "textAlignment", "divId", "bidi", "mirrorIndents",
               "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "cnfStyle",
               "suppressLineNumbers", "suppressOverlap", "textboxTightWrap", "textDirection"}
W14_RPR_IGNORED = {"ligatures", "numForm", "numSpacing", "cntxtAlts", "stylisticSets"}
COLORS = {"yellow": "FFFF00", "green": "00FF00", "cyan": "00FFFF", "magenta": "FF00FF",
          "blue": "0000FF", "red": "FF0000", "darkBlue": "000080", "darkCyan": "008080",
          "darkGreen": "008000", "darkMagenta": "800080", "darkRed": "800000",
          "darkYellow": "808000", "darkGray": "808080", "lightGray": "C0C0C0", "black": "000000",
          "white": "FFFFFF"}


def refuse_revisions_in(root: etree._Element, pkg: Package, place: str) -> None:
    """Any tracked change or comment mark anywhere under root (searched in C by lxml)."""
    for el in root.iter(*(q(tag) for tag in REVISIONS)):
        refuse_revision(el, pkg, place)


def refuse_revision(el: etree._Element, pkg: Package, place: str) -> None:
    what = REVISIONS.get(local(el))
    if what:
        raise DocxRefused(pkg.name, place, what, REVIEW_ADVICE)


# The colour scheme of the Office theme, for a document that names theme colours without
# carrying its theme part (Word then uses its own default theme).
THEME_DEFAULT = {"dk1": "000000", "lt1": "FFFFFF", "dk2": "44546A", "lt2": "E7E6E6",
                 "accent1": "4472C4", "accent2": "ED7D31", "accent3": "A5A5A5",
                 "accent4": "FFC000", "accent5": "5B9BD5", "accent6": "70AD47",
                 "hlink": "0563C1", "folHlink": "954F72"}
# w:themeColor values → the scheme's slot; background/text go through the settings' mapping.
THEME_SLOTS = {"dark1": "dk1", "light1": "lt1", "dark2": "dk2", "light2": "lt2",
               "accent1": "accent1", "accent2": "accent2", "accent3": "accent3",
               "accent4": "accent4", "accent5": "accent5", "accent6": "accent6",
               "hyperlink": "hlink", "followedHyperlink": "folHlink"}
THEME_MAPPED = {"background1": "bg1", "text1": "t1", "background2": "bg2", "text2": "t2"}
MAPPING_DEFAULT = {"bg1": "light1", "t1": "dark1", "bg2": "light2", "t2": "dark2"}
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"


class Theme:
    """The document's colour scheme (theme part) and the settings' mapping of background and
    text colours onto it: Word draws a theme colour from these, whatever w:val says."""

    def __init__(self, colors: dict[str, str] | None = None,
                 mapping: dict[str, str] | None = None) -> None:
        self.colors = dict(THEME_DEFAULT if colors is None else colors)
        self.mapping = dict(MAPPING_DEFAULT if mapping is None else mapping)

    @classmethod
    def read(cls, theme: etree._Element | None, settings: etree._Element | None) -> Theme:
        colors = dict(THEME_DEFAULT)
        scheme = theme.find(f".//{{{A_NS}}}clrScheme") if theme is not None else None
        if scheme is not None:
            for slot in scheme:
                key = local(slot)
                if key not in THEME_DEFAULT:
                    continue
                value = ""
                for c in slot:
                    if local(c) == "srgbClr":
                        value = hex_color(c.get("val"), msg.COULEUR_DU_THEME)
                    elif local(c) == "sysClr":
                        value = hex_color(c.get("lastClr") or "000000", msg.COULEUR_DU_THEME)
                    else:
                        raise BadValue(msg.COULEUR_THEME_NON_PRISE.format(name=key))
                    if len(c):  # a:lumMod, a:tint… on a scheme colour: not modelled
                        raise BadValue(msg.COULEUR_THEME_NON_PRISE.format(name=key))
                colors[key] = value or colors[key]
        mapping = dict(MAPPING_DEFAULT)
        el = settings.find(q("clrSchemeMapping")) if settings is not None else None
        if el is not None:
            for key in mapping:
                mapped = el.get(q(key))
                if mapped is not None:
                    if mapped not in THEME_SLOTS:
                        raise BadValue(msg.COULEUR_THEME_INCONNUE.format(name=show(mapped)))
                    mapping[key] = mapped
        return cls(colors, mapping)

    def resolve(self, name: str) -> str:
        slot = THEME_SLOTS.get(self.mapping.get(THEME_MAPPED.get(name, ""), name))
        if slot is None:
            raise BadValue(msg.COULEUR_THEME_INCONNUE.format(name=show(name)))
        return self.colors[slot]


def _byte(value: str | None, what: str) -> float | None:
    if value is None:
        return None
    if len(value) > 2 or not all(c in "0123456789abcdefABCDEF" for c in value) or not value:
        raise BadValue(msg.COULEUR_ILLISIBLE.format(value=show(value), what=what))
    return int(value, 16) / 255


def colour(el: etree._Element, pkg: Package, what: str, val: str = "val",
           theme: str = "themeColor", tint: str = "themeTint", shade: str = "themeShade") -> str:
    """The colour Word draws for an element's colour attributes: a theme colour (through the
    theme and its tint or shade, applied to the luminance) wins over the literal value."""
    name = el.get(q(theme))
    if name is None:
        return hex_color(el.get(q(val)), what)
    base = getattr(pkg, "theme", None) or Theme()
    rgb = base.resolve(name)
    t, s = _byte(el.get(q(tint)), what), _byte(el.get(q(shade)), what)
    if t is None and s is None:
        return rgb
    r, g, b = (int(rgb[i:i + 2], 16) / 255 for i in (0, 2, 4))
    h, light, sat = colorsys.rgb_to_hls(r, g, b)
    if s is not None:
        light *= s
    if t is not None:
        light = light * t + (1 - t)
    return "".join(f"{round(c * 255):02X}" for c in colorsys.hls_to_rgb(h, light, sat))


def mix(fore: str, back: str, share: float) -> str:
    """`share` of `fore` over `back` (a percentage shading pattern)."""
    return "".join(f"{round(int(fore[i:i + 2], 16) * share + int(back[i:i + 2], 16) * (1 - share)):02X}"
                   for i in (0, 2, 4))


def fill_of(shd: etree._Element, pkg: Package) -> str:
    """The colour a shading gives the background ('' = none): the fill for `clear`, the
    pattern colour for `solid` (automatic = black), their blend for `pctN`; other patterns
    (stripes, crosses) are refused rather than approximated."""
    pattern = wval(shd) or "clear"
    if pattern == "nil":
        return ""
    fill = colour(shd, pkg, msg.TRAME, "fill", "themeFill", "themeFillTint", "themeFillShade")
    if pattern == "clear":
        return fill
    fore = colour(shd, pkg, msg.TRAME, "color") or "000000"
    if pattern == "solid":
        return fore
    if pattern.startswith("pct") and pattern[3:].isdigit() and int(pattern[3:]) <= 100:
        return mix(fore, fill or "FFFFFF", int(pattern[3:]) / 100)
    raise BadValue(msg.MOTIF_TRAME_NON_PRIS.format(pattern=show(pattern)))


# Fonts whose letters Word draws as pictograms: the PDF (Liberation Sans) would print letters.
SYMBOL_FONTS = {"symbol", "wingdings", "wingdings 2", "wingdings 3", "webdings", "marlett",
                "zapfdingbats", "zapf dingbats", "itc zapf dingbats", "mt extra",
                "opensymbol", "bookshelf symbol 7", "ms reference specialty", "ms outlook",
                "dingbats", "wingdings2", "wingdings3"}
FONT_ATTRS = ("ascii", "hAnsi", "cs", "eastAsia")


def parse_rpr(rpr: etree._Element | None, pkg: Package, place: str) -> Props:
    out: Props = {}
    if rpr is None:
        return out
    for el in rpr:
        name = local(el)
        if not name:
            continue
        refuse_revision(el, pkg, place)
        if ns_prefix(el) != W:
            if local(el) in W14_RPR_IGNORED:
                continue
            raise DocxRefused(pkg.name, place, msg.EFFET_TEXTE_NON_PRIS.format(name=name))
        if name in ("vanish", "specVanish", "webHidden"):
            if on(el) and name != "webHidden":
                out["vanish"] = True
            elif name == "vanish":
                out["vanish"] = False
        elif name in ("b", "i", "caps", "smallCaps", "strike", "dstrike", "cs", "rtl"):
            key = {"dstrike": "strike"}.get(name, name)
            out[key] = on(el)
        elif name == "u":
            out["u"] = wval(el) not in ("none", "")
        elif name == "vertAlign":
            out["vert"] = {"superscript": "superscript", "subscript": "subscript"}.get(wval(el), "")
        elif name == "color":
            out["color"] = colour(el, pkg, msg.COULEUR_TEXTE)
        elif name == "sz":
            out["sz"] = num(wval(el), 20, 0, 3276, per_point=2, what="w:sz") / 2
        elif name == "szCs":
            out["szCs"] = num(wval(el), 20, 0, 3276, per_point=2, what="w:szCs") / 2
        elif name == "w":
            out["scale"] = num(wval(el).rstrip("%"), 100, 1, 600, what="w:w")
        elif name == "position":
            out["position"] = num(wval(el), 0, -3168, 3168, per_point=2, what="w:position") / 2
        elif name == "fitText":
            if num(wval(el), 0, 0, LIMIT, per_point=20, what="w:fitText") > 0:
                out["fitText"] = True
        elif name == "highlight":
            out["highlight"] = COLORS.get(wval(el), "")
        elif name == "shd":
            out["shd"] = fill_of(el, pkg)
        elif name == "rStyle":
            out["rStyle"] = wval(el)
        elif name == "rFonts":
            for attr in FONT_ATTRS:
                if el.get(q(attr)) is not None:
                    out[f"font_{attr}"] = el.get(q(attr), "")
        elif name == "spacing":
            out["tracking"] = num(wval(el), 0, -31680, 31680, per_point=20, what="w:spacing") / 20
        elif name in ("outline", "emboss", "imprint", "shadow") and on(el):
            raise DocxRefused(pkg.name, place, msg.EFFET_TEXTE_NON_PRIS.format(name=name))
        elif name in RPR_IGNORED or name in ("ins", "del"):
            continue
        else:
            raise DocxRefused(pkg.name, place, msg.MISE_FORME_TEXTE_INCONNUE.format(name=name))
    return out


def symbol_font(props: Props) -> str:
    """The decorative (symbol) font a run's letters would be drawn in by Word, '' if none."""
    for attr in FONT_ATTRS:
        font = str(props.get(f"font_{attr}", ""))
        if font.strip().lower() in SYMBOL_FONTS:
            return font
    return ""


def parse_ppr(ppr: etree._Element | None, pkg: Package, place: str) -> Props:
    out: Props = {}
    if ppr is None:
        return out
    for el in ppr:
        name = local(el)
        if not name:
            continue
        refuse_revision(el, pkg, place)
        if name == "framePr":
            raise DocxRefused(pkg.name, place, msg.CADRE_FRAMEPR_DEPLACE_TEXTE)
        if name in ("keepNext", "keepLines", "pageBreakBefore", "contextualSpacing"):
            out[name] = on(el)
        elif name == "jc":
            out["jc"] = {"both": "justify", "distribute": "justify", "center": "center",
                         "right": "right", "end": "right"}.get(wval(el), "left")
        elif name == "spacing":
            for key in ("before", "after"):
                if el.get(q(key)) is not None:
                    out[key] = num(el.get(q(key)), 0, 0, 31680, per_point=20,
                                   what=f"w:spacing/@w:{key}") / 20
            if el.get(q("line")) is not None:
                rule = el.get(q("lineRule"), "auto")
                value = num(el.get(q("line")), 240, 0, 31680, per_point=20,
                            what="w:spacing/@w:line")
                out["line"] = (value / 240, 0.0) if rule == "auto" else (1.0, value / 20)
                out["line_rule"] = rule
        elif name == "ind":
            for key, attrs in (("left", ("left", "start")), ("right", ("right", "end"))):
                for a in attrs:
                    if el.get(q(a)) is not None:
                        out[key] = num(el.get(q(a)), 0, -31680, 31680, per_point=20,
                                       what=f"w:ind/@w:{a}") / 20
            if el.get(q("hanging")) is not None:
                out["first"] = -num(el.get(q("hanging")), 0, -31680, 31680, per_point=20,
                                    what="w:ind/@w:hanging") / 20
            elif el.get(q("firstLine")) is not None:
                out["first"] = num(el.get(q("firstLine")), 0, -31680, 31680, per_point=20,
                                   what="w:ind/@w:firstLine") / 20
        elif name == "outlineLvl":
            out["outline"] = integer(wval(el), 9, 0, 9, "w:outlineLvl")
        elif name == "pStyle":
            out["pStyle"] = wval(el)
        elif name == "numPr":
            for child in el:
                refuse_revision(child, pkg, place)
                if local(child) == "numId":
                    out["numId"] = wval(child)
                elif local(child) == "ilvl":
                    out["ilvl"] = integer(wval(child), 0, 0, 8, "w:ilvl")
        elif name == "shd":
            out["shd"] = fill_of(el, pkg)
        elif name == "pBdr":
            for side in el:
                if local(side) in ("top", "bottom"):
                    out[f"border_{local(side)}"] = None if wval(side) in ("nil", "none") else (
                        max(num(side.get(q("sz")), 4, 0, 96, what="w:sz") / 8, 0.25),
                        colour(side, pkg, msg.COULEUR_BORDURE, "color") or "000000",
                        num(side.get(q("space")), 0, 0, 31, what="w:space"))
        elif name == "rPr":  # the paragraph mark: only its revisions matter
            for child in el:
                refuse_revision(child, pkg, place)
            mark = parse_rpr(el, pkg, place)
            if "sz" in mark:
                out["mark_sz"] = mark["sz"]
            out["mark"] = mark
        elif name in PPR_IGNORED or name == "sectPr":
            continue
        else:
            raise DocxRefused(pkg.name, place, msg.PROPRIETE_PARAGRAPHE_INCONNUE_W.format(
                name=name))
    return out


@contextmanager
def at(pkg: Package, place: str) -> Iterator[None]:
    """A value refused (BadValue) while reading `place` becomes DocxRefused naming that place."""
    try:
        yield
    except BadValue as exc:
        raise DocxRefused(pkg.name, place, exc.what) from None


# Conditional formats of a table style, and the w:tblLook flag that switches each on.
CONDITIONS = {"firstRow": "firstRow", "lastRow": "lastRow", "firstCol": "firstColumn",
              "lastCol": "lastColumn", "band1Horz": "hband", "band2Horz": "hband",
              "band1Vert": "vband", "band2Vert": "vband", "neCell": "corner", "nwCell": "corner",
              "seCell": "corner", "swCell": "corner"}
LOOK_BITS = {"firstRow": 0x20, "lastRow": 0x40, "firstColumn": 0x80, "lastColumn": 0x100,
             "noHBand": 0x200, "noVBand": 0x400}


def table_look(look: etree._Element | None) -> set[str]:
    """The conditional formats a table turns on (w:tblLook; absent: Word's default 04A0)."""
    flags: dict[str, bool] = {}
    bits = 0x04A0
    if look is not None:
        raw = look.get(q("val"))
        if raw is not None:
            if not raw or len(raw) > 4 or any(c not in "0123456789abcdefABCDEF" for c in raw):
                raise BadValue(msg.VALEUR_NUMERIQUE_ILLISIBLE.format(value=show(raw),
                                                                    what="w:tblLook"))
            bits = int(raw, 16)
        for key, bit in LOOK_BITS.items():
            flags[key] = bool(bits & bit)
            if look.get(q(key)) is not None:
                flags[key] = on_value(look.get(q(key), ""))
    else:
        flags = {key: bool(bits & bit) for key, bit in LOOK_BITS.items()}
    out = {k for k in ("firstRow", "lastRow", "firstColumn", "lastColumn") if flags[k]}
    if not flags["noHBand"]:
        out.add("hband")
    if not flags["noVBand"]:
        out.add("vband")
    if ({"firstRow", "lastRow"} & out) and ({"firstColumn", "lastColumn"} & out):
        out.add("corner")
    return out


def on_value(value: str) -> bool:
    return value.lower() not in ("0", "false", "off", "none")


class Styles:
    """styles.xml resolved: a style's properties are its ancestors' overridden by its own."""

    def __init__(self, pkg: Package, part: str | None) -> None:
        self.pkg = pkg
        self.raw: dict[str, tuple[str, str, str, Props, Props]] = {}  # id → type, name, base, p, r
        self.default_p: Props = {}
        self.default_r: Props = {"sz": 10.0}
        self.default_para = ""
        self.default_char = ""
        self.default_table = ""
        self.language = ""
        self.table_styles: dict[str, etree._Element] = {}
        self._para: dict[tuple[str, str], tuple[Props, Props]] = {}
        self._tables: dict[tuple[str, frozenset[str]], tuple[Props, Props, str, str]] = {}
        self._elements: dict[str, etree._Element] = {}
        self._levels: dict[str, int] = {}
        self._chains: dict[str, list[str]] = {}
        self._chars: dict[str, Props] = {}
        if part is None:
            return
        root = pkg.xml(part, "styles")
        refuse_revisions_in(root, pkg, msg.STYLES_DOCUMENT)
        defaults = root.find(q("docDefaults"))
        if defaults is not None:
            rpr = defaults.find(f"{q('rPrDefault')}/{q('rPr')}")
            ppr = defaults.find(f"{q('pPrDefault')}/{q('pPr')}")
            with at(pkg, msg.STYLES_VALEURS_DEFAUT):
                self.default_r.update(parse_rpr(rpr, pkg, msg.STYLES_VALEURS_DEFAUT))
                self.default_p.update(parse_ppr(ppr, pkg, msg.STYLES_VALEURS_DEFAUT))
            lang = defaults.find(f"{q('rPrDefault')}/{q('rPr')}/{q('lang')}")
            self.language = lang.get(q("val"), "") if lang is not None else ""
        for st in root.iter(q("style")):
            sid = st.get(q("styleId"), "")
            kind = st.get(q("type"), "paragraph")
            name_el = st.find(q("name"))
            name = wval(name_el) if name_el is not None else sid
            place = msg.PLACE_STYLE.format(name=name)
            if sid in self.raw:  # Word and LibreOffice may not keep the same one
                raise DocxRefused(pkg.name, place, msg.STYLE_EN_DOUBLE.format(sid=show(sid)))
            base_el = st.find(q("basedOn"))
            base = wval(base_el) if base_el is not None else ""
            is_default = st.get(q("default")) in ("1", "true")
            if kind == "table":
                self.table_styles[sid] = st
                for el in st.iter(q("vanish"), q("specVanish")):
                    if on(el):
                        raise DocxRefused(pkg.name, place, msg.TEXTE_MASQUE)
                self.raw[sid] = (kind, name, base, {}, {})
                if is_default:
                    self.default_table = sid
                continue
            self.raw[sid] = (kind, name, base, {}, {})
            self._elements[sid] = st  # parsed when a paragraph or run uses it
            if is_default and kind == "paragraph":
                self.default_para = sid
            if is_default and kind == "character":
                self.default_char = sid

    def name(self, sid: str) -> str:
        return self.raw[sid][1] if sid in self.raw else sid

    def own(self, sid: str) -> tuple[Props, Props]:
        """A style's own (paragraph, run) properties, checked against the allow-list."""
        st = self._elements.pop(sid, None)
        if st is not None:
            kind, name, base, _, _ = self.raw[sid]
            place = msg.PLACE_STYLE.format(name=name)
            with at(self.pkg, place):
                self.raw[sid] = (kind, name, base, parse_ppr(st.find(q("pPr")), self.pkg, place),
                                 parse_rpr(st.find(q("rPr")), self.pkg, place))
        return self.raw[sid][3], self.raw[sid][4]

    def origin(self, sid: str, key: str) -> str:
        """Name of the style of the chain that sets a run property (« Normal », « Corps »…)."""
        found = ""
        for s in self.chain(sid):
            if key in self.own(s)[1]:
                found = self.raw[s][1]
        return found or self.name(sid)

    def chain(self, sid: str) -> list[str]:
        """The style and its ancestors, the root first (a loop ends the chain; a chain deeper
        than Word would make is refused)."""
        cached = self._chains.get(sid)
        if cached is not None:
            return cached
        seen: list[str] = []
        marks: set[str] = set()
        start = sid
        while sid and sid in self.raw and sid not in marks:
            seen.append(sid)
            marks.add(sid)
            if len(seen) > MAX_STYLE_DEPTH:
                raise DocxRefused(self.pkg.name, msg.PLACE_STYLE.format(name=self.name(start)),
                                  msg.STYLES_TROP_IMBRIQUES.format(max=MAX_STYLE_DEPTH))
            sid = self.raw[sid][2]
        self._chains[start] = out = list(reversed(seen))
        return out

    def para(self, sid: str, table_r: Props | None = None, table_key: str = "") -> tuple[Props, Props]:
        """(paragraph props, run props) of a paragraph style, inherited (fresh copies). In a
        table, the table style's run properties come between the document defaults and the
        paragraph style (Word's order: defaults, table, numbering, paragraph, run, direct)."""
        cached = self._para.get((sid, table_key))
        if cached is None:
            p, r = dict(self.default_p), dict(self.default_r)
            r.update(table_r or {})
            for s in self.chain(sid or self.default_para):
                own_p, own_r = self.own(s)
                p.update(own_p)
                r.update(own_r)
            cached = self._para[(sid, table_key)] = (p, r)
        return dict(cached[0]), dict(cached[1])

    def char(self, sid: str) -> Props:
        cached = self._chars.get(sid)
        if cached is None:
            cached = {}
            for s in self.chain(sid):
                cached.update(self.own(s)[1])
            self._chars[sid] = cached
        return dict(cached)

    def table(self, sid: str, look: set[str]) -> tuple[Props, Props, str, str]:
        """A table style's (paragraph props, run props, cell shading, table shading), its chain
        merged. A conditional format the table turns on (first row, bands…) that changes
        text or shading is refused: it applies to some cells only, which is not modelled."""
        key = (sid, frozenset(look))
        if key in self._tables:
            return self._tables[key]
        p: Props = {}
        r: Props = {}
        cell_fill = table_fill = ""
        for s in self.chain(sid or self.default_table):
            st = self.table_styles.get(s)
            if st is None:
                continue
            place = msg.PLACE_STYLE.format(name=self.raw[s][1])
            with at(self.pkg, place):
                pieces = [st] + [c for c in st.iter(q("tblStylePr"))
                                 if c.get(q("type")) == "wholeTable"]
                for piece in pieces:
                    p.update(parse_ppr(piece.find(q("pPr")), self.pkg, place))
                    r.update(parse_rpr(piece.find(q("rPr")), self.pkg, place))
                    shd = piece.find(f"{q('tcPr')}/{q('shd')}")
                    if shd is not None:
                        cell_fill = fill_of(shd, self.pkg)
                    shd = piece.find(f"{q('tblPr')}/{q('shd')}")
                    if shd is not None:
                        table_fill = fill_of(shd, self.pkg)
                for cond in st.iter(q("tblStylePr")):
                    kind = cond.get(q("type"), "")
                    if kind == "wholeTable" or CONDITIONS.get(kind, kind) not in look:
                        continue
                    formats = [c for c in cond if local(c) in ("rPr", "pPr")
                               and len(c)] + list(cond.iter(q("shd")))
                    if formats:
                        raise DocxRefused(self.pkg.name, place,
                                          msg.STYLE_TABLEAU_CONDITIONNEL.format(kind=show(kind)))
        p.pop("numId", None)
        self._tables[key] = (p, r, cell_fill, table_fill)
        return self._tables[key]

    def heading_level(self, sid: str) -> int:
        """Outline level from the style chain (Heading N, Titre N, outlineLvl)."""
        if sid not in self._levels:
            self._levels[sid] = self._heading_level(sid)
        return self._levels[sid]

    def _heading_level(self, sid: str) -> int:
        p, _ = self.para(sid)
        if "outline" in p and p["outline"] < 9:
            return int(p["outline"]) + 1
        for s in reversed(self.chain(sid)):
            name = self.raw[s][1].lower()
            for prefix in ("heading ", "titre "):
                if name.startswith(prefix) and name[len(prefix):].isdigit():
                    return int(name[len(prefix):])
        return 0


FORMATS = {"decimal", "lowerLetter", "upperLetter", "lowerRoman", "upperRoman", "bullet", "none",
           "decimalZero"}
MAX_START = 32767  # Word's own bound on a list's start
MAX_LABEL = 255  # characters of a list label's pattern (w:lvlText)
MAX_STYLE_DEPTH = 100  # styles based on one another


@dataclass(frozen=True)
class Level:
    fmt: str
    text: str
    start: int
    rpr: Props


class Numbering:
    """numbering.xml: the label Word draws before a list paragraph. Word counts per abstract
    list: two lists (w:num) sharing one abstract definition continue each other's numbers,
    unless one restarts a level (w:lvlOverride/w:startOverride) or redefines it (w:lvl)."""

    def __init__(self, pkg: Package, part: str | None, styles: Styles | None = None) -> None:
        self.indents: dict[tuple[str, int], Props] = {}
        self.nums: dict[str, tuple[str, dict[int, Level], dict[int, int]]] = {}
        self.values: dict[str, list[int | None]] = {}
        self.started: set[str] = set()
        if part is None:
            return
        root = pkg.xml(part, "numérotation")
        refuse_revisions_in(root, pkg, msg.NUMEROTATION_LISTES)
        with at(pkg, msg.NUMEROTATION_LISTES):
            self._read(pkg, root, styles)

    def _levels(self, pkg: Package, parent: etree._Element) -> tuple[dict[int, Level],
                                                                     dict[tuple[int], Props]]:
        lv: dict[int, Level] = {}
        indents: dict[tuple[int], Props] = {}
        for lvl in parent.findall(q("lvl")):
            fmt_el, text_el = lvl.find(q("numFmt")), lvl.find(q("lvlText"))
            start_el = lvl.find(q("start"))
            fmt = wval(fmt_el) if fmt_el is not None else "decimal"
            if fmt not in FORMATS:
                raise DocxRefused(pkg.name, msg.NUMEROTATION_LISTES,
                                  msg.FORMAT_NUMEROTATION_NON_PRIS.format(fmt=show(fmt)))
            rpr = parse_rpr(lvl.find(q("rPr")), pkg, msg.NUMEROTATION_LISTES)
            text = wval(text_el) if text_el is not None else ""
            if len(text) > MAX_LABEL:
                raise BadValue(msg.VALEUR_HORS_LIMITES.format(
                    value=show(text), what="w:lvlText", lo=0, hi=f"{MAX_LABEL} caractères"))
            if rpr.get("vanish"):
                fmt, text = "none", ""
            start = integer(wval(start_el) if start_el is not None else None, 1, 0, MAX_START,
                            "w:start")
            ilvl = integer(lvl.get(q("ilvl")), 0, 0, 8, "w:ilvl")
            lv[ilvl] = Level(fmt, text, start, rpr)
            ind = parse_ppr(lvl.find(q("pPr")), pkg, msg.NUMEROTATION_LISTES)
            indents[(ilvl,)] = {k: v for k, v in ind.items() if k in ("left", "first")}
        return lv, indents

    def _read(self, pkg: Package, root: etree._Element, styles: Styles | None) -> None:
        abstract: dict[str, tuple[dict[int, Level], dict[tuple[int], Props], str]] = {}
        for an in root.findall(q("abstractNum")):
            aid = an.get(q("abstractNumId"), "")
            if aid in abstract:
                raise BadValue(msg.NUMEROTATION_EN_DOUBLE.format(what="w:abstractNumId",
                                                                  value=show(aid)))
            link = an.find(q("numStyleLink"))
            lv, ind = self._levels(pkg, an)
            abstract[aid] = (lv, ind, wval(link) if link is not None else "")
        nums: dict[str, etree._Element] = {}
        for n in root.findall(q("num")):
            nid = n.get(q("numId"), "")
            if nid in nums:
                raise BadValue(msg.NUMEROTATION_EN_DOUBLE.format(what="w:numId", value=show(nid)))
            nums[nid] = n

        def target(aid: str, depth: int = 0) -> str:
            """An abstract list defined by a numbering style (numStyleLink): the list of the
            style's own w:num."""
            link = abstract.get(aid, ({}, {}, ""))[2]
            if not link or depth > 3 or styles is None:
                return aid
            nid = str(styles.own(link)[0].get("numId", "")) if link in styles.raw else ""
            ref = nums[nid].find(q("abstractNumId")) if nid in nums else None
            return target(wval(ref), depth + 1) if ref is not None else aid

        for nid, n in nums.items():
            ref = n.find(q("abstractNumId"))
            if ref is None:
                continue
            aid = target(wval(ref))
            levels, indents, _ = abstract.get(aid, ({}, {}, ""))
            levels = dict(levels)
            starts: dict[int, int] = {}
            for over in n.findall(q("lvlOverride")):
                ilvl = integer(over.get(q("ilvl")), 0, 0, 8, "w:ilvl")
                start = over.find(q("startOverride"))
                if start is not None:
                    starts[ilvl] = integer(wval(start), 0, 0, MAX_START, "w:startOverride")
                if over.find(q("lvl")) is not None:
                    own, own_ind = self._levels(pkg, over)
                    levels.update(own)
                    for (k,), v in own_ind.items():
                        self.indents[(nid, k)] = v
            self.nums[nid] = (aid, levels, starts)
            for (ilvl,), level_indent in indents.items():
                self.indents.setdefault((nid, ilvl), level_indent)

    def level(self, num_id: str, ilvl: int) -> Level | None:
        entry = self.nums.get(num_id)
        return entry[1].get(ilvl) if entry and num_id != "0" else None

    def label(self, num_id: str, ilvl: int) -> str:
        entry = self.nums.get(num_id)
        if not entry or num_id == "0" or ilvl not in entry[1]:
            return ""
        aid, levels, starts = entry
        values = self.values.setdefault(aid, [None] * 9)
        if num_id not in self.started:  # a list that restarts a level does so where it begins
            self.started.add(num_id)
            for k, start in starts.items():
                values[k] = start - 1
        current = values[ilvl]
        values[ilvl] = levels[ilvl].start if current is None else current + 1
        for deeper in range(ilvl + 1, 9):
            values[deeper] = None
        lvl = levels[ilvl]
        if lvl.fmt == "none":
            return lvl.text if "%" not in lvl.text else ""
        if lvl.fmt == "bullet":
            if not lvl.text or symbol_font(lvl.rpr) or any(0xF000 <= ord(c) <= 0xF0FF
                                                           for c in lvl.text):
                return "•"
            return lvl.text
        text = lvl.text
        for k in range(ilvl + 1):
            f = levels[k].fmt if k in levels else "decimal"
            start = levels[k].start if k in levels else 1
            value = values[k]
            text = text.replace(f"%{k + 1}", _format(f, start if value is None else value))
        return text


def _format(fmt: str, n: int) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        if n <= 0:
            return ""
        s = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return s.upper() if fmt == "upperLetter" else s
    if fmt in ("lowerRoman", "upperRoman"):
        if n <= 0:
            return ""
        values = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                  (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
        out: list[str] = []
        rest = n
        for v, s in values:
            count, rest = divmod(rest, v)
            out.append(s * count)
        return "".join(out).upper() if fmt == "upperRoman" else "".join(out)
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)
