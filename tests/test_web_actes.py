"""The acts in the web workspace (issue 24, item 6): the states of `docgen status` in its very
words, the signed original sent from the browser, verified and recorded (or refused with the
register unchanged), and the reviewed DOCX turned into the PDF to sign; the hand-off prepared
and its ZIP downloaded, the prefecture's acknowledgement read back (issue 26)."""

from __future__ import annotations

import html
import io
import re
import warnings
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("starlette")
with warnings.catch_warnings():  # starlette 1.x suggests httpx2; httpx is the pinned client
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient  # noqa: E402

import yaml  # noqa: E402

from docgen import messages as msg  # noqa: E402
from docgen.status import status  # noqa: E402
from docgen.web import create_app  # noqa: E402
from tests.conftest import EXAMPLE, overlay_case  # noqa: E402
from tests.signing import person_signer, sign_as  # noqa: E402
from tests.test_acts import AVENANT_SIGNERS  # noqa: E402
from tests.test_transmission import ID, acknowledgement  # noqa: E402
from tests.test_web import document_state, wait_job  # noqa: E402

CASE = "pays-des-ecrins"
PORT = 8765
ORIGINAL = f"/t/{CASE}/actes/avenant-01/original"
REMISE = f"/t/{CASE}/actes/avenant-01/remise"
ACCUSE = f"/t/{CASE}/actes/avenant-01/accuse"


@pytest.fixture()
def cases(tmp_path: Path) -> Path:
    """The example with its register: adhésion, convention and avenant n° 1 signed, none of
    their originals imported yet."""
    overlay_case(tmp_path / "cases" / CASE, None, EXAMPLE, registre=True)
    return tmp_path / "cases"


@pytest.fixture()
def client(cases: Path) -> TestClient:
    return TestClient(create_app(cases, host="127.0.0.1", port=PORT),
                      base_url=f"http://127.0.0.1:{PORT}")


@pytest.fixture(scope="module")
def signed_avenant() -> bytes:
    """The example's avenant n° 1 as issued, signed in turn by its four signatories."""
    issued = (EXAMPLE / "actes/avenant-01/emis.pdf").read_bytes()
    return sign_as(issued, [(f, person_signer(n)) for f, n in AVENANT_SIGNERS.items()])


def csrf_of(client: TestClient) -> str:
    page = client.get(f"/t/{CASE}").text
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))["csrf"]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def register(cases: Path) -> dict:
    return yaml.safe_load((cases / CASE / "actes/registre.yaml").read_text(encoding="utf-8"))


def text_of(page: str, element_id: str) -> str:
    """The text of the element with this id (up to its closing tag of the same name), tags
    removed and entities decoded, spaces collapsed."""
    m = re.search(rf'<(\w+)[^>]* id="{element_id}"', page)
    assert m, element_id
    end = page.index(f"</{m.group(1)}>", m.end())
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page[m.start():end])).split())


def send(client: TestClient, url: str, data: bytes, name: str = "avenant-signe.pdf",
         **fields: str) -> object:
    return client.post(url, data={"csrf": csrf_of(client), **fields},
                       files={"fichier": (name, data, "application/pdf")})


# ------------------------------------------------------------------ the states of docgen status


def test_the_acts_and_documents_in_the_words_of_docgen_status(client: TestClient,
                                                              cases: Path) -> None:
    page = client.get(f"/t/{CASE}").text
    st = status(cases / CASE, cases.parent / "output")
    for a in st.acts:  # each act's sentence, as `docgen status` prints it
        row = text_of(page, f"acte-{a.code}")
        assert a.detail in row and a.titre[1:] in row
    assert "original signé non importé" in text_of(page, "acte-avenant-01")
    assert "Aucun document produit pour l'instant." in page

    r = client.post(f"/t/{CASE}/construire", data={"csrf": csrf_of(client), "doc": "avenant"},
                    follow_redirects=False)
    assert "Production terminée" in wait_job(client, r.headers["location"])
    out = cases.parent / "output" / CASE
    (out / "redline-avenant-01.docx").write_bytes(b"retouche")
    (cases / CASE / "copils" / "2026-01-16.yaml").write_text(
        (cases / CASE / "copils" / "2026-01-16.yaml").read_text(encoding="utf-8") + "\n",
        encoding="utf-8")  # a source changed since: what it feeds is to be redone
    page = client.get(f"/t/{CASE}").text
    st = status(cases / CASE, cases.parent / "output")
    shown = {d.path: (d.etat, d.raison) for d in st.documents}
    assert shown["avenant-01.docx"] == (msg.ST_SIGNE, "")
    assert shown["redline-avenant-01.docx"] == (msg.ST_RETOUCHE, "")
    assert shown["convention-consolidee-01.docx"][0] == msg.ST_A_REFAIRE
    for d in st.documents:
        if d.etat != msg.ST_ABSENT:
            assert document_state(page, d.path) == (d.etat, d.raison), d.path
    # the old wording is gone: « à jour » only when docgen status says it
    assert "modifié à la main" not in page and "manquant" not in page


# ------------------------------------------------------------------ the signed original


def test_a_signed_original_is_verified_and_recorded_with_its_report(
        client: TestClient, cases: Path, signed_avenant: bytes) -> None:
    page = client.get(f"/t/{CASE}").text
    assert f'action="{ORIGINAL}"' in page and 'type="date"' in page
    assert "Accepter un autre signataire" in page

    r = send(client, ORIGINAL, signed_avenant, "Avenant n° 1 signé.pdf", mode="electronique",
             date="2024-11-28")
    assert r.status_code == 200, text_of(r.text, "acte-erreur")
    report = text_of(r.text, "acte-rapport")
    assert ("L'avenant n° 1 : original signé électroniquement enregistré au registre "
            "(signé le 28 novembre 2024).") in report
    for field, name in AVENANT_SIGNERS.items():
        assert f"{field}" in report and name in report
    assert msg.ST_CONFIANCE["non_verifiee"].capitalize() in report  # « Chaîne de confiance non vérifiée »
    entry = register(cases)["actes"]["avenant-01"]["signature"]
    assert entry["original"] == "avenant-01/original.pdf" and entry["confiance"] == "non_verifiee"
    assert [s["nom"] for s in entry["signatures"]] == list(AVENANT_SIGNERS.values())
    assert (cases / CASE / "actes/avenant-01/original.pdf").read_bytes() == signed_avenant
    # the page now says it as docgen status does, and offers no second import
    page = client.get(f"/t/{CASE}").text
    assert "original vérifié (4 signature(s) ; chaîne de confiance non vérifiée)" in text_of(
        page, "acte-avenant-01")
    assert f'action="{ORIGINAL}"' not in page
    again = send(client, ORIGINAL, signed_avenant, mode="electronique", date="2024-11-28")
    assert again.status_code == 422 and "déjà enregistré au registre" in again.text


def test_a_tampered_original_is_refused_and_the_register_unchanged(
        client: TestClient, cases: Path, signed_avenant: bytes) -> None:
    before = snapshot(cases / CASE / "actes")
    tampered = bytearray(signed_avenant)
    at = tampered.index(b"/Type /Page") if b"/Type /Page" in tampered else 2000
    tampered[at + 1] ^= 0x01
    r = send(client, ORIGINAL, bytes(tampered), "retouche.pdf", mode="electronique",
             date="2024-11-28")
    assert r.status_code == 422
    said = text_of(r.text, "acte-erreur")
    assert said.startswith("L'avenant n° 1 : l'original signé a été refusé.")
    assert "retouche.pdf : la signature du champ" in said and "plus intacte" in said
    assert msg.WEB_ACTE_RIEN in said
    assert "/tmp" not in said and "docgen-acte-" not in said and "Traceback" not in said
    assert snapshot(cases / CASE / "actes") == before


def test_the_signatures_day_must_be_the_cases(client: TestClient, cases: Path,
                                              signed_avenant: bytes) -> None:
    """Signed today by the tests, dated 28 November 2024 in the case: refused without the
    date, with the library's reason."""
    before = snapshot(cases / CASE / "actes")
    r = send(client, ORIGINAL, signed_avenant, mode="electronique")
    assert r.status_code == 422
    assert "le dossier indique le 28 novembre 2024" in text_of(r.text, "acte-erreur")
    assert snapshot(cases / CASE / "actes") == before


def test_another_signer_only_when_accepted(client: TestClient, cases: Path) -> None:
    issued = (EXAMPLE / "actes/avenant-01/emis.pdf").read_bytes()
    who = dict(AVENANT_SIGNERS, Signature_Etat="Martine CLAVEL")
    pdf = sign_as(issued, [(f, person_signer(n)) for f, n in who.items()])
    refused = send(client, ORIGINAL, pdf, mode="electronique", date="2024-11-28")
    assert refused.status_code == 422 and "Martine CLAVEL" in text_of(refused.text, "acte-erreur")
    accepted = send(client, ORIGINAL, pdf, mode="electronique", date="2024-11-28",
                    accepter="Martine CLAVEL")
    assert accepted.status_code == 200
    assert "Martine CLAVEL (accepté à la place de Dalila ZANE)" in text_of(accepted.text,
                                                                          "acte-rapport")


def test_a_paper_original_needs_its_date_and_is_not_verified(client: TestClient,
                                                             cases: Path) -> None:
    url = f"/t/{CASE}/actes/convention/original"
    scan = (EXAMPLE / "actes/convention/emis.pdf").read_bytes()
    missing = send(client, url, scan, "scan.pdf", mode="papier")
    assert missing.status_code == 422 and msg.WEB_ACTE_DATE_PAPIER in html.unescape(missing.text)
    wrong = send(client, url, scan, "scan.pdf", mode="electronique")
    assert wrong.status_code == 422 and "sur papier" in text_of(wrong.text, "acte-erreur")
    done = send(client, url, scan, "scan.pdf", mode="papier", date="2023-04-14")
    assert done.status_code == 200
    report = text_of(done.text, "acte-rapport")
    assert "La convention : original signé sur papier enregistré au registre" in report
    assert "aucune vérification cryptographique" in report
    assert register(cases)["actes"]["convention"]["signature"]["original"] == \
        "convention/original-papier.pdf"


@pytest.mark.parametrize(("name", "data", "fields", "said"), [
    ("vide.pdf", b"", {"mode": "electronique"}, msg.WEB_ACTE_CHOISIR),
    ("lettre.pdf", b"Bonjour", {"mode": "electronique"}, "lettre.pdf : ce n'est pas un PDF."),
    ("../../evil.pdf", b"%PDF-1.7\n", {"mode": "electronique"}, "evil.pdf"),
    ("x.pdf", b"%PDF-1.7\n", {"mode": "par pigeon"}, msg.WEB_ACTE_MODE),
    ("x.pdf", b"%PDF-1.7\n", {"mode": "papier", "date": "28/11/2024"}, "« 28/11/2024 »"),
])
def test_what_cannot_be_an_original_is_refused_in_french(
        client: TestClient, cases: Path, name: str, data: bytes, fields: dict[str, str],
        said: str) -> None:
    before = snapshot(cases)
    r = send(client, ORIGINAL, data, name, **fields)
    assert r.status_code == 422
    assert said in text_of(r.text, "acte-erreur")
    assert snapshot(cases) == before  # nothing written, in the case or beside it


def test_the_forms_guards(client: TestClient, cases: Path, signed_avenant: bytes,
                          monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(cases / CASE / "actes")
    files = {"fichier": ("a.pdf", signed_avenant, "application/pdf")}
    fields = {"mode": "electronique", "date": "2024-11-28"}
    assert client.post(ORIGINAL, data=fields, files=files).status_code == 403  # no CSRF
    r = client.post(ORIGINAL, data={"csrf": csrf_of(client), **fields}, files=files,
                    headers={"Origin": "http://attacker.example"})
    assert r.status_code == 403
    for url in (f"/t/{CASE}/actes/..%2f..%2fx/original", f"/t/{CASE}/actes/avenant-1/original",
                "/t/inconnu/actes/avenant-01/original", f"/t/{CASE}/actes/avenant-01/a-signer"):
        assert client.post(url, data={"csrf": csrf_of(client), **fields},
                           files=files).status_code in (404, 405), url
    unknown = send(client, f"/t/{CASE}/actes/avenant-07/original", signed_avenant, **fields)
    assert unknown.status_code == 422 and "aucun acte « avenant-07 »" in unknown.text
    # larger than a case file, within the limit of an act's file; then over it
    import docgen.web.actes as actes

    monkeypatch.setattr(actes, "MAX_UPLOAD", 3 * 1024 * 1024)
    big = b"%PDF-1.7\n" + b"0" * (2_500_000)
    assert send(client, ORIGINAL, big, **fields).status_code == 422  # read, then refused
    r = send(client, ORIGINAL, big * 2, **fields)
    assert r.status_code == 413 and "3 Mio" in r.text
    r = client.post(f"/t/{CASE}/logos", data={"csrf": csrf_of(client)},
                    files={"fichier": ("l.svg", big, "image/svg+xml")})
    assert r.status_code == 413  # elsewhere the limit stays that of a case file
    assert snapshot(cases / CASE / "actes") == before


def test_the_pdf_to_sign_is_the_registers(client: TestClient, cases: Path) -> None:
    r = client.get(f"/t/{CASE}/actes/avenant-01/a-signer.pdf")
    assert r.status_code == 200
    assert r.content == (cases / CASE / "actes/avenant-01/emis.pdf").read_bytes()
    assert 'filename="avenant-01-a-signer.pdf"' in r.headers["content-disposition"]
    assert client.get(f"/t/{CASE}/actes/avenant-09/a-signer.pdf").status_code == 404
    assert client.get(f"/t/{CASE}/actes/..%2fconvention/a-signer.pdf").status_code == 404
    # a register whose file was altered is not handed out
    (cases / CASE / "actes/avenant-01/emis.pdf").write_bytes(b"%PDF-1.7 autre\n")
    assert client.get(f"/t/{CASE}/actes/avenant-01/a-signer.pdf").status_code == 404


# ------------------------------------------------------------------ the reviewed DOCX


def test_a_reviewed_docx_becomes_the_pdf_to_sign(tmp_path: Path) -> None:
    """An avenant not signed yet (the example without its register, avenant n° 1 undated):
    its reviewed DOCX recorded as the version for signature; a signed act refuses one."""
    folder = overlay_case(tmp_path / "cases" / CASE, None, EXAMPLE)
    av = next((folder / "avenants").glob("01-*.yaml"))
    av.write_text(av.read_text(encoding="utf-8").replace("  date: 2024-11-28\n", "", 1),
                  encoding="utf-8")
    client = TestClient(create_app(tmp_path / "cases"), base_url="http://127.0.0.1")
    page = client.get(f"/t/{CASE}").text
    assert f'action="/t/{CASE}/actes/avenant-01/relu"' in page
    docx = (EXAMPLE / "actes/avenant-01/texte.docx").read_bytes()
    r = client.post(f"/t/{CASE}/actes/avenant-01/relu", data={"csrf": csrf_of(client)},
                    files={"fichier": ("Avenant relu.docx", docx, "application/octet-stream")})
    assert r.status_code == 200, r.text[-3000:]
    report = text_of(r.text, "acte-rapport")
    assert ("L'avenant n° 1 : PDF à signer enregistré au registre (relu) : "
            "actes/avenant-01/emis.pdf") in report
    assert "relu : émis le" in text_of(r.text, "acte-avenant-01")
    pdf = client.get(f"/t/{CASE}/actes/avenant-01/a-signer.pdf")
    assert pdf.status_code == 200 and pdf.content == (folder / "actes/avenant-01/emis.pdf").read_bytes()
    assert (folder / "actes/avenant-01/texte.docx").read_bytes() == docx
    # now issued: its original may be imported
    assert f'action="{ORIGINAL}"' in client.get(f"/t/{CASE}").text
    # not a DOCX: refused, nothing recorded
    before = snapshot(folder / "actes")
    r = client.post(f"/t/{CASE}/actes/avenant-01/relu", data={"csrf": csrf_of(client)},
                    files={"fichier": ("note.docx", b"%PDF-1.7\n", "application/pdf")})
    assert r.status_code == 422 and "note.docx : ce n'est pas un DOCX" in text_of(r.text,
                                                                                 "acte-erreur")
    assert snapshot(folder / "actes") == before


def test_a_signed_act_takes_no_reviewed_docx(client: TestClient, cases: Path) -> None:
    page = client.get(f"/t/{CASE}").text
    assert "/relu" not in page  # every act of the example is signed
    before = snapshot(cases / CASE / "actes")
    docx = (EXAMPLE / "actes/convention/texte.docx").read_bytes()
    r = client.post(f"/t/{CASE}/actes/convention/relu", data={"csrf": csrf_of(client)},
                    files={"fichier": ("c.docx", docx, "application/octet-stream")})
    assert r.status_code == 422 and "déjà signé" in text_of(r.text, "acte-erreur")
    assert snapshot(cases / CASE / "actes") == before


def test_an_altered_register_is_said_not_a_server_error(client: TestClient, cases: Path) -> None:
    (cases / CASE / "actes/avenant-01/emis.pdf").write_bytes(b"%PDF-1.7 autre\n")
    r = client.get(f"/t/{CASE}")
    assert r.status_code == 200
    assert "actes/avenant-01/emis.pdf n&#39;est plus celui que le registre a enregistré" in r.text
    assert "se lit une fois les erreurs du dossier corrigées" in r.text
    assert f'action="{ORIGINAL}"' not in r.text


# ------------------------------------------------------------------ the hand-off (docgen remise)


def hand_off(client: TestClient) -> object:
    return client.post(REMISE, data={"csrf": csrf_of(client)})


def remise_folder(cases: Path) -> Path:
    return cases.parent / "output" / CASE / "remise"


def test_the_hand_off_is_written_and_its_zip_downloaded(client: TestClient,
                                                        cases: Path) -> None:
    page = client.get(f"/t/{CASE}").text
    assert f'action="{REMISE}"' in page and f'href="{REMISE}.zip"' not in page
    assert client.get(f"{REMISE}.zip").status_code == 404  # nothing prepared yet

    r = hand_off(client)
    assert r.status_code == 200, text_of(r.text, "acte-erreur")
    said = text_of(r.text, "acte-rapport")
    assert "ORT2024A01 (l'avenant n° 1) : remise vers" in said
    assert "pièce 1 : 01_acte_ORT2024A01.pdf (l'acte, version émise pour signature)" in said
    assert msg.WEB_REMISE_ID.format(id=ID) in said
    assert "L'avenant n° 1 : dossier de remise écrit dans" in said
    zipped = remise_folder(cases) / "avenant-01.zip"
    assert (remise_folder(cases) / "avenant-01" / "actes_acte.xml").is_file()

    got = client.get(f"{REMISE}.zip")
    assert got.status_code == 200 and got.content == zipped.read_bytes()
    assert got.headers["content-type"] == "application/zip"
    assert got.headers["content-disposition"] == 'attachment; filename="avenant-01.zip"'
    assert "manifest.xml" in zipfile.ZipFile(io.BytesIO(got.content)).namelist()
    # the page keeps the link; a second preparation changes nothing
    assert f'href="{REMISE}.zip"' in client.get(f"/t/{CASE}").text
    again = hand_off(client)
    assert again.status_code == 200 and "dossier de remise inchangé" in text_of(again.text,
                                                                               "acte-rapport")
    assert zipped.read_bytes() == got.content
    # only <out>/<case>/remise/<code>.zip, for a code of an act
    for url in (f"/t/{CASE}/actes/convention/remise.zip", f"/t/{CASE}/actes/avenant-1/remise.zip",
                f"/t/{CASE}/actes/..%2fremise%2favenant-01/remise.zip",
                "/t/inconnu/actes/avenant-01/remise.zip", f"/t/{CASE}/actes/avenant-01/remise"):
        assert client.get(url).status_code in (404, 405), url


def test_a_hand_edited_hand_off_is_refused_in_french(client: TestClient, cases: Path) -> None:
    assert hand_off(client).status_code == 200
    (remise_folder(cases) / "avenant-01" / "remise.json").write_text("{}\n", encoding="utf-8")
    before = snapshot(remise_folder(cases))
    r = hand_off(client)
    assert r.status_code == 422
    said = text_of(r.text, "acte-erreur")
    assert said.startswith("L'avenant n° 1 : la remise n'a pas été préparée.")
    assert "modifiés à la main" in said and "remise.json" in said
    assert msg.WEB_REMISE_FORCE in said and msg.WEB_REMISE_RIEN in said
    assert snapshot(remise_folder(cases)) == before  # nothing replaced, no copy made


def test_a_hand_off_the_rules_refuse_is_said(client: TestClient, cases: Path) -> None:
    """Without the settings in territoire.yaml: the command's French refusal, nothing written."""
    terr = cases / CASE / "territoire.yaml"
    text = terr.read_text(encoding="utf-8")
    assert "\nremise:\n" in text
    terr.write_text(text[:text.index("\nremise:\n") + 1], encoding="utf-8")
    r = hand_off(client)
    assert r.status_code == 422
    assert "territoire.yaml n'a pas de section « remise »" in text_of(r.text, "acte-erreur")
    assert not remise_folder(cases).exists()


# ------------------------------------------------------------------ the acknowledgement read back


def send_ar(client: TestClient, data: bytes, name: str = "ARActe.xml",
            stamped: tuple[str, bytes] | None = None) -> object:
    files = {"fichier": (name, data, "application/xml")}
    if stamped is not None:
        files["tampon"] = (stamped[0], stamped[1], "application/pdf")
    return client.post(ACCUSE, data={"csrf": csrf_of(client)}, files=files)


def handed_acte(client: TestClient, cases: Path) -> bytes:
    """The Acte message the workspace's hand-off of avenant n° 1 sent."""
    assert hand_off(client).status_code == 200
    return (remise_folder(cases) / "avenant-01" / "actes_acte.xml").read_bytes()


def test_the_acknowledgement_makes_the_act_transmitted(client: TestClient, cases: Path) -> None:
    ar = acknowledgement(handed_acte(client, cases))
    assert f'action="{ACCUSE}"' in client.get(f"/t/{CASE}").text
    stamped = (EXAMPLE / "actes/avenant-01/emis.pdf").read_bytes()
    r = send_ar(client, ar, "accusé préfecture.xml", ("acte tamponné.pdf", stamped))
    assert r.status_code == 200, text_of(r.text, "acte-erreur")
    assert text_of(r.text, "acte-rapport") == (
        f"L'avenant n° 1 : transmis, reçu par la préfecture le 2 décembre 2024 (identifiant {ID}).")
    st = status(cases / CASE, cases.parent / "output")
    detail = next(a.detail for a in st.acts if a.code == "avenant-01")
    assert detail.startswith(f"transmis le 2 décembre 2024 (identifiant {ID}) ; signé")
    assert text_of(r.text, "acte-avenant-01") == f"L'avenant n° 1 {detail}"
    entry = register(cases)["actes"]["avenant-01"]
    assert entry["etat"] == "transmis" and entry["transmission"]["id_acte"] == ID
    assert (cases / CASE / "actes" / entry["transmission"]["accuse"]).read_bytes() == ar
    kept = [p for p in (cases / CASE / "actes/avenant-01").iterdir() if p.read_bytes() == stamped]
    assert len(kept) == 2  # the stamped copy beside the version issued
    # transmitted: no second reading offered, and one sent anyway is refused
    assert f'action="{ACCUSE}"' not in client.get(f"/t/{CASE}").text
    before = snapshot(cases / CASE / "actes")
    again = send_ar(client, ar)
    assert again.status_code == 422
    assert "déjà enregistré comme transmis" in text_of(again.text, "acte-erreur")
    assert snapshot(cases / CASE / "actes") == before


def test_another_acts_acknowledgement_is_refused(client: TestClient, cases: Path) -> None:
    ar = acknowledgement(handed_acte(client, cases), number="ORT2024A02")
    before = snapshot(cases / CASE / "actes")
    r = send_ar(client, ar, "ar.xml")
    assert r.status_code == 422
    said = text_of(r.text, "acte-erreur")
    assert said.startswith("L'avenant n° 1 : l'accusé de réception a été refusé.")
    assert "ar.xml : cet accusé de réception concerne l'acte n° ORT2024A02" in said
    assert "ORT2024A01" in said and "Rien n'a été enregistré" in said
    assert "/tmp" not in said and "docgen-acte-" not in said
    assert snapshot(cases / CASE / "actes") == before
    assert "transmis" not in text_of(r.text, "acte-avenant-01")


@pytest.mark.parametrize(("data", "stamped", "said"), [
    (b"", None, msg.WEB_ACTE_CHOISIR),
    (b"pas du XML", None, "ARActe.xml : ce n'est pas un fichier XML"),
    (b"<" + b" " * (1024 * 1024), None, "plus de 1 Mo"),
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
     None, "ARActe.xml : message non conforme au schéma ACTES"),
    (b"<x/>", ("tampon.pdf", b"Bonjour"), "tampon.pdf : ce n'est pas un PDF."),
])
def test_what_is_not_an_acknowledgement_is_refused(
        client: TestClient, cases: Path, data: bytes, stamped: tuple[str, bytes] | None,
        said: str) -> None:
    before = snapshot(cases / CASE / "actes")
    r = send_ar(client, data, stamped=stamped)
    assert r.status_code == 422
    shown = text_of(r.text, "acte-erreur")
    assert said in shown and msg.WEB_ACTE_RIEN in shown
    assert "root:" not in shown and "Traceback" not in shown
    assert snapshot(cases / CASE / "actes") == before


def test_the_hand_off_forms_guards(client: TestClient, cases: Path) -> None:
    from docgen.accuse import MAX_ACCUSE
    from docgen.web import actes

    assert actes.MAX_ACCUSE == MAX_ACCUSE  # the workspace takes what the command reads
    before = snapshot(cases)
    ar = {"fichier": ("ARActe.xml", b"<x/>", "application/xml")}
    for url, files in ((REMISE, None), (ACCUSE, ar)):
        assert client.post(url, data={}, files=files).status_code == 403  # no CSRF
        r = client.post(url, data={"csrf": csrf_of(client)}, files=files,
                        headers={"Origin": "http://attacker.example"})
        assert r.status_code == 403
        for bad in (url.replace("avenant-01", "..%2f..%2fx"), url.replace("avenant-01", "avenant-1"),
                    url.replace(CASE, "inconnu")):
            assert client.post(bad, data={"csrf": csrf_of(client)},
                               files=files).status_code in (404, 405), bad
    assert snapshot(cases) == before
    assert not remise_folder(cases).exists()
