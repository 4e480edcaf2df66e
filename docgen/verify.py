"""Re-check an output folder: hashes against manifest.json, DOCX↔PDF parity, signature fields."""

from __future__ import annotations

import io
import json
from pathlib import Path

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
        problems.append(f"champs de signature attendus {want}, trouvés {have}")
    return problems


def verify(folder: Path) -> list[str]:
    """Every problem found under folder (each subfolder with a manifest.json is checked)."""
    problems: list[str] = []
    manifests = sorted(folder.rglob(MANIFEST))
    if not manifests:
        return [f"{display_path(folder)} : aucun manifest.json (ce dossier n'a pas été produit par "
                "docgen build)."]
    for manifest_path in manifests:
        base = manifest_path.parent
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        for rel, entry in sorted(manifest.get("outputs", {}).items()):
            path = base / rel
            shown = display_path(path)
            if not path.exists():
                problems.append(f"{shown} : fichier manquant.")
            elif sha256_file(path) != entry.get("sha256"):
                problems.append(f"{shown} : modifié depuis sa production (empreinte SHA-256 "
                                "différente de manifest.json).")
        for rel in sorted(manifest.get("outputs", {})):
            if not rel.endswith(".docx"):
                continue
            docx, pdf = base / rel, base / (rel[: -len(".docx")] + ".pdf")
            if docx.exists() and pdf.exists():
                for p in check_pdf_against_docx(docx, pdf):
                    problems.append(f"{display_path(pdf)} ↔ {docx.name} : {p}")
    return problems
