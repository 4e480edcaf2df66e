"""The only orchestrator: LOAD → VALIDATE → DERIVE → PLAN → RENDER → WRITE."""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
from functools import lru_cache
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__
from .context import (
    adhesion_context,
    copil_context,
    avenant_context,
    consolidation,
    convention_context,
    core_properties,
)
from .errors import DocgenError, TemplateError
from .loading import Case, load_case
from .output import Written, fresh, locked, sha256, sha256_file, write_outputs
from .redline import redline
from .render.html import render_page
from .render.pack import merge
from .templates import BUILTIN, find_template, outline_of
from .timeline import state_after

KINDS = ("convention", "adhesion", "avenant", "copil")


@dataclass(frozen=True)
class Planned:
    """One document to produce: its kind, output path, templates, how to make it, and how to
    make its signature-ready PDF when it is a DOCX that has one."""

    kind: str
    output: str
    templates: tuple[Path, ...]
    make: Callable[[], bytes]
    pdf: Callable[[], bytes] | None
    projet: bool


@dataclass
class BuildResult:
    case: Case
    folder: Path
    written: Written
    documents: list[str]


def _render(template: Path, context: dict[str, Any], core: dict[str, Any], projet: bool) -> bytes:
    from .render.docx import render_docx

    core = dict(core)
    if projet:
        core["title"] = "PROJET – " + core["title"]
    return render_docx(template, context, core)


def _logos(case: Case) -> list[dict[str, str]]:
    """The partners band of the slides: every SVG of <case>/assets/logos/, by file name; its
    <title> is the image's description (a tagged PDF requires one)."""
    import base64
    import html
    import re

    folder = case.folder / "assets" / "logos"
    out = []
    for path in sorted(folder.glob("*.svg")) if folder.is_dir() else []:
        data = path.read_bytes()
        title = re.search(rb"<title>([^<]*)</title>", data)
        name = html.unescape(title.group(1).decode("utf-8")) if title else path.stem
        out.append({"src": "data:image/svg+xml;base64," + base64.b64encode(data).decode("ascii"),
                    "nom": name})
    return out


def plan(case: Case, kinds: Sequence[str] | None, draft: bool | None,
         dates: Sequence[dt.date] = ()) -> list[Planned]:
    """Which documents this case can produce; fails here if a template is missing."""
    wanted = set(kinds or KINDS)
    out: list[Planned] = []
    conv = case.convention
    t_conv = find_template("docx/convention.docx", case.folder)
    memo: dict[str, bytes] = {}

    def once(key: str, make: Callable[[], bytes]) -> Callable[[], bytes]:
        def run() -> bytes:
            if key not in memo:
                memo[key] = make()
            return memo[key]
        return run

    def pdf_of(key: str, docx: Callable[[], bytes], name: str) -> Callable[[], bytes]:
        return once("pdf:" + key, lambda: typeset_checked(docx(), name))

    def projet_of(signed: Any) -> bool:
        return signed is None if draft is None else draft

    def convention_at(n: int) -> Callable[[], bytes]:
        """The convention as signed (0) or consolidated after avenant n."""
        if n == 0:
            projet = projet_of(conv.signature.date)
            return once("convention", lambda: _render(
                t_conv, convention_context(case, outline_of(t_conv), projet),
                core_properties(case, conv, "Convention-cadre PVD valant ORT"), projet))
        state = state_after(conv, case.avenants, n)
        title = f"Convention-cadre PVD valant ORT – version consolidée (avenant n° {n})"
        return once(f"consolidee-{n}", lambda: _render(
            t_conv,
            convention_context(case, outline_of(t_conv), False, state,
                               consolidation(case.avenants, n)),
            core_properties(case, conv, title), False))

    def docx(kind: str, output: str, templates: tuple[Path, ...], make: Callable[[], bytes],
             projet: bool, with_pdf: bool = True) -> None:
        make = once(output, make)
        out.append(Planned(kind, output, templates, make,
                           pdf_of(output, make, Path(output).name) if with_pdf else None, projet))

    if "convention" in wanted:
        docx("convention", "convention.docx", (t_conv,), convention_at(0),
             projet_of(conv.signature.date))
    if "adhesion" in wanted and case.adhesion is not None:
        adh = case.adhesion
        t_adh = find_template("docx/adhesion.docx", case.folder)
        projet = projet_of(adh.signature.date)
        docx("adhesion", "adhesion.docx", (t_adh,), lambda: _render(
            t_adh, adhesion_context(case, outline_of(t_adh), projet),
            core_properties(case, adh, "Convention d'adhésion Petites Villes de Demain"), projet),
            projet)
    if "avenant" in wanted and case.avenants:
        t_av = find_template("docx/avenant.docx", case.folder)
        for av in case.avenants:
            n = av.numero
            projet = projet_of(av.signature.date)
            title = f"Avenant n° {n} à la convention-cadre PVD valant ORT"
            docx("avenant", f"avenant-{n:02d}.docx", (t_av, t_conv),
                 lambda av=av, n=n, projet=projet, title=title: _render(
                     t_av, avenant_context(case, n, outline_of(t_conv), projet),
                     core_properties(case, av, title), projet), projet)
            docx("avenant", f"convention-consolidee-{n:02d}.docx", (t_conv,), convention_at(n),
                 False)
            when = av.signature.date or av.date_edition
            docx("avenant", f"redline-avenant-{n:02d}.docx", (t_conv,),
                 lambda n=n, when=when: redline(convention_at(n - 1)(), convention_at(n)(), when),
                 False, with_pdf=False)
    if "copil" in wanted and case.copils:
        t_convoc = find_template("docx/convocation.docx", case.folder)
        t_cr = find_template("docx/compte-rendu.docx", case.folder)
        shells = (BUILTIN / "html" / "diaporama.html", BUILTIN / "html" / "emargement.html")
        logos = _logos(case)
        epci = {p.id: p for p in case.territoire.parties}[case.territoire.epci]
        author = epci.nom[:1].upper() + epci.nom[1:]
        known = {c.date for c in case.copils}
        missing = [d for d in dates if d not in known]
        if missing:
            raise DocgenError(f"{case.name} : aucun COPIL le " + ", ".join(d.isoformat() for d in missing)
                              + " ; COPIL du dossier : "
                              + ", ".join(c.date.isoformat() for c in case.copils) + ".")
        for cp in case.copils:
            if dates and cp.date not in dates:
                continue
            folder = f"copil-{cp.date.isoformat()}"
            ctx = once(f"ctx-{folder}", lambda cp=cp: _copil_ctx(case, cp.numero, logos, author))
            core = {"title": f"COPIL Petites Villes de Demain du {cp.date.isoformat()}",
                    "subject": cp.objet, "author": author, "created": cp.date_edition,
                    "keywords": "Petites Villes de Demain; COPIL", "category": "COPIL"}
            docx("copil", f"{folder}/convocation.docx", (t_convoc,),
                 lambda ctx=ctx, core=core: _render(
                     t_convoc, ctx(), {**core, "title": "Convocation – " + core["title"]}, False),
                 False)
            convocation = out[-1]
            slides = once(f"{folder}/diaporama.pdf", lambda ctx=ctx: render_page(
                "diaporama.html", ctx(), "diaporama.pdf"))
            out.append(Planned("copil", f"{folder}/diaporama.pdf", shells[:1], slides, None, False))
            sheet = once(f"{folder}/emargement.pdf", lambda ctx=ctx: render_page(
                "emargement.html", ctx(), "emargement.pdf"))
            out.append(Planned("copil", f"{folder}/emargement.pdf", shells[1:], sheet, None, False))
            docx("copil", f"{folder}/compte-rendu.docx", (t_cr,),
                 lambda ctx=ctx, core=core: _render(
                     t_cr, ctx(), {**core, "title": "Compte rendu – " + core["title"]}, False),
                 False)
            minutes = out[-1]
            out.append(Planned("copil", f"{folder}/pack.pdf", (), lambda cp=cp, convocation=convocation,
                               minutes=minutes, slides=slides, sheet=sheet: merge(
                [("Convocation", convocation.pdf()), ("Diaporama", slides()),  # type: ignore[misc]
                 ("Feuille d'émargement", sheet()), ("Compte rendu", minutes.pdf())],  # type: ignore[misc]
                f"Dossier du comité de pilotage Petites Villes de Demain du "
                f"{cp.date.isoformat()}", author, cp.date_edition), None, False))
    return out


def _copil_ctx(case: Case, numero: int, logos: list[dict[str, str]], author: str) -> dict[str, Any]:
    ctx = copil_context(case, numero, logos)
    communes = {c.id: c.nom for c in case.territoire.territoire.communes}
    parties = {p.id: p for p in case.territoire.parties}
    ctx.update({
        "auteur": author,
        "communes": [communes[c] for c in case.convention.communes],
        "epci": parties[case.territoire.epci].nom,
    })
    return ctx


def lint_contexts(case: Case) -> dict[str, Callable[[Path], dict[str, Any]]]:
    """For `templates check`: each Word template's name and how to build a trial context for it
    (the example case's data, as a draft so every conditional branch of PROJET is exercised)."""
    t_conv = find_template("docx/convention.docx", case.folder)
    out: dict[str, Callable[[Path], dict[str, Any]]] = {
        "convention.docx": lambda p: convention_context(case, outline_of(p), True),
    }
    if case.adhesion is not None:
        out["adhesion.docx"] = lambda p: adhesion_context(case, outline_of(p), True)
    if case.avenants:
        out["avenant.docx"] = lambda p: avenant_context(case, case.avenants[-1].numero,
                                                        outline_of(t_conv), True)
    if case.copils:
        numero = case.copils[-1].numero
        epci = {p.id: p for p in case.territoire.parties}[case.territoire.epci].nom
        out["convocation.docx"] = lambda p: _copil_ctx(case, numero, [], epci)
        out["compte-rendu.docx"] = lambda p: _copil_ctx(case, numero, [], epci)
    return out


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
    dates: Sequence[dt.date] = (),
) -> BuildResult:
    """Build the documents of one territory folder into out/<case>/."""
    case = load_case(case_folder)
    documents = plan(case, kinds, draft, dates)
    if not documents:
        raise DocgenError(f"{case.name} : aucun document à produire pour "
                          f"{', '.join(kinds or KINDS)}.")
    folder = out / case.name
    fp = fingerprint(case.folder, draft, pdf)
    expected = [d.output for d in documents if pdf or not d.output.endswith(".pdf")]
    expected += [d.output[: -len(".docx")] + ".pdf" for d in documents if pdf and d.pdf is not None]
    if not force and fresh(folder, expected, fp):
        return BuildResult(case, folder, Written(unchanged=[folder / e for e in expected]), expected)
    files: dict[str, bytes] = {}
    meta: dict[str, dict[str, Any]] = {}
    for doc in documents:  # gather everything in memory first, then write
        if not pdf and doc.output.endswith(".pdf"):
            continue
        files[doc.output] = doc.make()
        meta[doc.output] = {"kind": doc.kind, "templates": [t.name for t in doc.templates],
                            "projet": doc.projet}
        if pdf and doc.pdf is not None:
            pdf_name = doc.output[: -len(".docx")] + ".pdf"
            files[pdf_name] = doc.pdf()
            meta[pdf_name] = {"kind": doc.kind, "from": Path(doc.output).name,
                              "projet": doc.projet}
        gc.collect()  # large cases: keep the peak to one document's worth
    for entry in meta.values():
        entry["fingerprint"] = fp
    templates = {t.name: sha256_file(t) for d in documents for t in d.templates}
    inputs = {str(p.relative_to(case.folder)): sha256_file(p) for p in case.files}
    with locked(folder):
        written = write_outputs(folder, files, meta, templates, inputs, force=force)
    return BuildResult(case, folder, written, list(files))


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """docgen's own code, fonts and built-in templates: a change in any rebuilds everything."""
    h = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent
    for root in (package, BUILTIN):
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(str(path.relative_to(root)).encode())
                h.update(path.read_bytes())
    return h.hexdigest()


def fingerprint(case_folder: Path, draft: bool | None, pdf: bool) -> str:
    """Everything a build of this case reads: its files (overriding templates and assets
    included), docgen itself, and the options that change the output."""
    h = hashlib.sha256(code_fingerprint().encode())
    h.update(repr((draft, pdf)).encode())
    for path in sorted(case_folder.rglob("*")):
        if path.is_file() and not any(part.startswith(".") for part in path.parts):
            h.update(str(path.relative_to(case_folder)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


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


__all__ = ["KINDS", "BuildResult", "Outcome", "build", "build_outcome", "expand_cases",
           "pdf_of_docx", "plan", "sha256", "__version__"]


# ------------------------------------------------------------------ batches


def expand_cases(paths: Sequence[Path]) -> list[Path]:
    """A territory folder is itself; a folder of territories is each of them."""
    out: list[Path] = []
    for path in paths:
        if (path / "convention.yaml").exists() or (path / "territoire.yaml").exists():
            out.append(path)
            continue
        children = sorted(p for p in path.iterdir() if p.is_dir() and (
            (p / "convention.yaml").exists() or (p / "territoire.yaml").exists())) if path.is_dir() else []
        out.extend(children or [path])
    return out


@dataclass(frozen=True)
class Outcome:
    """What became of one territory in a batch."""

    case: str
    status: str  # "construit", "inchangé" or "échec"
    written: int = 0
    message: str = ""
    warnings: tuple[str, ...] = ()


def build_outcome(folder: Path, kinds: Sequence[str] | None, out: Path, draft: bool | None,
                  force: bool, dates: Sequence[dt.date], pdf: bool = True) -> Outcome:
    """One territory, errors caught: a broken case never stops the others."""
    from .errors import CaseInvalid

    try:
        result = build(folder, kinds, out, draft, force, pdf=pdf, dates=dates)
    except CaseInvalid as exc:
        first = exc.errors[0].format() if exc.errors else exc.render().splitlines()[0]
        return Outcome(folder.name, "échec", message=f"{first} ({len(exc.errors)} erreur(s))")
    except DocgenError as exc:
        return Outcome(folder.name, "échec", message=exc.render().splitlines()[0])
    except Exception as exc:  # noqa: BLE001 — a bug in one territory must not stop the batch
        return Outcome(folder.name, "échec", message=f"erreur interne : {type(exc).__name__}: {exc}")
    written = result.written
    status = "construit" if written.written else "inchangé"
    return Outcome(folder.name, status, len(written.written),
                   warnings=tuple(w.format() for w in result.case.warnings))
