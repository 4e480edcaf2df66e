"""FINISH for HTML-born pieces (COPIL slides, attendance sheet) and the DOCX shell: WeasyPrint in
strict mode, PDF/A-3b, tagged, fonts shipped with docgen, nothing fetched from outside.

WeasyPrint is imported here only, when a PDF is asked for (its import costs ~0.7 s).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from .. import messages as msg
from ..errors import TemplateError
from ..runtime import native_lookup
from ..templating import FONTS, SearchPath

PDF_VARIANT = "pdf/a-3b"


@lru_cache(maxsize=1)
def font_config() -> Any:
    with native_lookup():
        from weasyprint.text.fonts import FontConfiguration

    _shape_svg_text_whole()
    config = FontConfiguration()
    from ..parallel import at_exit

    # its copies of the @font-face fonts (a folder in $TMPDIR) go only in its finaliser, which
    # a process leaving with os._exit never runs
    at_exit(lambda: _remove(getattr(config, "_folder", None)))
    return config


def _remove(folder: Any) -> None:
    if folder:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


class _Chunk(str):
    """An SVG text node's text that WeasyPrint's per-letter loop sees as one letter."""

    def __iter__(self) -> Iterator[str]:
        yield str(self)


_LINE_BREAKS = "\n\r\x0b\x0c\x85\u2028\u2029"


def _placed_letter_by_letter(node: Any) -> bool:
    """Whether an SVG text node places some glyphs on their own (several x, y, dx or dy
    values, a rotation, letter spacing, a forced length): then each letter is laid out alone."""
    from weasyprint.svg.utils import normalize

    if "rotate" in node.attrib or node.get("letter-spacing") or node.get("textLength"):
        return True
    if any(c in (node._etree_node.text or "") for c in _LINE_BREAKS):
        return True  # laid out whole, the text would stop at its first line
    return any(len(normalize(node.attrib[a]).split()) > 1
               for a in ("x", "y", "dx", "dy") if a in node.attrib)


def _shape_svg_text_whole() -> None:
    """WeasyPrint 70 lays out and draws every SVG text letter by letter, even where no letter
    is placed on its own (WeasyPrint issue #2249): one Pango layout per character, kerning and
    ligatures lost, and 40 % of a COPIL deck's time spent on the charts' and map's labels.
    Where no glyph is placed on its own, the chunk is shaped and drawn whole, as that issue
    proposes; WeasyPrint's own code does the rest (anchors, bounding boxes, fill and stroke)."""
    import weasyprint.svg as svg_module

    original = svg_module.text
    if getattr(original, "docgen_whole", False):
        return

    def text(svg: Any, node: Any, font_size: float) -> Any:
        element = node._etree_node
        letters = element.text
        if not letters or _placed_letter_by_letter(node):
            return original(svg, node, font_size)
        element.text = _Chunk(letters)
        try:
            return original(svg, node, font_size)
        finally:
            element.text = letters

    text.docgen_whole = True  # type: ignore[attr-defined]  # mypy: functions carry no attributes
    for tag, draw in list(svg_module.TAGS.items()):
        if draw is original:
            svg_module.TAGS[tag] = text
    svg_module.text = text  # draw_node compares TAGS[tag] with it to anchor text chunks


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
    with native_lookup():
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
    return strip_unsafe_links(pdf)


BASE_URL = "file:///docgen-shell/"  # an address of nothing: every fetch goes through _fetcher


@lru_cache(maxsize=16)
def _fetcher(search: SearchPath) -> Any:
    """Only the shells' own files (along the territory's search path), the fonts shipped with
    docgen and images docgen embedded itself; nothing else, nothing from the network. Any failure
    stops the build (a missing font must not fall back silently)."""
    from weasyprint.urls import URLFetcher

    # a stylesheet's own URL is where it was found: its fonts/… resolve against that folder
    prefixes = [BASE_URL] + [(root / "html").as_uri() + "/" for root in search.roots]

    class LocalFetcher(URLFetcher):
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
