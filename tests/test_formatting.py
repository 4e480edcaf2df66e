"""French formatting rules (domain.md §6)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from docgen import formatting as fmt

NB = "\u00a0"


@pytest.mark.parametrize(
    ("day", "text"),
    [(dt.date(2026, 1, 16), "16 janvier 2026"), (dt.date(2020, 10, 1), "1er octobre 2020"),
     (dt.date(2023, 8, 31), "31 août 2023")],
)
def test_long_dates(day: dt.date, text: str) -> None:
    assert fmt.date_longue(day) == text


def test_short_date() -> None:
    assert fmt.date_courte(dt.date(2026, 1, 16)) == "16/01/2026"


@pytest.mark.parametrize(
    ("value", "text"),
    [(2918550, f"2{NB}918{NB}550{NB}€"), (Decimal("4525.85"), f"4{NB}525,85{NB}€"),
     (0, f"0{NB}€"), (Decimal("86000.00"), f"86{NB}000{NB}€")],
)
def test_amounts(value, text: str) -> None:
    assert fmt.montant(value) == text


def test_percentages_round_half_up() -> None:
    assert fmt.pourcentage(86000, 162000) == f"53{NB}%"
    assert fmt.pourcentage(1, 8) == f"13{NB}%"  # 12.5 → 13
    assert fmt.pourcentage(1, 0) == "—"


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (86000, "quatre-vingt-six mille euros"),
        (80, "quatre-vingts euros"),
        (200, "deux cents euros"),
        (230, "deux cent trente euros"),
        (1_000_000, "un million d'euros"),
        (Decimal("1.50"), "un euro et cinquante centimes"),
    ],
)
def test_amounts_in_words(value, words: str) -> None:
    assert fmt.en_lettres(value) == words


def test_amount_in_words_with_figures() -> None:
    assert fmt.montant_en_lettres(86000) == f"quatre-vingt-six mille euros (86{NB}000{NB}€)"


def test_typography_of_template_wording() -> None:
    assert fmt.typo("Objet : la convention ; « ORT » ?") == (
        f"Objet{NB}: la convention{NB}; «{NB}ORT{NB}»{NB}?"
    )


def test_article_numbers() -> None:
    assert [fmt.ordinal_article(n) for n in (1, 2, 10)] == ["1er", "2", "10"]
