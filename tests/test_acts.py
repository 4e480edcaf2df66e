"""The life of an act (docgen/acts.py, issue 24): the register of a territory in its third year
(the example), a signed act never rewritten, `docgen status`, `docgen relu`, and the signed
original imported through `docgen signature import`, verified, or refused with the register
unchanged."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
import yaml

from tests.conftest import EXAMPLE
from tests.docx_helpers import body_texts
from tests.signing import authority, person_signer, sign_as

AVENANT_SIGNERS = {  # the signature blocks of the example's avenant n° 1, field by field
    "Signature_Commune_Argentiere": "Alain SANCHEZ",
    "Signature_EPCI": "Cyrille DRUJON D’ASTROS",
    "Signature_Etat": "Dalila ZANE",
    "Signature_Departement": "Jean-Marie BERNARD",
}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".docgen.lock"}


def state(status: str, document: str) -> str:
    """What `docgen status` says of one produced document."""
    for line in status.splitlines():
        parts = line.split(maxsplit=1)
        if parts and parts[0] == document:
            return parts[1]
    raise AssertionError(f"{document} absent from:\n{status}")


def registre(case: Path) -> dict:
    return yaml.safe_load((case / "actes/registre.yaml").read_text(encoding="utf-8"))


# ------------------------------------------------------------------ the example, in its third year


def test_the_example_hands_out_its_acts_as_recorded(built: Path) -> None:
    """The shared build of the example: each signed act is the register's own file, byte for
    byte — not a new rendering."""
    for act, docx in (("convention", "convention"), ("adhesion", "adhesion"),
                      ("avenant-01", "avenant-01")):
        assert (built / f"{docx}.docx").read_bytes() == (
            EXAMPLE / f"actes/{act}/texte.docx").read_bytes()
        assert (built / f"{docx}.pdf").read_bytes() == (
            EXAMPLE / f"actes/{act}/emis.pdf").read_bytes()
    entries = registre(EXAMPLE)["actes"]
    assert list(entries) == ["adhesion", "convention", "avenant-01"]
    assert {c: e["etat"] for c, e in entries.items()} == dict.fromkeys(entries, "signe")
    assert entries["avenant-01"]["signature"]["mode"] == "electronique"
    assert entries["convention"]["signature"]["mode"] == "papier"


def test_changing_a_signed_fiche_stops_the_build_and_proposes_an_avenant(
        example_signed: Path, tmp_path: Path, run) -> None:
    out = tmp_path / "out"
    assert run("build", example_signed, "--out", out).code == 0
    before = snapshot(out)
    conv = example_signed / "convention.yaml"
    text = conv.read_text(encoding="utf-8")
    fiche3 = text.index("  - numero: 3")
    cost = text.index("cout: {montant: ", fiche3)
    end = text.index(",", cost)
    conv.write_text(text[:cost] + "cout: {montant: 999999" + text[end:], encoding="utf-8")

    result = run("build", example_signed, "--out", out)
    assert result.code == 1
    assert "la convention est signée : son texte ne change plus, et rien n'a été écrit" in result.err
    assert "La modification de convention.yaml depuis la signature" in result.err
    assert "Fiche action n° 3 – " in result.err
    assert "docgen avenant draft" in result.err
    assert "Traceback" not in result.err
    assert snapshot(out) == before  # nothing in output/ changed

    draft = run("avenant", "draft", example_signed / "actes/convention/dossier.yaml", conv)
    assert draft.code == 0, draft.err
    ops = yaml.safe_load(draft.out)["modifications"]
    assert ops == [{"operation": "modifier_fiche", "numero": 3,
                    "champs": {"cout": {"montant": 999999, "base": "HT"}}}]


def test_rewording_a_template_leaves_the_signed_acts_and_status_says_what_to_redo(
        example_signed: Path, tmp_path: Path, run) -> None:
    from docx import Document

    from docgen.templating import PACKAGE

    out = tmp_path / "out"
    assert run("build", example_signed, "--out", out).code == 0
    status = run("status", example_signed, "--out", out)
    assert status.code == 0, status.err
    assert re.search(r"la convention +signée le 14 avril 2023 sur papier", status.out)
    assert re.search(r"l'avenant n° 1 +signé le 28 novembre 2024 électroniquement", status.out)
    assert state(status.out, "convention.pdf") == "signé"
    assert state(status.out, "convention-consolidee-01.pdf") == "à jour"

    (example_signed / "templates/docx").mkdir(parents=True)
    template = example_signed / "templates/docx/convention.docx"
    doc = Document(str(PACKAGE / "docx/convention.docx"))
    para = next(p for p in doc.paragraphs if "Chaque partie peut" in p.text)
    run_ = next(r for r in para.runs if "Chaque partie peut" in r.text)
    run_.text = run_.text.replace("Chaque partie peut", "Chacune des parties peut")
    doc.save(str(template))
    before = snapshot(out)

    result = run("build", example_signed, "--out", out)
    assert result.code == 1
    assert "Un modèle (ou une mise à jour de docgen) modifié depuis la signature" in result.err
    assert "Résiliation" in result.err
    assert snapshot(out) == before
    status = run("status", example_signed, "--out", out)
    assert state(status.out, "convention.pdf") == "signé"
    assert state(status.out, "convention-consolidee-01.pdf") == (
        "à refaire : modèle modifié : convention.docx")


def test_a_hand_edited_document_is_reported_so(example_signed: Path, tmp_path: Path,
                                               run) -> None:
    out = tmp_path / "out"
    assert run("build", example_signed, "--out", out, "--doc", "avenant").code == 0
    (out / "pays-des-ecrins/redline-avenant-01.docx").write_bytes(b"retouche")
    status = run("status", example_signed, "--out", out).out
    assert state(status, "redline-avenant-01.docx") == "retouché à la main"
    assert state(status, "avenant-01.pdf") == "signé"
    assert state(status, "copil-2026-01-16/pack.pdf") == "absent"


def test_a_register_file_altered_is_refused_at_its_line(example_signed: Path, run) -> None:
    pdf = example_signed / "actes/convention/emis.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"%")
    result = run("check", example_signed)
    assert result.code == 1
    assert "actes/registre.yaml:" in result.err
    assert "actes.convention.emis.pdf" in result.err
    assert "empreinte SHA-256 différente" in result.err


def test_a_register_edited_by_hand_is_refused_in_french(example_signed: Path, run) -> None:
    path = example_signed / "actes/registre.yaml"
    path.write_text(path.read_text().replace("etat: signe", "etat: signé", 1), encoding="utf-8")
    result = run("check", example_signed)
    assert result.code == 1
    assert "actes/registre.yaml:" in result.err and "etat" in result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize("where", ["../../convention.yaml", "convention/../../x.pdf",
                                   "/etc/passwd", "convention/emis.pdf\n"])
def test_a_register_naming_a_file_elsewhere_is_refused(example_signed: Path, run,
                                                       where: str) -> None:
    path = example_signed / "actes/registre.yaml"
    text = path.read_text()
    path.write_text(text.replace("pdf: convention/emis.pdf", f"pdf: {where!r}", 1),
                    encoding="utf-8")
    result = run("check", example_signed)
    assert result.code == 1 and "actes/registre.yaml:" in result.err


# ------------------------------------------------------------------ issuing


def test_a_dated_act_is_recorded_when_first_built_then_kept(example_copy: Path, tmp_path: Path,
                                                            run) -> None:
    out = tmp_path / "out"
    first = run("build", example_copy, "--out", out, "--doc", "convention")
    assert first.code == 0, first.err
    assert "registre des actes : la convention — version finale datée enregistrée" in first.out
    entry = registre(example_copy)["actes"]["convention"]
    assert entry["etat"] == "signe" and entry["emis"]["origine"] == "production"
    pdf = (out / "pays-des-ecrins/convention.pdf").read_bytes()
    assert entry["emis"]["pdf_sha256"] == hashlib.sha256(pdf).hexdigest()
    assert [s["champ"] for s in entry["emis"]["signataires"]] == list(AVENANT_SIGNERS)
    again = run("build", example_copy, "--out", out, "--doc", "convention", "--force")
    assert again.code == 0 and "registre des actes" not in again.out
    assert (out / "pays-des-ecrins/convention.pdf").read_bytes() == pdf


def test_reviewed_docx_recorded_as_the_version_for_signature(example_copy: Path,
                                                             tmp_path: Path, run) -> None:
    """An avenant not signed yet: its reviewed DOCX becomes the PDF to sign (relu); a reviewed
    sentence the case does not say is named, so that it is carried over before signature."""
    from docx import Document

    av = next((example_copy / "avenants").glob("01-*.yaml"))
    av.write_text(av.read_text().replace("  date: 2024-11-28\n", "", 1), encoding="utf-8")
    out = tmp_path / "out"
    assert run("build", example_copy, "--out", out, "--doc", "avenant", "--final").code == 0
    reviewed = tmp_path / "avenant-relu.docx"
    doc = Document(str(out / "pays-des-ecrins/avenant-01.docx"))
    para = next(p for p in doc.paragraphs if p.text.startswith("Le présent avenant prend effet"))
    para.runs[0].text = para.runs[0].text.replace("Le présent avenant", "Cet avenant")
    doc.save(str(reviewed))

    result = run("relu", example_copy, "avenant-01", reviewed, "--out", out)
    assert result.code == 0, result.err
    assert "l'avenant n° 1 : PDF à signer enregistré au registre (relu)" in result.out
    assert "Date d’effet et autres stipulations" in result.err  # the reviewed article, named
    entry = registre(example_copy)["actes"]["avenant-01"]
    assert entry["etat"] == "relu" and entry["emis"]["origine"] == "relecture"
    assert (example_copy / "actes/avenant-01/texte.docx").read_bytes() == reviewed.read_bytes()
    assert any("Cet avenant" in t for t in body_texts(example_copy / "actes/avenant-01/texte.docx"))
    status = run("status", example_copy, "--out", out).out
    assert "l'avenant n° 1" in status and "relu : émis le" in status


def test_a_signed_act_refuses_another_reviewed_text(example_signed: Path, tmp_path: Path,
                                                    run) -> None:
    docx = tmp_path / "autre.docx"
    shutil.copy(example_signed / "actes/convention/texte.docx", docx)
    result = run("relu", example_signed, "convention", docx)
    assert result.code == 1
    assert "la convention est déjà signée : son texte enregistré ne se remplace pas" in result.err


# ------------------------------------------------------------------ signed originals


@pytest.fixture(scope="module")
def signed_avenant() -> bytes:
    """The example's avenant n° 1 as issued, signed in turn by its four signatories."""
    issued = (EXAMPLE / "actes/avenant-01/emis.pdf").read_bytes()
    return sign_as(issued, [(f, person_signer(n)) for f, n in AVENANT_SIGNERS.items()])


def test_the_signed_original_is_verified_recorded_and_handed_out(
        example_signed: Path, signed_avenant: bytes, tmp_path: Path, run) -> None:
    pdf = tmp_path / "avenant-signe.pdf"
    pdf.write_bytes(signed_avenant)
    ca = tmp_path / "autorite.pem"
    ca.write_bytes(authority().pem)
    result = run("signature", "import", example_signed, "avenant-01", pdf, "--date",
                 "2024-11-28", "--autorites", ca)
    assert result.code == 0, result.err
    assert "original signé électroniquement enregistré au registre" in result.out
    assert "Signature_Etat : Dalila ZANE" in result.out
    assert "chaîne de confiance vérifiée" in result.out
    entry = registre(example_signed)["actes"]["avenant-01"]["signature"]
    assert entry["confiance"] == "verifiee" and len(entry["signatures"]) == 4
    assert (example_signed / entry["original"].join(["actes/", ""])).read_bytes() == signed_avenant

    out = tmp_path / "out"
    assert run("build", example_signed, "--out", out, "--doc", "avenant").code == 0
    assert (out / "pays-des-ecrins/avenant-01.pdf").read_bytes() == signed_avenant
    checked = run("verify", out)  # a signed original: its fields are filled, and that is right
    assert checked.code == 0, checked.err
    status = run("status", example_signed, "--out", out).out
    assert "original vérifié (4 signature(s) ; chaîne de confiance vérifiée)" in status
    again = run("signature", "import", example_signed, "avenant-01", pdf, "--date", "2024-11-28")
    assert again.code == 1 and "déjà enregistré" in again.err


def test_a_tampered_original_is_refused_and_the_register_unchanged(
        example_signed: Path, signed_avenant: bytes, tmp_path: Path, run) -> None:
    before = snapshot(example_signed / "actes")
    tampered = bytearray(signed_avenant)
    at = tampered.index(b"/Type /Page") if b"/Type /Page" in tampered else 2000
    tampered[at + 1] ^= 0x01
    pdf = tmp_path / "retouche.pdf"
    pdf.write_bytes(bytes(tampered))
    result = run("signature", "import", example_signed, "avenant-01", pdf, "--date",
                 "2024-11-28")
    assert result.code == 1
    assert "retouche.pdf" in result.err and "Traceback" not in result.err
    assert snapshot(example_signed / "actes") == before


def test_the_wrong_signer_is_refused_unless_accepted(example_signed: Path, tmp_path: Path,
                                                     run) -> None:
    issued = (EXAMPLE / "actes/avenant-01/emis.pdf").read_bytes()
    who = dict(AVENANT_SIGNERS, Signature_Etat="Martine CLAVEL")
    pdf = tmp_path / "signe.pdf"
    pdf.write_bytes(sign_as(issued, [(f, person_signer(n)) for f, n in who.items()]))
    refused = run("signature", "import", example_signed, "avenant-01", pdf, "--date",
                  "2024-11-28")
    assert refused.code == 1 and "Martine CLAVEL" in refused.err
    accepted = run("signature", "import", example_signed, "avenant-01", pdf, "--date",
                   "2024-11-28", "--accepter-signataire", "Martine CLAVEL")
    assert accepted.code == 0, accepted.err
    assert "(accepté à la place de Dalila ZANE)" in accepted.out
    assert "chaîne de confiance non vérifiée" in accepted.out


def test_a_paper_original_is_recorded_with_its_date(example_signed: Path, tmp_path: Path,
                                                    run) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes((EXAMPLE / "actes/convention/emis.pdf").read_bytes())
    missing = run("signature", "import", example_signed, "convention", scan, "--papier")
    assert missing.code == 1 and "--date AAAA-MM-JJ" in missing.err
    wrong_mode = run("signature", "import", example_signed, "convention", scan)
    assert wrong_mode.code == 1 and "sur papier" in wrong_mode.err
    done = run("signature", "import", example_signed, "convention", scan, "--papier", "--date",
               "2023-04-14")
    assert done.code == 0, done.err
    assert "aucune vérification cryptographique" in done.out
    entry = registre(example_signed)["actes"]["convention"]["signature"]
    assert entry["original"] == "convention/original-papier.pdf"
    assert entry["confiance"] == "sans_objet"


def test_an_act_never_issued_cannot_receive_an_original(example_copy: Path, tmp_path: Path,
                                                        run) -> None:
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.7\n")
    result = run("signature", "import", example_copy, "avenant-01", pdf)
    assert result.code == 1
    assert "n'a pas de version émise pour signature" in result.err


@pytest.mark.parametrize("name", ["avenant-3", "avenant-00", "convention.pdf", "../x", ""])
def test_an_unknown_act_name_is_refused_in_french(example_signed: Path, tmp_path: Path, run,
                                                  name: str) -> None:
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.7\n")
    result = run("signature", "import", example_signed, name, pdf)
    assert result.code == 1
    assert "acte inconnu" in result.err or "aucun acte" in result.err


def test_the_consolidated_version_is_the_signed_convention_amended_by_the_signed_avenant(
        built: Path) -> None:
    """What the consolidated version says comes from the signed texts: the convention as
    recorded, with each article of the signed avenant n° 1 (its quoted text, read from the
    recorded avenant) in place of the provision it amends — nothing re-worded since."""
    from docgen.load import load_case
    from docgen.pipeline import Documents
    from docgen.plan import BuildOptions
    from docgen.provisions import apply_texts, provisions, texts
    from tests.test_provisions import avenant_articles

    case = load_case(EXAMPLE)
    docs = Documents(case, BuildOptions(pdf=False))
    amended = docs.amendements(1, docs.search.find("docx/convention.docx"))
    signed_avenant = (EXAMPLE / "actes/avenant-01/texte.docx").read_bytes()
    quotes = [q for _, _, q in avenant_articles(signed_avenant)[1:-1]]
    assert quotes == [a.provision.text for a in amended]  # the signed avenant's own words
    signed_convention = provisions((EXAMPLE / "actes/convention/texte.docx").read_bytes())
    consolidated = provisions((built / "convention-consolidee-01.docx").read_bytes())
    assert apply_texts(signed_convention, amended, [p.id for p in consolidated]) == texts(
        consolidated)


def test_a_signed_avenant_removed_from_the_case_is_refused(example_signed: Path, run) -> None:
    next((example_signed / "avenants").glob("01-*.yaml")).unlink()
    result = run("check", example_signed)
    assert result.code == 1
    assert "actes/registre.yaml" in result.err and "avenant-01" in result.err
    assert "un acte signé ne se retire pas" in result.err


def test_a_document_made_again_says_why(example_signed: Path, tmp_path: Path, run) -> None:
    out = tmp_path / "out"
    args = ("build", example_signed, "--out", out, "--doc", "copil", "--date", "2026-01-16")
    assert run(*args).code == 0
    copil = example_signed / "copils/2026-01-16.yaml"
    copil.write_text(copil.read_text(encoding="utf-8").replace("lieu: ", "lieu: Salle B, ", 1),
                     encoding="utf-8")
    again = run(*args)
    assert again.code == 0, again.err
    assert ("compte-rendu.pdf (refait : modifié depuis : copils/2026-01-16.yaml)" in again.out)


def test_a_recorded_text_never_makes_docgen_read_another_file(example_signed: Path,
                                                              tmp_path: Path, run) -> None:
    """A register made consistent by hand around a DOCX whose XML declares an external
    entity: the entity is never resolved, the secret never printed."""
    import zipfile

    from docgen.render.package import pack, parts

    secret = tmp_path / "secret.txt"
    secret.write_text("MOT-DE-PASSE-123", encoding="utf-8")
    path = example_signed / "actes/convention/texte.docx"
    content = parts(path.read_bytes())
    xml = content["word/document.xml"].decode("utf-8")
    head, _, body = xml.partition("?>")
    doctype = f'<!DOCTYPE w:document [<!ENTITY s SYSTEM "file://{secret}">]>'
    body = body.replace("Chaque partie peut", "&s; Chaque partie peut", 1)
    content["word/document.xml"] = (head + "?>" + doctype + body).encode("utf-8")
    forged = pack(content)
    assert zipfile.is_zipfile(path)
    path.write_bytes(forged)
    registre_file = example_signed / "actes/registre.yaml"
    old = hashlib.sha256((EXAMPLE / "actes/convention/texte.docx").read_bytes()).hexdigest()
    registre_file.write_text(registre_file.read_text().replace(
        old, hashlib.sha256(forged).hexdigest()), encoding="utf-8")
    result = run("build", example_signed, "--out", tmp_path / "out", "--doc", "convention")
    assert "MOT-DE-PASSE-123" not in result.out + result.err
    for produced in (tmp_path / "out").rglob("*"):
        if produced.is_file():
            assert b"MOT-DE-PASSE-123" not in produced.read_bytes()


def test_the_register_exported_as_csv_and_printable_pdf(example_signed: Path, tmp_path: Path,
                                                        run) -> None:
    import csv
    import io
    import subprocess

    table = run("status", example_signed, "--format", "csv")
    assert table.code == 0, table.err
    rows = list(csv.DictReader(io.StringIO(table.out), delimiter=";"))
    assert [r["acte"] for r in rows] == ["adhesion", "convention", "avenant-01"]
    issued = registre(example_signed)["actes"]["convention"]["emis"]["pdf_sha256"]
    assert rows[1]["emis_sha256"] == issued and rows[1]["signe_le"] == "2023-04-14"
    assert rows[2]["mode"] == "électroniquement"
    assert run("status", example_signed, "--format", "pdf").code == 2  # -o is needed
    pdf = tmp_path / "registre.pdf"
    assert run("status", example_signed, "--format", "pdf", "-o", pdf).code == 0
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Registre des actes" in text and "14 avril 2023, sur papier" in text
    first = pdf.read_bytes()
    assert run("status", example_signed, "--format", "pdf", "-o", pdf).code == 0
    assert pdf.read_bytes() == first  # the same register, the same bytes
