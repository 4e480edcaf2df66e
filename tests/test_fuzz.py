"""A sample of the loader fuzzing of hostile inputs (the full run, ≥ 10,000 inputs, is
`benchmarks/fuzz_loader.py --hostile`):
every generated input loads or gives a French error at file:line:column, never another
exception; and each kind of input, explicitly, at every field of the minimal case."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings

from tests.fuzz_inputs import DATA, FILES, INPUTS, _yaml, check, paths, replace


@settings(max_examples=150, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(files=INPUTS)
def test_generated_inputs_load_or_give_a_french_error_with_position(files, tmp_path_factory) -> None:
    problem = check(files, tmp_path_factory.getbasetemp())
    assert problem is None, (problem, files)


WRONG = [None, True, -1, "texte", [1, 2], {"a": 1}, dt.date(2024, 2, 29), "x" * 400]


@pytest.mark.parametrize("name", FILES)
def test_a_wrong_type_at_every_field(name: str, tmp_path) -> None:
    failures = []
    for where in paths(DATA[name])[1:]:
        for value in WRONG:
            files = {name: _yaml(replace(DATA[name], where, value)).encode()}
            problem = check(files, tmp_path)
            if problem is not None:
                failures.append((where, value, problem))
    assert not failures, failures[:5]
