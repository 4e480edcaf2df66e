"""The web workspace through the ASGI test client: every route, and what it must refuse."""

from __future__ import annotations

import html
import re
import shutil
import time
import warnings
from pathlib import Path

import pytest

pytest.importorskip("starlette")
with warnings.catch_warnings():  # starlette 1.x suggests httpx2; httpx is the pinned client
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient  # noqa: E402

from docgen import messages as msg  # noqa: E402
from docgen.web import create_app  # noqa: E402

EXAMPLE = Path(__file__).resolve().parent.parent / "cases" / "pays-des-ecrins"
CASE = "pays-des-ecrins"
FICHE = "fiches_actions[0]"  # fiche n° 1, 24 000 € HT


@pytest.fixture()
def cases(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLE, tmp_path / "cases" / CASE)
    return tmp_path / "cases"


@pytest.fixture()
def client(cases: Path) -> TestClient:
    return TestClient(create_app(cases), base_url="http://127.0.0.1")


def form_of(html: str) -> dict[str, str]:
    """The hidden fields of the page's editing form."""
    return {name: value for name, value in re.findall(
        r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)}


def browser_form(page: str) -> dict[str, str]:
    """Every field of the page as a browser posts it (ticked boxes only)."""
    data = form_of(page)
    for name, value in re.findall(r'<input type="text"[^>]* name="([^"]+)"[^>]* value="([^"]*)"', page):
        data[name] = html.unescape(value)
    for name, value in re.findall(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        data[name] = html.unescape(value)
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        data[name] = html.unescape(chosen.group(1)) if chosen else ""
    for name in re.findall(r'<input type="checkbox" name="([^"]+)"[^>]* checked', page):
        if not name.endswith("__supprimer") and name not in ("pdf", "doc"):
            data[name] = "on"
    return data


def document_state(page: str, rel: str) -> tuple[str, str]:
    """The state of a produced document on the territory page, and its reason."""
    m = re.search(rf'<small class="chemin">{re.escape(rel)}</small></td>\s*'
                  r'<td><span class="etat[^"]*">([^<]*)</span>(?: : ([^<]*))?</td>', page)
    assert m, rel
    return html.unescape(m.group(1)), html.unescape(m.group(2) or "")


def open_fiche(client: TestClient) -> dict[str, str]:
    r = client.get(f"/t/{CASE}/modifier", params={"fichier": "convention.yaml", "champ": FICHE})
    assert r.status_code == 200
    assert "Fiche action n° 1" in r.text
    return form_of(r.text)


def test_home_and_territory(client: TestClient) -> None:
    assert "Aucun document produit" in client.get(f"/t/{CASE}/controle").text
    r = client.get("/")
    assert r.status_code == 200 and "Vos territoires" in r.text and CASE in r.text
    assert "Le dossier est valide" in r.text
    r = client.get(f"/t/{CASE}")
    assert r.status_code == 200 and "Fiches actions" in r.text
    assert "Requalification du Quartier de la Gare" in r.text
    assert client.get("/static/style.css").status_code == 200
    assert client.get("/static/app.js").status_code == 200


def test_unknown_pages_and_traversal(client: TestClient, cases: Path) -> None:
    (cases.parent / "secret.yaml").write_text("x: 1\n")
    # (a plain "../" is resolved by the client itself; the encoded forms reach the server)
    for url in ("/t/inconnu", "/t/%2e%2e", f"/t/{CASE}/fichier/%2e%2e/%2e%2e/cases/{CASE}/convention.yaml",
                f"/t/{CASE}/fichier/%2e%2e/%2e%2e/secret.yaml", f"/t/{CASE}/voir/%2e%2e/x.pdf", f"/t/{CASE}/fichier/..%2f..%2fsecret.yaml",
                "/nulle-part"):
        r = client.get(url)
        assert r.status_code == 404, url
        assert "secret" not in r.text
    for rel in ("../secret.yaml", "../../secret.yaml", "avenants/../../secret.yaml",
                "/etc/passwd", "convention.yaml/..", "manifest.json"):
        r = client.get(f"/t/{CASE}/modifier", params={"fichier": rel, "champ": ""})
        assert r.status_code == 404, rel
    for champ in ("__class__", "modifications", "modifications[0].secteur"):
        r = client.get(f"/t/{CASE}/modifier", params={"fichier": "avenants/01-quartier-gare.yaml",
                                                     "champ": champ})
        assert r.status_code == 404, champ


def test_live_check_gives_the_loader_message(client: TestClient) -> None:
    hidden = open_fiche(client)
    r = client.post(f"/t/{CASE}/modifier", data={**hidden, "__action": "verifier",
                                                 "__format": "json",
                                                 f"{FICHE}.cout.montant": "-5"})
    assert r.status_code == 200
    data = r.json()
    messages = data["champs"][f"{FICHE}.cout.montant"]
    assert messages[0]["message"] == "doit être supérieur ou égal à 0, trouvé « -5 »."
    assert data["erreurs"] == 1
    # the same request without script: the page, with the message beside the field
    r = client.post(f"/t/{CASE}/modifier", data={**hidden, "__action": "verifier",
                                                 f"{FICHE}.cout.montant": "-5"})
    assert "doit être supérieur ou égal à 0" in r.text and 'aria-invalid="true"' in r.text


def test_save_keeps_comments_and_backs_up(client: TestClient, cases: Path) -> None:
    path = cases / CASE / "convention.yaml"
    before = path.read_text()
    hidden = open_fiche(client)
    r = client.post(f"/t/{CASE}/modifier", data={**hidden, "__action": "enregistrer",
                                                 f"{FICHE}.cout.montant": "25 000"})
    assert r.status_code == 200 and "Enregistré dans convention.yaml" in r.text
    after = path.read_text()
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert changed == [("    cout: {montant: 24000, base: HT}", "    cout: {montant: 25000, base: HT}")]
    assert len(before.splitlines()) == len(after.splitlines())  # comments and layout kept
    backups = list((cases / CASE / ".sauvegardes").iterdir())
    assert len(backups) == 1 and backups[0].read_text() == before


def test_invalid_value_is_not_saved(client: TestClient, cases: Path) -> None:
    path = cases / CASE / "convention.yaml"
    before = path.read_bytes()
    hidden = open_fiche(client)
    r = client.post(f"/t/{CASE}/modifier", data={**hidden, "__action": "enregistrer",
                                                 f"{FICHE}.cout.montant": "-5"})
    assert r.status_code == 422 and "Rien n'a été enregistré" in r.text
    assert path.read_bytes() == before


def test_change_on_disk_is_never_overwritten(client: TestClient, cases: Path) -> None:
    path = cases / CASE / "convention.yaml"
    hidden = open_fiche(client)
    edited = path.read_text().replace("# ", "# (modifié dans un éditeur) ", 1)
    path.write_text(edited)
    r = client.post(f"/t/{CASE}/modifier", data={**hidden, "__action": "enregistrer",
                                                 f"{FICHE}.cout.montant": "25000"})
    assert r.status_code == 409 and "modifié sur le disque" in r.text
    assert path.read_text() == edited


def test_financing_rows_add_and_remove(client: TestClient, cases: Path) -> None:
    hidden = open_fiche(client)
    r = client.post(f"/t/{CASE}/modifier", data={**hidden,
                                                 "__action": f"ajouter:{FICHE}.plan_de_financement"})
    assert f'name="{FICHE}.plan_de_financement[3].montant"' in r.text or \
        f'name="{FICHE}.plan_de_financement[2].montant"' in r.text
    rows = re.findall(rf'name="{re.escape(FICHE)}\.plan_de_financement\[(\d+)\]\.montant"', r.text)
    last = rows[-1]
    r = client.post(f"/t/{CASE}/modifier", data={
        **hidden, "__action": "enregistrer",
        f"{FICHE}.plan_de_financement[{last}].financeur": "detr",
        f"{FICHE}.plan_de_financement[{last}].montant": "1000",
        f"{FICHE}.plan_de_financement[0].__supprimer": "on"})
    assert "Enregistré" in r.text, r.text[:2000]
    text = (cases / CASE / "convention.yaml").read_text()
    assert "{financeur: detr, montant: 1000}" in text


def test_csrf_refused(client: TestClient, cases: Path) -> None:
    path = cases / CASE / "convention.yaml"
    before = path.read_bytes()
    hidden = open_fiche(client)
    for csrf in ("", "faux-jeton-de-formulaire-1234567890"):
        r = client.post(f"/t/{CASE}/modifier", data={**hidden, "csrf": csrf,
                                                     "__action": "enregistrer",
                                                     f"{FICHE}.cout.montant": "1"})
        assert r.status_code == 403 and "Formulaire expiré" in r.text
    r = client.post(f"/t/{CASE}/modifier", data={**hidden, "__action": "enregistrer"},
                    headers={"Origin": "http://evil.example"})
    assert r.status_code == 403
    for url in (f"/t/{CASE}/construire", f"/t/{CASE}/avenant", f"/t/{CASE}/copil"):
        assert client.post(url, data={"doc": "convention"}).status_code == 403
    assert path.read_bytes() == before


def test_token_required_off_loopback(cases: Path) -> None:
    client = TestClient(create_app(cases, token="s3cret-jeton"), base_url="http://10.0.0.5:8000")
    r = client.get("/")
    assert r.status_code == 401 and "Accès protégé" in r.text
    assert client.get("/?jeton=mauvais").status_code == 401
    r = client.get("/?jeton=s3cret-jeton", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    r = client.get("/")  # the cookie now
    assert r.status_code == 200 and "Vos territoires" in r.text


def test_foreign_host_refused_without_token(cases: Path) -> None:
    client = TestClient(create_app(cases), base_url="http://attaquant.example")
    assert client.get("/").status_code == 403


def wait_job(client: TestClient, url: str, limit: float = 300) -> str:
    """The build's page once its thread is done (joined: no polling)."""
    import threading

    job = url.rstrip("/").rsplit("/", 1)[-1]
    for thread in threading.enumerate():
        if thread.name == f"docgen-build-{job}":
            thread.join(timeout=limit)
            assert not thread.is_alive(), "production trop longue"
    text = client.get(url).text
    assert "Production en cours" not in text
    return text


def test_build_download_zip(client: TestClient, cases: Path) -> None:
    page = client.get(f"/t/{CASE}").text
    csrf = form_of(page)["csrf"]
    r = client.post(f"/t/{CASE}/construire", data={"csrf": csrf, "doc": "convention"},
                    follow_redirects=False)
    assert r.status_code == 303
    text = wait_job(client, r.headers["location"])
    assert "Production terminée" in text and "Contrôle réussi" in text
    assert (cases.parent / "output" / CASE / "convention.docx").is_file()
    r = client.get(f"/t/{CASE}/fichier/convention.docx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    r = client.get(f"/t/{CASE}/documents.zip")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    page = client.get(f"/t/{CASE}").text
    # the signed convention: the text of record, as docgen status words it
    assert document_state(page, "convention.docx") == (msg.ST_SIGNE, "")
    assert client.get("/").status_code == 200
    assert "Contrôle réussi" in client.get(f"/t/{CASE}/controle").text
    # a document retouched by hand shows on the pages (a signed act's: to be handed out again)
    (cases.parent / "output" / CASE / "convention.docx").write_bytes(b"retouche")
    assert document_state(client.get(f"/t/{CASE}").text, "convention.docx") == (
        msg.ST_A_REFAIRE, msg.ST_PAS_LE_SIGNE)
    assert "modifié depuis sa production" in client.get(f"/t/{CASE}/controle").text
    r = client.post(f"/t/{CASE}/construire", data={"csrf": csrf, "doc": "convention"})
    kept = wait_job(client, str(r.url))  # it blocks only itself: kept, the page says so
    assert "gardés tels quels" in kept and "convention.docx" in kept.split('id="retouches"')[1]
    r = client.post(f"/t/{CASE}/construire", data={"csrf": csrf, "doc": "convention",
                                                   "remplacer": "oui"})
    text = wait_job(client, str(r.url))
    assert "Production terminée" in text and "convention.modifie.docx" in text
    assert client.get(f"/t/{CASE}/construction/inconnu").status_code == 404


def test_avenant_draft_and_create(client: TestClient, cases: Path) -> None:
    page = client.get(f"/t/{CASE}/avenant")
    assert page.status_code == 200 and "Préparer l'avenant n° 2" in page.text
    hidden = browser_form(page.text)
    data = {**hidden, "__action": "apercu", "avenant.objet": "actualiser le coût de l'étude de programmation",
            "avenant.motifs": "Le coût de l'étude a été revu.",
            "avenant.date_edition": "2026-02-02", "avenant.signature.lieu": "L'Argentière-La Bessée",
            "fiches_actions[0].cout.montant": "30000", "fiches_actions[0].cout.base": "HT"}
    r = client.post(f"/t/{CASE}/avenant", data=data)
    assert r.status_code == 200
    assert "operation: modifier_fiche" in r.text and "montant: 30000" in r.text
    # its own décisions: asked, empty, never avenant n° 1's; no COPIL chosen for it
    assert "Les décisions qui autorisent l'avenant n° 2" in r.text
    assert "2024-094" not in r.text and "CP-2024-11-087" not in r.text
    assert re.search(r'<option value="" selected>\(pas encore approuvé\)', r.text)
    assert "8 novembre 2024" in r.text and "16 janvier 2026" in r.text
    # without them the loader refuses the avenant, and says so beside each field
    r = client.post(f"/t/{CASE}/avenant", data={**data, "__action": "creer"})
    assert r.status_code == 200 and "délibération manquante" in r.text
    assert not list((cases / CASE / "avenants").glob("02-*.yaml"))
    deliberations = {  # avenant n° 1's signatories: État, Département, EPCI, Commune
        "avenant.signataires[1].deliberation.numero": "CP-2026-01-004",
        "avenant.signataires[1].deliberation.date": "2026-01-19",
        "avenant.signataires[2].deliberation.numero": "2026-003",
        "avenant.signataires[2].deliberation.date": "2026-01-20",
        "avenant.signataires[2].deliberation.organe": "conseil communautaire",
        "avenant.signataires[3].deliberation.numero": "2026-002",
        "avenant.signataires[3].deliberation.date": "2026-01-22"}
    r = client.post(f"/t/{CASE}/avenant", data={**data, **deliberations, "__action": "creer"},
                    follow_redirects=False)
    assert r.status_code == 303, r.text[:3000]
    created = sorted((cases / CASE / "avenants").glob("02-*.yaml"))
    assert len(created) == 1
    text = created[0].read_text()
    assert "2026-003" in text and "conseil communautaire" in text and "2024-094" not in text
    assert "approuve_par_copil" not in text
    text = wait_job(client, r.headers["location"])
    assert "Production terminée" in text, text
    for name in ("avenant-02.docx", "convention-consolidee-02.docx", "redline-avenant-02.docx"):
        assert name in text
    # no change: nothing to draft
    page = client.get(f"/t/{CASE}/avenant")
    r = client.post(f"/t/{CASE}/avenant", data={**browser_form(page.text), "__action": "apercu"})
    assert "Aucune différence" in r.text


def test_avenant_negative_amount_is_shown(client: TestClient) -> None:
    hidden = browser_form(client.get(f"/t/{CASE}/avenant").text)
    r = client.post(f"/t/{CASE}/avenant", data={**hidden, "__action": "apercu",
                                                "fiches_actions[0].cout.montant": "-1"})
    assert "doit être supérieur ou égal à 0" in r.text
    assert "operation:" not in r.text


def test_next_copil(client: TestClient, cases: Path) -> None:
    page = client.get(f"/t/{CASE}/copil")
    assert page.status_code == 200 and "2026-01-16" in page.text
    csrf = form_of(page.text)["csrf"]
    r = client.post(f"/t/{CASE}/copil", data={"csrf": csrf, "numero": "5", "date": "2026-06-12",
                                              "heure": "14:00", "lieu": "Mairie", "objet": "Bilan",
                                              "date_edition": "2026-05-20"},
                    follow_redirects=False)
    assert r.status_code == 303, r.text[:3000]
    new = cases / CASE / "copils" / "2026-06-12.yaml"
    text = new.read_text()
    assert "invites:" in text and "presences" not in text and "instantane:" in text
    # what the last meeting recorded is not carried over: not even its approval of minutes
    assert "approbation_compte_rendu" in (cases / CASE / "copils" / "2026-01-16.yaml").read_text()
    assert "approbation_compte_rendu" not in text and "compte_rendu:" not in text
    r = client.get(r.headers["location"])
    assert r.status_code == 200 and "Instantané" in r.text
    # same date again: refused
    r = client.post(f"/t/{CASE}/copil", data={"csrf": csrf, "numero": "6", "date": "2026-06-12",
                                              "lieu": "x", "objet": "y", "date_edition": "2026-05-20"})
    assert "existe déjà" in r.text


def test_other_sections_render(client: TestClient) -> None:
    for fichier, champ in (("convention.yaml", "signataires"), ("convention.yaml", "secteurs"),
                           ("territoire.yaml", "parties"), ("copils/2026-01-16.yaml", "instantane"),
                           ("adhesion.yaml", "")):
        r = client.get(f"/t/{CASE}/modifier", params={"fichier": fichier, "champ": champ})
        assert r.status_code == 200, (fichier, champ)


def test_preview_routes(client: TestClient, cases: Path) -> None:
    pytest.importorskip("weasyprint")
    import subprocess

    out = cases.parent / "output" / CASE
    out.mkdir(parents=True)
    from weasyprint import HTML

    HTML(string="<p>page un</p><p style='page-break-before: always'>page deux</p>").write_pdf(
        out / "essai.pdf")
    r = client.get(f"/t/{CASE}/voir/essai.pdf")
    assert r.status_code == 200 and "2 pages" in r.text
    assert 'width="298" height="421"' in r.text  # an A4 page keeps its portrait shape
    HTML(string="<style>@page { size: 960pt 540pt }</style><p>diapositive</p>").write_pdf(
        out / "diapos.pdf")
    slides = client.get(f"/t/{CASE}/voir/diapos.pdf")
    assert 'width="421" height="237"' in slides.text  # a 16:9 slide stays landscape
    assert "zoom=1" in slides.text  # each page opens larger
    if shutil.which("pdftoppm"):
        r = client.get(f"/t/{CASE}/page/essai.pdf", params={"n": "2"})
        assert r.status_code == 200 and r.content[:4] == b"\x89PNG"
        big = client.get(f"/t/{CASE}/page/essai.pdf", params={"n": "2", "zoom": "1"})
        assert big.status_code == 200 and len(big.content) > len(r.content)
    assert client.get(f"/t/{CASE}/page/essai.pdf", params={"n": "x"}).status_code == 404
    _ = subprocess


SECTIONS = [("convention.yaml", f"fiches_actions[{i}]") for i in range(14)] + [
    ("convention.yaml", "signataires"), ("convention.yaml", "secteurs"),
    ("convention.yaml", "signature"), ("territoire.yaml", "parties"),
    ("copils/2026-01-16.yaml", "instantane"), ("copils/2024-11-08.yaml", "instantane"),
    ("adhesion.yaml", ""), ("avenants/01-quartier-gare.yaml", ""),
    ("territoire.yaml", "territoire"), ("copils/2026-01-16.yaml", ""), ("territoire.yaml", "")]


@pytest.mark.parametrize(("fichier", "champ"), SECTIONS)
def test_saving_an_unchanged_form_changes_nothing(client: TestClient, cases: Path,
                                                  fichier: str, champ: str) -> None:
    """Every field posted back as shown: the file keeps every byte (defaults not added,
    empty lists not created, numbers and dates written as they were)."""
    path = cases / CASE / fichier
    before = path.read_bytes()
    page = client.get(f"/t/{CASE}/modifier", params={"fichier": fichier, "champ": champ}).text
    data = browser_form(page)
    data["__action"] = "enregistrer"
    r = client.post(f"/t/{CASE}/modifier", data=data)
    assert r.status_code == 200 and "Enregistré" in r.text, r.text[-3000:]
    assert path.read_text() == before.decode()


def test_avenant_adds_a_secteur(client: TestClient) -> None:
    page = client.get(f"/t/{CASE}/avenant").text
    hidden = browser_form(page)
    n = len(re.findall(r'name="secteurs\[(\d+)\]\.id"', page))
    r = client.post(f"/t/{CASE}/avenant", data={
        **hidden, "__action": "apercu",
        f"secteurs[{n}].id": "zone-artisanale", f"secteurs[{n}].nom": "Zone artisanale",
        f"secteurs[{n}].commune": "argentiere"})
    assert "operation: ajouter_secteur" in r.text and "Zone artisanale" in r.text, r.text[-2000:]


GOOD_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>Logo essai</title>'
            b'<rect width="10" height="10" fill="url(#g)"/></svg>')


REFUSALS = {"script": "script ou un objet actif", "externe": "va chercher une image",
            "xml": "pas un SVG lisible", "titre": "ajoutez dans le SVG un &lt;title&gt;",
            "taille": "plus de 2 Mio", "chargeur": "pas une image PNG ou JPEG lisible"}


@pytest.mark.parametrize(("name", "data", "code"), [
    ("logo.svg", GOOD_SVG, "ok"),
    ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><title>x</title></svg>', "script"),
    ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="x()"><title>x</title></svg>', "script"),
    ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:l="http://www.w3.org/1999/xlink"><title>x</title><image l:href="http://evil/x.png"/></svg>', "externe"),
    ("logo.svg", b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg"><title>&x;</title></svg>', "xml"),
    ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>', "titre"),
    ("logo.svg", b"\x89PNG\r\n\x1a\n", "chargeur"),  # a PNG's signature, no picture
    ("../../evil.svg", GOOD_SVG, "ok"),
    ("logo.svg", b"<svg>" + b" " * (2 * 1024 * 1024 + 10) + b"</svg>", "taille"),
])
def test_logo_upload(client: TestClient, cases: Path, name: str, data: bytes, code: str) -> None:
    csrf = form_of(client.get(f"/t/{CASE}").text)["csrf"]
    r = client.post(f"/t/{CASE}/logos", data={"csrf": csrf},
                    files={"fichier": (name, data, "image/svg+xml")}, follow_redirects=False)
    written = cases / CASE / "assets" / "logos" / ("evil.svg" if "evil" in name else "logo.svg")
    assert not (cases / "evil.svg").exists() and not (cases.parent / "evil.svg").exists()
    if r.status_code == 413:  # refused before it is read
        assert code == "taille" and not written.exists()
        return
    if code != "ok":  # the page again, the reason beside the field, nothing written
        assert r.status_code == 422 and REFUSALS[code] in r.text
        assert 'aria-invalid="true" aria-describedby="logo-erreur"' in r.text
        assert not written.exists()
        return
    assert r.status_code == 303 and "logo=ok" in r.headers["location"]
    assert written.exists()
    assert "Logo ajouté" in client.get(r.headers["location"]).text


def test_unreadable_file_and_missing_row(client: TestClient, cases: Path) -> None:
    r = client.get(f"/t/{CASE}/modifier", params={"fichier": "convention.yaml",
                                                 "champ": "fiches_actions[99]"})
    assert r.status_code == 404
    hidden = open_fiche(client)
    r = client.post(f"/t/{CASE}/modifier", data={
        **hidden, "__action": "verifier", f"{FICHE}.plan_de_financement[5000].montant": "1"})
    assert r.status_code == 200 and "plan_de_financement[5000]" not in r.text
    path = cases / CASE / "convention.yaml"
    path.write_text(path.read_text().replace("duree_ans: 6", "duree_ans: [6", 1))
    r = client.get(f"/t/{CASE}/modifier", params={"fichier": "convention.yaml", "champ": FICHE})
    assert r.status_code == 422 and "erreur d'écriture YAML" in r.text
    assert "erreur de syntaxe YAML" in r.text
    assert "erreur" in client.get(f"/t/{CASE}").text
    assert client.get("/").status_code == 200


def test_docgen_serve_command(cases: Path) -> None:
    """The command itself: listens on 127.0.0.1, says where, serves the home page."""
    import socket
    import subprocess
    import sys
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([str(Path(sys.executable).with_name("docgen")), "serve", str(cases),
                             "--port", str(port)], stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()  # type: ignore[union-attr]
        assert f"http://127.0.0.1:{port}/" in line and "jeton" not in line
        end = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
                    assert r.status == 200 and "Vos territoires" in r.read().decode()
                break
            except OSError:
                assert time.monotonic() < end
                time.sleep(0.1)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_one_territory_folder_served(cases: Path) -> None:
    app = create_app(cases / CASE)
    assert app.state.workspace.out_dir == (cases.parent / "output").resolve()
    client = TestClient(app, base_url="http://127.0.0.1")
    assert CASE in client.get("/").text
    assert client.get(f"/t/{CASE}").status_code == 200


def test_avenant_replaces_a_text(client: TestClient) -> None:
    page = client.get(f"/t/{CASE}/avenant").text
    data = browser_form(page)
    data["textes.gouvernance"] = data["textes.gouvernance"] + "\nUn comité technique se réunit chaque mois."
    r = client.post(f"/t/{CASE}/avenant", data={**data, "__action": "apercu"})
    assert "operation: remplacer_texte" in r.text and "article: gouvernance" in r.text
    assert "operation: modifier_fiche" not in r.text


def test_dates_and_amounts_as_typed_are_saved_in_their_plain_form(client: TestClient,
                                                                   cases: Path) -> None:
    """« 01/06/2023 » typed in a date field (or picked: the browser's date picker) and
    « 24 500 € » in an amount field are saved as 2023-06-01 and 24500 (issue 27, item 2)."""
    path = cases / CASE / "convention.yaml"
    hidden = open_fiche(client)
    page = client.get(f"/t/{CASE}/modifier", params={"fichier": "convention.yaml", "champ": FICHE})
    assert f'type="date" name="{FICHE}.calendrier.debut"' in page.text
    before = path.read_text()
    r = client.post(f"/t/{CASE}/modifier", data={**hidden, "__action": "enregistrer",
                                                 f"{FICHE}.calendrier.debut": "01/06/2023",
                                                 f"{FICHE}.cout.montant": "24 500 €"})
    assert r.status_code == 200 and "Enregistré dans convention.yaml" in r.text, r.text[-2000:]
    after = path.read_text()
    changed = [b for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert any("debut: 2023-06-01" in line for line in changed), changed
    assert any("montant: 24500," in line for line in changed), changed


def _photo(kind: str) -> bytes:
    """A logo as partners send it: a JPEG with its camera's EXIF (a GPS place), or a PNG with a
    text chunk, 1200 pixels high."""
    import io

    from PIL import Image, PngImagePlugin

    im = Image.new("RGB", (2400, 1200), (31, 58, 95))
    out = io.BytesIO()
    if kind == "jpeg":
        exif = Image.Exif()
        exif[0x010F] = "Appareil secret"  # Make
        exif[0x8825] = {1: "N"}  # GPS
        im.save(out, format="JPEG", exif=exif.tobytes())
    else:
        info = PngImagePlugin.PngInfo()
        info.add_text("Author", "Auteur secret")
        im.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


@pytest.mark.parametrize("kind", ["jpeg", "png"])
def test_a_png_or_jpeg_logo_is_kept_as_its_pixels_and_previewed(client: TestClient, cases: Path,
                                                                 kind: str) -> None:
    """Partners send PNG or JPEG: accepted, written as a PNG of at most 480 pixels high with
    none of its metadata, listed with a preview (issue 27, item 5)."""
    import io

    from PIL import Image

    data = _photo(kind)
    assert b"secret" in data
    csrf = form_of(client.get(f"/t/{CASE}").text)["csrf"]
    r = client.post(f"/t/{CASE}/logos", data={"csrf": csrf},
                    files={"fichier": (f"Région Sud.{'jpg' if kind == 'jpeg' else 'png'}", data,
                                       f"image/{kind}")}, follow_redirects=False)
    assert r.status_code == 303, r.text[-1500:]
    written = cases / CASE / "assets" / "logos" / "region-sud.png"
    stored = written.read_bytes()
    assert b"secret" not in stored and b"Exif" not in stored and b"tEXt" not in stored
    with Image.open(io.BytesIO(stored)) as im:
        assert im.format == "PNG" and im.size == (960, 480)
    page = client.get(r.headers["location"]).text
    assert f'src="/t/{CASE}/logos/voir/region-sud.png"' in page
    preview = client.get(f"/t/{CASE}/logos/voir/region-sud.png")
    assert preview.status_code == 200 and preview.content[:4] == b"\x89PNG"
    assert client.get(f"/t/{CASE}/logos/voir/..%2fterritoire.yaml").status_code == 404
    # the loader reads it as every logo: the slides and the acts print it
    from docgen.load.assets import logos_of

    found = [x for x in logos_of(cases / CASE) if x["fichier"] == "region-sud.png"]
    assert found and found[0]["src"].startswith("data:image/png;base64,")
    assert found[0]["nom"] == "region sud"


def test_forms_label_every_field_in_french_with_its_accents(client: TestClient) -> None:
    """Labels from one place (_libelles.html), accented, and « Type de partie » for a party
    rather than a fiche's « Type d'action » (issue 27, item 2)."""
    parties = client.get(f"/t/{CASE}/modifier", params={"fichier": "territoire.yaml",
                                                        "champ": "parties"}).text
    assert "Type de partie" in parties and "Désignation dans le texte" in parties
    assert "Désignation au féminin" in parties and "Type d&#39;action" not in parties
    territoire = client.get(f"/t/{CASE}/modifier", params={"fichier": "territoire.yaml",
                                                           "champ": "territoire"}).text
    assert "Périmètre" in territoire and "Code INSEE" in territoire
    for page in (parties, territoire):
        for bare in (">Perimetre<", ">Designation<", ">Feminin<", ">Delimitation<"):
            assert bare not in page
    fiche = client.get(f"/t/{CASE}/modifier", params={"fichier": "convention.yaml",
                                                      "champ": FICHE}).text
    assert "Type d&#39;action" in fiche


def test_drop_downs_show_names_and_post_ids(client: TestClient) -> None:
    """A reference is chosen by its name (« État – DETR », the party's name, the axe's
    intitulé); the form posts the id the case file keeps (issue 27, item 2)."""
    fiche = client.get(f"/t/{CASE}/modifier", params={"fichier": "convention.yaml",
                                                      "champ": FICHE}).text
    assert re.search(r'<option value="detr"[^>]*>État – DETR</option>', fiche)
    assert re.search(r'<option value="cc-pays-des-ecrins"[^>]*>[^<]*Communauté de communes du '
                     r'Pays des Écrins</option>', fiche)
    assert not re.search(r'<option value="detr"[^>]*>detr</option>', fiche)


def test_a_form_is_headed_by_the_files_name_in_words(client: TestClient) -> None:
    """« Le territoire — Parties », « L'avenant n° 1 »: not territoire.yaml (issue 27, item 2)."""
    page = client.get(f"/t/{CASE}/modifier", params={"fichier": "territoire.yaml",
                                                     "champ": "parties"}).text
    assert re.search(r"<h1>Le territoire — Parties</h1>", page)
    assert "<title>Modifier : Le territoire" in page


def test_every_form_of_a_copil_is_linked_from_the_territory_page(client: TestClient) -> None:
    """Before the meeting (invitees, agenda, snapshot) and after it (attendance, decisions,
    follow-ups): each form of each COPIL is a link of the territory page, named in words."""
    page = client.get(f"/t/{CASE}").text
    assert "Le COPIL du 8 novembre 2024 :" in html.unescape(page)
    links = re.findall(r'href="(/t/[^"]+/modifier\?fichier=copils/2024-11-08\.yaml&(?:amp;)?champ=[^"]*)"',
                       page)
    fields = {html.unescape(u).rsplit("champ=", 1)[1] for u in links}
    assert fields == {"", "invites", "ordre_du_jour", "instantane", "presences", "decisions",
                      "actions_a_suivre", "points_de_vigilance", "prochaines_etapes"}
    for url in links:
        r = client.get(html.unescape(url))
        assert r.status_code == 200, url
    assert 'aria-label="Présences du COPIL du 8 novembre 2024"' in html.unescape(page)


def test_the_territory_page_shows_the_convention_in_force_and_the_last_copils_statuses(
        client: TestClient) -> None:
    """Fiche 12 at 450 000 € as avenant n° 1 set it (not the 2023 text's 300 000 €), with the
    status the last COPIL held recorded beside the convention's."""
    page = html.unescape(client.get(f"/t/{CASE}").text)
    assert ("La convention en vigueur aujourd'hui, après l'avenant n° 1 signé le "
            "28 novembre 2024.") in page
    assert "Dernière colonne : le statut constaté au COPIL du 16 janvier 2026." in page
    row = re.search(r"<tr><td>12</td><td>Requalification du Quartier de la Gare</td>(.*?)</tr>",
                    page, re.S)
    assert row, page[:3000]
    assert re.search(r">450\s000\s€ HT</td><td>en projet</td>\s*<td>engagée</td>", row.group(1))
    assert 'aria-label="Modifier la fiche n° 12"' in row.group(1)
    assert "<th scope=\"col\">Au dernier COPIL</th>" in page


def test_a_secteurs_perimeter_is_sent_checked_saved_and_its_map_shown(client: TestClient,
                                                                       cases: Path) -> None:
    """A GeoJSON sent for a secteur: refused in French when the loader would refuse it (a
    point outside France), nothing changed; accepted otherwise, written under
    assets/perimetres/ with the old file kept, and its map previewed as the acts draw it."""
    import json

    folder = cases / CASE
    page = client.get(f"/t/{CASE}/modifier", params={"fichier": "convention.yaml",
                                                     "champ": "secteurs"}).text
    assert 'id="perimetre-la-bessee"' in page and f'src="/t/{CASE}/carte/la-bessee"' in page
    csrf = form_of(page)["csrf"]
    svg = client.get(f"/t/{CASE}/carte/la-bessee")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.text.lstrip().startswith("<svg") and "default-src 'none'" in svg.headers[
        "content-security-policy"]
    assert client.get(f"/t/{CASE}/carte/inconnu").status_code == 404

    target = folder / "assets/perimetres/la-bessee.geojson"
    before, yaml_before = target.read_bytes(), (folder / "convention.yaml").read_bytes()
    outside = {"type": "Polygon", "coordinates": [[[-40, 10], [-39, 10], [-39, 11], [-40, 10]]]}
    r = client.post(f"/t/{CASE}/secteurs/la-bessee/perimetre", data={"csrf": csrf},
                    files={"fichier": ("ailleurs.geojson", json.dumps(outside).encode(),
                                       "application/geo+json")})
    said = html.unescape(r.text)
    assert r.status_code == 422 and "Le périmètre de Secteur de La Bessée n'a pas été enregistré" in said
    assert "hors" in said and "Rien n'a été modifié." in said
    assert target.read_bytes() == before and (folder / "convention.yaml").read_bytes() == yaml_before
    r = client.post(f"/t/{CASE}/secteurs/la-bessee/perimetre", data={"csrf": csrf},
                    files={"fichier": ("vide.geojson", b"", "application/geo+json")})
    assert r.status_code == 422 and "aucun fichier choisi" in html.unescape(r.text)

    redrawn = json.dumps(json.loads(before), indent=1).encode()  # the same polygon, other bytes
    r = client.post(f"/t/{CASE}/secteurs/la-bessee/perimetre", data={"csrf": csrf},
                    files={"fichier": ("la-bessee.geojson", redrawn, "application/geo+json")},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("perimetre=la-bessee#perimetre-la-bessee")
    assert target.read_bytes() == redrawn
    assert [p.read_bytes() for p in (folder / ".sauvegardes").glob("assets__perimetres__la-bessee*")] == [before]
    done = html.unescape(client.get(r.headers["location"]).text)
    assert "Périmètre de Secteur de La Bessée enregistré dans assets/perimetres/la-bessee.geojson" in done.replace("<code>", "").replace("</code>", "")
    assert client.post(f"/t/{CASE}/secteurs/../perimetre", data={"csrf": csrf}).status_code == 404
