"""Golden files: compared only through conftest's `golden`, refreshed only by --update-golden,
each one belonging to something that still exists."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.templating import PACKAGE
from tests.conftest import GOLDEN, INVALID, check_golden


def test_a_missing_golden_fails_and_says_how_to_make_it(tmp_path: Path) -> None:
    with pytest.raises(AssertionError, match="missing: run pytest --update-golden and review"):
        check_golden(tmp_path / "absent.txt", "texte", update=False)
    assert not (tmp_path / "absent.txt").exists()


def test_a_different_output_fails_and_update_rewrites_it(tmp_path: Path) -> None:
    path = tmp_path / "g/attendu.txt"
    check_golden(path, "première version\n", update=True)
    check_golden(path, "première version\n", update=False)
    with pytest.raises(AssertionError, match="differs from the output"):
        check_golden(path, "seconde version\n", update=False)
    assert path.read_text(encoding="utf-8") == "première version\n"  # never rewritten silently


def test_every_golden_file_belongs_to_a_case_or_a_template() -> None:
    broken = {p.name for p in INVALID.iterdir() if p.is_dir()}
    templates = {p.stem for p in (PACKAGE / "docx").glob("*.docx")}
    invalid = {p.stem for p in (GOLDEN / "invalid").glob("*.txt")}
    texts = {p.stem for p in (GOLDEN / "templates").glob("*.txt")}
    assert invalid == broken  # one expected error output per broken case, no orphan
    assert texts == templates  # one text copy per Word template, no orphan
    assert {p.name for p in GOLDEN.iterdir()} == {"invalid", "templates"}
