"""BATCH: a folder of territories is each of them; one broken territory never stops the others."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from docgen import messages as msg
from docgen.batch import Outcome, build_many, build_outcome, expand_cases
from docgen.plan import BuildOptions
from tests.conftest import INVALID, overlay_case

NB = "\u00a0"


def test_a_territory_folder_is_itself_and_a_folder_of_territories_is_each(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    gamma = overlay_case(cases / "gamma", None)
    alpha = overlay_case(cases / "alpha", None)
    (cases / "notes").mkdir()  # not a territory: left out of the folder's territories
    (cases / "lisez-moi.txt").write_text("x")
    assert expand_cases([cases]) == [alpha, gamma]  # sorted by name
    assert expand_cases([gamma, alpha]) == [gamma, alpha]  # as given
    assert expand_cases([cases, gamma]) == [alpha, gamma, gamma]


def test_a_folder_with_no_territory_is_kept_so_that_loading_reports_it(tmp_path: Path) -> None:
    empty = tmp_path / "vide"
    empty.mkdir()
    missing = tmp_path / "nulle-part"
    assert expand_cases([empty, missing]) == [empty, missing]
    outcome = build_outcome(missing, BuildOptions(out=tmp_path / "o"))
    assert outcome.status == msg.STATUS_FAILED
    assert "dossier introuvable" in outcome.message


def test_a_territory_with_only_a_territoire_file_counts_as_one(tmp_path: Path) -> None:
    folder = tmp_path / "cases" / "seul"
    folder.mkdir(parents=True)
    (folder / "territoire.yaml").write_text("x: 1\n")
    assert expand_cases([tmp_path / "cases"]) == [folder]


def test_outcomes_built_unchanged_and_failed_with_the_first_error(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    alpha = overlay_case(cases / "alpha", None)
    beta = overlay_case(cases / "beta", INVALID / "plan-depasse-cout")
    options = BuildOptions(kinds=("convention",), out=tmp_path / "o", pdf=False, jobs=1)
    seen: list[Outcome] = []
    outcomes = build_many(expand_cases([cases]), options, seen.append)
    assert seen == outcomes
    assert [(o.case, o.status, o.written) for o in outcomes] == [
        ("alpha", msg.STATUS_BUILT, 1), ("beta", msg.STATUS_FAILED, 0)]
    assert outcomes[1].message == (  # the first error as `docgen check` prints it, and a count
        f"{beta}/convention.yaml:33:7: fiches_actions[0].plan_de_financement: le plan de "
        f"financement (110{NB}000{NB}€) dépasse le coût de l'action (100{NB}000{NB}€ HT) de "
        f"10{NB}000{NB}€. (1 erreur(s))")
    assert (tmp_path / "o/alpha/convention.docx").is_file()
    assert not (tmp_path / "o/beta").exists()
    again = build_many([alpha], options, lambda o: None)
    assert [(o.case, o.status, o.written) for o in again] == [("alpha", msg.STATUS_UNCHANGED, 0)]


def test_a_bug_in_one_territory_is_reported_not_raised(tmp_path: Path, monkeypatch) -> None:
    import docgen.pipeline

    def boom(folder, options):
        raise ZeroDivisionError("panne simulée")

    monkeypatch.setattr(docgen.pipeline, "build", boom)
    outcome = build_outcome(tmp_path, BuildOptions())
    assert outcome == Outcome(tmp_path.name, msg.STATUS_FAILED,
                              message="erreur interne : ZeroDivisionError: panne simulée")


def test_each_territory_is_built_with_one_job(tmp_path: Path) -> None:
    """-j is for territories: a territory's own build never forks again."""
    asked: list[BuildOptions] = []

    def spy(folder: Path, options: BuildOptions) -> Outcome:
        asked.append(options)
        return Outcome(folder.name, msg.STATUS_BUILT, 1)

    options = BuildOptions(out=tmp_path, jobs=4)
    assert [o.case for o in build_many([tmp_path / "a"], options, lambda o: None, spy)] == ["a"]
    assert asked == [replace(options, jobs=1)]
