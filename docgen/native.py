"""The native libraries under WeasyPrint (Pango, HarfBuzz, fontconfig), found without a
subprocess per guess.

It finds them through cffi, which asks `ctypes.util.find_library` for each spelling of each
name in turn (a Windows name, a macOS name, the Linux one…): on Linux every call starts
`ldconfig -p`, then `gcc` and `ld` when the name is not there — 25 guesses, a quarter of a
second at each cold start. While they are imported, the same question is answered from one
reading of the `ldconfig` cache, with the same pattern as the standard library. A name that is
not in the cache is left to the standard search when a library path is set (LD_LIBRARY_PATH,
LIBRARY_PATH: libraries outside the cache); elsewhere it is not found, as the standard search
would conclude after its subprocesses.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import os
import re
import struct
import subprocess
from collections.abc import Iterator
from functools import lru_cache
from typing import Any


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


def find_library(name: str, standard: Any = ctypes.util.find_library) -> str | None:
    listing = _cache()
    if not listing:  # no ldconfig here: the standard search
        return standard(name)  # type: ignore[no-any-return]
    pattern = os.fsencode(r"\s+(lib%s\.[^\s]+)\s+\(%s" % (re.escape(name), _abi()))
    found = re.search(pattern, listing)
    if found:
        return os.fsdecode(found.group(1))
    if os.environ.get("LD_LIBRARY_PATH") or os.environ.get("LIBRARY_PATH"):
        return standard(name)  # type: ignore[no-any-return]
    return None


@contextlib.contextmanager
def quick_lookup() -> Iterator[None]:
    """While importing WeasyPrint (Linux only; elsewhere nothing changes)."""
    if not os.path.exists("/sbin/ldconfig"):
        yield
        return
    standard = ctypes.util.find_library
    ctypes.util.find_library = lambda name: find_library(name, standard)
    try:
        yield
    finally:
        ctypes.util.find_library = standard
