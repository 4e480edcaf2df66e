"""One entry point: a (reviewed) DOCX → signature-ready PDF, read strictly, typeset by Typst,
fields added, parity proven. Nothing here imports WeasyPrint or mammoth; pyHanko is imported
only when asked for (field_writer="pyhanko"): the default writes the same empty fields with
pikepdf, which the PDF finishing needs anyway (tests sign and validate them with pyHanko)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .. import messages as msg
from ..errors import DocgenError, TemplateError
from ..package_data import FONTS
from .chunks import chunked, compile_chunks
from .docx_reader import read_docx
from .model import Document
from .typeset import TypesetError, compile_pdf, field_names


class ParityError(DocgenError):
    """The PDF's text differs from the text Word shows (a bug of ours: exit 3)."""

    exit_code = 3


def docx_to_pdf(data: bytes, name: str, fonts: Path | None = None,
                field_writer: str = "pikepdf") -> bytes:
    """The signature-ready PDF (PDF/A-2b, tagged, one empty field per signatory) of a DOCX.
    The frame page 1 of an act keeps for the prefecture's acknowledgement stamp is in the DOCX
    itself when the territory chose it (territoire.yaml, mise_en_page.cadre_accuse_reception),
    so the PDF shows it exactly when the DOCX does.
    Raises DocxRefused (exit 1) for a DOCX that holds what Word would not show as is,
    ParityError (exit 3) if the PDF's text differs from Word's."""
    ((_, pdf),) = docx_to_pdfs([(data, name)], fonts, field_writer)
    return pdf


def docx_to_pdfs(items: Iterable[tuple[bytes, str]], fonts: Path | None = None,
                 field_writer: str = "pikepdf", jobs: int = 1) -> Iterator[tuple[str, bytes]]:
    """Several DOCX in one call (`docgen pdf a.docx b.docx …`): yields (name, PDF) in order,
    each only once its parity is proven; pdftotext reads one PDF while the next document is
    typeset. The first refusal stops the iteration. `jobs` > 1 spreads the files over that
    many processes (where forking is safe; see parallel.py)."""
    if jobs > 1:
        items = listed = list(items)  # read once: counted, then shared out or iterated below
        if len(listed) > 1:
            yield from _parallel(listed, fonts, field_writer, jobs)
            return
    from .parity import Extraction, compare_text

    pending: tuple[str, Document, bytes, Extraction] | None = None
    try:
        for data, name in items:
            doc = read_docx(data, name)
            pdf = _typeset(doc, data, name, fonts or FONTS, field_writer)
            if pending is not None:
                done, pending = pending, None
                yield _proven(*done, compare_text)
            pending = (name, doc, pdf, Extraction(pdf))
        if pending is not None:
            done, pending = pending, None
            yield _proven(*done, compare_text)
    finally:
        if pending is not None:  # stopped early: wait for pdftotext and remove its files
            pending[3].close()


def _parallel(items: list[tuple[bytes, str]], fonts: Path | None, field_writer: str,
              jobs: int) -> Iterator[tuple[str, bytes]]:
    """The files shared among forked copies of this process (parallel.py: never once Typst's
    threads run here), each proven as in one process; the first refusal in the files' order is
    raised once all are done."""
    from .. import parallel

    tasks = [lambda d=data, n=name: docx_to_pdf(d, n, fonts, field_writer)
             for data, name in items]
    pdfs = parallel.run(tasks, parallel.workers(jobs))
    yield from zip((name for _, name in items), pdfs)


def _typeset(doc: Document, data: bytes, name: str, fonts: Path, field_writer: str) -> bytes:
    names = field_names(doc)
    typeset = compile_chunks if chunked(doc) else compile_pdf  # chunks: bounded memory
    try:
        pdf, anchor_prefix, _ = typeset(doc, fonts)
    except TypesetError as exc:
        raise TemplateError(msg.MISE_PAGE_PDF_ECHOUE.format(name=name, exc=exc)) from None
    from .fields import finish

    identifier = hashlib.sha256(data).hexdigest()[:32].encode()
    return finish(pdf, anchor_prefix, names, identifier, writer=field_writer)


def _proven(name: str, doc: Document, pdf: bytes, extraction: Any,
            compare_text: Any) -> tuple[str, bytes]:
    problems = compare_text(doc, extraction.text())
    if problems:
        raise ParityError(msg.TEXTE_PDF_DIFFERE_CELUI.format(name=name)
                          + "\n  ".join(problems))
    return name, pdf


def expected_fields(data: bytes, name: str = "document.docx") -> list[str]:
    """Names of the signature fields the PDF of this DOCX must carry, in signing order."""
    return field_names(read_docx(data, name))
