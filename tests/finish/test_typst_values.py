"""No value of a document reaches Typst as code: every string the emitter writes is either an
escaped string literal, a closed value, or refused; every number is finite and in range.

The test walks every field of a document tree that uses every construct the emitter knows, sets
one field at a time to a hostile string (or number), and compares the shape of the markup (what
remains once string literals are blanked) with the shape for a plain value."""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Iterator
from typing import Any

import pytest

from docgen.finish import model as m
from docgen.finish.typeset import Emitter, TypesetError

HOSTILE = 'x") #show "1": "9" // ]\\\n#set page(fill: black) [#'
PLAIN = "x"
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_ROOM = re.compile(r"#block\(breakable: false, height: [\d.]+pt, above: 0pt, below: 0pt\)\n#v\(-[\d.]+pt\)")


def svg() -> bytes:
    return (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
            b'<text x="1" y="9">A</text></svg>')


def sample() -> m.Document:
    st = m.Style(bold=True, color="336699", highlight="FFFF00", size=11.0, tracking=0.5,
                 vertical="superscript", caps=True, smallcaps=True, underline=True, strike=True,
                 baseline=-1.0)
    plain = m.Style()
    note = m.Paragraph("Note", (m.Text("une note", plain),))
    para = m.Paragraph(
        "Corps", (m.Text("Article 1", st, "https://exemple.fr"), m.Tab(plain), m.LineBreak(),
                  m.PageField("PAGE", plain), m.PageField("NUMPAGES", st),
                  m.Image(svg(), "svg", 20.0, 20.0, "carte"),
                  m.Image(b"\x89PNG\r\n\x1a\n", "png", 10.0, 10.0, "logo"),
                  m.NoteRef(1, (note,), plain), m.PageBreak(), m.Text("suite", plain)),
        align="justify", space_before=6.0, space_after=6.0, line=1.2, indent_left=10.0,
        indent_first=-10.0, keep_next=True, keep_lines=True, heading=1, bookmarked=True,
        bookmarks=("a",), label="1.", shading="EEEEEE", size=11.0,
        border_top=(1.0, "000000", 2.0), border_bottom=(1.0, "FF0000", 2.0))
    exact = m.Paragraph("Exact", (m.Text("ligne exacte", plain),), line_exact=14.0,
                        align="center", indent_right=5.0, indent_first=12.0)
    sig = (m.Paragraph("Signature titre", (m.Text("Pour l'État", plain),),
                       bookmarks=("Signature_Etat",)),
           m.Paragraph("Signature nom", (m.Text("Le préfet", plain),)))
    cell = m.Cell((m.Paragraph("Cellule", (m.Text("cellule", plain),)),), span=1, rows=1,
                  shading="DDDDDD", valign="horizon",
                  borders=(m.Border(1.0, "00FF00"), None, None, None))
    wide = m.Cell((m.Paragraph("Cellule", (m.Text("large", plain),)),), span=2)
    table = m.Table((100.0, 100.0), (m.Row((cell, m.Cell(())), header=True),
                                     m.Row((wide,))),
                    tuple(m.Border(0.5, "000000") for _ in range(6)), align="center")
    running = (m.Paragraph("En-tête", (m.Text("en-tête", plain),)),)
    section = m.Section(595.0, 842.0, 60.0, 60.0, 60.0, 60.0, 30.0, 30.0, False,
                        (para, exact, table, *sig), running, running, running, running)
    meta = m.Meta("Titre", "Objet", "Auteur", "a; b", "2024-01-02", "fr")
    return m.Document(meta, (section,), background="FFFFF0")


def fields(obj: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """(path, value) of every leaf of the tree: strings, numbers, and tuples of them."""
    if dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            yield from fields(getattr(obj, f.name), path + (f.name,))
    elif isinstance(obj, tuple):
        if obj and all(isinstance(x, (str, int, float)) and not isinstance(x, bool) for x in obj):
            for k, x in enumerate(obj):
                yield path + (k,), x
        else:
            for k, x in enumerate(obj):
                yield from fields(x, path + (k,))
    elif isinstance(obj, (str, int, float)) and not isinstance(obj, bool):
        yield path, obj


def put(obj: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(obj, tuple):
        items = list(obj)
        items[head] = put(items[head], rest, value)
        return tuple(items)
    return dataclasses.replace(obj, **{head: put(getattr(obj, head), rest, value)})


def shape(doc: m.Document) -> str:
    """The markup with every string literal blanked, or the refusal's type; the room kept
    before a table's first and last rows is blanked too (its height follows the length of
    their text: a number written by values.pt, never the text)."""
    try:
        source = Emitter(doc).document()
    except (TypesetError, KeyError, ValueError) as exc:
        return f"refused: {type(exc).__name__}"
    return _ROOM.sub("#room", _STRING.sub('""', source))


STRINGS = [(p, v) for p, v in fields(sample()) if isinstance(v, str)]
NUMBERS = [(p, v) for p, v in fields(sample()) if isinstance(v, float)]


def test_the_sample_uses_every_construct() -> None:
    source = Emitter(sample()).document()
    for construct in ("link(", "footnote[", "image(", "table(", "table.cell(", "highlight(",
                      "super(", "smallcaps(", "upper(", "heading(", "counter(page)",
                      "metadata(", "fill: rgb("):
        assert construct in source, construct
    assert len(STRINGS) > 40 and len(NUMBERS) > 40


@pytest.mark.parametrize("path", [p for p, _ in STRINGS], ids=lambda p: ".".join(map(str, p)))
def test_a_hostile_string_never_changes_the_markup(path: tuple[Any, ...]) -> None:
    doc = sample()
    assert shape(put(doc, path, HOSTILE)) == shape(put(doc, path, PLAIN))


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 1e300])
@pytest.mark.parametrize("path", [p for p, _ in NUMBERS], ids=lambda p: ".".join(map(str, p)))
def test_a_number_out_of_range_is_refused_not_written(path: tuple[Any, ...], value: float) -> None:
    try:
        source = Emitter(put(sample(), path, value)).document()
    except (TypesetError, ValueError):
        return
    for bad in ("nan", "inf", "e+"):
        assert bad not in source.lower().replace("info", "").replace("inline", ""), (path, bad)
