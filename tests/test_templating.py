"""Templates are the text: editing one changes the document, a territory overrides any of them,
each reads as plain text in review (golden copies under tests/golden/templates/)."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from docgen.templating import PACKAGE, SearchPath, available, docx_text

from .conftest import EXAMPLE, overlay_case
from .docx_helpers import body_texts

TEMPLATES = sorted((PACKAGE / "docx").glob("*.docx"))


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_each_word_template_reads_as_text(template: Path, golden) -> None:
    golden(f"templates/{template.stem}.txt", docx_text(template))


def test_template_text_shows_styles_tables_fields_and_properties() -> None:
    text = docx_text(PACKAGE / "docx/convention.docx")
    assert "[Titre article] Article\u00b7{{ article.objet|article }} – Objet de la convention" in text
    assert "| N° | Action | Maître d’ouvrage | Type | Maturité | Coût estimatif |" in text
    assert "– page {PAGE} / {NUMPAGES}" in text  # the footer, with its fields
    assert "=== header1 ===" in text and "=== propriétés ===" in text
    assert "title : {% if projet %}PROJET – {% endif %}Convention-cadre PVD valant ORT" in text


def test_cli_prints_a_template_as_text(run) -> None:
    result = run("templates", "text", PACKAGE / "docx/avenant.docx")
    assert result.code == 0
    assert "Le présent avenant a pour objet {{ objet|de }}." in result.out


def test_a_sentence_edited_in_the_word_template_changes_the_document(tmp_path: Path, run) -> None:
    """A jurist rewords a sentence of convention.docx in Word: no Python change is needed."""
    case = overlay_case(tmp_path / "essai", None)
    target = case / "templates/docx/convention.docx"
    target.parent.mkdir(parents=True)
    doc = Document(str(PACKAGE / "docx/convention.docx"))
    para = next(p for p in doc.paragraphs if p.text.startswith("Chaque partie autorise"))
    for run_ in para.runs[1:]:
        run_.text = ""
    para.runs[0].text = "Les parties conviennent de l'usage de leurs logos respectifs."
    doc.save(str(target))
    assert run("build", case, "--out", tmp_path / "o", "--doc", "convention", "--no-pdf").code == 0
    text = "\n".join(body_texts(tmp_path / "o/essai/convention.docx"))
    assert "Les parties conviennent de l'usage de leurs logos respectifs." in text
    assert "Chaque partie autorise" not in text


def test_a_territory_overrides_shared_wording_html_shells_and_css(tmp_path: Path, run) -> None:
    case = overlay_case(tmp_path / "pays-des-ecrins", None, EXAMPLE)
    assert run("templates", "copy", "commun/libelles.j2", case).code == 0
    labels = case / "templates/commun/libelles.j2"
    labels.write_text(labels.read_text(encoding="utf-8").replace('"en_cours": "En cours"',
                                                                 '"en_cours": "En chantier"'),
                      encoding="utf-8")
    assert run("templates", "copy", "html/emargement.html", case).code == 0
    sheet = case / "templates/html/emargement.html"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace(
        "<h1>Feuille d’émargement</h1>", "<h1>Liste de présence</h1>"), encoding="utf-8")
    assert run("templates", "copy", "html/diaporama.css", case).code == 0
    css = case / "templates/html/diaporama.css"
    css.write_text(css.read_text(encoding="utf-8") + "\ntable.bloc th { background: #7a0000; }\n",
                   encoding="utf-8")
    out = tmp_path / "o"
    assert run("build", case, "--out", out, "--doc", "copil", "--date", "2026-01-16").code == 0
    folder = out / "pays-des-ecrins/copil-2026-01-16"
    import subprocess

    def pdf_text(path: Path) -> str:
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True,
                              text=True).stdout

    assert "Liste de présence" in pdf_text(folder / "emargement.pdf")
    assert "En chantier" in pdf_text(folder / "diaporama.pdf")
    assert "en chantier" in "\n".join(body_texts(folder / "compte-rendu.docx"))
    import pikepdf

    with pikepdf.open(folder / "diaporama.pdf") as pdf:  # the overriding stylesheet applies
        content = b"".join(pikepdf.unparse_content_stream(pikepdf.parse_content_stream(page))
                           for page in pdf.pages)
    assert b"0.478431 0 0 rg" in content  # #7a0000, the territory's colour for table heads


def test_copy_refuses_unknown_names_and_existing_copies(tmp_path: Path, run) -> None:
    case = overlay_case(tmp_path / "essai", None)
    unknown = run("templates", "copy", "docx/inconnu.docx", case)
    assert unknown.code == 1 and "modèle inconnu « docx/inconnu.docx »" in unknown.err
    assert "docx/convention.docx" in unknown.err
    assert run("templates", "copy", "convention.docx", case).code == 0
    again = run("templates", "copy", "convention.docx", case)
    assert again.code == 1 and "existe déjà" in again.err
    not_case = run("templates", "copy", "convention.docx", tmp_path)
    assert not_case.code == 1 and "pas un dossier de territoire" in not_case.err


def test_search_path_is_territory_first_then_package(tmp_path: Path) -> None:
    case = overlay_case(tmp_path / "essai", None)
    search = SearchPath.of(case)
    assert search.find("docx/convention.docx") == PACKAGE / "docx/convention.docx"
    mine = case / "templates/html/diaporama.html"
    mine.parent.mkdir(parents=True)
    mine.write_text("<p>{{ copil.numero }}</p>", encoding="utf-8")
    assert search.find("html/diaporama.html") == mine
    assert "docx/convention.docx" in available() and "commun/libelles.j2" in available()


def test_lint_checks_a_territorys_overrides(tmp_path: Path, run) -> None:
    case = overlay_case(tmp_path / "pays-des-ecrins", None, EXAMPLE)
    broken = case / "templates/html/emargement.html"
    broken.parent.mkdir(parents=True)
    broken.write_text("<p>{% if copil %}</p>", encoding="utf-8")
    result = run("templates", "check", "--case", case)
    assert result.code == 3
    assert "emargement.html" in result.err and "erreur de syntaxe" in result.err


def test_a_template_linked_outside_its_folder_is_refused(tmp_path: Path, run) -> None:
    """A territory's « template » that is a link to another file is never read nor printed."""
    secret = tmp_path / "secret.txt"
    secret.write_text("MOT DE PASSE", encoding="utf-8")
    case = overlay_case(tmp_path / "essai", None)
    for name in ("commun/libelles.j2", "docx/convention.docx"):
        link = case / "templates" / name
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(secret)
    result = run("build", case, "--out", tmp_path / "o", "--doc", "convention", "--no-pdf")
    assert result.code == 3, result.err
    assert "lien vers un fichier hors de" in result.err and "MOT DE PASSE" not in result.err
    assert not (tmp_path / "o/essai/convention.docx").exists()


def test_templates_are_compiled_once_per_machine_and_never_run_stale(tmp_path: Path,
                                                                   monkeypatch) -> None:
    """Jinja's cache of compiled templates (as Python keeps .pyc): a new process finds the
    code compiled by the last one; a changed source is compiled again; a damaged entry too;
    an entry is the environment's own (another docgen version finds nothing)."""
    from docgen import templating

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # a private cache for this test
    source = "{{ nom }} ({{ n | montant }})"

    def fresh() -> templating.DocgenEnvironment:  # as a new process makes it
        return templating.DocgenEnvironment()

    assert fresh().from_string(source).render(nom="Écrins", n=1200) == "Écrins (1\u00a0200\u00a0€)"
    entries = list(tmp_path.glob("docgen/modeles/*"))
    assert len(entries) == 1 and oct(entries[0].parent.stat().st_mode & 0o777) == "0o700"

    env = fresh()
    monkeypatch.setattr(env, "compile", lambda *a, **k: pytest.fail("compiled again"))
    assert env.from_string(source).render(nom="Écrins", n=1200) == "Écrins (1\u00a0200\u00a0€)"

    env = fresh()  # another source is compiled, never given the first one's code
    assert env.from_string(source + "!").render(nom="A", n=1) == "A (1\u00a0€)!"

    entries[0].write_bytes(b"j2 not marshal")  # damaged: compiled again, no error
    assert fresh().from_string(source).render(nom="B", n=2) == "B (2\u00a0€)"

    monkeypatch.setattr("docgen.version.__version__", "0.0-autre")
    env = fresh()
    compiled = []
    real = env.compile
    monkeypatch.setattr(env, "compile", lambda *a, **k: compiled.append(1) or real(*a, **k))
    env.from_string(source).render(nom="C", n=3)
    assert compiled  # another version of docgen does not read this one's code


def test_a_cache_folder_others_can_write_or_a_link_is_not_used(tmp_path: Path,
                                                              monkeypatch) -> None:
    from docgen.templating import private_cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = private_cache("modeles")
    assert folder == tmp_path / "docgen" / "modeles"
    folder.chmod(0o777)
    assert private_cache("modeles") is None
    folder.rmdir()
    (tmp_path / "ailleurs").mkdir(mode=0o700)
    folder.symlink_to(tmp_path / "ailleurs")
    assert private_cache("modeles") is None
    monkeypatch.setenv("XDG_CACHE_HOME", "relatif")
    assert private_cache("modeles") is None
