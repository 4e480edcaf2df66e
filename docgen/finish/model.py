"""The immutable tree a DOCX is read into: only what Word shows, nothing that reaches outside."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Meta:
    """Core properties of the package (docProps/core.xml)."""

    title: str = ""
    subject: str = ""
    author: str = ""
    keywords: str = ""
    created: str = ""  # ISO date YYYY-MM-DD, "" when absent
    language: str = "fr"


@dataclass(frozen=True)
class Style:
    """Run formatting, resolved (style chain + direct formatting)."""

    bold: bool = False
    italic: bool = False
    underline: bool = False
    strike: bool = False
    vertical: str = ""  # "" | "superscript" | "subscript"
    caps: bool = False
    smallcaps: bool = False
    color: str = ""  # "RRGGBB", "" = automatic (black)
    highlight: str = ""  # "RRGGBB", "" = none
    size: float = 10.0  # points
    tracking: float = 0.0  # extra letter spacing, points
    baseline: float = 0.0  # shift of the baseline, points (positive: down, as Typst has it)


@dataclass(frozen=True)
class Text:
    text: str
    style: Style
    link: str = ""  # http(s): or mailto: target, "" = none


@dataclass(frozen=True)
class Tab:
    style: Style


@dataclass(frozen=True)
class LineBreak:
    pass


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class PageField:
    """PAGE or NUMPAGES, drawn by the typesetter."""

    kind: str  # "PAGE" | "NUMPAGES"
    style: Style


@dataclass(frozen=True)
class Image:
    data: bytes
    kind: str  # "png" | "jpg" | "svg"
    width: float  # points
    height: float
    alt: str = ""


@dataclass(frozen=True)
class NoteRef:
    """A footnote or endnote call; the note's paragraphs travel with it."""

    number: int
    blocks: tuple[Block, ...]
    style: Style


Inline = Text | Tab | LineBreak | PageBreak | PageField | Image | NoteRef


@dataclass(frozen=True)
class Paragraph:
    style_name: str
    inlines: tuple[Inline, ...]
    align: str = "left"  # left | right | center | justify
    space_before: float = 0.0  # points
    space_after: float = 0.0
    line: float = 1.0  # multiple of single spacing
    line_exact: float = 0.0  # points, when the line height is exact/at least
    indent_left: float = 0.0
    indent_right: float = 0.0
    indent_first: float = 0.0  # negative = hanging
    keep_next: bool = False
    keep_lines: bool = False
    page_break_before: bool = False
    contextual: bool = False
    heading: int = 0  # 0 = body text, else outline level 1..9
    bookmarked: bool = False
    bookmarks: tuple[str, ...] = ()
    label: str = ""  # list number or bullet, as Word draws it
    shading: str = ""
    size: float = 10.0  # font size of the paragraph mark (empty paragraphs keep a line)
    border_top: tuple[float, str, float] | None = None  # width, colour, distance (points)
    border_bottom: tuple[float, str, float] | None = None
    label_style: Style | None = None  # the list number's look (the paragraph mark's)

    @property
    def text(self) -> str:
        return "".join(_inline_text(i) for i in self.inlines)


def _inline_text(i: Inline) -> str:
    if isinstance(i, Text):
        return i.text
    if isinstance(i, (Tab, LineBreak)):
        return " "
    return ""


@dataclass(frozen=True)
class Border:
    width: float  # points; 0 = none
    color: str = "000000"
    dashed: bool = False  # Word's dashed, dotted and dash-dot lines (drawn dashed)


@dataclass(frozen=True)
class Cell:
    blocks: tuple[Block, ...]
    span: int = 1
    rows: int = 1  # vertical merge, resolved
    shading: str = ""
    valign: str = "top"
    borders: tuple[Border | None, Border | None, Border | None, Border | None] = (
        None, None, None, None)  # top, right, bottom, left; None = the table's


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    header: bool = False
    cant_split: bool = False


@dataclass(frozen=True)
class Table:
    grid: tuple[float, ...]  # column widths, points
    rows: tuple[Row, ...]
    borders: tuple[Border, Border, Border, Border, Border, Border]  # top right bottom left insideH insideV
    align: str = "left"
    margin_x: float = 5.4  # cell margins, points
    margin_y: float = 0.0


Block = Paragraph | Table


@dataclass(frozen=True)
class Section:
    width: float  # points
    height: float
    margin_top: float
    margin_right: float
    margin_bottom: float
    margin_left: float
    header_distance: float
    footer_distance: float
    landscape: bool
    blocks: tuple[Block, ...]
    header: tuple[Block, ...] = ()
    footer: tuple[Block, ...] = ()
    first_header: tuple[Block, ...] | None = None  # titlePg
    first_footer: tuple[Block, ...] | None = None


@dataclass(frozen=True)
class Document:
    meta: Meta
    sections: tuple[Section, ...]
    background: str = ""  # page colour, "" = white
    notes: tuple[str, ...] = field(default=())

    @property
    def header_text(self) -> str:
        """Running header of the first section, as plain text."""
        return " ".join(p.text.strip() for p in self.sections[0].header
                        if isinstance(p, Paragraph) and p.text.strip())

    @property
    def footer_text(self) -> str:
        return " ".join(p.text.strip() for p in self.sections[0].footer
                        if isinstance(p, Paragraph) and p.text.strip())
