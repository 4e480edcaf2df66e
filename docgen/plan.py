"""PLAN: which documents a case gives, from which templates, to which paths — a list of jobs.

Data only: the pipeline carries the jobs out. A missing template fails here, before rendering.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from . import messages as msg
from .errors import DocgenError
from .load import Case
from .templating import SearchPath

KINDS = ("convention", "adhesion", "avenant", "copil")


@dataclass(frozen=True)
class BuildOptions:
    """Everything a build can be asked, as the command line or a caller sets it."""

    kinds: tuple[str, ...] = ()  # none: every kind
    out: Path = Path("output")
    draft: bool | None = None  # None: PROJET until the document has its signature date
    force: bool = False
    pdf: bool = True
    dates: tuple[dt.date, ...] = ()  # COPILs of these dates only
    jobs: int | None = None  # territories built in parallel (batch)


@dataclass(frozen=True)
class Job:
    """One output file: what it is, where it goes, what it is made from."""

    kind: str  # the --doc family: convention, adhesion, avenant, copil
    document: str  # convention, consolidee, adhesion, avenant, redline, convocation,
    #                compte-rendu, diaporama, diaporama-pptx, diaporama-a4 (handout),
    #                emargement, pack
    output: str  # relative to the territory's output folder
    templates: tuple[Path, ...] = ()  # the first is the one rendered
    numero: int = 0  # the avenant (avenant, consolidee, redline) or the COPIL
    projet: bool = False
    with_pdf: bool = False  # a DOCX whose PDF (signature-ready for acts) is typeset beside it
    sources: tuple[str, ...] = field(default=())  # outputs it is assembled from (pack)

    @property
    def pdf_output(self) -> str:
        return self.output[: -len(".docx")] + ".pdf"


def is_projet(signed: dt.date | None, draft: bool | None) -> bool:
    """PROJET until signed, unless --draft / --final says otherwise."""
    return signed is None if draft is None else draft


def avenant_job(case: Case, numero: int, options: BuildOptions) -> Job:
    """The avenant's own job (a COPIL pack attaches the draft submitted to it)."""
    search = SearchPath.of(case.folder)
    av = next(a for a in case.avenants if a.numero == numero)
    return Job("avenant", "avenant", f"avenant-{numero:02d}.docx",
               (search.find("docx/avenant.docx"), search.find("docx/convention.docx")), numero,
               projet=is_projet(av.signature.date, options.draft), with_pdf=True)


def plan(case: Case, options: BuildOptions) -> list[Job]:
    """Every job of this case for these options, in the order they are built."""
    wanted = set(options.kinds or KINDS)
    search = SearchPath.of(case.folder)
    conv = case.convention
    jobs: list[Job] = []
    t_conv = search.find("docx/convention.docx")
    if "convention" in wanted:
        jobs.append(Job("convention", "convention", "convention.docx", (t_conv,),
                        projet=is_projet(conv.signature.date, options.draft), with_pdf=True))
    if "adhesion" in wanted and case.adhesion is not None:
        jobs.append(Job("adhesion", "adhesion", "adhesion.docx",
                        (search.find("docx/adhesion.docx"),),
                        projet=is_projet(case.adhesion.signature.date, options.draft),
                        with_pdf=True))
    if "avenant" in wanted and case.avenants:
        for av in case.avenants:
            n = av.numero
            jobs.append(avenant_job(case, n, options))
            jobs.append(Job("avenant", "consolidee", f"convention-consolidee-{n:02d}.docx",
                            (t_conv,), n, with_pdf=True))
            jobs.append(Job("avenant", "redline", f"redline-avenant-{n:02d}.docx", (t_conv,), n))
    if "copil" in wanted and case.copils:
        known = {c.date for c in case.copils}
        missing = [d for d in options.dates if d not in known]
        if missing:
            raise DocgenError(msg.NO_COPIL_ON.format(
                case=case.name, dates=", ".join(d.isoformat() for d in missing),
                known=", ".join(c.date.isoformat() for c in case.copils)))
        t_convoc = search.find("docx/convocation.docx")
        t_cr = search.find("docx/compte-rendu.docx")
        t_slides = search.find("html/diaporama.html")
        t_pptx = search.find("pptx/diaporama.yaml")
        t_sheet = search.find("html/emargement.html")
        t_pack = search.find("html/pack.txt")
        for cp in case.copils:
            if options.dates and cp.date not in options.dates:
                continue
            folder = f"copil-{cp.date.isoformat()}"
            n = cp.numero
            jobs += [
                Job("copil", "convocation", f"{folder}/convocation.docx", (t_convoc,), n,
                    with_pdf=True),
                Job("copil", "diaporama", f"{folder}/diaporama.pdf", (t_slides,), n),
                Job("copil", "diaporama-pptx", f"{folder}/diaporama.pptx", (t_pptx,), n),
                Job("copil", "diaporama-a4", f"{folder}/diaporama-a4.pdf", (t_slides,), n,
                    sources=(f"{folder}/diaporama.pdf",)),
                Job("copil", "emargement", f"{folder}/emargement.pdf", (t_sheet,), n),
                Job("copil", "compte-rendu", f"{folder}/compte-rendu.docx", (t_cr,), n,
                    with_pdf=True),
                Job("copil", "pack", f"{folder}/pack.pdf", (t_pack,), n, sources=(
                    f"{folder}/convocation.pdf", f"{folder}/diaporama.pdf",
                    f"{folder}/emargement.pdf", f"{folder}/compte-rendu.pdf",
                    *(f"avenant-{a.numero:02d}.pdf" for a in case.avenants
                      if a.approuve_par_copil == cp.date
                      and (a.signature.date is None or a.signature.date > cp.date)))),
            ]
    if not jobs:
        raise DocgenError(msg.NOTHING_TO_BUILD.format(
            case=case.name, kinds=", ".join(options.kinds or KINDS)))
    return jobs


def outputs(jobs: list[Job], pdf: bool) -> list[str]:
    """The files these jobs write (the PDFs only when asked)."""
    out = [j.output for j in jobs if pdf or not j.output.endswith(".pdf")]
    out += [j.pdf_output for j in jobs if pdf and j.with_pdf]
    return out
