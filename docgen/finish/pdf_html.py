"""FINISH for HTML-born pieces (COPIL slides, attendance sheet) and the DOCX shell: WeasyPrint in
strict mode, PDF/A-3b, tagged, fonts shipped with docgen, nothing fetched from outside.

WeasyPrint is imported here only, when a PDF is asked for (its import costs ~0.7 s).
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from typing import Any

from .. import messages as msg
from ..errors import TemplateError
from ..native import quick_lookup
from ..templating import FONTS, SearchPath

PDF_VARIANT = "pdf/a-3b"


@lru_cache(maxsize=1)
def font_config() -> Any:
    with quick_lookup():
        from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


class _Strict(logging.Handler):
    """WeasyPrint reports a missing font, image or stylesheet as a log record: keep them all."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = re.sub(r"data:[^\s\"']{40,}", msg.DATA_IMAGE_INTEGREE, record.getMessage())
        self.records.append(message)


def html_to_pdf(html_text: str, identifier: bytes, name: str,
                search: SearchPath | None = None) -> bytes:
    """WeasyPrint in strict mode (any warning fails), PDF/A-3b, tagged. (The HTML-born pieces
    carry no signature field: every act is born in Word and typeset by Typst.)"""
    with quick_lookup():
        from weasyprint import HTML

    logger = logging.getLogger("weasyprint")
    strict = _Strict()
    logger.addHandler(strict)
    try:
        search = search or SearchPath.of(None)
        document = HTML(string=html_text, base_url=BASE_URL, url_fetcher=_fetcher(search)).render(
            font_config=font_config()
        )
        pdf = document.write_pdf(
            pdf_variant=PDF_VARIANT,
            pdf_identifier=identifier,
            custom_metadata=True,
            pdf_tags=True,
        )
    finally:
        logger.removeHandler(strict)
    if strict.records:
        raise TemplateError(msg.LAYOUT_WARNINGS.format(
            name=name, records="\n  ".join(dict.fromkeys(strict.records))))
    from ..pdfcheck import strip_unsafe_links

    # only http(s)/mailto links stay live, whatever wrote them (a case value, a Word template)
    return strip_unsafe_links(pdf)  # type: ignore[no-any-return]


BASE_URL = "file:///docgen-shell/"  # an address of nothing: every fetch goes through _fetcher


@lru_cache(maxsize=16)
def _fetcher(search: SearchPath) -> Any:
    """Only the shells' own files (along the territory's search path), the fonts shipped with
    docgen and images docgen embedded itself; nothing else, nothing from the network. Any failure
    stops the build (a missing font must not fall back silently)."""
    from weasyprint.urls import URLFetcher

    # a stylesheet's own URL is where it was found: its fonts/… resolve against that folder
    prefixes = [BASE_URL] + [(root / "html").as_uri() + "/" for root in search.roots]

    class LocalFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):  # charts and logos embedded by docgen itself
                return super().fetch(url, headers)
            rel = next((url[len(p):] for p in prefixes if url.startswith(p)), None)
            if rel is None:
                raise ValueError(msg.EXTERNAL_RESOURCE.format(url=url))
            if rel.startswith("fonts/") and "/" not in rel[len("fonts/"):]:
                return super().fetch((FONTS / rel[len("fonts/"):]).as_uri(), headers)
            if "/" in rel or rel.startswith("."):
                raise ValueError(msg.EXTERNAL_RESOURCE.format(url=url))
            return super().fetch(search.find("html/" + rel).as_uri(), headers)

    return LocalFetcher(allowed_protocols={"file", "data"}, fail_on_errors=True)
