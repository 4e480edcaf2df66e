"""The consolidated version and the redline after the lawyer's second read (issue 25): a secteur
an avenant removed is named at its place; the redline changes an amount whole, never digit by
digit; it is headed and dated as the comparison it is; a mark that precedes a table stays on its
page."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from docgen.load import load_case
from docgen.pipeline import Documents
from docgen.plan import BuildOptions, plan
from docgen.provisions import W, marked, provisions
from docgen.redline import _Marks, _word_diff
from tests.conftest import EXAMPLE, overlay_case
from tests.docx_helpers import body_texts, styled
from tests.test_avenant import _plain, _resolve, _stipulations, all_operations_case
from tests.test_provisions import check_documents

NB = "\u00a0"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def texts(path: Path) -> list[str]:
    return [t.replace(NB, " ").replace("\u202f", " ") for t in body_texts(path)]


def documents(case_folder: Path, out: Path, pdf: bool = False) -> tuple[Documents, list[Any]]:
    case = load_case(case_folder)
    options = BuildOptions(out=out, pdf=pdf)
    docs = Documents(case, options)
    jobs = plan(case, options)
    docs._jobs = jobs
    return docs, jobs


def write(docs: Documents, jobs: list[Any], document: str, numero: int, path: Path) -> Path:
    job = next(j for j in jobs if j.document == document and j.numero == numero)
    path.write_bytes(docs.get(job))
    return path


# ------------------------------------------------------------------ 1. a removed secteur


@pytest.fixture(scope="module")
def every_operation(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The every-operation case (avenant n° 1 adds « Quartier de la Gare », n° 2 removes it):
    its consolidated versions."""
    tmp = tmp_path_factory.mktemp("secteurs")
    case = all_operations_case(tmp)
    docs, jobs = documents(case, tmp / "out")
    return {"case": case, "tmp": tmp,
            1: write(docs, jobs, "consolidee", 1, tmp / "consolidee-1.docx"),
            2: write(docs, jobs, "consolidee", 2, tmp / "consolidee-2.docx")}


REMOVED = "Quartier de la Gare : secteur retiré par l’avenant n° 2 du 1er octobre 2024"


def test_a_removed_secteur_is_named_at_its_place_in_annex_1(every_operation: dict[str, Any]
                                                            ) -> None:
    lines = texts(every_operation[2])
    annex = lines[next(i for i, t in enumerate(lines) if t.startswith("Annexe 1 – ")):]
    annex = annex[: next(i for i, t in enumerate(annex) if t.startswith("Annexe 2 – "))]
    assert REMOVED in annex
    # after the secteur that preceded it when it was removed, and nothing else of it
    assert annex.index("Centre-bourg") < annex.index(REMOVED)
    assert "Les abords de la gare." not in "\n".join(lines)
    assert "Avenue de la Gare et parvis" not in "\n".join(lines)
    # not a heading of its own: the notice is styled as the secteurs' names, but is a mark
    assert REMOVED in [t.replace(NB, " ") for t in styled(every_operation[2],
                                                          "Sous-titre article")]


def test_a_removed_secteur_is_named_in_article_5s_list(every_operation: dict[str, Any]) -> None:
    lines = texts(every_operation[2])
    start = next(i for i, t in enumerate(lines) if t == "Secteurs d’intervention")
    assert lines[start + 3] == "– " + REMOVED, lines[start:start + 4]
    # before its removal, the secteur is in force: no notice
    before = texts(every_operation[1])
    assert not any("secteur retiré" in t for t in before)
    assert any(t.startswith("– Quartier de la Gare (Bourg-d’Essai) : ") for t in before)


def test_the_notice_is_no_provision_text_and_nothing_else_changes(
        every_operation: dict[str, Any]) -> None:
    # the notice is a mark: the consolidated version is still the previous text + amendments
    check_documents(every_operation["case"], every_operation["tmp"] / "check")
    docx = every_operation[2].read_bytes()
    assert not any("secteur retiré" in p.text for p in provisions(docx))
    assert not any("secteur retiré" in t for t in marked(docx).values())


# ------------------------------------------------------------------ the example's redline


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The example (without its register): the redline of avenant n° 1 and the consolidated
    version after it, with its PDF."""
    tmp = tmp_path_factory.mktemp("exemple")
    case = overlay_case(tmp / "pays-des-ecrins", None, EXAMPLE)
    docs, jobs = documents(case, tmp / "out", pdf=True)
    cons_job = next(j for j in jobs if j.document == "consolidee" and j.numero == 1)
    (tmp / "consolidee.pdf").write_bytes(docs.pdf(cons_job))
    return {"redline": write(docs, jobs, "redline", 1, tmp / "redline.docx"),
            "consolidee": write(docs, jobs, "consolidee", 1, tmp / "consolidee.docx"),
            "convention": write(docs, jobs, "convention", 0, tmp / "convention.docx"),
            "pdf": tmp / "consolidee.pdf"}


def changes(path: Path) -> list[tuple[str, str, str, str]]:
    """Each tracked change inside a paragraph's text: (kind, text, text before, text after)."""
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    out = []
    for p in root.iter(w("p")):
        pieces = [(el.getparent().getparent().tag if el.getparent() is not None else None,
                   el.text or "") for el in p.iter(w("t"), w("delText"))]
        for i, (kind, t) in enumerate(pieces):
            if kind in (w("ins"), w("del")):
                before = "".join(x for k, x in pieces[:i] if k not in (w("ins"), w("del")))
                after = "".join(x for k, x in pieces[i + 1:] if k not in (w("ins"), w("del")))
                if before or after:  # changed within the paragraph (not a whole one)
                    out.append(("ins" if kind == w("ins") else "del", t, before, after))
    return out


NUMBER_WORD = (r"(?:une?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize"
               r"|quatorze|quinze|seize|vingts?|trente|quarante|cinquante|soixante|cents?|mille"
               r"|millions?|milliards?)")
AMOUNT = re.compile(r"\d{1,3}(?:[\u00a0\u202f]\d{3})*(?:,\d+)?(?:[\u00a0 ](?:€(?:[\u00a0 ](?:HT|TTC))?|%))?")


def test_the_redline_changes_an_amount_whole(example: dict[str, Any]) -> None:
    found = changes(example["redline"])
    assert found, "the redline marks the changed amounts within their sentence"
    for kind, t, before, after in found:
        if "€" in t or "%" in t:  # an amount in figures or a percentage: whole
            assert AMOUNT.fullmatch(t), (kind, t)
        # never a piece of an amount: no digits group, « € » or « % » just after the change,
        # no digits group just before it
        assert not re.match(r"[\u00a0\u202f](?:\d{3}|€|%)", after), (kind, t, after[:20])
        assert not re.search(r"\d[\u00a0\u202f]$", before), (kind, t, before[-20:])
        assert not (t[:1].isdigit() and re.search(r"\d$", before)), (kind, t, before[-20:])
        if t.endswith("euros"):  # in words: from its first number word to « euros »
            assert not re.search(rf"(?i){NUMBER_WORD}[\s-]$", before), (kind, t, before[-30:])
    words = [(k, t.replace(NB, " ")) for k, t, _, _ in found]
    assert ("del", "2 768 550 € HT") in words and ("ins", "2 918 550 € HT") in words
    assert ("del", "deux millions sept cent soixante-huit mille cinq cent cinquante euros") in words
    assert ("ins", "deux millions neuf cent dix-huit mille cinq cent cinquante euros") in words
    assert any(k == "ins" and re.fullmatch(r"\d+,\d %", t) for k, t in words)  # « 98,4 % »


def test_amounts_in_a_sentence_are_one_unit_each() -> None:
    def para(text: str) -> Any:
        p = etree.Element(w("p"))
        etree.SubElement(etree.SubElement(p, w("r")), w("t")).text = text
        return p

    old = para(f"à deux millions sept cent mille euros (2{NB}700{NB}000{NB}€ HT), soit 11,7{NB}% ;"
               f" un million d’euros")
    new = para(f"à deux millions neuf cent mille euros (2{NB}900{NB}000{NB}€ HT), soit 12,1{NB}% ;"
               f" un million d’euros")
    out = _word_diff(old, new, _Marks("test", __import__("datetime").date(2024, 1, 1)))
    dels = ["".join(d.itertext()) for d in out.iter(w("del"))]
    ins = ["".join(i.itertext()) for i in out.iter(w("ins"))]
    assert dels == ["deux millions sept cent mille euros", f"2{NB}700{NB}000{NB}€ HT", f"11,7{NB}%"]
    assert ins == ["deux millions neuf cent mille euros", f"2{NB}900{NB}000{NB}€ HT", f"12,1{NB}%"]


def test_the_redline_is_headed_and_dated_as_a_comparison(example: dict[str, Any]) -> None:
    path = example["redline"]
    title = ("Comparaison de la convention avant et après l’avenant n° 1 du 28 novembre 2024 – "
             "document de travail, sans valeur juridique")
    package = zipfile.ZipFile(path)
    header = re.sub(r"<[^>]+>", "", package.read("word/header1.xml").decode()).replace(NB, " ")
    footer = re.sub(r"<[^>]+>", "", package.read("word/footer1.xml").decode()).replace(NB, " ")
    assert title in header and "Version consolidée" not in header
    assert "Comparaison avant et après l’avenant n° 1 – " in footer
    assert "Version consolidée" not in footer
    assert title in texts(path)[:6]
    assert not any(t.startswith("Version consolidée") for t in texts(path))
    core = package.read("docProps/core.xml").decode()
    assert "2024-11-28T00:00:00Z" in core  # the avenant's date, as its revision marks
    assert "comparaison avant et après l’avenant n° 1" in core
    assert "version consolidée" not in core
    # nor does it call itself a consolidated version where the originals are recalled
    assert ("Le présent document de comparaison est un document de travail, sans valeur "
            "juridique ; il n’est pas signé. Seuls font foi les actes originaux, signés comme "
            "suit :") in texts(path)
    assert not any("présente version consolidée" in t for t in texts(path))
    # accepted, it is the consolidated version; rejected, the convention as signed: but for
    # the heading and the statement on the originals, each says what it is
    def informative(lines: list[str]) -> list[str]:
        return [t for t in lines if not t.startswith((
            "Comparaison de la convention avant et après", "Version consolidée à titre informatif",
            "Le présent document de comparaison", "La présente version consolidée"))]

    assert informative(_resolve(path, accept=True)) == informative(_plain(example["consolidee"]))
    assert _stipulations(informative(_resolve(path, accept=False))) == _stipulations(
        _plain(example["convention"]))
    # the consolidated version itself is still headed as one
    assert any(t.startswith("Version consolidée à titre informatif intégrant l’avenant n° 1")
               for t in texts(example["consolidee"])[:6])


# ------------------------------------------------------------------ 4. a mark before a table


def test_a_mark_before_a_table_stays_on_the_tables_page(example: dict[str, Any]) -> None:
    root = etree.fromstring(zipfile.ZipFile(example["consolidee"]).read("word/document.xml"))
    marks = [p for p in root.iter(w("p")) if any(
        (b.get(w("name")) or "").startswith("_Modification") for b in p.iter(w("bookmarkStart")))]
    assert marks
    for p in marks:  # each mark kept with what follows it (the table it precedes)
        assert p.find(f"{w('pPr')}/{w('keepNext')}") is not None, "".join(p.itertext())
    pages = subprocess.run(["pdftotext", "-enc", "UTF-8", "-layout", str(example["pdf"]), "-"],
                           capture_output=True, check=True).stdout.decode("utf-8").split("\f")
    seen = 0
    for page in pages:
        lines = [t.strip() for t in page.splitlines() if t.strip()]
        for i, line in enumerate(lines):
            if line.startswith("Tableau modifié par l’avenant"):
                seen += 1
                # the table's first row follows it on the same page (before the footer)
                assert i + 2 < len(lines) and not lines[i + 1].startswith("Version consolidée"), (
                    lines[i - 1:])
    assert seen
