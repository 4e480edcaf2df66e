"""native: the libraries under WeasyPrint are found as the standard search finds
them, from one reading of the ldconfig cache."""

from __future__ import annotations

import ctypes.util

import pytest

from docgen import runtime as native

NAMES = ["gobject-2.0", "libgobject-2.0-0", "pango-1.0", "pangoft2-1.0", "harfbuzz",
         "harfbuzz-subset", "harfbuzz-vector", "fontconfig", "cairo", "cairo-2", "c", "m",
         "surely-no-such-library"]


@pytest.mark.parametrize("name", NAMES)
def test_the_same_answer_as_the_standard_search(name: str) -> None:
    assert native.find_library(name) == ctypes.util.find_library(name)


def test_the_standard_search_is_back_after_the_import() -> None:
    standard = ctypes.util.find_library
    native._STATE["console"] = True
    try:
        with native.native_lookup():
            assert ctypes.util.find_library("pango-1.0") == "libpango-1.0.so.0"
    finally:
        native._STATE["console"] = False
    assert ctypes.util.find_library is standard


def test_a_program_importing_docgen_keeps_its_own_lookup() -> None:
    standard = ctypes.util.find_library
    with native.native_lookup():
        assert ctypes.util.find_library is standard


def test_importing_docgen_changes_nothing_in_the_process() -> None:
    """A program that imports docgen (and builds with it) keeps its environment, its python-docx
    and its way out: the settings of runtime.py are for docgen's own processes."""
    import subprocess
    import sys

    code = ("import os, zipfile; before = dict(os.environ); import docgen, docgen.pipeline, "
            "docgen.render.docx; import docx.opc.phys_pkg as p; "
            "assert dict(os.environ) == before, 'environment'; "
            "assert p.ZIP_DEFLATED == zipfile.ZIP_DEFLATED, 'python-docx'")
    env = {k: v for k, v in __import__("os").environ.items()
           if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr


def test_sigterm_unwinds_the_build_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    """`kill` (a service stopped) during a build: docgen leaves through every `finally`, so its
    temporary folders are removed and nothing half-written stays in the output folder."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from tests.conftest import EXAMPLE, overlay_case

    case = overlay_case(tmp_path / "pays-des-ecrins", None, EXAMPLE)
    temp = tmp_path / "tmp"
    temp.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "docgen", "build", str(case), "--out", str(tmp_path / "out")],
        env={**os.environ, "TMPDIR": str(temp)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not any(temp.iterdir()) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)  # until the build has made its first temporary folder
    assert process.poll() is None, "the build ended before it could be stopped"
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=60)
    assert process.returncode == 128 + signal.SIGTERM
    assert list(temp.iterdir()) == []
    out = tmp_path / "out" / "pays-des-ecrins"
    assert not out.exists() or {p.name for p in out.iterdir()} <= {".docgen.lock"}
