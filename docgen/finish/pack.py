"""One PDF of a whole COPIL pack: the pieces in order, a bookmark per piece, true metadata;
and the A4 handout of the slides (three per page) for the paper file."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..version import __version__

if TYPE_CHECKING:  # pikepdf is imported where it is used: a build without a pack never loads it
    from pikepdf import Object, OutlineItem, Pdf


def merge(pieces: Sequence[tuple[str, bytes]], title: str, author: str, day: dt.date) -> bytes:
    """pieces: (bookmark title, PDF bytes) in order. The pieces' own bookmarks nest under theirs;
    their structure trees are joined into one, so the pack is a tagged PDF when they all are,
    and it claims PDF/A only at a level every piece meets (see _common_level)."""
    import pikepdf
    from pikepdf import Name, OutlineItem

    out = pikepdf.new()
    sources = [pikepdf.open(io.BytesIO(data)) for _, data in pieces]
    for src in sources:  # a draft's signature fields are not for signing inside a pack
        for page in src.pages:
            if Name.Annots in page.obj:
                keep = [a for a in page.obj.Annots if a.get(Name.FT) != Name.Sig]
                page.obj.Annots = pikepdf.Array(keep)
    starts = []
    for src in sources:
        starts.append(len(out.pages))
        out.pages.extend(src.pages)
    tagged = _join_structure(out, sources, starts)
    embeds = any("/EmbeddedFiles" in src.Root.get("/Names", {}) for src in sources)
    level = _common_level([_pdfa(src) for src in sources]) if tagged and not embeds else None
    if level is not None:
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
    _metadata(out, title, author, day, level)
    buf = io.BytesIO()
    out.save(buf, deterministic_id=True, compress_streams=True, min_version="1.7")
    return buf.getvalue()


def _pdfa(src: Pdf) -> tuple[str, str] | None:
    meta = src.open_metadata()
    part, conformance = meta.get("pdfaid:part"), meta.get("pdfaid:conformance")
    if not part or not conformance or "/OutputIntents" not in src.Root:
        return None
    return str(part), str(conformance)


def _common_level(levels: list[tuple[str, str] | None]) -> tuple[str, str] | None:
    """The PDF/A level a merge of these pieces can claim: the same level for all; or PDF/A-2b
    for pieces at 2b and 3b (PDF/A-3 only adds embedded files, and docgen embeds none)."""
    if not levels or any(x is None for x in levels):
        return None
    kinds = set(levels)
    if len(kinds) == 1:
        return levels[0]
    if kinds <= {("2", "B"), ("3", "B")}:
        return ("2", "B")
    return None


def _nums(tree: Object) -> list[tuple[int, Object]]:
    """The (key, value) pairs of a number tree, its kids included."""
    out = []
    if "/Nums" in tree:
        nums = tree.Nums
        out += [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2)]
    for kid in tree.get("/Kids", []):
        out += _nums(kid)
    return out


def _foreign(out: Pdf, src: Pdf, obj: Object) -> Object:
    """obj of src, copied into out (a direct object goes through an indirect one)."""
    return out.copy_foreign(obj if obj.is_indirect else src.make_indirect(obj))


def _join_structure(out: Pdf, sources: list[Pdf], starts: list[int]) -> bool:
    """One structure tree for the merged pages: each piece's tree under the root, its parent
    tree renumbered after the previous piece's. False when a piece is not tagged."""
    import pikepdf
    from pikepdf import Name

    if not all("/StructTreeRoot" in s.Root
               and s.Root.get("/MarkInfo", pikepdf.Dictionary()).get("/Marked")
               for s in sources):
        return False
    root = out.make_indirect(pikepdf.Dictionary(Type=Name.StructTreeRoot))
    kids = pikepdf.Array()
    nums = pikepdf.Array()
    roles = pikepdf.Dictionary()
    offset = 0
    for src, start in zip(sources, starts):
        tree = src.Root.StructTreeRoot
        entries = _nums(tree.ParentTree) if "/ParentTree" in tree else []
        for key, value in sorted(entries, key=lambda e: e[0]):
            nums.append(offset + key)
            nums.append(_foreign(out, src, value))
        top = tree.K if isinstance(tree.K, pikepdf.Array) else [tree.K]
        for elem in top:
            copied = _foreign(out, src, elem)
            copied.P = root
            kids.append(copied)
        for i in range(len(src.pages)):
            page = out.pages[start + i].obj
            if "/StructParents" in page:
                page.StructParents = int(page.StructParents) + offset
            for annot in page.get("/Annots", []):
                if "/StructParent" in annot:
                    annot.StructParent = int(annot.StructParent) + offset
        for k, v in tree.get("/RoleMap", {}).items():
            roles[k] = v
        offset += max((k for k, _ in entries), default=-1) + 1
    root.K = kids
    root.ParentTree = out.make_indirect(pikepdf.Dictionary(Nums=nums))
    root.ParentTreeNextKey = offset
    if len(roles):
        root.RoleMap = roles
    out.Root.StructTreeRoot = root
    out.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
    return True


def _metadata(out: Pdf, title: str, author: str, day: dt.date,
              level: tuple[str, str] | None = None) -> None:
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
        if level is not None:  # claimed only when every piece claims it
            meta["pdfaid:part"], meta["pdfaid:conformance"] = level
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
MM = 72 / 25.4
MARGIN = 15 * MM  # around the page
SLIDE_SHARE = 0.6  # of the text width: the slide on the left, the notes' lines on its right
GUTTER = 7 * MM  # between a slide and its lines
LINE_GAP = 8 * MM  # between two lines for notes (handwriting)
LINE_WIDTH, LINE_GREY = 0.5, 0.6  # points, grey level (0 black, 1 white)
FRAME_WIDTH, FRAME_GREY = 0.6, 0.5


def handout(slides: bytes, author: str, day: dt.date) -> bytes:
    """The slides three to an A4 portrait page, in order, for the paper file: each slide on the
    left, framed, and beside it ruled lines for notes, as many as its height holds. The slides'
    size is read from the PDF (any 16:9 or other size fits the same places)."""
    import pikepdf
    from pikepdf import Name

    src = pikepdf.open(io.BytesIO(slides))
    title = str(src.docinfo.get(Name.Title, ""))
    out = pikepdf.new()
    level = _pdfa(src)
    if level is not None and "/EmbeddedFiles" not in src.Root.get("/Names", {}):
        out.Root.OutputIntents = pikepdf.Array(
            [out.copy_foreign(src.make_indirect(oi)) for oi in src.Root.OutputIntents])
    else:
        level = None
    forms = [out.copy_foreign(page.as_form_xobject()) for page in src.pages]
    first = _box(forms[0]) if forms else (0.0, 0.0, 16.0, 9.0)
    ratio = (first[3] - first[1]) / (first[2] - first[0])
    text_width = A4[0] - 2 * MARGIN
    slot = (A4[1] - 2 * MARGIN) / PER_PAGE  # each slide centred in a third of the page
    width = SLIDE_SHARE * text_width
    height = min(width * ratio, slot - 6 * MM)
    width = min(width, height / ratio)
    notes_x = MARGIN + width + GUTTER
    notes_end = A4[0] - MARGIN
    for start in range(0, len(forms), PER_PAGE):
        page = out.add_blank_page(page_size=A4)
        content = []
        names = {}
        for k, form in enumerate(forms[start:start + PER_PAGE]):
            name = f"/S{k}"
            names[name] = form
            top = A4[1] - MARGIN - k * slot - (slot - height) / 2
            content += _placed(name, _box(form), MARGIN, top - height, width, height)
            content += _lines(notes_x, notes_end, top, height)
        page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(names))
        page.obj.Contents = out.make_stream("\n".join(content).encode("ascii"))
    out.Root.Lang = pikepdf.String("fr")
    _metadata(out, title, author, day, level)
    buf = io.BytesIO()
    out.save(buf, deterministic_id=True, compress_streams=True, min_version="1.7")
    return buf.getvalue()


def _box(form: Object) -> tuple[float, float, float, float]:
    """What a slide's form draws, as x0, y0, x1, y1: its bounding box, the page's TrimBox
    (pikepdf's as_form_xobject), which is its MediaBox when it has no other (the slides')."""
    x0, y0, x1, y1 = (float(v) for v in form.BBox)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _placed(name: str, box: tuple[float, float, float, float], x: float, y: float,
            width: float, height: float) -> list[str]:
    """A slide drawn in the place (x, y, width, height), its own proportions kept (centred when
    they differ from the first slide's), and its frame."""
    bw, bh = box[2] - box[0], box[3] - box[1]
    scale = min(width / bw, height / bh)
    w, h = bw * scale, bh * scale
    left, bottom = x + (width - w) / 2, y + (height - h) / 2
    tx, ty = left - box[0] * scale, bottom - box[1] * scale
    return [f"q {scale:.5f} 0 0 {scale:.5f} {tx:.3f} {ty:.3f} cm {name} Do Q",
            f"q {FRAME_WIDTH} w {FRAME_GREY} G {left:.3f} {bottom:.3f} {w:.3f} {h:.3f} re S Q"]


def _lines(x0: float, x1: float, top: float, height: float) -> list[str]:
    """The lines for notes beside a slide: LINE_GAP apart from its top, as many as its height
    holds; one path of one segment (m … l) per line, stroked once."""
    count = int(height / LINE_GAP + 1e-6)
    segments = [f"{x0:.3f} {top - LINE_GAP * j:.3f} m {x1:.3f} {top - LINE_GAP * j:.3f} l"
                for j in range(1, count + 1)]
    return [f"q {LINE_WIDTH} w {LINE_GREY} G 0 J", *segments, "S Q"] if segments else []


def _copy_item(item: OutlineItem, src: Pdf, offset: int) -> OutlineItem:
    """A bookmark of a piece, pointing at the same page in the merged document."""
    from pikepdf import Array, OutlineItem

    page = 0
    try:
        dest = item.destination  # a page number, a name, or an array [page, fit, ...]
        if isinstance(dest, Array) and len(dest) and hasattr(dest[0], "objgen"):
            page = next(i for i, p in enumerate(src.pages) if p.objgen == dest[0].objgen)
    except (StopIteration, TypeError, ValueError, KeyError):
        page = 0
    copy = OutlineItem(item.title, offset + page)
    for child in item.children:
        copy.children.append(_copy_item(child, src, offset))
    return copy
