"""SVG labels in the HTML-born pieces (the COPIL charts and maps): a text chunk is shaped and
drawn whole, a text whose letters are placed one by one keeps its letters where SVG puts them,
and an anchored text still ends where it is anchored."""

from __future__ import annotations

import base64
import io
import subprocess
import tempfile
from pathlib import Path

import pikepdf

from docgen.finish.pdf_html import html_to_pdf

WIDTH_PX = 400  # the picture's width on the page (CSS px: 0.75 pt)


def _pdf(svg_body: str) -> bytes:
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="100" '
           f'viewBox="0 0 400 100" font-family="Docgen Sans">{svg_body}</svg>')
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    html = ("<html lang='fr'><head><meta charset='utf-8'><title>t</title><style>"
            "@font-face { font-family: 'Docgen Sans'; src: url('fonts/LiberationSans-Regular.ttf'); }"
            "@page { size: 160mm 60mm; margin: 0 }"
            f"body {{ margin: 0 }} img {{ display: block; width: {WIDTH_PX}px }}</style></head>"
            f"<body><img src='{uri}' alt='essai'></body></html>")
    return html_to_pdf(html, b"0" * 32, "essai.pdf")


def _text_shows(pdf: bytes) -> list[str]:
    """The glyph runs the page draws (one `TJ`/`Tj` each)."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        ops = pikepdf.parse_content_stream(doc.pages[0])
        out = []
        for operands, op in ops:
            if str(op) in ("TJ", "Tj"):
                out.append(str(op))
        xobjects = doc.pages[0].Resources.get("/XObject", {})
        for key in xobjects.keys():
            for operands, op in pikepdf.parse_content_stream(xobjects[key]):
                if str(op) in ("TJ", "Tj"):
                    out.append(str(op))
        return out


def _words(pdf: bytes) -> list[tuple[str, float, float]]:
    """(word, xMin, xMax) in points, as pdftotext -bbox reads them."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(pdf)
        out = subprocess.run(["pdftotext", "-bbox", str(src), "-"], capture_output=True,
                             text=True, check=True).stdout
    import re

    return [(m.group(3), float(m.group(1)), float(m.group(2))) for m in re.finditer(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', out)]


def test_a_label_is_drawn_as_one_run_and_reads_as_one_word() -> None:
    pdf = _pdf('<text x="10" y="50" font-size="20">Secteurs</text>')
    assert len(_text_shows(pdf)) == 1  # WeasyPrint alone draws 8 runs, one per letter
    assert [w for w, _, _ in _words(pdf)] == ["Secteurs"]


def test_letters_placed_one_by_one_stay_where_svg_puts_them() -> None:
    pdf = _pdf('<text x="10 110 210" y="50" font-size="20">ABC</text>')
    assert len(_text_shows(pdf)) == 3
    starts = sorted(x0 for _, x0, _ in _words(pdf))
    scale = WIDTH_PX * 0.75 / 400  # SVG units → points
    assert [round(x / scale) for x in starts] == [10, 110, 210]


def test_an_end_anchored_label_still_ends_at_its_anchor() -> None:
    pdf = _pdf('<text x="390" y="50" font-size="20" text-anchor="end">Total</text>'
               '<text x="200" y="80" font-size="20" text-anchor="middle">Milieu</text>')
    scale = WIDTH_PX * 0.75 / 400
    words = {w: (x0 / scale, x1 / scale) for w, x0, x1 in _words(pdf)}
    assert abs(words["Total"][1] - 390) < 3
    middle = (words["Milieu"][0] + words["Milieu"][1]) / 2
    assert abs(middle - 200) < 3


def test_a_label_with_a_line_separator_keeps_all_its_words() -> None:
    """Shaped whole, a text stops at its first line: one with a line or paragraph separator
    (a partner's logo may hold one) is drawn letter by letter, as WeasyPrint does."""
    pdf = _pdf('<text x="10" y="50" font-size="20">ligne\u2028suite</text>')
    words = " ".join(w for w, _, _ in _words(pdf))
    assert "ligne" in words and "suite" in words
