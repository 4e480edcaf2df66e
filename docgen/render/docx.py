"""DOCX rendering with docxtpl in our sandboxed environment, then a deterministic zip."""

from __future__ import annotations

import datetime as dt
import io
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import TemplateError as JinjaTemplateError
from jinja2 import TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SecurityError

from .. import messages as msg
from ..errors import TemplateError
from ..runtime import stored_parts
from ..templating import SearchPath, metadata_environment
from .package import normalise_zip


@lru_cache(maxsize=32)
def _template_bytes(path: Path, mtime_ns: int) -> bytes:
    return path.read_bytes()


_TAG = re.compile(r"\{[{%].*?[%}]\}", re.S)


class _Template(DocxTemplate):
    """docxtpl re-patches the template's XML (a dozen regexes over the whole part) at every
    render; the result depends only on that XML, so it is computed once per process."""

    _patched: dict[str, str] = {}

    def patch_xml(self, src_xml: str) -> str:
        done = self._patched.get(src_xml)
        if done is None:
            done = super().patch_xml(src_xml)
            # Word and LibreOffice may save the quotes of a tag as XML entities
            done = _TAG.sub(lambda m: m.group(0).replace("&apos;", "'").replace("&quot;", '"')
                            .replace("&amp;", "&"), done)
            if len(self._patched) > 64:
                self._patched.clear()
            self._patched[src_xml] = done
        return done


RENDER_NAMES = ("bandeau", "carte")  # what the render stage adds to every Word template's context


def render_names(tpl: DocxTemplate) -> dict[str, Any]:
    """The helpers bound to this render: `carte` draws the secteurs' maps (render/maps.py),
    `bandeau` the partners' logos (render/logos.py)."""
    from .logos import BandeauDocx
    from .maps import CartesDocx

    return {"bandeau": BandeauDocx(tpl), "carte": CartesDocx(tpl)}


def render_docx(template: Path, context: dict[str, Any], search: SearchPath) -> bytes:
    """Render a Word template with the context; return the DOCX bytes, identical for equal input.
    The document's properties (title, subject…) are the template's own, rendered as text."""
    tpl = _Template(io.BytesIO(_template_bytes(template, template.stat().st_mtime_ns)))
    try:
        core = _core_properties(tpl, context)
        check_properties(template.name, core)  # docxtpl renders them too, and would fail bare
        tpl.render({**context, **render_names(tpl)}, jinja_env=search.environment(),
                   autoescape=True)
    except SecurityError as exc:
        what = re.search(r"attribute '([^']+)'", str(exc))
        detail = (msg.TEMPLATE_FORBIDDEN_ATTRIBUTE.format(attribute=what.group(1)) if what
                  else msg.TEMPLATE_FORBIDDEN_CALL)
        raise TemplateError(msg.TEMPLATE_FORBIDDEN.format(name=template.name, detail=detail)) from None
    except UndefinedError as exc:
        raise TemplateError(msg.TEMPLATE_UNDEFINED.format(name=template.name, detail=exc.message)) from None
    except TemplateSyntaxError as exc:
        raise TemplateError(msg.TEMPLATE_SYNTAX.format(name=template.name, detail=exc.message)) from None
    except JinjaTemplateError as exc:
        raise TemplateError(msg.TEMPLATE_OTHER.format(name=template.name, detail=exc)) from None
    _set_core_properties(tpl, core)
    stored_parts()  # runtime.py: compressed once, by normalise_zip
    buf = io.BytesIO()
    tpl.save(buf)
    return normalise_zip(buf.getvalue())


def _core_properties(tpl: DocxTemplate, context: dict[str, Any]) -> dict[str, Any]:
    """The template's title, subject, keywords and category, rendered as plain text (through the
    XML-escaping environment they would come out double-escaped)."""
    props = tpl.get_docx().core_properties
    env = metadata_environment()
    core: dict[str, Any] = {key: env.from_string(getattr(props, key) or "").render(context)
                            for key in ("title", "subject", "keywords", "category")}
    core["author"] = context.get("auteur", "")
    core["created"] = context.get("date_edition")
    return core


MAX_PROPERTY = 255  # characters of a document property (title, subject…): Office's limit


def check_properties(name: str, props: dict[str, Any]) -> None:
    """A TemplateError naming the template and the property whose text Office would refuse
    (python-docx and python-pptx raise a bare ValueError beyond 255 characters)."""
    for key, value in props.items():
        if isinstance(value, str) and len(value) > MAX_PROPERTY:
            raise TemplateError(msg.TEMPLATE_PROPERTY_TOO_LONG.format(
                name=name, prop=msg.PROPERTY_NAMES.get(key, key), n=len(value)))


def _set_core_properties(tpl: DocxTemplate, core: dict[str, Any]) -> None:
    """Set after rendering, as plain values."""
    props = tpl.docx.core_properties
    created = core.get("created")
    stamp = dt.datetime.combine(created, dt.time(0, 0)) if created else dt.datetime(2000, 1, 1)
    props.title = core.get("title", "")
    props.subject = core.get("subject", "")
    props.author = core.get("author", "")
    props.keywords = core.get("keywords", "")
    props.comments = ""
    props.category = core.get("category", "")
    props.language = "fr-FR"
    props.last_modified_by = "docgen"
    props.revision = 1
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp
