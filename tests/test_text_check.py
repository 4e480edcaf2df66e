"""No generated document has a mechanical error a proof-reader would circle."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, overlay_case
from tests.text_check import check_docx, mechanical_errors

NB = "\u00a0"


@pytest.mark.parametrize("bad", [
    "a pour objet de étendre le périmètre",
    "le président de le Département",
    "les crédits de les partenaires",
    "il est remis à le préfet",
    "la la convention",
    "signée le 3 mai , à Gap",
    "un point final .",
    "Vu la convention ;",
    f"Vu la convention{NB};et encore:",
    f"« la Commune{NB}»",
    f"«{NB}la Commune »",
    "un coût (2 918 550 €) (HT)",
    "une parenthèse ( ) vide",
    "le montant est None",
    "la valeur True",
    "un reste de nan €",
    "un {{ p.nom }} oublié",
    "un {% if x %} oublié",
    "L'Argentière-La Bessée",
    'le secteur "Quartier de la gare"',
    f"un coût de 450{NB}000 € HT",
    f"un coût de 450{NB}000{NB}€ HT",
    f"un coût de 450 000{NB}€{NB}HT",
    "la fiche action n° 12",
    "selon l’article 4",
    f"le 1er octobre 2020",
    f"«{NB}L'Argentière{NB}»",
])
def test_the_check_finds_each_kind_of_error(bad: str) -> None:
    assert mechanical_errors(bad), bad


@pytest.mark.parametrize("good", [
    "a pour objet d’étendre le périmètre de l’Opération",
    "le président du Département et des communes",
    "porté de onze (11) ans à douze (12) ans",
    f"Vu la convention{NB};",
    f"ci-après désignée «{NB}la Commune{NB}»,",
    f"un coût de 2{NB}918{NB}550{NB}€{NB}HT (hors taxes)",
    f"la fiche action n°{NB}12 de l’article{NB}4, en vigueur le 1er{NB}octobre 2020",
    "écrire à j.o'neil@mairie.fr",
    "voir https://www.anct.gouv.fr/ et la réunion de 14:30",
    "»",
    "nous nous engageons",
])
def test_the_check_accepts_correct_french(good: str) -> None:
    assert mechanical_errors(good) == [], good


def _all_ops_case(tmp_path: Path) -> Path:
    from tests.test_avenant import all_operations_case

    return all_operations_case(tmp_path)


@pytest.mark.parametrize("which", ["example", "every-operation"])
def test_no_generated_document_has_a_mechanical_error(which: str, tmp_path: Path) -> None:
    from docgen.pipeline import build
    from docgen.plan import BuildOptions

    case = overlay_case(tmp_path / "pdd", None, EXAMPLE) if which == "example" else _all_ops_case(tmp_path)
    result = build(case, BuildOptions(out=tmp_path / "out", pdf=False))
    docs = sorted(result.folder.rglob("*.docx"))
    assert len(docs) >= 4
    errors = [e for d in docs for e in check_docx(d)]
    assert errors == []


def html_lines(html: str) -> list[str]:
    """The text of every block of an HTML piece (paragraphs, items, cells, headings), as a
    reader sees it; pictures' descriptions (alt) included."""
    from lxml import html as lhtml

    root = lhtml.fromstring(html)
    for bad in root.iter("style", "script"):
        bad.drop_tree()
    blocks = ("p", "li", "td", "th", "h1", "h2", "h3", "h4", "div", "span", "strong", "title")
    out = [" ".join(el.text_content().split(" ")) for el in root.iter(*blocks)]
    out += [el.get("alt", "") for el in root.iter("img")]
    return out


def test_no_copil_piece_has_a_mechanical_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The COPIL pieces typeset from HTML (slides, feuille d'émargement) and the PowerPoint
    slides print the case's prose too: checked on the HTML and the slides' data themselves
    (pdftotext reads a no-break space of WeasyPrint's PDFs as a plain space)."""
    from docgen.pipeline import build
    from docgen.plan import BuildOptions
    from docgen.render import html as render_html
    from docgen.render import pptx as render_pptx

    pieces: list[tuple[str, str]] = []
    original_html, original_slides = render_html.render_html, render_pptx.slides_of

    def html_spy(name: str, *args: object) -> str:
        text = original_html(name, *args)  # type: ignore[arg-type]
        pieces.extend((name, line) for line in html_lines(text))
        return text

    def slides_spy(*args: object) -> dict[str, object]:
        data = original_slides(*args)  # type: ignore[arg-type]

        def walk(value: object) -> None:
            if isinstance(value, str) and not value.startswith("data:"):
                pieces.append(("diaporama.pptx", value))
            elif isinstance(value, dict):
                for k, v in value.items():
                    if k not in ("type", "couleur", "format", "image", "src"):
                        walk(v)
            elif isinstance(value, list):
                for v in value:
                    walk(v)

        walk(data)
        return data

    monkeypatch.setattr(render_html, "render_html", html_spy)
    monkeypatch.setattr(render_pptx, "slides_of", slides_spy)
    case = overlay_case(tmp_path / "pdd", None, EXAMPLE)
    build(case, BuildOptions(out=tmp_path / "out", kinds=("copil",)))
    assert {name for name, _ in pieces} >= {"diaporama.html", "emargement.html", "diaporama.pptx"}
    errors = sorted({f"{name} : {e}" for name, line in pieces for e in mechanical_errors(line)})
    assert errors == [], "\n".join(errors)
