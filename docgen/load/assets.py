"""LOAD for the files a case points at beside its YAML (logos, maps): each must be a regular file
inside the case folder, of bounded size and complexity, checked without being opened for reading
unless it is one."""

from __future__ import annotations

import base64
import html
import os
import re
import stat
import struct
from pathlib import Path
from typing import TYPE_CHECKING

from .. import messages as msg
from ..errors import DocgenError, Issue, display_path
from .reading import NotRegular, read_regular

if TYPE_CHECKING:
    from ..model.case import Case

MAX_ASSET_BYTES = 5 * 1024 * 1024  # a logo is ~50 kB, a perimeter map a few hundred kB
MAX_IMAGE_PIXELS = 40_000_000  # 40 Mpx: a 300 dpi A3 scan; more only fills memory
MAX_SVG_ELEMENTS = 20_000  # a detailed map has a few thousand paths
MAX_SVG_USES = 500  # <use> clones: each may copy a whole subtree (fan-out bombs)
MAX_SVG_DATA = 200_000  # characters of path data and text: a detailed logo holds ≈ 50,000;
#                         a self-crossing path of 60,000 segments (680,000) took Typst 15 s
MAX_ASSETS = 200  # files under assets/
MAX_GEO_BYTES = 48 * 1024 * 1024  # a GeoJSON: a commune's cadastre (load/fond.py reads it)
GEO_SUFFIXES = (".json", ".geojson")


class AssetProblem(DocgenError):
    """An asset of the case is refused; carries its issue."""

    def __init__(self, issue: Issue) -> None:
        self.issue = issue
        super().__init__(issue.format())


def _shown(path: Path) -> str:
    """The path as typed, relative to the working directory, without following links (the
    link's own name is what the user must fix)."""
    absolute = Path(os.path.abspath(path))
    try:
        return str(absolute.relative_to(Path(os.path.abspath(Path.cwd()))))
    except ValueError:
        return display_path(path) if not path.is_symlink() else str(absolute)


def _refuse(path: Path, message: str) -> AssetProblem:
    return AssetProblem(Issue(_shown(path), 1, 1, "", message))


def read_asset(case_folder: Path, path: Path) -> bytes:
    """The bytes of one asset, refused (AssetProblem) unless it is a regular file inside the
    case folder and within the limits. A FIFO, a device or a link leaving the case is never
    opened for reading: lstat first, then O_NOFOLLOW | O_NONBLOCK and fstat on what was opened."""
    root = case_folder.resolve()
    try:
        info = os.lstat(path)
    except OSError:
        raise _refuse(path, msg.ASSET_MISSING) from None
    real = path
    if stat.S_ISLNK(info.st_mode):
        real = path.resolve()
        if not real.is_relative_to(root):
            raise _refuse(path, msg.ASSET_OUTSIDE.format(target=real))
        try:
            info = os.lstat(real)
        except OSError:
            raise _refuse(path, msg.ASSET_MISSING) from None
    elif not path.resolve().is_relative_to(root):  # a linked parent folder
        raise _refuse(path, msg.ASSET_OUTSIDE.format(target=path.resolve()))
    if not stat.S_ISREG(info.st_mode):
        raise _refuse(path, msg.ASSET_NOT_REGULAR)
    geo = path.suffix.lower() in GEO_SUFFIXES
    limit = MAX_GEO_BYTES if geo else MAX_ASSET_BYTES
    too_big = msg.ASSET_TOO_BIG_GEO if geo else msg.ASSET_TOO_BIG
    if info.st_size > limit:
        raise _refuse(path, too_big.format(size=info.st_size // 1024,
                                           limit=limit // 1024 // 1024))
    try:
        data = read_regular(real, limit, follow=False)
    except NotRegular:  # swapped between lstat and open
        raise _refuse(path, msg.ASSET_NOT_REGULAR) from None
    except OSError:
        raise _refuse(path, msg.ASSET_UNREADABLE) from None
    if len(data) > limit:
        raise _refuse(path, too_big.format(size=len(data) // 1024, limit=limit // 1024 // 1024))
    _check_content(path, data)
    return data


def _check_content(path: Path, data: bytes) -> None:
    suffix = path.suffix.lower()
    if suffix == ".svg":
        _check_svg(path, data)
    elif suffix in (".png", ".jpg", ".jpeg"):
        size = image_size(data)
        if size is None:
            raise _refuse(path, msg.ASSET_NOT_IMAGE)
        if size[0] * size[1] > MAX_IMAGE_PIXELS:
            raise _refuse(path, msg.ASSET_TOO_MANY_PIXELS.format(
                width=size[0], height=size[1], limit=MAX_IMAGE_PIXELS // 1_000_000))


def _check_svg(path: Path, data: bytes) -> None:
    """A logo that can be drawn in bounded time and memory, from itself alone: no entity, no
    script, no reference outside it (href, url(…), @import, a style sheet instruction), no
    filter effect (a blur or a morphology can ask hours of a renderer), no SVG inside it, an
    embedded picture within the pixels of any image, and bounded counts of elements, clones
    and path or text data."""
    from lxml import etree

    if b"<!ENTITY" in data:  # before parsing: no entity expansion at all (billion laughs)
        raise _refuse(path, msg.SVG_ENTITY)
    elements = uses = amount = 0
    try:
        for event, el in etree.iterparse(_Bytes(data), events=("start", "end", "pi"),
                                         resolve_entities=False, no_network=True,
                                         huge_tree=False, load_dtd=False):
            if event == "pi":
                if el.target == "xml-stylesheet":
                    raise _refuse(path, msg.SVG_EXTERNAL.format(ref="<?xml-stylesheet …?>"))
                continue
            tag = el.tag if isinstance(el.tag, str) else ""
            local = tag.rsplit("}", 1)[-1]
            if event == "end":  # the element's whole text is known now
                text = el.text or ""
                amount += len(text)
                if local == "style":
                    css = "".join(el.itertext()).lower()
                    if "@import" in css or _outside(css):
                        raise _refuse(path, msg.SVG_EXTERNAL.format(ref=css.strip()[:60]))
                if amount > MAX_SVG_DATA:
                    raise _refuse(path, msg.SVG_TOO_MUCH_DATA.format(limit=MAX_SVG_DATA))
                continue
            elements += 1
            if local == "use":
                uses += 1
            if local in ("script", "foreignObject"):
                raise _refuse(path, msg.SVG_ACTIVE.format(tag=local))
            if local == "filter" or (local[:2] == "fe" and local[2:3].isupper()):
                raise _refuse(path, msg.SVG_FILTER.format(tag=local))
            for attr, value in el.attrib.items():
                name = attr.rsplit("}", 1)[-1]
                if name in ("d", "points"):
                    amount += len(value)
                ref = value.strip().lower()
                if name == "href":
                    if ref.startswith("data:image/svg"):
                        raise _refuse(path, msg.SVG_NESTED)
                    if ref.startswith("data:"):
                        _check_embedded(path, value)
                    elif not ref.startswith("#"):
                        raise _refuse(path, msg.SVG_EXTERNAL.format(ref=value[:60]))
                if _outside(ref):
                    raise _refuse(path, msg.SVG_EXTERNAL.format(ref=value[:60]))
            if elements > MAX_SVG_ELEMENTS or uses > MAX_SVG_USES:
                raise _refuse(path, msg.SVG_TOO_COMPLEX.format(
                    limit=MAX_SVG_ELEMENTS, uses=MAX_SVG_USES))
            if amount > MAX_SVG_DATA:
                raise _refuse(path, msg.SVG_TOO_MUCH_DATA.format(limit=MAX_SVG_DATA))
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 1
        raise AssetProblem(Issue(_shown(path), line, max(exc.offset or 1, 1), "",
                                 msg.SVG_UNREADABLE)) from None


def _check_embedded(path: Path, uri: str) -> None:
    """A picture embedded in a drawing (`data:image/png;base64,…`): within the pixels of an
    image of its own."""
    import base64
    import binascii

    head, _, body = uri.partition(",")
    try:
        raw = (base64.b64decode(body[:87380], validate=False)  # a header is all it takes
               if ";base64" in head.lower() else b"")
    except (binascii.Error, ValueError):
        raw = b""
    size = image_size(raw) if raw else None
    if size is not None and size[0] * size[1] > MAX_IMAGE_PIXELS:
        raise _refuse(path, msg.ASSET_TOO_MANY_PIXELS.format(
            width=size[0], height=size[1], limit=MAX_IMAGE_PIXELS // 1_000_000))


def _outside(value: str) -> bool:
    """A `url(…)` that points outside the drawing (its own `#id` and `data:` stay inside);
    `value` in lower case."""
    return any(not u.lstrip(" '\"").startswith(("#", "data:")) for u in value.split("url(")[1:])


class _Bytes:
    def __init__(self, data: bytes) -> None:
        import io

        self._io = io.BytesIO(data)

    def read(self, n: int = -1) -> bytes:
        return self._io.read(n)


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG or JPEG from its header, without decoding it."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        return struct.unpack(">II", data[16:24])
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                return None
            marker = data[i + 1]
            length = struct.unpack(">H", data[i + 2:i + 4])[0]
            if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD,
                          0xCE, 0xCF):
                h, w = struct.unpack(">HH", data[i + 5:i + 9])
                return w, h
            i += 2 + length
    return None


def check_assets(case_folder: Path) -> list[Issue]:
    """Every file under <case>/assets/, checked as read_asset would read it: the issues."""
    folder = case_folder / "assets"
    issues: list[Issue] = []
    if not folder.is_dir() or folder.is_symlink():
        if folder.is_symlink() and not folder.resolve().is_relative_to(case_folder.resolve()):
            issues.append(_refuse(folder, msg.ASSET_OUTSIDE.format(
                target=folder.resolve())).issue)
        return issues
    count = 0
    stack = [folder]
    while stack:
        current = stack.pop()
        with os.scandir(current) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                path = Path(entry.path)
                if entry.is_dir(follow_symlinks=False):
                    stack.append(path)
                    continue
                count += 1
                if count > MAX_ASSETS:
                    issues.append(_refuse(folder, msg.ASSET_TOO_MANY.format(limit=MAX_ASSETS)).issue)
                    return issues
                try:
                    read_asset(case_folder, path)
                except AssetProblem as exc:
                    issues.append(exc.issue)
    return issues


LOGO_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg")
LOGO_HEIGHT = 480  # pixels: a raster logo printed 13 mm high at 900 dpi; more only weighs


def logos(case: Case) -> list[dict[str, str]]:
    """The partners band of the slides and of the acts: every SVG, PNG or JPEG of
    <case>/assets/logos/, by file name. An SVG's <title> is the image's description (a tagged
    PDF requires one); a picture's is its file's name, unless the acts name it after the party
    it is named after (context/common.bandeau). A PNG or JPEG is decoded and written again as a
    PNG (raster_logo): its metadata (place, camera, author) never reaches a document."""
    return logos_of(case.folder)


def logos_of(case_folder: Path) -> list[dict[str, str]]:
    """The logos of the case in that folder (logos), without loading the case."""
    folder = case_folder / "assets" / "logos"
    out = []
    found = [p for p in folder.iterdir() if p.suffix.lower() in LOGO_SUFFIXES] \
        if folder.is_dir() else []
    for path in sorted(found, key=lambda p: p.name):
        data = read_asset(case_folder, path)
        if path.suffix.lower() != ".svg":
            src = "data:image/png;base64," + base64.b64encode(raster_logo(path, data)).decode()
            name = re.sub(r"^\d+[-_. ]*", "", path.stem).replace("-", " ").replace("_", " ")
            out.append({"src": src, "nom": name or path.stem, "fichier": path.name})
            continue
        title = re.search(rb"<title>([^<]*)</title>", data)
        name = html.unescape(title.group(1).decode("utf-8", "replace")) if title else path.stem
        out.append({"src": "data:image/svg+xml;base64," + base64.b64encode(data).decode("ascii"),
                    "nom": name, "fichier": path.name})
    return out


def raster_logo(path: Path, data: bytes) -> bytes:
    """A PNG or JPEG logo (read_asset has bounded its bytes and pixels) decoded and written
    again as a PNG of at most LOGO_HEIGHT pixels high: nothing of the file but its pixels
    (no EXIF, no text chunk, no colour profile), the same bytes for the same picture."""
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as im:
            if im.format not in ("PNG", "JPEG"):
                raise _refuse(path, msg.ASSET_NOT_IMAGE)
            im.load()
            picture = im.convert("RGBA" if "A" in im.getbands() or "transparency" in im.info
                                 else "RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _refuse(path, msg.ASSET_NOT_IMAGE) from None
    if picture.height > LOGO_HEIGHT:
        width = max(1, round(picture.width * LOGO_HEIGHT / picture.height))
        picture = picture.resize((width, LOGO_HEIGHT), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=False)
    return out.getvalue()
