"""Builds started from the web workspace run in worker processes with a real time limit: a
template that loops forever is stopped with a French message, and the workspace goes on."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pytest

pytest.importorskip("starlette")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient  # noqa: E402

from docgen.templating import PACKAGE  # noqa: E402
from docgen.web import create_app  # noqa: E402

from .test_web import CASE, EXAMPLE, form_of, wait_job  # noqa: E402

ENDLESS = ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}"
           "{% endfor %}")


def _build(client: TestClient) -> str:
    csrf = form_of(client.get(f"/t/{CASE}").text)["csrf"]
    r = client.post(f"/t/{CASE}/construire", data={"csrf": csrf, "doc": "convention"},
                    follow_redirects=False)
    assert r.status_code == 303
    return wait_job(client, r.headers["location"])


def test_a_template_that_never_ends_is_stopped_and_the_workspace_goes_on(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    shutil.copytree(EXAMPLE, cases / CASE)
    labels = cases / CASE / "templates" / "commun" / "libelles.j2"
    labels.parent.mkdir(parents=True, exist_ok=True)
    original = (PACKAGE / "commun" / "libelles.j2").read_text(encoding="utf-8")
    labels.write_text(ENDLESS + original, encoding="utf-8")
    app = create_app(cases, build_limit=4)
    client = TestClient(app, base_url="http://127.0.0.1")
    try:
        text = _build(client)
        assert "arrêté au bout de 4 s" in text and "modèle qui tourne sans fin" in text
        assert client.get("/").status_code == 200  # the workspace still answers
        assert not (tmp_path / "output" / CASE / "convention.docx").exists()
        labels.write_text(original, encoding="utf-8")  # fixed: the next build goes through
        app.state.workspace.build_limit = 300  # (a busy machine: the real limit, again)
        text = _build(client)
        assert "Production terminée" in text, text[-2000:]
        assert (tmp_path / "output" / CASE / "convention.docx").is_file()
    finally:
        app.state.workspace.pool.close()


def test_a_hand_edited_document_blocks_only_itself_and_can_be_replaced(tmp_path: Path) -> None:
    """Issue 27, item 3: the convention's DOCX edited by hand is kept as it is while the
    adhésion is made; the page lists it as kept (not as écarts of the check) and offers to
    replace it, a copy « .modifie » kept beside it."""
    cases = tmp_path / "cases"
    shutil.copytree(EXAMPLE, cases / CASE, ignore=shutil.ignore_patterns("actes"))
    app = create_app(cases)
    client = TestClient(app, base_url="http://127.0.0.1")
    out = tmp_path / "output" / CASE
    try:
        assert "Production terminée" in _build(client)
        edited = (out / "convention.docx").read_bytes() + b"retouche"
        (out / "convention.docx").write_bytes(edited)
        csrf = form_of(client.get(f"/t/{CASE}").text)["csrf"]
        r = client.post(f"/t/{CASE}/construire", data={"csrf": csrf,
                                                       "doc": ["convention", "adhesion"]},
                        follow_redirects=False)
        text = wait_job(client, r.headers["location"])
        assert "Production terminée" in text and "gardés tels quels" in text, text[-2000:]
        assert (out / "convention.docx").read_bytes() == edited
        assert (out / "adhesion.docx").is_file()  # the others are made
        assert "écart" not in text.split('id="controle"')[1][:300]  # kept, not an écart
        import re

        fields: dict[str, list[str]] = {}
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"',
                                      text.split('id="retouches"')[1]):
            fields.setdefault(name, []).append(value)
        assert fields["doc"] == ["convention", "adhesion"] and fields["remplacer"] == ["oui"]
        r = client.post(f"/t/{CASE}/construire", data=fields, follow_redirects=False)
        text = wait_job(client, r.headers["location"])
        assert "Production terminée" in text, text[-2000:]
        assert (out / "convention.docx").read_bytes() != edited
        assert (out / "convention.modifie.docx").read_bytes() == edited
    finally:
        app.state.workspace.pool.close()


def test_a_builds_progress_comes_document_by_document_as_server_sent_events(tmp_path: Path) -> None:
    """Each document the build plans is said once made, from whichever process made it, then
    the end: the page follows them without polling (Chromium test: test_web_browser.py)."""
    import html
    import json

    from .test_web import form_of

    cases = tmp_path / "cases"
    shutil.copytree(EXAMPLE, cases / CASE)
    app = create_app(cases)
    client = TestClient(app, base_url="http://127.0.0.1")
    try:
        csrf = form_of(client.get(f"/t/{CASE}").text)["csrf"]
        r = client.post(f"/t/{CASE}/construire", data={"csrf": csrf, "doc": ["convention", "copil"],
                                                        "pdf": "oui"}, follow_redirects=False)
        page = client.get(r.headers["location"]).text
        assert "data-suivi=" in page and 'http-equiv="refresh"' in page  # inside <noscript>
        events: list[tuple[str, object]] = []
        kind = ""
        with client.stream("GET", r.headers["location"] + "/suivi") as stream:
            assert stream.headers["content-type"].startswith("text/event-stream")
            for line in stream.iter_lines():
                if line.startswith("event: "):
                    kind = line[7:]
                elif line.startswith("data: "):
                    events.append((kind, json.loads(line[6:])))
                    if kind == "fin":
                        break
        assert events[0][0] == "prevus" and events[-1] == ("fin", "fini"), events[-3:]
        planned = events[0][1]
        made = [d for k, d in events if k == "fait"]
        assert sorted(made) == sorted(planned)  # each one once
        assert "convention.docx" in made and "convention.pdf" in made
        assert any(d.startswith("copil-2024-11-08/") for d in made)
        done = html.unescape(client.get(r.headers["location"]).text)
        assert "Production terminée" in done and "data-suivi" not in done
        # the results by act and COPIL, in words (as docgen status names them)
        assert '<h2 class="groupe">La convention-cadre ORT</h2>' in done
        assert '<h2 class="groupe">Le COPIL du 8 novembre 2024</h2>' in done
        assert ">Convention-cadre (Word)</a> <small class=\"chemin\">convention.docx</small>" in done
        assert ">Dossier de séance (PDF)</a>" in done
        territory = html.unescape(client.get(f"/t/{CASE}").text)
        assert '<th colspan="3" scope="rowgroup">Le COPIL du 16 janvier 2026</th>' in territory
    finally:
        app.state.workspace.pool.close()
