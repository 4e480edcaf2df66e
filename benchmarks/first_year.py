"""The example as a territory in its first year: a copy without its register of acts and with no
signature date, so that every act is made (DOCX and PDF) at each build, as the benchmarks
measure it. (The example itself is in its third year: its signed acts are handed out as
recorded, not typeset again; see docgen/acts.py.)"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "cases" / "pays-des-ecrins"
_DATE = re.compile(r"^(signature:\n(?:  [^\n]*\n)*?)  date: [^\n]*\n", re.M)


def first_year(target: Path, source: Path = EXAMPLE) -> Path:
    """A copy of source at target, its acts unsigned (PROJET) and without register."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("actes"))
    for path in [target / "convention.yaml", target / "adhesion.yaml",
                 *sorted((target / "avenants").glob("*.yaml"))]:
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            path.write_text(_DATE.sub(r"\1", text, count=1), encoding="utf-8")
    return target


def example_first_year() -> Path:
    """The example in its first year, in a temporary folder removed when the script ends."""
    import atexit
    import tempfile

    work = Path(tempfile.mkdtemp(prefix="docgen-first-year-"))
    atexit.register(shutil.rmtree, work, True)
    return first_year(work / EXAMPLE.name)
