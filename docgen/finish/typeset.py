"""The reader's tree → Typst markup → PDF, in process (the `typst` binding).

Every text node is emitted as an escaped Typst string literal (`#"…"`): user text is never
parsed as markup. Fonts come from the folder given (Liberation Sans, shipped with docgen) and
system fonts are ignored; the document date is the DOCX's `created` date, so the same DOCX gives
the same bytes. The PDF is tagged, in the DOCX's language (French hyphenation), and PDF/A-2b:
the archival level for a signed act (PDF/A-2 allows signatures and transparency); unlike
PDF/A-3, PDF/A-2 cannot carry attached files of any kind, so nothing but the text and images we
typeset can travel in a signature-ready PDF.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final

from . import model as m
from .values import TypesetError, lang, number, pt, rgb, s

PDF_STANDARD: Final = "a-2b"  # Final: typed as the literal typst asks
FONT = "Liberation Sans"
# For the scripts and signs Liberation Sans lacks (Arabic, Hebrew, Greek extended, arrows…);
# shipped beside it, so no machine font is ever used.
FALLBACK = "DejaVu Sans"
LINE = 1.1515  # Word's single line for Arial/Liberation Sans, in em
EDGE = 1.0  # Typst line box: top-edge 0.8em, bottom-edge -0.2em
FIELD_WIDTH = 209.8  # 7.4 cm, the signature field (≥ 6 cm)
FIELD_MIN_WIDTH = 170.1  # 6 cm: in a narrower column the field is 6 cm all the same
FIELD_HEIGHT = 79.4  # 2.8 cm (≥ 2.5 cm): the space left above the signatory's name
SIG_LABEL = "docgen-sig"
ANCHOR = "\ue000docgen-champ:"  # title prefix of the hidden bookmarks that carry field positions
SECTION_LABEL = "docgen-section-"
# A superscript (« 1er ») or subscript as Word draws it, never taller than the line: the
# font's own superscript letters (which Liberation Sans lacks for most) are not used
VERTICAL = "typographic: false, size: 0.65em"


_LONG_WORD = re.compile(r"\S{30}(?=\S)")


def breakable(text: str) -> str:
    """A word too long for a line gets a break opportunity (a zero-width space, invisible and
    ignored by the parity check) every 30 characters: Typst would let it run off the page."""
    return _LONG_WORD.sub(lambda m: m.group(0) + "\u200b", text)


@dataclass(frozen=True)
class SignatureBlock:
    name: str  # field name, from the bookmark (Signature_Etat…)
    start: int  # index of the first paragraph in the section's blocks
    end: int  # exclusive
    gap_before: int  # index of the paragraph the field sits above (the signatory's name)


def signature_blocks(blocks: tuple[m.Block, ...]) -> list[SignatureBlock]:
    """A bookmark Signature_* opens a block; it runs over the following « Signature … »
    paragraphs; the field goes above « Signature nom » (or after the block). The bookmark may
    be on the name itself: the titles are then in a row of their own above (the names of a row
    of two blocks level whatever the number of title lines), and the field opens the block."""
    out: list[SignatureBlock] = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        names = [n for n in getattr(b, "bookmarks", ()) if n.startswith("Signature_")]
        if isinstance(b, m.Paragraph) and names:
            j = i + 1
            while j < len(blocks):
                nxt = blocks[j]
                if not (isinstance(nxt, m.Paragraph) and nxt.style_name.startswith("Signature")
                        and not any(n.startswith("Signature_") for n in nxt.bookmarks)):
                    break
                j += 1
            gap = next((k for k in range(i, j)
                        if getattr(blocks[k], "style_name", "") == "Signature nom"), j)
            out.append(SignatureBlock(names[0], i, j, gap))
            i = j
        else:
            i += 1
    return out


def all_signature_blocks(blocks: tuple[m.Block, ...]) -> list[SignatureBlock]:
    """The signature blocks of a flow and of its tables' cells (two blocks per row from four
    signatories), in reading order: row by row, left to right — the signing order."""
    out = signature_blocks(blocks)
    starts = {b.start: b for b in out}
    found: list[SignatureBlock] = []
    for k, b in enumerate(blocks):
        if k in starts:
            found.append(starts[k])
        elif isinstance(b, m.Table):
            for row in b.rows:
                for cell in row.cells:
                    found.extend(all_signature_blocks(cell.blocks))
    return found


def is_signature_table(t: m.Table) -> bool:
    return any(signature_blocks(c.blocks) for r in t.rows for c in r.cells)


def field_names(doc: m.Document) -> list[str]:
    """The signature fields a PDF of this document carries, in signing order: one per
    Signature_* bookmark (a document never signed has none; see docgen/signatures.py)."""
    return [b.name for sec in doc.sections for b in all_signature_blocks(sec.blocks)]


class Emitter:
    def __init__(self, doc: m.Document) -> None:
        """The frame page 1 of an act keeps for the prefecture's stamp is the DOCX's own (a
        table the templates write when the territory chooses it: territoire.yaml,
        mise_en_page.cadre_accuse_reception), typeset like any other."""
        self.doc = doc
        self.out: list[str] = []
        self.at_start = False
        self.nonce = nonce(doc)
        self.formats: dict[tuple[object, ...], str] = {}
        self.preamble: list[str] = []
        # Every heading emitted, in order: (level, bookmarked), and the footnotes so far; what
        # a document typeset in chunks (chunks.py) needs to rebuild its outline and numbering.
        self.headings: list[tuple[int, bool]] = []
        self.footnotes = 0
        # chunks.py: a table cell of one paragraph of a plain look is laid out without the
        # paragraph's block (same layout, ≈ 20 % less memory in Typst); off by default, so
        # that the markup of every other document stays as it was.
        self.light_cells = False
        self.plain_looks: dict[str, str] = {}  # fN → the rules of its block's content
        self.light: set[str] = set()
        # tables of the body's own flow (not in a cell, a note, a header or a footer) keep
        # their first and last rows together (typeset_tables.table)
        self.in_body = False
        self.nested = 0

    # signature blocks, for typeset_tables (which must not import this module)
    signature_blocks = staticmethod(signature_blocks)
    is_signature_table = staticmethod(is_signature_table)

    # ------------------------------------------------------------------ inline
    def inlines(self, items: tuple[m.Inline, ...], base: m.Style) -> str:
        parts: list[str] = []
        for i in items:
            if isinstance(i, m.Text):
                parts.append("#" + self.styled(s(breakable(i.text)), i.style, base, i.link))
            elif isinstance(i, m.Tab):
                parts.append("#h(2em)")
            elif isinstance(i, m.LineBreak):
                parts.append("#linebreak()")
            elif isinstance(i, m.PageField):
                expr = ("counter(page).display()" if i.kind == "PAGE"
                        else "str(counter(page).final().first())")
                parts.append("#" + self.styled(f"[#context {expr}]", i.style, base, ""))
            elif isinstance(i, m.Image):
                parts.append("#" + self.image(i))
            elif isinstance(i, m.NoteRef):
                self.footnotes += 1
                self.nested += 1
                try:
                    parts.append("#footnote[" + self.flow(i.blocks) + "]")
                finally:
                    self.nested -= 1
        return "".join(parts)

    def styled(self, expr: str, st: m.Style, base: m.Style, link: str) -> str:
        if st.caps:
            expr = f"upper({expr})"
        if st.smallcaps:
            expr = f"smallcaps({expr})"
        args = []
        if st.bold != base.bold:
            args.append(f'weight: "{"bold" if st.bold else "regular"}"')
        if st.italic != base.italic:
            args.append(f'style: "{"italic" if st.italic else "normal"}"')
        if st.color != base.color:
            args.append(f"fill: {rgb(st.color or '000000')}")
        if st.size != base.size:
            args.append(f"size: {pt(st.size)}")
        if st.tracking != base.tracking:
            args.append(f"tracking: {pt(st.tracking)}")
        if st.baseline:
            args.append(f"baseline: {pt(st.baseline)}")
        if args:
            expr = f"text({', '.join(args)}, {expr})"
        if st.underline:
            expr = f"underline({expr})"
        if st.strike:
            expr = f"strike({expr})"
        if st.vertical == "superscript":  # as Word draws it: 2/3 of the size, raised 1/3 em,
            expr = f"super({VERTICAL}, baseline: -0.33em, {expr})"  # within the line's height
        elif st.vertical == "subscript":
            expr = f"sub({VERTICAL}, baseline: 0.14em, {expr})"
        if st.highlight:
            expr = f"highlight(fill: {rgb(st.highlight)}, {expr})"
        if link:
            expr = f"link({s(link)}, {expr})"
        return expr

    def image(self, img: m.Image) -> str:
        if img.kind == "svg":
            data = f"bytes({s(img.data.decode('utf-8', 'replace'))})"
        else:
            data = "bytes((" + ",".join(str(b) for b in img.data) + ",))"
        fmt = {"jpg": "jpg", "png": "png", "svg": "svg"}[img.kind]  # KeyError: a bug upstream
        return (f'box(image({data}, format: "{fmt}", width: {pt(img.width)}, '
                f"height: {pt(img.height)}, alt: {s(img.alt or 'image')}))")

    # ------------------------------------------------------------------ blocks
    def flow(self, blocks: tuple[m.Block, ...], signatures: list[SignatureBlock] | None = None,
             width: float = 0) -> str:
        return "\n".join(x for _, x in self.flow_pieces(blocks, signatures, width) if x)

    def flow_pieces(self, blocks: tuple[m.Block, ...],
                    signatures: list[SignatureBlock] | None = None,
                    width: float = 0) -> Iterator[tuple[int, str]]:
        """The flow as (index of its block, markup): the gap before each block, then the block
        (a signature group counts as the block it starts at)."""
        prev: m.Block | None = None
        sigs = {b.start: b for b in (signatures or [])}
        i = 0
        while i < len(blocks):
            if i in sigs:
                sb = sigs[i]
                group = blocks[sb.start:sb.end]
                yield i, self.gap(prev, group[0])
                yield i, self.signature(sb, group, width)
                prev = group[-1]
                i = sb.end
                continue
            b = blocks[i]
            yield i, self.gap(prev, b)
            yield i, self.paragraph(b) if isinstance(b, m.Paragraph) else self.table(b, width)
            prev = b
            i += 1

    def gap(self, prev: m.Block | None, cur: m.Block) -> str:
        before = cur.space_before if isinstance(cur, m.Paragraph) else 0.0
        after = prev.space_after if isinstance(prev, m.Paragraph) else 0.0
        brk = isinstance(cur, m.Paragraph) and cur.page_break_before and prev is not None
        if isinstance(prev, m.Paragraph) and isinstance(cur, m.Paragraph) and cur.contextual \
                and prev.style_name == cur.style_name:
            before = after = 0.0
        text = "#pagebreak(weak: true)\n" if brk else ""
        if prev is None and not brk:  # the document's first paragraph keeps its space before
            start, self.at_start = self.at_start, False
            return f"#v({pt(before)})" if before and start else text
        return text + (f"#v({pt(after + before)}, weak: true)" if after + before else "")

    def paragraph(self, p: m.Paragraph, gap_field: str = "") -> str:
        segments: list[list[m.Inline]] = [[]]
        for i in p.inlines:
            if isinstance(i, m.PageBreak):
                segments.append([])
            else:
                segments[-1].append(i)
        texts = [i for i in p.inlines if isinstance(i, m.Text)]
        base = texts[0].style if texts else m.Style(size=p.size)
        pieces = []
        for k, seg in enumerate(segments):
            if k:  # weak: a page break that ends a section adds no empty page
                pieces.append("#pagebreak(weak: true)")
            if not seg and (k or len(segments) > 1):
                continue
            pieces.append(self.par_block(p, tuple(seg), base, first=(k == 0)))
        return "\n".join(pieces)

    def par_block(self, p: m.Paragraph, items: tuple[m.Inline, ...], base: m.Style,
                  first: bool) -> str:
        size = max(base.size, 1.0)
        body = self.inlines(items, base)
        if p.label and first:  # the number sits in the hanging indent, like Word's tab after it
            hang = -p.indent_first if p.indent_first < 0 else 0
            look = p.label_style or base  # the paragraph mark's look, not its first word's
            label = self.styled(s(p.label), look, base, "")
            body = (f"#context {{ let w = measure([#{label}]).width; "
                    f"[#{label}#h(calc.max({pt(hang)} - w, {pt(size * 0.25)}))] }}" if hang > size
                    else "#" + self.styled(s(p.label + " "), look, base, "")) + body
        line = (p.line_exact / size if p.line_exact else p.line * LINE)
        number(line, 0, 1000)
        if not body.strip():
            return f"#v({pt(size * line)})"
        if p.heading:
            self.headings.append((min(p.heading, 6), p.bookmarked))
        return f"#{self.format_of(p, base, line)}[{body}]"

    def format_of(self, p: m.Paragraph, base: m.Style, line: float) -> str:
        """The name of a Typst function that lays out a paragraph of this look: one `#let`
        per distinct look in the preamble (styles map to rules once, content stays plain)."""
        left, first_indent = p.indent_left, p.indent_first
        key = (base.size, base.bold, base.italic, base.color, p.align, round(line, 3), left,
               first_indent, p.indent_right, p.keep_next, p.keep_lines, p.shading, p.heading,
               p.bookmarked, base.tracking, p.border_top, p.border_bottom)
        name = self.formats.get(key)
        if name is not None:
            return name
        name = self.formats[key] = f"f{len(self.formats)}"
        size = max(base.size, 1.0)
        text = (f"set text(size: {pt(size)}, weight: \"{'bold' if base.bold else 'regular'}\", "
                f"style: \"{'italic' if base.italic else 'normal'}\", "
                f"fill: {rgb(base.color or '000000')}, tracking: {pt(base.tracking)})")
        par = (f"set par(justify: {'true' if p.align == 'justify' else 'false'}, "
               f"leading: {number(max(line - EDGE, 0.0), 0, 1000)}em")
        if first_indent < 0:
            par += f", hanging-indent: {pt(-first_indent)}"
            left += first_indent
        elif first_indent > 0:
            par += f", first-line-indent: (amount: {pt(first_indent)}, all: true)"
        par += ")"
        align = {"justify": "left", "left": "left", "center": "center", "right": "right"}[p.align]
        # a real paragraph, so that its hanging or first-line indent applies (Typst lays out
        # a block's inline content without them unless it is a paragraph)
        content = "par(body)" if (first_indent or p.heading) else "body"
        if p.heading:
            content = (f"heading(level: {min(max(int(p.heading), 1), 6)}, outlined: false, bookmarked: "
                       f"{'true' if p.bookmarked else 'false'})[#{text}\n#body]")
        if left > 0 or p.indent_right > 0:
            content = f"pad(left: {pt(max(left, 0))}, right: {pt(max(p.indent_right, 0))}, {content})"
        args = ["width: 100%", "above: 0pt", "below: 0pt"]
        if p.keep_next or p.heading:  # a heading is never the last line of a page
            args.append("sticky: true")
        if p.keep_lines:
            args.append("breakable: false")
        if p.shading:
            args.append(f"fill: {rgb(p.shading)}")
        strokes, insets = [], []
        for side, border in (("top", p.border_top), ("bottom", p.border_bottom)):
            if border:  # Word draws a paragraph border `space` points from the text
                strokes.append(f"{side}: {pt(border[0])} + {rgb(border[1])}")
                insets.append(f"{side}: {pt(border[2] + border[0])}")
        if strokes:
            args += [f"stroke: ({', '.join(strokes)})", f"inset: ({', '.join(insets)})"]
        if args == ["width: 100%", "above: 0pt", "below: 0pt"]:
            self.plain_looks[name] = f"#{text}\n#{par}\n#set align({align})\n#{content}"
        self.preamble.append(f"#let {name}(body) = block({', '.join(args)})[#{text}\n#{par}\n"
                             f"#set align({align})\n#{content}]")
        return name

    def signature(self, sb: SignatureBlock, group: tuple[m.Block, ...], width: float = 0) -> str:
        """A block that never splits; the field above the signatory's name, as wide as the
        block allows (7.4 cm on a full line, the column's width in a two-column row)."""
        field = FIELD_WIDTH if not width else max(min(FIELD_WIDTH, width), FIELD_MIN_WIDTH)
        parts: list[str] = []
        prev: m.Block | None = None
        for k, b in enumerate(group, start=sb.start):
            assert isinstance(b, m.Paragraph)  # signature_blocks() groups paragraphs only
            if k == sb.gap_before:
                parts.append(self.gap(prev, m.Paragraph("", ())))
                parts.append(self.field_anchor(sb.name, max(b.space_before, FIELD_HEIGHT), field))
                parts.append(self.paragraph(b))
            else:
                parts.append(self.gap(prev, b))
                parts.append(self.paragraph(b))
            prev = b
        if sb.gap_before >= sb.end:
            parts.append(self.field_anchor(sb.name, FIELD_HEIGHT, field))
        return "#block(width: 100%, breakable: false, above: 0pt, below: 0pt)[\n" + \
            "\n".join(x for x in parts if x) + "]"

    def field_anchor(self, name: str, height: float, width: float = FIELD_WIDTH) -> str:
        """An empty block where the field goes. Its position reaches the PDF through a hidden,
        bookmarked heading whose title carries a nonce (user text cannot forge it): one
        layout gives both the PDF and the positions; fields.py reads and removes the bookmark.
        The same position is also exposed as metadata for `typst.query` (used by the tests)."""
        value = (f"(name: {s(name)}, page: here().page(), x: here().position().x / 1pt, "
                 f"y: here().position().y / 1pt, w: {number(width)}, h: {number(height)})")
        title = s(f"{ANCHOR}{self.nonce}:{name}:{width:.2f}:{height:.2f}")
        self.headings.append((6, True))
        return (f"#block(width: 100%, height: {pt(height)}, above: 0pt, below: 0pt)"
                f"[#context [#metadata({value})<{SIG_LABEL}>]"
                f"#hide[#heading(level: 6, outlined: false, bookmarked: true)[#{title}]]]")

    def cell(self, blocks: tuple[m.Block, ...], width: float) -> str:
        """A table cell's content (light_cells: see __init__)."""
        self.nested += 1
        try:
            text = self.flow(blocks, signature_blocks(blocks), width=width)
        finally:
            self.nested -= 1
        if not (self.light_cells and len(blocks) == 1 and isinstance(blocks[0], m.Paragraph)
                and text.startswith("#f") and "\n" not in text):
            return text
        name = text[1:text.index("[")]
        look = self.plain_looks.get(name)
        if look is None:
            return text
        light = "g" + name[1:]
        if light not in self.light:
            self.light.add(light)
            self.preamble.append(f"#let {light}(body) = [{look}]")
        return f"#{light}{text[len(name) + 1:]}"

    def table(self, t: m.Table, width: float) -> str:
        from .typeset_tables import table

        return table(self, t, width, keep=self.in_body and not self.nested)

    # ------------------------------------------------------------------ document
    def document(self) -> str:
        out = self.out
        out.extend(self.settings())
        head = len(out)
        for n, sec in enumerate(self.doc.sections):
            out.append(self.page(sec, first=(n == 0), n=n))
            out.extend(self.opening(n))
            out.append("\n".join(x for _, x in self.body(n) if x))
        out[head:head] = self.preamble
        return "\n".join(out) + "\n"

    def settings(self) -> list[str]:
        """The document-wide rules: metadata, font, language, headings."""
        meta = self.doc.meta
        out: list[str] = []
        date = _date(meta.created)
        keywords = [k.strip() for k in meta.keywords.replace(",", ";").split(";") if k.strip()]
        out.append(f"#set document(title: {s(meta.title or 'Document')}, "
                   f"author: ({s(meta.author or 'docgen')},), "
                   f"description: {s(meta.subject)}, "
                   f"keywords: ({''.join(s(k) + ', ' for k in keywords)}), "
                   f"date: datetime(year: {date.year}, month: {date.month}, day: {date.day}, "
                   f"hour: 0, minute: 0, second: 0))")
        out.append(f'#set text(font: ({s(FONT)}, {s(FALLBACK)}), lang: {lang(meta.language)}, '
                   f'hyphenate: auto, '
                   f'top-edge: 0.8em, bottom-edge: -0.2em, size: 10pt)')
        out.append("#set par(spacing: 0pt)")
        out.append("#set heading(numbering: none)")
        out.append("#show heading: set text(size: 1em)")
        out.append("#show heading: it => it.body")
        return out

    def opening(self, n: int) -> list[str]:
        """What section n's body starts with: a mark where the section starts (its first page
        shows its first-page header and footer)."""
        return [f"#metadata({n})<{SECTION_LABEL}{n}>"]

    def section_blocks(self, n: int) -> tuple[m.Block, ...]:
        sec = self.doc.sections[n]
        return sec.blocks if n + 1 == len(self.doc.sections) else _trim_break(sec.blocks)

    def body(self, n: int) -> Iterator[tuple[int, str]]:
        """Section n's flow, piece by piece (see flow_pieces)."""
        sec = self.doc.sections[n]
        width = sec.width - sec.margin_left - sec.margin_right
        self.at_start = n == 0
        blocks = self.section_blocks(n)
        self.in_body = True
        try:
            yield from self.flow_pieces(blocks, signature_blocks(blocks), width)
        finally:
            self.in_body = False
        self.at_start = False

    def page(self, sec: m.Section, first: bool, part: str = "all", n: int = -1) -> str:
        """The section's page setup. A document typeset in chunks (chunks.py) lays out its
        `part="body"` (no header, footer nor background) and, over it, its `part="running"`
        (those, without the page colour). The first page of a section with a first-page header
        or footer (w:titlePg) shows those."""
        if n < 0:
            n = self.doc.sections.index(sec) if sec in self.doc.sections else 0
        width = sec.width - sec.margin_left - sec.margin_right
        header = self.flow(sec.header, width=width) if _visible(sec.header) else ""
        footer = self.flow(sec.footer, width=width) if _visible(sec.footer) else ""
        first_header = first_footer = None
        if sec.first_header is not None:
            first_header = self.flow(sec.first_header, width=width) \
                if _visible(sec.first_header) else ""
        if sec.first_footer is not None:
            first_footer = self.flow(sec.first_footer, width=width) \
                if _visible(sec.first_footer) else ""
        head_h = max(_height(sec.header), _height(sec.first_header or ()))
        foot_h = max(_height(sec.footer), _height(sec.first_footer or ()))
        ascent = max(sec.margin_top - sec.header_distance - head_h, 0)
        descent = max(sec.margin_bottom - sec.footer_distance - foot_h, 0)
        header_expr = self._running(header, first_header, n)
        footer_expr = self._running(footer, first_footer, n)
        background = "none"
        fill = rgb(self.doc.background) if self.doc.background else "none"
        if part == "body":
            header_expr, footer_expr, background = "none", "none", "none"
        elif part == "running":
            fill = "none"
        return (f"#set page(width: {pt(sec.width)}, height: {pt(sec.height)}, margin: (top: "
                f"{pt(sec.margin_top)}, right: {pt(sec.margin_right)}, bottom: "
                f"{pt(sec.margin_bottom)}, left: {pt(sec.margin_left)}), header: {header_expr}, "
                f"footer: {footer_expr}, header-ascent: "
                f"{pt(ascent)}, footer-descent: {pt(descent)}, background: {background}, "
                f"fill: {fill})")

    @staticmethod
    def _running(markup: str, first: str | None, n: int) -> str:
        """A header or footer expression: the first-page one on the page where section n
        starts (found by its mark), the default one elsewhere."""
        default = f"[{markup}]" if markup else "none"
        if first is None:
            return default
        page1 = f"[{first}]" if first else "none"
        return (f"context {{ let start = query(<{SECTION_LABEL}{n}>); if start.len() > 0 and "
                f"start.first().location().page() == here().page() {{ {page1} }} "
                f"else {{ {default} }} }}")


def _trim_break(blocks: tuple[m.Block, ...]) -> tuple[m.Block, ...]:
    """A page break followed only by empty paragraphs before a section break: the new section
    starts a page anyway (LibreOffice shows no empty page there either)."""
    k = len(blocks)
    while k:
        blk = blocks[k - 1]
        if not isinstance(blk, m.Paragraph) or _visible((blk,)) \
                or any(isinstance(i, m.PageBreak) for i in blk.inlines):
            break
        k -= 1
    last = blocks[k - 1] if k else None
    if isinstance(last, m.Paragraph) and last.inlines and isinstance(last.inlines[-1], m.PageBreak):
        return blocks[:k - 1] + (replace(last, inlines=last.inlines[:-1]),)
    return blocks


def _visible(blocks: tuple[m.Block, ...] | None) -> bool:
    return any(isinstance(b, m.Table) or b.text.strip() or
               any(isinstance(i, (m.PageField, m.Image)) for i in b.inlines)
               for b in (blocks or ()))


def _height(blocks: tuple[m.Block, ...]) -> float:
    total = 0.0
    for b in blocks:
        if isinstance(b, m.Paragraph):
            size = next((i.style.size for i in b.inlines if isinstance(i, m.Text)), b.size)
            total += size * LINE * b.line
    return total


def _date(created: str) -> dt.date:
    try:
        return dt.date.fromisoformat(created)
    except ValueError:
        return dt.date(2000, 1, 1)


def markup(doc: m.Document) -> bytes:
    return Emitter(doc).document().encode("utf-8")


def nonce(doc: m.Document) -> str:
    """A digest of every text of the document: no text of it can contain its own digest."""
    digest = hashlib.sha256()
    stack: list[object] = list(doc.sections)
    while stack:
        item = stack.pop()
        if isinstance(item, m.Section):
            stack.extend(item.blocks + item.header + item.footer)
        elif isinstance(item, m.Table):
            stack.extend(b for r in item.rows for c in r.cells for b in c.blocks)
        elif isinstance(item, m.Paragraph):
            for i in item.inlines:
                if isinstance(i, m.Text):
                    digest.update(i.text.encode("utf-8", "surrogatepass"))
                elif isinstance(i, m.NoteRef):
                    stack.extend(i.blocks)
    return digest.hexdigest()[:16]


def compile_pdf(doc: m.Document, fonts: Path) -> tuple[bytes, str, bytes]:
    """(PDF bytes, anchor title prefix for fields.py, markup), in one layout (a very long
    document goes to chunks.compile_chunks instead, see pdf.py)."""
    import typst

    emitter = Emitter(doc)
    source = emitter.document().encode("utf-8")
    date = _date(doc.meta.created)
    stamp_time = dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC)
    try:
        # root: the fonts' folder, not the working one (no image of a reviewed DOCX names a
        # file: package.check_svg refuses every reference outside the drawing)
        # typst's stub ties the source's type (bytes) to the font paths' (str): one TypeVar
        compiler = typst.Compiler(source, root=str(fonts),  # type: ignore[misc]
                                  font_paths=[str(fonts)], ignore_system_fonts=True)
        pdf = compiler.compile(format="pdf", pdf_standards=[PDF_STANDARD], timestamp=stamp_time)
    except typst.TypstError as exc:
        raise TypesetError(f"{exc.message} {exc.hints} {exc.diagnostic}") from None
    except RuntimeError as exc:
        raise TypesetError(str(exc)) from None
    assert isinstance(pdf, bytes)
    return pdf, f"{ANCHOR}{emitter.nonce}:", source


def query_anchors(source: bytes, fonts: Path) -> list[dict[str, float]]:
    """The field anchors as Typst's query reports them (a second layout: for checks only)."""
    import typst

    # typst's stub: one TypeVar for the source (bytes) and the font paths (str), as above
    raw = typst.query(source, f"<{SIG_LABEL}>", field="value",  # type: ignore[misc]
                      font_paths=[str(fonts)],
                      ignore_system_fonts=True)
    return list(json.loads(raw))
