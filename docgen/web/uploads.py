"""Logos sent from the browser: checked before anything is written, with the loader's limits.

An SVG is parsed without entities, DTD or network; anything that could run or fetch (scripts,
event attributes, foreign objects, external references) is refused, and a <title> is required
(the slides are a tagged PDF: every image needs its description)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from lxml import etree

from ..load.yamlpos import MAX_FILE_BYTES

SVG_NS = "{http://www.w3.org/2000/svg}"
_FORBIDDEN = {"script", "foreignObject", "iframe", "embed", "object", "audio", "video"}


class Refused(Exception):
    """`code` names the reason; the template words it."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def safe_name(filename: str) -> str:
    stem = Path(filename or "").stem
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode().lower()
    stem = re.sub(r"[^a-z0-9]+", "-", stem).strip("-")[:60]
    if not stem:
        raise Refused("nom")
    return stem + ".svg"


def check_svg(data: bytes) -> None:
    if len(data) > MAX_FILE_BYTES:
        raise Refused("taille")
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise Refused("xml")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        raise Refused("xml") from None
    if root.tag not in (SVG_NS + "svg", "svg"):
        raise Refused("type")
    title = None
    for el in root.iter():
        if not isinstance(el.tag, str):
            raise Refused("script")  # processing instructions
        local = etree.QName(el).localname
        if local in _FORBIDDEN:
            raise Refused("script")
        if local == "title" and title is None and (el.text or "").strip():
            title = el.text
        for name, value in el.attrib.items():
            attr = etree.QName(name).localname.lower()
            if attr.startswith("on"):
                raise Refused("script")
            if attr == "href" and not value.startswith("#") and not value.startswith("data:image/"):
                raise Refused("externe")
            if "url(" in value and not re.fullmatch(r"[^()]*url\(#[\w.-]+\)[^()]*", value):
                raise Refused("externe")
        if local == "style" and el.text and ("@import" in el.text or re.search(r"url\((?!#)", el.text)):
            raise Refused("externe")
    if title is None:
        raise Refused("titre")


def save_logo(folder: Path, filename: str, data: bytes) -> Path:
    """Write a checked logo into <case>/assets/logos/, never over an existing file."""
    from ..output import write_file

    name = safe_name(filename)
    check_svg(data)
    target_dir = folder / "assets" / "logos"
    target = target_dir / name
    if target.exists():
        raise Refused("existe")
    target_dir.mkdir(parents=True, exist_ok=True)
    write_file(target, data)
    return target
