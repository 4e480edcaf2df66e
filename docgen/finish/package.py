"""The DOCX package: zip limits, safe XML, content types, relationships, image and SVG checks.

Everything here refuses rather than repairs; the reader (docx_reader.py) walks the XML.
"""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile
from dataclasses import dataclass
from urllib.parse import unquote

from lxml import etree

from .. import messages as msg
from ..errors import DocgenError

MAX_TOTAL = 50 * 1024 * 1024  # bytes, uncompressed
MAX_PARTS = 500
MAX_RATIO = 100  # uncompressed / compressed, for parts over 1 MiB
MAX_PIXELS = 40_000_000
MAX_SVG_ELEMENTS = 10_000
MAX_SVG_DEPTH = 40
MAX_SVG_EXPANDED = 50_000  # elements once every <use> is expanded

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
MS_REL = "http://schemas.microsoft.com/office/2006/relationships/"

MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
}
MACRO_TYPES = {
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
    "application/vnd.ms-office.vbaProject",
    "application/vnd.ms-office.vbaProjectSignature",
    "application/vnd.ms-word.vbaData+xml",
}


class DocxRefused(DocgenError):
    """The DOCX holds something Word would not show as is, or that reaches outside."""

    def __init__(self, name: str, place: str, what: str, advice: str = "",
                 start: str = "") -> None:
        self.name, self.place, self.what, self.advice, self.start = (name, place, what, advice,
                                                                     start)
        where = f"{place} (« {start} »)" if place and start else place
        text = f"{name} : {where} : {what}" if where else f"{name} : {what}"
        super().__init__(text + (f" ; {advice}" if advice else ""))

    def beginning(self, start: str) -> DocxRefused:
        """The same refusal, its paragraph named by its first words too (as Word shows them,
        hidden ones included: what a reviewer looks for), unless it has them already."""
        if self.start or not start:
            return self
        return type(self)(self.name, self.place, self.what, self.advice, start)


class DocxTooLarge(DocxRefused):
    """A limit (size, parts, pixels, SVG elements) is exceeded."""


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, dtd_validation=False,
                          load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True)


def parse_xml(data: bytes, name: str, place: str) -> etree._Element:
    """Well-formed XML without DTD or entities; nothing is fetched."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise DocxRefused(name, place, msg.XML_ILLISIBLE.format(msg=exc.msg)) from None
    if getattr(root.getroottree().docinfo, "doctype", ""):
        raise DocxRefused(name, place, msg.DECLARATION_DTD_INTERDITE_DOCUMENT)
    return root


@dataclass(frozen=True)
class Rel:
    id: str
    type: str  # the last segment of the relationship type URI
    target: str  # resolved part name (internal) or the URL (external)
    external: bool


class Package:
    """The zip, read within limits; parts are read on demand and cached."""

    def __init__(self, data: bytes, name: str) -> None:
        self.name = name
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError):
            raise DocxRefused(name, "", msg.FICHIER_PAS_DOCUMENT_WORD) from None
        if len(infos) > MAX_PARTS:
            raise DocxTooLarge(name, msg.PLACE_PACKAGE, msg.PARTIES_DELA_LIMITE.format(
                infos=len(infos), MAX_PARTS=MAX_PARTS))
        total = 0
        for info in infos:
            total += info.file_size
            if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise DocxTooLarge(name, msg.PLACE_PART.format(part=info.filename),
                                   msg.TAUX_COMPRESSION_ANORMAL_BOMBE)
            if info.flag_bits & 0x1:
                raise DocxRefused(name, msg.PLACE_PART.format(part=info.filename), msg.PARTIE_CHIFFREE)
        if total > MAX_TOTAL:
            raise DocxTooLarge(name, msg.PLACE_PACKAGE, msg.MO_FOIS_DECOMPRESSE_DELA.format(
                total=total // (1024 * 1024), MAX_TOTAL=MAX_TOTAL // (1024 * 1024)))
        self.parts = {i.filename: i for i in infos}
        if len(self.parts) != len(infos):  # two parts of one name: readers may pick either
            twice = next(i.filename for i in infos if sum(j.filename == i.filename for j in infos) > 1)
            raise DocxRefused(name, msg.PLACE_PART.format(part=twice), msg.PARTIE_EN_DOUBLE)
        self.theme: object | None = None  # the colour theme, set by the reader (styles.Theme)
        self._cache: dict[str, bytes] = {}
        self._read = 0
        self.types = self._content_types()

    def has(self, part: str) -> bool:
        return part in self.parts

    def read(self, part: str) -> bytes:
        if part not in self._cache:
            info = self.parts.get(part)
            if info is None:
                raise DocxRefused(self.name, msg.PLACE_PART.format(part=part), msg.PARTIE_MANQUANTE)
            try:
                with self.zip.open(info) as fh:
                    data = fh.read(MAX_TOTAL + 1)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError):
                raise DocxRefused(self.name, msg.PLACE_PART.format(part=part), msg.PARTIE_ENDOMMAGEE) from None
            self._read += len(data)
            if len(data) > info.file_size or self._read > MAX_TOTAL:
                raise DocxTooLarge(self.name, msg.PLACE_PART.format(part=part),
                                   msg.TAILLE_REELLE_SUPERIEURE_TAILLE)
            self._cache[part] = data
        return self._cache[part]

    def xml(self, part: str, place: str) -> etree._Element:
        return parse_xml(self.read(part), self.name, place)

    def _content_types(self) -> dict[str, str]:
        root = self.xml("[Content_Types].xml", msg.TYPES_CONTENU)
        defaults = {d.get("Extension", "").lower(): d.get("ContentType", "")
                    for d in root.iter(f"{{{CT}}}Default")}
        types: dict[str, str] = {}
        for part in self.parts:
            ext = part.rsplit(".", 1)[-1].lower() if "." in part else ""
            if ext in defaults:
                types[part] = defaults[ext]
        for o in root.iter(f"{{{CT}}}Override"):
            types[o.get("PartName", "").lstrip("/")] = o.get("ContentType", "")
        for part, kind in types.items():
            if kind in MACRO_TYPES or part.lower().endswith(("vbaproject.bin", "vbadata.xml")):
                raise DocxRefused(self.name, msg.PLACE_PART.format(part=part), msg.MACROS_DOCUMENT_PRENANT_CHARGE, msg.ENREGISTREZ_DOCUMENT_FORMAT_DOCX)
        return types

    def rels(self, part: str) -> dict[str, Rel]:
        folder, base = posixpath.split(part)
        rels_part = posixpath.join(folder, "_rels", base + ".rels")
        if not self.has(rels_part):
            return {}
        root = self.xml(rels_part, msg.PLACE_RELATIONSHIPS.format(part=part))
        out: dict[str, Rel] = {}
        for r in root.iter(f"{{{PKG_REL}}}Relationship"):
            kind = r.get("Type", "")
            short = kind.rsplit("/", 1)[-1]
            target = r.get("Target", "")
            external = r.get("TargetMode", "") == "External"
            if not external:
                target = posixpath.normpath(posixpath.join(folder, unquote(target))).lstrip("/")
                if target.startswith("../"):
                    raise DocxRefused(self.name, msg.PLACE_RELATIONSHIPS.format(part=part),
                                      msg.CIBLE_HORS_DOCUMENT.format(value=r.get('Target')))
            rid = r.get("Id", "")
            if rid in out:  # LibreOffice shows one target, another reader the other
                raise DocxRefused(self.name, msg.PLACE_RELATIONSHIPS.format(part=part),
                                  msg.RELATION_EN_DOUBLE.format(rid=rid[:40]))
            out[rid] = Rel(rid, short, target, external)
        return out


def check_link(url: str) -> str:
    """'' when the hyperlink target is allowed, else the French reason."""
    low = url.strip().lower()
    if low.startswith(("http://", "https://")):
        return "" if "\\" not in url else msg.LIEN_WEB_MAL_FORME
    if low.startswith("mailto:"):
        return ""
    scheme = low.split(":", 1)[0] if ":" in low else ""
    if scheme == "file":
        return msg.LIEN_VERS_FICHIER_LOCAL.format(url=url)
    if scheme in ("javascript", "vbscript", "data"):
        return msg.LIEN_EXECUTABLE_INTEGRE.format(scheme=scheme)
    if scheme and len(scheme) > 1:
        return msg.LIEN_TYPE_NON_AUTORISE.format(scheme=scheme)
    return msg.LIEN_RELATIF_VERS_FICHIER.format(url=url)


def image_kind(data: bytes, name: str, place: str) -> tuple[str, int, int]:
    """(kind, width px, height px) from the headers only; refuses what is not PNG/JPEG/SVG."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        return _pixels("png", width, height, name, place)
    if data.startswith(b"\xff\xd8"):
        width, height = _jpeg_size(data, name, place)
        return _pixels("jpg", width, height, name, place)
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"<?xml", b"<svg")) or b"<svg" in head:
        return ("svg", 0, 0)
    raise DocxRefused(name, place, msg.IMAGE_FORMAT_NON_PRIS)


def _pixels(kind: str, width: int, height: int, name: str, place: str) -> tuple[str, int, int]:
    if width * height > MAX_PIXELS or width <= 0 or height <= 0:
        raise DocxTooLarge(name, place, msg.IMAGE_PIXELS_DELA_LIMITE.format(
            width=width, height=height, MAX_PIXELS=MAX_PIXELS // 1000000))
    return (kind, width, height)


def _jpeg_size(data: bytes, name: str, place: str) -> tuple[int, int]:
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            break
        marker = data[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[i + 5:i + 9])
            return width, height
        i += 2 + length
    raise DocxRefused(name, place, msg.IMAGE_JPEG_ENDOMMAGEE)


SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
_SVG_FORBIDDEN = {"script", "foreignObject", "iframe", "audio", "video", "handler", "listener"}


def check_svg(data: bytes, name: str, place: str) -> None:
    """Element count, nesting, <use> fan-out, and no reference outside the image itself."""
    root = parse_xml(data, name, place)
    if etree.QName(root).localname != "svg":
        raise DocxRefused(name, place, msg.IMAGE_SVG_ILLISIBLE)
    count = 0
    ids: dict[str, etree._Element] = {}
    for el in root.iter():
        count += 1
        if count > MAX_SVG_ELEMENTS:
            raise DocxTooLarge(name, place, msg.IMAGE_SVG_PLUS_ELEMENTS.format(
                MAX_SVG_ELEMENTS=MAX_SVG_ELEMENTS))
        if not isinstance(el.tag, str):
            continue
        local = etree.QName(el).localname
        if local in _SVG_FORBIDDEN:
            raise DocxRefused(name, place, msg.IMAGE_SVG_CONTENANT_ELEMENT.format(local=local))
        if el.get("id"):
            ids[el.get("id", "")] = el
        for attr, raw in el.attrib.items():
            key, value = etree.QName(attr).localname, str(raw)
            if key == "href" and not value.startswith("#"):
                raise DocxRefused(name, place, msg.IMAGE_SVG_REFERENCE_EXTERNE.format(
                    value=value[:60]))
            if key.startswith("on"):
                raise DocxRefused(name, place, msg.IMAGE_SVG_SCRIPT_ATTRIBUT.format(key=key))
            if "url(" in value and not all(u.lstrip(" '\"").startswith("#")
                                           for u in value.split("url(")[1:]):
                raise DocxRefused(name, place, msg.IMAGE_SVG_URL_EXTERNE)
        if local == "style" and el.text and ("@import" in el.text or "url(" in el.text
                                            and "url(#" not in el.text):
            raise DocxRefused(name, place, msg.IMAGE_SVG_FEUILLE_STYLE)
    depth = max((len(list(el.iterancestors())) for el in root.iter()), default=0)
    if depth > MAX_SVG_DEPTH:
        raise DocxTooLarge(name, place, msg.IMAGE_SVG_IMBRIQUEE_PLUS.format(
            MAX_SVG_DEPTH=MAX_SVG_DEPTH))
    memo: dict[int, int] = {}
    alive = list(root.iter())  # lxml proxies keep their id() only while referenced

    def expanded(el: etree._Element, stack: tuple[int, ...]) -> int:
        key = id(el)
        if key in stack:
            raise DocxRefused(name, place, msg.IMAGE_SVG_REFERENCE_CIRCULAIRE)
        if key in memo:
            return memo[key]
        total = 1
        for child in el:
            total += expanded(child, stack + (key,))
        if isinstance(el.tag, str) and etree.QName(el).localname == "use":
            ref = (el.get(f"{{{XLINK}}}href") or el.get("href") or "").lstrip("#")
            if ref in ids:
                total += expanded(ids[ref], stack + (key,))
        if total > MAX_SVG_EXPANDED:
            raise DocxTooLarge(name, place, msg.IMAGE_SVG_DONT_USE.format(
                MAX_SVG_EXPANDED=MAX_SVG_EXPANDED))
        memo[key] = total
        return total

    expanded(root, ())
    del alive
