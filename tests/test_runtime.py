"""native: the libraries under WeasyPrint are found as the standard search finds
them, from one reading of the ldconfig cache."""

from __future__ import annotations

import ctypes.util

import pytest

from docgen import native

NAMES = ["gobject-2.0", "libgobject-2.0-0", "pango-1.0", "pangoft2-1.0", "harfbuzz",
         "harfbuzz-subset", "harfbuzz-vector", "fontconfig", "cairo", "cairo-2", "c", "m",
         "surely-no-such-library"]


@pytest.mark.parametrize("name", NAMES)
def test_the_same_answer_as_the_standard_search(name: str) -> None:
    assert native.find_library(name) == ctypes.util.find_library(name)


def test_the_standard_search_is_back_after_the_import() -> None:
    standard = ctypes.util.find_library
    with native.quick_lookup():
        assert ctypes.util.find_library("pango-1.0") == "libpango-1.0.so.0"
    assert ctypes.util.find_library is standard
