"""Tables of a DOCX: grid, merged cells, header rows, borders, shading — against an allow-list."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lxml import etree

from . import model as m
from .vocabulary import _Counter
from .package import DocxRefused, W
from .styles import fill_of, local, ns_prefix, num, on, q, refuse_revision, wval
from .. import messages as msg

if TYPE_CHECKING:
    from .docx_reader import Reader

TBLPR_OK = {"tblStyle", "tblW", "jc", "tblInd", "tblBorders", "tblLayout", "tblCellMar", "tblLook",
            "shd", "tblCaption", "tblDescription", "tblStyleRowBandSize", "tblStyleColBandSize",
            "tblCellSpacing", "bidiVisual", "tblOverlap"}
TRPR_OK = {"tblHeader", "cantSplit", "trHeight", "jc", "cnfStyle", "gridBefore", "gridAfter",
           "wBefore", "wAfter", "tblCellSpacing", "divId"}
TCPR_OK = {"tcW", "gridSpan", "vMerge", "tcBorders", "shd", "vAlign", "noWrap", "tcMar",
           "textDirection", "tcFitText", "hideMark", "cnfStyle", "headers"}
SIDES = ("top", "right", "bottom", "left", "insideH", "insideV")
ALIASES = {"start": "left", "end": "right"}


def _borders(el: etree._Element | None, into: dict[str, m.Border]) -> None:
    for b in (el if el is not None else []):
        side = ALIASES.get(local(b), local(b))
        if side not in SIDES:
            continue
        if wval(b) in ("nil", "none", ""):
            into[side] = m.Border(0)
        else:
            color = b.get(q("color"), "000000").upper()
            into[side] = m.Border(max(num(b.get(q("sz"), "4")) / 8, 0.25),
                                  color if len(color) == 6 and color != "AUTO" else "000000")


def read_table(reader: Reader, tbl: etree._Element, counter: _Counter, shading: str) -> m.Table:
    number = counter.tables
    base = f"{counter.prefix}, tableau {number}"
    tbl_pr = tbl.find(q("tblPr"))
    borders: dict[str, m.Border] = {s: m.Border(0) for s in SIDES}
    margin_x, margin_y, align, fill = 5.4, 0.0, "left", ""
    style_id = ""
    style_el = tbl_pr.find(q("tblStyle")) if tbl_pr is not None else None
    if style_el is not None:
        style_id = wval(style_el)
    for sid in reader.styles.chain(style_id):
        st = reader.styles.table_styles.get(sid)
        pr = st.find(q("tblPr")) if st is not None else None
        if pr is not None:
            _borders(pr.find(q("tblBorders")), borders)
            mar_left = pr.find(f"{q('tblCellMar')}/{q('left')}")
            if mar_left is not None:
                margin_x = num(mar_left.get(q("w"), "108")) / 20
    for el in (tbl_pr if tbl_pr is not None else []):
        name = local(el)
        refuse_revision(el, reader.pkg, base)
        if name == "tblpPr":
            raise DocxRefused(reader.name, base, msg.TABLEAU_FLOTTANT_DEPLACE_TEXTE)
        if name not in TBLPR_OK:
            raise DocxRefused(reader.name, base, msg.PROPRIETE_TABLEAU_INCONNUE_W.format(name=name))
        if name == "tblBorders":
            _borders(el, borders)
        elif name == "jc":
            align = {"center": "center", "right": "right", "end": "right"}.get(wval(el), "left")
        elif name == "shd":
            fill = fill_of(el)
        elif name == "tblCellMar" and (left_el := el.find(q("left"))) is not None:
            margin_x = num(left_el.get(q("w"), "108")) / 20
    grid_el = tbl.find(q("tblGrid"))
    grid = tuple(num(c.get(q("w"), "0")) / 20 for c in grid_el.iter(q("gridCol"))) \
        if grid_el is not None else ()
    raw_rows: list[tuple[list[tuple[etree._Element | None, int, str]], bool, bool]] = []
    row_no = 0
    for tr in tbl:
        name = local(tr)
        if not name or name in ("tblPr", "tblGrid", "bookmarkStart", "bookmarkEnd", "proofErr"):
            continue
        refuse_revision(tr, reader.pkg, base)
        if name != "tr" or ns_prefix(tr) != W:
            raise DocxRefused(reader.name, base, msg.ELEMENT_TABLEAU_NON_PRIS.format(name=name))
        row_no += 1
        header, cant_split = False, False
        cells: list[tuple[etree._Element | None, int, str]] = []
        for part in tr:
            pname = local(part)
            where = f"{base}, ligne {row_no}"
            refuse_revision(part, reader.pkg, where)
            if pname == "trPr":
                for p in part:
                    refuse_revision(p, reader.pkg, where)
                    if local(p) == "hidden" and on(p):
                        raise DocxRefused(reader.name, where, msg.LIGNE_TABLEAU_MASQUEE)
                    if local(p) not in TRPR_OK:
                        raise DocxRefused(reader.name, where, msg.PROPRIETE_LIGNE_INCONNUE_W.format(
                            p=local(p)))
                    header = header or (local(p) == "tblHeader" and on(p))
                    cant_split = cant_split or (local(p) == "cantSplit" and on(p))
                    if local(p) == "gridBefore":
                        cells.append((None, int(num(wval(p), 0)), ""))
            elif pname == "tc":
                span, vmerge = 1, ""
                tc_pr = part.find(q("tcPr"))
                for p in (tc_pr if tc_pr is not None else []):
                    refuse_revision(p, reader.pkg, where)
                    if local(p) not in TCPR_OK:
                        raise DocxRefused(reader.name, where, msg.PROPRIETE_CELLULE_INCONNUE_W.format(
                            p=local(p)))
                    if local(p) == "gridSpan":
                        span = max(1, int(num(wval(p), 1)))
                    elif local(p) == "vMerge":
                        vmerge = wval(p) or "continue"
                cells.append((part, span, vmerge))
            elif pname in ("tblPrEx", "bookmarkStart", "bookmarkEnd", "proofErr"):
                continue
            else:
                raise DocxRefused(reader.name, where, msg.ELEMENT_LIGNE_NON_PRIS.format(
                    pname=pname))
        raw_rows.append((cells, header, cant_split))
    # vertical merges: a "restart" cell spans the "continue" cells below it, column by column
    starts: list[list[int]] = []
    for cells, _, _ in raw_rows:
        col, cols = 0, []
        for _, span, _ in cells:
            cols.append(col)
            col += span
        starts.append(cols)
    rows: list[m.Row] = []
    header_done = False
    for r, (cells, header, cant_split) in enumerate(raw_rows):
        out_cells: list[m.Cell] = []
        for c, (tc, span, vmerge) in enumerate(cells):
            if vmerge == "continue":
                continue
            down = 1
            if vmerge == "restart":
                col = starts[r][c]
                for rr in range(r + 1, len(raw_rows)):
                    below = [i for i, x in enumerate(starts[rr]) if x == col]
                    if below and raw_rows[rr][0][below[0]][2] == "continue":
                        down += 1
                    else:
                        break
            if tc is None:
                out_cells.append(m.Cell((), span, 1, "", "top", (m.Border(0),) * 4))
                continue
            out_cells.append(_cell(reader, tc, span, down, f"{base}, ligne {r + 1}, cellule {c + 1}",
                                   fill or shading))
        is_header = header and not header_done
        header_done = header_done or not header
        rows.append(m.Row(tuple(out_cells), is_header, cant_split))
    b = borders
    return m.Table(grid, tuple(rows), (b["top"], b["right"], b["bottom"], b["left"],
                                       b["insideH"], b["insideV"]), align, margin_x, margin_y)


def _cell(reader: Reader, tc: etree._Element, span: int, down: int, place: str,
          shading: str) -> m.Cell:

    tc_pr = tc.find(q("tcPr"))
    fill, valign = "", "top"
    cell_borders: dict[str, m.Border] = {}
    if tc_pr is not None:
        shd = tc_pr.find(q("shd"))
        fill = fill_of(shd) if shd is not None else ""
        va = tc_pr.find(q("vAlign"))
        valign = {"center": "horizon", "bottom": "bottom"}.get(wval(va), "top") if va is not None \
            else "top"
        _borders(tc_pr.find(q("tcBorders")), cell_borders)
    counter = _Counter(place)
    blocks: list[m.Block] = []
    for child in tc:
        if local(child) == "tcPr":
            continue
        blocks.extend(reader._content(child, counter, fill or shading, ()))
    sides = tuple(cell_borders.get(s) for s in ("top", "right", "bottom", "left"))
    return m.Cell(tuple(blocks), span, down, fill, valign, sides)  # type: ignore[arg-type]
