"""RENDER the COPIL slides as the PDF projected: the plan docgen laid out (docgen/slides.py)
drawn by html/diaporama.html, block by block at the places the PowerPoint uses, then WeasyPrint
(finish/pdf_html.py)."""

from __future__ import annotations

import hashlib
from typing import Any

from ..templating import SearchPath


def html_of(plan: Any, context: dict[str, Any], search: SearchPath) -> str:
    from ..slides import COULEURS
    from .html import render_html

    return render_html("diaporama.html", {**context, "plan": plan, "couleurs": COULEURS}, search)


def pdf_of(plan: Any, context: dict[str, Any], search: SearchPath, name: str) -> bytes:
    from ..finish.pdf_html import html_to_pdf

    text = html_of(plan, context, search)
    identifier = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32].encode()
    return html_to_pdf(text, identifier, name, search)
