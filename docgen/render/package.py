"""The one place docgen opens and writes the Office packages it makes (DOCX, PPTX, XLSX): parts
in, parts out, the same bytes for the same parts (fixed order, dates and compression).

What comes back from outside (a reviewed DOCX) is read by finish/package.py, strictly; this
module only handles packages docgen made itself.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

from lxml import etree

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip can hold: no clock in our bytes
CONTENT_TYPES = "[Content_Types].xml"
STORY = re.compile(r"word/(document|header\d*|footer\d*)\.xml")  # where a DOCX's text lives


def parts(data: bytes) -> dict[str, bytes]:
    """Every part of a package, in the archive's order."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def part(data: bytes, name: str) -> bytes:
    """One part of a package."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read(name)


STORED = (".png", ".jpg", ".jpeg", ".gif")


def pack(content: dict[str, bytes]) -> bytes:
    """The package of these parts: [Content_Types].xml first, the others in their order, fixed
    dates, attributes and compression level, so that the same parts give the same bytes."""
    names = sorted(content, key=lambda n: n != CONTENT_TYPES)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            # pictures already compressed are stored as they are (deflating them again costs
            # time and saves nothing)
            info.compress_type = (zipfile.ZIP_STORED if name.lower().endswith(STORED)
                                  else zipfile.ZIP_DEFLATED)
            info.create_system = 0
            info.external_attr = 0
            dst.writestr(info, content[name], compresslevel=1)  # fixed level: same bytes
    return out.getvalue()


def normalise_zip(data: bytes) -> bytes:
    """Same entries, fixed order ([Content_Types].xml first), fixed dates and attributes."""
    return pack(parts(data))


def xml_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def parse_xml(raw: bytes) -> etree._Element:
    """One XML part, parsed without ever resolving an entity, loading a DTD or reaching the
    network: a package may come from a territory's template or from the register of acts."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    return etree.fromstring(raw, parser)


def edit_xml(data: bytes, which: re.Pattern[str], edit: Callable[[etree._Element], None]) -> bytes:
    """The package with every XML part whose name matches `which` parsed, edited in place by
    `edit`, and written back."""
    content = parts(data)
    for name, raw in content.items():
        if which.fullmatch(name):
            root = parse_xml(raw)
            edit(root)
            content[name] = xml_bytes(root)
    return pack(content)
