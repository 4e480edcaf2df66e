"""One COPIL deck, two faithful renderings (issue 28): the slide plan (docgen/slides.py) drawn
in HTML → PDF and in PowerPoint says the same words on the same slide, with the same chart data;
no text box overflows its place or overlaps another in either; Impress shows the charts' values.
Checked for every COPIL of the example and for COPILs made hard on purpose: a long avenant,
many axes, a very long action title."""

from __future__ import annotations

import base64
import copy
import io
import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from pptx import Presentation

from docgen import messages as msg
from docgen import slides
from docgen.render.charts import largeur
from tests.conftest import EXAMPLE

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def _contexts() -> tuple[dict[int, dict[str, Any]], Any]:
    from docgen.context import copil_context
    from docgen.load import load_case
    from docgen.load.assets import logos
    from docgen.resolve import resolve

    case = load_case(EXAMPLE)
    resolved = resolve(case.convention, case.avenants)
    return {c.numero: copil_context(case, resolved, c.numero, logos(case))
            for c in case.copils}, case


def _long_avenant(ctx: dict[str, Any]) -> dict[str, Any]:
    """COPIL 3 submits avenant n° 1: here an avenant of twenty-four changes."""
    av = ctx["avenants_du_copil"][0]
    av["objet"] = av["objet"] + " ; " + av["objet"]
    mods = av["modifications"]
    av["modifications"] = [dict(m) for _ in range(8) for m in mods]
    return ctx


def _many_axes(ctx: dict[str, Any]) -> dict[str, Any]:
    """Nine axes of one to three actions each."""
    fiches = [f for a in ctx["axes_slides"] for f in a["fiches"]]
    ctx["axes_slides"] = [
        {"axe": f"Axe {k} – Revitalisation, commerces et services de proximité", "transversal": False,
         "fiches": fiches[(k * 3) % len(fiches):(k * 3) % len(fiches) + 1 + k % 3]}
        for k in range(1, 10)]
    base = ctx["chiffres"]["par_axe"][0]
    ctx["chiffres"]["par_axe"] = [
        {**base, "axe": a["axe"], "comptes": {**{s: 0 for s in base["comptes"]},
                                                "realisee": len(a["fiches"]), "en_cours": 1}}
        for a in ctx["axes_slides"]]
    return ctx


LONG = ("Requalification complète des espaces publics du centre-bourg, de la place de l’Église "
        "jusqu’aux berges de la Durance, avec la reprise des réseaux, l’éclairage et la "
        "signalétique commerciale de l’ensemble du secteur")


def _long_title(ctx: dict[str, Any]) -> dict[str, Any]:
    ctx["axes_slides"][0]["fiches"][0]["intitule"] = LONG
    ctx["calendrier"]["barres"][0]["intitule"] = LONG
    return ctx


CASES: dict[str, tuple[int, Callable[[dict[str, Any]], dict[str, Any]] | None]] = {
    "copil-1": (1, None), "copil-2": (2, None), "copil-3": (3, None), "copil-4": (4, None),
    "avenant-long": (3, _long_avenant), "axes-nombreux": (4, _many_axes),
    "intitule-long": (4, _long_title),
}


@pytest.fixture(scope="module")
def decks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Any, Path, Path]]:
    """Each case: its plan, its PDF and its PPTX, rendered as the build renders them."""
    from docgen.render.diaporama import pdf_of
    from docgen.render.pptx import pptx_of
    from docgen.templating import SearchPath

    contexts, case = _contexts()
    search = SearchPath.of(case.folder)
    out = tmp_path_factory.mktemp("decks")
    made = {}
    for name, (numero, change) in CASES.items():
        ctx = copy.deepcopy(contexts[numero])
        if change:
            ctx = change(ctx)
        plan = slides.plan(ctx, search)
        pdf, pptx = out / f"{name}.pdf", out / f"{name}.pptx"
        pdf.write_bytes(pdf_of(plan, ctx, search, pdf.name))
        pptx.write_bytes(pptx_of(plan, ctx["date_edition"]))
        made[name] = (plan, pdf, pptx)
    return made


# -- reading the two renderings ------------------------------------------------------------

def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def pdf_pages(path: Path) -> list[str]:
    raw = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                         check=True).stdout.decode("utf-8")
    return [_norm(p) for p in raw.split("\f")[:-1]]


def _svg_texts(uri: str) -> str:
    svg = base64.b64decode(uri.split(",", 1)[1])
    root = etree.fromstring(svg)
    return " ".join("".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))


def pptx_texts(shape: Any) -> list[str]:
    """What a shape shows as text: its frame, its table's cells, its chart's categories,
    series (the legend) and value labels."""
    out = []
    if shape.has_text_frame:
        out.append(shape.text_frame.text)
    if getattr(shape, "has_table", False) and shape.has_table:
        out += [c.text for row in shape.table.rows for c in row.cells if not c.is_spanned]
    if getattr(shape, "has_chart", False) and shape.has_chart:
        plot = shape.chart.plots[0]
        out += [str(c) for c in plot.categories]
        out += [s.name for s in plot.series]
        xml = shape.chart._chartSpace
        out += ["".join(t.itertext()) for t in xml.iter(C + "dLbl") for t in t.iter(A + "t")]
    return out


def chars(texts: list[str]) -> Counter[str]:
    return Counter(ch for t in texts for ch in _norm(t) if not ch.isspace())


# -- one plan, the same words ---------------------------------------------------------------

@pytest.mark.parametrize("name", list(CASES))
def test_the_pdf_and_the_pptx_show_the_same_slides_word_for_word(decks, name: str) -> None:
    plan, pdf, pptx = decks[name]
    pages = pdf_pages(pdf)
    deck = Presentation(str(pptx))
    assert len(pages) == len(deck.slides) == len(plan.diapositives)
    for k, (page, slide, planned) in enumerate(zip(pages, deck.slides, plan.diapositives), 1):
        shown = [t for sh in slide.shapes for t in pptx_texts(sh)]
        # the map and the logos are pictures in the PowerPoint, vector drawings in the PDF:
        # their words come from the one drawing both show
        shown += [_svg_texts(b.svg) for b in planned.blocs if b.genre == "image"]
        shown += [_svg_texts(b.src) for b in planned.blocs if b.genre == "logo"]
        left, right = chars([page]), chars(shown)
        assert left == right, (name, k, planned.titre, left - right, right - left)
        if planned.titre:  # and on the same slide
            assert planned.titre.split(" (suite)")[0].split()[0] in page


@pytest.mark.parametrize("name", list(CASES))
def test_the_charts_carry_the_plans_data_in_both(decks, name: str) -> None:
    plan, pdf, pptx = decks[name]
    deck = Presentation(str(pptx))
    pages = pdf_pages(pdf)
    for slide, planned, page in zip(deck.slides, plan.diapositives, pages):
        charts = [sh.chart for sh in slide.shapes if sh.has_chart]
        graphs = [b for b in planned.blocs if b.genre == "graphique"]
        assert len(charts) == len(graphs)
        for chart, g in zip(charts, graphs):
            plot = chart.plots[0]
            assert tuple(str(c) for c in plot.categories) == g.categories
            for series, serie in zip(plot.series, g.series):
                assert series.name == serie.nom
                assert [v or 0 for v in series.values] == list(serie.valeurs)
                for label in serie.etiquettes:  # every value label printed in the PDF too
                    if label:
                        assert _norm(label).replace(" ", "") in page.replace(" ", "")
            for total in g.totaux:
                assert _norm(total).replace(" ", "") in page.replace(" ", "")


def test_slides_that_do_not_fit_continue_with_their_band_and_title(decks) -> None:
    plan, pdf, _ = decks["avenant-long"]
    titles = [" ".join(d.titre.split()) for d in plan.diapositives]
    assert "Projet d’avenant n° 1 (suite)" in titles
    pages = pdf_pages(pdf)
    k = titles.index("Projet d’avenant n° 1 (suite)")
    assert " ".join(pages[k].split()).startswith("Projet d’avenant n° 1 (suite)")
    band = plan.diapositives[k].blocs[0]
    assert band.genre == "rect" and band.y == 0 and band.w == slides.W  # the top band too
    # the objet is said once, on the first slide, before the changes
    assert "Objet" in pages[k - 1] and "Objet" not in pages[k]


def test_short_axes_share_a_slide_under_their_names(decks) -> None:
    plan, _, _ = decks["axes-nombreux"]
    tables = [b for d in plan.diapositives for b in d.blocs if b.genre == "tableau"]
    assert len(tables) < 9  # nine axes, fewer slides
    heads = [r.cellules[0].texte for t in tables for r in t.lignes if r.intertitre]
    assert len(heads) >= 8


def test_a_long_action_title_is_wrapped_whole_in_the_table(decks) -> None:
    plan, _, pptx = decks["intitule-long"]
    cells = [c.texte for d in plan.diapositives for b in d.blocs if b.genre == "tableau"
             for r in b.lignes for c in r.cellules]
    assert LONG in cells  # the table gives it whole (the PDF's words are checked above)
    shown = [c.text for s in Presentation(str(pptx)).slides for sh in s.shapes
             if getattr(sh, "has_table", False) and sh.has_table
             for row in sh.table.rows for c in row.cells]
    assert LONG in shown
    labels = [p.texte for d in plan.diapositives for b in d.blocs if b.genre == "texte"
              for p in b.paragraphes if p.texte.startswith("1. Requalification")]
    assert labels and all(len(label) <= len(LONG) + 3 for label in labels)


# -- nothing overflows, nothing overlaps ------------------------------------------------------

def _lines(runs: list[tuple[str, float, bool]], width: float) -> int:
    """How many lines the runs take at that width (an independent greedy measure)."""
    words: list[tuple[str, float, bool, bool]] = []
    for text, size, bold in runs:
        for k, w in enumerate(text.replace("\t", " ").split(" ")):
            if w:
                words.append((w, size, bold, k > 0 or bool(words)))
    n, used = 1, 0.0
    for w, size, bold, space in words:
        ww = largeur(w, size, bold)
        sp = largeur(" ", size, bold) if space and used else 0.0
        if used and used + sp + ww > width + 0.01:
            n, used, sp = n + 1, 0.0, 0.0
        used += sp + ww
    return n


def _frame_height(frame: Any, width: float) -> float:
    total = 0.0
    paras = list(frame.paragraphs)
    for i, p in enumerate(paras):
        # a marker (« • », « 3. ») and its tab hang in the indent: not on the text's line
        runs = [(r.text, r.font.size.pt, bool(r.font.bold)) for r in p.runs
                if not r.text.endswith("\t")]
        if not runs:
            continue
        marl = int(p._pPr.get("marL", "0")) / 12700 if p._pPr is not None else 0.0
        total += _lines(runs, width - marl) * p.line_spacing.pt
        if i < len(paras) - 1:
            total += p.space_after.pt if p.space_after is not None else 0
    return total


def _box(sh: Any) -> tuple[float, float, float, float]:
    return sh.left / 12700, sh.top / 12700, sh.width / 12700, sh.height / 12700


def _inside(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return (a[0] >= b[0] - 0.5 and a[1] >= b[1] - 0.5 and a[0] + a[2] <= b[0] + b[2] + 0.5
            and a[1] + a[3] <= b[1] + b[3] + 0.5)


def _meet(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return (a[0] + 0.5 < b[0] + b[2] and b[0] + 0.5 < a[0] + a[2]
            and a[1] + 0.5 < b[1] + b[3] and b[1] + 0.5 < a[1] + a[3])


@pytest.mark.parametrize("name", list(CASES))
def test_no_text_box_of_the_pptx_overflows_or_overlaps(decks, name: str) -> None:
    _, _, pptx = decks[name]
    deck = Presentation(str(pptx))
    for k, slide in enumerate(deck.slides, 1):
        texts, frames = [], []
        for sh in slide.shapes:
            box = _box(sh)
            if sh.has_text_frame and sh.text_frame.text.strip():
                frame = sh.text_frame
                if frame.word_wrap is False:  # a status pill: one line, wide enough
                    run = frame.paragraphs[0].runs[0]
                    need = largeur(run.text, run.font.size.pt, True) + 12
                    assert need <= box[2] + 0.5, (name, k, run.text)
                else:
                    need = _frame_height(frame, box[2])
                    assert need <= box[3] + 0.5, (name, k, frame.text[:60], need, box[3])
                texts.append((sh.name, box))
            elif sh.has_chart or getattr(sh, "has_table", False) and sh.has_table \
                    or sh.shape_type == 13:
                frames.append((sh, box))
            if sh.has_text_frame and sh.text_frame.text.strip() or sh in [f for f, _ in frames]:
                assert slides.MARGE - 0.5 <= box[0] and box[0] + box[2] <= slides.W - slides.MARGE \
                    + 0.5, (name, k, sh.name)
                assert box[1] >= 0 and box[1] + box[3] <= slides.H - 10, (name, k, sh.name)
            if getattr(sh, "has_table", False) and sh.has_table:
                for row in sh.table.rows:
                    for cell, col in zip(row.cells, sh.table.columns):
                        if cell.is_spanned or not cell.text:
                            continue
                        width = (col.width if not cell.is_merge_origin else sh.width) / 12700
                        need = _frame_height(cell.text_frame, width - 12) + 10
                        assert need <= row.height / 12700 + 0.5, (name, k, cell.text[:40])
        for i, (n1, b1) in enumerate(texts):
            for n2, b2 in texts[i + 1:]:
                assert not _meet(b1, b2), (name, k, n1, n2)
            for sh, fb in frames:
                if _meet(b1, fb):  # a status pill on its table, a total beside its bar
                    assert _inside(b1, fb) and (n1 == msg.FORME_STATUT and sh.has_table
                                                or sh.has_chart), (name, k, n1, sh.name)


def _bars_end(sh: Any) -> list[tuple[float, float, float]]:
    """Each category's band (top, bottom) and the end of its stacked bar, in points, from the
    chart's own plot-area layout and axis maximum."""
    chart = sh.chart
    x, y, w, h = _box(sh)
    layout = chart._chartSpace.find(f".//{C}plotArea/{C}layout/{C}manualLayout")
    fx, fy, fw, fh = (float(layout.find(C + t).get("val")) for t in ("x", "y", "w", "h"))
    top, width, height = y + fy * h, fw * w, fh * h
    left = x + fx * w
    biggest = chart.value_axis.maximum_scale
    plot = chart.plots[0]
    n = len(plot.categories)
    totals = [sum((s.values[i] or 0) for s in plot.series) for i in range(n)]
    return [(top + i * height / n, top + (i + 1) * height / n, left + t / biggest * width)
            for i, t in enumerate(totals)]


@pytest.mark.parametrize("name", ["copil-3", "copil-4", "axes-nombreux"])
def test_each_total_is_written_after_its_bar(decks, name: str) -> None:
    _, _, pptx = decks[name]
    for slide in Presentation(str(pptx)).slides:
        charts = [sh for sh in slide.shapes if sh.has_chart]
        for chart in charts:
            bands = _bars_end(chart)
            cb = _box(chart)
            totals = [sh for sh in slide.shapes if sh.has_text_frame and sh.text_frame.text
                      and _inside(_box(sh), cb)]
            assert totals
            for sh in totals:
                bx, by, bw, bh = _box(sh)
                band = next(b for b in bands if b[0] <= by + bh / 2 <= b[1])
                assert bx >= band[2] - 0.5, sh.text_frame.text


def _pdf_words(path: Path) -> list[tuple[int, float, float, float, float, str]]:
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True,
                          check=True).stdout.decode("utf-8")
    out = []
    for k, page in enumerate(html.split("<page ")[1:], 1):
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                             r'yMax="([\d.]+)">([^<]*)</word>', page):
            out.append((k, *(float(m.group(i)) for i in range(1, 5)), m.group(5)))
    return out


@pytest.mark.parametrize("name", list(CASES))
def test_no_word_of_the_pdf_leaves_the_safe_area_or_covers_another(decks, name: str) -> None:
    plan, pdf, _ = decks[name]
    words = _pdf_words(pdf)
    assert words
    by_page: dict[int, list[tuple[float, float, float, float, str]]] = {}
    for k, x1, y1, x2, y2, word in words:
        assert slides.MARGE - 1 <= x1 and x2 <= slides.W - slides.MARGE + 1, (name, k, word)
        assert y1 >= 0 and y2 <= slides.H - 8, (name, k, word)
        pictures = [b for b in plan.diapositives[k - 1].blocs if b.genre in ("image", "logo")]
        if any(b.x <= x1 and x2 <= b.x + b.w and b.y <= y1 and y2 <= b.y + b.h
               for b in pictures):
            continue  # the map's own labels: placed and checked by render/maps.py
        # the glyphs, not the line box (pdftotext's boxes of two lines of a label touch)
        pad = (y2 - y1) * 0.1
        by_page.setdefault(k, []).append((x1, y1 + pad, x2 - x1, y2 - y1 - 2 * pad, word))
    for k, boxes in by_page.items():
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert not _meet(a[:4], b[:4]), (name, k, a[4], b[4])


# -- projected to élus ------------------------------------------------------------------------

def test_type_is_read_from_the_back_of_the_room(decks) -> None:
    """Titles 28 pt, lists 20, tables 18, chart labels and legends 14 or more; only the footer
    and the page number are smaller (12)."""
    _, _, pptx = decks["copil-4"]
    for slide in Presentation(str(pptx)).slides:
        for sh in slide.shapes:
            if sh.has_text_frame:
                for p in sh.text_frame.paragraphs:
                    for r in p.runs:
                        if sh.name == msg.FORME_PIED:
                            assert r.font.size.pt >= 12
                        else:
                            assert r.font.size.pt >= 13, (sh.name, r.text)
            if sh.has_chart:
                assert sh.chart.font.size.pt >= 14


def test_late_actions_deltas_and_decisions_are_worded(decks) -> None:
    _, pdf, pptx = decks["copil-4"]
    flat = " ".join(" ".join(pdf_pages(pdf)).split())
    assert "en retard" in flat  # fiche 13 ended in 2025 and is still « en cours »
    assert "+577 400 € depuis le COPIL du 8 novembre 2024" in flat
    assert "depuis le COPIL n°" not in flat
    assert ("Ouverture de l’ORT à d’autres communes : Ouvrir une réflexion collective sur "
            "l’élargissement du programme") in flat
    assert "aucun" not in flat and "schématique" not in flat  # no internal word for élus


def test_speaker_notes_give_the_intervenants_and_the_definitions(decks) -> None:
    _, _, pptx1 = decks["copil-1"]
    notes = [s.notes_slide.notes_text_frame.text for s in Presentation(str(pptx1)).slides
             if s.has_notes_slide]
    assert any("intervenants" in n and "Érika ALLAIS" in n for n in notes)
    _, _, pptx4 = decks["copil-4"]
    notes = "\n".join(s.notes_slide.notes_text_frame.text
                      for s in Presentation(str(pptx4)).slides if s.has_notes_slide)
    notes = notes.replace("\u00a0", " ")
    assert "Taux de financement : les subventions obtenues rapportées" in notes
    assert "Réalisée : l’action est achevée." in notes
    assert "Coprésidence : M. Alain SANCHEZ, Maire" in notes and "DRUJON" in notes


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice absent")
def test_impress_shows_every_value_of_every_chart(decks, tmp_path: Path) -> None:
    """The PPTX opened by LibreOffice Impress and saved as PDF: each chart's value labels and
    totals, in French (spaces, €), and no bare axis number such as « 100000 »."""
    plan, _, pptx = decks["copil-4"]
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={profile}", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(pptx)], capture_output=True,
                   timeout=240)
    pages = pdf_pages(tmp_path / (pptx.stem + ".pdf"))
    assert len(pages) == len(plan.diapositives)
    seen = 0
    for planned, page in zip(plan.diapositives, pages):
        flat = page.replace(" ", "")
        for g in (b for b in planned.blocs if b.genre == "graphique"):
            for serie in g.series:
                for label in serie.etiquettes:
                    if label:
                        assert _norm(label).replace(" ", "") in flat, (planned.titre, label)
                        seen += 1
            for total in g.totaux:
                assert _norm(total).replace(" ", "") in flat
        assert not re.search(r"(?<![\d ])\d{5,}(?![\d])", page), planned.titre
    assert seen >= 10


def test_the_same_plan_gives_the_same_bytes(decks) -> None:
    from docgen.render.pptx import pptx_of

    plan, _, pptx = decks["copil-4"]
    import datetime as dt

    assert pptx_of(plan, dt.date(2025, 12, 19)) == pptx.read_bytes()
    assert io.BytesIO(pptx.read_bytes()).getbuffer().nbytes > 0


def test_a_hostile_case_text_stays_text_in_both_renderings() -> None:
    """A case's words reach the HTML through Jinja's escaping and the PowerPoint as run text:
    markup, template syntax and style-breaking characters are printed as typed; positions and
    colours are numbers and hex digits docgen computed (formatting.pt, formatting.couleur)."""
    from docgen.formatting import couleur, pt
    from docgen.render.diaporama import html_of
    from docgen.templating import SearchPath

    contexts, case = _contexts()
    ctx = copy.deepcopy(contexts[4])
    hostile = '</p><script>alert(1)</script> {{ 7*7 }} " style="color:red" ; }'
    ctx["vigilance"] = [hostile]
    ctx["axes_slides"][0]["fiches"][0]["intitule"] = hostile
    search = SearchPath.of(case.folder)
    plan = slides.plan(ctx, search)
    html = html_of(plan, ctx, search)
    assert "<script>" not in html and "&lt;script&gt;" in html and "{{ 7*7 }}" in html
    assert 'style="color:red"' not in html
    with pytest.raises(ValueError):
        couleur("red; background: url(x)")
    with pytest.raises(ValueError):
        pt(float("nan"))


@pytest.mark.parametrize("change, message", [
    (lambda t: t.replace("lignes: [{% for v in vigilance %}", "lignes: [: {% for v in vigilance %}"),
     "n'est pas un YAML valide"),
    (lambda t: t.replace("  - type: calendrier", "  - type: camembert"),
     "type de diapositive inconnu « camembert »"),
    (lambda t: t.replace("    repere: ", "    repere_: "), "« repere » manque dans la diapositive"),
])
def test_a_territorys_broken_slide_wording_is_refused_in_french(tmp_path: Path, change,
                                                                message: str, run) -> None:
    """A territory's copy of commun/diaporama.yaml that breaks the YAML, names a type of slide
    docgen does not draw or forgets what a slide must say: a French message naming the
    template, from `templates check` and from the build."""
    from tests.conftest import overlay_case

    case = overlay_case(tmp_path / "essai", None, EXAMPLE)
    assert run("templates", "copy", "commun/diaporama.yaml", case).code == 0
    mine = case / "templates/commun/diaporama.yaml"
    mine.write_text(change(mine.read_text(encoding="utf-8")), encoding="utf-8")
    checked = run("templates", "check", "--case", case)
    assert checked.code != 0 and message in checked.out + checked.err
    built = run("build", case, "--out", tmp_path / "o", "--doc", "copil", "--date", "2026-01-16",
                "--no-pdf")
    assert built.code == 3 and message in built.err  # a template error: exit 3, never 70
