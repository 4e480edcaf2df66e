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
])
def test_the_check_finds_each_kind_of_error(bad: str) -> None:
    assert mechanical_errors(bad), bad


@pytest.mark.parametrize("good", [
    "a pour objet d'étendre le périmètre de l'Opération",
    "le président du Département et des communes",
    "porté de onze (11) ans à douze (12) ans",
    f"Vu la convention{NB};",
    f"ci-après désignée «{NB}la Commune{NB}»,",
    "un coût de 2 918 550 € HT (hors taxes)",
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
