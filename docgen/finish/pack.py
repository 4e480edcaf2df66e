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
    level = _pdfa(src)
    if level is not None and "/EmbeddedFiles" not in src.Root.get("/Names", {}):
        out.Root.OutputIntents = pikepdf.Array(
            [out.copy_foreign(src.make_indirect(oi)) for oi in src.Root.OutputIntents])
    else:
        level = None
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
    out.Root.Lang = pikepdf.String("fr")
    _metadata(out, title, author, day, level)
    buf = io.BytesIO()
    out.save(buf, deterministic_id=True, compress_streams=True, min_version="1.7")
    return buf.getvalue()


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
