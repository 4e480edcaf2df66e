"""Very long documents typeset in chunks, so that memory stays bounded.

One Typst compilation holds the whole layout of its document at once (≈ 1.5 MiB a page of
tables), and the binding evicts its memoised results only ten compilations later: a
1,000-fiche convention (1,069 pages) peaked at 1.9 GiB in one compilation. Above THRESHOLD
paragraphs, the document is cut where a new page starts anyway (a page break, a new section),
the chunks are compiled one after the other by one Typst worker process (each one's memoised
layout aged out of the cache before the next; what Typst keeps after that goes away with the
process), and merged into one PDF with pikepdf, one chunk parsed at a time:

- the running header, footer and background (« page X / Y ») of every page are
  typeset in one light compilation of empty pages (the overlay, `page(part="running")`) and
  drawn over the body pages, which are laid out without them (`part="body"`): they live in the
  margins, so the body's layout does not depend on them, and the total number of pages is only
  known once every chunk is laid out;
- page (for PAGE fields in the text) and footnote numbers continue from chunk to chunk;
- bookmarks: every chunk's outline items, nested again over the whole document the way Typst
  nests headings (by level, the emitter tells which headings each chunk holds);
- tagged structure: each chunk's top-level structure elements go under the first chunk's
  Document element; the parent tree, the pages' /StructParents and the annotations'
  /StructParent are shifted past the previous chunks' keys (marked-content ids are per page, so
  they stay); structure element IDs (table header cells, with the /Headers that cite them) are
  prefixed by the chunk's number so that they stay unique;
- the first chunk's catalogue (/Lang, XMP with the page count corrected, output intent, PDF/A
  identification); fonts are embedded chunk by chunk (one subset each);
- a table cell of one plain paragraph is laid out without the paragraph's block
  (Emitter.light_cells: the same PDF, ≈ 20 % less memory in Typst for tables).

Documents up to THRESHOLD paragraphs (every real convention: ≤ 60 pages, ≤ 3,000 paragraphs)
keep the single compilation of typeset.compile_pdf, and their bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import pickle
import re
import struct
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import messages as msg
from . import model as m
from .fields import outline_children
from .typeset import (
    ANCHOR,
    PDF_STANDARD,
    SECTION_LABEL,
    Emitter,
    TypesetError,
    _date,
    signature_blocks,
)

THRESHOLD = 10_000  # paragraphs (table cells' included; ≈ 60 a page): ≈ 150 pages and more
CHUNK = 300_000  # markup characters a chunk holds (≈ 130 pages of fiches, ≈ 200 MiB of layout)
AGING = 10  # the binding evicts what a compilation memoised ten compilations later
RUNNING = "/DocgenRunning"  # the overlay's name in each page's resources


def paragraphs(blocks: tuple[m.Block, ...] | list[m.Block]) -> int:
    """Paragraphs of these blocks, those of their tables' cells included."""
    count = 0
    stack = list(blocks)
    while stack:
        b = stack.pop()
        if isinstance(b, m.Paragraph):
            count += 1
        else:
            stack.extend(x for r in b.rows for c in r.cells for x in c.blocks)
    return count


def _page_fields(blocks: list[m.Block]) -> set[str]:
    """PAGE / NUMPAGES fields in the text itself (not in headers and footers)."""
    kinds: set[str] = set()
    stack = list(blocks)
    while stack:
        b = stack.pop()
        if isinstance(b, m.Paragraph):
            for i in b.inlines:
                if isinstance(i, m.PageField):
                    kinds.add(i.kind)
                elif isinstance(i, m.NoteRef):
                    stack.extend(i.blocks)
        else:
            stack.extend(x for r in b.rows for c in r.cells for x in c.blocks)
    return kinds


def chunked(doc: m.Document) -> bool:
    """Whether this document is typeset in chunks: very long, and no page total in its text
    (a chunk cannot know it; headers and footers get it from the overlay)."""
    body = [b for sec in doc.sections for b in sec.blocks]
    return paragraphs(body) > THRESHOLD and "NUMPAGES" not in _page_fields(body)


@dataclass
class Piece:
    text: str  # markup: the gap before a block, or the block
    cut: bool  # a new page starts here: a chunk may begin with this piece
    headings: tuple[tuple[int, bool], ...]  # (level, bookmarked) of the headings it holds
    footnotes: int


@dataclass
class Part:
    """One section of the document."""

    running: str  # page setup with header, footer and background (the overlay)
    body: str  # page setup without them (the chunks)
    opening: list[str]
    pieces: list[Piece]


@dataclass
class Chunk:
    section: int
    start: int  # pieces of the section, [start, end)
    end: int
    pages: int = 0


def _page_starts(blocks: tuple[m.Block, ...]) -> set[int]:
    """Indices of the blocks before which Typst starts a new page whatever the layout: a
    paragraph with « saut de page avant », or one after a paragraph ending with a page break
    (never inside a signature group, which is one unbreakable block)."""
    grouped: set[int] = set()
    inside: set[int] = set()
    for sb in signature_blocks(blocks):
        grouped.update(range(sb.start, sb.end))
        inside.update(range(sb.start + 1, sb.end))
    starts = set()
    for i in range(1, len(blocks)):
        if i in inside:
            continue
        b, prev = blocks[i], blocks[i - 1]
        if isinstance(b, m.Paragraph) and b.page_break_before:
            starts.add(i)
        elif isinstance(prev, m.Paragraph) and i - 1 not in grouped and prev.inlines \
                and isinstance(prev.inlines[-1], m.PageBreak):
            starts.add(i)
    return starts


def plan(em: Emitter) -> tuple[list[str], list[Part]]:
    """The document's markup in pieces, section by section (the same pieces, in the same
    order, as Emitter.document() joins)."""
    settings = em.settings()
    parts = []
    for n, sec in enumerate(em.doc.sections):
        running = em.page(sec, first=(n == 0), part="running")
        body = em.page(sec, first=(n == 0), part="body")
        opening = em.opening(n)
        starts = _page_starts(em.section_blocks(n))
        pieces: list[Piece] = []
        seen: set[int] = set()
        heads, notes = len(em.headings), em.footnotes
        for i, text in em.body(n):
            cut = i in starts and i not in seen
            seen.add(i)
            pieces.append(Piece(text, cut, tuple(em.headings[heads:]), em.footnotes - notes))
            heads, notes = len(em.headings), em.footnotes
        parts.append(Part(running, body, opening, pieces))
    return settings, parts


def cut(parts: list[Part], size: int = 0) -> list[Chunk]:
    """Chunks of at most `size` characters of markup (CHUNK), unless what lies between two
    page starts is larger; a section always starts a chunk."""
    size = size or CHUNK
    chunks = []
    for n, part in enumerate(parts):
        if not part.pieces:
            continue
        bounds = [0] + [j for j, p in enumerate(part.pieces) if p.cut and j] + [len(part.pieces)]
        start, held = 0, 0
        for a, b in zip(bounds, bounds[1:]):
            length = sum(len(p.text) for p in part.pieces[a:b])
            if held and held + length > size:
                chunks.append(Chunk(n, start, a))
                start, held = a, 0
            held += length
        chunks.append(Chunk(n, start, len(part.pieces)))
    return chunks


def source(settings: list[str], preamble: list[str], part: Part, chunk: Chunk,
           page: int = 1, footnotes: int = 0, running: bool = False) -> bytes:
    """A chunk's markup: the document's rules, the section's page (without running content
    unless asked), the counters where the previous chunks left them, its pieces."""
    out = [*settings, *preamble, part.running if running else part.body]
    if chunk.start == 0:
        out.extend(part.opening)
    if page > 1:
        out.append(f"#counter(page).update({page})")
    if footnotes:
        out.append(f"#counter(footnote).update({footnotes})")
    out.append("\n".join(p.text for p in part.pieces[chunk.start:chunk.end] if p.text))
    return ("\n".join(out) + "\n").encode("utf-8")


def overlay(settings: list[str], preamble: list[str], parts: list[Part],
            pages: list[int]) -> bytes:
    """Empty pages, as many as each section has, with its header, footer and background."""
    out = [*settings, *preamble]
    for n, (part, count) in enumerate(zip(parts, pages)):
        if count:  # the section's mark on its first page: first-page headers find it there
            out.append(part.running)
            out.append("\n".join([f"#page[#metadata({n})<{SECTION_LABEL}{n}>]"]
                                 + ["#page[]"] * (count - 1)))
    return ("\n".join(out) + "\n").encode("utf-8")


def compile_chunks(doc: m.Document, fonts: Path) -> tuple[bytes, str, bytes]:
    """What typeset.compile_pdf returns (PDF, anchor title prefix, markup: here the
    overlay's), for a document typeset in chunks. Typst runs in one worker process, chunk
    after chunk: what it keeps once a chunk is done (≈ 200 MiB of caches and fragments)
    goes away with it, before the merge needs the memory."""
    release()  # what reading the DOCX left (lxml's tree) goes back to the system first
    date = _date(doc.meta.created)
    when = dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC)
    pdfs: list[bytes] = []
    page, notes = 1, 0
    with Worker(fonts, when) as worker:  # it starts (imports Typst) while the markup is made
        em = Emitter(doc)
        em.light_cells = True
        settings, parts = plan(em)
        preamble = list(em.preamble)
        chunks = cut(parts)
        body = [b for sec in doc.sections for b in sec.blocks]
        numbered = "PAGE" in _page_fields(body)
        for c in chunks:
            part = parts[c.section]
            pdf = worker.compile(source(settings, preamble, part, c,
                                        page if numbered else 1, notes))
            c.pages = _count_pages(pdf)
            page += c.pages
            notes += sum(p.footnotes for p in part.pieces[c.start:c.end])
            pdfs.append(pdf)
        per_section = [sum(c.pages for c in chunks if c.section == n) for n in range(len(parts))]
        ov_source = overlay(settings, preamble, parts, per_section)
        running = worker.compile(ov_source)
    headings = [[h for p in parts[c.section].pieces[c.start:c.end] for h in p.headings]
                for c in chunks]
    return merge(pdfs, running, headings), f"{ANCHOR}{em.nonce}:", ov_source


class Worker:
    """A process of its own that compiles Typst markup into PDF/A, one request at a time
    (length-prefixed pickles on its standard input and output)."""

    def __init__(self, fonts: Path, when: dt.datetime) -> None:
        self.fonts, self.when = fonts, when
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Worker:
        package = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(x for x in (package, env.get("PYTHONPATH")) if x)
        env[PARENT_ENV] = str(os.getpid())  # the worker dies with this process (serve)
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from docgen.finish.chunks import serve; serve()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        return self

    def compile(self, markup: bytes) -> bytes:
        """The PDF of this markup (TypesetError if Typst refuses it or the worker stops)."""
        assert self.proc is not None and self.proc.stdin and self.proc.stdout
        _send(self.proc.stdin, (str(self.fonts), self.when, markup))
        reply = _receive(self.proc.stdout)
        if reply is None:
            raise TypesetError(msg.CHUNK_WORKER_STOPPED.format(code=self.proc.poll()))
        ok, value = reply
        if not ok:
            raise TypesetError(value)
        return value

    def __exit__(self, *exc: object) -> None:
        if self.proc is None:
            return
        if self.proc.stdin:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30 if exc[0] is None else 0.1)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()


def _send(stream: Any, value: object) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack("<Q", len(data)) + data)
    stream.flush()


def _receive(stream: Any) -> Any:
    head = stream.read(8)
    if len(head) < 8:
        return None
    (size,) = struct.unpack("<Q", head)
    return pickle.loads(stream.read(size))


PARENT_ENV = "DOCGEN_WORKER_PARENT"  # the pid of the process the worker serves


def serve() -> None:
    """The worker's loop: (fonts, timestamp, markup) in, (True, PDF) or (False, error) out.
    It dies with the process it serves, even one killed in the middle of a compilation (its
    requests' pipe would only tell it once Typst is done)."""
    from ..parallel import die_with_parent

    die_with_parent(int(os.environ.pop(PARENT_ENV, "0") or 0))
    import typst

    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing else may write on the replies' stream
    compiler = None
    while (request := _receive(requests)) is not None:
        fonts, when, markup = request
        if compiler is None:
            book = typst.Fonts(include_system_fonts=False, include_embedded_fonts=True,
                               font_paths=[fonts])
            compiler = typst.Compiler(b"", root=fonts, font_paths=book,
                                      ignore_system_fonts=True)  # root: as typeset.compile_pdf
        try:
            _send(replies, (True, _compile(compiler, markup, when)))
        except TypesetError as exc:
            _send(replies, (False, str(exc)))


def _compile(compiler: Any, markup: bytes, when: dt.datetime) -> bytes:
    """One compilation, then AGING trivial ones: what it memoised leaves the cache (and the
    memory is reused by the next chunk) instead of piling up."""
    import typst

    try:
        pdf = compiler.compile(input=markup, format="pdf", pdf_standards=[PDF_STANDARD],
                               timestamp=when)
        for _ in range(AGING):
            compiler.compile(input=b"", format="svg")
        release()
    except typst.TypstError as exc:
        raise TypesetError(f"{exc.message} {exc.hints} {exc.diagnostic}") from None
    except RuntimeError as exc:
        raise TypesetError(str(exc)) from None
    assert isinstance(pdf, bytes)
    return pdf


def release() -> None:
    """Freed memory handed back to the system: glibc keeps it otherwise, in one arena per
    thread that Typst laid out with, where the merge (on this thread) cannot reuse it."""
    import ctypes

    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


def _count_pages(pdf: bytes) -> int:
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return len(doc.pages)


# ---------------------------------------------------------------------------------- merging
def _tree(node: Any, key: str) -> list[tuple[Any, Any]]:
    """The (key, value) pairs of a number tree (/Nums) or a name tree (/Names), in order."""
    out: list[tuple[Any, Any]] = []
    if node is None:
        return out
    stack = [node]
    while stack:
        n = stack.pop()
        items = n.get(key)
        if items is not None:
            out.extend((items[i], items[i + 1]) for i in range(0, len(items) - 1, 2))
        stack.extend(reversed(list(n.get("/Kids", []))))
    return out


def _kids(element: Any) -> list[Any]:
    import pikepdf

    k = element.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def _document(tree_root: Any) -> Any:
    """The Document structure element Typst puts at the top of the tree."""
    (top,) = _kids(tree_root)
    return top


def _elements(roots: list[Any]) -> list[Any]:
    """Every structure element under these."""
    import pikepdf

    out = []
    stack = [r for r in roots if isinstance(r, pikepdf.Dictionary) and "/S" in r]
    while stack:
        e = stack.pop()
        out.append(e)
        stack.extend(k for k in _kids(e) if isinstance(k, pikepdf.Dictionary) and "/S" in k)
    return out


def _rename_ids(tree_root: Any, prefix: str) -> list[tuple[str, Any]]:
    """Structure element IDs (and the /Headers citing them) prefixed: unique once merged."""
    import pikepdf

    named = _tree(tree_root.get("/IDTree"), "/Names")
    if not named:
        return []
    renamed = {}
    out = []
    for name, element in named:
        new = prefix + str(name)
        renamed[str(name)] = new
        element.ID = pikepdf.String(new)
        out.append((new, element))
    for element in _elements(_kids(tree_root)):
        attrs = element.get("/A")
        if attrs is None:
            continue
        for attr in (attrs if isinstance(attrs, pikepdf.Array) else [attrs]):
            if isinstance(attr, pikepdf.Dictionary) and "/Headers" in attr:
                attr.Headers = pikepdf.Array([pikepdf.String(renamed.get(str(h), str(h)))
                                              for h in attr.Headers])
    return out


def _shift(page: Any, offset: int) -> None:
    """A copied page's keys into the parent tree, moved past the previous chunks' keys."""
    import pikepdf

    if "/StructParents" in page:
        page.StructParents = int(page.StructParents) + offset
    for annot in page.get("/Annots", []):
        if "/StructParent" in annot:
            annot.StructParent = int(annot.StructParent) + offset
    seen: set[tuple[int, int]] = set()
    stack = [page.get("/Resources")]
    while stack:
        res = stack.pop()
        if not isinstance(res, pikepdf.Dictionary):
            continue
        for xobject in res.get("/XObject", {}).values():
            if xobject.objgen in seen:
                continue
            seen.add(xobject.objgen)
            for key in ("/StructParents", "/StructParent"):
                if key in xobject:
                    xobject[key] = int(xobject[key]) + offset
            stack.append(xobject.get("/Resources"))


def _outline_items(outlines: Any) -> list[Any]:
    """Outline items in document order (depth first)."""
    out: list[Any] = []
    stack = list(reversed(outline_children(outlines))) if outlines is not None else []
    while stack:
        item = stack.pop()
        out.append(item)
        stack.extend(reversed(outline_children(item)))
    return out


@dataclass
class _Node:
    item: Any
    level: int
    children: list[_Node]


def _as_is(item: Any) -> _Node:
    return _Node(item, 1, [_as_is(c) for c in outline_children(item)])


def _nest(outlines: list[Any], headings: list[list[tuple[int, bool]]]) -> list[_Node]:
    """The outline tree Typst builds (typst-pdf: each bookmarked heading goes under the latest
    heading of a lower level, no deeper than a heading left out of the bookmarks), over the
    items of every chunk. A chunk whose items do not match its headings (never seen) keeps its
    own nesting, appended at the top."""
    tree: list[_Node] = []
    skipped: int | None = None
    for root, heads in zip(outlines, headings):
        items = _outline_items(root)
        if sum(1 for _, b in heads if b) != len(items):
            tree.extend(_as_is(i) for i in (outline_children(root) if root is not None else []))
            skipped = None
            continue
        queue = iter(items)
        for level, bookmarked in heads:
            if bookmarked:
                children = tree
                while children and (skipped is None or children[-1].level < skipped) \
                        and children[-1].level < level:
                    children = children[-1].children
                skipped = None
                children.append(_Node(next(queue), level, []))
            elif skipped is None or level < skipped:
                skipped = level
    return tree


def _link(parent: Any, nodes: list[_Node]) -> None:
    """Parent, First, Last, Prev, Next and Count (closed: minus the children) as Typst writes."""
    for k, node in enumerate(nodes):
        item = node.item
        item.Parent = parent
        for key, other in (("/Prev", nodes[k - 1] if k else None),
                           ("/Next", nodes[k + 1] if k + 1 < len(nodes) else None)):
            if other is None:
                if key in item:
                    del item[key]
            else:
                item[key] = other.item
        if node.children:
            item.First, item.Last = node.children[0].item, node.children[-1].item
            item.Count = -len(node.children)
            _link(item, node.children)
        else:
            for key in ("/First", "/Last", "/Count"):
                if key in item:
                    del item[key]


def merge(pdfs: list[bytes], running: bytes, headings: list[list[tuple[int, bool]]]) -> bytes:
    """One tagged PDF/A of the chunks, the running content drawn over each page."""
    import pikepdf

    base = pikepdf.open(io.BytesIO(pdfs[0]))
    opened = []
    try:
        tree = base.Root.StructTreeRoot
        document = _document(tree)
        if not isinstance(document.get("/K"), pikepdf.Array):
            document.K = pikepdf.Array(_kids(document))
        nums = [(int(k), v) for k, v in _tree(tree.get("/ParentTree"), "/Nums")]
        next_key = int(tree.get("/ParentTreeNextKey", max((k for k, _ in nums), default=-1) + 1))
        ids = [(str(k), v) for k, v in _tree(tree.get("/IDTree"), "/Names")]
        outlines = [base.Root.get("/Outlines")]
        for number, data in enumerate(pdfs[1:], start=1):
            src = pikepdf.open(io.BytesIO(data))
            s_tree = src.Root.StructTreeRoot
            s_keys = _tree(s_tree.get("/ParentTree"), "/Nums")
            s_next = int(s_tree.get("/ParentTreeNextKey",
                                    max((int(k) for k, _ in s_keys), default=-1) + 1))
            s_ids = _rename_ids(s_tree, f"c{number}-")
            kids = _kids(_document(s_tree))
            for kid in kids:
                if isinstance(kid, pikepdf.Dictionary) and "/P" in kid:
                    del kid["/P"]  # re-parented below: never copy the chunk's own tree root
            first = len(base.pages)
            base.pages.extend(src.pages)
            for page in base.pages[first:]:
                _shift(page.obj, next_key)
            for kid in kids:
                copy = base.copy_foreign(kid)
                if isinstance(copy, pikepdf.Dictionary):
                    copy.P = document
                document.K.append(copy)
            nums.extend((int(k) + next_key, base.copy_foreign(v)) for k, v in s_keys)
            ids.extend((name, base.copy_foreign(e)) for name, e in s_ids)
            next_key += s_next
            chunk_outline = src.Root.get("/Outlines")
            outlines.append(base.copy_foreign(chunk_outline) if chunk_outline is not None
                            else None)
            _own_streams(base.pages[first:])
            src.close()  # its objects leave memory: only one chunk is parsed at a time
        tree.ParentTree = base.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(
            [x for k, v in sorted(nums, key=lambda kv: kv[0]) for x in (k, v)])))
        tree.ParentTreeNextKey = next_key
        if ids:
            tree.IDTree = base.make_indirect(pikepdf.Dictionary(Names=pikepdf.Array(
                [x for k, v in sorted(ids, key=lambda kv: kv[0].encode())
                 for x in (pikepdf.String(k), v)])))
        nodes = _nest(outlines, headings)
        if nodes:
            if "/Outlines" not in base.Root:
                base.Root.Outlines = base.make_indirect(pikepdf.Dictionary(
                    Type=pikepdf.Name.Outlines))
            root = base.Root.Outlines
            _link(root, nodes)
            root.First, root.Last, root.Count = nodes[0].item, nodes[-1].item, len(nodes)
        ov = pikepdf.open(io.BytesIO(running))
        opened.append(ov)  # the forms copied from it read their data from it until saved
        _draw_running(base, ov)
        xmp = base.Root.Metadata.read_bytes()
        base.Root.Metadata.write(re.sub(rb"<xmpTPg:NPages>\d+</xmpTPg:NPages>",
                                        b"<xmpTPg:NPages>%d</xmpTPg:NPages>" % len(base.pages),
                                        xmp))
        out = io.BytesIO()
        base.save(out, static_id=True, compress_streams=True,
                  object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()
    finally:
        base.close()
        for pdf in opened:
            pdf.close()
        release()


def _own_streams(pages: Any) -> None:
    """The data of every stream these (copied) pages use, read now from the chunk they were
    copied from (pikepdf copies stream data lazily), so that the chunk can be closed."""
    import pikepdf

    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [p.obj for p in pages]
    while stack:
        obj = stack.pop()
        if isinstance(obj, pikepdf.Stream):
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
            # the stream's own /Filter and /DecodeParms, as read: pikepdf types them as a Name
            # or an Array, which a plain Object read back from a file cannot be told to be
            obj.write(obj.read_raw_bytes(), filter=obj.get("/Filter"),  # type: ignore[arg-type]
                      decode_parms=obj.get("/DecodeParms"),  # type: ignore[arg-type]
                      type_check=False)
            stack.extend(v for k, v in obj.items() if k not in ("/Parent", "/P"))
        elif isinstance(obj, pikepdf.Dictionary):
            if obj.is_indirect:
                if obj.objgen in seen:
                    continue
                seen.add(obj.objgen)
            stack.extend(v for k, v in obj.items() if k not in ("/Parent", "/P"))
        elif isinstance(obj, pikepdf.Array):
            stack.extend(obj)


def _draw_running(base: Any, ov: Any) -> None:
    """Each overlay page, as a form, drawn over the body page of the same number."""
    import pikepdf

    if len(ov.pages) != len(base.pages):
        raise TypesetError(msg.CHUNK_OVERLAY_PAGES.format(running=len(ov.pages),
                                                          pages=len(base.pages)))
    before = base.make_stream(b"q\n")
    after = base.make_stream(b"Q\n" + RUNNING.encode() + b" Do\n")
    for number, (page, over) in enumerate(zip(base.pages, ov.pages), start=1):
        if [float(x) for x in page.mediabox] != [float(x) for x in over.mediabox]:
            raise TypesetError(msg.CHUNK_OVERLAY_SIZE.format(page=number))
        form = base.copy_foreign(over.as_form_xobject())
        resources = page.obj.Resources
        if "/XObject" not in resources:
            resources.XObject = pikepdf.Dictionary()
        resources.XObject[RUNNING] = form
        contents = page.obj.Contents
        streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
        page.obj.Contents = pikepdf.Array([before, *streams, after])
