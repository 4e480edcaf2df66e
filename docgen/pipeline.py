"""The only orchestrator: LOAD → VALIDATE → DERIVE → PLAN → RENDER → WRITE."""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__
from .context import adhesion_context, convention_context, core_properties
from .errors import DocgenError, TemplateError
from .loading import Case, load_case
from .output import Written, locked, sha256, sha256_file, write_outputs
from .templates import Outline, find_template, outline_of

KINDS = ("convention", "adhesion", "avenant", "copil")


@dataclass(frozen=True)
class Planned:
    """One document to produce: its kind, output path, template and context builder."""

    kind: str
    output: str
    template: Path
    context: Callable[[Outline, bool], dict[str, Any]]
    core: dict[str, Any]
    projet: bool


@dataclass
class BuildResult:
    case: Case
    folder: Path
    written: Written
    documents: list[str]


def plan(case: Case, kinds: Sequence[str] | None, draft: bool | None) -> list[Planned]:
    """Which documents this case can produce; fails here if a template is missing."""
    wanted = set(kinds or KINDS)
    out: list[Planned] = []
    if "convention" in wanted:
        conv = case.convention
        projet = conv.signature.date is None if draft is None else draft
        out.append(Planned(
            "convention", "convention.docx", find_template("docx/convention.docx", case.folder),
            lambda o, p: convention_context(case, o, p),
            core_properties(case, conv, "Convention-cadre PVD valant ORT"), projet,
        ))
    if "adhesion" in wanted and case.adhesion is not None:
        adh = case.adhesion
        projet = adh.signature.date is None if draft is None else draft
        out.append(Planned(
            "adhesion", "adhesion.docx", find_template("docx/adhesion.docx", case.folder),
            lambda o, p: adhesion_context(case, o, p),
            core_properties(case, adh, "Convention d'adhésion Petites Villes de Demain"), projet,
        ))
    return out


def render(planned: Planned) -> bytes:
    from .render.docx import render_docx

    context = planned.context(outline_of(planned.template), planned.projet)
    core = dict(planned.core)
    if planned.projet:
        core["title"] = "PROJET – " + core["title"]
    return render_docx(planned.template, context, core)


def typeset_checked(docx: bytes, name: str) -> bytes:
    """The signature-ready PDF of a DOCX, refused unless it says the same words."""
    from .parity import compare
    from .render.pdf import read_meta, typeset

    pdf = typeset(docx, name)
    problems = compare(docx, pdf, read_meta(docx).header)
    if problems:
        raise TemplateError(f"{name} : le PDF ne reprend pas exactement le texte du DOCX :\n  "
                            + "\n  ".join(problems))
    return pdf


def build(
    case_folder: Path,
    kinds: Sequence[str] | None = None,
    out: Path = Path("output"),
    draft: bool | None = None,
    force: bool = False,
    pdf: bool = True,
) -> BuildResult:
    """Build the documents of one territory folder into out/<case>/."""
    case = load_case(case_folder)
    documents = plan(case, kinds, draft)
    if not documents:
        raise DocgenError(f"{case.name} : aucun document à produire pour "
                          f"{', '.join(kinds or KINDS)}.")
    files: dict[str, bytes] = {}
    meta: dict[str, dict[str, Any]] = {}
    for doc in documents:  # gather everything in memory first, then write
        docx = render(doc)
        files[doc.output] = docx
        meta[doc.output] = {"kind": doc.kind, "template": doc.template.name,
                            "projet": doc.projet}
        if pdf:
            pdf_name = doc.output[: -len(".docx")] + ".pdf"
            files[pdf_name] = typeset_checked(docx, doc.output)
            meta[pdf_name] = {"kind": doc.kind, "from": doc.output, "projet": doc.projet}
        gc.collect()  # large cases: keep the peak to one document's worth
    templates = {d.template.name: sha256_file(d.template) for d in documents}
    inputs = {str(p.relative_to(case.folder)): sha256_file(p) for p in case.files}
    folder = out / case.name
    with locked(folder):
        written = write_outputs(folder, files, meta, templates, inputs, force=force)
    return BuildResult(case, folder, written, list(files))


def pdf_of_docx(source: Path, target: Path | None, force: bool) -> Path:
    """`docgen pdf`: typeset a reviewed DOCX beside it (or at target), never over a file."""
    from .output import write_file

    if not source.is_file():
        raise DocgenError(f"{source} : fichier introuvable.")
    if source.suffix.lower() != ".docx":
        raise DocgenError(f"{source} : un fichier .docx est attendu.")
    target = target or source.with_suffix(".pdf")
    if target.exists() and not force:
        raise DocgenError(f"{target} existe déjà : choisissez un autre nom avec -o, ou relancez "
                          "avec --force pour le remplacer.")
    pdf = typeset_checked(source.read_bytes(), source.name)
    write_file(target, pdf)
    return target


__all__ = ["KINDS", "BuildResult", "build", "pdf_of_docx", "plan", "render", "sha256",
           "__version__"]
