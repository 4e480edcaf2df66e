"""FINISH: empty, named signature fields (pyHanko) on a PDF, metadata and /ID kept stable."""

from __future__ import annotations

import io
from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    """Where a signatory signs: field name, page index, rectangle in PDF points."""

    name: str
    page: int
    box: tuple[float, float, float, float]


def add_fields(pdf: bytes, fields: list[Field], identifier: bytes) -> bytes:
    """Add the empty signature fields (pyHanko), then restore WeasyPrint's metadata and a
    content-derived /ID: pyHanko stamps the clock and random bytes, which we do not keep."""
    import pikepdf
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import SigFieldSpec, append_signature_field

    original = pikepdf.open(io.BytesIO(pdf))
    xmp = original.Root.Metadata.read_bytes()
    info = {k: v for k, v in original.docinfo.items()}
    if fields:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        for f in fields:
            append_signature_field(writer, SigFieldSpec(
                sig_field_name=f.name, on_page=f.page, box=tuple(int(round(v)) for v in f.box)))
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
