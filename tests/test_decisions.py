"""Each act has its own décisions (issue 24, item 4): an avenant cites délibérations of its own,
taken after the previous act was signed and not after its own signature, and the COPIL that
approved it exists, met before the signature and records a decision about it. Every error in
French at its file, line, column and field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from docgen.errors import CaseInvalid, Issue
from docgen.load import load_case
from tests.conftest import EXAMPLE, overlay_case

AVENANT_1 = "avenants/01-quartier-gare.yaml"
AVENANT_2 = "avenants/02-duree.yaml"
COPIL = "copils/2024-11-08.yaml"
OPERATIONS = "modifications:\n  - operation: prolonger_duree\n    duree_ans: 8\n"


def example(tmp_path: Path) -> Path:
    return overlay_case(tmp_path / "pdd", None, EXAMPLE)


def edit(case: Path, rel: str, old: str, new: str) -> None:
    path = case / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def second_avenant(case: Path, replacements: tuple[tuple[str, str], ...] = ()) -> None:
    """Avenant n° 2 drafted as the issue found it: avenant n° 1's head copied (its délibérations
    of November 2024, its COPIL of 8 November 2024), signed on 1 March 2025."""
    text = (case / AVENANT_1).read_text(encoding="utf-8")
    head = text[: text.index("modifications:")]
    head = head.replace("numero: 1", "numero: 2").replace("2024-11-28", "2025-03-01")
    for old, new in replacements:
        assert old in head, old
        head = head.replace(old, new)
    (case / AVENANT_2).write_text(head + OPERATIONS, encoding="utf-8")


OWN_DELIBERATIONS = (  # avenant n° 2's own délibérations, after avenant n° 1's signature
    ("CP-2024-11-087, date: 2024-11-18", "CP-2025-02-012, date: 2025-02-10"),
    ("2024-094, date: 2024-11-19", "2025-011, date: 2025-02-11"),
    ("2024-071, date: 2024-11-14", "2025-008, date: 2025-02-06"),
)
NO_COPIL = (("approuve_par_copil: 2024-11-08\n", ""),)


def issues(case: Path) -> list[Issue]:
    with pytest.raises(CaseInvalid) as exc:
        load_case(case)
    return [i for i in exc.value.issues if i.is_error]


def at(case: Path, rel: str, needle: str, nth: int = 0) -> str:
    """« file:line:col » of the nth occurrence of needle in a case file (1-based, as reported)."""
    lines = (case / rel).read_text(encoding="utf-8").splitlines()
    found = [(n, line.index(needle) + 1) for n, line in enumerate(lines, start=1) if needle in line]
    line, col = found[nth]
    return f"{rel}:{line}:{col}"


def one(errors: list[Issue], where: str, field: str) -> str:
    """The message of the one error at this place and field."""
    matching = [i for i in errors if f"{i.file}:{i.line}:{i.col}".endswith(where)
                and i.path == field]
    assert len(matching) == 1, [i.format() for i in errors]
    return matching[0].message


# ------------------------------------------------------------------ the example is consistent


def test_the_example_gives_each_act_its_own_deliberations() -> None:
    case = load_case(EXAMPLE)
    conv = {(s.partie, s.deliberation.numero) for s in case.convention.signataires if s.deliberation}
    av = {(s.partie, s.deliberation.numero) for s in case.avenants[0].signataires if s.deliberation}
    assert av and not conv & av
    cp = next(c for c in case.copils if c.date == case.avenants[0].approuve_par_copil)
    assert [d.avenant for d in cp.decisions] == [1] and cp.tenu


# ------------------------------------------------------------------ délibérations of its own


def test_an_avenant_copied_from_the_previous_one_is_refused(tmp_path: Path) -> None:
    case = example(tmp_path)
    second_avenant(case)
    errors = issues(case)
    for i, (partie, numero, jour) in enumerate([
            ("departement", "CP-2024-11-087", "18 novembre 2024"),
            ("cc-pays-des-ecrins", "2024-094", "19 novembre 2024"),
            ("commune-argentiere", "2024-071", "14 novembre 2024")], start=1):
        message = one(errors, at(case, AVENANT_2, "{numero: ", i - 1),
                      f"signataires[{i}].deliberation")
        assert message == (f"la délibération n° {numero} du {jour} de « {partie} » est déjà "
                           "citée par l'avenant n° 1 : chaque avenant est autorisé par une "
                           "délibération qui lui est propre ; citez celle qui approuve le présent "
                           "avenant.")
    # and the COPIL it copied took no decision about it
    message = one(errors, at(case, AVENANT_2, "2024-11-08"), "approuve_par_copil")
    assert message.startswith("le COPIL du 8 novembre 2024 ne consigne aucune décision sur "
                              "l'avenant n° 2 : ajoutez « avenant: 2 »")
    assert "copils/2024-11-08.yaml" in message
    assert len(errors) == 4, [i.format() for i in errors]


def test_a_deliberation_of_the_convention_is_refused(tmp_path: Path) -> None:
    case = example(tmp_path)
    edit(case, AVENANT_1, "{numero: 2024-071, date: 2024-11-14,", "{numero: 2023-018, date: 2023-03-09,")
    errors = issues(case)
    message = one(errors, at(case, AVENANT_1, "{numero: 2023-018"), "signataires[3].deliberation")
    assert message.startswith("la délibération n° 2023-018 du 9 mars 2023 de « commune-argentiere » "
                              "est déjà citée par la convention :")
    assert len(errors) == 1  # not also « before the convention's signature »: one cause, one error


def test_the_same_number_for_another_party_is_another_deliberation(tmp_path: Path) -> None:
    case = example(tmp_path)
    second_avenant(case, OWN_DELIBERATIONS[:2] + (
        ("2024-071, date: 2024-11-14", "2025-011, date: 2025-02-11"),) + NO_COPIL)
    assert load_case(case).avenants[1].numero == 2  # the commune's n° 2025-011 is not the CC's


def test_a_deliberation_before_the_previous_avenants_signature_is_refused(tmp_path: Path) -> None:
    case = example(tmp_path)
    second_avenant(case, OWN_DELIBERATIONS[:2] + (
        ("2024-071, date: 2024-11-14", "2025-008, date: 2024-11-20"),) + NO_COPIL)
    errors = issues(case)
    message = one(errors, at(case, AVENANT_2, "2024-11-20"), "signataires[3].deliberation.date")
    assert message == ("délibération du 20 novembre 2024 : la délibération qui autorise un avenant "
                       "est postérieure à la signature de l'avenant n° 1 (28 novembre 2024) ; "
                       "citez celle qui approuve le présent avenant.")
    assert len(errors) == 1


@pytest.mark.parametrize("day", ["2023-04-10", "2023-04-14"])
def test_a_deliberation_of_avenant_1_follows_the_conventions_signature(tmp_path: Path,
                                                                       day: str) -> None:
    case = example(tmp_path)
    edit(case, AVENANT_1, "date: 2024-11-14,", f"date: {day},")
    errors = issues(case)
    message = one(errors, at(case, AVENANT_1, day), "signataires[3].deliberation.date")
    assert "postérieure à la signature de la convention (14 avril 2023)" in message
    assert len(errors) == 1


def test_a_deliberation_after_the_avenants_signature_is_refused(tmp_path: Path) -> None:
    case = example(tmp_path)
    edit(case, AVENANT_1, "date: 2024-11-19,", "date: 2024-12-02,")
    errors = issues(case)
    message = one(errors, at(case, AVENANT_1, "2024-12-02"), "signataires[2].deliberation.date")
    assert message == "délibération du 2 décembre 2024, postérieure à la signature du 28 novembre 2024."


def test_an_avenant_with_its_own_deliberations_and_no_copil_is_accepted(tmp_path: Path) -> None:
    case = example(tmp_path)
    second_avenant(case, OWN_DELIBERATIONS + NO_COPIL)
    assert [a.numero for a in load_case(case).avenants] == [1, 2]


def test_an_avenant_signed_before_the_previous_one_is_one_error(tmp_path: Path) -> None:
    """Signed before avenant n° 1, avenant n° 2's délibérations cannot follow n° 1's signature:
    the signature date is the error, not each délibération besides."""
    case = example(tmp_path)
    second_avenant(case, OWN_DELIBERATIONS + NO_COPIL + (("date: 2025-03-01", "date: 2024-11-27"),))
    edit(case, AVENANT_2, "2025-02-10", "2024-11-20")
    edit(case, AVENANT_2, "2025-02-11", "2024-11-21")
    edit(case, AVENANT_2, "2025-02-06", "2024-11-22")
    errors = issues(case)
    assert [i.path for i in errors] == ["signature.date"], [i.format() for i in errors]


# ------------------------------------------------------------------ the approving COPIL


def test_the_approving_copil_records_a_decision_about_the_avenant(tmp_path: Path) -> None:
    case = example(tmp_path)
    edit(case, COPIL, "    avenant: 1  #", "    #")
    errors = issues(case)
    message = one(errors, f"{AVENANT_1}:14:21", "approuve_par_copil")
    assert message == ("le COPIL du 8 novembre 2024 ne consigne aucune décision sur l'avenant n° 1 : "
                       "ajoutez « avenant: 1 » à la décision qui l'approuve dans "
                       "copils/2024-11-08.yaml, ou indiquez le COPIL qui l'a approuvé.")
    assert len(errors) == 1


def test_a_decision_names_an_avenant_of_the_case(tmp_path: Path) -> None:
    case = example(tmp_path)
    edit(case, COPIL, "    avenant: 1  #", "    avenant: 3  #")
    errors = issues(case)
    message = one(errors, at(case, COPIL, "3  #"), "decisions[0].avenant")
    assert message == "aucun avenant n° 3 dans avenants/ ; avenants : 1."
    assert one(errors, f"{AVENANT_1}:14:21", "approuve_par_copil").startswith(
        "le COPIL du 8 novembre 2024 ne consigne aucune décision sur l'avenant n° 1")


def test_the_approving_copil_meets_before_the_signature(tmp_path: Path) -> None:
    case = example(tmp_path)
    edit(case, AVENANT_1, "approuve_par_copil: 2024-11-08", "approuve_par_copil: 2024-11-28")
    (case / COPIL).rename(case / "copils/2024-11-28.yaml")
    edit(case, "copils/2024-11-28.yaml", "date: 2024-11-08", "date: 2024-11-28")
    errors = issues(case)
    message = one(errors, f"{AVENANT_1}:14:21", "approuve_par_copil")
    assert message == ("le COPIL du 28 novembre 2024 se tient le jour de la signature de "
                       "l'avenant : le comité qui l'approuve se réunit avant qu'il soit signé.")


def test_a_signed_avenants_copil_is_held(tmp_path: Path) -> None:
    case = example(tmp_path)
    path = case / COPIL
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"\npresences:\n(  - .*\n)+", "\n", text), encoding="utf-8")
    with pytest.raises(CaseInvalid) as exc:
        load_case(case)
    errors = [i for i in exc.value.issues if i.is_error]
    message = one(errors, f"{AVENANT_1}:14:21", "approuve_par_copil")
    assert message.startswith("le COPIL du 8 novembre 2024 n'est pas consigné comme tenu (aucune "
                              "présence dans copils/2024-11-08.yaml) : un avenant signé cite le "
                              "comité qui l'a approuvé")
    assert len(errors) == 1
    # the decision text recorded without attendance is flagged too, as a warning
    warnings = [i for i in exc.value.issues if not i.is_error and i.file.endswith(COPIL)]
    assert [(i.path, i.line) for i in warnings] == [("decisions[0].texte", int(
        at(case, COPIL, "Le comité approuve").split(":")[1]))]
    assert warnings[0].message.startswith("décision consignée alors qu'aucune présence ne l'est")


def test_a_draft_avenant_is_submitted_to_a_copil_still_to_come(tmp_path: Path) -> None:
    """Not signed, edited before its COPIL: the draft that COPIL's pack carries. The COPIL is in
    preparation and proposes to approve it."""
    case = example(tmp_path)
    second_avenant(case, OWN_DELIBERATIONS + (
        ("approuve_par_copil: 2024-11-08", "approuve_par_copil: 2026-06-12"),
        ("  date: 2025-03-01\n", ""),))
    (case / "copils/2026-06-12.yaml").write_text(FUTURE_COPIL, encoding="utf-8")
    loaded = load_case(case)
    assert loaded.avenants[1].signature.date is None
    assert not loaded.copils[-1].tenu


FUTURE_COPIL = """numero: 5
date: 2026-06-12
heure: "14:00"
lieu: Mairie de L'Argentière-La Bessée
objet: Avancement du plan d'action et projet d'avenant n° 2
date_edition: 2026-05-22
convoquent: [commune-argentiere, cc-pays-des-ecrins]
preside: cc-pays-des-ecrins
redacteur: Érika ALLAIS, cheffe de projet Petites Villes de Demain
invites:
  - {id: president-cc, civilite: M., prenom: Cyrille, nom: DRUJON D'ASTROS, structure: Communauté de communes du Pays des Écrins, fonction: Président}
  - {id: maire, civilite: M., prenom: Alain, nom: SANCHEZ, structure: Commune de L'Argentière-La Bessée, fonction: Maire}
ordre_du_jour:
  - {id: avenant, titre: Projet d'avenant n° 2 – durée de la convention}
decisions:
  - point: avenant
    avenant: 2
    proposition: Approuver le projet d'avenant n° 2 portant la durée de la convention à huit ans.
"""
