"""DOCX ↔ PDF parity: the words legal staff reviewed are the words the PDF carries.

Two rules, both on case-folded text: every paragraph outside tables is found, in order, in the
PDF text (whitespace ignored, so line breaks do not matter); and the whole documents hold the
same multiset of words, which catches a change inside a table whatever the reading order.
Running headers and footers and the stamp frame come from the PDF shell and are left out.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree as ET  # noqa: F401  (type of docx_to_tree)

from .. import messages as msg
from ..errors import DocgenError

SHELL_TEXTS = ("Cadre réservé à l'accusé de réception", "(contrôle de légalité)")
_WORD = re.compile(r"\w+")
_RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def docx_paragraphs(docx: bytes) -> tuple[list[str], list[str], set[str]]:
    """(paragraphs read in order, every paragraph, words of table header rows), as typeset.

    Table cells and signature blocks are laid out in columns, which a PDF text extractor
    reads across: they are compared as words, not as ordered paragraphs. Header rows repeat
    on every page a table spans, so their words may occur more often in the PDF."""
    from .pdf_docx import docx_to_tree

    root = docx_to_tree(docx)
    prose: list[str] = []
    every: list[str] = []
    header: set[str] = set()

    def walk(el: ET.Element, in_columns: bool, in_header: bool) -> None:
        if el.tag in ("p", "h1", "h2", "h3", "h4"):
            text = html.unescape("".join(el.itertext())).strip()
            if text:
                every.append(text)
                if not in_columns:
                    prose.append(text)
                if in_header:
                    header.add(text)
            return
        columns = in_columns or el.tag == "table" or el.get("class") == "blocs"
        for child in el:
            walk(child, columns, in_header or el.tag in ("thead", "th"))

    walk(root, False, False)
    return prose, every, header


def _spaces(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def pdf_text(pdf: bytes, header: str = "") -> str:
    """Text of a PDF, as poppler's pdftotext reads it, without running headers and footers."""
    exe = shutil.which("pdftotext")
    if exe is None:
        raise DocgenError(msg.PDFTOTEXT_MISSING)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(pdf)
        fh.flush()
        out = subprocess.run([exe, "-enc", "UTF-8", fh.name, "-"], capture_output=True,
                             check=True).stdout.decode("utf-8")
    pages = out.split("\f")
    kept = []
    for page in pages:
        lines = page.splitlines()
        lines = [ln for ln in lines if not re.search(r"–\s*page\s+\d+\s*/\s*\d+\s*$", ln)
                 and not (header and _spaces(ln) == _spaces(header))]
        kept.append("\n".join(lines))
    text = "\n".join(kept)
    for shell in SHELL_TEXTS:  # the stamp frame, on page 1 of a signable act
        text = text.replace(shell, " ", 1)
    return text


def _fold(text: str) -> str:
    """Case, hyphens (pdftotext joins a word hyphenated at a line end) and invisible format
    characters (pdftotext wraps right-to-left runs in bidi embedding marks) folded away."""
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return re.sub(r"[-\u2010\u2011]", "", text).casefold()


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", _fold(text.replace("\u00a0", " ")))


def _words_of(text: str) -> list[str]:
    return _WORD.findall(_fold(text))


def compare(docx: bytes, pdf: bytes, header: str = "") -> list[str]:
    """Differences between a DOCX and its PDF, each with its context; empty when they agree."""
    prose, every, header_words = docx_paragraphs(docx)
    text = pdf_text(pdf, header)
    flat = _squash(text)
    problems: list[str] = []
    pos = 0
    for para in prose:
        if _RTL.search(para):  # right-to-left runs come out in the extractor's own order: they
            continue           # are checked with the characters of the whole document below
        needle = _squash(para)
        found = flat.find(needle, pos)
        if found < 0:
            problems.append(f"paragraphe du DOCX absent du PDF (ou déplacé) : « {_short(para)} »")
        else:
            pos = found + len(needle)
    # Tables and signature columns: the same characters, whatever the reading order and the
    # line breaks (a long word may be broken anywhere); header rows may repeat on every page.
    chars_docx = Counter(_squash("".join(every)))
    chars_pdf = Counter(_squash(text))
    pages = max(1, text.count("\f") + 1, len(pdf_pages(pdf)))
    header_chars = Counter(_squash("".join(header_words)))
    missing = chars_docx - chars_pdf
    extra = Counter({c: n for c, n in (chars_pdf - chars_docx).items()
                     if n > header_chars[c] * pages})
    if missing or extra:
        words_docx = Counter(w for p in every for w in _words_of(p))
        words_pdf = Counter(_words_of(text))
        for word in {w for h in header_words for w in _words_of(h)}:
            words_pdf[word] = min(words_pdf[word], words_docx[word])
        if missing:
            hint = words_docx - words_pdf
            problems.append("texte du DOCX absent du PDF : "
                            + (_words(hint) if hint else _words(missing)))
        if extra:
            hint = words_pdf - words_docx
            problems.append("texte du PDF absent du DOCX : "
                            + (_words(hint) if hint else _words(extra)))
    return problems


def pdf_pages(pdf: bytes) -> list[int]:
    """Page indexes of a PDF (its running headers repeat once per page)."""
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return list(range(len(doc.pages)))


def _words(counter: Counter[str]) -> str:
    items = [f"« {w} »" + (f" ×{n}" if n > 1 else "") for w, n in counter.most_common(12)]
    more = len(counter) - 12
    return ", ".join(items) + (f" et {more} autres" if more > 0 else "")


def _short(text: str) -> str:
    return text if len(text) <= 90 else text[:87] + "…"


def check_pair(docx_path: Path, pdf_path: Path) -> list[str]:
    from .pdf_docx import read_meta

    docx = docx_path.read_bytes()
    return compare(docx, pdf_path.read_bytes(), read_meta(docx).header)
