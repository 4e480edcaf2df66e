"""DOCX rendering with docxtpl in our sandboxed environment, then a deterministic zip."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import TemplateError as JinjaTemplateError
from jinja2 import TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SecurityError

from ..errors import TemplateError
from ..templates import environment

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip can hold: no clock in our bytes

# python-docx deflates every part when it saves, and normalise_zip() deflates them again:
# let python-docx store them, and compress once, in normalise_zip().
import docx.opc.phys_pkg as _phys_pkg  # noqa: E402

_phys_pkg.ZIP_DEFLATED = zipfile.ZIP_STORED


@lru_cache(maxsize=32)
def _template_bytes(path: Path, mtime_ns: int) -> bytes:
    return path.read_bytes()


_TAG = re.compile(r"\{[{%].*?[%}]\}", re.S)


class _Template(DocxTemplate):  # type: ignore[misc]
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


def render_docx(template: Path, context: dict[str, Any], core: dict[str, Any]) -> bytes:
    """Render a Word template with the context; return the DOCX bytes, identical for equal input."""
    tpl = _Template(io.BytesIO(_template_bytes(template, template.stat().st_mtime_ns)))
    try:
        tpl.render(context, jinja_env=environment(), autoescape=True)
    except SecurityError as exc:
        import re

        what = re.search(r"attribute '([^']+)'", str(exc))
        detail = f"accès refusé à « {what.group(1)} »" if what else "appel refusé"
        raise TemplateError(
            f"{template.name} : opération interdite dans un modèle ({detail}) : un modèle ne peut "
            "qu'afficher les données du dossier, pas atteindre le fonctionnement de Python."
        ) from None
    except UndefinedError as exc:
        raise TemplateError(f"{template.name} : variable inconnue dans le modèle : {exc.message}.") from None
    except TemplateSyntaxError as exc:
        raise TemplateError(
            f"{template.name} : erreur de syntaxe dans le modèle : {exc.message} "
            "(vérifiez les balises {{ }} et {% %})."
        ) from None
    except JinjaTemplateError as exc:
        raise TemplateError(f"{template.name} : erreur dans le modèle : {exc}.") from None
    _set_core_properties(tpl, core)
    buf = io.BytesIO()
    tpl.save(buf)
    return normalise_zip(buf.getvalue())


def _set_core_properties(tpl: DocxTemplate, core: dict[str, Any]) -> None:
    """Set after rendering, as plain values: through Jinja they would come out double-escaped."""
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


def normalise_zip(data: bytes) -> bytes:
    """Same entries, fixed order ([Content_Types].xml first), fixed dates and attributes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    original = src.namelist()
    names = sorted(original, key=lambda n: (n != "[Content_Types].xml", original.index(n)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            dst.writestr(info, src.read(name), compresslevel=1)  # fixed level: same bytes
    return out.getvalue()
