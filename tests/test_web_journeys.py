"""More journeys of the web workspace in Debian's chromium, by clicks and typing only, each
with screenshots under DOCGEN_CAPTURES (`make captures`) when set."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect, sync_playwright

from .conftest import EXAMPLE, overlay_case
from .signing import person_signer, sign_as
from .test_acts import AVENANT_SIGNERS
from .test_web_browser import ARGS, CASE, CHROMIUM, act_section, served


@pytest.fixture()
def signed_case(tmp_path: Path):
    """The example with its register (its acts signed, no original imported yet), served."""
    overlay_case(tmp_path / "cases" / CASE, None, EXAMPLE, registre=True)
    with served(tmp_path / "cases") as base:
        yield base, tmp_path


def test_the_signed_original_comes_back_and_its_verification_is_read(signed_case) -> None:
    """The PDF back from the parapheur, signed by the avenant's four signatories: chosen in the
    avenant's section, verified, recorded; the page reports each signature, then the act's
    state says so and offers no second import."""
    base, root = signed_case
    shots = Path(os.environ.get("DOCGEN_CAPTURES") or root / "captures")
    shots.mkdir(parents=True, exist_ok=True)
    issued = (EXAMPLE / "actes/avenant-01/emis.pdf").read_bytes()
    signed = root / "Avenant n° 1 signé.pdf"
    signed.write_bytes(sign_as(issued, [(f, person_signer(n)) for f, n in AVENANT_SIGNERS.items()]))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, timeout=30_000)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="fr-FR")
            page.set_default_timeout(60_000)
            page.goto(base + "/")
            page.get_by_role("link", name="Ouvrir").click()

            def act() -> Any:
                return act_section(page, "L'avenant n° 1")

            act().locator("summary").click()
            act().get_by_label("électroniquement").check()
            act().get_by_label("Fichier PDF").set_input_files(str(signed))
            page.screenshot(path=str(shots / "original-01-choisi.png"), full_page=True)
            act().get_by_role("button", name="Vérifier et enregistrer l'original").click()
            # signed today (the test's signatures), while the case says 28 November 2024: said
            refusal = page.locator("#acte-erreur")
            expect(refusal).to_contain_text("d'après les signatures, mais le dossier indique le "
                                            "28 novembre 2024")
            expect(refusal).to_contain_text("Rien n'a été enregistré au registre")
            page.screenshot(path=str(shots / "original-02-date.png"), full_page=True)
            # the date the case keeps, typed as people type it, in the date picker
            act().get_by_label("électroniquement").check()
            act().get_by_label("Fichier PDF").set_input_files(str(signed))
            act().get_by_label("Date de signature").fill("2024-11-28")
            act().get_by_role("button", name="Vérifier et enregistrer l'original").click()
            report = page.locator("#acte-rapport")
            expect(report).to_contain_text("original signé électroniquement enregistré au registre")
            for name in AVENANT_SIGNERS.values():
                expect(report).to_contain_text(name)
            expect(report).to_contain_text("non vérifiée")  # the trust chain: said, not hidden
            page.screenshot(path=str(shots / "original-03-verifie.png"), full_page=True)
            expect(page.locator("#acte-avenant-01")).to_contain_text("original vérifié (4 signature(s)")
            expect(act().get_by_label("Fichier PDF")).to_have_count(0)  # no second import
        finally:
            browser.close()
    assert (root / "cases" / CASE / "actes/avenant-01/original.pdf").read_bytes() == signed.read_bytes()


def test_a_fiche_is_changed_and_its_convention_produced_by_keyboard_alone(tmp_path: Path) -> None:
    """Keyboard only, as someone who cannot use a mouse: Tab to the fiche's « Modifier »,
    Enter, type the amount as it is said, save, back to the territory, tick the convention,
    produce it; focus is always visible where it lands."""
    overlay_case(tmp_path / "cases" / CASE, None, EXAMPLE)  # a first year: no act signed yet

    def tab_to(page: Any, predicate: str, limit: int = 400) -> None:
        """Press Tab until the focused element satisfies `predicate` (a JS expression on `e`)."""
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(f"(() => {{ const e = document.activeElement; return !!({predicate}); }})()"):
                # where the focus lands can be seen (a focus ring, never `outline: none`)
                assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") \
                    != "none", predicate
                return
        raise AssertionError(f"jamais atteint au clavier : {predicate}")

    with served(tmp_path / "cases") as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, timeout=30_000)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="fr-FR")
            page.set_default_timeout(30_000)
            page.goto(base + "/")
            tab_to(page, "e.textContent.trim() === 'Ouvrir'")
            page.keyboard.press("Enter")
            page.wait_for_url(f"**/t/{CASE}")
            tab_to(page, "e.getAttribute('aria-label') === 'Modifier la fiche n° 1'")
            page.keyboard.press("Enter")
            page.wait_for_url("**/modifier**")
            tab_to(page, "e.name === 'fiches_actions[0].cout.montant'")
            page.keyboard.press("Control+A")
            page.keyboard.type("26 500 €")
            tab_to(page, "e.tagName === 'BUTTON' && e.textContent.trim() === 'Enregistrer'")
            page.keyboard.press("Enter")
            expect(page.locator("#enregistre")).to_contain_text("Enregistré dans convention.yaml")
            page.evaluate("document.body.focus()")  # from the page's top
            tab_to(page, f"e.tagName === 'A' && e.getAttribute('href') === '/t/{CASE}'")
            page.keyboard.press("Enter")
            page.wait_for_url(f"**/t/{CASE}")
            tab_to(page, "e.name === 'doc' && e.value === 'convention'")
            page.keyboard.press("Space")
            tab_to(page, "e.tagName === 'BUTTON' && e.textContent.trim() === 'Produire'")
            page.keyboard.press("Enter")
            expect(page.locator("#etat")).to_contain_text("Production terminée", timeout=180_000)
        finally:
            browser.close()
    text = (tmp_path / "cases" / CASE / "convention.yaml").read_text(encoding="utf-8")
    assert "cout: {montant: 26500, base: HT}" in text  # typed as said, written back plainly


def test_a_representative_is_added_then_removed_by_clicks(signed_case) -> None:
    """A new prefect for the State: « Ajouter une ligne » under its representatives, the
    fields typed (the start of office with the date picker), saved; then « Retirer » and saved
    again: the file is as before, save its formatting."""
    import yaml

    base, root = signed_case
    territoire = root / "cases" / CASE / "territoire.yaml"
    before = yaml.safe_load(territoire.read_text(encoding="utf-8"))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, timeout=30_000)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="fr-FR")
            page.set_default_timeout(30_000)
            page.goto(base + "/")
            page.get_by_role("link", name="Ouvrir").click()
            page.get_by_role("link", name="Parties et représentants").click()
            page.locator('button[value="ajouter:parties[0].representants"]').click()
            names = page.locator('input[name^="parties[0].representants["][name$="].nom"]')
            new = names.nth(names.count() - 1)
            expect(new).to_have_value("")
            row = new.get_attribute("name").rsplit(".", 1)[0]
            page.locator(f'select[name="{row}.civilite"]').select_option("Mme")
            new.fill("Dominique DUPONT")
            page.locator(f'input[name="{row}.fonction"]').fill("Préfète des Hautes-Alpes")
            page.locator(f'input[name="{row}.du"]').fill("2026-09-01")
            page.get_by_role("button", name="Enregistrer", exact=True).click()
            expect(page.locator("#enregistre")).to_contain_text("Enregistré dans territoire.yaml")
            added = yaml.safe_load(territoire.read_text(encoding="utf-8"))["parties"][0]
            assert added["representants"][-1] == {"civilite": "Mme", "nom": "Dominique DUPONT",
                                                  "fonction": "Préfète des Hautes-Alpes",
                                                  "du": __import__("datetime").date(2026, 9, 1)}
            page.locator(f'input[name="{row}.__supprimer"]').check()
            page.get_by_role("button", name="Enregistrer", exact=True).click()
            expect(page.locator("#enregistre")).to_contain_text("Enregistré dans territoire.yaml")
        finally:
            browser.close()
    assert yaml.safe_load(territoire.read_text(encoding="utf-8")) == before
