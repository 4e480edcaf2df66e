"""One entry point: a (reviewed) DOCX → signature-ready PDF, read strictly, typeset by Typst,
fields added, parity proven. Nothing here imports WeasyPrint or mammoth; pyHanko is imported
only when asked for (field_writer="pyhanko"): the default writes the same empty fields with
pikepdf, which the PDF finishing needs anyway (tests sign and validate them with pyHanko)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import DocgenError, TemplateError
from .docx_reader import read_docx
from .typeset import TypesetError, compile_pdf, field_names

FONTS = Path(__file__).resolve().parent.parent / "fonts"


class ParityError(DocgenError):
    """The PDF's text differs from the text Word shows (a bug of ours: exit 3)."""

    exit_code = 3


def docx_to_pdf(data: bytes, name: str, fonts: Path | None = None,
                field_writer: str = "pikepdf") -> bytes:
    """The signature-ready PDF (PDF/A-2b, tagged, one empty field per signatory) of a DOCX.
    Raises DocxRefused (exit 1) for a DOCX that holds what Word would not show as is."""
    from .parity import compare

    doc = read_docx(data, name)
    names = field_names(doc)
    try:
        pdf, anchor_prefix, _ = compile_pdf(doc, fonts or FONTS, stamp=bool(names))
    except TypesetError as exc:
        raise TemplateError(f"{name} : la mise en page PDF a échoué : {exc}") from None
    from .fields import finish

    identifier = hashlib.sha256(data).hexdigest()[:32].encode()
    pdf = finish(pdf, anchor_prefix, names, identifier, writer=field_writer)
    problems = compare(doc, pdf)
    if problems:
        raise ParityError(f"{name} : le texte du PDF diffère de celui du document Word :\n  "
                          + "\n  ".join(problems))
    return pdf


def expected_fields(data: bytes, name: str = "document.docx") -> list[str]:
    """Names of the signature fields the PDF of this DOCX must carry, in signing order."""
    return field_names(read_docx(data, name))
