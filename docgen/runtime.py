"""Process-wide settings, for docgen's own processes only: the console command (cli.main as
the process's entry point) and the worker processes docgen starts (jobs.py). A program that
imports docgen as a library gets none of them: its environment, its exit and the libraries it
loads are left as they are. Each is a measured saving (benchmarks/runtime_tricks.py prints what
each is worth; the figures are in benchmarks/README.md); none changes a byte of any output.

- BLAS threads: numpy (under shapely, for perimeters) starts a thread pool at import unless
  told not to; docgen does no linear algebra, and a process without threads can fork its
  documents' work (parallel.py).
- Stored parts: python-docx deflates every part when it saves, and docgen's own packing
  (render/package.py) deflates them again: python-docx is told to store them.
- Native lookup: WeasyPrint's cffi asks ctypes.util.find_library for 25 spellings of its
  libraries, each starting `ldconfig -p`, `gcc` and `ld`; while WeasyPrint is imported, the
  answers come from one reading of the ldconfig cache (see native_lookup).
- Quick exit: once every output is written and flushed, the process leaves without freeing
  every object of the libraries it loaded, one by one (leave).
"""

from __future__ import annotations

import contextlib
import ctypes.util
import os
import re
import struct
import subprocess
import sys
from collections.abc import Callable, Iterator
from functools import lru_cache

_STATE = {"console": False, "exit": False, "docx": False, "docx_done": False}
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")
OFF = "DOCGEN_NO_RUNTIME"  # « blas,docx,native,exit »: those left out (benchmarks/runtime_tricks.py)


def console() -> None:
    """docgen's own process starts: before numpy or python-docx are imported."""
    off = set(os.environ.get(OFF, "").split(","))
    _STATE["console"] = "native" not in off
    _STATE["exit"] = "exit" not in off
    if "blas" not in off:
        for variable in THREAD_VARIABLES:
            os.environ.setdefault(variable, "1")
    _STATE["docx"] = "docx" not in off  # applied when a DOCX is first saved (stored_parts)
    import signal

    # SIGTERM (a service stopped, `kill`) unwinds like an interruption: every `finally` runs
    # (the output folder's staging, the lock, temporary files), and forked copies, which
    # receive it from their parent, leave the same way
    signal.signal(signal.SIGTERM, _terminated)


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def stored_parts() -> None:
    """Before python-docx saves a package, in docgen's own processes: store its parts, which
    render/package.py compresses once (python-docx is imported only by the commands that
    render a DOCX: `docgen check` or `docgen pdf` never pay for it)."""
    if not _STATE.get("docx") or _STATE.get("docx_done"):
        return
    import zipfile

    import docx.opc.phys_pkg as phys_pkg

    # typeshed marks zipfile's constants Final; rebinding python-docx's copy is the point here
    phys_pkg.ZIP_DEFLATED = zipfile.ZIP_STORED  # type: ignore[misc]
    _STATE["docx_done"] = True


def leave(code: int) -> None:
    """Exit now, from docgen's own console process. Every output is written, flushed and
    closed, the folder's lock released, by the time a command returns; what Python would still
    do is run the exit handlers (kept: temporary files, logging) and then free, one by one,
    every object of the libraries loaded (WeasyPrint, pydantic, lxml…): a quarter of a second
    of a build, for nothing."""
    import atexit

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`docgen build | head`): nothing to do
            pass
    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if not _STATE["exit"] or run_exit_handlers is None:  # the ordinary way out
        sys.exit(code)
    run_exit_handlers()
    os._exit(code)


@lru_cache(maxsize=1)
def _cache() -> bytes:
    try:
        return subprocess.run(["/sbin/ldconfig", "-p"], stdin=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, stdout=subprocess.PIPE, check=False,
                              env={"LC_ALL": "C", "LANG": "C"}).stdout
    except OSError:
        return b""


def _abi() -> str:  # as ctypes.util._findSoname_ldconfig
    machine = os.uname().machine + ("-32" if struct.calcsize("l") == 4 else "-64")
    return {"x86_64-64": "libc6,x86-64", "ppc64-64": "libc6,64bit", "sparc64-64": "libc6,64bit",
            "s390x-64": "libc6,64bit", "ia64-64": "libc6,IA-64"}.get(machine, "libc6")


def find_library(name: str,
                 standard: Callable[[str], str | None] = ctypes.util.find_library) -> str | None:
    listing = _cache()
    if not listing:  # no ldconfig here: the standard search
        return standard(name)
    pattern = os.fsencode(rf"\s+(lib{re.escape(name)}\.[^\s]+)\s+\({_abi()}")
    found = re.search(pattern, listing)
    if found:
        return os.fsdecode(found.group(1))
    if os.environ.get("LD_LIBRARY_PATH") or os.environ.get("LIBRARY_PATH"):
        return standard(name)
    return None


@contextlib.contextmanager
def native_lookup() -> Iterator[None]:
    """While importing WeasyPrint, in docgen's own processes (Linux only; elsewhere, and in a
    program that imports docgen, nothing changes)."""
    if not _STATE["console"] or not os.path.exists("/sbin/ldconfig"):
        yield
        return
    standard = ctypes.util.find_library
    ctypes.util.find_library = lambda name: find_library(name, standard)
    try:
        yield
    finally:
        ctypes.util.find_library = standard
