"""COPIL charts: no label overlaps another or leaves the drawing, one colour per status on
every COPIL, the timeline marks the COPIL's day."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from docgen.context import copil_context
from docgen.load import load_case
from docgen.render import charts
from docgen.resolve import resolve
from tests.conftest import EXAMPLE

STATUTS = {"en_projet": "En projet", "engagee": "Engagée", "en_cours": "En cours",
           "realisee": "Réalisée", "reportee": "Reportée", "abandonnee": "Abandonnée"}


@pytest.fixture(scope="module")
def contexts() -> dict[int, dict[str, Any]]:
    case = load_case(EXAMPLE)
    resolved = resolve(case.convention, case.avenants)
    return {c.numero: copil_context(case, resolved, c.numero) for c in case.copils}


def drawings(ctx: dict[str, Any]) -> list[charts.Dessin]:
    """Every bar chart of a COPIL's slides, drawn as its plan draws it (slides.py)."""
    from docgen import slides
    from docgen.templating import SearchPath

    out = []
    for s in slides.mots(ctx, SearchPath.of(None))["diapositives"]:
        g = s if s["type"] == "barres" else s.get("graphique") if s["type"] == "chiffres" else None
        if not g:
            continue
        series = [(x["nom"], slides.COULEURS[x["couleur"]], [float(v) for v in x["valeurs"]],
                   x.get("etiquettes", True)) for x in g["series"]]
        d, _, _ = charts.dessin_plan(g["categories"], series, g.get("totaux") or [""] * len(
            g["categories"]), g.get("format", "nombre"), 874, 380, g.get("description", ""))
        out.append(d)
    return out


def assert_no_overlap(d: charts.Dessin) -> None:
    for a, b in itertools.combinations(d.boites, 2):
        assert not a.chevauche(b), (d.name, a, b)
    for b in d.boites:
        assert b.x >= 0 and b.y >= 0, (d.name, b)
        assert b.x + b.w <= d.width + 0.5 and b.y + b.h <= d.height + 0.5, (d.name, b)


@pytest.mark.parametrize("numero", [3, 4])
def test_chart_labels_never_overlap(contexts, numero: int) -> None:
    made = drawings(contexts[numero])
    assert len(made) == 3  # progress by axe, programme and studies, financeurs
    for d in made:
        assert d.boites, d.name
        assert_no_overlap(d)


def _plan_chart(labels: list[str], series: list[tuple[str, str, list[float]]],
                totals: list[str], fmt: str) -> charts.Dessin:
    from docgen import slides

    d, printed, _ = charts.dessin_plan(
        labels, [(n, slides.COULEURS[c], v, True) for n, c, v in series], totals, fmt, 874, 380,
        "essai")
    return d


def test_labels_do_not_overlap_with_long_names_and_tiny_values() -> None:
    names = ["Fonds européen de développement régional – programme opérationnel régional",
             "État – DETR"] + [f"Financeur {i}" for i in range(1, 12)]
    acquis = [1.0, 2_000_000.0] + [10.0 * i for i in range(1, 12)]
    sollicite = [1.0, 1_000_000.0] + [0.0] * 11
    totals = ["2 €", "3 000 000 €"] + [f"{10 * i} €" for i in range(1, 12)]
    assert_no_overlap(_plan_chart(names, [("Acquis", "acquis", acquis),
                                          ("Sollicité", "sollicite", sollicite)], totals,
                                  "montant"))
    axes = ["Axe " + "très long " * 8, "Court"]
    assert_no_overlap(_plan_chart(axes, [(STATUTS[s], s, [1.0, 0.0]) for s in STATUTS],
                                  ["6", "0"], "nombre"))


def test_a_lone_segment_is_labelled_once_by_its_total() -> None:
    from docgen import slides

    _, printed, cats = charts.dessin_plan(
        ["Mobilité", "Habitat"], [("En cours", slides.COULEURS["en_cours"], [1.0, 2.0], True),
                                  ("Réalisée", slides.COULEURS["realisee"], [0.0, 1.0], True)],
        ["1", "3"], "nombre", 874, 380, "essai")
    assert printed == [["", "2"], ["", "1"]] and cats == ("Mobilité", "Habitat")


def test_every_status_has_one_fixed_colour_in_the_legend(contexts) -> None:
    d = drawings(contexts[4])[0]  # progress by axe: every status, even one no action has
    svg = d.svg()
    for statut, (colour, _) in charts.PALETTE.items():
        assert STATUTS[statut] in svg and colour in svg
    assert len(set(c for c, _ in charts.PALETTE.values())) == len(charts.PALETTE)


def test_timeline_has_every_action_and_the_copil_day(contexts) -> None:
    from docgen import slides
    from docgen.templating import SearchPath

    cal = contexts[4]["calendrier"]
    assert [b["numero"] for b in cal["barres"]] == list(range(1, 15))
    assert cal["debut"] <= 2023 and cal["fin"] >= 2026
    plan = slides.plan(contexts[4], SearchPath.of(None))
    timeline = [d for d in plan.diapositives if d.titre.startswith("Calendrier des actions")]
    texts = [p.texte for d in timeline for b in d.blocs if b.genre == "texte"
             for p in b.paragraphes]
    for n in range(1, 15):
        assert any(t.startswith(f"{n}. ") for t in texts), n
    days = [b for d in timeline for b in d.blocs if b.genre == "trait" and b.tirets]
    assert len(days) == 2 * len(timeline)  # the COPIL's day on each slide, and in its legend
    assert all("COPIL du 16\u00a0janvier 2026" in texts for _ in [0])


def test_a_copil_before_signature_shows_only_the_fiches_of_its_day(contexts) -> None:
    assert contexts[1]["chiffres"]["nombre_actions"] == 0  # diagnostic: no plan yet
    assert contexts[1]["axes_slides"] == [] and contexts[1]["calendrier"] is None
    assert contexts[2]["programme"]["projet"] is True
    assert contexts[2]["chiffres"]["nombre_actions"] == 14  # the draft plan it presented


def test_financing_by_financeur_acquired_and_solicited(contexts) -> None:
    rows = {r["nom"]: r for r in contexts[3]["chiffres"]["financeurs"]}
    dsil = rows["État – DSIL"]
    assert dsil["acquis"] == 234000 and dsil["sollicite"] == 90000
    assert "Autofinancement" not in " ".join(rows)


def test_avenant_slide_when_proposed_or_signed_since_previous_copil(contexts) -> None:
    proposed = contexts[3]["avenants_du_copil"]
    assert [(a["numero"], a["signe"]) for a in proposed] == [(1, None)]
    signed = contexts[4]["avenants_du_copil"]
    assert [a["numero"] for a in signed] == [1] and signed[0]["signe"].isoformat() == "2024-11-28"
    assert {m["type"] for m in signed[0]["modifications"]} == {"ajouter_secteur", "modifier_fiche"}
    assert contexts[2]["avenants_du_copil"] == []
