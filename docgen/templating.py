"""Templates: one search path (territory first, then the package), a sandboxed Jinja environment,
the outline of a Word template, and its plain-text view for review."""

from __future__ import annotations

import html
import re
import shutil
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    Template,
)
from jinja2.bccache import Bucket
from jinja2.exceptions import TemplateRuntimeError
from jinja2.sandbox import MAX_RANGE, SandboxedEnvironment
from markupsafe import Markup, escape

from . import messages as msg
from .errors import DocgenError, TemplateError, display_path
from .formatting import FILTERS, francais
from .package_data import FONTS, OVERRIDES, PACKAGE  # noqa: F401  (re-exported)

# Every template a document is made from, by kind (what `docgen templates copy` offers).
KINDS = ("docx", "html", "commun")

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


def french_tojson(original: Any) -> Any:
    """`|tojson` (the PPTX slides' data) prints its texts with the same French typography as
    every other printed value: finalize sees only the JSON, already Markup."""
    from jinja2 import pass_eval_context

    @pass_eval_context
    def tojson(eval_ctx: Any, value: Any, indent: int | None = None) -> Any:
        return original(eval_ctx, _francais_partout(value), indent)

    return tojson


# What a template may compute: far beyond any real document (amounts of a few digits, a rule
# of 40 dashes), far below what would exhaust the memory or the time of a build.
MAX_INT_BITS = 10_000  # ≈ 3,000 digits (Python refuses to print more than 4,300)
MAX_LENGTH = 100_000  # characters or items made by one operation, as the sandbox's MAX_RANGE
MAX_WIDTH = 1_000  # a width or precision in a format ('%5d', '{:>8}', |center(40))
_PRINTF_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d*))?")
_FORMAT_SPEC = re.compile(r"\{[^{}]*:([^{}]*)(\{?)")


class _Refused(Exception):
    """A computation a template asked for and may not have (a French detail, no template
    name: handle_exception adds where it was asked)."""


class TemplateRenderError(TemplateError, TemplateRuntimeError):
    """A template's computation refused or failed (division by zero, a number or a text out of
    bounds, endless recursion, memory): exit 3, the template named. A Jinja error as well, so
    that a renderer that words Jinja's errors (render_docx) names its document in front."""

    def __init__(self, message: str) -> None:
        TemplateRuntimeError.__init__(self, message)

    def __str__(self) -> str:
        return str(self.message)


def _kind(value: Any) -> str:
    """What a value is, in the user's words (never the value itself)."""
    if value is None:
        return msg.CALC_KIND_NONE
    if isinstance(value, bool):
        return msg.CALC_KIND_BOOL
    if isinstance(value, (int, float, Decimal)):
        return msg.CALC_KIND_NUMBER
    if isinstance(value, str):
        return msg.CALC_KIND_TEXT
    if isinstance(value, (list, tuple)):
        return msg.CALC_KIND_LIST
    if isinstance(value, dict):
        return msg.CALC_KIND_GROUP
    return msg.CALC_KIND_OTHER


def _number_too_big() -> _Refused:
    return _Refused(msg.CALC_NUMBER_TOO_BIG.format(digits=int(MAX_INT_BITS * 0.30103)))


def _check_int(value: Any) -> Any:
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise _number_too_big()
    return value


def _check_length(n: int) -> None:
    if n > MAX_LENGTH:
        raise _Refused(msg.CALC_TOO_LONG.format(limit=f"{MAX_LENGTH:,}".replace(",", "\u202f")))


def _check_width(n: Any) -> None:
    if isinstance(n, int) and not isinstance(n, bool) and abs(n) > MAX_WIDTH:
        raise _Refused(msg.CALC_WIDTH.format(limit=MAX_WIDTH))


def _check_printf(text: str) -> None:
    """A '%' format whose widths and precisions are written and bounded ('%02d', '%.2f')."""
    for width, precision in _PRINTF_SPEC.findall(text):
        for n in (width, precision):
            if n == "*":
                raise _Refused(msg.CALC_WIDTH.format(limit=MAX_WIDTH))
            if n:
                _check_width(int(n))


def _check_format(text: str) -> None:
    """A str.format pattern whose widths are written and bounded ('{:>8}', not '{:{}}')."""
    for spec, nested in _FORMAT_SPEC.findall(text):
        if nested:
            raise _Refused(msg.CALC_WIDTH.format(limit=MAX_WIDTH))
        for n in re.findall(r"\d+", spec):
            _check_width(int(n))


def _bounded_binop(operator: str, left: Any, right: Any) -> Any:
    """The operator, refused before it is computed when its result would be out of bounds."""
    both_int = isinstance(left, int) and isinstance(right, int)
    if operator == "**" and both_int and right > 0 and abs(left) > 1:
        if right * (abs(left).bit_length() - 1) > MAX_INT_BITS:  # a lower bound of its size
            raise _number_too_big()
    elif operator == "*":
        if both_int:
            if left.bit_length() + right.bit_length() > MAX_INT_BITS + 1:
                raise _number_too_big()
        elif isinstance(left, (str, list, tuple)) and isinstance(right, int):
            _check_length(len(left) * right)
        elif isinstance(right, (str, list, tuple)) and isinstance(left, int):
            _check_length(len(right) * left)
    elif operator == "+" and isinstance(left, (str, list, tuple)) and isinstance(
            right, (str, list, tuple)):
        _check_length(len(left) + len(right))
    elif operator == "%" and isinstance(left, str):
        _check_printf(left)
    try:
        result = _BINOPS[operator](left, right)
    except ZeroDivisionError:
        raise _Refused(msg.CALC_DIVISION_ZERO) from None
    except TypeError:
        raise _Refused(msg.CALC_TYPES.format(op=operator, left=_kind(left),
                                             right=_kind(right))) from None
    return _check_int(result)


_BINOPS = SandboxedEnvironment.default_binop_table


def _bounded_filter(original: Any, check: Any) -> Any:
    """A filter whose arguments are checked first (widths, counts)."""
    from functools import wraps

    @wraps(original)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        check(args, kwargs)
        return original(*args, **kwargs)

    return bounded


def _widths(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Every number given to the filter (the value excepted, and a context first) is a width."""
    for value in (*args[1:], *kwargs.values()):
        _check_width(value)


def _counts(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for value in (*args[1:], *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool):
            _check_length(value)


def _printf(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    if args and isinstance(args[0], str):
        _check_printf(args[0])


# str methods a template may call whose numbers say how much to allocate
_STR_WIDTHS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})


class BoundedSandbox(SandboxedEnvironment):
    """A sandbox whose computations stay within bounds: arithmetic on numbers and texts, format
    widths, the sizes some filters and text methods allocate (range() is the sandbox's own,
    at most MAX_RANGE items). What fails while a template runs (a division by zero, a refused
    computation, endless recursion, memory) is a TemplateRenderError naming the template and
    its line, never an internal error."""

    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "**", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._bound_filters()

    def _bound_filters(self) -> None:
        for name, check in (("center", _widths), ("indent", _widths), ("batch", _counts),
                            ("slice", _counts), ("format", _printf)):
            if name in self.filters:
                self.filters[name] = _bounded_filter(self.filters[name], check)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        return _bounded_binop(operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        method = getattr(__obj, "__wrapped__", __obj)  # str.format comes wrapped by the sandbox
        owner = getattr(method, "__self__", None)
        if isinstance(owner, str):
            name = getattr(method, "__name__", "")
            if name in _STR_WIDTHS:
                for value in (*args, *kwargs.values()):
                    _check_width(value)
            elif name in ("format", "format_map"):
                _check_format(owner)
        return super().call(__context, __obj, *args, **kwargs)

    def handle_exception(self, source: str | None = None) -> Any:
        import sys

        exc = sys.exc_info()[1]
        detail = _failure(exc)
        if detail is None:
            return super().handle_exception(source)
        raise TemplateRenderError(msg.TEMPLATE_CALC_REFUSED.format(
            where=_where(sys.exc_info()[2]), detail=detail)) from None


def _failure(exc: BaseException | None) -> str | None:
    """The French detail of what failed inside a template, or None: not a template's doing."""
    if isinstance(exc, _Refused):
        return str(exc)
    if isinstance(exc, ZeroDivisionError):
        return msg.CALC_DIVISION_ZERO
    if isinstance(exc, OverflowError) and "MAX_RANGE" in str(exc):
        return msg.CALC_RANGE.format(limit=f"{MAX_RANGE:,}".replace(",", "\u202f"))
    if isinstance(exc, ArithmeticError):  # a float or a Decimal out of range, 0/0…
        return msg.CALC_NUMBER_OUT_OF_RANGE
    if isinstance(exc, RecursionError):
        return msg.CALC_RECURSION
    if isinstance(exc, MemoryError):
        return msg.CALC_MEMORY
    if isinstance(exc, ValueError) and "integer string conversion" in str(exc):
        return msg.CALC_NUMBER_TOO_BIG.format(digits=int(MAX_INT_BITS * 0.30103))
    return None


def _where(tb: Any) -> str:
    """« cases/x/templates/commun/libelles.j2, ligne 12 : » for the innermost template frame
    of a traceback ("" for a template made from a string: its renderer names it)."""
    import os

    found = ""
    while tb is not None:
        template = tb.tb_frame.f_globals.get("__jinja_template__")
        if template is not None and template.filename and os.path.isfile(template.filename):
            line = template.get_corresponding_lineno(tb.tb_lineno)
            found = msg.TEMPLATE_CALC_WHERE.format(name=display_path(Path(template.filename)),
                                                   line=line)
        elif template is not None and template.name:
            found = msg.TEMPLATE_CALC_WHERE_NAME.format(name=template.name)
        tb = tb.tb_next
    return found


class CompiledTemplates(FileSystemBytecodeCache):
    """Templates compiled once per machine, as Python keeps its .pyc: Jinja's own cache of
    compiled code, in the user's cache folder (`$XDG_CACHE_HOME/docgen/modeles`, else
    `~/.cache/docgen/modeles`), which must be theirs alone (created mode 0700; one another user
    owns or can write, or a link, is not used). An entry is found by the environment that
    compiled it (docgen's and Jinja's versions, its settings and filters), the template's name
    and file, and is used only for the very source it was compiled from; a damaged entry is
    compiled again, a cache that cannot be written is done without."""

    def __init__(self, tag: str, directory: str) -> None:
        super().__init__(directory)
        self.tag = tag

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return super().get_cache_key(f"{self.tag}\0{name}", filename)

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 — a truncated or foreign entry: compile again
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:  # a full or read-only disk: compiled at each run, as without a cache
            pass


def compiled_templates(env: SandboxedEnvironment) -> CompiledTemplates | None:
    """The cache for this environment's templates; None where no private folder can be had."""
    import hashlib

    import jinja2

    from .version import __version__

    settings = (__version__, jinja2.__version__, type(env).__qualname__, env.autoescape,
                getattr(env.finalize, "__qualname__", None), sorted(env.filters),
                sorted(env.tests), sorted(env.intercepted_binops), env.keep_trailing_newline)
    folder = private_cache("modeles")
    if folder is None:
        return None
    return CompiledTemplates(hashlib.sha256(repr(settings).encode()).hexdigest()[:16], str(folder))


def private_cache(name: str) -> Path | None:
    """docgen's folder `name` in the user's cache folder, created if need be, when it is a real
    folder that only this user can write; None otherwise (or where it cannot be made)."""
    import os
    import stat

    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):  # the specification ignores a relative one
        return None
    folder = Path(base) / "docgen" / name
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = os.lstat(folder)
    except OSError:
        return None
    getuid = getattr(os, "getuid", None)
    mine = getuid is None or st.st_uid == getuid()
    if not stat.S_ISDIR(st.st_mode) or not mine or st.st_mode & 0o022:
        return None
    return folder


class DocgenEnvironment(BoundedSandbox):
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
        self.filters["tojson"] = french_tojson(self.filters["tojson"])
        self._bound_filters()
        self._compiled: dict[str, Template] = {}
        self.bytecode_cache = compiled_templates(self)  # the loader's templates use it too

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Template:
        """Compile once per process (docxtpl asks again for every render of the same part), and
        once per machine through the cache of compiled templates (a Word template's XML is
        compiled as its source says, whatever it is named)."""
        if globals is None and template_class is None and isinstance(source, str):
            cached = self._compiled.get(source)
            if cached is None:
                cached = self._from_cache(source)
                self._compiled[source] = cached
            return cached
        return super().from_string(source, globals, template_class)

    def _from_cache(self, source: str) -> Template:
        cache = self.bytecode_cache
        if cache is None:
            return super().from_string(source)
        import hashlib

        name = "texte:" + hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()
        bucket = cache.get_bucket(self, name, None, source)
        if bucket.code is None:
            bucket.code = self.compile(source)
            cache.set_bucket(bucket)
        return self.template_class.from_code(self, bucket.code, self.make_globals(None))


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
        """Every file a territory overrides, so that lint checks them too; one reached through
        a link that leaves the templates folder is refused before lint reads it."""
        out: list[Path] = []
        for root in self.roots[:-1]:
            if root.is_dir():
                for path in sorted(root.rglob("*")):
                    if path.is_file():
                        inside(path, root)
                        out.append(path)
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
        from jinja2.loaders import split_template_path

        root = Path(self.searchpath[0])
        path = root.joinpath(*split_template_path(template))
        if path.is_file():
            inside(path, root)  # before a byte of it is read
        source, filename, uptodate = super().get_source(environment, template)
        if filename is not None:  # the file read is the one checked (swapped since: refused)
            inside(Path(filename), root)
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
def metadata_environment() -> BoundedSandbox:
    """For a document's properties (title, subject…): plain text, set by the writer itself."""
    env = BoundedSandbox(undefined=StrictUndefined, autoescape=False,
                         finalize=lambda v: francais(v) if type(v) is str else v)
    env.filters.update(FILTERS)
    env._bound_filters()
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
    """The XML parts of a DOCX where Jinja tags may live: body, headers, footers (a
    TemplateError naming the file when it is no readable Word file; for a territory's template,
    every XML part is parsed first, so that a broken one is named before the renderer meets
    it)."""
    with template_zip(path) as zf:
        parts = {
            name: zf.read(name).decode("utf-8")
            for name in zf.namelist()
            if name.startswith("word/") and name.endswith(".xml")
            and (name == "word/document.xml" or "header" in name or "footer" in name)
        }
        if "word/document.xml" not in parts:
            raise _NotWord
        if not path.resolve().is_relative_to(PACKAGE):  # a territory's: Word's parser reads it
            for name in zf.namelist():
                if name.endswith((".xml", ".rels")):
                    _parse(zf, name)
    return parts


class _NotWord(Exception):
    """An archive without the body of a Word document."""


@contextmanager
def template_zip(path: Path, data: bytes | None = None) -> Iterator[zipfile.ZipFile]:
    """A Word template (or the bytes read of it) opened as an archive; whatever fails inside
    — the file, the archive, a part that is not well-formed XML — is a TemplateError naming the
    file and, when it is one, the part."""
    import io
    import zlib

    try:
        with zipfile.ZipFile(io.BytesIO(data) if data is not None else path) as zf:
            yield zf
            return
    except _BrokenPart as exc:
        detail = msg.TEMPLATE_PART_NOT_XML.format(part=exc.part, line=exc.line)
    except OSError:
        detail = msg.TEMPLATE_FILE_UNREADABLE
    except (_NotWord, zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, ValueError,
            NotImplementedError, RuntimeError):  # damaged, compressed or encrypted otherwise
        detail = msg.TEMPLATE_NOT_ZIP
    raise TemplateError(msg.TEMPLATE_UNREADABLE.format(path=display_path(path), detail=detail))


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


def docx_text(path: Path, data: bytes | None = None) -> str:
    """A Word template as plain text with its tags: one paragraph a line (its style in brackets
    unless it is the body style), table cells separated by « | », fields as {PAGE}, headers and
    footers included, so that a template change reads in review. `data`: the file's bytes,
    already read (reviewed.read_docx_file); else path is read. A damaged archive or a part that
    is not well-formed XML is a TemplateError naming the file and the part."""
    with template_zip(path, data) as zf:
        return _docx_text(zf)


class _BrokenPart(Exception):
    """A part of the archive that is not well-formed XML (where: the part and the line)."""

    def __init__(self, part: str, line: int) -> None:
        super().__init__(part)
        self.part, self.line = part, line


def _parse(zf: zipfile.ZipFile, part: str) -> Any:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(zf.read(part), parser)
    except etree.XMLSyntaxError as exc:
        raise _BrokenPart(part, exc.lineno or 1) from None


def _docx_text(zf: zipfile.ZipFile) -> str:
    from lxml import etree

    out: list[str] = []
    names = zf.namelist()
    styles: dict[str, str] = {}
    if "word/styles.xml" in names:
        for st in _parse(zf, "word/styles.xml").iter(f"{_W}style"):
            name = st.find(f"{_W}name")
            styles[st.get(f"{_W}styleId", "")] = (name.get(f"{_W}val", "") if name is not None
                                                  else st.get(f"{_W}styleId", ""))
    parts = ["word/document.xml"] + sorted(
        n for n in names if re.fullmatch(r"word/(header|footer)\d*\.xml", n))
    for part in parts:
        if part not in names:
            continue
        root = _parse(zf, part)
        out.append("=== " + {"word/document.xml": msg.TEXT_VIEW_BODY}.get(part, Path(part).stem) + " ===")
        body = root.find(f"{_W}body")
        for block in (body if body is not None else root):
            out.extend(_block_lines(block, styles))
    if "docProps/core.xml" in names:  # the document's title, subject… are template text too
        out.append(msg.TEXT_VIEW_PROPERTIES)
        for el in _parse(zf, "docProps/core.xml"):
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
