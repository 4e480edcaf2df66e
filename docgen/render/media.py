"""Parts a quoted provision needs: an avenant quotes the convention's annex verbatim, maps
included, so the pictures (and links) its blocks point to are copied from the convention."""

from __future__ import annotations

import re

from lxml import etree

from ..provisions import QUOTED_ID
from .package import pack, parts, xml_bytes

_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_RELS = "word/_rels/document.xml.rels"


def carry_quoted_parts(target: bytes, source: bytes) -> bytes:
    """target's body holds blocks quoted from source, whose relationship ids carry QUOTED_ID:
    give target the same relationships (under those ids) and the parts they point to."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    files = parts(target)
    document = files["word/document.xml"].decode("utf-8")
    wanted = sorted(set(re.findall(rf'"{re.escape(QUOTED_ID)}([^"]+)"', document)))
    if not wanted:
        return target
    src = parts(source)
    src_rels = etree.fromstring(src[_RELS], parser)
    src_types = etree.fromstring(src["[Content_Types].xml"], parser)
    rels = etree.fromstring(files[_RELS], parser)
    types = etree.fromstring(files["[Content_Types].xml"], parser)
    known = {d.get("Extension", "").lower() for d in types.iter(f"{{{_CT}}}Default")}
    by_id = {r.get("Id"): r for r in src_rels.iter(f"{{{_PKG}}}Relationship")}
    for rid in wanted:
        rel = by_id.get(rid)
        if rel is None:
            continue  # the strict reader refuses a dangling reference later, by its name
        new = etree.SubElement(rels, f"{{{_PKG}}}Relationship", Id=QUOTED_ID + rid,
                               Type=rel.get("Type", ""), Target=rel.get("Target", ""))
        if rel.get("TargetMode") == "External":
            new.set("TargetMode", "External")
            continue
        part = "word/" + rel.get("Target", "").lstrip("/")
        copy = "media/" + QUOTED_ID + part.rsplit("/", 1)[-1]
        new.set("Target", copy)
        files["word/" + copy] = src[part]
        ext = copy.rsplit(".", 1)[-1].lower()
        override = next((o for o in src_types.iter(f"{{{_CT}}}Override")
                         if o.get("PartName", "").lower() == "/" + part.lower()), None)
        default = next((d for d in src_types.iter(f"{{{_CT}}}Default")
                        if d.get("Extension", "").lower() == ext), None)
        if override is not None:  # the part's own type, under its new name
            etree.SubElement(types, f"{{{_CT}}}Override", PartName="/word/" + copy,
                             ContentType=override.get("ContentType", ""))
        elif default is not None and ext not in known:
            etree.SubElement(types, f"{{{_CT}}}Default", Extension=ext,
                             ContentType=default.get("ContentType", ""))
            known.add(ext)
    files[_RELS] = xml_bytes(rels)
    files["[Content_Types].xml"] = xml_bytes(types)
    return pack(files)
