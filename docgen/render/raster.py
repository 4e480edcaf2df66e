"""SVG drawings as PNG pictures, where a reader needs pixels: the fallback of a map in a Word
document (Word before 2016 and most viewers show it rather than the SVG) and every picture of
the PPTX (the partners' logos, the map).

Typst draws them, in process (its SVG renderer is resvg), with the fonts shipped in docgen and
never the system's: the same pixels on every machine. Nothing outside the drawing is read: the
maps are docgen's own, a logo was checked when the case was loaded (no reference outside
itself, load/assets.py), and Typst's root is the shipped fonts' folder, not the working one.
"""

from __future__ import annotations

from .. import messages as msg
from ..errors import TemplateError
from ..package_data import FONTS

BOX = 100.0  # points: the drawing's size on the page Typst renders; ppi gives the pixels


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
    source = ("#set page(width: auto, height: auto, margin: 0pt, fill: none)\n"
              f'#image(bytes({s(text)}), format: "svg", {side}: {BOX}pt)\n').encode("utf-8")
    try:
        compiler = typst.Compiler(source, root=str(FONTS), font_paths=[str(FONTS)],
                                  ignore_system_fonts=True)
        png = compiler.compile(format="png", ppi=pixels * 72 / BOX)
    except (typst.TypstError, RuntimeError) as exc:
        detail = getattr(exc, "message", None) or str(exc)
        raise TemplateError(msg.DESSIN_PNG_ECHEC.format(name=name, detail=detail)) from None
    assert isinstance(png, bytes)
    return png
