"""Financing shares in whole percent: largest remainder, each plan sums to 100 %."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from docgen.context.common import programme
from docgen.derive import parts_entieres
from docgen.load import load_case
from tests.conftest import EXAMPLE


@given(st.lists(st.integers(0, 10_000_000), min_size=1, max_size=12))
def test_shares_of_a_whole_sum_to_100_and_stay_within_one_point(amounts: list[int]) -> None:
    total = Decimal(sum(amounts))
    parts = parts_entieres([Decimal(a) for a in amounts], total)
    if total:
        assert sum(parts) == 100
        for a, p in zip(amounts, parts):
            assert abs(Decimal(a) * 100 / total - p) < 1
    else:
        assert parts == [0] * len(amounts)


def test_largest_remainder_example() -> None:
    assert parts_entieres([Decimal(1)] * 3, Decimal(3)) == [34, 33, 33]
    assert parts_entieres([Decimal(72165), Decimal(120275), Decimal(48110)],
                          Decimal(240550)) == [30, 50, 20]


def test_every_plan_of_the_example_sums_to_100() -> None:
    case = load_case(EXAMPLE)
    prog = programme(case.territoire, case.convention)
    for f in prog["fiches"]:
        assert sum(x["part"] for x in f["financement"]) + f["part_reste"] == 100, f["numero"]
    m = prog["maquette"]
    assert sum(x["part"] for x in m["financeurs"]) == m["part_finance"]
    assert m["part_finance"] + m["part_reste"] == 100
