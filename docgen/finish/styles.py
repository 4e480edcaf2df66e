"""Paragraph and run properties against an allow-list, style inheritance, list numbering."""

from __future__ import annotations

from typing import Any

from lxml import etree

from .package import DocxRefused, Package, W
from .. import messages as msg

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


def num(value: str, default: float = 0.0) -> float:
    try:
        return float(value)
    except ValueError:
        return default


# Tracked changes and comments, wherever they appear: the user's words for each.
REVISIONS = msg.REVISIONS
REVIEW_ADVICE = msg.REVIEW_ADVICE

# Run properties: what is kept, what is ignored because it does not change the words seen.
RPR_KEPT = {"b", "i", "u", "strike", "dstrike", "vertAlign", "caps", "smallCaps", "color", "sz",
            "highlight", "shd", "vanish", "specVanish", "webHidden", "rStyle"}
RPR_IGNORED = {"rFonts", "bCs", "iCs", "szCs", "lang", "noProof", "kern", "position",
               "w", "cs", "rtl", "eastAsianLayout", "em", "bdr", "snapToGrid", "oMath", "fitText",
               "effect", "emboss", "imprint", "outline", "shadow", "specVanish"}
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


def fill_of(shd: etree._Element) -> str:
    fill = shd.get(q("fill"), "").upper()
    pattern = wval(shd)
    if pattern not in ("", "clear", "nil") and shd.get(q("color"), "auto") not in ("auto", ""):
        return ""  # a patterned shading: its colour is not one flat fill
    return fill if len(fill) == 6 and fill != "AUTO" else ""


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
        elif name in ("b", "i", "caps", "smallCaps", "strike", "dstrike"):
            key = {"dstrike": "strike"}.get(name, name)
            out[key] = on(el)
        elif name == "u":
            out["u"] = wval(el) not in ("none", "")
        elif name == "vertAlign":
            out["vert"] = {"superscript": "superscript", "subscript": "subscript"}.get(wval(el), "")
        elif name == "color":
            value = wval(el).upper()
            out["color"] = value if len(value) == 6 and value != "AUTO" else ""
        elif name == "sz":
            out["sz"] = num(wval(el), 20) / 2
        elif name == "highlight":
            out["highlight"] = COLORS.get(wval(el), "")
        elif name == "shd":
            out["shd"] = fill_of(el)
        elif name == "rStyle":
            out["rStyle"] = wval(el)
        elif name == "spacing":
            out["tracking"] = num(wval(el)) / 20
        elif name in ("outline", "emboss", "imprint", "shadow") and on(el):
            raise DocxRefused(pkg.name, place, msg.EFFET_TEXTE_NON_PRIS.format(name=name))
        elif name in RPR_IGNORED or name in ("ins", "del"):
            continue
        else:
            raise DocxRefused(pkg.name, place, msg.MISE_FORME_TEXTE_INCONNUE.format(name=name))
    return out


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
                    out[key] = num(el.get(q(key), "0")) / 20
            if el.get(q("line")) is not None:
                rule = el.get(q("lineRule"), "auto")
                value = num(el.get(q("line"), "240"), 240)
                out["line"] = (value / 240, 0.0) if rule == "auto" else (1.0, value / 20)
        elif name == "ind":
            for key, attrs in (("left", ("left", "start")), ("right", ("right", "end"))):
                for a in attrs:
                    if el.get(q(a)) is not None:
                        out[key] = num(el.get(q(a), "0")) / 20
            if el.get(q("hanging")) is not None:
                out["first"] = -num(el.get(q("hanging"), "0")) / 20
            elif el.get(q("firstLine")) is not None:
                out["first"] = num(el.get(q("firstLine"), "0")) / 20
        elif name == "outlineLvl":
            out["outline"] = int(num(wval(el), 9))
        elif name == "pStyle":
            out["pStyle"] = wval(el)
        elif name == "numPr":
            for child in el:
                refuse_revision(child, pkg, place)
                if local(child) == "numId":
                    out["numId"] = wval(child)
                elif local(child) == "ilvl":
                    out["ilvl"] = int(num(wval(child)))
        elif name == "shd":
            out["shd"] = fill_of(el)
        elif name == "pBdr":
            for side in el:
                if local(side) in ("top", "bottom"):
                    color = side.get(q("color"), "000000").upper()
                    out[f"border_{local(side)}"] = None if wval(side) in ("nil", "none") else (
                        max(num(side.get(q("sz"), "4")) / 8, 0.25),
                        color if len(color) == 6 and color != "AUTO" else "000000",
                        num(side.get(q("space"), "0")))
        elif name == "rPr":  # the paragraph mark: only its revisions matter
            for child in el:
                refuse_revision(child, pkg, place)
            mark = parse_rpr(el, pkg, place)
            if "sz" in mark:
                out["mark_sz"] = mark["sz"]
        elif name in PPR_IGNORED or name == "sectPr":
            continue
        else:
            raise DocxRefused(pkg.name, place, msg.PROPRIETE_PARAGRAPHE_INCONNUE_W.format(
                name=name))
    return out


class Styles:
    """styles.xml resolved: a style's properties are its ancestors' overridden by its own."""

    def __init__(self, pkg: Package, part: str | None) -> None:
        self.pkg = pkg
        self.raw: dict[str, tuple[str, str, str, Props, Props]] = {}  # id → type, name, base, p, r
        self.default_p: Props = {}
        self.default_r: Props = {"sz": 10.0}
        self.default_para = ""
        self.default_char = ""
        self.table_styles: dict[str, etree._Element] = {}
        self._para: dict[str, tuple[Props, Props]] = {}
        self._elements: dict[str, etree._Element] = {}
        self._levels: dict[str, int] = {}
        if part is None:
            return
        root = pkg.xml(part, "styles")
        refuse_revisions_in(root, pkg, msg.STYLES_DOCUMENT)
        defaults = root.find(q("docDefaults"))
        if defaults is not None:
            rpr = defaults.find(f"{q('rPrDefault')}/{q('rPr')}")
            ppr = defaults.find(f"{q('pPrDefault')}/{q('pPr')}")
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
            base_el = st.find(q("basedOn"))
            base = wval(base_el) if base_el is not None else ""
            if kind == "table":
                self.table_styles[sid] = st
                for el in st.iter(q("vanish"), q("specVanish")):
                    if on(el):
                        raise DocxRefused(pkg.name, place, msg.TEXTE_MASQUE)
                self.raw[sid] = (kind, name, base, {}, {})
                continue
            self.raw[sid] = (kind, name, base, {}, {})
            self._elements[sid] = st  # parsed when a paragraph or run uses it
            if st.get(q("default")) in ("1", "true") and kind == "paragraph":
                self.default_para = sid
            if st.get(q("default")) in ("1", "true") and kind == "character":
                self.default_char = sid

    def name(self, sid: str) -> str:
        return self.raw[sid][1] if sid in self.raw else sid

    def own(self, sid: str) -> tuple[Props, Props]:
        """A style's own (paragraph, run) properties, checked against the allow-list."""
        st = self._elements.pop(sid, None)
        if st is not None:
            kind, name, base, _, _ = self.raw[sid]
            place = msg.PLACE_STYLE.format(name=name)
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
        seen: list[str] = []
        while sid and sid in self.raw and sid not in seen:
            seen.append(sid)
            sid = self.raw[sid][2]
        return list(reversed(seen))

    def para(self, sid: str) -> tuple[Props, Props]:
        """(paragraph props, run props) of a paragraph style, inherited (fresh copies)."""
        cached = self._para.get(sid)
        if cached is None:
            p, r = dict(self.default_p), dict(self.default_r)
            for s in self.chain(sid or self.default_para):
                own_p, own_r = self.own(s)
                p.update(own_p)
                r.update(own_r)
            cached = self._para[sid] = (p, r)
        return dict(cached[0]), dict(cached[1])

    def char(self, sid: str) -> Props:
        r: Props = {}
        for s in self.chain(sid):
            r.update(self.own(s)[1])
        return r

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


class Numbering:
    """numbering.xml: the label Word draws before a list paragraph."""

    def __init__(self, pkg: Package, part: str | None) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.indents: dict[tuple[str, int], Props] = {}
        self.counters: dict[str, list[int]] = {}
        if part is None:
            return
        root = pkg.xml(part, "numérotation")
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        indents: dict[tuple[str, int], Props] = {}
        refuse_revisions_in(root, pkg, msg.NUMEROTATION_LISTES)
        for an in root.iter(q("abstractNum")):
            lv: dict[int, tuple[str, str, int]] = {}
            for lvl in an.iter(q("lvl")):
                fmt_el, text_el, start_el = lvl.find(q("numFmt")), lvl.find(q("lvlText")), lvl.find(q("start"))
                fmt = wval(fmt_el) if fmt_el is not None else "decimal"
                if fmt not in FORMATS:
                    raise DocxRefused(pkg.name, msg.NUMEROTATION_LISTES,
                                      msg.FORMAT_NUMEROTATION_NON_PRIS.format(fmt=fmt))
                rpr = parse_rpr(lvl.find(q("rPr")), pkg, msg.NUMEROTATION_LISTES)
                text = wval(text_el) if text_el is not None else ""
                if rpr.get("vanish"):
                    fmt, text = "none", ""
                start = int(num(wval(start_el), 1)) if start_el is not None else 1
                ilvl = int(num(lvl.get(q("ilvl"), "0")))
                lv[ilvl] = (fmt, text, start)
                ind = parse_ppr(lvl.find(q("pPr")), pkg, msg.NUMEROTATION_LISTES)
                indents[(an.get(q("abstractNumId"), ""), ilvl)] = {
                    k: v for k, v in ind.items() if k in ("left", "first")}
            abstract[an.get(q("abstractNumId"), "")] = lv
        for n in root.iter(q("num")):
            ref = n.find(q("abstractNumId"))
            if ref is not None:
                self.levels[n.get(q("numId"), "")] = abstract.get(wval(ref), {})
                for (aid, ilvl), ind in indents.items():
                    if aid == wval(ref):
                        self.indents[(n.get(q("numId"), ""), ilvl)] = ind

    def label(self, num_id: str, ilvl: int) -> str:
        levels = self.levels.get(num_id)
        if not levels or num_id == "0" or ilvl not in levels:
            return ""
        counts = self.counters.setdefault(num_id, [0] * 10)
        counts[ilvl] += 1
        for deeper in range(ilvl + 1, 10):
            counts[deeper] = 0
        fmt, text, _ = levels[ilvl]
        if fmt == "none":
            return text if "%" not in text else ""
        if fmt == "bullet":
            return "•" if not text or any(0xF000 <= ord(c) <= 0xF0FF for c in text) else text
        for level in range(ilvl + 1):
            f, _, start = levels.get(level, ("decimal", "", 1))
            value = counts[level] + start - 1 if level < ilvl else counts[ilvl] + start - 1
            text = text.replace(f"%{level + 1}", _format(f, max(value, start)))
        return text


def _format(fmt: str, n: int) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        s = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return s.upper() if fmt == "upperLetter" else s
    if fmt in ("lowerRoman", "upperRoman"):
        values = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                  (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
        out, rest = "", n
        for v, s in values:
            while rest >= v:
                out, rest = out + s, rest - v
        return out.upper() if fmt == "upperRoman" else out
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)
