"""RENDER the COPIL slides as an editable PowerPoint file (python-pptx).

It draws the plan docgen laid out once (docgen/slides.py), block by block at the same places as
the PDF: native text boxes, native tables (statuses as pills over their cells), native bar
charts that show their values (the labels the PDF prints, as custom label texts, so PowerPoint
and LibreOffice Impress both show them), the timeline as native shapes a user can move, the map
and the logos as pictures; the speaker notes from the template.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from .. import messages as msg
from ..templating import SearchPath

FONT = "Liberation Sans"  # metric-compatible with Arial, which PowerPoint uses in its place


def _rgb(hex_colour: str) -> Any:
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_colour.upper())


def _emu(points: float) -> int:
    return int(round(points * 12700))


def _paragraphs(frame: Any, paragraphes: Any) -> None:
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Pt

    for i, para in enumerate(paragraphes):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        p.alignment = {"left": PP_ALIGN.LEFT, "right": PP_ALIGN.RIGHT,
                       "center": PP_ALIGN.CENTER}[para.aligne]
        p.line_spacing = Pt(para.interligne)  # exact, as the PDF's line-height
        p.space_after = Pt(para.apres)
        p.space_before = Pt(0)
        if para.retrait:  # the marker hangs in the indent, the text aligned after it
            p._pPr.set("marL", str(_emu(para.retrait)))
            p._pPr.set("indent", str(-_emu(para.retrait)))
        runs = [(para.marque + "\t", False)] if para.marque else []
        runs += [(r.texte, r.gras) for r in para.runs]
        for text, bold in runs:
            run = p.add_run()
            run.text = text
            run.font.size = Pt(para.taille)
            run.font.bold = bold
            run.font.name = FONT
            run.font.color.rgb = _rgb(para.couleur)


def _frame(shape: Any, margin_x: float = 0, margin_y: float = 0) -> Any:
    from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE

    frame = shape.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = MSO_ANCHOR.TOP
    frame.margin_left = frame.margin_right = _emu(margin_x)
    frame.margin_top = frame.margin_bottom = _emu(margin_y)
    return frame


def _flat(shape: Any) -> Any:
    """No theme style on a shape (its shadow, its outline): only what docgen sets."""
    from pptx.oxml.ns import qn

    style = shape._element.find(qn("p:style"))
    if style is not None:
        shape._element.remove(style)
    return shape


def _texte(slide: Any, b: Any) -> None:
    box = slide.shapes.add_textbox(_emu(b.x), _emu(b.y), _emu(b.w), _emu(b.h))
    box.name = {"titre": msg.FORME_TITRE, "pied": msg.FORME_PIED}.get(b.role, msg.FORME_TEXTE)
    _paragraphs(_frame(box), b.paragraphes)


def _rect(slide: Any, b: Any) -> None:
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Pt

    shape = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE if b.arrondi else MSO_SHAPE.RECTANGLE,
                                   _emu(b.x), _emu(b.y), _emu(max(b.w, 0.1)), _emu(max(b.h, 0.1)))
    if b.arrondi:
        shape.adjustments[0] = min(0.5, 6 / max(min(b.w, b.h), 1))
    _flat(shape)
    shape.fill.solid()
    shape.fill.fore_color.rgb = _rgb(b.couleur)
    if b.trait:
        shape.line.color.rgb = _rgb(b.trait)
        shape.line.width = Pt(1.5)
    else:
        shape.line.fill.background()
    shape.shadow.inherit = False


def _trait(slide: Any, b: Any) -> None:
    from pptx.enum.dml import MSO_LINE_DASH_STYLE
    from pptx.enum.shapes import MSO_CONNECTOR
    from pptx.util import Pt

    line = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, _emu(b.x), _emu(b.y1), _emu(b.x),
                                      _emu(b.y2))
    _flat(line)
    line.line.color.rgb = _rgb(b.couleur)
    line.line.width = Pt(b.epaisseur)
    if b.tirets:
        line.line.dash_style = MSO_LINE_DASH_STYLE.DASH


def _tableau(slide: Any, b: Any) -> None:
    from pptx.enum.text import MSO_ANCHOR

    from ..slides import COULEURS, NAVY, PAD_X, PAD_Y, Paragraphe, Run

    rows = [b.entete, *b.lignes]
    cols = len(b.largeurs)
    shape = slide.shapes.add_table(len(rows), cols, _emu(b.x), _emu(b.y), _emu(b.w), _emu(b.h))
    shape.name = msg.FORME_TABLEAU
    table = shape.table
    table.first_row = True
    table.horz_banding = False
    for j, w in enumerate(b.largeurs):
        table.columns[j].width = _emu(w)
    pills = []
    y = b.y
    for i, row in enumerate(rows):
        table.rows[i].height = _emu(row.hauteur)
        if row.intertitre:
            table.cell(i, 0).merge(table.cell(i, cols - 1))
        x = b.x
        for j in range(cols):
            cell = table.cell(i, j)
            cell.margin_left = cell.margin_right = _emu(PAD_X)
            cell.margin_top = cell.margin_bottom = _emu(PAD_Y)
            cell.vertical_anchor = MSO_ANCHOR.TOP
            if i == 0:
                back, ink, bold = NAVY, "FFFFFF", True
            elif row.intertitre:
                back, ink, bold = "EEF2F8", NAVY, True
            else:
                back, ink, bold = ("F5F7FB" if i % 2 == 0 else "FFFFFF"), "1B1B1B", False
            cell.fill.solid()
            cell.fill.fore_color.rgb = _rgb(back)
            if i > 0:
                _rule_below(cell)
            if j < len(row.cellules) and not (row.intertitre and j > 0):
                c = row.cellules[j]
                if c.statut:  # a pill over the cell, as in the PDF
                    pills.append((x + PAD_X, y + PAD_Y, c))
                    text = ""
                else:
                    text = c.texte
                cell.text_frame.word_wrap = True
                _paragraphs(cell.text_frame, [Paragraphe((Run(text, bold),), b.taille,
                                                         couleur=ink)])
            x += b.largeurs[j]
        y += row.hauteur
    from pptx.enum.shapes import MSO_SHAPE

    from .charts import largeur

    for px, py, c in pills:
        back, ink = COULEURS[c.statut]
        w = largeur(c.texte, b.taille, True) + 16  # a little more than the PDF: never wraps
        h = b.taille * 1.2 + 4
        pill = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, _emu(px), _emu(py), _emu(w),
                                      _emu(h))
        pill.name = msg.FORME_STATUT
        _flat(pill)
        pill.adjustments[0] = 0.5
        pill.fill.solid()
        pill.fill.fore_color.rgb = _rgb(back)
        pill.line.fill.background()
        pill.shadow.inherit = False
        frame = _frame(pill, 6, 0)
        frame.word_wrap = False
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        _paragraphs(frame, [Paragraphe((Run(c.texte, True),), b.taille, couleur=ink,
                                       aligne="center")])


def _rule_below(cell: Any) -> None:
    """A thin grey rule under a table cell, as the PDF's rows have (a:lnB, before the fill)."""
    from lxml import etree
    from pptx.oxml.ns import qn

    tcPr = cell._tc.get_or_add_tcPr()
    line = etree.Element(qn("a:lnB"), w="9525", cmpd="sng")
    fill = etree.SubElement(line, qn("a:solidFill"))
    etree.SubElement(fill, qn("a:srgbClr"), val="BBBBBB")
    tcPr.insert(0, line)


def _graphique(slide: Any, b: Any) -> None:
    """A native stacked bar chart: its plot area where the PDF's bars are, every value the PDF
    labels labelled with the same text, no value axis (the PDF has none)."""
    from lxml import etree
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_TICK_MARK
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    from ..slides import COULEURS, INK

    data = CategoryChartData(number_format='#,##0 "€"' if b.format == "montant" else "0")
    data.categories = list(b.categories)
    for serie in b.series:
        data.add_series(serie.nom, [v or None for v in serie.valeurs])
    frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_STACKED, _emu(b.x), _emu(b.y), _emu(b.w),
                                   _emu(b.h), data)
    frame.name = b.description[:60] or msg.FORME_GRAPHIQUE
    frame._element.nvGraphicFramePr.cNvPr.set("descr", b.description)
    chart = frame.chart
    chart.has_title = False
    chart.font.size = Pt(b.taille)
    chart.font.name = FONT
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(b.taille)
    axis = chart.category_axis
    axis.reverse_order = True  # the first category on top, as in the PDF
    axis.tick_labels.font.size = Pt(b.taille)
    axis.has_major_gridlines = False
    axis.major_tick_mark = XL_TICK_MARK.NONE
    axis.format.line.color.rgb = _rgb(INK)
    values = chart.value_axis
    values.minimum_scale = 0
    values.maximum_scale = b.maximum
    values.has_major_gridlines = False
    values.visible = False
    plot = chart.plots[0]
    plot.gap_width = int(b.ecart)
    plot.overlap = 100
    for serie, ps in zip(b.series, plot.series):
        back, ink = COULEURS[serie.couleur]
        ps.format.fill.solid()
        ps.format.fill.fore_color.rgb = _rgb(back)
        ps.format.line.color.rgb = _rgb("FFFFFF")
        ps.invert_if_negative = False
        for i, label in enumerate(serie.etiquettes):
            if not label:
                continue
            dl = ps.points[i].data_label
            dl.has_text_frame = True
            dl.text_frame.text = label
            run = dl.text_frame.paragraphs[0].runs[0]
            run.font.size = Pt(b.taille)
            run.font.name = FONT
            run.font.color.rgb = _rgb(ink)
            dl.position = XL_LABEL_POSITION.CENTER
            dl.text_frame._txBody.bodyPr.set("wrap", "none")  # LibreOffice would wrap it
    # the plot area (the bars, without the category names) exactly where the PDF draws them
    area = chart._chartSpace.chart.plotArea
    x0, y0, w0, h0 = b.zone
    layout = etree.SubElement(area, qn("c:layout"))
    area.remove(layout)
    area.insert(0, layout)
    manual = etree.SubElement(layout, qn("c:manualLayout"))
    for tag, val in (("c:layoutTarget", "inner"), ("c:xMode", "edge"), ("c:yMode", "edge"),
                     ("c:x", (x0 - b.x) / b.w), ("c:y", (y0 - b.y) / b.h),
                     ("c:w", w0 / b.w), ("c:h", h0 / b.h)):
        etree.SubElement(manual, qn(tag)).set("val", val if isinstance(val, str)
                                              else f"{val:.5f}")


def _picture(slide: Any, b: Any, src: str, name: str, description: str, height: int) -> None:
    from .raster import logo_png

    png, _ = logo_png(src, name, height=height)
    picture = slide.shapes.add_picture(io.BytesIO(png), _emu(b.x), _emu(b.y), _emu(b.w),
                                       _emu(b.h))
    picture.name = name[:60]
    picture._element.nvPicPr.cNvPr.set("descr", description)  # alternative text


def _image(slide: Any, b: Any) -> None:
    """The map, as a picture the size of its place (the drawing has that aspect)."""
    _picture(slide, b, b.svg, msg.FORME_CARTE, b.description, 1000)


def _logo(slide: Any, b: Any) -> None:
    _picture(slide, b, b.src, b.nom, b.nom, 240)


DRAW = {"texte": _texte, "rect": _rect, "trait": _trait, "tableau": _tableau,
        "graphique": _graphique, "image": _image, "logo": _logo}


def render_pptx(context: dict[str, Any], search: SearchPath, day: dt.date) -> bytes:
    """The COPIL's slides as a .pptx, fixed metadata (the edition date, no clock)."""
    from ..slides import plan

    return pptx_of(plan(context, search), day)


def pptx_of(p: Any, day: dt.date) -> bytes:
    from pptx import Presentation
    from pptx.util import Emu

    from ..slides import H, W

    deck = Presentation()
    deck.slide_width, deck.slide_height = Emu(_emu(W)), Emu(_emu(H))
    blank = deck.slide_layouts[6]
    for d in p.diapositives:
        slide = deck.slides.add_slide(blank)
        for b in d.blocs:
            DRAW[b.genre](slide, b)
        if d.notes:
            slide.notes_slide.notes_text_frame.text = "\n".join(d.notes)
    data = {"titre": p.titre, "auteur": p.auteur, "sujet": p.sujet}
    from .docx import check_properties

    check_properties("commun/diaporama.yaml", {"title": data["titre"], "author": data["auteur"],
                                             "subject": data["sujet"]})
    props = deck.core_properties
    props.title = data["titre"]
    props.author = data["auteur"]
    props.subject = data["sujet"]
    props.language = "fr-FR"
    stamp = dt.datetime(day.year, day.month, day.day)
    props.created = props.modified = stamp
    props.last_modified_by = data["auteur"]
    props.revision = 1
    _fixed_workbooks(deck, day)
    buf = io.BytesIO()
    deck.save(buf)
    from .package import normalise_zip

    return normalise_zip(buf.getvalue())


def _fixed_workbooks(deck: Any, day: dt.date) -> None:
    """Each native chart carries its data as an embedded workbook that XlsxWriter stamps with
    the clock and the current time in its zip entries: the edition date instead, so that two
    builds give the same bytes."""
    import re
    import zipfile

    from .package import normalise_zip

    stamp = f"{day.isoformat()}T00:00:00Z".encode()
    for slide in deck.slides:
        for shape in slide.shapes:
            if not shape.has_chart:
                continue
            xlsx = shape.chart.part.chart_workbook.xlsx_part
            if xlsx is None:
                continue
            src = zipfile.ZipFile(io.BytesIO(xlsx.blob))
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
                for name in src.namelist():
                    data = src.read(name)
                    if name == "docProps/core.xml":
                        data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp,
                                      data)
                    dst.writestr(name, data)
            xlsx._blob = normalise_zip(out.getvalue())
