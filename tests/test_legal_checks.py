"""The consistency checks a lawyer makes before advising a signature (issue 25, items 3, 4 and 9):
a délégation de signature that still holds, the convention-cadre within the deadline of the
convention d'adhésion, fiches an avenant adopts with a calendar that starts after it, statuses
that agree with calendars, délibérations after the COPIL that validated the draft, an avenant
that stays within what the COPIL decided. Each at its file, line and field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from docgen import messages as msg
from docgen.errors import CaseInvalid, Issue
from docgen.load import load_case
from tests.conftest import EXAMPLE, overlay_case

# ------------------------------------------------------------------ helpers


def edit(case: Path, rel: str, old: str, new: str) -> None:
    path = case / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def at(case: Path, rel: str, needle: str, value: str | None = None) -> str:
    """« file:line:col » of the first line of a case file holding needle, at needle (or at
    value, on that line), as the loader reports it."""
    lines = (case / rel).read_text(encoding="utf-8").splitlines()
    line, text = next((n, text) for n, text in enumerate(lines, start=1) if needle in text)
    return f"{rel}:{line}:{text.index(value or needle) + 1}"


def errors(case: Path) -> list[Issue]:
    with pytest.raises(CaseInvalid) as exc:
        load_case(case)
    return [i for i in exc.value.issues if i.is_error]


def warnings(case: Path) -> list[Issue]:
    return list(load_case(case).warnings)


def one(issues: list[Issue], where: str, field: str) -> str:
    """The message of the one issue at this file:line:col and field."""
    found = [i for i in issues if f"{i.file}:{i.line}:{i.col}".endswith(where) and i.path == field]
    assert len(found) == 1, [i.format() for i in issues]
    return found[0].message


# The longest fixed part of each message of these checks, to tell them apart from the other
# warnings a case may get.
OURS = tuple(
    max(re.split(r"\{[^}]*\}", text), key=len) for text in (
        msg.ARRETE_AVANT_DELEGANT, msg.ARRETE_AVANT_DELEGATAIRE, msg.DELEGANT_INCONNU,
        msg.ARRETE_SANS_PUBLICATION, msg.CONVENTION_APRES_DELAI, msg.PROROGATION_APRES_SIGNATURE,
        msg.STATUT_REALISEE_FIN_FUTURE, msg.STATUT_EN_PROJET_FIN_PASSEE,
        msg.FICHE_CALENDRIER_AVANT_AVENANT, msg.DELIBERATION_AVANT_COPIL,
        msg.MODIFICATION_HORS_DECISION))


def ours(issues: list[Issue]) -> list[str]:
    return [i.format() for i in issues if any(part in i.message for part in OURS)]


# ------------------------------------------------------------------ délégation de signature

# The minimal case's État: one préfet until 31 August 2023, his successor from 1 September 2023,
# and a sous-préfète who signs for « le Préfet » under an arrêté.
PREFETS = """      - {civilite: M., nom: Paul PRÉFET, fonction: Préfet des Hautes-Alpes, du: 2020-01-01, au: 2023-08-31}
      - {civilite: Mme, nom: Claire SUIVANTE, fonction: Préfète des Hautes-Alpes, du: 2023-09-01}
      - civilite: Mme
        nom: Sophie DÉLÉGUÉE
        fonction: Sous-préfète de Briançon
        par_delegation_de: le Préfet des Hautes-Alpes
        du: 2022-01-01
        arrete_delegation:
          numero: 05-2023-02-01-001
          date: 2023-02-01
          publication: publié au recueil des actes administratifs de la préfecture le 2 février 2023
"""
PAUL = "      - {civilite: M., nom: Paul PRÉFET, fonction: Préfet des Hautes-Alpes, du: 2020-01-01}\n"


def delegated(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    """The minimal case signed on 15 January 2024 by the sous-préfète for the préfet."""
    case = overlay_case(tmp_path / "essai", None)
    edit(case, "territoire.yaml", PAUL, PREFETS)
    edit(case, "convention.yaml", "  - partie: etat\n",
         "  - partie: etat\n    representant: Sophie DÉLÉGUÉE\n")
    for old, new in changes:
        edit(case, "territoire.yaml", old, new)
    return case


def test_an_arrete_taken_before_the_delegant_took_office_is_refused_at_its_line(
        tmp_path: Path) -> None:
    """The arrêté of February 2023 is Paul PRÉFET's; on 15 January 2024 the préfète is Claire
    SUIVANTE, in office since 1 September 2023: the délégation lapsed when he left."""
    case = delegated(tmp_path)
    found = errors(case)
    message = one(found, at(case, "territoire.yaml", "date: 2023-02-01", "2023"),
                  "parties[0].representants[2].arrete_delegation.date")
    assert "précède la prise de fonction de Claire SUIVANTE" in message
    assert "1er septembre 2023" in message and "15 janvier 2024" in message
    assert "personnelle" in message
    assert len(found) == 1, [i.format() for i in found]


def test_an_arrete_of_the_delegant_in_office_is_accepted(tmp_path: Path) -> None:
    case = delegated(tmp_path, ("date: 2023-02-01", "date: 2023-09-12"))
    assert ours(warnings(case)) == []


@pytest.mark.parametrize("autorite", ["la Préfète des Hautes-Alpes", "le Préfet",
                                      "Monsieur le préfet des Hautes-Alpes"])
def test_the_delegant_is_found_whatever_the_gender_of_the_fonction(autorite: str,
                                                                   tmp_path: Path) -> None:
    """« le Préfet des Hautes-Alpes » names the office a préfète holds (« Préfète des
    Hautes-Alpes »), and so do its shorter or feminine forms: the arrêté of February 2023 is
    refused whichever the délégation names."""
    case = delegated(tmp_path, ("par_delegation_de: le Préfet des Hautes-Alpes",
                                f"par_delegation_de: {autorite}"))
    assert "Claire SUIVANTE" in one(errors(case), at(case, "territoire.yaml", "date: 2023-02-01", "2023"),
                                    "parties[0].representants[2].arrete_delegation.date")


def test_an_arrete_before_the_delegataire_took_office_is_refused(tmp_path: Path) -> None:
    """An arrêté dated before the sous-préfète took office delegated to her predecessor."""
    case = delegated(tmp_path, ("date: 2023-02-01", "date: 2023-09-12"),
                     ("        du: 2022-01-01\n", "        du: 2023-10-01\n"))
    message = one(errors(case), at(case, "territoire.yaml", "2023-09-12"),
                  "parties[0].representants[2].arrete_delegation.date")
    assert "précède la prise de fonction de Sophie DÉLÉGUÉE (1er octobre 2023)" in message


def test_the_delegataire_is_in_office_on_the_signing_day(tmp_path: Path) -> None:
    case = delegated(tmp_path, ("date: 2023-02-01", "date: 2023-09-12"),
                     ("        du: 2022-01-01\n", "        du: 2022-01-01\n        au: 2023-12-31\n"))
    message = one(errors(case), at(case, "convention.yaml", "Sophie DÉLÉGUÉE"),
                  "signataires[0].representant")
    assert "Sophie DÉLÉGUÉE n'est pas en fonction le 15 janvier 2024" in message


def test_an_unpublished_arrete_is_warned_at_its_line(tmp_path: Path) -> None:
    case = delegated(tmp_path, ("date: 2023-02-01", "date: 2023-09-12"), (
        "          publication: publié au recueil des actes administratifs de la préfecture le 2 "
        "février 2023\n", ""))
    found = warnings(case)
    message = one(found, at(case, "territoire.yaml", "numero: 05-2023"),
                  "parties[0].representants[2].arrete_delegation")
    assert "ne dit pas où il a été publié" in message and "recueil des actes administratifs" in message
    assert len(ours(found)) == 1


def test_a_delegant_nobody_holds_that_day_is_warned(tmp_path: Path) -> None:
    """No préfet in office on the signing day: docgen cannot tell whose arrêté it should be."""
    case = delegated(tmp_path, ("date: 2023-02-01", "date: 2023-09-12"),
                     ("fonction: Préfète des Hautes-Alpes, du: 2023-09-01}",
                      "fonction: Préfète des Hautes-Alpes, du: 2023-09-01, au: 2023-12-31}"))
    message = one(warnings(case), at(case, "territoire.yaml", "par_delegation_de", "le Préfet"),
                  "parties[0].representants[2].par_delegation_de")
    assert "personne n'exerce la fonction « le Préfet des Hautes-Alpes » le 15 janvier 2024" in message


# ------------------------------------------------------------------ the 18-month deadline

ADHESION = """communes: [bourg]
date_edition: {jour}
signature: {{lieu: Bourg-d'Essai, date: {jour}}}
signataires:
  - partie: etat
  - partie: cc-essai
    deliberation: {{numero: "2021-01", date: 2021-12-01}}
  - partie: commune-bourg
    deliberation: {{numero: "2021-02", date: 2021-12-02}}
chef_de_projet: {{recrutement: La Communauté de communes recrute un chef de projet.}}
textes:
  preambule: [Préambule d'essai.]
"""
PROROGATION = ("prorogation_delai: {date: 2023-06-01, reference: le courrier du Préfet des "
               "Hautes-Alpes du 1er juin 2023}\n")


def with_adhesion(tmp_path: Path, jour: str) -> Path:
    case = overlay_case(tmp_path / "essai", None)
    (case / "adhesion.yaml").write_text(ADHESION.format(jour=jour), encoding="utf-8")
    return case


def test_a_convention_signed_after_18_months_is_warned_at_its_signature_date(
        tmp_path: Path) -> None:
    case = with_adhesion(tmp_path, "2022-01-10")  # deadline: 10 July 2023; signed 15 January 2024
    message = one(warnings(case), at(case, "convention.yaml", "  date: 2024-01-15", "2024"),
                  "signature.date")
    assert "plus de 18 mois après la convention d'adhésion du 10 janvier 2022" in message
    assert "délai échu le 10 juillet 2023" in message and "prorogation_delai" in message


def test_a_recited_extension_silences_the_deadline(tmp_path: Path) -> None:
    case = with_adhesion(tmp_path, "2022-01-10")
    edit(case, "convention.yaml", "duree_ans: 5\n", "duree_ans: 5\n" + PROROGATION)
    assert ours(warnings(case)) == []


def test_an_extension_dated_after_the_signature_is_warned(tmp_path: Path) -> None:
    case = with_adhesion(tmp_path, "2022-01-10")
    edit(case, "convention.yaml", "duree_ans: 5\n",
         "duree_ans: 5\n" + PROROGATION.replace("2023-06-01", "2024-02-01"))
    message = one(warnings(case), at(case, "convention.yaml", "2024-02-01"),
                  "prorogation_delai.date")
    assert "postérieure à la signature de la convention-cadre du 15 janvier 2024" in message


def test_a_convention_within_the_deadline_is_not_warned(tmp_path: Path) -> None:
    case = with_adhesion(tmp_path, "2022-07-15")  # deadline: 15 January 2024, the signing day
    assert ours(warnings(case)) == []


# ------------------------------------------------------------------ item 9: avenants and COPILs

AVENANT = """numero: 1
date_edition: 2024-09-02
signature: {lieu: Bourg-d'Essai, date: 2024-09-02}
approuve_par_copil: 2024-06-10
objet: ajouter une action
motifs: [Le comité de pilotage l'a décidé.]
signataires:
  - partie: etat
  - partie: cc-essai
    deliberation: {numero: "2024-31", date: 2024-06-20}
  - partie: commune-bourg
    deliberation: {numero: "2024-32", date: 2024-06-21}
modifications:
  - operation: ajouter_fiche
    fiche:
      numero: 2
      intitule: Aménagement de la place du marché
      axe: habitat
      type: travaux
      maitre_ouvrage: commune-bourg
      secteur: centre
      description: Réaménagement de la place.
      calendrier: {debut: 2024-10-01, fin: 2026-06-30}
      cout: {montant: 50000, base: HT}
      plan_de_financement:
        - {financeur: autofinancement, montant: 50000, statut: acquis}
"""
COPIL = """numero: 1
date: 2024-06-10
lieu: Mairie
objet: Premier comité
date_edition: 2024-05-20
convoquent: [commune-bourg]
preside: cc-essai
redacteur: La cheffe de projet
invites:
  - {id: maire, nom: MAIRE, prenom: Jean, structure: Commune}
presences:
  - {invite: maire, etat: present}
ordre_du_jour:
  - {id: accueil, titre: Accueil}
  - {id: avenant, titre: Projet d'avenant n° 1}
decisions:
  - point: avenant
    avenant: 1
    texte: Le comité approuve l'ajout de la fiche action n° 2 par un avenant n° 1.
instantane:
  - {fiche: 1, statut: en_cours}
"""
AVENANT_1 = "avenants/01-place.yaml"
COPIL_1 = "copils/2024-06-10.yaml"


def with_avenant(tmp_path: Path, avenant: str = AVENANT, copil: str = COPIL) -> Path:
    """The minimal case with an avenant that adds a fiche, approved by a COPIL held before."""
    case = overlay_case(tmp_path / "essai", None)
    (case / "avenants").mkdir()
    (case / "copils").mkdir()
    (case / AVENANT_1).write_text(avenant, encoding="utf-8")
    (case / COPIL_1).write_text(copil, encoding="utf-8")
    return case


MODIFIER_1 = """  - operation: modifier_fiche
    numero: 1
    champs:
      cout: {montant: 120000, base: HT}
      plan_de_financement:
        - {financeur: detr, montant: 40000, statut: acquis}
        - {financeur: autofinancement, montant: 80000}
"""


def test_a_consistent_case_gets_none_of_these_warnings(tmp_path: Path) -> None:
    case = with_avenant(tmp_path)
    (case / "adhesion.yaml").write_text(ADHESION.format(jour="2023-03-01"), encoding="utf-8")
    assert ours(warnings(case)) == []


def test_the_example_gets_none_but_the_deadline_it_does_not_recite() -> None:
    """The example's statuses, calendars, délibérations and COPIL decisions agree; its
    délégations hold. Only the 18-month deadline may remain, until the case recites the
    extension (prorogation_delai) the seeds do not document."""
    found = ours(list(load_case(EXAMPLE).warnings))
    assert all("plus de 18 mois" in w for w in found), found


def test_an_added_fiche_starting_before_the_avenant_is_warned(tmp_path: Path) -> None:
    case = with_avenant(tmp_path, AVENANT.replace("debut: 2024-10-01", "debut: 2024-07-01"))
    message = one(warnings(case), at(case, AVENANT_1, "2024-07-01"),
                  "modifications[0].fiche.calendrier.debut")
    assert "la fiche action n° 2, ajoutée par l'avenant" in message
    assert "1er juillet 2024, avant la signature de l'avenant (2 septembre 2024)" in message


def test_a_draft_is_read_on_the_date_of_its_copil(tmp_path: Path) -> None:
    """Not yet signed, the avenant is read on the date of the COPIL that approves it."""
    case = with_avenant(tmp_path, AVENANT.replace("debut: 2024-10-01", "debut: 2024-06-01")
                        .replace("signature: {lieu: Bourg-d'Essai, date: 2024-09-02}",
                                 "signature: {lieu: Bourg-d'Essai}"))
    message = one(warnings(case), at(case, AVENANT_1, "2024-06-01"),
                  "modifications[0].fiche.calendrier.debut")
    assert "avant le COPIL qui approuve l'avenant (10 juin 2024)" in message


def test_a_replaced_fiche_keeps_a_calendar_started_before_the_avenant(tmp_path: Path) -> None:
    """Fiche n° 1 (from 1 March 2024) is replaced in full on 2 September 2024: its calendar is
    re-adopted unless the avenant restates it."""
    case = with_avenant(
        tmp_path, AVENANT + MODIFIER_1,
        COPIL.replace("l'ajout de la fiche action n° 2", "l'ajout de la fiche action n° 2 et la "
                      "modification de la fiche action n° 1"))
    message = one(warnings(case), at(case, AVENANT_1, "    numero: 1", "1"),
                  "modifications[1].numero")
    assert "la fiche action n° 1, remplacée par l'avenant" in message
    assert "redonnez son calendrier" in message
    restated = with_avenant(
        tmp_path / "bis", AVENANT + MODIFIER_1 + "      calendrier: {debut: 2024-10-01, fin: "
        "2025-06-30}\n", COPIL.replace("n° 2 par", "n° 2 et la fiche action n° 1 par"))
    assert ours(warnings(restated)) == []


def test_a_realisee_status_with_an_end_to_come_is_warned_on_the_signing_day(
        tmp_path: Path) -> None:
    case = overlay_case(tmp_path / "essai", None)
    edit(case, "convention.yaml", "      - {financeur: autofinancement, montant: 60000}\n",
         "      - {financeur: autofinancement, montant: 60000}\n    statut: realisee\n")
    message = one(warnings(case), at(case, "convention.yaml", "statut: realisee", "realisee"),
                  "fiches_actions[0].statut")
    assert "« réalisée » au 15 janvier 2024" in message and "30 juin 2025" in message


def test_an_en_projet_status_with_an_end_past_is_warned_on_the_copil_date(tmp_path: Path) -> None:
    """The COPIL of 1 September 2025 says fiche n° 1 (until 30 June 2025) is still « en projet »:
    read on the COPIL's date, never on the day docgen runs."""
    copil = (COPIL.replace("2024-06-10", "2025-09-01").replace("2024-05-20", "2025-08-20")
             .replace("statut: en_cours", "statut: en_projet"))
    case = with_avenant(tmp_path, AVENANT.replace("approuve_par_copil: 2024-06-10\n", ""),
                        copil.replace("decisions:\n  - point: avenant\n    avenant: 1\n    texte: "
                                      "Le comité approuve l'ajout de la fiche action n° 2 par un "
                                      "avenant n° 1.\n", ""))
    (case / COPIL_1).rename(case / "copils" / "2025-09-01.yaml")
    message = one(warnings(case), at(case, "copils/2025-09-01.yaml", "statut: en_projet", "en_projet"),
                  "instantane[0].statut")
    assert "« en projet » au 1er septembre 2025" in message and "30 juin 2025" in message


def test_a_deliberation_before_the_copil_that_validated_the_draft_is_warned(
        tmp_path: Path) -> None:
    case = with_avenant(tmp_path, AVENANT.replace("date: 2024-06-21", "date: 2024-06-03"))
    message = one(warnings(case), at(case, AVENANT_1, "2024-06-03"),
                  "signataires[2].deliberation.date")
    assert "délibération du 3 juin 2024, antérieure au COPIL du 10 juin 2024" in message


def test_a_change_the_copil_decision_does_not_name_is_warned(tmp_path: Path) -> None:
    case = with_avenant(tmp_path, AVENANT + MODIFIER_1 + "      calendrier: {debut: 2024-10-01, "
                        "fin: 2025-06-30}\n")
    found = warnings(case)
    message = one(found, at(case, AVENANT_1, "- operation: modifier_fiche", "operation"), "modifications[1]")
    assert "la modification de la fiche action n° 1" in message
    assert "copils/2024-06-10.yaml, ligne 19" in message
    assert len(ours(found)) == 1  # the added fiche n° 2 is named


@pytest.mark.parametrize("texte", [
    "Le comité approuve l'aménagement de la place du marché par avenant.",  # the fiche's title
    "Le comité approuve les fiches actions n° 1 et 2.",
    "Le comité approuve l'ajout de l'action 2.",
])
def test_a_decision_names_a_fiche_by_number_or_title(texte: str, tmp_path: Path) -> None:
    case = with_avenant(tmp_path, copil=COPIL.replace(
        "Le comité approuve l'ajout de la fiche action n° 2 par un avenant n° 1.", texte))
    assert ours(warnings(case)) == []


def test_the_avenant_number_is_not_a_fiche_number(tmp_path: Path) -> None:
    """« avenant n° 2 » does not name fiche n° 2."""
    case = with_avenant(tmp_path, copil=COPIL.replace(
        "l'ajout de la fiche action n° 2 par un avenant n° 1", "un avenant n° 2"))
    assert any("l'ajout de la fiche action n° 2" in w for w in ours(warnings(case)))
