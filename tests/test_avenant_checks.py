"""Checks a project lead needs on avenants, each reported at its file and line; axes by avenant."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.errors import CaseInvalid
from docgen.load import load_case
from tests.conftest import EXAMPLE, overlay_case
from tests.test_provisions import check_documents, write_case

AVENANT = EXAMPLE / "avenants" / "01-quartier-gare.yaml"


def _example_with(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    case = overlay_case(tmp_path / "pdd", None, EXAMPLE)
    path = case / "avenants" / "01-quartier-gare.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return case


def _errors(case: Path) -> list[str]:
    with pytest.raises(CaseInvalid) as exc:
        load_case(case)
    return [i.format() for i in exc.value.issues if i.is_error]


def test_approuve_par_copil_names_a_copil_held(tmp_path: Path) -> None:
    errors = _errors(_example_with(tmp_path, "approuve_par_copil: 2024-11-08",
                                   "approuve_par_copil: 2024-11-09"))
    assert len(errors) == 1
    assert "avenants/01-quartier-gare.yaml:14:21: approuve_par_copil:" in errors[0]
    assert "aucun COPIL du 9 novembre 2024 dans copils/" in errors[0]
    assert "2024-11-08" in errors[0]


def test_approuve_par_copil_before_the_avenant(tmp_path: Path) -> None:
    case = _example_with(tmp_path, "approuve_par_copil: 2024-11-08", "approuve_par_copil: 2026-01-16")
    errors = _errors(case)
    assert any("se tient après l'avenant" in e for e in errors), errors


def test_an_avenant_is_signed_after_the_convention(tmp_path: Path) -> None:
    case = _example_with(tmp_path, "date: 2024-11-28", "date: 2023-04-14")
    errors = _errors(case)
    assert any("identique à celle de la convention" in e and "signature.date" in e for e in errors), errors


def test_an_avenant_is_signed_after_the_previous_one(tmp_path: Path) -> None:
    case = write_case(tmp_path / "c", [[{"operation": "prolonger_duree", "duree_ans": 7}],
                                       [{"operation": "prolonger_duree", "duree_ans": 8}]])
    second = case / "avenants" / "02-essai.yaml"
    second.write_text(second.read_text().replace("2024-07-01", "2024-05-20"))
    errors = _errors(case)
    assert any("02-essai.yaml:" in e and "antérieure à celle de l'avenant n° 1" in e for e in errors)


def test_a_removed_fiche_number_is_never_reused(tmp_path: Path) -> None:
    from tests.test_provisions import _fiche

    case = write_case(tmp_path / "c", [
        [{"operation": "ajouter_fiche", "fiche": _fiche(2, "Parvis", 10000)}],
        [{"operation": "supprimer_fiche", "numero": 2}],
        [{"operation": "ajouter_fiche", "fiche": _fiche(2, "Autre parvis", 20000)}],
    ])
    errors = _errors(case)
    assert len(errors) == 1, errors
    assert "03-essai.yaml:" in errors[0] and "modifications[0].fiche.numero" in errors[0]
    assert "supprimée par l'avenant n° 2" in errors[0] and "choisissez le n° 3" in errors[0]


def test_delegation_arrete_precedes_the_signature(tmp_path: Path) -> None:
    case = overlay_case(tmp_path / "pdd", None, EXAMPLE)
    terr = case / "territoire.yaml"
    terr.write_text(terr.read_text().replace("date: 2022-09-05", "date: 2024-12-01"))
    errors = _errors(case)
    assert any("la délégation doit précéder la signature" in e and "convention.yaml:" in e
               for e in errors), errors
    assert any("arrêté de délégation n° 05-2022-09-05-00001 de Dalila ZANE est du 1er décembre "
               "2024, après la signature du 14 avril 2023" in e for e in errors), errors


def test_axes_are_added_renamed_and_removed_by_avenant(tmp_path: Path) -> None:
    case = write_case(tmp_path / "c", [
        [{"operation": "ajouter_axe", "axe": {"id": "mobilite", "intitule": "Mobilité",
                                              "orientations": ["Développer le covoiturage."]}},
         {"operation": "modifier_fiche", "numero": 1, "champs": {"axe": "mobilite"}}],
        [{"operation": "modifier_axe", "id": "mobilite", "champs": {"intitule": "Mobilités douces"}}],
        [{"operation": "modifier_fiche", "numero": 1, "champs": {"axe": "habitat"}},
         {"operation": "supprimer_axe", "id": "mobilite"}],
    ])
    loaded = load_case(case)
    check_documents(case, tmp_path / "out")
    from docgen.resolve import resolve

    states = resolve(loaded.convention, loaded.avenants)
    assert [a.intitule for a in states.apres(2).axes] == ["Habitat", "Mobilités douces"]
    assert [a.id for a in states.apres(3).axes] == ["habitat"]


def test_an_axe_still_followed_cannot_be_removed(tmp_path: Path) -> None:
    case = write_case(tmp_path / "c", [[{"operation": "supprimer_axe", "id": "habitat"}]])
    errors = _errors(case)
    assert any("l'axe « habitat » est encore celui des fiches 1" in e for e in errors), errors
