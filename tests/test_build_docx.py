"""The convention and the convention d'adhésion as Word documents legal staff can review."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document

from docgen.output import sha256_file
from docgen.templating import docx_text
from tests.conftest import EXAMPLE, overlay_case
from tests.docx_helpers import all_xml, body_texts, styled

NB = "\u00a0"
SEED_TITLES = [  # as the reader sees them (typographic apostrophe)
    "Développement d’une offre sur la Maison Planche",
    "Animation autour de l’Habitat – Journée de l’Habitat",
    "Rénovation des logements communaux et saisonniers",
    "Aménagement du centre-bourg – Zone A",
    "Aménagement du centre-bourg – Zone B",
    "Aménagement du centre-bourg – Zone C",
    "Réseau de chaleur",
    "Signalétique des parkings",
    "Rénovation de devantures de locaux commerciaux",
    "Maison de l’artisanat et de produits locaux",
    "Réhabilitation de bâtiments de services publics",
    "Requalification du Quartier de la Gare",
    "Aire de covoiturage",
    "Valorisation du territoire",
]


def test_build_writes_both_documents_and_a_manifest(built: Path) -> None:
    assert (built / "convention.docx").is_file()
    assert (built / "adhesion.docx").is_file()
    manifest = json.loads((built / "manifest.json").read_text())
    for name in ("convention.docx", "adhesion.docx"):
        assert manifest["outputs"][name]["sha256"] == sha256_file(built / name)
    assert {"convention.docx", "adhesion.docx", "avenant.docx", "convocation.docx",
            "compte-rendu.docx"} <= set(manifest["templates"])
    assert "convention.yaml" in manifest["inputs"]


def test_parties_block_in_order_with_deliberations(built: Path) -> None:
    parties = styled(built / "convention.docx", "Partie")
    assert parties[1].startswith(f"La Communauté de communes du Pays des Écrins, représentée par "
                                 f"M.{NB}Cyrille DRUJON D’ASTROS")
    assert f"délibération du conseil municipal n°{NB}2023-018 en date du 9{NB}mars 2023" in parties[0]
    assert parties[2] == (
        f"L’État, représenté par Mme{NB}Dalila ZANE, sous-préfète de Briançon, agissant pour le "
        f"préfet des Hautes-Alpes et par délégation en vertu de l’arrêté n°{NB}05-2022-09-05-00001 "
        f"du 5{NB}septembre 2022 portant délégation de signature, publié au recueil des actes "
        f"administratifs de la préfecture des Hautes-Alpes le 6{NB}septembre 2022, ci-après désigné "
        f"«{NB}l’État{NB}»,"
    )
    liaisons = styled(built / "convention.docx", "Liaison")
    assert liaisons == ["ENTRE", "d’une part,", "ET", "d’autre part,", "EN PRÉSENCE DE",
                        f"IL EST CONVENU CE QUI SUIT{NB}:"]


def test_articles_are_numbered_in_template_order(built: Path) -> None:
    heads = styled(built / "convention.docx", "Titre article")
    assert heads[0] == f"Article{NB}1er – Objet de la convention"
    assert heads[-1] == f"Article{NB}17 – Litiges"
    assert [h.split(" – ")[0] for h in heads] == [f"Article{NB}1er"] + [
        f"Article{NB}{n}" for n in range(2, 18)]
    text = "\n".join(body_texts(built / "convention.docx"))
    assert f"le plan d’action (article{NB}6)" in text
    assert f"comité de projet prévu à l’article{NB}10." in text


def test_every_fiche_has_its_sheet_with_the_seed_title(built: Path) -> None:
    fiches = styled(built / "convention.docx", "Titre fiche")
    assert fiches == [f"Fiche action n°{NB}{i} – {t}" for i, t in enumerate(SEED_TITLES, start=1)]


def test_totals_and_amount_in_words(built: Path) -> None:
    text = "\n".join(body_texts(built / "convention.docx"))
    assert f"2{NB}768{NB}550{NB}€{NB}HT" in text  # « € HT » never split across lines
    assert ("deux millions sept cent soixante-huit mille cinq cent cinquante euros "
            f"(2{NB}768{NB}550{NB}€{NB}HT). Les financements prévus") in text  # not « (…) (HT) »
    assert f"reste à financer : 48{NB}110{NB}€" not in text  # that wording is for check, not the act
    assert f"48{NB}110{NB}€" in text  # the shortfall of action 13 is shown in the maquette


def test_signature_blocks_in_signing_order(built: Path) -> None:
    doc = built / "convention.docx"
    # one order everywhere: the title's (communes, EPCI), then the État and the other signatories
    assert styled(doc, "Signature partie") == ["Pour la Commune,", "Pour la Communauté de communes,",
                                               "Pour l’État,", "Pour le Département,"]
    assert styled(doc, "Signature nom") == ["Alain SANCHEZ", "Cyrille DRUJON D’ASTROS",
                                            "Dalila ZANE", "Jean-Marie BERNARD"]
    assert (f"Pour le préfet des Hautes-Alpes et par délégation (arrêté n°{NB}05-2022-09-05-00001 "
            f"du 5{NB}septembre 2022),") in styled(doc, "Signature qualite")
    assert styled(doc, "Fait a") == [
        f"Fait à L’Argentière-La Bessée, le 14{NB}avril 2023, en quatre exemplaires originaux."]


def test_adhesion_has_its_own_signatories(built: Path) -> None:
    doc = built / "adhesion.docx"
    assert styled(doc, "Signature nom") == ["Patrick VIGNE", "Cyrille DRUJON D’ASTROS",
                                            "Joël GIRAUD", "Martine CLAVEL", "Jean-Marie BERNARD"]
    text = "\n".join(body_texts(doc))
    assert f"dix-huit (18) mois, soit au plus tard le 7{NB}novembre 2022" in text
    assert (f"Le poste peut être cofinancé, dans la limite de 75{NB}%, par l’Anah et la Banque des "
            f"Territoires, selon leurs règles et sur leurs décisions{NB}; le reste est à la charge "
            "de la Communauté de communes." in text)  # partners only present: nothing binds them
    parties = styled(doc, "Partie")
    assert any(f"représenté par M.{NB}Joël GIRAUD, secrétaire d’État chargé de la ruralité, et par "
               f"Mme{NB}Martine CLAVEL, préfète des Hautes-Alpes" in p for p in parties)


def test_no_template_tag_survives_in_any_part(built: Path) -> None:
    for name in ("convention.docx", "adhesion.docx"):
        for part, xml in all_xml(built / name).items():
            for marker in ("{{", "{%", "}}", "%}"):
                assert marker not in xml, (name, part, marker)


def test_footer_has_title_and_page_fields(built: Path) -> None:
    xml = all_xml(built / "convention.docx")
    footer = "".join(v for k, v in xml.items() if "footer" in k)
    assert "Convention-cadre PVD valant ORT – L’Argentière-La Bessée – page" in footer
    assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer


def test_core_properties_come_from_the_case(built: Path) -> None:
    props = Document(str(built / "convention.docx")).core_properties
    assert props.title == "Convention-cadre PVD valant ORT"
    assert props.author == "La Communauté de communes du Pays des Écrins"
    assert props.created.date().isoformat() == "2023-04-14"
    assert props.language == "fr-FR"


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_two_builds_are_byte_identical(built: Path, rebuilt: Path) -> None:
    """Every file of a second build (DOCX, PDF, manifest) is the same bytes as the first: the
    first spread over processes (docgen build), the second one document after the other."""
    first, second = files_of(built), files_of(rebuilt)
    assert sorted(first) == sorted(second)
    assert {"convention.docx", "convention.pdf", "manifest.json", "redline-avenant-01.docx",
            "copil-2026-01-16/pack.pdf"} <= set(first)
    for name in first:
        assert first[name] == second[name], name


HOSTILE = "Halle & marché <couvert> \"L'Ancienne\" {{ 7*7 }} {% if 1 %}x{% endif %} {_{ y }_} <w:p/> Ω ∑"
# what a reader sees: every character as typed, in French typography (apostrophe, guillemets,
# a no-break space between a number and « % »)
SEEN = ("Halle & marché <couvert> «\u00a0L’Ancienne\u00a0» {{ 7*7 }} {% if 1\u00a0%}x{% endif %} "
        "{_{ y }_} <w:p/> Ω ∑")


def test_case_values_print_exactly_as_typed(tmp_path: Path) -> None:
    from docgen.pipeline import build
    from docgen.plan import BuildOptions

    case = overlay_case(tmp_path / "hostile", None)
    conv = case / "convention.yaml"
    quoted = "'" + HOSTILE.replace("'", "''") + "'"
    text = conv.read_text().replace("intitule: Rénovation de la halle", f"intitule: {quoted}")
    text = text.replace("communes: [bourg]", f"titre: {quoted}\ncommunes: [bourg]")
    conv.write_text(text)
    build(case, BuildOptions(out=tmp_path / "out"))
    docx = tmp_path / "out/hostile/convention.docx"
    texts = body_texts(docx)
    assert f"Fiche action n°{NB}1 – {SEEN}" in texts
    assert SEEN in texts
    assert Document(str(docx)).core_properties.subject == SEEN  # not double-escaped


def test_draft_and_final(tmp_path: Path, run) -> None:
    case = overlay_case(tmp_path / "essai", None)
    conv = case / "convention.yaml"
    conv.write_text(conv.read_text().replace("  date: 2024-01-15\n", ""))
    assert run("build", case, "--no-pdf", "--out", tmp_path / "o1").code == 0
    doc = tmp_path / "o1/essai/convention.docx"
    assert styled(doc, "Mention projet") == ["PROJET"]
    assert styled(doc, "Fait a") == [
        "Fait à Bourg-d’Essai, le ……………………, en trois exemplaires originaux."]
    header = "".join(v for k, v in all_xml(doc).items() if "header" in k)
    assert "PROJET – document de travail non signé" in header
    assert Document(str(doc)).core_properties.title.startswith("PROJET – ")
    assert run("build", case, "--no-pdf", "--out", tmp_path / "o2", "--final").code == 0
    assert styled(tmp_path / "o2/essai/convention.docx", "Mention projet") == []
    # a signed act stays as signed, even when the whole build is asked as a draft
    assert run("build", EXAMPLE, "--no-pdf", "--out", tmp_path / "o3", "--draft",
               "--doc", "convention").code == 0
    signed = tmp_path / "o3/pays-des-ecrins/convention.docx"
    assert styled(signed, "Mention projet") == []
    assert signed.read_bytes() == (EXAMPLE / "actes/convention/texte.docx").read_bytes()


def test_electronic_signature_drops_the_originals_count(tmp_path: Path, run) -> None:
    case = overlay_case(tmp_path / "essai", None)
    conv = case / "convention.yaml"
    conv.write_text(conv.read_text().replace("  date: 2024-01-15\n", "  date: 2024-01-15\n  mode: electronique\n"))
    assert run("build", case, "--out", tmp_path / "o").code == 0
    assert styled(tmp_path / "o/essai/convention.docx", "Fait a") == [
        f"Fait à Bourg-d’Essai, le 15{NB}janvier 2024."]


def test_adding_an_article_renumbers_headings_and_references(tmp_path: Path, run) -> None:
    from docgen.templating import PACKAGE as BUILTIN

    case = overlay_case(tmp_path / "essai", None)
    (case / "templates/docx").mkdir(parents=True)
    template = case / "templates/docx/convention.docx"
    doc = Document(str(BUILTIN / "docx/convention.docx"))
    heads = [p for p in doc.paragraphs if p.style.name == "Titre article"]
    heads[1].insert_paragraph_before("Article\u00a0{{ article.nouveau|article }} – Article ajouté",
                                     "Titre article")
    doc.save(str(template))
    titles = [line for line in docx_text(template).splitlines() if line.startswith("[Titre article]")]
    assert titles[1:3] == [  # the template as saved: the new heading, before the second article
        "[Titre article] Article·{{ article.nouveau|article }} – Article ajouté",
        "[Titre article] Article·{{ article.diagnostic|article }} – Diagnostic du territoire"]
    assert run("build", case, "--out", tmp_path / "o", "--doc", "convention").code == 0
    out = tmp_path / "o/essai/convention.docx"
    titles = styled(out, "Titre article")
    assert titles[1] == f"Article{NB}2 – Article ajouté"
    assert titles[2] == f"Article{NB}3 – Diagnostic du territoire"
    text = "\n".join(body_texts(out))
    assert f"le plan d’action (article{NB}7)" in text  # was article 6


def test_building_one_kind_updates_the_manifest(built_copy: Path, tmp_path: Path, run) -> None:
    # into an empty folder: one kind, then another; both are in the manifest
    assert run("build", EXAMPLE, "--out", tmp_path / "o", "--doc", "adhesion", "--no-pdf").code == 0
    assert run("build", EXAMPLE, "--out", tmp_path / "o", "--doc", "convention",
               "--no-pdf").code == 0
    manifest = json.loads((tmp_path / "o/pays-des-ecrins/manifest.json").read_text())
    assert set(manifest["outputs"]) == {"convention.docx", "convention-parcelles.csv",
                                        "adhesion.docx"}
    # over a complete build (PDFs included): every other entry is kept as it was
    before = json.loads((built_copy / "manifest.json").read_text())["outputs"]
    assert run("build", EXAMPLE, "--out", built_copy.parent, "--doc", "adhesion",
               "--no-pdf").code == 0
    after = json.loads((built_copy / "manifest.json").read_text())["outputs"]
    assert set(after) == set(before) and "convention.pdf" in after
    assert {k: v for k, v in after.items() if k != "adhesion.docx"} == {
        k: v for k, v in before.items() if k != "adhesion.docx"}
    for name, entry in after.items():
        assert entry["sha256"] == sha256_file(built_copy / name), name


def test_hand_edited_output_is_never_overwritten_silently(built_copy: Path, run) -> None:
    """An edited document is never replaced without --force; it blocks only itself (issue 27,
    item 3): the build writes the others and says which it kept."""
    tmp_path = built_copy.parent
    target = built_copy / "convention.docx"
    original = target.read_bytes()
    edited = original + b"edit"
    target.write_bytes(edited)
    before = files_of(built_copy)
    options = ("--doc", "convention", "--no-pdf", "--out", tmp_path)
    result = run("build", EXAMPLE, *options)
    assert result.code == 1
    assert "modifiés à la main" in result.err and "convention.docx" in result.err
    assert "gardés tels quels" in result.err and "--force" in result.err
    after = files_of(built_copy)
    assert after["convention.docx"] == edited  # kept as the user left it
    assert {k: v for k, v in after.items() if k != "manifest.json"} == {
        k: v for k, v in before.items() if k != "manifest.json"}
    # the next build still sees it as edited: the manifest keeps what docgen had written
    assert run("build", EXAMPLE, *options).code == 1
    forced = run("build", EXAMPLE, *options, "--force")
    assert forced.code == 0, forced.err
    assert "convention.modifie.docx" in forced.out
    assert (built_copy / "convention.modifie.docx").read_bytes() == edited
    assert target.read_bytes() == original  # the document docgen makes, exactly


def test_unchanged_outputs_are_reported_as_such(built_copy: Path, run) -> None:
    """A complete build of the same inputs is found up to date: nothing is rendered again."""
    folder = built_copy
    stamps = {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.name != ".docgen.lock"}
    again = run("build", EXAMPLE, "--out", folder.parent)
    assert again.code == 0, again.err
    assert again.out == f"{folder} : inchangé (rien à reconstruire ; --force " \
                        "pour tout refaire).\n"
    assert {p: p.stat().st_mtime_ns for p in folder.rglob("*")
            if p.name != ".docgen.lock"} == stamps  # nothing rewritten


def test_invalid_case_writes_nothing(tmp_path: Path, run) -> None:
    from tests.conftest import INVALID

    case = overlay_case(tmp_path / "casse", INVALID / "plan-depasse-cout")
    result = run("build", case, "--out", tmp_path / "o")
    assert result.code == 1
    assert not (tmp_path / "o").exists()


def test_templates_check_passes_on_builtin_templates(run) -> None:
    result = run("templates", "check")
    assert result.code == 0, result.err


def test_templates_check_reports_a_split_tag_and_an_unknown_variable(tmp_path: Path, run) -> None:
    from docgen.templating import PACKAGE as BUILTIN

    folder = tmp_path / "modeles"
    folder.mkdir()
    doc = Document(str(BUILTIN / "docx/convention.docx"))
    para = doc.add_paragraph(style="Corps")
    para.add_run("Montant : {{ maquette.")
    para.add_run("total }}")
    doc.save(str(folder / "convention.docx"))
    result = run("templates", "check", folder)
    assert result.code == 3
    assert "coupée entre plusieurs segments" in result.err and "Montant" in result.err

    doc = Document(str(BUILTIN / "docx/convention.docx"))
    doc.add_paragraph("Le budget total est de {{ budget_total }}.", style="Corps")
    doc.save(str(folder / "convention.docx"))
    result = run("templates", "check", folder)
    assert result.code == 3
    assert "variable inconnue « budget_total »" in result.err
    # the paragraph named by its first words, the variables the template may use listed
    assert "corps du document, paragraphe « Le budget total est de" in result.err
    assert "word/document.xml" not in result.err and "territoire" in result.err

    # a split tag and an unknown name: both reported at once
    doc = Document(str(BUILTIN / "docx/convention.docx"))
    para = doc.add_paragraph(style="Corps")
    para.add_run("Montant : {{ maquette.")
    para.add_run("total }}")
    doc.add_paragraph("Durée : {{ duree_preavis }}", style="Corps")
    doc.save(str(folder / "convention.docx"))
    result = run("templates", "check", folder)
    assert "coupée entre plusieurs segments" in result.err
    assert "variable inconnue « duree_preavis »" in result.err and "is undefined" not in result.err


def test_templates_check_reports_a_straight_apostrophe_in_the_wording(tmp_path: Path, run) -> None:
    """A template's own words carry the typographic apostrophe (a case value gets it when it
    prints); a straight one typed in a template is reported, not one inside a tag."""
    from docgen.templating import PACKAGE as BUILTIN

    folder = tmp_path / "modeles"
    folder.mkdir()
    doc = Document(str(BUILTIN / "docx/convention.docx"))
    doc.add_paragraph("{{ epci.nom ~ ' ' }}est concerné.", style="Corps")  # inside a tag: fine
    doc.save(str(folder / "convention.docx"))
    assert run("templates", "check", folder).code == 0
    doc.add_paragraph("Le comité d'orientation {{ epci.nom }}", style="Corps")
    doc.save(str(folder / "convention.docx"))
    result = run("templates", "check", folder)
    assert result.code == 3
    assert "apostrophe droite" in result.err and "comité d'orientation" in result.err


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by make test")
def test_libreoffice_opens_both_documents_and_reads_the_same_articles(built: Path, tmp_path: Path) -> None:
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(tmp_path),
         str(built / "convention.docx"), str(built / "adhesion.docx")],
        check=True, capture_output=True, timeout=240,
    )
    for name in ("convention", "adhesion"):
        lo_text = (tmp_path / f"{name}.txt").read_text(encoding="utf-8-sig")
        normalise = lambda s: re.sub(r"\s+", " ", s.replace(NB, " ")).strip()  # noqa: E731
        lo = normalise(lo_text)
        for head in styled(built / f"{name}.docx", "Titre article"):
            assert normalise(head) in lo, head
        for p in styled(built / f"{name}.docx", "Partie"):
            assert normalise(p) in lo
    for title in SEED_TITLES:
        assert title in (tmp_path / "convention.txt").read_text(encoding="utf-8-sig")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by make test")
def test_templates_saved_by_libreoffice_keep_working(tmp_path: Path, run) -> None:
    """Legal staff may open a template in LibreOffice and save it: it must still render."""
    from docgen.templating import PACKAGE as BUILTIN

    saved = tmp_path / "saved"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/p",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(saved),
                    *[str(p) for p in sorted((BUILTIN / "docx").glob("*.docx"))]],
                   check=True, capture_output=True, timeout=300)
    assert run("templates", "check", saved).code == 0
    case = overlay_case(tmp_path / "pays-des-ecrins", None, EXAMPLE)
    shutil.copytree(saved, case / "templates" / "docx")
    # every Word template renders (DOCX only); the convention also becomes a signature-ready PDF
    result = run("build", case, "--doc", "avenant", "--doc", "adhesion", "--doc", "copil",
                 "--no-pdf", "--out", tmp_path / "o")
    assert result.code == 0, result.err
    result = run("build", case, "--doc", "convention", "--out", tmp_path / "o")
    assert result.code == 0, result.err
    from docgen.verify import signature_fields

    out = tmp_path / "o/pays-des-ecrins"
    assert signature_fields((out / "convention.pdf").read_bytes()) == [
        "Signature_Commune_Argentiere", "Signature_EPCI", "Signature_Etat", "Signature_Departement"]
    assert "Article\u00a017 – Litiges" in styled(out / "convention.docx", "Titre article")
    assert styled(out / "avenant-01.docx", "Titre document") == ["Avenant n°\u00a01"]
    assert styled(out / "adhesion.docx", "Signature nom") == [
        "Patrick VIGNE", "Cyrille DRUJON D’ASTROS", "Joël GIRAUD", "Martine CLAVEL",
        "Jean-Marie BERNARD"]
    assert (out / "copil-2026-01-16/compte-rendu.docx").is_file()
    assert run("verify", out).code == 0


def test_a_hand_edited_docx_keeps_its_pdf_and_lets_the_others_be_made(built_copy: Path,
                                                                      run) -> None:
    """The convention's DOCX edited by hand: it and its PDF stay as they are (they would no
    longer say the same words), the adhésion is made; exit 1 names the kept document."""
    tmp_path = built_copy.parent
    docx, pdf = built_copy / "adhesion.docx", built_copy / "adhesion.pdf"
    edited = docx.read_bytes() + b"edit"
    docx.write_bytes(edited)
    old_pdf = pdf.read_bytes()
    target = built_copy / "convention.docx"
    target.unlink()  # a document to make again beside it
    result = run("build", EXAMPLE, "--doc", "adhesion", "--doc", "convention",
                 "--out", tmp_path)
    assert result.code == 1 and "adhesion.docx" in result.err
    assert docx.read_bytes() == edited and pdf.read_bytes() == old_pdf
    assert target.exists()  # the convention, untouched by the user, is made
