"""Document kinds as data (docgen/kinds.py): the plan's files and the signature fields come from
the registry, never from a template's wording."""

from __future__ import annotations

import re
from pathlib import Path

from docgen.kinds import FAMILIES, KINDS, of_family
from docgen.templating import PACKAGE
from docgen.verify import signature_fields

from .conftest import EXAMPLE, overlay_case


def test_every_kind_has_its_templates_and_a_file_of_its_own() -> None:
    for k in KINDS.values():
        assert k.family in FAMILIES
        for t in k.templates:
            assert (PACKAGE / t).is_file(), (k.name, t)
        for s in k.sources:
            assert KINDS[s].family == k.family
    files = [k.file(1, "copil-2030-01-01") for k in KINDS.values()]
    assert len(files) == len(set(files))
    assert [k.name for k in of_family("avenant")] == ["avenant", "consolidee", "redline",
                                                      "parcelles-consolidee"]


def test_only_acts_are_signed() -> None:
    assert {k.name for k in KINDS.values() if k.signed} == {"convention", "adhesion", "avenant"}


def _shouting(template: str) -> str:
    """Every word a template writes outside its tags, in capitals: every sentence reworded."""
    pieces = re.split(r"(\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\})", template, flags=re.S)
    return "".join(p if p.startswith(("{{", "{%", "{#")) else p.upper() for p in pieces)


def test_rewording_the_labels_changes_no_signature_field_and_no_file_name(
        tmp_path: Path, built: Path, run) -> None:
    case = overlay_case(tmp_path / "pays-des-ecrins", None, EXAMPLE)
    labels = case / "templates" / "commun" / "libelles.j2"
    labels.parent.mkdir(parents=True, exist_ok=True)
    labels.write_text(_shouting((PACKAGE / "commun" / "libelles.j2").read_text(encoding="utf-8")),
                      encoding="utf-8")
    result = run("build", case, "--doc", "convention", "--doc", "avenant", "--out",
                 tmp_path / "out")
    assert result.code == 0, result.err
    out = tmp_path / "out" / "pays-des-ecrins"
    from docgen.finish.parity import pdf_text

    consolidated = (out / "convention-consolidee-01.pdf").read_bytes()
    assert "VERSION CONSOLIDÉE" in pdf_text(consolidated)  # the reworded sentence is printed
    assert signature_fields(consolidated) == []  # and the version is still not to be signed
    for name in ("convention.pdf", "avenant-01.pdf"):
        fields = signature_fields((out / name).read_bytes())
        assert fields and fields == signature_fields((built / name).read_bytes())
    made = {p.name for p in out.iterdir() if not p.name.startswith(".")}
    assert made == {"convention.docx", "convention.pdf", "avenant-01.docx", "avenant-01.pdf",
                    "convention-consolidee-01.docx", "convention-consolidee-01.pdf",
                    "redline-avenant-01.docx", "convention-parcelles.csv",
                    "convention-consolidee-01-parcelles.csv", "manifest.json"}


def test_a_reviewed_consolidated_version_gets_no_signature_field(built: Path, tmp_path: Path,
                                                                 run) -> None:
    """Its DOCX carries no signature bookmark: `docgen pdf` of it, reviewed, gives none."""
    from docgen.render.package import part

    docx = built / "convention-consolidee-01.docx"
    assert b"Signature_" not in part(docx.read_bytes(), "word/document.xml")
    assert b"Signature_" in part((built / "convention.docx").read_bytes(), "word/document.xml")
    result = run("pdf", docx, "-o", tmp_path / "relue.pdf")
    assert result.code == 0, result.err
    assert signature_fields((tmp_path / "relue.pdf").read_bytes()) == []


def test_a_new_kind_is_a_row_a_template_and_its_data(tmp_path: Path, monkeypatch, run) -> None:
    """A « note » piece of the COPIL: a row of the registry (a template of the package standing
    in for its own, the COPIL's data): built, with its PDF, and nothing else touched."""
    import dataclasses

    from docgen import kinds

    note = kinds.Kind("note", "copil", ("docx/convocation.docx",), "{folder}/note.docx", "docx",
                      pdf=True, group="copil", context="copil")
    monkeypatch.setattr(kinds, "KINDS", {**kinds.KINDS, "note": note})
    assert dataclasses.asdict(note)["context"] == "copil"
    result = run("build", EXAMPLE, "--doc", "copil", "--date", "2026-01-16", "--no-pdf",
                 "--out", tmp_path)
    assert result.code == 0, result.err
    assert (tmp_path / "pays-des-ecrins" / "copil-2026-01-16" / "note.docx").is_file()
