"""End to end in a real browser: Debian's chromium driven by Playwright, against the workspace
served by uvicorn on 127.0.0.1. Screenshots of every page go to tmp_path/captures (and to
$DOCGEN_CAPTURES when set, to look at them)."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"  # Debian's, installed by `make test` (scripts/install-system.sh)
assert Path(CHROMIUM).exists(), "chromium absent : make test l'installe (apt-get install chromium)"

import uvicorn  # noqa: E402
from playwright.sync_api import expect, sync_playwright  # noqa: E402

from docgen.web import create_app  # noqa: E402

EXAMPLE = Path(__file__).resolve().parent.parent / "cases" / "pays-des-ecrins"
CASE = "pays-des-ecrins"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def act_section(page: Any, title: str) -> Any:
    """An act's own section of the territory page (each act has one), by its title."""
    return page.locator("details.acte").filter(has=page.locator("summary", has_text=title))


@contextlib.contextmanager
def served(cases: Path) -> Iterator[str]:
    """The workspace on this folder of territories, in a thread, for the time of the block: its
    address."""
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(cases), host="127.0.0.1", port=port,
                                        log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    end = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < end, "le serveur ne démarre pas"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture()
def server(tmp_path: Path):
    # without its register of acts: a territory whose acts docgen has not issued yet, so that
    # the fiche edited below may still change the convention (tests/conftest.py, overlay_case)
    shutil.copytree(EXAMPLE, tmp_path / "cases" / CASE, ignore=shutil.ignore_patterns("actes"))
    with served(tmp_path / "cases") as base:
        yield base, tmp_path


def test_edit_check_build_download_avenant(server, tmp_path: Path) -> None:
    base, root = server
    shots = Path(os.environ.get("DOCGEN_CAPTURES") or tmp_path / "captures")
    shots.mkdir(parents=True, exist_ok=True)
    convention = root / "cases" / CASE / "convention.yaml"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, timeout=30_000)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900},
                                    accept_downloads=True, locale="fr-FR")
            page.set_default_timeout(15_000)

            def shot(name: str) -> None:
                page.screenshot(path=str(shots / f"{name}.png"), full_page=True)

            page.goto(base + "/")
            expect(page.get_by_role("heading", name="Vos territoires")).to_be_visible()
            shot("01-accueil")
            page.get_by_role("link", name="Ouvrir").click()
            expect(page.get_by_role("heading", name="Fiches actions")).to_be_visible()
            shot("02-territoire")

            # change a fiche's amount: a negative one is refused beside the field, live
            page.locator('a[href$="champ=fiches_actions[0]"]').click()
            amount = page.locator('input[name="fiches_actions[0].cout.montant"]')
            expect(amount).to_have_value("24000")
            amount.fill("-5")
            message = page.locator('.messages[data-pour="fiches_actions[0].cout.montant"]')
            expect(message).to_contain_text("doit être supérieur ou égal à 0, trouvé « -5 »")
            expect(amount).to_have_attribute("aria-invalid", "true")
            shot("03-fiche-montant-negatif")
            amount.fill("26000")
            expect(message).to_have_text("")
            expect(page.locator("[data-etat]")).to_contain_text("Aucune erreur")
            page.get_by_role("button", name="Enregistrer", exact=True).click()
            expect(page.locator("#enregistre")).to_contain_text("Enregistré dans convention.yaml")
            shot("04-fiche-enregistree")
            assert "cout: {montant: 26000, base: HT}" in convention.read_text()

            # build the convention with its PDF, download the PDF, look at its pages
            page.goto(base + f"/t/{CASE}")
            page.locator('input[name="doc"][value="convention"]').check()
            page.get_by_role("button", name="Produire").click()
            expect(page.locator("#etat")).to_contain_text("Production terminée", timeout=180_000)
            expect(page.locator("#controle")).to_contain_text("Contrôle réussi")
            shot("05-production")
            with page.expect_download() as info:
                page.locator('a[href$="/fichier/convention.pdf"]').first.click()
            pdf = Path(info.value.path()).read_bytes()
            assert pdf[:5] == b"%PDF-" and len(pdf) > 20_000
            page.locator('a[href$="/voir/convention.pdf"]').first.click()
            first = page.locator("figure img").first
            expect(first).to_be_visible()
            page.wait_for_function("Array.from(document.querySelectorAll('figure img')).slice(0, 6)"
                                   ".every(i => i.complete && i.naturalWidth > 0)",
                                   timeout=60_000)
            shot("06-apercu")

            # draft an avenant: the operations first, then the files
            page.goto(base + f"/t/{CASE}/avenant")
            expect(page.get_by_role("heading", name="Préparer l'avenant n° 2")).to_be_visible()
            shot("07-avenant")
            page.locator('input[name="avenant.objet"]').fill(
                "actualiser le coût de l'étude de programmation")
            page.locator('textarea[name="avenant.motifs"]').fill("Le coût de l'étude a été revu.")
            page.locator('input[name="fiches_actions[0].cout.montant"]').fill("30000")
            # its own délibérations (the État signs without one), never avenant n° 1's
            for i, (numero, day) in enumerate((("CP-2025-06-012", "2025-06-16"),
                                               ("2025-041", "2025-06-17"),
                                               ("2025-038", "2025-06-19")), start=1):
                here = f"avenant.signataires[{i}].deliberation"
                expect(page.locator(f'input[name="{here}.numero"]')).to_have_value("")
                page.locator(f'input[name="{here}.numero"]').fill(numero)
                page.locator(f'input[name="{here}.date"]').fill(day)
            expect(page.get_by_label("Approuvé par le COPIL du")).to_have_value("")
            page.get_by_role("button", name="Voir les modifications").click()
            expect(page.locator("#operations h2")).to_be_in_viewport()  # not 3,000 px above
            ops = page.locator("#operations pre")
            expect(ops).to_contain_text("operation: modifier_fiche")
            expect(ops).to_contain_text("montant: 30000")
            shot("08-avenant-operations")
            page.get_by_role("button", name="Créer l'avenant et produire les documents").click()
            expect(page.locator("#etat")).to_contain_text("Production terminée", timeout=180_000)
            # the results under their act, in words, each with its file's name beside it
            expect(page.get_by_role("heading", name="L'avenant n° 2")).to_be_visible()
            for name, path in (("Avenant n° 2 (Word)", "avenant-02.docx"),
                               ("Convention consolidée après l'avenant n° 2 (Word)",
                                "convention-consolidee-02.docx"),
                               ("Version révisée par l'avenant n° 2 (modifications suivies) "
                                "(Word)", "redline-avenant-02.docx")):
                link = page.get_by_role("link", name=name, exact=True)
                expect(link).to_be_visible()
                expect(link).to_have_attribute("href", f"/t/{CASE}/fichier/{path}")
            shot("09-avenant-produit")
            assert len(list((root / "cases" / CASE / "avenants").glob("02-*.yaml"))) == 1

            page.goto(base + f"/t/{CASE}/copil")
            shot("10-copil")
            page.locator('input[name="date"]').fill("2026-06-12")
            page.locator('input[name="objet"]').fill("Point d'étape du programme")
            page.get_by_role("button", name="Créer le COPIL").click()
            expect(page.get_by_role("heading", name=re.compile("Instantané des actions"))).to_be_visible()
            shot("10b-copil-instantane")
            page.goto(base + "/t/inconnu")
            shot("10c-introuvable")
            page.goto(base + "/")
            shot("11-accueil-apres")
        finally:
            browser.close()


def test_a_tab_in_a_file_is_found_and_fixed_in_its_text(server, tmp_path: Path) -> None:
    """The journey of a YAML syntax error, by clicks and typing only: the form says the file
    cannot be opened and leads to its text, which shows the faulty line; « Aller à la ligne »
    selects it, the line is typed again, saved; the form opens again."""
    base, root = server
    shots = Path(os.environ.get("DOCGEN_CAPTURES") or tmp_path / "captures")
    shots.mkdir(parents=True, exist_ok=True)
    territoire = root / "cases" / CASE / "territoire.yaml"
    lines = territoire.read_text(encoding="utf-8").split("\n")
    k = next(i for i, line in enumerate(lines) if line.startswith("  - id:"))
    lines[k] = "\t" + lines[k].lstrip(" ")  # a tab pasted from a word processor
    territoire.write_text("\n".join(lines), encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, timeout=30_000)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="fr-FR")
            page.set_default_timeout(15_000)
            page.goto(base + "/")
            page.get_by_role("link", name="Ouvrir").click()
            page.get_by_role("link", name="Parties et représentants").click()
            expect(page.get_by_role("heading", name=re.compile("ne peut pas être ouvert"))).to_be_visible()
            page.get_by_role("link", name="corrigez-la dans le texte du fichier").click()
            expect(page.get_by_role("heading", name="1 erreur dans ce fichier")).to_be_visible()
            expect(page.locator("pre mark")).to_contain_text(f"{k + 1:4d} │ ⇥")
            page.screenshot(path=str(shots / "texte-01-erreur.png"), full_page=True)
            page.get_by_role("button", name=f"Aller à la ligne {k + 1} dans le texte").click()
            page.keyboard.type("  " + lines[k].lstrip("\t"))
            page.get_by_role("button", name="Enregistrer").click()
            expect(page.locator("#enregistre")).to_contain_text("Enregistré dans territoire.yaml")
            expect(page.get_by_role("heading", name=re.compile("Aucune erreur"))).to_be_visible()
            page.screenshot(path=str(shots / "texte-02-corrige.png"), full_page=True)
            page.get_by_role("link", name=re.compile("Retour au territoire")).click()
            page.get_by_role("link", name="Parties et représentants").click()
            expect(page.get_by_role("heading", name=re.compile("Parties"))).to_be_visible()
        finally:
            browser.close()
    assert "\t" not in territoire.read_text(encoding="utf-8")


def _hidden_run(docx: bytes) -> bytes:
    """The DOCX with a run Word hides (w:vanish) in the first paragraph of its body."""
    import io
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                at = text.index("<w:r>", text.index("<w:body>"))
                text = (text[:at] + '<w:r><w:rPr><w:vanish/></w:rPr><w:t>clause cachée</w:t></w:r>'
                        + text[at:])
                data = text.encode("utf-8")
            dst.writestr(item, data)
    return out.getvalue()


def test_a_reviewed_docx_becomes_the_pdf_to_sign_in_the_browser(server, tmp_path: Path) -> None:
    """Legal staff's DOCX, by clicks only: a DOCX holding text Word hides is refused in French,
    naming where; the clean one becomes the PDF to sign, recorded, and downloaded."""
    base, root = server
    shots = Path(os.environ.get("DOCGEN_CAPTURES") or tmp_path / "captures")
    shots.mkdir(parents=True, exist_ok=True)
    folder = root / "cases" / CASE
    av = next((folder / "avenants").glob("01-*.yaml"))  # avenant n° 1 not signed yet
    av.write_text(av.read_text(encoding="utf-8").replace("  date: 2024-11-28\n", "", 1),
                  encoding="utf-8")
    clean = tmp_path / "Avenant 1 relu.docx"
    clean.write_bytes((EXAMPLE / "actes/avenant-01/texte.docx").read_bytes())
    hidden = tmp_path / "Avenant 1 relu (2).docx"
    hidden.write_bytes(_hidden_run(clean.read_bytes()))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, timeout=30_000)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="fr-FR",
                                    accept_downloads=True)
            page.set_default_timeout(30_000)
            page.goto(base + "/")
            page.get_by_role("link", name="Ouvrir").click()
            def act() -> Any:
                return act_section(page, "L'avenant n° 1")

            act().locator("summary").click()
            act().get_by_label("DOCX relu").set_input_files(str(hidden))
            act().get_by_role("button", name="Enregistrer le DOCX relu").click()
            refusal = page.locator("#acte-erreur")
            expect(refusal).to_contain_text("texte masqué")
            # where: its place and the paragraph's first words (the hidden ones too)
            expect(refusal).to_contain_text("paragraphe 2 (« clause cachéeCadre réservé")
            page.screenshot(path=str(shots / "relu-01-refus.png"), full_page=True)
            assert not (folder / "actes" / "avenant-01" / "emis.pdf").exists()
            if act().get_attribute("open") is None:
                act().locator("summary").click()
            act().get_by_label("DOCX relu").set_input_files(str(clean))
            act().get_by_role("button", name="Enregistrer le DOCX relu").click()
            expect(page.locator("#acte-rapport")).to_contain_text("PDF à signer enregistré au "
                                                                  "registre (relu)")
            page.screenshot(path=str(shots / "relu-02-enregistre.png"), full_page=True)
            if act().get_attribute("open") is None:
                act().locator("summary").click()
            with page.expect_download() as got:
                act().get_by_role("link", name="Télécharger le PDF émis pour signature").click()
            pdf = Path(got.value.path()).read_bytes()
        finally:
            browser.close()
    assert pdf.startswith(b"%PDF") and pdf == (folder / "actes/avenant-01/emis.pdf").read_bytes()
