"""RESOLVE: the convention as signed and after each avenant, and the one in force at a date."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pydantic
import pytest

from docgen.load import Case, load_case
from docgen.model.avenant import ProlongerDuree
from docgen.resolve import Inapplicable, Resolved, apply_all, resolve, state_after, state_at_date
from tests.conftest import EXAMPLE

D = dt.date
SIGNED = D(2023, 4, 14)  # the convention of the example
AVENANT_1 = D(2024, 11, 28)  # its avenant n° 1 (quartier de la gare, fiche 12 at 450 000 € HT)


@pytest.fixture(scope="module")
def case() -> Case:
    return load_case(EXAMPLE)


@pytest.fixture(scope="module")
def resolved(case: Case) -> Resolved:
    return resolve(case.convention, case.avenants)


def secteurs(conv) -> list[str]:
    return [s.id for s in conv.secteurs]


def fiche_12(conv):
    return next(f for f in conv.fiches_actions if f.numero == 12)


def test_the_example_dates_are_the_ones_these_tests_assume(case: Case) -> None:
    assert case.convention.signature.date == SIGNED
    assert [(a.numero, a.signature.date) for a in case.avenants] == [(1, AVENANT_1)]


def test_state_0_is_the_convention_as_signed(case: Case, resolved: Resolved) -> None:
    assert resolved.apres(0) is case.convention
    assert secteurs(resolved.apres(0)) == ["centre-bourg", "la-bessee"]
    assert fiche_12(resolved.apres(0)).cout.montant == Decimal("300000")
    assert fiche_12(resolved.apres(0)).secteur != "quartier-gare"


def test_state_1_has_the_gare_sector_and_fiche_12_updated(resolved: Resolved) -> None:
    after = resolved.apres(1)
    assert secteurs(after) == ["centre-bourg", "la-bessee", "quartier-gare"]
    f12 = fiche_12(after)
    assert (f12.secteur, f12.cout.montant, f12.cout.base) == ("quartier-gare", Decimal("450000"), "HT")
    assert [(r.financeur, r.montant) for r in f12.plan_de_financement] == [
        ("dsil", Decimal("135000")), ("region", Decimal("90000")),
        ("autofinancement", Decimal("225000"))]
    assert f12.localisation == "Abords de la gare et avenue de la gare"
    # only what the avenant writes changes
    before = fiche_12(resolved.apres(0))
    assert (f12.intitule, f12.axe, f12.maitre_ouvrage) == (before.intitule, before.axe,
                                                           before.maitre_ouvrage)
    assert [f.numero for f in after.fiches_actions] == list(range(1, 15))


def test_resolving_leaves_the_loaded_convention_untouched(case: Case, resolved: Resolved) -> None:
    assert secteurs(case.convention) == ["centre-bourg", "la-bessee"]
    assert resolved.apres(0) != resolved.apres(1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        resolved.etats = ()  # type: ignore[misc]
    with pytest.raises(pydantic.ValidationError):
        resolved.apres(1).duree_ans = 9  # type: ignore[misc]
    assert isinstance(resolved.etats, tuple) and len(resolved.etats) == 2


@pytest.mark.parametrize(
    ("day", "numero", "draft"),
    [
        (D(2021, 5, 7), 0, True),  # the convention d'adhésion: the convention is still a draft
        (SIGNED - dt.timedelta(days=1), 0, True),
        (SIGNED, 0, False),  # in force from its signature day
        (D(2024, 11, 8), 0, False),  # the COPIL that approved avenant n° 1, before it was signed
        (AVENANT_1 - dt.timedelta(days=1), 0, False),
        (AVENANT_1, 1, False),  # the avenant counts from its signature day
        (D(2026, 1, 16), 1, False),
    ],
)
def test_convention_in_force_around_the_signature_dates(resolved: Resolved, day: dt.date,
                                                         numero: int, draft: bool) -> None:
    conv, is_draft = resolved.en_vigueur(day)
    assert conv is resolved.apres(numero)
    assert is_draft is draft


def test_resolved_agrees_with_the_step_by_step_functions(case: Case, resolved: Resolved) -> None:
    conv, avenants = case.convention, case.avenants
    for n in (0, 1):
        assert resolved.apres(n) == state_after(conv, avenants, n)
    around = [SIGNED, AVENANT_1]
    days = [d + dt.timedelta(days=k) for d in around for k in range(-2, 3)] + [D(2026, 1, 16)]
    for day in days:
        assert resolved.en_vigueur(day) == state_at_date(conv, avenants, day), day


def _unsigned(model):
    return model.model_copy(update={"signature": model.signature.model_copy(update={"date": None})})


def test_an_unsigned_avenant_is_never_in_force(case: Case) -> None:
    r = resolve(case.convention, [_unsigned(case.avenants[0])])
    assert secteurs(r.apres(1))[-1] == "quartier-gare"  # its state exists (for the draft avenant)
    conv, draft = r.en_vigueur(D(2030, 1, 1))
    assert conv is r.apres(0) and draft is False


def test_an_unsigned_convention_is_a_draft_on_every_day(case: Case) -> None:
    r = resolve(_unsigned(case.convention), case.avenants)
    for day in (SIGNED, AVENANT_1, D(2030, 1, 1)):
        conv, draft = r.en_vigueur(day)
        assert conv is r.apres(0) and draft is True


def test_avenants_apply_in_numero_order_whatever_the_order_given(case: Case) -> None:
    first = case.avenants[0]
    second = first.model_copy(update={
        "numero": 2, "signature": first.signature.model_copy(update={"date": D(2025, 6, 2)}),
        "modifications": [ProlongerDuree(operation="prolonger_duree", duree_ans=8)]})
    r = resolve(case.convention, [second, first])
    assert [a.numero for a in r.avenants] == [1, 2]
    assert [c.duree_ans for c in r.etats] == [6, 6, 8]
    assert secteurs(r.apres(2))[-1] == "quartier-gare"  # avenant 2 builds on avenant 1
    assert r.en_vigueur(D(2025, 6, 1))[0] is r.apres(1)
    assert r.en_vigueur(D(2025, 6, 2))[0] is r.apres(2)


def test_an_operation_that_does_not_fit_the_state_says_why_in_french(resolved: Resolved,
                                                                      case: Case) -> None:
    with pytest.raises(Inapplicable, match="le secteur « quartier-gare » existe déjà."):
        apply_all(resolved.apres(1), case.avenants[0].modifications)
    with pytest.raises(Inapplicable, match="la durée est déjà de 6 ans."):
        apply_all(resolved.apres(0), [ProlongerDuree(operation="prolonger_duree", duree_ans=6)])
