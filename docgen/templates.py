"""Templates: search path, one sandboxed Jinja environment, compiled-template cache, lint."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateSyntaxError, meta
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from markupsafe import Markup, escape

from .errors import TemplateError
from .formatting import FILTERS

BUILTIN = Path(__file__).resolve().parent.parent / "templates"
# docxtpl turns these markers back into braces after rendering; a case value must never
# contain them literally, so their underscore is written as a character reference.
_DOCXTPL_MARKERS = re.compile(r"\{_\{|\}_\}|\{_%|%_\}")


def _finalize(value: Any) -> Any:
    """Escape every value for XML, and neutralise docxtpl's escape markers in case values."""
    if isinstance(value, Markup):
        return value
    text = escape(str(value))
    if _DOCXTPL_MARKERS.search(text):
        text = Markup(_DOCXTPL_MARKERS.sub(lambda m: m.group(0).replace("_", "&#95;"), text))
    return text


class DocgenEnvironment(SandboxedEnvironment):
    """Sandboxed, autoescaped, strict: a template can neither run code nor print nothing."""

    def __init__(self) -> None:
        super().__init__(
            autoescape=True,
            undefined=StrictUndefined,
            finalize=_finalize,
            keep_trailing_newline=True,
        )
        self.filters.update(FILTERS)
        self._compiled: dict[str, Template] = {}

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Template:
        """Compile once per process: docxtpl asks again for every render of the same part."""
        if globals is None and template_class is None and isinstance(source, str):
            cached = self._compiled.get(source)
            if cached is None:
                cached = super().from_string(source)
                self._compiled[source] = cached
            return cached
        return super().from_string(source, globals, template_class)


@lru_cache(maxsize=1)
def environment() -> DocgenEnvironment:
    return DocgenEnvironment()


def find_template(name: str, case_folder: Path | None = None) -> Path:
    """A template next to the case (`<case>/templates/<name>`) overrides the built-in one."""
    candidates = []
    if case_folder is not None:
        candidates.append(case_folder / "templates" / name)
    candidates.append(BUILTIN / name)
    for path in candidates:
        if path.is_file():
            return path
    raise TemplateError(f"modèle introuvable : {name} (cherché dans : "
                        + ", ".join(str(c.parent) for c in candidates) + ").")


# ------------------------------------------------------------------ numbering from the template

_ARTICLE = re.compile(r"\barticle\.([a-z_]+)")
_ANNEXE = re.compile(r"\bannexe\.([a-z_]+)")


@dataclass(frozen=True)
class Outline:
    """Article and annex keys in the order the template lays them out."""

    articles: tuple[str, ...]
    annexes: tuple[str, ...]


def docx_xml_parts(path: Path) -> dict[str, str]:
    """The XML parts of a DOCX where Jinja tags may live."""
    with zipfile.ZipFile(path) as zf:
        return {
            name: zf.read(name).decode("utf-8")
            for name in zf.namelist()
            if name.startswith("word/") and name.endswith(".xml")
            and (name == "word/document.xml" or "header" in name or "footer" in name)
        }


def _plain(xml: str) -> str:
    """Paragraph texts of a part, one paragraph per line (tags included, entities decoded)."""
    import html

    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S)
    return "\n".join(html.unescape("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p)))
                     for p in paragraphs)


@lru_cache(maxsize=32)
def outline(path: Path, mtime_ns: int) -> Outline:
    """Article headings `{{ article.x }}` and annex headings `{{ annexe.y }}`, in order."""
    text = _plain(docx_xml_parts(path)["word/document.xml"])
    return Outline(
        tuple(dict.fromkeys(_ARTICLE.findall(text))),
        tuple(dict.fromkeys(_ANNEXE.findall(text))),
    )


def outline_of(path: Path) -> Outline:
    return outline(path, path.stat().st_mtime_ns)


# ------------------------------------------------------------------ lint

@dataclass(frozen=True)
class Finding:
    template: str
    where: str
    message: str

    def format(self) -> str:
        return f"{self.template}: {self.where}: {self.message}"


_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


def lint_docx(path: Path, context: dict[str, Any]) -> list[Finding]:
    """Split tags, syntax errors, unknown variables, and a trial render with the given context."""
    from .render.docx import render_docx  # local: rendering pulls in docxtpl

    import html

    name = path.name
    findings: list[Finding] = []
    for part, xml in docx_xml_parts(path).items():
        for para in re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S):
            runs = [html.unescape(r) for r in re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", para)]
            full = "".join(runs)
            if "{" not in full:
                continue
            bounds, pos = [], 0
            for run in runs:
                bounds.append((pos, pos + len(run)))
                pos += len(run)
            for m in _TAG.finditer(full):
                inside = any(a <= m.start() and m.end() <= b for a, b in bounds)
                if not inside:
                    findings.append(Finding(name, f"{part}, paragraphe « {_short(full)} »",
                                            f"balise {m.group(0)!r} coupée entre plusieurs "
                                            "segments de texte Word : retapez-la d'un seul tenant."))
            leftover = _TAG.sub("", full)
            for opener in ("{{", "{%", "}}", "%}"):
                if opener in leftover:
                    findings.append(Finding(name, f"{part}, paragraphe « {_short(full)} »",
                                            f"balise incomplète : « {opener} » sans son pendant."))
                    break
    if findings:
        return findings
    env = environment()
    for part, xml in docx_xml_parts(path).items():
        source = "\n".join(_TAG.findall(_plain(xml)))
        source = re.sub(r"\{%(p|tr|tc|r) ", "{% ", source)
        source = re.sub(r"\{\{(p|tr|tc|r) ", "{{ ", source)
        try:
            names = meta.find_undeclared_variables(env.parse(source))
        except TemplateSyntaxError as exc:
            findings.append(Finding(name, part, f"erreur de syntaxe Jinja : {exc.message}"))
            continue
        for unknown in sorted(names - set(context) - set(env.globals)):
            findings.append(Finding(name, part, f"variable inconnue « {unknown} » pour ce type "
                                    f"de document ; connues : {', '.join(sorted(context))}."))
    if findings:
        return findings
    try:
        render_docx(path, context, core={})
    except TemplateError as exc:
        findings.append(Finding(name, "rendu d'essai", str(exc)))
    return findings


def _short(text: str) -> str:
    return text if len(text) <= 70 else text[:67] + "…"


__all__ = [
    "SecurityError",
    "Finding",
    "Outline",
    "environment",
    "find_template",
    "lint_docx",
    "outline_of",
]
