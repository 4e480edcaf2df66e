"""The COPIL's paper pieces (issue 28, item 5): the A4 handout with ruled lines for notes beside
every slide, the attendance sheet where an invitee known only by a role leaves the name to
whoever comes, the convocation on letterhead (the partners' logos, the invitees one per line)."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
from docx import Document
from docx.oxml.ns import qn

from docgen.finish.pack import A4, MARGIN, handout
from docgen.load import load_case
from tests.conftest import EXAMPLE, overlay_case

NB = "\u00a0"
DAY = "2026-01-16"


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's COPIL of 16 January 2026, every piece with its PDF."""
    from docgen.pipeline import build
    from docgen.plan import BuildOptions

    out = tmp_path_factory.mktemp("paper")
    build(EXAMPLE, BuildOptions(out=out, kinds=("copil",), dates=(dt.date(2026, 1, 16),)))
    return out / "pays-des-ecrins" / f"copil-{DAY}"


# ------------------------------------------------------------------ the handout

Matrix = tuple[float, float, float, float, float, float]


def _times(m: Matrix, n: Matrix) -> Matrix:
    """m then n (PDF's row-vector convention: the point is multiplied by m, then by n)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def drawn(page: pikepdf.Page) -> tuple[list[tuple[str, tuple[float, float, float, float]]],
                                       list[tuple[float, float, float]]]:
    """What a handout page draws: the slides (form name, its box on the page: x0, y0, x1, y1)
    and the horizontal stroked segments (x0, x1, y), in the order of the content stream."""
    ctm: Matrix = (1, 0, 0, 1, 0, 0)
    stack: list[Matrix] = []
    slides, lines, path = [], [], []
    point = (0.0, 0.0)
    for operands, op in pikepdf.parse_content_stream(page):
        name = str(op)
        if name == "q":
            stack.append(ctm)
        elif name == "Q":
            ctm = stack.pop()
        elif name == "cm":
            ctm = _times(tuple(float(v) for v in operands), ctm)  # type: ignore[arg-type]
        elif name == "Do":
            form = page.Resources.XObject[str(operands[0])]
            x0, y0, x1, y1 = (float(v) for v in form.BBox)
            (ax, ay), (bx, by) = _apply(ctm, x0, y0), _apply(ctm, x1, y1)
            slides.append((str(operands[0]), (min(ax, bx), min(ay, by), max(ax, bx),
                                              max(ay, by))))
        elif name == "m":
            point = _apply(ctm, float(operands[0]), float(operands[1]))
        elif name == "l":
            end = _apply(ctm, float(operands[0]), float(operands[1]))
            path.append((point, end))
            point = end
        elif name in ("S", "s"):
            lines += [(min(a[0], b[0]), max(a[0], b[0]), a[1]) for a, b in path
                      if abs(a[1] - b[1]) < 0.01 and abs(a[0] - b[0]) > 1]
            path = []
        elif name in ("n", "f", "F", "f*", "B", "B*", "b", "b*"):
            path = []
    return slides, lines


def _check_notes_beside(slides: list[tuple[str, tuple[float, float, float, float]]],
                        lines: list[tuple[float, float, float]]) -> None:
    """Every slide is on the left, and on its right lines for notes over its height."""
    text_width = A4[0] - 2 * MARGIN
    for _, (x0, y0, x1, y1) in slides:
        assert 0.54 <= (x1 - x0) / text_width <= 0.61  # about 55–60 % of the width
        assert x0 >= MARGIN - 0.5
        beside = sorted((y for lx0, lx1, y in lines
                         if lx0 > x1 and y0 - 0.5 <= y <= y1 + 0.5), reverse=True)
        assert len(beside) >= 5, (x0, y0, x1, y1)  # as many as the slide's height holds
        gaps = [a - b for a, b in zip(beside, beside[1:])]
        assert all(7 * 72 / 25.4 <= g <= 9 * 72 / 25.4 for g in gaps)  # ~8 mm: handwriting
        for lx0, lx1, y in lines:
            if y in beside:
                assert lx1 <= A4[0] - MARGIN + 0.5 and lx1 - lx0 >= 50 * 72 / 25.4
    # no line is drawn over a slide
    for lx0, lx1, y in lines:
        assert not any(x0 < lx1 and lx0 < x1 and y0 < y < y1 for _, (x0, y0, x1, y1) in slides)


def test_the_handout_has_lines_for_notes_beside_every_slide(example: Path) -> None:
    count = len(pikepdf.open(example / "diaporama.pdf").pages)
    pdf = pikepdf.open(example / "diaporama-a4.pdf")
    assert len(pdf.pages) == -(-count // 3)
    seen = 0
    for page in pdf.pages:
        assert [round(float(v), 1) for v in page.MediaBox] == [0, 0, 595.3, 841.9]
        slides, lines = drawn(page)
        assert 1 <= len(slides) <= 3
        seen += len(slides)
        tops = [box[3] for _, box in slides]
        assert tops == sorted(tops, reverse=True)  # top to bottom
        _check_notes_beside(slides, lines)
    assert seen == count


def _slides(size: tuple[float, float], pages: int, origin: tuple[float, float] = (0, 0)) -> bytes:
    """A slides PDF of that page size: page n draws a bar n points wide (which slide is which)."""
    pdf = pikepdf.new()
    x, y = origin
    for n in range(1, pages + 1):
        page = pdf.add_blank_page(page_size=size)
        page.MediaBox = pikepdf.Array([x, y, x + size[0], y + size[1]])
        page.Contents = pdf.make_stream(f"0 0 1 rg {x + 10} {y + 10} {n} 20 re f".encode())
    pdf.docinfo["/Title"] = "Diaporama d’essai"
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def _bar(pdf: pikepdf.Pdf, page: pikepdf.Page, name: str) -> int:
    """The width of the bar a placed slide draws: its page number in the slides."""
    data = page.Resources.XObject[name].read_bytes().decode()
    return int(re.search(r"(\d+) 20 re f", data).group(1))  # type: ignore[union-attr]


@pytest.mark.parametrize(("size", "origin"), [
    ((720, 405), (0, 0)),  # 254 × 142,875 mm, the slides' size today
    ((960, 540), (0, 0)),  # 338,67 × 190,5 mm, the size to come
    ((960, 540), (100, 50)),  # a page box that does not start at 0
])
def test_the_handout_reads_the_slides_size_and_keeps_their_order(size, origin) -> None:
    data = handout(_slides(size, 7, origin), "Moi", dt.date(2026, 1, 16))
    assert data == handout(_slides(size, 7, origin), "Moi", dt.date(2026, 1, 16))  # same bytes
    pdf = pikepdf.open(io.BytesIO(data))
    assert len(pdf.pages) == 3
    order = []
    boxes = []
    for page in pdf.pages:
        slides, lines = drawn(page)
        _check_notes_beside(slides, lines)
        order += [_bar(pdf, page, name) for name, _ in slides]
        boxes += [box for _, box in slides]
    assert order == list(range(1, 8))
    # 16:9 placed the same whatever its size in points
    first = boxes[0]
    assert abs((first[3] - first[1]) / (first[2] - first[0]) - 9 / 16) < 1e-3
    today = pikepdf.open(io.BytesIO(handout(_slides((720, 405), 3), "Moi", dt.date(2026, 1, 16))))
    reference = drawn(today.pages[0])
    assert all(abs(a - b) < 0.01 for a, b in zip(first, reference[0][0][1]))
    assert str(pdf.docinfo["/Title"]) == "Diaporama d’essai" and str(pdf.Root.Lang) == "fr"


# ------------------------------------------------------------------ the attendance sheet

def _rows(pdf: Path) -> list[list[dict[str, str]]]:
    """The attendance sheet's table, page by page: each row a dict column → its cell's text
    (words grouped into rows where the page has a blank band between them)."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                          check=True).stdout.decode("utf-8")
    pages = []
    for body in html.split("<page ")[1:]:
        words = [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
            body)]
        head = next(i for i, w in enumerate(words) if w[4] == "Nom" and words[i + 2][4] == "prénom")
        top = words[head][3]
        columns = {name: next(w[0] for w in words if w[4] == name)
                   for name in ("Qualité", "Structure", "Signature")}
        columns["Nom et prénom"] = words[head][0]
        edges = sorted(columns.items(), key=lambda kv: kv[1])
        table = sorted((w for w in words if w[1] > top + 2 and w[4] != "/"
                        and "émargement" not in w[4]), key=lambda w: w[1])
        footer = min((w[1] for w in words if w[4] == "Feuille" and w[1] > top), default=1e9)
        rows: list[list[tuple[float, float, float, float, str]]] = []
        bottom = -1e9
        for w in table:
            if w[1] >= footer - 1:
                break
            if w[1] > bottom + 3.5:  # a blank band: the next row
                rows.append([])
                bottom = w[3]
            rows[-1].append(w)
            bottom = max(bottom, w[3])
        out = []
        for row in rows:
            cells: dict[str, list[tuple[float, float, str]]] = {name: [] for name in columns}
            for x0, y0, _, _, text in row:
                col = [name for name, x in edges if x <= x0 + 0.5][-1]
                cells[col].append((round(y0), x0, text))
            out.append({name: " ".join(t for _, _, t in sorted(ws)) for name, ws in cells.items()})
        pages.append(out)
    return pages


def test_a_role_leaves_the_name_to_whoever_comes_and_is_the_quality(example: Path) -> None:
    pages = _rows(example / "emargement.pdf")
    rows = [r for page in pages for r in page]
    case = load_case(EXAMPLE)
    cp = next(c for c in case.copils if c.date.isoformat() == DAY)
    assert len(rows) == len(cp.invites)  # the blank rows have no words
    by_structure: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        by_structure.setdefault(r["Structure"], []).append(r)
    freissinieres = by_structure["Commune de Freissinières"]
    assert freissinieres == [{"Nom et prénom": "", "Qualité": "Le Maire",
                              "Structure": "Commune de Freissinières", "Signature": ""}]
    departement = by_structure["Département des Hautes-Alpes"][0]
    assert departement["Nom et prénom"] == "" and \
        departement["Qualité"] == "Représentant du Département"
    ddt = by_structure["État – Direction départementale des territoires"][0]
    assert ddt["Nom et prénom"] == "" and ddt["Qualité"] == "Service territorial"
    servat = by_structure["État – Sous-préfecture de Briançon"][0]
    assert servat["Nom et prénom"] == "Mme Audrey SERVAT" and servat["Qualité"] == "Sous-préfète"
    cc = by_structure["Communauté de communes du Pays des Écrins"]
    assert [r["Nom et prénom"] for r in cc] == ["M. Cyrille DRUJON D’ASTROS", "Mme Érika ALLAIS"]
    assert [r["Qualité"] for r in cc] == ["Président", "Cheffe de projet Petites Villes de Demain"]
    for inv in cp.invites:  # a named person: the name; a role: a blank name
        named = [r for r in rows if inv.nom.replace("'", "’") in r["Nom et prénom"]]
        assert len(named) == (1 if inv.prenom or inv.civilite else 0), inv.nom
    text = subprocess.run(["pdftotext", str(example / "emargement.pdf"), "-"],
                          capture_output=True, check=True, text=True).stdout
    assert text.count("Nom et prénom") == len(pages) == 2  # the header on every page


# ------------------------------------------------------------------ the convocation

def _paragraphs(docx: Path, style: str | None = None) -> list[str]:
    doc = Document(str(docx))
    return [p.text for p in doc.paragraphs if style is None or p.style.name == style]


def test_the_convocation_has_the_partners_logos_as_pictures_with_their_names(
        example: Path) -> None:
    from docgen.load.assets import logos

    expected = [logo["nom"] for logo in logos(load_case(EXAMPLE))]
    assert len(expected) == 5
    doc = Document(str(example / "convocation.docx"))
    body = doc.element.body
    first_text = next(p for p in body.iter(qn("w:p"))
                      if "".join(t.text or "" for t in p.iter(qn("w:t"))).strip())
    pictures = [d for d in body.iter("{http://schemas.openxmlformats.org/drawingml/2006/"
                                     "wordprocessingDrawing}docPr")]
    assert [d.get("descr") for d in pictures] == expected  # each named: its alternative text
    # the letterhead: the pictures come before the sender's name
    above = list(body.iter(qn("w:p"))).index(first_text)
    holder = next(p for p in body.iter(qn("w:p")) if list(p.iter(pictures[0].tag)))
    assert list(body.iter(qn("w:p"))).index(holder) <= above
    assert _paragraphs(example / "convocation.docx", "Expediteur") == [
        "La Commune de L’Argentière-La Bessée", "La Communauté de communes du Pays des Écrins"]
    # the PDF shows them too, each a figure with its alternative text
    pdf = pikepdf.open(example / "convocation.pdf")
    alts = []

    def walk(e: object) -> None:
        if isinstance(e, pikepdf.Dictionary):
            if e.get("/S") == "/Figure":
                alts.append(str(e.get("/Alt")))
            kids = e.get("/K")
            for k in (kids if isinstance(kids, pikepdf.Array) else [kids]):
                walk(k)

    walk(pdf.Root.StructTreeRoot)
    assert alts == expected and len(pdf.pages) == 1


def test_the_convocation_lists_the_invitees_one_per_line(example: Path) -> None:
    lines = _paragraphs(example / "convocation.docx", "Liste invites")
    case = load_case(EXAMPLE)
    cp = next(c for c in case.copils if c.date.isoformat() == DAY)
    assert len(lines) == len(cp.invites)
    assert lines[0] == f"– Mme{NB}Audrey SERVAT, Sous-préfète, État – Sous-préfecture de Briançon"
    assert f"– Mme{NB}Érika ALLAIS, Cheffe de projet Petites Villes de Demain, Communauté de " \
        "communes du Pays des Écrins" in lines
    assert "– Service territorial, État – Direction départementale des territoires" in lines
    assert "– Le Maire, Commune de Freissinières" in lines  # a role, not « Le Maire, Maire »
    assert lines[-1] == "– Représentant de la Banque des Territoires, Banque des Territoires"
    text = " ".join(subprocess.run(["pdftotext", str(example / "convocation.pdf"), "-"],
                                   capture_output=True, check=True, text=True).stdout.split())
    assert "– Le Maire, Commune de La Roche-de-Rame – Le Maire, Commune des Vigneaux" in text


SMALL = '''numero: 1
date: 2024-06-10
lieu: Mairie
objet: Premier comité
date_edition: 2024-05-20
convoquent: [commune-bourg]
preside: commune-bourg
redacteur: La cheffe de projet
invites:
  - {id: maire, civilite: M., nom: MAIRE, structure: Commune, fonction: Maire}
  - {id: dgs, nom: Le Directeur général des services, structure: Commune}
  - {id: ddt, nom: Service territorial, structure: DDT, fonction: Chef de service}
ordre_du_jour:
  - {id: accueil, titre: Accueil}
instantane:
  - {fiche: 1, statut: en_cours, obtenu: [{financeur: detr, montant: 40000}]}
'''


def test_one_convening_party_signs_on_the_right_and_a_case_without_logos_has_none(
        tmp_path: Path) -> None:
    from docgen.pipeline import build
    from docgen.plan import BuildOptions

    case = overlay_case(tmp_path / "essai", None)
    (case / "copils").mkdir()
    (case / "copils" / "2024-06-10.yaml").write_text(SMALL, encoding="utf-8")
    build(case, BuildOptions(out=tmp_path / "out", kinds=("copil",)))
    folder = tmp_path / "out/essai/copil-2024-06-10"
    docx = folder / "convocation.docx"
    assert not list(Document(str(docx)).element.body.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}inline"))
    assert _paragraphs(docx, "Liste invites") == [
        f"– M.{NB}MAIRE, Maire, Commune",  # a civilité without a first name: a person
        "– Le Directeur général des services, Commune",
        "– Service territorial, Chef de service, DDT"]
    html = subprocess.run(["pdftotext", "-bbox", str(folder / "convocation.pdf"), "-"],
                          capture_output=True, check=True).stdout.decode("utf-8")
    page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', html)
    assert page
    width, height = float(page.group(1)), float(page.group(2))
    words = [(float(a), float(b), float(c), w) for a, b, c, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>',
        html)]
    formula = next(w for w in words if w[3] == "salutations")
    objet = next(w for w in words if w[3] == "Objet")
    below = [w for w in words if formula[2] < w[1] < height - 25 * 72 / 25.4]
    assert [w[3] for w in below][-1] == "MAIRE"  # the quality, then the name
    assert min(w[0] for w in below) >= width / 2 - 1 > objet[0]  # on the right half
    rows = [r for page in _rows(folder / "emargement.pdf") for r in page]
    assert [(r["Nom et prénom"], r["Qualité"]) for r in rows] == [
        ("M. MAIRE", "Maire"), ("", "Le Directeur général des services"),
        ("", "Service territorial, Chef de service")]
