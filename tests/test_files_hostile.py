"""Files that are not what they seem, on the way in and on the way out: a case file that is a
link leaving the case, a PDF that would land on its own DOCX or twice on one path, a folder
that cannot be written, a Word file with a broken part, a territory's template that computes
what it must not, a typesetting that never ends. Each ends as a French error naming the file
(exit 1, or 3 for a template), never as an internal error (70)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from docgen.templating import PACKAGE

from .conftest import EXAMPLE, MINIMAL, overlay_case

SECRET = "valeur-secrète-hors-du-dossier"
WORD = PACKAGE / "docx" / "adhesion.docx"  # a real Word file (checks come before typesetting)


# ------------------------------------------------------------------ 1. case files linked outside

@pytest.mark.parametrize("rel", ["convention.yaml", "copils/2026-01-16.yaml",
                                 "avenants/01-quartier-gare.yaml"])
def test_a_case_file_linked_outside_the_case_is_refused_unread(rel: str, tmp_path: Path, run,
                                                               monkeypatch) -> None:
    case = overlay_case(tmp_path / "essai", None, EXAMPLE)
    outside = tmp_path / "ailleurs.yaml"
    outside.write_text(f"numero: {SECRET}\nconvention: {SECRET}\n", encoding="utf-8")
    link = case / rel
    link.unlink()
    link.symlink_to(outside)
    monkeypatch.chdir(tmp_path)
    result = run("check", "essai")
    assert result.code == 1, result.err
    assert f"essai/{rel}:1:1: lien vers un fichier hors du dossier du territoire" in result.err
    assert "refusé sans être lu" in result.err
    assert SECRET not in result.err + result.out and "trouvé" not in result.err
    assert "ailleurs.yaml:" not in result.err  # named by the link, never by its target


def test_a_folder_of_copils_linked_outside_the_case_is_refused_file_by_file(
        tmp_path: Path, run, monkeypatch) -> None:
    case = overlay_case(tmp_path / "essai", None, EXAMPLE)
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    (elsewhere / "2030-01-01.yaml").write_text(f"numero: {SECRET}\n", encoding="utf-8")
    shutil.rmtree(case / "copils")
    (case / "copils").symlink_to(elsewhere, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    result = run("check", "essai")
    assert result.code == 1
    assert "essai/copils/2030-01-01.yaml:1:1: lien vers un fichier hors du dossier" in result.err
    assert SECRET not in result.err


def test_a_link_that_stays_inside_the_case_is_read(tmp_path: Path, run) -> None:
    case = overlay_case(tmp_path / "essai", None)
    (case / "sources").mkdir()
    (case / "convention.yaml").rename(case / "sources/convention.yaml")
    (case / "convention.yaml").symlink_to(case / "sources/convention.yaml")
    assert run("check", case).code == 0


# ------------------------------------------------------------------ 2. where a PDF may land

def _docx(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(WORD, path)
    return path


def test_a_pdf_never_replaces_its_own_docx(tmp_path: Path, run) -> None:
    source = _docx(tmp_path / "relu.docx")
    before = source.read_bytes()
    result = run("pdf", source, "-o", source, "--force")
    assert result.code == 1, result.err
    assert "remplacerait le DOCX" in result.err and str(source) in result.err
    assert source.read_bytes() == before
    os.link(source, tmp_path / "relu-lien.pdf")  # the same file under another name
    again = run("pdf", source, "-o", tmp_path / "relu-lien.pdf", "--force")
    assert again.code == 1 and "remplacerait le DOCX" in again.err
    (tmp_path / "lien.pdf").symlink_to(source)
    linked = run("pdf", source, "-o", tmp_path / "lien.pdf", "--force")
    assert linked.code == 1 and "remplacerait le DOCX" in linked.err
    assert source.read_bytes() == before


def test_two_docx_never_write_the_same_pdf(tmp_path: Path, run) -> None:
    first = _docx(tmp_path / "a/convention.docx")
    second = _docx(tmp_path / "b/convention.docx")
    out = tmp_path / "pdf"
    result = run("pdf", first, second, "--out-dir", out)
    assert result.code == 1, result.err
    assert "donneraient tous deux ce même PDF" in result.err
    assert str(first) in result.err and str(second) in result.err
    assert "écrit" not in result.out and not out.exists()
    twice = run("pdf", first, first)
    assert twice.code == 1 and "donneraient tous deux" in twice.err
    assert not (tmp_path / "a/convention.pdf").exists()


# ------------------------------------------------------------------ 3. folders that refuse writes

def _without_root_override(command: list[str]) -> list[str]:
    """Root writes into a read-only folder: run the command without that privilege."""
    if os.geteuid() != 0:
        return command
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("root without setpriv: permissions cannot be tested")
    return [setpriv, "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search", "--",
            *command]


def _docgen(*args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = _without_root_override([sys.executable, "-m", "docgen", *map(str, args)])
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture
def read_only(tmp_path: Path):
    folder = tmp_path / "lecture-seule"
    folder.mkdir()
    folder.chmod(0o555)
    yield folder
    folder.chmod(0o755)


@pytest.mark.parametrize("where", ["--out-dir lecture-seule", "--out-dir lecture-seule/sous",
                                   "-o lecture-seule/relu.pdf"])
def test_docgen_pdf_into_a_read_only_folder_is_a_french_error(where: str, tmp_path: Path,
                                                              read_only: Path) -> None:
    _docx(tmp_path / "relu.docx")
    result = _docgen("pdf", "relu.docx", *where.split(), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "lecture-seule" in result.stderr and "écriture refusée (droits)" in result.stderr
    assert "Erreur interne" not in result.stderr and "Traceback" not in result.stderr
    assert not list(read_only.iterdir())


def test_docgen_build_into_a_read_only_folder_is_a_french_error(tmp_path: Path,
                                                                read_only: Path) -> None:
    result = _docgen("build", MINIMAL, "--out", "lecture-seule", "--doc", "convention",
                     "--no-pdf", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "lecture-seule/minimal" in result.stderr and "droits" in result.stderr
    assert "Erreur interne" not in result.stderr and "Traceback" not in result.stderr


def test_a_read_only_output_folder_of_a_previous_build_is_a_french_error(tmp_path: Path) -> None:
    out = tmp_path / "o"
    assert _docgen("build", MINIMAL, "--out", out, "--doc", "convention", "--no-pdf",
                   cwd=tmp_path).returncode == 0
    folder = out / "minimal"
    (folder / ".manifest.json.4242.tmp").write_text("")  # left by a build that was killed
    folder.chmod(0o555)
    try:
        result = _docgen("build", MINIMAL, "--out", out, "--doc", "convention", "--no-pdf",
                         "--force", cwd=tmp_path)
    finally:
        folder.chmod(0o755)
    assert result.returncode == 1, result.stderr
    assert "o/minimal" in result.stderr and "Erreur interne" not in result.stderr


def test_a_pdf_that_cannot_be_written_names_those_already_written(tmp_path: Path) -> None:
    from docgen.errors import OutputError
    from docgen.reviewed import _write

    (tmp_path / "fichier").write_text("")
    targets = [tmp_path / "a.pdf", tmp_path / "fichier/b.pdf"]
    with pytest.raises(OutputError) as caught:
        _write(targets, [b"%PDF-a", b"%PDF-b"])
    assert "fichier" in str(caught.value) and "PDF déjà écrits" in str(caught.value)
    assert str(tmp_path / "a.pdf") in str(caught.value)


# ------------------------------------------------------------------ 4. Word files with broken parts

def _variant(target: Path, part: str, data: bytes) -> Path:
    with zipfile.ZipFile(WORD) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, data if info.filename == part else zin.read(info))
    return target


@pytest.mark.parametrize("part", ["word/document.xml", "word/styles.xml", "word/footer1.xml",
                                  "docProps/core.xml"])
def test_templates_text_of_a_word_file_with_a_broken_part(part: str, tmp_path: Path,
                                                          run) -> None:
    path = _variant(tmp_path / "modele.docx", part, b"<w:document><w:body><w:p>")
    result = run("templates", "text", path)
    assert result.code == 3, result.err
    assert f"modele.docx : modèle illisible (partie {part} : XML mal formé" in result.err
    assert "Erreur interne" not in result.err


def test_templates_text_of_a_damaged_archive(tmp_path: Path, run) -> None:
    raw = bytearray(WORD.read_bytes())
    at = raw.index(b"word/document.xml") + 60  # inside the compressed body of the first part
    raw[at:at + 40] = bytes(40)
    path = tmp_path / "abime.docx"
    path.write_bytes(bytes(raw))
    result = run("templates", "text", path)
    assert result.code in (1, 3), result.err
    assert "abime.docx" in result.err and "Erreur interne" not in result.err


def test_a_territorys_word_template_with_a_broken_part_stops_the_build(tmp_path: Path,
                                                                       run) -> None:
    case = overlay_case(tmp_path / "essai", None)
    (case / "templates/docx").mkdir(parents=True)
    _variant(case / "templates/docx/convention.docx", "word/styles.xml", b"<w:styles>")
    result = run("build", case, "--out", tmp_path / "o", "--doc", "convention", "--no-pdf")
    assert result.code == 3, result.err
    assert "convention.docx : modèle illisible (partie word/styles.xml" in result.err
    assert not (tmp_path / "o/essai/convention.docx").exists()


# ------------------------------------------------------------------ 5. labels that compute too much

@pytest.mark.parametrize("expression,expected", [
    ("1 // 0", "division par zéro"),
    ("(2**100000)|string", "nombre démesuré"),
    ("'x' * 10**9", "texte ou liste démesuré"),
    ("range(10**9)|list|length", "boucle démesurée"),
])
def test_a_territorys_labels_that_compute_too_much_are_a_template_error(
        expression: str, expected: str, tmp_path: Path, run, monkeypatch) -> None:
    case = overlay_case(tmp_path / "essai", None)
    labels = case / "templates/commun/libelles.j2"
    labels.parent.mkdir(parents=True)
    source = (PACKAGE / "commun/libelles.j2").read_text(encoding="utf-8")
    labels.write_text(source + "{%- set calcul = " + expression + " -%}\n", encoding="utf-8")
    line = source.count("\n") + 1
    monkeypatch.chdir(tmp_path)
    result = run("build", "essai", "--out", "o", "--doc", "convention", "--no-pdf")
    assert result.code == 3, result.err
    assert f"essai/templates/commun/libelles.j2, ligne {line} : " in result.err
    assert expected in result.err and "Erreur interne" not in result.err
    assert not (tmp_path / "o/essai/convention.docx").exists()


# ------------------------------------------------------------------ 7. a time limit on docgen pdf

def _endless(data: bytes, name: str) -> bytes:
    import threading

    threading.Event().wait()  # never ends: only the limit stops it
    return b"%PDF-1.7 trop tard"


def test_docgen_pdf_stops_a_typesetting_past_its_limit(tmp_path: Path, run, monkeypatch,
                                                       lone_process) -> None:
    from docgen import reviewed

    source = _docx(tmp_path / "relu.docx")
    monkeypatch.setattr(reviewed, "_typeset", _endless)  # what the forked copy will run
    started = time.monotonic()
    result = run("pdf", source, "--time-limit", "0.5")
    assert time.monotonic() - started < 20
    assert result.code == 1, result.err
    assert f"{source} : la mise en page du PDF dépasse la limite de 0,5 s" in result.err
    assert not (tmp_path / "relu.pdf").exists()
    monkeypatch.setenv("DOCGEN_PDF_LIMIT_S", "0.3")
    from_env = run("pdf", source, _docx(tmp_path / "autre.docx"), "-j", "1")
    assert from_env.code == 1 and "limite de 0,3 s" in from_env.err
    assert not list(tmp_path.glob("*.pdf"))


def test_a_time_limit_that_is_no_number_is_a_usage_error(tmp_path: Path, run) -> None:
    result = run("pdf", _docx(tmp_path / "relu.docx"), "--time-limit", "jamais")
    assert result.code == 2 and "--time-limit" in result.err


# ------------------------------------------------------------------ 8. a property Office refuses

def test_a_template_whose_title_is_too_long_for_word_is_a_template_error(tmp_path: Path,
                                                                        run) -> None:
    """A territory's Word template whose title renders past 255 characters: exit 3 naming the
    template and the property (python-docx's bare ValueError was exit 70)."""
    from docx import Document

    case = overlay_case(tmp_path / "essai", None)
    (case / "templates/docx").mkdir(parents=True)
    doc = Document(str(PACKAGE / "docx/convention.docx"))
    doc.core_properties.title = "{{ 'Convention ' * 30 }}"
    doc.save(str(case / "templates/docx/convention.docx"))
    result = run("build", case, "--out", tmp_path / "o", "--doc", "convention", "--no-pdf")
    assert result.code == 3, result.err
    assert "convention.docx : la propriété « Titre » du document ferait 330 caractères" \
        in result.err
    assert not (tmp_path / "o/essai/convention.docx").exists()
