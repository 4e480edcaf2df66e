"""SVG drawings as PNG pictures, where a reader needs pixels: the fallback of a map in a Word
document (Word before 2016 and most viewers show it rather than the SVG) and every picture of
the PPTX (the partners' logos, the map).

Typst draws them, in process (its SVG renderer is resvg), with the fonts shipped in docgen and
never the system's: the same pixels on every machine. Nothing outside the drawing is read: the
maps are docgen's own, a logo was checked when the case was loaded (no reference outside
itself, load/assets.py), and Typst's root is the shipped fonts' folder, not the working one.
"""

from __future__ import annotations

from functools import lru_cache

from .. import messages as msg
from ..errors import TemplateError
from ..package_data import FONTS

BOX = 100.0  # points: the drawing's size on the page Typst renders; ppi gives the pixels
MAX_RATIO = 10  # a drawing's width / height (or height / width) beyond is boxed at this ratio:
#                 a 100,000 × 1 logo asked 240 pixels high must not ask for 24 million wide


def svg_to_png(svg: bytes, name: str, *, width: int | None = None,
               height: int | None = None) -> bytes:
    """The drawing `width` pixels wide (or `height` pixels high), transparent where it draws
    nothing. `name` says which drawing, should it fail."""
    import typst

    from ..finish.typeset import s

    if (width is None) == (height is None):
        raise ValueError("give width or height")
    side = "width" if width else "height"
    pixels = width or height or 0
    text = svg.decode("utf-8", "replace")
    # its own proportions (measured by Typst), held within MAX_RATIO, the drawing centred
    # in its box ("contain") when they are not
    other = "height" if side == "width" else "width"
    scale = "/" if side == "width" else "*"
    source = ("#set page(width: auto, height: auto, margin: 0pt, fill: none)\n"
              f"#let drawing = bytes({s(text)})\n"
              "#context {\n"
              '  let natural = measure(image(drawing, format: "svg"))\n'
              f"  let ratio = calc.clamp(natural.width / natural.height, 1 / {MAX_RATIO}, "
              f"{MAX_RATIO})\n"
              f'  image(drawing, format: "svg", fit: "contain", {side}: {BOX}pt, '
              f"{other}: {BOX}pt {scale} ratio)\n"
              "}\n").encode()
    try:
        # typst's stub ties the source's type (bytes) to the font paths' (str): one TypeVar
        compiler = typst.Compiler(source, root=str(FONTS),  # type: ignore[misc]
                                  font_paths=[str(FONTS)], ignore_system_fonts=True)
        png = compiler.compile(format="png", ppi=pixels * 72 / BOX)
    except BaseException as exc:  # Typst's refusal, or a panic of its Rust code
        if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
            raise  # an interruption, the render watchdog: not the drawing's fault
        detail = getattr(exc, "message", None) or str(exc)
        raise TemplateError(msg.DESSIN_PNG_ECHEC.format(name=name, detail=detail)) from None
    assert isinstance(png, bytes)
    return png


@lru_cache(maxsize=64)  # the partners' logos are the same on every COPIL's slides and every act
def logo_png(src: str, name: str, height: int = 240) -> tuple[bytes, float]:
    """A logo of the partners' band (an SVG data URI, drawn; or a PNG one, as the loader wrote
    it again: load/assets.raster_logo; `name` says which) as a PNG, and its width / height."""
    import base64
    import io

    from PIL import Image

    if src.startswith("data:image/png;"):
        png = base64.b64decode(src.split(",", 1)[1])
    else:
        png = svg_to_png(logo_svg(src) or b"", name, height=height)
    with Image.open(io.BytesIO(png)) as im:
        ratio = im.width / im.height
    return png, ratio


def logo_svg(src: str) -> bytes | None:
    """The drawing of a logo's data URI, its text in the fonts docgen ships ("Docgen Sans" is
    the slides' @font-face name for Liberation Sans); None for a picture (PNG)."""
    import base64

    if not src.startswith("data:image/svg+xml;"):
        return None
    return base64.b64decode(src.split(",", 1)[1]).replace(b"Docgen Sans", b"Liberation Sans")
