"""What the parts of the strict reader (runs.py, tables.py) may ask of the reader walking the
document (docx_reader.Reader): an interface, so that they do not import the reader itself."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any, Protocol

from lxml import etree

from . import model as m
from .package import Package
from .styles import Styles


class Walker(Protocol):
    name: str  # the file's name, first in every refusal
    pkg: Package
    styles: Styles
    consumed: list[etree._Element]  # every w:t read (docx_reader.all_read)
    table_r: tuple[str, dict[str, Any]]  # the run properties of the table being read
    depth: int  # tables within tables
    notes: dict[str, dict[str, etree._Element]]
    note_parts: dict[str, str]
    note_count: int
    background: str

    def content(self, el: etree._Element, counter: Any, shading: str,
                pending: tuple[str, ...]) -> list[m.Block]: ...

    def rel(self, rid: str) -> Any: ...

    def target(self, kind: str) -> str | None: ...

    def all_read(self, root: etree._Element, place: str) -> None: ...

    def in_part(self, part: str) -> AbstractContextManager[None]: ...
