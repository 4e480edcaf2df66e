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


@pytest.mark.parametrize("typed, printed", [
    ("L'Argentière-La Bessée", "L’Argentière-La Bessée"),
    ('le secteur "Quartier de la gare"', "le secteur «\u00a0Quartier de la gare\u00a0»"),
    ("« Quartier »", "«\u00a0Quartier\u00a0»"),
    ("Objectif: 20 %; voir", "Objectif\u00a0: 20\u00a0%\u00a0; voir"),
    ("450 000 € HT", "450\u00a0000\u00a0€\u00a0HT"),
    ("moins de 20 000 habitants", "moins de 20\u00a0000 habitants"),
    ("la fiche action n° 12 et l'article 4", "la fiche action n°\u00a012 et l’article\u00a04"),
    ("l'article L. 303-2", "l’article\u00a0L.\u00a0303-2"),
    ("le 1er octobre 2020, le 1er comité", "le 1er\u00a0octobre 2020, le 1er\u00a0comité"),
    # left as typed: addresses, file names, times, entities, a colon inside a word
    ("https://www.anct.gouv.fr/l'offre?x=1", "https://www.anct.gouv.fr/l'offre?x=1"),
    ("j.o'neil@mairie.fr", "j.o'neil@mairie.fr"),
    ("carte_d'ensemble.png", "carte_d'ensemble.png"),
    ("à 14:30", "à 14:30"),
    ("AT&amp;T &lt;b&gt; x", "AT&amp;T &lt;b&gt; x"),
    ("<w:p/>", "<w:p/>"),
    ("en 2021 150 logements", "en 2021 150 logements"),  # a year, not a thousands group
    ("? au début", "? au début"),  # the template's text decides what precedes a value
])
def test_french_typography_of_a_printed_value(typed: str, printed: str) -> None:
    from docgen.formatting import francais

    assert francais(typed) == printed
    assert francais(printed) == printed  # idempotent: a value printed twice stays the same


def test_values_print_in_french_typography_but_stay_as_typed() -> None:
    from docgen.templating import environment

    value = {"nom": "L'Argentière"}
    out = environment().from_string("{{ v.nom }} / {{ v.nom|tojson }}").render(v=value)
    assert out == "L’Argentière / \"L\\u2019Argenti\\u00e8re\""
    assert value == {"nom": "L'Argentière"}  # the case's value itself is unchanged
