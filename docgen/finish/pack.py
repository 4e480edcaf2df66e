"""One PDF of a whole COPIL pack: the pieces in order, a bookmark per piece, true metadata;
and the A4 handout of the slides (three per page) for the paper file."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from .. import __version__


def merge(pieces: Sequence[tuple[str, bytes]], title: str, author: str, day: dt.date) -> bytes:
    """pieces: (bookmark title, PDF bytes) in order. The pieces' own bookmarks nest under theirs."""
    import pikepdf
    from pikepdf import OutlineItem

    out = pikepdf.new()
    sources = [pikepdf.open(io.BytesIO(data)) for _, data in pieces]
    starts = []
    for src in sources:
        starts.append(len(out.pages))
        out.pages.extend(src.pages)
    # Merging pages does not merge the pieces' structure trees: the pack is not a tagged PDF, so
    # it claims no PDF/A conformance (each piece keeps its own, filed beside the pack).
    out.Root.Lang = pikepdf.String("fr")
    with out.open_outline() as outline:
        for (label, _), src, start in zip(pieces, sources, starts):
            item = OutlineItem(label, start)
            with src.open_outline() as inner:
                for child in inner.root:
                    item.children.append(_copy_item(child, src, start))
            outline.root.append(item)
    _metadata(out, title, author, day)
    buf = io.BytesIO()
    out.save(buf, deterministic_id=True, compress_streams=True)
    return buf.getvalue()


def _metadata(out, title: str, author: str, day: dt.date) -> None:  # type: ignore[no-untyped-def]
    from pikepdf import Name

    stamp = f"D:{day.strftime('%Y%m%d')}000000Z"
    out.docinfo[Name.Title] = title
    out.docinfo[Name.Author] = author
    out.docinfo[Name.Creator] = f"docgen {__version__}"
    out.docinfo[Name.Producer] = f"docgen {__version__} (pikepdf)"
    out.docinfo[Name.CreationDate] = stamp
    out.docinfo[Name.ModDate] = stamp
    iso = f"{day.isoformat()}T00:00:00+00:00"
    with out.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        for key in ("pdfaid:part", "pdfaid:conformance"):
            if key in meta:
                del meta[key]
        meta["dc:title"] = title
        meta["dc:creator"] = [author]
        meta["pdf:Producer"] = f"docgen {__version__} (pikepdf)"
        meta["xmp:CreatorTool"] = f"docgen {__version__}"
        meta["xmp:CreateDate"] = iso
        meta["xmp:ModifyDate"] = iso
        meta["xmp:MetadataDate"] = iso
        meta["dc:language"] = ["fr"]


A4 = (595.276, 841.89)  # points
PER_PAGE = 3


def handout(slides: bytes, author: str, day: dt.date) -> bytes:
    """The slides three to an A4 portrait page, framed, in order: the paper file's copy."""
    import pikepdf
    from pikepdf import Name

    src = pikepdf.open(io.BytesIO(slides))
    title = str(src.docinfo.get(Name.Title, ""))
    out = pikepdf.new()
    margin, gap = 42.0, 18.0
    width = A4[0] - 2 * margin
    first = src.pages[0].mediabox
    ratio = float(first[3] - first[1]) / float(first[2] - first[0])
    height = min(width * ratio, (A4[1] - 2 * margin - gap * (PER_PAGE - 1)) / PER_PAGE)
    width = height / ratio
    x = (A4[0] - width) / 2
    forms = [out.copy_foreign(page.as_form_xobject()) for page in src.pages]
    for start in range(0, len(forms), PER_PAGE):
        page = out.add_blank_page(page_size=A4)
        content = []
        names = {}
        for k, form in enumerate(forms[start:start + PER_PAGE]):
            name = f"/S{k}"
            names[name] = form
            top = A4[1] - margin - k * (height + gap)
            y = top - height
            bw = float(first[2] - first[0])
            scale = width / bw
            content.append(f"q {scale:.5f} 0 0 {scale:.5f} {x:.3f} {y:.3f} cm {name} Do Q")
            content.append(f"q 0.6 w 0.5 G {x:.3f} {y:.3f} {width:.3f} {height:.3f} re S Q")
        page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(
            {k: v for k, v in names.items()}))
        page.obj.Contents = out.make_stream("\n".join(content).encode("ascii"))
    _metadata(out, title, author, day)
    buf = io.BytesIO()
    out.save(buf, deterministic_id=True, compress_streams=True)
    return buf.getvalue()


def _copy_item(item, src, offset: int):  # type: ignore[no-untyped-def]
    """A bookmark of a piece, pointing at the same page in the merged document."""
    from pikepdf import OutlineItem

    page = 0
    try:
        dest = item.destination
        if dest is not None and len(dest) and hasattr(dest[0], "objgen"):
            page = next(i for i, p in enumerate(src.pages) if p.objgen == dest[0].objgen)
    except (StopIteration, TypeError, ValueError, KeyError):
        page = 0
    copy = OutlineItem(item.title, offset + page)
    for child in item.children:
        copy.children.append(_copy_item(child, src, offset))
    return copy
