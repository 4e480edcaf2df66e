"""Tables of a DOCX: grid, merged cells, header rows, borders, shading — against an allow-list."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from lxml import etree

from .. import messages as msg
from . import model as m
from .package import DocxRefused, Package, W
from .styles import (
    at,
    colour,
    fill_of,
    integer,
    local,
    ns_prefix,
    num,
    on,
    q,
    refuse_revision,
    table_look,
    wval,
)
from .vocabulary import _Counter

if TYPE_CHECKING:
    from .walk import Walker as Reader

TBLPR_OK = {"tblStyle", "tblW", "jc", "tblInd", "tblBorders", "tblLayout", "tblCellMar", "tblLook",
            "shd", "tblCaption", "tblDescription", "tblStyleRowBandSize", "tblStyleColBandSize",
            "tblCellSpacing", "bidiVisual", "tblOverlap"}
TRPR_OK = {"tblHeader", "cantSplit", "trHeight", "jc", "cnfStyle", "gridBefore", "gridAfter",
           "wBefore", "wAfter", "tblCellSpacing", "divId"}
TCPR_OK = {"tcW", "gridSpan", "vMerge", "tcBorders", "shd", "vAlign", "noWrap", "tcMar",
           "textDirection", "tcFitText", "hideMark", "cnfStyle", "headers"}
SIDES = ("top", "right", "bottom", "left", "insideH", "insideV")
ALIASES = {"start": "left", "end": "right"}


MAX_COLUMNS = 63  # Word's own limit
DASHED = {"dashed", "dotted", "dashSmallGap", "dotDash", "dotDotDash", "dashDotStroked"}


def _borders(el: etree._Element | None, into: dict[str, m.Border], pkg: Package) -> None:
    for b in (el if el is not None else []):
        side = ALIASES.get(local(b), local(b))
        if side not in SIDES:
            continue
        if wval(b) in ("nil", "none", ""):
            into[side] = m.Border(0)
        else:
            into[side] = m.Border(max(num(b.get(q("sz")), 4, 0, 96, what="w:sz") / 8, 0.25),
                                  colour(b, pkg, msg.COULEUR_BORDURE, "color") or "000000",
                                  wval(b) in DASHED)


def _twips(el: etree._Element | None, default: float, what: str) -> float:
    if el is None:
        return default
    return num(el.get(q("w")), default * 20, 0, 31680, per_point=20, what=what) / 20


def read_table(reader: Reader, tbl: etree._Element, counter: _Counter, shading: str) -> m.Table:
    number = counter.tables
    base = msg.PLACE_TABLE.format(prefix=counter.prefix, n=number)
    pkg = reader.pkg
    tbl_pr = tbl.find(q("tblPr"))
    borders: dict[str, m.Border] = {s: m.Border(0) for s in SIDES}
    margin_x, margin_y, align, fill = 5.4, 0.0, "left", ""
    style_id = ""
    style_el = tbl_pr.find(q("tblStyle")) if tbl_pr is not None else None
    if style_el is not None:
        style_id = wval(style_el)
    look = table_look(tbl_pr.find(q("tblLook")) if tbl_pr is not None else None)
    _, style_r, style_cell_fill, style_fill = reader.styles.table(style_id, look)
    for sid in reader.styles.chain(style_id or reader.styles.default_table):
        st = reader.styles.table_styles.get(sid)
        pr = st.find(q("tblPr")) if st is not None else None
        if pr is not None:
            _borders(pr.find(q("tblBorders")), borders, pkg)
            margin_x = _twips(pr.find(f"{q('tblCellMar')}/{q('left')}"), margin_x, "w:tblCellMar")
    fill = style_fill
    for el in (tbl_pr if tbl_pr is not None else []):
        name = local(el)
        refuse_revision(el, pkg, base)
        if name == "tblpPr":
            raise DocxRefused(reader.name, base, msg.TABLEAU_FLOTTANT_DEPLACE_TEXTE)
        if name not in TBLPR_OK:
            raise DocxRefused(reader.name, base, msg.PROPRIETE_TABLEAU_INCONNUE_W.format(name=name))
        if name == "tblBorders":
            _borders(el, borders, pkg)
        elif name == "jc":
            align = {"center": "center", "right": "right", "end": "right"}.get(wval(el), "left")
        elif name == "shd":
            fill = fill_of(el, pkg)
        elif name == "tblCellMar":
            margin_x = _twips(el.find(q("left")), margin_x, "w:tblCellMar")
        elif name == "tblInd":
            indent = num(el.get(q("w")), 0, -31680, 31680, per_point=20, what="w:tblInd") / 20
            if indent < -56.7:  # the table would start off the page
                raise DocxRefused(reader.name, base, msg.RETRAIT_HORS_PAGE.format(
                    value=f"{-indent:g}"))
    grid: tuple[float, ...] = ()
    grid_el = tbl.find(q("tblGrid"))
    if grid_el is not None:
        grid_cols = []
        for g in grid_el:
            refuse_revision(g, pkg, base)
            if local(g) == "gridCol":
                grid_cols.append(num(g.get(q("w")), 0, 0, 31680, per_point=20,
                                     what="w:gridCol") / 20)
            elif local(g):
                raise DocxRefused(reader.name, base, msg.ELEMENT_TABLEAU_NON_PRIS.format(
                    name=local(g)))
        if len(grid_cols) > MAX_COLUMNS:
            raise DocxRefused(reader.name, base, msg.TROP_DE_COLONNES.format(
                n=len(grid_cols), max=MAX_COLUMNS))
        grid = tuple(grid_cols)
    raw_rows: list[tuple[list[tuple[etree._Element | None, int, str]], bool, bool, float]] = []
    row_no = 0
    for tr in tbl:
        name = local(tr)
        if not name or name in ("tblPr", "tblGrid", "bookmarkStart", "bookmarkEnd", "proofErr"):
            continue
        refuse_revision(tr, pkg, base)
        if name != "tr" or ns_prefix(tr) != W:
            raise DocxRefused(reader.name, base, msg.ELEMENT_TABLEAU_NON_PRIS.format(name=name))
        row_no += 1
        header, cant_split, exact = False, False, 0.0
        cells: list[tuple[etree._Element | None, int, str]] = []
        where = msg.PLACE_ROW.format(base=base, n=row_no)
        for part in tr:
            pname = local(part)
            refuse_revision(part, pkg, where)
            if pname == "trPr":
                for p in part:
                    refuse_revision(p, pkg, where)
                    if local(p) == "hidden" and on(p):
                        raise DocxRefused(reader.name, where, msg.LIGNE_TABLEAU_MASQUEE)
                    if local(p) not in TRPR_OK:
                        raise DocxRefused(reader.name, where, msg.PROPRIETE_LIGNE_INCONNUE_W.format(
                            p=local(p)))
                    header = header or (local(p) == "tblHeader" and on(p))
                    cant_split = cant_split or (local(p) == "cantSplit" and on(p))
                    if local(p) in ("gridBefore", "gridAfter"):
                        span = integer(wval(p), 0, 0, MAX_COLUMNS, f"w:{local(p)}")
                        if span and local(p) == "gridBefore":
                            cells.append((None, span, ""))
                    elif local(p) == "trHeight" and p.get(q("hRule")) == "exact":
                        exact = num(wval(p), 0, 0, 31680, per_point=20, what="w:trHeight") / 20
            elif pname == "tc":
                span, vmerge = 1, ""
                tc_pr = part.find(q("tcPr"))
                for p in (tc_pr if tc_pr is not None else []):
                    refuse_revision(p, pkg, where)
                    if local(p) not in TCPR_OK:
                        raise DocxRefused(reader.name, where, msg.PROPRIETE_CELLULE_INCONNUE_W.format(
                            p=local(p)))
                    if local(p) == "gridSpan":
                        span = integer(wval(p), 1, 1, MAX_COLUMNS, "w:gridSpan")
                    elif local(p) == "vMerge":
                        vmerge = wval(p) or "continue"
                    elif local(p) == "tcFitText" and on(p):
                        raise DocxRefused(reader.name, where, msg.TEXTE_AJUSTE_LARGEUR)
                cells.append((part, span, vmerge))
            elif pname == "tblPrEx":
                _exceptions(reader, part, where)
            elif pname in ("bookmarkStart", "bookmarkEnd", "proofErr"):
                continue
            else:
                raise DocxRefused(reader.name, where, msg.ELEMENT_LIGNE_NON_PRIS.format(
                    pname=pname))
        if sum(span for _, span, _ in cells) > MAX_COLUMNS:
            raise DocxRefused(reader.name, where, msg.TROP_DE_COLONNES.format(
                n=sum(span for _, span, _ in cells), max=MAX_COLUMNS))
        if grid and sum(span for _, span, _ in cells) > len(grid):
            raise DocxRefused(reader.name, where, msg.LIGNE_PLUS_LARGE_GRILLE.format(
                n=sum(span for _, span, _ in cells), grid=len(grid)))
        raw_rows.append((cells, header, cant_split, exact))
    if not raw_rows or not any(tc is not None for cells, _, _, _ in raw_rows for tc, _, _ in cells):
        raise DocxRefused(reader.name, base, msg.TABLEAU_SANS_CELLULE)
    # vertical merges: a "restart" cell spans the "continue" cells below it, column by column;
    # a "continue" cell with no merge above it starts one (Word shows it as a cell of its own)
    starts: list[list[int]] = []
    for cells, _, _, _ in raw_rows:
        col, cols = 0, []
        for _, span, _ in cells:
            cols.append(col)
            col += span
        starts.append(cols)
    merged: set[tuple[int, int]] = set()  # (row, cell index) taken by a merge from above
    for r, (cells, _, _, _) in enumerate(raw_rows):
        for c, (tc, _, vmerge) in enumerate(cells):
            if tc is None or (r, c) in merged or not vmerge:
                continue
            col = starts[r][c]
            for rr in range(r + 1, len(raw_rows)):
                below = [i for i, x in enumerate(starts[rr]) if x == col]
                if below and raw_rows[rr][0][below[0]][2] == "continue" \
                        and raw_rows[rr][0][below[0]][0] is not None:
                    merged.add((rr, below[0]))
                else:
                    break
    rows: list[m.Row] = []
    header_done = False
    saved = reader.table_r
    reader.table_r = (f"{style_id}:{sorted(look)}", style_r)
    reader.depth += 1
    try:
        for r, (cells, header, cant_split, exact) in enumerate(raw_rows):
            out_cells: list[m.Cell] = []
            for c, (tc, span, _) in enumerate(cells):
                place = msg.PLACE_CELL.format(base=base, row=r + 1, cell=c + 1)
                if (r, c) in merged:
                    # lxml-stubs: itertext yields str or bytes; lxml gives str
                    if tc is not None and "".join(tc.itertext()).strip():  # type: ignore[arg-type]
                        raise DocxRefused(reader.name, place, msg.CELLULE_FUSIONNEE_TEXTE)
                    if tc is not None:
                        reader.consumed.extend(tc.iter(q("t")))
                    continue
                down = 1
                col = starts[r][c]
                for rr in range(r + 1, len(raw_rows)):
                    below = [i for i, x in enumerate(starts[rr]) if x == col]
                    if below and (rr, below[0]) in merged:
                        down += 1
                    else:
                        break
                if tc is None:
                    out_cells.append(m.Cell((), span, 1, "", "top", (m.Border(0),) * 4))
                    continue
                out_cells.append(_cell(reader, tc, span, down, place,
                                       style_cell_fill or fill, shading))
            if exact:
                widths = []
                col = 0
                for cell in out_cells:
                    widths.append(sum(grid[col:col + cell.span]) - 2 * margin_x if grid else 0)
                    col += cell.span
                _check_exact_row(reader, exact, out_cells, widths, margin_y,
                                 msg.PLACE_ROW.format(base=base, n=r + 1))
            is_header = header and not header_done
            header_done = header_done or not header
            rows.append(m.Row(tuple(out_cells), is_header, cant_split))
    finally:
        reader.table_r = saved
        reader.depth -= 1
    b = borders
    return m.Table(grid, tuple(rows), (b["top"], b["right"], b["bottom"], b["left"],
                                       b["insideH"], b["insideV"]), align, margin_x, margin_y)


TBLPREX_OK = {"tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "tblLayout", "tblCellMar",
              "tblLook"}


def _exceptions(reader: Reader, ex: etree._Element, where: str) -> None:
    """A row's exceptions to the table's properties (w:tblPrEx): its tracked change is refused,
    and so is a shading of its own (it would change the ground its text is judged on)."""
    for el in ex.iter():
        refuse_revision(el, reader.pkg, where)
    for el in ex:
        if local(el) and local(el) not in TBLPREX_OK:
            raise DocxRefused(reader.name, where, msg.PROPRIETE_TABLEAU_INCONNUE_W.format(
                name=local(el)))


def _check_exact_row(reader: Reader, exact: float, cells: list[m.Cell], widths: list[float],
                     margin_y: float, where: str) -> None:
    """A row of exact height cuts what does not fit in it: refused when its text needs more
    (lines counted with a narrow average letter, so a text that may fit is given the benefit);
    a cell merged down over such a row is refused when it holds text (not measured)."""
    for cell, width in zip(cells, widths):
        has_text = any(isinstance(b, m.Table) or b.text.strip() for b in cell.blocks)
        if cell.rows > 1 and has_text:
            raise DocxRefused(reader.name, where, msg.LIGNE_HAUTEUR_EXACTE_FUSION.format(
                height=f"{exact:g}"))
        need = 2 * margin_y + least_height(cell.blocks, width)
        if has_text and need > exact + 1.0:
            raise DocxRefused(reader.name, where, msg.LIGNE_HAUTEUR_EXACTE.format(
                height=f"{exact:g}", need=f"{need:.0f}"))


def least_height(blocks: tuple[m.Block, ...], width: float) -> float:
    """The least height Word needs for these blocks in a column of `width` points: lines
    counted with a narrow average letter (0.4 em), so that a text that may fit is given the
    benefit of the doubt; a nested table, 12 points a row."""
    need = 0.0
    for b in blocks:
        if isinstance(b, m.Paragraph):
            size = max((i.style.size for i in b.inlines if isinstance(i, m.Text)), default=b.size)
            lines = 1 + sum(isinstance(i, m.LineBreak) for i in b.inlines)
            if width > 0:
                lines = max(lines, math.ceil(len(b.text) * 0.4 * size / width))
            need += lines * (b.line_exact or size * 1.15 * b.line) + b.space_before \
                + b.space_after
        else:
            need += 12.0 * len(b.rows)
    return need


def _cell(reader: Reader, tc: etree._Element, span: int, down: int, place: str,
          default_fill: str, ground: str) -> m.Cell:
    """`default_fill`: the shading of a cell without one of its own (the table style's cell
    shading, else the table's), painted as Word paints it; `ground`: what lies under the table."""
    tc_pr = tc.find(q("tcPr"))
    fill, valign = "", "top"
    cell_borders: dict[str, m.Border] = {}
    with at(reader.pkg, place):
        if tc_pr is not None:
            shd = tc_pr.find(q("shd"))
            fill = fill_of(shd, reader.pkg) if shd is not None else ""
            va = tc_pr.find(q("vAlign"))
            valign = {"center": "horizon", "bottom": "bottom"}.get(wval(va), "top") \
                if va is not None else "top"
            _borders(tc_pr.find(q("tcBorders")), cell_borders, reader.pkg)
    fill = fill or default_fill
    shading = ground
    counter = _Counter(place)
    blocks: list[m.Block] = []
    for child in tc:
        if local(child) == "tcPr":
            continue
        blocks.extend(reader.content(child, counter, fill or shading, ()))
    sides = (cell_borders.get("top"), cell_borders.get("right"), cell_borders.get("bottom"),
             cell_borders.get("left"))
    return m.Cell(tuple(blocks), span, down, fill, valign, sides)
