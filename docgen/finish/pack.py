"""One PDF of a whole COPIL pack: the pieces in order, a bookmark per piece, PDF/A kept."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from ..version import __version__


def merge(pieces: Sequence[tuple[str, bytes]], title: str, author: str, day: dt.date) -> bytes:
    """pieces: (bookmark title, PDF bytes) in order. The pieces' own bookmarks nest under theirs."""
    import pikepdf
    from pikepdf import Name, OutlineItem

    out = pikepdf.new()
    sources = [pikepdf.open(io.BytesIO(data)) for _, data in pieces]
    starts = []
    for src in sources:
        starts.append(len(out.pages))
        out.pages.extend(src.pages)
    first = sources[0]
    out.Root.OutputIntents = pikepdf.Array(
        [out.copy_foreign(first.make_indirect(oi)) for oi in first.Root.OutputIntents])
    out.Root.Lang = pikepdf.String("fr")
    with out.open_outline() as outline:
        for (label, _), src, start in zip(pieces, sources, starts):
            item = OutlineItem(label, start)
            with src.open_outline() as inner:
                for child in inner.root:
                    item.children.append(_copy_item(child, src, start))
            outline.root.append(item)
    stamp = f"D:{day.strftime('%Y%m%d')}000000Z"
    out.docinfo[Name.Title] = title
    out.docinfo[Name.Author] = author
    out.docinfo[Name.Creator] = f"docgen {__version__}"
    out.docinfo[Name.Producer] = f"docgen {__version__} (pikepdf)"
    out.docinfo[Name.CreationDate] = stamp
    out.docinfo[Name.ModDate] = stamp
    iso = f"{day.isoformat()}T00:00:00+00:00"
    with out.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["pdfaid:part"] = "3"
        meta["pdfaid:conformance"] = "B"
        meta["dc:title"] = title
        meta["dc:creator"] = [author]
        meta["pdf:Producer"] = f"docgen {__version__} (pikepdf)"
        meta["xmp:CreatorTool"] = f"docgen {__version__}"
        meta["xmp:CreateDate"] = iso
        meta["xmp:ModifyDate"] = iso
        meta["xmp:MetadataDate"] = iso
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
