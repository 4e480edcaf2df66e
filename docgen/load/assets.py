"""LOAD for the files a case points at beside its YAML: the partners' logos."""

from __future__ import annotations

import base64
import html
import re

from . import Case


def logos(case: Case) -> list[dict[str, str]]:
    """The partners band of the slides: every SVG of <case>/assets/logos/, by file name; its
    <title> is the image's description (a tagged PDF requires one)."""
    folder = case.folder / "assets" / "logos"
    out = []
    for path in sorted(folder.glob("*.svg")) if folder.is_dir() else []:
        data = path.read_bytes()
        title = re.search(rb"<title>([^<]*)</title>", data)
        name = html.unescape(title.group(1).decode("utf-8")) if title else path.stem
        out.append({"src": "data:image/svg+xml;base64," + base64.b64encode(data).decode("ascii"),
                    "nom": name})
    return out
