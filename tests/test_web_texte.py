"""A case file's YAML text edited in the browser: each problem shown at its line (the faulty
line marked, the column pointed at), nothing written while the text adds an error, a copy of
the old version kept, a change made meanwhile on disk never overwritten."""

from __future__ import annotations

import html
import re

from .test_web import CASE, cases, client, form_of  # noqa: F401  (fixtures)


def _textarea(page: str) -> str:
    found = re.search(r'<textarea id="texte"[^>]*>\n(.*?)</textarea>', page, re.S)
    assert found, page[-2000:]
    return html.unescape(found.group(1))


def _open(client, rel: str = "convention.yaml") -> tuple[str, dict[str, str]]:  # noqa: F811
    r = client.get(f"/t/{CASE}/texte?fichier={rel}")
    assert r.status_code == 200
    return r.text, form_of(r.text)


def test_the_text_is_shown_checked_and_saved_with_a_copy_of_the_old(client, cases) -> None:  # noqa: F811
    page, form = _open(client)
    path = cases / CASE / "convention.yaml"
    assert _textarea(page) == path.read_text(encoding="utf-8")  # every character, as on disk
    assert "Aucune erreur dans ce fichier" in page
    changed = _textarea(page).replace("intitule: Habitat – Logement",
                                      "intitule: Habitat et logement", 1)
    assert changed != _textarea(page)
    r = client.post(f"/t/{CASE}/texte", data={**form, "texte": changed.replace("\n", "\r\n"),
                                              "action": "enregistrer"})
    assert r.status_code == 200 and "Enregistré dans convention.yaml" in r.text
    assert path.read_text(encoding="utf-8") == changed  # the browser's CRLF written as LF
    backups = list((cases / CASE / ".sauvegardes").glob("convention.yaml.*"))
    assert len(backups) == 1 and "Habitat – Logement" in backups[0].read_text("utf-8")


def test_a_tab_is_shown_at_its_line_and_nothing_is_written(client, cases) -> None:  # noqa: F811
    page, form = _open(client)
    path = cases / CASE / "convention.yaml"
    before = path.read_bytes()
    lines = _textarea(page).split("\n")
    n = next(k for k, line in enumerate(lines) if line.startswith("  - numero: 3")) + 1
    lines[n] = "\t" + lines[n].lstrip(" ")  # a tab where two spaces indent the fiche
    broken = "\n".join(lines)
    r = client.post(f"/t/{CASE}/texte", data={**form, "texte": broken, "action": "verifier"})
    assert r.status_code == 200
    assert re.search(rf"<strong>Ligne {n + 1}, colonne \d+</strong>", r.text), r.text[-3000:]
    assert f"{n + 1:4d} │ " in html.unescape(r.text) and "<mark>" in r.text and "^ ici" in r.text
    assert _textarea(r.text) == broken  # what was typed stays on the page
    r = client.post(f"/t/{CASE}/texte", data={**form, "texte": broken, "action": "enregistrer"})
    assert r.status_code == 422 and "Rien n'a été enregistré" in html.unescape(r.text)
    assert path.read_bytes() == before
    assert _textarea(r.text) == broken


def test_a_change_made_meanwhile_is_never_overwritten(client, cases) -> None:  # noqa: F811
    page, form = _open(client)
    path = cases / CASE / "convention.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# changé ailleurs\n", encoding="utf-8")
    mine = _textarea(page) + "# le mien\n"
    r = client.post(f"/t/{CASE}/texte", data={**form, "texte": mine, "action": "enregistrer"})
    assert r.status_code == 409 and "modifié sur le disque" in r.text
    assert path.read_text(encoding="utf-8").endswith("# changé ailleurs\n")
    assert _textarea(r.text) == mine


def test_only_the_case_files_can_be_opened(client) -> None:  # noqa: F811
    for rel in ("../../etc/passwd", "assets/logos/x.svg", "output/convention.docx",
                "avenants/../../x.yaml", "registre.yaml", ""):
        assert client.get(f"/t/{CASE}/texte", params={"fichier": rel}).status_code == 404, rel
        form = {"fichier": rel, "texte": "x", "version": "", "action": "enregistrer"}
        assert client.post(f"/t/{CASE}/texte", data=form).status_code in (403, 404), rel


def test_an_unreadable_file_leads_to_its_text(client, cases) -> None:  # noqa: F811
    path = cases / CASE / "territoire.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("\n  ", "\n\t", 1), encoding="utf-8")
    r = client.get(f"/t/{CASE}/modifier", params={"fichier": "territoire.yaml", "champ": "parties"})
    assert r.status_code == 422
    assert f'href="/t/{CASE}/texte?fichier=territoire.yaml"' in r.text
    page, _ = _open(client, "territoire.yaml")
    assert "<mark>" in page and "erreur" in page
