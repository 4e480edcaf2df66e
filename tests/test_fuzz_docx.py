"""A short, fixed-seed run of the DOCX mutation fuzz (benchmarks/fuzz_docx.py, issue 22): no
internal error, hang, memory blow-up, crash, parity failure or Typst injection on 30 mutated
copies of the example's documents. The full run (10,000 cases) stays in benchmarks/."""

from __future__ import annotations

import importlib.util
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "fuzz_docx.py"


def _fuzz():  # noqa: ANN202 — the benchmark script, imported as a module
    spec = importlib.util.spec_from_file_location("fuzz_docx", SCRIPT)
    assert spec is not None and spec.loader is not None
    if "fuzz_docx" not in sys.modules:
        module = importlib.util.module_from_spec(spec)
        sys.modules["fuzz_docx"] = module  # its dataclasses look their module up
        spec.loader.exec_module(module)
    return sys.modules["fuzz_docx"]


def test_mutations_are_deterministic(built: Path) -> None:
    fuzz = _fuzz()
    seeds = fuzz.load_seeds(built)
    assert any(name == "convention.docx" for name, _, _ in seeds)
    for number in range(8):
        a = fuzz.make_case(number, 5, seeds)
        b = fuzz.make_case(number, 5, seeds)
        assert (a.data, a.mutations) == (b.data, b.mutations)
        assert 1 <= len(a.mutations) <= 3
    data = dict((n, d) for n, d, _ in seeds)["convention.docx"]
    mutated, done, _, _ = fuzz.mutate(data, random.Random(3))
    assert mutated != data and done


def test_short_fuzz_run_finds_nothing(built: Path, tmp_path: Path) -> None:
    """The script forks a child per case from its own, single-threaded process (a pytest
    process may already run Typst's threads), with a generous limit per case."""
    findings = tmp_path / "findings"
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--count", "30", "--seed", "22", "--jobs", "2",
         "--limit-s", "120", "--seeds", str(built), "--findings", str(findings), "--quiet"],
        capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert "unmutated convention.docx: ok" in proc.stdout, proc.stdout + proc.stderr
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-3000:]
