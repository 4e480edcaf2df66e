"""The prefecture's acknowledgement read back (issue 26, item 3): `docgen remise ar` checks an
ARActe against the ACTES schema and the act as handed over (its number, its date), then records
its IDActe and date of receipt (the act is « transmis »), keeping the stamped act as a derived
copy; an anomaly, another act's acknowledgement or a second one is refused, the register
unchanged."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from lxml import etree

from docgen.remise import NS_ACTES as NS
from tests.conftest import EXAMPLE

ID = "005-240500439-20241128-ORT2024A01-CC"


def q(name: str) -> str:
    return f"{{{NS}}}{name}"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


@pytest.fixture
def handed(example_signed: Path, tmp_path: Path, run) -> tuple[Path, bytes]:
    """The example with avenant n° 1 handed over: its case and the Acte message it sent."""
    result = run("remise", example_signed, "avenant-01", "--out", tmp_path / "out")
    assert result.code == 0, result.err
    acte = tmp_path / "out/pays-des-ecrins/remise/avenant-01/actes_acte.xml"
    return example_signed, acte.read_bytes()


def acknowledgement(acte: bytes, received: str = "2024-12-02", number: str | None = None,
                    id_acte: str = ID) -> bytes:
    """The ARActe an operator returns for this Acte message (its content as ActeRecu)."""
    sent = etree.fromstring(acte)
    root = etree.Element(q("ARActe"), nsmap={"actes": NS})
    root.set(q("IDActe"), id_acte)
    root.set(q("DateReception"), received)
    recu = etree.SubElement(root, q("ActeRecu"))
    for key, value in sent.attrib.items():
        recu.set(key, value)
    if number is not None:
        recu.set(q("NumeroInterne"), number)
    for child in sent:
        recu.append(copy.deepcopy(child))
    etree.SubElement(root, q("ClassificationDateVersionEnCours")).text = "2024-01-01"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def test_the_acknowledgement_makes_the_act_transmitted(handed: tuple[Path, bytes],
                                                       tmp_path: Path, run) -> None:
    case, acte = handed
    ar = tmp_path / "ARActe.xml"
    ar.write_bytes(acknowledgement(acte))
    stamped = tmp_path / "tampon.pdf"
    stamped.write_bytes((EXAMPLE / "actes/avenant-01/emis.pdf").read_bytes())
    result = run("remise", "ar", case, "avenant-01", ar, "--tampon", stamped)
    assert result.code == 0, result.err
    assert f"l'avenant n° 1 : transmis, reçu par la préfecture le 2 décembre 2024 (identifiant {ID})" \
        in result.out
    entry = yaml.safe_load((case / "actes/registre.yaml").read_text())["actes"]["avenant-01"]
    assert entry["etat"] == "transmis" and entry["transmission"]["id_acte"] == ID
    assert (case / "actes" / entry["transmission"]["accuse"]).read_bytes() == ar.read_bytes()
    assert entry["signature"]["mode"] == "electronique"  # the original stays the reference
    status = run("status", case)
    assert f"transmis le 2 décembre 2024 (identifiant {ID})" in status.out
    table = run("status", case, "--format", "csv").out
    assert ID in table
    again = run("remise", "ar", case, "avenant-01", ar)
    assert again.code == 1 and "déjà enregistré comme transmis" in again.err
    assert run("check", case).code == 0  # the register, its new files included, reads back


def test_another_acts_acknowledgement_is_refused(handed: tuple[Path, bytes], tmp_path: Path,
                                                 run) -> None:
    case, acte = handed
    before = snapshot(case / "actes")
    ar = tmp_path / "ARActe.xml"
    ar.write_bytes(acknowledgement(acte, number="ORT2024A02"))
    result = run("remise", "ar", case, "avenant-01", ar)
    assert result.code == 1
    assert "concerne l'acte n° ORT2024A02" in result.err and "ORT2024A01" in result.err
    assert snapshot(case / "actes") == before


def test_an_anomaly_is_reported_in_french(handed: tuple[Path, bytes], tmp_path: Path,
                                          run) -> None:
    case, acte = handed
    before = snapshot(case / "actes")
    root = etree.Element(q("AnomalieActe"), nsmap={"actes": NS})
    etree.SubElement(root, q("Date")).text = "2024-12-02"
    etree.SubElement(root, q("Nature")).text = "004"
    etree.SubElement(root, q("Detail")).text = "Classification inconnue"
    recu = etree.fromstring(acknowledgement(acte)).find(q("ActeRecu"))
    root.append(recu)
    etree.SubElement(root, q("ClassificationDateVersionEnCours")).text = "2024-01-01"
    ar = tmp_path / "anomalie.xml"
    ar.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    result = run("remise", "ar", case, "avenant-01", ar)
    assert result.code == 1
    assert "la préfecture signale une anomalie (nature 004, le 2 décembre 2024)" in result.err
    assert "Classification inconnue" in result.err and "Rien n'a été enregistré" in result.err
    assert snapshot(case / "actes") == before


@pytest.mark.parametrize("body", [
    b"pas du XML",
    b'<?xml version="1.0"?><actes:ARActe xmlns:actes="http://www.interieur.gouv.fr/ACTES#v1.1-'
    b'20040216"/>',
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
])
def test_what_is_not_an_acknowledgement_is_refused(handed: tuple[Path, bytes], tmp_path: Path,
                                                   run, body: bytes) -> None:
    case, _ = handed
    ar = tmp_path / "ar.xml"
    ar.write_bytes(body)
    result = run("remise", "ar", case, "avenant-01", ar)
    assert result.code == 1 and "Traceback" not in result.err
    assert "root:" not in result.err  # nothing of /etc/passwd


def test_an_act_not_signed_cannot_be_transmitted(example_copy: Path, tmp_path: Path,
                                                 run) -> None:
    ar = tmp_path / "ar.xml"
    ar.write_bytes(b"<x/>")
    result = run("remise", "ar", example_copy, "avenant-01", ar)
    assert result.code == 1 and "n'est pas enregistré comme signé" in result.err
