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
    ch = ctx["chiffres"]
    out = [
        charts.dessin_statuts_par_axe([a["axe"] for a in ch["par_axe"]], ch["statuts"],
                                      ch["par_axe"], STATUTS),
        charts.dessin_programme_finance(
            [("Programme", ch["investissements"], ch["obtenu"]),
             ("Études", ch["etudes"]["cout"], ch["etudes"]["finance"])],
            "Reste à financer", "Subventions obtenues"),
    ]
    if ch["financeurs"]:
        out.append(charts.dessin_financeurs(ch["financeurs"], "Acquis", "Sollicité"))
    if ctx["calendrier"]:
        out.append(charts.dessin_calendrier(ctx["calendrier"], STATUTS, "COPIL du 16/01/2026"))
    return out


def assert_no_overlap(d: charts.Dessin) -> None:
    for a, b in itertools.combinations(d.boites, 2):
        assert not a.chevauche(b), (d.name, a, b)
    for b in d.boites:
        assert b.x >= 0 and b.y >= 0, (d.name, b)
        assert b.x + b.w <= d.width + 0.5 and b.y + b.h <= d.height + 0.5, (d.name, b)


@pytest.mark.parametrize("numero", [3, 4])
def test_chart_labels_never_overlap(contexts, numero: int) -> None:
    for d in drawings(contexts[numero]):
        assert d.boites, d.name
        assert_no_overlap(d)


def test_labels_do_not_overlap_with_long_names_and_tiny_values() -> None:
    rows = [{"nom": "Fonds européen de développement régional – programme opérationnel régional",
             "acquis": 1, "sollicite": 1, "total": 2},
            {"nom": "État – DETR", "acquis": 2_000_000, "sollicite": 1_000_000, "total": 3_000_000}]
    rows += [{"nom": f"Financeur {i}", "acquis": 10 * i, "sollicite": 0, "total": 10 * i}
             for i in range(1, 12)]
    assert_no_overlap(charts.dessin_financeurs(rows, "Acquis", "Sollicité"))
    axes = ["Axe " + "très long " * 8, "Court"]
    par_axe = [{"comptes": {s: 1 for s in STATUTS}}, {"comptes": {s: 0 for s in STATUTS}}]
    assert_no_overlap(charts.dessin_statuts_par_axe(axes, list(STATUTS), par_axe, STATUTS))


def test_every_status_has_one_fixed_colour_in_the_legend(contexts) -> None:
    ch = contexts[4]["chiffres"]
    d = charts.dessin_statuts_par_axe([a["axe"] for a in ch["par_axe"]], ch["statuts"],
                                      ch["par_axe"], STATUTS)
    svg = d.svg()
    for statut, (colour, _) in charts.PALETTE.items():
        assert STATUTS[statut] in svg and colour in svg  # all six, even when no action has it
    assert len(set(c for c, _ in charts.PALETTE.values())) == len(charts.PALETTE)


def test_timeline_has_every_action_and_the_copil_day(contexts) -> None:
    cal = contexts[4]["calendrier"]
    assert [b["numero"] for b in cal["barres"]] == list(range(1, 15))
    assert cal["debut"] <= 2023 and cal["fin"] >= 2026
    svg = charts.dessin_calendrier(cal, STATUTS, "COPIL du 16/01/2026").svg()
    assert charts.MARQUE in svg and "COPIL du 16/01/2026" in svg


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
