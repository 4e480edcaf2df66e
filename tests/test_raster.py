"""Drawings as PNG (a map's fallback in Word, the PPTX's logos and map): the size asked for,
transparent around the drawing, the same bytes every time, and nothing read beside it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from docgen.errors import TemplateError
from docgen.render.raster import svg_to_png

LABEL = ('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50">'
         '<text x="5" y="30" font-family="Liberation Sans" font-size="20">Écrins</text>'
         '</svg>').encode()


def _image(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png))


def test_the_picture_has_the_size_asked_for_and_a_transparent_background() -> None:
    wide = _image(svg_to_png(LABEL, "essai", width=200))
    assert wide.size == (200, 100) and wide.mode == "RGBA"
    assert wide.getpixel((0, 0))[3] == 0  # nothing drawn there: transparent
    assert any(wide.getpixel((x, 60))[3] > 0 for x in range(10, 120))  # the label is drawn
    assert _image(svg_to_png(LABEL, "essai", height=240)).size == (480, 240)


def test_the_same_drawing_gives_the_same_bytes() -> None:
    assert svg_to_png(LABEL, "essai", width=300) == svg_to_png(LABEL, "essai", width=300)


def test_a_file_named_in_the_drawing_is_never_read(tmp_path: Path, monkeypatch) -> None:
    Image.new("RGB", (10, 10), "red").save(tmp_path / "secret.png")
    monkeypatch.chdir(tmp_path)  # Typst's default root would be here
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
           b'<image href="secret.png" width="10" height="10"/></svg>')
    with pytest.raises(TemplateError) as exc:
        svg_to_png(svg, "logo.svg", width=10)
    assert str(exc.value).startswith("logo.svg : le dessin n’a pas pu être rendu en image PNG")


def test_a_drawing_of_extreme_proportions_is_boxed_not_blown_up() -> None:
    """A logo 100,000 units wide and 1 high, asked 240 pixels high, would be a picture of 24
    million pixels by 240 (23 GB): it is boxed at ten times as wide as high."""
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100000 1">'
           b'<rect width="100%" height="100%" fill="red"/></svg>')
    assert _image(svg_to_png(svg, "logo.svg", height=240)).size == (2400, 240)
    tall = svg.replace(b"0 0 100000 1", b"0 0 1 100000")
    assert _image(svg_to_png(tall, "logo.svg", width=300)).size == (300, 3000)
