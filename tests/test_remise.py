"""The hand-off of an act (docgen remise, issue 26): the settings of territoire.yaml checked at
load with their line, the folder and ZIP the operators take (Pastell's glaneur manifest, the
i-Parapheur PREMIS, the ACTES `Acte` message valid against the shipped schema, remise.json), the
same bytes twice, and each operator rule refused with its message before anything is written."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from docgen import remise
from docgen.load.remise import numero_problem, objet_problem, siren_problem
from tests.conftest import EXAMPLE, overlay_case

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pastell"
ACT = "avenant-01"
AVENANT_FILE = "avenants/01-quartier-gare.yaml"


CADRE = "Cadre réservé à l’accusé de réception"  # the templates' own words (the DOCX's frame)


@pytest.fixture
def case(tmp_path: Path) -> Path:
    """The example in its third year, with its register (its acts issued and signed)."""
    return overlay_case(tmp_path / "pays-des-ecrins", None, EXAMPLE, registre=True)


def edit(case: Path, rel: str, old: str, new: str) -> None:
    path = case / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def position(case: Path, rel: str, needle: str) -> str:
    """« line:column » of the first character of needle in a case file (1-based)."""
    text = (case / rel).read_text(encoding="utf-8")
    before = text[: text.index(needle)]
    return f"{before.count(chr(10)) + 1}:{len(before) - before.rfind(chr(10))}"


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def structure(element: etree._Element) -> tuple:
    """An XML element as its shape: tag, attribute names, children's shapes (text ignored)."""
    return (element.tag, tuple(sorted(element.attrib)),
            tuple(structure(c) for c in element if isinstance(c.tag, str)))


def remise_ok(run, case: Path, out: Path, *extra: str) -> Path:
    result = run("remise", case, ACT, "--out", out, *extra)
    assert result.code == 0, result.err
    return out / case.name / "remise"


def refused(run, case: Path, out: Path, *extra: str, acte: str = ACT) -> str:
    result = run("remise", case, acte, "--out", out, *extra)
    assert result.code == 1, (result.out, result.err)
    assert not (out / case.name).exists()  # nothing written, not even a folder
    return result.err


# ------------------------------------------------------------------ the bundle of the example


def test_remise_writes_the_folder_and_its_zip(run, case: Path, tmp_path: Path) -> None:
    root = remise_ok(run, case, tmp_path / "sortie")
    folder = root / ACT
    files = files_of(folder)
    assert list(files) == sorted(["01_acte_ORT2024A01.pdf", "manifest.xml", "actes_acte.xml",
                                  "iparapheur_premis.xml", "type_piece.json", "remise.json"])
    # the act's PDF is the register's issued version (no signed original imported yet)
    assert files["01_acte_ORT2024A01.pdf"] == (case / "actes" / ACT / "emis.pdf").read_bytes()
    # the ZIP holds the same files at its root, sorted, with the fixed date of a zip's epoch
    with zipfile.ZipFile(root / f"{ACT}.zip") as zf:
        assert zf.namelist() == sorted(files)
        assert {n: zf.read(n) for n in zf.namelist()} == files
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    for name in files:  # the operators' conventions: ASCII, no space
        assert name.isascii() and " " not in name


def test_the_acte_message_is_valid_against_the_shipped_schema(run, case: Path,
                                                              tmp_path: Path) -> None:
    folder = remise_ok(run, case, tmp_path / "sortie") / ACT
    schema_path = Path(remise.__file__).parent / "templates" / "actes" / "actesv1_1.xsd"
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    schema = etree.XMLSchema(etree.parse(str(schema_path), parser))
    acte = etree.parse(str(folder / "actes_acte.xml"))
    schema.assertValid(acte)
    ns = {"a": remise.NS_ACTES}
    root = acte.getroot()
    assert root.get(f"{{{remise.NS_ACTES}}}NumeroInterne") == "ORT2024A01"
    assert root.get(f"{{{remise.NS_ACTES}}}Date") == "2024-11-28"
    assert root.get(f"{{{remise.NS_ACTES}}}CodeNatureActe") == "4"
    assert [e.get(f"{{{remise.NS_ACTES}}}CodeMatiere") for e in
            root.xpath("a:CodeMatiere1|a:CodeMatiere2", namespaces=ns)] == ["8", "5"]
    assert root.xpath("string(a:Document/a:NomFichier)", namespaces=ns) == \
        "01_acte_ORT2024A01.pdf"
    # Pastell's own fixture of an Acte message (S²low) is valid against the same schema
    schema.assertValid(etree.parse(str(FIXTURES / "s2low-acte.xml")))


def test_the_manifest_has_the_structure_of_pastells_glaneur_fixture(run, case: Path,
                                                                    tmp_path: Path) -> None:
    annexe, autre = tmp_path / "deliberation.pdf", tmp_path / "copil.pdf"
    annexe.write_bytes((EXAMPLE / "actes/convention/emis.pdf").read_bytes())
    autre.write_bytes((EXAMPLE / "actes/adhesion/emis.pdf").read_bytes())
    folder = remise_ok(run, case, tmp_path / "sortie", "--annexe", annexe, "--annexe",
                       autre) / ACT
    ours = etree.parse(str(folder / "manifest.xml")).getroot()
    theirs = etree.parse(str(FIXTURES / "glaneur-actes-automatique-manifest.xml")).getroot()
    # what the glaneur reads (GlaneurGlanerRepertoire::glanerModeManifest): the flux type, the
    # data entries, the files groups; Pastell's <param> is not read by the glaneur
    assert ours.tag == theirs.tag == "flux"
    assert ours.get("type") == theirs.get("type") == "actes-automatique"
    kept = [c for c in theirs if c.tag != "param"]
    assert [structure(c) for c in ours] == [structure(c) for c in kept]
    assert [d.get("name") for d in ours.iter("data")] == [d.get("name") for d in
                                                          theirs.iter("data")]
    data = {d.get("name"): d.get("value") for d in ours.iter("data")}
    assert data["acte_nature"] == "4"
    assert data["numero_de_lacte"] == "ORT2024A01"
    assert data["date_de_lacte"] == "2024-11-28"
    assert data["classification"] == "8.5 - Politique de la ville-habitat-logement"
    assert (data["type_acte"], json.loads(data["type_pj"])) == ("99_CO", ["99_AU", "99_AU"])
    assert data["type_piece"] == "3 fichier(s) typé(s)"
    # the avenant is signed already: it goes to the contrôle de légalité, not to the parapheur
    assert (data["envoi_signature"], data["envoi_signature_check"], data["envoi_tdt"]) == \
        ("", "", "on")
    assert (data["iparapheur_type"], data["iparapheur_sous_type"]) == (
        "Actes", "Contrat et convention")
    groups = {g.get("name"): [f.get("content") for f in g] for g in ours.iter("files")}
    assert groups == {"arrete": ["01_acte_ORT2024A01.pdf"],
                      "autre_document_attache": ["02_annexe_ORT2024A01.pdf",
                                                 "03_annexe_ORT2024A01.pdf"],
                      "type_piece_fichier": ["type_piece.json"]}
    for names in groups.values():  # each file the manifest names is in the folder
        assert all((folder / n).is_file() for n in names)
    assert (folder / "02_annexe_ORT2024A01.pdf").read_bytes() == annexe.read_bytes()
    assert (folder / "03_annexe_ORT2024A01.pdf").read_bytes() == autre.read_bytes()
    assert json.loads((folder / "type_piece.json").read_text()) == [
        {"filename": "01_acte_ORT2024A01.pdf", "typologie": "99_CO"},
        {"filename": "02_annexe_ORT2024A01.pdf", "typologie": "99_AU"},
        {"filename": "03_annexe_ORT2024A01.pdf", "typologie": "99_AU"}]


def test_the_premis_has_the_structure_pastell_sends_to_iparapheur(run, case: Path,
                                                                  tmp_path: Path) -> None:
    folder = remise_ok(run, case, tmp_path / "sortie") / ACT
    ours = etree.parse(str(folder / "iparapheur_premis.xml")).getroot()
    theirs = etree.parse(str(FIXTURES / "iparapheur-premis-sent.xml")).getroot()
    assert (ours.tag, sorted(ours.attrib)) == (theirs.tag, sorted(theirs.attrib))
    ns = {"p": remise.NS_PREMIS}

    def props(obj: etree._Element) -> dict[str, str]:
        return {sp.findtext("p:significantPropertiesType", namespaces=ns):
                sp.findtext("p:significantPropertiesValue", namespaces=ns)
                for sp in obj.findall("p:significantProperties", namespaces=ns)}

    folder_obj, file_obj = list(ours)
    assert props(folder_obj) == {"i_Parapheur_reserved_type": "Actes",
                                 "i_Parapheur_reserved_subtype": "Contrat et convention"}
    assert props(file_obj) == {"i_Parapheur_reserved_mainDocument": "true"}
    assert file_obj.findtext("p:originalName", namespaces=ns) == "01_acte_ORT2024A01.pdf"
    assert structure(file_obj) == structure(list(theirs)[1])


def test_remise_json_holds_the_fields_and_every_files_hash(run, case: Path,
                                                           tmp_path: Path) -> None:
    folder = remise_ok(run, case, tmp_path / "sortie") / ACT
    summary = json.loads((folder / "remise.json").read_text(encoding="utf-8"))
    assert summary["acte"] == ACT and summary["source"] == "actes/avenant-01/emis.pdf"
    assert summary["id_acte_attendu"] == "005-240500439-20241128-ORT2024A01-CC"
    manifest = {d.get("name"): d.get("value")
                for d in etree.parse(str(folder / "manifest.xml")).iter("data")}
    fields = summary["donnees"]
    for name in ("numero_de_lacte", "objet", "date_de_lacte", "type_acte",
                 "iparapheur_type", "iparapheur_sous_type"):
        assert fields[name] == manifest[name], name
    assert str(fields["acte_nature"]) == manifest["acte_nature"]
    listed = {f["nom"]: f for f in summary["fichiers"]}
    assert set(listed) == set(files_of(folder)) - {"remise.json"}
    for name, entry in listed.items():
        data = (folder / name).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest(), name
        assert entry["octets"] == len(data)


def test_two_runs_give_the_same_bytes(run, case: Path, tmp_path: Path) -> None:
    first = remise_ok(run, case, tmp_path / "une")
    second = remise_ok(run, case, tmp_path / "deux")
    assert files_of(first / ACT) == files_of(second / ACT)
    assert (first / f"{ACT}.zip").read_bytes() == (second / f"{ACT}.zip").read_bytes()
    again = run("remise", case, ACT, "--out", tmp_path / "une")
    assert again.code == 0 and "inchangé" in again.out


def test_a_new_remise_removes_the_pieces_it_no_longer_makes(run, case: Path,
                                                            tmp_path: Path) -> None:
    out = tmp_path / "sortie"
    annexe = tmp_path / "annexe.pdf"
    annexe.write_bytes((EXAMPLE / "actes/adhesion/emis.pdf").read_bytes())
    root = remise_ok(run, case, out, "--annexe", annexe)
    assert (root / ACT / "02_annexe_ORT2024A01.pdf").is_file()
    remise_ok(run, case, out)
    assert not (root / ACT / "02_annexe_ORT2024A01.pdf").exists()
    checked = run("verify", root)
    assert checked.code == 0, checked.err


def test_the_notes_say_where_the_act_goes(run, case: Path, tmp_path: Path) -> None:
    result = run("remise", case, ACT, "--out", tmp_path)
    assert result.out.splitlines()[0] == (
        "ORT2024A01 (l'avenant n° 1) : remise vers le contrôle de légalité.")
    assert "déjà signé : la remise ne passe pas par le parapheur" in result.err
    assert "version émise, sans les signatures" in result.err


# ------------------------------------------------------------------ the settings, at load


def test_bad_settings_are_refused_at_load_with_their_line(run, case: Path,
                                                          tmp_path: Path) -> None:
    rel = "territoire.yaml"
    edit(case, rel, 'siren: "240500439"', 'siren: "240500438"')
    edit(case, rel, 'classification: "8.5"', 'classification: "8"')
    edit(case, rel, 'type_piece_acte: "99_CO"', 'type_piece_acte: "99-CO"')
    edit(case, rel, "convention: ORT{annee}C ", "convention: ORTCONVENTI{annee}C ")
    edit(case, rel, "avenant: ORT{annee}A{numero}", "avenant: ORT{annee}A")
    err = refused(run, case, tmp_path / "sortie")
    expected = {
        "remise.siren": ('"240500438"', "n'est pas un SIREN : sa clé de contrôle"),
        "remise.classification": ('"8"', "ne donne que la matière : @ctes demande aussi la "
                                         "sous-matière"),
        "remise.type_piece_acte": ('"99-CO"', "un type de pièce s'écrit deux chiffres, _ et "
                                              "deux majuscules"),
        "remise.numeros.convention": ("ORTCONVENTI{annee}C", "« ORTCONVENTI{annee}C » donne "
                                      "des numéros de 16 caractères (ex. « ORTCONVENTI2025C ») "
                                      ": un numéro d'acte en a 15 au plus (règle @ctes)"),
        "remise.numeros.avenant": ("ORT{annee}A ", "le numéro d'un avenant contient {numero}"),
    }
    for field, (value, words) in expected.items():
        where = f"pays-des-ecrins/territoire.yaml:{position(case, rel, value)}: {field}: "
        line = next((x for x in err.splitlines() if where in x), None)
        assert line is not None, (where, err)
        assert words in line, line


def test_the_schema_documents_the_settings(run) -> None:
    schema = json.loads(run("schema", "--kind", "territoire").out)
    fields = schema["$defs"]["Remise"]["properties"]
    assert {"siren", "departement", "classification", "classification_date",
            "type_piece_acte", "type_piece_annexe", "iparapheur_type",
            "iparapheur_sous_type", "envoi_signature", "envoi_tdt", "numeros"} <= set(fields)
    assert fields["type_piece_acte"]["pattern"] == r"^[0-9]{2}_[A-Z]{2}$"
    assert "au moins une sous-matière" in fields["classification"]["description"]
    numeros = schema["$defs"]["NumerosActes"]["properties"]
    assert numeros["avenant"]["default"] == "ORT{annee}A{numero}"


def test_a_case_without_settings_or_without_an_issued_act_is_refused(run, tmp_path: Path) -> None:
    bare = overlay_case(tmp_path / "sans-reglages", None, EXAMPLE, registre=True)
    text = (bare / "territoire.yaml").read_text(encoding="utf-8")
    (bare / "territoire.yaml").write_text(text[: text.index("\n# Remise des actes")] + "\n",
                                          encoding="utf-8")
    err = refused(run, bare, tmp_path / "sortie")
    assert "territoire.yaml n'a pas de section « remise »" in err
    unissued = overlay_case(tmp_path / "premiere-annee", None, EXAMPLE)  # no register
    err = refused(run, unissued, tmp_path / "sortie")
    assert "l'avenant n° 1 n'a pas de version émise pour signature au registre" in err


# ------------------------------------------------------------------ the operators' rules, at remise


def test_an_object_with_a_line_break_is_refused(run, case: Path, tmp_path: Path) -> None:
    edit(case, AVENANT_FILE, "objet: étendre le périmètre", 'objet: "étendre\\nle périmètre')
    edit(case, AVENANT_FILE, "fiche action n° 12\n", 'fiche action n° 12"\n')
    err = refused(run, case, tmp_path / "sortie")
    assert "remise de l'avenant n° 1 refusée, rien n'a été écrit" in err
    assert ("objet de l'acte (objet), tiré de avenants/01-quartier-gare.yaml (objet), "
            "territoire.yaml (territoire.nom) : « ") in err
    assert "contient un retour à la ligne : la valeur tient sur une ligne" in err


def test_an_object_of_500_characters_is_refused(run, case: Path, tmp_path: Path) -> None:
    name = "Pays des Écrins " + "x" * 100
    edit(case, "territoire.yaml", "  nom: Pays des Écrins\n", f"  nom: {name}\n")
    base = len(remise.msg.REMISE_OBJET_AVENANT.format(n=1, territoire=name, objet=""))
    objet = "e" * (500 - base)
    assert len(objet) <= 300  # the avenant's own limit: the object is too long only here
    old = ("objet: étendre le périmètre de l'Opération de Revitalisation de Territoire au "
           "quartier de la gare et d'actualiser en conséquence la fiche action n° 12\n")
    edit(case, AVENANT_FILE, old, f"objet: {objet}\n")
    err = refused(run, case, tmp_path / "sortie")
    assert "objet de l'acte (objet)" in err
    assert "l'objet a 500 caractères : 499 au plus (règle @ctes et Pastell)" in err
    edit(case, AVENANT_FILE, f"objet: {objet}\n", f"objet: {objet[:-1]}\n")  # 499: accepted
    remise_ok(run, case, tmp_path / "sortie")


def test_a_bundle_over_150_mo_is_refused(run, case: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(remise, "pieces_size", lambda pieces: 151 * 2**20)
    err = refused(run, case, tmp_path / "sortie")
    assert ("les pièces (l'acte et ses annexes) pèsent 151,0 Mo en tout : 150 Mo au plus "
            "(règle @ctes et Pastell)") in err


def test_a_pdf_pdfinfo_cannot_open_is_refused(run, case: Path, tmp_path: Path) -> None:
    broken = tmp_path / "annexe-abimee.pdf"
    broken.write_bytes(b"%PDF-1.4\nce n'est pas un PDF\n")
    err = refused(run, case, tmp_path / "sortie", "--annexe", broken)
    assert "annexe-abimee.pdf : pdfinfo ne lit pas ce PDF (" in err
    assert "le contrôle de légalité le refuserait" in err
    not_pdf = tmp_path / "note.txt"
    not_pdf.write_text("bonjour")
    assert "n'est pas un PDF (il ne commence pas par %PDF-)" in refused(
        run, case, tmp_path / "sortie", "--annexe", not_pdf)


def fiche(**changes: object) -> remise.Fiche:
    base = remise.Fiche(
        code=ACT, numero="ORT2024A01", objet="Avenant n° 1", objet_source="avenants/01.yaml",
        date=dt.date(2024, 11, 28), classification="8.5", classification_libelle=None,
        classification_date=dt.date(2023, 1, 1), type_acte="99_CO", type_pj=("99_AU",),
        envoi_signature=True, envoi_tdt=True, iparapheur_type="Actes",
        iparapheur_sous_type="Contrat et convention", siren="240500439", departement="05",
        nom_dossier="ORT2024A01")
    return dataclasses.replace(base, **changes)


PIECES = [remise.Piece("01_acte_X.pdf", "acte", "99_CO", b"%PDF-", "acte"),
          remise.Piece("02_annexe_X.pdf", "annexe", "99_AU", b"%PDF-", "annexe")]


def test_each_rule_names_its_field_and_the_rule() -> None:
    """The same rules as at load, applied to the values of the act right before writing."""
    assert remise.problems(fiche(), PIECES) == []
    [p] = remise.problems(fiche(numero="ORTCONVENTI2024C"), PIECES)
    assert p == ("numéro de l'acte (numero_de_lacte) : « ORTCONVENTI2024C » a 16 caractères : "
                 "un numéro d'acte en a 15 au plus (règle @ctes).")
    [p] = remise.problems(fiche(numero="_ORT2024"), PIECES)
    assert "ne commence ni ne finit par _ (règle S²low)" in p
    [p] = remise.problems(fiche(numero="ORT-2024"), PIECES)
    assert "pas « - »" in p
    [p] = remise.problems(fiche(objet="a\nb"), PIECES)
    assert p.startswith("objet de l'acte (objet), tiré de avenants/01.yaml : « a\\u000ab » "
                        "contient un retour à la ligne")
    [p] = remise.problems(fiche(objet="x" * 500), PIECES)
    assert "l'objet a 500 caractères : 499 au plus" in p
    [p] = remise.problems(fiche(classification="8"), PIECES)
    assert p.startswith("classification (classification) : « 8 » ne donne que la matière")
    [p] = remise.problems(fiche(type_pj=("99-AU",)), PIECES)
    assert p.startswith("type d'une annexe (type_pj) : « 99-AU » : un type de pièce")
    [p] = remise.problems(fiche(iparapheur_type="Act\x1bes"), PIECES)
    assert p.startswith("type i-Parapheur (iparapheur_type) : « Act\\u001bes » contient un "
                        "caractère de contrôle (U+001B)")
    assert siren_problem("240500439") is None and numero_problem("ORT2021AD") is None
    assert objet_problem("x" * 499) is None


# ------------------------------------------------------------------ hostile values


HOSTILE = ['Actes "signés" <b>&amp; co</b>', "l'acte ]]> <!-- x --> &lt;", "<?php x ?>",
           '" onload="x', "Contrat & convention </value>"]


def test_hostile_settings_never_change_the_xml(run, case: Path, tmp_path: Path) -> None:
    plain = remise_ok(run, case, tmp_path / "simple") / ACT
    edit(case, "territoire.yaml", "iparapheur_type: Actes ",
         f"iparapheur_type: '{HOSTILE[0]}' ")
    edit(case, "territoire.yaml", "iparapheur_sous_type: Contrat et convention\n",
         f"iparapheur_sous_type: '{HOSTILE[4]}'\n")
    edit(case, "territoire.yaml", "classification_libelle: Politique de la ville-habitat-logement",
         f"classification_libelle: '{HOSTILE[2]}'")
    hostile = remise_ok(run, case, tmp_path / "hostile") / ACT
    for name in ("manifest.xml", "iparapheur_premis.xml", "actes_acte.xml"):
        assert structure(etree.parse(str(hostile / name)).getroot()) == \
            structure(etree.parse(str(plain / name)).getroot()), name
    data = {d.get("name"): d.get("value") for d in etree.parse(str(hostile / "manifest.xml"))
            .iter("data")}
    assert data["iparapheur_type"] == HOSTILE[0]
    assert data["iparapheur_sous_type"] == HOSTILE[4]
    assert data["classification"] == f"8.5 - {HOSTILE[2]}"
    # a control character never reaches a file: the loader refuses it at its line
    edit(case, "territoire.yaml", f"iparapheur_type: '{HOSTILE[0]}' ",
         "iparapheur_type: \"Act\\x1bes\" ")
    err = refused(run, case, tmp_path / "controle")
    assert "remise.iparapheur_type: caractère interdit (caractère de contrôle U+001B" in err


@settings(max_examples=150, deadline=None, derandomize=True)
@given(text=st.text(st.characters(exclude_categories=("Cs",)), max_size=80))
def test_any_text_is_either_refused_or_kept_as_it_is(text: str) -> None:
    """Whatever a value holds, the rules refuse it or the XML carries it unchanged, in the same
    shape (no value becomes markup)."""
    f = fiche(objet=text or "x", iparapheur_type=text or "x", iparapheur_sous_type=text or "x",
              classification_libelle=text or None)
    if remise.problems(f, PIECES):
        return
    reference = fiche()
    for build in (remise.glaneur_manifest, remise.premis, remise.acte_xml):
        ours, base = (etree.fromstring(build(x, PIECES)) for x in (f, reference))
        assert structure(ours) == structure(base), build.__name__
    data = {d.get("name"): d.get("value")
            for d in etree.fromstring(remise.glaneur_manifest(f, PIECES)).iter("data")}
    assert data["objet"] == f.objet and data["iparapheur_type"] == f.iparapheur_type
    acte = etree.fromstring(remise.acte_xml(f, PIECES))
    assert acte.findtext(f"{{{remise.NS_ACTES}}}Objet") == f.objet
    assert remise.actes_schema().validate(acte)


def test_the_zip_is_the_folder(run, case: Path, tmp_path: Path) -> None:
    root = remise_ok(run, case, tmp_path / "sortie")
    data = (root / f"{ACT}.zip").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
        assert all(not n.startswith(("/", "..")) and "/" not in n for n in zf.namelist())


def test_settings_rules_beyond_the_example() -> None:
    from docgen.load.remise import departement_actes, settings_problems
    from docgen.model.territoire import Remise

    base = {"siren": "240500439", "departement": "2A", "classification": "7.4.2",
            "classification_date": "2023-01-01", "type_piece_acte": "99_CO",
            "type_piece_annexe": "99_AU", "iparapheur_type": "Actes",
            "iparapheur_sous_type": "Contrat et convention"}
    assert settings_problems(Remise.model_validate(base)) == []
    assert [departement_actes(d) for d in ("05", "2A", "974")] == ["005", "02A", "974"]
    same = Remise.model_validate(base | {"numeros": {"adhesion": "ORT{annee}",
                                                     "convention": "ORT{annee}"}})
    assert settings_problems(same) == [(("numeros", "convention"), (
        "« ORT{annee} » est aussi le modèle du numéro de la convention d'adhésion : deux actes "
        "de la même année porteraient le même numéro."))]
    wrong = Remise.model_validate(base | {"departement": "5", "classification": "7.4.2.1.1.1",
                                          "iparapheur_sous_type": "Contrat\tconvention"})
    assert [path for path, _ in settings_problems(wrong)] == [
        ("departement",), ("classification",), ("iparapheur_sous_type",)]


def test_the_stamp_frame_follows_whether_the_territory_transmits(tmp_path: Path, run) -> None:
    """The frame page 1 keeps for the prefecture's acknowledgement stamp is drawn only when the
    territory sends its acts to the contrôle de légalité (remise.envoi_tdt)."""
    import subprocess

    from tests.conftest import overlay_case

    case = overlay_case(tmp_path / "pays-des-ecrins", None, EXAMPLE)
    terr = case / "territoire.yaml"
    terr.write_text(terr.read_text(encoding="utf-8").replace(
        "  envoi_tdt: true", "  envoi_tdt: false", 1), encoding="utf-8")
    for rel, day in (("convention.yaml", "2023-04-14"),  # not signed yet: made at this build
                     ("avenants/01-quartier-gare.yaml", "2024-11-28")):
        path = case / rel
        path.write_text(re.sub(rf"\n  date: {day}[^\n]*", "", path.read_text(encoding="utf-8"),
                               count=1), encoding="utf-8")
    assert run("build", case, "--out", tmp_path / "o", "--doc", "convention").code == 0

    def first_page(pdf: Path) -> str:
        return subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout

    assert CADRE not in first_page(
        tmp_path / "o/pays-des-ecrins/convention.pdf")
    terr.write_text(terr.read_text(encoding="utf-8").replace(
        "  envoi_tdt: false", "  envoi_tdt: true", 1), encoding="utf-8")
    again = run("build", case, "--out", tmp_path / "o", "--doc", "convention")
    assert again.code == 0, again.err
    assert not (case / "actes").exists()  # a draft: nothing recorded
    assert CADRE in first_page(
        tmp_path / "o/pays-des-ecrins/convention.pdf")
