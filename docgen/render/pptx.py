"""RENDER the COPIL slides as an editable PowerPoint file (python-pptx).

The words and the order of the slides come from a template (pptx/diaporama.yaml, Jinja that
writes YAML, every value through |tojson); this module only lays them out: native text boxes,
native tables, native bar and doughnut charts, the timeline drawn with native shapes so that a
user can move a bar. Colours are the slides' fixed palette (render/charts.py).
"""

from __future__ import annotations

import datetime as dt
import io
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .. import messages as msg
from ..formatting import FILTERS
from ..templating import SearchPath, french_tojson
from .charts import ACQUIS, MARQUE, PALETTE, PROGRAMME, SOLLICITE
from .raster import logo_png

NAVY = "1F3A5F"
INK = "1B1B1B"
GREY = "555555"
COULEURS = {**PALETTE, "acquis": ACQUIS, "sollicite": SOLLICITE, "programme": PROGRAMME}


def slides_of(context: dict[str, Any], search: SearchPath) -> dict[str, Any]:
    """The slides as data: pptx/diaporama.yaml rendered with the COPIL's context."""
    from .maps import CartesHTML

    text = _slides_environment(search.roots).get_template("pptx/diaporama.yaml").render(
        **context, carte=CartesHTML())
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: same data
    return yaml.load(text, Loader=loader)  # noqa: S506 (safe)


@lru_cache(maxsize=8)
def _slides_environment(roots: tuple[Path, ...]) -> Any:
    """One environment per search path and process: the template is compiled once."""
    from jinja2 import ChoiceLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from ..templating import ConfinedLoader

    # plain text (no HTML escaping): every value is written through |tojson
    env = SandboxedEnvironment(loader=ChoiceLoader([ConfinedLoader(str(r)) for r in roots]),
                               undefined=StrictUndefined, autoescape=False)
    env.filters.update(FILTERS)
    env.filters["tojson"] = french_tojson(env.filters["tojson"])  # French typography, as elsewhere
    return env


def _rgb(hex_colour: str) -> Any:
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _text(slide: Any, x: float, y: float, w: float, h: float, lines: list[str], size: float,
          bold: bool = False, colour: str = INK, align: str = "left", space: float = 0) -> Any:
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
    from pptx.util import Inches, Pt

    box = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.TOP
    for side in ("left", "right", "top", "bottom"):
        setattr(frame, f"margin_{side}", Inches(0.02))
    for i, line in enumerate(lines):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        p.alignment = {"left": PP_ALIGN.LEFT, "right": PP_ALIGN.RIGHT,
                       "center": PP_ALIGN.CENTER}[align]
        if space:
            p.space_after = Pt(space)
        run = p.add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.name = "Liberation Sans"
        run.font.color.rgb = _rgb(colour)
    return box


def _rect(slide: Any, x: float, y: float, w: float, h: float, colour: str,
          rounded: bool = False) -> Any:
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Inches

    shape = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE if rounded else MSO_SHAPE.RECTANGLE,
                                   Inches(x), Inches(y), Inches(max(w, 0.01)), Inches(h))
    shape.fill.solid()
    shape.fill.fore_color.rgb = _rgb(colour)
    shape.line.fill.background()
    shape.shadow.inherit = False
    return shape


W, H = 13.333, 7.5  # inches, 16:9
LEFT = 0.6  # the safe area: 0.6 in from the sides
TOP = 1.35  # below the title


def _frame(slide: Any, title: str, footer: str, number: int, total: int,
           band: float = 0.28) -> None:
    _rect(slide, 0, 0, W, band, NAVY)
    if title:
        _text(slide, LEFT, band + 0.2, W - 2 * LEFT, 0.8, [title], 28, bold=True, colour=NAVY)
    _text(slide, LEFT, H - 0.5, 9.5, 0.3, [footer], 12, colour="333333")
    _text(slide, W - LEFT - 1.5, H - 0.5, 1.5, 0.3, [f"{number} / {total}"], 12,
          colour="333333", align="right")


def _liste(slide: Any, s: dict[str, Any]) -> None:
    y = TOP
    if s.get("chapeau"):
        _text(slide, LEFT, y, W - 2 * LEFT, 0.7, [s["chapeau"]], 17)
        y += 0.8
    marks = [f"{i}. " if s.get("numerotee") else "• " for i in range(1, len(s["lignes"]) + 1)]
    _text(slide, LEFT + 0.2, y, W - 2 * LEFT - 0.2, H - y - 0.7,
          [m + t for m, t in zip(marks, s["lignes"])], 20, space=10)


def _tableau(slide: Any, s: dict[str, Any]) -> None:
    from pptx.util import Inches, Pt

    rows, cols = len(s["lignes"]) + 1, len(s["colonnes"])
    width = W - 2 * LEFT
    shape = slide.shapes.add_table(rows, cols, Inches(LEFT), Inches(TOP), Inches(width),
                                   Inches(0.45 * rows))
    table = shape.table
    for j, pct in enumerate(s.get("largeurs") or [100 / cols] * cols):
        table.columns[j].width = Inches(width * pct / 100)

    def fill(cell: Any, text: str, bold: bool, colour: str, background: str | None) -> None:
        cell.text = text
        para = cell.text_frame.paragraphs[0]
        for run in para.runs:
            run.font.size = Pt(15)
            run.font.bold = bold
            run.font.name = "Liberation Sans"
            run.font.color.rgb = _rgb(colour)
        if background:
            cell.fill.solid()
            cell.fill.fore_color.rgb = _rgb(background)
        else:
            cell.fill.background()

    for j, name in enumerate(s["colonnes"]):
        fill(table.cell(0, j), name, True, "FFFFFF", NAVY)
    for i, row in enumerate(s["lignes"], start=1):
        for j, value in enumerate(row["cellules"]):
            statut = row.get("statut") if j == cols - 1 else None
            if statut:
                back, ink = PALETTE[statut]
                fill(table.cell(i, j), value, True, ink, back)
            else:
                fill(table.cell(i, j), value, False, INK, "FFFFFF" if i % 2 else "EEF2F8")


def _chiffres(slide: Any, s: dict[str, Any]) -> None:
    items = s["items"]
    gap = 0.3
    w = (W - 2 * LEFT - gap * (len(items) - 1)) / len(items)
    for k, item in enumerate(items):
        x = LEFT + k * (w + gap)
        _rect(slide, x, TOP, w, 1.9, "EEF2F8", rounded=True)
        _text(slide, x + 0.2, TOP + 0.15, w - 0.4, 0.6, [item["valeur"]], 26, bold=True,
              colour=NAVY)
        _text(slide, x + 0.2, TOP + 0.8, w - 0.4, 0.5, [item["libelle"]], 15)
        if item.get("ecart"):
            _text(slide, x + 0.2, TOP + 1.3, w - 0.4, 0.5, [item["ecart"]], 13, colour="2D5A1F")


def _barres(slide: Any, s: dict[str, Any]) -> None:
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
    from pptx.util import Inches, Pt

    data = CategoryChartData(number_format=s.get("format", "General"))
    data.categories = s["categories"]
    series = [x for x in s["series"] if any(x["valeurs"])] or s["series"][:1]
    for x in series:
        data.add_series(x["nom"], [v or None for v in x["valeurs"]])
    kind = (XL_CHART_TYPE.BAR_STACKED if s.get("horizontal") else XL_CHART_TYPE.COLUMN_STACKED) \
        if s.get("empile") else XL_CHART_TYPE.BAR_CLUSTERED
    height = H - TOP - (1.2 if s.get("note") else 0.8)
    chart = slide.shapes.add_chart(kind, Inches(LEFT), Inches(TOP), Inches(W - 2 * LEFT),
                                   Inches(height), data).chart
    chart.has_title = False
    if s.get("horizontal"):  # first category on top, as in the PDF slides
        chart.category_axis.reverse_order = True
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(14)
    chart.font.size = Pt(14)
    chart.font.name = "Liberation Sans"
    plot = chart.plots[0]
    plot.gap_width = 60
    plot.overlap = 100
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.show_value = True
    labels.number_format = s.get("format", "General")
    labels.number_format_is_linked = False
    labels.position = XL_LABEL_POSITION.CENTER
    labels.font.size = Pt(12)
    for x, ps in zip(series, plot.series):
        back, ink = COULEURS[x["couleur"]]
        ps.format.fill.solid()
        ps.format.fill.fore_color.rgb = _rgb(back)
        ps.data_labels.font.color.rgb = _rgb(ink)
        ps.data_labels.font.size = Pt(12)
    chart.value_axis.has_major_gridlines = False
    chart.value_axis.tick_labels.font.size = Pt(12)
    chart.category_axis.tick_labels.font.size = Pt(13)
    if s.get("note"):
        _text(slide, LEFT, H - 1.15, W - 2 * LEFT, 0.4, [s["note"]], 13, colour="333333")


def _anneau(slide: Any, s: dict[str, Any]) -> None:
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
    from pptx.util import Inches, Pt

    data = CategoryChartData()
    data.categories = s["categories"]
    data.add_series(s["titre"], s["valeurs"])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.DOUGHNUT, Inches(LEFT + 2), Inches(TOP),
                                   Inches(W - 2 * LEFT - 4), Inches(H - TOP - 0.8), data).chart
    chart.has_title = False
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.RIGHT
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(16)
    plot = chart.plots[0]
    plot.has_data_labels = True
    plot.data_labels.show_value = True
    plot.data_labels.font.size = Pt(16)
    plot.data_labels.font.bold = True
    for k, statut in enumerate(s["couleurs"]):
        back, ink = PALETTE[statut]
        point = plot.series[0].points[k]
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = _rgb(back)
        point.data_label.font.color.rgb = _rgb(ink)
        point.data_label.font.size = Pt(16)


def _calendrier(slide: Any, s: dict[str, Any]) -> None:
    bars = s["barres"]
    first, last = s["debut"], s["fin"]
    start, end = dt.date(first, 1, 1), dt.date(last + 1, 1, 1)
    left = LEFT + 4.6
    right = W - LEFT
    top = TOP + 0.35
    bottom = H - 1.15
    step = (bottom - top) / max(len(bars), 1)
    scale = (right - left) / (end - start).days

    def xof(day: dt.date) -> float:
        return left + (day - start).days * scale

    for year in range(first, last + 2):
        x = xof(dt.date(year, 1, 1))
        _rect(slide, x, top - 0.05, 0.01, bottom - top + 0.05, "C8C8C8")
        if year <= last:
            _text(slide, x, top - 0.4, xof(dt.date(year + 1, 1, 1)) - x, 0.3, [str(year)], 14,
                  bold=True, align="center")
    size = 12 if step >= 0.3 else 10
    for i, b in enumerate(bars):
        y = top + i * step
        _text(slide, LEFT, y, left - LEFT - 0.1, step, [b["nom"]], size, align="right")
        d1, d2 = dt.date.fromisoformat(b["debut"]), dt.date.fromisoformat(b["fin"])
        _rect(slide, xof(d1), y + step * 0.15, xof(d2) - xof(d1), step * 0.7, PALETTE[b["statut"]][0])
    x = xof(dt.date.fromisoformat(s["jour"]))
    _rect(slide, x - 0.015, top - 0.1, 0.03, bottom - top + 0.1, MARQUE)
    legend = [(x["nom"], PALETTE[x["statut"]][0]) for x in s["legende"]] + [(s["repere"], MARQUE)]
    lx = LEFT
    for name, colour in legend:
        _rect(slide, lx, H - 0.95, 0.22, 0.22, colour)
        _text(slide, lx + 0.3, H - 1.0, 2.4, 0.3, [name], 13)
        lx += 0.45 + len(name) * 0.1


def _titre(slide: Any, s: dict[str, Any], logos: list[dict[str, str]]) -> None:
    from pptx.util import Inches

    _text(slide, LEFT, 0.9, W - 2 * LEFT, 0.4, [s["surtitre"].upper()], 20, bold=True,
          colour="1F5A8F")
    _text(slide, LEFT, 1.4, W - 2 * LEFT, 0.8, [s["titre"]], 36, bold=True, colour=NAVY)
    _text(slide, LEFT, 2.3, W - 2 * LEFT, 0.5, s["lignes"][:1], 22, bold=True)
    _text(slide, LEFT, 2.9, W - 2 * LEFT, 1.2, s["lignes"][1:], 16, colour="333333", space=4)
    if not (s.get("logos") and logos):
        return
    _rect(slide, LEFT, 4.55, W - 2 * LEFT, 0.01, "BBBBBB")
    height, gap = 0.62, 0.35
    x, y = LEFT, 4.75
    for logo in logos:
        png, ratio = logo_png(logo["src"], logo["nom"])
        width = height * ratio
        if x + width > W - LEFT:  # next line of the band
            x, y = LEFT, y + height + 0.2
        picture = slide.shapes.add_picture(io.BytesIO(png), Inches(x), Inches(y),
                                           Inches(width), Inches(height))
        picture.name = logo["nom"]
        picture._element.nvPicPr.cNvPr.set("descr", logo["nom"])  # alternative text
        x += width + gap


def _image(slide: Any, s: dict[str, Any]) -> None:
    """A drawing (the perimeter map) as a picture, as large as the safe area allows."""
    from pptx.util import Inches

    png, ratio = logo_png(s["image"], s["titre"], height=800)
    room_w, room_h = W - 2 * LEFT, H - TOP - 0.75
    width = min(room_w, room_h * ratio)
    height = width / ratio
    picture = slide.shapes.add_picture(io.BytesIO(png), Inches((W - width) / 2), Inches(TOP),
                                       Inches(width), Inches(height))
    picture.name = s["titre"]
    picture._element.nvPicPr.cNvPr.set("descr", s.get("description", ""))  # alternative text


def render_pptx(context: dict[str, Any], search: SearchPath, day: dt.date) -> bytes:
    """The COPIL's slides as a .pptx, fixed metadata (the edition date, no clock)."""
    from pptx import Presentation
    from pptx.util import Inches

    data = slides_of(context, search)
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(W), Inches(H)
    blank = deck.slide_layouts[6]
    slides = data["diapositives"]
    logos = list(context.get("logos", []))
    for number, s in enumerate(slides, start=1):
        slide = deck.slides.add_slide(blank)
        kind = s["type"]
        _frame(slide, "" if kind == "titre" else s["titre"], data["pied"], number, len(slides),
               band=0.5 if kind == "titre" else 0.28)
        if kind == "titre":
            _titre(slide, s, logos)
        elif kind == "liste":
            _liste(slide, s)
        elif kind == "tableau":
            _tableau(slide, s)
        elif kind == "chiffres":
            _chiffres(slide, s)
        elif kind == "barres":
            _barres(slide, s)
        elif kind == "anneau":
            _anneau(slide, s)
        elif kind == "calendrier":
            _calendrier(slide, s)
        elif kind == "image":
            _image(slide, s)
        else:  # a territory's template named a slide type docgen does not draw
            raise ValueError(msg.PPTX_DIAPORAMA_YAML_TYPE.format(kind=kind))
    from .docx import check_properties

    check_properties("pptx/diaporama.yaml", {"title": data["titre"], "author": data["auteur"],
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
