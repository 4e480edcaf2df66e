"""Shared fixtures: the CLI run in-process, golden files, case folders built from overlays."""

from __future__ import annotations

import os

# as docgen's own processes do (runtime.py): numpy without a BLAS thread pool, so that the
# tests that fork can (a test process is a program importing docgen, which changes nothing)
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from docgen.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "cases" / "pays-des-ecrins"
MINIMAL = ROOT / "tests" / "cases" / "minimal"
INVALID = ROOT / "tests" / "cases" / "invalid"
GOLDEN = ROOT / "tests" / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite golden files from the current output (review the diff before committing).",
    )


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]):
    """Run `docgen ARGS…` in-process; return exit code, stdout and stderr."""

    def _run(*args: str) -> Result:
        capsys.readouterr()
        try:
            main([str(a) for a in args])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return _run


def check_golden(path: Path, text: str, update: bool) -> None:
    """text must equal the golden file at path; with update, the file is rewritten instead."""
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"golden file {path} missing: run pytest --update-golden and review"
    assert text == path.read_text(encoding="utf-8"), (
        f"{path} differs from the output: if the change is intended, run pytest --update-golden "
        "and review the diff")


@pytest.fixture
def golden(request: pytest.FixtureRequest):
    """Compare text with tests/golden/<name>; rewrite it with --update-golden."""
    update = bool(request.config.getoption("--update-golden"))

    def _check(name: str, text: str) -> None:
        check_golden(GOLDEN / name, text, update)

    return _check


def overlay_case(target: Path, overlay: Path | None, base: Path = MINIMAL,
                 registre: bool = False) -> Path:
    """Copy a base case to target, then apply an overlay folder (files replace, *.absent delete).
    Without its register of acts unless asked (`registre`): a territory whose acts docgen has
    not issued yet, so that a test may change what they say (docgen/acts.py)."""
    shutil.copytree(base, target, ignore=None if registre else shutil.ignore_patterns("actes"))
    if overlay is not None:
        for item in overlay.iterdir():
            if item.name.endswith(".absent"):
                (target / item.name[: -len(".absent")]).unlink()
            elif item.is_dir():
                shutil.copytree(item, target / item.name, dirs_exist_ok=True)
            else:
                shutil.copy(item, target / item.name)
    return target


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    """A writable copy of the example case, without its register of acts (see overlay_case)."""
    return overlay_case(tmp_path / "pays-des-ecrins", None, EXAMPLE)


@pytest.fixture
def example_signed(tmp_path: Path) -> Path:
    """A writable copy of the example case with its register: a territory in its third year,
    its adhésion, convention and avenant n° 1 signed."""
    return overlay_case(tmp_path / "pays-des-ecrins", None, EXAMPLE, registre=True)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every document of the example case, built once per test run (read-only for tests), as
    `docgen build` does it: in a fresh process, its documents spread over the cores."""
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("example")
    subprocess.run([sys.executable, "-m", "docgen", "build", str(EXAMPLE), "--out", str(out)],
                   check=True, capture_output=True)
    return out / "pays-des-ecrins"


@pytest.fixture(scope="session")
def rebuilt(tmp_path_factory: pytest.TempPathFactory, built: Path) -> Path:
    """A second build of the example in the same run, in this process, one document after the
    other (-j 1), to compare with `built` (spread over processes) byte for byte."""
    from docgen.pipeline import build
    from docgen.plan import BuildOptions

    out = tmp_path_factory.mktemp("example-again")
    build(EXAMPLE, BuildOptions(out=out, jobs=1))
    return out / "pays-des-ecrins"


@pytest.fixture
def built_copy(built: Path, tmp_path: Path) -> Path:
    """A writable copy of the shared build, for tests that edit or tamper with its files."""
    copy = tmp_path / "pays-des-ecrins"
    shutil.copytree(built, copy)
    return copy


_FRESH: dict[str, dict[str, str]] = {}  # test file → {test name: failure text, "" if passed}


def _fresh_run(path: str, ids: list[str]) -> dict[str, str]:
    """These tests of one file, run once in a fresh interpreter (no xdist): name → "" if it
    passed, else what pytest said."""
    import subprocess
    import sys
    import tempfile
    import xml.etree.ElementTree as ET

    if path not in _FRESH:
        with tempfile.TemporaryDirectory() as tmp:
            report = Path(tmp) / "report.xml"
            done = subprocess.run(
                [sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", "-p", "no:cacheprovider",
                 f"--junitxml={report}", *ids], cwd=ROOT, capture_output=True, text=True,
                timeout=900)
            results: dict[str, str] = {}
            if report.exists():
                for case in ET.parse(report).iter("testcase"):
                    bad = case.find("failure") if case.find("failure") is not None \
                        else case.find("error")
                    results[case.get("name", "")] = "" if bad is None else (
                        (bad.get("message") or "") + "\n" + (bad.text or ""))[-4000:]
            results["<run>"] = done.stdout[-3000:] + done.stderr[-2000:]
        _FRESH[path] = results
    return _FRESH[path]


@pytest.fixture
def lone_process(request: pytest.FixtureRequest) -> bool:
    """For a test that needs this process to fork (parallel.run, docgen pdf's time limit): where
    another thread already runs here (an earlier test compiled with Typst, whose native threads
    stay), the test's file is run on its own in a fresh interpreter (once per process) and this
    test must have passed there; returns True when the caller should go on here."""
    from docgen import parallel

    if parallel._single_threaded():
        return True
    path = request.node.path
    ids = [item.nodeid for item in request.session.items
           if item.path == path and "lone_process" in getattr(item, "fixturenames", ())]
    results = _fresh_run(path.relative_to(ROOT).as_posix(), ids)
    name = request.node.name
    assert name in results, f"{name} did not run in the fresh process:\n{results['<run>']}"
    assert results[name] == "", results[name]
    pytest.skip("passed in a fresh process (this one runs other threads: no fork here)")
