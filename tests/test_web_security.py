"""The workspace's trust boundaries: the Host and Origin a page may use (DNS rebinding), uploads
held to the loader's own checks (nothing the workspace accepts breaks `docgen check`), and a
malformed case file shown with the loader's words instead of a server error."""

from __future__ import annotations

import re
import shutil
import warnings
from pathlib import Path

import pytest

pytest.importorskip("starlette")
with warnings.catch_warnings():  # starlette 1.x suggests httpx2; httpx is the pinned client
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient  # noqa: E402

from markupsafe import escape  # noqa: E402

from docgen import messages as msg  # noqa: E402
from docgen.load.assets import MAX_SVG_ELEMENTS, MAX_SVG_USES  # noqa: E402
from docgen.web import create_app  # noqa: E402
from docgen.web.security import accepted_hosts, is_loopback  # noqa: E402

EXAMPLE = Path(__file__).resolve().parent.parent / "cases" / "pays-des-ecrins"
CASE = "pays-des-ecrins"
FICHE = "fiches_actions[0]"
PORT = 8765


@pytest.fixture()
def cases(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLE, tmp_path / "cases" / CASE)
    return tmp_path / "cases"


@pytest.fixture()
def client(cases: Path) -> TestClient:
    """As `docgen serve --port 8765` listens: 127.0.0.1:8765."""
    return TestClient(create_app(cases, host="127.0.0.1", port=PORT),
                      base_url=f"http://127.0.0.1:{PORT}")


def hidden_fields(page: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))


def csrf_of(client: TestClient) -> str:
    return hidden_fields(client.get(f"/t/{CASE}").text)["csrf"]


# -- Host: exactly the address listened on, never a prefix ----------------------------------

@pytest.mark.parametrize("host", [
    "127.attacker.example", "127.0.0.1.evil", "127.0.0.1.evil:8765", f"localhost:{PORT + 1}",
    "127.0.0.1", "127.0.0.1:80", f"127.0.0.2:{PORT}", f"attacker.example:{PORT}",
    f"127.0.0.1:{PORT}.evil", f"127.0.0.1:{PORT}0", "", f"localhost.:{PORT}",
])
def test_foreign_host_refused(client: TestClient, host: str) -> None:
    r = client.get("/", headers={"Host": host})
    assert r.status_code == 403 and "Adresse non reconnue" in r.text
    assert f"http://127.0.0.1:{PORT}/" in r.text  # where to go instead
    assert "csrf" not in r.text


@pytest.mark.parametrize("host", [f"127.0.0.1:{PORT}", f"localhost:{PORT}", f"[::1]:{PORT}",
                                  f"LocalHost:{PORT}"])
def test_right_host_accepted(client: TestClient, host: str) -> None:
    r = client.get("/", headers={"Host": host})
    assert r.status_code == 200 and "Vos territoires" in r.text


def test_rebinding_page_reads_and_saves_nothing(client: TestClient, cases: Path) -> None:
    """The attack of the issue: a page of 127.attacker.example, resolved to 127.0.0.1, reads the
    edit form (and its CSRF value), then posts it back."""
    path = cases / CASE / "convention.yaml"
    before = path.read_bytes()
    evil = {"Host": "127.attacker.example"}
    r = client.get(f"/t/{CASE}/modifier", params={"fichier": "convention.yaml", "champ": FICHE},
                   headers=evil)
    assert r.status_code == 403 and 'name="csrf"' not in r.text
    page = client.get(f"/t/{CASE}/modifier", params={"fichier": "convention.yaml", "champ": FICHE})
    data = {**hidden_fields(page.text), "__action": "enregistrer", f"{FICHE}.cout.montant": "1"}
    r = client.post(f"/t/{CASE}/modifier", data=data,
                    headers={**evil, "Origin": "http://127.attacker.example"})
    assert r.status_code == 403
    assert path.read_bytes() == before


def test_host_from_the_connection_when_not_given(cases: Path) -> None:
    """Without host and port (create_app(cases)), the local address of the connection, which
    the ASGI server reads from the socket: the same exact rule."""
    client = TestClient(create_app(cases), base_url="http://127.0.0.1:8000")
    assert client.get("/").status_code == 200
    assert client.get("/", headers={"Host": "localhost:8000"}).status_code == 200
    for host in ("127.attacker.example", "127.0.0.1.evil", "localhost:8001", "127.0.0.1"):
        assert client.get("/", headers={"Host": host}).status_code == 403, host
    # a name is never taken for the socket's address
    assert TestClient(create_app(cases), base_url="http://127.evil.example:8000").get(
        "/").status_code == 403


def test_default_port_and_every_interface() -> None:
    assert accepted_hosts("127.0.0.1", 80) == ["127.0.0.1", "127.0.0.1:80", "localhost",
                                               "localhost:80", "[::1]", "[::1]:80"]
    # on every interface: the wildcard written in the address shown, and the interface reached
    assert accepted_hosts("0.0.0.0", 8000, ("192.168.1.5", 8000)) == ["0.0.0.0:8000",
                                                                      "192.168.1.5:8000"]
    assert "localhost:8000" in accepted_hosts("0.0.0.0", 8000, ("127.0.0.1", 8000))
    assert accepted_hosts("pc-mairie.local", 8000, ("192.168.1.5", 8000)) == [
        "pc-mairie.local:8000", "192.168.1.5:8000"]
    assert accepted_hosts("10.0.0.5", 8000, ("10.0.0.5", 8000)) == ["10.0.0.5:8000"]
    assert accepted_hosts(None, None, ("evil.example", 80)) == []
    assert accepted_hosts(None, None, None) == []


def test_is_loopback_is_exact() -> None:
    for host in ("127.0.0.1", "127.0.0.2", "localhost", "LOCALHOST", "::1", "[::1]"):
        assert is_loopback(host), host
    for host in ("127.attacker.example", "127.0.0.1.evil", "127.", "127.1", "localhost.evil",
                 "0.0.0.0", "10.0.0.5", "", "::", "[::1].evil"):
        assert not is_loopback(host), host


def test_token_mode_checks_the_host_too(cases: Path) -> None:
    client = TestClient(create_app(cases, token="s3cret-jeton", host="0.0.0.0", port=8000),
                        base_url="http://10.0.0.5:8000")
    r = client.get("/?jeton=s3cret-jeton", headers={"Host": "rebind.attacker.example:8000"})
    assert r.status_code == 403 and "docgen_jeton" not in r.headers.get("set-cookie", "")
    assert client.get("/?jeton=s3cret-jeton").status_code == 200


# -- Origin: a change comes from a page of that very address --------------------------------

@pytest.mark.parametrize("origin", [
    "http://127.attacker.example", "http://127.0.0.1.evil", f"http://127.0.0.1:{PORT + 1}",
    "http://127.0.0.1", f"https://127.0.0.1:{PORT}", "null", f"http://127.0.0.1:{PORT}.evil",
    f"http://localhost:{PORT}",  # accepted as a Host, but not the address this page was served at
    "",
])
def test_foreign_origin_refused(client: TestClient, cases: Path, origin: str) -> None:
    path = cases / CASE / "convention.yaml"
    before = path.read_bytes()
    page = client.get(f"/t/{CASE}/modifier", params={"fichier": "convention.yaml", "champ": FICHE})
    data = {**hidden_fields(page.text), "__action": "enregistrer", f"{FICHE}.cout.montant": "25000"}
    r = client.post(f"/t/{CASE}/modifier", data=data, headers={"Origin": origin})
    assert r.status_code == 403 and "Rien n'a été modifié" in r.text
    assert path.read_bytes() == before


@pytest.mark.parametrize(("host", "origin"), [
    (f"127.0.0.1:{PORT}", f"http://127.0.0.1:{PORT}"),
    (f"localhost:{PORT}", f"http://localhost:{PORT}"),
    (f"[::1]:{PORT}", f"http://[::1]:{PORT}"),
])
def test_right_origin_accepted(client: TestClient, cases: Path, host: str, origin: str) -> None:
    headers = {"Host": host}
    page = client.get(f"/t/{CASE}/modifier", params={"fichier": "convention.yaml", "champ": FICHE},
                      headers=headers)
    data = {**hidden_fields(page.text), "__action": "enregistrer", f"{FICHE}.cout.montant": "25000"}
    r = client.post(f"/t/{CASE}/modifier", data=data, headers={**headers, "Origin": origin})
    assert r.status_code == 200 and "Enregistré" in r.text
    assert "cout: {montant: 25000, base: HT}" in (cases / CASE / "convention.yaml").read_text()


@pytest.mark.parametrize("listen", ["", "0.0.0.0"])
def test_served_command_refuses_a_rebinding_host(cases: Path, listen: str) -> None:
    """The real server (`docgen serve`, unchanged command line, or listening on every interface
    with a token): the Host is checked against the address it listens on, exactly; the address
    it prints is accepted."""
    import http.client
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    extra = ["--host", listen, "--token", "jeton-essai"] if listen else []
    proc = subprocess.Popen([str(Path(sys.executable).with_name("docgen")), "serve", str(cases),
                             "--port", str(port), *extra], stderr=subprocess.PIPE, text=True)

    def status(host: str) -> int:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            conn.putrequest("GET", "/", skip_host=True)
            conn.putheader("Host", host)
            conn.endheaders()
            return conn.getresponse().status
        finally:
            conn.close()

    try:
        printed = proc.stderr.readline()  # type: ignore[union-attr]
        end = time.monotonic() + 20
        while True:
            try:
                first = status(f"127.0.0.1:{port}")
                break
            except OSError:
                assert time.monotonic() < end
                time.sleep(0.1)
        welcome = 401 if listen else 200  # a token is asked for, the Host having passed
        assert first == welcome
        assert status(f"localhost:{port}") == welcome
        if listen:
            assert f"http://{listen}:{port}/?jeton=jeton-essai" in printed
            assert status(f"{listen}:{port}") == welcome  # the address it printed
        assert status("127.attacker.example") == 403
        assert status(f"127.attacker.example:{port}") == 403
        assert status("127.0.0.1.evil") == 403
        assert status(f"localhost:{port + 1}") == 403
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# -- logos: the loader's own check before anything is written -------------------------------

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>Logo essai</title>'
       '{}</svg>')
GOOD = SVG.format('<rect width="10" height="10"/>').encode()
HOSTILE = {
    "svg-dans-svg": (SVG.format('<image width="10" height="10" '
                                'href="data:image/svg+xml;base64,PHN2Zy8+"/>'), msg.SVG_NESTED),
    "filtre": (SVG.format('<defs><filter id="f"><feMorphology radius="900"/></filter></defs>'
                          '<rect width="10" height="10" filter="url(#f)"/>'),
               msg.SVG_FILTER.format(tag="filter")),
    "600-use": (SVG.format('<defs><rect id="r" width="1" height="1"/></defs>'
                           + '<use href="#r"/>' * 600),
                msg.SVG_TOO_COMPLEX.format(limit=MAX_SVG_ELEMENTS, uses=MAX_SVG_USES)),
}


def logos_dir(cases: Path) -> Path:
    return cases / CASE / "assets" / "logos"


def upload(client: TestClient, name: str, data: bytes) -> object:
    return client.post(f"/t/{CASE}/logos", data={"csrf": csrf_of(client)},
                       files={"fichier": (name, data, "image/svg+xml")}, follow_redirects=False)


def test_hostile_logos_get_the_loaders_message(client: TestClient, cases: Path, run) -> None:
    before = sorted(p.name for p in logos_dir(cases).iterdir())
    for name, (svg, message) in HOSTILE.items():
        r = upload(client, f"{name}.svg", svg.encode())
        assert r.status_code == 422, name  # type: ignore[attr-defined]
        page = r.text  # type: ignore[attr-defined]
        assert str(escape(message)) in page, name
        # beside the field, announced, and said: nothing written
        field = page[page.index('id="logo-fichier"'):]
        assert field.index('aria-describedby="logo-erreur"') < field.index(str(escape(message)))
        assert "Rien n'a été écrit" in page
        assert sorted(p.name for p in logos_dir(cases).iterdir()) == before, name
    assert not (cases / CASE / ".sauvegardes").exists()
    assert run("check", str(cases / CASE)).code == 0


def test_accepted_logo_passes_docgen_check_then_is_removed(client: TestClient, cases: Path,
                                                           run) -> None:
    r = upload(client, "Mairie annexe.svg", GOOD)
    assert r.status_code == 303  # type: ignore[attr-defined]
    target = logos_dir(cases) / "mairie-annexe.svg"
    assert target.read_bytes() == GOOD
    assert not [p for p in logos_dir(cases).iterdir() if p.name.startswith(".")]
    assert run("check", str(cases / CASE)).code == 0
    page = client.get(f"/t/{CASE}").text
    assert 'aria-label="Retirer le logo mairie-annexe.svg"' in page
    r = client.post(f"/t/{CASE}/logos/retirer", data={"csrf": csrf_of(client),
                                                      "nom": "mairie-annexe.svg"},
                    follow_redirects=False)
    assert r.status_code == 303
    assert not target.exists()
    assert "Logo retiré : mairie-annexe.svg" in client.get(r.headers["location"]).text
    kept = list((cases / CASE / ".sauvegardes").iterdir())
    assert [p.read_bytes() for p in kept] == [GOOD]
    assert run("check", str(cases / CASE)).code == 0


def test_a_logo_that_breaks_docgen_check_can_be_removed(client: TestClient, cases: Path,
                                                        run) -> None:
    """A logo put there by hand (or by an older workspace) that `docgen check` refuses: the page
    says so beside it, and the workspace removes it."""
    svg, message = HOSTILE["filtre"]
    bad = logos_dir(cases) / "ancien.svg"
    bad.write_text(svg)
    assert run("check", str(cases / CASE)).code != 0
    page = client.get(f"/t/{CASE}").text
    assert "ancien.svg" in page and str(escape(message)) in page
    r = client.post(f"/t/{CASE}/logos/retirer", data={"csrf": csrf_of(client), "nom": "ancien.svg"},
                    follow_redirects=False)
    assert r.status_code == 303 and not bad.exists()
    assert run("check", str(cases / CASE)).code == 0
    assert "Le dossier est valide" in client.get(f"/t/{CASE}").text


def test_a_link_or_an_odd_name_is_removed_not_followed(client: TestClient, cases: Path,
                                                       tmp_path: Path) -> None:
    outside = tmp_path / "ailleurs.svg"
    outside.write_bytes(GOOD)
    link = logos_dir(cases) / "lien.svg"
    link.symlink_to(outside)
    r = client.post(f"/t/{CASE}/logos/retirer", data={"csrf": csrf_of(client), "nom": "lien.svg"},
                    follow_redirects=False)
    assert r.status_code == 303
    assert not link.is_symlink() and outside.read_bytes() == GOOD


@pytest.mark.parametrize("kind", ["tube", "lien-dehors", "lien-casse", "copil-cache"])
def test_workspace_judges_the_folder_as_docgen_check(cases: Path, tmp_path: Path, run,
                                                     kind: str) -> None:
    """What the pages call valid is what `docgen check` calls valid: a FIFO, a link out of the
    case, a broken link, a hidden COPIL file are judged in the workspace's scratch copy as in
    the folder (no page fails on them), and a FIFO or a link is removed unopened."""
    from docgen.errors import CaseInvalid
    from docgen.load import load_case
    from docgen.web import store

    client = TestClient(create_app(cases), base_url="http://127.0.0.1",
                        raise_server_exceptions=False)
    bad = logos_dir(cases) / "x.svg"
    if kind == "tube":
        import os

        os.mkfifo(bad)
    elif kind == "lien-dehors":
        (tmp_path / "dehors.svg").write_bytes(GOOD)
        bad.symlink_to(tmp_path / "dehors.svg")
    elif kind == "lien-casse":
        bad.symlink_to(tmp_path / "nulle-part.svg")
    else:
        bad = cases / CASE / "copils" / ".brouillon.yaml"
        bad.write_text("numero: [\n")
    with pytest.raises(CaseInvalid) as found:
        load_case(cases / CASE)
    expected = sorted(i.message for i in found.value.issues if i.is_error)
    assert sorted(i.message for i in store.check_folder(cases / CASE).errors) == expected
    r = client.get(f"/t/{CASE}")
    assert r.status_code == 200 and "Le dossier est valide" not in r.text
    if kind != "copil-cache":
        r = client.post(f"/t/{CASE}/logos/retirer", data={"csrf": csrf_of(client), "nom": "x.svg"},
                        follow_redirects=False)
        assert r.status_code == 303 and not bad.is_symlink() and not bad.exists()
        assert run("check", str(cases / CASE)).code == 0


@pytest.mark.parametrize("name", ["../../convention.yaml", "..", ".", "", "inconnu.svg",
                                  "../logos/1-commune.svg", "/etc/passwd"])
def test_removal_only_of_a_listed_logo(client: TestClient, cases: Path, name: str) -> None:
    before = sorted(p.name for p in logos_dir(cases).iterdir())
    r = client.post(f"/t/{CASE}/logos/retirer", data={"csrf": csrf_of(client), "nom": name})
    assert r.status_code == 404 and "rien n'a été retiré" in r.text
    assert sorted(p.name for p in logos_dir(cases).iterdir()) == before
    assert (cases / CASE / "convention.yaml").is_file()


def test_removal_needs_the_form_and_refuses_a_named_logo(client: TestClient, cases: Path) -> None:
    logo = logos_dir(cases) / "1-commune.svg"
    r = client.post(f"/t/{CASE}/logos/retirer", data={"csrf": "faux-jeton-de-formulaire-1234",
                                                      "nom": logo.name})
    assert r.status_code == 403 and logo.exists()
    copil = cases / CASE / "copils" / "2026-01-16.yaml"
    copil.write_text(copil.read_text() + "# logo : assets/logos/1-commune.svg\n")
    r = client.post(f"/t/{CASE}/logos/retirer", data={"csrf": csrf_of(client), "nom": logo.name})
    assert r.status_code == 409 and "copils/2026-01-16.yaml" in r.text and logo.exists()


# -- a malformed case file: the loader's message, never a server error ----------------------

def test_malformed_last_copil_is_shown_not_500(cases: Path) -> None:
    client = TestClient(create_app(cases), base_url="http://127.0.0.1",
                        raise_server_exceptions=False)
    path = cases / CASE / "copils" / "2026-01-16.yaml"
    text = path.read_text()
    path.write_text(text.replace("numero: 4", "numero: [4", 1))
    r = client.get(f"/t/{CASE}/copil")
    assert r.status_code == 422
    assert "copils/2026-01-16.yaml" in r.text and "erreur de syntaxe YAML" in r.text
    assert re.search(r"ligne \d+, colonne \d+", r.text)
    assert 'name="date"' not in r.text  # no form to create from it
    r = client.post(f"/t/{CASE}/copil", data={"csrf": csrf_of(client), "numero": "5",
                                              "date": "2026-06-12", "lieu": "x", "objet": "y",
                                              "date_edition": "2026-05-20"})
    assert r.status_code == 422 and "erreur de syntaxe YAML" in r.text
    assert not (cases / CASE / "copils" / "2026-06-12.yaml").exists()
    # the territory page and the edit form of that file say it too
    r = client.get(f"/t/{CASE}")
    assert r.status_code == 200 and "copils/2026-01-16.yaml" in r.text
    r = client.get(f"/t/{CASE}/modifier", params={"fichier": "copils/2026-01-16.yaml",
                                                 "champ": "instantane"})
    assert r.status_code == 422 and "copils/2026-01-16.yaml" in r.text
    assert re.search(r"ligne \d+, colonne \d+", r.text)


@pytest.mark.parametrize("content", ["- une liste\n- pas un COPIL\n", "bonjour\n", "",
                                     "lieu: a\nlieu: b\n", None])
def test_other_unusable_copils(cases: Path, content: str | None) -> None:
    client = TestClient(create_app(cases), base_url="http://127.0.0.1",
                        raise_server_exceptions=False)
    path = cases / CASE / "copils" / "2026-01-16.yaml"
    if content is None:  # a number that is not one
        path.write_text(path.read_text().replace("numero: 4", "numero: quatre", 1))
    else:
        path.write_text(content + path.read_text() if content.startswith("lieu") else content)
    r = client.get(f"/t/{CASE}/copil")
    assert r.status_code == 422 and "copils/2026-01-16.yaml" in r.text, r.text[-1500:]
    assert re.search(r"ligne \d+, colonne \d+", r.text)
    for url in ("/", f"/t/{CASE}", f"/t/{CASE}/avenant",
                f"/t/{CASE}/modifier?fichier=copils/2026-01-16.yaml&champ=",
                f"/t/{CASE}/modifier?fichier=copils/2026-01-16.yaml&champ=instantane"):
        assert client.get(url).status_code < 500, url


def test_odd_agenda_of_the_last_copil_does_not_break_the_next(cases: Path) -> None:
    client = TestClient(create_app(cases), base_url="http://127.0.0.1",
                        raise_server_exceptions=False)
    path = cases / CASE / "copils" / "2026-01-16.yaml"
    path.write_text(path.read_text().replace("ordre_du_jour:\n", "ordre_du_jour: 5\nautre:\n", 1))
    r = client.post(f"/t/{CASE}/copil", data={"csrf": csrf_of(client), "numero": "5",
                                              "date": "2026-06-12", "lieu": "x", "objet": "y",
                                              "date_edition": "2026-05-20"})
    assert r.status_code in (200, 303, 422) and r.status_code != 500


def test_logo_refused_then_removed_in_a_browser_by_keyboard(cases: Path, tmp_path: Path) -> None:
    """Chromium, keyboard only: a hostile logo is refused with the loader's message announced
    beside the field; a good one is added, then removed with its button."""
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("chromium absent (make test l'installe)")
    pytest.importorskip("playwright")
    import socket
    import threading
    import time

    import uvicorn
    from playwright.sync_api import expect, sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(cases, host="127.0.0.1", port=port),
                                        host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    end = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < end
        time.sleep(0.05)
    hostile = tmp_path / "filtre.svg"
    hostile.write_text(HOSTILE["filtre"][0])
    good = tmp_path / "mairie-annexe.svg"
    good.write_bytes(GOOD)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", timeout=30_000,
                                        args=["--headless", "--no-sandbox", "--disable-gpu"])
            try:
                page = browser.new_page(locale="fr-FR")
                page.set_default_timeout(15_000)
                page.goto(f"http://127.0.0.1:{port}/t/{CASE}")
                field = page.get_by_label("Ajouter un logo (fichier SVG, PNG ou JPEG)")
                field.set_input_files(str(hostile))
                field.focus()
                page.keyboard.press("Tab")  # to "Ajouter le logo"
                page.keyboard.press("Enter")
                expect(page.get_by_role("alert")).to_contain_text(HOSTILE["filtre"][1])
                expect(page.get_by_label("Ajouter un logo (fichier SVG, PNG ou JPEG)")).to_have_attribute(
                    "aria-invalid", "true")
                assert not (logos_dir(cases) / "filtre.svg").exists()
                page.get_by_label("Ajouter un logo (fichier SVG, PNG ou JPEG)").set_input_files(str(good))
                page.get_by_role("button", name="Ajouter le logo").press("Enter")
                status = page.get_by_role("status")
                expect(status).to_contain_text("Logo ajouté : mairie-annexe.svg")
                # last of the band (files by name): one place up, by keyboard
                page.get_by_role("button", name="Placer le logo mairie-annexe.svg avant le "
                                 "précédent").press("Enter")
                expect(status).to_contain_text("Logo déplacé : mairie-annexe.svg")
                assert sorted(p.name for p in logos_dir(cases).iterdir()) == [
                    "01-commune.svg", "02-cc-pays-des-ecrins.svg",
                    "03-petites-villes-de-demain.svg", "04-departement.svg",
                    "05-mairie-annexe.svg", "06-banque-des-territoires.svg"]
                page.get_by_role("button", name="Retirer le logo 05-mairie-annexe.svg").press("Enter")
                expect(status).to_contain_text("Logo retiré : 05-mairie-annexe.svg")
                assert not (logos_dir(cases) / "05-mairie-annexe.svg").exists()
            finally:
                browser.close()
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


def test_no_logo_written_through_a_linked_folder(client: TestClient, cases: Path,
                                                 tmp_path: Path) -> None:
    outside = tmp_path / "ailleurs"
    outside.mkdir()
    shutil.rmtree(cases / CASE / "assets" / "logos")
    (cases / CASE / "assets" / "logos").symlink_to(outside)
    r = upload(client, "logo.svg", GOOD)
    assert r.status_code == 422 and "rien n'a été écrit" in r.text  # type: ignore[attr-defined]
    assert list(outside.iterdir()) == []


def test_moving_a_logo_renumbers_the_band_and_keeps_the_partys_name(client: TestClient,
                                                                  cases: Path) -> None:
    import html

    from docgen.load.assets import logos_of

    from .test_web import form_of

    folder = cases / CASE
    before = [entry["nom"] for entry in logos_of(folder)]
    csrf = form_of(client.get(f"/t/{CASE}").text)["csrf"]
    r = client.post(f"/t/{CASE}/logos/ordre", data={"csrf": csrf, "nom": "4-departement.svg",
                                                     "sens": "haut"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("logo=ordre&nom=4-departement.svg#logos")
    after = [entry["nom"] for entry in logos_of(folder)]
    assert after == before[:2] + [before[3], before[2]] + before[4:]  # one place up
    assert [entry["fichier"] for entry in logos_of(folder)][1] == "02-cc-pays-des-ecrins.svg"
    # the first one cannot go higher; an unknown name is refused; nothing else moves
    r = client.post(f"/t/{CASE}/logos/ordre", data={"csrf": csrf, "nom": "01-commune.svg",
                                                     "sens": "haut"}, follow_redirects=False)
    assert r.status_code == 303 and [e["nom"] for e in logos_of(folder)] == after
    r = client.post(f"/t/{CASE}/logos/ordre", data={"csrf": csrf, "nom": "../territoire.yaml",
                                                     "sens": "bas"})
    assert r.status_code == 404
    # a case file that names a logo by its file: nothing renamed (its link would break)
    territoire = folder / "territoire.yaml"
    territoire.write_text(territoire.read_text(encoding="utf-8")
                          + "# voir assets/logos/01-commune.svg\n", encoding="utf-8")
    r = client.post(f"/t/{CASE}/logos/ordre", data={"csrf": csrf, "nom": "02-cc-pays-des-ecrins.svg",
                                                     "sens": "haut"})
    assert r.status_code == 409 and "n'a pas été déplacé" in html.unescape(r.text)
    assert [e["nom"] for e in logos_of(folder)] == after


def test_a_logo_move_that_fails_halfway_puts_every_logo_back(cases: Path, monkeypatch) -> None:
    import os

    from docgen.web import uploads

    folder = cases / CASE
    before = sorted(p.name for p in logos_dir(cases).iterdir())
    real, calls = os.rename, []

    def flaky(src: object, dst: object) -> None:
        calls.append(1)
        if len(calls) == len(before) + 2:  # in the second pass
            raise OSError(28, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(uploads.os, "rename", flaky)
    with pytest.raises(OSError):
        uploads.move_logo(folder, "4-departement.svg", up=True)
    monkeypatch.setattr(uploads.os, "rename", real)
    assert sorted(p.name for p in logos_dir(cases).iterdir()) == before


def test_no_perimeter_written_through_a_linked_folder(client: TestClient, cases: Path,
                                                      tmp_path: Path) -> None:
    """assets/perimetres/ linked elsewhere: the perimeter is refused in French and nothing is
    written there (neither by the check's scratch copy nor by the save)."""
    import html

    from .test_web import form_of

    folder = cases / CASE
    outside = tmp_path / "ailleurs"
    shutil.copytree(folder / "assets" / "perimetres", outside)
    before = {p.name: p.read_bytes() for p in outside.iterdir()}
    shutil.rmtree(folder / "assets" / "perimetres")
    (folder / "assets" / "perimetres").symlink_to(outside)
    page = client.get(f"/t/{CASE}/modifier", params={"fichier": "convention.yaml",
                                                     "champ": "secteurs"}).text
    data = (outside / "la-bessee.geojson").read_bytes().replace(b"{", b"{ ", 1)
    r = client.post(f"/t/{CASE}/secteurs/la-bessee/perimetre", data={"csrf": form_of(page)["csrf"]},
                    files={"fichier": ("la-bessee.geojson", data, "application/geo+json")})
    assert r.status_code == 422 and "docgen n'écrit jamais au travers d'un lien" in html.unescape(r.text)
    assert {p.name: p.read_bytes() for p in outside.iterdir()} == before
