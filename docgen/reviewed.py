"""The reviewed DOCX that comes back from legal staff (`docgen pdf`, `docgen templates text`):
read from disk within bounds, typeset into signature-ready PDFs, written only once all are
proven. Nothing here loads a case folder: the command starts in a fraction of a second."""

from __future__ import annotations

from pathlib import Path

from . import messages as msg
from .errors import DocgenError, OutputError

PDF_LIMIT_S = 120.0  # seconds to typeset one reviewed DOCX: a 40-page convention takes 1 s
LIMIT_ENV = "DOCGEN_PDF_LIMIT_S"  # the same, from the environment (docgen pdf --time-limit)


def pdfs_of_docx(sources: list[Path], targets: list[Path], force: bool,
                 jobs: int | None = None, limit: float | None = PDF_LIMIT_S) -> list[Path]:
    """`docgen pdf a.docx b.docx …`: typeset reviewed DOCX files into their targets (spread
    over `jobs` processes, one per core by default), never over an existing file unless forced,
    never over one of the DOCX nor twice to the same file; every file is read, typeset and
    checked before any PDF is written. Each file's typesetting runs in a forked process that
    is killed after `limit` seconds (Typst is native code: nothing else can stop it)."""
    from . import parallel
    from .finish import pdf  # noqa: F401 — imported once here, before the copies are forked

    _check_targets(sources, targets, force)
    datas = [read_docx_file(source) for source in sources]
    tasks = [lambda d=data, n=source.name: _typeset(d, n) for data, source in zip(datas, sources)]
    pdfs = parallel.run(tasks, parallel.workers(jobs), limit=limit, overtime=lambda index: (
        DocgenError(msg.PDF_OVERTIME.format(
            path=sources[index], seconds=parallel.in_seconds(limit or 0), env=LIMIT_ENV))))
    return _write(targets, pdfs)


def typeset_reviewed(source: Path, limit: float | None = PDF_LIMIT_S) -> tuple[bytes, bytes]:
    """One reviewed DOCX read within bounds and its proven signature PDF (the frame for the
    prefecture's stamp is the DOCX's own), typeset in a forked copy killed after `limit`
    seconds (`docgen relu`): (the DOCX's bytes, the PDF)."""
    from . import parallel
    from .finish import pdf

    data = read_docx_file(source)
    (result,) = parallel.run([lambda: pdf.docx_to_pdf(data, source.name)], 1,
                             limit=limit,
                             overtime=lambda index: DocgenError(msg.PDF_OVERTIME.format(
                                 path=source, seconds=parallel.in_seconds(limit or 0),
                                 env=LIMIT_ENV)))
    return data, result


def _typeset(data: bytes, name: str) -> bytes:
    """One reviewed DOCX's proven PDF (in whichever process runs it)."""
    from .finish import pdf

    return pdf.docx_to_pdf(data, name)


def _check_targets(sources: list[Path], targets: list[Path], force: bool) -> None:
    """Refuse, before anything is read or written: a source that is no .docx, a PDF that would
    replace one of the DOCX (by its path, a link or a hard link) or that two DOCX would both
    write, an existing PDF without force, a folder where nothing can be written."""
    import os

    def same(a: Path, b: Path) -> bool:
        if a.resolve() == b.resolve():
            return True
        try:
            return os.path.samefile(a, b)
        except OSError:  # one of them does not exist (yet): only its path could match
            return False

    for source in sources:
        if source.suffix.lower() != ".docx":
            raise DocgenError(msg.PDF_SOURCE_NOT_DOCX.format(path=source))
    for number, target in enumerate(targets):
        for source in sources:
            if same(target, source):
                raise DocgenError(msg.PDF_TARGET_IS_SOURCE.format(path=target, source=source))
        for other, first in zip(sources, targets[:number]):
            if same(target, first):
                raise DocgenError(msg.PDF_TARGET_TWICE.format(
                    path=target, first=other, second=sources[number]))
    for target in targets:
        if target.is_dir():
            raise OutputError(msg.PDF_TARGET_IS_FOLDER.format(path=target))
        if (target.exists() or target.is_symlink()) and not force:
            raise DocgenError(msg.PDF_TARGET_EXISTS.format(path=target))
    for folder in dict.fromkeys(t.parent for t in targets):
        _check_folder(folder)


def _check_folder(folder: Path) -> None:
    """The folder a PDF goes to, or the nearest one that exists (the rest is created at write
    time): a folder this process may write in. The write itself may still fail (a full disk):
    _write says so then."""
    import errno
    import os

    from .output import reason_of

    here = folder
    while not here.exists() and not here.is_symlink() and here != here.parent:
        here = here.parent
    code = (errno.ENOTDIR if not here.is_dir()
            else errno.EACCES if not os.access(here, os.W_OK | os.X_OK) else None)
    if code is not None:
        raise OutputError(msg.PDF_FOLDER_UNWRITABLE.format(folder=folder,
                                                           reason=reason_of(code)))


def _write(targets: list[Path], pdfs: list[bytes]) -> list[Path]:
    """Every PDF in place, each atomically; a write that fails names its folder and the reason,
    and the PDFs already written before it."""
    from .output import io_error, write_file

    written: list[Path] = []
    for target, pdf in zip(targets, pdfs):
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_file(target, pdf)
        except OSError as exc:
            error = io_error(target.parent, exc)
        except OutputError as exc:
            error = exc
        else:
            written.append(target)
            continue
        if written:
            raise OutputError(str(error) + "\n" + msg.PDF_ALREADY_WRITTEN.format(
                names="\n".join(f"  {p}" for p in written)))
        raise error
    return written


MAX_DOCX_BYTES = 50 * 1024 * 1024  # a 40-page convention with its logos is ~1 MB
MAX_DOCX_UNZIPPED = 200 * 1024 * 1024  # what the parts may expand to (zip bombs)


def read_docx_file(source: Path) -> bytes:
    """The bytes of a DOCX given on the command line, refused in French unless it is a regular
    file (never blocking on a FIFO), of bounded size, and a zip whose parts expand reasonably."""
    import os
    import stat
    import zipfile

    try:
        fd = os.open(source, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        raise DocgenError(msg.PDF_SOURCE_MISSING.format(path=source)) from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise DocgenError(msg.DOCX_NOT_REGULAR.format(path=source))
    with os.fdopen(fd, "rb") as fh:
        if info.st_size > MAX_DOCX_BYTES:
            raise DocgenError(msg.DOCX_TOO_BIG.format(path=source, limit=MAX_DOCX_BYTES >> 20))
        data = fh.read(MAX_DOCX_BYTES + 1)
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if sum(i.file_size for i in zf.infolist()) > MAX_DOCX_UNZIPPED:
                raise DocgenError(msg.DOCX_TOO_BIG.format(path=source,
                                                         limit=MAX_DOCX_UNZIPPED >> 20))
            if "word/document.xml" not in zf.namelist():
                raise DocgenError(msg.DOCX_NOT_WORD.format(path=source))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError):
        raise DocgenError(msg.DOCX_NOT_WORD.format(path=source)) from None
    return data
