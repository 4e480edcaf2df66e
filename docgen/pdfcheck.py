"""What a signer worries about in a PDF, checked with pikepdf: active content (JavaScript,
launch, submit and other actions, links that are not web or mail addresses), embedded files,
invisible text (render mode 3, white on white, clipped away, off the page), signature fields
(present, empty, unlocked) and the PDF/A claim (XMP pdfaid and an output intent).

Also the post-pass of every PDF docgen writes: links other than http(s)/mailto are dropped.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from . import messages as msg

SAFE_SCHEMES = ("http://", "https://", "mailto:")
# Actions a signed document has no business carrying (PDF 32000-1 §12.6.4)
DANGEROUS_ACTIONS = msg.DANGEROUS_ACTIONS


def _name(value: Any) -> str:
    return str(value) if value is not None else ""


def _uri_ok(uri: str) -> bool:
    return uri.strip().lower().startswith(SAFE_SCHEMES)


def _actions(action: Any) -> Iterator[Any]:
    """An action and the ones chained after it (/Next), without looping for ever."""
    import pikepdf

    seen: set[tuple[int, int]] = set()
    stack = [action]
    while stack:
        a = stack.pop()
        if isinstance(a, pikepdf.Array):
            stack.extend(a)
            continue
        if not isinstance(a, pikepdf.Dictionary):
            continue
        if a.is_indirect:
            if a.objgen in seen:
                continue
            seen.add(a.objgen)
        yield a
        if "/Next" in a:
            stack.append(a.Next)


def _action_problem(action: Any, where: str) -> str | None:
    kind = _name(action.get("/S"))
    if kind == "/URI":
        uri = str(action.get("/URI", ""))
        if _uri_ok(uri):
            return None
        if uri.lower().startswith("file:") or not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", uri):
            return msg.PDF_LOCAL_LINK.format(where=where, uri=_short(uri))
        return msg.PDF_BAD_LINK.format(where=where, uri=_short(uri))
    if kind in DANGEROUS_ACTIONS:
        return msg.PDF_ACTION.format(where=where, what=DANGEROUS_ACTIONS[kind])
    if kind in ("/GoTo", "/Named", "/Thread", ""):
        return None
    return msg.PDF_ACTION.format(where=where, what=kind.lstrip("/"))


def _short(text: str) -> str:
    return text if len(text) <= 80 else text[:77] + "…"


def active_content(pdf: Any) -> list[str]:
    """JavaScript, dangerous actions, non-web links and embedded files of an open pikepdf.Pdf."""
    problems: list[str] = []
    root = pdf.Root
    names = root.get("/Names")
    if names is not None:
        if "/JavaScript" in names:
            problems.append(msg.PDF_JAVASCRIPT_NAMES)
        if "/EmbeddedFiles" in names:
            problems.append(msg.PDF_EMBEDDED.format(n=len(pdf.attachments)))
    for key, where in (("/OpenAction", msg.PDF_AT_OPEN), ("/AA", msg.PDF_AT_DOCUMENT)):
        if key in root:
            value = root[key]
            items = value.values() if key == "/AA" else [value]
            for item in items:
                for a in _actions(item):
                    p = _action_problem(a, where)
                    if p:
                        problems.append(p)
    acro = root.get("/AcroForm")
    if acro is not None and "/XFA" in acro:
        problems.append(msg.PDF_XFA)
    for number, page in enumerate(pdf.pages, start=1):
        where = msg.PDF_AT_PAGE.format(page=number)
        if "/AA" in page.obj:
            for item in page.obj.AA.values():
                for a in _actions(item):
                    p = _action_problem(a, where)
                    if p:
                        problems.append(p)
        for annot in page.obj.get("/Annots", []):
            subtype = _name(annot.get("/Subtype"))
            if subtype == "/FileAttachment":
                problems.append(msg.PDF_ATTACHMENT_ANNOT.format(where=where))
            if subtype in ("/Screen", "/Movie", "/Sound", "/RichMedia", "/3D"):
                problems.append(msg.PDF_ACTION.format(where=where, what=subtype.lstrip("/")))
            for key in ("/A",):
                if key in annot:
                    for a in _actions(annot[key]):
                        p = _action_problem(a, where)
                        if p:
                            problems.append(p)
            if "/AA" in annot:
                for item in annot.AA.values():
                    for a in _actions(item):
                        p = _action_problem(a, where)
                        if p:
                            problems.append(p)
    return list(dict.fromkeys(problems))


def strip_unsafe_links(data: bytes) -> bytes:
    """The PDF without link annotations whose action is not an http(s)/mailto URI or an
    internal jump (a `javascript:` or `file:` link from a case value or a template is dropped;
    its text stays, as plain text). Unchanged bytes when there is nothing to drop."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        changed = False
        for page in pdf.pages:
            annots = page.obj.get("/Annots")
            if annots is None:
                continue
            keep = pikepdf.Array()
            for annot in annots:
                bad = False
                if "/A" in annot:
                    bad = any(_action_problem(a, "") for a in _actions(annot.A))
                if "/AA" in annot:
                    bad = True
                if bad:
                    changed = True
                else:
                    keep.append(annot)
            if len(keep) != len(annots):
                page.obj.Annots = keep
        if not changed:
            return data
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()


# ------------------------------------------------------------------ invisible text

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _matrix(values: Any) -> Matrix:
    """The six numbers of a `cm` or `Tm` operator, or of a form's /Matrix (ValueError if they
    are not six)."""
    a, b, c, d, e, f = tuple(float(v) for v in values)
    return (a, b, c, d, e, f)


def _mul(m: Matrix, n: Matrix) -> Matrix:
    """m × n (PDF row-vector convention: a point is transformed by m, then by n)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return (a * x + c * y + e, b * x + d * y + f)


Box = tuple[float, float, float, float]


def _box(m: Matrix, x: float, y: float, w: float, h: float) -> Box:
    pts = [_apply(m, x + dx, y + dy) for dx in (0, w) for dy in (0, h)]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return (min(xs), min(ys), max(xs), max(ys))


def _inside(box: Box, x: float, y: float, slack: float = 0.5) -> bool:
    return box[0] - slack <= x <= box[2] + slack and box[1] - slack <= y <= box[3] + slack


def _intersect(a: Box | None, b: Box) -> Box:
    if a is None:
        return b
    return (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))


@dataclass
class _State:
    ctm: Matrix = IDENTITY
    fill: tuple[float, ...] | None = (0.0,)  # None: a pattern or a colour space not followed
    clip: Box | None = None
    render: int = 0
    font_size: float = 0.0


def _white(color: tuple[float, ...] | None, space: str) -> bool:
    if color is None:
        return False
    if space == "cmyk" or len(color) == 4:
        return all(v <= 0.02 for v in color)
    return all(v >= 0.98 for v in color)


def _text_of(op: str, operands: list[Any]) -> str:
    import pikepdf

    parts: list[str] = []
    items = operands[-1] if op == "TJ" else operands[-1:] if operands else []
    for item in items if isinstance(items, (list, pikepdf.Array)) else [items]:
        if isinstance(item, pikepdf.String):
            parts.append(bytes(item).decode("latin-1", "replace"))
    return "".join(parts)


@dataclass
class _Page:
    number: int
    media: Box
    problems: list[str] = field(default_factory=list)


def invisible_text(pdf: Any, limit: int = 20) -> list[str]:
    """Text a reader of the page cannot see: render mode 3 (invisible) or 7, white fill on no
    coloured background, drawn outside the current clipping rectangle or off the page. The
    drawing is followed with a simplified graphics state (CTM, fill colour, rectangular clips,
    filled rectangles as backgrounds), enough for what typesetters produce."""
    import pikepdf

    problems: list[str] = []
    for number, page in enumerate(pdf.pages, start=1):
        mb = [float(v) for v in page.mediabox]
        media = (min(mb[0], mb[2]), min(mb[1], mb[3]), max(mb[0], mb[2]), max(mb[1], mb[3]))
        found: dict[str, int] = {}
        try:
            ops = pikepdf.parse_content_stream(page)
        except pikepdf.PdfError:
            problems.append(msg.PDF_CONTENT_UNREADABLE.format(page=number))
            continue
        _walk(pdf, page, ops, _State(), media, found, depth=0, space=["rgb"])
        for kind, count in found.items():
            problems.append(msg.PDF_INVISIBLE.format(page=number, what=kind, n=count))
        if len(problems) >= limit:
            break
    return problems


def _walk(pdf: Any, resources_owner: Any, ops: Any, start: _State, media: Box,
          found: dict[str, int], depth: int, space: list[str]) -> None:
    import pikepdf

    state = _State(start.ctm, start.fill, start.clip, start.render, start.font_size)
    stack: list[_State] = []
    backgrounds: list[Box] = []
    path: list[Box] = []
    tm: Matrix = IDENTITY
    tlm: Matrix = IDENTITY
    leading = 0.0
    for operands, operator in ops:
        op = str(operator)
        if op == "q":
            stack.append(_State(state.ctm, state.fill, state.clip, state.render, state.font_size))
        elif op == "Q":
            if stack:
                state = stack.pop()
        elif op == "cm" and len(operands) == 6:
            state.ctm = _mul(_matrix(operands), state.ctm)
        elif op in ("rg", "g", "k", "sc", "scn"):
            try:
                state.fill = tuple(float(v) for v in operands)
                space[0] = "cmyk" if op == "k" else "rgb"
            except (TypeError, ValueError):
                state.fill = None  # a pattern
        elif op == "cs":
            state.fill = (0.0,)
        elif op == "re" and len(operands) == 4:
            x, y, w, h = (float(v) for v in operands)
            path.append(_box(state.ctm, x, y, w, h))
        elif op in ("f", "F", "f*", "B", "B*", "b", "b*"):
            if not _white(state.fill, space[0]):
                backgrounds.extend(path)
            path = []
        elif op in ("W", "W*"):
            for box in path:
                state.clip = _intersect(state.clip, box)
        elif op in ("n", "S", "s"):
            path = []
        elif op == "BT":
            tm = tlm = IDENTITY
        elif op == "Tm" and len(operands) == 6:
            tm = tlm = _matrix(operands)
        elif op in ("Td", "TD") and len(operands) == 2:
            tx, ty = float(operands[0]), float(operands[1])
            if op == "TD":
                leading = -ty
            tm = tlm = _mul((1, 0, 0, 1, tx, ty), tlm)
        elif op == "TL" and operands:
            leading = float(operands[0])
        elif op == "T*":
            tm = tlm = _mul((1, 0, 0, 1, 0, -leading), tlm)
        elif op == "Tr" and operands:
            state.render = int(operands[0])
        elif op == "Tf" and len(operands) == 2:
            state.font_size = float(operands[1])
        elif op in ("Tj", "TJ", "'", '"'):
            if op in ("'", '"'):
                tm = tlm = _mul((1, 0, 0, 1, 0, -leading), tlm)
            text = _text_of(op, list(operands))
            if not text.strip(" \x00"):
                continue
            full = _mul(tm, state.ctm)
            x, y = _apply(full, 0.0, 0.0)
            # a glyph reaches about one font size from its origin: text is hidden when its
            # origin is farther than that beyond the edge (a baseline just past it is only cut)
            size = abs(state.font_size) * max(abs(full[0]), abs(full[1]), abs(full[2]),
                                              abs(full[3]))
            slack = max(1.0, size)
            kind = None
            if state.render in (3, 7):
                kind = msg.PDF_INVISIBLE_MODE
            elif not _inside(media, x, y, slack=slack):
                kind = msg.PDF_INVISIBLE_OFF_PAGE
            elif state.clip is not None and (not _inside(state.clip, x, y, slack=slack)
                                             or state.clip[0] >= state.clip[2]
                                             or state.clip[1] >= state.clip[3]):
                kind = msg.PDF_INVISIBLE_CLIPPED
            elif state.render in (0, 2, 4, 6) and _white(state.fill, space[0]) and not any(
                    _inside(b, x, y) for b in backgrounds):
                kind = msg.PDF_INVISIBLE_WHITE
            if kind:
                found[kind] = found.get(kind, 0) + 1
        elif op == "Do" and operands and depth < 8:
            resources = resources_owner.get("/Resources") if hasattr(resources_owner, "get") \
                else None
            xobjects = resources.get("/XObject") if resources is not None else None
            xobj = xobjects.get(str(operands[0])) if xobjects is not None else None
            if xobj is not None and _name(xobj.get("/Subtype")) == "/Form":
                ctm = state.ctm
                if "/Matrix" in xobj:
                    ctm = _mul(_matrix(xobj.Matrix), ctm)
                try:
                    inner = pikepdf.parse_content_stream(xobj)
                except pikepdf.PdfError:
                    continue
                sub = _State(ctm, state.fill, state.clip, state.render, state.font_size)
                _walk(pdf, xobj, inner, sub, media, found, depth + 1, space)


# ------------------------------------------------------------------ signature fields, PDF/A


def signature_problems(pdf: Any) -> list[str]:
    """Each signature field must be empty and unlocked, the document not locked for signing."""
    problems: list[str] = []
    acro = pdf.Root.get("/AcroForm")
    if "/Perms" in pdf.Root:
        problems.append(msg.PDF_PERMS)
    if acro is None:
        return problems
    for f in acro.get("/Fields", []):
        if f.get("/FT") != "/Sig":
            continue
        name = str(f.get("/T", "?"))
        if "/V" in f:
            problems.append(msg.PDF_SIG_FILLED.format(name=name))
        if "/Lock" in f:
            problems.append(msg.PDF_SIG_LOCKED.format(name=name))
        if int(f.get("/Ff", 0)) & 1:
            problems.append(msg.PDF_SIG_READONLY.format(name=name))
    return problems


def pdfa_problems(pdf: Any) -> list[str]:
    """The PDF/A claim: XMP pdfaid:part and conformance, and an output intent with a profile."""
    problems: list[str] = []
    try:
        meta = pdf.open_metadata()
        part = meta.get("pdfaid:part")
        conformance = meta.get("pdfaid:conformance")
    except Exception:  # noqa: BLE001 - a broken XMP packet is reported as such
        part = conformance = None
    if not part:
        problems.append(msg.PDFA_NO_CLAIM)
    elif not conformance:
        problems.append(msg.PDFA_NO_CONFORMANCE.format(part=part))
    intents = pdf.Root.get("/OutputIntents", [])
    if not any(_name(i.get("/S")) == "/GTS_PDFA1" and "/DestOutputProfile" in i for i in intents):
        problems.append(msg.PDFA_NO_INTENT)
    return problems


def signer_problems(data: bytes, *, pdfa: bool = True) -> list[str]:
    """Everything of the above, for the bytes of one PDF."""
    import pikepdf

    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PdfError as exc:
        return [msg.PDF_UNREADABLE.format(detail=exc)]
    with pdf:
        problems = active_content(pdf) + invisible_text(pdf) + signature_problems(pdf)
        if pdfa:
            problems += pdfa_problems(pdf)
    return problems
