"""What the lawyer's read of the second legal reading found in the checks and the COPIL data:
a status « en cours » before the calendar starts, an avenant reproducing acquired financing
below what the last COPIL recorded, a party removed by an avenant it does not sign, the COPIL
co-presidence and wording, the no-break space after « M. » / « Mme »."""

from __future__ import annotations

import re
from pathlib import Path

from docgen.load import load_case
from docgen.pipeline import build
from docgen.plan import BuildOptions
from tests.docx_helpers import body_texts, styled
from tests.test_avenant import all_operations_case


def _warnings(case: Path) -> list[str]:
    # amounts and dates carry no-break spaces: compared here as the eye reads them
    return [re.sub("[\u00a0\u202f]", " ", i.format()) for i in load_case(case).warnings]


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_status_en_cours_before_the_calendar_starts_is_warned(example_copy: Path) -> None:
    # the example: fiches 1, 5 and 6 start on 1 May 2023, after the signature of 14 April 2023
    assert not [w for w in _warnings(example_copy) if "« en cours »" in w]
    conv = example_copy / "convention.yaml"
    _replace(conv, "calendrier: {debut: 2023-05-01, fin: 2024-06-30}\n"
             "    cout: {montant: 24000, base: HT}\n"
             "    plan_de_financement:\n"
             "      - {financeur: banque-des-territoires, montant: 12000, statut: acquis}\n"
             "      - {financeur: autofinancement, montant: 12000, statut: acquis}\n"
             "    statut: en_projet",
             "calendrier: {debut: 2023-05-01, fin: 2024-06-30}\n"
             "    cout: {montant: 24000, base: HT}\n"
             "    plan_de_financement:\n"
             "      - {financeur: banque-des-territoires, montant: 12000, statut: acquis}\n"
             "      - {financeur: autofinancement, montant: 12000, statut: acquis}\n"
             "    statut: en_cours")
    found = [w for w in _warnings(example_copy) if "« en cours »" in w]
    assert len(found) == 1
    assert "convention.yaml:" in found[0] and "fiches_actions[0].statut" in found[0]
    assert ("action dite « en cours » au 14 avril 2023 alors que son calendrier ne commence que "
            "le 1er mai 2023 : corrigez le statut (en projet, engagée…) ou le calendrier.") \
        in found[0]


def test_an_avenant_reproducing_less_acquired_financing_than_the_last_copil_is_warned(
        example_copy: Path) -> None:
    found = [w for w in _warnings(example_copy) if "financements acquis" in w]
    assert len(found) == 1
    assert "avenants/01-quartier-gare.yaml:" in found[0] and "modifications" in found[0]
    assert ("les financements acquis que l'avenant reproduit (12 000 €) sont inférieurs à ceux "
            "que le COPIL du 8 novembre 2024 a constatés (776 165 €) : mettez à jour le statut "
            "des lignes de financement obtenues.") in found[0]
    # without the COPIL of 8 November's snapshot, the last one before (28 March 2023, nothing
    # obtained yet) is the reference: nothing to say
    copil = example_copy / "copils/2024-11-08.yaml"
    text = copil.read_text(encoding="utf-8")
    copil.write_text(text[: text.index("\ninstantane:")] + "\n", encoding="utf-8")
    assert not [w for w in _warnings(example_copy) if "financements acquis" in w]


def test_an_avenant_removing_a_party_without_its_signature_is_warned(tmp_path: Path) -> None:
    case = all_operations_case(tmp_path)  # avenant n° 2 removes the Département, unsigned
    found = [w for w in _warnings(case) if "retire des signataires" in w]
    assert len(found) == 1
    assert "avenants/02-retours.yaml:" in found[0] and "signataires" in found[0]
    assert ("l'avenant retire des signataires « departement » sans que cette partie le signe : "
            "l'article « Évolution » de la convention veut un avenant signé par toutes les "
            "parties, celle qui se retire comprise") in found[0]
    # the departing party signs: neither the warning nor « en trop »
    _replace(case / "avenants/02-retours.yaml",
             "modifications:",
             "  - partie: departement\n"
             "    deliberation: {numero: \"D-2024-9\", date: 2024-09-14}\n"
             "modifications:")
    assert not [w for w in _warnings(case) if "retire des signataires" in w]
    build(case, BuildOptions(kinds=("avenant",), out=tmp_path / "o", pdf=False))
    assert "Claire DÉPARTEMENT" in styled(tmp_path / "o/essai/avenant-02.docx", "Signature nom")


def test_the_copils_are_co_presided_and_approve_rather_than_decide(example_copy: Path,
                                                                     tmp_path: Path) -> None:
    build(example_copy, BuildOptions(kinds=("copil", "avenant"), out=tmp_path / "o", pdf=False))
    out = tmp_path / "o/pays-des-ecrins"
    for day, maire in (("2022-03-09", "Patrick VIGNE"), ("2023-03-28", "Alain SANCHEZ")):
        convocation = "\n".join(body_texts(out / f"copil-{day}/convocation.docx"))
        assert (f"Il sera coprésidé par M.\u00a0{maire}, Maire de L’Argentière-La Bessée, et "
                "M.\u00a0Cyrille DRUJON D’ASTROS, Président de la Communauté de communes du Pays "
                "des Écrins.") in convocation
        assert "Mme\u00a0Dalila ZANE, Sous-préfète" in convocation  # the invitees too
        minutes = "\n".join(body_texts(out / f"copil-{day}/compte-rendu.docx"))
        assert "Le Maire de L’Argentière-La Bessée, coprésident," in minutes
        for text in (convocation, minutes):
            assert "M. Alain" not in text and "M. Cyrille" not in text and "Mme Dalila" not in text
    minutes_2 = "\n".join(body_texts(out / "copil-2023-03-28/compte-rendu.docx"))
    assert "Le compte rendu du comité de pilotage du 9\u00a0mars 2022 est approuvé sans " \
        "observation." in minutes_2
    minutes_3 = "\n".join(body_texts(out / "copil-2024-11-08/compte-rendu.docx"))
    assert ("Le comité approuve le projet d’avenant n°\u00a01 à la convention, qui étend le "
            "périmètre de l’ORT au quartier de la gare et actualise en conséquence la fiche "
            "action n°\u00a012 (Requalification du Quartier de la Gare)\u00a0; il sera soumis "
            "aux assemblées délibérantes des parties.") in minutes_3
    assert "décide de modifier le périmètre" not in minutes_3
    avenant = "\n".join(body_texts(out / "avenant-01.docx"))
    assert "Le comité de pilotage du 8\u00a0novembre 2024 a approuvé l’intégration de ce " \
        "quartier au périmètre" in avenant
    assert "a décidé d’intégrer" not in avenant
