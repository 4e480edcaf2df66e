"""Documents that exist only as PDF (COPIL slides, attendance sheet): HTML templates → PDF/A."""

from __future__ import annotations

import hashlib
from typing import Any

from markupsafe import Markup

from .. import __version__
from .pdf import _css_string, _shell_env, html_to_pdf


def render_page(template: str, context: dict[str, Any], name: str) -> bytes:
    """Render templates/html/<template> with the context, then typeset it (no signature field)."""
    ctx = dict(context)
    ctx.setdefault("version", __version__)
    ctx["pied_de_page_css"] = Markup(_css_string(str(context.get("pied_de_page", ""))))
    html_text = _shell_env().get_template(template).render(**ctx)
    identifier = hashlib.sha256(html_text.encode("utf-8")).hexdigest()[:32].encode()
    return html_to_pdf(html_text, identifier, name, [])
