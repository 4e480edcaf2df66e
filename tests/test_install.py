"""A real package: `pip install .` (not editable) builds the example from any folder, with the
templates it carries as package data."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

from docx import Document

from tests.conftest import EXAMPLE, ROOT, overlay_case
from tests.docx_helpers import body_texts

SENTENCE = "Chaque partie peut mettre fin à sa participation"
MARKED = "Chaque partie (modèle du paquet installé) peut mettre fin à sa participation"


def _isolation() -> list[str]:
    # pyproject's `license = "MIT"` needs setuptools ≥ 77; a venv made by `python -m venv`
    # carries an older one, so the build then gets its own (from the configured index).
    major = int(version("setuptools").split(".")[0])
    return ["--no-build-isolation"] if major >= 77 else []


def test_a_non_editable_install_builds_the_example_from_another_folder(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOT / "docgen", src / "docgen",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    # Mark the template that gets installed: the build must print this copy's wording, not the
    # working tree's.
    template = src / "docgen/templates/docx/convention.docx"
    doc = Document(str(template))
    para = next(p for p in doc.paragraphs if p.text.startswith(SENTENCE))
    run = next(r for r in para.runs if SENTENCE.split()[1] in r.text)
    assert run.text.count("Chaque partie peut") == 1, run.text
    run.text = run.text.replace("Chaque partie peut", "Chaque partie (modèle du paquet installé) peut")
    doc.save(str(template))

    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", *_isolation(),
                    "--target", str(site), str(src)],
                   check=True, capture_output=True, timeout=300)
    shutil.rmtree(src)  # nothing may be read from the source copy any more
    for data in ("py.typed", "templates/docx/convention.docx", "templates/html/diaporama.html",
                 "templates/commun/libelles.j2", "templates/fonts/LiberationSans-Regular.ttf",
                 "templates/actes/actesv1_1.xsd", "templates/actes/siret.xsd",
                 "templates/actes/insee-commun.xsd"):
        assert (site / "docgen" / data).is_file(), data

    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    where = subprocess.run(
        [sys.executable, "-c", "import docgen, docgen.templating as t; "
         "print(docgen.__file__); print(t.PACKAGE)"],
        cwd=elsewhere, env=env, check=True, capture_output=True, text=True).stdout.splitlines()
    assert where == [str(site / "docgen/__init__.py"), str(site / "docgen/templates")]

    # a copy without its register: the example's convention is signed, its text of record
    # would not follow a template (docgen/acts.py); a draft is not recorded either
    case = overlay_case(tmp_path / "pays-des-ecrins", None, EXAMPLE)
    result = subprocess.run(
        [sys.executable, "-m", "docgen", "build", str(case), "--doc", "convention", "--no-pdf",
         "--out", "sortie", "--draft"],
        cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    built = elsewhere / "sortie/pays-des-ecrins/convention.docx"
    assert result.stdout.splitlines() == ["écrit : sortie/pays-des-ecrins/convention.docx",
                                          "écrit : sortie/pays-des-ecrins/convention-parcelles.csv"]
    assert "fiches_actions[12].plan_de_financement: avertissement" in result.stderr
    texts = body_texts(built)
    assert any(t.startswith(MARKED) for t in texts)  # the installed template was the one read
    assert not any(t.startswith(SENTENCE) for t in texts)
