"""Builds hostile DOCX files from a real example DOCX: one construct injected at a time."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def parts(docx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def pack(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def pack_stored(files: dict[str, bytes]) -> bytes:
    """Without compression: a large part that no compression ratio gives away."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def replace(docx: bytes, part: str, old: str, new: str, count: int = 1) -> bytes:
    files = parts(docx)
    text = files[part].decode("utf-8")
    assert old in text, f"{old!r} not in {part}"
    files[part] = text.replace(old, new, count).encode("utf-8")
    return pack(files)


def add_part(docx: bytes, name: str, data: bytes, content_type: str | None = None) -> bytes:
    files = parts(docx)
    files[name] = data
    if content_type:
        ct = files["[Content_Types].xml"].decode()
        ct = ct.replace("</Types>", f'<Override PartName="/{name}" ContentType="{content_type}"/></Types>')
        files["[Content_Types].xml"] = ct.encode()
    return pack(files)


def add_rel(docx: bytes, rid: str, kind: str, target: str, external: bool,
            part: str = "word/_rels/document.xml.rels") -> bytes:
    mode = ' TargetMode="External"' if external else ""
    rel = (f'<Relationship Id="{rid}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
           f'relationships/{kind}" Target="{target}"{mode}/>')
    return replace(docx, part, "</Relationships>", rel + "</Relationships>")


FIRST_RUN = "<w:r><w:t>Convention-cadre"  # first run of the convention's body


def in_body_run(docx: bytes, rpr: str) -> bytes:
    return replace(docx, "word/document.xml", FIRST_RUN, f"<w:r><w:rPr>{rpr}</w:rPr><w:t>Convention-cadre")


def in_body_paragraph(docx: bytes, xml: str) -> bytes:
    return replace(docx, "word/document.xml", FIRST_RUN, xml + FIRST_RUN)


FOOTER_RUN = '<w:r><w:t xml:space="preserve">Convention'


def in_footer(docx: bytes, xml_before_run: str = "", rpr: str = "") -> bytes:
    new = xml_before_run + (f'<w:r><w:rPr>{rpr}</w:rPr><w:t xml:space="preserve">Convention'
                            if rpr else FOOTER_RUN)
    return replace(docx, "word/footer1.xml", FOOTER_RUN, new)


def inline_image(docx: bytes, data: bytes, ext: str, rid: str = "rIdImg") -> bytes:
    docx = add_part(docx, f"word/media/img.{ext}", data,
                    {"png": "image/png", "jpeg": "image/jpeg", "svg": "image/svg+xml"}[ext])
    docx = add_rel(docx, rid, "image", f"media/img.{ext}", False)
    drawing = (
        '<w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/'
        'wordprocessingDrawing"><wp:extent cx="914400" cy="914400"/><wp:docPr id="1" name="i"/>'
        '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData '
        'uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic xmlns:pic="http://'
        'schemas.openxmlformats.org/drawingml/2006/picture"><pic:blipFill><a:blip r:embed="'
        f'{rid}"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>')
    return in_body_paragraph(docx, drawing)


def png(width: int, height: int) -> bytes:
    """A PNG whose header announces width × height (only the header is ever read)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    raw = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk + \
        struct.pack(">I", zlib.crc32(chunk))
    rows = height if width * height <= 10_000 else 1
    idat = zlib.compress((b"\x00" + b"\x80" * (3 * width)) * rows)
    raw += struct.pack(">I", len(idat)) + b"IDAT" + idat + struct.pack(">I", zlib.crc32(b"IDAT" + idat))
    return raw + struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND"))


def svg_fanout(levels: int = 8, fan: int = 10) -> bytes:
    defs = ['<g id="l0"><rect width="1" height="1"/></g>']
    for i in range(1, levels):
        uses = "".join(f'<use href="#l{i - 1}"/>' for _ in range(fan))
        defs.append(f'<g id="l{i}">{uses}</g>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg"><defs>{"".join(defs)}</defs>'
            f'<use href="#l{levels - 1}"/></svg>').encode()


SVG_EXTERNAL = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
                b'<image xlink:href="file:///etc/passwd" width="10" height="10"/></svg>')
