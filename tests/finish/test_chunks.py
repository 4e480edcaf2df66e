"""A very long document is typeset in chunks (docgen/finish/chunks.py) and merged: here the
example convention, with the thresholds lowered so that it takes that path in six chunks. The
merged PDF must be the single compilation's, page for page: same text where it stands (footer
« page X / Y » included), same bookmarks and nesting, a valid structure tree in French, the
same empty fields at the same places, parity proven, same bytes twice, fields signable."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pikepdf
import pytest

from docgen.finish import chunks
from docgen.finish.pdf import docx_to_pdf, expected_fields
from docgen.finish.typeset import ANCHOR


def _in_chunks(data: bytes, name: str, threshold: int, size: int,
               times: int = 1) -> tuple[list[bytes], int]:
    """The PDF of this DOCX typeset in chunks (`times` times), and how many chunks the first
    was merged from."""
    merged: list[int] = []
    original_merge = chunks.merge

    def spy(pdfs: list[bytes], *args: object) -> bytes:
        merged.append(len(pdfs))
        return original_merge(pdfs, *args)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(chunks, "THRESHOLD", threshold)
        mp.setattr(chunks, "CHUNK", size)
        mp.setattr(chunks, "merge", spy)
        pdfs = [docx_to_pdf(data, name) for _ in range(times)]
    assert merged, "the chunked path was not taken"
    return pdfs, merged[0]


@pytest.fixture(scope="module")
def chunked(convention_docx: bytes) -> tuple[bytes, bytes, int]:
    """(the convention's PDF typeset in chunks, again, how many chunks it was merged from)."""
    (first, second), count = _in_chunks(convention_docx, "convention.docx", 500, 10_000, 2)
    return first, second, count


def _pages_text(pdf: bytes, tmp: Path) -> list[str]:
    src = tmp / "in.pdf"
    src.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(src), "-"],
                         capture_output=True, check=True).stdout.decode()
    return out.split("\f")[:-1]


def _outline(doc: pikepdf.Pdf) -> list[tuple[int, str, int]]:
    pages = {p.objgen: i for i, p in enumerate(doc.pages)}
    out: list[tuple[int, str, int]] = []

    def walk(node: pikepdf.Object, depth: int) -> None:
        item = node.get("/First")
        while item is not None:
            out.append((depth, str(item.Title), pages[item.Dest[0].objgen]))
            walk(item, depth + 1)
            item = item.get("/Next")

    if "/Outlines" in doc.Root:
        walk(doc.Root.Outlines, 0)
    return out


def _fields(doc: pikepdf.Pdf) -> list[tuple[str, list[float], int, object]]:
    return [(str(f.T), [float(v) for v in f.Rect], doc.pages.index(f.P), f.get("/V"))
            for f in doc.Root.AcroForm.Fields]


def test_chunked_path_taken(chunked: tuple[bytes, bytes, int]) -> None:
    assert chunked[2] >= 4


def test_same_pages_same_text_footer_continues(chunked: tuple[bytes, bytes, int],
                                               signed_ready: bytes, tmp_path: Path) -> None:
    merged = _pages_text(chunked[0], tmp_path)
    single = _pages_text(signed_ready, tmp_path)
    assert len(merged) == len(single) > 15
    assert merged == single  # every line where the single compilation puts it
    total = len(merged)
    for number, page in enumerate(merged, start=1):
        assert re.search(rf"page {number} / {total}\s*$", page.rstrip()), number


def test_outline_structure_fields(chunked: tuple[bytes, bytes, int], signed_ready: bytes,
                                  convention_docx: bytes) -> None:
    with pikepdf.open(io.BytesIO(chunked[0])) as doc, \
            pikepdf.open(io.BytesIO(signed_ready)) as ref:
        outline = _outline(doc)
        assert outline == _outline(ref)  # titles, nesting and target pages
        assert len(outline) > 10 and any(depth > 0 for depth, _, _ in outline)
        assert not any(title.startswith(ANCHOR) for _, title, _ in outline)
        assert int(doc.Root.Outlines.Count) == int(ref.Root.Outlines.Count)

        assert str(doc.Root.Lang) == "fr" and doc.Root.MarkInfo.Marked
        tree = doc.Root.StructTreeRoot
        (document,) = [tree.K] if isinstance(tree.K, pikepdf.Dictionary) else list(tree.K)
        assert document.S == "/Document"
        nums = tree.ParentTree.Nums
        keys = [int(nums[i]) for i in range(0, len(nums), 2)]
        assert keys == sorted(set(keys)) and int(tree.ParentTreeNextKey) == max(keys) + 1
        parents = dict(zip(keys, (nums[i + 1] for i in range(0, len(nums), 2))))
        elements = 0
        for index, page in enumerate(doc.pages):
            contents = page.obj.Contents
            streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
            mcids = {int(m) for s in streams for m in re.findall(rb"/MCID (\d+)", s.read_bytes())}
            marked = parents[int(page.obj.StructParents)]
            assert len(marked) == max(mcids, default=-1) + 1, index
            for mcid in mcids:  # each marked content points at an element of this tree
                element = marked[mcid]
                assert element.Type == "/StructElem", (index, mcid)
                top = element
                while top.P.objgen != document.objgen:
                    top = top.P
                elements += 1
        assert elements > 1000
        ids = [str(tree.IDTree.Names[i]) for i in range(0, len(tree.IDTree.Names), 2)]
        assert len(ids) == len(set(ids)) and ids == sorted(ids)
        ref_ids = len(ref.Root.StructTreeRoot.IDTree.Names) // 2
        assert len(ids) == ref_ids

        fields = _fields(doc)
        assert [f[0] for f in fields] == expected_fields(convention_docx)
        assert fields == _fields(ref)  # same places, empty
        assert all(value is None for *_, value in fields)

        xmp = doc.open_metadata()
        assert xmp.get("pdfaid:part") == "2" and xmp.get("pdfaid:conformance") == "B"
        pages = re.findall(rb"<xmpTPg:NPages>(\d+)<", doc.Root.Metadata.read_bytes())
        assert pages == [str(len(doc.pages)).encode()]
        names = doc.Root.get("/Names")
        assert names is None or "/EmbeddedFiles" not in names


def test_same_bytes_twice(chunked: tuple[bytes, bytes, int]) -> None:
    assert chunked[0] == chunked[1]


def test_verify_checks_pass(chunked: tuple[bytes, bytes, int], convention_docx: bytes,
                            tmp_path: Path) -> None:
    from docgen.pdfcheck import signer_problems
    from docgen.verify import check_pdf_against_docx

    (tmp_path / "convention.docx").write_bytes(convention_docx)
    (tmp_path / "convention.pdf").write_bytes(chunked[0])
    assert check_pdf_against_docx(tmp_path / "convention.docx", tmp_path / "convention.pdf") == []
    assert signer_problems(chunked[0]) == []


def test_fields_of_the_merged_pdf_can_be_signed(chunked: tuple[bytes, bytes, int],
                                               convention_docx: bytes) -> None:
    from tests.signing import sign_in_turn, throwaway_signer, validate_all

    signer = throwaway_signer()
    names = expected_fields(convention_docx)
    results = validate_all(sign_in_turn(chunked[0], names, signer), signer)
    assert [name for name, _ in results] == names
    for name, status in results:
        assert status.intact and status.valid, (name, status.pretty_print_details())


def _field(paragraph: object, instr: str) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    paragraph._p.append(parse_xml(  # type: ignore[attr-defined]
        f'<w:fldSimple {nsdecls("w")} w:instr=" {instr} "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))


def test_sections_page_fields_and_outline_across_chunks(tmp_path: Path) -> None:
    """Two sections (the second landscape), « page X / Y » in the footer of each, headings of
    two levels cut across chunks: the same pages as one compilation."""
    from docx import Document
    from docx.enum.section import WD_ORIENT

    d = Document()
    d.core_properties.title = "Long document"
    for number, section in enumerate(d.sections):
        footer = section.footer.paragraphs[0]
        footer.add_run("Essai – page ")
        _field(footer, "PAGE")
        footer.add_run(" / ")
        _field(footer, "NUMPAGES")
    d.add_heading("Première partie", level=1)
    for i in range(1, 13):
        d.add_heading(f"Fiche {i}", level=2)
        d.add_paragraph(f"Texte de la fiche {i} ; " + "des mots pour remplir la ligne, " * 12)
        t = d.add_table(rows=3, cols=3)
        t.style = d.styles["Table Grid"]
        for r, row in enumerate(t.rows):
            for c, cell in enumerate(row.cells):
                cell.text = f"fiche {i}, ligne {r}, colonne {c}"
        d.add_page_break()
    section = d.add_section()
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    d.add_heading("Seconde partie", level=1)
    for i in range(1, 5):
        d.add_heading(f"Annexe {i}", level=2)
        d.add_paragraph("Une annexe en paysage. " * 30)
        d.add_page_break()
    path = tmp_path / "long.docx"
    d.save(str(path))
    data = path.read_bytes()

    single = docx_to_pdf(data, "long.docx")
    (chunked,), count = _in_chunks(data, "long.docx", 20, 4_000)
    assert count >= 4
    pages = _pages_text(chunked, tmp_path)
    assert pages == _pages_text(single, tmp_path)
    assert len(pages) == 16
    for number, page in enumerate(pages, start=1):
        assert f"page {number} / 16" in page, number
    with pikepdf.open(io.BytesIO(chunked)) as doc, pikepdf.open(io.BytesIO(single)) as ref:
        assert _outline(doc) == _outline(ref)
        assert [depth for depth, _, _ in _outline(doc)] == [0] + [1] * 12 + [0] + [1] * 4
        assert [list(p.mediabox) for p in doc.pages] == [list(p.mediabox) for p in ref.pages]
