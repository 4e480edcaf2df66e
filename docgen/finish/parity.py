"""DOCX ↔ PDF parity for the Typst path: the PDF's text, read back by poppler's pdftotext,
equals the text Word shows (from the reader's tree).

Robust to what typesetting legitimately changes: line breaks and hyphenation at line ends
(hyphens and whitespace are folded away), justified spacing, ligatures and compatibility
characters (NFKC), NBSP, case (Word's « majuscules » display property), and word order inside a
table row (tables are compared as characters, whatever the reading order). Paragraphs outside
tables must appear in order. Running headers and footers are left out.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
import weakref
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .. import messages as msg
from ..errors import DocgenError
from . import model as m

_WORD = re.compile(r"\w+")
# Hyphens (a word broken at a line end) and every format character (category Cf: soft hyphen,
# bidi marks pdftotext adds around right-to-left runs, zero-width spaces…).
_CF = "".join(chr(c) for c in range(0x10000) if unicodedata.category(chr(c)) == "Cf")
_DROP = re.compile("[-\u2010\u2011" + re.escape(_CF) + "\U000110bd\U0001bca0-\U0001bca3"
                   "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]")


def inline_text(p: m.Paragraph, label: bool = True) -> str:
    out = [p.label + " "] if p.label and label else []
    for i in p.inlines:
        if isinstance(i, m.Text):
            out.append(i.text)
        elif isinstance(i, (m.Tab, m.LineBreak, m.PageBreak)):
            out.append(" ")
        elif isinstance(i, m.NoteRef):
            out.append(str(i.number))
    return "".join(out)


def svg_text(data: bytes) -> list[str]:
    """The words an SVG picture draws (map labels, legends): the PDF carries them as text."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    root = etree.fromstring(data, parser)
    seen: set[tuple[str, bytes]] = set()
    out: list[str] = []
    tree = root.getroottree()
    for el in root.iter("{http://www.w3.org/2000/svg}text"):
        # the same text drawn twice on the same spot (same element, same parent) prints once
        # for a reader and for pdftotext, which folds overlapping identical letters
        parent = el.getparent()
        assert parent is not None  # the root is an svg element (package.check_svg), never text
        key = (tree.getpath(parent), etree.tostring(el, with_tail=False))
        # lxml-stubs: itertext yields str or bytes; lxml gives str (bytes was Python 2's)
        if (t := "".join(el.itertext()).strip()) and key not in seen:  # type: ignore[arg-type]
            seen.add(key)
            out.append(t)
    return out


def word_text(doc: m.Document) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """(prose paragraphs with their place, every text shown, texts of repeated header rows)."""
    prose: list[tuple[str, str]] = []
    every: list[str] = []
    header: list[str] = []

    def walk(blocks: tuple[m.Block, ...], where: str, in_table: bool, in_header: bool) -> None:
        n = t = 0
        for b in blocks:
            if isinstance(b, m.Paragraph):
                n += 1
                text = inline_text(b)
                if text.strip():
                    every.append(text)
                    # a list number stands in its own column, which pdftotext may read apart
                    if not in_table and inline_text(b, label=False).strip():
                        prose.append((f"{where}, paragraphe {n}", inline_text(b, label=False)))
                    if in_header:
                        header.append(text)
                for image in (i for i in b.inlines if isinstance(i, m.Image) and i.kind == "svg"):
                    every.extend(svg_text(image.data))  # a vector drawing's words print as text
                for ref in (i for i in b.inlines if isinstance(i, m.NoteRef)):
                    every.append(str(ref.number))  # Word repeats the number before the note
                    walk(ref.blocks, f"note {ref.number}", True, False)
            else:
                t += 1
                for row in b.rows:
                    for cell in row.cells:
                        walk(cell.blocks, f"{where}, tableau {t}", True, in_header or row.header)

    for s, sec in enumerate(doc.sections, start=1):
        walk(sec.blocks, msg.CORPS_DOCUMENT + (msg.SECTION_SUFFIX.format(s=s) if s > 1 else ""), False, False)
    return prose, every, header


_LIVE: weakref.WeakSet[tempfile.TemporaryDirectory[str]] = weakref.WeakSet()
_CLEANER: list[int] = []  # the processes that registered _remove_live


def _remove_live() -> None:
    """The extraction folders still there when this process ends: a forked copy stopped by
    SIGTERM leaves by os._exit with the frames of its traceback alive, so no finaliser runs."""
    for folder in list(_LIVE):
        folder.cleanup()


class Extraction:
    """pdftotext running on a PDF in its own process, so the next document can be typeset
    meanwhile; `text()` waits for it."""

    def __init__(self, pdf: bytes) -> None:
        exe = shutil.which("pdftotext")
        if exe is None:
            raise DocgenError(msg.PDFTOTEXT_INTROUVABLE_INSTALLEZ_PAQUET)
        if os.getpid() not in _CLEANER:  # once per process: a copy never runs its parent's
            from ..parallel import at_exit

            at_exit(_remove_live)
            _CLEANER.append(os.getpid())
        self.folder = tempfile.TemporaryDirectory(prefix="docgen-parity-")
        _LIVE.add(self.folder)
        src = Path(self.folder.name) / "in.pdf"
        src.write_bytes(pdf)
        self.out = Path(self.folder.name) / "out.txt"
        self.proc = subprocess.Popen([exe, "-enc", "UTF-8", str(src), str(self.out)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def close(self) -> None:
        self.proc.wait()
        self.folder.cleanup()

    def text(self) -> str:
        try:
            _, err = self.proc.communicate()
            if self.proc.returncode != 0:
                raise DocgenError(msg.PDFTOTEXT_PAS_PU_LIRE.format(err=err.decode()[:200]))
            return self.out.read_text(encoding="utf-8")
        finally:
            self.folder.cleanup()


def pdf_text(pdf: bytes) -> str:
    return Extraction(pdf).text()


def fold(text: str) -> str:
    """Ligatures and compatibility forms, NBSP, soft and real hyphens, invisible format
    characters (bidi marks), case: all folded away."""
    text = unicodedata.normalize("NFKC", text)
    return _DROP.sub("", text).casefold()


def squash(text: str) -> str:
    return re.sub(r"\s+", "", fold(text))


@dataclass
class Running:
    """The header and footer paragraphs a page may print, as patterns (PAGE and NUMPAGES become
    numbers), and how many paragraphs a header (a footer) of these has at most."""

    patterns: list[re.Pattern[str]]
    head: int
    foot: int


def _paragraphs(blocks: tuple[m.Block, ...]) -> list[str]:
    out = []
    for b in blocks:
        if not isinstance(b, m.Paragraph):
            continue
        parts = []
        for i in b.inlines:
            if isinstance(i, m.Text):
                parts.append(re.escape(squash(i.text)))
            elif isinstance(i, m.PageField):
                parts.append(r"\d+")
        if "".join(parts):
            out.append("^" + "".join(parts) + "$")
    return out


def _running(doc: m.Document) -> tuple[Running, Running]:
    """What page 1 may print as header and footer (the first section's first-page ones when it
    has them, w:titlePg), and what any other page may."""
    def running(pairs: list[tuple[tuple[m.Block, ...], tuple[m.Block, ...]]]) -> Running:
        heads = [_paragraphs(h) for h, _ in pairs]
        feet = [_paragraphs(f) for _, f in pairs]
        sources = dict.fromkeys(s for group in heads + feet for s in group)
        return Running([re.compile(s) for s in sources], max(map(len, heads), default=0),
                       max(map(len, feet), default=0))

    first = doc.sections[0] if doc.sections else None
    page_one = [] if first is None else [(
        first.first_header if first.first_header is not None else first.header,
        first.first_footer if first.first_footer is not None else first.footer)]
    others = [(s.header, s.footer) for s in doc.sections] + [
        (s.first_header or (), s.first_footer or ()) for s in doc.sections[1:]]
    return running(page_one), running(others)


RUNNING_LINES = 12  # a header or footer paragraph wrapped on at most so many lines


def _without_running(raw: str, running: tuple[Running, Running]) -> list[str]:
    """The lines of every page without those of its running header and footer, each paragraph
    of theirs taken once a page (on one line, or wrapped on a few): first at the top (the
    bottom) of the page, then wherever pdftotext put it (beside a table, it may come in the
    middle). Once only: a body paragraph worded like the header is body text."""
    kept: list[str] = []
    for number, page in enumerate(raw.split("\f")):
        these = running[0] if number == 0 else running[1]
        lines = [ln for ln in page.splitlines() if squash(ln)]
        left = list(these.patterns)
        for _ in range(these.head):
            if not _take(lines, 0, left):
                break
        for _ in range(these.foot):
            if not _take(lines, len(lines) - 1, left, backwards=True):
                break
        i = 0
        while i < len(lines) and left:
            if not _take(lines, i, left):
                i += 1
        kept.extend(lines)
    return kept


def _take(lines: list[str], i: int, left: list[re.Pattern[str]], backwards: bool = False) -> bool:
    """Remove the running paragraph starting at line i (ending there, `backwards`), if one of
    `left` matches it whole; that pattern is then used up."""
    flat = ""
    for k in range(min(RUNNING_LINES, i + 1 if backwards else len(lines) - i)):
        j = i - k if backwards else i + k
        flat = squash(lines[j]) + flat if backwards else flat + squash(lines[j])
        for p in left:
            if p.match(flat):
                left.remove(p)
                del lines[min(i, j):max(i, j) + 1]
                return True
    return False


_RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def compare(doc: m.Document, pdf: bytes) -> list[str]:
    """Differences between what Word shows and the PDF's text; empty when they agree."""
    return compare_text(doc, pdf_text(pdf))


def compare_text(doc: m.Document, raw: str) -> list[str]:
    """compare(), given the text pdftotext read from the PDF."""
    text = "\n".join(_without_running(raw, _running(doc)))
    flat = squash(text)
    prose, every, header = word_text(doc)
    problems: list[str] = []
    pos = 0
    for place, para in prose:
        if _RTL.search(para):  # right-to-left runs come out in the extractor's visual order:
            continue           # checked with the characters of the whole document below
        needle = squash(para)
        found = flat.find(needle, pos)
        if found >= 0:
            pos = found + len(needle)
            continue
        problems.append(f"{place} : {_first_difference(para, flat, pos)}")
        if len(problems) >= 5:
            break
    chars_docx = Counter(squash("".join(every)))
    chars_pdf = Counter(flat)
    pages = raw.count("\f") + 1
    allowance = Counter(squash("".join(header)))
    missing = chars_docx - chars_pdf
    extra = Counter({c: n for c, n in (chars_pdf - chars_docx).items() if n > allowance[c] * pages})
    if missing or extra:
        w_docx = Counter(w for t in every for w in _WORD.findall(fold(t)))
        joined = re.sub(r"(\w)[-\u00ad\u2010]\s*\n\s*(\w)", r"\1\2", text)  # line-end hyphens
        w_pdf = Counter(_WORD.findall(fold(joined)))
        if missing:
            problems.append(msg.TEXTE_DOCUMENT_WORD_ABSENT
                            + _words((w_docx - w_pdf) or missing))
        if extra:
            problems.append(msg.TEXTE_PDF_ABSENT_DOCUMENT
                            + _words((w_pdf - w_docx) or extra))
    return problems


def _first_difference(para: str, flat: str, pos: int) -> str:
    words = para.split()
    best = 0
    start = pos
    for k in range(1, len(words) + 1):
        hit = flat.find(squash(" ".join(words[:k])), pos)
        if hit < 0:
            break
        best, start = k, hit
    if best == 0:
        return msg.PARAGRAPHE_ABSENT_PDF.format(para=_short(para))
    seen = flat[start + len(squash(' '.join(words[:best]))):][:40]
    return (msg.PDF_DIFFERE_PARTIR_APRES.format(
        items=' '.join(words[best:best + 6]), items2=' '.join(words[max(0, best - 4):best]),
        seen=seen))


def _words(counter: Counter[str]) -> str:
    items = [f"« {w} »" + (f" ×{n}" if n > 1 else "") for w, n in counter.most_common(12)]
    more = len(counter) - 12
    return ", ".join(items) + (msg.AND_MORE.format(more=more) if more > 0 else "")


def _short(text: str) -> str:
    return text if len(text) <= 90 else text[:87] + "…"
