"""No generated document has a mechanical error a proof-reader would circle."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, overlay_case
from tests.text_check import (
    Block,
    check_docx,
    document_errors,
    docx_blocks,
    mechanical_errors,
)

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
    "le 1er octobre 2020",
    f"«{NB}L'Argentière{NB}»",
    "représente un coût prévisionnel de un million trois cent mille euros",
    "porté de une à deux séances",
    "De un million à deux millions",
    f"un coût de{NB}un million d’euros",
    "DE UN MILLION",
    "de une heure",
    "de un",
    "Les autres dispositions de la convention demeurent inchangées.",
    "Les autres dispositions de la convention et de ses avenants demeurent inchangées.",
    "les dispositions du présent avenant",
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
    "représente un coût prévisionnel d’un million trois cent mille euros",
    "porté d’une à deux séances, de onze à douze, de huit à neuf",
    "Les autres stipulations de la convention et de ses avenants demeurent inchangées.",
    f"L’article{NB}3 de la convention est remplacé par les dispositions suivantes{NB}:",
    "les dispositions du code de la construction et de l’habitation",
])
def test_the_check_accepts_correct_french(good: str) -> None:
    assert mechanical_errors(good) == [], good


def _all_ops_case(tmp_path: Path) -> Path:
    from tests.test_avenant import all_operations_case

    return all_operations_case(tmp_path)


def _million_case(tmp_path: Path) -> Path:
    """Every operation, the added fiche and the changed one costing a million euros or more: the
    wording of amounts from « un million » on (« d’un million trois cent mille euros »)."""
    case = _all_ops_case(tmp_path)
    avenant = case / "avenants" / "01-evolutions.yaml"
    text = avenant.read_text(encoding="utf-8")
    for old, new in [
        ("cout: {montant: 50000, base: HT}\n      plan_de_financement: [{financeur: autofinancement,"
         " montant: 50000}]",
         "cout: {montant: 1300000, base: HT}\n      plan_de_financement: [{financeur: "
         "autofinancement, montant: 1300000}]"),
        ("cout: {montant: 150000, base: HT}\n      plan_de_financement: [{financeur: detr, montant: "
         "60000, statut: acquis}, {financeur: autofinancement, montant: 90000}]",
         "cout: {montant: 1000000, base: HT}\n      plan_de_financement: [{financeur: detr, montant: "
         "400000, statut: acquis}, {financeur: autofinancement, montant: 600000}]"),
    ]:
        assert old in text, old
        text = text.replace(old, new)
    avenant.write_text(text, encoding="utf-8")
    return case


@pytest.mark.parametrize("which", ["example", "every-operation", "un-million"])
def test_no_generated_document_has_a_mechanical_error(which: str, tmp_path: Path) -> None:
    from docgen.pipeline import build
    from docgen.plan import BuildOptions

    case = (overlay_case(tmp_path / "pdd", None, EXAMPLE) if which == "example"
            else _all_ops_case(tmp_path) if which == "every-operation" else _million_case(tmp_path))
    result = build(case, BuildOptions(out=tmp_path / "out", pdf=False))
    docs = sorted(result.folder.rglob("*.docx"))
    assert len(docs) >= 4
    errors = [e for d in docs for e in check_docx(d)]
    assert errors == [], "\n".join(errors)


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
    from docgen import slides as render_pptx
    from docgen.render import html as render_html

    pieces: list[tuple[str, str]] = []
    original_html, original_slides = render_html.render_html, render_pptx.mots

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
                    if k not in ("type", "couleur", "format", "image", "src", "statut",
                                 "groupe", "jour", "debut", "fin"):
                        walk(v)
            elif isinstance(value, list):
                for v in value:
                    walk(v)

        walk(data)
        return data

    monkeypatch.setattr(render_html, "render_html", html_spy)
    monkeypatch.setattr(render_pptx, "mots", slides_spy)
    case = overlay_case(tmp_path / "pdd", None, EXAMPLE)
    # in this very process, where the spies are: no worker process, no forked copy for a time limit
    build(case, BuildOptions(out=tmp_path / "out", kinds=("copil",), jobs=1, limit=None))
    assert {name for name, _ in pieces} >= {"diaporama.html", "emargement.html", "diaporama.pptx"}
    errors = sorted({f"{name} : {e}" for name, line in pieces for e in mechanical_errors(line)})
    assert errors == [], "\n".join(errors)


# -- what only the whole document shows -------------------------------------------------------
def _avenant(final: list[str], other: str = "L’article 3 est remplacé par les dispositions "
             "suivantes :") -> list[Block]:
    return [f"Avenant n°{NB}1", "à la convention-cadre", f"Article{NB}1er – Objet", other,
            f"Article{NB}2 – Date d’effet et autres dispositions", *final,
            f"Fait à Gap, le 3{NB}mai 2024.", "Pour l’État,",
            f"Annexe{NB}1", f"Article{NB}9 – hors de l’avenant : les dispositions du contrat"]


def test_dispositions_in_an_avenants_final_article_fail() -> None:
    bad = _avenant(["Le présent avenant prend effet à sa signature.",
                    "Toutes les dispositions non modifiées demeurent applicables."])
    errors = document_errors(bad)
    assert len(errors) == 1 and "article final d’un avenant" in errors[0], errors
    assert "Toutes les dispositions" in errors[0]


def test_stipulations_in_an_avenants_final_article_pass() -> None:
    good = _avenant(["Le présent avenant prend effet à sa signature.",
                     "Les autres stipulations de la convention demeurent inchangées, sous réserve "
                     "des dispositions législatives applicables et des dispositions du code."])
    assert document_errors(good) == []
    # a document that is no avenant: its last article is not read
    assert document_errors(["Convention-cadre", f"Article{NB}14 – Litiges",
                            "Toutes les dispositions non modifiées demeurent applicables."]) == []


def test_the_final_article_ends_at_a_signature_table() -> None:
    """« Fait à … » in the signature table ends the final article too: the annex after it, with
    its own « Article » headings, is not read as the final article."""
    blocks: list[Block] = [f"Avenant n°{NB}2", f"Article{NB}1er – Objet",
                           f"Article{NB}2 – Date d’effet",
                           "Les autres stipulations de la convention demeurent inchangées.",
                           [["Fait à Gap, le 3 mai 2024.", ""], ["Pour l’État,", ""]],
                           f"Article{NB}3 – cité", "ses dispositions en annexe"]
    assert document_errors(blocks) == []
    blocks[3] = "Les autres dispositions de la convention demeurent en vigueur."
    assert document_errors(blocks)


def test_an_avenant_without_final_article_fails() -> None:
    assert document_errors([f"Avenant n°{NB}1", "Sans article.", "Fait à Gap."])


def _eur(n: str) -> str:
    return n.replace(" ", NB) + NB + "€"


def _pct(n: str) -> str:
    return n + NB + "%"


FICHE = [["Financeur", "Dispositif", "Statut", "Montant", "Part du coût"],
         ["État – DSIL", "—", "Sollicité", _eur("324 000"), "{dsil}"],
         ["Autofinancement", "—", "Acquis", _eur("2 444 550"), _pct("88,3")],
         ["Coût de l’action", "", "", _eur("2 768 550") + NB + "HT", _pct("100")]]


@pytest.mark.parametrize("dsil, ok", [
    (_pct("11"), False), (_pct("12"), False), (_pct("11,7"), True), (_pct("11,70"), True),
    (_pct("11,66"), True), (_pct("11,6"), False),
])
def test_a_fiches_plan_shares_are_of_the_actions_cost(dsil: str, ok: bool) -> None:
    """324 000 € of 2 768 550 € is 11,70 %: « 11 % » is wrong, « 11,7 % » right, by 0,05 point."""
    table = [[c.format(dsil=dsil) for c in row] for row in FICHE]
    errors = document_errors(["Plan de financement", table])
    assert (errors == []) == ok, errors
    if not ok:
        assert "État – DSIL" in errors[0] and "11,70 % réel" in errors[0]


def test_the_cost_row_itself_must_be_100() -> None:
    table = [[c.format(dsil=_pct("11,7")) for c in row] for row in FICHE]
    table[-1][-1] = _pct("99")
    assert any("Coût de l’action" in e for e in document_errors([table]))


PAR_ACTION = [["N°", "Action", "Coût", "Acquis", "Sollicité", "Reste à financer", "Taux",
               "Taux acquis"],
              ["13", "Aire de covoiturage", _eur("240 550") + NB + "HT", _eur("72 165"),
               _eur("120 275"), _eur("48 110"), "{couverture}", "{acquis}"],
              ["Total", "", _eur("1 000 000"), _eur("300 000"), _eur("500 000"),
               _eur("200 000"), _pct("80"), _pct("30")]]


@pytest.mark.parametrize("couverture, acquis, ok", [
    (_pct("80"), _pct("30"), True),        # 192 440 / 240 550 = 80 %; 72 165 / 240 550 = 30 %
    (_pct("100"), _pct("30"), False),      # « 100 % » when a fifth is left to finance
    (_pct("80"), _pct("80"), False),       # the acquired rate is not the coverage
])
def test_a_rate_per_action_is_of_the_rows_own_cost(couverture: str, acquis: str, ok: bool) -> None:
    table = [[c.format(couverture=couverture, acquis=acquis) for c in row] for row in PAR_ACTION]
    errors = document_errors([table])
    assert (errors == []) == ok, errors


FINANCEURS = [["Financeur", "Acquis", "Sollicité", "Total", "Part du coût"],
              ["État – DSIL", _eur("0"), _eur("324 000"), _eur("324 000"), "{dsil}"],
              ["État – Fonds vert", _eur("0"), _eur("15 000"), _eur("15 000"), "{fv}"],
              ["Total des financements", _eur("0"), _eur("339 000"), _eur("339 000"),
               _pct("12,2")]]
COUT = f"Le coût prévisionnel du plan d’action s’élève à deux millions… ({_eur('2 768 550')} HT)."


@pytest.mark.parametrize("dsil, fv, ok", [
    (_pct("11,7"), _pct("0,5"), True),
    (_pct("11"), _pct("0,5"), False),   # what the issue found: 11,7 % printed « 11 % »
    (_pct("11,7"), _pct("0"), False),   # and Fonds vert 15 000 € printed « 0 % »
])
def test_shares_by_financeur_are_of_the_plans_cost(dsil: str, fv: str, ok: bool) -> None:
    table = [[c.format(dsil=dsil, fv=fv) for c in row] for row in FINANCEURS]
    assert (document_errors([COUT, table]) == []) == ok
    # the plan's cost read from the total row of a table by action, printed before
    par_action = [["N°", "Action", "Coût"], ["Total", "", _eur("2 768 550")]]
    assert (document_errors([par_action, table]) == []) == ok
    # a fiche's cost sentence is no plan's cost; no cost before the table at all is an error
    fiche = f"La fiche représente un coût prévisionnel de cent euros ({_eur('100')} HT)."
    assert any("sans montant de référence" in e for e in document_errors([fiche, table]))


def _docx(body: str) -> bytes:
    import io
    import zipfile

    xml = ('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           f"<w:body>{body}</w:body></w:document>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("word/document.xml", xml)
    return out.getvalue()


def _tc(text: str, span: int = 1) -> str:
    pr = f'<w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr>' if span > 1 else ""
    return f"<w:tc>{pr}<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"


def test_a_docx_table_is_read_by_columns_without_its_deleted_rows(tmp_path: Path) -> None:
    """A merged cell keeps the columns after it in place; a row deleted by a tracked change (a
    redline) is not read; check_docx reads the tables."""
    head = "<w:tr>" + "".join(_tc(h) for h in ["Financeur", "Dispositif", "Montant", "Part"]) + "</w:tr>"
    deleted = ('<w:tr><w:trPr><w:del w:id="1" w:author="a" w:date="2024-01-01T00:00:00Z"/></w:trPr>'
               + _tc("DETR") + _tc("—") + _tc(_eur("10")) + _tc(_pct("1")) + "</w:tr>")
    cost = "<w:tr>" + _tc("Coût de l’action", 2) + _tc(_eur("100")) + _tc(_pct("100")) + "</w:tr>"

    def document(share: str) -> bytes:
        reste = ("<w:tr>" + _tc("Reste à financer", 2) + _tc(_eur("25")) + _tc(_pct(share))
                 + "</w:tr>")
        return _docx(f"<w:p><w:r><w:t>Plan</w:t></w:r></w:p><w:tbl>{head}{deleted}{reste}{cost}"
                     "</w:tbl>")

    data = document("25")
    blocks = docx_blocks(data)
    assert blocks[1] == [["Financeur", "Dispositif", "Montant", "Part"],
                         ["Reste à financer", "", _eur("25"), _pct("25")],
                         ["Coût de l’action", "", _eur("100"), _pct("100")]]
    assert document_errors(blocks) == []
    path = tmp_path / "faux.docx"
    path.write_bytes(document("20"))
    assert [e for e in check_docx(path) if "pourcentage faux" in e]


def _plan(numero: str, rows: list[list[str]], cost: str) -> list[Block]:
    return [f"Fiche action n°{NB}{numero} – Une action",
            [["Rubrique", "Contenu"], ["Coût estimatif", _eur(cost) + NB + "HT"]],
            "Plan de financement",
            [["Financeur", "Statut", "Montant", "Part du coût"], *rows,
             ["Coût de l’action", "", _eur(cost) + NB + "HT", _pct("100,0")]]]


def _taux(couverture: str, acquis: str, ensemble: str) -> list[list[str]]:
    return [["N°", "Action", "Coût HT", "Taux de couverture", "Taux d’acquis"],
            ["1", "Une action", _eur("24 000"), _pct(couverture), _pct(acquis)],
            ["2", "Une autre", _eur("240 550"), _pct("80,0"), _pct("0,0")],
            ["Ensemble du plan d’action", "", _eur("264 550"), _pct(ensemble), _pct("4,5")]]


PLANS = [*_plan("1", [["Banque des Territoires", "Acquis", _eur("12 000"), _pct("50,0")],
                      ["Autofinancement", "—", _eur("12 000"), _pct("50,0")]], "24 000"),
         *_plan("2", [["Région", "Sollicité", _eur("192 440"), _pct("80,0")],
                      ["Reste à financer", "", _eur("48 110"), _pct("20,0")]], "240 550")]


@pytest.mark.parametrize("couverture, acquis, ensemble, ok", [
    ("100,0", "50,0", "81,8", True),    # (24 000 + 192 440) / 264 550; 12 000 / 264 550 = 4,5 %
    ("100,0", "100,0", "81,8", False),  # the acquired rate counts only the rows marked « Acquis »
    ("90,0", "50,0", "81,8", False),
    ("100,0", "50,0", "98,0", False),   # the whole plan's rate is the sum of its actions'
])
def test_rates_without_their_amounts_are_checked_against_the_fiches_plans(
        couverture: str, acquis: str, ensemble: str, ok: bool) -> None:
    """A table of rates by action (cost, coverage, acquired rate; no amount financed in the
    row): each rate is checked against the fiche's own plan de financement, printed in the
    annex of the same document."""
    errors = document_errors([_taux(couverture, acquis, ensemble), *PLANS])
    assert (errors == []) == ok, errors
    # an avenant quotes the table without the plans of the fiches it leaves alone: not checked
    assert document_errors([_taux("90,0", "50,0", "98,0")]) == []
