"""The convention's financial tables as a signer reads them (issue 25, items 2 and 7): the maître
d'ouvrage's own money apart from the partners', acquired apart from requested, true shares to a
tenth of a point, a « reste à financer » that reconciles the financings with the cost; tables
inside the margins; each secteur's map under its own heading."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from docgen import derive
from docgen.load import load_case
from docgen.pipeline import Documents
from docgen.plan import BuildOptions, plan
from tests.conftest import EXAMPLE, overlay_case
from tests.docx_helpers import body_texts, styled
from tests.text_check import check_docx

NB = "\u00a0"


def build(folder: Path, out: Path, document: str = "convention", pdf: bool = False) -> Path:
    """One document of a case, rendered as docgen build does it (its PDF beside it if asked)."""
    case = load_case(folder)
    options = BuildOptions(out=out, pdf=pdf)
    docs = Documents(case, options)
    jobs = plan(case, options)
    docs._jobs = jobs
    job = next(j for j in jobs if j.document == document)
    path = out / f"{document}.docx"
    path.write_bytes(docs.get(job))
    if pdf:
        path.with_suffix(".pdf").write_bytes(docs.pdf(job))
    return path


@pytest.fixture(scope="module")
def convention(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's convention, rendered from the current templates (no register)."""
    tmp = tmp_path_factory.mktemp("financial")
    case = overlay_case(tmp / "pays-des-ecrins", None, EXAMPLE)
    return build(case, tmp)


def rows(table) -> list[list[str]]:
    """Each row's cells as Word lays them out (a cell spanning two columns is given twice)."""
    return [[c.text.replace(NB, " ").strip() for c in tr.cells] for tr in table.rows]


def tables(path: Path) -> list[list[list[str]]]:
    return [rows(t) for t in Document(str(path)).tables]


def amount(text: str) -> Decimal:
    return Decimal(re.sub(r"[^\d,]", "", text).replace(",", "."))


def percent(text: str) -> Decimal:
    m = re.fullmatch(r"(\d+(?:,\d)?) %", text)
    assert m, f"not a percentage to one decimal: {text!r}"
    return Decimal(m.group(1).replace(",", "."))


def close(printed: str, part: Decimal, whole: Decimal) -> bool:
    return abs(percent(printed) - part * 100 / whole) <= Decimal("0.05")


def by_header(path: Path, first: str, *more: str) -> list[list[list[str]]]:
    return [t for t in tables(path) if t[0][:1 + len(more)] == [first, *more]]


# ------------------------------------------------------------------ shares


def test_every_percentage_in_the_tables_is_the_true_share_to_a_tenth(convention: Path) -> None:
    case = load_case(EXAMPLE)
    fiches = {f.numero: derive.financement(case.territoire, f) for f in case.convention.fiches_actions}
    checked = 0
    for t in tables(convention):
        head = t[0]
        if head[:4] == ["Financeur", "Statut", "Montant", "Part du coût"]:  # a fiche's plan
            cout = amount(next(r for r in t if r[0] == "Coût de l’action")[2])
            for r in t[1:]:
                assert close(r[3], amount(r[2]), cout), r
                checked += 1
        elif head[:2] == ["Financeur", "Acquis"]:  # the financeurs' table
            cout = amount(next(r for r in t if r[0] == "Coût prévisionnel du plan d’action")[3])
            for r in t[1:]:
                assert close(r[4], amount(r[3]), cout), r
                checked += 1
        elif "Taux de couverture" in head:  # the rates of each action
            for r in t[1:]:
                if not r[0].isdigit():
                    continue
                fin = fiches[int(r[0])]
                assert amount(r[2]) == fin.cout, r
                assert close(r[3], fin.total, fin.cout), r
                assert close(r[4], fin.acquis, fin.cout), r
                checked += 2
        else:
            assert not any(re.search(r"\d %", c) for r in t for c in r), head
    assert checked > 80
    assert check_docx(convention) == []  # and the suite's proof-reader agrees


def test_the_shares_the_lawyer_read_are_printed_true(convention: Path) -> None:
    [financeurs] = by_header(convention, "Financeur", "Acquis")
    parts = {r[0]: r[4] for r in financeurs}
    assert parts["État – DSIL"] == "11,7 %"  # 324 000 € of 2 768 550 € (was « 11 % »)
    assert parts["État – Fonds vert"] == "0,5 %"  # 15 000 € (was « 0 % »)
    text = "\n".join(body_texts(convention)).replace(NB, " ")
    assert "arrondies de sorte" not in text


def test_the_summary_has_its_own_heading(convention: Path) -> None:
    texts = [t.replace(NB, " ") for t in body_texts(convention)]
    i = next(i for i, t in enumerate(texts) if t.startswith("Le coût prévisionnel du plan d’action"))
    assert texts[i - 1] == "Maquette financière"
    assert "Maquette financière" in styled(convention, "Sous-titre article")
    summary = texts[i]
    assert "(2 768 550 € HT)" in summary
    assert "d’autofinancement des maîtres d’ouvrage" in summary
    assert "dont douze mille euros (12 000 €) acquis" in summary  # the partners' only
    assert "Il reste quarante-huit mille cent dix euros (48 110 €) à financer" in summary


# ------------------------------------------------------------------ what is acquired


def test_own_money_apart_and_acquired_apart_from_requested(convention: Path) -> None:
    [actions] = by_header(convention, "N°", "Action", "Coût HT", "Autofinancement")
    assert actions[1][4:6] == ["acquis", "sollicités"]
    row3 = next(r for r in actions if r[0] == "3")  # 780 000 €, its own money « acquis »
    assert row3[2:] == ["780 000 €", "273 000 €", "0 €", "507 000 €", "0 €"]
    total = next(r for r in actions if r[0] == "Total")
    assert [amount(c) for c in total[2:]] == [Decimal(2768550), Decimal(1017165), Decimal(12000),
                                              Decimal(1691275), Decimal(48110)]
    # every row reconciles: own money + acquired + requested + left to finance = cost
    for r in actions[2:]:
        cout, auto, acquis, sollicite, reste = (amount(c) for c in r[2:7])
        assert auto + acquis + sollicite + reste == cout, r
    [rates] = [t for t in tables(convention) if "Taux de couverture" in t[0]]
    row3 = next(r for r in rates if r[0] == "3")
    assert row3[3:] == ["100,0 %", "0,0 %"]  # covered, but nothing acquired
    row13 = next(r for r in rates if r[0] == "13")
    assert row13[3:] == ["80,0 %", "0,0 %"]


def test_the_financeurs_table_reconciles_with_the_cost(convention: Path) -> None:
    [t] = by_header(convention, "Financeur", "Acquis")
    labels = [r[0] for r in t]
    i = labels.index("Total des financements des partenaires")
    assert not any("Autofinancement" in x for x in labels[:i])  # own money is no partner's
    assert labels[i + 1:] == ["Autofinancement des maîtres d’ouvrage", "Reste à financer",
                              "Coût prévisionnel du plan d’action"]
    partenaires, auto, reste, cout = (amount(r[3]) for r in t[i:])
    assert partenaires == sum((amount(r[3]) for r in t[1:i]), Decimal(0))
    assert partenaires + auto + reste == cout == Decimal(2768550)
    assert t[-1][4] == "100,0 %"


def test_each_fiche_plan_reconciles_and_says_what_is_left(convention: Path) -> None:
    plans = by_header(convention, "Financeur", "Statut", "Montant", "Part du coût")
    assert len(plans) == 14
    for t in plans:
        cout = amount(t[-1][2])
        lines = [r for r in t[1:-1] if r[0] != "Total des financements des partenaires"]
        assert sum((amount(r[2]) for r in lines), Decimal(0)) == cout, t
    plan13 = plans[12]
    assert ["Reste à financer", "—", "48 110 €", "20,0 %"] in plan13
    assert plan13[-1] == ["Coût de l’action", "", "240 550 € HT", "100,0 %"]
    texts = [x.replace(NB, " ") for x in body_texts(convention)]
    assert ("Taux de couverture : 80,0 % du coût, 48 110 € restant à financer ; taux d’acquis : "
            "0,0 % (financements des partenaires acquis : 0 € ; sollicités : 120 275 €).") in texts


def test_a_dispositif_is_named_with_its_financeur_and_no_column_of_dashes(tmp_path: Path) -> None:
    case = overlay_case(tmp_path / "essai", None)
    conv = case / "convention.yaml"
    conv.write_text(conv.read_text(encoding="utf-8").replace(
        "{financeur: detr, montant: 40000, statut: acquis}",
        "{financeur: detr, montant: 40000, statut: acquis, dispositif: Fonds friches}"),
        encoding="utf-8")
    path = build(case, tmp_path)
    [plan_fiche] = by_header(path, "Financeur", "Statut")
    assert plan_fiche[1][:3] == ["État – DETR – Fonds friches", "Acquis", "40 000 €"]
    assert not any("Dispositif" in row for t in tables(path) for row in t)


# ------------------------------------------------------------------ layout


def _text_width(root) -> int:
    sect = root.find(f"{qn('w:body')}/{qn('w:sectPr')}")
    size, mar = sect.find(qn("w:pgSz")), sect.find(qn("w:pgMar"))
    return int(size.get(qn("w:w"))) - int(mar.get(qn("w:left"))) - int(mar.get(qn("w:right")))


def test_the_tables_fit_inside_the_margins(convention: Path) -> None:
    root = Document(str(convention)).element
    width = _text_width(root)
    checked = 0
    for tbl in root.iter(qn("w:tbl")):
        grid = sum(int(g.get(qn("w:w"))) for g in tbl.iter(qn("w:gridCol")))
        tblw = tbl.find(f"{qn('w:tblPr')}/{qn('w:tblW')}")
        assert grid <= width, grid
        assert int(tblw.get(qn("w:w"))) <= width
        checked += 1
    assert checked > 10


def test_each_secteur_map_comes_under_its_own_heading(tmp_path: Path) -> None:
    from docgen.finish.parity import pdf_text

    case = overlay_case(tmp_path / "pays-des-ecrins", None, EXAMPLE)
    path = build(case, tmp_path, pdf=True)
    # DOCX: the overview, then each secteur's heading followed by its own map
    seq: list[tuple[str, str]] = []
    inside = False
    for p in Document(str(path)).element.body.iter(qn("w:p")):
        st = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        style = st.get(qn("w:val")) if st is not None else ""
        text = "".join(t.text or "" for t in p.iter(qn("w:t"))).replace(NB, " ")
        if style == "Titreannexe":
            if inside:
                break
            inside = text.endswith("Secteurs d’intervention")
            continue
        if not inside:
            continue
        if style == "Sous-titrearticle":
            seq.append(("titre", text))
        for d in p.iter(qn("wp:docPr")):
            seq.append(("carte", (d.get("descr") or "").replace(NB, " ")))
    assert [k for k, _ in seq] == ["carte", "titre", "carte", "titre", "carte"], seq
    assert seq[1][1] == "Centre-bourg de L’Argentière" and "Centre-bourg" in seq[2][1]
    assert seq[3][1] == "Secteur de La Bessée" and "La Bessée" in seq[4][1]
    # PDF: the map of secteur 1 (its title is text) before the heading of secteur 2
    lines = [x.strip().replace(NB, " ") for x in
             pdf_text(path.with_suffix(".pdf").read_bytes()).splitlines()]
    carte1 = next(i for i, x in enumerate(lines)
                  if x.startswith("Secteur d’intervention « Centre-bourg de L’Argentière »"))
    titre2 = next(i for i, x in enumerate(lines) if x == "Secteur de La Bessée"
                  and lines[i + 1].startswith("Commune"))
    carte2 = next(i for i, x in enumerate(lines)
                  if x.startswith("Secteur d’intervention « Secteur de La Bessée »"))
    assert carte1 < titre2 < carte2


def test_the_overview_map_names_the_secteurs_it_does_not_draw(tmp_path: Path) -> None:
    case = overlay_case(tmp_path / "pays-des-ecrins", None, EXAMPLE)
    conv = case / "convention.yaml"
    conv.write_text(conv.read_text(encoding="utf-8").replace(
        "    perimetre: assets/perimetres/la-bessee.geojson\n", ""), encoding="utf-8")
    path = build(case, tmp_path)
    texts = [x.replace(NB, " ") for x in body_texts(path)]
    note = ("Le secteur « Secteur de La Bessée » (L’Argentière-La Bessée) n’est pas dessiné sur "
            "cette carte : il est délimité par le texte seul (sa délimitation, ci-dessous).")
    assert note in texts
    assert texts.index(note) < texts.index("Secteur de La Bessée")
    full = build(overlay_case(tmp_path / "complet", None, EXAMPLE), tmp_path / "complet")
    assert not any("pas dessiné" in x for x in body_texts(full))


def test_a_maitre_d_ouvrage_financing_its_own_action_is_autofinancement(tmp_path: Path) -> None:
    """A line whose financeur is the maître d'ouvrage itself is its own money; the same financeur
    on another owner's action is a partner (a fonds de concours)."""
    case = overlay_case(tmp_path / "essai", None)
    terr = case / "territoire.yaml"
    terr.write_text(terr.read_text(encoding="utf-8").replace(
        "financeurs:\n", "financeurs:\n  - {id: cc, nom: Communauté de communes, partie: cc-essai}\n"),
        encoding="utf-8")
    conv = case / "convention.yaml"
    conv.write_text(conv.read_text(encoding="utf-8").replace(
        "{financeur: autofinancement, montant: 60000}",
        "{financeur: cc, montant: 60000, statut: acquis}"), encoding="utf-8")
    loaded = load_case(case)
    [f] = loaded.convention.fiches_actions
    own = f.model_copy(update={"maitre_ouvrage": "cc-essai"})
    assert derive.financement(loaded.territoire, own) == derive.Financement(
        Decimal(100000), Decimal(60000), Decimal(40000), Decimal(0))
    assert derive.financement(loaded.territoire, f) == derive.Financement(  # the commune's
        Decimal(100000), Decimal(0), Decimal(100000), Decimal(0))
    assert [x.financeur_id for x in derive.par_financeur(loaded.territoire, [own])] == ["detr"]
