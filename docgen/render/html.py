"""RENDER for documents that exist only as PDF (COPIL slides, attendance sheet): HTML templates."""

from __future__ import annotations

from typing import Any

from ..templating import SearchPath
from ..version import __version__
from .maps import CartesHTML


def render_html(name: str, context: dict[str, Any], search: SearchPath) -> str:
    """Render html/<name> (found along the territory's search path) with the context; the
    template may draw maps through `carte`."""
    ctx = {**context, "version": __version__, "carte": CartesHTML()}
    return search.environment().get_template("html/" + name).render(**ctx)


def render_text(name: str, context: dict[str, Any], search: SearchPath) -> dict[str, str]:
    """A « clé: valeur » text template (html/pack.txt), rendered, as a dict."""
    from ..templating import metadata_environment

    source = search.find("html/" + name).read_text(encoding="utf-8")
    text = metadata_environment().from_string(source).render(**context)
    out = {}
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip():
            out[key.strip()] = value.strip()
    return out
