"""Tables of the reader's tree as Typst tables."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import TYPE_CHECKING

from . import model as m
from .values import choice, pt, rgb

if TYPE_CHECKING:
    from typing import Any, Protocol

    class Emitter(Protocol):  # what a table asks of typeset.Emitter (no import of it)
        def cell(self, blocks: tuple[m.Block, ...], width: float) -> str: ...

        def is_signature_table(self, t: m.Table) -> bool: ...

        def signature_blocks(self, blocks: tuple[m.Block, ...]) -> list[Any]: ...




VALIGN = {"horizon": "horizon", "bottom": "bottom"}
ALIGN = {"left": "left", "center": "center", "right": "right"}


def table(em: Emitter, t: m.Table, width: float, keep: bool = False) -> str:
    """A Word table as a Typst table: grid widths, merged cells, repeated header rows, borders
    (once for the table when uniform, else per cell), shading, alignment in the page.

    `keep` (a table of the body's flow): a table never starts at the foot of a page with its
    header and less than two rows, and its last two rows (a total and the row above it) stay
    together, with the header repeated above them when they start a page (see _kept).

    A table of signature blocks (two per row) is laid out one row at a time: a row never
    splits and keeps with the next one (the paragraphs of its cells keep with the next, as
    Word keeps the rows together), so the blocks stay with the last article."""
    if em.is_signature_table(t) and all(c.rows == 1 for r in t.rows for c in r.cells):
        rows = []
        for k, row in enumerate(t.rows):
            first = next((b for c in row.cells for b in c.blocks), None)
            space = first.space_before if isinstance(first, m.Paragraph) else 0.0
            if any(sb.start == 0 and sb.gap_before == 0 for c in row.cells
                   for sb in em.signature_blocks(c.blocks)):
                space = 0.0  # a row of names: the field above each name takes that space
            sticky = k + 1 < len(t.rows)  # the last one: what follows may start a page
            body = _table(em, replace(t, rows=(row,)), width)
            if t.align == "left":  # Word (compatibility mode 14) and LibreOffice put the
                body = f"pad(left: {pt(-t.margin_x)}, {body})"  # text, not the edge, at the margin
            rows.append(f"#block(width: 100%, breakable: false, sticky: "
                        f"{'true' if sticky else 'false'}, above: 0pt, below: 0pt)"
                        f"[#v({pt(space)})\n#{body}]")
        return "\n".join(rows)
    if keep and all(c.rows == 1 for r in t.rows for c in r.cells):
        return _kept(em, t, width)
    return "#block(width: 100%, above: 0pt, below: 0pt)[#" + _table(em, t, width) + "]"


KEEP_FIRST = 2  # body rows that never stay at the foot of a page with the header alone
KEEP_LAST = 2  # rows kept together at the table's end: a total and the row above it
KEEP_MAX = 280.0  # points: a start or an end taller than this (a third of a page) may split


def _kept(em: Emitter, t: m.Table, width: float) -> str:
    """The table with its start kept together (room for the header and the first rows is made
    before it, see _height), and its last rows in a table of their own kept together,
    under the same columns and borders; when these start a page, the header is repeated above
    them (their position is known in Typst's layout: at the top of the page's text)."""
    cols, rows, nhead, stroke = _cells(em, t, width)
    grid = _grid(t, width)
    body = len(rows) - nhead
    split = len(rows) - KEEP_LAST if body > KEEP_FIRST + KEEP_LAST else len(rows)
    # a short table is kept whole; a longer one, its header and first rows (a first row not
    # marked as a header row may well be one: it keeps its first rows all the same)
    lead = max(nhead, 1) + KEEP_FIRST
    out = [_room(_height(t, t.rows[:lead] if split < len(rows) else t.rows, grid))]
    out.append("#block(width: 100%, above: 0pt, below: 0pt)[#"
               + _wrap(t, _assemble(t, cols, stroke, rows[:nhead], rows[nhead:split])) + "]")
    if split < len(rows):
        out.append(_room(_height(t, t.rows[split:], grid)))
        header = ", ".join(c for r in rows[:nhead] for c in r)
        head = (f"..(if page-top {{ (table.header(repeat: false, {header}),) }} else {{ () }}),\n"
                if header else "")
        last = _wrap(t, _assemble(t, cols, stroke, [], rows[split:], head=head))
        out.append("#block(width: 100%, above: 0pt, below: 0pt)[#context { let margin = "
                   "page.margin; let margin = if type(margin) == dictionary { margin.at("
                   "\"top\", default: margin.at(\"y\", default: margin.at(\"rest\", "
                   "default: 0pt))) } else { margin }; let page-top = here().position().y <= "
                   "(0% + margin).length + 0.5pt\n" + last + " }]")
    return "\n".join(out)


def _room(height: float) -> str:
    """Room made for what follows: an invisible block of that height that cannot split, then
    as much space back (the idiom of LaTeX's needspace); none for more than KEEP_MAX."""
    if height > KEEP_MAX:
        return ""
    return (f"#block(breakable: false, height: {pt(height)}, above: 0pt, below: 0pt)\n"
            f"#v({pt(-height)})")


# Lines are counted generously (an average letter of 0.55 em, a line of 1.2 em: the typeset
# lines are 1 em, then 1.15 em × the spacing): measuring in Typst would cost a layout pass.
LETTER = 0.55
LINE_EM = 1.2


def _height(t: m.Table, rows: tuple[m.Row, ...], grid: tuple[float, ...]) -> float:
    """The height these rows take at most, in points, for the room kept before them."""
    total = 0.0
    for row in rows:
        col, tallest = 0, 0.0
        for cell in row.cells:
            width = sum(grid[col:col + cell.span]) - 2 * _finite(t.margin_x, 0.0)
            tallest = max(tallest, _blocks_height(cell.blocks, width))
            col += cell.span
        total += tallest + 2 * (_finite(t.margin_y, 0.0) + 0.5)
    return total


def _blocks_height(blocks: tuple[m.Block, ...], width: float) -> float:
    need = 0.0
    width = _finite(width, 0.0)
    for b in blocks:
        if isinstance(b, m.Paragraph):
            size = _finite(max((i.style.size for i in b.inlines if isinstance(i, m.Text)),
                               default=b.size), 10.0)
            count = 1 + sum(isinstance(i, m.LineBreak) for i in b.inlines)
            if width > 0:
                count = max(count, math.ceil(len(b.text) * LETTER * size / width))
            line = max(_finite(b.line_exact, 0.0), size * LINE_EM * _finite(b.line, 1.0))
            image = max((_finite(i.height, 0.0) for i in b.inlines if isinstance(i, m.Image)),
                        default=0.0)
            need += (count * line + image + _finite(b.space_before, 0.0)
                     + _finite(b.space_after, 0.0))
        else:
            need += sum(_height(b, (r,), b.grid or (width,)) for r in b.rows)
    return need


def _finite(value: float, default: float) -> float:
    """A length of the document for an estimate only: one out of range (refused where the
    markup writes it, values.pt) counts as the default here."""
    return value if math.isfinite(value) and 0 <= value <= 10_000 else default


def _table(em: Emitter, t: m.Table, width: float) -> str:
    cols, rows, nhead, stroke = _cells(em, t, width)
    return _wrap(t, _assemble(t, cols, stroke, rows[:nhead], rows[nhead:]))


def _grid(t: m.Table, width: float) -> tuple[float, ...]:
    """The columns' widths: the DOCX's grid, scaled alike when wider than the text."""
    ncols = len(t.grid) or max((sum(c.span for c in r.cells) for r in t.rows), default=1)
    grid = t.grid or tuple([width / ncols] * ncols)
    if width > 0 and sum(grid) > width:  # never wider than the text: columns scaled alike
        grid = tuple(w * width / sum(grid) for w in grid)
    return grid


def _cells(em: Emitter, t: m.Table, width: float) -> tuple[str, list[list[str]], int, str]:
    """(column widths, each row's cells as markup, the number of header rows, the table's
    stroke): the columns scaled alike when the DOCX's grid is wider than the text."""
    grid = _grid(t, width)
    ncols = len(grid)
    top, right, bottom, left, inner_h, inner_v = t.borders
    uniform = len(set(t.borders)) == 1 and all(
        b is None for r in t.rows for c in r.cells for b in c.borders)
    rows: list[list[str]] = []
    occupied: dict[tuple[int, int], bool] = {}
    for r, row in enumerate(t.rows):
        col = 0
        row_cells = []
        for cell in row.cells:
            while occupied.get((r, col)):
                col += 1
            for dr in range(cell.rows):
                for dc in range(cell.span):
                    occupied[(r + dr, col + dc)] = True
            last_row = r + cell.rows >= len(t.rows)
            sides = {
                "top": cell.borders[0] or (top if r == 0 else inner_h),
                "right": cell.borders[1] or (right if col + cell.span >= ncols else inner_v),
                "bottom": cell.borders[2] or (bottom if last_row else inner_h),
                "left": cell.borders[3] or (left if col == 0 else inner_v),
            }
            cw = sum(grid[col:col + cell.span]) - 2 * t.margin_x
            args = []
            if not uniform:
                stroke = ", ".join(f"{k}: {_stroke(v)}" for k, v in sides.items())
                args.append(f"stroke: ({stroke})")
            if cell.span > 1:
                args.append(f"colspan: {_count(cell.span)}")
            if cell.rows > 1:
                args.append(f"rowspan: {_count(cell.rows)}")
            if cell.valign != "top":
                args.append(f"align: {choice(cell.valign, VALIGN)}")
            if cell.shading:
                args.append(f"fill: {rgb(cell.shading)}")
            if row.cant_split:  # Word's « do not let the row break across pages »
                args.append("breakable: false")
            content = f"[{em.cell(cell.blocks, cw)}]"
            row_cells.append(f"table.cell({', '.join(args)}){content}" if args else content)
            col += cell.span
        row_cells.extend(_row_end(occupied, r, col, ncols))
        rows.append(row_cells)
    nhead = 0
    while nhead < len(t.rows) and t.rows[nhead].header:
        nhead += 1
    return (", ".join(pt(w) for w in grid), rows, nhead,
            _stroke(top) if uniform else "none")


def _assemble(t: m.Table, cols: str, stroke: str, header: list[list[str]],
              body: list[list[str]], head: str = "") -> str:
    """A Typst table of these rows; `head`: the markup of its header instead of the rows of
    `header` repeated on every page."""
    if not head and header:
        head = f"table.header(repeat: true, {', '.join(c for r in header for c in r)}),\n"
    return (f"table(columns: ({cols},), stroke: {stroke}, align: top, "
            f"inset: (x: {pt(t.margin_x)}, "
            f"y: {pt(t.margin_y + 0.5)}),\n{head}{','.join(c for r in body for c in r)})")


def _wrap(t: m.Table, body: str) -> str:
    """The table placed as Word aligns it in the text's width (never wider: see _cells)."""
    if t.align == "center":
        return f"align(center, {body})"
    if t.align == "right":
        return f"align(right, {body})"
    return body


def _row_end(occupied: dict[tuple[int, int], bool], r: int, col: int, ncols: int) -> list[str]:
    """A row with fewer cells than the table has columns ends there in Word, with nothing drawn
    after it; Typst places cells one after the other: the rest of the row is filled with empty
    cells without borders, so that the next row starts on its own line."""
    out = []
    while col < ncols:
        if occupied.get((r, col)):
            col += 1
            continue
        span = 0
        while col + span < ncols and not occupied.get((r, col + span)):
            span += 1
        out.append(f"table.cell(colspan: {_count(span)}, stroke: none)[]")
        col += span
    return out


def _count(n: int) -> str:
    from .values import TypesetError

    if not isinstance(n, int) or not 1 <= n <= 10_000:
        raise TypesetError(f"span out of range: {n!r}")
    return str(n)


def _stroke(b: m.Border) -> str:
    if b.width <= 0:
        return "none"
    if b.dashed:
        return f'(thickness: {pt(b.width)}, paint: {rgb(b.color)}, dash: "dashed")'
    return f"{pt(b.width)} + {rgb(b.color)}"
