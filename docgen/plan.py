"""PLAN: which documents a case gives, from which templates, to which paths — a list of jobs.

Data only: the pipeline carries the jobs out. A missing template fails here, before rendering.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import messages as msg
from .errors import DocgenError
from .kinds import FAMILIES, KINDS, Kind, of_family
from .kinds import kind as kind_named
from .model.case import Case
from .templating import SearchPath


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
    # seconds for one document (with its PDF), past which the process making it is killed;
    # None: no limit of the build's own (the web workspace's job runner has one for the job)
    limit: float | None = 300.0


@dataclass(frozen=True)
class Job:
    """One output file: what it is, where it goes, what it is made from."""

    kind: str  # the --doc family: convention, adhesion, avenant, copil
    document: str  # the kind of document (kinds.KINDS): convention, consolidee, pack…
    output: str  # relative to the territory's output folder
    templates: tuple[Path, ...] = ()  # the first is the one rendered
    numero: int = 0  # the avenant (avenant, consolidee, redline) or the COPIL
    projet: bool = False
    with_pdf: bool = False  # a DOCX whose PDF (signature-ready for acts) is typeset beside it
    sources: tuple[str, ...] = field(default=())  # outputs it is assembled from (pack)
    drafts: tuple[int, ...] = ()  # the avenants whose drafts a COPIL's pack carries

    @property
    def pdf_output(self) -> str:
        return self.output[: -len(".docx")] + ".pdf"

    @property
    def spec(self) -> Kind:
        """What kinds.py says of this kind of document."""
        return kind_named(self.document)


def is_projet(signed: dt.date | None, draft: bool | None) -> bool:
    """PROJET until signed, unless --draft / --final says otherwise."""
    return signed is None if draft is None else draft


def job_of(k: Kind, search: SearchPath, n: int = 0, folder: str = "", projet: bool = False,
           drafts: tuple[int, ...] = ()) -> Job:
    """The job of one document of kind k (n: its avenant or COPIL; folder: its COPIL's)."""
    pdf_of = {s.name: s.file(n, folder) for s in KINDS.values()}
    sources = tuple(pdf_of[s][: -len(".docx")] + ".pdf" if pdf_of[s].endswith(".docx")
                    else pdf_of[s] for s in k.sources)
    return Job(k.family, k.name, k.file(n, folder), tuple(search.find(t) for t in k.templates),
               n, projet=projet, with_pdf=k.pdf, sources=sources, drafts=drafts)


def avenant_job(case: Case, numero: int, options: BuildOptions) -> Job:
    """The avenant's own job (a COPIL pack attaches the draft submitted to it)."""
    av = next(a for a in case.avenants if a.numero == numero)
    return job_of(KINDS["avenant"], SearchPath.of(case.folder), numero,
                  projet=is_projet(av.signature.date, options.draft))


def copil_kinds(held: bool) -> list[Kind]:
    """The kinds a COPIL builds at its stage: every one once held; before, all but those that
    record the meeting (kinds.py, `held`: the minutes), and no piece assembled from them (a
    pack made before the meeting is assembled without them)."""
    kinds = of_family("copil")
    if held:
        return kinds
    minutes = {k.name for k in kinds if k.held}
    return [replace(k, sources=tuple(s for s in k.sources if s not in minutes))
            for k in kinds if not k.held]


def plan(case: Case, options: BuildOptions) -> list[Job]:
    """Every job of this case for these options, in the order they are built: each family
    asked for (all by default), each of its kinds (kinds.py) for each of its documents."""
    wanted = set(options.kinds or FAMILIES)
    search = SearchPath.of(case.folder)
    jobs: list[Job] = []

    def signed(k: Kind, date: dt.date | None) -> bool:
        return k.signed and is_projet(date, options.draft)

    if "convention" in wanted:
        jobs += [job_of(k, search, projet=signed(k, case.convention.signature.date))
                 for k in of_family("convention")]
    if "adhesion" in wanted and case.adhesion is not None:
        jobs += [job_of(k, search, projet=signed(k, case.adhesion.signature.date))
                 for k in of_family("adhesion")]
    if "avenant" in wanted:
        for av in case.avenants:
            jobs += [job_of(k, search, av.numero, projet=signed(k, av.signature.date))
                     for k in of_family("avenant")]
    if "copil" in wanted and case.copils:
        known = {c.date for c in case.copils}
        missing = [d for d in options.dates if d not in known]
        if missing:
            raise DocgenError(msg.NO_COPIL_ON.format(
                case=case.name, dates=", ".join(d.isoformat() for d in missing),
                known=", ".join(c.date.isoformat() for c in case.copils)))
        for cp in case.copils:
            if options.dates and cp.date not in options.dates:
                continue
            # the avenants this COPIL approved and that were not signed by then: their drafts
            drafts = tuple(a.numero for a in case.avenants if a.approuve_par_copil == cp.date
                           and (a.signature.date is None or a.signature.date > cp.date))
            jobs += [job_of(k, search, cp.numero, f"copil-{cp.date.isoformat()}",
                            drafts=drafts if k.make == "pack" else ())
                     for k in copil_kinds(cp.tenu)]
    cadastre = any(f.parcelles for f in case.fonds.values())
    jobs = [j for j in jobs if cadastre or not j.spec.cadastre]
    if not jobs:
        raise DocgenError(msg.NOTHING_TO_BUILD.format(
            case=case.name, kinds=", ".join(options.kinds or FAMILIES)))
    return jobs


def outputs(jobs: list[Job], pdf: bool) -> list[str]:
    """The files these jobs write (the PDFs only when asked)."""
    out = [j.output for j in jobs if pdf or not j.output.endswith(".pdf")]
    out += [j.pdf_output for j in jobs if pdf and j.with_pdf]
    return out
