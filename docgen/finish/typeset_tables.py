"""Tables of the reader's tree as Typst tables."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from . import model as m
from .values import choice, pt, rgb

if TYPE_CHECKING:
    from typing import Protocol

    class Emitter(Protocol):  # what a table asks of typeset.Emitter (no import of it)
        def cell(self, blocks: tuple[m.Block, ...], width: float) -> str: ...

        def is_signature_table(self, t: m.Table) -> bool: ...




VALIGN = {"horizon": "horizon", "bottom": "bottom"}
ALIGN = {"left": "left", "center": "center", "right": "right"}


def table(em: Emitter, t: m.Table, width: float) -> str:
    """A Word table as a Typst table: grid widths, merged cells, repeated header rows, borders
    (once for the table when uniform, else per cell), shading, alignment in the page.

    A table of signature blocks (two per row) is laid out one row at a time: a row never
    splits and keeps with the next one (the paragraphs of its cells keep with the next, as
    Word keeps the rows together), so the blocks stay with the last article."""
    if em.is_signature_table(t) and all(c.rows == 1 for r in t.rows for c in r.cells):
        rows = []
        for k, row in enumerate(t.rows):
            first = next((b for c in row.cells for b in c.blocks), None)
            space = first.space_before if isinstance(first, m.Paragraph) else 0.0
            keep = k + 1 < len(t.rows)  # the last one: what follows may start a page
            body = _table(em, replace(t, rows=(row,)), width)
            if t.align == "left":  # Word (compatibility mode 14) and LibreOffice put the
                body = f"pad(left: {pt(-t.margin_x)}, {body})"  # text, not the edge, at the margin
            rows.append(f"#block(width: 100%, breakable: false, sticky: "
                        f"{'true' if keep else 'false'}, above: 0pt, below: 0pt)"
                        f"[#v({pt(space)})\n#{body}]")
        return "\n".join(rows)
    return "#block(width: 100%, above: 0pt, below: 0pt)[#" + _table(em, t, width) + "]"


def _table(em: Emitter, t: m.Table, width: float) -> str:
    ncols = len(t.grid) or max((sum(c.span for c in r.cells) for r in t.rows), default=1)
    grid = t.grid or tuple([width / ncols] * ncols)
    top, right, bottom, left, inner_h, inner_v = t.borders
    uniform = len(set(t.borders)) == 1 and all(
        b is None for r in t.rows for c in r.cells for b in c.borders)
    cells_out: list[str] = []
    header: list[str] = []
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
            content = f"[{em.cell(cell.blocks, cw)}]"
            row_cells.append(f"table.cell({', '.join(args)}){content}" if args else content)
            col += cell.span
        row_cells.extend(_row_end(occupied, r, col, ncols))
        (header if row.header and len(header) == r * 0 + len(header) and
         all(x.header for x in t.rows[:r + 1]) else cells_out).extend(row_cells)
    total = sum(grid)
    cols = ", ".join(pt(w) for w in grid)
    head = f"table.header(repeat: true, {', '.join(header)}),\n" if header else ""
    table_stroke = _stroke(top) if uniform else "none"
    body = (f"table(columns: ({cols},), stroke: {table_stroke}, align: top, "
            f"inset: (x: {pt(t.margin_x)}, "
            f"y: {pt(t.margin_y + 0.5)}),\n{head}{','.join(cells_out)})")
    over = total - width
    if t.align == "center":
        body = f"align(center, {body})"
        if over > 0:
            body = f"pad(x: {pt(-over / 2)}, {body})"
    elif t.align == "right":
        body = f"align(right, {body})"
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
    return "none" if b.width <= 0 else f"{pt(b.width)} + {rgb(b.color)}"
