"""`docgen templates check`: split tags, syntax errors, unknown variables and a trial render of
every template (the package's and a territory's overrides) with a real case's data."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from jinja2 import TemplateSyntaxError, meta

from . import messages as msg
from .errors import TemplateError
from .model.case import Case
from .plan import BuildOptions, Job, plan
from .templating import SearchPath, docx_xml_parts, paragraph_runs


@dataclass(frozen=True)
class Finding:
    template: str
    where: str
    message: str

    def format(self) -> str:
        return f"{self.template}: {self.where}: {self.message}"


_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


def _short(text: str) -> str:
    return text if len(text) <= 70 else text[:67] + "…"


def trial_jobs(case: Case) -> dict[str, Job]:
    """One job per template name, as a draft so that every branch of PROJET is exercised; for
    the COPIL pieces, the last COPIL's (the slides of a plan, its timeline, an avenant)."""
    out: dict[str, Job] = {}
    for job in plan(case, BuildOptions(draft=True)):
        if job.spec.make in ("redline", "consolidated") or not job.templates:
            continue  # the convention's template, again; or no template at all (a CSV)
        if job.spec.family == "copil":  # the last COPIL: the most slides (plan, avenant…)
            out[job.templates[0].name] = job
        else:
            out.setdefault(job.templates[0].name, job)
    return out


def lint_case(case: Case, root: Path | None = None) -> tuple[int, list[Finding]]:
    """Lint the templates of `root` (a folder with docx/ and html/, or of template files), or
    else the package's and the case's overrides. Returns how many were checked and the findings."""
    from .pipeline import Documents

    search = SearchPath.of(case.folder)
    docs = Documents(case, BuildOptions(draft=True))
    jobs = trial_jobs(case)
    if root is not None:
        search = SearchPath((root, *search.roots))
        candidates = [p for p in sorted(root.rglob("*")) if p.is_file()]
    else:
        candidates = [search.find(f"{kind}/{name}") for name in jobs
                      for kind in ("docx", "html", "commun")
                      if (search.roots[-1] / kind / name).exists()]
        candidates += [p for p in search.overrides() if p not in candidates]
    checked, findings = 0, []
    for path in candidates:
        job = jobs.get(path.name)
        if path.suffix == ".docx" and job is not None:
            findings += lint_docx(path, docs.context(replace(job, templates=(path, *job.templates[1:]))),
                                  search)
        elif path.suffix in (".html", ".j2", ".txt", ".yaml"):
            found = lint_jinja(path, search)
            if not found and path.suffix in (".html", ".yaml") and job is not None:
                found = _trial_html(path, docs.context(job), search, job.spec.make)
            findings += found
        else:
            continue
        checked += 1
    return checked, findings


def lint_docx(path: Path, context: dict[str, Any], search: SearchPath | None = None) -> list[Finding]:
    """Split tags, syntax errors, unknown variables, and a trial render with the given context."""
    from .render.docx import render_docx

    search = search or SearchPath.of(None)
    name = path.name
    findings: list[Finding] = []
    parts = docx_xml_parts(path)
    for xml_name, xml in parts.items():
        part = _part(xml_name)
        for runs in paragraph_runs(xml):
            full = "".join(runs)
            if "'" in _TAG.sub("", full):  # the template's own words: values get ’ as printed
                findings.append(Finding(name, msg.LINT_PARAGRAPH.format(part=part, text=_short(full)),
                                        msg.LINT_APOSTROPHE))
            if "{" not in full:
                continue
            bounds, pos = [], 0
            for run in runs:
                bounds.append((pos, pos + len(run)))
                pos += len(run)
            where = msg.LINT_PARAGRAPH.format(part=part, text=_short(full))
            for m in _TAG.finditer(full):
                if not any(a <= m.start() and m.end() <= b for a, b in bounds):
                    findings.append(Finding(name, where, msg.LINT_SPLIT_TAG.format(tag=m.group(0))))
            leftover = _TAG.sub("", full)
            for opener in ("{{", "{%", "}}", "%}"):
                if opener in leftover:
                    findings.append(Finding(name, where, msg.LINT_UNBALANCED.format(opener=opener)))
                    break
    # every problem at once: the split tags above, then the syntax and the unknown names
    env = search.environment()
    for xml_name, xml in parts.items():
        part = _part(xml_name)
        paragraphs = ["".join(r) for r in paragraph_runs(xml)]
        source = "\n".join(_TAG.findall("\n".join(paragraphs)))
        source = re.sub(r"\{%(p|tr|tc|r) ", "{% ", source)
        source = re.sub(r"\{\{(p|tr|tc|r) ", "{{ ", source)
        try:
            names = meta.find_undeclared_variables(env.parse(source))
        except TemplateSyntaxError as exc:
            findings.append(Finding(name, part, msg.LINT_SYNTAX.format(detail=exc.message)))
            continue
        from .render.docx import RENDER_NAMES

        for unknown in sorted(names - set(context) - set(env.globals) - set(RENDER_NAMES)):
            findings.append(Finding(name, _where(part, paragraphs, unknown),
                                    msg.LINT_UNKNOWN_VARIABLE.format(
                                        name=unknown, known=", ".join(sorted(context)))))
    if findings:
        return findings
    try:
        render_docx(path, context, search)
    except TemplateError as exc:
        findings.append(Finding(name, msg.LINT_TRIAL, _en_francais(str(exc))))
    return findings


def _part(xml_name: str) -> str:
    """A part of a Word file as legal staff know it: the body, a header, a footer."""
    if "header" in xml_name:
        return msg.LINT_PART_HEADER
    if "footer" in xml_name:
        return msg.LINT_PART_FOOTER
    return msg.LINT_PART_BODY


def _where(part: str, paragraphs: list[str], variable: str) -> str:
    """The first paragraph whose tags use the variable, by its first words."""
    pattern = re.compile(rf"(?<![\w.]){re.escape(variable)}\b")
    for text in paragraphs:
        if any(pattern.search(tag) for tag in _TAG.findall(text)):
            return msg.LINT_PARAGRAPH.format(part=part, text=_short(text))
    return part


def _en_francais(detail: str) -> str:
    """Jinja's English for a name a template uses and the data lacks, in French."""
    detail = re.sub(r"'([^']+)' is undefined",
                    lambda m: msg.LINT_UNDEFINED.format(name=m.group(1)), detail)
    return re.sub(r"'[^']+' (?:object )?has no attribute '([^']+)'",
                  lambda m: msg.LINT_NO_ATTRIBUTE.format(name=m.group(1)), detail)


def lint_jinja(path: Path, search: SearchPath) -> list[Finding]:
    """An HTML shell, a shared macro file or a text template: it must parse."""
    try:
        search.environment().parse(path.read_text(encoding="utf-8"))
    except TemplateSyntaxError as exc:
        return [Finding(path.name, f"ligne {exc.lineno}", msg.LINT_SYNTAX.format(detail=exc.message))]
    except (OSError, UnicodeDecodeError) as exc:
        return [Finding(path.name, "lecture", msg.TEMPLATE_UNREADABLE.format(path=path, detail=exc))]
    return []


def _trial_html(path: Path, context: dict[str, Any], search: SearchPath,
                make: str = "html") -> list[Finding]:
    """Render an HTML shell, or the slides' words, with the case's data (no typesetting):
    unknown variables show. The slides are laid out too (slides.py), as the build does."""
    from jinja2 import TemplateError as JinjaError

    from .render.html import render_html

    trial = SearchPath((path.parent.parent, *search.roots))
    try:
        if make in ("slides", "pptx"):
            from .render.diaporama import html_of
            from .slides import plan

            laid_out = plan(context, trial)
            if make == "slides":
                html_of(laid_out, context, trial)
        else:
            render_html(path.name, context, trial)
    except (JinjaError, TemplateError) as exc:
        return [Finding(path.name, msg.LINT_TRIAL, _en_francais(str(exc)))]
    return []
