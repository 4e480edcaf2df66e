"""The partners' band of an act: `{{ bandeau(logos) }}` in a paragraph of its own, above the title.

Each logo (the case's assets/logos/, checked when the case was loaded: load/assets.py) becomes
a picture « alignée sur le texte » as the maps are (maps.inline_picture: its SVG, as Word 2016+
stores one, and a PNG for every other reader), named after the partner. All share one height,
their ratios kept: 15 mm when the row fits between the margins, else as few rows as fit at
10 mm at least, as high as that many rows allow. The rows are computed here from the page's
own text width, never left to the reader's line breaking: Word and the PDF break them alike.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from .raster import MAX_RATIO, logo_png, logo_svg

HEIGHT_MM = 15.0  # « about 1,5 cm »: a logo read on a printed page
MIN_HEIGHT_MM = 10.0  # below, a second row rather than smaller logos
STEP_MM = 0.5
GAP = "\u2003"  # between two logos: an em space of GAP_PT
GAP_PT = 12
SLACK_MM = 3.0  # kept free at the end of a row: rounding in Word or the PDF never wraps it
EMU_PER_MM = 36_000


def rows(ratios: Sequence[float], width_mm: float, height_mm: float) -> list[int]:
    """How many logos each row holds, filled in order, at this height (a logo wider than the
    whole width has a row of its own)."""
    gap = GAP_PT * 25.4 / 72
    out: list[int] = []
    used = 0.0
    for r in ratios:
        w = r * height_mm
        if out and used + gap + w <= width_mm:
            out[-1] += 1
            used += gap + w
        else:
            out.append(1)
            used = w
    return out


def layout(ratios: Sequence[float], width_mm: float) -> tuple[float, list[int]]:
    """The common height (mm) and the rows: the fewest rows possible at MIN_HEIGHT_MM, then the
    greatest height (at most HEIGHT_MM, by STEP_MM) that keeps that many."""
    width_mm -= SLACK_MM
    fewest = len(rows(ratios, width_mm, MIN_HEIGHT_MM))
    height = HEIGHT_MM
    while height > MIN_HEIGHT_MM and len(rows(ratios, width_mm, height)) > fewest:
        height -= STEP_MM
    # one logo alone wider than the text: that row at the height that fits it
    widest = max(ratios, default=1.0)
    height = min(height, width_mm / widest)
    return height, rows(ratios, width_mm, height)


class BandeauDocx:
    """What a Word template may draw: `{{ bandeau(logos) }}`, logos as the context gives them
    (`src`, an SVG data URI; `nom`, the alternative text; `ident`, the picture's name: an act's
    band names each after its party, a COPIL's logos as the case's files give them have only
    their file name, `fichier`, which then names the picture)."""

    def __init__(self, tpl: Any) -> None:
        self._tpl = tpl

    def _text_width_mm(self) -> float:
        section = self._tpl.docx.sections[0]
        width = section.page_width - section.left_margin - section.right_margin
        return float(width) / EMU_PER_MM

    def __call__(self, logos: Sequence[dict[str, Any]]) -> Any:
        from docx.shared import Emu
        from markupsafe import Markup

        from .maps import inline_picture

        logos = list(logos)
        if not logos:
            return Markup("")
        drawn = []
        for logo in logos:
            png, ratio = logo_png(logo["src"], logo["nom"])
            drawn.append((logo, png, min(max(ratio, 1 / MAX_RATIO), MAX_RATIO)))
        height, counts = layout([r for _, _, r in drawn], self._text_width_mm())
        pieces: list[str] = []
        i = 0
        for row, count in enumerate(counts):
            if row:
                pieces.append('</w:t></w:r><w:r><w:br/></w:r><w:r><w:t xml:space="preserve">')
            for k in range(count):
                logo, png, ratio = drawn[i]
                i += 1
                if k:
                    pieces.append(f'</w:t></w:r><w:r><w:rPr><w:sz w:val="{GAP_PT * 2}"/></w:rPr>'
                                  f'<w:t xml:space="preserve">{GAP}')
                h = round(height * EMU_PER_MM)
                pieces.append(inline_picture(
                    self._tpl, logo_svg(logo["src"]), png, str(logo["nom"]),
                    f"logo-{_ident(logo, i)}", "logo", Emu(round(h * ratio)), Emu(h)))
        return Markup("".join(pieces))


def _ident(logo: dict[str, Any], position: int) -> str:
    """The picture's name: the logo's `ident`, else its file's name without the extension and
    its ordering prefix (« 2-cc-pays-des-ecrins.svg » → cc-pays-des-ecrins, as an act's band
    names it: context/common.bandeau), else its place in the band."""
    ident = logo.get("ident")
    if not ident:
        stem = str(logo.get("fichier", "")).rsplit(".", 1)[0]
        ident = re.sub(r"^\d+[-_. ]*", "", stem) or stem
    return re.sub(r"[^A-Za-z0-9_-]+", "-", ident) or str(position)
