"""Re-check an output folder: hashes against manifest.json, DOCX↔PDF parity, signature fields."""

from __future__ import annotations

import io
import json
from pathlib import Path

from . import messages as msg
from .errors import display_path
from .output import MANIFEST, sha256_file


def signature_fields(pdf: bytes) -> list[str]:
    """Names of the signature fields of a PDF, in document order."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        acro = doc.Root.get("/AcroForm")
        if acro is None:
            return []
        return [str(f.get("/T")) for f in acro.get("/Fields", []) if f.get("/FT") == "/Sig"]


def check_pdf_against_docx(docx_path: Path, pdf_path: Path) -> list[str]:
    """The PDF says the words its DOCX shows, and carries one empty field per signatory."""
    from .finish.docx_reader import read_docx
    from .finish.parity import compare
    from .finish.typeset import field_names

    doc = read_docx(docx_path.read_bytes(), docx_path.name)
    pdf = pdf_path.read_bytes()
    problems = compare(doc, pdf)
    want, have = field_names(doc), signature_fields(pdf)
    if want != have:
        problems.append(msg.PDF_SIG_MISSING.format(want=want, have=have))
    return problems


def verify(folder: Path, deep: bool = True) -> list[str]:
    """Every problem found under folder (each subfolder with a manifest.json is checked):
    hashes against the manifest, then (deep) DOCX↔PDF parity and signature fields, and in
    every PDF what a signer worries about (active content, invisible text, locked fields, the
    PDF/A claim). Without deep, the hashes only: right after a build, which has just proven
    the rest of what it wrote."""
    from .pdfcheck import signer_problems

    problems: list[str] = []
    manifests = sorted(folder.rglob(MANIFEST))
    if not manifests:
        return [msg.VERIFY_NO_MANIFEST.format(folder=display_path(folder))]
    for manifest_path in manifests:
        base = manifest_path.parent
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            outputs = manifest.get("outputs", {})
            if not isinstance(outputs, dict):
                raise ValueError(msg.OUTPUTS_PAS_GROUPE)
        except (OSError, ValueError, AttributeError) as exc:
            problems.append(msg.VERIFY_MANIFEST_UNREADABLE.format(
                path=display_path(manifest_path), detail=getattr(exc, "msg", None) or exc))
            continue
        inside = {rel for rel in outputs
                  if (base / rel).resolve().is_relative_to(base.resolve())}
        for rel, entry in sorted(outputs.items()):
            path = base / rel
            shown = display_path(path)
            if rel not in inside:
                problems.append(msg.VERIFY_OUTSIDE.format(path=rel))
            elif not path.is_file():
                problems.append(msg.VERIFY_MISSING.format(path=shown))
            elif not isinstance(entry, dict) or sha256_file(path) != entry.get("sha256"):
                problems.append(msg.VERIFY_CHANGED.format(path=shown))
        # a signed original (docgen/acts.py) was verified when imported: its fields are signed,
        # and its signatures' appearances are text the DOCX does not have
        originals = {rel for rel in inside if isinstance(outputs[rel], dict)
                     and outputs[rel].get("original") is True}
        for rel in sorted(inside - originals) if deep else ():
            path = base / rel
            if rel.endswith(".pdf") and path.is_file():
                for p in signer_problems(path.read_bytes()):
                    problems.append(f"{display_path(path)} : {p}")
            if not rel.endswith(".docx"):
                continue
            docx, pdf = path, base / (rel[: -len(".docx")] + ".pdf")
            if docx.is_file() and pdf.is_file() and rel[: -len(".docx")] + ".pdf" not in originals:
                for p in check_pdf_against_docx(docx, pdf):
                    problems.append(f"{display_path(pdf)} ↔ {docx.name} : {p}")
    return problems
