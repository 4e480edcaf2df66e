"""The COPIL slides as an editable PPTX: native text, tables and charts, words from the
template, opened by LibreOffice Impress; and the A4 handout of the PDF slides."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from tests.conftest import EXAMPLE


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from docgen.pipeline import build
    from docgen.plan import BuildOptions

    out = tmp_path_factory.mktemp("copil")
    build(EXAMPLE, BuildOptions(out=out, kinds=("copil",), dates=(
        __import__("datetime").date(2026, 1, 16),)))
    return out / "pays-des-ecrins" / "copil-2026-01-16"


def test_pptx_has_native_text_tables_and_charts(pack: Path) -> None:
    deck = Presentation(str(pack / "diaporama.pptx"))
    texts = [sh.text_frame.text for s in deck.slides for sh in s.shapes if sh.has_text_frame]
    joined = "\n".join(texts)
    assert "4e\u00a0comité de pilotage" in joined  # an ordinal stays with what it numbers
    assert "Projets de décision soumis au comité" in joined
    assert "Avenant n°\u00a01 signé le 28\u00a0novembre 2024" in joined
    tables = [sh.table for s in deck.slides for sh in s.shapes if sh.has_table]
    assert tables and tables[0].cell(0, 1).text == "Action"
    kinds = {sh.chart.chart_type for s in deck.slides for sh in s.shapes if sh.has_chart}
    assert kinds == {XL_CHART_TYPE.BAR_STACKED}  # the PDF's charts, natively; no extra one
    assert deck.core_properties.title.startswith("4e\u00a0comité de pilotage")
    assert deck.core_properties.created.year == 2025  # the edition date, not the clock
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    logos = [sh for sh in deck.slides[0].shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(logos) == 5 and all(sh._element.nvPicPr.cNvPr.get("descr") for sh in logos)
    assert all(sh.height.pt >= 40 for sh in logos)  # read from the back of the room
    for slide in deck.slides:  # everything inside the slide (the safe area's outer bound)
        for sh in slide.shapes:
            assert sh.left >= 0 and sh.top >= 0, sh.name
            assert sh.left + sh.width <= deck.slide_width and sh.top + sh.height <= deck.slide_height


def test_pptx_has_the_same_slides_as_the_pdf(pack: Path) -> None:
    deck = Presentation(str(pack / "diaporama.pptx"))
    pdf = pikepdf.open(pack / "diaporama.pdf")
    assert len(deck.slides) == len(pdf.pages)  # the page numbers the committee read agree


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice absent")
def test_libreoffice_impress_opens_the_pptx(pack: Path, tmp_path: Path) -> None:
    profile = (tmp_path / "profile").as_uri()
    result = subprocess.run(["soffice", "--headless", f"-env:UserInstallation={profile}",
                             "--convert-to", "pdf", "--outdir", str(tmp_path),
                             str(pack / "diaporama.pptx")], capture_output=True, timeout=240)
    out = tmp_path / "diaporama.pdf"
    assert out.is_file(), result.stderr.decode("utf-8", "replace")
    deck = Presentation(str(pack / "diaporama.pptx"))
    assert len(pikepdf.open(out).pages) == len(deck.slides)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True).stdout.decode()
    assert "Calendrier des actions" in text and "Réalisée" in text


def test_handout_keeps_the_slides_pdfa_level_with_its_output_intent(pack: Path) -> None:
    handout = pikepdf.open(pack / "diaporama-a4.pdf")
    slides = pikepdf.open(pack / "diaporama.pdf")
    assert handout.open_metadata()["pdfaid:part"] == slides.open_metadata()["pdfaid:part"]
    assert "/OutputIntents" in handout.Root and str(handout.Root.Lang) == "fr"


def test_handout_three_slides_per_a4_page(pack: Path) -> None:
    slides = len(pikepdf.open(pack / "diaporama.pdf").pages)
    handout = pikepdf.open(pack / "diaporama-a4.pdf")
    assert len(handout.pages) == -(-slides // 3)
    w, h = (float(v) for v in handout.pages[0].MediaBox[2:])
    assert abs(w - 595.3) < 1 and abs(h - 841.9) < 1


def test_pack_is_tagged_and_claims_only_what_its_pieces_meet(pack: Path) -> None:
    pdf = pikepdf.open(pack / "pack.pdf")
    meta = pdf.open_metadata()
    assert meta["dc:title"].startswith("Dossier du comité de pilotage")
    assert str(pdf.Root.Lang) == "fr" and pdf.pdf_version == "1.7"
    assert pdf.Root.MarkInfo.Marked and len(pdf.Root.StructTreeRoot.K) == 4
    pages = {p.objgen for p in pdf.pages}
    first = pdf.Root.StructTreeRoot.K[3]  # the minutes' tree points at the minutes' pages
    assert first.P.objgen == pdf.Root.StructTreeRoot.objgen
    levels = {(m.get("pdfaid:part"), m.get("pdfaid:conformance")) for m in (
        pikepdf.open(pack / f).open_metadata() for f in (
            "convocation.pdf", "diaporama.pdf", "emargement.pdf", "compte-rendu.pdf"))}
    # Typst pieces are PDF/A-2b, HTML pieces 3b: the pack is 2b (3 only adds embedded files)
    assert levels == {("2", "B"), ("3", "B")} and meta["pdfaid:part"] == "2"
    assert "/OutputIntents" in pdf.Root
    # a piece that is not PDF/A (the handout) takes the claim away
    from docgen.finish.pack import merge

    mixed = merge([("Diaporama", (pack / "diaporama.pdf").read_bytes()),
                   ("Support", (pack / "diaporama-a4.pdf").read_bytes())], "Essai", "Moi",
                  __import__("datetime").date(2026, 1, 1))
    import io

    merged = pikepdf.open(io.BytesIO(mixed))
    assert "pdfaid:part" not in merged.open_metadata() and "/StructTreeRoot" not in merged.Root
    assert pages


def test_pack_attaches_the_draft_avenant_the_minutes_list(tmp_path: Path) -> None:
    from docgen.pipeline import build
    from docgen.plan import BuildOptions

    build(EXAMPLE, BuildOptions(out=tmp_path, kinds=("copil",), dates=(
        __import__("datetime").date(2024, 11, 8),)))
    folder = tmp_path / "pays-des-ecrins" / "copil-2024-11-08"
    pdf = pikepdf.open(folder / "pack.pdf")
    with pdf.open_outline() as outline:
        titles = [i.title for i in outline.root]
    assert titles[-1] == "Projet d’avenant n° 1"
    text = subprocess.run(["pdftotext", str(folder / "compte-rendu.pdf"), "-"],
                          capture_output=True).stdout.decode()
    assert "Diaporama présenté en séance ; feuille d’émargement ; projet d’avenant n° 1" in \
        " ".join(text.replace("\u00a0", " ").split())
    assert not (folder / "avenant-01.pdf").exists()


def test_two_renders_give_the_same_pptx_bytes() -> None:
    import time

    from docgen.context import copil_context
    from docgen.load import load_case
    from docgen.render.pptx import render_pptx
    from docgen.resolve import resolve
    from docgen.templating import SearchPath

    case = load_case(EXAMPLE)
    ctx = copil_context(case, resolve(case.convention, case.avenants), 4)
    first = render_pptx(ctx, SearchPath.of(case.folder), ctx["date_edition"])
    time.sleep(1.1)  # the charts' embedded workbooks would carry the clock's second
    assert render_pptx(ctx, SearchPath.of(case.folder), ctx["date_edition"]) == first


def test_a_case_text_cannot_break_the_slide_template() -> None:
    from docgen.context import copil_context
    from docgen.load import load_case
    from docgen.resolve import resolve
    from docgen.slides import mots
    from docgen.templating import SearchPath

    case = load_case(EXAMPLE)
    ctx = copil_context(case, resolve(case.convention, case.avenants), 4)
    hostile = 'a: b\n- [c] {{ x }} "d" \\ #e <f> & \'g\''
    ctx["vigilance"] = [hostile]
    data = mots(ctx, SearchPath.of(case.folder))
    slide = next(s for s in data["diapositives"] if s["titre"] == "Points de vigilance")
    # as typed, in French typography (what the slide shows), never a broken YAML
    assert slide["lignes"] == ['a\u00a0: b\n- [c] {{ x }} «\u00a0d\u00a0» \\ #e <f> & ’g’']
