"""The example's DOCX files, from the one build of the example shared by the whole run."""

from __future__ import annotations

import pytest



@pytest.fixture(scope="session")
def example_docx(built) -> dict[str, bytes]:  # noqa: ANN001 — the session's build of the example
    root = built
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.docx"))
            if not p.name.startswith("redline")}


@pytest.fixture(scope="session")
def convention_docx(example_docx: dict[str, bytes]) -> bytes:
    return example_docx["convention.docx"]


@pytest.fixture(scope="session")
def signed_ready(convention_docx: bytes) -> bytes:
    from docgen.finish.pdf import docx_to_pdf

    return docx_to_pdf(convention_docx, "convention.docx")
