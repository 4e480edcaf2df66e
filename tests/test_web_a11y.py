"""The workspace's pages against WCAG 2.1 AA, the level the RGAA asks of French public bodies:
axe-core (axe-playwright-python) in Debian's chromium finds no violation on any page the
journeys visit, including a form with its financing table, a file's text with an error shown,
and the pages of an avenant and a COPIL."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

from .test_web_browser import ARGS, CASE, CHROMIUM, EXAMPLE, served

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}

PAGES = [
    "/",
    f"/t/{CASE}",
    f"/t/{CASE}/modifier?fichier=convention.yaml&champ=fiches_actions[11]",  # its financing rows
    f"/t/{CASE}/modifier?fichier=convention.yaml&champ=secteurs",
    f"/t/{CASE}/modifier?fichier=convention.yaml&champ=signataires",
    f"/t/{CASE}/modifier?fichier=territoire.yaml&champ=parties",
    f"/t/{CASE}/texte?fichier=territoire.yaml",
    f"/t/{CASE}/avenant",
    f"/t/{CASE}/copil",
    f"/t/{CASE}/controle",
    f"/t/{CASE}/page-inconnue",
]


@pytest.fixture()
def server(tmp_path: Path):
    shutil.copytree(EXAMPLE, tmp_path / "cases" / CASE)
    with served(tmp_path / "cases") as base:
        yield base, tmp_path / "cases" / CASE


def test_no_page_has_a_wcag_21_aa_violation(server) -> None:
    server, folder = server
    axe = Axe()
    found: dict[str, list[str]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, timeout=30_000)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="fr-FR")
            for url in PAGES:
                page.goto(server + url)
                result = axe.run(page, options=WCAG_21_AA)
                found[url] = [f"{v['id']} ({len(v['nodes'])}) : {v['help']} — "
                              f"{v['nodes'][0]['html'][:120]}"
                              for v in result.response["violations"]]
                assert result.response["passes"], url  # axe really looked at the page
            # a build's page while it runs and once done, then a PDF's preview: by clicks
            page.goto(server + f"/t/{CASE}")
            page.get_by_label("la convention ORT").check()
            page.get_by_role("button", name="Produire").click()
            for label in ("production", "production terminée"):
                if label == "production terminée":
                    page.get_by_text("Production terminée").wait_for(timeout=120_000)
                result = axe.run(page, options=WCAG_21_AA)
                found[label] = [v["id"] for v in result.response["violations"]]
            page.get_by_role("link", name="aperçu").first.click()
            result = axe.run(page, options=WCAG_21_AA)
            found["aperçu"] = [v["id"] for v in result.response["violations"]]
            # a file with a tab: its form refused, its text with the error at its line
            territoire = folder / "territoire.yaml"
            territoire.write_text(territoire.read_text(encoding="utf-8").replace(
                "\n  - id:", "\n\t- id:", 1), encoding="utf-8")
            for url in (f"/t/{CASE}/modifier?fichier=territoire.yaml&champ=parties",
                        f"/t/{CASE}/texte?fichier=territoire.yaml", f"/t/{CASE}"):
                page.goto(server + url)
                result = axe.run(page, options=WCAG_21_AA)
                found[url + " (erreur)"] = [v["id"] for v in result.response["violations"]]
        finally:
            browser.close()
    assert {u: v for u, v in found.items() if v} == {}
