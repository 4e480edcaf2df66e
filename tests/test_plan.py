"""PLAN: the jobs of a case as data — which outputs, from which templates, PROJET or not."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from docgen.errors import DocgenError, TemplateError
from docgen.load import Case, load_case
from docgen.plan import BuildOptions, Job, is_projet, outputs, plan
from docgen.templating import PACKAGE
from tests.conftest import EXAMPLE, overlay_case

COPILS = ["2022-03-09", "2023-03-28", "2024-11-08", "2026-01-16"]
PIECES = ["convocation.docx", "diaporama.pdf", "diaporama.pptx", "diaporama-a4.pdf",
          "emargement.pdf", "compte-rendu.docx", "pack.pdf"]


@pytest.fixture(scope="module")
def example() -> Case:
    return load_case(EXAMPLE)


def by_output(jobs: list[Job]) -> dict[str, Job]:
    return {j.output: j for j in jobs}


def test_every_output_of_the_example_in_build_order(example: Case) -> None:
    jobs = plan(example, BuildOptions())
    assert [j.output for j in jobs] == [
        "convention.docx", "convention-parcelles.csv", "adhesion.docx",
        "avenant-01.docx", "convention-consolidee-01.docx", "redline-avenant-01.docx",
        "convention-consolidee-01-parcelles.csv",
        *[f"copil-{d}/{p}" for d in COPILS for p in PIECES]]
    assert [(j.kind, j.document) for j in jobs[:7]] == [
        ("convention", "convention"), ("convention", "parcelles"), ("adhesion", "adhesion"),
        ("avenant", "avenant"), ("avenant", "consolidee"), ("avenant", "redline"),
        ("avenant", "parcelles-consolidee")]
    assert [j.numero for j in jobs if j.document == "pack"] == [1, 2, 3, 4]


def test_jobs_that_share_renderings_are_built_in_one_process(example: Case) -> None:
    """The groups spread over processes: the acts together (the avenant quotes the convention,
    the redline compares two versions) with the avenant's draft a COPIL's pack carries, each
    COPIL's pieces and pack, each PPTX alone; every job exactly once, in the plan's order
    within its group, but the pack that carries the draft (assembled once all are done)."""
    from docgen.pipeline import carries_draft, draft_jobs, job_groups

    jobs = plan(example, BuildOptions())
    last = [j for j in jobs if carries_draft(j)]
    assert [j.output for j in last] == ["copil-2024-11-08/pack.pdf"]
    drafts = draft_jobs(example, BuildOptions(), last)
    assert [(d.output, d.projet, d.with_pdf) for d in drafts] == [
        ("projet-avenant-01.docx", True, True)]
    groups = job_groups(jobs, drafts)
    pieces = [p for p in PIECES if p != "diaporama.pptx"]
    assert [[j.output for j in g] for g in groups] == [
        ["convention.docx", "convention-parcelles.csv", "adhesion.docx", "avenant-01.docx",
         "convention-consolidee-01.docx", "redline-avenant-01.docx",
         "convention-consolidee-01-parcelles.csv", "projet-avenant-01.docx"],
        *[[f"copil-{d}/{p}" for p in pieces if d != "2024-11-08" or p != "pack.pdf"]
          for d in COPILS],
        *[[f"copil-{d}/diaporama.pptx"] for d in COPILS]]
    assert sorted(j.output for g in groups for j in g) == sorted(
        [j.output for j in jobs if j not in last] + ["projet-avenant-01.docx"])
    # a COPIL-only build still renders the draft, in a group of its own
    copil_only = plan(example, BuildOptions(kinds=("copil",)))
    groups = job_groups(copil_only, drafts)
    assert [j.output for j in groups[0]] == ["projet-avenant-01.docx"]


def test_templates_of_each_job_come_from_the_package(example: Case) -> None:
    jobs = by_output(plan(example, BuildOptions()))
    docx = PACKAGE / "docx"
    assert jobs["convention.docx"].templates == (docx / "convention.docx",)
    # an avenant quotes the convention's article numbers: it reads both templates
    assert jobs["avenant-01.docx"].templates == (docx / "avenant.docx", docx / "convention.docx")
    assert jobs["redline-avenant-01.docx"].templates == (docx / "convention.docx",)
    assert jobs["copil-2026-01-16/diaporama.pdf"].templates == (
        PACKAGE / "html/diaporama.html", PACKAGE / "commun/diaporama.yaml")
    assert jobs["copil-2026-01-16/diaporama.pptx"].templates == (
        PACKAGE / "commun/diaporama.yaml",)  # one wording for both renderings
    assert jobs["copil-2026-01-16/pack.pdf"].sources == tuple(
        f"copil-2026-01-16/{p}" for p in ("convocation.pdf", "diaporama.pdf", "emargement.pdf",
                                          "compte-rendu.pdf"))


def test_which_outputs_get_a_pdf_beside_them(example: Case) -> None:
    jobs = plan(example, BuildOptions())
    with_pdf = [j.output for j in jobs if j.with_pdf]
    assert with_pdf == ["convention.docx", "adhesion.docx", "avenant-01.docx",
                        "convention-consolidee-01.docx",
                        *[f"copil-{d}/{p}" for d in COPILS
                          for p in ("convocation.docx", "compte-rendu.docx")]]
    every = outputs(jobs, pdf=True)
    assert "convention.pdf" in every and "redline-avenant-01.pdf" not in every
    assert len(every) == len(set(every)) == len(jobs) + len(with_pdf)
    # --no-pdf: the DOCX (and the editable slides), none of the documents that exist only as PDF
    assert outputs(jobs, pdf=False) == [j.output for j in jobs
                                        if j.output.endswith((".docx", ".pptx", ".csv"))]


def test_the_signed_example_is_final_unless_draft_is_asked(example: Case) -> None:
    assert not any(j.projet for j in plan(example, BuildOptions()))
    draft = by_output(plan(example, BuildOptions(draft=True)))
    assert {o for o, j in draft.items() if j.projet} == {
        "convention.docx", "adhesion.docx", "avenant-01.docx"}  # the acts, never their annexes


def test_an_unsigned_convention_is_projet_until_final_is_asked(tmp_path: Path) -> None:
    case = overlay_case(tmp_path / "essai", None)
    conv = case / "convention.yaml"
    conv.write_text(conv.read_text().replace("  date: 2024-01-15\n", ""))
    loaded = load_case(case)
    assert [(j.output, j.projet) for j in plan(loaded, BuildOptions())] == [("convention.docx", True)]
    assert plan(loaded, BuildOptions(draft=False))[0].projet is False
    assert [is_projet(None, None), is_projet(dt.date(2024, 1, 15), None),
            is_projet(dt.date(2024, 1, 15), True), is_projet(None, False)] == [
        True, False, True, False]


def test_doc_picks_kinds(example: Case) -> None:
    jobs = plan(example, BuildOptions(kinds=("avenant", "adhesion")))
    assert [j.output for j in jobs] == ["adhesion.docx", "avenant-01.docx",
                                        "convention-consolidee-01.docx", "redline-avenant-01.docx",
                                        "convention-consolidee-01-parcelles.csv"]


def test_date_keeps_the_copils_of_those_dates(example: Case) -> None:
    jobs = plan(example, BuildOptions(kinds=("copil",), dates=(dt.date(2024, 11, 8),)))
    assert [j.output for j in jobs] == [f"copil-2024-11-08/{p}" for p in PIECES]
    assert {j.numero for j in jobs} == {3}
    two = plan(example, BuildOptions(kinds=("copil",),
                                     dates=(dt.date(2026, 1, 16), dt.date(2022, 3, 9))))
    assert sorted({j.output.split("/")[0] for j in two}) == ["copil-2022-03-09", "copil-2026-01-16"]


def test_date_without_a_copil_names_the_known_ones(example: Case) -> None:
    with pytest.raises(DocgenError) as exc:
        plan(example, BuildOptions(kinds=("copil",), dates=(dt.date(2025, 1, 1),)))
    assert str(exc.value) == ("pays-des-ecrins : aucun COPIL le 2025-01-01 ; COPIL du dossier : "
                              "2022-03-09, 2023-03-28, 2024-11-08, 2026-01-16.")


def test_a_kind_the_case_does_not_have_is_an_error(tmp_path: Path) -> None:
    case = load_case(overlay_case(tmp_path / "essai", None))
    with pytest.raises(DocgenError) as exc:
        plan(case, BuildOptions(kinds=("avenant", "copil")))
    assert str(exc.value) == "essai : aucun document à produire pour avenant, copil."


def test_a_territorys_template_comes_first(tmp_path: Path) -> None:
    case = overlay_case(tmp_path / "essai", None)
    (case / "templates/docx").mkdir(parents=True)
    own = case / "templates/docx/convention.docx"
    shutil.copy(PACKAGE / "docx/convention.docx", own)
    (job,) = plan(load_case(case), BuildOptions())
    assert job.templates == (own.resolve(),)


def test_a_missing_template_fails_in_the_plan_in_french(example: Case, tmp_path: Path,
                                                        monkeypatch, run) -> None:
    import docgen.templating

    partial = tmp_path / "paquet"
    shutil.copytree(PACKAGE, partial)
    (partial / "html/emargement.html").unlink()
    monkeypatch.setattr(docgen.templating, "PACKAGE", partial)
    assert [j.output for j in plan(example, BuildOptions(kinds=("convention",)))] == [
        "convention.docx", "convention-parcelles.csv"]
    with pytest.raises(TemplateError) as exc:
        plan(example, BuildOptions(kinds=("copil",)))
    assert str(exc.value) == (
        "modèle introuvable : html/emargement.html (cherché dans : "
        f"{EXAMPLE.resolve()}/templates/html, {partial}/html).")
    result = run("build", EXAMPLE, "--doc", "copil", "--out", tmp_path / "o")
    assert result.code == 3
    assert "modèle introuvable : html/emargement.html" in result.err
    assert "Traceback" not in result.err
    assert not (tmp_path / "o").exists()  # failed before anything was rendered or written


def test_an_empty_group_still_gets_one_document_s_time() -> None:
    """The packs carrying a draft, when none does, are an empty group: its limit is one
    document's, never 0 s (which killed it under load: « plus de 0 s sans finir »)."""
    from docgen.pipeline import limits

    assert limits([[]], 300.0)["limit"] == 300.0
    assert limits([], 300.0)["limit"] == 300.0
