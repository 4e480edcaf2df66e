"""Signature blocks two per row from four signatories, one column below: every field is at
least 6 × 2.5 cm, inside its column, over no printed word and no other field, level with the
other field of its row, one per signatory in signing order, on the page that ends with the last
article."""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pikepdf
import pytest

from docgen.finish.pdf import docx_to_pdf, expected_fields
from tests.conftest import MINIMAL, overlay_case

CM = 72 / 2.54
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                   r"([^<]*)</word>")


def fields(pdf: bytes) -> list[tuple[str, int, tuple[float, float, float, float]]]:
    """(name, 0-based page, rectangle in PDF points, lower-left origin), in the AcroForm's order."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return [(str(f.T), doc.pages.index(f.P), tuple(float(v) for v in f.Rect))  # type: ignore[misc]
                for f in doc.Root.AcroForm.Fields]


def words(pdf: bytes, page: int) -> tuple[float, list[tuple[str, tuple[float, float, float, float]]]]:
    """(page height, every printed word of a page with its box, top-left origin) by pdftotext."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "d.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(["pdftotext", "-bbox", "-f", str(page + 1), "-l", str(page + 1),
                              str(path), "-"], check=True, capture_output=True, text=True).stdout
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', out).group(1))  # type: ignore[union-attr]
    return height, [(html.unescape(m.group(5)), tuple(float(m.group(k)) for k in range(1, 5)))  # type: ignore[misc]
                    for m in _WORD.finditer(out)]


def overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def check_layout(pdf: bytes, names: list[str], per_row: int) -> None:
    found = fields(pdf)
    assert [f[0] for f in found] == names  # one per signatory, in signing order
    pages = {f[1] for f in found}
    assert len(pages) == 1, pages  # the blocks stay together, with the last article
    (page,) = pages
    height, printed = words(pdf, page)
    boxes = [f[2] for f in found]
    for name, _, (x1, y1, x2, y2) in found:
        assert x2 - x1 >= 6 * CM and y2 - y1 >= 2.5 * CM, name
        for word, (wx1, wy1, wx2, wy2) in printed:  # pdftotext measures from the top
            assert not overlaps((x1, y1, x2, y2), (wx1, height - wy2, wx2, height - wy1)), \
                (name, word)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not overlaps(a, b), (a, b)
    rows = [boxes[k:k + per_row] for k in range(0, len(boxes), per_row)]
    left = min(b[0] for b in boxes)
    for row in rows:
        assert row[0][0] == pytest.approx(left, abs=1)  # each row starts in the left column
        for a, b in zip(row, row[1:]):  # the fields of a row level, whatever the number of
            assert (a[1], a[3]) == pytest.approx((b[1], b[3]), abs=0.5)  # lines above them
        for a, b in zip(row, row[1:]):
            assert a[2] < b[0]  # the left field ends before the right column
    for upper, lower in zip(rows, rows[1:]):
        assert lower[0][3] < min(b[1] for b in upper)  # each row below the previous one
    # the « Fait à » line (and so the end of the last article) is on the signature page
    assert any(w == "Fait" for w, _ in printed)


@pytest.mark.parametrize("name, count", [("convention.docx", 4), ("avenant-01.docx", 4),
                                         ("adhesion.docx", 5)])
def test_two_blocks_per_row_from_four_signatories(example_docx: dict[str, bytes], name: str,
                                                   count: int) -> None:
    pdf = docx_to_pdf(example_docx[name], name)
    names = expected_fields(example_docx[name])
    assert len(names) == count
    check_layout(pdf, names, per_row=2)
    if count % 2:  # an odd count: the last row holds one block, in the left column
        boxes = [f[2] for f in fields(pdf)]
        assert boxes[-1][0] == pytest.approx(boxes[0][0], abs=1)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler absent")
def test_three_signatories_stay_in_one_column(tmp_path: Path) -> None:
    from docgen.pipeline import build
    from docgen.plan import BuildOptions

    case = overlay_case(tmp_path / "minimal", None, MINIMAL)
    result = build(case, BuildOptions(out=tmp_path / "out"))
    pdf = (result.folder / "convention.pdf").read_bytes()
    names = expected_fields((result.folder / "convention.docx").read_bytes())
    assert len(names) == 3
    check_layout(pdf, names, per_row=1)
