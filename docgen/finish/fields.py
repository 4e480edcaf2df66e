"""Empty signature fields where Typst placed the anchors (pyHanko), then metadata and /ID fixed
so the bytes depend on the DOCX only (pyHanko stamps the clock and random bytes)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from .typeset import FIELD_WIDTH


@dataclass(frozen=True)
class FieldBox:
    name: str
    page: int  # 0-based
    box: tuple[int, int, int, int]  # PDF points, lower-left origin


def boxes(anchors: list[dict[str, float]], page_heights: list[float]) -> list[FieldBox]:
    out = []
    for a in anchors:
        page = int(a["page"]) - 1
        top = page_heights[page] - float(a["y"])
        x = float(a["x"])
        out.append(FieldBox(str(a["name"]), page, (round(x), round(top - float(a["h"])),
                                                   round(x + FIELD_WIDTH), round(top))))
    return out


def finish(pdf: bytes, anchors: list[dict[str, float]], names: list[str],
           identifier: bytes) -> bytes:
    """Add one empty, unlocked field per name (in signing order), keep Info and XMP equal."""
    import pikepdf

    original = pikepdf.open(io.BytesIO(pdf))
    xmp = original.Root.Metadata.read_bytes()
    info = {k: v for k, v in original.docinfo.items()}
    heights = [float(p.mediabox[3]) - float(p.mediabox[1]) for p in original.pages]
    placed = {b.name: b for b in boxes(anchors, heights)}
    missing = [n for n in names if n not in placed]
    if missing:
        raise ValueError(f"signature anchors not laid out: {missing}")
    if names:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign.fields import SigFieldSpec, append_signature_field

        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        for name in names:
            f = placed[name]
            append_signature_field(writer, SigFieldSpec(sig_field_name=f.name, on_page=f.page,
                                                        box=f.box))
        buf = io.BytesIO()
        writer.write(buf)
        pdf = buf.getvalue()
    doc = pikepdf.open(io.BytesIO(pdf))
    doc.Root.Metadata = doc.make_stream(xmp, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)
    for key in list(doc.docinfo.keys()):
        del doc.docinfo[key]
    for key, value in info.items():
        doc.docinfo[key] = value
    doc.trailer.ID = pikepdf.Array([pikepdf.String(identifier), pikepdf.String(identifier)])
    out = io.BytesIO()
    doc.save(out, static_id=True, compress_streams=True,
             object_stream_mode=pikepdf.ObjectStreamMode.preserve)
    return out.getvalue()
