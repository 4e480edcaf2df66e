"""Templates: one search path (territory first, then the package), a sandboxed Jinja environment,
the outline of a Word template, and its plain-text view for review."""

from __future__ import annotations

import html
import re
import shutil
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, Template
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from . import messages as msg
from .errors import DocgenError, TemplateError
from .formatting import FILTERS, francais

from .package_data import FONTS, OVERRIDES, PACKAGE  # noqa: F401  (re-exported)

# Every template a document is made from, by kind (what `docgen templates copy` offers).
KINDS = ("docx", "html", "pptx", "commun")

# docxtpl turns these markers back into braces after rendering; a case value must never
# contain them literally, so their underscore is written as a character reference.
_DOCXTPL_MARKERS = re.compile(r"\{_\{|\}_\}|\{_%|%_\}")


def _finalize(value: Any) -> Any:
    """French typography on every text value printed (apostrophe, guillemets, no-break
    spaces: `formatting.francais`), then escape it for XML, and neutralise docxtpl's escape
    markers in case values. Markup (pictures, macros' output, already finished) is left as is;
    the case's values themselves are never changed, only the way they print."""
    if isinstance(value, Markup):
        return value
    text = escape(francais(value) if type(value) is str else str(value))
    if _DOCXTPL_MARKERS.search(text):
        text = Markup(_DOCXTPL_MARKERS.sub(lambda m: m.group(0).replace("_", "&#95;"), text))
    return text


def _francais_partout(value: Any) -> Any:
    if type(value) is str:
        return francais(value)
    if isinstance(value, (list, tuple)):
        return [_francais_partout(v) for v in value]
    if isinstance(value, dict):
        return {k: _francais_partout(v) for k, v in value.items()}
    return value


def _tojson(original: Any) -> Any:
    """`|tojson` (the PPTX slides' data) prints its texts with the same French typography as
    every other printed value: finalize sees only the JSON, already Markup."""
    from jinja2 import pass_eval_context

    @pass_eval_context
    def tojson(eval_ctx: Any, value: Any, indent: int | None = None) -> Any:
        return original(eval_ctx, _francais_partout(value), indent)

    return tojson


class DocgenEnvironment(SandboxedEnvironment):
    """Sandboxed, autoescaped, strict: a template can neither run code nor print nothing."""

    def __init__(self, loader: Any = None) -> None:
        super().__init__(
            loader=loader,
            autoescape=True,
            undefined=StrictUndefined,
            finalize=_finalize,
            keep_trailing_newline=True,
        )
        self.filters.update(FILTERS)
        self.filters["tojson"] = _tojson(self.filters["tojson"])
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


@dataclass(frozen=True)
class SearchPath:
    """Where a territory's templates come from: its own `templates/` folder, then the package."""

    roots: tuple[Path, ...]

    @classmethod
    def of(cls, case_folder: Path | None) -> SearchPath:
        roots = [Path(case_folder).resolve() / OVERRIDES] if case_folder is not None else []
        return cls((*roots, PACKAGE))

    def find(self, name: str) -> Path:
        """`docx/convention.docx`, `html/diaporama.css`…: the first root that holds it. A
        territory's file must really be inside its templates folder (no link leaving it)."""
        for root in self.roots:
            path = root / name
            if path.is_file():
                inside(path, root)
                return path
        raise TemplateError(msg.TEMPLATE_NOT_FOUND.format(
            name=name, where=", ".join(str(r / Path(name).parent) for r in self.roots)))

    def overrides(self) -> list[Path]:
        """Every file a territory overrides, so that lint checks them too."""
        out: list[Path] = []
        for root in self.roots[:-1]:
            if root.is_dir():
                out.extend(p for p in sorted(root.rglob("*")) if p.is_file())
        return out

    def environment(self) -> DocgenEnvironment:
        return _environment(self.roots)


def inside(path: Path, root: Path) -> None:
    """Refuse a template reached through a link that leaves its templates folder."""
    if not path.resolve().is_relative_to(root.resolve()):
        raise TemplateError(msg.TEMPLATE_OUTSIDE.format(path=path, root=root))


class ConfinedLoader(FileSystemLoader):
    """FileSystemLoader that refuses a file whose real path leaves its folder (a symbolic link
    to /etc/passwd named commun/libelles.j2 would otherwise be read and printed)."""

    def get_source(self, environment: Any, template: str) -> Any:
        source, filename, uptodate = super().get_source(environment, template)
        if filename is not None:
            inside(Path(filename), Path(self.searchpath[0]))
        return source, filename, uptodate


@lru_cache(maxsize=16)
def _environment(roots: tuple[Path, ...]) -> DocgenEnvironment:
    """One environment per search path: `{% import "commun/libelles.j2" %}`, HTML shells and their
    macros are found along the same path as the Word templates."""
    return DocgenEnvironment(ChoiceLoader([ConfinedLoader(str(r)) for r in roots]))


def environment() -> DocgenEnvironment:
    """The package's own environment (Word templates render through from_string)."""
    return SearchPath.of(None).environment()


@lru_cache(maxsize=1)
def metadata_environment() -> SandboxedEnvironment:
    """For a document's properties (title, subject…): plain text, set by the writer itself."""
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False,
                               finalize=lambda v: francais(v) if type(v) is str else v)
    env.filters.update(FILTERS)
    return env


def copy_template(name: str, case_folder: Path) -> Path:
    """`docgen templates copy`: a package default copied into a territory, to edit there."""
    if not (case_folder / "territoire.yaml").is_file() and not (case_folder / "convention.yaml").is_file():
        raise DocgenError(msg.NOT_A_CASE_FOLDER.format(folder=case_folder))
    rel = name if "/" in name else next(
        (f"{k}/{name}" for k in KINDS if (PACKAGE / k / name).is_file()), name)
    source = PACKAGE / rel
    if not source.is_file():
        raise DocgenError(msg.TEMPLATE_UNKNOWN.format(name=name, known=", ".join(available())))
    target = case_folder / OVERRIDES / rel
    if target.exists():
        raise DocgenError(msg.TEMPLATE_ALREADY_COPIED.format(target=target))
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


def available() -> list[str]:
    """Names of the package's templates, as `docgen templates copy` takes them."""
    return [f"{k}/{p.name}" for k in KINDS for p in sorted((PACKAGE / k).iterdir())
            if p.is_file()]


# ------------------------------------------------------------------ numbering from the template

_ARTICLE = re.compile(r"\barticle\.([a-z_]+)")
_ANNEXE = re.compile(r"\bannexe\.([a-z_]+)")


@dataclass(frozen=True)
class Outline:
    """Article and annex keys in the order the template lays them out."""

    articles: tuple[str, ...]
    annexes: tuple[str, ...]


def docx_xml_parts(path: Path) -> dict[str, str]:
    """The XML parts of a DOCX where Jinja tags may live: body, headers, footers."""
    with zipfile.ZipFile(path) as zf:
        return {
            name: zf.read(name).decode("utf-8")
            for name in zf.namelist()
            if name.startswith("word/") and name.endswith(".xml")
            and (name == "word/document.xml" or "header" in name or "footer" in name)
        }


_PARA = re.compile(r"<w:p[ >].*?</w:p>", re.S)
_TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")


def paragraph_runs(xml: str) -> list[list[str]]:
    """The text of each run of each paragraph of a part, entities decoded."""
    return [[html.unescape(t) for t in _TEXT.findall(p)] for p in _PARA.findall(xml)]


def _plain(xml: str) -> str:
    return "\n".join("".join(runs) for runs in paragraph_runs(xml))


@lru_cache(maxsize=32)
def _outline(path: Path, mtime_ns: int) -> Outline:
    text = _plain(docx_xml_parts(path)["word/document.xml"])
    return Outline(
        tuple(dict.fromkeys(_ARTICLE.findall(text))),
        tuple(dict.fromkeys(_ANNEXE.findall(text))),
    )


def outline_of(path: Path) -> Outline:
    """Article headings `{{ article.x }}` and annex headings `{{ annexe.y }}`, in order."""
    return _outline(path, path.stat().st_mtime_ns)


# ------------------------------------------------------------------ a template as text

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_text(path: Path) -> str:
    """A Word template as plain text with its tags: one paragraph a line (its style in brackets
    unless it is the body style), table cells separated by « | », fields as {PAGE}, headers and
    footers included, so that a template change reads in review."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    out: list[str] = []
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        styles: dict[str, str] = {}
        if "word/styles.xml" in names:
            for st in etree.fromstring(zf.read("word/styles.xml"), parser).iter(f"{_W}style"):
                name = st.find(f"{_W}name")
                styles[st.get(f"{_W}styleId", "")] = (name.get(f"{_W}val", "") if name is not None
                                                      else st.get(f"{_W}styleId", ""))
        parts = ["word/document.xml"] + sorted(
            n for n in names if re.fullmatch(r"word/(header|footer)\d*\.xml", n))
        for part in parts:
            if part not in names:
                continue
            root = etree.fromstring(zf.read(part), parser)
            out.append("=== " + {"word/document.xml": msg.TEXT_VIEW_BODY}.get(part, Path(part).stem) + " ===")
            body = root.find(f"{_W}body")
            for block in (body if body is not None else root):
                out.extend(_block_lines(block, styles))
        if "docProps/core.xml" in names:  # the document's title, subject… are template text too
            out.append(msg.TEXT_VIEW_PROPERTIES)
            for el in etree.fromstring(zf.read("docProps/core.xml"), parser):
                if etree.QName(el).localname in ("title", "subject", "keywords", "category"):
                    out.append(f"{etree.QName(el).localname} : {el.text or ''}")
    return "\n".join(out) + "\n"


def _block_lines(block: Any, styles: dict[str, str]) -> list[str]:
    if block.tag == f"{_W}p":
        return [_para_text(block, styles)]
    if block.tag == f"{_W}tbl":
        lines = []
        for tr in block.iter(f"{_W}tr"):
            cells = [" ¶ ".join(_para_text(p, {}) for p in tc.iter(f"{_W}p"))
                     for tc in tr.iter(f"{_W}tc")]
            lines.append("| " + " | ".join(cells) + " |")
        return lines
    return []


def _para_text(p: Any, styles: dict[str, str]) -> str:
    pieces: list[str] = []
    for el in p.iter(f"{_W}t", f"{_W}fldSimple", f"{_W}instrText", f"{_W}br", f"{_W}tab"):
        if el.tag == f"{_W}fldSimple":
            pieces.append("{" + (el.get(f"{_W}instr") or "").strip() + "}")
        elif el.tag == f"{_W}instrText":
            pieces.append("{" + (el.text or "").strip() + "}")
        elif el.tag == f"{_W}br":
            pieces.append(msg.PAGE_BREAK_SHOWN if el.get(f"{_W}type") == "page" else "\u21b5")
        elif el.tag == f"{_W}tab":
            pieces.append("\t")
        elif not any(a.tag == f"{_W}fldSimple" for a in el.iterancestors()):
            pieces.append(el.text or "")
    style = p.find(f"{_W}pPr/{_W}pStyle")
    name = styles.get(style.get(f"{_W}val", ""), "") if style is not None else ""
    text = "".join(pieces).replace("\u00a0", "\u00b7")  # no-break spaces shown as « · »
    return f"[{name}] {text}" if name and name not in ("Corps", "Normal") else text
