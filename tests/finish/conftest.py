"""The example's DOCX files, rendered once per test run (no PDF: this path makes its own)."""

from __future__ import annotations

import pytest

from tests.conftest import EXAMPLE


@pytest.fixture(scope="session")
def example_docx(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    from docgen.pipeline import build

    out = tmp_path_factory.mktemp("typst-example")
    build(EXAMPLE, out=out, pdf=False)
    root = out / EXAMPLE.name
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.docx"))
            if not p.name.startswith("redline")}


@pytest.fixture(scope="session")
def convention_docx(example_docx: dict[str, bytes]) -> bytes:
    return example_docx["convention.docx"]


@pytest.fixture(scope="session")
def signed_ready(convention_docx: bytes) -> bytes:
    from docgen.finish.pdf import docx_to_pdf

    return docx_to_pdf(convention_docx, "convention.docx")
