"""The only orchestrator: LOAD → RESOLVE → PLAN → CONTEXT → RENDER → FINISH → WRITE.

Everything is gathered in memory first, then written in one go (output.py), so a failure
leaves the previous documents as they were.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import html
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import acts
from . import messages as msg
from .acts import Frozen, check_unchanged, code_of
from .context import CONTEXTS
from .context.common import reference_avenant
from .errors import DocgenError, TemplateError
from .kinds import ETAT, KINDS
from .load import load_case
from .load.assets import logos
from .model.case import Case
from .output import Written, fresh, locked, sha256_file, write_outputs
from .plan import BuildOptions, Job, avenant_job, outputs, plan
from .provisions import Amendement, amendements, mark_document, marks_after, provisions
from .resolve import Resolved, resolve
from .signatures import unsigned
from .templating import PACKAGE, SearchPath, outline_of
from .typographie import exposants
from .version import __version__


@dataclass
class BuildResult:
    case: Case
    folder: Path
    written: Written
    documents: list[str]
    issued: list[str] = field(default_factory=list)  # acts recorded in the register by this build
    redone: dict[Path, str] = field(default_factory=dict)  # documents made again, and why


LARGE_CASE = 100  # fiches: beyond, memory is collected after each document

Progress = Callable[[dict[str, Any]], None]


def _silent(note: dict[str, Any]) -> None:
    """No one to tell of the progress (the command line prints the documents once written)."""


class Documents:
    """The documents of one case, each rendered once, in memory (a redline reuses the two
    versions it compares; a pack reuses its pieces)."""

    def __init__(self, case: Case, options: BuildOptions,
                 frozen: dict[str, Frozen] | None = None,
                 presented: dict[tuple[int, str], bytes] | None = None,
                 progress: Progress | None = None) -> None:
        self.case = case
        self.options = options
        self.progress = progress or _silent  # told of each document made, in any process
        self.frozen = frozen or {}  # signed acts: their text of record (acts.py)
        self.presented = presented or {}  # slides of COPILs held, as presented (acts.py)
        self.resolved: Resolved = resolve(case.convention, case.avenants)
        self.search = SearchPath.of(case.folder)
        self._memo: dict[str, bytes] = {}
        self._contexts: dict[str, dict[str, Any]] = {}  # one per COPIL, for its pieces
        self._jobs: list[Job] = []
        self._amendements: dict[tuple[int, str], list[Amendement]] = {}

    def _once(self, key: str, make: Any) -> bytes:
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    def context(self, job: Job) -> dict[str, Any]:
        """The data job's template prints: its kind's builder (kinds.py → context.CONTEXTS)."""
        return CONTEXTS[job.spec.data](self, job)

    # -- what the builders of docgen/context/ ask of a build (context.Sources) -----------------
    def outline(self, template: Path) -> Any:
        return outline_of(template)

    def logos(self) -> list[dict[str, str]]:
        return logos(self.case)

    def memo(self, key: str, make: Any) -> dict[str, Any]:
        if key not in self._contexts:
            self._contexts[key] = make()
        return self._contexts[key]

    def convention_at(self, numero: int, template: Path) -> bytes:
        """The convention in force after avenant n (0: as signed) in its consolidated form, as
        DOCX: informative (where and by whom the originals were signed, never a signature
        block). A redline compares two of them, each headed as the comparison (comparaison)."""
        k = KINDS["consolidee"]
        return self.get(Job(k.family, k.name, "", (template,), numero, projet=False))

    def comparaison(self, numero: int, avenant: int, template: Path) -> bytes:
        """One side of the redline of avenant `avenant`: the convention in force after avenant
        `numero` (its number or the one before), consolidated as convention_at gives it, but
        headed as a comparison before and after that avenant, « sans valeur juridique », and
        dated with it (its signature, else its edition), like the redline's revision marks."""
        k = KINDS["consolidee"]
        job = Job(k.family, k.name, "", (template,), numero, projet=False)
        av = next(a for a in self.case.avenants if a.numero == avenant)
        extra = {"comparaison": reference_avenant(av),
                 "date_edition": av.signature.date or av.date_edition}
        return self._once(f"comparaison:{avenant}:{numero}", lambda: self._docx(job, extra))

    def etat(self, numero: int, template: Path) -> bytes:
        """The convention after avenant n (0: as signed), rendered without any mark: what the
        provisions are read from."""
        return self.get(Job(ETAT.family, ETAT.name, "", (template,), numero, projet=False))

    def amendements(self, numero: int, template: Path) -> list[Amendement]:
        """What avenant n amends: every provision whose text differs between the convention in
        force before it and after it."""
        key = (numero, str(template))
        if key not in self._amendements:
            self._amendements[key] = amendements(provisions(self.etat(numero - 1, template)),
                                                 provisions(self.etat(numero, template)))
        return self._amendements[key]

    def marks(self, numero: int, template: Path) -> dict[str, list[dict[str, Any]]]:
        """Which avenants (1…n) amended each provision in force after avenant n."""
        history = [(reference_avenant(av), self.amendements(av.numero, template))
                   for av in sorted(self.case.avenants, key=lambda a: a.numero)
                   if av.numero <= numero]
        return marks_after(history)

    def _mark_wording(self) -> Any:
        """« Modifié par l'avenant n° 1 du … », as libelles.j2 words it."""
        module = self.search.environment().get_template("commun/libelles.j2").make_module({})
        # jinja2 types a template's module without the macros it sets as its attributes
        return lambda nature, refs: html.unescape(
            str(module.mention_modification(nature, refs)))  # type: ignore[attr-defined]

    def get(self, job: Job) -> bytes:
        """The bytes of one job's output (the slides of a COPIL held: as presented)."""
        shown = self.presented.get((job.numero, job.document)) if job.spec.presented else None
        if shown is not None:
            return shown
        return self._once(self._key(job), lambda: self._make(job))

    @staticmethod
    def _key(job: Job) -> str:
        return f"{job.document}:{job.numero}:{job.projet}"

    def _make(self, job: Job) -> bytes:
        """One document, made as its kind says (kinds.py, `make`)."""
        spec = job.spec
        if spec.make == "redline":
            from .redline import redline

            av = next(a for a in self.case.avenants if a.numero == job.numero)
            t_conv = job.templates[0]
            return redline(self.comparaison(job.numero - 1, job.numero, t_conv),
                           self.comparaison(job.numero, job.numero, t_conv),
                           av.signature.date or av.date_edition)
        if spec.make == "html":
            from .finish.pdf_html import html_to_pdf
            from .render.html import render_html

            text = render_html(job.templates[0].name, self.context(job), self.search)
            identifier = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32].encode()
            return html_to_pdf(text, identifier, Path(job.output).name, self.search)
        if spec.make == "slides":
            from .render.diaporama import pdf_of
            from .slides import plan

            ctx = self.context(job)
            return pdf_of(plan(ctx, self.search), ctx, self.search, Path(job.output).name)
        if spec.make == "pptx":
            from .render.pptx import render_pptx

            ctx = self.context(job)
            return render_pptx(ctx, self.search, ctx["date_edition"])
        if spec.make == "handout":
            from .finish.pack import handout

            slides = next(j for j in self._jobs if j.output == job.sources[0])
            ctx = self.context(job)
            return handout(self.get(slides), ctx["auteur"], ctx["date_edition"])
        if spec.make == "pack":
            return self._pack(job)
        if spec.make == "csv":
            from .parcelles import csv_bytes

            return csv_bytes(self.context(job)["secteurs"])
        return self._docx(job)

    def _docx(self, job: Job, extra: dict[str, Any] | None = None) -> bytes:
        """A document rendered from its Word template (`extra`: data that overrides its
        kind's, for a redline's sides)."""
        from .render.docx import render_docx

        spec = job.spec
        rendered = render_docx(job.templates[0], {**self.context(job), **(extra or {})},
                               self.search)
        if spec.superscripts:
            rendered = exposants(rendered)
        if spec.make == "consolidated":
            rendered = mark_document(rendered, self.marks(job.numero, job.templates[0]),
                                     self._mark_wording())
        elif spec.make == "avenant":  # it quotes the convention, pictures included
            from .render.media import carry_quoted_parts

            rendered = carry_quoted_parts(rendered, self.etat(job.numero, job.templates[1]))
        if not spec.signed:  # signature fields come from the kind, never from the wording
            rendered = unsigned(rendered)
        return rendered

    def pdf(self, job: Job) -> bytes:
        """The PDF typeset from job's DOCX (signature-ready when the document is an act): read
        strictly, typeset by Typst, refused unless it says the same words."""
        from .finish.pdf import docx_to_pdf

        return self._once("pdf:" + job.output, lambda: docx_to_pdf(
            self.get(job), Path(job.output).name))

    def _pack(self, job: Job) -> bytes:
        """A COPIL's pack: its pieces, then the drafts of the avenants it approved."""
        from .finish.pack import merge
        from .render.html import render_text

        ctx = self.context(job)
        labels = render_text(job.templates[0].name, ctx, self.search)
        pieces = []
        for source in job.sources:
            piece = Path(source).stem
            sibling = next(j for j in self._jobs if j.output in (source, source[:-4] + ".docx"))
            data = self.get(sibling) if sibling.output == source else self.pdf(sibling)
            pieces.append((labels.get(piece, piece), data))
        for n in job.drafts:
            piece = f"avenant-{n:02d}"
            pieces.append((labels.get(piece, piece), self.pdf(draft_job(self.case, n,
                                                                        self.options))))
        return merge(pieces, labels.get("titre", ""), ctx["auteur"], ctx["date_edition"])

    def build_all(self, jobs: list[Job]) -> tuple[dict[str, bytes], dict[str, dict[str, Any]]]:
        """Every output of these jobs, with its manifest entry: the groups of jobs that share
        renderings spread over the processes options.jobs allows (one per core by default;
        each imports what its documents need), then the packs that carry an avenant's draft,
        from pieces of two groups; the same bytes as one after the other."""
        from . import parallel

        self._jobs = jobs
        last = [j for j in jobs if carries_draft(j)]
        groups = job_groups(jobs, draft_jobs(self.case, self.options, last))
        processes = parallel.workers(self.options.jobs) if len(groups) > 1 else 1
        html = [("weasyprint" if any(j.spec.make in ("html", "slides", "handout") for j in g)
                 else None)
                for g in groups]
        tasks = [lambda g=g: self._build_group(g) for g in groups]
        results = parallel.run(tasks, processes, needs=html,
                               **limits(groups, self.options.limit))
        files: dict[str, bytes] = {}
        meta: dict[str, dict[str, Any]] = {}
        for group_files, group_meta, renderings in results:
            files.update(group_files)
            meta.update(group_meta)
            self._memo.update(renderings)  # what the last packs gather, from any process
        ((pack_files, pack_meta, _),) = parallel.run([lambda: self._build_group(last)], 1,
                                                     **limits([last], self.options.limit))
        files.update(pack_files)
        meta.update(pack_meta)
        order = [o for j in jobs for o in (j.output, j.pdf_output if j.with_pdf else None)
                 if o in files]
        return {o: files[o] for o in order}, {o: meta[o] for o in order}

    def _made(self, output: str) -> None:
        """A document of the plan made (not a draft a pack carries): the progress is told."""
        if any(output in (j.output, j.pdf_output) for j in self._jobs):
            self.progress({"fait": output})

    def _build_group(self, jobs: list[Job]) -> tuple[dict[str, bytes], dict[str, dict[str, Any]],
                                                      dict[str, bytes]]:
        """The outputs of these jobs, their manifest entries, and their renderings (for the
        packs, which may be assembled in another process)."""
        files: dict[str, bytes] = {}
        meta: dict[str, dict[str, Any]] = {}
        pdf = self.options.pdf
        large = len(self.case.convention.fiches_actions) > LARGE_CASE
        for job in jobs:
            if not pdf and job.output.endswith(".pdf"):
                continue
            frozen = self.frozen.get(act_code(job) or "")
            if frozen is not None:  # a signed act (even with --draft) is rendered final, only
                job = replace(job, projet=False)  # to prove its text would not change
            with runaway(Path(job.output).name):
                files[job.output] = self.get(job)
            self._made(job.output)
            meta[job.output] = {"kind": job.kind, "templates": [t.name for t in job.templates],
                                "projet": job.projet}
            if frozen is not None:
                check_unchanged(self.case, frozen.code, frozen, files[job.output])
                files[job.output] = frozen.docx
                meta[job.output] |= {"projet": False, "acte": frozen.code}
                if pdf and job.with_pdf:
                    files[job.pdf_output] = frozen.pdf
                    meta[job.pdf_output] = {"kind": job.kind, "from": Path(job.output).name,
                                            "projet": False, "acte": frozen.code,
                                            "original": frozen.signed}
                    self._made(job.pdf_output)
                continue
            if pdf and job.with_pdf:
                with runaway(Path(job.pdf_output).name):
                    files[job.pdf_output] = self.pdf(job)
                self._made(job.pdf_output)
                meta[job.pdf_output] = {"kind": job.kind, "from": Path(job.output).name,
                                        "projet": job.projet}
            if large:  # keep the peak to one document's worth (a full collection costs ~0.1 s)
                gc.collect()
        keys = {k for j in jobs for k in (self._key(j), "pdf:" + j.output)}
        return files, meta, {k: v for k, v in self._memo.items() if k in keys}


def act_code(job: Job) -> str | None:
    """The act (in the register) a job's document is, if it is one (kinds.py, `signed`); not
    the draft of an avenant that a COPIL's pack carries (the act as submitted, not as signed)."""
    own = job.spec.signed and job.output == job.spec.file(job.numero)
    return code_of(job.document, job.numero) if own else None


def draft_job(case: Case, numero: int, options: BuildOptions) -> Job:
    """The draft of avenant n submitted to a committee, as it stood then (PROJET), even when
    the avenant has been signed since: built for a pack, never written on its own."""
    job = avenant_job(case, numero, options)
    return replace(job, output=f"projet-avenant-{numero:02d}.docx", projet=True)


def draft_jobs(case: Case, options: BuildOptions, packs: list[Job]) -> tuple[Job, ...]:
    """The avenants' drafts these packs carry, each once."""
    return tuple(draft_job(case, n, options) for n in sorted({n for p in packs for n in p.drafts}))


def carries_draft(job: Job) -> bool:
    """A COPIL's pack that carries an avenant's draft (rendered with the acts, elsewhere)."""
    return bool(job.drafts)


def job_groups(jobs: list[Job], drafts: tuple[Job, ...] = ()) -> list[list[Job]]:
    """Jobs that reuse one another's renderings, together, the longest first (kinds.py,
    `group`): the acts (the convention, the adhésion, each avenant with its consolidated
    version and redline, which quote and compare the convention) with the avenants' drafts
    that packs carry (rendered from the same versions of the convention); each COPIL's pieces
    and pack; then each COPIL's PPTX, which needs nothing else (short tasks last even out the
    processes' loads). A pack that carries a draft is in none: it is assembled once every
    group is done. Within a group, the plan's order."""
    groups: dict[tuple[str, int], list[Job]] = {}
    if drafts:
        groups[("actes", 0)] = []
    for job in jobs:
        if carries_draft(job):
            continue
        group = job.spec.group
        groups.setdefault((group, 0 if group == "actes" else job.numero), []).append(job)
    if drafts:
        groups[("actes", 0)].extend(drafts)
    rank = {"actes": 0, "copil": 1, "pptx": 2}
    return [groups[k] for k in sorted(groups, key=lambda k: (rank[k[0]], k[1]))]


def limits(groups: list[list[Job]], per_document: float | None) -> dict[str, Any]:
    """parallel.run's real time limit for these groups of documents: `per_document` seconds
    (BuildOptions.limit) per document of the largest group (each group is one task); past it,
    the process making it is killed — a template that loops, or native code that hangs
    (Typst) — and the build stops with a French TemplateError naming the group's documents.
    None: no limit here (the caller's job runner has one)."""
    from . import parallel

    if per_document is None:
        return {}
    # at least one document's time: a group may be empty (the packs that carry a draft, when
    # none does), and a limit of 0 s would kill even the empty task under load
    seconds = per_document * max(1, max((len(g) for g in groups), default=1))
    names = [", ".join(Path(j.output).name for j in g) for g in groups]
    return {"limit": seconds, "overtime": lambda index: TemplateError(msg.RENDER_TIMEOUT.format(
        name=names[index], seconds=parallel.in_seconds(seconds)))}


@contextlib.contextmanager
def runaway(name: str) -> Iterator[None]:
    """The runaway templates that Python itself stops, as French TemplateErrors (the time limit
    is parallel.run's: the process is killed, see limits())."""
    try:
        yield
    except OverflowError as exc:  # the sandbox's range() cap (100,000), or a huge number
        raise TemplateError(msg.RENDER_TOO_BIG.format(name=name)) from exc
    except RecursionError as exc:  # a macro calling itself
        raise TemplateError(msg.RENDER_RECURSION.format(name=name)) from exc
    except MemoryError as exc:
        raise TemplateError(msg.RENDER_MEMORY.format(name=name)) from exc


def build(case_folder: Path, options: BuildOptions = BuildOptions(),
          progress: Progress | None = None) -> BuildResult:
    """Build the documents of one territory folder into options.out/<case>/, holding the output
    folder's lock from the first look at it to the last write. `progress` is told the documents
    planned ({"prevus": [...]}), then each one made ({"fait": name}), from whichever process
    makes it (the web workspace shows them as they come: jobs.note)."""
    case = load_case(case_folder)
    registre = case.registre
    jobs = plan(case, options)
    folder = options.out / case.name
    with locked(folder):
        fp = fingerprint(case.folder, options)
        expected = outputs(jobs, options.pdf)
        if not options.force and fresh(folder, expected, fp):
            return BuildResult(case, folder, Written(unchanged=[folder / e for e in expected]),
                               expected)
        if progress is not None:
            progress({"prevus": expected})
        files, meta = Documents(case, options, acts.frozen_acts(case, registre),
                                acts.presented_slides(case, registre), progress).build_all(jobs)
        issued = register_issued(case, registre, jobs, files)
        if issued:
            registre = acts.read(case.folder)
        shown = record_presented(case, registre, jobs, files)
        if issued or shown:  # the register is read by the next build: part of what this one used
            fp = fingerprint(case.folder, options)
            for job in jobs:  # entries as the next build, which keeps them, writes them
                if act_code(job) in issued:
                    meta[job.output]["acte"] = act_code(job)
                    if job.pdf_output in meta:
                        meta[job.pdf_output] |= {"acte": act_code(job), "original": False}
        for entry in meta.values():
            entry["fingerprint"] = fp
        templates = {t.name: sha256_file(t) for j in jobs for t in j.templates}
        inputs = {str(p.relative_to(case.folder)): sha256_file(p) for p in case.files}
        redone = reasons_to_redo(folder, jobs, files, fp, inputs)
        written = write_outputs(folder, files, meta, templates, inputs, force=options.force,
                                keep_edited=True)  # an edited document blocks only itself
    return BuildResult(case, folder, written, list(files), issued,
                       {folder / rel: why for rel, why in redone.items()})


def reasons_to_redo(folder: Path, jobs: list[Job], files: dict[str, bytes], fp: str,
                    inputs: dict[str, str]) -> dict[str, str]:
    """For each document an earlier build made from other sources (its fingerprint differs),
    what changed since (stale.why): a document is never rewritten without saying why."""
    from .output import read_manifest
    from .stale import why

    try:
        manifest = read_manifest(folder)
    except DocgenError:  # a corrupt manifest: write_outputs says so
        return {}
    by_output = {o: j for j in jobs for o in outputs([j], True)}
    out = {}
    for rel in files:
        entry = manifest["outputs"].get(rel)
        if entry is not None and entry.get("fingerprint") != fp and rel in by_output:
            out[rel] = why(by_output[rel], manifest, inputs)
    return out


def record_presented(case: Case, registre: acts.Registre, jobs: list[Job],
                     files: dict[str, bytes]) -> bool:
    """Record the slides just made for the COPILs not held yet (kinds.py, `presented`): the last
    version before the meeting is the one presented, kept once the COPIL is held."""
    import datetime as dt

    slides = {(j.numero, j.document): (Path(j.output).suffix, files[j.output]) for j in jobs
              if j.spec.presented and j.output in files}
    new, record = acts.record_presented(case, registre, slides, dt.date.today())
    if record:
        acts.save(case.folder, new, record)
    return bool(record)


def register_issued(case: Case, registre: acts.Registre, jobs: list[Job],
                    files: dict[str, bytes]) -> list[str]:
    """Record in the register each act this build issued for the first time in its final
    version with a signature date (acts.py): from now on, its text is of record."""
    import datetime as dt

    issued: list[str] = []
    record: dict[str, bytes] = {}
    for job in jobs:
        code = act_code(job)
        if (code is None or job.projet or job.pdf_output not in files
                or acts.is_frozen(case, code, registre.actes.get(code))
                or acts.act_model(case, code).signature.date is None):
            continue
        registre, more = acts.issue(case, registre, code, files[job.output],
                                    files[job.pdf_output], "production", dt.date.today())
        record |= more
        issued.append(code)
    if issued:
        acts.save(case.folder, registre, record)
    return issued


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """docgen's own code, fonts and built-in templates: a change in any rebuilds everything."""
    h = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent
    for root in (package, PACKAGE):
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(str(path.relative_to(root)).encode())
                h.update(path.read_bytes())
    return h.hexdigest()


def fingerprint(case_folder: Path, options: BuildOptions) -> str:
    """Everything a build of this case reads: its files (overriding templates and assets
    included), docgen itself, and the options that change the output."""
    h = hashlib.sha256(code_fingerprint().encode())
    h.update(repr((options.draft, options.pdf)).encode())
    for path in sorted(case_folder.rglob("*")):
        rel = path.relative_to(case_folder)  # only the parts inside the case: `../cases/x` counts
        if path.is_file() and not any(part.startswith(".") for part in rel.parts):
            h.update(str(rel).encode())
            h.update(path.read_bytes())
    return h.hexdigest()
